"""The plain-text line classifier: keep the article, drop the page around it, say why.

A browser "copy all" of a news page keeps the article's paragraphs but also the
menus, tickers, share buttons, related-article lists, captions, donation
appeals, comments and footers, all as bare lines. HTML extractors score about
like "keep everything" on such dumps, because the markup cues they rely on are
gone. This classifier works in three passes:

1. *Line rules* flag lines whose own words or shape give them away (a bullet
   with two words, "2 Shares", "4 Min Read", a caption ending "(AP)", a
   copyright line). Each flag is the drop reason.
2. *Section rules* flag the lists that follow a header such as "Related News"
   or "Most Read", and everything after a comment-section marker.
3. *The main body* is the span of lines that maximises prose kept minus junk
   kept (the maximum-sum segment, as in Finn et al.'s Body Text Extraction).
   It is then grown backwards to the headline across metadata lines (bylines,
   dates, captions), so a standfirst separated from the body by a donation
   appeal is not lost. Unflagged lines inside the span (subheadings, short
   paragraphs) are kept: recall comes first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from summarizer.clean import lexicon as lx
from summarizer.clean.feed import feeds
from summarizer.clean.metadata import date_prefix_end, is_date_line, parse_date

# A line is prose ("good") when it is a sentence-sized run of words that ends like
# a sentence; scripts written without spaces are measured in characters instead.
_MIN_GOOD_WORDS = 10
_MIN_GOOD_CHARS_UNSPACED = 40
_LONG_WORDS = 25
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CJK_CLAUSE = re.compile(r"[。，、！？；：,.!?]")
_MIN_GOOD_UNSPACED = 20
_LONG_UNSPACED = 30
_SENTENCE_END = re.compile(r"[.!?…。！？؟]['\"”’»)\]]*$|[.!?…。！？؟]['\"”’»)\]]*\s")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CLAUSE = re.compile(r"[.,;:!?…。，！？؟،](?:\s|$)")
_OPENERS = "\"'“‘«([¿¡-"
_MIN_LOWER_SHARE = 0.3
# Line rules: bullets up to this long that are not prose are menu/tag/link items;
# bylines and datelines are at most this long.
_LIST_ITEM_WORDS = 15
_METADATA_WORDS = 16
# A paragraph this long is prose unless a notice phrase opens one of its sentences;
# a caption credit in parentheses is at most this many words.
_LONG_NOTICE_WORDS = 30
_CREDIT_WORDS = 8
_SITE_OWN = (" our", " this site's", " this website's")
# How far back from the body the headline may sit, in flagged or short lines; a
# candidate this long is a standfirst when a shorter title sits right above it.
_HEAD_WALK = 15
_DEK_WORDS = 12
# Bylines and section labels between headline and body ("News Desk") are this short.
_LABEL_WORDS = 4
# After the body: how many unexplained non-prose lines may separate a trailing
# paragraph, and how far to look; explained link lists in between cost nothing.
_TAIL_GAP = 2
_SHORT_SENTENCE_WORDS = 3
_SHORT_SENTENCE_CHARS = 8  # unspaced scripts
_FULL_STOP = re.compile(r"[.!?…。！？؟]['\"”’»)\]]*$")
_TAIL_LIST = 12
# A header's own block (up to the next blank line) is a ticker of at most this many
# sentences; more are the article under a label.
_TICKER_MAX = 15
# Hard wrapping: at least this many lines, this wide, all but the last this even.
_WRAP_LINES = 3
_WRAP_WIDTH = 50
_WRAP_EVEN = 0.75
# A list of at least this many items averaging this many words is content.
_PROSE_LIST_ITEMS = 10
_PROSE_LIST_WORDS = 6
# Reasons that judge a line by its shape alone: they cost the main body no more than
# a neutral line, and inside it they yield to the container rules.
_SHAPE_ONLY = ("separator or symbols",)
_LINK_LISTS = ("section header", "in '", "short list item")
# A comment marker only cuts the page once most of the body's prose is above it,
# so a "Comments" button next to the headline cannot truncate the article.
_CUT_MIN_SHARE = 0.5
_CUT_MIN_PROSE = 200
# Penalties in the maximum-sum segment: junk costs more than a short neutral line,
# so subheadings do not split the body while menus and lists do.
_JUNK_BASE = 30
_NEUTRAL_COST = 12
# A neutral line that cannot be a link label (code, a formula, a row of figures, a
# lowercase fragment) costs less: articles hold runs of them between paragraphs.
_DATA_COST = 3
_CODE = re.compile(r"[(){}\[\]=;<>\\_$#@*]")
_DATA_DIGITS = 0.25
# A body whose other prose lines together are under this share of its longest is one
# paragraph: too little to tell the article from its page.
_LONE_SHARE = 0.25
_LONE_CLOSE = 3


@dataclass(slots=True)
class Line:
    """One non-blank input line with its position in the decoded input."""

    number: int  # 1-based line number in the input
    start: int  # offset of `text` in the decoded input
    text: str  # the kept characters (stripped; bullet marker included)
    body: str  # text without its bullet marker, for the rules
    bullet: bool
    blank_before: bool
    words: int
    good: bool = False
    reason: str | None = None
    weak: bool = False  # flagged only for following a section header (may be the headline)
    keep: bool = False
    # HTML only: the parts of `text` found verbatim in the raw page, as
    # (offset in text, offset in the decoded input, length); None means all of it at `start`.
    pieces: list[tuple[int, int, int]] | None = None


def split_lines(decoded: str) -> list[Line]:
    """Split into non-blank lines, keeping each line's offsets in `decoded`."""
    lines: list[Line] = []
    pos = 0
    blank = True
    for number, raw in enumerate(decoded.splitlines(keepends=True), start=1):
        stripped = raw.strip()
        if not stripped:
            blank = True
            pos += len(raw)
            continue
        start = pos + raw.index(stripped[0])
        esc = lx.TRAILING_ESCAPE.search(stripped)
        if esc:  # a scraper's stray escape ('prisoners."\'): not part of the text
            stripped = stripped[: esc.start()]
        m = lx.BULLET.match(stripped)
        body = stripped[m.end() :] if m else stripped
        words = len(body.split())
        lines.append(
            Line(number, start, stripped, body, m is not None and bool(body), blank, words)
        )
        blank = False
        pos += len(raw)
    return lines


