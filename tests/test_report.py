"""The text view: what an analyst reads first, wrapped at word boundaries at any width."""

from __future__ import annotations

from functools import cache

import pytest

from summarizer.config import load_settings
from summarizer.pipeline import read_input, summarize_raw
from summarizer.records import Actor, ArticleResult, Evidence
from summarizer.report import format_result
from tests.conftest import SEEDS, run_cli

WIDTHS = [12, 24, 39, 40, 57, 80, 132]


@cache
def offline(index: int) -> ArticleResult:
    raw, name = read_input(str(SEEDS[index]))  # named as the CLI names it
    return summarize_raw(raw, source=name, settings=load_settings())


def tokens(view: str) -> list[str]:
    return view.split()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[p.stem for p in SEEDS])
def test_wrapping_never_breaks_a_word(index: int, width: int) -> None:
    """At any width the words are those of an unwrapped view: only whitespace changes."""
    result = offline(index)
    view = format_result(result, width)
    assert tokens(view) == tokens(format_result(result, 100_000))
    for line in view.splitlines():
        words = line.split()
        assert len(line) <= width or len(words) == 1 or len(line) - len(words[-1]) <= width, line


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[p.stem for p in SEEDS])
def test_every_incident_has_its_block_with_description_fields_and_quotes(index: int) -> None:
    result = offline(index)
    view = " ".join(format_result(result, 80).split())
    assert f"INCIDENTS ({len(result.incidents)})" in view
    for i, inc in enumerate(result.incidents, 1):
        assert f"[{i}] {inc.event_type.value.replace('_', ' ')}" in view
        assert " ".join(inc.description.split()) in view
        for ev in inc.evidence:
            assert f'"{" ".join(ev.quote.split())}"' in view
        for loc in inc.locations:
            assert loc.name in view
    assert "- ->" not in view


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[p.stem for p in SEEDS])
def test_the_summary_shows_its_sentences_and_key_claims_with_attribution(index: int) -> None:
    result = offline(index)
    view = " ".join(format_result(result, 80).split())
    summary = result.summary
    if summary.headline is not None:
        assert summary.headline.text in view
    for sentence in summary.sentences:
        assert " ".join(sentence.text.split()) in view
    for claim in summary.key_claims:
        assert " ".join(claim.claim.split()) in view
        who = claim.attributed_to or "the article, in its own voice"
        assert f"according to: {who}" in view


def test_unknown_initiators_are_said_to_be_unknown() -> None:
    result = offline(0)
    inc = next(i for i in result.incidents if i.initiators or i.targets)
    ev = Evidence(quote="x", start=0, end=1)
    target = Actor(name="the village", neutral_name="village", evidence=[ev])
    changed = result.model_copy(
        update={"incidents": [inc.model_copy(update={"initiators": [], "targets": [target]})]}
    )
    view = format_result(changed, 80)
    lines = [line.strip() for line in view.splitlines()]
    assert "by:         not stated in the article" in lines
    assert any(line.startswith("against:") and "village" in line for line in lines)
    assert "- ->" not in view and "-> village" not in view


def test_piped_text_output_is_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, err = run_cli(["summarize", str(SEEDS[0]), "--format", "text"], capsys, monkeypatch)
    assert code == 0, err
    assert out == format_result(offline(0), 80)
    monkeypatch.setenv("COLUMNS", "50")
    code, out, _ = run_cli(["summarize", str(SEEDS[0]), "-f", "text"], capsys, monkeypatch)
    assert code == 0 and out == format_result(offline(0), 50)


def test_an_empty_summary_says_so() -> None:
    result = offline(0)
    empty = result.summary.model_copy(update={"headline": None, "sentences": [], "key_claims": []})
    view = format_result(result.model_copy(update={"summary": empty}), 80)
    assert "NEUTRAL SUMMARY\n  no summary sentence could be grounded in the article\n" in view
