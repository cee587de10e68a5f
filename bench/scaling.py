"""How summarize time grows with input size: the pipeline must stay near-linear.

A hostile or careless input (a whole page on one line, a very long article)
once made the offline backend quadratic; this prints seconds per size and the
ratio to the smallest size, side by side in one run, for two shapes of input:
the seed repeated as paragraphs, and the same text flattened onto one line.

    .venv/bin/python bench/scaling.py
"""

from __future__ import annotations

import time
from pathlib import Path

from summarizer.config import load_settings
from summarizer.pipeline import summarize_raw

SEED = Path(__file__).resolve().parents[1] / "tests/fixtures/articles/001_e0ed9e276462d8d0.txt"
SIZES = (5, 10, 20, 40)


def seconds(raw: str) -> float:
    settings = load_settings(backend="offline", use_cache=False)
    started = time.perf_counter()
    summarize_raw(raw, source="bench", settings=settings)
    return time.perf_counter() - started


def main() -> None:
    # the body alone: a repost's "No comments: / Post a Comment" tail would (rightly) make the
    # cleaner drop every later copy as a comment section
    text = SEED.read_text(encoding="utf-8").split("No comments:")[0].strip()
    shapes = {
        # numbered paragraphs, so the cleaner's repeated-line rules do not fold them away
        "paragraphs": lambda n: "\n\n".join(f"{i}. {text}" for i in range(n)),
        "one line": lambda n: text.replace("\n", " ") * n,
    }
    print(f"{'input':<11}{'copies':>7}{'KB':>8}{'seconds':>9}{'x time':>8}{'x size':>8}")
    for name, make in shapes.items():
        base = None
        for n in SIZES:
            raw = make(n)
            took = seconds(raw)
            base = base or took
            print(
                f"{name:<11}{n:>7}{len(raw) // 1024:>8}{took:>9.2f}"
                f"{took / base:>8.1f}{n / SIZES[0]:>8.1f}"
            )


if __name__ == "__main__":
    main()
