"""`summarizer batch --openai-batch`: the corpus through the OpenAI Batch API, in rounds.

The live path asks two things per article, and the second depends on the
first (the summarize prompt lists the extracted incidents), so one batch cannot
hold both: a run goes in rounds. Each round is one pass of the ordinary batch
runner over the corpus with `BatchBackend` (the live openai backend answered
from the batch answers so far, see `batch_backend`), then one batch (or a few,
under the per-batch limits) of the requests that pass could not answer:

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

What is kept next to OUT, and why, is in `batch_state`. Running the same
command after a crash picks the open batches up instead of submitting again;
`summarizer batch status OUT` and `summarizer batch cancel OUT` act on them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import request_hash, server_reason
from summarizer.batch import outlock
from summarizer.batch.batch_backend import (
    BATCH_PRICE_FACTOR,
    ENDPOINT,
    Answers,
    BatchBackend,
    BatchSession,
    LineFailure,
)
from summarizer.batch.batch_state import (
    Part,
    Round,
    State,
    Uploads,
    answers_path,
    load_state,
    save_state,
    state_path,
    upload_path,
)
from summarizer.batch.results import Outcome, Summary, fingerprint
from summarizer.batch.runner import Options, Runner
from summarizer.config import Settings
from summarizer.errors import BackendError, BudgetError, ConfigError, SummarizerError
from summarizer.pricing import CHARS_PER_TOKEN, EXPECTED_OUTPUT_TOKENS, cost, price_for

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
#: Line error codes that only say the batch ended first (expired, cancelled).
_UNANSWERED = frozenset({"batch_expired", "batch_cancelled"})
#: Longest wait between two polls, however long the batch takes.
MAX_POLL_S = 300.0
#: Rounds a step may need besides its re-asks: the first ask, two mode fallbacks, the guide.
ROUNDS_PER_STEP = 4

Say = Callable[[str], None]

__all__ = [
    "Control",
    "OpenAIBatchRun",
    "acancel",
    "astatus",
    "load_state",
    "open_parts",
    "require_state",
]


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
        return self.backend._error(f"{self.server} failed to {what} ({code}{reason}): {fix}")

    async def upload(self, path: Path) -> Any:
        async def send(client: Any) -> Any:
            with path.open("rb") as fh:
                return await client.files.create(file=(path.name, fh), purpose="batch")

        return await self._call("upload the batch file", send)

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

    async def lines(self, file_id: str) -> AsyncIterator[dict[str, Any]]:
        """A result file's rows, streamed (an output file can be hundreds of MB)."""
        backend = self.backend
        try:
            stream = backend._state().client.files.with_streaming_response.content(file_id)
            async with stream as response:
                async for line in response.iter_lines():
                    if line.strip():
                        yield json.loads(line)
        except SummarizerError:
            raise
        except Exception as exc:
            raise self._explain(f"download file {file_id}", exc) from None


