"""Article language: detected when the cleaner found none; offline rules say they read English."""

from __future__ import annotations

from summarizer.config import load_settings
from summarizer.language import detect_language, primary
from summarizer.pipeline import summarize_raw

ARABIC = (
    "قال مسؤولون عسكريون إن هجوما بطائرة مسيرة استهدف قاعدة عسكرية في شمال شرق سوريا صباح اليوم. "
    "وأضافوا أن ثلاثة جنود قتلوا وأصيب خمسة آخرون في الهجوم، ولم تعلن أي جهة مسؤوليتها عنه.\n"
)
ENGLISH = (
    "A drone attack targeted a military base in northeastern Syria on Monday morning, military "
    "officials said. Three soldiers were killed and five were wounded in the attack.\n"
)


def test_detects_the_language_of_the_text() -> None:
    assert detect_language(ARABIC) == "ar"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("12 34 -- 56") is None  # too few letters to tell
    assert primary("en-US") == "en"
    assert primary(None) is None


def test_non_english_article_gets_no_invented_incidents_and_a_note() -> None:
    result = summarize_raw(ARABIC, source="ar.txt", settings=load_settings(backend="offline"))
    assert result.article.language == "ar"
    assert result.incidents == []
    assert any("read English only" in n and "LLM backend" in n for n in result.provenance.notes)


def test_english_article_keeps_its_incidents_and_no_language_note() -> None:
    result = summarize_raw(ENGLISH, source="en.txt", settings=load_settings(backend="offline"))
    assert result.article.language == "en"
    assert result.incidents
    assert not any("English only" in n for n in result.provenance.notes)
