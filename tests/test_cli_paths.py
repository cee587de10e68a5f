"""No tracebacks, ever: every CLI path argument, pointed at the wrong kind of thing.

The commands are discovered from the Typer app, so commands added later (batch,
compare, ...) are walked too without editing this file. Every path parameter (each
argument, and each option typed `Path`) gets a folder, a file and a path inside a
folder that does not exist, with every variable of `.env.example` set to empty. A
command may succeed (exit 0) or refuse, but a refusal is one line on stderr that
starts with `summarizer: error:`, exit 2 for anything the user can fix, and never a
traceback or an "internal error".
"""

from __future__ import annotations

import errno
import inspect
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.models import ArgumentInfo, OptionInfo

from summarizer.cli import app
from tests.conftest import SEEDS, run_cli

ROOT = Path(__file__).resolve().parents[1]
ENV_EXAMPLE = ROOT / ".env.example"
SEED = SEEDS[1]
KINDS = ("folder", "file", "missing folder")


def env_example_variables() -> list[str]:
    """Every variable `.env.example` documents (commented `# NAME=...` lines included)."""
    found = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), flags=re.M)
    return sorted(set(found))


@dataclass(frozen=True)
class PathParam:
    command: tuple[str, ...]
    name: str
    flag: str | None  # None for a positional argument
    required: bool

    @property
    def id(self) -> str:
        return f"{' '.join(self.command)} {self.flag or self.name}"


def _info(annotation: Any) -> tuple[Any, ArgumentInfo | OptionInfo | None]:
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        info = next((e for e in extras if isinstance(e, ArgumentInfo | OptionInfo)), None)
        return base, info
    return annotation, None


def _mentions_path(annotation: Any) -> bool:
    return annotation is Path or any(_mentions_path(a) for a in typing.get_args(annotation))


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[Any, ...]]:
    for command in group.registered_commands:
        callback = command.callback
        assert callback is not None
        name = command.name or callback.__name__.replace("_", "-")
        yield (*prefix, name), callback
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name
        yield from _commands(sub.typer_instance, (*prefix, sub.name))


def _params(path: tuple[str, ...], callback: Callable[..., Any]) -> Iterator[PathParam]:
    hints = typing.get_type_hints(callback, include_extras=True)
    for name, parameter in inspect.signature(callback).parameters.items():
        base, info = _info(hints[name])
        is_argument = isinstance(info, ArgumentInfo) or info is None
        if not (is_argument or _mentions_path(base)):
            continue
        flag = None
        if not is_argument:
            decls = [d for d in (info.param_decls or ()) if d.startswith("--")] if info else []
            flag = decls[0] if decls else "--" + name.replace("_", "-")
        required = parameter.default is inspect.Parameter.empty or parameter.default is ...
        yield PathParam(path, name, flag, required)


def path_params() -> list[PathParam]:
    return [p for path, callback in _commands(app) for p in _params(path, callback)]


PARAMS = path_params()


def test_the_walk_finds_the_commands_and_their_paths() -> None:
    """The discovery itself must work, or the walk below would pass by testing nothing."""
    ids = {p.id for p in PARAMS}
    assert {"summarize file", "summarize --output", "clean files", "clean --out-dir"} <= ids
    assert {"summarize --record", "summarize --model-path", "schemas export --out-dir"} <= ids


def _invocation(param: PathParam, value: str, seed: Path) -> list[str]:
    """The command with `value` for `param` and a valid value for every other required one."""
    args = list(param.command)
    for other in PARAMS:
        if other.command != param.command or other == param or not other.required:
            continue
        args += [other.flag, str(seed)] if other.flag else [str(seed)]
    args += [param.flag, value] if param.flag else [value]
    return args


def _bad_value(kind: str, tmp: Path) -> Path:
    if kind == "folder":
        folder = tmp / "a folder"
        folder.mkdir(exist_ok=True)
        return folder
    if kind == "file":
        file = tmp / "a file.txt"
        file.write_bytes(SEED.read_bytes())
        return file
    return tmp / "no such folder" / "out.json"


def assert_one_line_or_success(code: int, err: str, what: str) -> None:
    assert "Traceback" not in err, f"{what}: {err}"
    assert "internal error" not in err, f"{what}: {err}"
    if code == 0:
        return
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: "), f"{what}: {err!r}"
    assert code in (2, 3), f"{what}: exit {code}: {err}"


@pytest.fixture
def blank_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every `.env.example` variable set to empty, in a folder of its own (commands that
    default to repository paths, like `fixtures record`, must not touch the checkout)."""
    for name in env_example_variables():
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))  # not the user's
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("param", PARAMS, ids=[p.id for p in PARAMS])
def test_every_path_argument_fails_in_one_line(
    param: PathParam,
    kind: str,
    blank_environment: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = blank_environment / SEED.name
    seed.write_bytes(SEED.read_bytes())
    args = _invocation(param, str(_bad_value(kind, blank_environment)), seed)
    code, _out, err = run_cli(args, capsys, monkeypatch)
    assert_one_line_or_success(code, err, " ".join(args))
    assert "invalid setting" not in err, "an empty variable is no setting"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summarize", "{seed}", "-o", "{folder}"], "is a folder: give a file name"),
        (["summarize", "{seed}", "-o", "{seed}/result.json"], "is a file, not a folder"),
        (["summarize", "{seed}", "-f", "text", "-o", "{folder}"], "is a folder"),
        (["clean", "{seed}", "--out-dir", "{seed}"], "is a file, not a folder"),
        (["schemas", "export", "--out-dir", "{seed}"], "is a file, not a folder"),
        (["summarize", "{seed}", "--record", "{seed}"], "is a file, not a folder"),
        (["summarize", "{folder}"], "is a folder: pass one article file"),
    ],
)
def test_wrong_kind_of_path_names_it(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    filled = [a.format(seed=SEED, folder=folder) for a in args]
    code, out, err = run_cli(filled, capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert list(folder.iterdir()) == []


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file opened from a descriptor (how atomic writes write) fails with ENOSPC."""
    real = os.fdopen

    class Full:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real(fd, *a, **k)))


