"""CLI commands around the LLM backends: cache info|clear, fixtures record, replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from tests.conftest import FIXTURES, SEEDS

runner = CliRunner()


def test_reference_recordings_regenerate_identically(tmp_path: Path) -> None:
    out = tmp_path / "reference"
    done = runner.invoke(app, ["fixtures", "record", "--reference", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "0 dropped" in done.output
    fresh = sorted(p.name for p in out.glob("*.json"))
    committed = sorted(p.name for p in (FIXTURES / "recordings" / "reference").glob("*.json"))
    assert fresh == committed, "committed recordings are stale: run `make fixtures`"
    for path in out.glob("*.json"):
        assert json.loads(path.read_text())["provenance"] == "hand-written reference response"


def test_recording_replaces_only_what_it_writes(tmp_path: Path) -> None:
    out = tmp_path / "reference"
    out.mkdir()
    stale = out / "0000stale.json"
    stale.write_text("{}")
    (out / "README.txt").write_text("not a recording")
    # A run that fails (no references there) leaves the folder as it was.
    empty = tmp_path / "none"
    empty.mkdir()
    args = ["fixtures", "record", "--reference", "--out", str(out)]
    failed = runner.invoke(app, [*args, "--references", str(empty)])
    assert failed.exit_code != 0 and stale.exists()
    # A whole run replaces the recordings: the stale hash goes, other files stay.
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert not stale.exists() and (out / "README.txt").exists()
    committed = {p.name for p in (FIXTURES / "recordings" / "reference").glob("*.json")}
    assert {p.name for p in out.glob("*.json")} == committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["none", "reference"]  # nothing else


def test_live_recording_needs_a_server(tmp_path: Path) -> None:
    done = runner.invoke(app, ["fixtures", "record", "--out", str(tmp_path)])
    assert done.exit_code != 0 and "needs a live server" in str(done.exception)


def test_cache_info_and_clear_after_a_cached_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.stub_llm import StubServer, answers
    from tests.test_openai_backend import GOOD, SUMMARY

    with StubServer(answers(GOOD, SUMMARY)) as server:
        monkeypatch.setenv("SUMMARIZER_BASE_URL", server.url)
        seed = str(SEEDS[-1])
        assert runner.invoke(app, ["summarize", seed]).exit_code == 0
        info = runner.invoke(app, ["cache", "info"])
        assert "entries: 2" in info.output  # extraction + summary
        cleared = runner.invoke(app, ["cache", "clear"])
        assert cleared.output.startswith("removed 2 cached answers")
        assert "entries: 0" in runner.invoke(app, ["cache", "info"]).output
