"""Story grouping: which articles are reposts of one another, which report the same events.

Three kinds of link, each with its reasons and a score in [0, 1]:
- `repost`: near-duplicate cleaned text (the shared MinHash/LSH detector of
  `summarizer.batch.dedup`);
- `same_events`: at least one pair of incidents matches on event type, date
  window, places and actors (`incident_match`);
- `same_story`: for articles with no incidents to match (politics, economy),
  the names and rare words they share.

Blocking keeps this linear-ish in the number of articles: candidate pairs come
from shared keys (a specific place, a named actor, a week, a rare name) and the
dedup index's LSH buckets, never from all pairs. A key shared by too many
articles (a country, "the US") is too common to tell events apart and is not
used as a block: it would only bring back the all-pairs cost.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations

from summarizer.batch.dedup import DuplicateIndex
from summarizer.compare.common import (
    Doc,
    actor_key,
    content_words,
    generic_actor,
    is_country,
    place_key,
    unit_family,
)
from summarizer.records import EventType, IncidentRecord, LinkKind, StoryLink

#: Two incidents are the same event at or above this score.
MATCH_THRESHOLD = 0.5
#: Articles without matching incidents are the same story at or above this Jaccard similarity
#: of the content words of their title and opening, when they also share STORY_NAMES names.
#: Calibrated on NeuS val (same story from three outlets vs different stories): at 0.12, 63%
#: of same-story pairs link and 0.1% of different-story pairs do.
STORY_THRESHOLD = 0.12
STORY_NAMES = 2
#: Characters of an article's opening that the story-level comparison reads.
STORY_LEAD_CHARS = 1500
#: Days either side of an incident's dates within which another report can be the same event.
DATE_WINDOW_DAYS = 3
#: Undated incidents in articles published further apart than this are not matched.
PUBLISHED_WINDOW_DAYS = 45
#: A blocking key shared by more articles than this is too common to block on.
MAX_BLOCK = 40

_VIOLENT = frozenset(
    {
        EventType.attack,
        EventType.air_or_drone_strike,
        EventType.shelling_or_missile,
        EventType.armed_clash,
    }
)


@dataclass(frozen=True)
class IncidentFeatures:
    """What incident matching looks at, computed once per incident."""

    type: EventType
    start: date | None
    end: date | None
    places: frozenset[str]  # specific places (bases, towns...)
    countries: frozenset[str]
    initiators: frozenset[str]
    targets: frozenset[str]
    units: frozenset[str]
    running_units: frozenset[str]  # counts "since" a date: a running total of a campaign
    month_day: tuple[int, int] | None  # a date the record gives without its year ("--10-17")
    killed: int | None
    injured: int | None
    published: date | None


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        return None
    return None


def _figure(count: object) -> int | None:
    if count is None:
        return None
    best, low = getattr(count, "best", None), getattr(count, "low", None)
    return best if best is not None else low


def features(rec: IncidentRecord, published: str | None) -> IncidentFeatures:
    start = end = None
    month_day = None
    if rec.date is not None and (md := re.fullmatch(r"--(\d\d)-(\d\d)", rec.date.value)):
        month_day = (int(md.group(1)), int(md.group(2)))
    elif rec.date is not None:
        start = _iso(rec.date.value)
        end = _iso(rec.date.end) or start
        if start is not None and end is not None and rec.date.precision.value == "month":
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    places = {place_key(loc.name) for loc in rec.locations if not is_country(loc.name)}
    countries = {place_key(loc.name) for loc in rec.locations if is_country(loc.name)}
    countries |= {place_key(loc.country) for loc in rec.locations if loc.country}
    return IncidentFeatures(
        type=rec.event_type,
        start=start,
        end=end,
        places=frozenset(places - {""}),
        countries=frozenset(countries - {""}),
        initiators=frozenset(actor_key(a.neutral_name or a.name) for a in rec.initiators),
        targets=frozenset(actor_key(a.neutral_name or a.name) for a in rec.targets),
        units=frozenset(unit_family(q.unit) for q in rec.quantities),
        running_units=frozenset(
            unit_family(q.unit) for q in rec.quantities if re.search(r"\bsince\b", q.scope or "")
        ),
        month_day=month_day,
        killed=_figure(rec.casualties.killed),
        injured=_figure(rec.casualties.injured),
        published=_iso(published),
    )


def _family(t: EventType) -> str:
    return "violent" if t in _VIOLENT else t.value


def _shared_actors(a: frozenset[str], b: frozenset[str]) -> tuple[float, list[str]]:
    shared = sorted(a & b)
    if not shared:
        return 0.0, []
    specific = [k for k in shared if not generic_actor(k)]
    return (1.0 if specific else 0.3), specific or shared


def _with_year(f: IncidentFeatures, other: IncidentFeatures) -> IncidentFeatures:
    """A year-less date ("--10-17") read in the year of the other report's date, if any."""
    if f.start is not None or f.month_day is None or other.start is None:
        return f
    try:
        day = date(other.start.year, *f.month_day)
    except ValueError:
        return f
    return replace(f, start=day, end=day)


