"""Which mentions report the same event: merging them into one group per incident.

One group per distinct event, as a careful reader would count them. A
mention joins an earlier group of the same type when it refers back to it
("the exercises", "this batch"), or when it is close by and nothing in it
contradicts the group (no different date, count, "first"/"second wave",
places, sides or toll; a tally over weeks never merges with a single strike).
Mentions that carry no fact at all ("the attacks have had an impact") never
make a group of their own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from summarizer.offline.mentions import Mention, MentionFinder
from summarizer.records import ActorKind, EventType, QuantityQualifier

_NEAR = 3  # sentences within which an unmarked mention may continue a record
_ANAPHORA = 8  # sentences within which "the attack" refers back to an event
_LOOK = 64  # groups tried at most for one mention (keeps grouping linear on huge inputs)
_ATTACKS = (EventType.attack, EventType.air_or_drone_strike, EventType.shelling_or_missile)
_VIOLENT = (
    *_ATTACKS,
    EventType.bombing,
    EventType.abduction,
    EventType.arson_or_destruction,
    EventType.armed_clash,
    EventType.riot,
)
_CROWD = (EventType.protest, EventType.riot)
_CROWD_JOINS = (EventType.riot, EventType.armed_clash)


@dataclass
class Group:
    """The mentions of one event, in the order they were merged.

    What the merging rules ask of a group (its date, counts, places, sides, tolls) is kept
    up to date as mentions join, so a question costs the same for a group of one mention as
    for a group of thousands: a sentence repeated through a 5 MB file stays linear.
    """

    type: EventType
    seq: int = 0  # creation order among all groups
    mentions: list[Mention] = field(default_factory=list)
    first: int = -1  # sentence index of the first mention merged
    last: int = -1  # sentence index of the last mention merged
    _date_key: str | None = None
    _ordinal: str | None = None
    _speaker: str | None = None
    threatened: bool | None = None  # the first event word's mention was a threat of the act
    aggregate: bool = False  # a specific mention of it is a tally
    places: set[str] = field(default_factory=set)  # specific places (geo precision <= 2)
    all_places: set[str] = field(default_factory=set)
    count_values: set[int] = field(default_factory=set)
    init_kinds: set[ActorKind] = field(default_factory=set)
    init_names: set[str] = field(default_factory=set)
    targ_names: set[str] = field(default_factory=set)
    killed: set[int | None] = field(default_factory=set)
    injured: set[int | None] = field(default_factory=set)

    def add(self, m: Mention) -> None:
        """Merge one more mention and update what the rules ask of the group."""
        if not self.mentions:
            self.first = m.sentence.index
        self.mentions.append(m)
        self.last = m.sentence.index
        if self._date_key is None and m.dates:
            self._date_key = m.dates[0].key
        self._ordinal = self._ordinal or m.ordinal
        self._speaker = self._speaker or m.speaker
        if self.threatened is None and m.triggers:
            self.threatened = m.threatened
        if not _weak(m) and m.aggregate:
            self.aggregate = True
        self.places |= _specific(m)
        self.all_places |= {p.name.lower() for p in m.places}
        self.count_values |= _counts(m)
        self.init_kinds |= {a.kind for a in m.initiators}
        self.init_names |= {a.neutral.lower() for a in m.initiators}
        self.targ_names |= {a.neutral.lower() for a in m.targets}
        self.killed |= {c.value for c in m.casualties if c.killed}
        self.injured |= {c.value for c in m.casualties if not c.killed}

    def date_key(self) -> str | None:
        return self._date_key

    def ordinal(self) -> str | None:
        return self._ordinal

    def specific_places(self) -> set[str]:
        return self.places

    def counts(self) -> set[int]:
        return self.count_values

    def speaker(self) -> str | None:
        return self._speaker


def _counts(m: Mention) -> set[int]:
    """Exact-ish counts (vague ones like "several" cannot tell events apart)."""
    return {q.value for q in m.quantities if q.qualifier != QuantityQualifier.several}


def _facts(m: Mention) -> list[str | int]:
    """The specific places and counts of a mention: what can tie it to a distant group."""
    return [*_specific(m), *_counts(m)]


def _specific(m: Mention) -> set[str]:
    return {p.name.lower() for p in m.places if p.geo_precision <= 2}


def _status_clash(g: Group, m: Mention) -> bool:
    """A threat of an act and the act itself are two records ("threats against her became
    a reality today"), however close they stand."""
    return bool(m.triggers) and g.threatened is not None and g.threatened != m.threatened


def _compatible(g: Group, m: Mention) -> bool:
    """Can m be one more report of g's event? (Same type, and nothing contradicts it.)"""
    if g.type != m.type or _status_clash(g, m):
        return False
    if g.type == EventType.threat_or_statement:
        return g.speaker() == m.speaker and m.sentence.index - g.last <= _NEAR
    if g.ordinal() and m.ordinal and g.ordinal() != m.ordinal:
        return False
    if m.anaphoric:
        return m.sentence.index - g.last <= _ANAPHORA
    if g.aggregate != m.aggregate:
        return False  # a tally and a single event are two records
    key = g.date_key()
    if key and m.dates and m.dates[0].key != key:
        return False
    counts, m_counts = g.counts(), _counts(m)
    if counts and m_counts and not counts & m_counts:
        return False
    places, m_places = g.specific_places(), _specific(m)
    if places and m_places and not places & m_places:
        return False
    if _sides_clash(g, m) or _casualties_clash(g, m):
        return False
    near = m.sentence.index - g.last <= _NEAR
    return near or bool(places & m_places) or bool(counts & m_counts)


def _weak(m: Mention) -> bool:
    """A mention that cannot tell events apart: no date, no count, no specific place."""
    return m.speaker is None and not (
        m.dates or m.quantities or any(p.geo_precision <= 2 for p in m.places)
    )


def _sides_clash(g: Group, m: Mention) -> bool:
    """Attackers of different kinds, or the attacked of one attacking in the other: two events.

    Kinds, not names: "Resistance factions" and "the Islamic Resistance in Iraq" may be one
    side under two names; armed factions and a state's forces are not.
    """
    m_kinds = {a.kind for a in m.initiators}
    if g.init_kinds and m_kinds and not g.init_kinds & m_kinds:
        return True
    m_init = {a.neutral.lower() for a in m.initiators}
    m_targ = {a.neutral.lower() for a in m.targets}
    return bool(g.targ_names & m_init or m_targ & g.init_names)


def _casualties_clash(g: Group, m: Mention) -> bool:
    """Different death or injury tolls: two events, not one."""
    for have, killed in ((g.killed, True), (g.injured, False)):
        new = {c.value for c in m.casualties if c.killed == killed}
        if have and new and not have & new:
            return True
    return False


def _weak_fits(g: Group, m: Mention) -> bool:
    """Can the weak mention m join g? (Same type and ordinal, a shared country, no clash.)"""
    if g.type != m.type or (g.ordinal() and m.ordinal and g.ordinal() != m.ordinal):
        return False
    if _status_clash(g, m):
        return False
    countries = {p.name.lower() for p in m.places}
    if countries and not countries & g.all_places:
        return False
    if _casualties_clash(g, m) or _sides_clash(g, m):
        return False
    return not (m.anaphoric and m.sentence.index < g.first)


class _ByLast:
    """One event type's groups sorted by their last sentence, to find the nearest quickly."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []  # (last sentence, seq), sorted
        self.groups: dict[int, Group] = {}

    def put(self, g: Group, old_last: int | None = None) -> None:
        if old_last is not None:
            i = bisect.bisect_left(self.keys, (old_last, g.seq))
            del self.keys[i]
        bisect.insort(self.keys, (g.last, g.seq))
        self.groups[g.seq] = g

    def nearest(self, m: Mention) -> Group | None:
        """The nearest group m fits (ties: the earliest made), looking at a bounded number.

        Distances grow outward from m's sentence on both sides; at most _LOOK groups are
        tried, so a weak mention costs O(log n), not a pass over every group.
        """
        idx = m.sentence.index
        lo = bisect.bisect_left(self.keys, (idx, -1)) - 1
        hi = lo + 1
        tried = 0
        while (lo >= 0 or hi < len(self.keys)) and tried < _LOOK:
            d_lo = idx - self.keys[lo][0] if lo >= 0 else None
            d_hi = self.keys[hi][0] - idx if hi < len(self.keys) else None
            dist = min(d for d in (d_lo, d_hi) if d is not None)
            if not m.anchored and not m.anaphoric and dist > _NEAR:
                return None  # an actor alone ties a mention only to an event close by
            ring: list[int] = []
            while lo >= 0 and idx - self.keys[lo][0] == dist:
                ring.append(self.keys[lo][1])
                lo -= 1
            while hi < len(self.keys) and self.keys[hi][0] - idx == dist:
                ring.append(self.keys[hi][1])
                hi += 1
            for seq in sorted(ring):
                tried += 1
                if _weak_fits(self.groups[seq], m):
                    return self.groups[seq]
        return None


def _family_home(groups: list[Group], recent: dict[EventType, int], m: Mention) -> Group | None:
    """The event just reported, when a sentence or two later tells more of it in other words.

    "Russian forces fired missiles at Dnipro ... The strikes hit an apartment building":
    one event, though "missiles" and "strikes" are two trigger types. A generic word told
    as known ("confirmed the attack", "the explosion hit the vehicle") refers back to any act
    of violence just told (an abduction, a bombing); clashes or a riot right after a protest
    or a riot ("inmates clashed for hours", "the gathering was declared a riot") are the
    same crowd event; a bomb named as the cause of "the blast" just told is that blast; "denied
    the accusation" is the other side's word on the act just told.
    """
    if not groups:
        return None
    g = groups[-1]
    reach = 2  # sentences
    if m.type in _CROWD_JOINS and not m.aggregate:
        # the crowd event told just before, even with an arrest told between; "Friday's
        # clashes" or "the gathering was declared a riot" names it from further away
        known = m.anaphoric or _KNOWN_CROWD.search(m.sentence.text) is not None
        reach = _ANAPHORA if known else 2
        g = next(
            (
                x
                for x in reversed(groups[-3:])
                if x.type in _CROWD and 0 < m.sentence.index - x.last <= reach
            ),
            g,
        )
    crowd = m.type in _CROWD_JOINS and g.type in _CROWD and not m.aggregate
    # "An explosion tore through ... The blast was caused by a bomb": the bomb is the blast's
    told_cause = (
        g.type == EventType.attack
        and m.type == EventType.bombing
        and _KNOWN_BLAST.search(m.sentence.text) is not None
    )
    # "X's army denied the accusation": the denial of the act just told is part of its record
    denial = m.negated and _DENIES_BACK.search(m.sentence.text) is not None and g.type in _VIOLENT
    if not (crowd or told_cause or denial):
        reach = 2
        if not m.anaphoric or m.type not in _ATTACKS:
            return None
        if m.type in recent and m.sentence.index - recent[m.type] <= _ANAPHORA:
            return None  # "the rocket attack" told earlier: the usual rules find it
        family = _VIOLENT if m.type == EventType.attack else _ATTACKS
        if g.type not in family:
            return None
    if not 0 < m.sentence.index - g.last <= reach or _status_clash(g, m):
        return None
    key = g.date_key()
    if key and m.dates and m.dates[0].key != key:
        return None
    if _casualties_clash(g, m) or _sides_clash(g, m):
        return None
    return g


class _Index:
    """Where a specific mention may belong: recent groups of its type, or ones sharing a fact.

    `_compatible` only ever accepts a group that is recent (within _ANAPHORA sentences),
    shares a specific place or shares a count, so those are the only groups tried.
    """

    def __init__(self) -> None:
        self.recent: dict[EventType, dict[int, Group]] = {}  # insertion order = last merged
        self.by_fact: dict[tuple[EventType, str | int], list[Group]] = {}

    def add(self, g: Group, m: Mention) -> None:
        g.add(m)
        line = self.recent.setdefault(g.type, {})
        line.pop(g.seq, None)
        line[g.seq] = g
        for fact in _facts(m):
            lst = self.by_fact.setdefault((g.type, fact), [])
            if not lst or lst[-1] is not g:
                lst.append(g)

    def home(self, m: Mention) -> Group | None:
        """The latest-made compatible group, as a scan of every group from the end would find."""
        seen: dict[int, Group] = {}
        for g in reversed(self.recent.get(m.type, {}).values()):
            if m.sentence.index - g.last > _ANAPHORA:
                break
            seen[g.seq] = g
        for fact in _facts(m):
            for g in self.by_fact.get((m.type, fact), [])[-_LOOK:]:
                seen[g.seq] = g
        return next((seen[k] for k in sorted(seen, reverse=True) if _compatible(seen[k], m)), None)


def group_mentions(finder: MentionFinder) -> list[Group]:
    """Merge mentions into groups, one per distinct event, in article order.

    Specific mentions (with a date, a count or a named site) found or continue
    groups first; weak ones (a country at most) then join the nearest group of
    their type, so a headline or a recap never becomes an event of its own.
    Every step looks at a bounded number of groups, found through an index, so
    grouping takes time linear in the number of mentions.
    """
    groups: list[Group] = []
    index = _Index()
    recent: dict[EventType, int] = {}  # type -> last sentence merged into a group of that type
    weak: list[Mention] = []
    orphans: list[tuple[Mention, Mention]] = []  # (facts, the mention in the sentence before)
    previous: Mention | None = None
    leftovers: list[Group] = []

    def new_group(t: EventType) -> Group:
        return Group(t, seq=len(groups) + len(leftovers))

    for s, mentions, orphan in finder.mentions():
        if orphan is not None:
            if previous is not None and s.index - previous.sentence.index <= 1:
                orphans.append((orphan, previous))
            continue
        previous = mentions[-1] if mentions else None
        for m in mentions:
            _claimed_type(groups, m)
            target = None if m.separate else _family_home(groups, recent, m)
            if target is None and not m.separate:
                if _weak(m):
                    if m.anchored or m.anaphoric or m.initiators or m.negated or m.threatened:
                        weak.append(m)
                    continue
                target = index.home(m)
            if target is None:
                target = new_group(m.type)
                groups.append(target)
            index.add(target, m)
            recent[target.type] = target.last
    by_last: dict[EventType, _ByLast] = {}
    for g in groups:
        by_last.setdefault(g.type, _ByLast()).put(g)
    spare: dict[EventType, list[Group]] = {}  # leftovers by type, in the order they were made
    for m in weak:
        line = by_last.get(m.type)
        home = line.nearest(m) if line is not None else None
        if home is not None:
            old = home.last
            home.add(m)
            line.put(home, old)  # type: ignore[union-attr]
            continue
        if not (m.anchored or (m.negated and m.initiators) or m.threatened):
            continue
        # bounded: the first of the latest _LOOK leftovers of its type that fits
        home = next(
            (g for g in spare.get(m.type, [])[-_LOOK:] if _weak_fits(g, m) and _near(g, m)),
            None,
        )
        if home is None:
            home = new_group(m.type)
            leftovers.append(home)
            spare.setdefault(m.type, []).append(home)
        home.add(m)
    where = {id(x): g for g in groups + leftovers for x in g.mentions}
    for orphan, before in orphans:
        if id(before) in where:
            where[id(before)].add(orphan)
    kept = [
        g
        for g in groups + leftovers
        # a threat of an act needs no anchor: what is told is the threat itself
        if any(
            m.anchored or m.speaker or (m.negated and m.initiators) or m.threatened
            for m in g.mentions
        )
    ]
    for g in kept:
        g.mentions.sort(key=lambda m: m.sentence.index)
        _settle_type(finder.text, g)
    return sorted(kept, key=lambda g: g.mentions[0].sentence.index)


_RESPONSIBILITY = re.compile(
    r"\b(?:claimed|claims|claiming|admitted|took|takes)\s+responsibility\b", re.I
)


def _claimed_type(groups: list[Group], m: Mention) -> None:
    """A claim of responsibility is a claim of the act just told, of that act's type.

    "A roadside bomb struck an army vehicle ... Al-Shabab claimed responsibility, saying its
    fighters had killed 15 soldiers": the generic "killed" is the bombing, as the group tells it.
    """
    if m.type != EventType.attack or not groups or not _RESPONSIBILITY.search(m.sentence.text):
        return
    g = groups[-1]
    if g.type in _VIOLENT and g.type != EventType.attack and 0 < m.sentence.index - g.last <= 2:
        m.type = g.type


_BLAST_WORD = re.compile(r"explo\w+|blasts?|detonat\w+", re.I)
_DENIES_BACK = re.compile(
    r"\b(?:den(?:ied|ies|y)|rejected|dismissed)\s+(?:the|this|these|that|those|its|their)\s+"
    r"(?:accusations?|allegations?|claims?|reports?|charges?)\b|\bdenied\s+it\b",
    re.I,
)
# "the gathering was declared a riot": the crowd already told
_KNOWN_CROWD = re.compile(
    r"\b(?:the|that|this)\s+(?:gathering|crowd|march|marchers|protest|protesters|demonstration|"
    r"demonstrators|rally)\b",
    re.I,
)
_KNOWN_BLAST = re.compile(r"\b(?:the|this)\s+(?:blast|explosion|attack)\b", re.I)


def _settle_type(text: str, g: Group) -> None:
    """The group's type once all its sentences are known.

    "An explosion on a minibus ... The blast was caused by a magnetic bomb": an explosion
    the group's own sentences put down to a bomb, with no aircraft, missile or shell named,
    is a bombing.
    """
    if g.type != EventType.attack:
        return
    if any(m.type == EventType.bombing for m in g.mentions):
        g.type = EventType.bombing  # the blast told first, its bomb after
        return
    words = [text[t.start : t.end] for m in g.mentions for t in m.triggers]
    means = {me.category for m in g.mentions for me in m.means}
    if (
        words
        and all(_BLAST_WORD.fullmatch(w) for w in words)
        and "explosive" in means
        and not means & {"drone", "aircraft", "helicopter", "missile", "rocket", "artillery"}
    ):
        g.type = EventType.bombing


def _near(g: Group, m: Mention) -> bool:
    """An actor alone ties a mention only to an event close by."""
    return m.anchored or m.anaphoric or abs(m.sentence.index - g.last) <= _NEAR
