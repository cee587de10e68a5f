"""What a batch reads: files, folders, @lists, JSONL records, '-' (JSONL on stdin).

Inputs are expanded lazily, one `Source` at a time, so a corpus of any size is
never held in memory. A problem with one input (a missing file, a bad JSONL
line) becomes a `Problem` in the same stream: it ends up as a row in the
errors file and the rest of the corpus carries on.

A JSONL record is `{"id", "text" | "html", "url", "outlet", "published",
"title"}`; its raw bytes (for `doc_id`) are the UTF-8 of its text or HTML.
An `http(s)://` input is a `Source` with `url` set and no bytes: fetching is
a plug-in step of the runner (`Options.fetch`), not done here.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import IO, Any

from summarizer.clean.decode import MAX_INPUT_BYTES

#: File names a folder walk picks up by default (articles as text or HTML).
DEFAULT_GLOB = "*"
_SKIP_NAMES = (".", "_")  # hidden files and folders, editor/OS droppings
_RECORD_KEYS = {"id", "text", "html", "url", "outlet", "published", "title"}


@dataclass(frozen=True, slots=True)
class Source:
    """One article to process: where it comes from and, for records, its content."""

    label: str  # the path as given, 'file.jsonl:LINE' for a record, or the URL
    path: str | None = None  # a file to read
    data: bytes | None = None  # content given inline (a JSONL record)
    meta: dict[str, str] = field(default_factory=dict)  # url/outlet/published/title overrides
    url: str | None = None  # to be fetched (no path, no data)

    def read(self) -> bytes:
        """The raw bytes; OSError or `TooLarge` when they cannot be had."""
        if self.data is not None:
            if len(self.data) > MAX_INPUT_BYTES:
                raise TooLarge(len(self.data))
            return self.data
        if self.path is None:
            raise OSError(f"{self.label}: nothing to read (a URL needs fetching)")
        size = os.stat(self.path).st_size
        if size > MAX_INPUT_BYTES:  # refuse before reading a whole dump into memory
            raise TooLarge(size)
        with open(self.path, "rb") as fh:
            return fh.read()


class TooLarge(Exception):
    """An input over the size limit, found before it was read."""

    def __init__(self, size: int) -> None:
        super().__init__(
            f"input is {size / (1 << 20):.1f} MiB, over the {MAX_INPUT_BYTES >> 20} MiB limit: "
            "pass the article alone, not a whole site dump"
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not even be turned into a Source."""

    label: str
    kind: str
    message: str


Item = Source | Problem


def expand(
    inputs: Iterable[str], *, glob: str | None = None, stdin: IO[str] | None = None
) -> Iterator[Item]:
    """Every Source (or Problem) the inputs name, in order; folders walked in sorted order."""
    for given in inputs:
        yield from _expand_one(given, glob, stdin)


def _expand_one(given: str, glob: str | None, stdin: IO[str] | None) -> Iterator[Item]:
    if given == "-":
        yield from read_records(stdin or sys.stdin, "-")
        return
    if given.startswith(("http://", "https://")):
        yield Source(label=given, url=given)
        return
    if given.startswith("@"):
        yield from _expand_list(given[1:], glob)
        return
    path = Path(given)
    if path.is_dir():
        yield from _walk(path, glob or DEFAULT_GLOB)
    elif not path.exists():
        yield Problem(given, "missing", f"{given}: no such file or folder: check the path")
    elif path.suffix == ".jsonl":
        try:
            with path.open(encoding="utf-8") as fh:
                yield from read_records(fh, given)
        except (OSError, UnicodeDecodeError) as exc:
            yield Problem(given, "read", f"{given}: cannot read as UTF-8 JSONL ({exc}): fix it")
    else:
        yield Source(label=given, path=given)


def _expand_list(list_path: str, glob: str | None) -> Iterator[Item]:
    """`@list.txt`: one path or URL a line; blank lines and '#' comments skipped."""
    try:
        fh = open(list_path, encoding="utf-8")  # noqa: SIM115 - closed below, streamed
    except OSError as exc:
        yield Problem(f"@{list_path}", "missing", f"@{list_path}: cannot read ({exc.strerror})")
        return
    with fh:
        for line in fh:
            entry = line.strip()
            if entry and not entry.startswith("#"):
                yield from _expand_one(entry, glob, None)


def _walk(root: Path, glob: str) -> Iterator[Item]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(_SKIP_NAMES))
        for name in sorted(files):
            if name.startswith(_SKIP_NAMES) or not fnmatch(name, glob):
                continue
            path = os.path.join(folder, name)
            if name.endswith(".jsonl"):
                yield from _expand_one(path, glob, None)
            else:
                yield Source(label=path, path=path)


def read_records(lines: Iterable[str], origin: str) -> Iterator[Item]:
    """JSONL records, one a line, as Sources labelled `origin:LINE` (or by their id)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record: Any = json.loads(line)
        except ValueError:
            yield Problem(where, "record", f"{where}: not a JSON object: one record per line")
            continue
        yield record_source(record, where)


def record_source(record: Any, where: str) -> Item:
    """A Source from one `{id, text|html, url, outlet, published, title}` record."""
    if not isinstance(record, dict):
        return Problem(where, "record", f"{where}: not a JSON object: one record per line")
    unknown = sorted(set(record) - _RECORD_KEYS)
    body = record.get("text") if record.get("text") is not None else record.get("html")
    if unknown:
        return Problem(
            where, "record", f"{where}: unknown field(s) {', '.join(unknown)}: use "
            "id, text or html, url, outlet, published, title",
        )  # fmt: skip
    if not isinstance(body, str):
        if isinstance(record.get("url"), str) and "text" not in record and "html" not in record:
            url = record["url"]
            return Source(label=str(record.get("id") or url), url=url, meta=_meta(record))
        return Problem(where, "record", f"{where}: a record needs 'text' or 'html' (a string)")
    label = f"{where}#{record['id']}" if record.get("id") not in (None, "") else where
    return Source(label=label, data=body.encode("utf-8"), meta=_meta(record))


def _meta(record: dict[str, Any]) -> dict[str, str]:
    return {k: str(record[k]) for k in ("url", "outlet", "published", "title") if record.get(k)}


def count(inputs: Iterable[str], *, glob: str | None = None) -> int | None:
    """How many items `expand` will yield (for the progress bar); None when reading stdin."""
    inputs = list(inputs)
    if "-" in inputs:
        return None
    return sum(1 for _ in expand(inputs, glob=glob))
