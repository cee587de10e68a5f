"""What a batch shows while it runs: a rich progress bar on a terminal, plain lines otherwise.

The bar carries ok / failed / cached / duplicate counts, tokens and the cost so
far, with an ETA when the input count is known. When stderr is not a terminal
(CI, a log file), one plain line every few seconds says the same. `--quiet`
shows neither. The final summary is a table (and JSON on request).
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO, Any

from summarizer.batch.results import Outcome, Summary

#: Seconds between plain log lines when stderr is not a terminal.
LOG_EVERY_S = 5.0


def _counts(s: Summary) -> str:
    cost = f"${s.cost_usd:.4f}" + ("+?" if s.cost_unknown else "")
    return (
        f"ok {s.ok}  failed {s.failed}  cached {s.cached}  duplicate {s.duplicates}  "
        f"skipped {s.skipped}  tokens {s.tokens_in + s.tokens_out}  cost {cost}"
    )


class Progress:
    """Context manager; `update(outcome, summary)` after each input (`Options.on_progress`)."""

    def __init__(self, total: int | None, *, quiet: bool = False, stream: IO[str] | None = None):
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._bar: Any = None
        self._task: Any = None
        self._last = 0.0

    def __enter__(self) -> Progress:
        if self.quiet or not self.tty:
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=Console(file=self.stream),
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task("batch", total=self.total, counts="")
        return self

    def update(self, outcome: Outcome, summary: Summary) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=summary.total, counts=_counts(summary))
            return
        now = time.monotonic()
        if outcome.status == "failed":
            message = outcome.message or ""
            if not message.startswith(f"{outcome.source}:"):  # most messages name the path already
                message = f"{outcome.source}: {message}"
            self.stream.write(f"summarizer: failed {message}\n")
        if now - self._last >= LOG_EVERY_S:
            self._last = now
            of = f"/{self.total}" if self.total is not None else ""
            self.stream.write(f"summarizer: batch {summary.total}{of}  {_counts(summary)}\n")
            self.stream.flush()

    def note(self, line: str) -> None:
        """One line about the run itself (an OpenAI batch's status, say), above the bar."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.console.print(f"summarizer: {line}", markup=False, highlight=False)
            return
        self.stream.write(f"summarizer: {line}\n")
        self.stream.flush()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()


def render_summary(summary: Summary, stream: IO[str] | None = None) -> None:
    """The final table: counts, tokens, cost, time, failures by kind and where they are."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="batch summary", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    rate = summary.total / summary.elapsed_s if summary.elapsed_s else 0.0
    rows: list[tuple[str, str]] = [
        ("inputs", str(summary.total)),
        ("ok", str(summary.ok)),
        ("failed", str(summary.failed)),
        ("already done (skipped)", str(summary.skipped)),
        ("cached answers", str(summary.cached)),
        ("duplicates linked", str(summary.duplicates)),
        ("tokens in / out", f"{summary.tokens_in} / {summary.tokens_out}"),
        (
            "estimated cost",
            f"${summary.cost_usd:.4f}" + (" + unpriced" if summary.cost_unknown else ""),
        ),
        ("time", f"{summary.elapsed_s:.1f} s ({rate:.1f} inputs/s)"),
    ]
    for kind, n in sorted(summary.failures_by_kind.items()):
        rows.append((f"failed: {kind}", str(n)))
    if summary.output:
        rows.append(("output", summary.output))
    if summary.failed and summary.errors_file:
        rows.append(("error rows", summary.errors_file))
    for name, value in rows:
        table.add_row(name, value)
    Console(file=stream or sys.stderr).print(table)
