"""Date expressions, resolved against the publication date when they are relative.

"Friday", "Saturday afternoon", "January 5", "on 10 August", "since October 18",
"in the past 10 days", "last month", "yesterday", "Earlier today": each becomes an
ISO value with a precision. Without a publication date only absolute dates
(those that carry a year) resolve; relative ones stay unresolved rather than
guessed. Every mention also gets a comparison `key`, resolved or not, so two
mentions of "January 4" and "January 5" are known to differ even when no year
is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from summarizer.lexicons import table
from summarizer.offline.numbers import NUMBER, parse_number
from summarizer.offline.text import all_lower
from summarizer.records import DatePrecision

_MONTHS = {name: int(n) for name, n in table("months").items()}
_WEEKDAYS = {name: int(n) for name, n in table("weekdays").items()}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_UNIT = r"(?P<unit>day|week|month|year)s?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "day_month",
        re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(?P<year>\d{{4}}))?",
            re.I,
        ),
    ),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<part>early|mid|late)[-\s]+)?(?:the\s+month\s+of\s+)?{_MONTH}"
            r"(?:\s+(?P<rel>last|this|next)\s+year)?\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next)\s+)?{_WEEKDAY}{_PART}\b", re.I)),
    (
        "today",
        re.compile(
            r"\b(?:earlier\s+|later\s+)?today\b|\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b",
            re.I,
        ),
    ),
    ("yesterday", re.compile(rf"\byesterday{_PART}\b|\blast\s+night\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "past",
        re.compile(
            rf"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:(?P<n>{NUMBER})\s+)?{_UNIT}\b",
            re.I,
        ),
    ),
    ("last_unit", re.compile(r"\b(?P<rel>last|this|next)\s+(?P<unit>week|month|year)\b", re.I)),
    ("ago", re.compile(rf"\b(?:(?:around|about|some)\s+)?(?P<n>{NUMBER})\s+{_UNIT}\s+ago\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|of|by)\s+(?P<year>(?:19|20)\d{2})\b")),
]


@dataclass(frozen=True)
class DateMention:
    """A date expression in the text: its span, resolved value (or None) and comparison key."""

    start: int
    end: int
    text: str
    value: str | None
    end_value: str | None
    precision: DatePrecision
    key: str


def parse_published(published: str | None) -> date | None:
    """The publication day from an ISO date or datetime, or None."""
    if published and re.match(r"\d{4}-\d{2}-\d{2}", published):
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_day(month: int, day: int, year: int | None, pub: date | None) -> date | None:
    """A month and day; without a year, the latest such day not well after publication."""
    if year is not None:
        return _safe_date(year, month, day)
    if pub is None:
        return None
    d = _safe_date(pub.year, month, day)
    if d is not None and d > pub + timedelta(days=7):
        d = _safe_date(pub.year - 1, month, day)
    return d


def _weekday(wd: int, rel: str | None, pub: date | None) -> date | None:
    """The weekday on or before publication ("last": strictly before; "next": after)."""
    if pub is None:
        return None
    if rel == "next":
        return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    back = (pub.weekday() - wd) % 7
    if rel == "last" and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _resolve(
    kind: str, m: re.Match[str], pub: date | None
) -> tuple[date | str | None, date | None, DatePrecision, str]:
    """(value, range end, precision, key) for one match; value None when unresolvable."""
    g = m.groupdict()
    month = _MONTHS.get((g.get("month") or "").lower().rstrip("."), 0)
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return d, None, DatePrecision.day, d.isoformat() if d else m.group(0)
    if kind in ("day_month", "month_day"):
        year = int(g["year"]) if g.get("year") else None
        d = _month_day(month, int(g["day"]), year, pub)
        return (
            d,
            None,
            DatePrecision.day,
            d.isoformat() if d else f"--{month:02d}-{int(g['day']):02d}",
        )
    if kind == "month_year":
        return (
            f"{int(g['year']):04d}-{month:02d}",
            None,
            DatePrecision.month,
            f"{g['year']}-{month:02d}",
        )
    if kind == "month":
        rel = (g.get("rel") or "").lower()
        if pub is None:
            return None, None, DatePrecision.month, f"--{month:02d}" + (f"/{rel}" if rel else "")
        year = pub.year + {"last": -1, "next": 1}.get(rel, 0)
        if not rel and month > pub.month:
            year -= 1
        return f"{year:04d}-{month:02d}", None, DatePrecision.month, f"{year:04d}-{month:02d}"
    if kind == "weekday":
        rel = (g.get("rel") or "").lower() or None
        d = _weekday(_WEEKDAYS[g["weekday"].lower()], rel, pub)
        return d, None, DatePrecision.day, d.isoformat() if d else f"wd:{g['weekday'].lower()}"
    if kind in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[kind]
        d = pub + timedelta(days=shift) if pub else None
        return d, None, DatePrecision.day, d.isoformat() if d else f"rel:{shift}"
    unit = (g.get("unit") or "").lower()
    n = parse_number(g["n"]) if g.get("n") else 1
    if kind == "past":
        if pub is None or n is None:
            return None, None, DatePrecision.range, f"past:{n}{unit}"
        start = pub - relativedelta(**{unit + "s": n})  # type: ignore[arg-type]
        return start, pub, DatePrecision.range, f"{start.isoformat()}/{pub.isoformat()}"
    if kind == "last_unit":
        rel = g["rel"].lower()
        shift = {"last": -1, "this": 0, "next": 1}[rel]
        if pub is None:
            return None, None, DatePrecision(unit), f"{rel}:{unit}"
        if unit == "week":
            d = pub + timedelta(weeks=shift) - timedelta(days=pub.weekday())
            return d, None, DatePrecision.week, d.isoformat()
        if unit == "month":
            d = pub + relativedelta(months=shift)
            return (
                f"{d.year:04d}-{d.month:02d}",
                None,
                DatePrecision.month,
                f"{d.year:04d}-{d.month:02d}",
            )
        return f"{pub.year + shift:04d}", None, DatePrecision.year, f"{pub.year + shift:04d}"
    if kind == "ago":
        if pub is None or n is None:
            return None, None, DatePrecision(unit), f"ago:{n}{unit}"
        d = pub - relativedelta(**{unit + "s": n})  # type: ignore[arg-type]
        if unit == "year":
            return f"{d.year:04d}", None, DatePrecision.year, f"{d.year:04d}"
        if unit == "month":
            return (
                f"{d.year:04d}-{d.month:02d}",
                None,
                DatePrecision.month,
                f"{d.year:04d}-{d.month:02d}",
            )
        return d, None, DatePrecision(unit), d.isoformat()
    # kind == "year"
    return g["year"], None, DatePrecision.year, g["year"]


def _valid(kind: str, m: re.Match[str], text: str) -> bool:
    """Reject month words that are ordinary words ("may", "march") unless clearly dates."""
    if kind not in ("month", "month_year"):
        return True
    word = m.group("month")
    if (
        word.lower().rstrip(".") in ("may", "mar", "march", "jun", "dec", "sept", "sep")
        and kind == "month"
    ):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        return word[0].isupper() and bool(
            re.search(r"\b(?:in|of|since|during|until|early|late|mid)\s*$", before)
        )
    return not word.islower() or all_lower(text)


def find_dates(
    text: str, pub: date | None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Date mentions in text[start:end], longest first where they overlap, in text order."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(chunk):
            if _valid(kind, m, chunk):
                found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[DateMention] = []
    taken_until = -1
    for s, e, kind, m in found:
        if s < taken_until:
            continue
        taken_until = e
        value, end_value, precision, key = _resolve(kind, m, pub)
        s_abs, e_abs = start + s, start + e
        since = re.search(r"\b(?:since|from)\s+$", chunk[max(0, s - 6) : s], re.I)
        if since and kind not in ("past", "ago", "last_unit"):
            s_abs -= len(since.group(0))
            precision, key = DatePrecision.range, "since:" + key
            end_value = pub if pub is not None and value is not None else None
        out.append(
            DateMention(
                s_abs,
                e_abs,
                text[s_abs:e_abs],
                value.isoformat() if isinstance(value, date) else value,
                end_value.isoformat() if end_value is not None else None,
                precision,
                key,
            )
        )
    return _join_ranges(text, out)


def _is_range(text: str, first: DateMention, second: DateMention) -> bool:
    """True when two dates are the ends of one range in the text between them."""
    gap = text[first.end : second.start]
    opened_with_from = first.text.lower().startswith("from")
    between = re.search(r"\bbetween\s+$", text[max(0, first.start - 9) : first.start], re.I)
    return bool(
        (opened_with_from and re.fullmatch(r"\s*(?:to|until|till|through|-|–)\s*", gap))
        or (between and re.fullmatch(r"\s+and\s+", gap))
    )


def _join_ranges(text: str, found: list[DateMention]) -> list[DateMention]:
    """ "from October 7 to November 24", "between May 1 and May 3": one range, both ends given."""
    out: list[DateMention] = []
    for d in found:
        prev = out[-1] if out else None
        if prev is not None and _is_range(text, prev, d):
            start = prev.start
            if text[max(0, start - 8) : start].lower().endswith("between "):
                start -= len("between ")
            out[-1] = DateMention(
                start,
                d.end,
                text[start : d.end],
                prev.value,
                d.value if prev.value is not None else None,
                DatePrecision.range,
                f"{prev.key.removeprefix('since:')}/{d.key}",
            )
            continue
        out.append(d)
    return out
