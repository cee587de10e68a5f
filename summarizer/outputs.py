"""Writing output files: atomically, with the user's permissions, failures as one line.

Every file the CLI writes (results, cleaned texts, schemas) goes through
`write_atomic`: a temporary file in the target folder renamed over the target,
so a crash or a full disk never leaves half a file. `tempfile.mkstemp` makes
files readable by their owner only (0600); outputs are meant to be shared like
any file the user writes, so the temporary file gets the mode `open()` would
give (0666 minus the umask), or the mode of the file it replaces.

Operating-system failures (a folder where a file is wanted, a file where a
folder is wanted, no permission, disk full) become an `OutputError` that names
the path and what to do, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from summarizer.errors import OutputError

_IS_FOLDER = "is a folder: give a file name for the output"
_FILE_IN_PATH = "a part of the path is a file, not a folder: choose another path"
_IS_FILE = "is a file, not a folder: pass a folder (it is created if missing)"


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it and restore it
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def output_error(path: Path, exc: OSError) -> OutputError:
    """A one-line message for an OS failure to write `path`, saying what to do."""
    code = exc.errno
    if code == errno.EISDIR or path.is_dir():
        return OutputError(f"{path}: {_IS_FOLDER}")
    if code in (errno.ENOTDIR, errno.EEXIST) or _file_in_the_way(path.parent):
        return OutputError(f"{path}: {_FILE_IN_PATH}")
    if code in (errno.EACCES, errno.EPERM):
        return OutputError(f"{path}: permission denied: write somewhere you may write to")
    if code == errno.EROFS:
        return OutputError(f"{path}: read-only file system: write somewhere else")
    if code == errno.EFBIG:
        return OutputError(f"{path}: file too large for a size limit: write elsewhere")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"{path}: no space left on the disk: free some space or write elsewhere")
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"{path}: cannot write ({reason}): check the path")


def _file_in_the_way(folder: Path) -> bool:
    """True when `folder` or one of its parents exists as something other than a folder."""
    for part in (folder, *folder.parents):
        if part.exists():
            return not part.is_dir()
    return False


def check_target(path: Path) -> None:
    """Fail before any work when `path` can clearly not become an output file."""
    if path.is_dir():
        raise OutputError(f"{path}: {_IS_FOLDER}")
    if _file_in_the_way(path.parent):
        raise OutputError(f"{path}: {_FILE_IN_PATH}")


def check_dir(path: Path) -> None:
    """Fail before any work when `path` can clearly not become an output folder."""
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: {_IS_FILE}")
    if _file_in_the_way(path.parent):
        raise OutputError(f"{path}: {_FILE_IN_PATH}")


def ensure_dir(path: Path) -> Path:
    """Create the output folder `path` (and its parents) or explain why it cannot be."""
    check_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(path / "x", exc) from None
    return path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` via a temporary file and a rename.

    A symlink is written through (its target is replaced, the link stays). A target that
    exists but is no regular file (`/dev/stdout`, a named pipe, a device) is written to
    directly: renaming over it would replace the device instead of writing to it.
    """
    check_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and not path.is_file():
        _write_direct(path, payload)
        return
    with atomic_file(path, "wb") as fh:
        fh.write(payload)


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A temporary file beside `path` that replaces it on success (fsync'ed), or vanishes.

    The one atomic writer: `write_atomic` writes a whole payload through it, batch's sinks
    stream whole-file formats into it. A symlink is written through; the file gets the mode
    of the file it replaces, or the umask's. Failures are `OutputError` lines.
    """
    real = Path(os.path.realpath(path))
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        os.fchmod(fd, _mode_for(real))
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise output_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_direct(path: Path, payload: bytes) -> None:
    try:
        with path.open("wb") as fh:
            fh.write(payload)
    except OSError as exc:
        raise output_error(path, exc) from None
