"""The CPU-bound jobs of a batch, run in worker processes: cleaning, and the offline backend.

Top-level functions with plain arguments, so a process pool can call them. The
offline backend is pure Python and CPU-bound: threads would share one core
under the GIL, processes use them all. Each worker builds its backend once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.errors import InputError, SummarizerError
from summarizer.records import Article

_BACKENDS: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that failed in a job: its error kind and the one-line message."""

    kind: str
    message: str


def error_kind(exc: BaseException) -> str:
    """A short, stable name for what went wrong (the errors file's `kind` column)."""
    from summarizer.errors import BackendError, BudgetError

    text = str(exc)
    kind = getattr(exc, "kind", None)  # a FetchError names its own (dns, timeout, http_4xx...)
    if isinstance(kind, str):
        return kind
    if isinstance(exc, InputError):
        for needle, kind in (
            ("input is empty", "empty"),
            ("looks binary", "binary"),
            ("text encoding", "undecodable"),
            ("MiB limit", "too_large"),
            ("no article text left", "no_text"),
        ):
            if needle in text:
                return kind
        return "input"
    if isinstance(exc, BudgetError):
        return "budget"
    if isinstance(exc, BackendError):
        return "llm"
    if isinstance(exc, SummarizerError):
        return "config"
    return "internal"


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, SummarizerError) else f"{type(exc).__name__}: {text}"


def clean_job(raw: bytes, label: str, meta: dict[str, str]) -> Article | Failure:
    """Clean one input; metadata given with a JSONL record overrides what the page says."""
    from summarizer.clean import clean
    from summarizer.pipeline import require_article, with_language

    try:  # the language too: detecting it is CPU work, better done here than in the event loop
        article = with_language(require_article(clean(raw, name=label)))
    except Exception as exc:  # one bad input must never stop the batch
        return Failure(error_kind(exc), one_line(exc))
    return article.model_copy(update=meta) if meta else article


def offline_job(settings_json: str, article: Article, finish: dict[str, Any]) -> str | Failure:
    """Run the offline backend on one article; return the finished result's JSON line."""
    from summarizer.batch.results import finish_result
    from summarizer.pipeline import analyse

    try:
        backend = _BACKENDS.get(settings_json)
        if backend is None:
            from summarizer.backends import get_backend
            from summarizer.config import Settings

            backend = _BACKENDS[settings_json] = get_backend(
                Settings.model_validate_json(settings_json)
            )
        result = analyse(article, backend)
        return finish_result(result, **finish).model_dump_json()
    except Exception as exc:
        return Failure(error_kind(exc), one_line(exc))
