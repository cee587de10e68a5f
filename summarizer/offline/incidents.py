"""From mentions to incidents: merge mentions of one event, then build grounded records.

One record per distinct event, as a careful reader would count them. A
mention joins an earlier record of the same type when it refers back to it
("the exercises", "this batch"), or when it is close by and nothing in it
contradicts the record (no different date, no different count, no different
"first"/"second wave", no disjoint places). Mentions that carry no fact at all
("the attacks have had an impact") never make a record of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from summarizer.framing import neutral_phrase
from summarizer.offline.mentions import Mention, MentionFinder
from summarizer.offline.text import evidence
from summarizer.records import (
    Actor,
    Attribution,
    Casualties,
    CasualtyCount,
    EventDate,
    EventStatus,
    EventType,
    Evidence,
    IncidentRecord,
    Location,
    Means,
    Quantity,
    QuantityQualifier,
    SourceKind,
)

_NEAR = 3  # sentences within which an unmarked mention may continue a record


@dataclass
class _Group:
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


def _compatible(g: _Group, m: Mention) -> bool:
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


def _sides_clash(g: _Group, m: Mention) -> bool:
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


def _casualties_clash(g: _Group, m: Mention) -> bool:
    """Different death or injury tolls: two events, not one."""
    for killed in (True, False):
        have = {c.value for x in g.mentions for c in x.casualties if c.killed == killed}
        new = {c.value for c in m.casualties if c.killed == killed}
        if have and new and not have & new:
            return True
    return False


def _weak_home(groups: list[_Group], m: Mention) -> _Group | None:
    """The nearest same-type group a weak mention can join (sharing a country, if it names one)."""
    countries = {p.name.lower() for p in m.places}
    best: tuple[int, _Group] | None = None
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


def group_mentions(finder: MentionFinder) -> list[_Group]:
    """Merge mentions into groups, one per distinct event, in article order.

    Specific mentions (with a date, a count or a named site) found or continue
    groups first; weak ones (a country at most) then join the nearest group of
    their type, so a headline or a recap never becomes an event of its own.
    """
    groups: list[_Group] = []
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
            if _weak(m):
                if m.anchored or m.anaphoric or m.initiators or m.negated:
                    weak.append(m)
                continue
            target = next((g for g in reversed(groups) if _compatible(g, m)), None)
            if target is None:
                target = _Group(m.type)
                groups.append(target)
            target.mentions.append(m)
    leftovers: list[_Group] = []
    for m in weak:
        home = _weak_home(groups, m)
        if home is None and (m.anchored or (m.negated and m.initiators)):
            home = next((g for g in leftovers if g.type == m.type and _weak_home([g], m)), None)
            if home is None:
                home = _Group(m.type)
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


# --------------------------------------------------------------------------- building records


def _ev(text: str, spans: list[tuple[int, int]]) -> list[Evidence]:
    out: list[Evidence] = []
    for a, b in spans:
        e = evidence(text, a, b)
        if e.quote and all(o.start != e.start or o.end != e.end for o in out):
            out.append(e)
    return out


def _status(g: _Group) -> EventStatus:
    if g.type == EventType.military_exercise:
        return EventStatus.simulated
    events = [m for m in g.mentions if m.triggers or m.speaker]
    if g.type == EventType.threat_or_statement:
        return EventStatus.denied if events and events[0].negated else EventStatus.threatened
    if events and all(m.negated for m in events):
        return EventStatus.denied
    if events and all(
        all(t.status == EventStatus.planned for t in m.triggers) for m in events if m.triggers
    ):
        return EventStatus.planned
    independent = {
        SourceKind.anonymous_official,
        SourceKind.named_official,
        SourceKind.government,
        SourceKind.media_outlet,
    }
    if any(m.claimed for m in g.mentions) and not any(
        s.kind in independent for m in g.mentions for s in m.sources
    ):
        return EventStatus.claimed
    return EventStatus.occurred


def _casualty(text: str, cs: list, killed: bool) -> CasualtyCount | None:  # type: ignore[type-arg]
    hits = [c for c in cs if c.killed == killed]
    if not hits:
        return None
    c = max(hits, key=lambda c: c.value or 0)
    q = c.qualifier
    low = best = high = None
    if c.value is not None:
        if q in (QuantityQualifier.exact,):
            low = best = high = c.value
        elif q == QuantityQualifier.at_least:
            low = best = c.value
        elif q == QuantityQualifier.more_than:
            low = c.value
        elif q == QuantityQualifier.about:
            best = c.value
        elif q == QuantityQualifier.at_most:
            high = c.value
    return CasualtyCount(
        low=low,
        best=best,
        high=high,
        who=c.who or None,
        text=text[c.start : c.end],
        evidence=_ev(text, [(c.ev_start, c.ev_end)]),
    )


_LABEL = {
    EventType.attack: "Attack",
    EventType.air_or_drone_strike: "Air or drone strike",
    EventType.shelling_or_missile: "Rocket, missile or shelling attack",
    EventType.armed_clash: "Armed clash",
    EventType.military_exercise: "Military exercise",
    EventType.deployment_or_reinforcement: "Deployment or reinforcement",
    EventType.arrest_or_capture: "Arrest or capture",
    EventType.threat_or_statement: "Statement",
    EventType.other: "Military activity",
}


_AREA_KINDS = ("country", "region", "province", "countryside", "place")


def _describe(rec: IncidentRecord) -> str:
    """A plain, neutral one-line description built only from the record's own fields."""
    label = _LABEL[rec.event_type]
    if rec.event_type == EventType.threat_or_statement:
        label = {
            EventStatus.threatened: "Threat or warning",
            EventStatus.denied: "Statement denying an action",
        }.get(rec.status, label)
    elif rec.status not in (EventStatus.occurred, EventStatus.simulated):
        label = f"{label} ({rec.status.value})"
    parts = [label]
    if rec.initiators:
        parts.append("by " + ", ".join(a.neutral_name for a in rec.initiators[:2]))
    if rec.targets:
        parts.append("against " + ", ".join(a.neutral_name for a in rec.targets[:2]))
    sites = [loc.name for loc in rec.locations if loc.kind not in _AREA_KINDS][:4]
    areas = [loc.name for loc in rec.locations if loc.kind in _AREA_KINDS][:3]
    if sites:
        parts.append("at " + ", ".join(sites))
    if areas:
        parts.append("in " + ", ".join(areas))
    if rec.date:
        parts.append(f"({rec.date.text.strip()})")
    if rec.quantities:
        q = rec.quantities[0]
        parts.append(f"- {q.text}" + (f" {neutral_phrase(q.unit)}" if q.unit not in q.text else ""))
    speakers = {a.name for a in rec.initiators}
    if rec.attribution and rec.attribution[0].source not in speakers:
        parts.append(f"- according to {rec.attribution[0].source}")
    return neutral_phrase(" ".join(parts)) + "."


