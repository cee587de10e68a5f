"""Actors: who acted and who was acted on, with a neutral name.

Two shapes are recognised, both general: named organisations (capitalised
names ending in an organisational word: "Iraqi Hezbollah Brigades",
"International Coalition", "Islamic Resistance in Iraq") and descriptive
groups ("US occupation forces", "Iranian-backed forces", "resistance factions",
"guerrillas"). The neutral name comes from `summarizer.framing`, so the same
lexicon decides what is loaded everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizer.framing import neutral_phrase
from summarizer.lexicons import table, words
from summarizer.offline.events import Trigger, find_triggers
from summarizer.offline.gazetteer import COUNTRIES, DEMONYMS
from summarizer.offline.reporting import REPORTING
from summarizer.offline.text import Sentence, all_lower, headline_case, word_list
from summarizer.records import ActorKind

_NAT = (
    r"(?:US|U\.S\.|UN|NATO|[A-Z][A-Za-z]+-(?:backed|led|aligned|allied|based)|"
    r"Zionist(?:\s+(?:enemy|occupation))?(?:['’]s)?|Houthi|Islamist|[Jj]ihadist|Shiite|Sunni|Baloch|"
    r"Tuareg|Fulani|Rohingya|"
    + "|".join(
        re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True) if d not in ("US", "U.S.")
    )
    + ")"
)
_MOD = (
    r"(?i:occupation|resistance|coalition|armed|military|government|security|special|ground|regime|"
    r"terrorist|militia|naval|air|army|rebel|guerrilla|paramilitary|opposition|urban|enemy|death|"
    r"commando|uniformed|masked|heavily\s+armed|paid|(?:pro|anti)-\w+)"
)
_HEAD = (
    r"(?i:forces|troops|soldiers|army|military|factions?|militants|guerrillas|guerrilla\s+column|rebels|"
    r"fighters|militias?|personnel|coalition|police(?:men)?|gunmen|insurgents|terrorists|"
    r"groups?|officials|government|administration|marines|commandos|squads?|patrols?|"
    r"delegation|diplomats|Americans|civilians|peasants|residents|drug\s+traffickers|men|units|"
    r"individuals|assassins?|criminals|gunman|bandits|kidnappers|attackers|militiamen|terrorist)"
)
_AIR_HEAD = r"(?i:warplanes|jets|fighter\s+jets|aircraft|helicopters|drones|gunboats|warships|navy)"
_TARGET_HEAD = (
    r"(?i:bases?|convoys?|positions|sites|embassy|headquarters|outposts?|installations?|"
    r"vehicles?|facilities)"
)
_DESCRIPTIVE = re.compile(
    rf"\b(?:(?P<nat>{_NAT})\s+)?(?P<mods>(?:{_MOD}\s+){{0,3}})(?:(?P<head>{_HEAD})|(?P<air>{_AIR_HEAD})|(?P<thead>{_TARGET_HEAD}))\b"
    r"(?!\s+(?:officials?|spokes\w+|sources?|commanders?|chief|leaders?|statement|analysts?)\b)"
)
_TOK = r"(?:(?:al|el)-)?[A-Z]\w*(?:-[A-Za-z]\w*)*"
_ORG_HEAD = (
    r"(?:Resistance|Brigades?|Coalition|Forces|Army|Front|Movement|Units|Guards?|Corps|Hezbollah|"
    r"Hamas|ISIS|ISIL|Daesh|SDF|IDF|IRI|Pentagon|CENTCOM|Houthis|Taliban|Command|Militia|Party|"
    r"Council|Police|Ministry(?:\s+of\s+[A-Z]\w+)?|Quds\s+Force|Islamic\s+State|Ansar\s+Allah|"
    r"White\s+House|State\s+Department)"
)
_COUNTRY = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
_ORG = re.compile(
    rf"(?:\b[Tt]he\s+)?\b(?P<name>(?:{_TOK}\s+){{0,5}}?{_ORG_HEAD}(?:\s+{_ORG_HEAD})*(?:\s+(?:in|of)\s+(?:the\s+)?(?:{_COUNTRY}))?)\b"
    r"(?!\s+(?:[Oo]fficials?|[Ss]pokes\w+|[Cc]ommanders?|[Cc]hief|[Ll]eaders?|[Ss]tatement)\b)"
)
_STATE = re.compile(
    r"\b(?:the\s+)?(?:United\s+States|Washington)\b|\bthe\s+(?:US|U\.S\.)(?![\w-])"
    # "the US" alone, not "the US destroyer": only before punctuation or a non-noun
    r"(?=\s*[,.;:)]|\s+(?:has|have|had|is|was|were|will|would|and|or|in|to|of|on|for|from|with|"
    r"by|around|over|after|since|as|that|which|who|\w+ed)\b)"
)
# A country acting: "Russia launched", "Israel struck" (not "in Syria").
_COUNTRY_ACTOR = re.compile(
    rf"(?<!\bin\s)(?<!\bto\s)(?<!\bof\s)\b(?:{_COUNTRY})(?=(?:\s+and\s+(?:{_COUNTRY}))?\s+"
    r"(?:has\s+|have\s+|had\s+|will\s+|plans\s+to\s+|is\s+set\s+to\s+)?(?:launched|fired|attacked|"
    r"struck|bombed|shelled|targeted|sent|deployed|carried|conducted|killed|hit|seized|captured|"
    r"invaded|downed|shot|began|held|staged|started|hold|stage|conduct|launch|deploy|send|"
    r"begin|start)\b)"
)
# "An Israeli air strike", "14 Russian assaults": the adjective names who struck.
_ATTRIBUTIVE = re.compile(
    rf"\b(?P<nat>{_NAT})(?=\s+(?:(?:air|drone|missile|rocket|artillery|ground|military|naval|"
    r"cruise\s+missile|ballistic\s+missile)\s+)?(?:strikes?|airstrikes?|attacks?|assaults?|raids?|"
    r"bombardments?|shelling|barrages?|offensive)\b)"
)
_STATE_HEAD = re.compile(r"(?i:army|military|forces|troops|soldiers|navy|air\s+force)$")
_NOT_ACTOR_LEAD = frozenset(
    ["The", "This", "That", "These", "In", "On", "At", "For", "And", "But", "As", "After", "Since"]
)


# Text without capitals: organisations by their head word, and acronyms the text defines.
_LC_ORG_HEADS = frozenset(words("org_heads"))
_LC_NAME_STOP = (
    frozenset(words("function_words"))
    | frozenset(words("name_stopwords"))
    | frozenset(table("number_words"))
)
_LC_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’.-]*")
_LC_VERBISH = re.compile(r"[a-z]{3,}(?:ed|ing)$")
_LC_KEEP = frozenset(["armed", "united"])  # "revolutionary armed forces", "united self-defense"
_DEFINED = re.compile(r"\s*[(\[]\s*(?P<inner>[a-z][a-z0-9' .,-]{1,60}?)\s*[)\]]")


_LC_NOT_PARTY_AFTER = re.compile(
    r"['’]?s?\s+(?:officials?|spokes\w+|sources?|commanders?|chiefs?|leaders?|statement|"
    r"communiques?|members?\s+(?:said|told)|press|operations|headquarters|radio)\b"
)
# "leader of the mnr", "president of the csuca": a person's body, not who acted
_LC_AFFILIATION = re.compile(
    r"\b(?:leader|president|rector|head|director|chairman|secretary|founder|candidate|"
    r"spokesman|spokeswoman|member|representative|official)\s+of\s+(?:the\s+)?$"
)


def _name_word(tok: str) -> bool:
    """A word that may stand inside a lower-case name (not a function word or a verb form)."""
    return (
        (tok not in _LC_NAME_STOP and not tok[0].isdigit())
        or bool(re.fullmatch(r"\d+(?:st|nd|rd|th)", tok))
    ) and (tok in _LC_KEEP or not _LC_VERBISH.match(tok))


def _initials_cover(acronym: str, name: str) -> bool:
    """Does the name spell the acronym's letters, in any order? (Spanish acronyms keep
    their own word order: "guatemalan national revolutionary unity (urng)".)"""
    initials = [w[0] for w in name.split() if w not in ("of", "the", "and", "de", "del", "la")]
    letters = [c for c in acronym if c.isalpha()]
    missing = sum(1 for c in set(letters) if c not in initials)
    return len(letters) >= 2 and missing <= (1 if len(letters) >= 4 else 0)


@lru_cache(maxsize=4)
def defined_acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """(acronym, name) pairs a lower-case text defines: "the farabundo marti national
    liberation front (fmln)", "eta (basque fatherland and liberty)". Read once per text."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        inner = " ".join(m.group("inner").replace(",", " ").split())
        before = list(_LC_TOKEN.finditer(text, max(0, m.start() - 120), m.start()))
        if " " not in inner:  # "... front (fmln)": the name is the words before
            acr = inner.replace(".", "")
            toks = [t.group(0) for t in before]
            name: list[str] = []
            while toks and (_name_word(toks[-1]) or toks[-1] in ("of", "and")) and len(name) < 8:
                name.insert(0, toks.pop())
                if _initials_cover(acr, " ".join(name)) and (not toks or toks[-1][0] not in acr):
                    break
            while name and name[0] in ("of", "and"):
                name.pop(0)
            if (
                name
                and acr.isalpha()
                and len(acr) >= 3
                and acr not in _LC_NAME_STOP
                and _initials_cover(acr, " ".join(name))
            ):
                out.setdefault(acr, " ".join(name))
        elif before and _initials_cover(before[-1].group(0), inner):
            acr = before[-1].group(0)  # "arena (nationalist republican alliance)"
            if acr.isalpha() and 3 <= len(acr) <= 8 and acr not in _LC_NAME_STOP:
                out.setdefault(acr, inner)
    return tuple(out.items())


