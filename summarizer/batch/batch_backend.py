"""The live openai backend, answered from an OpenAI batch instead of the network.

`--openai-batch` must send exactly what the live path sends and judge every
answer exactly as the live path does. Rather than copying instructor's request
building, parsing, re-asking and our grounding, the live `OpenAIBackend` runs
unchanged over a transport that answers each chat-completions request from the
batch answers downloaded so far (keyed by `request_hash`, as replay is):

- an answered request gets its answer back, and the step goes on as live
  (validation, grounding, re-ask, cache, usage);
- a request nobody answered yet is kept (`BatchSession.pending`, with its exact
  body) and the step raises `Deferred`: the runner leaves that article for a
  later pass, after the next batch round has answered it. A re-ask is such a
  request too, so re-asks go out in the next round, bounded by
  SUMMARIZER_MAX_REASKS as live;
- a request the batch failed gets the batch's status and body back (a 400 reads
  as the live path's HTTP 400 line), or a one-line `BackendError` when the batch
  gave no response at all (expired, cancelled, failed).

The cache key, fingerprint and backend name are the live ones, so a later live
run is a cache hit, and `summarizer batch` without `--openai-batch` resumes OUT.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.backends.base import Generation
from summarizer.backends.llm import Attempt
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import Tally, _tally_response, http, request_hash
from summarizer.batch.results import Deferred
from summarizer.cache import CacheKey, canonical_json
from summarizer.config import Settings
from summarizer.errors import BackendError
from summarizer.pricing import Budget
from summarizer.prompts import Message, Prompt
from summarizer.records import Article

M = TypeVar("M", bound=BaseModel)

#: The Batch API bills half the live price for the same tokens.
BATCH_PRICE_FACTOR = 0.5
#: The one endpoint batch lines go to: the live path's chat completions.
ENDPOINT = "/v1/chat/completions"

#: The step being generated in this task: (doc_id, prompt name), for the request's custom_id.
_step: ContextVar[tuple[str, str] | None] = ContextVar("summarizer_batch_step", default=None)
#: Batch ids whose answers this step used (for its provenance note).
_used: ContextVar[set[str] | None] = ContextVar("summarizer_batch_used", default=None)


@dataclass(frozen=True, slots=True)
class LineFailure:
    """A request the batch did not answer with a 200: its status and body, or only a message."""

    message: str
    status: int | None = None
    body: Any = None


def upload_line(custom_id: str, body: dict[str, Any]) -> str:
    """One line of a Batch API input file: the chat-completions body the live path would send."""
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False) + "\n"


class Answers:
    """The batch answers (200s) downloaded so far, by request hash, in SQLite beside OUT.

    On disk, not in memory: a round of a large corpus is hundreds of MB of answers.
    Each download is committed in one transaction, so a crash mid-download leaves the
    answers of earlier downloads and the round is simply downloaded again.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path or ":memory:", isolation_level=None)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (hash TEXT PRIMARY KEY, batch_id TEXT, body TEXT)"
        )

    @classmethod
    def memory(cls) -> Answers:
        """An empty store that lives in memory (nothing to answer from)."""
        return cls(None)

    def __contains__(self, digest: str) -> bool:
        row = self._db.execute("SELECT 1 FROM answers WHERE hash = ?", (digest,)).fetchone()
        return row is not None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def get(self, digest: str) -> tuple[str, dict[str, Any]] | None:
        row = self._db.execute(
            "SELECT batch_id, body FROM answers WHERE hash = ?", (digest,)
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def add(self, rows: Iterable[tuple[str, str, dict[str, Any]]]) -> int:
        """Store (hash, batch_id, body) rows in one transaction; returns how many were new."""
        before = len(self)
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO answers VALUES (?, ?, ?)",
                ((digest, batch_id, json.dumps(body)) for digest, batch_id, body in rows),
            )
        return len(self) - before

    def close(self) -> None:
        self._db.close()

    def remove(self) -> None:
        """Close and delete the store (the run is complete, or starts over)."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


@dataclass
class BatchSession:
    """What every pass of one `--openai-batch` invocation shares."""

    answers: Answers
    #: Requests the batch failed, this invocation only (a re-run submits them again).
    failures: dict[str, LineFailure] = field(default_factory=dict)
    #: Requests a pass asked for that no round has answered yet: hash -> custom_id.
    pending: dict[str, str] = field(default_factory=dict)
    #: Where a pass writes those requests (the next round's upload), one JSONL line each.
    upload: Callable[[str], None] | None = None
    #: Cache keys written from batch answers by this invocation: re-read from the answers,
    #: not the cache, so the final result counts both steps' tokens as a live run does.
    written: set[str] = field(default_factory=set)
    #: Set when no more rounds may be asked for: why an unanswered request now fails.
    closing: str | None = None


class BatchTransport(http.AsyncBaseTransport):
    """Answers chat-completions requests from the batch answers; defers the rest."""

    def __init__(self, session: BatchSession) -> None:
        self.session = session

    async def handle_async_request(self, request: http.Request) -> http.Response:
        await request.aread()
        body = request.content
        digest = request_hash(body)
        session = self.session
        answer = session.answers.get(digest)
        if answer is not None:
            batch_id, data = answer
            used = _used.get()
            if used is not None:
                used.add(batch_id)
            return self._response(request, 200, data, tally=True)
        failure = session.failures.get(digest)
        if failure is not None:
            if failure.status is None:
                raise BackendError(failure.message)
            return self._response(request, failure.status, failure.body)
        if session.closing is not None:
            raise BackendError(f"{session.closing}: this is a bug, please report it")
        if digest not in session.pending:
            doc_id, step = _step.get() or ("unknown", "step")
            custom_id = session.pending[digest] = f"{doc_id[:16]}-{step}-{digest[:16]}"
            if session.upload is not None:
                session.upload(upload_line(custom_id, json.loads(body or b"{}")))
        raise Deferred("waiting for an OpenAI batch to answer this request")

    @staticmethod
    def _response(
        request: http.Request, status: int, data: Any, tally: bool = False
    ) -> http.Response:
        text = data if isinstance(data, str) else canonical_json(data)
        response = http.Response(
            status,
            headers={"content-type": "application/json"},
            content=text.encode("utf-8"),
            request=request,
        )
        if tally:
            from summarizer.backends.transport import current_tally

            _tally_response(current_tally.get(), response)
        return response


class BatchBackend(OpenAIBackend):
    """`OpenAIBackend` over `BatchTransport`: same requests, same judgement, batch answers."""

    def __init__(
        self, settings: Settings, session: BatchSession, budget: Budget | None = None
    ) -> None:
        # No transport retries (a batch line is answered once) and nothing recorded.
        super().__init__(settings.model_copy(update={"max_retries": 0, "record_dir": None}), budget)
        self.session = session
        # The Batch API is OpenAI's, which shows the model the tool schema: field guide
        # `auto` means none here (deciding it from a first answer would cost a round).
        if self._guide is None:
            self._guide = False

    def _transport(self) -> http.AsyncBaseTransport:
        return BatchTransport(self.session)

    def _cached(self, key: CacheKey, schema: type[M]) -> Generation[M] | None:
        if key.digest in self.session.written:
            return None  # ours from an earlier pass: re-read from the answers, tokens and all
        return super()._cached(key, schema)

    async def _astep(
        self, prompt: Prompt, schema: type[M], article: Article, variables: dict[str, str]
    ) -> Generation[M]:
        token = _step.set((article.doc_id, prompt.name))
        try:
            return await super()._astep(prompt, schema, article, variables)
        finally:
            _step.reset(token)

    async def _agenerate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        used: set[str] = set()
        token = _used.set(used)
        try:
            attempt = await super()._agenerate(schema, messages, text)
        finally:
            _used.reset(token)
        if used:
            attempt.notes.append(
                f"answered through the OpenAI Batch API ({', '.join(sorted(used))})"
            )
        return attempt

    def _finish(
        self, key: CacheKey, attempt: Attempt[M], tally: Tally, started: float, text: str
    ) -> Generation[M]:
        generation = super()._finish(key, attempt, tally, started, text)
        if self._cache is not None:
            self.session.written.add(key.digest)
        usage = generation.usage
        if usage.cost_usd:
            usage.cost_usd = round(usage.cost_usd * BATCH_PRICE_FACTOR, 6)
        return generation
