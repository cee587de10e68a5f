"""Score the cleaner on both dev sets, side by side with the anchors, in one run.

Data (read from ../shared/devdata/, never copied into the repository):

  en_news      84 news pages of trafilatura's evaluation corpus, each with snippets
               the cleaned text must contain and must not contain. Scored as
               trafilatura does it: whitespace-normalised substring tests pooled over
               all pages (a `with` snippet found is a true positive, one missing a
               false negative, a `without` snippet found a false positive).
  readability  the 130 test pages of Mozilla's Readability.js (a dozen languages,
               right-to-left scripts, blogs, docs, news) with the gold main content.
               Scored as the ScrapingHub article-extraction benchmark does: lower-cased
               `\\w+` tokens, 4-token shingles (as multisets), precision and recall per
               page, averaged over pages, F1 of the two averages.

Systems, all on the same pages:
  html (ours)      summarizer.clean on the original HTML (trafilatura + line rules)
  text (ours)      summarizer.clean on a browser-like text render of the page
                   (inscriptis, bullet lists kept, links not shown)
  trafilatura      trafilatura.extract on the original HTML (comments excluded)
  keep everything  the render itself

Per-page scores are broken out by language (the page's declared language:
readability's metadata or the <html lang> attribute, else its script).
"Collapses" counts pages where the text path scores F1 under 0.5 while
trafilatura on the HTML scores over 0.8 (readability: per-page shingle F1;
en_news: per-page snippet F1).

Speed: each system's cleaning call alone (no file reading, no rendering) is timed
with time.process_time() in this single-threaded process pinned to one CPU core,
after the system has run on three pages untimed; pages/s = pages / CPU seconds of
the best of --repeat passes over the set (best-of-N as timeit does).

Usage: .venv/bin/python bench/cleaning.py [--set en_news|readability] [--show-misses]
       [--pages] [--repeat N] [--no-speed] [--half a|b]

--half a|b scores a fixed half of each set (page names split by CRC32): a rule tuned
while looking at one half's pages is checked on the other (leave-some-out).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from inscriptis import get_text
from inscriptis.model.config import ParserConfig

from summarizer.clean import clean
from summarizer.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT.parent / "shared" / "devdata"
SEEDS = ROOT / "tests" / "fixtures" / "articles"
_WARMUP = 3
_TOKEN = re.compile(r"\w+")
_LANG_ATTR = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_SHINGLE = 4


@dataclass
class Page:
    name: str
    html: str
    render: str
    lang: str
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    gold: str = ""


@dataclass
class Pooled:
    """Pooled snippet counts (en_news)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0

    def add(self, other: Pooled) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def norm(text: str) -> str:
    """Whitespace-normalise, as the substring tests require."""
    return " ".join(text.split())


def render(page_html: str) -> str:
    """Browser-like plain text: block layout and bullet lists kept, link targets hidden."""
    return str(get_text(page_html, ParserConfig(display_links=False)))


