"""The openai backend against a scripted OpenAI-compatible server on 127.0.0.1.

Covers what real endpoints do to a client: rate limits with Retry-After, 5xx,
hangs past the timeout, malformed and schema-violating JSON, hallucinated
quotes, servers that accept only one structured-output style, refused keys and
dead servers; plus the cache, the budget check, record/replay and the rule
that the key appears in no file, log or output.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends import get_backend
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.replay import ReplayBackend
from summarizer.clean import clean
from summarizer.config import Settings, load_settings
from summarizer.errors import BackendError, BudgetError, ConfigError, RecordingMissingError
from summarizer.grounding import offset_problems
from summarizer.pipeline import summarize_raw
from summarizer.records import Article
from tests.stub_llm import Reply, StubServer, answers, content, error, hang, step_of, tool_call

KEY = "sk-test-SECRET123"
SEED = Path(__file__).parent / "fixtures" / "articles" / "004_fca63ceb93ec3f39.txt"
GOOD = {
    "incidents": [
        {
            "event_type": "shelling_or_missile",
            "status": "occurred",
            "description": "A rocket attack targeted the Green Village base.",
            "locations": [
                {
                    "name": "Green Village",
                    "geo_precision": 1,
                    "evidence": [{"quote": "a rocket attack targeted the Green Village"}],
                }
            ],
            "casualties": {"none_reported": True},
            "evidence": [
                {"quote": "Early on January 5, a rocket attack targeted the Green Village."}
            ],
        }
    ]
}
HALLUCINATED = {
    "incidents": [
        {
            **GOOD["incidents"][0],
            "evidence": [{"quote": "US forces destroyed 40 rocket launchers near al-Mayadin"}],
        }
    ]
}
SUMMARY = {
    "headline": {
        "text": "Rocket attack targets the Green Village",
        "evidence": [{"quote": GOOD["incidents"][0]["evidence"][0]["quote"]}],
    },
    "sentences": [
        {
            "text": "A rocket attack targeted the Green Village on January 5.",
            "evidence": [{"quote": GOOD["incidents"][0]["evidence"][0]["quote"]}],
        }
    ],
    "key_claims": [],
    "loaded_terms": [],
}


@pytest.fixture
def article() -> Article:
    return clean(SEED.read_bytes(), SEED.name)


def settings(url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "backend": "openai",
        "base_url": url,
        "api_key": KEY,
        "max_retries": 2,
        "timeout_s": 5.0,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)


def by_step(extract: Any, summary: Any = SUMMARY) -> Any:
    """A script entry answering with tool calls, whichever step asks."""
    return lambda body: tool_call(extract if step_of(body) == "extract" else summary)


@pytest.mark.parametrize("only", ["tools", "json_schema", "json"])
def test_servers_that_accept_only_one_output_style(only: str, article: Article) -> None:
    with StubServer(answers(GOOD, SUMMARY, only=only)) as server:
        backend = OpenAIBackend(settings(server.url))
        first = backend.extract(article)
        summary = backend.summarize(article, first.value)
        calls_after_first = len(server.requests)
        backend.extract(article.model_copy(update={"text": article.text + "\nMore."}))
    assert [i.event_type.value for i in first.value] == ["shelling_or_missile"]
    assert offset_problems(article.text, first.value) == []
    assert f"extract: structured output mode: {only}" in first.usage.notes
    assert summary.value.headline is not None
    assert summary.value.headline.text.startswith("Rocket attack")
    # The working mode is remembered: later requests go straight to it.
    assert len(server.requests) == calls_after_first + 1
    assert first.usage.tokens_in == server.prompt_tokens[-3] and first.usage.tokens_out == 20
    assert "field guide" not in " ".join(first.usage.notes)  # the stub shows the schema


def test_429_with_retry_after_then_success(article: Article) -> None:
    with StubServer(error(429, "slow down", **{"Retry-After": "0.3"}), by_step(GOOD)) as server:
        started = time.perf_counter()
        gen = OpenAIBackend(settings(server.url)).extract(article)
    assert time.perf_counter() - started >= 0.3
    assert gen.usage.transport_retries == 1 and gen.usage.validation_retries == 0
    assert len(server.requests) == 2


def test_500_then_success_is_a_transport_retry(article: Article) -> None:
    with StubServer(error(500), by_step(GOOD)) as server:
        gen = OpenAIBackend(settings(server.url, mode="tools")).extract(article)
    assert gen.usage.transport_retries == 1 and len(gen.value) == 1


def test_hang_past_the_timeout_is_retried_then_fails_with_one_line(article: Article) -> None:
    with StubServer(hang(3.0), by_step(GOOD)) as server:
        retrying = settings(server.url, timeout_s=0.5, retry_read_timeouts=True)
        gen = OpenAIBackend(retrying).extract(article)
        assert gen.usage.transport_retries == 1 and len(gen.value) == 1
    with StubServer(hang(3.0)) as server, pytest.raises(BackendError) as err:
        retrying = settings(server.url, timeout_s=0.3, max_retries=1, retry_read_timeouts=True)
        OpenAIBackend(retrying).extract(article)
    assert "no answer from 127.0.0.1" in str(err.value) and "within 0.3s" in str(err.value)
    assert "\n" not in str(err.value)


def test_malformed_json_is_reasked(article: Article) -> None:
    with StubServer(lambda _b: tool_call("{not json"), by_step(GOOD)) as server:
        gen = OpenAIBackend(settings(server.url)).extract(article)
    assert gen.usage.validation_retries == 1 and gen.usage.transport_retries == 0
    assert len(gen.value) == 1 and gen.usage.tokens_in == sum(server.prompt_tokens) > 0


def test_schema_violating_json_is_reasked_with_the_error(article: Article) -> None:
    bad = {"incidents": [{"event_type": "picnic", "status": "occurred"}]}
    with StubServer(by_step(bad), by_step(GOOD)) as server:
        gen = OpenAIBackend(settings(server.url)).extract(article)
    assert gen.usage.validation_retries == 1
    reask = json.dumps(server.requests[1]["messages"][-1])
    assert "picnic" in reask or "event_type" in reask


def test_hallucinated_quote_is_rejected_and_reasked(article: Article) -> None:
    with StubServer(by_step(HALLUCINATED), by_step(GOOD)) as server:
        gen = OpenAIBackend(settings(server.url)).extract(article)
    assert gen.usage.validation_retries == 1 and gen.usage.dropped == []
    reask = json.dumps(server.requests[1]["messages"][-1])
    assert "quote not found in the article" in reask
    assert "40 rocket launchers" not in json.dumps([i.model_dump() for i in gen.value])


def test_still_ungrounded_after_the_last_reask_is_dropped_and_listed(article: Article) -> None:
    with StubServer(by_step(HALLUCINATED)) as server:
        gen = OpenAIBackend(settings(server.url, max_reasks=1)).extract(article)
    assert len(server.requests) == 2  # first try + one re-ask
    assert gen.value == []
    assert gen.usage.validation_retries == 1
    assert any("40 rocket launchers" in str(d) for d in gen.usage.dropped)
    assert all(d.path.startswith("incidents[") for d in gen.usage.dropped)


def test_always_malformed_output_is_one_clear_error(article: Article) -> None:
    with (
        StubServer(lambda _b: content("I cannot help with that.")) as server,
        pytest.raises(BackendError) as err,
    ):
        OpenAIBackend(settings(server.url, mode="json", max_reasks=1)).extract(article)
    assert "returned no valid Extraction after 2 attempts" in str(err.value)


def test_401_says_the_key_was_refused_without_printing_it(article: Article) -> None:
    with (
        StubServer(error(401, f"Incorrect API key provided: {KEY}")) as server,
        pytest.raises(BackendError) as err,
    ):
        OpenAIBackend(settings(server.url)).extract(article)
    assert "refused the API key (HTTP 401)" in str(err.value)
    assert KEY not in str(err.value)
    sent = {k.lower(): v for k, v in server.headers[0].items()}
    assert sent["authorization"] == f"Bearer {KEY}"  # the key was sent, just never shown


def test_dead_server_fails_fast_with_one_line(article: Article) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(BackendError) as err:
        OpenAIBackend(settings(f"http://127.0.0.1:{port}/v1", max_retries=3)).extract(article)
    assert time.perf_counter() - started < 60
    message = str(err.value)
    assert message.startswith(f"cannot reach 127.0.0.1:{port} after 3 retries")
    assert "\n" not in message


def test_no_key_and_no_base_url_says_how_to_configure() -> None:
    with pytest.raises(ConfigError) as err:
        OpenAIBackend(Settings(_env_file=None, backend="openai"))
    assert "OPENAI_API_KEY" in str(err.value) and "offline" in str(err.value)


def test_second_identical_run_is_served_from_cache(tmp_path: Path) -> None:
    raw = SEED.read_bytes()
    with StubServer(answers(GOOD, SUMMARY)) as server:
        conf = settings(server.url, cache_dir=tmp_path / "cache")
        first = summarize_raw(raw, source=SEED.name, settings=conf)
        calls = len(server.requests)
        second = summarize_raw(raw, source=SEED.name, settings=conf)
        assert len(server.requests) == calls  # zero new requests
        refreshed = summarize_raw(raw, source=SEED.name, settings=conf.model_copy(
            update={"refresh_cache": True}))  # fmt: skip
        assert len(server.requests) == 2 * calls
    assert first.provenance.cache_hit is False and second.provenance.cache_hit is True
    assert refreshed.provenance.cache_hit is False
    assert second.incidents == first.incidents and second.summary == first.summary
    assert second.provenance.tokens_in == 0


def test_max_cost_refuses_to_start(article: Article) -> None:
    priced = settings("https://api.openai.com/v1", model="gpt-4o", max_cost_usd=0.0001)
    with pytest.raises(BudgetError, match="exceeds --max-cost"):
        OpenAIBackend(priced).extract(article)
    unknown = settings("https://llm.example.org/v1", model="mystery", max_cost_usd=1.0)
    with pytest.raises(BudgetError, match="SUMMARIZER_PRICES"):
        OpenAIBackend(unknown).extract(article)


def test_article_text_goes_out_verbatim_even_with_template_syntax(article: Article) -> None:
    # instructor renders messages as Jinja templates when given a context: an article
    # quoting template code must neither be rewritten nor fail, and grounding still runs.
    odd = "\nThe page script read {{ user.name }} and {% if x %} before the body.\n"
    text = article.text + odd
    with StubServer(by_step(HALLUCINATED), by_step(GOOD)) as server:
        gen = OpenAIBackend(settings(server.url)).extract(article.model_copy(update={"text": text}))
    sent = " ".join(m["content"] or "" for m in server.requests[0]["messages"])
    assert "{{ user.name }} and {% if x %}" in sent
    assert gen.usage.validation_retries == 1  # the hallucinated quote was caught and re-asked
    assert "quote not found in the article" in json.dumps(server.requests[1]["messages"][-1])


def test_async_client_extracts_too(article: Article) -> None:
    with StubServer(answers(GOOD, SUMMARY)) as server:
        backend = OpenAIBackend(settings(server.url))
        gen = asyncio.run(backend.aextract(article))
    assert len(gen.value) == 1 and gen.usage.tokens_in == server.prompt_tokens[0] > 0


def test_record_then_replay_without_a_server(tmp_path: Path, article: Article) -> None:
    rec = tmp_path / "rec"
    with StubServer(answers(GOOD, SUMMARY)) as server:
        live = OpenAIBackend(settings(server.url, record_dir=rec, model="stub-model"))
        live_gen = live.extract(article)
    files = sorted(rec.glob("*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text())
    assert saved["provenance"].startswith(
        f"recorded from {server.url.split('/')[2]} stub-model on "
    )
    replay = ReplayBackend(
        Settings(_env_file=None, backend="replay", recordings_dir=rec, model="stub-model")
    )
    replayed = replay.extract(article)
    assert replayed.value == live_gen.value
    assert any(n.startswith("extract: replayed: recorded from") for n in replayed.usage.notes)
    with pytest.raises(RecordingMissingError) as err:
        replay.extract(article.model_copy(update={"text": article.text + " changed"}))
    assert "no recording for request" in str(err.value) and "fixtures record" in str(err.value)


def test_the_key_appears_in_no_file_log_or_output(tmp_path: Path) -> None:
    cache, rec = tmp_path / "cache", tmp_path / "rec"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))},
        "OPENAI_API_KEY": KEY,
        "SUMMARIZER_CACHE_DIR": str(cache),
        "SUMMARIZER_ENV_FILE": os.devnull,
    }
    cli = [sys.executable, "-c", "from summarizer.cli import main; main()"]
    with StubServer(answers(HALLUCINATED, SUMMARY)) as server:
        env["SUMMARIZER_BASE_URL"] = server.url
        run = subprocess.run(
            [*cli, "summarize", "--backend", "openai", "--record", str(rec), str(SEED)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["provenance"]["backend"] == "openai" and result["provenance"]["dropped"]
    with StubServer(error(401, f"bad key {KEY}")) as server:
        env["SUMMARIZER_BASE_URL"] = server.url
        refused = subprocess.run(
            [*cli, "summarize", "--backend", "openai", "--no-cache", str(SEED)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert refused.returncode != 0
    assert refused.stderr.count("\n") == 1 and "refused the API key" in refused.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.parent == rec for p in written) and any(cache in p.parents for p in written)
    for text in [run.stdout, run.stderr, refused.stdout, refused.stderr]:
        assert KEY not in text
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("variable", ["SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"])
def test_server_from_the_environment(
    variable: str, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    with StubServer(answers(GOOD, SUMMARY, only="json_schema")) as server:
        monkeypatch.setenv(variable, server.url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        conf = load_settings()
        assert conf.resolved_backend() == "openai"
        gen = get_backend(conf).extract(article)
    assert len(gen.value) == 1


def test_retry_after_beyond_the_cap_is_not_waited_for(article: Article) -> None:
    with StubServer(error(429, "quota", **{"Retry-After": "3600"})) as server:
        started = time.perf_counter()
        with pytest.raises(BackendError) as err:
            OpenAIBackend(settings(server.url)).extract(article)
    assert time.perf_counter() - started < 10 and len(server.requests) == 1
    assert "HTTP 429, it asks to wait 3600 s" in str(err.value)


def test_server_that_ignores_tools_falls_back_to_json(article: Article) -> None:
    def ignores_tools(body: dict[str, Any]) -> Reply:
        return content(GOOD if step_of(body) == "extract" else SUMMARY)

    with StubServer(ignores_tools) as server:
        gen = OpenAIBackend(settings(server.url, max_reasks=1)).extract(article)
    assert len(gen.value) == 1
    assert "extract: mode fallback: tools answered without tool calls" in gen.usage.notes
    assert "extract: structured output mode: json_schema" in gen.usage.notes
    assert len(server.requests) == 3  # two tool-mode tries, then json_schema at once
    assert gen.usage.validation_retries == 1


def test_the_remembered_async_validator_check_still_refuses_async_validators() -> None:
    # The backend makes instructor's per-request walk run once per class that passed;
    # a class with an async validator must still be refused, every time.
    from instructor.v2.validation import async_validators
    from pydantic import BaseModel

    import summarizer.backends.openai  # noqa: F401  (installs the memo)

    class Fine(BaseModel):
        x: int

    class Async(BaseModel):
        x: int

        @async_validators.async_field_validator("x")
        async def check_x(self, value: int) -> None:
            return None

    check = async_validators.reject_async_validators
    assert getattr(check, "memoised", False)
    check(Fine)
    check(Fine)
    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            check(Async)
