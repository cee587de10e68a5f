"""The HTML path: trafilatura for the main text and metadata, then the text rules.

trafilatura is the best-measured open-source extractor for news HTML, so the
HTML path starts from it rather than re-deriving readability heuristics. Its
output still lets through the odd share prompt, caption or "Read more" link
that sits inside the article container; the same line rules as the text path
remove those. trafilatura is imported lazily: it pulls in lxml, justext and
htmldate, which `summarizer --help` should not pay for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HTML_SNIFF = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|table|h[1-6]|article|section|meta)\b", re.IGNORECASE
)
# Characters HTML often writes as entities; runs between them are searched verbatim.
_PLAIN_RUN = re.compile(r"[^&<>\"'’‘“”\u00a0…–—]+")
_MIN_RUN = 16
_SPLIT_DEPTH = 3
_WINDOW_FACTOR = 4
_WINDOW_SLACK = 2000
_SHORT_BODY = 500
_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the input is markup rather than text (a doctype, or tags from the start)."""
    head = text[:4096]
    if _HTML_SNIFF.search(head):
        return True
    return head.lstrip().startswith("<") and len(_TAG.findall(head)) >= 3


@dataclass(slots=True)
class HtmlResult:
    """What trafilatura found: body paragraphs and page metadata."""

    paragraphs: list[str]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    fallback: bool = False


def extract_html(html: str) -> HtmlResult:
    """Run trafilatura (comments excluded); fall back to all page text when it finds nothing."""
    import trafilatura
    from trafilatura.settings import Document

    # Extensive date search hands unknown strings to dateparser, which compiles
    # per-locale regexes: it tripled the time per page for few extra dates.
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        fast=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    lang = _LANG.search(html[:4096])
    language = lang.group(1).lower() if lang else None
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        # trafilatura's baseline keeps one line per block, which the text
        # classifier needs (html2txt would glue the page into one line).
        text = trafilatura.baseline(html)[1] or ""
        return HtmlResult(paragraphs=text.splitlines(), language=language, fallback=True)
    body = doc.text or ""
    if len(body) < _SHORT_BODY:
        # The fast path found almost nothing (a slideshow, an unusual template):
        # pay for trafilatura's fallback extractors on these pages only.
        body = max(body, trafilatura.extract(html, include_comments=False) or "", key=len)
    return HtmlResult(
        paragraphs=body.splitlines(),
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        sitename=doc.sitename or None,
        url=doc.url or None,
        language=doc.language or language,
    )


Segment = tuple[int, int, int]  # (offset in the text, offset in the raw HTML, length)


def locate(texts: list[str], raw: str) -> list[list[Segment]]:
    """For each extracted line (in page order), the parts of it found verbatim in the raw HTML.

    A line without markup inside is found whole. Otherwise entities
    ("&#8217;") and inline tags ("<a>") split it: the runs between characters
    that HTML may encode are searched one after another, halving a run that
    an inline tag interrupts, so most of the line still maps back. Runs
    shorter than `_MIN_RUN` are not searched: they could match anywhere.
    """
    out: list[list[Segment]] = []
    cursor = 0
    for text in texts:
        segments = _locate_one(text, raw, cursor)
        if segments:
            cursor = segments[-1][1] + segments[-1][2]
        out.append(segments)
    return out


def _locate_one(text: str, raw: str, cursor: int) -> list[Segment]:
    """The verbatim parts of one line, searched from `cursor` (where the last line ended)."""
    # Searches that fail scan the rest of the page, so every search but the
    # anchor is bounded to the stretch of page the line can span.
    window = cursor + _WINDOW_FACTOR * len(text) + _WINDOW_SLACK
    runs = [
        (m.start(), m.end()) for m in _PLAIN_RUN.finditer(text) if m.end() - m.start() >= _MIN_RUN
    ]
    if not runs:  # a short line ("Audit"): only near where the last line ended
        at = raw.find(text, cursor, window)
        return [(0, at, len(text))] if at >= 0 else []
    first = runs[0][0]
    anchor = raw.find(text[first : first + _MIN_RUN], cursor)
    if anchor < 0:
        return []
    if first == 0 and raw.startswith(text, anchor):
        return [(0, anchor, len(text))]
    segments: list[Segment] = []
    limit = anchor + _WINDOW_FACTOR * len(text) + _WINDOW_SLACK
    pos = anchor
    for start, end in runs:
        pos = _find_run(text, start, end, raw, (pos, limit), segments, _SPLIT_DEPTH)
    return segments


def _find_run(
    text: str,
    start: int,
    end: int,
    raw: str,
    window: tuple[int, int],
    segments: list[Segment],
    depth: int,
) -> int:
    """Find text[start:end] in raw[window] (or its halves); return where the search goes on."""
    pos, limit = window
    if end - start < _MIN_RUN:
        return pos
    at = raw.find(text[start:end], pos, limit)
    if at >= 0:
        segments.append((start, at, end - start))
        return at + end - start
    mid = text.rfind(" ", start, (start + end) // 2 + 1)
    if depth == 0 or mid <= start:
        return pos
    pos = _find_run(text, start, mid, raw, window, segments, depth - 1)
    return _find_run(text, mid, end, raw, (pos, limit), segments, depth - 1)