class OpenAIBatchRun:
    """One `--openai-batch` invocation: rounds of (runner pass, batches) until none is needed."""

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
        if "-" in inputs:  # every pass reads the inputs again; stdin reads once
            raise ConfigError(
                "--openai-batch reads the inputs once per round, stdin only once: save the "
                "records to a file and give its path instead of '-'"
            )
        self.out: Path = options.out
        self.inputs = inputs
        self.settings = settings
        self.options = options
        self.poll_interval = poll_interval
        self.say: Say = say or (lambda _line: None)
        self.session: BatchSession | None = None
        # The budget is checked here, per upload; passes only parse answers (nothing live).
        self._pass_settings = settings.model_copy(update={"max_cost_usd": None})
        self.summary = Summary()
        self._control: Control | None = None

    # ------------------------------------------------------------------ the run

    async def arun(self) -> Summary:
        started = time.perf_counter()
        try:
            with outlock.hold(self.out):  # across all rounds: no other run writes OUT meanwhile
                async with Control(self.settings) as self._control:
                    return await self._rounds()
        finally:
            self._control = None
            if self.session is not None:
                self.session.answers.close()
            self.summary.elapsed_s = time.perf_counter() - started

    async def _rounds(self) -> Summary:
        state = self._state()
        open_round = state.open_round()
        if open_round is not None:
            await self._complete(state, open_round)
        # Two steps, each: the first ask, its re-asks, mode fallbacks and the guide.
        limit = 2 * (ROUNDS_PER_STEP + self.settings.max_reasks)
        for number in range(1, limit + 1):
            if await self._pass(state, first=number == 1):
                self._tidy(state)
                return self.summary
            await self._complete(state, state.rounds[-1])
        # Not expected; but should a step still want answers, it ends as an error row.
        assert self.session is not None
        self.session.closing = f"still unanswered after {limit} OpenAI batch rounds"
        await self._pass(state, first=False)
        self._tidy(state)
        return self.summary

    def _state(self) -> State:
        """The saved state if it belongs to these settings; else a new one (and no answers)."""
        probe = BatchBackend(self._pass_settings, BatchSession(Answers.memory()))
        mark = fingerprint(probe, self.options.extra)
        probe.close()
        state = load_state(self.out)
        open_round = state.open_round() if state is not None else None
        # Only a round with something on the server holds other settings back: one whose
        # upload never went (a wrong key, a server down) has nothing to finish or cancel.
        uploaded = open_round is not None and any(
            (p.file_id or p.batch_id) and not p.downloaded for p in open_round.parts
        )
        if state is not None and state.fingerprint != mark and uploaded:
            assert open_round is not None
            cancel = (
                f", or `summarizer batch cancel {self.out}` first"
                if any(p.batch_id and not p.downloaded for p in open_round.parts)
                else ""  # uploaded, no batch made yet: the same settings submit or adopt it
            )
            raise ConfigError(
                f"{state_path(self.out)} holds an open batch made with other settings (model "
                f"{state.model}): run with those settings to finish it{cancel}"
            )
        fresh = state is None or state.fingerprint != mark
        if self.options.force and state is not None and state.open_round() is None:
            fresh = True
        if fresh:
            answers_path(self.out).unlink(missing_ok=True)
            state = State(fingerprint=mark, model=probe.model)
            save_state(self.out, state)
        assert state is not None
        self.session = BatchSession(Answers(answers_path(self.out)))
        return state

    async def _pass(self, state: State, *, first: bool) -> bool:
        """One runner pass; True when it left no request for a batch (OUT is then final).

        Otherwise the requests it left are written as the next round's upload parts,
        priced against --max-cost and saved in the state as a round to submit.
        """
        session = self.session
        assert session is not None
        session.pending.clear()
        uploads = Uploads(self.out, len(state.rounds) + 1)
        session.upload = uploads.write
        backend = BatchBackend(self._pass_settings, session)
        held: list[Outcome] = []

        def progress(outcome: Outcome, _summary: Summary) -> None:
            if outcome.status == "ok":  # results count at once, failures only if final
                self._forward(outcome)
            elif outcome.status == "skipped":
                if first:  # later passes skip what earlier passes finished
                    self._forward(outcome)
            elif outcome.status != "deferred":
                held.append(replace(outcome, line=None))

        options = replace(
            self.options,
            concurrency=max(64, self.options.concurrency),
            rpm=None,
            tpm=None,
            on_progress=progress,
            force=self.options.force and first,
            budget=None,  # passes send nothing live: --max-cost is checked per upload
        )
        runner = Runner(self.inputs, self._pass_settings, options, backend=backend)
        try:
            async for _ in runner.outcomes():
                pass
        finally:
            session.upload = None
            uploads.close()
            await backend.aclose()
        if not session.pending:
            uploads.remove()
            for outcome in held:  # the final pass: its failures and duplicates are the run's
                self._forward(outcome)
            self.summary.output = runner.summary.output
            self.summary.errors_file = runner.summary.errors_file
            return True
        self._check_budget(state, len(session.pending), uploads.size, first=not state.rounds)
        state.rounds.append(Round(number=uploads.round, parts=uploads.parts))
        save_state(self.out, state)
        return False

    def _forward(self, outcome: Outcome) -> None:
        self.summary.add(outcome)
        if self.options.on_progress is not None:
            self.options.on_progress(outcome, self.summary)

    def _check_budget(self, state: State, requests: int, size: int, first: bool) -> None:
        limit = self.settings.max_cost_usd
        if limit is None:
            return
        price = price_for(self.settings, self.control.server)
        planned = cost(price, size // CHARS_PER_TOKEN, requests * EXPECTED_OUTPUT_TOKENS // 2)
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

    # ------------------------------------------------------------------ one round

    async def _complete(self, state: State, round_: Round) -> None:
        """Submit every part of a round, wait for all, download each; state saved at each step."""
        for part in list(round_.parts):
            if part.batch_id is None:
                await self._submit(state, round_, part)
        round_.parts = [p for p in round_.parts if p.file_id is not None]
        if not round_.parts:  # nothing was left to submit: the next pass redoes it
            state.rounds.remove(round_)
            save_state(self.out, state)
            return
        batches = await self._wait(state, round_)
        for part, batch in zip(round_.parts, batches, strict=True):
            if not part.downloaded:
                await self._download(state, round_, part, batch)
                part.downloaded = True
                save_state(self.out, state)
                upload_path(self.out, round_.number, part.number).unlink(missing_ok=True)

    async def _submit(self, state: State, round_: Round, part: Part) -> None:
        control = self.control
        path = upload_path(self.out, round_.number, part.number)
        if part.file_id is not None:
            found = await control.find(part.file_id)  # created, then crashed before saving?
            if found is not None:
                part.batch_id, part.status = found.id, found.status
                save_state(self.out, state)
                return
        elif path.exists():
            part.file_id = (await control.upload(path)).id
            save_state(self.out, state)
        else:  # crashed before its upload was written
            return
        metadata = {
            "summarizer_out": self.out.name[:500],
            "round": f"{round_.number}.{part.number}",
        }
        batch = await control.create(part.file_id, metadata)
        part.batch_id, part.status = batch.id, batch.status
        save_state(self.out, state)
        self.say(f"round {round_.number}: submitted {part.requests} requests as {batch.id}")

    async def _wait(self, state: State, round_: Round) -> list[Any]:
        """Poll until every batch of the round ends, backing off from --poll-interval."""
        delay = self.poll_interval
        shown: dict[str, str] = {}
        while True:
            batches = []
            for part in round_.parts:
                assert part.batch_id is not None
                batch = await self.control.retrieve(part.batch_id)
                batches.append(batch)
                line = describe(batch)
                if shown.get(batch.id) != line:
                    shown[batch.id] = line
                    part.status = batch.status
                    counts = batch.request_counts
                    if counts is not None:
                        part.counts = {
                            "total": counts.total,
                            "completed": counts.completed,
                            "failed": counts.failed,
                        }
                    save_state(self.out, state)
                    self.say(f"round {round_.number}: {line}")
            if all(b.status in TERMINAL for b in batches):
                return batches
            await asyncio.sleep(delay)
            delay = min(max(delay * 1.5, self.poll_interval), max(MAX_POLL_S, self.poll_interval))

    async def _download(self, state: State, round_: Round, part: Part, batch: Any) -> None:
        """Answers into the answers store; failed and unanswered requests into `failures`."""
        session = self.session
        assert session is not None
        ids: dict[str, str] = {}
        path = upload_path(self.out, round_.number, part.number)
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    ids[row["custom_id"]] = request_hash(json.dumps(row["body"]).encode("utf-8"))
        price = price_for(self.settings, self.control.server)
        answered = 0
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            rows: list[tuple[str, str, dict[str, Any]]] = []
            async for row in self.control.lines(file_id):
                digest = ids.get(str(row.get("custom_id")))
                if digest is None:
                    continue
                body = self._judge(row, digest, batch.id)
                if body is not None:
                    rows.append((digest, batch.id, body))
                    usage = body.get("usage") or {}
                    tokens = (usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))
                    state.cost_usd += (cost(price, *tokens) or 0.0) * BATCH_PRICE_FACTOR
            answered += session.answers.add(rows)
        why = batch.status
        if batch.status == "failed" and batch.errors and batch.errors.data:
            first = batch.errors.data[0]
            why = f"failed: {' '.join(str(first.message or first.code).split())[:300]}"
        left = 0
        for digest in _unanswered(ids, session):
            left += 1
            session.failures[digest] = LineFailure(
                f"OpenAI batch {batch.id} ended ({why}) before answering this request: run "
                "the same command again to submit what is left"
            )
        self.say(f"round {round_.number}: {batch.id}: {answered} answers, {left} unanswered")

    def _judge(self, row: dict[str, Any], digest: str, batch_id: str) -> dict[str, Any] | None:
        """A result row's answer body (a 200), or None after noting why it has none."""
        response = row.get("response") or {}
        status, body = response.get("status_code"), response.get("body")
        if status == 200 and isinstance(body, dict) and body.get("choices"):
            return body
        error = row.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
        if error.get("code") in _UNANSWERED:
            return None  # said with the batch's own status, as unanswered
        reason = " ".join(str(error.get("message") or error.get("code") or "no reason").split())
        message = f"OpenAI batch {batch_id} failed this request: {reason[:300]}"
        assert self.session is not None
        if isinstance(status, int) and status != 200 and isinstance(body, dict):
            self.session.failures[digest] = LineFailure(message, status, body)
        else:
            self.session.failures[digest] = LineFailure(message)
        return None

    def _tidy(self, state: State) -> None:
        """The run is complete: answers and uploads are no longer needed (the state stays)."""
        if self.session is not None:
            self.session.answers.remove()
        for round_ in state.rounds:
            for part in round_.parts:
                upload_path(self.out, round_.number, part.number).unlink(missing_ok=True)

    @property
    def control(self) -> Control:
        assert self._control is not None, "only while arun() runs"
        return self._control


