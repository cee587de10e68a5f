"""The command line: parse arguments, call the library, render. Nothing else lives here.

Imports of the pipeline, pydantic models and SDKs happen inside the commands so
that `summarizer --help` stays fast and never imports openai or instructor.
"""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

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


class _BatchGroup(TyperGroup):
    """`batch INPUT... -o OUT` is `batch run ...`: a first word that names no subcommand runs one.

    So the plain invocation keeps working beside `batch status OUT` and `batch cancel OUT`
    (an input file literally named `status`, `cancel` or `run` is given as `./status`).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["run", *args]
        return super().parse_args(ctx, args)


batch_app = typer.Typer(
    cls=_BatchGroup,
    no_args_is_help=True,
    help="Convert a corpus (`batch INPUT... -o OUT`); `status`/`cancel` act on its OpenAI batch.",
)
app.add_typer(batch_app, name="batch")


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


#: The backend options every command that may call a model takes, in --help order.
_BACKEND_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("backend", BackendOpt, None),
    ("model", ModelOpt, None),
    ("base_url", BaseUrlOpt, None),
    ("mode", ModeOpt, None),
    ("no_cache", NoCacheOpt, False),
    ("refresh", RefreshOpt, False),
    ("record", RecordOpt, None),
    ("max_cost", MaxCostOpt, None),
    ("model_path", ModelPathOpt, None),
)


@dataclass(frozen=True)
class BackendFlags:
    """What the shared backend options said; `settings()` turns them into Settings."""

    backend: BackendChoice | None = None
    model: str | None = None
    base_url: str | None = None
    mode: ModeChoice | None = None
    no_cache: bool = False
    refresh: bool = False
    record: Path | None = None
    max_cost: float | None = None
    model_path: Path | None = None

    def settings(self) -> Settings:
        """Settings from env / .env with these options on top (an option left out: no say)."""
        from summarizer.config import load_settings
        from summarizer.outputs import check_dir

        if self.record is not None:
            check_dir(self.record)
        return load_settings(
            mode=self.mode.value if self.mode else None,
            backend=self.backend.value if self.backend else None,
            model=self.model,
            base_url=self.base_url,
            use_cache=False if self.no_cache else None,
            refresh_cache=True if self.refresh else None,
            record_dir=self.record,
            max_cost_usd=self.max_cost,
            model_path=self.model_path,
        )


def backend_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared backend options; it receives them as `flags: BackendFlags`.

    One definition of the options for summarize, batch and compare: the wrapper's
    signature (which Typer reads) is the command's own parameters plus these.
    """
    own = [p for name, p in inspect.signature(command).parameters.items() if name != "flags"]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        for name, hint, default in _BACKEND_OPTIONS
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        flags = BackendFlags(**{name: kwargs.pop(name) for name, _, _ in _BACKEND_OPTIONS})
        command(**kwargs, flags=flags)

    params = [*own, *shared]
    hints = typing.get_type_hints(command, include_extras=True)
    wrapper.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [p.replace(annotation=hints.get(p.name, p.annotation)) for p in params]
    )
    wrapper.__annotations__ = {p.name: hints.get(p.name, p.annotation) for p in params}
    return wrapper


def _shown(name: str | None) -> str:
    """How an input is named in messages: its file name, or 'stdin' for '-'."""
    return "stdin" if name in (None, "-") else name


@app.command()
@backend_options
def summarize(
    file: Annotated[
        str, typer.Argument(help="Article file (text or HTML), an http(s) URL, or '-' for stdin.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="json (default) or text: a readable view wrapped to the terminal "
            "(80 columns when piped or written to a file; COLUMNS overrides).",
        ),
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    flags: BackendFlags = BackendFlags(),
) -> None:
    """Summarise one article: a JSON ArticleResult with grounded incidents and a neutral summary."""
    from summarizer.errors import InputError
    from summarizer.outputs import check_target, write_atomic
    from summarizer.pipeline import read_input, summarize_raw

    if output is not None:
        check_target(output)
    settings = flags.settings()
    if file.startswith(("http://", "https://")):
        from summarizer.fetch import fetch

        raw, name = fetch(file).content, file
    else:
        raw, name = read_input(file)
    try:
        result = summarize_raw(raw, source=name, settings=settings)
    except InputError as exc:  # the file is named as `clean` names it
        raise InputError(f"{_shown(name)}: {exc}") from None
    if output_format is OutputFormat.json:
        text = result.model_dump_json(indent=2) + "\n"
        if output:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)
        return
    from summarizer.report import file_width, format_result

    if output:
        write_atomic(output, format_result(result, file_width()))
    else:
        sys.stdout.write(format_result(result))


