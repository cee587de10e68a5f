"""Counts as the offline rules read them: a number with its qualifier, and vague counts.

The numbers themselves come from the one shared parser (`summarizer.numbers`);
this module adds what only the rules need: the qualifier in front of a count
("at least", "more than", "about"), which decides whether a figure is a floor,
an estimate or exact, and vague counts ("several", "dozens of").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.numbers import NUMBER, ORDINALS, parse_number
from summarizer.records import QuantityQualifier

__all__ = ["NUMBER", "ORDINALS", "QUALIFIER", "VAGUE", "Count", "find_counts", "parse_number"]

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
