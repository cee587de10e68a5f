"""Feeds below an article: comment threads, live tickers and teaser lists, by their shape.

Below many articles the page goes on with more prose that is not the article: reader
comments, a live ticker of other news, teasers of related stories. Line by line they
read like the article (full sentences), and the marker that names them ("13 comments",
"Direct", "Related") takes a word list in every language and still misses most. What
they share is structure: a run of *stamped units*, each a short line carrying a date or
a time (the comment's "Name · March 10, 2017 at 1:26 AM", the ticker's "14:10", the
teaser's "July 22, 2016") next to a little prose. An article's own paragraphs carry no
such stamps.

A stamped run is a feed, not the article, when it comes after the article's opening
prose and it is either

- a *ticker*: units of at most a paragraph or two each (a teaser, a blurb), or
- a *thread*: stamps led by several different names (commenters), whatever the size of
  their units.

A live blog whose timed entries are the article starts its stamps right at the top of
the body (no prose above them) or runs entries of several paragraphs under one voice:
neither shape above, so it is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING

from summarizer.clean.metadata import DATE, is_date_line

if TYPE_CHECKING:
    from summarizer.clean.text import Line

#: "14:10", "* 13:43 Headline", "9.05am", "10h32": a time opening a short line.
_TIME = re.compile(r"^\d{1,2}(?::|h|\.(?=\d\d\s*[ap]m))\d{2}(?:\s*[ap]\.?m\.?)?(?!\d)", re.I)
_STAMP_WORDS = 16  # a stamp line is short (a headline may follow a ticker's time)
_MIN_STAMPS = 3
_UNIT_LINES = 12  # at most this many lines from one stamp to the next
_TICKER_MEAN_GOOD = (0.5, 1.5)  # ticker units: a paragraph or so each on average...
_TICKER_MAX_GOOD = 2  # ...and never more than two
_SIGNED_SHARE = 1 / 3  # one name on this share of the stamps: the page's own reporter
_THREAD_NAMES = 3  # distinct names leading the stamps of a comment thread...
_THREAD_DISTINCT = 0.5  # ...most of them different
_ARTICLE_GOOD = 2  # paragraphs of the article above the run, at least
_ARTICLE_CHARS = 200
_NAME_CHARS = 40
_NAME_WORDS = 5


def is_stamp(line: Line) -> bool:
    """A short line that is a date or time, maybe after a name or before a headline."""
    if line.words > _STAMP_WORDS or (line.good and line.reason is None):
        return False
    if _TIME.match(line.body) is not None:
        return True
    reason = line.reason
    return (reason is not None and reason.startswith("metadata: date")) or is_date_line(line.body)


def _name(line: Line) -> str | None:
    """Who wrote the unit: the words around a stamp's date or time ("Rarst ·",
    "21:22Frances Watkins"), normalised; None when the stamp is a bare date."""
    body = line.body
    time = _TIME.match(body)
    if time is not None:
        rest = body[time.end() :]
    elif (m := DATE.search(body)) is not None:
        rest = body[: m.start()]
    else:
        return None
    name = " ".join(rest.split()).strip(" ·|,-–—").lower()
    # a ticker's headline after its time is no name
    # (a row of figures before a date is no name either)
    if not name or len(name.split()) > _NAME_WORDS or not any(c.isalpha() for c in name):
        return None
    return name[:_NAME_CHARS]


def feeds(lines: list[Line], start: int, end: int) -> list[tuple[int, int, bool]]:
    """The feeds starting in lines[start..end] below the article's opening prose, as
    (first index, last index, thread). A thread (comments) runs to the end of the page;
    a ticker ends with its last unit, and the article may go on below it (a gallery or
    a teaser box inside the story).
    """
    stamps = [i for i in range(start, len(lines)) if is_stamp(lines[i])]
    out: list[tuple[int, int, bool]] = []
    k = 0
    while k + _MIN_STAMPS <= len(stamps) and stamps[k] <= end:
        run = [stamps[k]]
        signed = _name(lines[run[0]]) is not None
        for s in stamps[k + 1 :]:
            # a run is one kind of stamp: named ones (comments) or bare ones (teasers)
            if s - run[-1] > _UNIT_LINES or (_name(lines[s]) is not None) != signed:
                break
            run.append(s)
        k += len(run)
        kind = _kind(lines, run) if len(run) >= _MIN_STAMPS else None
        if kind is None:
            continue
        unit = sorted(b - a for a, b in pairwise(run))[(len(run) - 1) // 2]  # median
        first = _first_unit(lines, start, run, unit)
        if not _article_above(lines, start, first):
            continue
        if kind == "thread":
            out.append((first, len(lines) - 1, True))
            break
        out.append((first, _last_unit(lines, run, unit), False))
    return out


def _good(line: Line) -> bool:
    return line.good and line.reason is None


def _kind(lines: list[Line], run: list[int]) -> str | None:
    """The run's kind: a thread (several names), a ticker (small unsigned units) or None (see the
    module docstring). A live blog's entries are signed by its one or two reporters."""
    units = [sum(_good(lines[i]) for i in range(a + 1, b)) for a, b in pairwise(run)]
    low, high = _TICKER_MEAN_GOOD
    if sum(units) < low * len(units):
        return None  # stamps with no prose between them: a table of dates, an archive list
    names = [name for i in run if (name := _name(lines[i]))]
    if len(set(names)) >= _THREAD_NAMES and len(set(names)) >= _THREAD_DISTINCT * len(names):
        return "thread"
    if names and Counter(names).most_common(1)[0][1] >= _SIGNED_SHARE * len(run):
        return None
    if max(units) <= _TICKER_MAX_GOOD and sum(units) <= high * len(units):
        return "ticker"
    return None


def _opens(lines: list[Line], run: list[int], unit: int) -> bool:
    """Do the stamps open their units (a comment's name and date above its text) rather
    than close them (a teaser's date below its text)? The last stamp tells: prose follows
    it within a unit's length only when stamps open units."""
    last = run[-1]
    return any(_good(line) for line in lines[last + 1 : last + unit])


def _first_unit(lines: list[Line], start: int, run: list[int], unit: int) -> int:
    """Where the feed's first unit begins: at its stamp, or, when the stamps close their
    units, up to a unit's length above the first one, not into the article's paragraph
    before it."""
    if _opens(lines, run, unit):
        return run[0]
    above = [i for i in range(start, run[0]) if _good(lines[i])]
    if len(above) < 2:
        return run[0]
    return max(above[-2] + 1, run[0] - unit + 1)


def _last_unit(lines: list[Line], run: list[int], unit: int) -> int:
    """Where a ticker's last unit ends: a unit's length below an opening stamp, or the
    non-prose lines right below a closing one (the article may go on after it)."""
    last = run[-1]
    if _opens(lines, run, unit):
        return min(last + unit - 1, len(lines) - 1)
    end = last
    while end + 1 < min(last + unit, len(lines)) and not _good(lines[end + 1]):
        end += 1
    return end


def _article_above(lines: list[Line], start: int, cut: int) -> bool:
    """Enough of the article's own prose above the feed (a live blog's stamps start at once)."""
    good = [lines[i] for i in range(start, cut) if _good(lines[i])]
    return len(good) >= _ARTICLE_GOOD and sum(len(line.text) for line in good) >= _ARTICLE_CHARS