def is_good(line: Line) -> bool:
    """Prose: enough words, mostly lowercase, ending (or broken) like sentences.

    Link lists and menus glued into one long line by a renderer have many
    words too, so long lines still need clause punctuation.
    """
    body = line.body
    unspaced = 0 if body.isascii() else len(_UNSPACED.findall(body))
    if unspaced and unspaced * 2 >= len(body):
        # Chinese, Japanese, Thai...: words are not spaced (blogs space phrases
        # instead), so judge by characters: a sentence's worth of them with
        # punctuation, or a long run; link titles are shorter.
        if line.bullet or unspaced < _MIN_GOOD_UNSPACED:
            return False
        return unspaced >= _LONG_UNSPACED or _CJK_CLAUSE.search(body) is not None
    if line.words <= 3:
        return len(body) >= _MIN_GOOD_CHARS_UNSPACED and _SENTENCE_END.search(body) is not None
    if line.words < _MIN_GOOD_WORDS or not _prose_case(body):
        return False
    if line.words >= _LONG_WORDS:
        return _CLAUSE.search(body) is not None
    return _SENTENCE_END.search(body) is not None


def _prose_case(body: str) -> bool:
    """Prose has many lowercase words; menus, headline lists and glued link runs do not.

    Uncased scripts (Arabic, Hebrew, CJK...) pass: case says nothing there.
    """
    cased = lower = 0
    for word in body.split():
        first = word.lstrip(_OPENERS)[:1]
        if first.isupper():
            cased += 1
        elif first.islower():
            cased += 1
            lower += 1
    return cased < 4 or lower >= _MIN_LOWER_SHARE * cased


