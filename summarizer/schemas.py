"""JSON Schema files generated from the pydantic models (kept in sync by a test)."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.outputs import ensure_dir, write_atomic
from summarizer.records import TOP_LEVEL_MODELS
from summarizer.resources import data_dir


def render_schemas() -> dict[str, str]:
    """File name -> JSON text for every top-level model, deterministic byte for byte."""
    out = {}
    for model in TOP_LEVEL_MODELS:
        schema = model.model_json_schema()
        schema.setdefault("title", model.__name__)
        out[f"{model.__name__}.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def export_schemas(directory: Path | None = None) -> list[Path]:
    """Write the schema files into `directory` (default: the shipped `schemas/`)."""
    target = ensure_dir(directory or data_dir("schemas"))
    written = []
    for name, text in render_schemas().items():
        path = target / name
        write_atomic(path, text)
        written.append(path)
    return written
