"""One neutral, grammatical sentence per incident, built only from its grounded fields.

"Armed factions claimed 11 operations against US bases in Iraq and Syria on Friday
(2023-12-08)." Who (neutral names), what (the event kind, its count), against whom,
where, when (the date as written, then resolved), the toll and who says so: every
piece comes from a field of the record, and the sentence goes through the framing
lexicon once more, so no loaded term and no new fact enters it.
"""

from __future__ import annotations

import re

from summarizer.framing import neutral_phrase
from summarizer.offline.gazetteer import DEMONYMS
from summarizer.offline.numbers import parse_number
from summarizer.records import (
    Actor,
    CasualtyCount,
    EventDate,
    EventStatus,
    EventType,
    IncidentRecord,
    Location,
    Quantity,
)

_T = EventType
# The event as a noun phrase, singular, when nothing more specific is known.
_NOUN = {
    _T.attack: "an attack",
    _T.air_or_drone_strike: "an air or drone strike",
    _T.shelling_or_missile: "a rocket, missile or shelling attack",
    _T.armed_clash: "armed clashes",
    _T.bombing: "a bombing",
    _T.abduction: "an abduction",
    _T.arson_or_destruction: "an arson or destruction of property",
    _T.protest: "a protest",
    _T.riot: "a riot",
    _T.interception: "an interception",
    _T.military_exercise: "a military exercise",
    _T.deployment_or_reinforcement: "a deployment or reinforcement",
    _T.arrest_or_capture: "an arrest or capture",
    _T.threat_or_statement: "a statement",
    _T.other: "military activity",
}
# What the means say about a strike or a shelling, when they are all of one kind.
_BY_MEANS = {
    (_T.air_or_drone_strike, "drone"): "a drone strike",
    (_T.air_or_drone_strike, "aircraft"): "an air strike",
    (_T.air_or_drone_strike, "helicopter"): "an air strike",
    (_T.shelling_or_missile, "rocket"): "a rocket attack",
    (_T.shelling_or_missile, "missile"): "a missile attack",
    (_T.shelling_or_missile, "artillery"): "shelling",
}
_EVENT_UNITS = re.compile(
    r"(?:attacks|operations|strikes|air\s*strikes|raids|assaults|ambushes|bombings|clashes|"
    r"exercises|drills|manoeuvres|maneuvers|waves|batches|sorties|incidents)$",
    re.I,
)
_OBJECT_UNITS = re.compile(
    r"(?:targets|sites|positions|facilities|buildings|launch\s+sites)$", re.I
)
_TIMES = re.compile(r"^(?:times|occasions)$", re.I)
_AREA_KINDS = ("country", "region", "province", "countryside", "place")
_DAY_OR_DATE = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d)"
)
_MONTH_ONLY = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?:\s+\d{4})?$"
)
# Singular common heads that read as a proper noun phrase with "the" ("the Israeli army").
_THE_HEADS = re.compile(
    r"(?:army|military|coalition|government|ministry|resistance|staff|police|navy|administration|"
    r"movement|front|group|force|council|command|corps|guard|militia|state|states|"
    r"department|pentagon|base|building|camp|convoy|patrol|embassy|house|hospital)$",
    re.I,
)
_COMMON_LEADS = frozenset(
    ["security", "armed", "local", "government", "military", "police", "army", "soldiers", "troops"]
)
_ARREST_VERB = re.compile(
    r"\b(arrested|captured|detained|kidnapped|abducted|seized\s+control\s+of|took\s+control\s+of)\b",
    re.I,
)


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_THE_NAMES = re.compile(
    r"^(?:IDF|US|U\.S\.|UN|SDF|EU|RSF|Pentagon|Kremlin|Taliban|Houthis)$|\b(?:Resistance|Coalition|Army|Ministry|Staff|"
    r"Guards?|Corps|Front|Movement|Council|Command|Strip|Heights|Bank|River|Valley|Desert|"
    r"Mountains|Sea|Gulf)\b"
)