@batch_app.command("run")
@backend_options
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (recursive), @list.txt, .jsonl records, or '-' (JSONL on stdin)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="OUT: .jsonl (streamed), .json, .csv or .parquet.")
    ],
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="jsonl, json, csv or parquet.")
    ] = None,
    glob: Annotated[
        str | None, typer.Option("--glob", help="File-name pattern in folders (e.g. '*.html').")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-j", min=1, help="LLM requests in flight.")
    ] = 8,
    rpm: Annotated[float | None, typer.Option("--rpm", help="Requests per minute limit.")] = None,
    tpm: Annotated[float | None, typer.Option("--tpm", help="Tokens per minute limit.")] = None,
    processes: Annotated[
        int | None,
        typer.Option("--processes", min=0, help="Worker processes (default: the CPU count)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo everything OUT holds.")] = False,
    no_dedup: Annotated[
        bool, typer.Option("--no-dedup", help="Do not link near-duplicate articles.")
    ] = False,
    reproducible: Annotated[
        bool, typer.Option("--reproducible", help="Write timings as 0 (byte-comparable runs).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    summary_json: Annotated[
        Path | None, typer.Option("--summary-json", help="Also write the summary as JSON here.")
    ] = None,
    openai_batch: Annotated[
        bool,
        typer.Option(
            "--openai-batch",
            help="Send the requests through the OpenAI Batch API (half price, answers within "
            "24 h); re-run the same command to pick an open batch up.",
        ),
    ] = False,
    poll_interval: Annotated[
        float,
        typer.Option(
            "--poll-interval", min=0.0, help="--openai-batch: seconds between first polls."
        ),
    ] = 30.0,
    flags: BackendFlags = BackendFlags(),
) -> None:
    """Convert a corpus: one ArticleResult per article into OUT, bad inputs into OUT's errors file.

    Re-running the same command resumes: what OUT holds under the same settings is skipped.
    Exit 0 when all went well, 1 when some inputs failed, 2 when nothing could run.
    """
    import asyncio
    import json

    from summarizer.batch import Options, Runner
    from summarizer.batch.inputs import count
    from summarizer.batch.progress import Progress, render_summary
    from summarizer.outputs import check_target, write_atomic

    check_target(out)
    settings = flags.settings()
    total = count(inputs, glob=glob)
    with Progress(total, quiet=quiet) as progress:
        options = Options(
            out=out,
            format=output_format,
            glob=glob,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            processes=processes,
            force=force,
            dedup=not no_dedup,
            reproducible=reproducible,
            on_progress=progress.update,
        )
        if openai_batch:
            summary = _openai_batch(inputs, settings, options, poll_interval, progress.note)
        else:
            runner = Runner(inputs, settings, options)
            try:
                asyncio.run(_drain(runner))
            except KeyboardInterrupt:
                _fail(
                    f"interrupted after {runner.summary.total} inputs: {out} holds every result "
                    "that finished; run the same command again to do the rest",
                    130,
                )
            summary = runner.summary
    if not quiet:
        render_summary(summary)
    if summary_json is not None:
        write_atomic(summary_json, json.dumps(summary.as_dict(), indent=2) + "\n")
    if summary.exit_code:
        if not quiet and summary.failed:
            sys.stderr.write(
                f"summarizer: {summary.failed} of {summary.total} inputs failed: see "
                f"{summary.errors_file}\n"
            )
        raise SystemExit(summary.exit_code)


async def _drain(runner: Any) -> None:
    async for _ in runner.outcomes():
        pass


