"""The built wheel ships prompts/ and schemas/, and an installed copy finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("summarizer-*.whl")
    return built


def test_wheel_contains_prompts_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (ROOT / "schemas").glob("*.json"):
        assert f"summarizer/_data/schemas/{schema.name}" in names
    for prompt in (ROOT / "prompts").glob("*.yaml"):
        assert f"summarizer/_data/prompts/{prompt.name}" in names
    assert "summarizer/cli.py" in names
    assert "summarizer/templates/compare.html.j2" in names


def test_installed_copy_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    probe = (
        "from summarizer.resources import data_dir\n"
        "d = data_dir('schemas')\n"
        "assert (d / 'ArticleResult.json').is_file(), d\n"
        "print(d)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert str(target) in proc.stdout
