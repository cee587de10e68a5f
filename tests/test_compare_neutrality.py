"""Neutrality of the consensus on multi-outlet stories that are not about armed conflict.

NeuS val (../shared/devdata/compare_neus_val: the same news from a left, a centre and a
right outlet, with a human neutral summary): on the first stories, the offline consensus
introduces no loaded term that none of its sources uses, is less polar than a same-length
lead of the sources (at most 0.8x, vader valence) and at least as close to the human
summary (unigram F1). Skipped when the dev data is absent; bench/compare.py scores all 307.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from summarizer.backends.offline import OfflineBackend
from summarizer.compare.common import make_docs
from summarizer.compare.consensus import rule_consensus
from summarizer.compare.framing import loaded_rate, loaded_terms_of, polarity_strength
from summarizer.compare.grouping import group_docs
from summarizer.compare.matrix import matched_incidents
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.pipeline import summarize_raw

NEUS = Path(__file__).resolve().parents[1].parent / "shared" / "devdata" / "compare_neus_val"
STORIES = 30


def _parse(line: str) -> list[tuple[str, str]]:
    out = []
    for part in line.split("[SEP]"):
        m = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)$", part.strip(), re.S)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def _f1(candidate: str, reference: str) -> float:
    c = Counter(re.findall(r"\w+", candidate.lower()))
    r = Counter(re.findall(r"\w+", reference.lower()))
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


@pytest.fixture(scope="module")
def stories() -> list[tuple[list[str], str, str]]:
    """(source texts, consensus text, human summary) of the first NeuS val stories."""
    if not (NEUS / "val.source").exists():
        pytest.skip(f"NeuS dev data not found at {NEUS}")
    settings = Settings()
    backend = OfflineBackend(settings)
    sources = (NEUS / "val.source").read_text(encoding="utf-8").splitlines()[:STORIES]
    targets = (NEUS / "val.target").read_text(encoding="utf-8").splitlines()[:STORIES]
    out = []
    for src, tgt in zip(sources, targets, strict=True):
        results = []
        for i, (title, body) in enumerate(_parse(src)):
            try:
                results.append(
                    summarize_raw(
                        f"{title}\n{body}\n", source=f"o{i}.txt", settings=settings, backend=backend
                    )
                )
            except SummarizerError:
                continue
        docs = make_docs(results)
        _, feats = group_docs(docs)
        summary = rule_consensus(docs, matched_incidents(docs, feats, "s1"))
        text = " ".join([summary.headline or "", *(s.text for s in summary.sentences)])
        reference = " ".join(" ".join(p) for p in _parse(tgt))
        out.append(([f"{t} {b}" for t, b in _parse(src)], text.strip(), reference))
    return out


def test_consensus_introduces_no_loaded_term(stories: list[tuple[list[str], str, str]]) -> None:
    for sources, text, _ in stories:
        used = set().union(*(loaded_terms_of(s) for s in sources))
        assert loaded_terms_of(text) <= used, text


def test_consensus_is_flatter_than_the_lead_and_as_close_to_the_human_summary(
    stories: list[tuple[list[str], str, str]],
) -> None:
    pol = lead_pol = f1 = lead_f1 = rate = source_rate = 0.0
    for sources, text, reference in stories:
        lead = " ".join(" ".join(sources).split()[: len(text.split())])
        pol += polarity_strength(text)
        lead_pol += polarity_strength(lead)
        f1 += _f1(text, reference)
        lead_f1 += _f1(lead, reference)
        rate += loaded_rate(text)
        source_rate += sum(loaded_rate(s) for s in sources) / len(sources)
    assert pol <= 0.8 * lead_pol
    assert f1 >= lead_f1
    assert rate < source_rate  # less loaded, on average, than the sources
