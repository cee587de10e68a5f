"""Numbers as written: digits, word numbers ("three", "twenty-two"), ordinals, vague counts.

Also the qualifier in front of a count ("at least", "more than", "about"),
which decides whether a figure is a floor, an estimate or exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer import lexicons
from summarizer.offline.text import word_list
from summarizer.records import QuantityQualifier

_NUMBER_WORDS = {w: int(v) for w, v in lexicons.table("number_words").items()}
_SCALES = {w: v for w, v in _NUMBER_WORDS.items() if v >= 100}
_SMALL = {w: v for w, v in _NUMBER_WORDS.items() if v < 20}
_TENS = {w: v for w, v in _NUMBER_WORDS.items() if 20 <= v < 100}
ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        word_list(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
        )
    )
}
#: Vague counts and the lower bound each implies (value of a `several` quantity).
VAGUE = {
    "several": 2,
    "a number of": 2,
    "a few": 2,
    "multiple": 2,
    "dozens of": 24,
    "scores of": 40,
    "hundreds of": 200,
    "thousands of": 2000,
}

_WORD = "|".join(sorted([*_SMALL, *_TENS, *_SCALES], key=len, reverse=True))
NUMBER = (
    rf"(?:\d+(?:\.\d+)?\s+(?:million|thousand)\b|\d{{1,3}}(?:,\d{{3}})+|\d+|"
    rf"(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*|an?\s+dozen)"
)
QUALIFIER = (
    r"(?:at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|more\s+than|over|upwards\s+of|"
    r"in\s+excess\s+of|about|around|approximately|roughly|some|an\s+estimated|nearly|almost|"
    r"up\s+to|at\s+most|no\s+more\s+than|fewer\s+than|less\s+than)"
)
_QUAL_MAP = {
    "at least": QuantityQualifier.at_least,
    "no fewer than": QuantityQualifier.at_least,
    "no less than": QuantityQualifier.at_least,
    "a minimum of": QuantityQualifier.at_least,
    "more than": QuantityQualifier.more_than,
    "over": QuantityQualifier.more_than,
    "upwards of": QuantityQualifier.more_than,
    "in excess of": QuantityQualifier.more_than,
    "nearly": QuantityQualifier.at_most,
    "almost": QuantityQualifier.at_most,
    "up to": QuantityQualifier.at_most,
    "at most": QuantityQualifier.at_most,
    "no more than": QuantityQualifier.at_most,
    "fewer than": QuantityQualifier.at_most,
    "less than": QuantityQualifier.at_most,
}


def parse_number(words: str) -> int | None:
    """The integer a number phrase denotes ("22", "1,500", "three", "twenty-two", "a dozen")."""
    s = words.strip().lower()
    scaled = re.fullmatch(r"(\d+(?:\.\d+)?)\s+(million|thousand)", s)
    if scaled:  # "8 million", "1.5 million"
        return round(float(scaled.group(1)) * _SCALES[scaled.group(2)])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        return int(s.replace(",", ""))
    if re.fullmatch(r"an?\s+dozen", s):
        return 12
    total = current = 0
    seen = False
    for tok in re.split(r"[\s-]+", s):
        if tok == "and":
            continue
        if tok in _SMALL:
            current += _SMALL[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def qualifier_of(words: str | None) -> QuantityQualifier:
    """Map a qualifier phrase to the record's enum (no phrase means exact)."""
    if not words:
        return QuantityQualifier.exact
    key = re.sub(r"\s+", " ", words.strip().lower())
    return _QUAL_MAP.get(key, QuantityQualifier.about)


@dataclass(frozen=True)
class Count:
    """A count found in a sentence: value, qualifier and where the figure sits."""

    value: int
    qualifier: QuantityQualifier
    start: int  # start of the qualifier (or the number)
    num_end: int  # end of the number
    vague: bool = False


_COUNT = re.compile(
    rf"\b(?:(?P<qual>{QUALIFIER})\s+)?(?:(?P<num>{NUMBER})|(?P<vague>"
    + "|".join(re.escape(v) for v in VAGUE)
    + r"))(?![\w$%])",
    re.I,
)


def find_counts(text: str) -> list[Count]:
    """Every count in the text: numbers with their qualifier, and vague counts ("several")."""
    out: list[Count] = []
    for m in _COUNT.finditer(text):
        if m.group("vague"):
            value = VAGUE[re.sub(r"\s+", " ", m.group("vague").lower())]
            out.append(Count(value, QuantityQualifier.several, m.start(), m.end(), vague=True))
            continue
        number = parse_number(m.group("num"))
        if number is None:
            continue
        if m.group("num")[0].isdigit() and 1900 <= number <= 2100 and "," not in m.group("num"):
            continue  # a year, not a count
        out.append(Count(number, qualifier_of(m.group("qual")), m.start(), m.end()))
    return out
