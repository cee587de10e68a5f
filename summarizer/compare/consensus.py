"""The consensus account of a story: what the outlets agree on, who reports what, where they differ.

The offline backend writes it by rules from the structured records, never from
fresh wording of its own about the events:
- incidents reported by several outlets first, one sentence each built from a
  grounded record's neutral description, citing every outlet that reports it;
- then one sentence per disagreement in those incidents, naming each outlet's
  figure with its scope ("Al Mayadeen reports about 85 times ... since October
  18; Global Research reports at least 118 attacks since October 17");
- when the outlets share few or no incidents (politics, economy...), the
  articles' key claims and opening sentences are merged instead: each
  candidate counts the outlets that carry a sentence with the same content
  words, the ones several outlets report come first, each cited, each in the
  framing lexicon's neutral wording.
Every sentence carries the evidence spans it rests on. LLM backends write the
account from the same records (`summarizer.compare.llm`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.compare.common import Doc, actor_key, content_words, place_key, refs
from summarizer.compare.framing import polarity_strength, strong_words
from summarizer.framing import find_loaded_terms, neutral_phrase, rewrite
from summarizer.grounding import numbers_in
from summarizer.records import (
    CellStatus,
    ConsensusSentence,
    ConsensusSummary,
    EvidenceRef,
    MatchedIncident,
)
from summarizer.spans import quote_spans, split_sentences

#: Content-word overlap (Jaccard) at which two sentences of different outlets say the same thing.
SAME_CLAIM = 0.3
#: Sentences of the consensus at most.
MAX_SENTENCES = 6
#: Opening sentences of each article considered as claims when incidents are few.
LEAD_SENTENCES = 8
_MAX_HEADLINE_WORDS = 15
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Mean |valence| above which a candidate sentence is emotive and goes after flat ones.
POLAR_SENTENCE = 0.1
#: Claims merged into the consensus when the outlets share few incidents.
CLAIM_ROOM = 3
#: What an emotive headline gives up against the others' shared wording.
HEADLINE_POLAR_PENALTY = 1.0
#: Positions in the article a sentence moves up per unit of overlap with another outlet's.
CENTRALITY_WEIGHT = 15.0


def _join(labels: Sequence[str]) -> str:
    labels = list(dict.fromkeys(labels))
    if len(labels) <= 2:
        return " and ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        first = text.split(" ", 1)[0]
        if first in {"The", "A", "An"} or first.lower() in {"armed", "an", "a"}:
            return text[0].lower() + text[1:]
    return text


_TYPE_WORDS = {
    "attack": "attacks",
    "air_or_drone_strike": "air or drone strikes",
    "shelling_or_missile": "shelling or missile fire",
    "armed_clash": "armed clashes",
    "military_exercise": "a military exercise",
    "deployment_or_reinforcement": "a deployment or reinforcement",
    "arrest_or_capture": "an arrest or capture",
    "threat_or_statement": "a threat or statement",
    "other": "an incident",
}


def _common(groups: list[list[tuple[str, str]]]) -> list[str]:
    """Names (key, as shown) every outlet gives, in the first outlet's order and wording."""
    if not groups or any(not g for g in groups):
        return []
    keys = set.intersection(*({k for k, _ in g} for g in groups))
    seen: list[str] = []
    for k, shown in groups[0]:
        if k in keys and shown not in seen:
            seen.append(shown)
    return seen


def _agreed_sentence(incident: MatchedIncident, members: list[Doc]) -> str:
    """What every outlet of the incident reports, and nothing only some of them report."""
    recs = [d.incidents[m.index] for m, d in zip(incident.members, members, strict=True)]
    labels = [d.label for d in members]
    if len(recs) == 1:
        what = _lower_first(neutral_phrase(recs[0].description).rstrip("."))
        return f"{labels[0]} reports that {what}."
    by = _common(
        [
            [(actor_key(a.neutral_name or a.name), a.neutral_name or a.name) for a in r.initiators]
            for r in recs
        ]
    )
    on = _common(
        [
            [(actor_key(a.neutral_name or a.name), a.neutral_name or a.name) for a in r.targets]
            for r in recs
        ]
    )
    where = _common([[(place_key(loc.name), loc.name) for loc in r.locations] for r in recs])
    text = f"{_join(labels)} report {_TYPE_WORDS[recs[0].event_type.value]}"
    if by:
        text += " by " + _join([neutral_phrase(n) for n in by])
    if on:
        text += " on " if recs[0].event_type.value != "military_exercise" else " involving "
        text += _join([neutral_phrase(n) for n in on])
    if where:
        text += " in " + _join(where)
    dates = {r.date.value for r in recs if r.date}
    if len(dates) == 1 and all(r.date for r in recs):
        text += f" on {dates.pop()}"
    for what in ("killed", "injured"):
        row = next((r for r in incident.rows if r.fact == what), None)
        if row is not None and row.status == CellStatus.agree:
            figure = getattr(recs[0].casualties, what)
            if figure is not None and (figure.best or figure.low):
                text += f", with at least {figure.best or figure.low} {what}"
    return text + "."