def _np(name: str, *, start: bool = False) -> str:
    """A name ready for a sentence: 'the' before a singular common head ('the Israeli army')."""
    if re.match(r"(?i:the|a|an)\s", name):
        return name if start else name[:1].lower() + name[1:]
    if re.search(r"['’]s\b", name):
        return name  # "Russia's defence ministry"
    common = name.split()[0].lower() in _COMMON_LEADS  # "Police" at its sentence start
    if _THE_NAMES.search(name) or (_THE_HEADS.search(name) and not name.isupper()):
        return ("The " if start else "the ") + (name[:1].lower() + name[1:] if common else name)
    if name.islower() and not name.endswith("s") and not name[:1].isdigit():
        return ("The " if start else "the ") + name  # "the third floor"
    if start or not name[:1].isupper() or len(name) < 2:
        return name
    if common:
        return name[:1].lower() + name[1:]  # a description capitalised at its sentence start
    return name


def _actors(actors: list[Actor], *, start: bool = False) -> str:
    names: list[str] = []
    for a in actors[:2]:
        if a.neutral_name.lower() not in (n.lower() for n in names):
            names.append(a.neutral_name)
    return _join([_np(n, start=start and i == 0) for i, n in enumerate(names)])


def _places(locs: list[Location], *, statement: bool = False) -> str:
    """'at Qasrak and Tell Baidar in al-Hasakah and Syria', most specific first."""
    sites = [loc.name for loc in locs if loc.kind not in _AREA_KINDS][:3]
    towns = all(loc.kind in ("town", "city") for loc in locs if loc.kind not in _AREA_KINDS)
    areas = [loc.name for loc in locs if loc.kind in _AREA_KINDS]
    for loc in locs:  # a site's stated country or region, when not named on its own
        for extra in (loc.admin_region, loc.country):
            if extra and extra not in areas and extra not in sites:
                areas.append(extra)
    areas = [a for a in areas if a not in sites]
    within = {loc.name: loc.country for loc in locs if loc.kind in _AREA_KINDS and loc.country}
    for name, country in within.items():  # "in Bryansk, Russia"
        if name in areas and country in areas and country != name:
            areas.remove(country)
            areas[areas.index(name)] = f"{name}, {country}"
    areas = areas[:3]
    parts = []
    if sites:
        lead = "concerning " if statement else "in " if towns else "at "
        parts.append(lead + _join([_np(x) for x in sites]))
    if areas:
        if sites and towns and not statement:  # "in Khiam, Lebanon"
            return parts[0] + ", " + _join([_np(a) for a in areas])
        lead = "concerning " if statement and not sites else "in "
        parts.append(lead + _join([_np(a) for a in areas]))
    return " ".join(parts)


def _when(d: EventDate | None) -> str:
    """'on Friday (2023-12-08)', 'since October 18 (2023-10-18)', 'next week (2023-08-21)'."""
    if d is None:
        return ""
    words = " ".join(d.text.split()).strip(" ,.")
    if _DAY_OR_DATE.match(words):
        words = "on " + words
    elif _MONTH_ONLY.match(words):
        words = "in " + words
    elif words[:1].isupper() and not re.match(r"[A-Z][a-z]+\s+\d", words):
        words = words[:1].lower() + words[1:]
    resolved = d.value if not d.end else f"{d.value} to {d.end}"
    if resolved in words:
        return words
    return f"{words} ({resolved})"


def _figure(c: CasualtyCount) -> str:
    """'at least 12', 'between 10 and 15', 'about 30', 'up to 5', '3'."""
    if c.low is not None and c.high is not None and c.low != c.high:
        return f"between {c.low} and {c.high}"
    if c.low is not None and c.high is not None:
        return str(c.low)
    if c.low is not None:
        return f"at least {c.low}"
    if c.best is not None:
        return f"about {c.best}"
    if c.high is not None:
        return f"up to {c.high}"
    return ""


def _toll(rec: IncidentRecord) -> str:
    """', killing at least 12 people and injuring 30 others' (or reported, for a claim)."""
    parts: list[tuple[str, str]] = []
    for c, verb in ((rec.casualties.killed, "killed"), (rec.casualties.injured, "injured")):
        if c is None:
            continue
        fig = _figure(c)
        who = (c.who or "").strip()
        if not fig:
            phrase = c.text if c.text.lower().endswith(who.lower()) else who or "people"
        else:
            phrase = f"{fig} {who or ('person' if fig == '1' else 'people')}"
        parts.append((phrase, verb))
    if not parts:
        return ", with no casualties reported" if rec.casualties.none_reported else ""
    if rec.status == EventStatus.occurred:
        ing = {"killed": "killing", "injured": "injuring"}
        return ", " + _join([f"{ing[v]} {p}" for p, v in parts])
    return ", with " + _join([f"{p} reported {v}" for p, v in parts])


