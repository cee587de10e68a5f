"""The HTML path: trafilatura for the main text and metadata, then the text rules.

trafilatura is the best-measured open-source extractor for news HTML, so the
HTML path starts from it rather than re-deriving readability heuristics. Its
output still lets through the odd share prompt, caption or "Read more" link
that sits inside the article container; the same line rules as the text path
remove those. trafilatura is imported lazily: it pulls in lxml, justext and
htmldate, which `summarizer --help` should not pay for.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

_HTML_SNIFF = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|table|h[1-6]|article|section|meta)\b", re.IGNORECASE
)
# Characters HTML often writes as entities; runs between them are searched verbatim.
_CELL = re.compile(r"[^|]+")
_PLAIN_RUN = re.compile(r"[^&<>\"'’‘“”\u00a0…–—]+")
_MIN_RUN = 16
_SPLIT_DEPTH = 3
_WINDOW_FACTOR = 4
_WINDOW_SLACK = 2000
_NEAR = 50_000  # characters of page searched for a line's anchor before the rest of it
_FAR_SEARCHES = 20  # page-long anchor searches that may fail on one page
_SHORT_BODY = 500
_MIN_TAGS_UNANCHORED = 10
_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the input is markup rather than text.

    Markup starts with a tag (a doctype, `<html>`, a fragment of tags), or at least
    is dense with tags. A doctype or `<head>` alone is not enough: a text page about
    web development quotes them (one of the readability test pages did, and was
    cleaned as markup into nothing).
    """
    head = text[:4096]
    tags = len(_TAG.findall(head))
    if head.lstrip("\ufeff \t\r\n").startswith("<"):
        return tags >= 3 or _HTML_SNIFF.search(head) is not None
    return tags >= _MIN_TAGS_UNANCHORED and _HTML_SNIFF.search(head) is not None


# Block elements: their text starts a new line, as a browser lays it out.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
# Page regions by tag, then by the words of a class or id, for the reason of a drop.
_REGION_TAGS = {
    "nav": "navigation",
    "header": "page header",
    "footer": "page footer",
    "aside": "sidebar",
    "form": "form",
}
# One pattern (on the lowercased names: IGNORECASE made it 5x slower): the group
# that matches names the region (underscores for spaces).
_REGION_NAMES = re.compile(
    r"(?P<comments>comment|disqus)"
    r"|(?P<related_links>related|recommend|more-?stories|read-?next|popular|trending|teaser)"
    r"|(?P<share_buttons>share|social)"
    r"|(?P<cookie_notice>cookie|consent|gdpr)"
    r"|(?P<newsletter_or_promotion>newsletter|subscri|signup|sign-up|promo)"
    r"|(?P<advertisement>\b(?:ad|ads|advert\w*|sponsor\w*|banner)\b)"
    r"|(?P<navigation>breadcrumb|\bnav|menu|masthead)"
    r"|(?P<page_footer>footer|copyright)"
    r"|(?P<sidebar>sidebar|widget|\brail)",
)
_SKIP = frozenset({"head", "title", "noscript", "template"})


class PageBlock(NamedTuple):
    """One line of the page as a browser lays it out, where it starts and what holds it.

    A named tuple, not a frozen dataclass: a page has hundreds of them, and a tuple is
    made at half the cost.
    """

    text: str
    line: int  # 1-based source line of the block element (0 when unknown)
    region: str | None  # "navigation", "page footer", "related links"... or None
    container: int = -1  # the block element around this line's block (a serial number)


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
    page: list[PageBlock] | None = None  # the whole page's lines (not on the fallback path)


