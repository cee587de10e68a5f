"""From groups of mentions to grounded IncidentRecords.

Every value is cut from the article text with the offsets the rules found, so
each record satisfies the grounding contract by construction; the status,
description and merged attribution are derived from the group's mentions.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import ValidationError

from summarizer.offline.describe import describe
from summarizer.offline.grouping import Group, group_mentions
from summarizer.offline.mentions import MentionFinder
from summarizer.offline.quantities import CasualtyMention
from summarizer.offline.text import evidence
from summarizer.records import (
    Actor,
    Attribution,
    Casualties,
    CasualtyCount,
    Dropped,
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


def _ev(text: str, spans: list[tuple[int, int]]) -> list[Evidence]:
    """Evidence for each span, trimmed, without duplicates."""
    out: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for a, b in spans:
        e = evidence(text, a, b)
        if e.quote and (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    return out


def _status(g: Group) -> EventStatus:
    """How real the event is, from its type, negations, plans and who claims it."""
    events = [m for m in g.mentions if m.triggers or m.speaker]
    if g.type == EventType.military_exercise:
        planned = events and all(
            t.status == EventStatus.planned for m in events for t in m.triggers
        )
        return EventStatus.planned if planned else EventStatus.simulated
    if g.type == EventType.threat_or_statement:
        return EventStatus.denied if events and events[0].negated else EventStatus.threatened
    if events and all(m.negated for m in events):
        return EventStatus.denied
    if any(m.negated for m in events):
        # one side says it happened, the other denies it: disputed, so a claim
        return EventStatus.claimed
    if events and all(
        all(t.status == EventStatus.planned for t in m.triggers) for m in events if m.triggers
    ):
        return EventStatus.planned
    if events and all(
        all(t.status == EventStatus.threatened for t in m.triggers) for m in events if m.triggers
    ):
        return EventStatus.threatened  # "the rebels threatened to kill the mayor"
    independent = {
        SourceKind.anonymous_official,
        SourceKind.named_official,
        SourceKind.government,
        SourceKind.media_outlet,
    }
    sources = [s for m in g.mentions for s in m.sources]
    if any(m.self_claimed for m in events):
        return EventStatus.claimed  # "The IDF said it struck ...": a party's word on its own act
    if any(m.claimed for m in g.mentions) and not any(s.kind in independent for s in sources):
        return EventStatus.claimed
    if sources and all(s.kind == SourceKind.group_statement for s in sources):
        return EventStatus.claimed  # only an armed group's word for it
    return EventStatus.occurred


def _casualty(text: str, cs: list[CasualtyMention], killed: bool) -> CasualtyCount | None:
    """The largest toll of one kind, as a conservative low/best/high count."""
    hits = [c for c in cs if c.killed == killed]
    if not hits:
        return None
    c = max(hits, key=lambda c: c.high or c.value or 0)
    q = c.qualifier
    low = best = high = None
    if c.high is not None:  # a range: the text supports both ends, no single best figure
        low, high = c.value, c.high
    elif c.value is not None:
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


# "Operation Blue Arrow", "an operation code-named 'Iron Shield'": a name as written.
_OPERATION = re.compile(
    r"\b(?:Operation\s+[\"“‘']?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}|"
    r"operation\s+(?:dubbed|called|named|code-?named)\s+[\"“‘'](?P<quoted>[A-Z][^\"”’']{1,40})[\"”’'])"
)


# Only an operation the event is part of: "as part of Operation X", "launched Operation X";
# "10 days after the launch of Operation X" dates the event by another one.
_OPERATION_LEAD = re.compile(
    r"(?:\bas\s+part\s+of|\bin|\bunder|\blaunched|\bbegan|\bdubbed|\bcalled|\bnamed|"
    r"\bcode-?named|\bits)\s+(?:the\s+|an?\s+)?$",
    re.I,
)


def _operation_name(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The operation the event is part of, named in its own sentences as written, else None."""
    for a, b in spans:
        for m in _OPERATION.finditer(text, a, b):
            if m.group("quoted") or _OPERATION_LEAD.search(text, max(a, m.start() - 30), m.start()):
                return m.group("quoted") or m.group(0).rstrip("'’")
    return None


