"""Readable terminal views of results (rich). JSON stays the machine format."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.records import ArticleResult, IncidentRecord


def _when(inc: IncidentRecord) -> str:
    if inc.date is None:
        return "-"
    if inc.date.end:
        return f"{inc.date.value}..{inc.date.end}"
    return inc.date.value


def _counts(inc: IncidentRecord) -> str:
    parts = [q.text for q in inc.quantities]
    for label, count in (("killed", inc.casualties.killed), ("injured", inc.casualties.injured)):
        if count is not None:
            parts.append(f"{label}: {count.text}")
    if inc.casualties.none_reported:
        parts.append("no casualties")
    return "; ".join(parts) or "-"


def render_result(result: ArticleResult, console: Console) -> None:
    """Print one article's metadata, neutral summary and incident table."""
    art = result.article
    meta = Text()
    for label, value in (
        ("title", art.title),
        ("outlet", art.outlet),
        ("published", art.published),
        ("byline", art.byline),
        ("source", art.source),
    ):
        if value:
            meta.append(f"{label}: ", style="bold")
            meta.append(f"{value}\n")
    prov = result.provenance
    meta.append(
        f"backend: {prov.backend} ({prov.model}, {prov.prompt_version})"
        f"{', cached' if prov.cache_hit else ''}",
        style="dim",
    )
    for note in prov.notes:
        meta.append(f"\n{note}", style="dim")
    console.print(Panel(meta, title="article", expand=False))

    summary = result.summary
    console.print(
        Panel(
            Group(
                Text(summary.headline.text if summary.headline else "(no headline)", style="bold"),
                Text(summary.text or "(no summary sentence could be grounded)"),
            ),
            title="neutral summary",
        )
    )

    table = Table(title=f"{len(result.incidents)} incident(s)", show_lines=True)
    for col in ("#", "event", "status", "when", "where", "who", "counts", "source"):
        table.add_column(col, overflow="fold")
    for i, inc in enumerate(result.incidents, 1):
        who = ", ".join(a.neutral_name for a in inc.initiators) or "-"
        if inc.targets:
            who += " -> " + ", ".join(a.neutral_name for a in inc.targets)
        table.add_row(
            str(i),
            inc.event_type.value,
            inc.status.value,
            _when(inc),
            ", ".join(loc.name for loc in inc.locations) or "-",
            who,
            _counts(inc),
            ", ".join(a.source for a in inc.attribution) or "-",
        )
    console.print(table)

    if summary.loaded_terms:
        terms = Table(title="loaded terms", show_header=True)
        terms.add_column("term")
        terms.add_column("neutral")
        terms.add_column("quoted")
        for term in summary.loaded_terms:
            terms.add_row(term.term, term.neutral, "yes" if term.in_quotation else "")
        console.print(terms)
    if prov.dropped:
        listed = "; ".join(str(d) for d in prov.dropped)
        console.print(f"[yellow]dropped:[/] {listed}", markup=True, highlight=False)
