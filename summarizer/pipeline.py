"""Article in, `ArticleResult` out: clean, extract, summarise, check, record provenance.

The pipeline is backend-agnostic: it asks the backend for incidents and a
summary, then enforces the one rule every backend must keep (every evidence
quote sits exactly at its offsets in the cleaned text) before anything ships.
"""

from __future__ import annotations

import time
from pathlib import Path

from summarizer.backends import get_backend
from summarizer.backends.base import Backend, Generation
from summarizer.clean import clean
from summarizer.config import Settings
from summarizer.errors import BackendError, InputError
from summarizer.grounding import offset_problems
from summarizer.language import detect_language, primary
from summarizer.records import (
    Article,
    ArticleResult,
    IncidentRecord,
    NeutralSummary,
    Provenance,
)


def read_input(path: str) -> tuple[bytes, str]:
    """Read a file path (or '-' for stdin) as bytes; return them with the path as given."""
    if path == "-":
        import sys

        return sys.stdin.buffer.read(), "-"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file: check the path")
    if p.is_dir():
        raise InputError(f"{path}: is a folder: pass one article file")
    try:
        return p.read_bytes(), path
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}): check permissions") from None


#: A line reads as running text with this many words, or fewer ending like a sentence.
_PROSE_WORDS = 8
_SENTENCE_WORDS = 4
_SENTENCE_END = tuple('.!?"”»。！？؟')
#: Letters on one line that count as running text in scripts written without spaces.
_PROSE_LETTERS = 25


def has_running_text(text: str) -> bool:
    """True when some line reads as a sentence rather than a menu item, link or label.

    Scripts written without spaces between words (Chinese, Japanese, Thai) count by letters.
    """
    for line in text.splitlines():
        words = len(line.split())
        if words >= _PROSE_WORDS or (
            words >= _SENTENCE_WORDS and line.rstrip().endswith(_SENTENCE_END)
        ):
            return True
        if words < _SENTENCE_WORDS and sum(ch.isalpha() for ch in line) >= _PROSE_LETTERS:
            return True
    return False


def require_article(article: Article) -> Article:
    """Refuse a page whose cleaned text is only menus, links or labels: nothing to summarise.

    `clean` keeps such lines when nothing better is left (it shows what it keeps); a
    summary of them would only describe page furniture.
    """
    if not has_running_text(article.text):
        first = article.text.splitlines()[0][:40] if article.text else ""
        raise InputError(
            "no article text left after cleaning: only short lines like menus and links "
            f"remained (first: {first!r}): pass the article's page or text"
        )
    return article


def analyse(article: Article, backend: Backend) -> ArticleResult:
    """Run extraction and summary on a cleaned article and assemble the result."""
    started = time.perf_counter()
    article = with_language(article)
    extraction = backend.extract(article)
    summary = backend.summarize(article, extraction.value)
    return _assemble(article, backend, extraction, summary, started)


async def aanalyse(article: Article, backend: Backend) -> ArticleResult:
    """Async `analyse`, for concurrent batches: the backend's async steps, same assembly."""
    started = time.perf_counter()
    article = with_language(article)
    extraction = await backend.aextract(article)
    summary = await backend.asummarize(article, extraction.value)
    return _assemble(article, backend, extraction, summary, started)


#: Text needed before its detected language overrules a page's lang="en": a short page's
#: reading is too weak to take its incidents away.
_OVERRULE_CHARS = 300


def with_language(article: Article) -> Article:
    """The article with its language read from the text when the cleaner found none, or when
    the page says English and its text reads otherwise: many site templates write
    `lang="en"` whatever the page's language, and the offline rules then read Spanish as
    English instead of saying they cannot read it."""
    if article.language is None:  # the cleaner found no lang attribute: read it from the text
        return article.model_copy(update={"language": detect_language(article.text)})
    if primary(article.language) == "en" and len(article.text) >= _OVERRULE_CHARS:
        found = detect_language(article.text)
        if found is not None and found != "en":
            return article.model_copy(update={"language": found})
    return article


def _assemble(
    article: Article,
    backend: Backend,
    extraction: Generation[list[IncidentRecord]],
    summary: Generation[NeutralSummary],
    started: float,
) -> ArticleResult:
    """Check the offset contract on both answers and build the result with its provenance."""
    usage = extraction.usage + summary.usage
    problems = offset_problems(article.text, extraction.value) + offset_problems(
        article.text, summary.value
    )
    if problems:
        # A backend bug, not a user error: refuse to ship ungrounded values.
        raise BackendError(
            f"backend {backend.name!r} returned {len(problems)} evidence quote(s) not found at "
            f"their offsets (first: {problems[0]}); this is a bug, please report it"
        )
    provenance = Provenance(
        backend=backend.name,
        model=backend.model,
        prompt_version=backend.prompt_version,
        cache_hit=usage.cache_hit,
        server=backend.server,
        tokens_in=usage.tokens_in,
        tokens_out=usage.tokens_out,
        cost_usd=usage.cost_usd,
        latency_s=round(usage.latency_s or (time.perf_counter() - started), 4),
        validation_retries=usage.validation_retries,
        transport_retries=usage.transport_retries,
        dropped=usage.dropped,
        notes=usage.notes,
    )
    return ArticleResult(
        article=article, incidents=extraction.value, summary=summary.value, provenance=provenance
    )


def summarize_raw(
    raw: bytes | str,
    *,
    source: str | None,
    settings: Settings,
    backend: Backend | None = None,
) -> ArticleResult:
    """Clean raw input and analyse it. Builds the backend from settings unless given one."""
    article = require_article(clean(raw, name=source))
    own = backend is None
    active = backend or get_backend(settings)
    try:
        return analyse(article, active)
    finally:
        if own:
            active.close()
