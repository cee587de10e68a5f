"""The CPU-bound jobs of a batch, run in worker processes: cleaning, and the offline backend.

Top-level functions with plain arguments, so a process pool can call them. The
offline backend is pure Python and CPU-bound: threads would share one core
under the GIL, processes use them all. Each worker builds its backend once.
"""

from __future__ import annotations

import os
import threading
import time
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


def watch_parent(pid: int) -> None:
    """Pool initializer: end this worker once the batch process `pid` is gone.

    A worker blocks on its call queue, whose write end it holds itself, so it never
    sees the batch die (kill -9): it and its forkserver would live on, orphaned.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # pragma: no cover - the pid was reused by another user
                os._exit(0)

    threading.Thread(target=watch, name="summarizer-watch-parent", daemon=True).start()


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


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned input, and its MinHash signature when the run deduplicates."""

    article: Article
    signature: bytes | None = None  # None: not asked for, or nothing to shingle


def clean_job(
    raw: bytes, label: str, meta: dict[str, str], sketch: bool = False
) -> Cleaned | Failure:
    """Clean one input; metadata given with a JSONL record overrides what the page says.

    The language and (with `sketch`) the dedup signature are computed here too: both
    are CPU work on the cleaned text, better done in a worker than in the event loop.
    """
    from summarizer.clean import clean
    from summarizer.pipeline import require_article, with_language

    try:
        article = with_language(require_article(clean(raw, name=label)))
    except Exception as exc:  # one bad input must never stop the batch
        return Failure(error_kind(exc), one_line(exc))
    signature = None
    if sketch:
        from summarizer.batch.dedup import sketch as signature_of_text

        signature = signature_of_text(article.text)
    return Cleaned(article.model_copy(update=meta) if meta else article, signature)


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