def _lowercase_orgs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of organisations in lower-case text[start:end]: a name ending in an
    organisation word ("the manuel rodriguez patriotic front", "the medellin cartel"),
    and every use of an acronym or name the text defines."""
    toks = list(_LC_TOKEN.finditer(text, start, end))
    out: list[tuple[int, int]] = []
    for i, t in enumerate(toks):
        if t.group(0) not in _LC_ORG_HEADS:
            continue
        j = i
        while j > 0 and i - j < 5 and text[toks[j - 1].end() : toks[j].start()] == " ":
            if not _name_word(toks[j - 1].group(0)):
                break
            j -= 1
        if j == i:
            continue  # "the army" alone is a descriptive actor, not a name
        if _LC_NOT_PARTY_AFTER.match(text, t.end()) or _LC_AFFILIATION.search(
            text, max(start, toks[j].start() - 40), toks[j].start()
        ):
            continue  # "armed forces spokesman", "leader of the national revolutionary movement"
        e = t.end()
        of = re.match(r"\s+of\s+(?:the\s+)?((?:[a-z][a-z'-]*\s+){0,2}[a-z][a-z'-]*)", text[e:end])
        if of and all(_name_word(w) for w in of.group(1).split()):
            e += of.end()  # "the army of national liberation"
        out.append((toks[j].start(), _with_acronym(text, e, end)))
    for acr, name in defined_acronyms(text):
        for word in {acr, name}:
            for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text[start:end]):
                out.append((start + m.start(), _with_acronym(text, start + m.end(), end)))
    return out


_TITLES = {k: ActorKind(v) for k, v in table("person_titles").items()}


def lowercase_people(text: str, start: int, end: int) -> list[ActorMention]:
    """People in lower-case text[start:end], found by the title before their name
    ("colonel rene emilio ponce", "candidate bernardo jaramillo ossa"): the title and
    the one to four name words after it, the title's kind (lexicons/person_titles.txt)."""
    toks = list(_LC_TOKEN.finditer(text, start, end))
    out: list[ActorMention] = []
    i = 0
    while i < len(toks):
        kind = _TITLES.get(toks[i].group(0).rstrip("."))
        if kind is None:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(toks)
            and j - i < 4
            and text[toks[j].end() : toks[j + 1].start()] == " "
            and _name_word(toks[j + 1].group(0))
            and toks[j + 1].group(0) not in _LC_ORG_HEADS
            and toks[j + 1].group(0).rstrip(".") not in _TITLES
        ):
            j += 1
        if j - i >= 2 or (j - i == 1 and len(toks[j].group(0)) >= 4):
            s, e = toks[i].start(), toks[j].end()
            name = text[s:e].rstrip(".")
            out.append(ActorMention(name, name, kind, s, s + len(name), False, person=True))
        i = j + 1
    return out


