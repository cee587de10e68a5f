"""How summarize time grows with input size: the pipeline must stay linear, 5 MB under 60 s.

A hostile or careless input (a whole page on one line, one sentence repeated
for megabytes, a lower-cased dump or a page without punctuation, where no
sentence ends) once made the offline backend quadratic; this prints seconds
per size and the ratio to the smallest size, side by side in one run, for each
shape of input, up to 5 MB (the input size limit is a little over that).

    .venv/bin/python bench/scaling.py            # every shape, 0.25 / 1 / 5 MB
    .venv/bin/python bench/scaling.py --quick    # every shape, 50 / 100 / 200 KB
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.config import load_settings
from summarizer.pipeline import summarize_raw

SEED = Path(__file__).resolve().parents[1] / "tests/fixtures/articles/001_e0ed9e276462d8d0.txt"
SENTENCE = (
    "Russian forces fired missiles at Dnipro on Monday, killing three people and injuring 30, "
    "Ukrainian officials said. "
)
FULL = (250_000, 1_000_000, 5_000_000)
QUICK = (50_000, 100_000, 200_000)
TARGET_S = 60.0  # 5 MB of any text


def seconds(raw: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one summarize (a shared machine skews CPU time less)."""
    settings = load_settings(backend="offline", use_cache=False)
    started, cpu = time.perf_counter(), time.process_time()
    summarize_raw(raw, source="bench", settings=settings)
    return time.perf_counter() - started, time.process_time() - cpu


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def shapes() -> dict[str, Callable[[int], str]]:
    # the body alone: a repost's "No comments: / Post a Comment" tail would (rightly) make the
    # cleaner drop every later copy as a comment section
    text = SEED.read_text(encoding="utf-8").split("No comments:")[0].strip()
    return {
        # numbered paragraphs, so the cleaner's repeated-line rules do not fold them away
        "paragraphs": lambda size: "\n\n".join(
            f"{i}. {text}" for i in range(size // (len(text) + 6) + 1)
        )[:size],
        "one line": lambda size: _repeat(text.replace("\n", " ") + " ", size),
        "one sentence": lambda size: _repeat(SENTENCE, size),
        "lower case": lambda size: _repeat(text.lower().replace("\n", " ") + " ", size),
        "no punctuation": lambda size: _repeat(
            "rockets hit the base near Baghdad killing 3 soldiers and wounding 12 ", size
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a quick look")
    sizes = QUICK if parser.parse_args().quick else FULL
    print(f"{'input':<15}{'KB':>7}{'wall s':>9}{'CPU s':>8}{'x CPU':>7}{'x size':>8}")
    worst = 0.0
    for name, make in shapes().items():
        base = None
        for size in sizes:
            raw = make(size)
            wall, cpu = seconds(raw)
            base = base or cpu
            worst = max(worst, wall)
            print(
                f"{name:<15}{len(raw) // 1024:>7}{wall:>9.2f}{cpu:>8.2f}"
                f"{cpu / base:>7.1f}{size / sizes[0]:>8.1f}",
                flush=True,
            )
    print(f"slowest: {worst:.1f} s wall (target for 5 MB: under {TARGET_S:.0f} s)")


if __name__ == "__main__":
    main()
