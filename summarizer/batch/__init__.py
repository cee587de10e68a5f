"""Corpus processing on top of the pipeline: inputs, runner, sinks, dedup.

`run(inputs, settings, ...)` yields one `Outcome` per input as it finishes
(a notebook gets what the `batch` command gets); `arun` is the same as an
async generator. Pass `Options(out=Path("out.jsonl"))` to write OUT as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncGenerator, Iterable, Iterator
from typing import Any

from summarizer.batch.results import Outcome, Summary
from summarizer.batch.runner import Options, Runner
from summarizer.config import Settings

__all__ = ["Options", "Outcome", "Runner", "Summary", "arun", "run"]


async def arun(
    inputs: Iterable[str], settings: Settings, options: Options | None = None, **kwargs: Any
) -> AsyncGenerator[Outcome, None]:
    """Every input's Outcome as it finishes (async). `kwargs` are `Options` fields."""
    runner = Runner(inputs, settings, _options(options, kwargs))
    async for outcome in runner.outcomes():
        yield outcome


def run(
    inputs: Iterable[str], settings: Settings, options: Options | None = None, **kwargs: Any
) -> Iterator[Outcome]:
    """Sync `arun`: the run goes on in a background thread with its own event loop.

    Works from code that already runs a loop (a notebook). Leaving the loop early
    (break) stops the run; OUT then holds what finished, and a re-run resumes.
    """
    done = object()
    results: queue.Queue[Any] = queue.Queue(maxsize=64)
    stop = threading.Event()

    async def main() -> None:
        try:
            async with contextlib.aclosing(arun(inputs, settings, options, **kwargs)) as outcomes:
                async for outcome in outcomes:
                    if stop.is_set():
                        return
                    await asyncio.to_thread(results.put, outcome)  # waits for the reader
        except BaseException as exc:  # handed to the caller's thread
            results.put(exc)
        finally:
            results.put(done)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    try:
        while (item := results.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                results.get(timeout=0.1)
        thread.join()


def _options(options: Options | None, kwargs: dict[str, Any]) -> Options:
    if options is None:
        return Options(**kwargs)
    if kwargs:
        from dataclasses import replace

        return replace(options, **kwargs)
    return options