def _openai_batch(
    inputs: list[str], settings: Settings, options: Any, poll_interval: float, say: Any
) -> Any:
    import asyncio

    from summarizer.batch.openai_batch import OpenAIBatchRun
    from summarizer.errors import ConfigError

    if settings.resolved_backend() != "openai":
        raise ConfigError(
            "--openai-batch needs the openai backend: set OPENAI_API_KEY (and leave --backend "
            "out, or give --backend openai)"
        )
    if settings.record_dir is not None:
        raise ConfigError(
            "--record saves live request/response pairs; --openai-batch sends none: leave one out"
        )
    job = OpenAIBatchRun(inputs, settings, options, poll_interval=poll_interval, say=say)
    try:
        asyncio.run(job.arun())
    except KeyboardInterrupt:
        _fail(
            f"interrupted: an open OpenAI batch goes on; run the same command again to pick it "
            f"up, or `summarizer batch cancel {options.out}`",
            130,
        )
    return job.summary


def _batch_settings(
    backend: BackendChoice | None, model: str | None, base_url: str | None
) -> Settings:
    settings = BackendFlags(backend=backend, model=model, base_url=base_url).settings()
    if settings.resolved_backend() != "openai":
        from summarizer.errors import ConfigError

        raise ConfigError("OpenAI batches need OPENAI_API_KEY (or --base-url for another server)")
    return settings


