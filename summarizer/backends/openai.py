"""The `openai` backend: instructor over the openai client, for any OpenAI-compatible server.

OpenAI itself, Ollama, vLLM, llama.cpp's server and LM Studio all speak the
chat-completions API but differ in how they accept structured output: some
answer only tool calls, some only `response_format: json_schema`, some only
plain JSON (llama-cpp-python's server answers tools but fails json_schema with
a 500). Mode `auto` tries tools, then json_schema, then plain JSON, and keeps
the first that works for the rest of the run.

In auto mode the first step that needs the mode finds it alone while the
others wait (one probe per run, before the fan-out), then all use it.

This is the only module that imports openai and instructor. Transport retries,
usage tally and recording happen in `transport.py` under the SDK (whose own
retries are off), so they are counted apart from instructor's re-asks. Only
the async client is used (the sync API runs it on the backend's private loop);
an openai client is bound to the event loop it first ran on, so each loop
gets its own, and `close()` closes them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import threading
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar, cast

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from summarizer.backends.llm import Attempt, LLMBackend
from summarizer.backends.transport import (
    EnvProxyTransport,
    Recorder,
    RetryTransport,
    current_tally,
    http,
    refuses_shape,
    server_reason,
)
from summarizer.cache import server_host
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, SummarizerError
from summarizer.grounding import grounded_model, grounding_text
from summarizer.pricing import Budget
from summarizer.prompts import Message

M = TypeVar("M", bound=BaseModel)

# instructor logs every failed attempt at ERROR; we report failures ourselves, in one line.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False


def _check_async_validators_once() -> None:
    """Make instructor's async-validator check run once per response-model class.

    instructor walks the whole response model (every field of every nested model)
    several times per request to refuse async validators it cannot run: ~7 ms of
    main-process CPU per request on the batch path, for an answer that depends on
    the class alone. Classes that passed are remembered; anything else (a class
    that fails, a typing form) is still checked every time. The modules that hold
    the function are patched where they have it; if instructor moves it, nothing
    changes but the speed.
    """
    import importlib

    holders = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")
    modules = []
    for name in holders:
        with contextlib.suppress(ImportError):
            modules.append(importlib.import_module(name))
    check = getattr(modules[0], "reject_async_validators", None) if modules else None
    if check is None or getattr(check, "memoised", False):
        return
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        check(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    reject_async_validators.memoised = True  # type: ignore[attr-defined]
    for module in modules:
        if getattr(module, "reject_async_validators", None) is check:
            setattr(module, "reject_async_validators", reject_async_validators)  # noqa: B010


_check_async_validators_once()


MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.MD_JSON,
}
AUTO_ORDER = ("tools", "json_schema", "json")
#: HTTP statuses that, on a first attempt in auto mode, mean "this server wants another mode".
_MODE_REJECTED = frozenset({400, 415, 422, 500, 501})
_NO_KEY = "no-key-needed"
#: Longest server reason quoted in an error line (llama.cpp's useful part comes late).
REASON_CHARS = 1000


class OpenAIBackend(LLMBackend):
    """Structured extraction through any OpenAI-compatible chat-completions server."""

    name: ClassVar[str] = "openai"

    def __init__(self, settings: Settings, budget: Budget | None = None) -> None:
        if not settings.base_url and settings.api_key is None:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY (for OpenAI) or SUMMARIZER_BASE_URL / "
                "--base-url (for a local server such as http://127.0.0.1:8080/v1); without "
                "either, leave --backend out and the offline backend is used"
            )
        super().__init__(settings, budget)
        self._api_key = settings.api_key.get_secret_value() if settings.api_key else ""
        self._mode: str | None = None if settings.mode == "auto" else settings.mode
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = (
            weakref.WeakKeyDictionary()
        )
        self._loops_lock = threading.Lock()

    @property
    def server(self) -> str | None:
        return server_host(self.settings.base_url) or "api.openai.com"

    def _transport(self) -> http.AsyncBaseTransport:
        """Real HTTP (proxies from the environment) under retries, optionally recording.

        Replay overrides this. Called once per client, i.e. once per event loop.
        """
        recorder = None
        if self.settings.record_dir is not None:
            day = datetime.now(UTC).date().isoformat()
            label = f"recorded from {self.server} {self.model} on {day}"
            recorder = Recorder(self.settings.record_dir, label)
        return RetryTransport(
            EnvProxyTransport(),
            max_retries=self.settings.max_retries,
            recorder=recorder,
            secrets=(self._api_key,),
            limits=self.limits,
            retry_read_timeouts=self.settings.retries_read_timeouts(),
        )

    def _state(self) -> _LoopState:
        """The running loop's client and probe lock, made on first use in that loop."""
        loop = asyncio.get_running_loop()
        with self._loops_lock:
            state = self._loops.get(loop)
            if state is None:
                # A dead host must fail fast: connecting gets at most 10 s per attempt.
                s = self.settings
                wait = s.request_timeout()
                timeout = http.Timeout(wait, connect=min(wait, 10.0))
                client = openai.AsyncOpenAI(
                    api_key=self._api_key or _NO_KEY,
                    base_url=s.base_url,
                    timeout=timeout,
                    max_retries=0,  # retries happen in our transport, where they are counted
                    http_client=http.AsyncClient(transport=self._transport(), timeout=timeout),
                )
                state = self._loops[loop] = _LoopState(client, asyncio.Lock())
            return state

    def clients(self) -> list[openai.AsyncOpenAI]:
        """The open clients, one per event loop this backend has run on."""
        with self._loops_lock:
            return [state.client for state in self._loops.values()]

    def close(self) -> None:
        """Close every loop's openai client (the sync API's and async callers'), then the rest."""
        with self._loops_lock:
            states = list(self._loops.items())
            self._loops.clear()
        for loop, state in states:
            _close_on(loop, state.client, self._sync.run if self._sync.owns(loop) else None)
        super().close()

    async def aclose(self) -> None:
        """Async `close`: awaits the running loop's client, then closes the others."""
        loop = asyncio.get_running_loop()
        with self._loops_lock:
            state = self._loops.pop(loop, None)
        if state is not None:
            await state.client.close()
        await asyncio.to_thread(self.close)

    # ------------------------------------------------------------------ generation

    def _modes(self) -> list[str]:
        return [self._mode] if self._mode else list(AUTO_ORDER)

    def _request(self, schema: type[M], messages: list[Message]) -> dict[str, Any]:
        """instructor's arguments. No `context`: instructor would render every message as
        a Jinja template with it; the grounding validator gets the text from
        `grounding_text` instead, so the article goes out exactly as written."""
        return {
            "model": self.model,
            "messages": [_as_sent(m) for m in messages],
            "response_model": _response_model(schema),
            "max_retries": self.settings.max_reasks,
            "strict": False,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }

    async def _agenerate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        state = self._state()
        if self._mode is None:
            # Probe once: the first step finds the mode alone; the waiting ones then use it.
            async with state.probe:
                return await self._generate(state, schema, messages, text)
        return await self._generate(state, schema, messages, text)

    async def _generate(
        self, state: _LoopState, schema: type[M], messages: list[Message], text: str
    ) -> Attempt[M]:
        run = _Run()
        for mode in self._modes():
            run.start(mode)
            hooks = Hooks()  # per call: the wrapped client is shared by concurrent steps
            hooks.on("parse:error", run.on_parse_error)
            try:
                with grounding_text(text):
                    value = await state.instructor(mode).chat.completions.create(
                        **self._request(schema, messages), hooks=hooks
                    )
            except Exception as exc:
                outcome = self._failed(exc, schema, run)
                if outcome is None:
                    continue
                return outcome
            return self._succeeded(schema, value, run)
        raise self._exhausted(run)

    def _succeeded(self, schema: type[M], value: Any, run: _Run) -> Attempt[M]:
        self._mode = run.mode
        run.end(answered=True)
        plain = schema.model_validate(value.model_dump())
        return Attempt(plain, reasks=run.reasked, notes=run.notes())

    def _failed(self, exc: Exception, schema: type[M], run: _Run) -> Attempt[M] | None:
        """Turn one mode's failure into: a lenient answer, None (try next mode), or an error."""
        run.end(answered=False)
        cause = _root_cause(exc)
        if isinstance(cause, SummarizerError):  # ours, raised under the SDK (a missing recording)
            raise cause from None
        if isinstance(cause, IncompleteOutputException):
            raise BackendError(
                f"{self.model} at {self.server} stopped at max_tokens={self.settings.max_tokens} "
                "before finishing its answer: raise SUMMARIZER_MAX_TOKENS or use a larger model"
            ) from None
        auto = self.settings.mode == "auto" and self._mode is None
        if isinstance(cause, openai.APIStatusError):
            shape = refuses_shape(cause.response)
            if auto and run.no_answer_yet() and cause.status_code in _MODE_REJECTED:
                reason = _reason(cause)[:200] if shape else ""
                run.failures.append(
                    f"{run.mode} rejected with HTTP {cause.status_code}"
                    + (f" ({reason})" if reason else "")
                )
                return None
            if shape:
                raise self._refused_mode(cause, run.mode) from None
            raise self._api_error(cause) from None
        if isinstance(cause, openai.APIError):
            raise self._api_error(cause) from None
        if not isinstance(exc, InstructorRetryException):
            raise self._error(f"{self.model} at {self.server}: {_one_line(str(cause))}") from None
        tried = run.reasks[run.reasks_before :]
        if auto and tried and all("No tool calls" in str(e) for e in tried):
            run.failures.append(f"{run.mode} answered without tool calls")
            return None
        # Re-asks exhausted: keep the latest schema-valid answer; grounding will drop the rest.
        answers = [a.completion for a in getattr(exc, "failed_attempts", None) or []]
        value: M | None = None
        for completion in [exc.last_completion, *reversed(answers)]:
            try:
                value = schema.model_validate_json(_completion_json(completion))
                break
            except (ValidationError, ValueError):
                continue
        if value is None:
            raise self._error(
                f"{self.model} at {self.server} returned no valid {schema.__name__} after "
                f"{exc.n_attempts} attempts ({_one_line(str(cause))[:160]}); try a larger model "
                "or another --mode"
            ) from None
        self._mode = run.mode
        notes = [*run.notes(), "re-asks exhausted: ungrounded values dropped"]
        return Attempt(value, reasks=run.reasked, notes=notes)

    def _refused_mode(self, err: openai.APIStatusError, mode: str) -> BackendError:
        """The server refuses this structured-output mode: say so, with its reason and the fix."""
        others = "|".join(m for m in AUTO_ORDER if m != mode)
        return self._error(
            f"{self.server} refused structured-output mode {mode!r} (HTTP {err.status_code}: "
            f"{_reason(err)}): set SUMMARIZER_MODE=auto (or --mode auto) to use the first mode "
            f"it accepts, or pick one of {others}"
        )

    def _exhausted(self, run: _Run) -> BackendError:
        return self._error(
            f"{self.server} accepted none of the structured-output modes "
            f"({'; '.join(run.failures)}): check that --model supports tools or JSON output"
        )

    def _api_error(self, err: openai.APIError) -> BackendError:
        """One actionable line per transport failure; the key is never part of it."""
        host, tally = self.server, current_tally.get()
        tries = f" after {tally.transport_retries} retries" if tally else ""
        if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
            msg = (
                f"{host} refused the API key (HTTP {err.status_code}): check OPENAI_API_KEY "
                "(the key itself is never printed)"
            )
        elif isinstance(err, openai.NotFoundError):
            msg = (
                f"{host} answered HTTP 404 for model {self.model!r}: check --model and that "
                "--base-url ends in /v1"
            )
        elif isinstance(err, openai.RateLimitError):
            wait = err.response.headers.get("retry-after")
            asked = f", it asks to wait {wait} s" if wait else ""
            msg = f"{host} kept rate-limiting{tries} (HTTP 429{asked}): wait, or send less"
        elif isinstance(err, openai.APIStatusError):
            msg = f"{host} failed with HTTP {err.status_code}{tries}: {_reason(err)}"
        elif isinstance(err, openai.APITimeoutError):
            limit = self.settings.request_timeout()
            local = ""
            if not self.settings.retries_read_timeouts():
                local = (
                    " (a timed-out answer is not asked again on a local server, which keeps "
                    "generating: SUMMARIZER_RETRY_READ_TIMEOUTS=true to retry anyway)"
                )
            msg = (
                f"no answer from {host} within {limit:g}s{tries}: check the server, or raise "
                f"SUMMARIZER_TIMEOUT_S{local}"
            )
        else:
            msg = (
                f"cannot reach {host}{tries}: is the server running? check --base-url / "
                "SUMMARIZER_BASE_URL"
            )
        return self._error(msg)

    def _error(self, message: str) -> BackendError:
        """A BackendError whose text can never carry the key (servers echo it in errors)."""
        return BackendError(message.replace(self._api_key, "***") if self._api_key else message)


