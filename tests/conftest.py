"""Shared test fixtures: isolate user state, block the network, golden-file helpers."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
GOLDEN = FIXTURES / "golden"
SEEDS = sorted(ARTICLES.glob("*.txt"))
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files from current output instead of comparing (review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the cache at a temp dir and hide the developer's keys, URLs and .env file."""
    import os

    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_ENV_FILE", os.devnull)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


_LOOPBACK_PREFIXES = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.family == socket.AF_UNIX or str(host).startswith(_LOOPBACK_PREFIXES):
        return _real_connect(self, address)
    raise RuntimeError(f"tests must not touch the network (tried to connect to {address!r})")


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every non-loopback connection unless a test is marked `live`."""
    if request.node.get_closest_marker("live") is None:
        monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


def check_golden(path: Path, data: Any, update: bool) -> None:
    """Compare `data` to the golden JSON at `path`; rewrite it only when `update` is set."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(
            f"golden file {path} is missing: run pytest --update-golden and review the diff"
        )
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path}; if intended, run pytest --update-golden"


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run the console entry point in-process; return (exit code, stdout, stderr)."""
    from summarizer.cli import main

    monkeypatch.setattr(sys, "argv", ["summarizer", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err
