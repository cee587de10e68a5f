"""The command line: fast help, JSON out, one-line errors with exit code 2 for bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import SEEDS, run_cli

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "schemas" / "ArticleResult.json").read_text()
)


def test_help_does_not_import_llm_sdks() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['summarizer', '--help']\n"
        "from summarizer.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('openai', 'instructor', 'trafilatura', 'pydantic')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "summarize" in proc.stdout


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_summarize_seed_prints_valid_grounded_json(
    seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_cli(["summarize", str(seed)], capsys, monkeypatch)
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["provenance"]["backend"] == "offline"
    assert data["article"]["source"] == str(seed)  # the path as given, not only its name
    assert data["article"]["doc_id"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert data["incidents"], "every seed reports at least one incident"
    text = data["article"]["text"]

    def walk(node: object) -> int:
        found = 0
        if isinstance(node, dict):
            if {"quote", "start", "end"} <= node.keys():
                assert text[node["start"] : node["end"]] == node["quote"]
                found += 1
            for value in node.values():
                found += walk(value)
        elif isinstance(node, list):
            for value in node:
                found += walk(value)
        return found

    assert walk(data["incidents"]) >= len(data["incidents"])


def test_summarize_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    raw = SEEDS[1].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, out, err = run_cli(["summarize", "-"], capsys, monkeypatch)
    assert code == 0, err
    assert json.loads(out)["article"]["source"] == "-"


def test_output_file_and_text_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "result.json"
    code, out, err = run_cli(["summarize", str(SEEDS[1]), "-o", str(target)], capsys, monkeypatch)
    assert code == 0, err
    assert out == ""
    assert json.loads(target.read_text())["incidents"]
    assert not list(target.parent.glob("*.tmp")), "atomic write leaves no temporary file"

    code, out, err = run_cli(["summarize", str(SEEDS[1]), "--format", "text"], capsys, monkeypatch)
    assert code == 0, err
    assert "INCIDENTS (" in out and "NEUTRAL SUMMARY" in out


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\t\n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"A sentence about a strike on a base. " * 150_000)
    return {
        "missing": tmp_path / "nope.txt",
        "directory": tmp_path,
        "empty": empty,
        "blank": blank,
        "binary": binary,
        "huge": huge,
    }


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "blank", "binary", "huge"])
def test_bad_input_is_one_line_exit_2(
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _bad_inputs(tmp_path)[kind]
    code, out, err = run_cli(["summarize", str(path)], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("summarizer: error:")
    assert "Traceback" not in err


def test_error_messages_name_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {"missing": "no such file", "empty": "empty", "binary": "binary", "huge": "MiB"}
    bad = _bad_inputs(tmp_path)
    for kind, word in expected.items():
        _, _, err = run_cli(["summarize", str(bad[kind])], capsys, monkeypatch)
        assert word in err, (kind, err)


def test_unknown_backend_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_cli(["summarize", str(SEEDS[1]), "--backend", "nope"], capsys, monkeypatch)
    assert code == 2
    assert "nope" in err


NO_ARTICLE = {
    "nav.html": (
        "<html><head><title>Home</title><script>var x = 1;</script></head><body><nav>"
        '<a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>'
        "<script>track()</script><footer>Privacy Policy</footer></body></html>"
    ),
    "menu.html": (
        '<html><body><ul><li><a href="/a">World</a></li><li><a href="/b">Politics</a></li>'
        '<li><a href="/c">Business</a></li></ul></body></html>'
    ),
    "menu.txt": "Home\nNews\nSport\nAbout us\nContact\nPrivacy Policy\nSubscribe\n",
}


@pytest.mark.parametrize("name", sorted(NO_ARTICLE))
def test_a_page_without_an_article_is_refused_naming_the_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only navigation, scripts or menu words, on the HTML and the text path: exit 2."""
    page = tmp_path / name
    page.write_text(NO_ARTICLE[name])
    code, out, err = run_cli(["summarize", str(page)], capsys, monkeypatch)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"summarizer: error: {page}: no article text left after cleaning")


def test_empty_input_names_the_file_and_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    _, _, err = run_cli(["summarize", str(empty)], capsys, monkeypatch)
    assert (
        err
        == f"summarizer: error: {empty}: input is empty: pass a file with article text or HTML\n"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    _, _, err = run_cli(["summarize", "-"], capsys, monkeypatch)
    assert err.startswith("summarizer: error: stdin: input is empty")


def test_every_command_that_may_call_a_model_takes_the_same_backend_options() -> None:
    import typer

    from summarizer.cli import _BACKEND_OPTIONS, BackendFlags, app

    root: Any = typer.main.get_command(app)
    commands = {
        "summarize": root.commands["summarize"],
        "batch run": root.commands["batch"].commands["run"],
        "compare": root.commands["compare"],
    }
    shared = {name for name, _, _ in _BACKEND_OPTIONS}
    assert shared == set(BackendFlags.__dataclass_fields__)
    for where, command in commands.items():
        names = {p.name for p in command.params}
        assert shared <= names and "flags" not in names, where
        assert any("--mode" in p.opts for p in command.params), where