@batch_app.command("status")
def batch_status(
    out: Annotated[Path, typer.Argument(help="The OUT of a `batch ... --openai-batch` run.")],
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Show OUT's OpenAI batches: each round, and the open one as the server sees it now."""
    import asyncio

    from summarizer.batch.openai_batch import astatus, require_state

    require_state(out)  # no batch: say so, rather than ask for a key it would not need
    settings = _batch_settings(backend, model, base_url)
    for line in asyncio.run(astatus(out, settings)):
        typer.echo(line)


@batch_app.command("cancel")
def batch_cancel(
    out: Annotated[Path, typer.Argument(help="The OUT of a `batch ... --openai-batch` run.")],
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Cancel OUT's open OpenAI batch; re-running the batch command keeps what it answered."""
    import asyncio

    from summarizer.batch.openai_batch import acancel, open_parts

    open_parts(out)  # nothing to cancel: say so, rather than ask for a key it would not need
    typer.echo(asyncio.run(acancel(out, _batch_settings(backend, model, base_url))))


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

    from summarizer.clean import DroppedLine, NoArticleLeftError, clean_corpus
    from summarizer.errors import InputError
    from summarizer.outputs import ensure_dir, write_atomic
    from summarizer.pipeline import read_input

    if out_dir is not None:
        ensure_dir(out_dir)
    failed = False
    items: list[tuple[bytes | str, str | None]] = []
    for file in files:
        try:
            items.append(read_input(file))
        except InputError as exc:
            sys.stderr.write(f"summarizer: error: {exc}\n")
            failed = True
    err = Console(stderr=True)

    def print_dropped(name: str | None, dropped: list[DroppedLine]) -> None:
        table = Table(title=f"dropped from {name}", show_lines=False)
        for column in ("line", "reason", "text"):
            table.add_column(column, overflow="fold")
        for d in dropped:
            table.add_row(str(d.line or ""), d.reason, d.text[:200])
        err.print(table)

    written: set[Path] = set()
    for (_raw, name), report in zip(items, clean_corpus(items), strict=True):
        if isinstance(report, InputError):
            if show_dropped and isinstance(report, NoArticleLeftError) and report.dropped:
                # the user asked why: every line went, so show each one's reason
                print_dropped(name, report.dropped)
            sys.stderr.write(f"summarizer: error: {_shown(name)}: {report}\n")
            failed = True
            continue
        if show_dropped and not report.dropped:
            err.print(f"nothing dropped from {name}")
        elif show_dropped:
            print_dropped(name, report.dropped)
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
            write_atomic(target, report.article.text + "\n")
        else:
            if len(items) > 1:
                sys.stdout.write(f"==> {name} <==\n")
            sys.stdout.write(report.article.text + "\n")
    if failed:
        raise SystemExit(2)


class CompareFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command("compare")
@backend_options
def compare_cmd(
    files: Annotated[
        list[str] | None, typer.Argument(help="Article files (text or HTML) to compare.")
    ] = None,
    from_jsonl: Annotated[
        Path | None,
        typer.Option(
            "--from", "--from-jsonl", help="A JSONL of ArticleResults (the output of `batch`)."
        ),
    ] = None,
    output_format: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", help="text (default), json, markdown or html."),
    ] = CompareFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    flags: BackendFlags = BackendFlags(),
) -> None:
    """Compare how outlets tell the same story: groups, fact matrix, framing, consensus.

    A bad file or JSONL line is reported on one line and left out; the rest is compared
    (exit 1). Nothing left to compare: exit 2.
    """
    from summarizer.compare.run import load_results, render, run_compare
    from summarizer.outputs import check_target, write_atomic

    if not files and from_jsonl is None:
        _fail("give article files to compare, or --from results.jsonl (the output of batch)", 2)
    if output is not None:
        check_target(output)
    settings = flags.settings()
    loaded = load_results(files or [], from_jsonl, settings)
    if not loaded.results:  # nothing to compare: the last error line says so
        for message in loaded.errors[:-1]:
            sys.stderr.write(f"summarizer: error: {message}\n")
        if loaded.errors:
            _fail(f"{loaded.errors[-1]} (nothing left to compare)", 2)
        # an empty --from: name it, and what it should hold
        what = f"{from_jsonl}: holds no results" if from_jsonl else "no article to compare"
        _fail(f"{what}: pass the JSONL that `summarizer batch` writes", 2)
    for message in loaded.errors:
        sys.stderr.write(f"summarizer: error: {message}\n")
    comparison = run_compare(loaded.results, settings)
    text = render(comparison, loaded.results, output_format.value, loaded.raws)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
    if loaded.errors:
        raise SystemExit(1)


@schemas_app.command("export")
def schemas_export(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Folder to write into (default: the shipped schemas/)."),
    ] = None,
) -> None:
    """Write one JSON Schema file per top-level model."""
    from summarizer.outputs import ensure_dir
    from summarizer.schemas import export_schemas

    if out_dir is not None:
        ensure_dir(out_dir)
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
    from summarizer.fixtures import (
        ARTICLES,
        RECORDINGS,
        REFERENCE_MODEL,
        record_live,
        record_references,
        replacing,
    )
    from summarizer.outputs import check_dir

    settings = BackendFlags(model=model, base_url=base_url, no_cache=True).settings()
    articles = ARTICLES
    folder = settings.recordings_dir or RECORDINGS
    target = out or folder / (REFERENCE_MODEL if reference else settings.model)
    check_dir(target)
    # Staged: a failed run leaves the recordings as they were; a whole run (every reference,
    # or every seed) also removes the old ones it did not write again (stale hashes).
    with replacing(target, whole=reference or not files) as stage:
        if reference:
            results = record_references(references, articles, stage, settings)
        else:
            results = record_live(files or sorted(articles.glob("*.txt")), stage, settings)
    for result in results:
        dropped = len(result.provenance.dropped)
        typer.echo(f"{result.article.source}: {len(result.incidents)} incidents, {dropped} dropped")
    typer.echo(f"recordings in {target}")


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"summarizer: error: {message}\n")
    raise SystemExit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """Console entry point: every failure becomes one line on stderr and a non-zero exit.

    User errors (`SummarizerError`) say what to do; an operating-system error that no
    command turned into one (a full disk under stdout, say) still gets one line, exit 2;
    anything else is a bug, reported in one line that says so, never as a traceback.
    """
    import errno

    from summarizer.errors import SummarizerError

    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a full disk or closed pipe under stdout shows up here
    except SummarizerError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        _silence_stdout()
        sys.stderr.close()
        raise SystemExit(1) from None
    except OSError as exc:
        _silence_stdout()
        where = exc.filename or "output"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            _fail(f"{where}: no space left on the disk: free some space or write elsewhere", 2)
        if exc.errno == errno.EFBIG:
            _fail(f"{where}: file too large for a size limit: write elsewhere", 2)
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            _fail(f"{where}: a file is where a folder is needed: choose another path", 2)
        _fail(f"{where}: {exc.strerror or exc}: check the path and its permissions", 2)
    except Exception as exc:  # the promise is one line, never a traceback
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        _fail(f"internal error ({detail}); this is a bug, please report it", 1)


if __name__ == "__main__":
    main()
