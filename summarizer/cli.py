"""The command line: parse arguments, call the library, render. Nothing else lives here.

Imports of the pipeline, pydantic models and SDKs happen inside the commands so
that `summarizer --help` stays fast and never imports openai or instructor.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from summarizer.config import Settings

app = typer.Typer(
    name="summarizer",
    help="Turn scraped news articles into grounded incident records and neutral summaries.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
schemas_app = typer.Typer(help="JSON Schema files generated from the record models.")
app.add_typer(schemas_app, name="schemas")
cache_app = typer.Typer(help="The answer cache: validated LLM answers kept on disk.")
app.add_typer(cache_app, name="cache")
fixtures_app = typer.Typer(help="Recordings that the replay backend and golden tests serve.")
app.add_typer(fixtures_app, name="fixtures")


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


class BackendChoice(StrEnum):
    auto = "auto"
    offline = "offline"
    openai = "openai"
    replay = "replay"
    llamacpp = "llamacpp"


BackendOpt = Annotated[
    BackendChoice | None,
    typer.Option(
        "--backend",
        "-b",
        help="offline (default without a key), openai, replay or llamacpp.",
        case_sensitive=False,
    ),
]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="Model name for the server.")]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
RefreshOpt = Annotated[
    bool, typer.Option("--refresh", help="Ignore cached answers and store fresh ones.")
]
RecordOpt = Annotated[
    Path | None,
    typer.Option("--record", help="Save every LLM request/response pair into this folder."),
]
MaxCostOpt = Annotated[
    float | None,
    typer.Option("--max-cost", help="Refuse to start when the estimated cost (USD) exceeds this."),
]


class ModeChoice(StrEnum):
    auto = "auto"
    tools = "tools"
    json_schema = "json_schema"
    json = "json"


ModeOpt = Annotated[
    ModeChoice | None,
    typer.Option(
        "--mode",
        help="How structured output is asked of the server: auto (default: tools, then "
        "json_schema, then json, keeping the first it accepts), tools, json_schema or json.",
        case_sensitive=False,
    ),
]
ModelPathOpt = Annotated[
    Path | None, typer.Option("--model-path", help="GGUF model file for the llamacpp backend.")
]


def _settings(
    backend: BackendChoice | None,
    model: str | None,
    base_url: str | None,
    no_cache: bool,
    refresh: bool,
    record: Path | None,
    max_cost: float | None,
    model_path: Path | None,
    mode: ModeChoice | None = None,
) -> Settings:
    from summarizer.config import load_settings

    return load_settings(
        mode=mode.value if mode else None,
        backend=backend.value if backend else None,
        model=model,
        base_url=base_url,
        use_cache=False if no_cache else None,
        refresh_cache=True if refresh else None,
        record_dir=record,
        max_cost_usd=max_cost,
        model_path=model_path,
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def summarize(
    file: Annotated[str, typer.Argument(help="Article file (text or HTML), or '-' for stdin.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json (default) or text.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    no_cache: NoCacheOpt = False,
    refresh: RefreshOpt = False,
    record: RecordOpt = None,
    max_cost: MaxCostOpt = None,
    model_path: ModelPathOpt = None,
    mode: ModeOpt = None,
) -> None:
    """Summarise one article: a JSON ArticleResult with grounded incidents and a neutral summary."""
    from summarizer.pipeline import read_input, summarize_raw

    settings = _settings(
        backend, model, base_url, no_cache, refresh, record, max_cost, model_path, mode
    )
    raw, name = read_input(file)
    result = summarize_raw(raw, source=name, settings=settings)
    if output_format is OutputFormat.json:
        text = result.model_dump_json(indent=2) + "\n"
        if output:
            _write_atomic(output, text)
        else:
            sys.stdout.write(text)
        return
    from rich.console import Console

    from summarizer.report import render_result

    if output:
        with output.open("w", encoding="utf-8") as fh:
            render_result(result, Console(file=fh, width=120))
    else:
        render_result(result, Console())


@app.command("clean")
def clean_files(
    files: Annotated[
        list[str], typer.Argument(help="Article files (text or HTML), or '-' for stdin.")
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Write DIR/<name without extension>.txt for each input."),
    ] = None,
    show_dropped: Annotated[
        bool, typer.Option("--show-dropped", help="List every dropped line and why, on stderr.")
    ] = False,
) -> None:
    """Show what cleaning keeps: print the article body (one file) or write one .txt per file.

    With several files, lines that one outlet repeats across them are dropped as template.
    A bad file is reported on one line and skipped; the exit status is then 2.
    """
    from rich.console import Console
    from rich.table import Table

    from summarizer.clean import clean_corpus
    from summarizer.errors import InputError
    from summarizer.pipeline import read_input

    failed = False
    items: list[tuple[bytes | str, str | None]] = []
    for file in files:
        try:
            items.append(read_input(file))
        except InputError as exc:
            sys.stderr.write(f"summarizer: error: {exc}\n")
            failed = True
    err = Console(stderr=True)
    written: set[Path] = set()
    for (_raw, name), report in zip(items, clean_corpus(items), strict=True):
        if isinstance(report, InputError):
            sys.stderr.write(f"summarizer: error: {name}: {report}\n")
            failed = True
            continue
        if show_dropped and not report.dropped:
            err.print(f"nothing dropped from {name}")
        elif show_dropped:
            table = Table(title=f"dropped from {name}", show_lines=False)
            for column in ("line", "reason", "text"):
                table.add_column(column, overflow="fold")
            for d in report.dropped:
                table.add_row(str(d.line or ""), d.reason, d.text[:200])
            err.print(table)
        if out_dir is not None:
            stem = "stdin" if name == "-" else Path(name or "article").stem
            target = out_dir / f"{stem}.txt"
            if target in written:
                sys.stderr.write(
                    f"summarizer: error: {name}: {target} was already written for another "
                    "input of the same name: rename one of them\n"
                )
                failed = True
                continue
            written.add(target)
            _write_atomic(target, report.article.text + "\n")
        else:
            if len(items) > 1:
                sys.stdout.write(f"==> {name} <==\n")
            sys.stdout.write(report.article.text + "\n")
    if failed:
        raise SystemExit(2)


@schemas_app.command("export")
def schemas_export(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Folder to write into (default: the shipped schemas/)."),
    ] = None,
) -> None:
    """Write one JSON Schema file per top-level model."""
    from summarizer.schemas import export_schemas

    for path in export_schemas(out_dir):
        typer.echo(str(path))


@cache_app.command("info")
def cache_info() -> None:
    """Show where the cache is, how many answers it holds and its size."""
    from summarizer.cache import AnswerCache
    from summarizer.config import load_settings

    cache = AnswerCache(load_settings().cache_dir)
    try:
        for name, value in cache.info().items():
            typer.echo(f"{name}: {value}")
    finally:
        cache.close()


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached answer (the next runs ask the model again)."""
    from summarizer.cache import AnswerCache
    from summarizer.config import load_settings

    cache = AnswerCache(load_settings().cache_dir)
    try:
        typer.echo(f"removed {cache.clear()} cached answers from {cache.directory}")
    finally:
        cache.close()


