"""Sentence by sentence: event mentions with their anchors (date, places, actors, counts...).

A mention is one event type reported in one sentence, with the facts that
sentence gives about it. When a sentence names two events ("US efforts to
reinforce ... follow attacks carried out by five factions ... in August"),
each fact goes to the trigger that precedes it, since English puts an event's
object, place and date after the event word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from summarizer.offline.actors import (
    ActorMention,
    actor_role,
    find_actors,
    find_agents,
    find_objects,
    find_patients,
    neutral_name,
)
from summarizer.offline.attribution import Source, SourceTracker
from summarizer.offline.context import (
    ACCIDENT,
    DEADLY,
    MILITARY,
    POLICE,
    has_cue,
    has_violence,
    story_genre,
)
from summarizer.offline.dates import DateMention, find_dates
from summarizer.offline.events import (
    CAUSAL,
    ORDINAL,
    SELF_CLAIM,
    Trigger,
    claimed_in,
    find_triggers,
    negated_statement,
    retype,
    threat_in,
)
from summarizer.offline.means import MeansMention, find_means
from summarizer.offline.places import Place, find_places
from summarizer.offline.quantities import (
    NONE_REPORTED,
    CasualtyMention,
    QuantityMention,
    find_quantities,
)
from summarizer.offline.reporting import REPORTING
from summarizer.offline.text import Sentence, inside, quote_spans, reporting_sentences
from summarizer.records import ActorKind, EventStatus, EventType, SourceKind

# A report's own date: "said on Monday", "released on January 5" (publishing dates a report too).
_PUBLISHED = rf"(?:{REPORTING}|released|published|shared)"
_REPORT_BEFORE = re.compile(
    rf"\b(?:told\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?|{_PUBLISHED})"
    r"(?:\s+(?:on|in|via)\s+(?:a\s+)?[A-Z]?\w+)?\s+(?:on\s+)?$"
)
# "BAGHDAD, Dec 8 (Reuters) -": the dateline gives the filing date, not the event's.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,}(?:,[^()\n]{0,40})?\s*\([^)]{1,30}\)\s*[-—–]+\s")
_REPORT_AFTER = re.compile(rf"^,?\s+(?:the\s+)?[\w\s.-]{{0,40}}?\b{_PUBLISHED}\b")
_DATE_LABEL = re.compile(r"(?:^|\n)\s*date\s*$")  # a form's "Date: ..." field, not an event date
# "It was the third major attack on the city this month.": a recap of the event just told
_RECAP = re.compile(r"^(?:It|This|That)\s+(?:was|is|marks|marked|became)\s+the\s+")
_DAMAGE = re.compile(
    r"(?:destroyed|damaged|burned|burnt|dynamited|blew\s+up|set\s+fire\s+to|hit|struck)\s+", re.I
)
# "Separately, a bulk carrier was struck ...", "In an unrelated case, ...": a new event begins
_SEPARATE = re.compile(
    r"^(?:Separately|Elsewhere|In\s+(?:a|another)\s+separate\s+\w+|In\s+an(?:other)?\s+"
    r"(?:unrelated|separate)\s+\w+|In\s+another\s+(?:incident|attack|case|development))\b",
    re.I,
)
_TALLY_UNITS = frozenset(["times", "attacks", "operations", "strikes", "occasions", "incidents"])
_TALLY_WORDS = re.compile(r"\b(?:so\s+far|to\s+date|a\s+total\s+of|in\s+total|since)\b", re.I)
_NO_TARGETS = (
    EventType.military_exercise,
    EventType.deployment_or_reinforcement,
    EventType.threat_or_statement,
)
_STATEMENT_KINDS = (
    SourceKind.named_official,
    SourceKind.anonymous_official,
    SourceKind.group_statement,
    SourceKind.government,
    SourceKind.other,
)


@dataclass
class Mention:
    """One event type in one sentence, with the facts the sentence gives about it."""

    type: EventType
    sentence: Sentence
    triggers: list[Trigger]
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    initiators: list[ActorMention] = field(default_factory=list)
    targets: list[ActorMention] = field(default_factory=list)
    means: list[MeansMention] = field(default_factory=list)
    quantities: list[QuantityMention] = field(default_factory=list)
    casualties: list[CasualtyMention] = field(default_factory=list)
    none_reported: tuple[int, int] | None = None
    sources: list[Source] = field(default_factory=list)
    speaker: str | None = None
    claimed: bool = False
    self_claimed: bool = False
    negated: bool = False
    ordinal: str | None = None

    @property
    def threatened(self) -> bool:
        """Every event word is a threat of the act ("threatened to kill", "death threats")."""
        return bool(self.triggers) and all(
            t.status == EventStatus.threatened for t in self.triggers
        )

    @property
    def separate(self) -> bool:
        """The sentence opens a new event ("Separately, ...", "In an unrelated case, ...")."""
        return _SEPARATE.match(self.sentence.text) is not None

    @property
    def anaphoric(self) -> bool:
        return any(t.anaphoric for t in self.triggers)

    @cached_property
    def aggregate(self) -> bool:
        """A tally over time ("85 times since October 18", "has so far conducted 118")."""
        if any(d.precision.value == "range" for d in self.dates):
            return True
        if any(q.unit.lower() in _TALLY_UNITS and q.value > 1 for q in self.quantities):
            return True
        return bool(_TALLY_WORDS.search(self.sentence.text))

    @property
    def anchored(self) -> bool:
        return bool(
            self.dates
            or self.places
            or self.quantities
            or self.casualties
            or self.means
            or self.none_reported
            or any(a.target_only and a.kind != ActorKind.civilians for a in self.targets)
        )


def _speaker_actor(text: str, src: Source) -> ActorMention:
    """The person or body making a statement, as an actor (first evidence span holds the name)."""
    a, b = src.spans[0]
    start = text.index(src.source, a, b) if src.source in text[a:b] else a
    kind = (
        ActorKind.government_or_official
        if src.kind
        in (SourceKind.named_official, SourceKind.anonymous_official, SourceKind.government)
        else ActorKind.non_state_armed_group
        if src.kind == SourceKind.group_statement
        else ActorKind.other
    )
    name = text[start : start + len(src.source)] if src.source in text[a:b] else text[a:b]
    if re.search(r"\b(?:military|army|armed\s+forces|IDF|navy|air\s+force)\b", name, re.I):
        kind = ActorKind.state_military
    return ActorMention(name, neutral_name(name), kind, start, start + len(name), False)


# "a Marshall Islands-flagged tanker", "Houthi-controlled waters": a name made an adjective
_ATTRIBUTIVE = re.compile(
    r"-(?:flagged|controlled|run|backed|held|led|based|owned|aligned|allied|registered|"
    r"bound|linked)\b"
)
_DESTINATION = re.compile(
    r"\b(?:to|into|towards?|toward)\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:in\s+)?$",
    re.I,
)
_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)
# "a 23-year-old man from Coventry", "residents of Kuru": where a person is from
_HOME = re.compile(
    r"\b(?:man|woman|men|women|boy|girl|teenager|youth|resident|residents|native|natives|"
    r"national|\d+-year-old)\s+(?:from|of)\s+(?:the\s+)?$",
    re.I,
)
_LAUNCHED = (EventType.shelling_or_missile, EventType.interception, EventType.air_or_drone_strike)


_ON_THE_WAY = re.compile(
    r"bound\s+for|en\s+route|(?:send|head|sail|steam|dispatch|deploy)ing\b", re.I
)


def _event_place(text: str, m: Mention, p: Place) -> bool:
    """Is this place where the event of mention m happened?

    A deployment still to come or on its way is not yet at its destination ("is sending jets
    to a base in Jordan", "is likely to deploy missiles to Belarus"); one that arrived is
    ("batches that arrived by air to the Kharab al-Jir base"). Rockets "fired from the Gaza
    Strip" fell elsewhere; a threat or statement is located by no place it names ("attack US
    forces in Iraq" is what it threatens, not where it was said); "a man from Coventry" is
    where a person is from.
    """
    if m.type == EventType.threat_or_statement:
        return False
    before = text[max(0, p.start - 40) : p.start]
    if _HOME.search(before):
        return False  # where a person is from, not where the event was
    if m.type == EventType.deployment_or_reinforcement and _DESTINATION.search(before):
        return not any(
            t.status == EventStatus.planned or _ON_THE_WAY.match(text, t.start) for t in m.triggers
        )
    return not (m.type in _LAUNCHED and _ORIGIN.search(before))


def _owner(pos: int, mentions: list[Mention]) -> Mention:
    """The mention whose trigger most closely precedes pos (else the first one)."""
    best = mentions[0]
    best_start = -1
    for m in mentions:
        for t in m.triggers:
            if best_start < t.start <= pos:
                best, best_start = m, t.start
    return best


class MentionFinder:
    """Walks an article's sentences and yields event mentions with their anchors."""

    def __init__(self, text: str, pub: date | None) -> None:
        self.text = text
        self.pub = pub
        self.sentences = reporting_sentences(text)
        self.quotes = quote_spans(text)
        self.sources = SourceTracker(text)
        self.statement_speakers: dict[str, int] = {}  # speaker -> last sentence index
        self._cues = [has_cue(text, s.start, s.end) for s in self.sentences]
        cued, n = sum(self._cues), len(self.sentences)
        # An article about a war (a fifth of its sentences or more) sets the context everywhere,
        # and so does a story where a quarter of the sentences tell of violence.
        self._war_story = cued >= 2 and cued >= 0.2 * n
        if not self._war_story and n:
            violent = sum(
                c or has_violence(text, s.start, s.end)
                for c, s in zip(self._cues, self.sentences, strict=True)
            )
            self._war_story = violent >= 3 and violent >= 0.25 * n
        # A game report, a film review, a storm: its war words are figurative throughout.
        self.genre = story_genre(text, [(s.start, s.end) for s in self.sentences], cued)

    def in_conflict(self, s: Sentence) -> bool:
        """A conflict cue in this sentence or the one before or after it (or a war story)."""
        if self.genre is not None:
            return False
        if self._war_story or any(self._cues[max(0, s.index - 1) : s.index + 2]):
            return True
        near = self.sentences[max(0, s.index - 1) : s.index + 2]
        lo, hi = near[0].start, near[-1].end
        return bool(
            has_cue(self.text, s.start, s.end, (DEADLY,))
            and POLICE.search(self.text, lo, hi)
            and not ACCIDENT.search(self.text, lo, hi)
        )

    def _fully_quoted(self, s: Sentence) -> bool:
        return inside(self.quotes, s.start, s.end, slack=1)

    def _statement(self, s: Sentence, sources: list[Source]) -> Mention | None:
        """A statement or threat mention, or a continuation of a recent speaker's statement."""
        speakers = [src for src in sources if src.kind in _STATEMENT_KINDS]
        recent = {k: v for k, v in self.statement_speakers.items() if s.index - v <= 3}
        speaker: str | None = None
        if speakers and speakers[0].source in recent:
            speaker = speakers[0].source
        elif threat_in(self.text, s.start, s.end) and self.in_conflict(s):
            if speakers:
                speaker = speakers[0].source
            elif self._fully_quoted(s) and recent:
                speaker = max(recent, key=lambda k: recent[k])
        if speaker is None:
            return None
        self.statement_speakers[speaker] = s.index
        m = Mention(EventType.threat_or_statement, s, [], speaker=speaker)
        m.negated = negated_statement(self.text, s.start, s.end)
        m.sources = [src for src in sources if src.source == speaker] or sources
        return m

    def _is_report_date(self, d: DateMention, s: Sentence) -> bool:
        """True for the date of a report ("said on Monday"), not of the event."""
        before = self.text[s.start : d.start]
        after = self.text[d.end : s.end]
        if _REPORT_BEFORE.search(before):
            return True
        if len(before) > 14:  # "On January 5, the coalition released ...": only a leading date
            return False
        m = _REPORT_AFTER.match(after)
        return m is not None and not find_triggers(self.text, d.end, d.end + m.end())

    def _times_scope(self, q: QuantityMention, m: Mention) -> QuantityMention:
        """Scope for "N times": what was hit (between event verb and count) and since when."""
        if q.scope is not None or q.unit.lower() not in ("times", "occasions"):
            return q
        verb = max((t for t in m.triggers if t.end <= q.start), key=lambda t: t.end, default=None)
        if verb is None:
            return q
        obj = self.text[verb.end : q.start].strip(" ,")
        span = [verb.end, q.end]
        parts = [obj] if obj else []
        for d in m.dates:
            if d.precision.value == "range" and d.text not in obj:
                parts.append(
                    d.text[:1].lower() + d.text[1:] if d.text[:5].lower() == "since" else d.text
                )
                span = [min(span[0], d.start), max(span[1], d.end)]
        if not parts:
            return q
        return replace(q, scope=" ".join(parts), ev_start=span[0], ev_end=span[1])

    def sentence_mentions(self, s: Sentence) -> list[Mention]:
        """Mentions in one body sentence, anchors distributed among them.

        The steps, in order: the sentence's events (a statement, or event words in a
        conflict context); where its facts stop (a causal clause tells of another event);
        dates, places, means, counts and tolls, each given to the event word before it;
        actors with their roles; the speaker as actor; recaps; claims; last, retyping.
        """
        sources = self.sources.sources_in(s.start, s.end)
        stmt = self._statement(s, sources)
        mentions, triggers = ([stmt], []) if stmt is not None else self._events(s)
        if not mentions:
            return []
        cut = self._facts_end(s, triggers, stmt)
        said = [sp for src in sources for sp in src.spans if s.start <= sp[0] < s.end]
        self._add_facts(s, cut, mentions, self._add_dates(s, cut, mentions), said)
        self._add_actors(s, cut, mentions, triggers)
        if stmt is not None:
            stmt.initiators = [
                _speaker_actor(self.text, src)
                for src in stmt.sources[:1]
                if src.kind != SourceKind.group_statement or src.source[:1].isupper()
            ]
        for m in mentions:
            m.quantities = [self._times_scope(q, m) for q in m.quantities]
            if m.triggers:  # the date nearest the event word first
                t0 = m.triggers[0].start
                m.dates.sort(key=lambda d: min(abs(d.start - t0), abs(d.end - t0)))
        if stmt is None and _RECAP.match(s.text):
            for m in mentions:
                m.triggers = [replace(t, anaphoric=True) for t in m.triggers]
                m.dates = []  # "this month" scopes the tally, not the event
        self._add_claims(s, mentions, sources, stmt)
        for m in mentions:
            retype(m, mentions, self.text)
        return mentions

    def _events(self, s: Sentence) -> tuple[list[Mention], list[Trigger]]:
        """One mention per event type whose words the sentence uses in a conflict context."""
        triggers = find_triggers(self.text, s.start, s.end) if self.in_conflict(s) else []
        if any(t.type == EventType.military_exercise for t in triggers):
            near = self.sentences[max(0, s.index - 1) : s.index + 2]
            if not MILITARY.search(self.text, near[0].start, near[-1].end):
                triggers = []  # a drill with no armed force near: a school's, a hospital's
        by_type: dict[EventType, list[Trigger]] = {}
        for t in triggers:
            by_type.setdefault(t.type, []).append(t)
        return [Mention(et, s, ts) for et, ts in by_type.items()], triggers

    def _facts_end(self, s: Sentence, triggers: list[Trigger], stmt: Mention | None) -> int:
        """Where the sentence's facts stop: "... in response to attacks on X" is another event.

        The cause is searched after the first event word, as `find_triggers` does, so the
        cause's own words ("a response to U.S. strikes on Sanaa") give this event no facts.
        """
        first_trigger = min((t.end for t in triggers), default=s.start)
        causal = CAUSAL.search(self.text, first_trigger, s.end)
        return causal.start() if causal and stmt is None else s.end

    def _add_dates(self, s: Sentence, cut: int, mentions: list[Mention]) -> list[tuple[int, int]]:
        """Event dates (not the dateline's, not a report's own "said on Monday").

        Returns the spans of every date found, so no count is read inside one.
        """
        text = self.text
        dateline = _DATELINE.match(s.text)
        spans: list[tuple[int, int]] = []
        for d in find_dates(text, self.pub, s.start + (dateline.end() if dateline else 0), s.end):
            if d.start >= cut or _DATE_LABEL.search(text, max(0, d.start - 8), d.start):
                continue
            spans.append((d.start, d.end))
            owner = _owner(d.start, mentions)
            if owner.type == EventType.threat_or_statement or not self._is_report_date(d, s):
                owner.dates.append(d)
        return spans

    def _add_facts(
        self,
        s: Sentence,
        cut: int,
        mentions: list[Mention],
        dates: list[tuple[int, int]],
        said: list[tuple[int, int]],
    ) -> None:
        """Places, means, counts, tolls and "no casualties", each to the event word before it.

        A place inside the words that name a source ("according to doctors at Dhaka Medical
        College Hospital", "the governor of Odesa said") says where the source is, not where
        the event happened.
        """
        text = self.text
        quants, cas = find_quantities(text, s.start, cut, dates)
        for p in find_places(text, s.start, cut):
            attributive = _ATTRIBUTIVE.match(text, p.end) or _ATTRIBUTIVE.search(p.name)
            if not attributive and not any(a <= p.start and p.end <= b for a, b in said):
                owner = _owner(p.start, mentions)
                if _event_place(text, owner, p):
                    owner.places.append(p)
        for me in find_means(text, s.start, cut):
            _owner(me.start, mentions).means.append(me)
        for q in quants:
            _owner(q.start, mentions).quantities.append(q)
        for c in cas:
            _owner(c.start, mentions).casualties.append(c)
        nr = NONE_REPORTED.search(text, s.start, s.end)
        if nr:
            mentions[0].none_reported = (nr.start(), nr.end())

    def _add_actors(
        self, s: Sentence, cut: int, mentions: list[Mention], triggers: list[Trigger]
    ) -> None:
        """Initiators and targets, by the role the words around each actor give it."""
        text = self.text
        actors = find_actors(text, s.start, cut)
        taken = (
            # a person may still be what a verb acts on ("the assassination of candidate X")
            [(a.start, a.end) for a in actors if not a.person]
            + [(p.start, p.end) for m in mentions for p in m.places]
            + [(me.start, me.end) for m in mentions for me in m.means]  # "hit a roadside bomb"
        )
        found = find_objects(text, s.start, cut, taken)
        # and who a passive verb says was acted on ("six jesuit priests were murdered")
        found += find_patients(text, s.start, cut, taken + [(a.start, a.end) for a, _ in found])
        verbs: list[tuple[int, int] | None] = [None] * len(actors) + [v for _, v in found]
        for a in find_agents(text, s.start, cut, taken + [(a.start, a.end) for a, _ in found]):
            owner = _owner(a.start, mentions)
            if owner.type != EventType.threat_or_statement:
                owner.initiators.append(a)  # "by X", "X claimed responsibility": X did it
        for a, verb in zip(actors + [a for a, _ in found], verbs, strict=True):
            owner = _owner(a.start, mentions)
            role = actor_role(text, a, s, owner.triggers or triggers)
            if verb is not None and (
                any(t.start < verb[1] and verb[0] < t.end for t in triggers)
                or (triggers and _DAMAGE.fullmatch(text, verb[0], verb[1]))
            ):
                # what a reported event's verb acts on is its target, and so is what the
                # event damaged ("the blast destroyed the building")
                role = "target"
            if owner.type in _NO_TARGETS:
                if role == "initiator" and owner.type != EventType.threat_or_statement:
                    owner.initiators.append(a)
            elif role == "initiator":
                if owner.type == EventType.interception and any(
                    t.end <= a.start for t in owner.triggers
                ):
                    continue  # "shot down 41 of the 47 drones Russia launched": the attacker
                owner.initiators.append(a)
            elif role == "target":
                owner.targets.append(a)

    def _add_claims(
        self, s: Sentence, mentions: list[Mention], sources: list[Source], stmt: Mention | None
    ) -> None:
        """Sources, claims ("X said it hit ...": X did it, on its own word) and ordinals."""
        text = self.text
        claimed = claimed_in(s.text)
        self_claim = SELF_CLAIM.search(text, s.start, s.end)
        if self_claim is not None and stmt is None:
            # "Ukraine's military said it hit an oil depot": the speaker did it
            src = next(
                (
                    x
                    for x in sources
                    if x.kind in _STATEMENT_KINDS and x.spans[0][0] < self_claim.start()
                ),
                None,
            )
            for m in mentions:
                if src is not None and not m.initiators:
                    m.initiators = [_speaker_actor(text, src)]
        ordinal = ORDINAL.search(s.text)
        for m in mentions:
            if stmt is None and (m.anchored or not m.anaphoric):
                m.sources = sources  # a bare "the bombing" in another report brings no source
            m.claimed = claimed
            m.self_claimed = self_claim is not None
            m.ordinal = ordinal.group(1).lower() if ordinal else None
            if m.triggers and all(t.status == EventStatus.denied for t in m.triggers):
                m.negated = True

    def orphan_facts(self, s: Sentence) -> Mention | None:
        """Facts in a sentence without an event word, to hang on the previous event.

        "There were no casualties." or "The sources pointed out that the bases used
        laser systems" continue the sentence before them.
        """
        text = self.text
        m = Mention(EventType.other, s, [])
        nr = NONE_REPORTED.search(text, s.start, s.end)
        if nr:
            m.none_reported = (nr.start(), nr.end())
        _, m.casualties = find_quantities(text, s.start, s.end, [])
        if re.match(r"(?:They|The\s+sources|He|She|It|In\s+addition|Also)\b", s.text):
            m.means = find_means(text, s.start, s.end)
        return m if (m.none_reported or m.casualties or m.means) else None

    def mentions(self) -> list[tuple[Sentence, list[Mention], Mention | None]]:
        """For each body sentence: its mentions, or facts to attach to the previous event."""
        out: list[tuple[Sentence, list[Mention], Mention | None]] = []
        for s in self.sentences:
            if not s.body:
                continue
            found = self.sentence_mentions(s)
            orphan = None if found else self.orphan_facts(s)
            out.append((s, found, orphan))
        return out