def _unanswered(ids: dict[str, str], session: BatchSession) -> Iterator[str]:
    for digest in ids.values():
        if digest not in session.failures and digest not in session.answers:
            yield digest


# ---------------------------------------------------------------------- status and cancel


def require_state(out: Path) -> State:
    """OUT's batch state, or the one-line error saying it has none (checked before any key
    is asked for: a plain run's OUT has no batch, whatever the settings)."""
    state = load_state(out)
    if state is None:
        raise ConfigError(
            f"no OpenAI batch for {out} ({state_path(out)} does not exist): start one with "
            f"`summarizer batch INPUT... -o {out} --openai-batch`"
        )
    return state


def open_parts(out: Path) -> tuple[State, list[Part]]:
    """OUT's state and the parts of its open round still on the server, or the error saying
    there is nothing to cancel."""
    state = load_state(out)
    round_ = state.open_round() if state is not None else None
    parts = [p for p in round_.parts if p.batch_id and not p.downloaded] if round_ else []
    if state is None or not parts:
        raise ConfigError(
            f"{out} has no open OpenAI batch to cancel (see `summarizer batch status {out}`)"
        )
    return state, parts


async def astatus(out: Path, settings: Settings) -> list[str]:
    """Lines describing OUT's batches: each round, the open one as the server sees it now."""
    state = require_state(out)
    lines = [
        f"{out}: model {state.model}, {len(state.rounds)} round(s), ${state.cost_usd:.4f} spent"
    ]
    open_round = state.open_round()
    async with Control(settings) as control:
        for round_ in state.rounds:
            for part in round_.parts:
                where = f"round {round_.number}: {part.requests} requests, "
                if round_ is open_round and part.batch_id is not None and not part.downloaded:
                    batch = await control.retrieve(part.batch_id)
                    lines.append(where + describe(batch) + " (open: run the batch command again)")
                else:
                    done = " (downloaded)" if part.downloaded else " (not submitted yet)"
                    lines.append(where + f"{part.batch_id or 'no batch'} {part.status}{done}")
    return lines


async def acancel(out: Path, settings: Settings) -> str:
    """Cancel OUT's open batches; re-running the batch command then keeps what they answered."""
    with outlock.hold(out):  # a running round would overwrite the state saved here
        state, parts = open_parts(out)
        said = []
        async with Control(settings) as control:
            for part in parts:
                assert part.batch_id is not None
                batch = await control.cancel(part.batch_id)
                part.status = batch.status
                said.append(describe(batch))
        save_state(out, state)
    return (
        f"{'; '.join(said)}: run the same batch command to keep what was answered; the rest "
        "become errors-file rows"
    )