def line_reason(line: Line, contained: bool = False) -> str | None:
    """The reason a line is template on its own, or None when its words do not say.

    `contained`: an extractor has already chosen the article's container (the HTML
    path). The rules that judge a line by its shape alone (a short bullet, a line of
    digits, a leading date) are then left out: inside an article such lines are its
    lists, tables and timelines, and on the dev pages those rules cost far more body
    text there than the junk they caught.
    """
    body = line.body
    if not _LETTER.search(body):
        if contained:
            return None if _DIGIT.search(body) else "separator or symbols"
        if lx.MONEY.match(body):
            return "donation amount or price"
        if lx.COUNTER.match(body):
            return "counter (votes, shares)"
        return "separator or symbols"
    if len(body) <= 2:
        return "fragment (icon or button label)"
    if lx.COUNTER.match(body):
        return "share/comment counter"
    if lx.MONEY.match(body):
        return "donation amount or price"
    if lx.READING_TIME.match(body):
        return "reading time"
    low = body.lower()
    if _strong_phrase(low, line.words):
        return "boilerplate phrase (legal, appeal, share/subscribe)"
    if lx.COMMENTS.match(body):
        return "comment section widget"
    if lx.CAPTION_PREFIX.match(body):
        return "image caption or credit"
    if body.endswith((")", ").")) and _credit_tail(body, line.words):
        return "image caption or credit"
    if lx.READ_MORE.match(body):
        return "link to another article"
    if line.words <= _METADATA_WORDS:
        if lx.BYLINE.match(body):
            return "metadata: byline"
        if lx.SOURCE.match(body):
            return "metadata: source"
        if not contained and is_date_line(body):
            return "metadata: date"
    if line.words <= 6:
        if lx.SUPPORT_BUTTON.match(body):
            return "donation appeal"
        if lx.SHORT_TEMPLATE.search(low):
            return "button or menu item"
        if lx.SECTION_HEADER.match(body):
            return "section header"
    if not contained and line.bullet and not line.good and line.words <= _LIST_ITEM_WORDS:
        return "short list item (menu, tags, links)"
    return None


def _strong_phrase(low: str, words: int) -> bool:
    """A boilerplate phrase that makes the line template.

    In a short line any hit counts. A long paragraph is often prose that mentions
    "terms of service" or "when you sign up for" in passing: there the phrase must
    open a sentence (a notice addresses the reader: "Sign up for...", "Copyright
    2019..."), name the site's own ("our Terms of Service"), or be a legal mark,
    which prose does not use.
    """
    if words < _LONG_NOTICE_WORDS:
        return lx.STRONG.search(low) is not None
    for m in lx.STRONG.finditer(low):
        if lx.LEGAL_MARK.match(m.group()):
            return True
        before = low[: m.start()].rstrip(_OPENERS + " ")
        if not before or before[-1] in ".!?:" or before.endswith(_SITE_OWN):
            return True
    return False


def _credit_tail(body: str, words: int) -> bool:
    """A caption's closing credit: a short parenthetical naming an agency or photographer.

    A parenthetical that is itself a sentence ("(You might wonder why ...)") or runs
    long is an aside of the prose, not a credit.
    """
    open_at = body.rfind("(")
    inner = body[open_at + 1 :].rstrip(".").rstrip(")").strip()
    if open_at < 0 or len(inner.split()) > _CREDIT_WORDS or inner.endswith((".", "!", "?")):
        return False
    return lx.CAPTION_CREDIT.search(body) is not None or (
        words <= 60 and lx.CREDIT_TAIL.search(body) is not None
    )


def _wrapped_paragraphs(lines: list[Line]) -> None:
    """Hard-wrapped text (RFCs, mailing lists, wire copy) breaks sentences across lines
    of one width: such a run is judged as the paragraph it is, not line by line.

    A run is at least three consecutive unflagged lines, all but the last of nearly
    the same length; joined, it must read as prose.
    """
    i, n = 0, len(lines)
    while i < n:
        j = i
        width = 0
        while j < n and lines[j].reason is None and not lines[j].bullet:
            if j > i and lines[j].blank_before:
                break
            width = max(width, len(lines[j].text))
            j += 1
        run = lines[i:j]
        if len(run) > _WRAP_LINES and len(run[0].text) < _WRAP_EVEN * width:
            i += 1  # a heading on top of the paragraph ("Abstract"): try from below it
            continue
        if (
            len(run) >= _WRAP_LINES
            and width >= _WRAP_WIDTH
            and all(len(line.text) >= _WRAP_EVEN * width for line in run[:-1])
            and not all(line.good for line in run)
        ):
            joined = " ".join(line.body for line in run)
            probe = Line(0, 0, joined, joined, False, True, len(joined.split()))
            if is_good(probe):
                for line in run:
                    line.good = True
        i = max(j, i + 1)


def _prose_lists(lines: list[Line]) -> None:
    """A long list of statements is content (a changelog, a list of findings), not a menu.

    Menus and tag clouds are runs of one to three words; a list whose items are
    several words each, most of them lowercase (sentences, not headline-cased link
    titles), is judged as a whole: its items count as prose.
    """
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].bullet:
            i += 1
            continue
        j = i
        while j < n and lines[j].bullet:
            j += 1
        items = lines[i:j]
        headed = any(line.reason and line.reason.startswith("section header") for line in items)
        if (
            not headed  # "* Most read" opening the list: a link list
            and len(items) >= _PROSE_LIST_ITEMS
            and sum(line.words for line in items) >= _PROSE_LIST_WORDS * len(items)
            and sum(_sentence_case(line.body) for line in items) * 2 >= len(items)
        ):
            for line in items:
                if line.reason is not None and line.reason.startswith("short list item"):
                    line.reason = None
                    line.good = line.words >= _PROSE_LIST_WORDS
        i = j


