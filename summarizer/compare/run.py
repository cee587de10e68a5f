"""What the `compare` command does between parsing and printing: load, compare, render.

Kept out of `cli.py` so the CLI stays a thin layer and the library call is the
same from a notebook: `load_results` runs the normal pipeline per file (or reads
a batch JSONL), isolating a bad input to one error line; `run_compare` picks the
consensus writer for the configured backend.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summarizer.clean import decode_input
from summarizer.compare import compare
from summarizer.compare.common import doc_id
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.records import ArticleResult, Comparison


@dataclass
class Loaded:
    """The results to compare, the raw text of plain-text inputs, one message per failure."""

    results: list[ArticleResult] = field(default_factory=list)
    raws: dict[str, str] = field(default_factory=dict)  # doc_id -> decoded input (text inputs)
    errors: list[str] = field(default_factory=list)


#: Bad JSONL lines reported one by one; past this, one line says how many more there were.
MAX_LINE_ERRORS = 5


def _read_jsonl(path: Path, loaded: Loaded) -> None:
    """Append the results of a batch JSONL; a file that is no JSONL at all is one error."""
    if path.is_dir():
        loaded.errors.append(f"{path}: is a folder: pass the JSONL file that `batch` writes")
        return
    try:
        fh = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        loaded.errors.append(f"{path}: cannot read ({exc.strerror}): check the path")
        return
    bad = 0
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                loaded.results.append(ArticleResult.model_validate_json(line))
                continue
            except ValidationError as exc:
                first = exc.errors()[0]
            if not loaded.results and first["type"] == "json_invalid":
                loaded.errors.append(
                    f"{path}: not a JSONL of results (line {n} is not JSON): "
                    "pass the JSONL that `summarizer batch` writes"
                )
                return
            bad += 1
            if bad <= MAX_LINE_ERRORS:
                where = ".".join(str(p) for p in first["loc"]) or "line"
                loaded.errors.append(
                    f"{path}:{n}: not an ArticleResult ({where}: {first['msg']}): "
                    "pass the JSONL that `summarizer batch` writes"
                )
    if bad > MAX_LINE_ERRORS:
        loaded.errors.append(f"{path}: {bad - MAX_LINE_ERRORS} more bad line(s) left out")


def load_results(files: Sequence[str], from_jsonl: Path | None, settings: Settings) -> Loaded:
    """Results for every usable input, plus one message per input that failed."""
    loaded = Loaded()
    results, errors = loaded.results, loaded.errors
    if from_jsonl is not None:
        _read_jsonl(from_jsonl, loaded)
    if files:
        from summarizer.backends import get_backend
        from summarizer.pipeline import read_input, summarize_raw

        backend = get_backend(settings)
        try:
            for file in files:
                try:
                    raw, name = read_input(file)
                    result = summarize_raw(raw, source=name, settings=settings, backend=backend)
                    results.append(result)
                    if result.article.stats and result.article.stats.method == "text":
                        loaded.raws[doc_id(result)] = decode_input(raw)
                except SummarizerError as exc:
                    errors.append(str(exc) if str(exc).startswith(file) else f"{file}: {exc}")
        finally:
            backend.close()
    return loaded


def run_compare(results: Sequence[ArticleResult], settings: Settings) -> Comparison:
    """Compare the results. The consensus: rules with the offline backend, else the LLM's."""
    if settings.resolved_backend() == "offline":
        return compare(results)
    from summarizer.backends import get_backend
    from summarizer.backends.llm import LLMBackend
    from summarizer.compare.llm import LLMConsensus

    backend = get_backend(settings)
    try:
        if not isinstance(backend, LLMBackend):
            return compare(results)
        return compare(results, LLMConsensus(backend))
    finally:
        backend.close()


def render(
    comparison: Comparison,
    results: Sequence[ArticleResult],
    fmt: str,
    raws: Mapping[str, str] | None = None,
) -> str:
    """The comparison in one of the output formats, as text."""
    if fmt == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        from summarizer.compare.render import render_markdown

        return render_markdown(comparison)
    if fmt == "html":
        from summarizer.compare.html import render_html

        return str(render_html(comparison, results, raws))
    from rich.console import Console

    from summarizer.compare.render import render_text

    buf = io.StringIO()
    render_text(comparison, Console(file=buf, width=140, color_system=None))
    return buf.getvalue()
