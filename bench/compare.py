"""Benchmark `compare`: consensus quality on NeuS, and speed on the seeds and on 1,000 results.

Data (read from ../shared/devdata/, never copied into the repository):

  compare_neus_val   307 stories of NeuS (Lee et al. 2022), each the same news from a
                     left, a centre and a right outlet (AllSides), with a human neutral
                     summary. Each article (TITLE + ARTICLE) goes through the offline
                     pipeline, the three results through `compare`.

Quality, per story, macro-averaged over the stories:
  unigram F1     clipped unigram overlap (ROUGE-1 style: lower-cased \\w+ tokens, no
                 stemming) of the consensus (headline + sentences) with the human
                 summary (title + text);
  polarity       mean absolute vaderSentiment valence per word (`polarity_strength`);
  strong absent  the NeuS paper's framing measure with vader in place of NRC-VAD: the
                 summed |valence| of strongly polar words (|v| >= 2.5) that the human
                 summary does not contain;
  against the lead: the first N words of the sources (the three articles in file
  order, each title then text), N = the consensus' word count, scored the same way.
  Targets: consensus polarity <= 0.8x the lead's; consensus F1 >= the lead's.
  The three articles are compared as one story (the dataset says they are); how
  often `compare` grouped them by itself is reported beside it.

Speed (wall clock, and for the CLI subprocesses also their CPU time, after one untimed
warm-up of the in-process path; on a shared machine wall time includes waiting for a core):
  seeds      `summarizer compare` on the five seed files with the offline backend,
             in-process (pipeline + compare + text and HTML rendering) and as a CLI
             subprocess (interpreter start-up included). Target: under 2 s.
  from 1000  `compare --from` a JSONL of 1,000 ArticleResults, in-process and as a CLI
             subprocess. The results come from the offline pipeline on 1,000
             synthetic articles, each a random 60% of the sentences of one real article
             (MUCSUM wire copy, the 84 English news pages, the seeds) with its own
             publication date, so few are near-duplicates and many carry incidents
             (articles the pipeline refuses for too little running text are skipped);
             the JSONL is built once (not timed). Target: under 30 s, and the article
             pairs scored stay far below n(n-1)/2.

Usage: .venv/bin/python bench/compare.py [--neus N] [--no-neus] [--no-speed]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "devdata"
NEUS = DEV / "compare_neus_val"
sys.path.insert(0, str(ROOT))

from summarizer.backends.offline import OfflineBackend  # noqa: E402
from summarizer.compare import compare  # noqa: E402
from summarizer.compare.common import make_docs  # noqa: E402
from summarizer.compare.consensus import rule_consensus  # noqa: E402
from summarizer.compare.framing import STRONG_VALENCE, polarity_strength, valence_lexicon  # noqa: E402
from summarizer.compare.grouping import group_docs  # noqa: E402
from summarizer.compare.matrix import matched_incidents  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.errors import SummarizerError  # noqa: E402
from summarizer.pipeline import summarize_raw  # noqa: E402
from summarizer.records import ArticleResult, ConsensusSummary  # noqa: E402

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def unigram_f1(candidate: str, reference: str) -> float:
    c, r = Counter(tokens(candidate)), Counter(tokens(reference))
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


def strong_absent(candidate: str, reference: str) -> float:
    lex = valence_lexicon()
    ref = set(tokens(reference))
    return sum(
        abs(lex[w])
        for w in tokens(candidate)
        if w in lex and abs(lex[w]) >= STRONG_VALENCE and w not in ref
    )


def parse_story(line: str) -> list[tuple[str, str]]:
    """(title, text) of each article of a NeuS line."""
    out = []
    for part in line.split("[SEP]"):
        m = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)$", part.strip(), re.S)
        if m:
            out.append((m.group(1).strip(), m.group(2).strip()))
    return out


def consensus_text(summary: ConsensusSummary) -> str:
    return " ".join([summary.headline or "", *(s.text for s in summary.sentences)]).strip()


def neus(limit: int | None) -> dict[str, float]:
    settings = Settings()
    backend = OfflineBackend(settings)
    sources = (NEUS / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (NEUS / "val.target").read_text(encoding="utf-8").splitlines()
    rows = []
    grouped = refused = skipped = 0
    started = time.perf_counter()
    for n, (src, tgt) in enumerate(zip(sources, targets, strict=True)):
        if limit is not None and n >= limit:
            break
        arts = parse_story(src)
        ref_title, ref_text = parse_story(tgt)[0] if parse_story(tgt) else ("", tgt)
        reference = f"{ref_title} {ref_text}"
        results = []
        for i, (t, body) in enumerate(arts):
            try:
                results.append(
                    summarize_raw(
                        f"{t}\n{body}\n",
                        source=f"outlet{i + 1}.txt",
                        settings=settings,
                        backend=backend,
                    )
                )
            except SummarizerError:
                refused += 1  # the cleaner left nothing (a one-line teaser): not compared
        if len(results) < 2:
            skipped += 1
            continue
        comparison = compare(results)
        if any(len(g.doc_ids) == len(results) for g in comparison.groups):
            grouped += 1
        docs = make_docs(results)
        _, feats = group_docs(docs)
        incidents = matched_incidents(docs, feats, "s1")
        summary = rule_consensus(docs, incidents)
        text = consensus_text(summary)
        n_words = len(text.split())
        lead = " ".join(" ".join(f"{t} {body}" for t, body in arts).split()[:n_words])
        rows.append(
            {
                "f1": unigram_f1(text, reference),
                "lead_f1": unigram_f1(lead, reference),
                "pol": polarity_strength(text),
                "lead_pol": polarity_strength(lead),
                "absent": strong_absent(text, reference),
                "lead_absent": strong_absent(lead, reference),
                "words": n_words,
                "multi": sum(1 for s in summary.sentences if len(s.outlets) > 1),
            }
        )
    k = len(rows)
    mean = {key: sum(r[key] for r in rows) / k for key in rows[0]}
    mean["stories"] = k
    mean["grouped"] = grouped / k
    mean["refused_articles"] = refused
    mean["skipped_stories"] = skipped
    mean["seconds"] = time.perf_counter() - started
    return mean


# --------------------------------------------------------------------------- speed


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s) > 20]


def corpus_texts() -> list[str]:
    """Article bodies: MUCSUM documents, the cleaned English news pages, the seeds."""
    from summarizer.clean import clean

    texts = []
    mucsum = json.loads((DEV / "extraction_mucsum_dev" / "dev.json").read_text())
    for items in mucsum.values():
        texts.append(" ".join(items[0]["document"]))
    for page in sorted((DEV / "cleaning_en_news" / "html").glob("*.gz")):
        try:
            texts.append(clean(gzip.decompress(page.read_bytes())).text)
        except SummarizerError:  # a page the cleaner refuses is simply not used
            continue
    for seed in sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")):
        texts.append(clean(seed.read_bytes()).text)
    return texts


def build_jsonl(path: Path, n: int = 1000) -> None:
    rng = random.Random(1000)
    texts = corpus_texts()
    settings = Settings()
    backend = OfflineBackend(settings)
    written = i = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < n:
            i += 1
            sents = _sentences(texts[i % len(texts)]) or [texts[i % len(texts)]]
            keep = sorted(rng.sample(range(len(sents)), max(1, round(len(sents) * 0.6))))
            day = date(2019, 1, 1) + timedelta(days=rng.randrange(1500))
            body = "\n".join(sents[j] for j in keep)
            raw = f"Report {i}\nPublished: {day.isoformat()}\n{body}\n"
            try:
                result = summarize_raw(
                    raw, source=f"a{i:04d}.txt", settings=settings, backend=backend
                )
            except SummarizerError:
                continue  # too little running text left: the pipeline refuses it; take the next
            fh.write(result.model_dump_json() + "\n")
            written += 1


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def _child_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def speed() -> dict[str, float]:
    from summarizer.compare.run import load_results, render, run_compare
    from summarizer.config import load_settings

    settings = load_settings(backend="offline", use_cache=False)
    seeds = [str(p) for p in sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))]

    def seeds_in_process() -> None:
        loaded = load_results(seeds, None, settings)
        c = run_compare(loaded.results, settings)
        render(c, loaded.results, "text")
        render(c, loaded.results, "html", loaded.raws)

    cli = [
        str(ROOT / ".venv" / "bin" / "summarizer"),
        "compare",
        "--backend",
        "offline",
        "--no-cache",
    ]
    out: dict[str, float] = {}
    seeds_in_process()  # warm-up
    out["seeds_in_process_s"] = _timed(seeds_in_process)
    cpu = _child_cpu()
    out["seeds_cli_s"] = _timed(
        lambda: subprocess.run([*cli, *seeds, "-f", "html", "-o", "/dev/null"], check=True)
    )
    out["seeds_cli_cpu_s"] = _child_cpu() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "results.jsonl"
        started = time.perf_counter()
        build_jsonl(jsonl)
        out["build_jsonl_s"] = time.perf_counter() - started
        results = [ArticleResult.model_validate_json(line) for line in jsonl.open()]
        out["results_with_incidents"] = sum(1 for r in results if r.incidents)
        compare(results[:50])  # warm-up
        holder: dict[str, object] = {}

        def from_in_process() -> None:
            loaded = load_results([], jsonl, settings)
            holder["c"] = run_compare(loaded.results, settings)
            render(holder["c"], loaded.results, "json")  # type: ignore[arg-type]

        out["from_1000_in_process_s"] = _timed(from_in_process)
        c = holder["c"]
        out["candidate_pairs"] = c.candidate_pairs  # type: ignore[attr-defined]
        out["all_pairs"] = 1000 * 999 / 2
        out["groups"] = len(c.groups)  # type: ignore[attr-defined]
        out["multi_article_groups"] = sum(
            1
            for g in c.groups
            if len(g.doc_ids) > 1  # type: ignore[attr-defined]
        )
        cpu = _child_cpu()
        out["from_1000_cli_s"] = _timed(
            lambda: subprocess.run(
                [*cli, "--from", str(jsonl), "-f", "json", "-o", str(Path(tmp) / "c.json")],
                check=True,
            )
        )
        out["from_1000_cli_cpu_s"] = _child_cpu() - cpu
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--neus", type=int, default=None, help="score only the first N stories")
    parser.add_argument("--no-neus", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    if not args.no_neus:
        m = neus(args.neus)
        print(
            f"NeuS val: {m['stories']} stories scored, {m['seconds']:.1f} s; "
            f"grouped by compare itself: {m['grouped']:.0%}; articles the cleaner refused: "
            f"{m['refused_articles']}; stories left with < 2 articles: {m['skipped_stories']}"
        )
        print(f"{'':12}{'unigram F1':>12}{'polarity':>10}{'strong absent':>15}{'words':>8}")
        print(
            f"{'consensus':12}{m['f1']:>12.3f}{m['pol']:>10.4f}{m['absent']:>15.2f}"
            f"{m['words']:>8.1f}"
        )
        print(
            f"{'lead':12}{m['lead_f1']:>12.3f}{m['lead_pol']:>10.4f}{m['lead_absent']:>15.2f}"
            f"{m['words']:>8.1f}"
        )
        print(
            f"polarity ratio consensus/lead: {m['pol'] / m['lead_pol']:.3f} (target <= 0.8); "
            f"F1 consensus - lead: {m['f1'] - m['lead_f1']:+.3f} (target >= 0); "
            f"multi-outlet sentences per story: {m['multi']:.2f}"
        )
    if not args.no_speed:
        s = speed()
        for key, value in s.items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
