"""Grounding: every value must be backed by a quote found in the article text.

LLMs paraphrase, fix typos, swap curly quotes and invent. This module decides,
for each `Evidence`, where its quote sits in the cleaned article: exactly, after
whitespace/quote/dash/case normalisation, or by fuzzy alignment over a
threshold, recording which (langextract's alignment status). It then checks
that the names and numbers a field states appear in that field's own evidence,
so a model cannot attach a real quote to an invented value.

The same walk serves twice: as a pydantic validator (with the article in the
validation context) whose error text is sent back to the model for a re-ask,
and, after the last re-ask, to drop what is still ungrounded and list it for
provenance. Nothing ungrounded is ever kept.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationInfo, create_model, model_validator
from rapidfuzz import fuzz

from summarizer.records import (
    Actor,
    Alignment,
    Attribution,
    CasualtyCount,
    EventDate,
    Evidence,
    Extraction,
    IncidentRecord,
    KeyClaim,
    LoadedTerm,
    Location,
    Means,
    NeutralSummary,
    Quantity,
    QuantityQualifier,
)

M = TypeVar("M", bound=BaseModel)

#: Minimum rapidfuzz score (0-100) for a fuzzy quote alignment or name match.
FUZZY_THRESHOLD = 90.0
#: Quotes shorter than this are never fuzzy-aligned: short strings match anything.
FUZZY_MIN_CHARS = 12
#: Key under which the article text travels in the pydantic validation context.
CONTEXT_KEY = "article_text"

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})


def iter_evidence(obj: object) -> Iterator[Evidence]:
    """Yield every `Evidence` inside a model, list or dict, depth first."""
    if isinstance(obj, Evidence):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_evidence(getattr(obj, name))
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from iter_evidence(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from iter_evidence(item)


def offset_problems(text: str, obj: object) -> list[str]:
    """Describe every evidence whose quote is not exactly at its offsets (empty = all good)."""
    problems = []
    for ev in iter_evidence(obj):
        if not (0 <= ev.start <= ev.end <= len(text)) or text[ev.start : ev.end] != ev.quote:
            problems.append(f"quote not at [{ev.start}:{ev.end}]: {ev.quote[:60]!r}")
    return problems


# --------------------------------------------------------------------------- alignment


def _normalize(text: str) -> tuple[str, list[int]]:
    """Fold case, quotes, dashes and whitespace runs; map each output char to its source index."""
    out: list[str] = []
    index: list[int] = []
    last_space = True  # also strips leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not last_space:
                out.append(" ")
                index.append(i)
            last_space = True
            continue
        last_space = False
        folded = unicodedata.normalize("NFKC", ch).translate(_QUOTES).translate(_DASHES).casefold()
        for part in folded:
            out.append(part)
            index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def align(quote: str, text: str) -> tuple[int, int, Alignment] | None:
    """Locate `quote` in `text`: exact, then normalised, then fuzzy; None when not found."""
    if not quote.strip():
        return None
    pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote), Alignment.exact
    norm_text, index = _normalize(text)
    norm_quote, _ = _normalize(quote)
    if not norm_quote:
        return None
    pos = norm_text.find(norm_quote)
    if pos >= 0:
        return index[pos], index[pos + len(norm_quote) - 1] + 1, Alignment.normalized
    if len(norm_quote) < FUZZY_MIN_CHARS:
        return None
    hit = fuzz.partial_ratio_alignment(norm_quote, norm_text, score_cutoff=FUZZY_THRESHOLD)
    if hit is None or hit.dest_end <= hit.dest_start:
        return None
    # partial_ratio compares equal-length windows; refuse alignments that lose
    # much of the quote (the model added words the text does not have).
    if (hit.dest_end - hit.dest_start) < 0.9 * len(norm_quote):
        return None
    return index[hit.dest_start], index[hit.dest_end - 1] + 1, Alignment.fuzzy


def mentions(value: str, quotes: list[str]) -> bool:
    """True when `value` (a name, date phrase or term) appears in one of the quotes."""
    norm_value, _ = _normalize(value)
    if not norm_value:
        return True
    for quote in quotes:
        norm_quote, _ = _normalize(quote)
        if norm_value in norm_quote:
            return True
        if len(norm_value) >= 4 and fuzz.partial_ratio(norm_value, norm_quote) >= FUZZY_THRESHOLD:
            return True
    return False


# --------------------------------------------------------------------------- numbers

_WORD_NUMBERS = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "first": 1, "second": 2, "third": 3,
    "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "both": 2, "twice": 2, "once": 1,
}  # fmt: skip
_DIGITS = re.compile(r"\d{1,3}(?:[,\u066c]\d{3})+(?!\d)|\d+")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def numbers_in(text: str) -> set[int]:
    """Integers a text states, in digits (any script, '1,200') or English words ('twenty-five')."""
    found: set[int] = set()
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    for match in _DIGITS.finditer(digits):
        found.add(int(re.sub(r"[,\u066c]", "", match.group())))
    for word in _WORDS.findall(text.casefold()):
        parts = word.split("-")
        if all(p in _WORD_NUMBERS for p in parts):
            found.add(sum(_WORD_NUMBERS[p] for p in parts))
    return found


# --------------------------------------------------------------------------- the walk


class _Walk:
    """One grounding pass over a record tree, collecting problems as it drops values."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def evidence(self, path: str, items: list[Evidence]) -> list[Evidence]:
        """Align each quote; keep the aligned ones with the text's own span as the quote."""
        kept: list[Evidence] = []
        for i, ev in enumerate(items):
            hit = align(ev.quote, self.text)
            if hit is None:
                self.problem(
                    f"{path}.evidence[{i}]",
                    f"quote not found in the article: {ev.quote[:80]!r}; copy the words exactly",
                )
                continue
            start, end, how = hit
            kept.append(Evidence(quote=self.text[start:end], start=start, end=end, alignment=how))
        return kept

    def node(self, path: str, obj: BaseModel) -> BaseModel | None:
        """Ground one model: its evidence, its own values, then its children. None = dropped."""
        updates: dict[str, Any] = {}
        quotes: list[str] = []
        if "evidence" in type(obj).model_fields:
            evidence = self.evidence(path, obj.evidence)  # type: ignore[attr-defined]
            if not evidence:
                self.problem(path, f"dropped {_label(obj)}: none of its evidence is in the article")
                return None
            updates["evidence"] = evidence
            quotes = [ev.quote for ev in evidence]
            if not self.values(path, obj, quotes, updates):
                return None
        for name in type(obj).model_fields:
            if name == "evidence":
                continue
            value = getattr(obj, name)
            if isinstance(value, BaseModel):
                updates[name] = self.node(f"{path}.{name}", value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                children = (self.node(f"{path}.{name}[{i}]", v) for i, v in enumerate(value))
                updates[name] = [c for c in children if c is not None]
        return obj.model_copy(update=updates)

    def values(self, path: str, obj: BaseModel, quotes: list[str], updates: dict[str, Any]) -> bool:
        """Check names and numbers against the node's own quotes; False drops the node."""
        required: list[str] = []
        optional: list[str] = []
        numbers: list[int | None] = []
        if isinstance(obj, Location):
            required, optional = [obj.name], ["admin_region", "country"]
        elif isinstance(obj, Actor | Means):
            required = [obj.name]
        elif isinstance(obj, Attribution):
            required, optional = [obj.source], ["via"]
        elif isinstance(obj, EventDate):
            required = [obj.text]
        elif isinstance(obj, CasualtyCount):
            required, optional = [obj.text], ["who"]
            numbers = [obj.low, obj.best, obj.high]
        elif isinstance(obj, Quantity):
            required = [obj.text]
            if obj.qualifier is not QuantityQualifier.several:
                numbers = [obj.value]
        elif isinstance(obj, LoadedTerm):
            required = [obj.term]
        elif isinstance(obj, KeyClaim) and obj.attributed_to:
            optional = ["attributed_to"]
        for value in required:
            if not mentions(value, quotes):
                self.problem(
                    path, f"dropped {_label(obj)}: {value!r} is not in its evidence quotes"
                )
                return False
        stated = numbers_in(" ".join(quotes))
        for number in numbers:
            if number is not None and number not in stated:
                self.problem(path, f"dropped {_label(obj)}: {number} is not in its evidence quotes")
                return False
        for name in optional:
            value = getattr(obj, name)
            if value and not mentions(value, quotes):
                self.problem(f"{path}.{name}", f"removed {value!r}: not in the evidence quotes")
                updates[name] = None
        return True


def _label(obj: BaseModel) -> str:
    for attr in ("name", "source", "term", "text", "claim", "description"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return f"{type(obj).__name__} {value[:60]!r}"
    return type(obj).__name__


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def ground_extraction(extraction: Extraction, text: str) -> tuple[Extraction, list[str]]:
    """Align every quote, drop what is ungrounded; return the grounded copy and the problems."""
    walk = _Walk(text)
    incidents = []
    for i, incident in enumerate(extraction.incidents):
        path = f"incidents[{i}]"
        node = walk.node(path, incident)
        if node is None:
            continue
        grounded = cast(IncidentRecord, node)
        quotes = [ev.quote for ev in iter_evidence(grounded)]
        stated = numbers_in(" ".join(quotes))
        missing = sorted(n for n in numbers_in(incident.description) if n not in stated)
        if missing:
            walk.problem(f"{path}.description", f"numbers {missing} are not in the evidence quotes")
            kept = [s for s in _sentences(incident.description) if numbers_in(s) <= stated]
            # Fall back to the event's own (grounded) sentence rather than an empty field.
            description = " ".join(kept) or grounded.evidence[0].quote
            grounded = grounded.model_copy(update={"description": description})
        incidents.append(grounded)
    return Extraction(incidents=cast(Any, incidents)), walk.problems


def ground_summary(summary: NeutralSummary, text: str) -> tuple[NeutralSummary, list[str]]:
    """Ground key claims and loaded terms; strip summary sentences with numbers the text lacks."""
    walk = _Walk(text)
    grounded = cast(NeutralSummary, walk.node("summary", summary))
    stated = numbers_in(text)
    kept = []
    for sentence in _sentences(summary.summary):
        missing = sorted(numbers_in(sentence) - stated)
        if missing:
            walk.problem("summary.summary", f"numbers {missing} not in the article: {sentence!r}")
        else:
            kept.append(sentence)
    headline = summary.headline
    if numbers_in(headline) - stated:
        walk.problem("summary.headline", f"numbers in {headline!r} are not in the article")
        headline = " ".join((kept[0] if kept else "Summary unavailable").split()[:15])
    update = {"summary": " ".join(kept), "headline": headline}
    return grounded.model_copy(update=update), walk.problems


# --------------------------------------------------------------------------- validators


def _check(model: BaseModel, info: ValidationInfo) -> BaseModel:
    """Raise the grounding problems as a validation error, so instructor re-asks with them."""
    context = info.context if isinstance(info.context, dict) else {}
    text = context.get(CONTEXT_KEY)
    if not isinstance(text, str):
        return model
    if isinstance(model, Extraction):
        _, problems = ground_extraction(model, text)
    else:
        _, problems = ground_summary(cast(NeutralSummary, model), text)
    if problems:
        raise ValueError(
            "Some values are not grounded in the article. Fix or remove them:\n- "
            + "\n- ".join(problems)
        )
    return model


@functools.cache
def grounded_model(base: type[M]) -> type[M]:
    """A subclass of `base` (same name and schema) that validates grounding against the context.

    Made once per base: the text comes from the validation context, so one class serves
    every request (a class per request cost a model build and a schema per call).
    """
    validator = model_validator(mode="after")(_check)
    return cast(
        type[M],
        create_model(
            base.__name__,
            __base__=base,
            __doc__=base.__doc__,
            __validators__={"grounded": validator},  # type: ignore[dict-item]
        ),
    )


def ground(value: M, text: str) -> tuple[M, list[str]]:
    """Ground an `Extraction` or a `NeutralSummary` (the two LLM outputs)."""
    if isinstance(value, Extraction):
        return cast(tuple[M, list[str]], ground_extraction(value, text))
    if isinstance(value, NeutralSummary):
        return cast(tuple[M, list[str]], ground_summary(value, text))
    raise TypeError(f"cannot ground {type(value).__name__}")