def script_of(text: str) -> str:
    """A coarse script label for pages that declare no language."""
    counts: Counter[str] = Counter()
    for ch in text[:20000]:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if 0x0590 <= o <= 0x08FF:
            counts["rtl"] += 1
        elif 0x3040 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF:
            counts["cjk"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["cyrillic"] += 1
        else:
            counts["latin"] += 1
    return f"? ({counts.most_common(1)[0][0]})" if counts else "?"


def page_lang(declared: str | None, page_html: str, text: str) -> str:
    lang = declared or ((m := _LANG_ATTR.search(page_html[:8192])) and m.group(1)) or ""
    return lang[:2].lower() if lang else script_of(text)


def load_en_news(data: Path) -> list[Page]:
    meta = json.loads((data / "evaldata_en_news.json").read_text(encoding="utf-8"))
    pages = []
    for entry in meta.values():
        raw = gzip.decompress((data / "html" / f"{entry['file']}.gz").read_bytes())
        page_html = raw.decode("utf-8", errors="replace")
        text = render(page_html)
        pages.append(
            Page(
                entry["file"],
                page_html,
                text,
                page_lang(None, page_html, text),
                must=entry["with"],
                must_not=entry["without"],
            )
        )
    return pages


def load_readability(data: Path) -> list[Page]:
    pages = []
    for folder in sorted((data / "pages").iterdir()):
        page_html = gzip.decompress((folder / "source.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )
        gold = render(
            gzip.decompress((folder / "expected.html.gz").read_bytes()).decode(
                "utf-8", errors="replace"
            )
        )
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        lang = page_lang(meta.get("lang"), page_html, gold)
        if meta.get("dir") == "rtl" and lang.startswith("?"):
            lang = "? (rtl)"
        pages.append(Page(folder.name, page_html, render(page_html), lang, gold=gold))
    return pages


def ours(text: str) -> str:
    try:
        return clean(text).text
    except InputError:
        return ""


def trafilatura_html(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False) or ""


SYSTEMS: dict[str, Callable[[Page], str]] = {
    "html (ours)": lambda p: ours(p.html),
    "text (ours)": lambda p: ours(p.render),
    "trafilatura on HTML": trafilatura_html,
    "keep everything": lambda p: p.render,
}


def shingles(text: str) -> Counter[str]:
    tokens = _TOKEN.findall(text.lower())
    return Counter(
        " ".join(tokens[i : i + _SHINGLE]) for i in range(max(1, len(tokens) - _SHINGLE + 1))
    )


def shingle_pr(gold: str, out: str) -> tuple[float, float]:
    """Per-page precision and recall as ScrapingHub's benchmark computes them."""
    g, o = shingles(gold), shingles(out)
    g.pop("", None)
    o.pop("", None)
    tp = sum((g & o).values())
    fp = sum(o.values()) - tp
    fn = sum(g.values()) - tp
    if fp == fn == 0:
        return 1.0, 1.0
    p = 0.0 if tp == fp == 0 else tp / (tp + fp)
    r = 0.0 if tp == fn == 0 else tp / (tp + fn)
    return p, r


def snippet_counts(page: Page, out: str, misses: list[str] | None) -> Pooled:
    s = Pooled()
    text = norm(out)
    for snippet in page.must:
        if norm(snippet) in text:
            s.tp += 1
        else:
            s.fn += 1
            if misses is not None:
                misses.append(f"{page.name}: MISSING {snippet[:100]!r}")
    for snippet in page.must_not:
        if norm(snippet) in text:
            s.fp += 1
            if misses is not None:
                misses.append(f"{page.name}: KEPT JUNK {snippet[:100]!r}")
    return s


@dataclass
class Result:
    """One system on one set: the headline figures and per-page F1 by page name."""

    precision: float
    recall: float
    per_page: dict[str, float]
    by_lang: dict[str, tuple[int, float, float]]  # lang -> (pages, precision, recall)
    per_page_pr: dict[str, tuple[float, float]] = field(default_factory=dict)  # readability

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def evaluate(
    kind: str, pages: list[Page], system: Callable[[Page], str], misses: list[str] | None
) -> Result:
    per_page: dict[str, float] = {}
    pr: dict[str, tuple[float, float]] = {}
    langs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pooled = Pooled()
    pooled_lang: dict[str, Pooled] = defaultdict(Pooled)
    sums = [0.0, 0.0]
    for page in pages:
        out = system(page)
        if kind == "readability":
            p, r = shingle_pr(page.gold, out)
            sums[0] += p
            sums[1] += r
            langs[page.lang].append((p, r))
            pr[page.name] = (p, r)
            if misses is not None and f1(p, r) < 0.8:
                misses.append(f"{page.name}: P {p:.2f} R {r:.2f}")
        else:
            s = snippet_counts(page, out, misses)
            pooled.add(s)
            pooled_lang[page.lang].add(s)
            p, r = s.precision, s.recall
        per_page[page.name] = f1(p, r)
    if kind == "readability":
        by_lang = {
            lang: (len(v), sum(x for x, _ in v) / len(v), sum(y for _, y in v) / len(v))
            for lang, v in langs.items()
        }
        return Result(sums[0] / len(pages), sums[1] / len(pages), per_page, by_lang, pr)
    by_lang = {
        lang: (sum(1 for p in pages if p.lang == lang), s.precision, s.recall)
        for lang, s in pooled_lang.items()
    }
    return Result(pooled.precision, pooled.recall, per_page, by_lang)


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


def page_kind(page: Page) -> str:
    """Readability's own small test pages (lorem ipsum text, one trick each) or a real site."""
    return "test page (lorem ipsum)" if "lorem ipsum" in page.gold.lower() else "real site"


def print_kinds(pages: list[Page], results: dict[str, Result]) -> None:
    """F1 by kind of page: a rule that only helps on the synthetic test pages shows here."""
    kinds = sorted({page_kind(p) for p in pages})
    print("\nF1 by kind of page (pages):\n")
    print("| kind | pages | " + " | ".join(SYSTEMS) + " |")
    print("|---|---|" + "---|" * len(SYSTEMS))
    for k in kinds:
        names = [p.name for p in pages if page_kind(p) == k]
        cells = []
        for name in SYSTEMS:
            prs = [results[name].per_page_pr[n] for n in names]
            mean_p = sum(x for x, _ in prs) / len(prs)
            mean_r = sum(y for _, y in prs) / len(prs)
            cells.append(f"{f1(mean_p, mean_r):.3f}")
        print(f"| {k} | {len(names)} | " + " | ".join(cells) + " |")


def run_set(kind: str, pages: list[Page], args: argparse.Namespace) -> None:
    what = (
        f"{sum(len(p.must) for p in pages)} must-keep and "
        f"{sum(len(p.must_not) for p in pages)} must-drop snippets, pooled"
        if kind == "en_news"
        else "4-shingle precision/recall averaged over pages"
    )
    print(f"## {kind}: {len(pages)} pages, {what}; one CPU core\n")
    print("| system | precision | recall | F1 | pages/s (1 core) |")
    print("|---|---|---|---|---|")
    results: dict[str, Result] = {}
    misses: dict[str, list[str]] = {}
    for name, system in SYSTEMS.items():
        for page in pages[:_WARMUP]:
            system(page)  # imports and lazily compiled patterns stay out of the timing
        missed: list[str] | None = [] if args.show_misses and "ours" in name else None
        res = evaluate(kind, pages, system, missed)
        results[name] = res
        if missed is not None:
            misses[name] = missed
        if name == "keep everything":
            speed = "n/a (no work)"
        elif args.no_speed:
            speed = "not timed"
        else:
            speed = f"{pages_per_second(pages, system, args.repeat):.0f}"
        print(f"| {name} | {res.precision:.3f} | {res.recall:.3f} | {res.f1:.3f} | {speed} |")
    langs = sorted(
        results["html (ours)"].by_lang, key=lambda k: -results["html (ours)"].by_lang[k][0]
    )
    print("\nF1 by language (pages):\n")
    print("| language | pages | " + " | ".join(SYSTEMS) + " |")
    print("|---|---|" + "---|" * len(SYSTEMS))
    for lang in langs:
        n = results["html (ours)"].by_lang[lang][0]
        cells = []
        for name in SYSTEMS:
            _, p, r = results[name].by_lang[lang]
            cells.append(f"{f1(p, r):.3f}")
        print(f"| {lang} | {n} | " + " | ".join(cells) + " |")
    if kind == "readability":
        print_kinds(pages, results)
    text, traf = results["text (ours)"].per_page, results["trafilatura on HTML"].per_page
    collapses = [n for n in text if text[n] < 0.5 and traf[n] > 0.8]
    print(
        f"\ncollapses (text F1 < 0.5 while trafilatura > 0.8): {len(collapses)}"
        + (f": {', '.join(collapses)}" if collapses else "")
    )
    html_worse = [n for n in text if results["html (ours)"].per_page[n] < traf[n] - 0.1]
    print(
        f"pages where html (ours) is > 0.1 F1 under trafilatura: {len(html_worse)}"
        + (f": {', '.join(html_worse)}" if html_worse else "")
    )
    if args.pages:
        print("\n| page | lang | " + " | ".join(SYSTEMS) + " |")
        print("|---|---|" + "---|" * len(SYSTEMS))
        for page in pages:
            cells = [f"{results[name].per_page[page.name]:.2f}" for name in SYSTEMS]
            print(f"| {page.name[:60]} | {page.lang} | " + " | ".join(cells) + " |")
    for name, lines in misses.items():
        print(f"\n{name}: {len(lines)} misses")
        for line in lines:
            print("  " + line)
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVDATA, help="the devdata folder")
    parser.add_argument("--set", choices=["en_news", "readability"], action="append")
    parser.add_argument("--show-misses", action="store_true", help="list misses of our paths")
    parser.add_argument("--pages", action="store_true", help="per-page F1 table")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best counts)")
    parser.add_argument("--no-speed", action="store_true", help="score only, no timing")
    parser.add_argument(
        "--half",
        choices=["a", "b"],
        help="score one fixed half of each set (by page-name hash): tune on one, check the other",
    )
    args = parser.parse_args()
    sets = {
        "en_news": (args.data / "cleaning_en_news", load_en_news),
        "readability": (args.data / "cleaning_readability", load_readability),
    }
    chosen = args.set or list(sets)
    for kind in chosen:
        if not sets[kind][0].is_dir():
            print(f"no dev data at {sets[kind][0]}: pass --data DIR", file=sys.stderr)
            return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    for kind in chosen:
        folder, loader = sets[kind]
        pages = loader(folder)
        if args.half:
            pages = [p for p in pages if "ab"[zlib.crc32(p.name.encode()) % 2] == args.half]
            print(f"(half {args.half} of {kind}: pages whose name hashes there)\n")
        run_set(kind, pages, args)
    if not args.no_speed:
        print(f"text (ours) on the 5 seed dumps: {seed_speed():.0f} articles/s (1 core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
