"""`summarizer batch --openai-batch`: the corpus through the OpenAI Batch API, in rounds.

The live path asks two things per article, and the second depends on the
first (the summarize prompt lists the extracted incidents), so one batch cannot
hold both: a run goes in rounds. Each round is one pass of the ordinary batch
runner over the corpus with `BatchBackend` (the live openai backend answered
from the batch answers so far, see `batch_backend`), then one batch of the
requests that pass could not answer:

    pass 1: every uncached article asks for its extract       -> batch round 1
    pass 2: extracts answered (grounded, cached); summaries   -> batch round 2
    pass 3: everything answered: results written to OUT       -> done

An answer that fails validation or grounding is re-asked the way instructor
re-asks live: the re-ask is one more request for the next round, so re-asks
cost a round each, up to SUMMARIZER_MAX_REASKS, after which the last
schema-valid answer ships with its ungrounded values dropped (listed in
provenance), exactly as live. What the batch failed (a line error, an expired
or cancelled batch) becomes an errors-file row; nothing is lost, and running
the same command again submits what is left.

State lives next to OUT: `OUT.openai-batch.json` (rounds, file and batch ids,
statuses; written atomically before and after every remote step, never a key),
`OUT.openai-batch.answers.jsonl` (every 200 answer, appended on download) and
`OUT.openai-batch.N.jsonl` (round N's upload, until it is downloaded). Running
the same command after a crash picks the open batch up instead of submitting
again; `summarizer batch status OUT` and `summarizer batch cancel OUT` act on it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import request_hash, server_reason
from summarizer.batch.batch_backend import (
    BATCH_PRICE_FACTOR,
    ENDPOINT,
    Answers,
    BatchBackend,
    BatchSession,
    LineFailure,
)
from summarizer.batch.results import Outcome, Summary, fingerprint
from summarizer.batch.runner import Options, Runner
from summarizer.config import Settings
from summarizer.errors import BackendError, BudgetError, ConfigError, SummarizerError
from summarizer.outputs import atomic_file
from summarizer.pricing import CHARS_PER_TOKEN, EXPECTED_OUTPUT_TOKENS, cost, price_for

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
#: Line error codes that only say the batch ended first (expired, cancelled).
_UNANSWERED = frozenset({"batch_expired", "batch_cancelled"})
#: Longest wait between two polls, however long the batch takes.
MAX_POLL_S = 300.0
#: Passes without progress before giving up (each step: an answer, re-asks, a mode fallback).
MAX_ROUNDS = 16

Say = Callable[[str], None]


class Round(BaseModel):
    """One batch: what was uploaded, its ids and its last known status."""

    number: int
    requests: int
    file_id: str | None = None
    batch_id: str | None = None
    status: str = "prepared"
    counts: dict[str, int] = Field(default_factory=dict)
    downloaded: bool = False


class State(BaseModel):
    """`OUT.openai-batch.json`: enough to resume, show or cancel the run's batches."""

    version: int = 1
    fingerprint: str
    model: str
    cost_usd: float = 0.0
    rounds: list[Round] = Field(default_factory=list)

    def open_round(self) -> Round | None:
        """The round submitted (or being submitted) and not downloaded yet."""
        last = self.rounds[-1] if self.rounds else None
        return last if last is not None and not last.downloaded else None


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".openai-batch.json")


def answers_path(out: Path) -> Path:
    return out.with_name(out.name + ".openai-batch.answers.jsonl")


def upload_path(out: Path, number: int) -> Path:
    return out.with_name(f"{out.name}.openai-batch.{number}.jsonl")


def load_state(out: Path) -> State | None:
    path = state_path(out)
    if not path.exists():
        return None
    try:
        return State.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        raise ConfigError(
            f"{path} is not a batch state file this version can read: move it away to start over"
        ) from None


def save_state(out: Path, state: State) -> None:
    with atomic_file(state_path(out)) as fh:
        fh.write(state.model_dump_json(indent=2) + "\n")


def describe(batch: Any) -> str:
    """One progress line for a batch: status and request counts."""
    counts = batch.request_counts
    done = f", {counts.completed}/{counts.total} done, {counts.failed} failed" if counts else ""
    return f"OpenAI batch {batch.id}: {batch.status}{done}"


