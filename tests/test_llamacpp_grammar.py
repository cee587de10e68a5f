"""The in-process backend's output grammar caps unbounded arrays (not the schema)."""

from __future__ import annotations

from summarizer.backends.llamacpp import (
    GRAMMAR_MAX_NESTED_ITEMS,
    GRAMMAR_MAX_TOP_ITEMS,
    grammar_schema,
)
from summarizer.records import Extraction, NeutralSummary


def test_every_array_in_the_grammar_is_bounded_and_the_schema_is_untouched() -> None:
    schema = NeutralSummary.model_json_schema()
    grammar = grammar_schema(schema)
    assert grammar["properties"]["sentences"]["maxItems"] == GRAMMAR_MAX_TOP_ITEMS
    sentence = grammar["$defs"]["SummarySentence"]["properties"]["evidence"]
    assert sentence["maxItems"] == GRAMMAR_MAX_NESTED_ITEMS and sentence["minItems"] == 1
    assert "maxItems" not in schema["properties"]["sentences"]  # a copy: the schema is as before

    def arrays(node: object) -> list[dict[str, object]]:
        if isinstance(node, dict):
            own = [node] if node.get("type") == "array" else []
            return own + [a for v in node.values() for a in arrays(v)]
        if isinstance(node, list):
            return [a for v in node for a in arrays(v)]
        return []

    for model in (NeutralSummary, Extraction):
        found = arrays(grammar_schema(model.model_json_schema()))
        assert found and all("maxItems" in a for a in found)