def _sentence_case(body: str) -> bool:
    """Most words lowercase (as in a sentence); uncased scripts count as such."""
    lower = upper = 0
    for word in body.split()[1:]:
        first = word.lstrip(_OPENERS)[:1]
        if first.islower():
            lower += 1
        elif first.isupper():
            upper += 1
    return lower > upper or lower == upper == 0


def _flag_sections(lines: list[Line]) -> None:
    """Flag the link lists that follow headers such as 'Related News' or 'BREAKING'.

    The list runs over the header's own block (lines up to the next blank
    line, which is how tickers are laid out) and then over following lines
    until prose resumes.
    """
    i = 0
    n = len(lines)
    while i < n:
        if not _is_header(lines[i]):
            i += 1
            continue
        header = lines[i].body.rstrip(": ")
        lines[i].reason = f"section header '{header}'"
        j = i + 1
        while j < n and not lines[j].blank_before and not _is_header(lines[j]):
            j += 1
        block = lines[i + 1 : j]
        if sum(line.good for line in block) <= _TICKER_MAX:
            # A ticker's few items; a run of paragraphs under a label ("Advertisement"
            # above an article rendered without blank lines) is not one.
            for line in block:
                line.reason = line.reason or f"in '{header}' block"
        else:
            j = i + 1
        while (
            j < n and not (lines[j].good and lines[j].reason is None) and not _is_header(lines[j])
        ):
            if lines[j].reason is None and not _leads_prose(lines, j):
                lines[j].reason, lines[j].weak = f"in '{header}' list", True
            j += 1
        i = j


def _leads_prose(lines: list[Line], i: int) -> bool:
    """A few words right above a paragraph are a subheading, not the list's last link.

    Link titles are longer (on the dev pages, 8 words and up) than subheadings.
    """
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    line = lines[i]
    return (
        not line.bullet
        and line.words <= _LABEL_WORDS + 1
        and nxt is not None
        and nxt.good
        and nxt.reason is None
    )


def _is_header(line: Line) -> bool:
    """A short non-bullet line naming a link list ("Related News", "Most Read")."""
    return not line.bullet and line.words <= 6 and lx.SECTION_HEADER.match(line.body) is not None


def _max_segment(lines: list[Line]) -> tuple[int, int] | None:
    """The [start, end] span maximising prose characters minus junk (Kadane)."""
    best = 0
    best_span: tuple[int, int] | None = None
    run = 0
    run_start = 0
    introduced = False  # inside a bullet list that a line ending in a colon opens
    for i, line in enumerate(lines):
        introduced = line.bullet and (introduced or (i > 0 and lines[i - 1].body.endswith(":")))
        if introduced and line.reason is not None and line.reason.startswith("short list item"):
            score = -_NEUTRAL_COST  # "What you need:" and its items: the article's own list
        elif line.reason is not None and not line.reason.startswith(_SHAPE_ONLY):
            score = -(_JUNK_BASE + min(len(line.text), 150))
        elif line.good:
            score = len(line.text)
        else:
            score = -_NEUTRAL_COST if _link_like(line) else -_DATA_COST
        if run <= 0:
            run, run_start = score, i
        else:
            run += score
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span


def _lone_paragraph(lines: list[Line]) -> tuple[int, int] | None:
    """When the page holds one paragraph of prose (all other prose a few short lines),
    the block of unflagged lines around it: up to `_LONE_CLOSE` flagged lines in a row
    (a menu, a link list) on either side. None when the page has more prose."""
    prose = [
        (len(" ".join(line.body.split())), i)  # runs of spaces (table columns) are no prose
        for i, line in enumerate(lines)
        if line.good and line.reason is None
    ]
    if not prose:
        return None
    size, at = max(prose)
    if sum(n for n, _ in prose) - size >= _LONE_SHARE * size:
        return None
    bounds = []
    for step in (-1, 1):
        edge, flagged, i = at, 0, at + step
        while 0 <= i < len(lines) and flagged < _LONE_CLOSE:
            if lines[i].reason is None:
                edge, flagged = i, 0
            else:
                flagged += 1
            i += step
        bounds.append(edge)
    return bounds[0], bounds[1]


