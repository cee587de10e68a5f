"""Where batch results go, written so an interrupted run never leaves a torn or half-valid file.

- The **journal** is JSONL, one `ArticleResult` a line, appended and flushed per
  line (so a kill -9 loses at most the line being written: the OS keeps what was
  flushed) and fsync'ed about once a second and at the end (power loss). It is
  OUT itself for `.jsonl`, and `OUT.journal.jsonl` for the other formats.
- Resume rule: a journal line counts when it parses and carries this run's
  settings fingerprint; a torn last line (a crash mid-write) is cut off, stale
  or duplicate lines are compacted away (rewritten via temp + rename), so every
  article appears exactly once.
- **Whole-file formats** (JSON array, CSV, Parquet) are rebuilt from the journal
  at the end of each run, streamed line by line into a temp file that replaces
  OUT in one rename: OUT is either the previous complete file or the new one.
- The **errors file** (`OUT.errors.jsonl`: path, doc_id, kind, message) is
  written fresh each run; it disappears when a run has no failures.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from summarizer.batch.docids import DocIds
from summarizer.errors import ConfigError
from summarizer.outputs import atomic_file

FORMATS = ("jsonl", "json", "csv", "parquet")
#: Provenance note that ties a result to the settings that produced it (the resume key).
FINGERPRINT_NOTE = "batch settings fingerprint "
FSYNC_EVERY_S = 1.0

#: CSV/Parquet columns, one row per incident (ACLED-like, flat, analyst-friendly).
COLUMNS = (
    "doc_id",
    "source_article",
    "outlet",
    "published",
    "incident",
    "event_date",
    "event_date_end",
    "time_precision",
    "event_type",
    "acled_event_type",
    "acled_sub_event_type",
    "status",
    "location",
    "admin_region",
    "country",
    "geo_precision",
    "initiators",
    "targets",
    "means",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "quantities",
    "attribution",
    "operation_name",
    "description",
    "duplicate_of",
)
#: ACLED time precision: 1 = day, 2 = week or a range within a month, 3 = month or longer.
_TIME_PRECISION = {"day": 1, "week": 2, "range": 2, "month": 3, "year": 3}


def output_format(out: Path, given: str | None) -> str:
    """The format asked for by --format, else by OUT's extension."""
    fmt = (given or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ConfigError(
            f"cannot tell the output format of {out}: name it .jsonl, .json, .csv or .parquet, "
            "or pass --format jsonl|json|csv|parquet"
        )
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ConfigError(
                "Parquet output needs pyarrow: pip install 'summarizer[parquet]' (or write "
                ".jsonl / .csv)"
            ) from None
    return fmt


def journal_path(out: Path, fmt: str) -> Path:
    return out if fmt == "jsonl" else out.with_name(out.name + ".journal.jsonl")


def errors_path(out: Path) -> Path:
    """`OUT.errors.jsonl`, after the full name (as `OUT.dedup`): `-o a.jsonl` and `-o a.csv` in
    one folder keep apart."""
    return out.with_name(f"{out.name}.errors.jsonl")


def line_fingerprint(data: dict[str, Any]) -> str | None:
    """The settings fingerprint a journal line was written under, if any."""
    for note in (data.get("provenance") or {}).get("notes") or ():
        if isinstance(note, str) and note.startswith(FINGERPRINT_NOTE):
            return note[len(FINGERPRINT_NOTE) :]
    return None


#: Provenance note with the doc_id, for results whose Article has no doc_id field.
DOC_ID_NOTE = "batch doc_id "


def line_doc_id(data: dict[str, Any]) -> str | None:
    article = data.get("article") or {}
    value = article.get("doc_id") if isinstance(article, dict) else None
    if isinstance(value, str):
        return value
    for note in (data.get("provenance") or {}).get("notes") or ():
        if isinstance(note, str) and note.startswith(DOC_ID_NOTE):
            return note[len(DOC_ID_NOTE) :]
    return None


class Journal:
    """Append-only JSONL of results: flushed per line, fsync'ed about once a second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[bytes] = open(path, "ab")  # noqa: SIM115 - lives as long as the run
        self._synced = time.monotonic()

    def write(self, line: str) -> None:
        self._fh.write(line.encode("utf-8") + b"\n")
        self._fh.flush()
        now = time.monotonic()
        if now - self._synced >= FSYNC_EVERY_S:
            os.fsync(self._fh.fileno())
            self._synced = now

    def close(self) -> None:
        if self._fh.closed:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()


def resume(path: Path, fingerprint: str, *, force: bool) -> tuple[DocIds, int]:
    """doc_ids the journal already holds for `fingerprint`, after making it consistent.

    Returns (done doc_ids, each with its line's byte offset in the journal; lines
    removed). `force` empties the journal. A torn last line is cut off; stale
    (other settings), unreadable or repeated lines are compacted away through a temp
    file and a rename.
    """
    if force or not path.exists():
        if path.exists():
            _replace_with(path, iter(()))
        return DocIds(), 0
    done, bad = _scan(path, fingerprint)
    if bad:
        _replace_with(path, _kept_lines(path, fingerprint))
        done, _ = _scan(path, fingerprint)  # offsets in the compacted file
    return done, bad


def _scan(path: Path, fingerprint: str) -> tuple[DocIds, int]:
    done = DocIds()
    bad = offset = 0
    with path.open("rb") as fh:
        for raw in fh:
            data = _parse(raw)
            doc_id = line_doc_id(data) if data is not None else None
            if (
                data is None
                or doc_id is None
                or doc_id in done
                or line_fingerprint(data) != fingerprint
            ):
                bad += 1
            else:
                done.add(doc_id, offset)
            offset += len(raw)
    return done, bad


def stored_line(path: Path, offset: int) -> str | None:
    """The journal line at `offset` (a result an earlier run wrote), None if unreadable."""
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            raw = fh.readline()
    except OSError:
        return None
    return raw.decode("utf-8") if raw.endswith(b"\n") else None


def _parse(raw: bytes) -> dict[str, Any] | None:
    if not raw.endswith(b"\n"):
        return None  # torn: the process died while writing this line
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _kept_lines(path: Path, fingerprint: str) -> Iterator[bytes]:
    seen = DocIds()
    with path.open("rb") as fh:
        for raw in fh:
            data = _parse(raw)
            doc_id = line_doc_id(data) if data is not None else None
            if data is None or doc_id is None or doc_id in seen:
                continue
            if line_fingerprint(data) == fingerprint:
                seen.add(doc_id)
                yield raw


def _replace_with(path: Path, lines: Iterator[bytes]) -> None:
    with atomic_file(path, "wb") as out:
        for raw in lines:
            out.write(raw)


def journal_records(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's results as dicts, one at a time."""
    if not path.exists():
        return
    with path.open("rb") as fh:
        for raw in fh:
            data = _parse(raw)
            if data is not None:
                yield data


def finish(out: Path, fmt: str) -> None:
    """Rebuild a whole-file OUT (json, csv, parquet) from its journal, atomically."""
    journal = journal_path(out, fmt)
    if fmt == "jsonl":
        return
    if fmt == "json":
        with atomic_file(out) as fh:
            fh.write("[")
            for i, data in enumerate(journal_records(journal)):
                fh.write(",\n" if i else "\n")
                fh.write(json.dumps(data, ensure_ascii=False))
            fh.write("\n]\n")
    elif fmt == "csv":
        with atomic_file(out) as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for data in journal_records(journal):
                writer.writerows(incident_rows(data))
    else:
        _write_parquet(out, journal)


def _write_parquet(out: Path, journal: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ints = {c for c in COLUMNS if c.startswith(("killed_", "injured_"))}
    ints |= {"incident", "time_precision", "geo_precision"}
    schema = pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in COLUMNS])
    with atomic_file(out, "wb") as fh:
        writer = pq.ParquetWriter(fh, schema)
        chunk: list[dict[str, Any]] = []
        for data in journal_records(journal):
            chunk.extend(incident_rows(data))
            if len(chunk) >= 5000:  # row groups bound the memory, whatever the corpus size
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
        writer.close()


