"""Helpers shared by the offline-backend tests that run hand-written articles."""

from __future__ import annotations

from summarizer.backends.offline import OfflineBackend
from summarizer.config import Settings
from summarizer.framing import find_loaded_terms
from summarizer.grounding import offset_problems
from summarizer.records import Article, EventType, IncidentRecord
from summarizer.spans import split_sentences

BACKEND = OfflineBackend(Settings())


def extract(text: str, published: str | None = None) -> list[IncidentRecord]:
    """Incidents of `text`, after checking the grounding contract and the descriptions."""
    article = Article(text=text, published=published)
    incidents = BACKEND.extract(article).value
    summary = BACKEND.summarize(article, incidents).value
    assert offset_problems(text, [incidents, summary]) == []
    for rec in incidents:  # one neutral sentence, no loaded words
        assert rec.description.endswith("."), rec.description
        assert len(split_sentences(rec.description)) == 1, rec.description
        assert find_loaded_terms(rec.description) == [], rec.description
    return incidents


def only(incidents: list[IncidentRecord], etype: EventType) -> IncidentRecord:
    """The single incident of a type (fails when there are none or several)."""
    (found,) = [r for r in incidents if r.event_type == etype]
    return found
