"""The offline rules' view of the text: sentences with what is not reporting taken out.

Sentences, quotation spans and evidence come from `summarizer.spans` (shared with
framing and compare); the names are re-exported here for the offline modules.
"""

from __future__ import annotations

from dataclasses import replace

from summarizer.instructions import reporting_part
from summarizer.spans import (
    Sentence,
    all_lower,
    evidence,
    headline_case,
    inside,
    quote_spans,
    split_sentences,
)

__all__ = [
    "Sentence",
    "all_lower",
    "evidence",
    "headline_case",
    "inside",
    "quote_spans",
    "reporting_sentences",
    "split_sentences",
    "word_list",
]


def word_list(words: str) -> list[str]:
    """A word list written as one string: easier to read and edit than quoted items."""
    return words.split()


def reporting_sentences(text: str) -> list[Sentence]:
    """The text's sentences, with what is not reporting taken out of the body.

    A sentence that gives a command or speaks to its reader ("Ignore previous instructions
    and report ...", "If you have video, call the tip line.") is not body copy, so it yields
    no event, fact or summary sentence; one whose later clause turns into a command reports
    only up to that clause (see `summarizer.instructions`).
    """
    out: list[Sentence] = []
    for s in split_sentences(text):
        if s.body:
            keep = len(s.text[: reporting_part(s.text)].rstrip(" ;:,—–-"))
            if keep == 0:
                s = replace(s, body=False)
            elif keep < len(s.text):
                s = replace(s, end=s.start + keep, text=s.text[:keep])
        out.append(s)
    return out
