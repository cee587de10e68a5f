"""The readable text view of a result (`summarize --format text`). JSON stays the machine format.

What an analyst reads first: the article's metadata, the neutral summary with its key
claims and who makes them, then one block per incident with its description, its fields
and the quotes that back each of them, then the loaded terms and anything dropped.

Plain lines wrapped at word boundaries (never inside a word, a date or a hyphenated
name) at whatever width is asked for: the terminal's, 80 when piped, or `COLUMNS`.
A word longer than the line stays whole. Tables are avoided on purpose: narrow columns
are what broke words in two.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterable, Sequence

from rich.console import Console

from summarizer.records import (
    Actor,
    ArticleResult,
    CasualtyCount,
    Evidence,
    IncidentRecord,
    NeutralSummary,
)

#: Width of the field labels in an incident block ("where:      "), the longest plus a space.
_LABEL = len("casualties: ")
_NARROW = 40

_STATUS = {
    "occurred": "occurred",
    "claimed": "claimed (not confirmed in the article's own voice)",
    "threatened": "threatened",
    "planned": "planned",
    "simulated": "simulated (a drill or exercise)",
    "denied": "denied",
}
_QUALIFIER = {
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "at_most": "at most",
    "several": "several",
}


def file_width() -> int:
    """Width for a text view that is not shown on a terminal: `COLUMNS` when set, else 80."""
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else 80


def terminal_width() -> int:
    """Width for stdout: `COLUMNS` when set, else the terminal's, else 80 (piped)."""
    if os.environ.get("COLUMNS", "").strip().isdigit() or not sys.stdout.isatty():
        return file_width()
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 80


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Page:
    """Lines wrapped at word boundaries to one width, with hanging indents."""

    def __init__(self, width: int) -> None:
        self.width = max(width, 10)
        self.lines: list[str] = []

    def _indent(self, indent: int) -> int:
        """Indents shrink on narrow pages so that text keeps most of the line."""
        return indent if self.width >= _NARROW else min(indent, 2)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def para(self, text: str, indent: int = 0, hang: int | None = None, lead: str = "") -> None:
        """One paragraph: `lead` (kept as given) then `text`, wrapped with a hanging indent."""
        first = " " * self._indent(indent) + lead
        rest = " " * self._indent(indent if hang is None else hang)
        wrapper = textwrap.TextWrapper(
            width=self.width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        self.lines.extend(wrapper.wrap(_one_line(text)) or [first.rstrip()])

    def heading(self, text: str) -> None:
        self.blank()
        self.para(text.upper())

    def field(self, label: str, value: str, indent: int = 4) -> None:
        """`label:  value`, the value's continuation lines under the value (wide pages)."""
        if self.width < _NARROW:
            self.para(f"{label}: {value}", indent, hang=indent + 2)
            return
        self.para(value, indent, hang=indent + _LABEL, lead=f"{label + ':':<{_LABEL}}")

    def quotes(self, evidence: Sequence[Evidence], indent: int = 6) -> None:
        for ev in evidence:
            self.para(f'"{ev.quote}"', indent, hang=indent + 1)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines).rstrip() + "\n"


def _quoted(value: str, evidence: Sequence[Evidence], seen: set[str] | None = None) -> str:
    """The value, followed by its quote when the quote says more than the value itself
    and was not already shown for this field (five bases named in one phrase quote it once)."""
    quotes = [q for ev in evidence if (q := _one_line(ev.quote)) != value]
    fresh = [q for q in quotes if seen is None or q not in seen]
    if seen is not None:
        seen.update(fresh)
    return value + (f' ("{fresh[0]}")' if fresh else "")


def _actors(actors: Iterable[Actor]) -> str:
    parts = []
    for actor in actors:
        label = actor.neutral_name
        if _one_line(actor.name) != actor.neutral_name:
            label += f' (written "{_one_line(actor.name)}")'
        parts.append(label)
    return "; ".join(parts)


def _count(count: CasualtyCount) -> str:
    """'3', '2 to 5', 'at least 70', with who was hit and the words the article used."""
    low, best, high = count.low, count.best, count.high
    if low is not None and high is not None and low != high:
        number = f"{low} to {high}"
    elif best is not None:
        number = str(best)
    elif low is not None:
        number = f"at least {low}"
    elif high is not None:
        number = f"at most {high}"
    else:
        return _quoted(_one_line(count.text), count.evidence)  # no figure: the words as written
    return _quoted(f"{number} {count.who or ''}".strip(), count.evidence)


