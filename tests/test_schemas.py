"""The JSON Schema files under schemas/ must match the models exactly."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.records import TOP_LEVEL_MODELS
from summarizer.schemas import export_schemas, render_schemas

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_schema_files_match_models() -> None:
    rendered = render_schemas()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert set(on_disk) == set(rendered), "run `summarizer schemas export` and commit schemas/"
    for name, text in rendered.items():
        assert on_disk[name] == text, f"schemas/{name} drifted: run `summarizer schemas export`"


def test_every_top_level_model_has_a_titled_schema() -> None:
    for model in TOP_LEVEL_MODELS:
        schema = json.loads((SCHEMAS / f"{model.__name__}.json").read_text(encoding="utf-8"))
        assert schema["title"] == model.__name__
        assert schema["type"] == "object"


def test_export_writes_into_given_folder(tmp_path: Path) -> None:
    written = export_schemas(tmp_path)
    assert sorted(p.name for p in written) == sorted(render_schemas())
    assert json.loads((tmp_path / "ArticleResult.json").read_text())["title"] == "ArticleResult"


def test_field_descriptions_reach_the_schema() -> None:
    """Descriptions are part of the prompt: the schema an LLM sees must carry them."""
    schema = json.loads((SCHEMAS / "IncidentRecord.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    assert "simulated" in props["status"]["description"]
    evidence = schema["$defs"]["Evidence"]["properties"]["quote"]["description"]
    assert "exactly" in evidence
