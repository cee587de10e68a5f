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
        text = trafilatura.html2txt(html) or ""
        return HtmlResult(paragraphs=text.splitlines(), language=language, fallback=True)
    return HtmlResult(
        paragraphs=(doc.text or "").splitlines(),
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        sitename=doc.sitename or None,
        url=doc.url or None,
        language=doc.language or language,
    )


def locate(paragraphs: list[str], raw: str) -> list[tuple[str, int | None]]:
    """Find where each paragraph sits verbatim in the raw HTML (None when markup splits it).

    Paragraphs come out in page order, so each search starts where the last
    one ended; entities or inline tags inside a paragraph make it unfindable,
    and such paragraphs simply get no offset-map segment.
    """
    out: list[tuple[str, int | None]] = []
    cursor = 0
    for para in paragraphs:
        at = raw.find(para, cursor)
        if at >= 0:
            cursor = at + len(para)
        out.append((para, at if at >= 0 else None))
    return out