def _as_sent(message: Message) -> dict[str, Any]:
    """A message as this backend has always sent it: without its one trailing newline.

    instructor's template pass (no longer used, see `_request`) dropped it, as Jinja
    does; the recordings and cache keys were made with that wire format.
    """
    content = message["content"]
    return {**message, "content": content[:-1] if content.endswith("\n") else content}


@functools.cache
def _response_model(schema: type[M]) -> type[M]:
    """The class instructor is given for `schema`: grounded, and already instructor's kind.

    instructor wraps any other class in a fresh subclass on every call, and its tool
    definition (a JSON Schema, cached per class) is then built anew each time: about a
    third of the main process's CPU per request in a batch. Handing it the same class
    every time makes both one-off; the schema and the tool name are unchanged.
    """
    return cast(type[M], instructor.openai_schema(grounded_model(schema)))


@dataclass
class _LoopState:
    """What belongs to one event loop: its openai client, the mode-probe lock, and the
    instructor wrapper per mode (built once: wrapping costs a few ms of CPU per call)."""

    client: openai.AsyncOpenAI
    probe: asyncio.Lock
    wrapped: dict[str, Any] = field(default_factory=dict)

    def instructor(self, mode: str) -> Any:
        wrapped = self.wrapped.get(mode)
        if wrapped is None:
            wrapped = self.wrapped[mode] = instructor.from_openai(self.client, mode=MODES[mode])
        return wrapped