def incident_match(a: IncidentFeatures, b: IncidentFeatures) -> tuple[float, list[str]]:
    """How likely two reported incidents are one event (0 when something rules it out).

    Type, date window, places and actors add up; a match also needs an anchor (a
    shared date, a named initiator or a casualty figure), because bases and towns
    see many events and the same kind of event there is a topic, not one event.
    """
    if _family(a.type) != _family(b.type):
        return 0.0, []
    reasons: list[str] = []
    anchored = False  # a shared date, named initiator or casualty figure: more than a topic
    score = 0.15 if a.type == b.type else 0.09
    reasons.append(f"event type {a.type.value}" + ("" if a.type == b.type else f"/{b.type.value}"))
    window = timedelta(days=DATE_WINDOW_DAYS)
    a, b = _with_year(a, b), _with_year(b, a)
    if a.start and b.start and a.end and b.end:
        if a.start - window > b.end or b.start - window > a.end:
            return 0.0, []  # dated, and the dates are too far apart
        score += 0.25
        anchored = True
        reasons.append("dates within a few days")
    elif a.start or b.start:
        score += 0.05  # one report gives no date: neither for nor against
    elif (
        a.published and b.published and abs(a.published - b.published).days > PUBLISHED_WINDOW_DAYS
    ):
        return 0.0, []  # undated reports published months apart
    if a.places & b.places:
        score += 0.25
        reasons.append("places " + ", ".join(sorted(a.places & b.places)))
    elif a.countries & b.countries:
        score += 0.08
        reasons.append("country " + ", ".join(sorted(a.countries & b.countries)))
    elif (a.places or a.countries) and (b.places or b.countries):
        return 0.0, []  # both say where, and nowhere in common
    weight, shared = _shared_actors(a.initiators, b.initiators)
    if weight:
        anchored = anchored or weight == 1.0
        score += 0.25 * weight
        reasons.append("initiator " + ", ".join(shared))
    weight, shared = _shared_actors(a.targets, b.targets)
    if weight:
        score += 0.1 * (0.5 if weight < 1 else 1.0)
        reasons.append("target " + ", ".join(shared))
    for what, x, y in (("killed", a.killed, b.killed), ("injured", a.injured, b.injured)):
        if x is not None and x == y and x > 0:
            score += 0.1
            anchored = True
            reasons.append(f"{x} {what} in both")
    if a.running_units & b.running_units:
        score += 0.1
        reasons.append("running totals of " + ", ".join(sorted(a.running_units & b.running_units)))
    elif a.units & b.units:
        score += 0.05
        reasons.append("counts of " + ", ".join(sorted(a.units & b.units)))
    if not anchored:
        return 0.0, []  # same kind of event in the same places is a topic, not an event
    return round(min(score, 1.0), 3), reasons


@dataclass
class _DocFeatures:
    doc: Doc
    incidents: list[IncidentFeatures]
    words: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}|[A-Z]{2,})\b", re.M)


def _story_words(doc: Doc) -> tuple[frozenset[str], frozenset[str]]:
    """Content words and names (capitalised words inside sentences) of title and opening."""
    a = doc.result.article
    lead = f"{a.title or ''}. {a.text[:STORY_LEAD_CHARS]}"
    words = frozenset(content_words(lead))
    names = frozenset(n.lower() for n in _NAME.findall(lead)) & words
    return words, names


def _blocking_keys(f: _DocFeatures) -> set[str]:
    keys: set[str] = set()
    for inc in f.incidents:
        fam = _family(inc.type)
        keys |= {f"p:{fam}:{p}" for p in inc.places}
        keys |= {f"a:{fam}:{a}" for a in inc.initiators if not generic_actor(a)}
        if inc.start:
            week = inc.start.isocalendar()
            keys.add(f"w:{fam}:{week.year}-{week.week}")
            for shift in range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1):
                day = inc.start + timedelta(days=shift)
                keys.add(f"md:{fam}:{day.month}-{day.day}")  # meets year-less dates
        elif inc.month_day:
            keys.add(f"md:{fam}:{inc.month_day[0]}-{inc.month_day[1]}")
        if not inc.places and not inc.initiators and not inc.start:
            keys |= {f"c:{fam}:{c}" for c in inc.countries}
    keys |= {f"n:{w}" for w in f.names}  # story-level candidates: shared names
    return keys