def _incident_sentences(incident: MatchedIncident, docs: dict[str, Doc]) -> list[ConsensusSentence]:
    members = [docs[m.doc_id] for m in incident.members]
    labels = [d.label for d in members]
    evidence = [
        r
        for m, d in zip(incident.members, members, strict=True)
        for r in refs(d.id, d.incidents[m.index].evidence[:1], "incident")
    ]
    out = [
        ConsensusSentence(
            text=_agreed_sentence(incident, members),
            outlets=labels,
            doc_ids=[d.id for d in members],
            evidence=evidence,
        )
    ]
    for row in incident.rows:
        if row.status not in (CellStatus.differ, CellStatus.different_scope):
            continue
        if row.fact in ("attribution", "status", "places"):
            continue  # who tells it and how precisely it is placed: the framing table shows it
        parts = []
        for cell in row.cells:
            if cell.value is None:
                continue
            scope = f" ({cell.scope})" if cell.scope and cell.scope not in cell.value else ""
            parts.append(f"{cell.outlet} reports {neutral_phrase(cell.value)}{scope}")
        if len(parts) < 2:
            continue
        lead = (
            "The counts cover different places or periods: "
            if row.status == CellStatus.different_scope
            else f"The outlets give different {row.fact.replace('count of ', 'counts of ')}: "
        )
        out.append(
            ConsensusSentence(
                text=lead + "; ".join(parts) + ".",
                outlets=[c.outlet for c in row.cells if c.value is not None],
                doc_ids=[c.doc_id for c in row.cells if c.value is not None],
                disagreement=True,
                evidence=[e for c in row.cells for e in c.evidence],
            )
        )
    return out


@dataclass
class _Claim:
    doc: Doc
    start: int
    end: int
    text: str  # neutral wording
    words: frozenset[str]
    position: int
    polarity: float
    support: list[tuple[Doc, int, int]]
    own_polar: bool = False
    centrality: float = 0.0  # best word overlap with a sentence of another outlet
    numbers: frozenset[int] = frozenset()