#: Commands whose outputs are written whole, atomically (`summarizer.outputs.write_atomic`).
OUTPUT_COMMANDS = [
    ["summarize", "{seed}", "-o", "{out}/result.json"],
    ["summarize", "{seed}", "-f", "text", "-o", "{out}/result.txt"],
    ["clean", "{seed}", "--out-dir", "{out}"],
    ["schemas", "export", "--out-dir", "{out}"],
    ["compare", "{seed}", "{other}", "-f", "html", "-o", "{out}/report.html"],
]


def _fill(args: list[str], out: Path) -> list[str]:
    return [a.format(seed=SEED, other=SEEDS[2], out=out) for a in args]


#: ...and those that stream (batch appends one result at a time, for resume).
STREAMING_COMMANDS = [
    ["batch", "{seed}", "{other}", "--out", "{out}/results.jsonl", "-q"],
    ["batch", "{seed}", "{other}", "--out", "{out}/results.csv", "-q"],
]


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=[" ".join(a[:2]) for a in OUTPUT_COMMANDS])
def test_a_full_disk_is_one_line_and_leaves_no_file(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    _full_disk(monkeypatch)
    code, _, err = run_cli(
        [a.format(seed=SEED, other=SEEDS[2], out=out) for a in args], capsys, monkeypatch
    )
    assert code == 2 and err.count("\n") == 1, err
    assert "no space left on the disk" in err
    assert [p for p in out.rglob("*") if p.is_file()] == [], "no partial or temporary file"


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=[" ".join(a[:2]) for a in OUTPUT_COMMANDS])
def test_an_unwritable_folder_is_one_line(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make creating files there fail as it would

        def refuse(*args: object, **kwargs: object) -> Any:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr("tempfile.mkstemp", refuse)
    else:
        out.chmod(0o500)
    try:
        code, _, err = run_cli(
            [a.format(seed=SEED, other=SEEDS[2], out=out) for a in args], capsys, monkeypatch
        )
    finally:
        out.chmod(0o700)
    assert code == 2 and err.count("\n") == 1, err
    assert "permission denied" in err


def _small_file_limit() -> None:  # runs in the child, before the CLI starts
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


ALL_OUTPUTS = OUTPUT_COMMANDS + STREAMING_COMMANDS


@pytest.mark.parametrize("args", ALL_OUTPUTS, ids=[" ".join(a[:4]) for a in ALL_OUTPUTS])
def test_a_write_failing_midway_is_one_line_in_every_command(
    args: list[str], tmp_path: Path
) -> None:
    """A real failing write for every writer, atomic or streamed: a file-size limit (8 KiB)
    makes the OS refuse writes past it, as a full disk would. Bytecode writing is off, or
    the limit would truncate the interpreter's own cache files."""
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SUMMARIZER_ENV_FILE": os.devnull}
    env["SUMMARIZER_CACHE_DIR"] = str(tmp_path / "cache")
    cli = [sys.executable, "-c", "from summarizer.cli import main; main()"]
    filled = _fill(args, out)
    run = subprocess.run(
        [*cli, *filled], capture_output=True, text=True, env=env, timeout=300,
        preexec_fn=_small_file_limit,
    )  # fmt: skip
    assert_one_line_or_success(run.returncode, run.stderr, " ".join(filled))
    assert list(out.rglob("*.tmp")) == [], "no temporary file left behind"


def test_stdout_on_a_full_disk_is_one_line() -> None:
    """`summarize x > /dev/full`: the failure shows when stdout is flushed, still one line."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    cli = [sys.executable, "-c", "from summarizer.cli import main; main()"]
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [*cli, "summarize", str(SEED)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "no space left" in run.stderr, run.stderr


def test_output_to_a_pipe_writes_into_it_instead_of_replacing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o /dev/stdout` or a named pipe must be written to, never renamed over (that would
    replace a device). A FIFO of the test's own stands in, so a regression harms nothing."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run_cli(["summarize", str(SEED), "-o", str(pipe)], capsys, monkeypatch)
    reader.join(timeout=60)
    assert code == 0, err
    assert pipe.is_fifo() and received and received[0].startswith(b"{")


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_output_files_respect_the_umask(
    umask: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(umask)
    try:
        result, cleaned = tmp_path / "result.json", tmp_path / "cleaned"
        assert run_cli(["summarize", str(SEED), "-o", str(result)], capsys, monkeypatch)[0] == 0
        assert run_cli(["clean", str(SEED), "--out-dir", str(cleaned)], capsys, monkeypatch)[0] == 0
    finally:
        os.umask(old)
    for path in (result, cleaned / f"{SEED.stem}.txt"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, oct(path.stat().st_mode)


def test_an_existing_output_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = tmp_path / "result.json"
    result.write_text("old")
    result.chmod(0o640)
    assert run_cli(["summarize", str(SEED), "-o", str(result)], capsys, monkeypatch)[0] == 0
    assert result.stat().st_mode & 0o777 == 0o640
    assert result.read_text().startswith("{")
