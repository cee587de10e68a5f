"""Article cleaning: raw bytes or text in, a cleaned `Article` out, every drop explained.

One entry point, `clean()`, serves both input kinds: HTML goes through
trafilatura plus the line rules (`html.py`), plain text through the line
classifier (`text.py`). `clean_with_report()` also returns the dropped lines
with their reasons (what `summarizer clean --show-dropped` prints), and
`clean_corpus()` first learns the lines an outlet repeats across a batch
(`corpus.py`) so they are dropped as template.

Every kept line maps back to the decoded input through `Article.offset_map`,
so evidence quotes can be traced to the raw file.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from summarizer.clean.corpus import BoilerplateModel
from summarizer.clean.decode import MAX_INPUT_BYTES, decode_input
from summarizer.clean.html import HtmlResult, PageBlock, extract_html, locate, looks_like_html
from summarizer.clean.lexicon import BYLINE, SOURCE, SUPPORT_BUTTON
from summarizer.clean.metadata import clean_byline, find_url, guess_outlet, parse_date
from summarizer.clean.text import (
    Line,
    classify,
    date_near,
    headline_date,
    is_good,
    line_reason,
    split_lines,
)
from summarizer.errors import InputError
from summarizer.records import Article, CleaningStats, doc_id_of

__all__ = [
    "MAX_INPUT_BYTES",
    "BoilerplateModel",
    "CleanReport",
    "DroppedLine",
    "clean",
    "clean_corpus",
    "clean_with_report",
    "decode_input",
]

_MAX_TITLE_WORDS = 25
_PART_CHARS = 40
_ADJACENT = 2  # page lines next to the extracted body that may be taken back
_GAP_LINES = 4  # at most this many page lines between two extracted ones
_NOT_OUTLETS = {"us", "our journalism", "independent journalism", "the site", "this site"}


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A line the cleaner left out, where it was, and why."""

    line: int  # 1-based line number in the decoded input (0 when not found verbatim in HTML)
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanReport:
    """The cleaned article plus the dropped lines, in input order."""

    article: Article
    dropped: list[DroppedLine]


class NoArticleLeftError(InputError):
    """Every line was page furniture. Carries the dropped lines, so that
    `clean --show-dropped` can still show why each went (empty after pickling)."""

    def __init__(self, message: str, dropped: Sequence[DroppedLine] = ()) -> None:
        super().__init__(message)
        self.dropped = list(dropped)


def clean(
    raw: bytes | str, name: str | None = None, *, boilerplate: BoilerplateModel | None = None
) -> Article:
    """Clean one input (HTML or plain text) into an `Article`; `InputError` if unusable."""
    return clean_with_report(raw, name, boilerplate=boilerplate).article


def clean_with_report(
    raw: bytes | str, name: str | None = None, *, boilerplate: BoilerplateModel | None = None
) -> CleanReport:
    """Like `clean()`, but also return every dropped line with its reason."""
    decoded = decode_input(raw)
    if looks_like_html(decoded):
        report = _clean_html(decoded, name)
    else:
        report = _clean_text(decoded, name, boilerplate)
    return _nonempty(_identify(report, raw))


def _identify(report: CleanReport, raw: bytes | str) -> CleanReport:
    """Stamp the article with the sha256 of the raw input as read (its stable `doc_id`)."""
    article = report.article.model_copy(update={"doc_id": doc_id_of(raw)})
    return CleanReport(article, report.dropped)


def _nonempty(report: CleanReport) -> CleanReport:
    """Refuse a page where every line was furniture: an empty article helps nobody downstream."""
    if not report.article.text.strip():
        raise NoArticleLeftError(
            "no article text left after cleaning, every line looked like page furniture "
            "(menus, buttons, notices): pass the article's page or text",
            report.dropped,
        )
    return report


def clean_corpus(
    items: Sequence[tuple[bytes | str, str | None]],
) -> list[CleanReport | InputError]:
    """Clean a batch, dropping lines that one outlet repeats across its documents.

    Returns one entry per input, in order: its report, or the `InputError`
    that made it unusable, so one bad file never stops the others.
    """
    decoded: list[str | InputError] = []
    model = BoilerplateModel()
    for raw, _name in items:
        try:
            text = decode_input(raw)
        except InputError as err:
            decoded.append(err)
            continue
        decoded.append(text)
        if not looks_like_html(text):
            lines = split_lines(text)
            model.add((line.text for line in lines), _outlet(lines))
    out: list[CleanReport | InputError] = []
    for text_or_err, (raw, name) in zip(decoded, items, strict=True):
        if isinstance(text_or_err, InputError):
            out.append(text_or_err)
        else:
            try:
                if looks_like_html(text_or_err):
                    report = _clean_html(text_or_err, name)
                else:
                    report = _clean_text(text_or_err, name, model)
                out.append(_nonempty(_identify(report, raw)))
            except InputError as err:
                out.append(err)
    return out