def _close_on(loop: asyncio.AbstractEventLoop, client: openai.AsyncOpenAI, run: Any) -> None:
    """Close `client` on the loop it is bound to, wherever `close()` was called from."""
    if loop.is_closed():
        return  # its connections ended with the loop
    if run is not None:  # the backend's private loop
        run(client.close())
        return
    try:
        current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    if loop.is_running() and current is not loop:
        asyncio.run_coroutine_threadsafe(client.close(), loop).result(timeout=10)
    elif not loop.is_running():
        loop.run_until_complete(client.close())
    else:  # called synchronously from inside that loop: the best we can do is schedule it
        _PENDING.add(task := loop.create_task(client.close()))
        task.add_done_callback(_PENDING.discard)


_PENDING: set[asyncio.Task[None]] = set()


def _root_cause(exc: BaseException) -> BaseException:
    """The most specific error in the chain: an SDK error or our own, not instructor's wrapper."""
    seen: BaseException | None = exc
    found: BaseException = exc
    while seen is not None:
        if isinstance(seen, openai.APIError | SummarizerError | IncompleteOutputException):
            found = seen
            if not isinstance(seen, openai.APIConnectionError):
                return seen
        seen = seen.__cause__ or seen.__context__
    return found


class _Run:
    """One step's walk through the modes: which was tried, what failed, how many re-asks."""

    def __init__(self) -> None:
        self.mode = ""
        self.failures: list[str] = []
        self.reasks: list[Exception] = []  # every validation error, all modes together
        self.reasks_before = 0
        self.completions_before = 0
        self.reasked = 0  # re-asks actually sent (a mode's last failure is not re-asked)

    def start(self, mode: str) -> None:
        tally = current_tally.get()
        self.mode = mode
        self.reasks_before = len(self.reasks)
        self.completions_before = tally.completions if tally else 0

    def on_parse_error(self, error: Exception, *_: Any, **__: Any) -> None:
        """instructor hook: one call per response that failed validation (one re-ask each)."""
        self.reasks.append(error)

    def end(self, answered: bool) -> None:
        """Count this mode's re-asks: every error was re-asked unless the mode gave up."""
        errors = len(self.reasks) - self.reasks_before
        self.reasked += errors if answered else max(0, errors - 1)

    def no_answer_yet(self) -> bool:
        tally = current_tally.get()
        return tally is None or tally.completions == self.completions_before

    def notes(self) -> list[str]:
        fallbacks = [f"mode fallback: {f}" for f in self.failures]
        return [f"structured output mode: {self.mode}", *fallbacks]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reason(err: openai.APIStatusError) -> str:
    """The server's own words for an error status, on one line, kept whole up to a limit."""
    reason = server_reason(err.response) or _one_line(str(err.message))
    return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 3] + "..."


def _completion_json(completion: Any) -> str:
    """The JSON text of a chat completion: the tool call's arguments, else the message text."""
    if completion is None or not getattr(completion, "choices", None):
        return ""
    message = completion.choices[0].message
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        args = calls[0].function.arguments
        return args if isinstance(args, str) else json.dumps(args)
    content = message.content or ""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.DOTALL)
    return fenced.group(1) if fenced else content