def _with_acronym(text: str, e: int, end: int) -> int:
    """The end of a name, past the acronym or gloss in brackets right after it ("(fmln)")."""
    m = _DEFINED.match(text, e, end)
    return m.end() if m and len(m.group("inner").split()) <= 6 else e


@dataclass(frozen=True)
class ActorMention:
    """An actor in the text: the words as written, where, its kind and neutral name."""

    name: str
    neutral: str
    kind: ActorKind
    start: int
    end: int
    target_only: bool
    person: bool = False  # found by a title: acts only where the text says so outright


def _kind(name: str) -> ActorKind:
    """The sort of actor a name denotes, from its head words."""
    low = name.lower()
    first = re.sub(r"^(?:the|an?)\s+", "", name, flags=re.I).split()[:1]
    if (
        _STATE_HEAD.search(name)
        and first
        and re.match(r"Zionist|Israeli|Russian|Ukrainian", first[0])
    ):
        return ActorKind.state_military  # "the Zionist enemy's terrorist army" is a state's army
    if re.search(r"civilians|peasants|residents|people", low):
        return ActorKind.civilians
    if "coalition" in low:
        return ActorKind.coalition
    if re.search(
        r"resistance|faction|militant|guerrilla|rebel|fighters|militia|gunm[ae]n|insurgent|"
        r"terrorist|attacker|assassin|criminal|bandit|kidnapper|armed\s+men|squads?\b|paramilitar|"
        r"hezbollah|hamas|isis|isil|daesh|brigade|front|movement|mobilization|houthi|taliban|"
        r"ansar allah|islamic state|traffickers|groups?\b|\biri\b|-backed|cartel|\bcells?\b|"
        r"commandos?\b",
        low,
    ):
        return ActorKind.non_state_armed_group
    if re.search(
        r"united states|washington|government|administration|official|ministry|white house|"
        r"state department|delegation|diplomat|council",
        low,
    ):
        return ActorKind.government_or_official
    return ActorKind.state_military


