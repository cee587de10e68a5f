"""Article metadata found in plain text: publication date, outlet and byline.

Text dumps carry their metadata as loose lines around the headline ("10 Dec
2023 01:00", "By Al Mayadeen English", "Source: Al Mayadeen", "date
2023-12-09"). The date patterns are parsed here with a small month table, not
a general date parser: only a handful of shapes occur in bylines, and a
general parser would also read dates out of body sentences and cost
milliseconds per line.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            (
                "jan",
                "january",
                "janv",
                "janvier",
                "ene",
                "enero",
                "januar",
                "يناير",
                "كانون الثاني",
            ),
            ("feb", "february", "févr", "février", "febrero", "februar", "فبراير", "شباط"),
            ("mar", "march", "mars", "marzo", "märz", "mär", "مارس", "آذار"),
            ("apr", "april", "avr", "avril", "abr", "abril", "أبريل", "نيسان"),
            ("may", "mai", "mayo", "مايو", "أيار"),
            ("jun", "june", "juin", "junio", "juni", "يونيو", "حزيران"),
            ("jul", "july", "juil", "juillet", "julio", "juli", "يوليو", "تموز"),
            ("aug", "august", "août", "ago", "agosto", "أغسطس", "آب"),
            ("sep", "sept", "september", "septembre", "septiembre", "set", "سبتمبر", "أيلول"),
            ("oct", "october", "octobre", "octubre", "okt", "oktober", "أكتوبر", "تشرين الأول"),
            ("nov", "november", "novembre", "noviembre", "نوفمبر", "تشرين الثاني"),
            (
                "dec",
                "december",
                "déc",
                "décembre",
                "dic",
                "diciembre",
                "dez",
                "dezember",
                "ديسمبر",
                "كانون الأول",
            ),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    "(?P<mon>" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + r")\.?"
)
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hh>\d{1,2}):(?P<mm>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_ISO = r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<ih>\d{2}):(?P<im>\d{2}))?"
DATE = re.compile(
    rf"(?:{_ISO}"
    rf"|(?P<d1>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?"
    rf"{_MONTH.replace('mon', 'mon1')},?\s+(?:de\s+)?"
    rf"(?P<y1>\d{{4}}){_TIME}"
    rf"|{_MONTH.replace('mon', 'mon2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"{_TIME.replace('hh', 'hh2').replace('mm', 'mm2').replace('ampm', 'ampm2')})",
    re.IGNORECASE,
)
#: A line that is only a date (plus a few words such as "Published", "Updated:", a weekday).
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE_LINE_MAX_OTHER_WORDS = 3
_DATELINE_MAX_WORDS = 10
_MONTH_YEAR = re.compile(rf"^{_MONTH}\s+\d{{4}}$", re.IGNORECASE)
_DATE_PREFIX = re.compile(
    r"^(?:(?:date|published|updated|posted|first published)\s*:?\s*)?"
    r"(?=\d{4}-\d{2}-\d{2}|\d{1,2}\s+\w+\s+\d{4})",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"\b(?:https?://)?(?:www\.)?(?P<label>[a-z0-9-]{3,40})\.(?:[a-z]{2,6})(?:\.[a-z]{2})?\b"
)
_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?"
    r"(?!All Rights)(?P<name>[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,4})"
)
_BYLINE_TAIL = re.compile(r"\s+(?:at|on|\|)\s.*$|\s*[|,]\s*$")
_URL = re.compile(r"^(?:url\s*:\s*|source\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE)


def parse_date(text: str) -> tuple[str, re.Match[str]] | None:
    """Return (ISO date or datetime, the match) for the first date in `text`, or None."""
    if not _YEAR.search(text):
        return None  # every pattern needs a year; this check is 50x cheaper than DATE
    for m in DATE.finditer(text):
        iso = _to_iso(m)
        if iso:
            return iso, m
    return None


def _to_iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["y"]:
        year, month, day = int(g["y"]), int(g["m"]), int(g["d"])
        hour, minute, ampm = g["ih"], g["im"], None
    elif g["y1"]:
        year, month, day = int(g["y1"]), _MONTHS[g["mon1"].lower()], int(g["d1"])
        hour, minute, ampm = g["hh"], g["mm"], g["ampm"]
    else:
        year, month, day = int(g["y2"]), _MONTHS[g["mon2"].lower()], int(g["d2"])
        hour, minute, ampm = g["hh2"], g["mm2"], g["ampm2"]
    try:
        iso = date(year, month, day).isoformat()
    except ValueError:
        return None  # 30 February, month 13...
    if hour is None or minute is None:
        return iso
    h = int(hour)
    if ampm:
        h = h % 12 + (12 if ampm.lower().startswith("p") else 0)
    if h > 23 or int(minute) > 59:
        return iso
    return f"{iso}T{h:02d}:{minute}"


def is_date_line(text: str) -> bool:
    """True for a line that is a date and little else ("10 Dec 2023 01:00", "NOVEMBER 2024")."""
    if not _YEAR.search(text):
        return False
    if _MONTH_YEAR.match(text):
        return True
    m = DATE.search(text)
    if m is None:
        return False
    rest = (text[: m.start()] + " " + text[m.end() :]).split()
    if len(rest) <= _DATE_LINE_MAX_OTHER_WORDS:
        return True
    # "Published: Tuesday | April 26, 2022 | 9:52 PM", "Ciclismo | Por: Juan Diego | ...":
    # a dateline with labels, not a sentence that mentions a date.
    return len(rest) <= _DATELINE_MAX_WORDS and not text.rstrip().endswith((".", "!", "?"))


def date_prefix_end(text: str) -> tuple[str, int] | None:
    """For 'date 2023-12-09 Headline words', return (ISO date, where the headline starts)."""
    if not _DATE_PREFIX.match(text):
        return None
    m = DATE.match(text, _DATE_PREFIX.match(text).end())  # type: ignore[union-attr]
    if m is None:
        return None
    iso = _to_iso(m)
    rest = text[m.end() :]
    if iso is None or len(rest.split()) < 3:
        return None
    return iso, m.end() + len(rest) - len(rest.lstrip())


def clean_byline(name: str) -> str:
    """'Admin at 1:02 AM' -> 'Admin': bylines often carry the time or a separator."""
    return _BYLINE_TAIL.sub("", name).strip()


def find_url(lines: list[str]) -> str | None:
    """A line that is only a URL (or 'URL: ...', 'Source: https://...') names the page."""
    for line in lines:
        m = _URL.match(line)
        if m:
            return m.group("url")
    return None


def guess_outlet(lines: list[str], source_names: list[str]) -> str | None:
    """Name the outlet from 'Source:' lines, brand lines repeated in the page, or its domain.

    Order of trust: an explicit 'Source: X'; the owner in a copyright line; a
    short line that recurs (site name in header and footer); a capitalised
    phrase that spells the page's domain ('Global Research' for
    globalresearch.ca); the domain itself.
    """
    if source_names:
        return source_names[0]
    for line in lines[-30:]:
        m = _COPYRIGHT.search(line)
        if m:
            return m.group("name").strip()
    short = Counter(
        line
        for line in lines
        if 1 <= len(line.split()) <= 4 and line[:1].isupper() and len(line) > 3
    )
    for line, count in short.most_common(5):
        if count >= 2 and not any(ch.isdigit() for ch in line) and _looks_like_brand(line, lines):
            return line
    for line in lines:
        for m in _DOMAIN.finditer(line):
            label = m.group("label").lower()
            if label in {"gmail", "email", "example", "protected", "twitter", "facebook"}:
                continue
            brand = _spell_domain(label, lines)
            if brand:
                return brand
            if line.lower().startswith(("www.", "http")):
                return (
                    m.group(0).removeprefix("https://").removeprefix("http://").removeprefix("www.")
                )
    return None


def _looks_like_brand(candidate: str, lines: list[str]) -> bool:
    """A repeated short line is the site name if it appears at the top or the bottom of the page."""
    head, tail = lines[:5], lines[-12:]
    return candidate in head or candidate in tail


def _spell_domain(label: str, lines: list[str]) -> str | None:
    """A run of capitalised words that spells the domain label ('Global Research')."""
    target = label.replace("-", "")
    pattern = re.compile(r"\b(?:[A-Z][\w'&-]*\s+){0,3}[A-Z][\w'&-]*")
    for line in lines:
        for m in pattern.finditer(line):
            words = m.group(0).split()
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    phrase = words[i:j]
                    if "".join(phrase).lower().replace("'s", "").rstrip("’") == target:
                        return " ".join(phrase)
    return None