class Control:
    """The files and batches endpoints, through the live backend's client (retries, proxies).

    Every failure becomes one `BackendError` line that says what to do; the key is never
    part of it (the backend redacts, as for chat completions).
    """

    def __init__(self, settings: Settings) -> None:
        self.backend = OpenAIBackend(settings.model_copy(update={"record_dir": None}))
        self.server = self.backend.server

    async def __aenter__(self) -> Control:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.backend.aclose()

    async def _call(self, what: str, call: Callable[[Any], Awaitable[Any]]) -> Any:
        try:
            return await call(self.backend._state().client)
        except SummarizerError:
            raise
        except Exception as exc:
            raise self._explain(what, exc) from None

    def _explain(self, what: str, exc: Exception) -> BackendError:
        status = getattr(exc, "status_code", None)
        response = getattr(exc, "response", None)
        reason = server_reason(response) if response is not None and status else ""
        reason = " ".join((reason or str(exc)).split())[:300]
        host = self.server
        if status in (401, 403):
            fix = "check OPENAI_API_KEY (the key itself is never printed)"
        elif status in (404, 405):
            fix = (
                "this server has no Batch API (--openai-batch needs OpenAI's files and batches "
                "endpoints); run without --openai-batch"
            )
        elif status is None:
            fix = "is the server reachable? check --base-url / SUMMARIZER_BASE_URL"
        else:
            fix = "try again later; the state next to OUT lets the same command resume"
        code = f"HTTP {status}: " if status else ""
        return self.backend._error(f"{host} failed to {what} ({code}{reason}): {fix}")

    async def upload(self, path: Path) -> Any:
        data = path.read_bytes()
        return await self._call(
            "upload the batch file",
            lambda c: c.files.create(file=(path.name, data), purpose="batch"),
        )

    async def create(self, file_id: str, metadata: dict[str, str]) -> Any:
        return await self._call(
            "create the batch",
            lambda c: c.batches.create(
                input_file_id=file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata=metadata,
            ),
        )

    async def find(self, file_id: str) -> Any:
        """The batch made from `file_id`, if one was created (a crash before its id was saved)."""

        async def look(client: Any) -> Any:
            async for batch in client.batches.list(limit=100):
                if batch.input_file_id == file_id:
                    return batch
            return None

        return await self._call("list batches", look)

    async def retrieve(self, batch_id: str) -> Any:
        return await self._call(f"show batch {batch_id}", lambda c: c.batches.retrieve(batch_id))

    async def cancel(self, batch_id: str) -> Any:
        return await self._call(f"cancel batch {batch_id}", lambda c: c.batches.cancel(batch_id))

    async def content(self, file_id: str) -> list[dict[str, Any]]:
        response = await self._call(f"download file {file_id}", lambda c: c.files.content(file_id))
        text = response.content.decode("utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


class OpenAIBatchRun:
    """One `--openai-batch` invocation: rounds of (runner pass, batch) until nothing is pending."""

    def __init__(
        self,
        inputs: list[str],
        settings: Settings,
        options: Options,
        *,
        poll_interval: float = 30.0,
        say: Say | None = None,
    ) -> None:
        if options.out is None:
            raise ConfigError("--openai-batch needs -o OUT: its state is kept next to OUT")
        self.out: Path = options.out
        self.inputs = inputs
        self.settings = settings
        self.options = options
        self.poll_interval = poll_interval
        self.say: Say = say or (lambda _line: None)
        self.session = BatchSession(Answers(answers_path(self.out)))
        # Budget is checked here, per upload; passes only parse answers (no live request).
        self._pass_settings = settings.model_copy(update={"max_cost_usd": None})
        self.summary = Summary()
        self._finished: set[str] = set()
        self._control: Control | None = None

    # ------------------------------------------------------------------ the run

    async def arun(self) -> Summary:
        started = time.perf_counter()
        try:
            async with Control(self.settings) as self._control:
                return await self._rounds()
        finally:
            self._control = None
            self.summary.elapsed_s = time.perf_counter() - started

    async def _rounds(self) -> Summary:
        state = self._state()
        if self.options.force and state.open_round() is None:
            self.session.answers.path.unlink(missing_ok=True)
            self.session.answers = Answers(self.session.answers.path)
        open_round = state.open_round()
        if open_round is not None:
            await self._complete(state, open_round)
        for number in range(1, MAX_ROUNDS + 1):
            final = await self._pass(len(state.rounds) + 1, first=number == 1)
            if final:
                self._tidy(state)
                return self.summary
            await self._submit(state)
            await self._complete(state, state.rounds[-1])
        raise BackendError(
            f"--openai-batch: still waiting on answers after {MAX_ROUNDS} rounds; this is a "
            "bug, please report it"
        )

    def _state(self) -> State:
        probe = BatchBackend(self._pass_settings, self.session)
        mark = fingerprint(probe, self.options.extra)
        probe.close()
        state = load_state(self.out)
        if state is not None and state.fingerprint != mark and state.open_round() is not None:
            raise ConfigError(
                f"{state_path(self.out)} holds an open batch made with other settings (model "
                f"{state.model}): run with those settings to finish it, or `summarizer batch "
                f"cancel {self.out}` first"
            )
        if state is None or state.fingerprint != mark:
            state = State(fingerprint=mark, model=probe.model)
            self.session.answers.path.unlink(missing_ok=True)
            self.session.answers = Answers(self.session.answers.path)
            save_state(self.out, state)
        return state

    async def _pass(self, number: int, *, first: bool) -> bool:
        """One runner pass; True when no request was left for a batch (OUT is final)."""
        session = self.session
        session.pending.clear()
        path = upload_path(self.out, number)
        backend = BatchBackend(self._pass_settings, session)
        held: list[Outcome] = []
        with path.open("w", encoding="utf-8") as upload:
            session.upload = upload

            def progress(outcome: Outcome, _summary: Summary) -> None:
                self._seen(outcome, held, first)

            options = replace(
                self.options,
                concurrency=max(64, self.options.concurrency),
                rpm=None,
                tpm=None,
                on_progress=progress,
                force=self.options.force and first,
            )
            runner = Runner(self.inputs, self._pass_settings, options, backend=backend)
            try:
                async for _ in runner.outcomes():
                    pass
            finally:
                session.upload = None
                await backend.aclose()
        if session.pending:
            return False
        path.unlink(missing_ok=True)
        for outcome in held:  # the final pass: its failures and duplicates are the run's
            self._forward(outcome)
        self.summary.output = runner.summary.output
        self.summary.errors_file = runner.summary.errors_file
        return True

    def _seen(self, outcome: Outcome, held: list[Outcome], first: bool) -> None:
        """Route a pass's outcome: results count at once, failures only from the final pass."""
        if outcome.status == "ok":
            if outcome.doc_id:
                self._finished.add(outcome.doc_id)
            self._forward(outcome)
        elif outcome.status == "skipped":
            if first:  # later passes skip what earlier passes finished
                self._forward(outcome)
        elif outcome.status != "deferred":
            held.append(replace(outcome, line=None))

    def _forward(self, outcome: Outcome) -> None:
        self.summary.add(outcome)
        if self.options.on_progress is not None:
            self.options.on_progress(outcome, self.summary)

    # ------------------------------------------------------------------ rounds

    def _check_budget(self, state: State, requests: int, chars: int, first: bool) -> None:
        limit = self.settings.max_cost_usd
        if limit is None:
            return
        price = price_for(self.settings, self.control.server)
        tokens_out = requests * EXPECTED_OUTPUT_TOKENS // 2
        planned = cost(price, chars // CHARS_PER_TOKEN, tokens_out)
        if planned is None:
            raise BudgetError(
                f"--max-cost is set but model {self.settings.model!r} has no known price: add it "
                "to SUMMARIZER_PRICES (USD per 1M tokens in/out)"
            )
        # The first round asks for extracts only; the summaries follow in the next round.
        planned *= BATCH_PRICE_FACTOR * (2 if first else 1)
        if state.cost_usd + planned > limit:
            raise BudgetError(
                f"estimated cost ${state.cost_usd + planned:.4f} for {requests} batch requests "
                f"exceeds --max-cost ${limit:.4f} (nothing was submitted): raise the limit, use "
                "a cheaper --model, or the offline backend"
            )

    async def _submit(self, state: State) -> None:
        number = len(state.rounds) + 1
        requests = len(self.session.pending)
        chars = upload_path(self.out, number).stat().st_size
        self._check_budget(state, requests, chars, first=number == 1)
        state.rounds.append(Round(number=number, requests=requests))
        save_state(self.out, state)

    async def _complete(self, state: State, round_: Round) -> None:
        """Upload, create, poll and download one round, saving the state after each step."""
        control = self.control
        path = upload_path(self.out, round_.number)
        if round_.batch_id is None and round_.file_id is not None:
            found = await control.find(round_.file_id)  # created, then crashed before saving?
            if found is not None:
                round_.batch_id, round_.status = found.id, found.status
                save_state(self.out, state)
        if round_.batch_id is None:
            if round_.file_id is None:
                if not path.exists():  # crashed before the upload was written: redo the pass
                    state.rounds.remove(round_)
                    save_state(self.out, state)
                    return
                round_.file_id = (await control.upload(path)).id
                save_state(self.out, state)
            metadata = {"summarizer_out": self.out.name[:500], "round": str(round_.number)}
            batch = await control.create(round_.file_id, metadata)
            round_.batch_id, round_.status = batch.id, batch.status
            save_state(self.out, state)
            self.say(f"round {round_.number}: submitted {round_.requests} requests as {batch.id}")
        batch = await self._wait(state, round_)
        await self._download(state, round_, batch, path)
        round_.downloaded = True
        save_state(self.out, state)
        path.unlink(missing_ok=True)

    async def _wait(self, state: State, round_: Round) -> Any:
        """Poll until the batch ends, backing off from --poll-interval up to MAX_POLL_S."""
        assert round_.batch_id is not None
        delay = self.poll_interval
        last = ""
        while True:
            batch = await self.control.retrieve(round_.batch_id)
            counts = batch.request_counts
            round_.status = batch.status
            if counts is not None:
                round_.counts = {
                    "total": counts.total,
                    "completed": counts.completed,
                    "failed": counts.failed,
                }
            line = describe(batch)
            if line != last:
                save_state(self.out, state)
                self.say(f"round {round_.number}: {line}")
                last = line
            if batch.status in TERMINAL:
                return batch
            await asyncio.sleep(delay)
            delay = min(max(delay * 1.5, self.poll_interval), max(MAX_POLL_S, self.poll_interval))

    async def _download(self, state: State, round_: Round, batch: Any, path: Path) -> None:
        """Answers into the answers file; failed and unanswered requests into `failures`."""
        ids: dict[str, str] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                ids[row["custom_id"]] = request_hash(json.dumps(row["body"]).encode("utf-8"))
        rows: list[dict[str, Any]] = []
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                rows += await self.control.content(file_id)
        answered: list[tuple[str, str, dict[str, Any]]] = []
        failures = self.session.failures
        price = price_for(self.settings, self.control.server)
        for row in rows:
            digest = ids.get(str(row.get("custom_id")))
            if digest is None:
                continue
            response = row.get("response") or {}
            status, body = response.get("status_code"), response.get("body")
            if status == 200 and isinstance(body, dict) and body.get("choices"):
                answered.append((digest, batch.id, body))
                usage = body.get("usage") or {}
                spent = cost(
                    price, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
                )
                state.cost_usd += (spent or 0.0) * BATCH_PRICE_FACTOR
                continue
            error = row.get("error") or (body or {}).get("error") or {}
            if error.get("code") in _UNANSWERED:
                continue  # said below, with the batch's own status
            reason = " ".join(str(error.get("message") or error.get("code") or "no reason").split())
            message = f"OpenAI batch {batch.id} failed this request: {reason[:300]}"
            if isinstance(status, int) and status != 200 and isinstance(body, dict):
                failures[digest] = LineFailure(message, status, body)
            else:
                failures[digest] = LineFailure(message)
        self.session.answers.add(iter(answered))
        why = batch.status
        if batch.status == "failed" and batch.errors and batch.errors.data:
            first = batch.errors.data[0]
            why = f"failed: {' '.join(str(first.message or first.code).split())[:300]}"
        for digest in ids.values():
            if digest not in self.session.answers and digest not in failures:
                failures[digest] = LineFailure(
                    f"OpenAI batch {batch.id} ended ({why}) before answering this request: run "
                    "the same command again to submit what is left"
                )
        self.say(
            f"round {round_.number}: {len(answered)} answers, "
            f"{len(ids) - len(answered)} without one"
        )

    def _tidy(self, state: State) -> None:
        """The run is complete: answers and uploads are no longer needed (the state stays)."""
        self.session.answers.path.unlink(missing_ok=True)
        for round_ in state.rounds:
            upload_path(self.out, round_.number).unlink(missing_ok=True)

    @property
    def control(self) -> Control:
        assert self._control is not None, "only while arun() runs"
        return self._control


# ---------------------------------------------------------------------- status and cancel


async def astatus(out: Path, settings: Settings) -> list[str]:
    """Lines describing OUT's batches: each round, and the open one as the server sees it now."""
    state = load_state(out)
    if state is None:
        raise ConfigError(
            f"no OpenAI batch for {out} ({state_path(out)} does not exist): start one with "
            f"`summarizer batch INPUT... -o {out} --openai-batch`"
        )
    lines = [
        f"{out}: model {state.model}, {len(state.rounds)} round(s), ${state.cost_usd:.4f} spent"
    ]
    open_round = state.open_round()
    for round_ in state.rounds:
        where = f"round {round_.number}: {round_.requests} requests, "
        if round_ is open_round and round_.batch_id is not None:
            async with Control(settings) as control:
                batch = await control.retrieve(round_.batch_id)
            lines.append(where + describe(batch) + " (open: run the same batch command to finish)")
        else:
            done = " (downloaded)" if round_.downloaded else " (not submitted yet)"
            lines.append(where + f"{round_.batch_id or 'no batch'} {round_.status}{done}")
    return lines


async def acancel(out: Path, settings: Settings) -> str:
    """Cancel OUT's open batch; re-running the batch command then keeps what it answered."""
    state = load_state(out)
    round_ = state.open_round() if state is not None else None
    if state is None or round_ is None or round_.batch_id is None:
        raise ConfigError(
            f"{out} has no open OpenAI batch to cancel (see `summarizer batch status {out}`)"
        )
    async with Control(settings) as control:
        batch = await control.cancel(round_.batch_id)
    round_.status = batch.status
    save_state(out, state)
    return (
        f"{describe(batch)}: run the same batch command to keep what it answered; the rest "
        "become errors-file rows"
    )
