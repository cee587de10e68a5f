"""Grounding: every value must be backed by a quote found in the article text.

This module walks any record for its `Evidence` objects and checks the
contract `text[start:end] == quote`. (Quote alignment for LLM output,
exact -> normalised -> fuzzy, lives here too.)
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from summarizer.records import Evidence


def iter_evidence(obj: object) -> Iterator[Evidence]:
    """Yield every `Evidence` inside a model, list or dict, depth first."""
    if isinstance(obj, Evidence):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_evidence(getattr(obj, name))
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from iter_evidence(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from iter_evidence(item)


def offset_problems(text: str, obj: object) -> list[str]:
    """Describe every evidence whose quote is not exactly at its offsets (empty = all good)."""
    problems = []
    for ev in iter_evidence(obj):
        if not (0 <= ev.start <= ev.end <= len(text)) or text[ev.start : ev.end] != ev.quote:
            problems.append(f"quote not at [{ev.start}:{ev.end}]: {ev.quote[:60]!r}")
    return problems
