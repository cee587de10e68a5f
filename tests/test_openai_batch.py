"""`--openai-batch`: the corpus through a loopback stub of OpenAI's files and batches endpoints."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.transport import request_hash
from summarizer.batch import Options, Runner, Summary
from summarizer.batch.openai_batch import OpenAIBatchRun, acancel, astatus, load_state
from summarizer.batch.sinks import errors_path
from summarizer.config import Settings
from tests.conftest import run_cli
from tests.stub_batch import BatchStub
from tests.stub_llm import Reply, answers, step_of, tool_call
from tests.test_batch import _variant
from tests.test_openai_backend import GOOD, KEY, SUMMARY, settings


def _corpus(tmp_path: Path, n: int = 3) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True)
    for i in range(n):
        (corpus / f"{i}.txt").write_text(_variant(i), encoding="utf-8")
    return corpus


def _conf(url: str, tmp_path: Path, **extra: Any) -> Settings:
    return settings(url, mode="tools", cache_dir=tmp_path / "cache", **extra)


def _batch(
    corpus: Path, conf: Settings, out: Path, lines: list[str] | None = None, **options: Any
) -> Summary:
    say = lines.append if lines is not None else None
    opts = Options(out=out, processes=0, **{"dedup": False, **options})
    run = OpenAIBatchRun([str(corpus)], conf, opts, poll_interval=0.001, say=say)
    return asyncio.run(run.arun())


def _results(out: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    return {Path(r["article"]["source"]).name: r for r in rows}


def _errors(out: Path) -> dict[str, dict[str, Any]]:
    path = errors_path(out)
    if not path.exists():
        return {}
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    return {Path(r["path"]).name: r for r in rows}


def _live(corpus: Path, conf: Settings, out: Path, stub: BatchStub) -> tuple[Summary, list[Any]]:
    """The ordinary live batch on the same server: (its summary, the requests it sent)."""
    before = len(stub.chat)
    runner = Runner([str(corpus)], conf, Options(out=out, processes=0, dedup=False))

    async def go() -> None:
        async for _ in runner.outcomes():
            pass

    asyncio.run(go())
    return runner.summary, stub.chat[before:]


def test_batch_sends_the_live_requests_and_ships_the_live_answers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    lines: list[str] = []
    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        conf = _conf(stub.url, tmp_path)
        summary = _batch(corpus, conf, out, lines)
        # The same corpus live, on a fresh cache: the very same request bodies, the same records.
        fresh = conf.model_copy(update={"cache_dir": tmp_path / "fresh"})
        live_summary, live_requests = _live(corpus, fresh, tmp_path / "live.jsonl", stub)
        # The answers are in the live cache: a live run on it sends nothing.
        again, requests = _live(corpus, conf, tmp_path / "again.jsonl", stub)
        # The plain command resumes the batch's OUT: same settings fingerprint, nothing redone.
        resumed, resent = _live(corpus, conf, out, stub)
    assert summary.ok == 3 and summary.failed == 0 and summary.exit_code == 0
    assert stub.created() == 2  # extracts, then summaries (they list the extracted incidents)
    steps = [{step_of(line["body"]) for line in upload} for upload in stub.uploads]
    assert steps == [{"extract"}, {"summarize"}]
    assert all(line["url"] == "/v1/chat/completions" for u in stub.uploads for line in u)
    assert all(KEY not in json.dumps(u) for u in stub.uploads)
    assert any("round 1: OpenAI batch batch_1: completed, 3/3 done" in x for x in lines)
    assert live_summary.ok == 3
    sent = sorted(request_hash(json.dumps(x["body"]).encode()) for u in stub.uploads for x in u)
    assert sent == sorted(request_hash(json.dumps(b).encode()) for b in live_requests)
    batch, live = _results(out), _results(tmp_path / "live.jsonl")
    assert batch.keys() == live.keys()
    for name, row in batch.items():
        assert row["incidents"] == live[name]["incidents"]
        assert row["summary"] == live[name]["summary"]
        notes = row["provenance"]["notes"]
        assert any("answered through the OpenAI Batch API (batch_" in n for n in notes)
        assert row["provenance"]["tokens_in"] == live[name]["provenance"]["tokens_in"]
    assert again.ok == 3 and again.cached == 3 and requests == []
    assert resumed.skipped == 3 and resumed.ok == 0 and resent == []
    # The state stays (status shows it); answers and uploads are gone once OUT is complete.
    state = load_state(out)
    assert state is not None and [p.status for r in state.rounds for p in r.parts] == [
        "completed",
        "completed",
    ]
    assert KEY not in out.with_name("out.jsonl.openai-batch.json").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if "openai-batch" in p.name) == [
        "out.jsonl.openai-batch.json"
    ]


def test_a_rerun_submits_nothing_and_cached_articles_are_never_submitted(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        conf = _conf(stub.url, tmp_path)
        _live(_corpus(tmp_path / "one", 1), conf, tmp_path / "warm.jsonl", stub)  # 0.txt now cached
        first = _batch(corpus, conf, out)
        assert first.ok == 3 and first.cached == 1
        assert [len(u) for u in stub.uploads] == [2, 2]
        second = _batch(corpus, conf, out)
    assert second.skipped == 3 and second.ok == 0 and second.exit_code == 0
    assert stub.created() == 2


def test_an_ungrounded_answer_is_reasked_in_the_next_round(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["incidents"][0]["evidence"][0]["quote"] = "a sentence the article never says"

    def script(body: dict[str, Any]) -> Reply:
        if step_of(body) == "extract" and len(body["messages"]) <= 2:
            return tool_call(bad)
        return answers(GOOD, SUMMARY, only="tools")(body)

    corpus = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    with BatchStub(script) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path, max_reasks=1), out)
    assert summary.ok == 2
    assert stub.created() == 3  # extracts, their re-asks, summaries
    assert all(len(x["body"]["messages"]) > 2 for x in stub.uploads[1])  # re-asks carry the error
    assert "not grounded" in json.dumps(stub.uploads[1])
    for row in _results(out).values():
        assert row["incidents"] and row["provenance"]["validation_retries"] == 1


def test_a_failed_line_becomes_an_error_row_and_the_rest_finishes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"

    def fail(_custom_id: str, body: dict[str, Any]) -> bool:
        return "report number 1 " in json.dumps(body) and step_of(body) == "extract"

    with BatchStub(answers(GOOD, SUMMARY, only="tools"), fail_line=fail) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path), out)
    assert summary.ok == 2 and summary.failed == 1 and summary.exit_code == 1
    assert sorted(_results(out)) == ["0.txt", "2.txt"]
    row = _errors(out)["1.txt"]
    assert row["kind"] == "llm" and "HTTP 400" in row["message"] and "\n" not in row["message"]


def test_an_expired_batch_keeps_its_answers_and_a_rerun_submits_the_rest(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="tools"), outcome="expired", partial=1) as stub:
        conf = _conf(stub.url, tmp_path)
        first = _batch(corpus, conf, out)
        # round 1 answered one extract; round 2 (its summary, alone) answered it
        assert first.ok == 1 and first.failed == 2
        errors = _errors(out)
        assert {r["kind"] for r in errors.values()} == {"llm"}
        assert all("ended (expired)" in r["message"] for r in errors.values())
        stub.outcome = "completed"
        second = _batch(corpus, conf, out)
    assert second.ok == 2 and second.skipped == 1 and second.exit_code == 0 and not _errors(out)
    # the re-run asked only for the two articles left
    assert [len(u) for u in stub.uploads] == [3, 1, 2, 2]
    assert sorted(_results(out)) == ["0.txt", "1.txt", "2.txt"]


def test_a_whole_batch_failure_becomes_error_rows(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="tools"), outcome="failed") as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path), out)
    assert summary.failed == 2 and summary.exit_code == 2
    assert all("the stub refused this batch" in r["message"] for r in _errors(out).values())


class _Crash(Exception):
    pass


def test_a_crash_after_create_resumes_the_same_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"

    async def crash(*_args: Any) -> Any:
        raise _Crash

    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        conf = _conf(stub.url, tmp_path)
        with monkeypatch.context() as patch:
            patch.setattr(OpenAIBatchRun, "_wait", crash)
            with pytest.raises(_Crash):
                _batch(corpus, conf, out)
        state = load_state(out)
        assert state is not None and state.rounds[0].parts[0].batch_id == "batch_1"
        assert stub.created() == 1
        assert not out.exists() or out.read_text(encoding="utf-8") == ""
        summary = _batch(corpus, conf, out)
    assert summary.ok == 3
    assert stub.created() == 2  # round 1 was picked up, not submitted again
    assert sum(1 for c in stub.calls if c == "POST /v1/files") == 2


def test_cancel_keeps_what_was_answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"

    async def crash(*_args: Any) -> Any:
        raise _Crash

    with BatchStub(answers(GOOD, SUMMARY, only="tools"), stall=True, partial=2) as stub:
        conf = _conf(stub.url, tmp_path)
        with monkeypatch.context() as patch:
            patch.setattr(OpenAIBatchRun, "_wait", crash)
            with pytest.raises(_Crash):
                _batch(corpus, conf, out)
        status = asyncio.run(astatus(out, conf))
        assert "round 1: 3 requests, OpenAI batch batch_1: in_progress, 0/3 done" in status[1]
        said = asyncio.run(acancel(out, conf))
        assert "batch_1: cancelling" in said
        stub.stall = False
        summary = _batch(corpus, conf, out)
    assert summary.ok == 2 and summary.failed == 1
    assert "ended (cancelled)" in next(iter(_errors(out).values()))["message"]


def test_cli_openai_batch_status_and_cancel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with BatchStub(answers(GOOD, SUMMARY)) as stub:
        args = ["--base-url", stub.url, "--backend", "openai"]
        code, _out, err = run_cli(
            [
                "batch",
                str(corpus),
                "-o",
                str(out),
                "--openai-batch",
                "--poll-interval",
                "0.001",
                "--processes",
                "0",
                *args,
            ],
            capsys,
            monkeypatch,
        )
        assert code == 0, err
        assert len(_results(out)) == 2 and KEY not in err
        code, shown, err = run_cli(["batch", "status", str(out), *args], capsys, monkeypatch)
        assert (
            code == 0 and "round 2: 1 requests, batch_2 completed (downloaded)" in shown
        )  # a repost derived
        code, _o, err = run_cli(["batch", "cancel", str(out), *args], capsys, monkeypatch)
        assert code == 2 and "has no open OpenAI batch to cancel" in err
        assert err.count("\n") == 1
    code, _o, err = run_cli(["batch", "status", str(tmp_path / "none.jsonl")], capsys, monkeypatch)
    assert code == 2 and "no OpenAI batch for" in err


def test_a_crash_between_create_and_saving_its_id_adopts_that_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.openai_batch as module

    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    real = module.save_state

    def crash_once_created(path: Path, state: Any) -> None:
        if state.rounds and state.rounds[-1].parts[-1].batch_id is not None:
            raise _Crash
        real(path, state)

    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        conf = _conf(stub.url, tmp_path)
        with monkeypatch.context() as patch:
            patch.setattr(module, "save_state", crash_once_created)
            with pytest.raises(_Crash):
                _batch(corpus, conf, out)
        state = load_state(out)
        assert (
            state is not None
            and state.rounds[0].parts[0].file_id
            and not state.rounds[0].parts[0].batch_id
        )
        summary = _batch(corpus, conf, out)
    assert summary.ok == 3
    assert stub.created() == 2  # the orphan was found by its input file and polled
    assert load_state(out).rounds[0].parts[0].batch_id == "batch_1"  # type: ignore[union-attr]


def test_the_budget_is_checked_before_any_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.openai_batch as module
    from summarizer.errors import BudgetError

    monkeypatch.setattr(module, "price_for", lambda *_a: (100.0, 100.0))  # loopback is free
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        conf = _conf(stub.url, tmp_path, max_cost_usd=0.5)
        with pytest.raises(BudgetError, match=r"for 3 batch requests exceeds --max-cost \$0.5"):
            _batch(corpus, conf, out)
    assert stub.calls == []


def test_auto_mode_falls_back_across_rounds_as_live(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="json_schema")) as stub:
        conf = settings(stub.url, mode="auto", cache_dir=tmp_path / "cache")
        summary = _batch(corpus, conf, out)
    assert summary.ok == 2
    styles = [{"tools" if x["body"].get("tools") else "other" for x in u} for u in stub.uploads]
    assert styles == [{"tools"}, {"other"}, {"other"}]  # tools refused: json_schema next round
    for row in _results(out).values():
        assert "structured output mode: json_schema" in " ".join(row["provenance"]["notes"])


@pytest.mark.parametrize(
    ("status", "says"),
    [(401, "check OPENAI_API_KEY"), (404, "this server has no Batch API")],
)
def test_a_refusing_server_is_one_line_without_the_key(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    says: str,
) -> None:
    corpus = _corpus(tmp_path, 1)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with BatchStub(answers(GOOD, SUMMARY), refuse=status) as stub:
        code, _out, err = run_cli(
            [
                "batch",
                str(corpus),
                "-o",
                str(tmp_path / "out.jsonl"),
                "--openai-batch",
                "--base-url",
                stub.url,
                "--processes",
                "0",
                "-q",
            ],
            capsys,
            monkeypatch,
        )
    assert code == 3 and f"HTTP {status}" in err and says in err
    assert err.count("\n") == 1 and KEY not in err and "Traceback" not in err
    assert KEY not in (tmp_path / "out.jsonl.openai-batch.json").read_text(encoding="utf-8")


def test_plain_batch_invocations_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, 1)
    for args in (
        ["batch", "-o", str(tmp_path / "a.jsonl"), str(corpus), "-q", "--processes", "0"],
        ["batch", "run", str(corpus), "-o", str(tmp_path / "b.jsonl"), "-q", "--processes", "0"],
    ):
        code, _out, err = run_cli(args, capsys, monkeypatch)
        assert code == 0, err
    assert len(_results(tmp_path / "a.jsonl")) == len(_results(tmp_path / "b.jsonl")) == 1
    code, _out, err = run_cli(
        ["batch", str(corpus), "-o", str(tmp_path / "c.jsonl"), "--openai-batch"],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "--openai-batch needs the openai backend" in err
    record = ["--record", str(tmp_path / "rec"), "--base-url", "http://127.0.0.1:9/v1"]
    code, _out, err = run_cli(
        ["batch", str(corpus), "-o", str(tmp_path / "d.jsonl"), "--openai-batch", *record],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "--openai-batch sends none: leave one out" in err
    code, _out, err = run_cli(
        ["batch", "-", "-o", str(tmp_path / "e.jsonl"), "--openai-batch", *record[2:]],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "stdin only once: save the records to a file" in err


def test_a_round_over_the_per_batch_limit_goes_as_several_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.batch_state as state_module

    monkeypatch.setattr(state_module, "MAX_REQUESTS_PER_BATCH", 2)
    corpus = _corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    lines: list[str] = []
    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path), out, lines)
    assert summary.ok == 3
    assert [len(u) for u in stub.uploads] == [2, 1, 2, 1]  # two batches a round
    state = load_state(out)
    assert state is not None and [len(r.parts) for r in state.rounds] == [2, 2]
    assert any("round 1: submitted 1 requests as batch_2" in x for x in lines)


def test_reposts_wait_for_their_original_and_are_derived_not_submitted(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 3)  # variants of one article: 1 and 2 are reposts of 0
    out = tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY, only="tools")) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path), out, dedup=True)
    assert summary.ok == 3 and summary.duplicates == 2
    assert [len(u) for u in stub.uploads] == [1, 1]  # the original's extract, then its summary
    results = _results(out)
    for name in ("1.txt", "2.txt"):
        notes = " ".join(results[name]["provenance"]["notes"])
        assert "derived from" in notes and results[name]["duplicate_of"] is not None


def test_reasks_exhausted_ship_what_is_grounded_or_fail_as_live(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["incidents"][0]["evidence"][0]["quote"] = "a sentence the article never says"

    def script(body: dict[str, Any]) -> Reply:
        text = json.dumps(body)
        if step_of(body) == "extract" and "report number 0 " in text:
            return tool_call(bad)  # never grounded, however often it is asked
        if step_of(body) == "extract" and "report number 1 " in text:
            return tool_call({"incidents": "not a list"})  # never schema-valid
        return answers(GOOD, SUMMARY, only="tools")(body)

    corpus = _corpus(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    with BatchStub(script) as stub:
        conf = _conf(stub.url, tmp_path, max_reasks=1, field_guide="auto")
        summary = _batch(corpus, conf, out)
    assert summary.ok == 2 and summary.failed == 1
    # extracts; two re-asks and 2.txt's summary; 0.txt's summary. No field-guide round (auto):
    # the token counts show the schema reached the model.
    assert [len(u) for u in stub.uploads] == [3, 3, 1]
    row = _results(out)["0.txt"]
    assert "re-asks exhausted: ungrounded values dropped" in " ".join(row["provenance"]["notes"])
    assert row["provenance"]["dropped"]
    error = _errors(out)["1.txt"]
    assert (
        error["kind"] == "llm"
        and "returned no valid Extraction after 2 attempts" in error["message"]
    )


def test_a_step_that_never_settles_ends_as_an_error_row_after_the_round_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.batch.openai_batch as module

    monkeypatch.setattr(module, "ROUNDS_PER_STEP", 0)  # max_reasks=1: two rounds in all
    bad = json.loads(json.dumps(GOOD))
    bad["incidents"][0]["evidence"][0]["quote"] = "a sentence the article never says"

    def script(body: dict[str, Any]) -> Reply:
        return tool_call(bad) if step_of(body) == "extract" else tool_call(SUMMARY)

    corpus = _corpus(tmp_path, 2)
    out = tmp_path / "out.jsonl"
    with BatchStub(script) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path, max_reasks=1), out)
    assert [len(u) for u in stub.uploads] == [2, 2]  # extracts, re-asks; summaries not allowed
    assert summary.failed == 2 and summary.ok == 0
    rows = _errors(out)
    assert all(
        "still unanswered after 2 OpenAI batch rounds" in r["message"] for r in rows.values()
    )


def test_status_and_cancel_of_a_plain_run_say_it_has_no_batch_without_asking_for_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # No key is set (conftest clears them): 'needs OPENAI_API_KEY' sent the user after a key
    # that would only have led to the same answer.
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    code, _o, err = run_cli(["batch", "status", str(out)], capsys, monkeypatch)
    assert code == 2 and "no OpenAI batch for" in err and "OPENAI_API_KEY" not in err
    code, _o, err = run_cli(["batch", "cancel", str(out)], capsys, monkeypatch)
    assert code == 2 and "has no open OpenAI batch to cancel" in err
    assert "OPENAI_API_KEY" not in err and err.count("\n") == 1


def test_a_round_never_uploaded_does_not_hold_other_settings_back(tmp_path: Path) -> None:
    """A failed upload (a wrong key, a server down) leaves a round with nothing on the
    server. A run with other settings then starts afresh: refusing it with "cancel first"
    was a dead end, since cancel has no batch to cancel."""
    from summarizer.errors import SummarizerError

    corpus, out = _corpus(tmp_path, 1), tmp_path / "out.jsonl"
    with BatchStub(answers(GOOD, SUMMARY), refuse=401) as stub:
        with pytest.raises(SummarizerError):
            _batch(corpus, _conf(stub.url, tmp_path), out)
        with pytest.raises(SummarizerError, match="no open OpenAI batch to cancel"):
            asyncio.run(acancel(out, _conf(stub.url, tmp_path)))
    with BatchStub(answers(GOOD, SUMMARY)) as stub:
        summary = _batch(corpus, _conf(stub.url, tmp_path, model="another-model"), out)
    assert summary.ok == 1 and summary.failed == 0
    state = load_state(out)
    assert state is not None and state.model == "another-model"


def test_a_batch_on_the_server_holds_other_settings_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An open batch made with other settings is not abandoned (it runs and costs on the
    server): the run is refused with the way out; once cancelled and collected by the same
    command, the other settings start afresh."""
    from summarizer.errors import SummarizerError

    corpus, out = _corpus(tmp_path, 1), tmp_path / "out.jsonl"

    async def crash(*_args: Any) -> Any:
        raise _Crash

    with BatchStub(answers(GOOD, SUMMARY, only="tools"), stall=True) as stub:
        conf, other = _conf(stub.url, tmp_path), _conf(stub.url, tmp_path, model="another-model")
        with monkeypatch.context() as patch:
            patch.setattr(OpenAIBatchRun, "_wait", crash)
            with pytest.raises(_Crash):
                _batch(corpus, conf, out)
        with pytest.raises(SummarizerError, match=r"other settings.*batch cancel"):
            _batch(corpus, other, out)
        asyncio.run(acancel(out, conf))
        stub.stall = False
        _batch(corpus, conf, out)
        summary = _batch(corpus, other, out)
    assert summary.ok == 1
    state = load_state(out)
    assert state is not None and state.model == "another-model"
