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
    Quantity,
    SummarySentence,
    doc_id_of,
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
        summary=NeutralSummary(
            headline=SummarySentence(text="Rockets hit a base", evidence=[_ev("rockets hit")]),
            sentences=[
                SummarySentence(
                    text="Rockets hit a base on Friday.",
                    evidence=[_ev("On Friday, rockets hit the base.")],
                )
            ],
        ),
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


def test_schema_version_is_two() -> None:
    assert SCHEMA_VERSION == "2.0"


def test_summary_text_joins_the_sentences_and_is_not_a_field() -> None:
    summary = _result().summary
    assert summary.text == "Rockets hit a base on Friday."
    assert "text" not in summary.model_dump() and "summary" not in summary.model_dump()
    with pytest.raises(ValidationError):  # the v1 field is gone
        NeutralSummary.model_validate({"headline": None, "summary": "x"})


def test_a_summary_sentence_needs_evidence() -> None:
    with pytest.raises(ValidationError):
        SummarySentence(text="Rockets hit a base.", evidence=[])


def test_quantity_range_high_is_never_below_value() -> None:
    ok = Quantity(value=10, high=15, unit="attacks", text="between 10 and 15", evidence=[_ev("On")])
    assert (ok.value, ok.high) == (10, 15)
    with pytest.raises(ValidationError, match="high"):
        Quantity(value=15, high=10, unit="attacks", text="15", evidence=[_ev("On")])


def test_doc_id_is_the_sha256_of_the_raw_input() -> None:
    assert doc_id_of("abc") == doc_id_of(b"abc")
    assert doc_id_of(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    # An article built straight from text is its own raw input; a given doc_id is kept.
    assert Article(text=TEXT).doc_id == doc_id_of(TEXT)
    assert Article(text=TEXT, doc_id="f" * 64).doc_id == "f" * 64


def test_acled_fields_are_derived_and_overwrite_what_was_given() -> None:
    data = _result().incidents[0].model_dump(mode="json")
    assert data["acled_event_type"] == "Explosions/Remote violence"
    assert data["acled_sub_event_type"] == "Shelling/artillery/missile attack"
    # A model's guess (even an invalid label) is replaced, so JSON read back round-trips.
    data["acled_event_type"], data["acled_sub_event_type"] = "Protests", "made up"
    again = IncidentRecord.model_validate(data)
    assert again.acled_event_type == "Explosions/Remote violence"
    assert again == _result().incidents[0]


def test_duplicate_link_defaults_to_none_and_validates_similarity() -> None:
    result = _result()
    assert result.duplicate_of is None
    data = result.model_dump(mode="json")
    data["duplicate_of"] = {"doc_id": "a" * 64, "similarity": 0.93, "method": "minhash"}
    linked = ArticleResult.model_validate(data)
    assert linked.duplicate_of is not None and linked.duplicate_of.similarity == 0.93
    data["duplicate_of"]["similarity"] = 1.5
    with pytest.raises(ValidationError):
        ArticleResult.model_validate(data)
