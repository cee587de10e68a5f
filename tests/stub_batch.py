"""A loopback stub of OpenAI's files and batches endpoints, for the `--openai-batch` tests.

It serves what the openai client's `files.create`, `files.content`,
`batches.create`, `batches.retrieve` and `batches.cancel` call. Each uploaded
JSONL line is answered by a `stub_llm` script (the same callables the
chat-completions stub uses), and `/v1/chat/completions` is served live by the
same script, so a batch answers exactly what the live path gets from the same
server (whose host and port are part of the cache key). Every retrieve moves
a batch one status on (validating -> in_progress -> finalizing -> completed);
`outcome` makes it end expired or failed instead, `fail_line` turns chosen
lines into error-file rows, and a cancelled batch ends with the first
`partial` lines answered.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.stub_llm import LoopbackServer, Reply, Script

_STEPS = ("validating", "in_progress", "finalizing")


class BatchStub(LoopbackServer):
    """Runs in a thread; keeps files and batches in memory and counts the calls."""

    def __init__(
        self,
        script: Script,
        *,
        outcome: str = "completed",
        partial: int = 1,
        fail_line: Callable[[str, dict[str, Any]], bool] | None = None,
        stall: bool = False,
        refuse: int | None = None,
    ) -> None:
        self.script = script
        self.outcome = outcome  # completed | expired | failed (for every batch)
        self.partial = partial  # lines answered by an expired or cancelled batch
        self.fail_line = fail_line
        self.stall = stall  # stay in_progress until cancelled
        self.refuse = refuse  # answer every files/batches call with this HTTP status
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []  # "METHOD /path" of every request
        self.headers: list[dict[str, str]] = []
        self.uploads: list[list[dict[str, Any]]] = []  # each upload's lines, parsed
        self.chat: list[dict[str, Any]] = []  # live chat-completions requests
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, data: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status: int, body: Any) -> None:
                self._send(status, json.dumps(body).encode())

            def do_GET(self) -> None:
                with stub.lock:
                    stub.calls.append(f"GET {self.path}")
                    stub.headers.append(dict(self.headers))
                    if stub.refuse:
                        return self._json(stub.refuse, {"error": {"message": "stub refuses"}})
                    if self.path.split("?")[0] == "/v1/batches":
                        data = list(stub.batches.values())
                        return self._json(200, {"object": "list", "data": data, "has_more": False})
                    if m := re.fullmatch(r"/v1/files/([^/]+)/content", self.path):
                        if m.group(1) not in stub.files:
                            return self._json(404, {"error": {"message": "no such file"}})
                        return self._send(200, stub.files[m.group(1)], "application/binary")
                    if m := re.fullmatch(r"/v1/batches/([^/]+)", self.path):
                        batch = stub.batches.get(m.group(1))
                        if batch is None:
                            return self._json(404, {"error": {"message": "no such batch"}})
                        stub._advance(batch)
                        return self._json(200, batch)
                return self._json(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with stub.lock:
                    stub.calls.append(f"POST {self.path}")
                    stub.headers.append(dict(self.headers))
                    if self.path == "/v1/chat/completions":  # the live path, same answers
                        body = json.loads(raw)
                        stub.chat.append(body)
                        reply = stub._answer(body)
                        return self._json(reply.status, reply.body)
                    if stub.refuse:
                        message = f"stub refuses; key {self.headers.get('authorization')}"
                        return self._json(stub.refuse, {"error": {"message": message}})
                    if self.path == "/v1/files":
                        return self._json(200, stub._upload(self.headers["content-type"], raw))
                    if self.path == "/v1/batches":
                        return self._json(200, stub._create(json.loads(raw)))
                    if m := re.fullmatch(r"/v1/batches/([^/]+)/cancel", self.path):
                        batch = stub.batches[m.group(1)]
                        batch["status"] = "cancelling"
                        return self._json(200, batch)
                return self._json(404, {"error": {"message": f"no route {self.path}"}})

        self._listen(Handler)

    # ------------------------------------------------------------------ the endpoints

    def _upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser().parsebytes(head + raw)
        data = b""
        name = "upload.jsonl"
        parts: list[Any] = message.get_payload()  # type: ignore[assignment]
        for part in parts:
            if part.get_param("name", header="content-disposition") == "file":
                data = part.get_payload(decode=True)
                name = part.get_filename() or name
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        self.uploads.append([json.loads(x) for x in data.decode().splitlines() if x])
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": 0,
            "filename": name,
            "purpose": "batch",
            "status": "processed",
        }

    def _answer(self, body: dict[str, Any]) -> Reply:
        """The script's reply, its prompt tokens counted like a server (tools included)."""
        reply = self.script(body)
        usage = reply.body.get("usage") if isinstance(reply.body, dict) else None
        if usage and reply.status == 200 and usage.get("prompt_tokens") == 100:
            usage["prompt_tokens"] = len(json.dumps(body)) // 4  # completion()'s default
        return reply

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        batch_id = f"batch_{len(self.batches) + 1}"
        lines = self.files[body["input_file_id"]].decode().splitlines()
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "metadata": body.get("metadata"),
            "status": "validating",
            "created_at": 0,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }
        self.batches[batch_id] = batch
        return batch

    def _advance(self, batch: dict[str, Any]) -> None:
        status = batch["status"]
        if status == "cancelling":
            return self._end(batch, "cancelled", self.partial)
        if status not in _STEPS or (self.stall and status == "in_progress"):
            return
        following = _STEPS.index(status) + 1
        if following < len(_STEPS):
            batch["status"] = _STEPS[following]
        elif self.outcome == "expired":
            self._end(batch, "expired", self.partial)
        elif self.outcome == "failed":
            batch["status"] = "failed"
            batch["errors"] = {
                "object": "list",
                "data": [{"code": "invalid_request", "message": "the stub refused this batch"}],
            }
        else:
            self._end(batch, "completed", None)

    def _end(self, batch: dict[str, Any], status: str, answered: int | None) -> None:
        """Answer the lines (the first `answered` of them, or all) into output/error files."""
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].decode().splitlines()]
        output: list[str] = []
        errors: list[str] = []
        for i, line in enumerate(lines):
            custom_id, body = line["custom_id"], line["body"]
            row: dict[str, Any] = {"id": f"batch_req_{i}", "custom_id": custom_id}
            if answered is not None and i >= answered:
                if status == "expired":  # as OpenAI: listed with batch_expired; cancelled: absent
                    error = {"code": "batch_expired", "message": "batch_expired (stub)"}
                    errors.append(json.dumps(row | {"response": None, "error": error}))
            elif self.fail_line is not None and self.fail_line(custom_id, body):
                error = {"message": "stub: invalid request", "type": "invalid_request_error"}
                response = {"status_code": 400, "request_id": f"req_{i}", "body": {"error": error}}
                row |= {"response": response, "error": None}
                errors.append(json.dumps(row))
            else:
                reply = self._answer(body)
                response = {
                    "status_code": reply.status,
                    "request_id": f"req_{i}",
                    "body": reply.body,
                }
                row |= {"response": response, "error": None}
                (output if reply.status == 200 else errors).append(json.dumps(row))
        for name, rows in (("output_file_id", output), ("error_file_id", errors)):
            if rows:
                file_id = f"file-{len(self.files) + 1}"
                self.files[file_id] = ("\n".join(rows) + "\n").encode()
                batch[name] = file_id
        batch["status"] = status
        batch["request_counts"] = {
            "total": len(lines),
            "completed": len(output),
            "failed": len(errors),
        }

    # ------------------------------------------------------------------ running

    def created(self) -> int:
        return sum(1 for c in self.calls if c == "POST /v1/batches")
