"""Sentences, quotation spans and evidence helpers, all with offsets into the text.

The one sentence splitter and the one notion of "inside quotation marks" that
every part of the project shares (the offline rules, framing, compare).
Offsets are the contract: every `Evidence` the offline backend emits is cut
from the article text with these spans, so `text[start:end] == quote` holds by
construction.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from summarizer.lexicons import words
from summarizer.records import Evidence

# Abbreviations whose trailing period does not end a sentence.
_ABBREV = frozenset(words("abbreviations"))
_LONGEST = 1000  # characters: a longer "sentence" is cut at a clause break (see _bounded)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
# Text without capitals (lower-cased wire copy) gives no capital to start a sentence:
# any letter after closing punctuation does, abbreviations and initials aside.
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")  # "u.s", "p.m": never a sentence end there
_LOWER_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[a-z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# Photo captions and credits ("... (AP)", "(U.S. Air Force photo/...)"): not reporting.
_CAPTION = re.compile(
    r"\((?:AP|AFP|Reuters|EPA|Getty[^)]*|[^)]*\b(?:[Pp]hoto|[Ii]llustrat|[Ss]ocial media|"
    r"[Mm]edia)\b[^)]*|[A-Z]{2,6})\)\.?\s*$"
)
# Navigation and teaser lines that sit inside scraped bodies.
_TEASER = re.compile(r"^(?:Read more|Related|Also read|See also|MORE ON THIS TOPIC|Watch)\b", re.I)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article: its span, its text and whether it is body copy."""

    index: int
    start: int
    end: int
    text: str
    body: bool  # False for headline-like lines, captions and teasers


def _is_body_line(line: str) -> bool:
    """Body copy ends like prose; headlines, captions and teasers do not count as reporting."""
    stripped = line.rstrip()
    if _CAPTION.search(stripped) or _TEASER.match(stripped.lstrip()):
        return False
    return bool(re.search(r"[.!?\"”:;…\\]$", stripped))


def headline_case(segment: str) -> bool:
    """True for Title Case Lines (headlines), where capitals say nothing about names."""
    words = re.findall(r"[A-Za-z]{3,}", segment)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def split_sentences(text: str) -> list[Sentence]:
    """Split the text into sentences; a line break always ends one (one paragraph a line).

    Body copy is told from headlines and captions by its closing punctuation; a
    scrape that dropped all closing punctuation falls back to line length.
    """
    out: list[Sentence] = []
    pos = 0
    lines = text.split("\n")
    no_punctuation = not any(_is_body_line(line) for line in lines)
    boundary = _LOWER_BOUNDARY if all_lower(text) else _BOUNDARY
    for line in lines:
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        body = _is_body_line(line) or (
            no_punctuation and len(line.split()) >= 10 and not headline_case(line)
        )
        cuts = [0]
        for m in boundary.finditer(line):
            # a bounded look-back: slicing the whole prefix made long one-line inputs quadratic
            before = _WORD_BEFORE.search(line, max(0, m.start() - 64), m.start())
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            if boundary is _LOWER_BOUNDARY and _INITIALISM.fullmatch(word):
                continue
            cuts.append(m.start() + len(m.group(0).rstrip()))
        cuts.append(len(line))
        cuts = _bounded(line, cuts)
        for a, b in pairwise(cuts):
            seg = line[a:b]
            lead = len(seg) - len(seg.lstrip())
            s, e = line_start + a + lead, line_start + a + len(seg.rstrip())
            if e > s:
                out.append(Sentence(len(out), s, e, text[s:e], body))
    return out


def _bounded(line: str, cuts: list[int]) -> list[int]:
    """Cuts with no piece longer than _LONGEST characters.

    No real sentence is that long (the longest in 84 news pages is under 600 characters);
    text without sentence ends (a lower-cased dump, a page without punctuation) would
    otherwise be one sentence, and the per-sentence rules, which relate every fact to every
    event word in it, quadratic in its length. Long runs are cut at a clause break (comma,
    semicolon) or else a space before the bound.
    """
    if all(b - a <= _LONGEST for a, b in pairwise(cuts)):
        return cuts
    out = [0]
    for b in cuts[1:]:
        while b - out[-1] > _LONGEST:
            a = out[-1]
            window = line[a : a + _LONGEST]
            at = max(window.rfind(", "), window.rfind("; "))
            at = at + 1 if at > _LONGEST // 2 else window.rfind(" ")
            out.append(a + at if at > 0 else a + _LONGEST)
        out.append(b)
    return out


@lru_cache(maxsize=4)
def all_lower(text: str) -> bool:
    """Wire copy without capitals? (Asked of one text once, not once per sentence.)"""
    return text.islower()


@lru_cache(maxsize=16)
def quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans inside quotation marks (the marks included), per paragraph, in text order.

    Straight quotes pair up in order; curly quotes open and close; an opening
    mark left unclosed at the end of a paragraph runs to its end (scraped
    copy often drops the closing mark). Cached: the extractor and the framing
    checks ask about the same article once per sentence.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        open_at: int | None = None
        closer = ""
        for i, ch in enumerate(line):
            if open_at is None:
                if ch == '"':
                    open_at, closer = i, '"'
                elif ch == "“":
                    open_at, closer = i, "”"
                elif ch == "‘" and (i == 0 or not line[i - 1].isalnum()):
                    open_at, closer = i, "’"
            elif ch == closer and (
                closer != "’" or i + 1 == len(line) or not line[i + 1].isalpha()
            ):
                spans.append((pos + open_at, pos + i + 1))
                open_at = None
        if open_at is not None:
            spans.append((pos + open_at, pos + len(line)))
        pos += len(line) + 1
    return tuple(spans)


def inside(spans: Sequence[tuple[int, int]], start: int, end: int, slack: int = 0) -> bool:
    """True when [start, end) lies within one of the sorted, disjoint spans (end may overrun
    it by `slack`). A binary search, so a long article with many quotes stays linear."""
    i = bisect_right(spans, start, key=lambda span: span[0]) - 1
    return i >= 0 and end <= spans[i][1] + slack


def evidence(text: str, start: int, end: int) -> Evidence:
    """Evidence for text[start:end], trimmed of surrounding spaces and stray punctuation."""
    while start < end and text[start] in " \t,;":
        start += 1
    while end > start and text[end - 1] in " \t,;":
        end -= 1
    return Evidence(quote=text[start:end], start=start, end=end)
