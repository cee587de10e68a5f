"""The fact matrix: each matched incident's facts side by side, one column per outlet.

Incidents of the outlets in a story are aligned with the same matcher that
grouped the story (best pairs first, one incident per outlet per match), then
every fact (status, date, places, actors, means, casualties, counts,
attribution) is compared cell by cell. The rule that matters most: two counts
of the same thing over different scopes ("about 85 times since October 18" in
Syria vs "at least 118 attacks since October 17" in Syria and Iraq) are
`different_scope`, shown with their scopes, never called a contradiction and
never forced into agreement. Every cell carries its evidence spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from summarizer.compare.common import (
    Doc,
    actor_key,
    fold,
    place_key,
    refs,
    unit_family,
)
from summarizer.compare.grouping import IncidentFeatures, best_incident_pairs
from summarizer.records import (
    CasualtyCount,
    CellStatus,
    EvidenceRef,
    FactCell,
    FactRow,
    IncidentRecord,
    IncidentRef,
    MatchedIncident,
    Quantity,
)


@dataclass(frozen=True)
class _Value:
    """One outlet's value for a fact: what to show, what to compare, where it comes from."""

    shown: str
    key: object
    evidence: list[EvidenceRef]
    scope: str | None = None


def align(
    docs: Sequence[Doc], feats: Sequence[Sequence[IncidentFeatures]]
) -> list[tuple[float, list[tuple[int, int]]]]:
    """Clusters of (doc position, incident index): best incident pairs first, one per doc."""
    pairs: list[tuple[float, int, int, int, int]] = []
    for x in range(len(docs)):
        for y in range(x + 1, len(docs)):
            for score, i, j, _ in best_incident_pairs(feats[x], feats[y]):
                pairs.append((score, x, i, y, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2], p[3], p[4]))
    cluster_of: dict[tuple[int, int], int] = {}
    clusters: list[dict[int, int]] = []
    scores: list[float] = []
    for score, x, i, y, j in pairs:
        cx, cy = cluster_of.get((x, i)), cluster_of.get((y, j))
        if cx is None and cy is None:
            cluster_of[(x, i)] = cluster_of[(y, j)] = len(clusters)
            clusters.append({x: i, y: j})
            scores.append(score)
        elif cx is not None and cy is None and y not in clusters[cx]:
            clusters[cx][y] = j
            cluster_of[(y, j)] = cx
        elif cy is not None and cx is None and x not in clusters[cy]:
            clusters[cy][x] = i
            cluster_of[(x, i)] = cy
    for x in range(len(docs)):  # what only one outlet reports
        for i in range(len(feats[x])):
            if (x, i) not in cluster_of:
                cluster_of[(x, i)] = len(clusters)
                clusters.append({x: i})
                scores.append(1.0)
    out = [(scores[n], sorted(c.items())) for n, c in enumerate(clusters)]
    return sorted(out, key=lambda c: (-len(c[1]), c[1][0]))


# --------------------------------------------------------------------------- fact readers


def _status(doc: str, rec: IncidentRecord) -> _Value | None:
    return _Value(rec.status.value, rec.status.value, refs(doc, rec.evidence[:1], "status"))


def _date(doc: str, rec: IncidentRecord) -> _Value | None:
    d = rec.date
    if d is None:
        return None
    shown = d.value + (f" to {d.end}" if d.end else "") + f' ("{d.text}")'
    return _Value(shown, (d.value, d.end), refs(doc, d.evidence, "date"))


def _places(doc: str, rec: IncidentRecord) -> _Value | None:
    if not rec.locations:
        return None
    names = [loc.name for loc in rec.locations]
    ev = [r for loc in rec.locations for r in refs(doc, loc.evidence[:1], "place")]
    key = frozenset(place_key(n) for n in names)
    return _Value(", ".join(names), key, ev)


def _actors(field: str) -> Callable[[str, IncidentRecord], _Value | None]:
    def read(doc: str, rec: IncidentRecord) -> _Value | None:
        actors = rec.initiators if field == "initiators" else rec.targets
        if not actors:
            return None
        ev = [r for a in actors for r in refs(doc, a.evidence[:1], field)]
        key = frozenset(actor_key(a.neutral_name or a.name) for a in actors)
        return _Value(", ".join(a.name for a in actors), key, ev)

    return read


def _means(doc: str, rec: IncidentRecord) -> _Value | None:
    if not rec.means:
        return None
    ev = [r for m in rec.means for r in refs(doc, m.evidence[:1], "means")]
    return _Value(
        ", ".join(m.name for m in rec.means), frozenset(m.category for m in rec.means), ev
    )


def _casualty(field: str) -> Callable[[str, IncidentRecord], _Value | None]:
    def read(doc: str, rec: IncidentRecord) -> _Value | None:
        count: CasualtyCount | None = getattr(rec.casualties, field)
        if count is None:
            if rec.casualties.none_reported:
                return _Value("none reported", 0, refs(doc, rec.evidence[:1], field))
            return None
        figure = count.best if count.best is not None else count.low
        return _Value(count.text, figure, refs(doc, count.evidence, field))

    return read