def _link_like(line: Line) -> bool:
    """Could this line be a link or menu label? Not when it holds the symbols of code
    or is mostly figures (a table row): articles hold runs of those between paragraphs."""
    body = line.body
    return not _CODE.search(body) and sum(c.isdigit() for c in body) < _DATA_DIGITS * len(body)


def _comment_cut(lines: list[Line], start: int, end: int) -> int | None:
    """Index of the first comment-section marker below the body's prose, if any.

    A strong marker ("3 Comments", "Leave a Reply") cuts once some prose is
    above it, however long the comments below are; a weak one (a bare
    "Comments" button) only once most of the span's prose is above it.
    """
    total = sum(
        len(line.text) for line in lines[start : end + 1] if line.good and line.reason is None
    )
    prose = 0
    for i in range(start, len(lines)):
        line = lines[i]
        if line.good and line.reason is None:
            prose += len(line.text)
            continue
        strong = prose >= _CUT_MIN_PROSE and lx.COMMENTS_STRONG.match(line.body)
        weak = prose >= max(_CUT_MIN_PROSE, _CUT_MIN_SHARE * total) and lx.COMMENTS.match(line.body)
        if strong or weak:
            return i
    return None


def _grow_head(lines: list[Line], start: int) -> int:
    """Walk back from the body over metadata to the headline; return the new start."""
    budget = _HEAD_WALK
    i = start - 1
    new_start = start
    passed: list[Line] = []
    while i >= 0 and budget > 0:
        line = lines[i]
        if line.reason is None and line.good:
            new_start = i
            if _is_metadata(lines[i + 1]) and not line.body.endswith(":"):
                # A sentence-like headline, or a standfirst under its headline,
                # right above the byline or date: nothing further up is article.
                above = lines[i - 1] if i > 0 else None
                if above is not None and _headline_like(above):
                    above.reason, above.weak = None, False
                    return i - 1
                return i
        elif _headline_like(line) and (
            not line.weak or i + 1 == new_start or _is_metadata(lines[i + 1])
        ):
            # A line a section header swept up is the headline only where a
            # headline sits: on the article or its byline, not inside a link list.
            line.reason, line.weak = None, False
            for skipped in passed:
                skipped.reason = "short line between headline and body (byline, label)"
            above = lines[i - 1] if i > 0 else None
            # A long line here is a standfirst; the headline sits right above it.
            if (
                above
                and line.words >= _DEK_WORDS
                and _headline_like(above)
                and above.words < line.words
            ):
                above.reason, above.weak = None, False
                return i - 1
            return i  # the headline: nothing above it is article
        else:
            if line.reason is None and line.words <= _LABEL_WORDS:
                passed.append(line)
            budget -= 1
        i -= 1
    return new_start


def _is_metadata(line: Line) -> bool:
    """A byline, source or date line: they sit between a headline and its article."""
    return line.reason is not None and line.reason.startswith("metadata")


def _headline_like(line: Line) -> bool:
    """Could this be the headline? A short sentence ending in a period is a notice, not a title."""
    return (
        (line.reason is None or line.weak)
        and not line.bullet
        and 3 <= line.words <= 40
        and not line.body.endswith(":")
        and not (line.body.endswith(".") and line.words < _MIN_GOOD_WORDS)
    )


def _grow_tail(lines: list[Line], end: int, stop: int) -> int:
    """Take back a last paragraph cut off by a short ad or widget (never past `stop`).

    A short sentence right below the body ("No deaths were reported.") is its last
    line, however few its words: a wire report's closing line is often its shortest.
    """
    gap = 0
    i = end + 1
    new_end = end
    while i < stop and gap <= _TAIL_GAP and i - new_end <= _TAIL_LIST:
        line = lines[i]
        if line.reason is None and (
            line.good
            or (i == new_end + 1 and (lx.SIGNOFF.match(line.body) or _short_sentence(line)))
        ):
            new_end, gap = i, 0
        elif not line.reason or not line.reason.startswith(_LINK_LISTS):
            gap += 1  # an explained list ("Related stories") inside the body costs nothing
        i += 1
    return new_end


def _short_sentence(line: Line) -> bool:
    """A complete short sentence: a few words, mostly lowercase after a capital or
    uncased start ("Our Standards: The Trust Principles." is a label), a full stop."""
    body = line.body
    return (
        not line.bullet
        and _sentence_case(body)
        and (line.words >= _SHORT_SENTENCE_WORDS or len(body) >= _SHORT_SENTENCE_CHARS)
        and not body[:1].islower()
        and _FULL_STOP.search(body) is not None
    )


