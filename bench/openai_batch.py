"""What `--openai-batch` costs on this machine, next to the live path, and that it stays linear.

The Batch API's own latency (minutes to hours) dwarfs everything here; what this
measures is the local work the batch path adds: at least three runner passes over
the corpus (extracts, summaries, final), each re-reading and re-cleaning what is not
yet in OUT, plus writing the uploads and storing the answers. Both paths run in one
process against the same zero-latency loopback stub (`tests/stub_batch.py`, which
serves the batches endpoints and live chat completions from one script), side by
side, on the same corpus: variants of seed 004, each with a unique paragraph, near-
duplicate linking off (every article is sent), a fresh answer cache per run.

Rows: articles/s for the live batch (`--concurrency 8`) and for `--openai-batch`
(poll interval 0), the time ratio, and ms per article at N and 4N (equal = linear).

Usage: .venv/bin/python bench/openai_batch.py [--articles 100]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.batch import Options, Runner  # noqa: E402
from summarizer.batch.openai_batch import OpenAIBatchRun  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from tests.stub_batch import BatchStub  # noqa: E402
from tests.stub_llm import answers  # noqa: E402
from tests.test_batch import _variant  # noqa: E402
from tests.test_openai_backend import GOOD, SUMMARY  # noqa: E402


def _corpus(folder: Path, n: int) -> Path:
    corpus = folder / f"corpus{n}"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"{i}.txt").write_text(_variant(i, f"unique {i} " * 20), encoding="utf-8")
    return corpus


def _settings(url: str, cache: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        backend="openai",
        base_url=url,
        mode="tools",
        cache_dir=cache,
    )


async def _live(corpus: Path, settings: Settings, out: Path) -> float:
    options = Options(out=out, processes=0, dedup=False, concurrency=8)
    runner = Runner([str(corpus)], settings, options)
    async for _ in runner.outcomes():
        pass
    assert runner.summary.ok == runner.summary.total, runner.summary
    return runner.summary.elapsed_s


async def _batch(corpus: Path, settings: Settings, out: Path) -> float:
    options = Options(out=out, processes=0, dedup=False)
    summary = await OpenAIBatchRun([str(corpus)], settings, options, poll_interval=0.0).arun()
    assert summary.ok == summary.total, summary
    return summary.elapsed_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, BatchStub(answers(GOOD, SUMMARY)) as stub:
        folder = Path(tmp)
        for n in (args.articles, 4 * args.articles):
            corpus = _corpus(folder, n)
            started = time.perf_counter()
            live = asyncio.run(
                _live(corpus, _settings(stub.url, folder / f"c{n}l"), folder / f"l{n}.jsonl")
            )
            batch = asyncio.run(
                _batch(corpus, _settings(stub.url, folder / f"c{n}b"), folder / f"b{n}.jsonl")
            )
            rows.append((n, live, batch, time.perf_counter() - started))
    print("| articles | live /s | --openai-batch /s | batch / live time | batch ms/article |")
    print("|---:|---:|---:|---:|---:|")
    for n, live, batch, _wall in rows:
        print(
            f"| {n} | {n / live:.1f} | {n / batch:.1f} | {batch / live:.2f} | "
            f"{1000 * batch / n:.1f} |"
        )
    (n1, _l1, b1, _w1), (n4, _l4, b4, _w4) = rows
    print(f"\nms per article at {n4} / at {n1} (--openai-batch): {(b4 / n4) / (b1 / n1):.2f}")


if __name__ == "__main__":
    main()
