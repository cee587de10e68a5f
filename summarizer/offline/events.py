"""Event triggers: which sentences report an event, of what type, and how real it is.

A trigger is a word or phrase that names an event ("drills", "rocket attack",
"airlifted", "targeted"). Triggers in hypothetical or feared contexts ("any new
attacks", "fears ground attacks", "to prevent the recurrence of attacks") are
not events. Drills turn everything they simulate into the drill; a threat in a
statement turns the sentence into a statement; a specific attack type (drone
strike, rocket attack) absorbs the generic verbs beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.lexicons import table, words
from summarizer.offline.context import figurative_spans
from summarizer.offline.reporting import REPORTING
from summarizer.records import ActorKind, EventStatus, EventType

if TYPE_CHECKING:
    from summarizer.offline.mentions import Mention

_T = EventType
TRIGGERS: tuple[tuple[EventType, re.Pattern[str]], ...] = (
    (
        _T.military_exercise,
        re.compile(
            r"\b(?:drills?|exercises?|manoeuvres|maneuvers|war\s+games|simulat(?:e|es|ed|ing|ion)|"
            r"training)\b",
            re.I,
        ),
    ),
    (
        _T.air_or_drone_strike,
        re.compile(
            r"\b(?:air\s*strikes?|air\s+raids?|drone\s+(?:attacks?|strikes?)|bombing\s+raids?|"
            r"(?:launched|fired|sent)\s+(?:[\w-]+\s+){0,3}?(?:drones|UAVs)|"
            r"(?:hit|struck|targeted|attacked)\s+(?:[\w'’-]+\s+){1,8}?with\s+(?:[\w-]+\s+){0,3}?"
            r"(?:drones|UAVs)|strikes?|"
            r"struck|bombard(?:ed|ing|ment)?)\b",
            re.I,
        ),
    ),
    (
        _T.shelling_or_missile,
        re.compile(
            r"\b(?:rocket\s+(?:attacks?|fire|strikes?|barrages?)|"
            r"(?:rockets?|missiles?|mortars?|shells)\s+(?:were\s+|was\s+)?(?:fired|launched|struck|"
            r"hit|landed|slammed|targeted|exploded)|"
            r"(?:fired|launched)\s+(?:[\w-]+\s+){0,5}?(?:rockets?|missiles?|mortars?|shells)|"
            r"shell(?:ing|ed)|missile\s+(?:attacks?|strikes?)|mortar\s+(?:attacks?|fire|rounds|shells)|"
            r"artillery\s+fire)\b",
            re.I,
        ),
    ),
    (
        _T.interception,
        re.compile(
            r"\b(?:intercept(?:ed|ing|ion|ions|s)?|(?:shot|shoot(?:ing|s)?)\s+down|downed|"
            r"air\s+defen[cs]es?\s+(?:destroyed|repelled|engaged))\b",
            re.I,
        ),
    ),
    (
        _T.bombing,
        re.compile(
            r"\b(?:(?:car|roadside|suicide|truck|motorcycle|parcel|nail|pipe|sticky)[\s-]+bombs?|"
            r"(?:suicide\s+)?bombers?|bombings?|IEDs?|improvised\s+explosive(?:\s+devices?)?|"
            r"explosive\s+devices?|(?:land\s*)?mines?\s+(?:exploded|blast)|landmines?|grenades?|"
            r"bombs?\s+(?:blasts?|attacks?|explosions?|exploded|went\s+off|hidden|planted|"
            r"detonated)|(?:a|the)\s+bomb\b)",
            re.I,
        ),
    ),
    (
        _T.abduction,
        re.compile(
            r"\b(?:kidnap(?:ped|ping|pings|s)?|abduct(?:ed|ing|ion|ions|s)?|taken\s+hostage|"
            r"took\s+(?:\w+\s+){0,3}?hostage|hostage-taking)\b",
            re.I,
        ),
    ),
    (
        _T.arson_or_destruction,
        re.compile(
            r"\b(?:set\s+(?:fire\s+to|ablaze|alight)|torch(?:ed|ing)|arson|burn(?:ed|t)\s+down|"
            r"loot(?:ed|ing)|demolish(?:ed|ing)|vandali[sz](?:ed|ing))\b",
            re.I,
        ),
    ),
    (
        _T.riot,
        re.compile(
            r"\b(?:riot(?:s|ed|ing|ers)?|mobs?)\b(?!\s+(?:police|gear|shields|squad))", re.I
        ),
    ),
    (
        _T.protest,
        re.compile(
            # the acts, not the people: "fired on protesters" is an attack on them
            r"\b(?:protest(?:s|ed|ing)?|demonstrat(?:ion|ions|ed)|marched|"
            r"(?:a|the)\s+rally|rallies|sit-ins?)\b",  # "rallied support": figurative
            re.I,
        ),
    ),
    (
        _T.armed_clash,
        re.compile(
            r"\b(?:clash(?:es|ed)?|fighting|firefights?|gun\s*battles?|skirmish(?:es)?|exchanged\s+fire)\b",
            re.I,
        ),
    ),
    (
        _T.arrest_or_capture,
        re.compile(
            r"\b(?:arrest(?:s|ed)?|captur(?:e|ed|ing)|"
            r"detain(?:ed|s)?|seized\s+control\s+of|took\s+control\s+of)\b",
            re.I,
        ),
    ),
    (
        _T.deployment_or_reinforcement,
        re.compile(
            r"\b(?:deploy(?:s|ed|ing|ment|ments)?|reinforc(?:e|es|ed|ing|ements?)|airlift(?:s|ed|ing)?|"
            r"batch(?:es)?|convoys?|cargo\s+planes?|"
            r"(?:transferr(?:ed|ing)|transport(?:ed|ing)?)(?!\s+(?:\w+\s+){0,3}?(?:patients|passengers|"
            r"civilians|wounded|injured|bodies|children|refugees|them|him|her|out\s+of)\b)|"
            r"(?:brought|sent|sending|delivered|dispatch(?:ed|ing)|moved|moving)\s+(?:\w+\s+){0,4}?"
            r"(?:weapons|equipment|troops|squadrons?|warships?|jets|"
            r"reinforcements|soldiers|forces|batch(?:es)?)|landing\s+of|"
            r"expand(?:ing|ed|s)?\s+(?:its|their)\s+(?:military\s+)?presence|build-?up|"
            # a force on its way: "left Naples on Wednesday, bound for the Mediterranean"
            r"bound\s+for|en\s+route\s+to|(?:sailed|sailing|steaming)\s+(?:to|for|toward|into))\b",
            re.I,
        ),
    ),
    (
        _T.attack,
        re.compile(
            r"\b(?:attack(?:s|ed|ing)?|assault(?:s|ed)?|ambush(?:es|ed)?|raid(?:s|ed)?|operations|"
            r"storm(?:ed|ing)|incursions?|detonat(?:ed|ing)|exploded|"
            r"targeted|targeting|bomb(?:s|ed|ing)|explosions?|blasts?|open(?:ed)?\s+fire|"
            r"fired\s+(?:on|at|upon)|gunfire|killed|killing|murder(?:ed)?|massacred?|"
            r"assassinat(?:ed|ion)|burn(?:ed|t)|set\s+(?:fire|ablaze)|dynamited|sabotag\w+|stole)\b",
            re.I,
        ),
    ),
    (
        _T.other,
        re.compile(r"\b(?:flew|flying|overfl(?:ew|ights?|ying)|sorties|patroll(?:ed|ing))\b", re.I),
    ),
)
THREAT = re.compile(
    # "retaliation for X" names a cause (CAUSAL), not a threat: "attacked ... in retaliation for"
    r"\b(?:threaten(?:s|ed|ing)?|vow(?:s|ed)?|warn(?:s|ed|ing)?|retaliat\w+(?!\s+for\b)|ultimatum|"
    r"until\s+the\s+last|will\s+(?:not\s+)?(?:continue|be\s+met|resist|respond|retaliate|escalate|"
    r"expand|withdraw|leave|stop|target|strike|attack|pay|avenge))\b",
    re.I,
)


def _phrase(entry: str) -> str:
    return r"\s+".join(re.escape(w) for w in entry.split())


_ACTS = table("threat_acts")
_ACT_TYPES = {" ".join(k.split()): EventType(v) for k, v in _ACTS.items()}
# "threatened to kill", "vowed to blow up", "warned that they would attack", "announced that
# they will destroy": a threat of the act (acts: lexicons/threat_acts.txt)
THREATENED_ACT = re.compile(
    r"\b(?:threaten(?:s|ed|ing)?|vow(?:s|ed|ing)?|promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|"
    r"(?:warn|announc|declar)\w*\s+(?:that\s+)?(?:\w+\s+){0,2}?(?:would|will))\s+"
    r"(?:to\s+)?(?:(?:also|again|soon)\s+)?(?P<act>"
    + "|".join(_phrase(k) for k in sorted(_ACTS, key=len, reverse=True))
    + r")\b",
    re.I,
)
# "death threats against her", "threatened with death" (lexicons/threat_phrases.txt)
THREAT_PHRASE = re.compile(
    r"\b(?:"
    + "|".join(_phrase(p) for p in sorted(words("threat_phrases"), key=len, reverse=True))
    + r")\b",
    re.I,
)
# A statement denies when it says so ("denied", "rejected the claim", "is false"); "will not
# withdraw" is a refusal, a stated intent like a threat, not the denial of an event.
_DENIAL = re.compile(
    r"\b(?:den(?:ied|ies|y|ying)|rejected|dismissed|refuted)\b|\b(?:is|was|were|are)\s+"
    r"(?:false|untrue|baseless|fabricated)\b|\bnot\s+true\b",
    re.I,
)
# Contexts that make a trigger hypothetical or feared rather than reported.
_MODAL = re.compile(
    r"\b(?:fears?|feared|fearing|any|hypothetical|possible|possibility|prevent\w*|deter\w*|avoid\w*|"
    r"precaution|recurrence|risk\w*|could|would|might|may|if|seek\w*|want\w*|sounds?\s+of|"
    r"threat\s+of|bracing\s+for|ready\s+for|capable\s+of|training\s+on|simulat\w+|"
    r"frequently|often|usually|regularly|routinely|typically|such|"
    r"charged\s+(?:\w+\s+)?with|charges?\s+of|accus\w*\s+(?:\w+\s+)?of|suspected\s+of|"
    r"convicted\s+of|indicted|pleaded|(?:his|her|their)\s+alleged|plann(?:ing|ed)\s+to|planning|"
    r"plott?(?:ing|ed)?|similar|past|previous|"
    # what a defence guards against: "patrols that protect civilians against drone strikes"
    r"(?:protect|defend|guard|shield|secur)\w*\s+(?:[^\s.;]+\s+){0,3}?against)\b"
    r"(?:\s+[^\s.;]+){0,8}\s*$",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:will|plans?\s+to|planning\s+to|intends?\s+to|is\s+set\s+to|are\s+set\s+to|to\s+be|"
    # a forecast is no report: "is likely to deploy", "are expected to send"
    r"(?:likely|unlikely|expected|poised|preparing|ready|about)\s+to)\s+(?:\S+\s+){0,3}$",
    re.I,
)
# An announced movement under way ("the Pentagon is also sending a squadron"): planned.
_ANNOUNCED = re.compile(r"\b(?:is|are)\s+(?:also\s+|now\s+)?$", re.I)
_UNDER_WAY = re.compile(r"(?:send|deploy|dispatch|mov|transferr)ing\b", re.I)
# A threat of the act, not the act: "threatened to kill", "vowed to attack", "warned it would".
_THREATENED = re.compile(
    r"\b(?:threaten(?:s|ed|ing)?|vow(?:s|ed|ing)?|warn(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?"
    r"(?:would|will)|promis(?:e|es|ed|ing))\s+(?:to\s+)?(?:\S+\s+){0,3}$",
    re.I,
)
_DENIED = re.compile(
    r"\b(?:denied|denies|deny|not|never|no)\b(?:\s+\S+){0,3}\s*$|\bdenied\s+(?:\w+\s+)?that\b|"
    # "denied on Friday Ukrainian reports that Russian forces had struck": the denied report
    r"\b(?:denied|denies|deny|rejected|dismissed|refuted)\s+(?:[^\s.;]+\s+){0,6}?"
    r"(?:reports?|claims?|accusations?|allegations?)\s+that\s+(?:[^\s.;]+\s+){0,6}$",
    re.I,
)
_ANAPHOR = re.compile(
    r"\b(?i:the|this|these|those|such|that)\s+(?:[a-z]+\s+)?$|"
    # "Friday's clashes", "last night's attack": a definite reference to an event just told
    r"\b(?:[A-Z][a-z]+day|(?i:yesterday|today|tonight|last\s+night|last\s+week))['’]s\s+"
    r"(?:[a-z]+\s+)?$"
)
ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth)\s+(?:wave|round|series|salvo)\b", re.I)
# "... (on Friday) that it had ...": a party speaking of itself, and the acts it may claim
_IT_HAD = r"\s+(?:on\s+\w+\s+)?(?:that\s+)?(?:it|they)\s+(?:had\s+|have\s+|has\s+)?"
_OWN_ACTS = (
    r"(?:struck|hit|shot|fired|launched|targeted|attacked|carried\s+out|conducted|downed|"
    r"bombed|shelled|destroyed|killed|captured|seized)\b"
)
CLAIM = re.compile(
    rf"\b(?:confirm|announc)\w*{_IT_HAD}\w+ed\b|"
    # "The IDF said it struck 40 targets": a party reporting its own action
    rf"\b{REPORTING}{_IT_HAD}{_OWN_ACTS}|"
    r"\bclaim\w*\b|\bresponsib\w+|"
    r"\ballegedly\b|\bin\s+(?:its|their)\s+statements?\b|\baccording\s+to\s+(?:its\s+|their\s+)?statements\b",
    re.I,
)
# "No group claimed the attack": the claim is negated, not the attack
_UNCLAIMED = re.compile(
    r"\b(?:no\s+(?:group|one|organi[sz]ation|faction)|nobody)\s+(?:has\s+|had\s+)?(?:yet\s+)?"
    r"(?:claimed|taken|took|admitted)\b(?:\s+\S+){0,3}\s*$",
    re.I,
)
# "No group has claimed responsibility", "has not claimed": no claim at all
_NO_CLAIM = re.compile(
    r"\b(?:no\s+(?:group|one|organi[sz]ation|faction)|nobody|not|never|yet\s+to)\s+"
    r"(?:\w+\s+){0,3}$",
    re.I,
)


# "The IDF said it struck 40 targets": a party's word about its own act is a claim, whoever it is.
SELF_CLAIM = re.compile(rf"\b{REPORTING}{_IT_HAD}{_OWN_ACTS}", re.I)


def claimed_in(sentence: str) -> bool:
    """True when the sentence carries a claim (of an act, or of responsibility) not negated."""
    for m in CLAIM.finditer(sentence):
        before = sentence[max(0, m.start() - 40) : m.start()]
        if not _NO_CLAIM.search(before):
            return True
    return False


CAUSAL = re.compile(
    r"\b(?:following|response\s+to|retaliation\s+for|revenge\s+for|reprisal\s+for|"
    r"in\s+support\s+of|as\s+part\s+of|amid|because\s+of|due\s+to|anniversary\s+of|"
    # "the deadliest in the area since October 3, when the gang killed 115": a past event
    r"(?:deadliest|worst|bloodiest|largest|biggest|first|heaviest)\b[^.;]{0,40}?\bsince)\b",
    re.I,
)
_TOLL = re.compile(r"killed|killing|murder(?:ed)?|gunfire|explosions?|blasts?", re.I)
_SPECIFIC = (
    EventType.air_or_drone_strike,
    EventType.shelling_or_missile,
    EventType.bombing,
    EventType.interception,
    EventType.abduction,
    EventType.arson_or_destruction,
)


@dataclass(frozen=True)
class Trigger:
    """One trigger hit: the event type, where, and what its context says about it."""

    type: EventType
    start: int
    end: int
    anaphoric: bool
    status: EventStatus | None  # planned or denied from the words just before, else None


_NAME_AFTER = re.compile(r"\s+(?:of\s+(?:the\s+)?)?[A-Z][a-z]")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+:?\s+$")


def _in_a_name(text: str, sentence_start: int, a: int, b: int) -> bool:
    """True for an event word capitalised inside a sentence as part of a name or title.

    Mid-sentence capitals mark names: "Star Wars: Attack of the Clones", "the Battle of
    Kursk", "the Carrier Strike Group" name a film, a battle of history and a unit, not
    an event the article reports.
    """
    if a <= sentence_start or not text[a].isupper() or text[a:b].isupper():
        return False
    before = text[max(sentence_start, a - 30) : a]
    if not before.strip() or before.rstrip().endswith((".", "!", "?", '"', "“")):
        return False  # a sentence or quotation starts here
    return bool(_NAME_AFTER.match(text, b) or _NAME_BEFORE.search(before))


def find_triggers(text: str, start: int, end: int) -> list[Trigger]:
    """Triggers in text[start:end], with hypothetical ones dropped and overlaps resolved."""
    hits: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    cands = [(m, etype) for etype, pat in TRIGGERS for m in pat.finditer(text, start, end)]
    cands.sort(key=lambda c: (-(c[0].end() - c[0].start()), c[0].start()))  # longest reading wins
    # "struck a deal", "hit a record": never events (the phrase may run past the window)
    figurative = figurative_spans(text, max(0, start - 40), end + 40) if cands else []
    # threats first: "threatened to attack" is one threatened attack, not an attack
    for m in [
        *THREATENED_ACT.finditer(text, start, end),
        *THREAT_PHRASE.finditer(text, start, end),
    ]:
        if any(a < m.end() and m.start() < b for a, b in taken + figurative):
            continue
        taken.append((m.start(), m.end()))
        act = m.groupdict().get("act")
        etype = (
            _ACT_TYPES.get(" ".join(act.lower().split()), EventType.attack)
            if act
            else EventType.attack
        )
        hits.append(Trigger(etype, m.start(), m.end(), False, EventStatus.threatened))
    for m, etype in cands:
        if any(a < m.end() and m.start() < b for a, b in taken + figurative):
            continue
        taken.append((m.start(), m.end()))
        if _in_a_name(text, start, m.start(), m.end()):
            continue  # "Attack of the Clones", "the Carrier Strike Group": a title or a unit
        before = text[max(start, m.start() - 60) : m.start()]
        threatened = _THREATENED.search(before) is not None
        if etype != EventType.military_exercise and not threatened and _MODAL.search(before):
            continue
        status = None
        if threatened:
            status = EventStatus.threatened  # "threatened to kill", "vowed to attack"
        elif _DENIED.search(text, max(start, m.start() - 120), m.start()) and not _UNCLAIMED.search(
            before
        ):
            status = EventStatus.denied
        elif _PLANNED.search(before) or (
            etype == EventType.deployment_or_reinforcement
            and _ANNOUNCED.search(before)
            and _UNDER_WAY.match(text, m.start())
        ):
            status = EventStatus.planned
        hits.append(Trigger(etype, m.start(), m.end(), bool(_ANAPHOR.search(before)), status))
    hits.sort(key=lambda t: t.start)
    if hits:  # "... in what it called a response to U.S. strikes": the cause is another event
        cause = CAUSAL.search(text, hits[0].end, end)
        if cause is not None:
            hits = [t for t in hits if t.start < cause.start()]
    hits = _roles_of_nouns(text, hits)
    types = {t.type for t in hits}
    if EventType.military_exercise in types:
        return [t for t in hits if t.type == EventType.military_exercise]
    if types & set(_SPECIFIC):
        hits = [t for t in hits if t.type != EventType.attack]
    if types & {EventType.air_or_drone_strike, EventType.shelling_or_missile}:
        # "a drone strike ... the explosion": the strike's blast, not a bomb of its own
        hits = [t for t in hits if t.type != EventType.bombing]
    if types - {EventType.attack, EventType.other}:
        # "clashes ..., killing five": the killing is the clash's toll, not another attack
        hits = [
            t
            for t in hits
            if not (t.type == EventType.attack and _TOLL.fullmatch(text[t.start : t.end]))
        ]
    if len(types - {EventType.other}) > 0:
        hits = [t for t in hits if t.type != EventType.other]
    return hits


# Nouns that name a movement only when nothing happens to them: "ambushed an army supply
# convoy" is an attack on the convoy, not a deployment; "arrested 14 in raids" are arrests.
_MOVEMENT_NOUN = re.compile(r"convoys?|batch(?:es)?|cargo\s+planes?", re.I)
_SEARCH_NOUN = re.compile(r"(?:dawn\s+|night\s+)?raids?|operations", re.I)
_HARM = frozenset(
    [
        EventType.attack,
        EventType.air_or_drone_strike,
        EventType.shelling_or_missile,
        EventType.bombing,
        EventType.armed_clash,
    ]
)


def _roles_of_nouns(text: str, hits: list[Trigger]) -> list[Trigger]:
    """Drop trigger nouns that are the object or the manner of another event in the clause.

    A convoy, batch or cargo plane after an act of violence is what was hit; raids or
    operations in a sentence that reports arrests are how the arrests were made.
    """
    arrests = any(t.type == EventType.arrest_or_capture for t in hits)
    out: list[Trigger] = []
    for t in hits:
        word = text[t.start : t.end]
        if (
            t.type == EventType.deployment_or_reinforcement
            and _MOVEMENT_NOUN.fullmatch(word)
            and any(h.type in _HARM and h.end <= t.start for h in hits)
        ):
            continue
        if t.type == EventType.attack and arrests and _SEARCH_NOUN.fullmatch(word):
            continue
        if t.type == EventType.shelling_or_missile and any(
            h.type == EventType.interception
            and h.end <= t.start
            and len(text[h.end : t.start].split()) <= 6
            for h in hits
        ):
            continue  # "shot down two missiles fired from Yemen": the launch is what was stopped
        out.append(t)
    return out


def threat_in(text: str, start: int, end: int) -> re.Match[str] | None:
    """A threat or vow in text[start:end] ("will continue until", "will be met with")."""
    return THREAT.search(text, start, end)


def negated_statement(text: str, start: int, end: int) -> bool:
    """True when a statement denies something ("denied the accusation", "the claim is false").

    A refusal ("US forces will not withdraw") is no denial: it states an intent, as a threat
    does, and is recorded as one.
    """
    return bool(_DENIAL.search(text, start, end))


_BLAST = re.compile(r"\b(?:blasts?|bombs?|explosions?|explosives?|IEDs?|device)\b", re.I)


def retype(m: Mention, sentence_mentions: list[Mention], text: str) -> None:
    """The event type once the sentence's actors and means are known.

    "Strikes" by a non-state group are attacks, not air strikes, and a bare "struck" with a
    blast and no aircraft ("the blast struck the market") is a bombing; an attack carried out
    with rockets, missiles or artillery only ("targeted the base with Katyusha rockets")
    is shelling or a missile strike, unless the sentence already has one.
    """
    bare = m.type == EventType.air_or_drone_strike and all(
        re.fullmatch(r"strikes?|struck", text[t.start : t.end], re.I) for t in m.triggers
    )
    if bare and any(a.kind == ActorKind.non_state_armed_group for a in m.initiators):
        m.type = EventType.attack
    elif (
        bare
        and not any(me.category in ("drone", "aircraft", "helicopter") for me in m.means)
        and _BLAST.search(m.sentence.text)
    ):
        m.type = EventType.bombing  # "the blast struck the market": a bomb, no aircraft
    elif bare and any(
        me.category in _FIRED and _AGENT_BEFORE.search(text, max(0, me.start - 30), me.start)
        for me in m.means
    ):
        m.type = EventType.shelling_or_missile  # "struck by a projectile": no aircraft named
    if (
        m.type == EventType.attack
        and m.means
        and all(me.category in _FIRED for me in m.means)
        and not any(x.type == EventType.shelling_or_missile for x in sentence_mentions)
    ):
        m.type = EventType.shelling_or_missile
    elif (
        m.type == EventType.attack
        and m.means
        and any(me.category == "drone" for me in m.means)
        and all(me.category in ("drone", "explosive") for me in m.means)  # "explosive-laden drones"
        and not any(x.type == EventType.air_or_drone_strike for x in sentence_mentions)
    ):
        m.type = EventType.air_or_drone_strike  # "targeted the base with a swarm of drones"
    if m.type in _FORCE_TYPES and crowd_force(m.sentence.text):
        m.type = EventType.protest  # "fired tear gas and rubber bullets at marchers"


_FIRED = ("rocket", "missile", "artillery")
_AGENT_BEFORE = re.compile(r"\b(?:by|with)\s+(?:[\w-]+\s+){0,2}$", re.I)  # not a target's name
_FORCE_TYPES = (EventType.attack, EventType.bombing, EventType.armed_clash)
_CROWD_MEANS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in words("crowd_control")) + r")\b", re.I
)
_CROWD = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|march\w*|rall(?:y|ies)|crowds?|students|sit-ins?)\b", re.I
)


def crowd_force(sentence: str) -> bool:
    """Force used to break up a crowd: crowd-control weapons beside a crowd or a protest.

    By the records' convention force against protesters is a protest incident (the force's
    user its initiator), so a flash-bang among "people marching" is no bombing and "clashes"
    in which marchers were hit by rubber bullets are no armed clash.
    """
    return bool(_CROWD_MEANS.search(sentence) and _CROWD.search(sentence))