def build_record(text: str, g: Group) -> IncidentRecord:
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
                    high=q.high,
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
        operation_name=_operation_name(text, sentence_spans),
        evidence=_ev(text, sentence_spans),
    )
    if (
        none is not None
        and not cas
        and not any(e.start <= none[0] and none[1] <= e.end for e in rec.evidence)
    ):
        rec.evidence.extend(_ev(text, [none]))
    rec.description = describe(rec)
    return rec


_BACKGROUND_DAYS = 60  # an event that ended this long before publication is history, not news


def _last_day(value: str) -> date | None:
    """The last day an ISO date of any precision can mean ("2023-04" -> 2023-04-30)."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        return None


def background(rec: IncidentRecord, published: date | None) -> bool:
    """True for an event told as history: its date ends well before the publication date.

    "18 years after the 2001 invasion", "an assassination in April 2023", "in August 2016":
    the article reports them as background to today's news, not as new incidents.
    """
    if published is None or rec.date is None:
        return False
    last = _last_day(rec.date.end or rec.date.value)
    return last is not None and (published - last).days > _BACKGROUND_DAYS


_AGO = re.compile(r"ago:(?P<n>\d+)(?P<unit>day|week|month|year)")


def _told_long_ago(g: Group) -> str | None:
    """The date text of an event told as long past ("two years ago") when nothing resolves it.

    Without a publication date "two years ago" gives no calendar date, but it still says the
    event is history: more than the background span before the article, whatever its date.
    """
    first = next((m.dates[0] for m in g.mentions if m.dates), None)
    if first is None or first.value is not None:
        return None
    ago = _AGO.fullmatch(first.key)
    if ago is None:
        return None
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[ago.group("unit")] * int(ago.group("n"))
    return first.text if days > _BACKGROUND_DAYS else None


def _unresolved_date(g: Group) -> str | None:
    """The text of the event's date when it names one that could not be resolved."""
    first = next((m.dates[0] for m in g.mentions if m.dates), None)
    return first.text if first is not None and first.value is None else None


def extract_incidents(
    text: str, published: date | None, dropped: list[Dropped] | None = None
) -> list[IncidentRecord]:
    """Every distinct incident in the article, grounded, in article order.

    What the rules found but leave out is listed in `dropped` when given, with the reason
    and its first sentence: a record that does not validate (grounded or absent), history
    told as background, and a story whose war words are figurative (sport, film, weather...).
    Nothing disappears unlisted.
    """
    finder = MentionFinder(text, published)
    records: list[IncidentRecord] = []
    skipped: list[Dropped] = []

    def skip(group: Group, reason: str) -> None:
        sentence = group.mentions[0].sentence
        skipped.append(
            Dropped(
                path="incidents",
                reason=f"{group.type.value} incident {reason}",
                value=" ".join(text[sentence.start : sentence.end].split())[:120],
            )
        )

    if finder.genre is not None:
        skipped.append(
            Dropped(
                path="incidents",
                reason=f"no incidents read: the story is about {finder.genre[0]} "
                f"({finder.genre[1]} of {len(finder.sentences)} sentences use its words), "
                "so its war words are figurative",
            )
        )
    for group in group_mentions(finder):
        try:
            rec = build_record(text, group)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "record"
            skip(group, f"not built: {where}: {first['msg']}")
            continue
        if background(rec, published):
            assert rec.date is not None
            skip(
                group,
                f"dated {rec.date.text!r} ({rec.date.value}), well before publication: "
                "background, not a new incident",
            )
            continue
        long_ago = _told_long_ago(group)
        if long_ago is not None:
            skip(group, f"told as {long_ago!r}: background, not a new incident")
            continue
        unresolved = _unresolved_date(group)
        if unresolved is not None:  # grounded or absent, and the absence is listed
            skipped.append(
                Dropped(
                    path=f"incidents[{len(records)}].date",
                    reason=f"date {unresolved!r} left out: without a publication date it "
                    "gives no calendar date (no year, or relative to the day of writing)",
                    value=unresolved,
                )
            )
        records.append(rec)
    if dropped is not None:
        dropped.extend(skipped)
    return records
