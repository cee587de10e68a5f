"""The extractive neutral summary: top sentences, neutral wording, claims kept as claims.

Sentences are chosen for the incidents they report (the first report of each
event scores highest, earlier sentences a little higher), then rewritten:
loaded terms outside quotation marks take their neutral wording, and a
sentence that leans on an earlier source ("They added that ...") is given its
source back ("According to sources cited by Al Mayadeen, ..."). Output depends
only on the article and the incidents, so the same input gives the same bytes.
"""

from __future__ import annotations

import re

from summarizer import lexicons
from summarizer.framing import find_loaded_terms, neutral_phrase, rewrite
from summarizer.instructions import is_instruction
from summarizer.offline.reporting import REPORTING
from summarizer.offline.text import Sentence, evidence, reporting_sentences
from summarizer.records import (
    Article,
    Attribution,
    Evidence,
    IncidentRecord,
    KeyClaim,
    LoadedTerm,
    NeutralSummary,
    QuantityQualifier,
    SourceKind,
    SummarySentence,
)
from summarizer.spans import split_sentences

_MAX_SENTENCES = 4
_HEADLINE_WORDS = 15
_LEANING = re.compile(
    rf"^(?:They|The\s+sources|These\s+sources|He|She)\s+(?:also\s+)?{REPORTING}\s+(?:that\s+)?"
    r"[,:]?\s*"
)


#: Fewest words a lead needs beyond dates, times and function words (see `_says_something`).
_MIN_LEAD_WORDS = 4


def _source_phrase(a: Attribution) -> str:
    """How the summary names a source: "sources cited by Al Mayadeen", "Al-Akhbar"."""
    outlet = None
    if a.via:
        m = re.search(r"(?:told|tells?|informed|with|to)\s+(.+)$", a.via)
        outlet = m.group(1) if m else None
    if a.kind == SourceKind.anonymous_sources:
        return f"sources cited by {outlet}" if outlet else "unnamed sources"
    if outlet:
        return f"{a.source} (speaking to {outlet})"
    return a.source


def _attribution_for(s: Sentence, incidents: list[IncidentRecord]) -> Attribution | None:
    """The attribution whose evidence lies in this sentence, if any."""
    for rec in incidents:
        for a in rec.attribution:
            if any(s.start <= e.start < s.end for e in a.evidence):
                return a
    return None


def _hard_facts(rec: IncidentRecord) -> list[list[Evidence]]:
    """Evidence of the facts that tell events apart: exact counts, tolls, the date."""
    groups = [q.evidence for q in rec.quantities if q.qualifier != QuantityQualifier.several]
    groups += [c.evidence for c in (rec.casualties.killed, rec.casualties.injured) if c]
    if rec.date is not None:
        groups.append(rec.date.evidence)
    return groups


def _facts_in(rec: IncidentRecord, s: Sentence, hard: bool = False) -> int:
    """How many of the record's facts (or only its hard facts) are grounded in this sentence."""
    groups = _hard_facts(rec)
    if not hard:
        groups += [x.evidence for x in rec.locations] + [x.evidence for x in rec.means]
        groups += [x.evidence for x in rec.initiators] + [x.evidence for x in rec.attribution]
    return sum(1 for ev in groups if any(s.start <= e.start < s.end for e in ev))


def _says_something(sentence: str) -> bool:
    """A lead to fill the summary must say something: a timestamp ("Posted: Thursday, April
    21, 2022.", "10:11 pm CST.") or a dateline ("NAPA COUNTY, Calif.") that cleaning let through
    has fewer than four words beyond dates, times and function words."""
    skip = set(lexicons.words("function_words")) | set(lexicons.words("months"))
    skip |= set(lexicons.words("weekdays")) | {"am", "pm", "published", "updated", "posted"}
    words = [w for w in re.findall(r"[^\W\d_]{2,}", sentence.lower()) if w not in skip]
    return len(words) >= _MIN_LEAD_WORDS


def _pick(sentences: list[Sentence], incidents: list[IncidentRecord]) -> list[Sentence]:
    """Up to four sentences: each incident's first informative report, ranked, then leads to fill.

    News puts the main fact first, so an incident's first report that carries
    any of its facts stands for it; incidents with tolls and counts rank higher.
    """
    n = max(len(sentences), 1)
    first_of: dict[int, int] = {}
    for i, rec in enumerate(incidents):
        starts = {e.start for e in rec.evidence}
        reports = [s for s in sentences if s.start in starts]
        free = [s for s in reports if s.index not in first_of]
        if free:
            best = (
                next((s for s in free if _facts_in(rec, s, hard=True)), None)
                or next((s for s in free if _facts_in(rec, s) >= 2), None)
                or max(free, key=lambda s: (_facts_in(rec, s), -s.index))
            )
            first_of[best.index] = i
    weight = {s.index: 0.0 for s in sentences}
    for s in sentences:
        if s.index in first_of:
            rec = incidents[first_of[s.index]]
            toll = rec.casualties.killed or rec.casualties.injured
            weight[s.index] = (
                2.0
                + 1.5 * (toll is not None)
                + 0.5 * min(len(rec.quantities), 2)
                + 0.3 * (rec.date is not None)
                + 0.1 * min(len(rec.locations), 5)
            )
        weight[s.index] += 1.5 * (1 - s.index / n) - 0.02 * max(0, len(s.text.split()) - 45)
    ranked = sorted(sentences, key=lambda s: (-weight[s.index], s.index))
    chosen = [s for s in ranked if s.index in first_of][:_MAX_SENTENCES]
    for s in ranked:
        if len(chosen) >= 2:
            break
        if s not in chosen and _says_something(s.text):
            chosen.append(s)
    if not chosen and ranked:
        chosen.append(ranked[0])  # a short article: its first lead is still what it says
    return sorted(chosen, key=lambda s: s.index)


