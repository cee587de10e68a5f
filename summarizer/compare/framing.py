"""The framing table: how each outlet words the story, measured the same way for all.

Per outlet: the labels it uses for each actor, loaded terms (the project's
domain lexicon in `summarizer.framing`, plus strongly polar words of the
vaderSentiment valence lexicon, MIT), how loaded and how polar its own voice is,
how many of its sources are named vs anonymous, how many of its claims carry no
attribution, and how much it quotes vs paraphrases. The same measures score the
consensus summary in the neutrality checks and `bench/compare.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from summarizer.compare.common import Doc, actor_key
from summarizer.framing import TermHit, find_loaded_terms
from summarizer.records import (
    ActorLabels,
    EvidenceRef,
    OutletFraming,
    SourceKind,
    TermUse,
)
from summarizer.spans import inside, quote_spans, split_sentences

#: |valence| from which a vader word counts as strongly polar (vader scores run -4..+4).
STRONG_VALENCE = 2.5
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ANONYMOUS = frozenset({SourceKind.anonymous_official, SourceKind.anonymous_sources})
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|stated|reported|according\s+to|claimed|announced|added|noted|"
    r"revealed|confirmed|explained|stressed|warned|disclosed|pointed\s+out)\b",
    re.I,
)


@cache
def valence_lexicon() -> dict[str, float]:
    """vaderSentiment's word -> valence table (read from the package's own data file)."""
    path = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                table[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return table


def polarity_strength(text: str) -> float:
    """Mean absolute vader valence per word: 0 for flat wording, higher for emotive wording."""
    lex = valence_lexicon()
    words = [w.lower().strip("'’") for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(abs(lex.get(w, 0.0)) for w in words) / len(words)


def strong_words(text: str) -> list[tuple[int, int, str, float]]:
    """(start, end, word, valence) of every strongly polar word in the text."""
    lex = valence_lexicon()
    out = []
    for m in _WORD.finditer(text):
        v = lex.get(m.group(0).lower().strip("'’"))
        if v is not None and abs(v) >= STRONG_VALENCE:
            out.append((m.start(), m.end(), m.group(0), v))
    return out


def loaded_terms_of(text: str) -> set[str]:
    """Folded loaded terms (domain lexicon, outside quotations) and strong vader words."""
    terms = {h.term.casefold() for h in find_loaded_terms(text) if not h.in_quotation}
    return terms | {w.casefold() for _, _, w, _ in strong_words(text)}


def loaded_rate(text: str) -> float:
    """Loaded terms (domain lexicon outside quotations + strong vader words) per 100 words."""
    words = len(_WORD.findall(text))
    if not words:
        return 0.0
    own = sum(1 for h in find_loaded_terms(text) if not h.in_quotation)
    return 100.0 * (own + len(strong_words(text))) / words


def _terms(
    doc: Doc, hits: Sequence[TermHit], strong: Sequence[tuple[int, int, str, float]]
) -> list[TermUse]:
    text = doc.text
    uses: dict[tuple[str, str], TermUse] = {}
    for h in hits:
        key = ("domain", h.term.casefold())
        ev = EvidenceRef(doc_id=doc.id, start=h.start, end=h.end, quote=h.term, field="loaded")
        if key in uses:
            u = uses[key]
            u.count += 1
            u.in_quotation = u.in_quotation and h.in_quotation
            if len(u.evidence) < 5:
                u.evidence.append(ev)
        else:
            uses[key] = TermUse(
                term=h.term,
                neutral=h.neutral or None,
                lexicon="domain",
                category=h.category,
                in_quotation=h.in_quotation,
                evidence=[ev],
            )
    quotes = quote_spans(text)
    for s, e, w, v in strong:
        key = ("valence", w.casefold())
        ev = EvidenceRef(doc_id=doc.id, start=s, end=e, quote=w, field="polar")
        if key in uses:
            uses[key].count += 1
            if len(uses[key].evidence) < 5:
                uses[key].evidence.append(ev)
        else:
            uses[key] = TermUse(
                term=w,
                lexicon="valence",
                category="positive" if v > 0 else "negative",
                in_quotation=inside(quotes, s, e),
                evidence=[ev],
            )
    return sorted(uses.values(), key=lambda u: (u.lexicon, -u.count, u.term.casefold()))


def outlet_framing(doc: Doc) -> OutletFraming:
    """The framing measures of one outlet's article."""
    text = doc.text
    words = len(_WORD.findall(text))
    hits = find_loaded_terms(text)
    strong = strong_words(text)
    own = sum(1 for h in hits if not h.in_quotation)
    sources: dict[str, SourceKind] = {}
    for rec in doc.incidents:
        for a in rec.attribution:
            sources.setdefault(a.source.casefold(), a.kind)
    anonymous = sum(1 for k in sources.values() if k in _ANONYMOUS)
    named = len(sources) - anonymous
    claims = doc.result.summary.key_claims
    if claims:
        n_claims = len(claims)
        unattributed = sum(1 for c in claims if not c.attributed_to)
    else:
        n_claims = len(doc.incidents)
        unattributed = sum(1 for r in doc.incidents if not r.attribution)
    quotes = quote_spans(text)
    sentences = [s for s in split_sentences(text) if s.body] or split_sentences(text)
    quoted = [s for s in sentences if any(a < s.end and s.start < b for a, b in quotes)]
    attributed = [s for s in sentences if _REPORTING.search(s.text)]
    paraphrased = [s for s in attributed if s not in quoted]
    return OutletFraming(
        doc_id=doc.id,
        outlet=doc.label,
        words=words,
        loaded_terms=_terms(doc, hits, strong),
        loaded_per_100_words=round(100.0 * (own + len(strong)) / words, 3) if words else 0.0,
        polarity_strength=round(polarity_strength(text), 4),
        sources_named=named,
        sources_anonymous=anonymous,
        anonymous_share=round(anonymous / len(sources), 3) if sources else None,
        claims=n_claims,
        unattributed_share=round(unattributed / n_claims, 3) if n_claims else None,
        quoted_share=round(len(quoted) / len(sentences), 3) if sentences else 0.0,
        paraphrase_share=round(len(paraphrased) / len(attributed), 3) if attributed else 0.0,
    )


def actor_labels(docs: Sequence[Doc]) -> list[ActorLabels]:
    """For each actor, the names each outlet uses for it; actors several outlets name first."""
    table: dict[str, dict[str, list[str]]] = {}
    neutral: dict[str, str] = {}
    for doc in docs:
        for rec in doc.incidents:
            for actor in [*rec.initiators, *rec.targets]:
                key = actor_key(actor.neutral_name or actor.name)
                neutral.setdefault(key, actor.neutral_name or actor.name)
                names = table.setdefault(key, {}).setdefault(doc.id, [])
                if actor.name not in names:
                    names.append(actor.name)
    rows = [ActorLabels(actor=neutral[k], labels=v) for k, v in table.items()]
    return sorted(rows, key=lambda r: (-len(r.labels), r.actor.casefold()))
