"""The batch runner: a corpus in, one result (or one error row) per article out, streamed.

Stages, each bounded so memory stays flat whatever the corpus size:

1. inputs are expanded lazily and read in order; `doc_id` = sha256 of the raw
   bytes; what OUT already holds under this run's settings is skipped here,
   before any cleaning (a finished corpus re-runs at file-hashing speed);
2. cleaning runs in a process pool (CPU-bound), a bounded window ahead, and
   its results are taken back in input order, so near-duplicate decisions
   (MinHash LSH) are the same in every run and after every resume;
3. analysis: LLM backends run as async tasks sharing one backend, one budget
   and one set of request limits (a slot is taken only on a cache miss);
   the offline backend runs in the process pool;
4. results are appended to the journal as they finish and yielded.

Plug-in points for what other parts add: a `Source` may be a URL (`fetch`),
a near-duplicate may be derived from its original instead of analysed
(`derive`; by default reposts are derived from this run's originals, see
`batch.derive`), and the analysis step may be replaced wholesale (`analyse`, e.g.
a provider batch API).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import sqlite3
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from summarizer.backends import get_backend
from summarizer.backends.base import Backend
from summarizer.backends.limits import RequestLimits
from summarizer.backends.llm import LLMBackend
from summarizer.batch import outlock, sinks
from summarizer.batch.derive import Originals, not_derived
from summarizer.batch.docids import DocIds
from summarizer.batch.inputs import Problem, Source, TooLarge, expand
from summarizer.batch.results import Deferred, Outcome, Summary, fingerprint, finish_result
from summarizer.batch.work import (
    Cleaned,
    Failure,
    clean_job,
    error_kind,
    offline_job,
    one_line,
    watch_parent,
)
from summarizer.config import Settings
from summarizer.errors import OutputError
from summarizer.pricing import Budget, check_budget_total
from summarizer.records import Article, ArticleResult

if TYPE_CHECKING:
    from summarizer.fetch import Fetcher

Fetch = Callable[[Source], Awaitable[bytes]]
Derive = Callable[[Article, str, float], Awaitable[ArticleResult | None]]
Analyse = Callable[[Article], Awaitable[ArticleResult]]


def cores() -> int:
    """CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Options:
    """How a batch runs (the CLI's options; every field has a sensible default)."""

    out: Path | None = None  # None: results are only yielded
    format: str | None = None  # jsonl | json | csv | parquet (default: OUT's extension)
    glob: str | None = None  # file-name pattern for folder inputs
    concurrency: int = 8  # LLM requests in flight
    rpm: float | None = None
    tpm: float | None = None
    processes: int | None = None  # worker processes (cleaning, offline); None = cores, 0 = inline
    force: bool = False  # redo everything OUT holds
    dedup: bool = True  # link near-duplicates (MinHash LSH over the cleaned text)
    reproducible: bool = False  # timings written as 0, for byte-for-byte comparisons
    stdin: IO[str] | None = None
    fetch: Fetch | None = None  # URLs: replaces the default httpx fetcher (summarizer.fetch)
    derive: Derive | None = None  # near-duplicates: derive from the original instead
    analyse: Analyse | None = None  # replaces live analysis (e.g. a provider batch API)
    budget: Budget | None = None
    on_progress: Callable[[Outcome, Summary], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # more fingerprint inputs


class _Dedup:
    """The near-duplicate index of a run, in `OUT.dedup` (SQLite; a temporary file without OUT).

    Decisions are taken in input order and committed before the article is analysed;
    a resumed run finds them in the file, so a repost is linked to the same original
    whether or not the run was interrupted. Nothing of it is held in memory.
    """

    def __init__(self, path: Path | None, force: bool) -> None:
        from summarizer.batch.dedup import DuplicateIndex

        self._temp: Path | None = None
        if path is None:
            fd, name = tempfile.mkstemp(prefix="summarizer-dedup-", suffix=".sqlite")
            os.close(fd)
            path = self._temp = Path(name)
        elif force:
            for part in ("", "-wal", "-shm"):
                path.with_name(path.name + part).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.index = DuplicateIndex(keep_shingles=False, path=path)
        except sqlite3.DatabaseError:
            raise OutputError(
                f"{path} is not a dedup index this version can read (an older run's?): "
                "re-run with --force, or delete it"
            ) from None

    def decide(self, doc_id: str, signature: bytes | None) -> tuple[str | None, float | None]:
        decided = self.index.decision(doc_id)
        if decided is not None:
            return decided
        match = self.index.add_signature(doc_id, signature)
        return (match.key, match.similarity) if match else (None, None)

    def close(self) -> None:
        self.index.close()
        if self._temp is not None:
            for part in ("", "-wal", "-shm"):
                Path(f"{self._temp}{part}").unlink(missing_ok=True)


class Runner:
    """One batch run. Use `outcomes()` (async) or the module-level `run` / `arun`."""

    def __init__(
        self,
        inputs: Iterable[str],
        settings: Settings,
        options: Options | None = None,
        backend: Backend | None = None,
    ) -> None:
        self.inputs = list(inputs)
        self.settings = settings
        self.options = options or Options()
        self.summary = Summary()
        self._own_backend = backend is None
        self.backend = backend or get_backend(settings)
        if isinstance(self.backend, LLMBackend):
            if self.options.budget is not None:
                self.backend.budget = self.options.budget
            self.backend.limits = RequestLimits(
                self.options.concurrency, self.options.rpm, self.options.tpm
            )
        self.offline = self.backend.name == "offline" and self.options.analyse is None
        self.fingerprint = fingerprint(self.backend, self.options.extra)
        self._finish = {"fingerprint": self.fingerprint, "reproducible": self.options.reproducible}
        self._seen = DocIds()  # this run's doc_ids (byte-identical copies are skipped)
        self._done = DocIds()  # what OUT already holds (resume)
        self.format: str | None = None
        self.journal: sinks.Journal | None = None
        self.errors: sinks.ErrorLog | None = None
        self._dedup: _Dedup | None = None
        self._originals: Originals | None = None  # reposts derive from these (LLM backends)
        self._dedup_path: Path | None = None
        self._journal_path: Path | None = None
        self._pool: Executor | None = None
        self._fetcher: Fetcher | None = None
        self._settings_json = settings.model_dump_json() if self.offline else ""

    # ------------------------------------------------------------------ setup and teardown

    def _open(self) -> None:
        out = self.options.out
        if out is not None:
            self.format = sinks.output_format(out, self.options.format)
            journal = self._journal_path = sinks.journal_path(out, self.format)
            self._done, _removed = sinks.resume(journal, self.fingerprint, force=self.options.force)
            self.journal = sinks.Journal(journal)
            self.errors = sinks.ErrorLog(sinks.errors_path(out))
            self.summary.output = str(out)
            self.summary.errors_file = str(self.errors.path)
        if self.options.dedup:  # the index is built on first use: a pure resume needs none
            self._dedup_path = out.with_name(out.name + ".dedup") if out is not None else None
        processes = cores() if self.options.processes is None else self.options.processes
        if processes > 0:
            import multiprocessing

            # forkserver: workers start from a clean process, never a fork of our threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["summarizer.batch.work", "summarizer.clean"])
            self._pool = ProcessPoolExecutor(
                processes, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)
            )

    async def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        for part in (self.journal, self.errors, self._dedup):
            if part is not None:
                part.close()
        if self._fetcher is not None:
            await self._fetcher.aclose()
        if self._own_backend:
            await self.backend.aclose()

    # ------------------------------------------------------------------ the run

    async def outcomes(self) -> AsyncIterator[Outcome]:
        """Every input's Outcome, as it finishes; OUT (if any) is complete when this ends."""
        started = time.perf_counter()
        out = self.options.out
        with outlock.hold(out) if out is not None else contextlib.nullcontext():
            self._open()
            queue: asyncio.Queue[Outcome | None] = asyncio.Queue(maxsize=256)
            producer = asyncio.create_task(self._produce(queue))
            try:
                while True:
                    outcome = await queue.get()
                    if outcome is None:
                        break
                    self._record(outcome)
                    yield outcome
                await producer  # re-raises a setup error (e.g. the whole-run budget)
                if self.options.out is not None and self.format is not None:
                    assert self.journal is not None
                    self.journal.close()
                    sinks.finish(self.options.out, self.format)
            finally:
                producer.cancel()
                await asyncio.gather(producer, return_exceptions=True)
                self.summary.elapsed_s = time.perf_counter() - started
                await self._close()

    def _record(self, outcome: Outcome) -> None:
        if outcome.status == "ok" and self.journal is not None and outcome.line:
            self.journal.write(outcome.line)
        elif outcome.status == "failed" and self.errors is not None:
            self.errors.write(
                outcome.source, outcome.doc_id, outcome.kind or "", outcome.message or ""
            )
        self.summary.add(outcome)
        if self.options.on_progress is not None:
            self.options.on_progress(outcome, self.summary)

    async def _produce(self, queue: asyncio.Queue[Outcome | None]) -> None:
        try:
            await self._check_whole_run()
            await self._pipeline(queue)
        finally:
            await queue.put(None)

    async def _check_whole_run(self) -> None:
        """Refuse a run whose estimated cost exceeds --max-cost before any request is sent.

        Needs the cleaned lengths, so the inputs still to do are cleaned once up front
        (only their lengths are kept); runs without --max-cost skip this pass.
        """
        backend = self.backend
        if self.settings.max_cost_usd is None or not isinstance(backend, LLMBackend):
            return
        chars = articles = urls = 0
        for item in self._sources():
            if isinstance(item, Problem):
                continue
            if item.url is not None:  # fetching twice to estimate is not polite: the per-request
                urls += 1  # reservations still hold them to --max-cost
                continue
            try:
                raw = item.read()
            except (OSError, TooLarge):
                continue
            if hashlib.sha256(raw).hexdigest() in self._done:
                continue
            cleaned = await self._cpu(clean_job, raw, item.label, item.meta)
            if isinstance(cleaned, Cleaned):
                chars += len(cleaned.article.text)
                articles += 1
        spent = backend.budget.spent + backend.budget.reserved
        check_budget_total(self.settings, backend.server, chars, articles, spent, not_counted=urls)

    def _sources(self) -> Iterator[Problem | Source]:
        return expand(self.inputs, glob=self.options.glob, stdin=self.options.stdin)

    async def _cpu(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._pool is None:
            return fn(*args)
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def _pipeline(self, queue: asyncio.Queue[Outcome | None]) -> None:
        workers = self.options.processes if self.options.processes is not None else cores()
        window_size = max(4, 4 * max(1, workers))
        in_flight = max(64, 4 * self.options.concurrency) if not self.offline else 2 * window_size
        slots = asyncio.Semaphore(in_flight)
        window: deque[tuple[Source, str, asyncio.Future[Any]]] = deque()
        tasks: set[asyncio.Task[None]] = set()

        async def emit(outcome: Outcome) -> None:
            await queue.put(outcome)

        async def analyse_and_emit(
            article: Article, source: Source, doc_id: str, link: str | None, sim: float | None
        ) -> None:
            try:  # the slot is given back once the outcome is queued: backpressure
                await emit(await self._analyse(article, source, doc_id, link, sim))
            finally:
                slots.release()

        async def pop() -> None:
            source, doc_id, future = window.popleft()
            done = await future
            if isinstance(done, Failure):
                kind, message = done.kind, done.message
                await emit(Outcome(source.label, "failed", doc_id, kind=kind, message=message))
                return
            cleaned = done.article
            link: str | None = None
            similarity: float | None = None
            if self.options.dedup:
                if self._dedup is None:
                    self._dedup = _Dedup(self._dedup_path, self.options.force)
                link, similarity = self._dedup.decide(doc_id, done.signature)
                if not self.offline and self.options.derive is None:
                    if self._originals is None:
                        self._originals = Originals(stored=self._stored)
                    # before its reposts are scheduled; a repost can be another's original
                    self._originals.expect(doc_id)
            await slots.acquire()
            task = asyncio.create_task(analyse_and_emit(cleaned, source, doc_id, link, similarity))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        for item in self._sources():
            if isinstance(item, Problem):
                await emit(Outcome(item.label, "failed", kind=item.kind, message=item.message))
                continue
            raw = await self._read(item, emit)
            if raw is None:
                continue
            doc_id = hashlib.sha256(raw).hexdigest()
            if doc_id in self._done:
                await emit(Outcome(item.label, "skipped", doc_id))
                continue
            if doc_id in self._seen:
                await emit(
                    Outcome(item.label, "duplicate", doc_id, duplicate_of=doc_id, similarity=1.0)
                )
                continue
            self._seen.add(doc_id)
            job = (clean_job, raw, item.label, item.meta, self.options.dedup)
            future = asyncio.ensure_future(self._cpu(*job))
            window.append((item, doc_id, future))
            while window and (len(window) >= window_size or window[0][2].done()):
                await pop()
        while window:
            await pop()
        while tasks:
            await asyncio.gather(*list(tasks), return_exceptions=True)

    def _stored(self, doc_id: str) -> ArticleResult | None:
        """An original's result that an earlier run wrote to OUT's journal (resume)."""
        offset = self._done.get(doc_id)
        if offset is None or self._journal_path is None:
            return None
        line = sinks.stored_line(self._journal_path, offset)
        try:
            return ArticleResult.model_validate_json(line) if line else None
        except ValueError:
            return None

    async def _fetch(self, item: Source) -> bytes:
        """The default fetcher: one httpx client and per-host limits for the whole run."""
        from summarizer.fetch import Fetcher

        if self._fetcher is None:
            self._fetcher = Fetcher()
        assert item.url is not None
        page = await self._fetcher.fetch(item.url)
        item.meta.setdefault("url", page.url)
        return page.content

    async def _read(self, item: Source, emit: Callable[[Outcome], Awaitable[None]]) -> bytes | None:
        try:
            if item.url is not None:
                return await (self.options.fetch or self._fetch)(item)
            return item.read()
        except TooLarge as exc:
            await emit(Outcome(item.label, "failed", kind="too_large", message=str(exc)))
        except OSError as exc:
            message = (
                f"{item.label}: cannot read ({exc.strerror or exc}): check the path and permissions"
            )
            await emit(Outcome(item.label, "failed", kind="read", message=message))
        except Exception as exc:
            await emit(Outcome(item.label, "failed", kind=error_kind(exc), message=one_line(exc)))
        return None

    async def _analyse(
        self,
        article: Article,
        source: Source,
        doc_id: str,
        link: str | None,
        similarity: float | None,
    ) -> Outcome:
        dup = {"doc_id": link, "similarity": similarity, "method": "minhash"} if link else None
        extra: dict[str, Any] = {"duplicate_of": link, "similarity": similarity}
        try:
            if self.offline:
                line = await self._cpu(
                    offline_job,
                    self._settings_json,
                    article,
                    {**self._finish, "duplicate_of": dup, "doc_id": doc_id},
                )
                if isinstance(line, Failure):
                    return Outcome(
                        source.label,
                        "failed",
                        doc_id,
                        kind=line.kind,
                        message=line.message,
                        **extra,
                    )
                return Outcome.from_line(source.label, line, **extra)
            result = None
            derive = self.options.derive or (self._originals.derive if self._originals else None)
            try:
                if link is not None and derive is not None:
                    result = await derive(article, link, similarity or 0.0)
                if result is None:
                    analyse = self.options.analyse
                    result = await (
                        analyse(article) if analyse else _aanalyse(article, self.backend)
                    )
                    if link is not None:
                        result = not_derived(result, link)
            except Deferred:  # its reposts wait for it too, without requests of their own
                if self._originals is not None:
                    self._originals.defer(doc_id)
                raise
            finally:  # its own reposts (later in the input) derive from it, or analyse themselves
                if self._originals is not None:
                    self._originals.settle(doc_id, result)
            finished = finish_result(
                result,
                fingerprint=self.fingerprint,
                doc_id=doc_id,
                reproducible=self.options.reproducible,
                duplicate_of=dup,
            )
            return Outcome.from_line(source.label, finished.model_dump_json(), **extra)
        except asyncio.CancelledError:
            raise
        except Deferred:  # a provider batch holds its request: a later pass finishes it
            return Outcome(source.label, "deferred", doc_id, **extra)
        except Exception as exc:
            return Outcome(
                source.label, "failed", doc_id, kind=error_kind(exc), message=one_line(exc), **extra
            )


async def _aanalyse(article: Article, backend: Backend) -> ArticleResult:
    from summarizer.pipeline import aanalyse

    return await aanalyse(article, backend)
