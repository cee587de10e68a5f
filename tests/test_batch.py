"""The batch job: bad inputs become error rows, outputs are whole, resume is exact, 429s pass."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIBackend
from summarizer.batch import Options, Runner, run
from summarizer.batch.results import Summary
from summarizer.config import Settings, load_settings
from summarizer.pricing import Budget
from tests.conftest import SEEDS, run_cli
from tests.stub_llm import Reply, StubServer, answers, error, step_of
from tests.test_openai_backend import GOOD, SUMMARY, settings

ROOT = Path(__file__).resolve().parents[1]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _drain(runner: Runner) -> Summary:
    async def go() -> None:
        async for _ in runner.outcomes():
            pass

    asyncio.run(go())
    return runner.summary


class _RemoteLooking(OpenAIBackend):
    """The loopback stub, priced like a remote server (loopback servers are free)."""

    @property
    def server(self) -> str | None:
        return "llm.test:1"


def _variant(i: int, marker: str = "") -> str:
    """Seed 004 with one more paragraph in its body: a distinct text (and request) per i."""
    base = SEEDS[4].read_text(encoding="utf-8")
    extra = f"Follow-up report number {i} {marker}was filed on the same day by the desk.\n\n"
    return base.replace("The second wave of strikes", extra + "The second wave of strikes", 1)


def test_one_of_each_bad_input_gives_the_right_error_rows_and_exit_1(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_llm_fails.txt").write_text(_variant(1, "MARKER-FAIL "), encoding="utf-8")
    (corpus / "b_good.txt").write_text(_variant(2), encoding="utf-8")
    (corpus / "c_empty.txt").write_bytes(b"")
    (corpus / "d_binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "e_undecodable.txt").write_bytes(bytes(range(128, 256)) * 4)
    (corpus / "f_too_large.txt").write_bytes(b"word " * (6 << 18))
    (corpus / "g_menus.txt").write_text("Home\nNews\nSport\nContact\n", encoding="utf-8")
    (corpus / "z_over_budget.txt").write_text(_variant(3), encoding="utf-8")

    def script(body: dict[str, Any]) -> Reply:
        if "MARKER-FAIL" in json.dumps(body):
            return error(503, "overloaded")(body)
        reply = answers(GOOD, SUMMARY, only="tools")(body)
        if step_of(body) == "summarize" and "report number 2" in json.dumps(body):
            reply.body["usage"] = {"prompt_tokens": 10_000_000, "completion_tokens": 10}
        return reply

    out = tmp_path / "out.jsonl"
    with StubServer(script) as server:
        conf = settings(server.url, use_cache=False, mode="tools", max_retries=1, model="stub")
        conf = conf.model_copy(update={"prices": {"stub": (1.0, 1.0)}, "max_cost_usd": 0.2})
        backend = _RemoteLooking(conf)
        options = Options(out=out, concurrency=1, processes=0)
        summary = _drain(Runner([str(corpus)], conf, options, backend=backend))
    rows = [json.loads(line) for line in _lines(tmp_path / "out.jsonl.errors.jsonl")]
    kinds = {Path(r["path"]).name: r["kind"] for r in rows}
    assert kinds == {
        "a_llm_fails.txt": "llm",
        "c_empty.txt": "empty",
        "d_binary.txt": "binary",
        "e_undecodable.txt": "undecodable",
        "f_too_large.txt": "too_large",
        "g_menus.txt": "no_text",
        "z_over_budget.txt": "budget",
    }
    for row in rows:
        assert row["message"] and "\n" not in row["message"]
        assert set(row) == {"path", "doc_id", "kind", "message"}
    assert "HTTP 503" in next(r["message"] for r in rows if r["kind"] == "llm")
    assert "exceeds --max-cost" in next(r["message"] for r in rows if r["kind"] == "budget")
    written = [json.loads(line) for line in _lines(out)]
    assert [Path(r["article"]["source"]).name for r in written] == ["b_good.txt"]
    assert summary.ok == 1 and summary.failed == 7 and summary.exit_code == 1


def test_whole_run_estimate_over_budget_is_refused_before_any_request(tmp_path: Path) -> None:
    with StubServer(answers(GOOD, SUMMARY)) as server:
        conf = settings(server.url, use_cache=False, model="stub")
        conf = conf.model_copy(update={"prices": {"stub": (100.0, 100.0)}, "max_cost_usd": 0.5})
        runner = Runner([str(p) for p in SEEDS], conf, Options(processes=0), _RemoteLooking(conf))
        with pytest.raises(Exception, match=r"for 5 articles exceeds --max-cost"):
            _drain(runner)
        # URL inputs are not fetched to estimate: the refusal says they were left out
        inputs = [*map(str, SEEDS), "https://example.invalid/a", "https://example.invalid/b"]
        runner = Runner(inputs, conf, Options(processes=0), _RemoteLooking(conf))
        with pytest.raises(Exception, match=r"5 articles \(and 2 URL input\(s\) not counted"):
            _drain(runner)
    assert server.requests == []


def _seed_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    for seed in SEEDS:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    return corpus


def test_cli_writes_jsonl_json_and_csv_and_links_the_repost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _seed_corpus(tmp_path)
    outs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("jsonl", "json", "csv")}
    for fmt, out in outs.items():
        args = ["batch", str(corpus), "-o", str(out), "--processes", "0", "-q", "--reproducible"]
        if fmt == "json":
            args += ["--summary-json", str(tmp_path / "summary.json")]
        code, _stdout, _stderr = run_cli(args, capsys, monkeypatch)
        assert code == 0, fmt
    results = [json.loads(line) for line in _lines(outs["jsonl"])]
    assert len(results) == 5
    array = json.loads(outs["json"].read_text(encoding="utf-8"))
    assert sorted(json.dumps(r, sort_keys=True) for r in array) == sorted(
        json.dumps(r, sort_keys=True) for r in results
    )
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["ok"] == 5 and summary["duplicates"] == 1 and summary["exit_code"] == 0
    with outs["csv"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(r["incidents"]) for r in results) > 0
    for column in ("event_date", "time_precision", "event_type", "status", "location",
                   "country", "geo_precision", "initiators", "targets", "means", "killed_low",
                   "killed_best", "killed_high", "injured_best", "quantities", "attribution",
                   "source_article", "outlet", "doc_id", "description"):  # fmt: skip
        assert column in rows[0]
    # The repost (001) is linked to its original (000), and no other pair is.
    links = {o.source: o.duplicate_of for o in run([str(corpus)], load_settings(), processes=0)}
    by_name = {Path(k).name[:3]: v for k, v in links.items()}
    doc_000 = next(o.doc_id for o in run([str(corpus / SEEDS[0].name)], load_settings(),
                                          processes=0, dedup=False))  # fmt: skip
    assert by_name["001"] == doc_000
    assert [k for k, v in by_name.items() if v] == ["001"]


def test_resume_after_a_simulated_crash_gives_every_article_once(tmp_path: Path) -> None:
    corpus = _seed_corpus(tmp_path)
    conf = load_settings()
    whole = tmp_path / "whole.jsonl"
    list(run([str(corpus)], conf, out=whole, processes=0, reproducible=True))
    crashed = tmp_path / "crashed.jsonl"
    list(run([str(corpus)], conf, out=crashed, processes=0, reproducible=True))
    lines = crashed.read_bytes().splitlines(keepends=True)
    crashed.write_bytes(b"".join(lines[:2]) + lines[2][: len(lines[2]) // 2])  # torn mid-line
    again = list(run([str(corpus)], conf, out=crashed, processes=0, reproducible=True))
    assert sorted(o.status for o in again) == ["ok", "ok", "ok", "skipped", "skipped"]
    assert sorted(_lines(crashed)) == sorted(_lines(whole))
    # Other settings are other answers: the stale lines are redone, not kept.
    recordings = ROOT / "tests/fixtures/recordings"
    replay = {"backend": "replay", "recordings_dir": recordings, "model": "reference"}
    other = conf.model_copy(update=replay)
    redone = list(run([str(corpus)], other, out=crashed, processes=0))
    assert {o.status for o in redone} == {"ok"} and len(_lines(crashed)) == 5
    forced = list(run([str(corpus)], other, out=crashed, processes=0, force=True))
    assert {o.status for o in forced} == {"ok"} and len(_lines(crashed)) == 5


def _story(i: int, repost: int = 0) -> str:
    """A story of its own per i (seed 004 with every third word of its other lines made
    unique to i: no two stories share a 5-word run); `repost` 1 adds a sentence, 2 one
    more: the second repost is nearer the first than the story (a chain of reposts)."""
    added = [" The night desk filed an addendum to this report on the same evening.",
             " A second addendum came from the morning desk with one more detail."]  # fmt: skip
    lines = []
    for n, line in enumerate(SEEDS[4].read_text(encoding="utf-8").splitlines()):
        if "Green Village." in line:  # what the stub's answer quotes
            lines.append(line + "".join(added[:repost]))
            continue
        words = line.split(" ")
        lines.append(" ".join(f"s{i}w{n}x{k}" if k % 3 == 1 else w for k, w in enumerate(words)))
    return "\n".join(lines)


def _slow_answers(delay: float) -> Any:
    def reply(body: dict[str, Any]) -> Reply:
        answer = answers(GOOD, SUMMARY, only="tools")(body)
        answer.delay_s = delay
        return answer

    return reply


def _processes_with(mark: str) -> list[int]:
    """Live processes whose environment carries `mark`."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"BATCH_TEST_MARK={mark}".encode() in environ.read_bytes():
                stat = (environ.parent / "stat").read_text()
                if stat.rsplit(")", 1)[1].split()[0] != "Z":  # a zombie has ended
                    found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_kill_9_mid_run_then_resume_is_byte_identical(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(24):  # 8 stories, each followed by two reposts (the second nearer the first)
        (corpus / f"{i:03d}.txt").write_text(_story(i // 3, i % 3), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    mark = f"kill9-{os.getpid()}-{time.monotonic_ns()}"  # finds the run's processes in /proc
    env.update({"SUMMARIZER_ENV_FILE": "", "OPENAI_API_KEY": "sk-test", "BATCH_TEST_MARK": mark,
                "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")})  # fmt: skip
    cli = [sys.executable, "-c", "from summarizer.cli import main; main()"]
    common = ["batch", str(corpus), "--backend", "openai", "--no-cache",
              "--reproducible", "-q", "-j", "2", "--processes", "1"]  # fmt: skip
    with StubServer(_slow_answers(0.15)) as server:
        env["SUMMARIZER_BASE_URL"] = server.url
        whole = tmp_path / "whole.jsonl"
        done = subprocess.run([*cli, *common, "-o", str(whole)], env=env, timeout=300,
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        out = tmp_path / "out.jsonl"
        proc = subprocess.Popen([*cli, *common, "-o", str(out)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 4:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = out.read_bytes().count(b"\n")
        assert 4 <= partial < 24
        # its worker processes (and their forkserver) end too instead of living on orphaned
        deadline = time.monotonic() + 15
        while _processes_with(mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_with(mark) == []
        again = subprocess.run([*cli, *common, "-o", str(out)], env=env, timeout=300,
                               capture_output=True, text=True)  # fmt: skip
        assert again.returncode == 0, again.stderr
    assert sorted(out.read_bytes().splitlines()) == sorted(whole.read_bytes().splitlines())
    assert len(_lines(out)) == 24


def test_429_storm_under_concurrency_loses_nothing(tmp_path: Path) -> None:
    lock = threading.Lock()
    state = {"in_flight": 0, "peak": 0}
    tries: dict[str, int] = {}

    def storm(body: dict[str, Any]) -> Reply:
        key = json.dumps(body, sort_keys=True)
        with lock:
            tries[key] = tries.get(key, 0) + 1
            attempt = tries[key]
            state["in_flight"] += 1
            state["peak"] = max(state["peak"], state["in_flight"])
        try:
            time.sleep(0.02)
            if attempt <= 2:  # every request is rate-limited twice before it is answered
                return Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "0.05"})
            return answers(GOOD, SUMMARY, only="tools")(body)
        finally:
            with lock:
                state["in_flight"] -= 1

    with StubServer(storm) as server:
        conf = settings(server.url, use_cache=False, mode="tools", max_retries=8)
        inputs = []
        for i in range(12):
            path = tmp_path / f"{i:02d}.txt"
            path.write_text(_variant(i), encoding="utf-8")
            inputs.append(str(path))
        # The variants are near-duplicates of each other: dedup off, or 11 would be derived
        # from the first without a request (tests/test_batch_derive.py covers that).
        outcomes = list(
            run(inputs, conf, out=tmp_path / "out.jsonl", concurrency=4, processes=0, dedup=False)
        )
    assert [o.status for o in outcomes].count("ok") == 12
    retries = [json.loads(o.line or "{}")["provenance"]["transport_retries"] for o in outcomes]
    assert sum(retries) == 2 * 24  # 12 articles x 2 steps, each retried twice
    assert state["peak"] <= 4  # a backed-off request keeps its slot; no more than 4 at once
    assert len(_lines(tmp_path / "out.jsonl")) == 12


def test_cache_hits_skip_the_request_slots(tmp_path: Path) -> None:
    inputs = []
    for i in range(6):
        path = tmp_path / f"{i}.txt"
        path.write_text(_variant(i), encoding="utf-8")
        inputs.append(str(path))
    with StubServer(answers(GOOD, SUMMARY, only="tools")) as server:
        conf = settings(server.url, mode="tools", cache_dir=tmp_path / "cache")
        first = list(run(inputs, conf, processes=0, dedup=False))
        sent = len(server.requests)
        second = list(run(inputs, conf, processes=0, dedup=False, concurrency=1))
    assert {o.cached for o in first} == {False} and {o.cached for o in second} == {True}
    assert len(server.requests) == sent


def test_stdin_jsonl_records_and_a_list_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    records = [
        {"id": "r1", "text": SEEDS[2].read_text(encoding="utf-8"), "outlet": "Given Outlet"},
        {"id": "r2", "html": "<html><body><p>" + _variant(7) + "</p></body></html>"},
        {"id": "r3"},
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(json.dumps(r) for r in records)))
    listing = tmp_path / "list.txt"
    listing.write_text(f"# seeds\n{SEEDS[3]}\n\n{tmp_path / 'missing.txt'}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _o, _e = run_cli(["batch", "-", f"@{listing}", "-o", str(out), "--processes", "0",
                            "-q"], capsys, monkeypatch)  # fmt: skip
    assert code == 1
    written = [json.loads(line) for line in _lines(out)]
    assert sorted(r["article"]["source"] for r in written) == ["-:1#r1", "-:2#r2", str(SEEDS[3])]
    assert next(r for r in written if r["article"]["source"] == "-:1#r1")["article"]["outlet"] == (
        "Given Outlet"
    )
    errors = [json.loads(line) for line in _lines(tmp_path / "out.jsonl.errors.jsonl")]
    assert sorted(e["kind"] for e in errors) == ["missing", "record"]


def test_nothing_could_run_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _o, err = run_cli(["batch", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o.jsonl"),
                             "--processes", "0"], capsys, monkeypatch)  # fmt: skip
    assert code == 2 and "1 of 1 inputs failed" in err


def test_offline_runs_in_a_process_pool(tmp_path: Path) -> None:
    corpus = _seed_corpus(tmp_path)
    pooled = list(run([str(corpus)], load_settings(), processes=2, reproducible=True))
    inline = list(run([str(corpus)], load_settings(), processes=0, reproducible=True))
    assert sorted(o.line or "" for o in pooled) == sorted(o.line or "" for o in inline)
    assert {o.status for o in pooled} == {"ok"}


def test_budget_is_shared_by_the_whole_run(tmp_path: Path) -> None:
    budget = Budget(limit=None)
    with StubServer(answers(GOOD, SUMMARY, only="tools")) as server:
        conf = settings(server.url, use_cache=False, mode="tools", model="stub")
        conf = conf.model_copy(update={"prices": {"stub": (1.0, 1.0)}})
        backend = _RemoteLooking(conf)
        paths = []
        for i in range(3):
            path = tmp_path / f"{i}.txt"
            path.write_text(_variant(i), encoding="utf-8")
            paths.append(str(path))
        summary = _drain(Runner(paths, conf, Options(processes=0, budget=budget), backend))
    assert summary.ok == 3
    assert budget.spent == pytest.approx(summary.cost_usd) and budget.spent > 0


def test_settings_fingerprint_changes_with_the_model() -> None:
    from summarizer.backends import get_backend
    from summarizer.batch.results import fingerprint

    a = get_backend(Settings(_env_file=None, backend="replay", model="a", recordings_dir=ROOT))
    b = get_backend(Settings(_env_file=None, backend="replay", model="b", recordings_dir=ROOT))
    assert fingerprint(a) != fingerprint(b) and fingerprint(a) == fingerprint(a)


def test_peak_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    """Ten times the articles, about the same peak: inputs and results are streamed."""
    import tracemalloc

    from summarizer.records import Article, ArticleResult, NeutralSummary, Provenance

    async def no_op(article: Article) -> ArticleResult:
        provenance = Provenance(backend="offline", model="no-op", prompt_version="test")
        summary = NeutralSummary.model_validate(SUMMARY)
        return ArticleResult(article=article, incidents=[], summary=summary, provenance=provenance)

    def peak(n: int) -> int:
        corpus = tmp_path / f"c{n}"
        corpus.mkdir()
        for i in range(n):
            (corpus / f"{i:04d}.txt").write_text(_variant(i), encoding="utf-8")
        options = Options(out=tmp_path / f"{n}.jsonl", processes=0, analyse=no_op)
        runner = Runner([str(corpus)], load_settings(), options)
        tracemalloc.start()
        _drain(runner)
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert runner.summary.ok == n
        return top

    small, large = peak(30), peak(300)
    # The dedup index is on disk and doc_ids are kept compactly: nothing may grow per article
    # beyond a few dozen bytes (a 64-character doc_id string in a set alone costs ~150).
    assert large < small + 300 * 64 + (1 << 20), (small, large)


def test_parquet_output_or_a_clear_message_without_pyarrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _seed_corpus(tmp_path)
    out = tmp_path / "out.parquet"
    args = ["batch", str(corpus), "-o", str(out), "--processes", "0", "-q"]
    try:
        import pyarrow.parquet as pq
    except ImportError:
        code, _o, err = run_cli(args, capsys, monkeypatch)
        assert code == 2 and "pip install 'summarizer[parquet]'" in err
        return
    code, _o, _e = run_cli(args, capsys, monkeypatch)
    assert code == 0
    table = pq.read_table(out)
    journal = [json.loads(line) for line in _lines(tmp_path / "out.parquet.journal.jsonl")]
    assert table.num_rows == sum(len(r["incidents"]) for r in journal) > 0
    assert "killed_best" in table.column_names and "doc_id" in table.column_names


def test_unknown_output_format_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _o, err = run_cli(["batch", str(SEEDS[0]), "-o", str(tmp_path / "out.xlsx")],
                            capsys, monkeypatch)  # fmt: skip
    assert code == 2 and "--format jsonl|json|csv|parquet" in err and err.count("\n") == 1


def test_the_repost_carries_its_duplicate_link_in_the_output(tmp_path: Path) -> None:
    corpus = _seed_corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    list(run([str(corpus)], load_settings(), out=out, processes=0))
    by_name = {Path(r["article"]["source"]).name[:3]: r for r in map(json.loads, _lines(out))}
    link = by_name["001"]["duplicate_of"]
    assert link["doc_id"] == by_name["000"]["article"]["doc_id"] and link["similarity"] > 0.9
    assert [k for k, r in by_name.items() if r.get("duplicate_of")] == ["001"]


def test_an_unreadable_dedup_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _seed_corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.dedup").write_bytes(b"\x00" * 4096)  # not an index (an old format)
    args = ["batch", str(corpus), "-o", str(out), "--processes", "0", "-q"]
    code, _o, err = run_cli(args, capsys, monkeypatch)
    assert code == 2 and "out.jsonl.dedup is not a dedup index" in err and err.count("\n") == 1
    code, _o, _e = run_cli([*args, "--force"], capsys, monkeypatch)
    assert code == 0


def test_two_outputs_in_one_folder_keep_their_own_errors_files(tmp_path: Path) -> None:
    corpus = _seed_corpus(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    for name in ("out.jsonl", "out.csv"):
        list(run([str(corpus)], load_settings(), out=tmp_path / name, processes=0))
    for name in ("out.jsonl", "out.csv"):
        rows = [json.loads(line) for line in _lines(tmp_path / f"{name}.errors.jsonl")]
        assert [Path(r["path"]).name for r in rows] == ["empty.txt"], name
    assert not (tmp_path / "out.errors.jsonl").exists()


def test_a_failed_input_is_logged_with_its_path_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.jsonl"
    code, _o, err = run_cli(["batch", str(missing), "-o", str(out), "--processes", "0"],
                            capsys, monkeypatch)  # fmt: skip
    assert code == 2
    line = next(x for x in err.splitlines() if x.startswith("summarizer: failed"))
    assert line.count(str(missing)) == 1 and "no such file" in line
