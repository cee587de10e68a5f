"""The HTML report: one self-contained file that opens from disk, with no script at all.

Everything that comes from an article is escaped (Jinja2 autoescape for the
template, `markupsafe.escape` for the article bodies built here), and a
Content-Security-Policy of `default-src 'none'` forbids scripts and every
request, so a page with `<script>` in it can neither run nor phone home.
Navigation needs no script either: a matrix cell is a link to an anchor
just before its evidence span, and CSS `:target` highlights the span.

Article bodies: the cleaned text with each evidence span marked (hover shows the
fields it backs) and loaded terms marked; when the raw input is known, the text
cleaning dropped (boilerplate) is shown greyed where it was, found from the
article's offset map.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from summarizer.compare.common import make_docs
from summarizer.framing import TermHit, find_loaded_terms
from summarizer.records import ArticleResult, Comparison, EvidenceRef, StoryGroup

#: Longest greyed boilerplate block shown in full; longer ones are cut in the middle.
MAX_GREY_CHARS = 600


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("summarizer", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["anchor"] = anchor
    env.filters["pct"] = lambda v: "-" if v is None else f"{v:.0%}"
    return env


def anchor(ev: EvidenceRef) -> str:
    """The id of the anchor placed just before an evidence span."""
    return f"ev-{ev.doc_id[:12]}-{ev.start}-{ev.end}"


@dataclass
class _Span:
    start: int
    end: int
    fields: set[str]
    anchors: set[str]


def _grey_gaps(result: ArticleResult, raw: str | None) -> dict[int, str]:
    """Clean offset -> raw text dropped just before it (boilerplate), from the offset map."""
    if raw is None or not result.article.offset_map:
        return {}
    gaps: dict[int, str] = {}
    prev_raw = 0
    for clean_start, raw_start, length in sorted(result.article.offset_map, key=lambda s: s[1]):
        if raw_start > prev_raw:
            dropped = raw[prev_raw:raw_start].strip()
            if dropped:
                gaps[clean_start] = gaps.get(clean_start, "") + dropped
        prev_raw = max(prev_raw, raw_start + length)
    tail = raw[prev_raw:].strip()
    if tail:
        gaps[len(result.article.text)] = gaps.get(len(result.article.text), "") + tail
    return gaps


def _grey(text: str) -> Markup:
    if len(text) > MAX_GREY_CHARS:
        half = MAX_GREY_CHARS // 2
        text = f"{text[:half]} [… {len(text) - MAX_GREY_CHARS} characters …] {text[-half:]}"
    return Markup('<span class="boiler" title="dropped by cleaning">{}</span>').format(text)


def article_body(
    doc_id: str, result: ArticleResult, evidence: Sequence[EvidenceRef], raw: str | None
) -> Markup:
    """The article text with evidence and loaded terms marked and boilerplate greyed."""
    text = result.article.text
    spans: dict[tuple[int, int], _Span] = {}
    for ev in evidence:
        if ev.doc_id != doc_id or not (0 <= ev.start < ev.end <= len(text)):
            continue
        span = spans.setdefault((ev.start, ev.end), _Span(ev.start, ev.end, set(), set()))
        span.fields.add(ev.field or "evidence")
        span.anchors.add(anchor(ev))
    gaps = _grey_gaps(result, raw)
    # one sweep over the cut points: spans and terms open and close as it passes them
    opens: dict[int, list[_Span]] = defaultdict(list)
    closes: dict[int, list[_Span]] = defaultdict(list)
    for span in spans.values():
        opens[span.start].append(span)
        closes[span.end].append(span)
    term_at: dict[int, TermHit] = {}
    term_end: dict[int, list[TermHit]] = defaultdict(list)
    for hit in find_loaded_terms(text):
        term_at[hit.start] = hit
        term_end[hit.end].append(hit)
    cuts = {0, len(text), *gaps, *opens, *closes, *term_at, *term_end}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Markup] = []
    active: list[_Span] = []
    term: TermHit | None = None
    for a, b in zip(points, [*points[1:], None], strict=True):
        active = [x for x in active if x.end > a]
        if term is not None and term.end <= a:
            term = None
        if a in gaps:
            out.append(_grey(gaps[a]))
        for span in opens.get(a, []):
            active.append(span)
            out.extend(
                Markup('<span class="anchor" id="{}"></span>').format(x)
                for x in sorted(span.anchors)
            )
        term = term_at.get(a, term)
        if b is None:
            break
        piece: Markup = escape(text[a:b])
        if term is not None:
            tip = f"loaded term ({term.category})"
            if term.neutral:
                tip += f": neutral '{term.neutral}'"
            if term.in_quotation:
                tip += ", inside a quotation"
            piece = Markup('<mark class="loaded" title="{}">{}</mark>').format(tip, piece)
        if active:
            fields = sorted({f for x in active for f in x.fields})
            piece = Markup('<mark class="ev f-{}" title="{}">{}</mark>').format(
                fields[0], "evidence: " + ", ".join(fields), piece
            )
        out.append(piece)
    return Markup("").join(out)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def timeline(
    group: StoryGroup, labels: Mapping[str, str], results: Mapping[str, ArticleResult]
) -> Markup | None:
    """An inline SVG of the group's dated incidents: one row per outlet, one dot per report
    at the date that outlet gives (undated reports have no dot)."""
    points = []
    for inc in group.incidents:
        for m in inc.members:
            rec = results[m.doc_id].incidents[m.index]
            d = _iso(rec.date.value if rec.date else None)
            if d is not None:
                points.append((d, m.doc_id, inc))
    if not points:
        return None
    outlets = list(dict.fromkeys(f.doc_id for f in group.framing))
    lo, hi = min(p[0] for p in points), max(p[0] for p in points)
    span = max((hi - lo).days, 1)
    width, left, row_h = 760, 170, 28
    height = row_h * len(outlets) + 40
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}">'
        ).format(w=width, h=height)
    ]
    for i, doc in enumerate(outlets):
        y = 20 + i * row_h
        parts.append(
            Markup('<text x="4" y="{}" class="tl-label">{}</text>').format(y + 4, labels[doc])
        )
        parts.append(
            Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="tl-axis"/>').format(
                left, y, width - 20, y
            )
        )
    for d, doc, inc in points:
        if doc not in outlets:
            continue
        x = left + (width - 20 - left) * (d - lo).days / span
        y = 20 + outlets.index(doc) * row_h
        parts.append(
            Markup(
                '<a href="#{}"><circle cx="{:.1f}" cy="{}" r="6" class="tl-dot">'
                "<title>{}: {} ({})</title></circle></a>"
            ).format(inc.id, x, y, labels[doc], inc.description, d.isoformat())
        )
    base = height - 10
    parts.append(Markup('<text x="{}" y="{}" class="tl-date">{}</text>').format(left, base, lo))
    if lo == hi:
        return Markup("").join([*parts, Markup("</svg>")])
    parts.append(
        Markup('<text x="{}" y="{}" class="tl-date" text-anchor="end">{}</text>').format(
            width - 20, base, hi
        )
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def render_html(
    comparison: Comparison,
    results: Sequence[ArticleResult],
    raws: Mapping[str, str] | None = None,
) -> str:
    """The whole report as one HTML document (no external assets, no script).

    `raws` maps doc_id to the decoded raw input, when known, to show boilerplate greyed.
    """
    docs = make_docs(results)
    by_id = {d.id: d for d in docs}
    labels = {a.doc_id: a.label for a in comparison.articles}
    evidence: dict[str, list[EvidenceRef]] = defaultdict(list)
    for g in comparison.groups:
        for inc in g.incidents:
            for row in inc.rows:
                for cell in row.cells:
                    evidence[cell.doc_id].extend(cell.evidence)
        for s in g.consensus.sentences if g.consensus else []:
            for ev in s.evidence:
                evidence[ev.doc_id].append(ev)
    bodies = {
        a.doc_id: article_body(
            a.doc_id, by_id[a.doc_id].result, evidence.get(a.doc_id, []), (raws or {}).get(a.doc_id)
        )
        for a in comparison.articles
        if a.doc_id in by_id
    }
    results_by_id = {d.id: d.result for d in docs}
    timelines = {g.id: timeline(g, labels, results_by_id) for g in comparison.groups}
    template = _env().get_template("compare.html.j2")
    return template.render(
        comparison=comparison,
        labels=labels,
        articles={a.doc_id: a for a in comparison.articles},
        bodies=bodies,
        timelines=timelines,
        raw_known=bool(raws),
    )