def _incident(page: _Page, number: int, inc: IncidentRecord) -> None:
    page.blank()
    kind = inc.event_type.value.replace("_", " ")
    acled = f"ACLED {inc.acled_event_type.value} / {inc.acled_sub_event_type.value}"
    status = _STATUS.get(inc.status.value, inc.status.value)
    page.para(f"[{number}] {kind}, {status} ({acled})", hang=4)
    page.para(inc.description, indent=4)
    if inc.operation_name:
        page.field("operation", inc.operation_name)
    if inc.date is not None:
        when = inc.date.value + (f" to {inc.date.end}" if inc.date.end else "")
        page.field("when", _quoted(f"{when} ({inc.date.precision.value})", inc.date.evidence))
    if inc.locations:
        places, seen = [], set[str]()
        for loc in inc.locations:
            where = [p for p in (loc.admin_region, loc.country) if p and p != loc.name]
            label = loc.name + (f", {', '.join(where)}" if where else "")
            places.append(_quoted(label, loc.evidence, seen))
        page.field("where", "; ".join(places))
    if inc.initiators:
        page.field("by", _actors(inc.initiators))
    elif inc.targets:
        page.field("by", "not stated in the article")
    if inc.targets:
        page.field("against", _actors(inc.targets))
    if inc.means:
        seen = set()
        page.field("means", "; ".join(_quoted(m.name, m.evidence, seen) for m in inc.means))
    cas = inc.casualties
    if cas.killed is not None:
        page.field("killed", _count(cas.killed))
    if cas.injured is not None:
        page.field("injured", _count(cas.injured))
    if cas.none_reported:
        page.field("casualties", "none, the article says")
    for q in inc.quantities:
        qualifier = _QUALIFIER.get(q.qualifier.value, "")
        figure = f"{q.value} to {q.high}" if q.high is not None else str(q.value)
        if q.qualifier.value == "several":  # a vague count: the value is only its lower bound
            qualifier, figure = "several", f"(at least {q.value})"
        counted = " ".join(p for p in (qualifier, figure, q.unit, q.scope or "") if p)
        page.field("count", _quoted(counted, q.evidence))
    for att in inc.attribution:
        via = f", {att.via}" if att.via else ""
        page.field("source", f"{att.source} ({att.kind.value.replace('_', ' ')}{via})")
    page.field("evidence", "")
    page.quotes(inc.evidence)


def _summary(page: _Page, summary: NeutralSummary) -> None:
    page.heading("neutral summary")
    if summary.headline is not None:
        page.para(summary.headline.text)
    for sentence in summary.sentences:
        page.para(sentence.text, indent=2, hang=2)
    if summary.headline is None and not summary.sentences:
        page.para("no summary sentence could be grounded in the article", indent=2)
    if summary.key_claims:
        page.blank()
        page.para("Key claims")
        for i, claim in enumerate(summary.key_claims, 1):
            page.para(f"{i}. {claim.claim}", indent=2, hang=5)
            who = claim.attributed_to or "the article, in its own voice"
            page.para(f"according to: {who}", indent=5, hang=7)


def format_result(result: ArticleResult, width: int | None = None) -> str:
    """The whole text view of one result, wrapped to `width` (default: the terminal's)."""
    page = _Page(width or terminal_width())
    art = result.article
    page.para(art.title or art.source or "(untitled article)")
    meta = [
        f"outlet: {art.outlet}" if art.outlet else "",
        f"published: {art.published}" if art.published else "",
        f"byline: {art.byline}" if art.byline else "",
        f"source: {art.source}" if art.source else "",
    ]
    page.para(" | ".join(m for m in meta if m), hang=2)
    prov = result.provenance
    cached = ", cached" if prov.cache_hit else ""
    page.para(f"backend: {prov.backend} ({prov.model}, {prov.prompt_version}{cached})")
    for note in prov.notes:
        page.para(note, indent=2, hang=4)

    _summary(page, result.summary)

    page.heading(f"incidents ({len(result.incidents)})")
    if not result.incidents:
        page.para("none found in the article", indent=2)
    for i, inc in enumerate(result.incidents, 1):
        _incident(page, i, inc)

    terms = result.summary.loaded_terms
    if terms:
        page.heading("loaded terms")
        for term in terms:
            if term.in_quotation:
                page.para(f'"{term.term}": inside a quotation, attributed, not rewritten', 2, 4)
            else:
                page.para(f'"{term.term}" -> {term.neutral}', indent=2, hang=4)
    if prov.dropped:
        page.heading("dropped as ungrounded or invalid")
        for dropped in prov.dropped:
            page.para(str(dropped), indent=2, hang=4)
    return page.text()


def render_result(result: ArticleResult, console: Console) -> None:
    """Print the text view to a rich console, at its width (plain text, no markup)."""
    console.file.write(format_result(result, console.width))