def build_record(text: str, g: _Group) -> IncidentRecord:
    """One grounded IncidentRecord from a group of mentions."""
    ms = g.mentions
    sentence_spans = [(m.sentence.start, m.sentence.end) for m in ms]
    first_date = next((m.dates[0] for m in ms if m.dates), None)
    locs: dict[str, Location] = {}
    for m in ms:
        for p in m.places:
            key = p.name.lower()
            if key not in locs:
                locs[key] = Location(
                    name=p.name,
                    kind=p.kind,
                    admin_region=p.admin_region,
                    country=p.country,
                    geo_precision=p.geo_precision,
                    evidence=_ev(text, [(p.start, p.end)]),
                )

    def actors(attr: str) -> list[Actor]:
        seen: dict[str, Actor] = {}
        for m in ms:
            for a in getattr(m, attr):
                key = a.neutral.lower()
                if key not in seen:
                    seen[key] = Actor(
                        name=a.name,
                        neutral_name=a.neutral,
                        kind=a.kind,
                        evidence=_ev(text, [(a.start, a.end)]),
                    )
        return list(seen.values())

    means: dict[str, Means] = {}
    for m in ms:
        for me in m.means:
            means.setdefault(
                me.name.lower(),
                Means(name=me.name, category=me.category, evidence=_ev(text, [(me.start, me.end)])),
            )
    quants: list[Quantity] = []
    for m in ms:
        for q in m.quantities:
            same = next((i for i, x in enumerate(quants) if x.value == q.value), None)
            if same is not None:
                old = quants[same]
                if (old.scope is None and q.scope is not None) or (
                    old.qualifier == QuantityQualifier.exact
                    and q.qualifier != QuantityQualifier.exact
                ):
                    quants.pop(same)
                else:
                    continue
            quants.append(
                Quantity(
                    value=q.value,
                    qualifier=q.qualifier,
                    unit=q.unit,
                    scope=q.scope,
                    text=text[q.start : q.end],
                    evidence=_ev(text, [(q.ev_start, q.ev_end)]),
                )
            )
    cas = [c for m in ms for c in m.casualties]
    none = next((m.none_reported for m in ms if m.none_reported), None)
    spans: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
    kinds: dict[tuple[str, str | None], SourceKind] = {}
    for m in ms:
        for s in m.sources:  # one attribution per source; every sentence that cites it as evidence
            spans.setdefault((s.source, s.via), []).extend(s.spans)
            kinds.setdefault((s.source, s.via), s.kind)
    attributions = {
        key: Attribution(source=key[0], kind=kinds[key], via=key[1], evidence=_ev(text, sp))
        for key, sp in spans.items()
    }
    rec = IncidentRecord(
        event_type=g.type,
        status=_status(g),
        description="-",
        date=EventDate(
            value=first_date.value,
            end=first_date.end_value,
            precision=first_date.precision,
            text=first_date.text,
            evidence=_ev(text, [(first_date.start, first_date.end)]),
        )
        if first_date is not None and first_date.value is not None
        else None,
        locations=list(locs.values()),
        initiators=actors("initiators"),
        targets=actors("targets"),
        means=list(means.values()),
        casualties=Casualties(
            killed=_casualty(text, cas, True),
            injured=_casualty(text, cas, False),
            none_reported=none is not None and not cas,
        ),
        quantities=quants,
        attribution=list(attributions.values()),
        evidence=_ev(text, sentence_spans),
    )
    if (
        none is not None
        and not cas
        and not any(e.start <= none[0] and none[1] <= e.end for e in rec.evidence)
    ):
        rec.evidence.extend(_ev(text, [none]))
    rec.description = _describe(rec)
    return rec


def extract_incidents(text: str, published: date | None) -> list[IncidentRecord]:
    """Every distinct incident in the article, grounded, in article order."""
    finder = MentionFinder(text, published)
    return [build_record(text, g) for g in group_mentions(finder)]
