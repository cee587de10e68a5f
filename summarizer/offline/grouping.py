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

from dataclasses import dataclass, field

from summarizer.offline.mentions import Mention, MentionFinder
from summarizer.records import EventType, QuantityQualifier

_NEAR = 3  # sentences within which an unmarked mention may continue a record
_ATTACKS = (EventType.attack, EventType.air_or_drone_strike, EventType.shelling_or_missile)


@dataclass
class Group:
    """The mentions of one event, in the order they were merged."""

    type: EventType
    mentions: list[Mention] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.mentions[-1].sentence.index

    def date_key(self) -> str | None:
        return next((m.dates[0].key for m in self.mentions if m.dates), None)

    def ordinal(self) -> str | None:
        return next((m.ordinal for m in self.mentions if m.ordinal), None)

    def specific_places(self) -> set[str]:
        return {p.name.lower() for m in self.mentions for p in m.places if p.geo_precision <= 2}

    def counts(self) -> set[int]:
        return _counts(self.mentions)

    def speaker(self) -> str | None:
        return next((m.speaker for m in self.mentions if m.speaker), None)


def _counts(mentions: list[Mention]) -> set[int]:
    """Exact-ish counts (vague ones like "several" cannot tell events apart)."""
    return {
        q.value for m in mentions for q in m.quantities if q.qualifier != QuantityQualifier.several
    }


def _compatible(g: Group, m: Mention) -> bool:
    """Can m be one more report of g's event? (Same type, and nothing contradicts it.)"""
    if g.type != m.type:
        return False
    if g.type == EventType.threat_or_statement:
        return g.speaker() == m.speaker and m.sentence.index - g.last <= _NEAR
    if g.ordinal() and m.ordinal and g.ordinal() != m.ordinal:
        return False
    if m.anaphoric:
        return m.sentence.index - g.last <= 8
    if any(x.aggregate for x in g.mentions if not _weak(x)) != m.aggregate:
        return False  # a tally and a single event are two records
    key = g.date_key()
    if key and m.dates and m.dates[0].key != key:
        return False
    counts, m_counts = g.counts(), _counts([m])
    if counts and m_counts and not counts & m_counts:
        return False
    places = g.specific_places()
    m_places = {p.name.lower() for p in m.places if p.geo_precision <= 2}
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
    g_kinds = {a.kind for x in g.mentions for a in x.initiators}
    m_kinds = {a.kind for a in m.initiators}
    if g_kinds and m_kinds and not g_kinds & m_kinds:
        return True
    g_init = {a.neutral.lower() for x in g.mentions for a in x.initiators}
    g_targ = {a.neutral.lower() for x in g.mentions for a in x.targets}
    m_init = {a.neutral.lower() for a in m.initiators}
    m_targ = {a.neutral.lower() for a in m.targets}
    return bool(g_targ & m_init or m_targ & g_init)


def _casualties_clash(g: Group, m: Mention) -> bool:
    """Different death or injury tolls: two events, not one."""
    for killed in (True, False):
        have = {c.value for x in g.mentions for c in x.casualties if c.killed == killed}
        new = {c.value for c in m.casualties if c.killed == killed}
        if have and new and not have & new:
            return True
    return False


def _weak_home(groups: list[Group], m: Mention) -> Group | None:
    """The nearest same-type group a weak mention can join (sharing a country, if it names one)."""
    countries = {p.name.lower() for p in m.places}
    best: tuple[int, Group] | None = None
    for g in groups:
        if g.type != m.type or (g.ordinal() and m.ordinal and g.ordinal() != m.ordinal):
            continue
        g_countries = {p.name.lower() for x in g.mentions for p in x.places}
        if countries and not countries & g_countries:
            continue
        if _casualties_clash(g, m) or _sides_clash(g, m):
            continue
        dist = abs(m.sentence.index - g.last)
        if m.anaphoric and m.sentence.index < g.mentions[0].sentence.index:
            continue
        if not m.anchored and not m.anaphoric and dist > _NEAR:
            continue  # an actor alone ties a mention only to an event close by
        if best is None or dist < best[0]:
            best = (dist, g)
    return best[1] if best else None


def _family_home(groups: list[Group], m: Mention) -> Group | None:
    """The attack just reported, for "the strikes" or "the attack" a sentence or two later.

    "Russian forces fired missiles at Dnipro ... The strikes hit an apartment building":
    one event, though "missiles" and "strikes" are two trigger types.
    """
    if not m.anaphoric or m.type not in _ATTACKS or not groups:
        return None
    if any(g.type == m.type and m.sentence.index - g.last <= 8 for g in groups):
        return None  # "the rocket attack" told earlier: the usual rules find it
    g = groups[-1]
    if g.type not in _ATTACKS or not 0 < m.sentence.index - g.last <= 2:
        return None
    key = g.date_key()
    if key and m.dates and m.dates[0].key != key:
        return None
    if _casualties_clash(g, m) or _sides_clash(g, m):
        return None
    return g


def group_mentions(finder: MentionFinder) -> list[Group]:
    """Merge mentions into groups, one per distinct event, in article order.

    Specific mentions (with a date, a count or a named site) found or continue
    groups first; weak ones (a country at most) then join the nearest group of
    their type, so a headline or a recap never becomes an event of its own.
    """
    groups: list[Group] = []
    weak: list[Mention] = []
    orphans: list[tuple[Mention, Mention]] = []  # (facts, the mention in the sentence before)
    previous: Mention | None = None
    for s, mentions, orphan in finder.mentions():
        if orphan is not None:
            if previous is not None and s.index - previous.sentence.index <= 1:
                orphans.append((orphan, previous))
            continue
        previous = mentions[-1] if mentions else None
        for m in mentions:
            family = _family_home(groups, m)
            if family is not None:
                family.mentions.append(m)
                continue
            if _weak(m):
                if m.anchored or m.anaphoric or m.initiators or m.negated:
                    weak.append(m)
                continue
            target = next((g for g in reversed(groups) if _compatible(g, m)), None)
            if target is None:
                target = Group(m.type)
                groups.append(target)
            target.mentions.append(m)
    leftovers: list[Group] = []
    for m in weak:
        home = _weak_home(groups, m)
        if home is None and (m.anchored or (m.negated and m.initiators)):
            home = next((g for g in leftovers if g.type == m.type and _weak_home([g], m)), None)
            if home is None:
                home = Group(m.type)
                leftovers.append(home)
        if home is not None:
            home.mentions.append(m)
    for orphan, before in orphans:
        home = next((g for g in groups + leftovers if any(x is before for x in g.mentions)), None)
        if home is not None:
            home.mentions.append(orphan)
    kept = [
        g
        for g in groups + leftovers
        if any(m.anchored or m.speaker or (m.negated and m.initiators) for m in g.mentions)
    ]
    for g in kept:
        g.mentions.sort(key=lambda m: m.sentence.index)
    return sorted(kept, key=lambda g: g.mentions[0].sentence.index)
