"""The consensus written by an LLM: from the structured records only, checked like any answer.

The model never sees the raw pages: it gets, per outlet, the grounded records
(incidents, key claims, the neutral summary) and the fact matrix, as JSON in a
delimited, hash-tagged block (`prompts/compare.v1.yaml`). The call goes through
the backend's one LLM step (cache, budget, replay, recording). Each sentence the
model writes is then held to its citations: its numbers, names and places must
be in the records of the outlets it cites (for a sentence that names a
disagreement, in one of them; otherwise in each), it cites only outlets of the
story, and it uses no loaded term. Sentences that fail are re-asked once with
the problems listed; what still fails is dropped and listed in
`ConsensusSummary.dropped`. When nothing survives, the rule-based merge stands
in, and the dropped list says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from summarizer.backends.llm import LLMBackend
from summarizer.compare.common import Doc, content_words, refs
from summarizer.compare.consensus import rule_consensus
from summarizer.framing import find_loaded_terms
from summarizer.grounding import numbers_in
from summarizer.prompts import article_tag, load_prompt
from summarizer.records import (
    Article,
    ConsensusDraft,
    ConsensusSentence,
    ConsensusSummary,
    DraftSentence,
    EvidenceRef,
    MatchedIncident,
    doc_id_of,
)

_NAME = re.compile(r"\b[A-Z][\w'’-]+")
_SKIP_NAMES = frozenset({"The", "A", "An", "On", "In", "Both", "According", "While", "But"})


def _incident(rec: Any) -> dict[str, Any]:
    return {
        "event_type": rec.event_type.value,
        "status": rec.status.value,
        "date": rec.date.value if rec.date else None,
        "date_text": rec.date.text if rec.date else None,
        "places": [loc.name for loc in rec.locations],
        "initiators": [{"as_written": a.name, "neutral": a.neutral_name} for a in rec.initiators],
        "targets": [{"as_written": a.name, "neutral": a.neutral_name} for a in rec.targets],
        "means": [m.name for m in rec.means],
        "killed": rec.casualties.killed.text if rec.casualties.killed else None,
        "injured": rec.casualties.injured.text if rec.casualties.injured else None,
        "counts": [{"text": q.text, "unit": q.unit, "scope": q.scope} for q in rec.quantities],
        "attribution": [a.source for a in rec.attribution],
        "description": rec.description,
    }


def outlet_records(doc: Doc) -> dict[str, Any]:
    """What the model may use about one outlet, and what its sentences are checked against."""
    s = doc.result.summary
    return {
        "outlet": doc.label,
        "title": doc.result.article.title,
        "published": doc.result.article.published,
        "incidents": [_incident(r) for r in doc.incidents],
        "key_claims": [{"claim": c.claim, "attributed_to": c.attributed_to} for c in s.key_claims],
        "summary": s.text,
    }


def _matrix(incidents: Sequence[MatchedIncident], labels: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for inc in incidents:
        if len(inc.members) < 2:
            continue
        rows = [
            {
                "fact": row.fact,
                "status": row.status.value,
                "values": {
                    labels[c.doc_id]: {"value": c.value, "scope": c.scope}
                    for c in row.cells
                    if c.value is not None
                },
            }
            for row in inc.rows
        ]
        out.append(
            {"incident": inc.id, "outlets": [labels[m.doc_id] for m in inc.members], "facts": rows}
        )
    return out


def problems(sentence: DraftSentence, records: dict[str, str], labels: Sequence[str]) -> list[str]:
    """Why a sentence is not backed by the records of the outlets it cites (empty: it is)."""
    found: list[str] = []
    unknown = [o for o in sentence.outlets if o not in records]
    if unknown:
        found.append(f"cites unknown outlet(s) {unknown}: use the labels given")
    cited = [records[o] for o in sentence.outlets if o in records]
    if not cited:
        return found or ["cites no outlet"]
    text = sentence.text
    for label in labels:  # outlet names are citations, not facts
        text = text.replace(label, " ")
    numbers = numbers_in(text)
    haves = [numbers_in(r) for r in cited]
    need = set().union(*haves) if sentence.disagreement else set.intersection(*haves)
    missing = sorted(numbers - need)
    if missing:
        found.append(f"numbers {missing} are not in the records of {sentence.outlets}")
    pool = " ".join(cited).casefold()
    names = [m.group(0) for m in _NAME.finditer(text) if m.start() > 0]
    absent = sorted({n for n in names if n not in _SKIP_NAMES and n.casefold() not in pool})
    if absent:
        found.append(f"names {absent} are not in the records of {sentence.outlets}")
    loaded = [h.term for h in find_loaded_terms(sentence.text) if not h.in_quotation]
    if loaded:
        found.append(f"loaded terms {loaded}: use neutral wording")
    return found


def _evidence(sentence: str, doc: Doc) -> list[EvidenceRef]:
    """The record evidence of `doc` that shares most words with the sentence."""
    words = set(content_words(sentence))
    best: tuple[int, list[EvidenceRef]] = (-1, [])
    candidates = [(c.claim, c.evidence) for c in doc.result.summary.key_claims]
    candidates += [(r.description, r.evidence) for r in doc.incidents]
    for text, evidence in candidates:
        score = len(words & set(content_words(text)))
        if score > best[0] and evidence:
            best = (score, refs(doc.id, evidence[:1], "consensus"))
    return best[1]


class LLMConsensus:
    """A consensus writer over an LLM backend (any: openai, replay, llamacpp)."""

    def __init__(self, backend: LLMBackend) -> None:
        self.backend = backend
        self.prompt = load_prompt("compare", 1)

    def _ask(self, labels: list[str], records: str, feedback: str) -> ConsensusDraft:
        tag = article_tag(records)
        variables = {
            "tag": tag,
            "outlets": json.dumps(labels),
            "records": records,
            "feedback": feedback,
        }
        carrier = Article(text=records, source="compare records", doc_id=doc_id_of(records))
        gen = self.backend._sync.run(
            self.backend._astep(self.prompt, ConsensusDraft, carrier, variables)
        )
        return gen.value

    def __call__(
        self, docs: Sequence[Doc], incidents: Sequence[MatchedIncident]
    ) -> ConsensusSummary:
        labels = [d.label for d in docs]
        by_label = {d.label: d for d in docs}
        per_outlet = {d.label: outlet_records(d) for d in docs}
        checked = {k: json.dumps(v, ensure_ascii=False) for k, v in per_outlet.items()}
        payload = json.dumps(
            {
                "outlets": list(per_outlet.values()),
                "fact_matrix": _matrix(incidents, {d.id: d.label for d in docs}),
            },
            ensure_ascii=False,
            indent=1,
        )
        draft = self._ask(labels, payload, "")
        kept: list[DraftSentence] = []
        failing = [(s, problems(s, checked, labels)) for s in draft.sentences]
        kept = [s for s, p in failing if not p]
        dropped: list[str] = []
        bad = [(s, p) for s, p in failing if p]
        if bad:
            feedback = (
                "Your previous answer had sentences the records do not back:\n"
                + "\n".join(f"- {s.text!r}: {'; '.join(p)}" for s, p in bad)
                + "\nRewrite the account so every sentence is backed by the outlets it cites.\n"
            )
            again = self._ask(labels, payload, feedback)
            retry = [(s, problems(s, checked, labels)) for s in again.sentences]
            if sum(1 for _, p in retry if not p) >= len(kept):
                kept = [s for s, p in retry if not p]
                dropped = [f"{s.text} ({'; '.join(p)})" for s, p in retry if p]
                draft = again
            else:
                dropped = [f"{s.text} ({'; '.join(p)})" for s, p in bad]
        if not kept:
            fallback = rule_consensus(docs, incidents)
            fallback.dropped = [
                *dropped,
                "no sentence of the model was backed by the records: "
                "the rule-based consensus stands in",
            ]
            return fallback
        sentences = [
            ConsensusSentence(
                text=s.text,
                outlets=list(dict.fromkeys(s.outlets)),
                doc_ids=[by_label[o].id for o in dict.fromkeys(s.outlets)],
                disagreement=s.disagreement,
                evidence=[
                    e for o in dict.fromkeys(s.outlets) for e in _evidence(s.text, by_label[o])
                ],
            )
            for s in kept
        ]
        headline = draft.headline
        if find_loaded_terms(headline) or len(headline.split()) > 15:
            dropped.append(f"headline {headline!r} (loaded or over 15 words)")
            headline = rule_consensus(docs, incidents).headline or ""
        return ConsensusSummary(
            headline=headline or None,
            sentences=sentences,
            dropped=dropped,
            method="llm",
            backend=self.backend.name,
            model=self.backend.model,
            prompt_version=self.prompt.id,
        )
