"""The record models: contract details other tools rely on."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from summarizer.records import (
    SCHEMA_VERSION,
    Article,
    ArticleResult,
    EventStatus,
    EventType,
    Evidence,
    IncidentRecord,
    NeutralSummary,
    Provenance,
)

TEXT = "On Friday, rockets hit the base. There were no casualties."


def _ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def _result() -> ArticleResult:
    incident = IncidentRecord(
        event_type=EventType.shelling_or_missile,
        status=EventStatus.occurred,
        description="Rockets hit a base.",
        evidence=[_ev("rockets hit the base")],
    )
    return ArticleResult(
        article=Article(text=TEXT),
        incidents=[incident],
        summary=NeutralSummary(headline="Rockets hit a base", summary="Rockets hit a base."),
        provenance=Provenance(backend="offline", model="m", prompt_version="v1"),
    )


def test_evidence_serialises_quote_and_offsets() -> None:
    dumped = _ev("rockets hit the base").model_dump()
    assert {"quote", "start", "end"} <= dumped.keys()
    assert TEXT[dumped["start"] : dumped["end"]] == dumped["quote"]


def test_article_text_is_part_of_every_result() -> None:
    data = _result().model_dump(mode="json")
    assert data["article"]["text"] == TEXT
    ev = data["incidents"][0]["evidence"][0]
    assert data["article"]["text"][ev["start"] : ev["end"]] == ev["quote"]


def test_provenance_has_the_required_keys() -> None:
    prov = _result().model_dump(mode="json")["provenance"]
    assert {"backend", "model", "prompt_version", "schema_version", "cache_hit"} <= prov.keys()
    assert prov["schema_version"] == SCHEMA_VERSION


def test_incident_needs_evidence() -> None:
    with pytest.raises(ValidationError):
        IncidentRecord(
            event_type=EventType.attack, status=EventStatus.occurred, description="x", evidence=[]
        )


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Evidence.model_validate({"quote": "a", "start": 0, "end": 1, "page": 3})


def test_result_round_trips_through_json() -> None:
    result = _result()
    assert ArticleResult.model_validate_json(result.model_dump_json()) == result


def test_enums_serialise_as_plain_strings() -> None:
    data = _result().model_dump(mode="json")
    assert data["incidents"][0]["event_type"] == "shelling_or_missile"
    assert data["incidents"][0]["status"] == "occurred"
