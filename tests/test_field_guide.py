"""The field guide: generated from the models, sent when the server hides the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIBackend
from summarizer.clean import clean
from summarizer.config import Settings
from summarizer.field_guide import TOOL_FILLED, field_guide, schema_chars, schema_hidden
from summarizer.grounding import grounded_model
from summarizer.records import Extraction, NeutralSummary
from tests.stub_llm import Reply, StubServer, answers, tool_call
from tests.test_openai_backend import GOOD, SEED, SUMMARY

GUIDE_HEAD = "Field guide: answer with one JSON object of type"


def _described_fields(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    nodes = {"": schema, **schema.get("$defs", {})}
    return [
        (model, name, " ".join(spec["description"].split()))
        for model, node in nodes.items()
        for name, spec in (node.get("properties") or {}).items()
        if spec.get("description")
    ]


@pytest.mark.parametrize("model", [Extraction, NeutralSummary])
def test_guide_is_generated_from_every_field_description(model: Any) -> None:
    guide = field_guide(model)
    fields = _described_fields(model.model_json_schema())
    assert fields
    for _, name, description in fields:
        if TOOL_FILLED in description:
            assert description not in guide  # offsets are the tool's job, not the model's
        else:
            assert f"  {name}" in guide and description in guide, name
    # Compact: well under the schema the server receives (a model with 8k context reads it).
    assert len(guide) < 0.5 * schema_chars(model)


def test_guide_names_enum_values_and_optional_fields() -> None:
    guide = field_guide(Extraction)
    assert "status: one of occurred|claimed|threatened|planned|simulated|denied." in guide
    assert "  date?: EventDate or null." in guide
    assert "  quote: text." in guide
    # The guide of the model asked for says what the request requires.
    assert "  sentences: list of SummarySentence (at least 1)." in field_guide(
        grounded_model(NeutralSummary)
    )


def test_schema_hidden_from_prompt_tokens() -> None:
    chars = 6464  # a SmolLM2 recording: 6,464 characters of messages counted as 1,520 tokens
    assert schema_hidden(1520, chars, Extraction)
    shown = (chars + schema_chars(Extraction)) // 4
    assert not schema_hidden(shown, chars, Extraction)
    # OpenAI renders tools compactly (about half the JSON): still counted as shown.
    assert not schema_hidden((chars + schema_chars(Extraction) // 2) // 4, chars, Extraction)


def _settings(url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {"backend": "openai", "base_url": url, "mode": "tools"}
    return Settings(_env_file=None, **(values | extra))


def _system(request: dict[str, Any]) -> str:
    return str(request["messages"][0]["content"])


def test_auto_sends_the_guide_when_the_server_hides_the_schema(tmp_path: Path) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY), hides_schema=True) as server:
        backend = OpenAIBackend(_settings(server.url, cache_dir=tmp_path, field_guide="auto"))
        first = backend.extract(article)
        summary = backend.summarize(article, first.value)
    # The first answer shows the schema was hidden: the step is asked again, with the guide;
    # from then on every request carries it (one extra request per run, no more).
    assert len(server.requests) == 3
    assert GUIDE_HEAD not in _system(server.requests[0])
    assert field_guide(grounded_model(Extraction)) in _system(server.requests[1])
    assert field_guide(grounded_model(NeutralSummary)) in _system(server.requests[2])
    assert first.usage.tokens_in == sum(server.prompt_tokens[:2])
    for gen in (first, summary):
        assert any("field guide in the system prompt" in n for n in gen.usage.notes)
    assert len(first.value) == 1


def test_a_hidden_schema_abandons_the_unguided_answer_before_any_reask(tmp_path: Path) -> None:
    article = clean(SEED.read_bytes(), SEED.name)

    def invalid(_: object) -> Reply:  # would be re-asked without the guide
        return tool_call({"incidents": "not a list"})

    script = (invalid, invalid, answers(GOOD, SUMMARY))
    with StubServer(*script, hides_schema=True) as server:
        backend = OpenAIBackend(_settings(server.url, cache_dir=tmp_path, field_guide="auto"))
        gen = backend.extract(article)
    # The invalid unguided answer is not re-asked: the step starts again with the guide,
    # and the guided answer is re-asked as any other.
    assert len(server.requests) == 3
    assert len(server.requests[1]["messages"]) == 2  # system + user, no re-ask turns
    assert field_guide(grounded_model(Extraction)) in _system(server.requests[1])
    assert len(server.requests[2]["messages"]) > 2 and GUIDE_HEAD in _system(server.requests[2])
    assert gen.usage.validation_retries == 1 and len(gen.value) == 1
    assert gen.usage.tokens_in == sum(server.prompt_tokens)  # the abandoned answer was paid for


def test_auto_leaves_the_guide_out_when_the_schema_is_shown(tmp_path: Path) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY)) as server:
        backend = OpenAIBackend(_settings(server.url, cache_dir=tmp_path, field_guide="auto"))
        gen = backend.extract(article)
        backend.summarize(article, gen.value)
    assert len(server.requests) == 2
    assert all(GUIDE_HEAD not in _system(r) for r in server.requests)
    assert not any("field guide" in n for n in gen.usage.notes)


@pytest.mark.parametrize(("mode", "sent"), [("always", True), ("never", False)])
def test_explicit_guide_modes(mode: str, sent: bool, tmp_path: Path) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY), hides_schema=True) as server:
        settings = _settings(server.url, cache_dir=tmp_path, field_guide=mode)
        OpenAIBackend(settings).extract(article)
    assert len(server.requests) == 1
    assert (GUIDE_HEAD in _system(server.requests[0])) is sent
