"""The async-first seams: one async LLM step under a sync wrapper, the run-level budget,
one mode probe per run, clients closed on every loop, proxies, and the key kept out of bodies."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.replay import ReplayBackend
from summarizer.clean import clean
from summarizer.errors import BackendError, BudgetError
from summarizer.pricing import Budget, step_estimate
from summarizer.records import Article
from tests.conftest import FIXTURES, SEEDS
from tests.localmodel_server import replay_settings
from tests.stub_llm import Reply, StubServer, answers, error
from tests.test_openai_backend import GOOD, KEY, SEED, SUMMARY, settings

RECORDINGS = FIXTURES / "recordings"
MODELS = sorted(p.name for p in RECORDINGS.iterdir() if p.is_dir())


def _dump(gen: Any) -> Any:
    value = gen.value
    data = [v.model_dump(mode="json") for v in value] if isinstance(value, list) else value
    if not isinstance(data, list):
        data = data.model_dump(mode="json")
    usage = {**gen.usage.__dict__, "latency_s": None}
    return {"value": data, "usage": usage}


@pytest.mark.parametrize("model", MODELS)
def test_sync_and_async_give_identical_results_on_the_replayed_seeds(model: str) -> None:
    conf = replay_settings(model, RECORDINGS)
    articles = [clean(seed.read_bytes(), seed.name) for seed in SEEDS]
    with ReplayBackend(conf) as backend:
        sync = []
        for article in articles:
            found = backend.extract(article)
            sync.append((_dump(found), _dump(backend.summarize(article, found.value))))

    async def run_async() -> list[Any]:
        async with ReplayBackend(conf) as backend:

            async def one(article: Article) -> Any:
                found = await backend.aextract(article)
                summary = await backend.asummarize(article, found.value)
                return _dump(found), _dump(summary)

            return list(await asyncio.gather(*(one(a) for a in articles)))

    assert sync == asyncio.run(run_async())
    assert all(extract["value"] or summary["value"] for extract, summary in sync)


def test_sync_api_works_from_inside_a_running_loop() -> None:
    article = clean(SEED.read_bytes(), SEED.name)

    async def notebook_cell() -> int:
        with StubServer(answers(GOOD, SUMMARY)) as server:
            backend = OpenAIBackend(settings(server.url, use_cache=False))
            try:
                return len(backend.extract(article).value)  # sync call, loop running here
            finally:
                backend.close()

    assert asyncio.run(notebook_cell()) == 1


def test_close_closes_the_clients_of_both_loops() -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY)) as server:
        backend = OpenAIBackend(settings(server.url, use_cache=False))
        backend.extract(article)  # the sync API's private loop

        async def use_async() -> None:
            await backend.aextract(article)  # this loop's own client
            clients = backend.clients()
            assert len(clients) == 2 and not any(c.is_closed() for c in clients)
            backend.close()
            await asyncio.sleep(0)  # the running loop's client closes as a task here
            await asyncio.sleep(0.05)
            assert all(c.is_closed() for c in clients)

        asyncio.run(use_async())
    assert backend.clients() == []


def test_backends_are_context_managers_sync_and_async() -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY)) as server:
        with OpenAIBackend(settings(server.url, use_cache=False)) as backend:
            backend.extract(article)
            clients = backend.clients()
        assert clients and all(c.is_closed() for c in clients)

        async def scoped() -> list[Any]:
            async with OpenAIBackend(settings(server.url, use_cache=False)) as backend:
                await backend.aextract(article)
                return backend.clients()

        assert all(c.is_closed() for c in asyncio.run(scoped()))


def _variants(n: int) -> list[Article]:
    base = clean(SEED.read_bytes(), SEED.name)
    return [base.model_copy(update={"text": f"{base.text}\nVariant {i}."}) for i in range(n)]


def test_mode_is_probed_once_before_the_fan_out() -> None:
    """A json_schema-only server: only one task walks the modes, the rest go straight there."""
    articles = _variants(8)
    with StubServer(answers(GOOD, SUMMARY, only="json_schema")) as server:

        async def run() -> None:
            async with OpenAIBackend(settings(server.url, use_cache=False)) as backend:
                await asyncio.gather(*(backend.aextract(a) for a in articles))

        asyncio.run(run())
    tools_tries = [r for r in server.requests if r.get("tools")]
    assert len(tools_tries) == 1  # one probe rejected with 400, not one per task
    assert len(server.requests) == len(articles) + 1


class _RemoteLooking(OpenAIBackend):
    """The stub on 127.0.0.1, priced like a remote server (a loopback one would be free)."""

    @property
    def server(self) -> str | None:
        return "llm.test:1"


def test_budget_reserves_under_concurrency() -> None:
    """Eight concurrent steps, room for three: exactly three reach the server."""
    articles = _variants(8)

    def slow(body: dict[str, Any]) -> Reply:
        reply = answers(GOOD, SUMMARY, only="tools")(body)
        reply.delay_s = 0.2
        return reply

    with StubServer(slow) as server:
        conf = settings(server.url, use_cache=False, mode="tools", model="stub-model")
        conf = conf.model_copy(update={"prices": {"stub-model": (1000.0, 1000.0)}})
        one = step_estimate(conf, "llm.test:1", articles[0].text)
        assert one is not None and one > 0
        budget = Budget(limit=one * 3.5)

        async def run() -> list[Any]:
            async with _RemoteLooking(conf, budget) as backend:
                steps = (backend.aextract(a) for a in articles)
                return await asyncio.gather(*steps, return_exceptions=True)

        outcomes = asyncio.run(run())
    refused = [o for o in outcomes if isinstance(o, BudgetError)]
    assert len(refused) == 5 and "exceeds --max-cost" in str(refused[0])
    assert len(server.requests) == 3
    assert budget.reserved == 0 and budget.spent > 0


def test_budget_settles_to_actual_cost_and_refuses_past_the_limit() -> None:
    budget = Budget(limit=1.0)
    first = budget.reserve(0.6)
    with pytest.raises(BudgetError):
        budget.reserve(0.6)
    budget.settle(first, 0.1)
    budget.settle(budget.reserve(0.6), None)  # unknown actual cost: the estimate is booked
    assert budget.spent == pytest.approx(0.7) and budget.reserved == 0
    with pytest.raises(BudgetError, match="SUMMARIZER_PRICES"):
        budget.reserve(None)
    assert Budget(None).reserve(None).amount == 0.0


def test_proxy_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    with StubServer(answers(GOOD, SUMMARY)) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url.removesuffix("/v1"))
        conf = settings("http://llm.example.test/v1", use_cache=False, max_retries=0)
        with OpenAIBackend(conf) as backend:
            assert len(backend.extract(article).value) == 1
    assert proxy.paths[0] == "http://llm.example.test/v1/chat/completions"


def test_no_proxy_bypasses_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with (
        StubServer(answers(GOOD, SUMMARY)) as server,
        OpenAIBackend(settings(server.url, use_cache=False, max_retries=0)) as backend,
    ):
        assert len(backend.extract(article).value) == 1
    assert server.paths[0] == "/v1/chat/completions"


def test_the_key_echoed_in_a_401_body_is_never_recorded(tmp_path: Path) -> None:
    article = clean(SEED.read_bytes(), SEED.name)
    rec = tmp_path / "rec"
    with StubServer(error(401, f"Incorrect API key provided: Bearer {KEY}")) as server:
        conf = settings(server.url, record_dir=rec, use_cache=False)
        with OpenAIBackend(conf) as backend, pytest.raises(BackendError) as err:
            backend.extract(article)
    assert KEY not in str(err.value)
    files = list(rec.glob("*.json"))
    assert len(files) == 1
    saved = files[0].read_text(encoding="utf-8")
    assert KEY not in saved
    assert "Bearer ***" in json.loads(saved)["response"]["body"]["error"]["message"]
