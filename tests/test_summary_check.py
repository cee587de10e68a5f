"""The summary validator: a summary sentence says only what its evidence says."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.clean import clean
from summarizer.config import load_settings
from summarizer.grounding import ground_summary
from summarizer.pipeline import summarize_raw
from summarizer.records import Evidence, NeutralSummary, SummarySentence
from summarizer.summary_check import (
    COVERAGE_THRESHOLD,
    HEADLINE_MAX_WORDS,
    coverage,
    names_in,
    sentence_problems,
)
from tests.conftest import SEEDS

ARTICLE = (
    "US occupation forces in Syria came under attack on Friday, sources told Al Mayadeen.\n"
    "Three rockets hit the Conoco base in Deir Ezzor, the sources said.\n"
    'A spokesman said the attackers were "terrorists" and vowed a response.\n'
)
ATTACK = "US occupation forces in Syria came under attack on Friday, sources told Al Mayadeen."
ROCKETS = "Three rockets hit the Conoco base in Deir Ezzor, the sources said."
CALLED = 'A spokesman said the attackers were "terrorists" and vowed a response.'


def problems(sentence: str, *quotes: str, headline: bool = False) -> list[str]:
    return sentence_problems(sentence, list(quotes), ARTICLE, headline=headline)


def test_a_faithful_neutral_sentence_passes() -> None:
    assert problems("US forces in Syria came under attack on Friday, sources said.", ATTACK) == []
    assert problems("Three rockets hit the Conoco base in Deir Ezzor, sources said.", ROCKETS) == []


def test_an_invented_name_is_refused() -> None:
    # The example: no "Iraqi government" anywhere in the evidence.
    found = problems(
        "The Iraqi government has been trying to make it difficult for US forces to operate.",
        ATTACK,
    )
    assert any("'Iraqi'" in p for p in found)
    assert names_in("Forces hit the Conoco base in Deir Ezzor.", ARTICLE) == [
        "Conoco",
        "Deir",
        "Ezzor",
    ]


def test_a_number_the_evidence_lacks_is_refused() -> None:
    found = problems("Thirty rockets hit the Conoco base.", ROCKETS)
    assert any("30 is not in its evidence" in p for p in found)


def test_filler_is_refused_by_coverage() -> None:
    filler = "The article is the source: [insert text here]."
    assert coverage(filler, [ATTACK]) < COVERAGE_THRESHOLD
    assert any("of its words are in its evidence" in p for p in problems(filler, ATTACK))


def test_loaded_terms_only_inside_a_quotation_copied_from_the_evidence() -> None:
    own_voice = problems("US occupation forces in Syria came under attack on Friday.", ATTACK)
    assert any("loaded term" in p and "occupation" in p for p in own_voice)
    quoted = problems('A spokesman said the attackers were "terrorists".', CALLED)
    assert quoted == []
    misquoted = problems('A spokesman said the attackers were "cowardly terrorists".', CALLED)
    assert any("which its evidence does not contain" in p for p in misquoted)
    unattributed = problems('The attackers were "terrorists".', CALLED)
    assert any("without saying who used it" in p for p in unattributed)


def test_headline_is_one_sentence_of_at_most_15_words() -> None:
    long = " ".join(["Rockets hit the Conoco base in Deir Ezzor"] * 2) + "."
    assert any(f"at most {HEADLINE_MAX_WORDS}" in p for p in problems(long, ROCKETS, headline=True))
    two = "Rockets hit the Conoco base. Sources said so."
    assert any("write one" in p for p in problems(two, ROCKETS, headline=True))
    assert problems("Rockets hit the Conoco base in Deir Ezzor", ROCKETS, headline=True) == []


def _sentence(text: str, *quotes: str) -> SummarySentence:
    return SummarySentence(text=text, evidence=[Evidence(quote=q) for q in quotes])


def test_grounding_drops_failing_sentences_and_lists_why() -> None:
    text = clean(ARTICLE.encode(), "a.txt").text
    summary = NeutralSummary(
        headline=_sentence("The Iraqi government condemned the attack", ATTACK),
        sentences=[
            _sentence("Three rockets hit the Conoco base in Deir Ezzor, sources said.", ROCKETS),
            _sentence("US occupation forces were attacked in Syria on Friday.", ATTACK),
        ],
    )
    grounded, dropped = ground_summary(summary, text)
    assert grounded.headline is None
    assert [s.text for s in grounded.sentences] == [summary.sentences[0].text]
    paths = {d.path for d in dropped}
    assert {"summary.headline", "summary.sentences[1]"} <= paths
    assert all(d.reason for d in dropped)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_the_offline_summary_meets_the_validator(seed: Path) -> None:
    result = summarize_raw(seed.read_bytes(), source=seed.name, settings=load_settings())
    assert result.provenance.backend == "offline"
    summary = result.summary
    checked = [(s, False) for s in summary.sentences]
    checked += [(summary.headline, True)] if summary.headline else []
    assert summary.sentences
    for sentence, headline in checked:
        quotes = [ev.quote for ev in sentence.evidence]
        found = sentence_problems(sentence.text, quotes, result.article.text, headline=headline)
        assert found == [], (sentence.text, found)


def test_an_untitled_text_whose_first_line_is_a_paragraph_gets_a_one_sentence_headline() -> None:
    # The first line is taken as the title; cut at 15 words it spanned two sentences
    # ('... police said. "We heard blasts,"'), which the validator itself refuses.
    raw = (
        "Soldiers attacked the base on Monday, killing two people, police said. "
        "\u201cWe heard blasts,\u201d a resident said.\n"
        "The army said it would investigate the incident in the suburbs on Tuesday.\n"
    )
    result = summarize_raw(raw.encode(), source="untitled.txt", settings=load_settings())
    headline = result.summary.headline
    assert headline is not None
    assert headline.text == "Soldiers attacked the base on Monday, killing two people, police said"
    quotes = [ev.quote for ev in headline.evidence]
    assert sentence_problems(headline.text, quotes, result.article.text, headline=True) == []
