"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

Each request is answered by the next entry of a script (the last entry repeats):
a callable taking the request body and returning a `Reply`. Helpers build the
usual answers: a tool call, a JSON message, an HTTP error, a hang, and servers
that accept only one structured-output style (tools, json_schema or plain JSON),
the way real endpoints differ.

Token usage is counted like a server would: about one prompt token per four
characters of the request, tool definitions and response formats included;
`hides_schema=True` counts the messages only, as llama.cpp's server does when
it turns a tool into a grammar without showing it to the model.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


Script = Callable[[dict[str, Any]], Reply]


def completion(message: dict[str, Any], finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": "stub-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def step_of(body: dict[str, Any]) -> str:
    """'extract' or 'summarize', from the system prompt the request carries."""
    return "extract" if "You extract incident records" in json.dumps(body) else "summarize"


def tool_call(args: Any, name: str = "Extraction") -> Reply:
    text = args if isinstance(args, str) else json.dumps(args)
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}
        ],
    }
    return Reply(body=completion(message, "tool_calls"))


def content(args: Any) -> Reply:
    text = args if isinstance(args, str) else json.dumps(args)
    return Reply(body=completion({"role": "assistant", "content": text}))


def error(status: int, message: str = "stub error", **headers: str) -> Script:
    return lambda _body: Reply(status, {"error": {"message": message, "type": "stub"}}, headers)


def hang(seconds: float) -> Script:
    return lambda _body: Reply(delay_s=seconds, body=completion({"role": "assistant"}))


def answers(extract: Any, summary: Any, only: str | None = None) -> Script:
    """Answer both steps the way the request asks; `only` makes the server accept one style."""

    def reply(body: dict[str, Any]) -> Reply:
        data = extract if step_of(body) == "extract" else summary
        style = "json"
        if body.get("tools"):
            style = "tools"
        elif (body.get("response_format") or {}).get("type") == "json_schema":
            style = "json_schema"
        if only is not None and style != only:
            return error(400, f"this server does not support {style}")(body)
        if style == "tools":
            return tool_call(data, body["tools"][0]["function"]["name"])
        if style == "json" and only == "json":
            return content(f"```json\n{json.dumps(data)}\n```")
        return content(data)

    return reply


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 for the stubs: started by `with`, stopped after it."""

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class StubServer(LoopbackServer):
    """Runs in a thread; records each request's body and headers."""

    def __init__(self, *script: Script, hides_schema: bool = False) -> None:
        self.script = list(script)
        self.hides_schema = hides_schema
        self.requests: list[dict[str, Any]] = []
        self.prompt_tokens: list[int] = []  # as reported in each 200 answer's usage
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []  # as sent: absolute URLs when the stub serves as a proxy
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw or b"{}")
                stub.requests.append(body)
                stub.headers.append(dict(self.headers))
                stub.paths.append(self.path)
                index = min(len(stub.requests) - 1, len(stub.script) - 1)
                reply = stub.script[index](body)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                usage = reply.body.get("usage") if isinstance(reply.body, dict) else None
                if usage and reply.status == 200 and usage.get("prompt_tokens") == 100:
                    # completion()'s default: count like a server (a script may set its own)
                    shown = body.get("messages", []) if stub.hides_schema else body
                    usage["prompt_tokens"] = len(json.dumps(shown)) // 4
                    stub.prompt_tokens.append(usage["prompt_tokens"])
                data = (
                    reply.body.encode()
                    if isinstance(reply.body, str)
                    else json.dumps(reply.body).encode()
                )
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._listen(Handler)
