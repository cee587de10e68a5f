"""Locate the shipped data folders (`prompts/`, `schemas/`).

In a source checkout (and an editable install) they sit at the repository
root; in a built wheel they are packaged as `summarizer/_data/<name>`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding the shipped `name` folder ('prompts' or 'schemas')."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name