def _demonym_stem(word: str) -> bool:
    """True when a demonym spells its country's stem ("Israeli" -> Israel, not "Dutch")."""
    return DEMONYMS.get(word, "")[:4].lower() == word[:4].lower()


@lru_cache(maxsize=4096)
def neutral_name(name: str) -> str:
    """The name without loaded words or leading article ("US occupation forces" -> "US forces")."""
    neutral = neutral_phrase(name)
    neutral = re.sub(r"^(?:the|The)\s+", "", neutral)
    neutral = neutral.replace("U.S.", "US")
    return neutral or name


def find_actors(text: str, start: int, end: int) -> list[ActorMention]:
    """Actors in text[start:end], longest reading first where readings overlap."""
    lowercase_text = all_lower(text)
    cands: list[tuple[int, int, bool]] = []
    flags = re.I if lowercase_text else 0
    for m in re.compile(_DESCRIPTIVE.pattern, flags).finditer(text, start, end):
        nat = m.group("nat")
        if lowercase_text and nat and nat.lower() == "us":
            continue
        if m.group("air") and not nat:
            continue  # "warplanes" alone are means; "Israeli warplanes" are an actor
        if not (nat or m.group("mods").strip()) and not re.fullmatch(
            r"guerrillas|rebels|militants|gunmen|insurgents|terrorists|soldiers|troops|police(?:men)?|"
            r"civilians|peasants|marines|commandos|drug\s+traffickers|guerrilla\s+column|army|"
            r"terrorist|assassins?|criminals|gunman|bandits|kidnappers|attackers|militiamen",
            (m.group("head") or m.group("air") or m.group("thead")).lower(),
        ):
            continue
        cands.append((m.start(), m.end(), m.group("thead") is not None))
    people: dict[int, ActorMention] = {}
    if lowercase_text:
        cands.extend((a, b, False) for a, b in _lowercase_orgs(text, start, end))
        for p in lowercase_people(text, start, end):
            people[p.start] = p
            cands.append((p.start, p.end, False))
    if not lowercase_text and not headline_case(text[start:end]):
        for m in _ORG.finditer(text, start, end):
            s = m.start("name")
            words = m.group("name").split()
            while words and words[0] in _NOT_ACTOR_LEAD:
                s += len(words[0]) + 1
                words.pop(0)
            if words:
                cands.append(
                    (
                        m.start() if text[m.start() : s].lower().startswith("the") else s,
                        m.end(),
                        False,
                    )
                )
        for m in _STATE.finditer(text, start, end):
            cands.append((m.start(), m.end(), False))
        for m in _COUNTRY_ACTOR.finditer(text, start, end):
            cands.append((m.start(), m.end(), False))
        for m in _ATTRIBUTIVE.finditer(text, start, end):
            cands.append((m.start(), m.end(), False))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    out: list[ActorMention] = []
    last_end = -1
    for s, e, target_only in cands:
        if s < last_end:
            continue
        last_end = e
        name = text[s:e]
        if s in people and people[s].end == e:
            out.append(people[s])
            continue
        if name in DEMONYMS and _demonym_stem(name):  # "Israeli" (air strike) -> Israel
            out.append(ActorMention(name, DEMONYMS[name], ActorKind.state_military, s, e, False))
            continue
        out.append(ActorMention(name, neutral_name(name), _kind(name), s, e, target_only))
    return out


