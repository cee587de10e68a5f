"""Corpus-level boilerplate: lines one outlet repeats across many of its pages.

A single page cannot tell its outlet's fixed footer ("Al Mayadeen is an Arab
Independent Media Satellite Channel.") from a closing paragraph, but a batch
can: a line that recurs in most documents of one outlet is template. Lines are
compared after normalising case, digits and spacing, so "2 Shares" and
"5 Shares" count as the same widget.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from summarizer.clean.lexicon import BULLET

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# Prose is only called template when many documents share it: two updates of
# one story legitimately repeat their background paragraphs.
_PROSE_WORDS = 10
_PROSE_MIN_DOCS = 5


def template_key(line: str) -> str:
    """Normalise a line so template variants (counts, dates, spacing) compare equal."""
    body = BULLET.sub("", line.strip(), count=1)
    return _SPACE.sub(" ", _DIGITS.sub("0", body.lower())).strip()


@dataclass
class BoilerplateModel:
    """Counts, per outlet, how many documents contain each normalised line."""

    min_docs: int = 3
    min_share: float = 0.5
    lines: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    docs: Counter[str] = field(default_factory=Counter)

    def add(self, doc_lines: Iterable[str], outlet: str | None) -> None:
        """Count one document's distinct lines under its outlet ('' when unknown)."""
        key = outlet or ""
        self.docs[key] += 1
        self.lines[key].update({template_key(line) for line in doc_lines if line.strip()})

    def detector(self, outlet: str | None) -> Callable[[str], int]:
        """For a line: how many of the outlet's documents repeat it, if it is template, else 0."""
        key = outlet or ""
        total = self.docs.get(key, 0)
        counts = self.lines.get(key, Counter())

        def docs_with(line: str) -> int:
            seen = counts.get(template_key(line), 0)
            needed = max(self.min_docs, self.min_share * total)
            if len(line.split()) >= _PROSE_WORDS:
                needed = max(needed, _PROSE_MIN_DOCS)
            return seen if total >= self.min_docs and seen >= needed else 0

        return docs_with
