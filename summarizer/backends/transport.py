"""The wire under the openai client: transport retries, usage tally, record and replay.

Doing this at the HTTP transport (instead of in the SDK's own retry loop) lets
us count transport retries separately from validation re-asks, read token
usage from every response (re-asks and retries included), save each
request/response pair without headers (so no key can leak into a recording),
and serve recordings by request hash with the SDK and instructor none the wiser.

openai >= 3 speaks `httpx2` (an API-compatible fork of httpx); older releases
speak httpx. This module uses whichever the installed SDK does.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import random
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import httpx2 as http
except ImportError:  # pragma: no cover - openai < 3 uses httpx
    import httpx as http  # type: ignore[no-redef]

from summarizer.backends.limits import RequestLimits
from summarizer.cache import canonical_json
from summarizer.errors import RecordingMissingError

__all__ = [
    "EnvProxyTransport",
    "Recorder",
    "ReplayTransport",
    "RetryTransport",
    "Tally",
    "current_tally",
    "http",
    "redact",
    "request_hash",
]

#: Longest Retry-After we honour; a server asking for more gets a clear error instead.
MAX_RETRY_AFTER_S = 30.0
#: Exponential backoff: base * 2**attempt, capped, with full jitter.
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
#: Bytes of request body per token, for pacing estimates before a request is sent.
CHARS_PER_TOKEN = 4
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_RETRY_ERRORS = (http.TimeoutException, http.NetworkError, http.RemoteProtocolError)
#: Statuses a server uses to refuse the *shape* of a request (a mode it does not speak).
SHAPE_STATUSES = frozenset({400, 415, 422, 500, 501})
#: What such a refusal says: a deterministic answer that the same request would get again.
_SHAPE_WORDS = re.compile(
    r"Input should be|response_format|json_schema|json_object|tool_choice|\btools?\b|"
    r"not supported|unsupported|not implemented|Extra inputs are not permitted|"
    r"validation error|unrecognized|unknown (?:field|parameter)",
    re.I,
)


def server_reason(response: http.Response) -> str:
    """The server's own error message from a response body, on one line (may be long)."""
    try:
        body: Any = json.loads(response.content or b"{}")
    except ValueError:
        body = response.content.decode("utf-8", "replace")
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body))
        body = error.get("message", error) if isinstance(error, dict) else error
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return " ".join(text.split())


def refuses_shape(response: http.Response) -> bool:
    """True when an error response refuses the request's shape: retrying cannot help."""
    if response.status_code not in SHAPE_STATUSES:
        return False
    return response.status_code != 500 or bool(_SHAPE_WORDS.search(server_reason(response)))


@dataclass
class Tally:
    """What the wire saw during one backend step (all attempts included)."""

    completions: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    transport_retries: int = 0
    usage_missing: int = 0
    #: Prompt tokens of the step's first answer (None until one reports usage).
    first_prompt_tokens: int | None = None
    #: Answers that used all of the request's max_tokens (cut short, whatever the server says).
    at_max_tokens: int = 0
    sources: set[str] = field(default_factory=set)
    #: Called once with `first_prompt_tokens` when the first answer is in (recorded and
    #: counted); it may raise to abandon the request (the field guide's re-start).
    on_first_answer: Callable[[int], None] | None = None

    def answered(self) -> None:
        """Run `on_first_answer` once, as soon as the first answer's prompt tokens are known."""
        hook = self.on_first_answer
        if hook is not None and self.first_prompt_tokens is not None:
            self.on_first_answer = None
            hook(self.first_prompt_tokens)


#: The tally of the step running in this thread or task (contextvars keep async tasks apart).
current_tally: ContextVar[Tally | None] = ContextVar("summarizer_tally", default=None)


#: Re-ask messages quote pydantic errors, whose help links name the pydantic version.
_PYDANTIC_URL = re.compile(r"errors\.pydantic\.dev/[0-9.]+/")
#: Opaque ids a server makes up per completion (tool-call ids), echoed back in re-asks.
_VOLATILE_KEYS = frozenset({"id", "tool_call_id"})


def _mask_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: "*" if k in _VOLATILE_KEYS else _mask_ids(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_ids(v) for v in node]
    return node


