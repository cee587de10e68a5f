"""Errors that name the fix, and defaults that suit slow local servers (stub tier)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from summarizer.backends import get_backend
from summarizer.backends.openai import OpenAIBackend
from summarizer.clean import clean
from summarizer.cli import app
from summarizer.config import DEFAULT_TIMEOUT_S, LOCAL_TIMEOUT_S, Settings
from summarizer.errors import BackendError, ConfigError
from summarizer.records import Article
from tests.stub_llm import Reply, StubServer, answers, completion, error, hang
from tests.test_openai_backend import GOOD, SEED, SUMMARY

# llama-cpp-python's answer to response_format json_schema: a 500 whose useful part comes late.
LLAMA_500 = (
    "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input "
    "should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': \"'text' "
    "or 'json_object'\"}}] while validating the request body of /v1/chat/completions for model "
    "smollm2: see the server log; the request's response_format.type was 'json_schema'"
)


@pytest.fixture
def article() -> Article:
    return clean(SEED.read_bytes(), SEED.name)


def settings(url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {"backend": "openai", "base_url": url, "max_retries": 3}
    return Settings(_env_file=None, **(values | extra))


def refusing(*styles: str) -> Any:
    """A llama.cpp-like server: the given styles get the 500 above, others are answered."""
    good = answers(GOOD, SUMMARY)

    def reply(body: dict[str, Any]) -> Reply:
        style = "json"
        if body.get("tools"):
            style = "tools"
        elif (body.get("response_format") or {}).get("type") == "json_schema":
            style = "json_schema"
        if style in styles:
            return error(500, LLAMA_500)(body)
        return good(body)

    return reply


def test_a_refused_shape_costs_one_request_before_auto_moves_on(article: Article) -> None:
    with StubServer(refusing("tools", "json_schema")) as server:
        gen = OpenAIBackend(settings(server.url)).extract(article)
    # One refused request per mode, never retried (a transient 500 would be: see below).
    assert len(server.requests) == 3
    assert gen.usage.transport_retries == 0 and len(gen.value) == 1
    notes = " ".join(gen.usage.notes)
    assert "structured output mode: json" in notes
    assert "tools rejected with HTTP 500 (" in notes and "Input should be" in notes


def test_a_transient_500_is_still_retried(article: Article) -> None:
    with StubServer(error(500, "out of memory, try again"), answers(GOOD, SUMMARY)) as server:
        gen = OpenAIBackend(settings(server.url, mode="tools")).extract(article)
    assert gen.usage.transport_retries == 1 and len(server.requests) == 2


def test_an_explicit_mode_refused_is_one_line_with_the_reason_and_the_setting(
    article: Article,
) -> None:
    with StubServer(refusing("json_schema")) as server, pytest.raises(BackendError) as err:
        OpenAIBackend(settings(server.url, mode="json_schema")).extract(article)
    message = str(err.value)
    assert len(server.requests) == 1
    assert "\n" not in message
    assert "refused structured-output mode 'json_schema' (HTTP 500" in message
    assert "Input should be 'text' or 'json_object'" in message
    assert "response_format.type was 'json_schema'" in message  # the reason is not cut short
    assert "SUMMARIZER_MODE=auto" in message and "--mode" in message


def test_loopback_defaults_wait_longer_and_do_not_retry_read_timeouts() -> None:
    local = settings("http://127.0.0.1:8080/v1")
    remote = settings("https://api.example.org/v1")
    assert local.request_timeout() == LOCAL_TIMEOUT_S > remote.request_timeout()
    assert remote.request_timeout() == DEFAULT_TIMEOUT_S
    assert not local.retries_read_timeouts() and remote.retries_read_timeouts()
    assert settings("http://localhost:1/v1").local_server()
    assert settings("http://[::1]:1/v1").local_server()
    explicit = settings("http://127.0.0.1:8080/v1", timeout_s=5, retry_read_timeouts=True)
    assert explicit.request_timeout() == 5 and explicit.retries_read_timeouts()


def test_a_read_timeout_on_loopback_is_not_retried(article: Article) -> None:
    with StubServer(hang(2.0)) as server, pytest.raises(BackendError) as err:
        OpenAIBackend(settings(server.url, timeout_s=0.5, mode="tools")).extract(article)
    assert len(server.requests) == 1
    message = str(err.value)
    assert "within 0.5s" in message and "SUMMARIZER_RETRY_READ_TIMEOUTS=true" in message
    assert "\n" not in message


def _cut(body: dict[str, Any]) -> Reply:
    text = '{"incidents": [{"event_type": "attack", "status": "occ'
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        call = {"id": "c", "type": "function", "function": {"name": name, "arguments": text}}
        message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
    else:
        message = {"role": "assistant", "content": text}
    return Reply(body=completion(message, "length"))


@pytest.mark.parametrize("mode", ["tools", "json"])
def test_max_tokens_hit_is_reported_once_with_the_fix(mode: str, article: Article) -> None:
    with StubServer(_cut) as server, pytest.raises(BackendError) as err:
        OpenAIBackend(settings(server.url, mode=mode, max_tokens=64)).extract(article)
    assert len(server.requests) == 1  # the same request would stop at the same limit
    message = str(err.value)
    assert "max_tokens=64" in message and "SUMMARIZER_MAX_TOKENS" in message
    assert "\n" not in message


def test_an_answer_cut_at_max_tokens_that_the_server_does_not_flag_leaves_a_note(
    article: Article,
) -> None:
    # llama.cpp's server reports a tool call cut at max_tokens as finish_reason 'tool_calls':
    # the stub's answers use 20 output tokens, the request allows 20.
    with StubServer(answers(GOOD, SUMMARY)) as server:
        gen = OpenAIBackend(settings(server.url, mode="tools", max_tokens=20)).extract(article)
    assert len(server.requests) == 1
    notes = [n for n in gen.usage.notes if "max_tokens=20" in n]
    assert len(notes) == 1 and "SUMMARIZER_MAX_TOKENS" in notes[0]
    with StubServer(answers(GOOD, SUMMARY)) as server:
        roomy = OpenAIBackend(settings(server.url, mode="tools", max_tokens=21)).extract(article)
    assert not any("max_tokens" in n for n in roomy.usage.notes)


def _cli_options() -> set[str]:
    root = typer.main.get_command(app)
    found: set[str] = set()

    def walk(command: Any) -> None:  # typer ships its own click: duck-typed
        for param in command.params:
            found.update(o for o in param.opts if o.startswith("--"))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    return found | {"--help"}  # click adds it to every command


def test_every_flag_a_message_names_exists() -> None:
    options = _cli_options()
    assert "--mode" in options
    package = Path(__file__).resolve().parent.parent / "summarizer"
    named: dict[str, str] = {}
    for path in package.rglob("*.py"):
        for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]+", path.read_text(encoding="utf-8")):
            named.setdefault(flag, path.name)
    missing = {flag: where for flag, where in named.items() if flag not in options}
    assert not missing, f"messages name flags no command has: {missing}"


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"backend": "replay"}, "set SUMMARIZER_RECORDINGS_DIR"),
        ({"backend": "replay", "recordings_dir": "missing"}, "missing is not a folder"),
        ({"backend": "llamacpp"}, "pass --model-path x.gguf (or set SUMMARIZER_MODEL_PATH)"),
        ({"backend": "llamacpp", "model_path": "nope.gguf"}, "nope.gguf: no such file"),
    ],
)
def test_a_backend_missing_its_file_says_which_setting_to_give(
    values: dict[str, Any], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        get_backend(Settings(_env_file=None, **values))
    assert says in str(err.value) and "None" not in str(err.value) and "\n" not in str(err.value)
