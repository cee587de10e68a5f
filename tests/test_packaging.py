"""The built wheel ships prompts/ and schemas/, and an installed copy finds them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
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


# Imported only behind an ImportError guard or by an opt-in extra (`[parquet]`, `[local]`), or
# the fork openai >= 3 brings (transport.py falls back to httpx).
_OPTIONAL_IMPORTS = {"pyarrow": "parquet", "llama_cpp": "local", "httpx2": None}


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement string ('Foo_bar[x]>=1' -> 'foo-bar')."""
    head = re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", head).lower()


def _installed_closure(roots: list[str]) -> set[str]:
    """The declared distributions plus everything they require (not their extras), as installed."""
    seen: set[str] = set()
    todo = [_name(r) for r in roots]
    while todo:
        dist = todo.pop()
        if dist in seen:
            continue
        seen.add(dist)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def test_every_module_the_library_imports_is_installed_by_its_dependencies() -> None:
    """A fresh `pip install -e .` must give every import: numpy once came only with datasketch,
    and `summarizer batch` failed with ModuleNotFoundError when datasketch was dropped."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    closure = _installed_closure(project["dependencies"])
    provided = metadata.packages_distributions()
    imported: set[str] = set()
    for path in (ROOT / "summarizer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"summarizer"}
    missing = []
    for module in sorted(third_party):
        if module in _OPTIONAL_IMPORTS:
            extra = _OPTIONAL_IMPORTS[module]
            assert extra is None or extra in extras, (module, extra)
            continue
        dists = {_name(d) for d in provided.get(module, [])}
        if not dists & closure:
            missing.append(f"{module} (from {sorted(dists) or 'nothing installed'})")
    assert missing == [], f"imported but not in pyproject's dependencies: {missing}"