def request_hash(body: bytes) -> str:
    """The replay key of a request: sha256 of its canonical JSON body (headers excluded).

    Masked, so that re-recording and upgrades keep the same keys: tool-call ids
    (random per completion) and the pydantic version inside error links.
    Everything else in the request counts.
    """
    canonical = canonical_json(_mask_ids(json.loads(body or b"{}")))
    masked = _PYDANTIC_URL.sub("errors.pydantic.dev/*/", canonical)
    return hashlib.sha256(masked.encode("utf-8")).hexdigest()


def _retry_after(response: http.Response) -> float | None:
    value = response.headers.get("retry-after-ms")
    if value:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, (parsed - datetime.now(UTC)).total_seconds()) if parsed else None


def _backoff(attempt: int) -> float:
    return random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))


def _delay(
    response: http.Response | None,
    error: Exception | None,
    attempt: int,
    retry_read_timeouts: bool = True,
) -> float | None:
    """Seconds to wait before retrying, or None when this outcome is final.

    Final: a refused request shape (the same request gets the same 500), and a
    read timeout when `retry_read_timeouts` is off (a local single-slot server
    keeps generating after the client gives up: a retry queues behind it).
    """
    if error is not None:
        if isinstance(error, http.ReadTimeout) and not retry_read_timeouts:
            return None
        return _backoff(attempt) if isinstance(error, _RETRY_ERRORS) else None
    assert response is not None
    if response.status_code not in RETRY_STATUSES or refuses_shape(response):
        return None
    asked = _retry_after(response) if response.status_code in (429, 503) else None
    if asked is None:
        return _backoff(attempt)
    return asked if asked <= MAX_RETRY_AFTER_S else None


def _tally_response(tally: Tally | None, response: http.Response, request: bytes = b"") -> int:
    """Add a successful response's token usage to the tally; return its output tokens.

    An answer whose output tokens reach the request's `max_tokens` is counted as cut
    short: llama.cpp's server reports such a tool call as finish_reason 'tool_calls'.
    """
    if response.status_code >= 300:
        return 0
    try:
        usage = json.loads(response.content).get("usage") or {}
    except (ValueError, AttributeError):
        usage = {}
    tokens_out = int(usage.get("completion_tokens") or 0)
    if tally is None:
        return tokens_out
    try:
        limit = json.loads(request or b"{}").get("max_tokens")
    except (ValueError, AttributeError):
        limit = None
    if isinstance(limit, int) and tokens_out >= limit > 0:
        tally.at_max_tokens += 1
    tally.completions += 1
    if not usage:
        tally.usage_missing += 1
    elif tally.first_prompt_tokens is None:
        tally.first_prompt_tokens = int(usage.get("prompt_tokens") or 0)
    tally.tokens_in += int(usage.get("prompt_tokens") or 0)
    tally.tokens_out += tokens_out
    return tokens_out


def _answered() -> None:
    """After an answer is recorded and counted: the step's first-answer hook, if any."""
    tally = current_tally.get()
    if tally is not None:
        tally.answered()


class Recorder:
    """Saves request/response pairs as `<hash>.json`: bodies only, never headers or keys."""

    def __init__(self, directory: Path, provenance: str) -> None:
        self.directory = directory
        self.provenance = provenance
        directory.mkdir(parents=True, exist_ok=True)

    def save(self, body: bytes, status: int, content: bytes) -> Path:
        try:
            response: Any = json.loads(content)
        except ValueError:
            response = content.decode("utf-8", "replace")
        digest = request_hash(body)
        record = {
            "hash": digest,
            "provenance": self.provenance,
            "request": json.loads(body or b"{}"),
            "response": {"status": status, "body": response},
        }
        path = self.directory / f"{digest}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def redact(data: bytes, secrets: tuple[bytes, ...]) -> bytes:
    """`data` with every secret replaced by `***` (servers echo keys in error bodies)."""
    for secret in secrets:
        if secret:
            data = data.replace(secret, b"***")
    return data


