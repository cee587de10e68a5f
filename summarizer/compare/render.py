"""Text (rich) and Markdown views of a `Comparison`. JSON is the model itself; HTML is `html.py`."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.records import CellStatus, Comparison, StoryGroup

_MARK = {
    CellStatus.agree: "agree",
    CellStatus.differ: "DIFFER",
    CellStatus.only_in_one: "only one",
    CellStatus.different_scope: "different scope",
    CellStatus.absent: "",
}


#: What a story of one article says: no other article tells it, so there is nothing to compare.
_ALONE = (
    "No other article given tells this story: nothing to compare it with "
    "(`summarizer summarize` shows its incidents and summary)."
)


def _hanging(console: Console, first: str, rest: str, text: str) -> None:
    """Print `text` wrapped to the console with a hanging indent, so a wrapped line stays
    indented under its bullet instead of restarting at column 0 mid-phrase."""
    width = max(console.width - 1, 40)
    lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


def _term_list(terms: list[str], limit: int = 200) -> str:
    """Terms joined up to about `limit` characters, cut between terms (never mid-word), with a
    count of what was left out."""
    out: list[str] = []
    used = 0
    for i, term in enumerate(terms):
        if out and used + len(term) + 2 > limit:
            return ", ".join(out) + f" (+{len(terms) - i} more)"
        out.append(term)
        used += len(term) + 2
    return ", ".join(out)


def _labels(comparison: Comparison) -> dict[str, str]:
    return {a.doc_id: a.label for a in comparison.articles}


def _members(group: StoryGroup, labels: dict[str, str], comparison: Comparison) -> list[str]:
    reposts = {a.doc_id: a.repost_of for a in comparison.articles}
    out = []
    for d in group.doc_ids:
        orig = reposts.get(d)
        out.append(labels[d] + (f" (repost of {labels[orig]})" if orig else ""))
    return out


def render_text(comparison: Comparison, console: Console) -> None:
    """Print the story groups, their fact matrices, framing tables and consensus."""
    labels = _labels(comparison)
    for g in comparison.groups:
        console.rule(Text(f"story {g.id}: " + ", ".join(_members(g, labels, comparison))))
        if len(g.doc_ids) == 1:
            # a bare rule read as if the comparison had failed on this article
            _hanging(console, "  ", "  ", _ALONE)
        for link in g.links:
            _hanging(
                console,
                "  ",
                "      ",
                f"{link.kind.value}: {labels[link.a]} ~ {labels[link.b]} "
                f"(score {link.score:.2f}; {'; '.join(link.reasons)})",
            )
        if g.consensus:
            console.print(Text("\n" + (g.consensus.headline or "Consensus"), style="bold"))
            for s in g.consensus.sentences:
                _hanging(console, "  - ", "    ", f"{s.text} [{', '.join(s.outlets)}]")
            for d in g.consensus.dropped:
                _hanging(console, "  ", "    ", f"(dropped: {d})")
        for inc in g.incidents:
            if len(inc.members) < 2:
                continue
            outlets = [labels[m.doc_id] for m in inc.members]
            table = Table(title=Text(f"{inc.id} {inc.event_type.value}: {inc.description}"))
            table.add_column("fact")
            for o in outlets:
                table.add_column(o, overflow="fold")
            table.add_column("status")
            for row in inc.rows:
                cells = []
                for c in row.cells:
                    value = c.value or "-"
                    cells.append(Text(value + (f" (scope: {c.scope})" if c.scope else "")))
                table.add_row(row.fact, *cells, _MARK[row.status])
            console.print(table)
        if len(g.framing) > 1:
            table = Table(title="framing")
            for col in (
                "outlet",
                "loaded/100w",
                "polarity",
                "anon. sources",
                "unattributed",
                "quoted",
                "loaded terms",
            ):
                table.add_column(col, overflow="fold")
            for f in g.framing:
                table.add_row(
                    Text(f.outlet),
                    f"{f.loaded_per_100_words:.2f}",
                    f"{f.polarity_strength:.3f}",
                    "-" if f.anonymous_share is None else f"{f.anonymous_share:.0%}",
                    "-" if f.unattributed_share is None else f"{f.unattributed_share:.0%}",
                    f"{f.quoted_share:.0%}",
                    Text(_term_list([t.term for t in f.loaded_terms if t.lexicon == "domain"])),
                )
            console.print(table)
        if g.actor_labels:
            table = Table(title="actor labels")
            table.add_column("actor")
            ids = [f.doc_id for f in g.framing]
            for d in ids:
                table.add_column(labels[d], overflow="fold")
            for actor in g.actor_labels:
                table.add_row(
                    Text(actor.actor),
                    *(Text(", ".join(actor.labels.get(d, [])) or "-") for d in ids),
                )
            console.print(table)


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(comparison: Comparison) -> str:
    """The comparison as Markdown: one section per story, tables for matrix and framing."""
    labels = _labels(comparison)
    out: list[str] = ["# Comparison", ""]
    for g in comparison.groups:
        out += [f"## Story {g.id}: " + ", ".join(_md(m) for m in _members(g, labels, comparison))]
        out.append("")
        if len(g.doc_ids) == 1:
            out.append(_ALONE)
        for link in g.links:
            out.append(
                f"- {link.kind.value}: {_md(labels[link.a])} ~ {_md(labels[link.b])} "
                f"(score {link.score:.2f}; {_md('; '.join(link.reasons))})"
            )
        if g.consensus:
            out += ["", f"### {_md(g.consensus.headline) or 'Consensus'}", ""]
            out += [f"- {_md(s.text)} ({_md(', '.join(s.outlets))})" for s in g.consensus.sentences]
            out += [f"- dropped: {_md(d)}" for d in g.consensus.dropped]
        for inc in g.incidents:
            if len(inc.members) < 2:
                continue
            outlets = [labels[m.doc_id] for m in inc.members]
            out += ["", f"### {inc.id} {inc.event_type.value}: {_md(inc.description)}", ""]
            out.append("| fact | " + " | ".join(_md(o) for o in outlets) + " | status |")
            out.append("|---" * (len(outlets) + 2) + "|")
            for row in inc.rows:
                cells = [
                    _md(c.value or "-") + (f" (scope: {_md(c.scope)})" if c.scope else "")
                    for c in row.cells
                ]
                out.append(f"| {row.fact} | " + " | ".join(cells) + f" | {_MARK[row.status]} |")
        if len(g.framing) > 1:
            out += ["", "### Framing", ""]
            out.append(
                "| outlet | loaded/100 words | polarity | anonymous sources | "
                "unattributed claims | quoted sentences | loaded terms |"
            )
            out.append("|---|---|---|---|---|---|---|")
            for f in g.framing:
                anon = "-" if f.anonymous_share is None else f"{f.anonymous_share:.0%}"
                unattr = "-" if f.unattributed_share is None else f"{f.unattributed_share:.0%}"
                terms = ", ".join(t.term for t in f.loaded_terms if t.lexicon == "domain")
                out.append(
                    f"| {_md(f.outlet)} | {f.loaded_per_100_words:.2f} | "
                    f"{f.polarity_strength:.3f} | {anon} | {unattr} | {f.quoted_share:.0%} | "
                    f"{_md(terms)} |"
                )
        if g.actor_labels:
            ids = [f.doc_id for f in g.framing]
            out += ["", "### Actor labels", ""]
            out.append("| actor | " + " | ".join(_md(labels[d]) for d in ids) + " |")
            out.append("|---" * (len(ids) + 1) + "|")
            for actor in g.actor_labels:
                cells = [_md(", ".join(actor.labels.get(d, [])) or "-") for d in ids]
                out.append(f"| {_md(actor.actor)} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out) + "\n"
