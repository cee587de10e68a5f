"""Score the cleaner against real news pages, side by side with the anchors, in one run.

Data: ../shared/devdata/cleaning_en_news/ (84 pages from trafilatura's evaluation
corpus, each with snippets the cleaned text must contain and must not contain).
Scoring follows trafilatura's own evaluation: whitespace-normalised substring
tests, pooled over all pages: a `with` snippet found is a true positive, one
missing a false negative; a `without` snippet found is a false positive.

Systems, all on the same pages:
  html             summarizer.clean on the original HTML (trafilatura + line rules)
  text             summarizer.clean on a browser-like text render of each page
                   (inscriptis, bullet lists kept, links not shown)
  trafilatura      trafilatura.extract on the original HTML (comments excluded)
  trafilatura-text trafilatura.extract on the render (each line wrapped as <p>, since
                   it only reads HTML)
  keep-everything  the render itself

Speed: each system's cleaning call alone (no file reading, no rendering) is timed
with time.process_time() in this single-threaded process pinned to one CPU core,
after the system has run on three pages untimed (imports, lazily compiled
patterns); pages/s = 84 pages / CPU seconds of the best of --repeat passes over all
pages (default 3, best-of-N as timeit does, to keep unrelated load out). The text
path is also timed on the five seed articles (plain-text dumps, the input it is
built for).

Usage: .venv/bin/python bench/cleaning.py [--data DIR] [--show-misses] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from inscriptis import get_text
from inscriptis.model.config import ParserConfig

from summarizer.clean import clean

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "devdata" / "cleaning_en_news"
SEEDS = ROOT / "tests" / "fixtures" / "articles"
_WARMUP = 3


@dataclass
class Page:
    name: str
    html: str
    render: str
    must: list[str]
    must_not: list[str]


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def norm(text: str) -> str:
    """Whitespace-normalise, as the substring tests require."""
    return " ".join(text.split())


def render(page_html: str) -> str:
    """Browser-like plain text: block layout and bullet lists kept, link targets hidden."""
    return str(get_text(page_html, ParserConfig(display_links=False)))


def load(data: Path) -> list[Page]:
    meta = json.loads((data / "evaldata_en_news.json").read_text(encoding="utf-8"))
    pages = []
    for entry in meta.values():
        raw = gzip.decompress((data / "html" / f"{entry['file']}.gz").read_bytes())
        page_html = raw.decode("utf-8", errors="replace")
        pages.append(
            Page(entry["file"], page_html, render(page_html), entry["with"], entry["without"])
        )
    return pages


def trafilatura_html(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False) or ""


def trafilatura_html_precision(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False, favor_precision=True) or ""


def trafilatura_text(page: Page) -> str:
    paras = "".join(
        f"<p>{html.escape(line)}</p>" for line in page.render.splitlines() if line.strip()
    )
    return trafilatura.extract(f"<html><body>{paras}</body></html>", include_comments=False) or ""


def keep_everything(page: Page) -> str:
    return page.render


SYSTEMS: dict[str, Callable[[Page], str]] = {
    "html (ours)": lambda p: clean(p.html).text,
    "text (ours)": lambda p: clean(p.render).text,
    "trafilatura on HTML": trafilatura_html,
    "trafilatura on HTML, favor_precision": trafilatura_html_precision,
    "trafilatura on text": trafilatura_text,
    "keep everything": keep_everything,
}


def score(pages: list[Page], system: Callable[[Page], str], misses: list[str] | None) -> Score:
    result = Score()
    for page in pages:
        out = norm(system(page))
        for snippet in page.must:
            if norm(snippet) in out:
                result.tp += 1
            else:
                result.fn += 1
                if misses is not None:
                    misses.append(f"{page.name}: MISSING {snippet[:100]!r}")
        for snippet in page.must_not:
            if norm(snippet) in out:
                result.fp += 1
                if misses is not None:
                    misses.append(f"{page.name}: KEPT JUNK {snippet[:100]!r}")
            else:
                result.tn += 1
    return result


def pages_per_second(pages: list[Page], system: Callable[[Page], str], repeat: int) -> float:
    """Pages per CPU second: the best of `repeat` timed passes over all pages (as timeit does)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for page in pages:
            system(page)
        best = min(best, time.process_time() - t0)
    return len(pages) / best


def seed_speed(repeat: int = 20) -> float:
    """Plain-text articles per CPU second on the seed dumps."""
    texts = [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]
    t0 = time.process_time()
    for _ in range(repeat):
        for raw in texts:
            clean(raw)
    return repeat * len(texts) / (time.process_time() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--show-misses", action="store_true", help="list every miss of our two paths"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed passes per system (best counts)"
    )
    args = parser.parse_args()
    if not (args.data / "evaldata_en_news.json").exists():
        print(f"no dev data at {args.data}: pass --data DIR", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    pages = load(args.data)
    print(
        f"{len(pages)} pages, {sum(len(p.must) for p in pages)} must-keep and "
        f"{sum(len(p.must_not) for p in pages)} must-drop snippets; one CPU core\n"
    )
    print("| system | precision | recall | F1 | pages/s (1 core) |")
    print("|---|---|---|---|---|")
    misses: dict[str, list[str]] = {}
    for name, system in SYSTEMS.items():
        for page in pages[:_WARMUP]:
            system(page)  # imports and lazily compiled patterns stay out of the timing
        missed: list[str] | None = [] if args.show_misses and "ours" in name else None
        s = score(pages, system, missed)
        if missed is not None:
            misses[name] = missed
        speed = (
            "n/a (no work)"
            if system is keep_everything
            else f"{pages_per_second(pages, system, args.repeat):.0f}"
        )
        print(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {speed} |")
    print(f"\ntext (ours) on the 5 seed dumps: {seed_speed():.0f} articles/s (1 core)")
    for name, lines in misses.items():
        print(f"\n{name}: {len(lines)} misses")
        for line in lines:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
