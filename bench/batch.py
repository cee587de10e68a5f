"""Batch throughput, cached re-runs and memory, against a loopback stub with a fixed latency.

What it measures (one run, side by side):

  llm c=N      `summarizer batch` with the openai backend against a stub server on
               127.0.0.1 that answers every request after a fixed --latency (200 ms),
               at --concurrency 1, 8 and 32, with --no-dedup so that every article is
               sent (2 requests: extract, then summarize). The ideal is the stub's own
               lower bound: requests it answered x latency / concurrency (the stub
               counts them; cache hits send none); the ratio is ideal / measured (1.0 =
               the runner adds nothing). "mixed" is the seeds and dev pages (HTML,
               trafilatura cleaning); "text" the seed variants only (cleaning costs
               little, so the runner's own cost shows). c=1 runs on --c1-articles.
               The last row is the default command (dedup on): reposts are derived
               from their original, not sent.
  offline p=N  the offline backend on 1 and 2 worker processes (--offline-articles): /s.
  re-run       the same command again on the finished OUT (resume: everything is
               skipped by doc_id before cleaning): articles/s.
  --force      the same corpus again with --force and the warm answer cache: every
               article is read, cleaned and served from the cache (no request).
  memory       peak RSS (VmHWM) of the batch process at 1,000 and
               10,000 articles (seed variants; a no-op analysis plug-in, see
               memory_child): flat means the runner streams instead of holding the
               corpus or the results.

The corpus: the five seed articles and the 84 dev news pages (../shared/devdata,
HTML), cycled, each copy with one unique sentence put into its body, so that
hardly any two cleaned texts are equal (few cache hits; near-duplicates are still
linked, that is part of the work).

Times: "run" is the batch itself (the summary's elapsed_s: from the first input to
OUT complete); "process" adds the interpreter start and imports (seconds on a
loaded machine).

Usage: .venv/bin/python bench/batch.py [--articles 1000] [--latency 0.2]
       [--c1-articles 100] [--offline-articles 100] [--skip-memory] [--memory-only]
       [--profile N]   (main-process CPU per article under cProfile, c=32, text corpus)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))
DEV = ROOT.parent / "shared" / "devdata" / "cleaning_en_news" / "html"
EXTRACT = {"incidents": []}
#: The memory runs' no-op analysis: an empty summary (a record, not an answer to re-ask).
SUMMARY: dict[str, Any] = {"headline": None, "sentences": [], "key_claims": [], "loaded_terms": []}
_ARTICLE = re.compile(r"BEGIN ARTICLE (\S+)\n(.*?)\nEND ARTICLE \1", re.S)


def summary_for(body: dict[str, Any]) -> dict[str, Any]:
    """A records-v2 summary that validates on the article asked about, so it is not re-asked.

    The schema asks for at least one sentence; an empty one would be re-asked up to
    SUMMARIZER_MAX_REASKS times and the benchmark would measure re-asks. One sentence
    that is the article's first words, quoted as its own evidence, passes the schema and
    the summary check on most pages (the step's cost, not its content, is measured).
    """
    users = [m.get("content") or "" for m in body["messages"] if m.get("role") == "user"]
    found = _ARTICLE.search(users[-1]) if users else None
    words = found.group(2).split()[:10] if found else []
    sentences = [{"text": " ".join(words), "evidence": [{"quote": " ".join(words)}]}]
    return {
        "headline": None,
        "sentences": sentences if words else [],
        "key_claims": [],
        "loaded_terms": [],
    }


# ---------------------------------------------------------------------------- the stub


def serve(port_file: Path, latency: float) -> None:
    """A chat-completions stub: a tool-call answer after `latency` seconds, every time."""

    count = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # the number of chat requests answered so far
            data = str(count[0]).encode()
            self.send_response(200)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))
            with lock:
                count[0] += 1
            time.sleep(latency)
            step = "You extract incident records" in json.dumps(body)
            tool = body["tools"][0]["function"]["name"]
            args = json.dumps(EXTRACT if step else summary_for(body))
            call = {"id": "c", "type": "function", "function": {"name": tool, "arguments": args}}
            answer = {
                "id": "b",
                "object": "chat.completion",
                "created": 0,
                "model": "bench",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                        "finish_reason": "tool_calls",
                    }
                ],
                "usage": {"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050},
            }
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


class Stub:
    """The stub in its own process, so its threads do not share the runner's GIL."""

    def __init__(self, latency: float, tmp: Path) -> None:
        port_file = tmp / f"port-{latency}-{time.monotonic_ns()}"
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port_file), "--latency", str(latency)]
        )
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError("the stub server did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port_file.read_text()}/v1"

    def requests(self) -> int:
        """Chat requests the stub has answered since it started."""
        with urllib.request.urlopen(self.url.removesuffix("/v1") + "/count", timeout=10) as r:
            return int(r.read())

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


# ---------------------------------------------------------------------------- the corpus


def bases(html: bool = True) -> list[tuple[str, bytes]]:
    found = [(p.stem, p.read_bytes()) for p in SEEDS]
    if html and DEV.is_dir():
        found += [
            (p.name.split(".")[0], gzip.decompress(p.read_bytes()))
            for p in sorted(DEV.glob("*.gz"))
        ]
    return found


def anchor(raw: bytes) -> bytes | None:
    """Bytes of the page that the cleaner keeps: a run of words from its longest kept line."""
    from summarizer.clean import clean

    try:
        lines = clean(raw).text.splitlines()
    except Exception:
        return None
    for line in sorted(lines, key=len, reverse=True)[:5]:
        words = line.split()
        for start in range(0, max(1, len(words) - 6), 3):
            piece = " ".join(words[start : start + 6]).encode()
            if len(piece) > 20 and raw.count(piece) == 1:
                return piece
    return None


def vary(raw: bytes, i: int, at: bytes | None = None) -> bytes:
    """One unique sentence inside the body, before `at` (bytes the cleaner keeps).

    So no two copies of a page clean to the same text (few cache hits), while each
    copy is still a near-duplicate of the first (linked, as reposts are).
    """
    sentence = f"Desk note {i}: item {i} of the corpus was filed on the {i % 28 + 1}th. "
    if at is not None:
        cut = raw.index(at)
        return raw[:cut] + sentence.encode() + raw[cut:]
    text = raw.decode("utf-8", "replace")
    paragraphs = text.split("\n\n")
    paragraphs.insert(max(1, len(paragraphs) // 2), sentence.strip())
    return "\n\n".join(paragraphs).encode("utf-8")


#: Anchor per base page, keyed by its place in the pool: two dev pages can share a stem
#: (nationnews.*), and one page's anchor is not in the other.
_ANCHORS: dict[int, bytes | None] = {}


def make_corpus(folder: Path, n: int, html: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pool = bases(html)
    seeds = {p.stem for p in SEEDS}
    for i in range(n):
        slot = i % len(pool)
        name, raw = pool[slot]
        if name not in seeds and slot not in _ANCHORS:
            _ANCHORS[slot] = anchor(raw)
        ext = ".txt" if name in seeds else ".html"
        (folder / f"{i:05d}_{name}{ext}").write_bytes(vary(raw, i, _ANCHORS.get(slot)))


# ---------------------------------------------------------------------------- runs


def batch(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Run `summarizer batch` in a fresh process; (wall seconds, its summary JSON)."""
    summary = Path(tempfile.mktemp(suffix=".json"))
    cli = [sys.executable, "-c", "from summarizer.cli import main; main()"]
    started = time.perf_counter()
    done = subprocess.run(
        [*cli, "batch", *args, "-q", "--summary-json", str(summary)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    data = json.loads(summary.read_text())
    summary.unlink()
    return wall, data


def environment(tmp: Path, url: str | None, cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    env.update({"SUMMARIZER_ENV_FILE": "", "SUMMARIZER_CACHE_DIR": str(tmp / cache)})
    if url:
        env.update({"SUMMARIZER_BASE_URL": url, "OPENAI_API_KEY": "sk-bench"})
    return env


def memory_child(n: int, tmp: Path) -> None:
    """Run one batch in this process and print its peak RSS (and the largest worker's).

    The analysis step is a no-op plug-in (`Options.analyse`): at ~10 articles/s of
    instructor + pydantic CPU per LLM article on this machine, 10,000 real LLM articles
    would take a quarter of an hour; what grows with the corpus (inputs, cleaning
    window, dedup index, journal, finishing) is all still exercised.
    """
    import asyncio

    from summarizer.batch import Options, Runner
    from summarizer.config import Settings
    from summarizer.records import Article, ArticleResult, NeutralSummary, Provenance

    async def no_op(article: Article) -> ArticleResult:
        summary = NeutralSummary.model_validate(SUMMARY)
        provenance = Provenance(backend="offline", model="no-op", prompt_version="bench")
        return ArticleResult(article=article, incidents=[], summary=summary, provenance=provenance)

    corpus = tmp / f"mem{n}"
    make_corpus(corpus, n, html=False)
    conf = Settings(_env_file=None, backend="offline", cache_dir=tmp / f"memcache{n}")
    runner = Runner([str(corpus)], conf, Options(out=tmp / f"mem{n}.jsonl", analyse=no_op))

    async def drain() -> None:
        async for _ in runner.outcomes():
            pass

    before = high_water_kib()
    asyncio.run(drain())
    peak = high_water_kib()
    print(json.dumps({"n": n, "ok": runner.summary.ok, "rss_kib_start": before,
                      "rss_kib_peak": peak, "elapsed_s": runner.summary.elapsed_s}))  # fmt: skip


def high_water_kib() -> int:
    """This process's peak RSS (VmHWM). Not ru_maxrss: Linux carries the parent's peak
    over fork and exec into it, so a child started by a big parent reports the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def profile(n: int, concurrency: int, latency: float, tmp: Path) -> None:
    """Main-process CPU per article of an in-process batch (text corpus, --no-dedup) against
    the stub, under cProfile: the harness behind the CPU table in RESULTS.md."""
    import asyncio
    import cProfile
    import pstats

    from summarizer.batch import Options, Runner
    from summarizer.config import Settings

    make_corpus(tmp / "profiled", n, html=False)
    stub = Stub(latency, tmp)
    try:
        conf = Settings(_env_file=None, backend="openai", base_url=stub.url,
                        api_key="sk-bench", cache_dir=tmp / "profile-cache")  # fmt: skip
        options = Options(out=tmp / "profiled.jsonl", concurrency=concurrency, dedup=False)
        runner = Runner([str(tmp / "profiled")], conf, options)

        async def drain() -> None:
            async for _ in runner.outcomes():
                pass

        prof = cProfile.Profile()
        cpu = time.process_time()
        prof.enable()
        asyncio.run(drain())
        prof.disable()
        cpu = time.process_time() - cpu
    finally:
        stub.close()
    s = runner.summary
    print(f"{n} articles (ok {s.ok}, cached {s.cached}), c={concurrency}: main-process CPU "
          f"{cpu:.2f} s = {cpu / n * 1000:.1f} ms per article (under cProfile)")  # fmt: skip
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--c1-articles", type=int, default=100)
    parser.add_argument("--offline-articles", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N text articles")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return
    if args.memory_child:
        memory_child(args.memory_child, args.tmp)
        return

    if args.profile:
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
            profile(args.profile, 32, args.latency, Path(name))
        return

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
        tmp = Path(name)
        if not args.memory_only:
            corpus, small, text = tmp / "corpus", tmp / "small", tmp / "text"
            make_corpus(corpus, args.articles)
            make_corpus(small, args.c1_articles)
            make_corpus(text, args.articles, html=False)
            offline = tmp / "offline"
            make_corpus(offline, args.offline_articles)
            stub = Stub(args.latency, tmp)
            try:
                # (label, concurrency, corpus, articles, dedup). Throughput rows run with
                # --no-dedup: every article is sent, so the LLM path is what is measured;
                # the last row is the default command (reposts derived, not sent).
                runs = [
                    ("mixed", 1, small, args.c1_articles, False),
                    ("mixed", 8, corpus, args.articles, False),
                    ("mixed", 32, corpus, args.articles, False),
                    ("text", 32, text, args.articles, False),
                    ("mixed", 32, corpus, args.articles, True),
                ]
                for label, c, folder, n, dedup in runs:
                    key = f"{label}-c{c}{'-dedup' if dedup else ''}"
                    env = environment(tmp, stub.url, f"cache-{key}")
                    out = tmp / f"llm-{key}.jsonl"
                    cmd = [str(folder), "-o", str(out), "-j", str(c)]
                    before = stub.requests()
                    wall, s = batch([*cmd, *([] if dedup else ["--no-dedup"])], env)
                    # The ideal is the stub's own lower bound: every request it answered
                    # takes `latency`, `c` at a time (2 per article sent: extract, then
                    # summarize; cache hits and derived reposts send none).
                    sent = stub.requests() - before
                    ideal = sent * args.latency / c
                    run_s = s["elapsed_s"]
                    rows.append(
                        (
                            f"llm {label} c={c}" + (" (default: dedup on)" if dedup else ""),
                            f"{n} articles, {sent} requests: run {run_s:.1f} s (process "
                            f"{wall:.1f} s); ideal {ideal:.1f} s; **ratio {ideal / run_s:.2f}** "
                            f"({ideal / wall:.2f} with process start); {n / run_s:.1f} "
                            f"articles/s; ok {s['ok']}, failed {s['failed']}, cached "
                            f"{s['cached']}, duplicates {s['duplicates']}",
                        )
                    )
                    print(rows[-1], flush=True)
                    if not dedup:
                        continue
                    wall, s = batch(cmd, env)
                    rate, prate = s["total"] / s["elapsed_s"], s["total"] / wall
                    rows.append(
                        (
                            "re-run (resume)",
                            f"{s['skipped']} skipped: run {s['elapsed_s']:.2f} s = {rate:.0f} "
                            f"articles/s (process {wall:.1f} s = {prate:.0f}/s)",
                        )
                    )
                    print(rows[-1], flush=True)
                    before = stub.requests()
                    wall, s = batch([*cmd, "--force"], env)
                    rate = s["total"] / s["elapsed_s"]
                    rows.append(
                        (
                            "--force, warm cache",
                            f"{s['cached']} cached, {s['duplicates']} duplicates of "
                            f"{s['total']}, {stub.requests() - before} requests: run "
                            f"{s['elapsed_s']:.1f} s = {rate:.0f} articles/s "
                            f"(process {wall:.1f} s)",
                        )
                    )
                    print(rows[-1], flush=True)
            finally:
                stub.close()
            for p in (1, 2):
                env = environment(tmp, None, f"cache-off{p}")
                out = tmp / f"offline-p{p}.jsonl"
                args_p = [str(offline), "-o", str(out), "--processes", str(p)]
                wall, s = batch([*args_p, "--backend", "offline"], env)
                rate = s["total"] / s["elapsed_s"]
                rows.append(
                    (
                        f"offline p={p}",
                        f"{s['total']} articles: run {s['elapsed_s']:.1f} s = {rate:.1f} "
                        f"articles/s (process {wall:.1f} s)",
                    )
                )
                print(rows[-1], flush=True)
        if not args.skip_memory:
            for n in (1000, 10000):
                done = subprocess.run(
                    [sys.executable, __file__, "--memory-child", str(n), "--tmp", str(tmp)],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                data = json.loads(done.stdout.strip().splitlines()[-1])
                mib = {k: v / 1024 for k, v in data.items() if k.startswith("rss")}
                rows.append(
                    (
                        f"memory n={n}",
                        f"peak RSS {mib['rss_kib_peak']:.0f} MiB (at start "
                        f"{mib['rss_kib_start']:.0f} MiB; workers not counted); ok "
                        f"{data['ok']} in {data['elapsed_s']:.0f} s (no-op analysis)",
                    )
                )
                print(rows[-1], flush=True)
    print()
    print("| run | result |\n|---|---|")
    for what, result in rows:
        print(f"| {what} | {result} |")


if __name__ == "__main__":
    main()
