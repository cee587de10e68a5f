"""The LLM consensus, replayed: the seeds through the replay backend, consensus included.

The consensus request is answered by a hand-written reference response
(tests/fixtures/references/compare/seeds.json, recorded by `make fixtures`), one of
whose sentences the records do not back: it must be re-asked, then dropped and listed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.compare.run import load_results, run_compare
from summarizer.config import load_settings
from summarizer.errors import RecordingMissingError
from summarizer.grounding import numbers_in
from tests.conftest import FIXTURES, GOLDEN, SEEDS, check_golden

RECORDINGS = FIXTURES / "recordings"


def test_replayed_consensus_cites_outlets_and_drops_what_the_records_lack(
    update_golden: bool,
) -> None:
    settings = load_settings(backend="replay", model="reference", recordings_dir=RECORDINGS)
    try:
        loaded = load_results([str(p) for p in SEEDS], None, settings)
        comparison = run_compare(loaded.results, settings)
    except RecordingMissingError as exc:
        pytest.fail(f"recordings are stale: run `make fixtures` and review the diff\n{exc}")
    group = next(g for g in comparison.groups if g.consensus is not None)
    consensus = group.consensus
    assert consensus is not None
    assert consensus.method == "llm" and consensus.backend == "replay"
    assert consensus.prompt_version == "compare.v1"
    texts = {r.article.source: r.article.text for r in loaded.results}
    labels = {a.doc_id: a.label for a in comparison.articles}
    assert {s.outlets[0] for s in consensus.sentences} == {"Al Mayadeen", "Global Research"}
    disagreement = next(s for s in consensus.sentences if s.disagreement)
    assert {85, 118} <= numbers_in(disagreement.text)
    for s in consensus.sentences:
        assert s.evidence and all(labels[d] in s.outlets for d in s.doc_ids)
    assert not any("200" in s.text for s in consensus.sentences)
    assert len(consensus.dropped) == 1 and "200" in consensus.dropped[0]
    assert "not in the records" in consensus.dropped[0]
    by_id = {a.doc_id: texts[a.source] for a in comparison.articles}
    for s in consensus.sentences:
        for ev in s.evidence:
            assert by_id[ev.doc_id][ev.start : ev.end] == ev.quote
    data = json.loads(comparison.model_dump_json())
    for article in data["articles"]:  # the checkout's location is no part of the answer
        article["source"] = Path(article["source"]).name
    check_golden(GOLDEN / "compare" / "replay_reference.json", data, update_golden)


def test_sentence_checks_name_each_problem() -> None:
    from summarizer.compare.llm import problems
    from summarizer.records import DraftSentence

    records = {
        "A": '{"counts": [{"text": "about 85 attacks"}], "places": ["Syria"]}',
        "B": '{"counts": [{"text": "at least 118 attacks"}], "places": ["Syria", "Iraq"]}',
    }
    labels = ["A", "B"]

    def check(text: str, outlets: list[str], disagreement: bool = False) -> list[str]:
        return problems(
            DraftSentence(text=text, outlets=outlets, disagreement=disagreement), records, labels
        )

    assert check("A reports about 85 attacks in Syria.", ["A"]) == []
    assert check("A reports 85 attacks; B reports 118 in Iraq.", ["A", "B"], True) == []
    # without the disagreement flag, every figure must be in every cited outlet
    assert "numbers [85, 118]" in check("A reports 85 attacks; B reports 118.", ["A", "B"])[0]
    assert "names ['Iraq']" in check("A reports attacks in Iraq.", ["A"])[0]
    assert "unknown outlet" in check("C reports attacks in Syria.", ["C"])[0]
    assert "loaded terms" in check("A reports attacks by the occupation forces in Syria.", ["A"])[0]