def _written(rec: IncidentRecord, q: Quantity) -> str:
    """A count with its unit, without the initiator's own name ("14 Russian assaults" by Russia)."""
    unit = q.unit.strip()
    text = q.text if unit.lower() in q.text.lower() else f"{q.text} {unit}"
    for a in rec.initiators:
        if a.name in DEMONYMS:
            text = re.sub(rf"\s{re.escape(a.name)}(?=\s)", "", text)
    return text


def _event_phrase(rec: IncidentRecord) -> tuple[str, str, Quantity | None]:
    """The event as a noun phrase, a trailing count ("about 85 times"), and the count used."""
    noun = _NOUN[rec.event_type]
    cats = {m.category for m in rec.means}
    if len(cats) == 1:
        noun = _BY_MEANS.get((rec.event_type, next(iter(cats))), noun)
    if rec.event_type == EventType.threat_or_statement:
        noun = {
            EventStatus.threatened: "a threat or warning",
            EventStatus.denied: "a statement denying an action",
        }.get(rec.status, noun)
        return noun, "", None
    for q in rec.quantities:
        unit = q.unit.strip()
        written = _written(rec, q)
        if _TIMES.match(unit):
            kind = noun.split(" ", 1)[1] if noun.startswith(("a ", "an ")) else noun
            return _plural(kind), written, q
        if _EVENT_UNITS.search(unit):
            return written, "", q
        if _OBJECT_UNITS.search(unit):
            kind = noun.split(" ", 1)[1] if noun.startswith(("a ", "an ")) else noun
            return f"{_plural(kind)} on {written}", "", q
    return noun, "", None


def _plural(noun: str) -> str:
    if noun.endswith(("strike", "attack", "raid")):
        return noun + "s"
    return noun


_PEOPLE_UNIT = re.compile(
    r"(?:personnel|soldiers|troops|people|civilians|fighters|factions|members|militants|forces|"
    r"patients|residents|children|women|men|workers|others)$",
    re.I,
)
_ATTACKS = (EventType.attack, EventType.air_or_drone_strike, EventType.shelling_or_missile)


def _object(rec: IncidentRecord, used: Quantity | None) -> str:
    """A count that is no event ('22 batches of weapons', '20 Russian soldiers')."""
    named = [a.neutral_name.lower() for a in rec.initiators + rec.targets] + [
        c.who.lower()
        for c in (rec.casualties.killed, rec.casualties.injured)
        if c is not None and c.who
    ]
    for q in rec.quantities:
        if q is used or re.match(r"(?i:this|that|the)\s", q.text):
            continue  # "this batch is the fourth": an ordinal, not a count of things
        unit = q.unit.strip()
        if _TIMES.match(unit) or _EVENT_UNITS.search(unit) or _OBJECT_UNITS.search(unit):
            continue
        if any(unit.lower() in n or n in unit.lower() for n in named):
            continue  # "five Iraqi armed factions" already named as a side
        if rec.event_type in _ATTACKS and _PEOPLE_UNIT.search(unit):
            continue  # people in an attack are its toll or its sides, told elsewhere
        written = _written(rec, q)
        first = written.split(" ", 1)[0]
        # a count capitalised at its sentence start ("Three rockets", "A batch") reads lower-case
        # mid-sentence; a name ("Kataib Hezbollah") keeps its capital
        lead = first.lower() in {"a", "an"} or parse_number(first.lower()) is not None
        return written[:1].lower() + written[1:] if lead else written
    return ""


