"""The `openai` backend: instructor over the openai client, for any OpenAI-compatible server.

OpenAI itself, Ollama, vLLM, llama.cpp's server and LM Studio all speak the
chat-completions API but differ in how they accept structured output: some
answer only tool calls, some only `response_format: json_schema`, some only
plain JSON (llama-cpp-python's server answers tools but fails json_schema with
a 500). Mode `auto` tries tools, then json_schema, then plain JSON, and keeps
the first that works for the rest of the run.

This is the only module that imports openai and instructor. Transport retries,
usage tally and recording happen in `transport.py` under the SDK (whose own
retries are off), so they are counted apart from instructor's re-asks.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from summarizer.backends.llm import Attempt, LLMBackend
from summarizer.backends.transport import (
    Recorder,
    RetryTransport,
    current_tally,
    http,
    refuses_shape,
    server_reason,
)
from summarizer.cache import server_host
from summarizer.config import Settings
from summarizer.errors import BackendError, ConfigError, RecordingMissingError
from summarizer.grounding import CONTEXT_KEY, grounded_model
from summarizer.prompts import Message

M = TypeVar("M", bound=BaseModel)

# instructor logs every failed attempt at ERROR; we report failures ourselves, in one line.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

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

    def __init__(self, settings: Settings) -> None:
        if not settings.base_url and settings.api_key is None:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY (for OpenAI) or SUMMARIZER_BASE_URL / "
                "--base-url (for a local server such as http://127.0.0.1:8080/v1); without "
                "either, leave --backend out and the offline backend is used"
            )
        super().__init__(settings)
        self._api_key = settings.api_key.get_secret_value() if settings.api_key else ""
        self._mode: str | None = None if settings.mode == "auto" else settings.mode
        sync, async_ = self._transports()
        # A dead host must fail fast: connecting gets at most 10 s per attempt.
        wait = settings.request_timeout()
        timeout = http.Timeout(wait, connect=min(wait, 10.0))
        common: dict[str, Any] = {
            "api_key": self._api_key or _NO_KEY,
            "base_url": settings.base_url,
            "timeout": timeout,
            "max_retries": 0,  # retries happen in our transport, where they are counted
        }
        self._client = openai.OpenAI(
            **common, http_client=http.Client(transport=sync, timeout=timeout)
        )
        self._aclient = openai.AsyncOpenAI(
            **common, http_client=http.AsyncClient(transport=async_, timeout=timeout)
        )

    @property
    def server(self) -> str | None:
        return server_host(self.settings.base_url) or "api.openai.com"

    def _transports(self) -> tuple[http.BaseTransport, http.AsyncBaseTransport]:
        """Real HTTP under retries, optionally recording (replay overrides this)."""
        recorder = None
        if self.settings.record_dir is not None:
            day = datetime.now(UTC).date().isoformat()
            label = f"recorded from {self.server} {self.model} on {day}"
            recorder = Recorder(self.settings.record_dir, label)
        transport = RetryTransport(
            http.HTTPTransport(),
            http.AsyncHTTPTransport(),
            max_retries=self.settings.max_retries,
            recorder=recorder,
            retry_read_timeouts=self.settings.retries_read_timeouts(),
        )
        return transport, transport

    def close(self) -> None:
        self._client.close()
        super().close()

    # ------------------------------------------------------------------ generation

    def _modes(self) -> list[str]:
        return [self._mode] if self._mode else list(AUTO_ORDER)

    def _request(self, schema: type[M], messages: list[Message], text: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "response_model": grounded_model(schema),
            "max_retries": self.settings.max_reasks,
            "context": {CONTEXT_KEY: text},
            "strict": False,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }

    def _generate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        run = _Run()
        for mode in self._modes():
            client = instructor.from_openai(self._client, mode=MODES[mode])
            run.start(mode)
            client.on("parse:error", run.on_parse_error)
            try:
                value = client.chat.completions.create(**self._request(schema, messages, text))
            except Exception as exc:
                outcome = self._failed(exc, schema, run)
                if outcome is None:
                    continue
                return outcome
            return self._succeeded(schema, value, run)
        raise self._exhausted(run)

    async def _agenerate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        run = _Run()
        for mode in self._modes():
            client = instructor.from_openai(self._aclient, mode=MODES[mode])
            run.start(mode)
            client.on("parse:error", run.on_parse_error)
            try:
                value = await client.chat.completions.create(
                    **self._request(schema, messages, text)
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
        if isinstance(cause, RecordingMissingError):
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
        # Re-asks exhausted: keep the last schema-valid answer; grounding will drop the rest.
        last = _completion_json(exc.last_completion)
        try:
            value = schema.model_validate_json(last)
        except (ValidationError, ValueError):
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


def _root_cause(exc: BaseException) -> BaseException:
    """The most specific error in the chain: an SDK error or our own, not instructor's wrapper."""
    seen: BaseException | None = exc
    found: BaseException = exc
    while seen is not None:
        if isinstance(seen, openai.APIError | RecordingMissingError | IncompleteOutputException):
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
