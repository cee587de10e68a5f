"""Golden files: the offline backend's full output for every seed article.

Golden files change only with `pytest --update-golden` (or `make golden`), so
every change in cleaning or extraction shows up as a reviewed diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarizer.config import load_settings
from summarizer.pipeline import summarize_raw
from tests.conftest import GOLDEN, SEEDS, check_golden


def stable(result: Any) -> Any:
    """The result as JSON data, minus what legitimately varies between runs (timing)."""
    data = result.model_dump(mode="json")
    data["provenance"]["latency_s"] = None
    return data


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_offline_output_matches_golden(seed: Path, update_golden: bool) -> None:
    settings = load_settings(backend="offline")
    result = summarize_raw(seed.read_bytes(), source=seed.name, settings=settings)
    check_golden(GOLDEN / "offline" / f"{seed.stem}.json", stable(result), update_golden)


def test_offline_output_is_deterministic() -> None:
    settings = load_settings(backend="offline")
    raw = SEEDS[0].read_bytes()
    first = stable(summarize_raw(raw, source="a", settings=settings))
    second = stable(summarize_raw(raw, source="a", settings=settings))
    assert first == second
