"""A headless Chromium for the HTML report tests: Debian's `chromium` driven by playwright.

Playwright's own browser downloads are never used: the system browser is named
with `executable_path`. Locally a missing browser skips the tests with the
reason; with SUMMARIZER_REQUIRE_BROWSER=1 (set by .ci/run) it fails them.
Also runnable as `python -m tests.browser_support` to refresh the reviewed
screenshot of the seed comparison under docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable(reason: str) -> None:
    """Skip locally; fail when the browser tier is required (CI)."""
    if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}")
    pytest.skip(reason)


@contextmanager
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def screenshot_seeds(out: Path = ROOT / "docs" / "screenshots" / "compare-seeds.png") -> Path:
    """Render the offline comparison of the five seeds and screenshot its top part."""
    import tempfile

    from summarizer.compare.run import load_results, render, run_compare
    from summarizer.config import load_settings

    settings = load_settings(backend="offline", use_cache=False)
    seeds = sorted(str(p) for p in (ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))
    loaded = load_results(seeds, None, settings)
    html = render(run_compare(loaded.results, settings), loaded.results, "html", loaded.raws)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        page_path.write_text(html, encoding="utf-8")
        with browser() as b:
            page = b.new_page(viewport={"width": 1280, "height": 2400})
            page.goto(page_path.as_uri())
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
    return out


if __name__ == "__main__":
    print(screenshot_seeds())