def _outlet(lines: list[Line]) -> str | None:
    """The outlet, from 'Source:' lines and 'Support X' buttons first, then page-wide cues."""
    bodies = [line.body for line in lines]
    sources = [m.group("name").strip() for b in bodies if len(b) < 80 and (m := SOURCE.match(b))]
    sources += [
        m.group("name").strip()
        for b in bodies
        if (m := SUPPORT_BUTTON.match(b)) and m.group("name").lower() not in _NOT_OUTLETS
    ]
    return guess_outlet(bodies, sources)


def _assemble(kept: list[Line]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join kept lines with newlines; map each line back to its place in the input."""
    parts: list[str] = []
    offsets: list[tuple[int, int, int]] = []
    pos = 0
    for line in kept:
        if parts:
            pos += 1
        pieces = [(0, line.start, len(line.text))] if line.pieces is None else line.pieces
        offsets.extend((pos + offset, raw, length) for offset, raw, length in pieces)
        parts.append(line.text)
        pos += len(line.text)
    return "\n".join(parts), offsets


def _clean_text(
    decoded: str, name: str | None, boilerplate: BoilerplateModel | None
) -> CleanReport:
    """Plain text: classify lines, take metadata from the dropped ones, assemble the body."""
    lines = split_lines(decoded)
    published = next((iso for line in lines[:3] if (iso := headline_date(line))), None)
    outlet = _outlet(lines)
    span = classify(lines, boilerplate.detector(outlet) if boilerplate else None)
    kept = [line for line in lines if line.keep]
    title = kept[0].text if kept and kept[0].words <= _MAX_TITLE_WORDS else None
    if title is not None:
        for line in lines[1:]:
            if line is not kept[0] and line.text.rstrip(".") == title.rstrip("."):
                line.keep, line.reason = False, "duplicate of the headline"
        kept = [line for line in lines if line.keep]
    text, offsets = _assemble(kept)
    byline = next(
        (
            clean_byline(m.group("name"))
            for line in lines
            if line.reason and (m := BYLINE.match(line.body))
        ),
        None,
    )
    if published is None and span is not None:
        published = date_near(lines, span[0])
    dropped = [
        DroppedLine(line.number, line.text, line.reason or "") for line in lines if not line.keep
    ]
    return _report(
        decoded,
        "text",
        text,
        offsets,
        len(kept),
        dropped,
        title=title,
        outlet=outlet,
        url=find_url([line.body for line in lines]),
        published=published,
        byline=byline,
        source=name,
    )


def _clean_html(decoded: str, name: str | None) -> CleanReport:
    """HTML: trafilatura's body through the line rules, its metadata, offsets into the markup."""
    found = extract_html(decoded)
    paragraphs = found.paragraphs if found.page is None else _fill_gaps(found)
    lines = [line for para in paragraphs for line in split_lines(para)]
    for line, pieces in zip(lines, locate([line.text for line in lines], decoded), strict=True):
        line.pieces = pieces
        line.start = pieces[0][1] if pieces else -1
    if found.fallback:
        classify(lines)
    else:
        # trafilatura already chose the article container: only the line rules run.
        for line in lines:
            line.reason = line_reason(line, contained=True)
            line.keep = line.reason is None
    kept = [line for line in lines if line.keep]
    title = found.title
    heading = split_lines(title)[:1] if title else []
    if heading and (not kept or kept[0].text != heading[0].text) and _shown(heading[0], decoded):
        heading[0].pieces = locate([heading[0].text], decoded)[0]
        kept.insert(0, heading[0])
    text, offsets = _assemble(kept)
    gone = [line for line in lines if not line.keep]
    numbers = _line_numbers(decoded, [line.start for line in gone])
    dropped = [
        DroppedLine(n, line.text, line.reason or "") for n, line in zip(numbers, gone, strict=True)
    ]
    if found.page is not None:
        dropped = _left_out(found.page, text, dropped)
    parsed = parse_date(found.date) if found.date else None
    return _report(
        decoded,
        "html",
        text,
        offsets,
        len(kept),
        dropped,
        title=title,
        outlet=found.sitename,
        url=found.url,
        published=parsed[0] if parsed else found.date,
        byline=found.author,
        language=found.language,
        source=name,
    )


def _fill_gaps(found: HtmlResult) -> list[str]:
    """trafilatura's paragraphs, with the prose paragraphs it skipped inside the article.

    Each paragraph is matched, in order, to the page line it came from; a page line
    between two matched ones (or right next to the first or last) that reads as prose,
    sits in no named region (navigation, footer, related links...) and no line rule
    flags is put back where it stands: the fast extraction sometimes skips a lead
    paragraph or one in an odd container, and recall comes first.
    """
    assert found.page is not None
    page = found.page
    keys = [_words(block.text) for block in page]
    where: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        where.setdefault(key, []).append(i)
    matched: list[tuple[int, int]] = []  # (paragraph index, page line index)
    last = -1
    para_keys = Counter(_words(para) for para in found.paragraphs)
    for p, para in enumerate(found.paragraphs):
        spots = where.get(_words(para))
        if spots:
            at = bisect.bisect_right(spots, last)
            if at < len(spots):
                last = spots[at]
                matched.append((p, last))
    if not matched:
        return found.paragraphs
    inserts: dict[int, list[str]] = {}
    body = _words("\n".join(found.paragraphs))
    # a paragraph the page repeats (trafilatura keeps one copy) may come back as often
    spare = {key: len(where[key]) - n for key, n in para_keys.items() if key in where}
    # a long stretch between two parts is not a skipped paragraph
    bounds = [(pa, a + 1, b) for (pa, a), (_pb, b) in pairwise(matched) if b - a <= _GAP_LINES]
    first, end = matched[0][1], matched[-1][1]
    bounds.append((-1, max(first - _ADJACENT, 0), first))
    bounds.append((matched[-1][0], end + 1, min(end + 1 + _ADJACENT, len(page))))
    for after, lo, hi in bounds:
        for i in range(lo, hi):
            block, key = page[i], keys[i]
            if block.region is not None or not _prose(block.text):
                continue
            if i > end and block.container != page[end].container:
                # below the body only inside its container: the author's bio, the next
                # story's teaser and the app promotion sit beside it
                continue
            if spare.get(key, 0) > 0:
                spare[key] -= 1
            elif key in body:
                continue  # part of a kept paragraph, split differently by the markup
            inserts.setdefault(after, []).append(block.text)
    if not inserts:
        return found.paragraphs
    out = inserts.get(-1, [])
    for p, para in enumerate(found.paragraphs):
        out.append(para)
        out.extend(inserts.get(p, []))
    return out


def _words(text: str) -> str:
    """A text lowercased with its spaces removed: markup and extractor put spaces
    around inline tags and line breaks differently, the characters stay."""
    return "".join(text.lower().split())


def _prose(text: str) -> bool:
    """A page line that reads as a paragraph of the article on its own."""
    lines = split_lines(text)
    if len(lines) != 1:
        return False
    line = lines[0]
    line.good = is_good(line)
    return line.good and line_reason(line, contained=True) is None


def _left_out(page: list[PageBlock], text: str, dropped: list[DroppedLine]) -> list[DroppedLine]:
    """Add the page's lines that trafilatura left out (menus, footers, related links) to
    the lines the rules dropped, in page order, each with the region that held it.

    A page line is left out when it is neither a line of the article nor a dropped
    line (whitespace aside), nor, when long, a part of the article's text (markup
    splits a paragraph at a <br> where trafilatura does not). A short line ("News")
    must match a whole line: it would be found inside any article.
    """
    lines: set[str] = set()
    for line in [*text.split("\n"), *(d.text for d in dropped)]:
        # trafilatura writes list items as "- item" and table rows as "| a | b |"
        if line.startswith("|"):
            lines.update(" ".join(cell.split()) for cell in line.split("|"))
        else:
            lines.add(" ".join(line.removeprefix("- ").split()))
    joined = " ".join(text.split())
    out = list(dropped)
    for block in page:
        if block.text in lines or (len(block.text) >= _PART_CHARS and block.text in joined):
            continue  # kept or already listed: a long block may be part of a kept line
        where = block.region or "not in the article's container"
        out.append(DroppedLine(block.line, block.text, f"left out by the extractor: {where}"))
    out.sort(key=lambda d: d.line)
    return out


def _shown(heading: Line, decoded: str) -> bool:
    """Is the page title a heading the page shows (an <h1> the extractor left out)?

    Titles read from <title> or meta tags only ("Open Graph title", "Story | Site")
    are metadata, kept in `Article.title`; put into the text they would be words
    the reader never saw on the page.
    """
    body = max(decoded.find("<body"), decoded.find("<BODY"), 0)
    return decoded.find(heading.text, body) >= 0


def _line_numbers(decoded: str, starts: list[int]) -> list[int]:
    """1-based line numbers of offsets into `decoded` (0 for -1, not found), counting line
    breaks on from the previous offset: dropped lines come in page order, so the page is
    scanned about once however many there are (a count from the start for each was not)."""
    out: list[int] = []
    pos, number = 0, 1
    for start in starts:
        if start < 0:
            out.append(0)
            continue
        if start < pos:  # out of order: count again from the top
            pos, number = 0, 1
        number += decoded.count("\n", pos, start)
        pos = start
        out.append(number)
    return out


def _report(
    decoded: str,
    method: str,
    text: str,
    offsets: list[tuple[int, int, int]],
    kept: int,
    dropped: list[DroppedLine],
    **meta: str | None,
) -> CleanReport:
    """The `Article` with its cleaning stats, and the dropped lines, for either input kind."""
    stats = CleaningStats(
        method=method,
        raw_chars=len(decoded),
        clean_chars=len(text),
        lines_kept=kept,
        lines_dropped=len(dropped),
    )
    article = Article.model_validate({"text": text, "offset_map": offsets, "stats": stats, **meta})
    return CleanReport(article, dropped)