def _is_name(rest: str, text: str) -> bool:
    """Whether `rest` starts with a name ("Sudan's government ..."): a word the article also
    capitalises where no sentence starts, so its capital is not the sentence's."""
    m = re.match(r"[A-Z][\w-]*", rest)
    if m is None:
        return False
    word = m.group(0)
    for hit in re.finditer(rf"\b{re.escape(word)}\b", text):
        before = text[max(0, hit.start() - 8) : hit.start()].rstrip(" \t\"'\u201c\u2018(")
        if before and before[-1] not in ".!?:\n":
            return True
    return False


def _rewrite(text: str, s: Sentence, incidents: list[IncidentRecord]) -> tuple[str, list[Evidence]]:
    """The sentence in neutral words, with its source restored if it leans on an earlier one.

    Returns the evidence too: the sentence itself, plus the quotes naming a restored
    source (so every name in the summary sentence is in its own evidence).
    """
    out = rewrite(text, s.start, s.end)
    ev = [evidence(text, s.start, s.end)]
    m = _LEANING.match(out)
    a = _attribution_for(s, incidents)
    if m and a is not None:
        rest = out[m.end() :]
        if rest[:1].isalpha() and not rest[:2].isupper() and not _is_name(rest, text):
            rest = rest[:1].lower() + rest[1:]
        out = f"According to {_source_phrase(a)}, {rest}"
        ev += [e for e in a.evidence if not (s.start <= e.start and e.end <= s.end)]
    return out, ev


def _headline(
    article: Article, incidents: list[IncidentRecord], first: SummarySentence | None
) -> SummarySentence | None:
    """The neutralised title, else the first incident in plain words; at most 15 words.

    Its evidence is the title's line in the body, the incident's own report, or
    the first summary sentence's source: what the headline was made from.
    """
    text = article.text
    title = (article.title or "").strip()
    words = title.split()
    at = text.find(title) if title else -1
    if at >= 0 and 4 <= len(words) <= 30 and title != article.outlet and re.search(r"[a-z]", title):
        head, ev = neutral_phrase(title), [evidence(text, at, at + len(title))]
    elif incidents:
        head = re.split(r" - |\s\(", incidents[0].description)[0]
        ev = list(incidents[0].evidence[:1])
    elif first is not None:
        head, ev = first.text, list(first.evidence)
    else:
        return None
    # An untitled text's "title" is its first line, which may be a whole paragraph: the
    # headline is one sentence, so keep its first (a cut at 15 words could span two).
    sentences = split_sentences(head.strip())
    if len(sentences) > 1:
        head = sentences[0].text
    words = head.strip().rstrip(".").split()
    if len(words) > _HEADLINE_WORDS:
        # A cut at the word limit must not leave a dangling "... after" or "... of the".
        words = words[:_HEADLINE_WORDS]
        dangling = set(lexicons.words("dangling_words"))
        while len(words) > 1 and words[-1].lower().strip(",;:-") in dangling:
            words.pop()
        words[-1] = words[-1].rstrip(",;:-")
    head = " ".join(words)
    return SummarySentence(text=head, evidence=ev) if head else None


def _key_claims(incidents: list[IncidentRecord]) -> list[KeyClaim]:
    """One claim per incident, in neutral words, with its source and evidence."""
    claims: list[KeyClaim] = []
    for rec in incidents[:8]:
        a = rec.attribution[0] if rec.attribution else None
        ev = list(rec.evidence[:2])
        if a is not None:
            ev += [
                e for e in a.evidence[:1] if all(e.start != x.start or e.end != x.end for x in ev)
            ]
        # the source as written, so the name check finds it in the evidence; the channel
        # ("in a statement on Telegram") stays on the incident's attribution
        who = a.source if a is not None else None
        claims.append(KeyClaim(claim=rec.description, attributed_to=who, evidence=ev))
    return claims


def _loaded_terms(text: str, sentences: list[Sentence]) -> list[LoadedTerm]:
    """Loaded terms of the body, one entry per term and quotation status, up to 3 quotes each."""
    groups: dict[tuple[str, bool], list[tuple[int, int, str, str]]] = {}
    for s in sentences:
        for h in find_loaded_terms(text, s.start, s.end):
            groups.setdefault((h.term.lower(), h.in_quotation), []).append(
                (h.start, h.end, h.term, h.neutral)
            )
    out: list[LoadedTerm] = []
    for (_, quoted), hits in groups.items():
        term, neutral = hits[0][2], hits[0][3]
        out.append(
            LoadedTerm(
                term=term,
                neutral=neutral or "(omit)",
                in_quotation=quoted,
                evidence=[evidence(text, a, b) for a, b, _, _ in hits[:3]],
            )
        )
    return out


def summarize(article: Article, incidents: list[IncidentRecord]) -> NeutralSummary:
    """A neutral, attributed, extractive summary of the article."""
    text = article.text
    title = re.sub(r"\W+", " ", article.title or "").strip().lower()
    every = reporting_sentences(text)
    sentences = [
        s for s in every if s.body and re.sub(r"\W+", " ", s.text).strip().lower() != title
    ] or [s for s in every if not is_instruction(s.text)]
    chosen = _pick(sentences, incidents)
    # Extractive: each sentence rests on the article sentence it was rewritten from.
    parts = [
        SummarySentence(text=rewritten, evidence=ev)
        for s in chosen
        for rewritten, ev in [_rewrite(text, s, incidents)]
        if rewritten
    ]
    return NeutralSummary(
        headline=_headline(article, incidents, parts[0] if parts else None),
        sentences=parts,
        key_claims=_key_claims(incidents),
        loaded_terms=_loaded_terms(text, sentences),
    )
