"""One batch run per OUT: a second run on a held OUT is refused at once and touches nothing;
a run killed with kill -9 leaves its lock file behind but never blocks the next run."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.batch import Options, run
from summarizer.batch.openai_batch import OpenAIBatchRun, acancel
from summarizer.batch.outlock import hold, lock_path
from summarizer.errors import OutputError
from tests.conftest import SEEDS, run_cli
from tests.test_openai_batch import _conf

ROOT = Path(__file__).resolve().parents[1]
HOLDER = (
    "import sys, time; from pathlib import Path; from summarizer.batch.outlock import hold\n"
    "with hold(Path(sys.argv[1])):\n"
    "    print('held', flush=True); time.sleep(120)\n"
)


@pytest.fixture
def other_run(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """Another process that holds `tmp_path/out.jsonl` until it is killed with SIGKILL."""
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        yield out, proc
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def _batch(
    out: Path, seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    code, _o, err = run_cli(["batch", str(seed), "-o", str(out), "--processes", "0", "-q"],
                            capsys, monkeypatch)  # fmt: skip
    return code, err


def test_a_second_run_is_refused_untouched_and_a_killed_run_frees_out(
    other_run: tuple[Path, subprocess.Popen[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, holder = other_run
    out.write_bytes(b'{"an earlier run": "its line"}\n')  # what the other run has written
    before = sorted(p.name for p in out.parent.iterdir())
    code, err = _batch(out, SEEDS[0], capsys, monkeypatch)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{out}: another batch run (pid {holder.pid}) holds it" in err
    assert "run the same command again" in err
    assert out.read_bytes() == b'{"an earlier run": "its line"}\n'
    assert sorted(p.name for p in out.parent.iterdir()) == before  # no errors file, no index

    os.kill(holder.pid, signal.SIGKILL)  # a crash: the OS drops the lock, the file stays
    holder.wait()
    assert lock_path(out).exists()
    out.unlink()
    code, err = _batch(out, SEEDS[0], capsys, monkeypatch)
    assert code == 0, err
    assert len(out.read_bytes().splitlines()) == 1


def test_openai_batch_runs_and_cancel_are_refused_too(
    other_run: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    out, _holder = other_run
    conf = _conf("http://127.0.0.1:9", tmp_path)  # never reached: the lock comes first
    job = OpenAIBatchRun([str(SEEDS[0])], conf, Options(out=out, processes=0))
    with pytest.raises(OutputError, match=r"another batch run .* holds it"):
        asyncio.run(job.arun())
    with pytest.raises(OutputError, match=r"another batch run .* holds it"):
        asyncio.run(acancel(out, conf))
    assert not out.exists()


def test_the_lock_is_reentrant_in_one_thread_only(tmp_path: Path) -> None:
    """An --openai-batch run holds OUT while its passes take it again; a library run in
    another thread of the same process is refused like another process."""
    out = tmp_path / "out.jsonl"
    with hold(out), hold(out), pytest.raises(OutputError, match="another batch run"):
        list(run([str(SEEDS[0])], _conf("http://127.0.0.1:9", tmp_path), out=out))
    assert not out.exists()
    with hold(out):  # released after the outer hold ends
        pass