@fixtures_app.command("record")
def fixtures_record(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Articles to record (default: the seed articles).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the recordings (default: recordings/<model>)."),
    ] = None,
    reference: Annotated[
        bool,
        typer.Option("--reference", help="Record the hand-written reference responses instead."),
    ] = False,
    references: Annotated[
        Path, typer.Option("--references", help="Folder of hand-written reference responses.")
    ] = Path("tests/fixtures/references"),
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Save request/response pairs from a live server (or hand-written references) for replay."""
    from summarizer.fixtures import REFERENCE_MODEL, record_live, record_references

    settings = _settings(None, model, base_url, True, False, None, None, None)
    articles = Path("tests/fixtures/articles")
    target = out or settings.recordings_dir / (REFERENCE_MODEL if reference else settings.model)
    for old in target.glob("[0-9a-f]*.json") if target.is_dir() else []:
        old.unlink()  # recordings are regenerated whole: no stale request hashes linger
    if reference:
        results = record_references(references, articles, target, settings)
    else:
        results = record_live(files or sorted(articles.glob("*.txt")), target, settings)
    for result in results:
        dropped = len(result.provenance.dropped)
        typer.echo(f"{result.article.source}: {len(result.incidents)} incidents, {dropped} dropped")
    typer.echo(f"recordings in {target}")


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"summarizer: error: {message}\n")
    raise SystemExit(code)


def main() -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    from summarizer.errors import SummarizerError

    try:
        app()
    except SummarizerError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