def _candidates(doc: Doc) -> list[_Claim]:
    text = doc.text
    quotes = quote_spans(text)
    title = (doc.result.article.title or "").strip().casefold()
    out: list[_Claim] = []
    for s in split_sentences(text):
        if not s.body or s.text.strip().casefold() == title:
            continue
        n_words = len(s.text.split())
        if n_words < 8 or n_words > 45 or s.text.rstrip().endswith("?"):
            continue
        if any(a < s.end and s.start < b for a, b in quotes):
            continue  # someone else's words: a consensus reports facts, not quotes
        if any(not h.in_quotation for h in find_loaded_terms(text, s.start, s.end)):
            neutral = rewrite(text, s.start, s.end)
        else:
            neutral = s.text
        words = frozenset(content_words(neutral))
        if len(words) < 4:
            continue
        out.append(_Claim(doc, s.start, s.end, neutral, words, len(out), 0.0, []))
        if len(out) >= LEAD_SENTENCES:
            break
    for c in out:
        c.polarity = polarity_strength(c.text)
        c.numbers = frozenset(numbers_in(c.text))
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _claim_sentences(docs: Sequence[Doc], room: int) -> list[ConsensusSentence]:
    claims = [c for d in docs for c in _candidates(d)]
    for c in claims:
        best: dict[str, tuple[float, _Claim]] = {}
        for o in claims:
            if o.doc.id == c.doc.id:
                continue
            score = _jaccard(c.words, o.words)
            if not c.numbers <= o.numbers:
                continue  # a figure the other outlet does not give: not its claim
            c.centrality = max(c.centrality, score)
            if score >= SAME_CLAIM and score > best.get(o.doc.id, (0.0, c))[0]:
                best[o.doc.id] = (score, o)
        c.support = [(o.doc, o.start, o.end) for _, o in best.values()]
    # an emotive word no other outlet uses is this outlet's framing, not the story's fact
    vocab = {d.id: frozenset(w.lower() for w in _WORDS.findall(d.text)) for d in docs}
    for c in claims:
        others = [v for k, v in vocab.items() if k != c.doc.id]
        c.own_polar = any(
            all(w.lower() not in v for v in others) for _, _, w, _ in strong_words(c.text)
        )
    # several outlets first, then flat wording before emotive, then earlier in the article
    ranked = sorted(
        claims,
        key=lambda c: (
            -len(c.support),
            c.own_polar,
            c.polarity > POLAR_SENTENCE,
            c.position - CENTRALITY_WEIGHT * c.centrality,
        ),
    )
    chosen: list[_Claim] = []
    for c in ranked:
        if len(chosen) >= room:
            break
        if any(_jaccard(c.words, o.words) >= SAME_CLAIM for o in chosen):
            continue  # already said
        own = sum(1 for o in chosen if o.doc.id == c.doc.id)
        if not c.support and len(docs) > 1 and own >= 2:
            continue  # one outlet's own claims do not crowd out the others'
        chosen.append(c)
    out = []
    for c in chosen:
        supporters = [c.doc, *[d for d, _, _ in c.support]]
        evidence = [
            EvidenceRef(
                doc_id=c.doc.id,
                start=c.start,
                end=c.end,
                quote=c.doc.text[c.start : c.end],
                field="claim",
            )
        ]
        evidence += [
            EvidenceRef(doc_id=d.id, start=s, end=e, quote=d.text[s:e], field="claim")
            for d, s, e in c.support
        ]
        out.append(
            ConsensusSentence(
                text=_sentence_case(c.text),
                outlets=[d.label for d in supporters],
                doc_ids=[d.id for d in supporters],
                evidence=evidence,
            )
        )
    return out


def _headline(docs: Sequence[Doc], sentences: list[ConsensusSentence]) -> str | None:
    heads = [(d, h.text) for d in docs if (h := d.result.summary.headline) is not None]
    if not heads:
        return None
    if len(heads) > 1:  # the headline sharing most words with the other outlets'
        sets = [frozenset(content_words(h)) for _, h in heads]

        def shared(i: int) -> float:
            return sum(_jaccard(sets[i], s) for j, s in enumerate(sets) if j != i)

        def rank(i: int) -> tuple[float, int]:
            # shared wording first; an emotive headline (strong vader words) loses its turn
            return (shared(i) - HEADLINE_POLAR_PENALTY * polarity_strength(heads[i][1]), -i)

        heads = [heads[max(range(len(heads)), key=rank)]]
    words = neutral_phrase(heads[0][1]).split()
    return " ".join(words[:_MAX_HEADLINE_WORDS]).rstrip(",;:")


def rule_consensus(docs: Sequence[Doc], incidents: Sequence[MatchedIncident]) -> ConsensusSummary:
    """The offline consensus: a rule-based merge of the fact matrix and the key claims."""
    by_id = {d.id: d for d in docs}
    sentences: list[ConsensusSentence] = []
    shared = [i for i in incidents if len(i.members) > 1]
    for inc in shared:
        if len(sentences) >= MAX_SENTENCES:
            break
        sentences += _incident_sentences(inc, by_id)
    sentences = sentences[:MAX_SENTENCES]
    if len(sentences) < 3:
        sentences += _claim_sentences(docs, min(CLAIM_ROOM, MAX_SENTENCES - len(sentences)))
    return ConsensusSummary(
        headline=_headline(docs, sentences),
        sentences=sentences,
        method="rules",
        backend="offline",
        model="offline-rules",
        prompt_version="compare-rules.v1",
    )


def text_of(summary: ConsensusSummary) -> str:
    """The consensus as plain prose (for measures and the text view)."""
    return " ".join(s.text for s in summary.sentences)