_OBJECT_VERB = re.compile(
    r"\b(?:attacked|attacking|bombed|burned|burnt|dynamited|destroyed|damaged|targeted|targeting|"
    r"raided|ambushed|stormed|shelled|struck|hit|kidnapped|abducted|assassinated|murdered|"
    r"killed|wounded|injured|machinegunned|machine-gunned|executed|massacred|"
    r"set\s+fire\s+to|blew\s+up|opened\s+fire\s+on|fired\s+(?:on|at)|"
    # the act as a noun: "the assassination of X", "an attack on X"
    r"(?:assassination|murder|killing|kidnapping|abduction|massacre|execution|bombing|burning|"
    r"dynamiting|destruction)s?\s+of|"
    r"(?:attacks?|assaults?|raids?)\s+(?:on|against))\s+",
    re.I,
)
_NUMBER_WORDS = "|".join(sorted(table("number_words"), key=len, reverse=True))
_OBJECT_SKIP = re.compile(
    rf"(?:(?:the|a|an|its|their|his|her|several|some|another|other|more\s+than|at\s+least|"
    rf"about|nearly|almost|up\s+to|approximately|{_NUMBER_WORDS}|\d[\d,]*|"
    r"(?:a\s+)?(?:number|dozens|hundreds|scores|variety|series)\s+of)\s+)*",
    re.I,
)
_OBJECT_STOP = frozenset(
    word_list(
        "in on at near with by from for during after before and or but which who that as while "
        "when to into since of killing wounding injuring leaving causing was were is are had has "
        "have today yesterday tonight last this ago early late"
    )
)
_GENERIC_OBJECTS = frozenset(
    word_list(
        "targets target areas area it them him her people locations years months weeks days "
        "time times someone anyone everyone somebody anybody everybody something anything "
        "everything nothing nobody me us you myself himself herself themselves ourselves other "
        "others number"
    )
)


def find_objects(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[tuple[ActorMention, tuple[int, int]]]:
    """What an event verb acts on ("attacked the farm", "kidnapped two aid workers"),
    each with the span of its verb.

    Only words not already read as an actor or a place (`taken`), so the object
    adds what the name patterns cannot see: farms, houses, a tanker, aid workers.
    """
    out: list[tuple[ActorMention, tuple[int, int]]] = []
    for verb in _OBJECT_VERB.finditer(text, start, end):
        pos = verb.end()
        for _ in range(6):  # "attacked the residence, the hotel, and the electoral council"
            span = _object_at(text, pos, end, taken)
            if span is None:
                break
            s, e = span
            phrase = text[s:e]
            if phrase.lower().split()[-1] not in _GENERIC_OBJECTS and not re.match(
                r"\s+\d",
                text[e : e + 3],  # "hit Tower 22": a numbered site, a place
            ):
                kind = _kind(phrase)
                if kind == ActorKind.state_military and not re.search(
                    _HEAD + "|" + _TARGET_HEAD, phrase
                ):
                    kind = ActorKind.other  # a farm or a tanker is not a military unit
                obj = ActorMention(phrase, neutral_name(phrase), kind, s, e, True)
                out.append((obj, (verb.start(), verb.end())))
            more = _COORDINATED.match(text, e, end)
            if more is None:
                break
            pos = more.end()
    return out


_COORDINATED = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?=(?:the|a|an)\s)")