def _names(items: list[dict[str, Any]], key: str = "name") -> str:
    return "; ".join(str(i.get(key) or i.get("name") or "") for i in items)


def incident_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per incident of a result (an article without incidents has none)."""
    article = data.get("article") or {}
    dup = data.get("duplicate_of") or {}
    rows = []
    for n, inc in enumerate(data.get("incidents") or [], 1):
        date = inc.get("date") or {}
        place = (inc.get("locations") or [{}])[0]
        casualties = inc.get("casualties") or {}
        killed = casualties.get("killed") or {}
        injured = casualties.get("injured") or {}
        rows.append(
            {
                "doc_id": line_doc_id(data),
                "source_article": article.get("source") or article.get("url"),
                "outlet": article.get("outlet"),
                "published": article.get("published"),
                "incident": n,
                "event_date": date.get("value"),
                "event_date_end": date.get("end"),
                "time_precision": _TIME_PRECISION.get(str(date.get("precision"))),
                "event_type": inc.get("event_type"),
                "acled_event_type": inc.get("acled_event_type"),
                "acled_sub_event_type": inc.get("acled_sub_event_type"),
                "status": inc.get("status"),
                "location": "; ".join(str(p.get("name")) for p in inc.get("locations") or []),
                "admin_region": place.get("admin_region"),
                "country": place.get("country"),
                "geo_precision": place.get("geo_precision"),
                "initiators": _names(inc.get("initiators") or [], "neutral_name"),
                "targets": _names(inc.get("targets") or [], "neutral_name"),
                "means": _names(inc.get("means") or []),
                "killed_low": killed.get("low"),
                "killed_best": killed.get("best"),
                "killed_high": killed.get("high"),
                "injured_low": injured.get("low"),
                "injured_best": injured.get("best"),
                "injured_high": injured.get("high"),
                "quantities": "; ".join(str(q.get("text")) for q in inc.get("quantities") or []),
                "attribution": _names(inc.get("attribution") or [], "source"),
                "operation_name": inc.get("operation_name"),
                "description": inc.get("description"),
                "duplicate_of": dup.get("doc_id") if isinstance(dup, dict) else None,
            }
        )
    return rows


class ErrorLog:
    """OUT.errors.jsonl: one row per failed input, written fresh by each run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fh: IO[bytes] | None = None
        path.unlink(missing_ok=True)  # rows from an earlier run are redone or repeated

    def write(self, path: str, doc_id: str | None, kind: str, message: str) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - lives as long as the run
        row = {"path": path, "doc_id": doc_id, "kind": kind, "message": message}
        self._fh.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        self._fh.flush()
        self.count += 1

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            os.fsync(self._fh.fileno())
            self._fh.close()