class RetryTransport(http.AsyncBaseTransport):
    """Retries 429/5xx/timeouts/connection errors with jittered backoff; tallies and records.

    One async implementation: the sync API runs it on a private loop (`summarizer.aio`).
    Every body it records or hands on from an error response has the `secrets`
    (the API key) replaced by `***`, not only the headers it never records.
    """

    def __init__(
        self,
        inner: http.AsyncBaseTransport,
        *,
        max_retries: int,
        recorder: Recorder | None = None,
        secrets: tuple[str, ...] = (),
        limits: RequestLimits | None = None,
        retry_read_timeouts: bool = True,
    ) -> None:
        self.inner = inner
        self.max_retries = max_retries
        self.recorder = recorder
        self.secrets = tuple(s.encode("utf-8") for s in secrets if s)
        self.limits = limits
        self.retry_read_timeouts = retry_read_timeouts

    def _final(self, request: http.Request, response: http.Response) -> http.Response:
        tokens_out = _tally_response(current_tally.get(), response, request.content)
        if self.limits is not None:
            self.limits.debit(tokens_out)
        content = redact(response.content, self.secrets)
        if self.recorder is not None:
            body = redact(request.content, self.secrets)
            self.recorder.save(body, response.status_code, content)
        _answered()
        if content is response.content:
            return response
        return http.Response(
            response.status_code,
            headers=response.headers,
            content=content,
            request=request,
            extensions=response.extensions,
        )

    def _note_retry(self) -> None:
        tally = current_tally.get()
        if tally is not None:
            tally.transport_retries += 1

    async def handle_async_request(self, request: http.Request) -> http.Response:
        await request.aread()
        for attempt in range(self.max_retries + 1):
            response: http.Response | None = None
            error: Exception | None = None
            if self.limits is not None:  # every attempt counts against --rpm / --tpm
                await self.limits.pace(len(request.content) // CHARS_PER_TOKEN)
            try:
                response = await self.inner.handle_async_request(request)
                await response.aread()
            except Exception as exc:
                error = exc
            delay = _delay(response, error, attempt, self.retry_read_timeouts)
            if delay is None or attempt == self.max_retries:
                if error is not None:
                    raise error
                assert response is not None
                return self._final(request, response)
            self._note_retry()
            if response is not None:
                await response.aclose()
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self.inner.aclose()


class EnvProxyTransport(http.AsyncBaseTransport):
    """Plain HTTP that honours HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY as httpx does.

    httpx ignores the proxy variables as soon as a client is given its own
    transport (ours, for retries and recording), so the wire underneath is an
    ordinary client with `trust_env`: httpx's own proxy and NO_PROXY rules apply.
    """

    def __init__(self) -> None:
        self._client = http.AsyncClient(trust_env=True, follow_redirects=False)

    async def handle_async_request(self, request: http.Request) -> http.Response:
        return await self._client.send(request)

    async def aclose(self) -> None:
        await self._client.aclose()


class ReplayTransport(http.AsyncBaseTransport):
    """Answers each request from `<hash>.json` under the recordings folder; a miss is loud.

    Each answer's provenance label goes into the step's tally, so results say
    whether they came from a recorded model or a hand-written reference.
    """

    def __init__(self, directory: Path, how_to_record: str) -> None:
        self.directory = directory
        self.how_to_record = how_to_record

    def _answer(self, request: http.Request) -> http.Response:
        body = request.content
        digest = request_hash(body)
        path = next(self.directory.rglob(f"{digest}.json"), None)
        if path is None:
            found = self.directory.iterdir() if self.directory.is_dir() else iter(())
            models = sorted(p.name for p in found if p.is_dir())
            raise RecordingMissingError(
                f"no recording for request {digest} in {self.directory} (model "
                f"{json.loads(body or b'{}').get('model')!r}; recorded models: "
                f"{', '.join(models) or 'none'}); {self.how_to_record}"
            )
        record = json.loads(path.read_text(encoding="utf-8"))
        answer = record["response"]
        content = answer["body"]
        text = content if isinstance(content, str) else canonical_json(content)
        response = http.Response(
            int(answer["status"]),
            headers={"content-type": "application/json"},
            content=text.encode("utf-8"),
            request=request,
        )
        tally = current_tally.get()
        if tally is not None:
            tally.sources.add(str(record.get("provenance") or "unlabelled recording"))
        _tally_response(tally, response, body)
        _answered()
        return response

    async def handle_async_request(self, request: http.Request) -> http.Response:
        await request.aread()
        return self._answer(request)