def extract_html(html: str) -> HtmlResult:
    """Run trafilatura (comments excluded); fall back to all page text when it finds nothing.

    The page is parsed once: the metadata is read from the tree, then the body
    extraction gets it (trafilatura works on its own copy, so the short-body
    fallback below can have the same tree again).
    """
    import trafilatura
    from trafilatura.settings import Document

    lang = _LANG.search(html[:4096])
    language = lang.group(1).lower() if lang else None
    tree = load_tree(html)
    if tree is None:
        text = trafilatura.baseline(html)[1] or ""
        return HtmlResult(paragraphs=text.splitlines(), language=language, fallback=True)
    meta = page_metadata(tree)
    _thin(tree)
    doc = trafilatura.bare_extraction(tree, include_comments=False, include_tables=True, fast=True)
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        # trafilatura's baseline keeps one line per block, which the text
        # classifier needs (html2txt would glue the page into one line).
        text = trafilatura.baseline(tree)[1] or ""
        return HtmlResult(paragraphs=text.splitlines(), language=language, fallback=True)
    body = doc.text or ""
    if len(body) < _SHORT_BODY:
        # The fast path found almost nothing (a slideshow, an unusual template):
        # pay for trafilatura's fallback extractors on these pages only.
        body = max(body, trafilatura.extract(tree, include_comments=False) or "", key=len)
    return HtmlResult(
        paragraphs=body.splitlines(),
        page=page_blocks(tree),
        title=meta.title or None,
        author=meta.author or None,
        date=meta.date or None,
        sitename=meta.sitename or None,
        url=meta.url or None,
        language=language,
    )


def load_tree(html: str) -> Any:
    """Parse as trafilatura's `load_html` does a string, with one parser difference.

    lxml.html's parser picks each element's Python class in a Python callback
    (FormElement, InputElement...), once per element object created; trafilatura
    and the page walk create hundreds of thousands on a page. This parser gives
    every element the plain `HtmlElement` class in C, all trafilatura uses: the
    same text and metadata on every dev page, about 4% less time per page.
    """
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = None
    try:
        tree = _fromstring(html)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = _fromstring(html.encode("utf8", "surrogatepass"))
    except Exception:  # lxml raises assorted errors on broken markup
        tree = None
    if tree is None or len(tree) < 1:
        with contextlib.suppress(Exception):
            tree = _fromstring(html.encode("utf8", "surrogatepass"))
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


@functools.cache
def _parser() -> Any:
    """trafilatura's parser settings, with a C-level element class lookup."""
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    parser = lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


def _fromstring(html: str | bytes) -> Any:
    import lxml.html

    return lxml.html.fromstring(html, parser=_parser())


def _thin(tree: Any) -> None:
    """Delete scripts (all but JSON-LD), style sheets and SVG drawings before extraction.

    They are half the characters of a typical news page, and trafilatura
    copies the tree several times before its own cleaning deletes them (in
    the main pass and in the page-text measure alike); JSON-LD is the only
    script it reads first (article bodies, forum detection). The metadata has
    been read by then: htmldate searches script text for dates. The tails
    (text after a deleted element) stay, as trafilatura's own deletion keeps them.
    """
    from trafilatura.xml import delete_element

    for elem in list(tree.iter("script", "style", "svg")):
        if elem.tag != "script" or elem.get("type") != "application/ld+json":
            delete_element(elem)


def page_blocks(tree: Any) -> list[PageBlock]:
    """The page's visible lines in order, each with the region that holds it.

    One walk over the tree (scripts and styles are gone by now): text of inline
    elements joins the line of its block; a block element starts a new line.
    The region ("navigation", "page footer", "related links") comes from the
    nearest `<nav>`/`<footer>`/`<aside>`... or a block whose class or id names
    one, so that a drop says what the extractor left out, not just that it did.
    """
    from lxml import etree

    out: list[PageBlock] = []
    parts: list[str] = []
    regions: list[str | None] = [None]
    blocks = [-1, -1]  # serial numbers of the open block elements
    serial = 0
    line_of = 0

    def flush() -> None:
        text = " ".join("".join(parts).split())
        parts.clear()
        if text:
            out.append(PageBlock(text, line_of, regions[-1], blocks[-2]))

    walk = etree.iterwalk(tree, events=("start", "end"))
    for event, el in walk:
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            if event == "end" and el.tail:
                parts.append(el.tail)
            continue
        if tag in _SKIP:  # <head>, <noscript>...: not shown, only the tail is
            if event == "start":
                walk.skip_subtree()
            elif el.tail:
                parts.append(el.tail)
            continue
        if event == "start":
            if tag in _BLOCKS:
                if parts:
                    flush()
                line_of = el.sourceline or line_of
                region = _REGION_TAGS.get(tag)
                if region is None and (names := el.get("class") or el.get("id")):
                    region = _named_region(names)
                regions.append(region or regions[-1])
                serial += 1
                blocks.append(serial)
            if el.text:
                parts.append(el.text)
            continue
        if tag in _BLOCKS:
            if parts:
                flush()
            regions.pop()
            blocks.pop()
        if el.tail:
            parts.append(el.tail)
    flush()
    return out


