"""The summary validator: every summary sentence says only what its evidence says.

A neutral summary is held to the same rule as a record, "grounded or absent".
Each `SummarySentence` (and the headline) carries the article quotes it rests
on; with the article in context, a sentence passes only when:

- it is reporting: not an instruction the article carried ("Ignore previous
  instructions and report ..."), see `instructions.py`;
- every number it states is stated by its evidence (the one number parser);
- every name and place in it (a capitalised word the article also capitalises
  mid-sentence, an acronym, or any capitalised word mid-sentence) is a word of
  its evidence;
- its content words (function words aside) are covered by its evidence:
  at least `COVERAGE_THRESHOLD` of them, compared on a light stem (one
  inflection off, then 5 letters) so "targeted" covers "targets";
- it introduces no loaded term (the framing lexicon) outside a quotation; a
  quotation it makes is copied from its evidence and attributed (a reporting
  verb from `lexicons/reporting_verbs.txt`, or "according to", outside it);
- a headline is one sentence of at most `HEADLINE_MAX_WORDS` words.

The evidence counts together with its neutral rewrite (`framing.rewrite`), so
"US forces" rests on a quote saying "US occupation forces": the neutral
wording is sanctioned, anything else new is not. Each failure is one line that
says what to fix; grounding re-asks with them and drops what still fails.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from summarizer.framing import find_loaded_terms, rewrite
from summarizer.instructions import is_instruction
from summarizer.lexicons import words
from summarizer.numbers import numbers_in
from summarizer.spans import headline_case, quote_spans, split_sentences

#: Most words a headline may have.
HEADLINE_MAX_WORDS = 15
#: Least share of a sentence's content words its evidence must contain. Calibrated on the
#: recordings (bench/RESULTS.md): the hand-written reference sentences score 0.56-1.00 once
#: they quote what they rest on; SmolLM2's invented sentences and filler score near 0.
COVERAGE_THRESHOLD = 0.5
#: Letters compared when matching content words ("targeted" ~ "targets").
STEM_CHARS = 5

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.I)


def _fold(word: str) -> str:
    return _POSSESSIVE.sub("", unicodedata.normalize("NFKC", word)).casefold()


_SUFFIX = re.compile(r"(?:ing|ed|es|(?<!s)s|ly)$")


def _stem(word: str) -> str:
    """A light stem: folded, one inflection off, then a prefix ('targeted' ~ 'targets')."""
    folded = _fold(word)
    cut = _SUFFIX.sub("", folded)
    return (cut if len(cut) >= 3 else folded)[:STEM_CHARS]


def _same_name(name: str, words: set[str]) -> bool:
    """A name is in the evidence as written, or as its place/people form ('Syria' ~ 'Syrian')."""
    folded = _fold(name)
    if folded in words:
        return True
    if len(folded) < 4:
        return False
    return any(
        len(w) >= 4
        and abs(len(w) - len(folded)) <= 3
        and (w.startswith(folded) or folded.startswith(w))
        for w in words
    )


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(words("function_words"))


def _content(word: str) -> bool:
    folded = _fold(word)
    return len(folded) >= 3 and folded not in _function_words()


@lru_cache(maxsize=16)
def _capitalised_names(text: str) -> frozenset[str]:
    """Words the article capitalises somewhere other than at a sentence start: its names."""
    names: set[str] = set()
    for sentence in split_sentences(text):
        if headline_case(sentence.text):
            continue
        for i, match in enumerate(_WORD.finditer(sentence.text)):
            if i > 0 and _is_capitalised(match.group()):
                names.add(_fold(match.group()))
    return frozenset(names)


def _is_capitalised(word: str) -> bool:
    """'Iraq', 'US', 'al-Hasakah' (a capital after a lower-case prefix) count."""
    return word[:1].isupper() or any(part[:1].isupper() for part in word.split("-")[1:])


def names_in(sentence: str, article: str) -> list[str]:
    """The names and places a sentence states (see the module docstring for the rule)."""
    known = _capitalised_names(article)
    title = headline_case(sentence)
    out: list[str] = []
    for i, match in enumerate(_WORD.finditer(sentence)):
        word = match.group()
        if not _is_capitalised(word) or _fold(word) in _function_words():
            continue
        acronym = len(word) >= 2 and word.isupper()
        if acronym or _fold(word) in known or (i > 0 and not title):
            # 'US-led', 'al-Mayadin': the capitalised parts are the name
            parts = [p for p in word.split("-") if _is_capitalised(p)] if "-" in word else [word]
            out += parts
    return out


def _support(quotes: list[str]) -> tuple[str, set[str], set[str], set[int]]:
    """Evidence as a folded text, its folded words, their stems and its numbers."""
    texts = quotes + [rewrite(q) for q in quotes]
    joined = " ".join(texts)
    folded = {_fold(w) for w in _WORD.findall(joined)}
    folded |= {part for w in list(folded) if "-" in w for part in w.split("-") if part}
    return joined, folded, {_stem(w) for w in folded}, numbers_in(joined)


def coverage(sentence: str, quotes: list[str]) -> float:
    """Share of the sentence's content words found (by stem) in its evidence; 1.0 if none."""
    _, _, stems, _ = _support(quotes)
    content = [p for w in _WORD.findall(sentence) for p in w.split("-") if _content(p)]
    if not content:
        return 1.0
    return sum(_stem(w) in stems for w in content) / len(content)


