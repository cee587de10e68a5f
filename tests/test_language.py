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


def _page(lang: str, body: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.strip().split("\n"))
    return (
        f'<html lang="{lang}"><head><title>Noticia</title></head><body><article>'
        f"{paragraphs}</article></body></html>"
    )


SPANISH = (
    "Hombres armados atacaron una base militar en el norte del país el lunes por la mañana, "
    "según dijeron fuentes oficiales a la prensa local.\n"
    "Tres soldados murieron y otros cinco resultaron heridos en el ataque, que ningún grupo "
    "ha reivindicado hasta ahora, añadieron las autoridades.\n"
    "El gobierno anunció una investigación y reforzó la seguridad en la región durante la noche.\n"
)


def test_a_page_that_says_english_but_reads_spanish_is_spanish() -> None:
    # Site templates write lang="en" whatever the page's language: the offline rules then
    # read Spanish as English, without the note that they cannot.
    settings = load_settings(backend="offline")
    result = summarize_raw(_page("en", SPANISH), source="es.html", settings=settings)
    assert result.article.language == "es"
    assert result.incidents == []
    assert any("read English only" in n for n in result.provenance.notes)
    english = summarize_raw(_page("en-GB", ENGLISH * 3), source="en.html", settings=settings)
    assert primary(english.article.language) == "en" and english.incidents
    short = summarize_raw(_page("en", ENGLISH), source="short.html", settings=settings)
    assert short.article.language == "en"  # too short to overrule the page
