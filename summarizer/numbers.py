"""The one number parser: digits in any script, '1,200', word numbers, scales.

Every module that reads a number from text uses this one: grounding (does a
field's number appear in its evidence?) and the offline rules (what count does
this sentence give?). Two parsers that disagree make a correct value look
ungrounded: "killed three hundred soldiers" must state 300 to both, never
{3, 100}.

The words are data (`lexicons/number_words.txt`, `ordinal_words.txt`,
`count_words.txt`); the grammar is here. A run of number words is split into
the numbers it spells the way English builds them: tens then units
("twenty-five"), a scale after a count ("three hundred", "8 million"), "and"
only after a scale ("three hundred and twenty"). Anything else starts a new
number, so "ten and fifteen" is {10, 15}, not 25.
"""

from __future__ import annotations

import re
import unicodedata

from summarizer import lexicons

#: Cardinal number words ("three" -> 3, "hundred" -> 100).
WORDS: dict[str, int] = {w: int(v) for w, v in lexicons.table("number_words").items()}
#: Ordinal words ("fifth" -> 5).
ORDINALS: dict[str, int] = {w: int(v) for w, v in lexicons.table("ordinal_words").items()}
#: Words that imply a count ("a" -> 1, "both" -> 2, "no" -> 0); grounding accepts them.
IMPLIED: dict[str, int] = {w: int(v) for w, v in lexicons.table("count_words").items()}
#: Scale words multiply the count before them.
SCALES: dict[str, int] = {w: v for w, v in WORDS.items() if v >= 100}
#: "a dozen", "two dozen": a multiplier of twelve that is not a place-value scale.
DOZEN = "dozen"

_WORD_ALT = "|".join(sorted(WORDS, key=len, reverse=True))
_SCALE_ALT = "|".join(sorted(SCALES, key=len, reverse=True))
#: A number phrase as a regular expression (use with re.I): digits with a scale
#: ("8 million"), grouped digits ("1,200"), plain digits, runs of number words, or
#: a dozen. One pattern for every module, so they all see the same phrases.
NUMBER = (
    rf"(?:\d+(?:\.\d+)?\s+(?:{_SCALE_ALT})\b|\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+|"
    rf"(?:(?:{_WORD_ALT})(?:[\s-]+(?:and\s+)?(?:{_WORD_ALT}))*(?:[\s-]+{DOZEN})?)\b|"
    rf"an?\s+{DOZEN}\b|{DOZEN}\b)"
)
_PHRASE = re.compile(rf"(?<![^\W\d_]){NUMBER}", re.I)
_SCALED = re.compile(rf"(\d+(?:\.\d+)?)\s+({_SCALE_ALT})", re.I)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_TOKEN = re.compile(r"[^\W\d_]+")
_SINGLE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII ('١٢' -> '12'), Arabic thousands separators as ','.

    One character in, one character out, so offsets into the result are offsets into `text`.
    """
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.digit(ch)))
                continue
            except ValueError:
                pass
        out.append("," if ch == "\u066c" else ch)
    return "".join(out)


def _word_values(tokens: list[str]) -> list[int]:
    """The numbers a run of number-word tokens spells, split where English grammar breaks."""
    out: list[int] = []
    total = current = last_scale = 0
    prev = ""  # kind of the previous token: small, tens, scale, and, dozen; "" = none open

    def flush() -> None:
        nonlocal total, current, prev, last_scale
        if prev:
            out.append(total + current)
        total = current = last_scale = 0
        prev = ""

    for tok in tokens:
        if tok == "and":  # "three hundred and twenty"; elsewhere "and" separates numbers
            if prev == "scale":
                prev = "and"
            else:
                flush()
            continue
        if tok in ("a", "an"):  # only ever in front of "dozen" in a phrase
            flush()
            current, prev = 1, "small"
            continue
        if tok == DOZEN:
            current, prev = max(current, 1) * 12, "dozen"
            continue
        value = WORDS.get(tok)
        if value is None:
            flush()
            continue
        if value >= 100:
            if not (prev in ("small", "tens") or (prev == "scale" and value > last_scale)):
                flush()
            if value == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * value
                current = 0
            last_scale, prev = value, "scale"
            continue
        kind = "tens" if value >= 20 else "small"
        follows = ("tens", "scale", "and") if kind == "small" else ("scale", "and")
        if prev not in follows:
            flush()
        current += value
        prev = kind
    flush()
    return out


def _phrase_values(phrase: str) -> list[int]:
    """The numbers one matched number phrase states."""
    s = phrase.strip().lower()
    scaled = _SCALED.fullmatch(s)
    if scaled:  # "8 million", "1.5 million"
        return [round(float(scaled.group(1)) * SCALES[scaled.group(2)])]
    if _GROUPED.fullmatch(s):
        return [int(s.replace(",", ""))]
    return _word_values(_TOKEN.findall(s))


def parse_number(words: str) -> int | None:
    """The integer a whole number phrase denotes ("22", "1,500", "three hundred", "a dozen").

    None when the phrase is not one number ("ten and fifteen", "hundreds").
    """
    s = ascii_digits(words).strip()
    if not s or _PHRASE.fullmatch(s) is None:
        return None
    values = _phrase_values(s)
    return values[0] if len(values) == 1 else None


def numbers_in(text: str, *, implied: bool = True) -> set[int]:
    """Every integer a text states: number phrases, plus ordinals and implied counts ("a", "both").

    Used by grounding to decide whether a field's number is in its evidence. With
    `implied=False` only number phrases count (for checking what a sentence claims,
    where "a" or "first" is not a figure).
    """
    digits = ascii_digits(text)
    found: set[int] = set()
    for match in _PHRASE.finditer(digits):
        found.update(_phrase_values(match.group()))
    if not implied:
        return found
    for word in _SINGLE.findall(digits.casefold()):
        for part in word.split("-"):
            if part in ORDINALS:
                found.add(ORDINALS[part])
            elif part in IMPLIED:
                found.add(IMPLIED[part])
    return found
