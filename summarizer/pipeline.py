"""Article in, `ArticleResult` out: clean, extract, summarise, check, record provenance.

The pipeline is backend-agnostic: it asks the backend for incidents and a
summary, then enforces the one rule every backend must keep (every evidence
quote sits exactly at its offsets in the cleaned text) before anything ships.
"""

from __future__ import annotations

import time
from pathlib import Path

from summarizer.backends import get_backend
from summarizer.backends.base import Backend
from summarizer.clean import clean
from summarizer.config import Settings
from summarizer.errors import BackendError, InputError
from summarizer.grounding import offset_problems
from summarizer.records import Article, ArticleResult, Provenance


def read_input(path: str) -> tuple[bytes, str]:
    """Read a file path (or '-' for stdin) as bytes; return them with the path as given."""
    if path == "-":
        import sys

        return sys.stdin.buffer.read(), "-"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file: check the path")
    if p.is_dir():
        raise InputError(f"{path}: is a directory: pass one article file (batch takes folders)")
    try:
        return p.read_bytes(), path
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror}): check permissions") from None


def analyse(article: Article, backend: Backend) -> ArticleResult:
    """Run extraction and summary on a cleaned article and assemble the result."""
    started = time.perf_counter()
    extraction = backend.extract(article)
    summary = backend.summarize(article, extraction.value)
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
    article = clean(raw, name=source)
    own = backend is None
    active = backend or get_backend(settings)
    try:
        return analyse(article, active)
    finally:
        if own:
            active.close()
