"""Fetching articles from http(s) URLs: one async implementation, a sync wrapper for `summarize`.

Pages are fetched with httpx: bounded timeouts, a few redirects, a size limit
checked while streaming (a huge page is refused before it is all in memory),
only text-like content types, and a polite limit of requests in flight per
host shared by the whole run. Each failure is a `FetchError` whose `kind`
(dns, connection, timeout, http_4xx, http_5xx, too_large, not_text, redirects)
is the batch error file's column and whose message says what to do.

Charset: when the response header names one, the body is re-encoded as UTF-8
here (the cleaner reads UTF-8 first); otherwise the bytes are passed on as
served and the cleaner's decoder reads the page's own `<meta charset>`.
"""

from __future__ import annotations

import asyncio
import codecs
import socket
from collections import defaultdict
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from summarizer import __version__
from summarizer.clean.decode import MAX_INPUT_BYTES
from summarizer.errors import InputError

#: Requests in flight per host: polite to one site, parallel across sites.
PER_HOST = 2
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "+xml")


class FetchError(InputError):
    """A URL that could not be fetched; `kind` names the failure for the batch error file."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Page:
    """A fetched page: its final URL (after redirects) and its body as bytes for the cleaner."""

    url: str
    content: bytes
    content_type: str


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


class Fetcher:
    """An httpx client plus per-host limits: `async with Fetcher() as f: await f.fetch(url)`."""

    def __init__(
        self,
        *,
        timeout_s: float = TIMEOUT_S,
        max_bytes: int = MAX_INPUT_BYTES,
        per_host: int = PER_HOST,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(per_host)
        )
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": f"summarizer/{__version__} (+article fetcher)"},
            transport=transport,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str) -> Page:
        """The page at `url`, or a `FetchError` naming what went wrong and what to do."""
        host = urlsplit(url).netloc.lower()
        async with self._hosts[host]:
            try:
                return await self._get(url)
            except FetchError:
                raise
            except httpx.TooManyRedirects:
                raise FetchError(
                    f"{url}: more than {MAX_REDIRECTS} redirects: open it in a browser and pass "
                    "the final address",
                    "redirects",
                ) from None
            except httpx.TimeoutException:
                raise FetchError(
                    f"{url}: timed out: try again later or save the page and pass the file",
                    "timeout",
                ) from None
            except httpx.ConnectError as exc:
                if _is_dns(exc):
                    raise FetchError(
                        f"{url}: host {host!r} not found (DNS): check the address", "dns"
                    ) from None
                raise FetchError(
                    f"{url}: cannot connect: check the address and your network", "connection"
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{url}: {type(exc).__name__}: check the address and your network",
                    "connection",
                ) from None

    async def _get(self, url: str) -> Page:
        async with self._client.stream("GET", url) as response:
            status = response.status_code
            if status >= 400:
                kind = "http_4xx" if status < 500 else "http_5xx"
                hint = (
                    "check the address (or whether the page needs a login)"
                    if status < 500
                    else "the server failed: try again later"
                )
                raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}: {hint}", kind)
            content_type = response.headers.get("content-type", "")
            mime = content_type.split(";")[0].strip().lower()
            if mime and not any(t in mime for t in _TEXT_TYPES):
                raise FetchError(
                    f"{url}: not a text page ({mime}): pass an HTML or text article", "not_text"
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(url, int(declared))
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise self._too_large(url, len(body))
            return Page(str(response.url), _as_utf8(bytes(body), response.charset_encoding), mime)

    def _too_large(self, url: str, size: int) -> FetchError:
        return FetchError(
            f"{url}: page is over {size / (1 << 20):.1f} MiB, above the "
            f"{self.max_bytes >> 20} MiB limit: save the article text and pass the file",
            "too_large",
        )


def _as_utf8(body: bytes, charset: str | None) -> bytes:
    """Re-encode a body whose charset the headers declare; else keep it for the decoder."""
    if not charset:
        return body
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return body  # an unknown label: let the decoder read the page itself
    if name == "utf-8":
        return body
    return body.decode(name, errors="replace").encode("utf-8")


def _is_dns(exc: httpx.ConnectError) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return True
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    return "name or service not known" in text or "nodename nor servname" in text


async def afetch(url: str, **kwargs: object) -> Page:
    """Fetch one page with a client of its own (the `summarize URL` path)."""
    async with Fetcher(**kwargs) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(url)


def fetch(url: str) -> Page:
    """Sync `afetch`, for the one-article CLI."""
    return asyncio.run(afetch(url))