def classify(
    lines: list[Line], template: Callable[[str], int] | None = None
) -> tuple[int, int] | None:
    """Set `reason`/`keep` on every line; return the (first, last) body line indices."""
    for line in lines:
        line.good = is_good(line)
        line.reason = line_reason(line)
        if line.reason is None and template is not None:
            docs = template(line.text)
            if docs:
                line.reason = f"repeats in {docs} documents of this outlet (template)"
    _wrapped_paragraphs(lines)
    for prev, line in pairwise(lines):
        if prev.reason is None and prev.good and lx.MORE_LINK.match(line.body):
            prev.reason = "teaser of another article (followed by a 'read more' link)"
        if line.text == prev.text and not line.good:
            prev.reason = line.reason = prev.reason or "repeated line (image alt text and caption)"
    _flag_sections(lines)
    _prose_lists(lines)
    span = _max_segment(lines)
    if span is None:
        # No prose at all (a one-line item, a list): keep whatever no rule flagged.
        for line in lines:
            line.keep = line.reason is None
        kept = [i for i, line in enumerate(lines) if line.keep]
        return (kept[0], kept[-1]) if kept else None
    lone = _lone_paragraph(lines)
    if lone is not None:
        # A single paragraph among many other lines (a fable in a layout table, a
        # one-paragraph notice): no body to tell apart from the lines around it, so
        # keep what no rule flagged there, up to the menus and lists that close it.
        start, end = lone
        for i, line in enumerate(lines):
            line.keep = start <= i <= end and line.reason is None
            if not line.keep and line.reason is None:
                line.reason = "outside the main body"
        return start, end
    start, end = span
    cut = _comment_cut(lines, start, end)
    if cut is not None:
        for line in lines[cut:]:
            if line.reason is None or line.weak:
                line.reason = "comment section"
        end = min(end, cut - 1)
    for first, last, thread in feeds(lines, start, end):
        # No marker named it, but its shape did (stamped units): see feed.py.
        what = "comment thread" if thread else "feed of stamped items (ticker, teasers)"
        for line in lines[first : last + 1]:
            if line.reason is None or line.weak or line.reason.startswith(_SHAPE_ONLY):
                line.reason = f"{what} below the article"
        if last >= end:
            end, cut = first - 1, first if cut is None else min(cut, first)
            break
    start = _grow_head(lines, start)
    end = _grow_tail(lines, end, len(lines) if cut is None else cut)
    for i, line in enumerate(lines):
        if start <= i <= end:
            if line.reason is not None and line.reason.startswith(_SHAPE_ONLY):
                # Inside the article, a line of figures or a dated row is its table,
                # code or timeline: only the rules that hold inside a container apply.
                line.reason = line_reason(line, contained=True)
            line.keep = line.reason is None
        elif line.reason is None:
            line.reason = "outside the main body"
    keep_intro_lists(lines, start, end)
    _drop_author_bio(lines, end)
    return start, end


def _drop_author_bio(lines: list[Line], end: int) -> None:
    """Drop the author's bio that closes many articles (only at the very end of the body)."""
    for line in reversed(lines[: end + 1]):
        if not line.keep:
            continue
        if not lx.AUTHOR_BIO.match(line.body):
            return
        line.keep, line.reason = False, "author bio"


def keep_intro_lists(lines: list[Line], start: int, end: int) -> None:
    """Keep a short bullet list that a body sentence introduces with a colon."""
    for i in range(start + 1, end + 1):
        line = lines[i]
        if not (line.bullet and line.reason and line.reason.startswith("short list item")):
            continue
        j = i - 1
        while j > start and lines[j].bullet:
            j -= 1
        intro = lines[j]
        if intro.keep and intro.body.rstrip().endswith(":"):
            line.reason, line.keep = None, True


def headline_date(line: Line) -> str | None:
    """Split 'date 2023-12-09 Headline' into the date and a line that starts at the headline."""
    found = date_prefix_end(line.text)
    if found is None:
        return None
    iso, cut = found
    line.start += cut
    line.text = line.text[cut:]
    line.body = line.text
    line.words = len(line.text.split())
    return iso


def date_near(lines: list[Line], start: int) -> str | None:
    """The first date in a metadata line, before or just after where the body starts."""
    for line in lines[: start + 8]:
        if (line.reason and line.reason.startswith("metadata")) or line.words <= 8:
            found = parse_date(line.body)
            if found:
                return found[0]
    return None
