"""The offline backend: deterministic, rule-based, grounded; no network, no model.

It is the default on a fresh machine and a cross-check for LLM output: every
value it emits is cut from the article text with exact offsets, and what the
rules are unsure of is left out. The rules live in `summarizer.offline`.
"""

from __future__ import annotations

import time

from summarizer.backends.base import Backend, Generation, Usage
from summarizer.grounding import offset_problems
from summarizer.language import detect_language, primary
from summarizer.offline.dates import parse_published
from summarizer.offline.incidents import extract_incidents
from summarizer.offline.summary import summarize
from summarizer.records import Article, Dropped, IncidentRecord, NeutralSummary

_NOTE = "offline rule-based backend: no language model was used"


class OfflineBackend(Backend):
    """Rule-based extraction and an extractive neutral summary."""

    name = "offline"

    @property
    def model(self) -> str:
        return "offline-rules"

    @property
    def prompt_version(self) -> str:
        return "offline.v2"

    def extract(self, article: Article) -> Generation[list[IncidentRecord]]:
        start = time.perf_counter()
        notes = [_NOTE]
        language = primary(article.language) or detect_language(article.text)
        if language is not None and language != "en":
            # reading rules for English on other text would invent or miss events silently
            notes.append(
                f"article language is {language!r}: the offline rules read English only, so no "
                "incidents were extracted; use an LLM backend (--backend openai or llamacpp) "
                "for this article"
            )
            return Generation([], Usage(latency_s=time.perf_counter() - start, notes=notes))
        dropped: list[Dropped] = []
        records = extract_incidents(article.text, parse_published(article.published), dropped)
        kept: list[IncidentRecord] = []
        for rec in records:  # a safety net: the rules cut evidence from the text itself
            problems = offset_problems(article.text, rec)
            if problems:
                dropped.append(
                    Dropped(
                        path=f"incidents[{len(kept)}]",
                        reason=f"{rec.event_type.value} incident: {problems[0]}",
                        value=rec.description[:120],
                    )
                )
            else:
                kept.append(rec)
        usage = Usage(latency_s=time.perf_counter() - start, dropped=dropped, notes=notes)
        return Generation(kept, usage)

    def summarize(
        self, article: Article, incidents: list[IncidentRecord]
    ) -> Generation[NeutralSummary]:
        start = time.perf_counter()
        value = summarize(article, incidents)
        # Grounded or absent: no filler sentence, but say why the summary is empty.
        notes = [] if value.sentences else ["summary: no reporting sentence to summarise"]
        return Generation(value, Usage(latency_s=time.perf_counter() - start, notes=notes))