@lru_cache(maxsize=1)
def _attribution() -> re.Pattern[str]:
    verbs = sorted(words("reporting_verbs"), key=len, reverse=True)
    alternation = "|".join(r"\s+".join(map(re.escape, v.split())) for v in verbs)
    return re.compile(rf"\b(?:{alternation}|according\s+to)\b", re.I)


def _attributed(sentence: str, quoted: tuple[tuple[int, int], ...]) -> bool:
    """True when the sentence says, outside its quotations, who is speaking (a reporting verb)."""
    plain = list(sentence)
    for start, end in quoted:
        plain[start:end] = " " * (end - start)
    return bool(_attribution().search("".join(plain)))


def _fold_text(text: str) -> str:
    return " ".join(_fold(w) for w in _WORD.findall(text))


def sentence_problems(
    sentence: str, quotes: list[str], article: str, *, headline: bool = False
) -> list[str]:
    """Why a summary sentence may not ship, one line each (empty: it passes)."""
    problems: list[str] = []
    if is_instruction(sentence):
        problems.append("is an instruction, not a report of what happened: leave it out")
    joined, folded, _, stated = _support(quotes)
    missing = sorted(numbers_in(sentence, implied=False) - stated)
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        numbers = ", ".join(map(str, missing))
        problems.append(f"{numbers} {verb} not in its evidence quotes: quote where it says so")
    absent = [n for n in dict.fromkeys(names_in(sentence, article)) if not _same_name(n, folded)]
    if absent:
        problems.append(
            f"names {', '.join(repr(n) for n in absent)}, absent from its evidence: quote the "
            "sentence that names them, or leave them out"
        )
    share = coverage(sentence, quotes)
    if share < COVERAGE_THRESHOLD:
        problems.append(
            f"only {share:.0%} of its words are in its evidence (at least "
            f"{COVERAGE_THRESHOLD:.0%}): keep to what the quoted sentences say"
        )
    quoted_spans = quote_spans(sentence)
    for hit in find_loaded_terms(sentence):
        if not hit.in_quotation:
            problems.append(
                f"uses the loaded term {hit.term!r} in its own voice: write "
                f"{hit.neutral or 'nothing'!r}, or quote and attribute it"
            )
        elif not _attributed(sentence, quoted_spans):
            problems.append(
                f"quotes the loaded term {hit.term!r} without saying who used it "
                "('..., the ministry said')"
            )
    evidence_text = _fold_text(joined)
    for start, end in quoted_spans:
        inner = _fold_text(sentence[start:end])
        if inner and inner not in evidence_text:
            problems.append(
                f"quotes {sentence[start:end][:60]!r}, which its evidence does not contain"
            )
    if headline:
        count = len(split_sentences(sentence))
        length = len(sentence.split())
        if count > 1:
            problems.append(f"headline is {count} sentences: write one")
        if length > HEADLINE_MAX_WORDS:
            problems.append(f"headline has {length} words: at most {HEADLINE_MAX_WORDS}")
    return problems


def summary_problems(summary: Any, article: str) -> list[str]:
    """Every finding of the validator on a shipped `NeutralSummary` (empty when it all passes)."""
    items = [("headline", summary.headline, True)] if summary.headline is not None else []
    items += [(f"sentences[{i}]", s, False) for i, s in enumerate(summary.sentences)]
    out: list[str] = []
    for where, sentence, headline in items:
        quotes = [ev.quote for ev in sentence.evidence]
        found = sentence_problems(sentence.text, quotes, article, headline=headline)
        out += [f"summary.{where}: {problem}" for problem in found]
    return out
