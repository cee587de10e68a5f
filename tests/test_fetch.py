"""URL inputs: pages served from a loopback server (never the network), each failure one row."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from summarizer.batch import run
from summarizer.config import load_settings
from summarizer.fetch import Fetcher, FetchError, afetch
from tests.conftest import SEEDS, run_cli

PAGE = SEEDS[0].read_bytes()
LATIN = (
    "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\xe9 r\xe9sum\xe9</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet tests
        pass

    def _send(self, status: int, body: bytes, ctype: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self._send(200, PAGE, "text/plain; charset=utf-8")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/latin-header":
            self._send(200, LATIN.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/latin-meta":
            self._send(200, LATIN.encode("latin-1"), "text/html")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n", "image/png")
        elif path == "/huge":
            self._send(200, b"x" * 2048, "text/plain", length=2048)
        elif path == "/boom":
            self._send(503, b"down", "text/plain")
        else:
            self._send(404, b"no", "text/plain")


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def _kind(url: str, **kwargs: object) -> str:
    with pytest.raises(FetchError) as info:
        await afetch(url, **kwargs)
    assert info.value.args[0].count("\n") == 0 and ": " in info.value.args[0]
    return info.value.kind


def test_pages_redirects_and_charsets(server: str) -> None:
    import asyncio

    page = asyncio.run(afetch(server + "/moved"))
    assert page.url == server + "/article" and page.content == PAGE
    from summarizer.clean import clean

    for path in ("/latin-header", "/latin-meta"):
        body = asyncio.run(afetch(server + path)).content
        assert "Café résumé" in clean(body, name=path).text, path


def test_each_failure_has_its_kind(server: str) -> None:
    import asyncio

    assert asyncio.run(_kind(server + "/nope")) == "http_4xx"
    assert asyncio.run(_kind(server + "/boom")) == "http_5xx"
    assert asyncio.run(_kind(server + "/image")) == "not_text"
    assert asyncio.run(_kind(server + "/huge", max_bytes=1024)) == "too_large"
    # A port nobody listens on (the server is closed first): connection refused.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert asyncio.run(_kind(f"http://127.0.0.1:{port}/x")) == "connection"
    assert isinstance(Fetcher(), Fetcher)


def test_batch_fetches_urls_and_writes_an_error_row_per_failure(
    server: str, tmp_path: Path
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server}/article\n{server}/nope\n{server}/boom\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    outcomes = list(run([f"@{listing}"], load_settings(), out=out, processes=0))
    assert sorted(o.status for o in outcomes) == ["failed", "failed", "ok"]
    rows = [
        json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()
    ]
    assert sorted(r["kind"] for r in rows) == ["http_4xx", "http_5xx"]
    (result,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert result["article"]["text"]


def test_summarize_url(
    server: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, _err = run_cli(["summarize", server + "/article"], capsys, monkeypatch)
    assert code == 0 and json.loads(stdout)["article"]["text"]
    code, _out, err = run_cli(["summarize", server + "/nope"], capsys, monkeypatch)
    assert code == 2 and "HTTP 404" in err and err.count("\n") == 1