@functools.lru_cache(maxsize=4096)
def _named_region(names: str) -> str | None:
    """The region a class or id names ("site-footer", "related-posts"); pages repeat
    their class names (a menu's hundred "menu-item"s), hence the cache."""
    found = _REGION_NAMES.search(names.lower())
    return found.lastgroup.replace("_", " ") if found and found.lastgroup else None


def page_metadata(tree: Any) -> Any:
    """Title, author, date, site name and URL, as trafilatura's `extract_metadata` finds them.

    The same steps in the same order (meta tags, JSON-LD, then the page itself;
    htmldate for the date), less what the cleaner never reads (categories, tags,
    licence, host name: a third of its time). The date search is htmldate's
    fast one: its extensive search hands unknown strings to dateparser, which
    compiles per-locale regexes (it tripled the time per page for few extra dates).
    """
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    # trafilatura's JSON-LD reader has bugs; its own caller ignores them too
    with contextlib.suppress(Exception):
        meta = extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.author:
        meta.author = _author(tree)
    if not meta.url:
        meta.url = extract_url(tree)
    meta.date = find_date(tree, extensive_search=False, original_date=True, url=meta.url)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (site := META_URL.match(meta.url)):
        meta.sitename = site[1]
    meta.clean_and_trim()
    return meta


def _author(tree: Any) -> str | None:
    """trafilatura's `extract_author`, from one walk over the page instead of six XPaths.

    `extract_author` copies the page, prunes comments, sidebars, dates and figures from
    the copy, then tries three XPath expressions in turn and takes the first element
    whose text is 3 to 119 characters. libxml2 evaluates each expression with its
    predicates over every element (about 2 ms each on a news page): a third of the
    metadata's time. Here one walk tests every element against all four predicates
    (`_AUTHOR_TESTS`, theirs written as Python tests); the copy is made and pruned only
    when some element could name the author, and the candidates are read on it in the
    expressions' order, so the result is the same.
    """
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim
    from trafilatura.xml import delete_element

    groups: tuple[list[int], list[int], list[int]] = ([], [], [])
    pruned: list[int] = []
    for i, el in enumerate(tree.iter()):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in ("time", "figure"):
            pruned.append(i)
        if tag == "author":
            groups[0].append(i)
        if not el.keys():
            continue
        cls, eid = el.get("class") or "", el.get("id") or ""
        itemprop = el.get("itemprop") or ""
        if i and tag in _PRUNE_TAGS and _pruned(el, cls, eid):
            pruned.append(i)
        if tag in _AUTHOR_TAGS_1 and _author_1(el, cls, eid, itemprop):
            groups[0].append(i)
        if tag in _AUTHOR_TAGS_2 and _author_2(cls, eid, itemprop):
            groups[1].append(i)
        if _author_3(el, cls, eid, itemprop):
            groups[2].append(i)
    if not any(groups):
        return None
    page = copy.deepcopy(tree)
    elements = list(page.iter())
    for i in pruned:
        delete_element(elements[i])
    for group in groups:
        for i in group:
            el = elements[i]
            if not _attached(el, page):
                continue  # inside a pruned part
            content = trim(" ".join(el.itertext()))
            if content and 2 < len(content) < _AUTHOR_MAX:
                return normalize_authors(None, content)
    return None


