"""Word lists shipped as data: one plain-text file per idea, loaded once.

Rules are code; the words they match are data a newcomer can read and change
without touching a regular expression. Each `<name>.txt` beside this module
holds one entry per line; blank lines and lines starting with `#` are
comments. An entry may carry a value after a tab (`three<TAB>3`), read with
`table()`. Files ship inside the wheel because they live in the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent


def _lines(name: str) -> tuple[str, ...]:
    path = _DIR / f"{name}.txt"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no word list {name!r} (expected {path})") from None
    rows = (line.strip() for line in raw.splitlines())
    return tuple(row for row in rows if row and not row.startswith("#"))


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of list `name`, in file order (the part before any tab)."""
    return tuple(row.split("\t", 1)[0].strip() for row in _lines(name))


@cache
def table(name: str) -> dict[str, str]:
    """List `name` as a mapping from each entry to the value after its tab."""
    out: dict[str, str] = {}
    for row in _lines(name):
        key, sep, value = row.partition("\t")
        if not sep:
            raise ValueError(f"word list {name!r}: line {row!r} has no tab-separated value")
        out[key.strip()] = value.strip()
    return out


def available() -> tuple[str, ...]:
    """Names of every shipped list (for tests and `--help`-style listings)."""
    return tuple(sorted(p.stem for p in _DIR.glob("*.txt")))