@dataclass
class Grouping:
    """Story groups (lists of doc indices, input order) and the links that made them."""

    groups: list[list[int]]
    links: list[StoryLink]
    reposts: dict[int, int]  # repost index -> original index
    candidate_pairs: int
    notes: list[str]


def _story_score(a: _DocFeatures, b: _DocFeatures) -> float:
    if len(a.names & b.names) < STORY_NAMES or not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / len(a.words | b.words)


def best_incident_pairs(
    a: Iterable[IncidentFeatures], b: Iterable[IncidentFeatures]
) -> list[tuple[float, int, int, list[str]]]:
    """Every incident pair of two articles at or above the threshold, best first."""
    out = []
    bl = list(b)
    for i, fa in enumerate(a):
        for j, fb in enumerate(bl):
            score, reasons = incident_match(fa, fb)
            if score >= MATCH_THRESHOLD:
                out.append((score, i, j, reasons))
    return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def group_docs(docs: list[Doc]) -> tuple[Grouping, list[list[IncidentFeatures]]]:
    """Group the docs into stories; also return each doc's incident features for reuse."""
    feats = [
        _DocFeatures(d, [features(r, d.result.article.published) for r in d.incidents], frozenset())
        for d in docs
    ]
    for f in feats:
        f.words, f.names = _story_words(f.doc)
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    links: list[StoryLink] = []
    reposts: dict[int, int] = {}
    index = DuplicateIndex()
    by_id = {d.id: d.order for d in docs}

    def repost(d: Doc, original: str, similarity: float, reason: str) -> None:
        """`d` reposts the doc `original`: one story, and `d` stands for nothing of its own."""
        orig = by_id[original]
        reposts[d.order] = reposts.get(orig, orig)
        union(orig, d.order)
        links.append(
            StoryLink(
                a=original,
                b=d.id,
                kind=LinkKind.repost,
                score=round(similarity, 3),
                reasons=[reason],
            )
        )

    for d in docs:
        m = index.add(d.id, d.text)
        marked = d.result.duplicate_of  # batch already linked it: its verdict and score stand
        if marked is not None and marked.doc_id in by_id and marked.doc_id != d.id:
            how = f"{marked.method}, similarity {marked.similarity:.2f}"
            why = f"marked a duplicate by batch ({how})"
            repost(d, marked.doc_id, marked.similarity, why)
        elif m is not None and m.key != d.id:
            why = f"near-duplicate text (shingle Jaccard {m.similarity:.2f})"
            repost(d, m.key, m.similarity, why)
    blocks: dict[str, list[int]] = defaultdict(list)
    for f in feats:
        if f.doc.order in reposts:
            continue  # a repost's incidents are its original's: the original stands for both
        for key in _blocking_keys(f):
            blocks[key].append(f.doc.order)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for members in blocks.values():
        if len(members) > MAX_BLOCK:
            skipped += 1
            continue
        pairs.update(combinations(members, 2))
    for i, j in sorted(pairs):
        fa, fb = feats[i], feats[j]
        if fa.incidents and fb.incidents:
            found = best_incident_pairs(fa.incidents, fb.incidents)
            if found:
                score, _, _, reasons = found[0]
                union(i, j)
                links.append(
                    StoryLink(
                        a=docs[i].id,
                        b=docs[j].id,
                        kind=LinkKind.same_events,
                        score=score,
                        reasons=[f"{len(found)} matching incident pair(s)", *reasons],
                    )
                )
        if not (fa.incidents and fb.incidents):
            # no incidents to match on one side (politics, economy...): the story's words
            score = _story_score(fa, fb)
            if score >= STORY_THRESHOLD:
                union(i, j)
                shared = sorted(fa.names & fb.names)
                links.append(
                    StoryLink(
                        a=docs[i].id,
                        b=docs[j].id,
                        kind=LinkKind.same_story,
                        score=round(min(score, 1.0), 3),
                        reasons=[
                            f"title and opening share {score:.0%} of their words",
                            "names " + ", ".join(shared[:8]),
                        ],
                    )
                )
    groups: dict[int, list[int]] = defaultdict(list)
    for d in docs:
        groups[find(d.order)].append(d.order)
    notes = []
    if skipped:
        notes.append(f"{skipped} blocking key(s) shared by over {MAX_BLOCK} articles not used")
    grouping = Grouping(
        groups=sorted(groups.values(), key=lambda g: g[0]),
        links=links,
        reposts=reposts,
        candidate_pairs=len(pairs),
        notes=notes,
    )
    return grouping, [f.incidents for f in feats]
