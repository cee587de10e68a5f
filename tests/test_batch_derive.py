"""Reposts are derived from their original: no second LLM call, evidence exact in their own text."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from summarizer.backends import get_backend
from summarizer.batch import Options, Runner
from summarizer.batch.derive import DERIVED_NOTE, derive_result
from summarizer.batch.results import Outcome
from summarizer.config import load_settings
from summarizer.grounding import iter_evidence, offset_problems
from summarizer.records import Article, ArticleResult
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]


def _replay_backend() -> Any:
    replay = {
        "backend": "replay",
        "recordings_dir": ROOT / "tests/fixtures/recordings",
        "model": "reference",
    }
    return get_backend(load_settings().model_copy(update=replay))


def _run(
    tmp_path: Path, seeds: list[Path], out: Path | None = None
) -> tuple[list[Outcome], list[str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for seed in seeds:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    backend = _replay_backend()
    asked: list[str] = []
    extract = backend.aextract

    async def counting(article: Article) -> Any:
        asked.append(article.doc_id)
        return await extract(article)

    backend.aextract = counting
    options = Options(processes=0, out=out, reproducible=True)
    runner = Runner([str(corpus)], backend.settings, options, backend=backend)

    async def go() -> list[Outcome]:
        return [o async for o in runner.outcomes()]

    return asyncio.run(go()), asked


def test_the_repost_is_derived_not_asked_and_its_evidence_is_exact(tmp_path: Path) -> None:
    outcomes, asked = _run(tmp_path, [SEEDS[0], SEEDS[1]])
    by_name = {Path(o.source).name[:3]: o for o in outcomes}
    assert {o.status for o in outcomes} == {"ok"}
    original = ArticleResult.model_validate_json(by_name["000"].line or "")
    repost = ArticleResult.model_validate_json(by_name["001"].line or "")
    assert asked == [original.article.doc_id]  # the LLM saw the original only
    assert repost.duplicate_of is not None
    assert repost.duplicate_of.doc_id == original.article.doc_id
    assert any(
        n.startswith(DERIVED_NOTE + original.article.doc_id) for n in repost.provenance.notes
    )
    assert repost.provenance.tokens_in == repost.provenance.tokens_out == 0
    text = repost.article.text
    assert text != original.article.text
    evidence = list(iter_evidence(repost.incidents)) + list(iter_evidence(repost.summary))
    assert evidence and offset_problems(text, repost.incidents) == []
    assert offset_problems(text, repost.summary) == []
    assert all(text[ev.start : ev.end] == ev.quote for ev in evidence)
    assert len(repost.incidents) == len(original.incidents)


def test_what_the_repost_lacks_is_dropped_and_listed(tmp_path: Path) -> None:
    outcomes, _asked = _run(tmp_path, [SEEDS[0]])
    original = ArticleResult.model_validate_json(outcomes[0].line or "")
    first = original.incidents[0].evidence[0].quote
    cut = Article(text=original.article.text.replace(first, " "), doc_id="b" * 64)
    derived = derive_result(original, cut, "a" * 64, 0.93)
    assert any(d.path.startswith("incidents[0]") for d in derived.provenance.dropped)
    assert offset_problems(cut.text, derived.incidents) == []
    assert offset_problems(cut.text, derived.summary) == []
    assert derived.provenance.notes[0].startswith(DERIVED_NOTE + "a" * 64)


def test_after_a_resume_the_repost_is_derived_from_the_stored_original(tmp_path: Path) -> None:
    _run(tmp_path, [SEEDS[0], SEEDS[1]], out=tmp_path / "whole.jsonl")
    # The original finishes in a first run; the repost arrives in the resumed one.
    (tmp_path / "corpus" / SEEDS[1].name).unlink()
    _run(tmp_path, [SEEDS[0]], out=tmp_path / "out.jsonl")
    outcomes, asked = _run(tmp_path, [SEEDS[0], SEEDS[1]], out=tmp_path / "out.jsonl")
    assert asked == []  # the original was skipped, and the repost not sent to the LLM
    repost = next(o for o in outcomes if Path(o.source).name.startswith("001"))
    result = ArticleResult.model_validate_json(repost.line or "")
    assert result.provenance.notes[0].startswith(DERIVED_NOTE)
    lines = sorted((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())
    assert lines == sorted((tmp_path / "whole.jsonl").read_text(encoding="utf-8").splitlines())
