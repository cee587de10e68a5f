"""Places by pattern: bases, airports, fields, crossings, towns, provinces, countryside, countries.

Site names come from the words around them ("the Qasrak and Tell Baidar bases",
"the town of al-Mayadin", "the countryside of Deir Ezzor"), never from a list of
known sites, so unseen places are found too. The province or country is filled
in only when the text says it right there ("... bases in the northwestern
countryside of al-Hasakah", "... base in northeastern Syria").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from summarizer.offline.gazetteer import (
    COUNTRIES,
    DEMONYMS,
    MAX_NAME_WORDS,
    NOT_PLACES,
    REGIONS,
    fold,
    never_places,
    world_places,
)
from summarizer.offline.text import all_lower, headline_case, word_list

# One reading per token ("Al-Walid" is a capitalised word, "al-Hasakah" a prefixed one) and at
# most seven tokens a name: both keep the patterns linear on long runs of capitalised words.
_TOK = r"(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z]\w+(?:-[A-Za-z]\w*)*"
NAME = rf"{_TOK}(?:\s+(?:{_TOK}|\d+\b)){{0,6}}"
_LIST = rf"{NAME}(?:\s*,\s*(?:and\s+)?{NAME})*(?:,?\s+and\s+{NAME})?"
_DIR = r"(?:(?:north|south|east|west|central|upper|lower)[a-z]*\s+)"
_SITE_KINDS = {
    "base": "base",
    "airport": "airport",
    "airfield": "airport",
    "field": "oil_field",
    "crossing": "crossing",
    "plant": "facility",
    "camp": "camp",
    "port": "port",
    "dam": "facility",
    "barrack": "base",
    "checkpoint": "checkpoint",
    "embass": "embassy",
    "refiner": "facility",
    "prison": "facility",
    "village": "town",
    "town": "town",
    "city": "city",
    "outpost": "base",
    "hospital": "facility",
    "mosque": "facility",
    "church": "facility",
    "market": "facility",
    "school": "facility",
    "university": "facility",
    "station": "facility",
    "settlement": "town",
}
_SITE = re.compile(
    rf"(?:\bthe\s+)?(?P<names>{_LIST})\s+(?P<kw>(?:[Aa]irport\s+|[Aa]ir\s+|[Mm]ilitary\s+|[Oo]il\s+|"
    r"[Gg]as\s+|[Ff]ield\s+)?(?:[Bb]ases?|[Aa]irports?|[Aa]irfields?|[Ff]ields?|[Cc]rossings?|"
    r"[Pp]lants?|(?:[Rr]efugee\s+)?[Cc]amps?|[Pp]orts?|[Dd]ams?|[Bb]arracks|[Cc]heckpoints?|"
    r"[Ee]mbass(?:y|ies)|[Rr]efiner(?:y|ies)|[Pp]risons?|[Oo]utposts?|[Hh]ospital|[Mm]osque|"
    r"[Cc]hurch|[Mm]arket|[Ss]chool|[Uu]niversity|[Cc]ity|town|village|settlement))\b"
    r"(?!\s+of\b)"
)
_MEMBERS = re.compile(
    rf"\b(?P<kw>bases?|sites?|airports?)\s+(?:including|such\s+as|like)\s+(?P<names>{_LIST})"
)
_CONTAINER = re.compile(rf"\b(?P<kw>bases?|positions|sites?)\s+in\s+(?:the\s+)?(?P<names>{_LIST})")
_COUNTRYSIDE = re.compile(
    rf"(?:\bthe\s+)?(?:{_DIR})?(?:countryside|outskirts|suburbs|vicinity)\s+of\s+(?P<name>{NAME})"
    rf"|(?:\bthe\s+)?(?:{_DIR})?(?P<name2>{NAME})\s+countryside\b"
)
_PROVINCE = re.compile(
    rf"(?:\bthe\s+)?(?:[a-z]+\s+)?(?:(?P<demo>[A-Z]\w+)\s+)?(?:province|governorate|department|"
    rf"district|state|region|oblast)\s+of\s+(?P<name>{NAME})"
    rf"|(?P<name2>{NAME})\s+(?:[Pp]rovince|[Gg]overnorate|[Dd]epartment|[Dd]istrict|[Rr]egion|"
    rf"[Oo]blast|[Ss]tate)\b"
)
_TOWN = re.compile(
    rf"(?:\bthe\s+)?(?:[a-z]+ern\s+)?(?:(?P<area>{NAME})\s+)?"
    rf"(?P<kw>town|city|village|capital|neighbou?rhood|suburb|refugee\s+camp|base|airport)\s+"
    rf"(?:of\s+)?"
    rf"(?P<name>{NAME})"
)
_NATURAL = re.compile(
    rf"(?:\bthe\s+)?(?P<name>{NAME}\s+(?:River|Valley|Mountains?|Desert|Lake|Strip|Heights))\b"
)
_LC_WORD = r"[a-z][a-z'-]{2,}"
_LC_NAME = (
    rf"(?:(?:san|santa|el|la|los|las|puerto|ciudad|villa)\s+)?{_LC_WORD}"
    rf"(?:\s+(?:de|del)\s+{_LC_WORD})?"
)
_LC_PLACE = re.compile(
    rf"\b(?P<kw>town|city|village|department|province|municipality|hamlet|district|jurisdiction)"
    rf"\s+of\s+(?P<name>{_LC_NAME})\b|\b(?P<name2>{_LC_NAME})\s+(?P<kw2>department|province|"
    r"neighborhood|municipality)\b"
)
_LC_KIND = {
    "town": "town",
    "city": "city",
    "village": "town",
    "hamlet": "town",
    "department": "province",
    "province": "province",
    "municipality": "town",
    "district": "place",
    "jurisdiction": "place",
    "neighborhood": "place",
}
_LC_STOP = frozenset(
    word_list(
        "the a an this that its their his her our these those which who same other national "
        "police army security government"
    )
)
_ADJECTIVAL = re.compile(
    r"\s+(?:border|side|forces|troops|army|military|government|officials?|authorities|navy|"
    r"coast|people|territory|capital|frontier|positions|militants|fighters|soldiers)\b"
)
_GENERIC = re.compile(
    rf"\b(?:in|near|at|over|around|outside|into|toward|towards|from|targeted|attacked|hit|struck|"
    rf"shelled|bombed|stormed|seized|captured|entered)\s+(?:the\s+)?(?P<name>{NAME})"
)
_MORE = re.compile(rf"(?:\s*,\s*(?:and\s+)?|,?\s+and\s+)(?:the\s+)?(?P<name>{NAME})")
_DEMO = "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True))
_TAIL = re.compile(
    rf",?\s+(?:in|of)\s+(?:the\s+)?{_DIR}?(?:(?P<demo>{_DEMO})\s+)?(?:(?:countryside|province|"
    rf"governorate|region)\s+of\s+)?(?P<name>{NAME})(?:\s+(?:countryside|province|governorate))?"
)
_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
_TAIL_COUNTRY = re.compile(
    rf",\s+{_DIR}?(?P<name>{_COUNTRY_ALT})\b"
)  # "Borno state, northeast Nigeria"


@dataclass(frozen=True)
class Place:
    """A place mention: name as written, kind, admin region/country when stated, evidence span."""

    name: str
    kind: str
    geo_precision: int
    start: int
    end: int
    admin_region: str | None = None
    country: str | None = None


def _demonym_country(word: str | None) -> str | None:
    """The country a demonym names, when the text shows it ("Syrian" -> Syria, not "US" -> ...).

    Grounded or absent: "United States" is not in the words "the American city", so only
    demonyms that spell their country's stem count.
    """
    country = DEMONYMS.get(word or "")
    if country and word and country[:4].lower() == word[:4].lower():
        return country
    return None


def _clean_name(name: str) -> str | None:
    """Drop leading function words and trailing site words; None when no place name is left."""
    toks = name.split()
    while toks and toks[0] in NOT_PLACES and " ".join(toks) not in COUNTRIES:
        toks.pop(0)
    while toks and toks[-1].lower() in ("airport", "base", "field", "crossing", "air"):
        toks.pop()
    cleaned = " ".join(toks)
    if (
        not cleaned
        or cleaned in NOT_PLACES
        or cleaned in DEMONYMS
        or cleaned.split()[0] in ("Zionist", "Zionists")
        or cleaned.split()[-1] in NOT_PLACES
    ):
        return None
    return cleaned


def _split_list(names: str) -> list[str]:
    """The names in a list ("Qasrak and Tell Baidar", "A, B, and C")."""
    parts = re.split(r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", names)
    return [p for p in (_clean_name(x) for x in parts) if p]


def _with_tail(text: str, place: Place, limit: int) -> Place:
    """Fill admin region / country from a trailing "in (the ...) X" and extend the evidence."""
    m = _TAIL.match(text, place.end, limit)
    country = _demonym_country(m.group("demo")) if m else None
    if not m:
        c = _TAIL_COUNTRY.match(text, place.end, limit)
        return replace(place, country=c.group("name"), end=c.end()) if c else place
    name = _clean_name(m.group("name"))
    if name is None:
        return place
    if name in COUNTRIES:
        return replace(place, country=name, end=m.end())
    if name in REGIONS or name == place.name:
        return place
    return replace(place, admin_region=name, country=country or place.country, end=m.end())


def find_places(text: str, start: int, end: int) -> list[Place]:
    """Places mentioned in text[start:end], one per name, the most specific reading kept."""
    found: list[Place] = []
    seg = text[start:end]
    lowercase_text = all_lower(text)

    def add(name: str, kind: str, geo: int, s: int, e: int, **kw: str | None) -> None:
        found.append(_with_tail(text, Place(name, kind, geo, start + s, start + e, **kw), end))

    for m in _SITE.finditer(seg):
        kw = m.group("kw").lower()
        kind = next((v for k, v in _SITE_KINDS.items() if k in kw.split()[-1]), "place")
        for listed in _split_list(m.group("names")):
            if listed not in COUNTRIES:
                add(listed, kind, 1, m.start(), m.end())
    for m in _MEMBERS.finditer(seg):
        kind = next((v for k, v in _SITE_KINDS.items() if k in m.group("kw")), "base")
        for listed in _split_list(m.group("names")):
            if listed not in COUNTRIES:
                add(listed, kind, 1, m.start(), m.end())
    for m in _CONTAINER.finditer(seg):
        for listed in _split_list(m.group("names")):
            if listed not in COUNTRIES and listed not in REGIONS:
                add(listed, "place", 2, m.start(), m.end())
    for m in _COUNTRYSIDE.finditer(seg):
        name = _clean_name(m.group("name") or m.group("name2"))
        if name:
            add(name, "countryside", 2, m.start(), m.end())
    for m in _PROVINCE.finditer(seg):
        name = _clean_name(m.group("name") or m.group("name2"))
        if name:
            demo = _demonym_country(m.group("demo"))
            owner = re.search(r"\b([A-Z][a-z]+)['’]s\s+$", seg[max(0, m.start() - 30) : m.start()])
            if demo is None and owner and owner.group(1) in COUNTRIES:
                demo = owner.group(1)  # "Russia's Bryansk region"
            add(name, "province", 3, m.start(), m.end(), country=demo)
    for m in _TOWN.finditer(seg):
        name = _clean_name(m.group("name"))
        if not name:
            continue
        # "the West Bank city of Jenin", "the Somali capital Mogadishu": the area qualifies it
        area = re.sub(r"^The\s+", "", m.group("area") or "")
        country = _demonym_country(area) or (area if area in COUNTRIES else None)
        admin = area if area in REGIONS else None
        kw = m.group("kw")
        kind = {"city": "city", "capital": "city", "base": "base", "airport": "airport"}.get(
            kw, "town"
        )
        if "camp" in kw:
            kind = "camp"
        add(name, kind, 1, m.start(), m.end(), admin_region=admin, country=country or None)
    for m in _NATURAL.finditer(seg):
        name = _clean_name(m.group("name"))
        if name:
            add(name, "region", 2, m.start(), m.end())
    found.extend(_countries(seg, start, lowercase_text))
    if lowercase_text:  # wire copy without capitals: only the unmistakable constructions
        for m in _LC_PLACE.finditer(seg):
            raw = m.group("name") or m.group("name2")
            name = None if set(raw.split()) & _LC_STOP or _never(raw) else raw
            if name:
                kind = _LC_KIND.get(m.group("kw") or m.group("kw2") or "", "place")
                add(name, kind, 1 if kind in ("town", "city") else 2, m.start(), m.end())
        for name, kind, s, e in _gazetteer_places(seg):
            add(name, kind, 1 if kind == "city" else 2, s, e)
    titled = headline_case(seg)
    for m in _GENERIC.finditer(seg):
        name = _clean_name(m.group("name"))
        if titled or not name or name in COUNTRIES or name in REGIONS:
            continue
        if _ADJECTIVAL.match(seg, m.end("name")):
            continue  # "near the Armenian border": an adjective, not a place
        if re.search(r"\s(?:Oblast|Province|Governorate|Region|District)$", name):
            continue  # read with its kind by the province pattern
        if len(name.split()) <= 3:
            add(name, "place", 1, m.start("name"), m.end("name"))
        # "near Avdiivka and Bakhmut": every name of the list
        pos = m.end("name")
        while more := _MORE.match(seg, pos):
            other = _clean_name(more.group("name"))
            if not other or other in COUNTRIES or other in REGIONS or len(other.split()) > 3:
                break
            add(other, "place", 1, more.start("name"), more.end("name"))
            pos = more.end("name")
    return _dedupe(found)


_LC_TOKEN = re.compile(r"[a-z]+(?:['-][a-z]+)*")
# Before a one-word name, the words that make it a place: "in medellin", "the cities of
# san miguel and usulutan". A longer name ("vina del mar") is a place wherever it stands.
_LC_LOCATIVE = frozenset(word_list("in near at from outside into to toward towards around between"))
# "of" makes a place only after a word for a place or its people ("the mayor of medellin",
# not "the kidnapping of delgado parker")
_LC_OF = frozenset(
    word_list(
        "city cities town towns village villages capital outskirts vicinity suburbs area areas "
        "region department province municipality jurisdiction mayor governor residents people "
        "inhabitants center centre north south east west north-east north-west port"
    )
)


def _never(name: str) -> bool:
    """A lower-case name with a word that is never a place ("administrative", "northern")."""
    return bool(set(name.split()) & never_places())


def _locative_before(
    seg: str, toks: list[re.Match[str]], i: int, found: list[tuple[str, str, int, int]]
) -> bool:
    """Does a word (or a place just found) before token i make a one-word name a place?"""
    if not i or seg[toks[i - 1].end() : toks[i].start()] not in (" ", ", "):
        return False
    prev = toks[i - 1].group(0)
    if prev in _LC_LOCATIVE:
        return True
    if prev == "of":
        return i >= 2 and toks[i - 2].group(0) in _LC_OF
    # "san miguel and usulutan", "san salvador, soyapango": a list of places
    return bool(found) and prev == "and" and 0 <= toks[i - 1].start() - found[-1][3] <= 2


def _gazetteer_places(seg: str) -> list[tuple[str, str, int, int]]:
    """Cities and regions of the world gazetteer in lower-case seg: (name, kind, start, end).

    Looks up each run of up to `MAX_NAME_WORDS` words (longest first) in one pass, so the
    cost is linear in the text. A one-word name counts only after a locative word, since
    many towns share their names with ordinary words.
    """
    places = world_places()
    toks = list(_LC_TOKEN.finditer(seg))
    out: list[tuple[str, str, int, int]] = []
    i = 0
    while i < len(toks):
        found = None
        for n in range(min(MAX_NAME_WORDS, len(toks) - i), 0, -1):
            run = toks[i : i + n]
            if any(seg[a.end() : b.start()] != " " for a, b in pairwise(run)):
                continue
            key = fold(seg[run[0].start() : run[-1].end()])
            kind = places.get(key)
            if kind is None:
                continue
            if n == 1 and not _locative_before(seg, toks, i, out):
                continue
            found = (seg[run[0].start() : run[-1].end()], kind, run[0].start(), run[-1].end(), n)
            break
        if found is None:
            i += 1
            continue
        out.append(found[:4])
        i += found[4]
    return out


_LOCATIVE = re.compile(
    r"(?:\b(?:in|into|across|over|near|to|from|throughout|inside|within|of|both|towards?|around|"
    r"off|outside|along)\s+"
    r"(?:the\s+)?(?:(?:north|south|east|west|central)\w*\s+)?)$",
    re.I,
)


@lru_cache(maxsize=2)
def _country_pattern(lowercase_text: bool) -> re.Pattern[str]:
    """Every country and region name in one pattern, longest first, so one pass finds them."""
    names = sorted({*COUNTRIES, *REGIONS}, key=lambda n: (-len(n), n))
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I if lowercase_text else 0)


def _countries(seg: str, offset: int, lowercase_text: bool) -> list[Place]:
    """Countries and regions used as places ("in Syria", "Iraq and Syria"), not as actors."""
    out: list[Place] = []
    last_end = -100
    hits = [
        (m.start(), m.end(), "country" if m.group(0) in COUNTRIES else "region")
        for m in _country_pattern(lowercase_text).finditer(seg)
    ]
    if lowercase_text:
        lower = {n.lower() for n in COUNTRIES}
        hits = [(s, e, "country" if seg[s:e].lower() in lower else "region") for s, e, _ in hits]
    for s, e, kind in hits:
        before = seg[max(0, s - 40) : s]
        chained = s - last_end <= 6 and re.search(r"(?:,|\band)\s*$", before)
        if _LOCATIVE.search(before) or chained:
            last_end = e
            out.append(
                Place(
                    seg[s:e],
                    kind,
                    3,
                    offset + s,
                    offset + e,
                    country=seg[s:e] if kind == "country" else None,
                )
            )
    return out


_RANK = {
    "base": 0,
    "airport": 0,
    "oil_field": 0,
    "crossing": 0,
    "facility": 0,
    "camp": 0,
    "embassy": 0,
    "port": 0,
    "checkpoint": 0,
    "town": 1,
    "city": 1,
    "region": 2,
    "countryside": 3,
    "province": 4,
    "country": 5,
    "place": 6,
}


def _dedupe(found: list[Place]) -> list[Place]:
    """One place per name: keep the most specific kind, merge admin region and country."""
    best: dict[str, Place] = {}
    for p in found:
        key = p.name.lower()
        if p.name.endswith("Strip") and p.name[: -len(" Strip")].lower() in best:
            continue
        old = best.get(key)
        if old is None or _RANK.get(p.kind, 6) < _RANK.get(old.kind, 6):
            merged = p
            if old is not None:
                merged = replace(
                    p,
                    admin_region=p.admin_region or old.admin_region,
                    country=p.country or old.country,
                )
            best[key] = merged
        else:
            best[key] = replace(
                old,
                admin_region=old.admin_region or p.admin_region,
                country=old.country or p.country,
            )
    # a name that is only another place's admin region or country adds nothing new
    return sorted(best.values(), key=lambda p: (p.start, p.name))
