"""Golden files: every seed replayed from recordings through the full pipeline.

Each folder under `tests/fixtures/recordings/` holds the recordings of one
model (`reference` = hand-written reference responses, labelled so in every
file; other folders = real recordings from the named model). Replaying them
runs the real openai backend code (instructor, parsing, grounding), so the
golden files pin its behaviour without a server. Golden files change only
with `pytest --update-golden`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import RecordingMissingError
from summarizer.grounding import offset_problems
from summarizer.pipeline import summarize_raw
from tests.conftest import FIXTURES, GOLDEN, SEEDS, check_golden
from tests.localmodel_server import replay_settings

RECORDINGS = FIXTURES / "recordings"
MODELS = sorted(p.name for p in RECORDINGS.iterdir() if p.is_dir())
STALE = (
    "recordings are stale (the cleaner, a prompt or the schema changed): run "
    "`summarizer fixtures record --reference` for the hand-written ones (`make fixtures`), "
    "re-record real ones against their server, then `pytest --update-golden` and review the diff"
)


def stable(result: Any) -> Any:
    data = result.model_dump(mode="json")
    data["provenance"]["latency_s"] = None
    return data


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_replay_matches_golden(model: str, seed: Path, update_golden: bool) -> None:
    settings = replay_settings(model, RECORDINGS)
    try:
        result = summarize_raw(seed.read_bytes(), source=seed.name, settings=settings)
    except RecordingMissingError as exc:
        pytest.fail(f"{STALE}\n{exc}")
    assert offset_problems(result.article.text, result) == []
    notes = " ".join(result.provenance.notes)
    assert "replayed: " in notes
    if model == "reference":
        assert "hand-written reference response" in notes
    else:
        assert "recorded from 127.0.0.1" in notes and model in notes
    check_golden(GOLDEN / "replay" / model / f"{seed.stem}.json", stable(result), update_golden)


def test_every_recording_is_labelled_honestly() -> None:
    files = list(RECORDINGS.rglob("*.json"))
    assert files, "no recordings: run `summarizer fixtures record --reference`"
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        label = record["provenance"]
        if path.parent.name == "reference":
            assert label == "hand-written reference response", path
        else:
            assert label.startswith("recorded from ") and path.parent.name in label, path
        assert record["request"]["model"] == path.parent.name, path
        assert "authorization" not in json.dumps(record).lower(), path