def _object_at(
    text: str, pos: int, end: int, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The noun phrase an event verb acts on, from pos: up to five words after any article
    or count; a place before a person's title is skipped ("the murder of antioquia
    department governor X": the governor). None when nothing is left or it is another's
    words."""
    for _ in range(2):
        pos = _OBJECT_SKIP.match(text, pos, end).end()  # type: ignore[union-attr]
        head: list[re.Match[str]] = []
        for w in re.finditer(r"[\w'’-]+", text[pos : min(end, pos + 120)]):
            if (
                len(head) == 5
                or w.group(0).lower() in _OBJECT_STOP
                or w.group(0)[0].isdigit()
                or (head and text[pos + head[-1].end() : pos + w.start()].strip())
            ):
                break
            head.append(w)
        if not head:
            return None
        s, e = pos + head[0].start(), pos + head[-1].end()
        lead = next((b for a, b in taken if a <= s < b), None)
        title = re.match(r" ([a-z]+)", text[lead : lead + 20]) if lead is not None else None
        if lead is not None and lead < e and title and title.group(1) in _TITLES:
            pos = lead  # "antioquia department governor X": a place, then the person it names
            continue
        if any(a < e and s < b for a, b in taken):
            return None
        return s, e
    return None


_PASSIVE_VERB = re.compile(
    r"\s+(?:was|were|(?:had|has|have)\s+been)\s+(?:(?:also|reportedly|allegedly|brutally)\s+)?"
    r"(?P<verb>killed|murdered|assassinated|kidnapped|abducted|wounded|injured|shot|"
    r"machinegunned|machine-gunned|executed|massacred|attacked|ambushed|tortured)\b",
    re.I,
)
_NP_WORD = re.compile(r"[\w'’-]+$")
_NP_OPEN = frozenset(
    word_list("the a an his her their its this these those both and") + list(table("number_words"))
)


def find_patients(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[tuple[ActorMention, tuple[int, int]]]:
    """Who a passive verb says was acted on ("six jesuit priests were murdered", "maria
    elena diaz was killed"), each with the span of its verb.

    The words before the verb count only as a whole noun phrase: from the sentence's
    start, a comma, "and" or a determiner or number, never cut out of a longer clause
    ("a soldier guarding the substation was wounded" gives nothing rather than
    "substation"). Words already read as an actor or a place (`taken`) stay theirs.
    """
    out: list[tuple[ActorMention, tuple[int, int]]] = []
    for m in _PASSIVE_VERB.finditer(text, start, end):
        toks: list[re.Match[str]] = []
        pos = m.start()
        while len(toks) < 6:
            w = _NP_WORD.search(text, max(start, pos - 40), pos)
            if w is None or (pos > w.end() and text[w.end() : pos] != " "):
                break
            if w.group(0).lower() in _NP_OPEN or not _name_word(w.group(0).lower()):
                break
            toks.insert(0, w)
            pos = w.start() - 1 if w.start() > start else w.start()
        if not toks:
            continue
        s, e = toks[0].start(), toks[-1].end()
        lead = text[max(start, s - 30) : s].rstrip()
        opener = _NP_WORD.search(lead)
        boundary = (
            not lead
            or lead.endswith((",", ";", ":", "--"))
            or (opener is not None and opener.group(0).lower() in _NP_OPEN)
        )
        phrase = text[s:e]
        if (
            not boundary
            or phrase.lower().split()[-1] in _GENERIC_OBJECTS
            or any(a < e and s < b for a, b in taken)
        ):
            continue
        kind = _kind(phrase)
        if kind == ActorKind.state_military and not re.search(_HEAD + "|" + _TARGET_HEAD, phrase):
            kind = ActorKind.other
        who = ActorMention(phrase, neutral_name(phrase), kind, s, e, True)
        out.append((who, (m.start("verb"), m.end("verb"))))
    return out


# Agents named outright, whatever words they are: "... was shot to death by terrorists",
# "attributed the attacks to drug traffickers", "the extraditables claimed responsibility".
_AGENT_BY = re.compile(
    r"\b(?:killed|murdered|assassinated|kidnapped|abducted|attacked|shot(?:\s+to\s+death|\s+dead)?|"
    r"wounded|injured|ambushed|bombed|burned|dynamited|destroyed|machinegunned|executed|"
    # not "drones launched by Russia": a weapon's launcher is told of another act
    r"massacred|carried\s+out|perpetrated|committed|ordered)\s+(?:(?:\w+\s+){0,2}?)by\s+"
    r"(?:the\s+)?",
    re.I,
)
_AGENT_TO = re.compile(
    r"\b(?:attribut|ascrib|blam)(?:ed|es|ing)\s+(?:[\w'’-]+\s+){0,6}?(?:to|on)\s+(?:the\s+)?", re.I
)
_AGENT_CLAIMS = re.compile(
    r"\s+(?:(?:has|have|had)\s+)?(?:claimed|assumed|accepted)\s+(?:the\s+)?responsibility\b", re.I
)


_NEGATOR = re.compile(r"(?i:no|not|nobody|none|never)$")
_MEANS_WORD = re.compile(
    r"aircraft|jets?|drones?|missiles?|rockets?|bombs?|helicopters?|warplanes?|planes?|"
    r"artillery|mortars?|shells?|explosives?|grenades?|dynamite|mines?|guns?|rifles?|weapons?"
)
_NOT_AGENTS = frozenset(words("not_agents"))
_BARE_GENERIC = frozenset(word_list("group groups man men people person persons someone one"))


def _np_after(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """The noun phrase starting at pos: up to five name words, the last not a generic word."""
    toks: list[re.Match[str]] = []
    for w in re.finditer(r"[\w'’-]+", text[pos : min(end, pos + 80)]):
        if toks and text[pos + toks[-1].end() : pos + w.start()] != " ":
            break
        low = w.group(0).lower()
        if len(toks) >= 5 or low in _OBJECT_STOP or not _name_word(low):
            break
        toks.append(w)
    while toks and toks[-1].group(0).lower() in _NP_OPEN:
        toks.pop()
    if not toks or toks[-1].group(0).lower() in _GENERIC_OBJECTS:
        return None
    return pos + toks[0].start(), pos + toks[-1].end()


def find_agents(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[ActorMention]:
    """Who the text says did it, in the three constructions that say so whatever the name:
    "by X" after a violent verb, "attributed ... to X", "X claimed responsibility".

    Only words not already read as an actor (`taken`): the role rules read those.
    """
    spans: list[tuple[int, int]] = []
    for pat in (_AGENT_BY, _AGENT_TO):
        for m in pat.finditer(text, start, end):
            np = _np_after(text, m.end(), end)
            if np:
                spans.append(np)
    for m in _AGENT_CLAIMS.finditer(text, start, end):
        lead = text[start : m.start()]
        words = re.findall(r"[\w'’-]+", lead[-80:])
        name: list[str] = []
        while words and len(name) < 5 and _name_word(words[-1].lower()):
            if words[-1].lower() in _NP_OPEN:
                break
            name.insert(0, words.pop())
        if name and lead.endswith(" ".join(name)) and not (words and _NEGATOR.match(words[-1])):
            spans.append((m.start() - len(" ".join(name)), m.start()))
    out: list[ActorMention] = []
    for s, e in spans:
        if any(a < e and s < b for a, b in taken):
            continue
        phrase = text[s:e]
        last = phrase.lower().split()[-1]
        if (
            _MEANS_WORD.fullmatch(last)
            or (" " not in phrase and last in _BARE_GENERIC)
            or phrase.lower().split()[0] in _NOT_AGENTS
        ):
            continue  # "carried out by F-15E aircraft": the means; "a group": says nothing
        out.append(ActorMention(phrase, neutral_name(phrase), _kind(phrase), s, e, False))
    return out


# Role rules: where an actor stands relative to the event words of its sentence.
_INITIATOR_AFTER = re.compile(
    r"^(?:\s+(?:in|of)\s+[A-Z][\w-]*(?:\s+and\s+[A-Z][\w-]*)?)?(?:\s*[(\[][^)\]]{1,60}[)\]])?"
    r",?\s+(?:has|have|had|is|are|was|were|"
    r"will|would|conducted|launched|carried|fired|targeted|attacked|struck|began|escalated|confirm\w*|"
    r"claim\w*|released|shares?|shared|transferred|brought|deployed|used|reinforc\w+|continue\w*|"
    r"killed|kidnapped|burned|stole|\w+ed\b)"
)

_CLAIMS_AFTER = re.compile(
    rf"^\s+{REPORTING}(?:\s+on\s+\w+)?\s+(?:that\s+)?"
    r"(?:it|they)\s+(?:had\s+|has\s+|have\s+)?(?:\w+ed|struck|hit|shot|fought|took|blew|sent|"
    r"brought|drove)\b"
)

# "Ukrainian forces repelled 14 Russian assaults": the defenders are the ones attacked.
_DEFENDS_AFTER = re.compile(
    r"^\s+(?:(?:have|has|had)\s+)?(?:repelled|repulsed|fended\s+off|beat\s+back|thwarted|foiled|"
    r"repel|repulse)\b"
)

_PASSIVE_AFTER = re.compile(
    r"^(?:\s+(?:in|of)\s+[A-Z][\w-]*(?:\s+and\s+[A-Z][\w-]*)?)?\s+(?:(?:(?:have|has|had)\s+)?"
    r"(?:been\s+|was\s+|were\s+|being\s+)(?:subjected|targeted|attacked|hit|injured|killed|wounded|"
    r"struck|kidnapped|captured|ambushed)|injured|wounded|(?:(?:have|has|had)\s+)?(?:come|came|"
    r"comes|been)\s+under\s+(?:attack|fire))\b"
)

_TARGET_BEFORE = re.compile(
    r"\b(?:against|on|targeting|targeted|targets|attacked|attacking|struck|hit|injur\w+|killing|killed|"
    r"wounding|kidnapped|captured|ambushed|at)\s+(?:the\s+|a\s+|an\s+)?$",
    re.I,
)

# "The Pentagon said", "police have reported", "the police department confirmed"
_REPORTS_AFTER = re.compile(
    rf"^(?:\s*,[^,]{{1,60}},)?(?:\s+(?:also|today|yesterday|tonight|later|have|has|had|"
    rf"department|experts?|sources?|spokes\w+)){{0,2}}\s+{REPORTING}\b"
    r"(?!\s+(?:responsibility|involvement|carrying\s+out|launching|attacking|firing|conducting))"
)

# "blamed the fmln for", "holds the army responsible", "attributed the attack to the eln",
# "the eln claimed responsibility": who is said to have done it
_BLAMED_BEFORE = re.compile(
    r"\b(?:blam|accus)(?:ed|es|ing)\s+(?:the\s+)?$|"
    r"\b(?:attribut|ascrib|blam)(?:ed|es|ing)\s+(?:[\w'’-]+\s+){0,6}?(?:to|on)\s+(?:the\s+)?$",
    re.I,
)
_RESPONSIBLE_AFTER = re.compile(
    # "responsible for the attack", not "responsible for all fire from the enclave" (a policy)
    r"^(?:\s*[(\[][^)\]]{1,60}[)\]])?,?\s+(?:(?:was|were|is|are)\s+)?(?:responsible\s+for\s+"
    r"(?:the|this|that|these|those|his|her|their|its)\b|"
    r"(?:(?:has|have|had)\s+)?(?:claimed|assumed|accepted|took)\s+(?:the\s+)?(?:\w+\s+)?"
    r"responsibility)",
    re.I,
)

# "police blamed the cartel", "the president holds the fmln responsible": the one who blames
# is a source, no party
_BLAMES_AFTER = re.compile(
    r"^,?\s+(?:(?:has|have|had)\s+)?(?:also\s+)?(?:blam|accus|attribut|ascrib)(?:ed|es|ing)\b|"
    r"^,?\s+(?:holds?|held)\s+(?:[\w'’-]+\s+){1,8}?responsible\b",
    re.I,
)

_BY_BEFORE = re.compile(r"(?P<pre>\S+\s+\S+\s+)?\bby\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)


def actor_role(text: str, a: ActorMention, s: Sentence, triggers: list[Trigger]) -> str | None:
    """'initiator', 'target' or None, from the words around the actor.

    Who did what to whom, from the clause's form: "attacks by X" and "X launched" make X the
    initiator; "against X", "X was hit", "X repelled" make X the target; "X said" makes X a
    source, no party.
    """
    before = text[max(s.start, a.start - 40) : a.start]
    after = text[a.end : min(s.end, a.end + 50)]
    by = _BY_BEFORE.search(before)
    if by:
        # "attacks by X" names X as the initiator of *those* attacks: only if they are this event
        foreign = find_triggers(
            text,
            a.start - len(by.group(0)),
            a.start - len(by.group(0)) + len(by.group("pre") or ""),
        )
        if foreign and not any(
            t.type == m_type for t in foreign for m_type in {tr.type for tr in triggers}
        ):
            return None
        return "initiator"
    if _BLAMED_BEFORE.search(before) or _RESPONSIBLE_AFTER.match(after):
        return "initiator"
    if _TARGET_BEFORE.search(before) or _PASSIVE_AFTER.match(after) or _DEFENDS_AFTER.match(after):
        return "target"
    if not a.target_only and _CLAIMS_AFTER.match(after):
        return "initiator"  # "the group announced that it targeted ...": its own act
    if a.target_only or _REPORTS_AFTER.match(after) or _BLAMES_AFTER.match(after):
        return None  # "The Pentagon said ...": a source, not a party
    if a.person:
        return None  # a named person acts only by the words above ("by", "claimed", "blamed")
    if _INITIATOR_AFTER.match(after):
        return "initiator"
    if (
        triggers
        and a.end <= triggers[0].start
        and triggers[0].start - a.end < 80
        and not re.search(r"\b(?:who|which|whom)\b|;", text[a.end : triggers[0].start])
    ):
        return "initiator"
    return None
