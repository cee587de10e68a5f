"""Which language an article is written in, from its text (lingua, a small language set).

The offline rules read English only, so a result must say when an article is in another
language instead of returning nothing silently. The cleaner fills `Article.language` from
an HTML page's `lang` attribute when there is one; plain text gets it from here.

Detection looks at a bounded sample of the text (the first few thousand characters), so
it costs the same for a 5 MB input as for a short one, and the detector is built once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from summarizer.lexicons import words

if TYPE_CHECKING:
    from lingua import LanguageDetector

_SAMPLE = 3000  # characters read: enough for a confident answer, bounded for long inputs
_MIN_LETTERS = 20  # fewer letters than this say too little to name a language

_NAMES = words("news_languages")  # a small set: fast, and no rare-language readings of English


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _NAMES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ('en', 'ar', ...), or None when it cannot tell."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    found = _detector().detect_language_of(sample)
    return None if found is None else found.iso_code_639_1.name.lower()


def primary(code: str | None) -> str | None:
    """The primary subtag of a language tag ('en-US' -> 'en'), lower-cased."""
    return code.replace("_", "-").split("-")[0].strip().lower() or None if code else None