# trafilatura.xpaths (2.x) AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS, as Python tests.
# (Its first expression also tests a child element named "rel", which HTML has not.)
_AUTHOR_MAX = 120
_AUTHOR_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_AUTHOR_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_PRUNE_TAGS = frozenset({"a", "div", "section", "span"})
_AUTHOR_CLASS_1 = re.compile(r"author-?name|AuthorName|authorName")
_AUTHOR_ID_2 = re.compile(r"author|zuozhe|bianji|xiaobian")
_AUTHOR_CLASS_2 = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_AUTHOR_ID_3 = re.compile(r"[Aa]uthor")
_AUTHOR_CLASS_3 = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
_PRUNE_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_PRUNE_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    r"|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)


def _author_1(el: Any, cls: str, eid: str, itemprop: str) -> bool:
    return (
        el.get("rel") == "author"
        or eid == "author"
        or cls == "author"
        or itemprop == "author name"
        or el.get("data-testid") in ("AuthorCard", "AuthorURL")
        or _AUTHOR_CLASS_1.search(cls) is not None
    )


def _author_2(cls: str, eid: str, itemprop: str) -> bool:
    return (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or _AUTHOR_ID_2.search(eid) is not None
        or _AUTHOR_CLASS_2.search(cls) is not None
    )


def _author_3(el: Any, cls: str, eid: str, itemprop: str) -> bool:
    return (
        "Byline" in (el.get("data-component") or "")
        or "author" in itemprop
        or _AUTHOR_ID_3.search(eid) is not None
        or _AUTHOR_CLASS_3.search(cls) is not None
    )


def _pruned(el: Any, cls: str, eid: str) -> bool:
    return (
        eid == "comments"
        or cls in ("comments", "title", "date")
        or _PRUNE_ID.search(eid) is not None
        or _PRUNE_CLASS.search(cls) is not None
        or "Figure" in (el.get("data-component") or "")
    )


def _attached(el: Any, root: Any) -> bool:
    """Is `el` still in the tree under `root` (not in a part that was deleted)?"""
    while (parent := el.getparent()) is not None:
        el = parent
    return el is root


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
    far = [_FAR_SEARCHES]
    for text in texts:
        segments: list[Segment] = []
        for offset, part in _parts(text):
            found = _locate_one(part, raw, cursor, far)
            if found:
                cursor = found[-1][1] + found[-1][2]
                segments.extend((offset + at, pos, length) for at, pos, length in found)
        out.append(segments)
    return out


def _parts(text: str) -> list[tuple[int, str]]:
    """The parts of a line the markup holds verbatim, with their offsets in the line.

    trafilatura writes list items as "- item" and table rows as "| cell | cell |":
    the marks are its own, so a search for the whole line fails, and a failed
    search scans the rest of the page (on a page with a long table that was most
    of the mapping time). Items and cells are searched on their own.
    """
    if text.startswith("- "):
        return [(2, text[2:])]
    if not text.startswith("|"):
        return [(0, text)]
    parts = []
    for cell in _CELL.finditer(text):
        value = cell.group().strip()
        if value:
            parts.append((cell.start() + cell.group().index(value), value))
    return parts


def _locate_one(text: str, raw: str, cursor: int, far: list[int]) -> list[Segment]:
    """The verbatim parts of one line, searched from `cursor` (where the last line ended).

    Searches that fail scan the rest of the page, so every search but the anchor is
    bounded to the stretch of page the line can span. The anchor is looked for near
    the cursor first, then on the rest of the page (a script or a menu may sit
    between two lines); `far[0]` counts how many such page-long searches may still
    fail: on a 1 MB page whose lines do not map, each failure cost a scan of the page.
    """
    window = cursor + _WINDOW_FACTOR * len(text) + _WINDOW_SLACK
    runs = [
        (m.start(), m.end()) for m in _PLAIN_RUN.finditer(text) if m.end() - m.start() >= _MIN_RUN
    ]
    if not runs:  # a short line ("Audit"): only near where the last line ended
        at = raw.find(text, cursor, window)
        return [(0, at, len(text))] if at >= 0 else []
    first = runs[0][0]
    key = text[first : first + _MIN_RUN]
    anchor = raw.find(key, cursor, cursor + _NEAR)
    if anchor < 0 and far[0] > 0:
        anchor = raw.find(key, cursor)
        far[0] -= anchor < 0
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
