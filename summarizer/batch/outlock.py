"""One batch run per OUT: an OS advisory lock on `OUT.lock`, held for the whole run.

Two runs writing the same OUT at once each append their own results, so OUT
ends up with articles twice (and a compaction of one can cut the other's
lines). `fcntl.flock` on a file next to OUT is refused at once to a second run,
and the OS releases it when the holder ends in any way, kill -9 included, so a
crashed run never blocks the next one (the file it leaves behind is only a name).

The lock is re-entrant within one thread: an `--openai-batch` run holds it
across its rounds and its runner passes take it again; another thread or
process is refused.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from summarizer.errors import OutputError
from summarizer.outputs import output_error

_held: dict[tuple[str, int], int] = {}  # (lock file, thread) -> depth
_guard = threading.Lock()


def lock_path(out: Path) -> Path:
    return out.with_name(out.name + ".lock")


@contextmanager
def hold(out: Path) -> Iterator[None]:
    """Hold OUT for this run, or raise `OutputError` (exit 2) naming the run that holds it."""
    path = lock_path(out)
    key = (str(path.resolve()), threading.get_ident())
    with _guard:
        if key in _held:
            _held[key] += 1
            again = True
        else:
            again = False
    if again:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    fd = _acquire(out, path)
    with _guard:
        _held[key] = 1
    try:
        yield
    finally:
        with _guard:
            del _held[key]
        os.close(fd)  # closing the last descriptor releases the lock


def _acquire(out: Path, path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        who = f" (pid {holder})" if holder.isdigit() else ""
        raise OutputError(
            f"{out}: another batch run{who} holds it ({path}): wait for that run to end, or "
            "stop it, then run the same command again (a run that was killed frees it by itself)"
        ) from None
    except OSError as exc:
        os.close(fd)
        raise output_error(path, exc) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd
