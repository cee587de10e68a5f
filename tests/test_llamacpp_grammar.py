"""The schema a backend asks for (and a grammar server enforces): arrays capped, a summary
must have a sentence; what ships is validated by the plain models, which allow less."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from summarizer.grounding import (
    CONTEXT_KEY,
    MAX_NESTED_ITEMS,
    MAX_TOP_ITEMS,
    capped_schema,
    grounded_model,
)
from summarizer.records import Extraction, NeutralSummary


def _arrays(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        own = [node] if node.get("type") == "array" else []
        return own + [a for v in node.values() for a in _arrays(v)]
    if isinstance(node, list):
        return [a for v in node for a in _arrays(v)]
    return []


def test_every_array_asked_for_is_bounded_and_the_records_schema_is_untouched() -> None:
    schema = Extraction.model_json_schema()
    asked = grounded_model(Extraction).model_json_schema()
    assert asked["properties"]["incidents"]["maxItems"] == MAX_TOP_ITEMS
    evidence = asked["$defs"]["IncidentRecord"]["properties"]["evidence"]
    assert evidence["maxItems"] == MAX_NESTED_ITEMS and evidence["minItems"] == 1
    assert "maxItems" not in schema["properties"]["incidents"]  # the records' schema as before
    assert capped_schema(schema) == asked
    for model in (NeutralSummary, Extraction):
        found = _arrays(grounded_model(model).model_json_schema())
        assert found and all("maxItems" in a for a in found)


def test_a_summary_asked_for_needs_a_sentence_but_an_empty_one_may_ship() -> None:
    asked = grounded_model(NeutralSummary).model_json_schema()
    sentences = asked["properties"]["sentences"]
    assert "sentences" in asked["required"]
    assert (sentences["minItems"], sentences["maxItems"]) == (1, 4)
    with pytest.raises(ValidationError, match="sentences"):
        grounded_model(NeutralSummary).model_validate({}, context={CONTEXT_KEY: "Text."})
    # After grounding dropped every sentence, the shipped summary is empty (a note says so).
    assert NeutralSummary.model_validate({}).sentences == []