def _attribution(doc: str, rec: IncidentRecord) -> _Value | None:
    if not rec.attribution:
        return None
    ev = [r for a in rec.attribution for r in refs(doc, a.evidence[:1], "attribution")]
    key = frozenset(fold(a.source) for a in rec.attribution)
    return _Value(", ".join(a.source for a in rec.attribution), key, ev)


def _quantity(doc: str, q: Quantity) -> _Value:
    qual = "" if q.qualifier.value == "exact" else q.qualifier.value.replace("_", " ") + " "
    high = getattr(q, "high", None)
    number = f"{q.value}-{high}" if high else str(q.value)
    if q.qualifier.value == "several":
        qual, number = "several", ""
    return _Value(
        re.sub(r"\s+", " ", f"{qual}{number} {q.unit}").strip(),
        (q.value, high),
        refs(doc, q.evidence, "count"),
        q.scope,
    )


_FACTS: tuple[tuple[str, Callable[[str, IncidentRecord], _Value | None]], ...] = (
    ("status", _status),
    ("date", _date),
    ("places", _places),
    ("initiators", _actors("initiators")),
    ("targets", _actors("targets")),
    ("means", _means),
    ("killed", _casualty("killed")),
    ("injured", _casualty("injured")),
    ("attribution", _attribution),
)


# --------------------------------------------------------------------------- comparing values


def _agree(keys: list[object]) -> tuple[bool, str | None]:
    """Equal values agree; for sets, one outlet naming more of the same also agrees."""
    if all(k == keys[0] for k in keys):
        return True, None
    if all(isinstance(k, frozenset) for k in keys):
        sets = sorted((k for k in keys if isinstance(k, frozenset)), key=len)
        if all(a <= b for a, b in pairwise(sets)):
            return True, "one outlet names more than the other"
    return False, None


def _scoped(values: list[_Value]) -> bool:
    scopes = {fold(v.scope) for v in values if v.scope}
    return len(scopes) > 1 or (len(scopes) == 1 and any(not v.scope for v in values))


def _row(
    fact: str, labels: list[tuple[str, str]], values: list[_Value | None], count: bool = False
) -> FactRow | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    note = None
    if len(values) == 1 or len(present) == 1:
        status = CellStatus.only_in_one
    else:
        same, note = _agree([v.key for v in present])
        if same:
            status = CellStatus.agree
        elif count and _scoped(present):
            status = CellStatus.different_scope
            note = (
                "the counts cover different places or periods: "
                "a difference of scope, not a contradiction"
            )
        else:
            status = CellStatus.differ
    cells = [
        FactCell(
            doc_id=doc,
            outlet=label,
            value=v.shown if v else None,
            scope=v.scope if v else None,
            status=status if v else CellStatus.absent,
            evidence=v.evidence if v else [],
        )
        for (doc, label), v in zip(labels, values, strict=True)
    ]
    return FactRow(fact=fact, status=status, cells=cells, note=note)


def _count_rows(labels: list[tuple[str, str]], recs: list[IncidentRecord]) -> list[FactRow]:
    families: list[str] = []
    for rec in recs:
        for q in rec.quantities:
            fam = unit_family(q.unit)
            if fam not in families:
                families.append(fam)
    rows = []
    for fam in families:
        values: list[_Value | None] = []
        for (doc, _), rec in zip(labels, recs, strict=True):
            qs = [q for q in rec.quantities if unit_family(q.unit) == fam]
            values.append(_quantity(doc, max(qs, key=lambda q: q.value)) if qs else None)
        row = _row(f"count of {fam}", labels, values, count=True)
        if row:
            rows.append(row)
    return rows


def matched_incidents(
    docs: Sequence[Doc], feats: Sequence[Sequence[IncidentFeatures]], group_id: str
) -> list[MatchedIncident]:
    """The group's incidents, matched across outlets, each with its fact rows."""
    out = []
    for n, (score, members) in enumerate(align(docs, feats)):
        labels = [(docs[x].id, docs[x].label) for x, _ in members]
        recs = [docs[x].incidents[i] for x, i in members]
        rows = []
        for fact, read in _FACTS:
            values = [read(d, r) for (d, _), r in zip(labels, recs, strict=True)]
            row = _row(fact, labels, values)
            if row is not None:
                rows.append(row)
        rows += _count_rows(labels, recs)
        dates = sorted(r.date.value for r in recs if r.date)
        out.append(
            MatchedIncident(
                id=f"{group_id}-i{n + 1}",
                event_type=recs[0].event_type,
                description=recs[0].description,
                date=dates[0] if dates else None,
                members=[IncidentRef(doc_id=docs[x].id, index=i) for x, i in members],
                score=score,
                rows=rows,
            )
        )
    return out