def describe(rec: IncidentRecord) -> str:
    """A plain, neutral, one-sentence description built only from the record's own fields."""
    et = rec.event_type
    subject = _actors(rec.initiators, start=True)
    noun, times, used = _event_phrase(rec)
    obj = _object(rec, used)
    told = f"{noun} {obj}".lower()  # "strikes on several launch sites": not again as a target
    targets = _actors([a for a in rec.targets if a.neutral_name.lower() not in told])
    against = f" against {targets}" if targets else ""
    speakers = {a.name.lower() for a in rec.initiators} | {
        a.neutral_name.lower() for a in rec.initiators
    }
    src = rec.attribution[0].source if rec.attribution else None
    own_word = src is None or _bare(src) in {_bare(x) for x in speakers}
    if et == EventType.threat_or_statement:
        who = subject or "A party"
        core = f"{who} issued {noun}"
        where = _places(rec.locations, statement=True)
    else:
        where = _places(rec.locations)
        core = _core(rec, subject, noun, obj, against, own_word)
    parts = [core, where, times, _when(rec.date)]
    sentence = " ".join(p for p in parts if p)
    if obj and et not in _SUBJECT_OBJECT:
        sentence += f", involving {obj}"
    sentence += _toll(rec)
    if src and not own_word and not core.startswith(_np(src, start=True)):
        sentence += f", according to {_np(src)}"
    sentence = neutral_phrase(sentence.strip())
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence.rstrip(".") + "."


_SUBJECT_OBJECT = (EventType.arrest_or_capture, EventType.deployment_or_reinforcement)


def _bare(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower())


def _core(
    rec: IncidentRecord, subject: str, noun: str, obj: str, against: str, own_word: bool
) -> str:
    """Subject, verb and object for the event kind and how real it is."""
    et, status = rec.event_type, rec.status
    with_obj = ""
    if status == EventStatus.claimed and subject and not own_word:
        status = EventStatus.occurred  # another party's claim: "..., according to <source>"
    if et == EventType.arrest_or_capture:
        m = next(
            (_ARREST_VERB.search(e.quote) for e in rec.evidence if _ARREST_VERB.search(e.quote)),
            None,
        )
        verb = m.group(1).lower() if m else "arrested or captured"
        whom = obj or (against[len(" against ") :] if against else "")
        if status == EventStatus.denied:
            return f"{subject or 'A party'} denied an arrest or capture" + (
                f" of {whom}" if whom else ""
            )
        if status == EventStatus.planned:
            return f"{subject or 'A party'} planned an arrest or capture" + (
                f" of {whom}" if whom else ""
            )
        if subject:
            lead = (
                f"{subject} claimed to have {verb}"
                if status == EventStatus.claimed
                else f"{subject} {verb}"
            )
            return f"{lead} {whom}".rstrip() if whom else f"{subject} carried out {noun}"
        if whom:
            return f"{_cap(whom)} {'was' if whom.endswith(('one', '1')) else 'were'} {verb}"
        return f"{noun[:1].upper() + noun[1:]} took place"
    if et == EventType.deployment_or_reinforcement and obj and status == EventStatus.occurred:
        return f"{subject} deployed {obj}" if subject else f"{_cap(obj)} were deployed"
    if et == EventType.deployment_or_reinforcement and subject and status == EventStatus.occurred:
        return f"{subject} carried out {noun}"
    if et == EventType.military_exercise:
        held = {"planned": "plans", "denied": "denied holding"}.get(status.value, "held")
        if subject:
            return f"{subject} {held} {noun}{with_obj}"
        return {
            "planned": f"{noun[:1].upper() + noun[1:]} is planned{with_obj}",
        }.get(status.value, f"{noun[:1].upper() + noun[1:]} was held{with_obj}")
    if et == EventType.armed_clash:
        if subject and against:
            return f"{subject} clashed with{against[len(' against') :]}{with_obj}"
        if subject:
            return f"{subject} took part in armed clashes{with_obj}"
        return f"Armed clashes took place{with_obj}"
    tail = f"{against}{with_obj}"
    if status == EventStatus.claimed:
        return f"{subject} claimed {noun}{tail}" if subject else f"{_cap(noun)}{tail} was claimed"
    if status == EventStatus.denied:
        if subject:
            return f"{subject} denied carrying out {noun}{tail}"
        src = rec.attribution[0].source if rec.attribution else "A party"
        return f"{_np(src, start=True)} denied {noun}{tail}"
    if status == EventStatus.planned:
        return f"{subject} plans {noun}{tail}" if subject else f"{_cap(noun)}{tail} is planned"
    if status == EventStatus.threatened:
        return (
            f"{subject} threatened {noun}{tail}"
            if subject
            else f"{_cap(noun)}{tail} was threatened"
        )
    if subject:
        return f"{subject} carried out {noun}{tail}"
    if against:
        return f"{_cap(noun)} targeted{against[len(' against') :]}{with_obj}"
    return f"{_cap(noun)} took place{with_obj}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]
