"""What `--openai-batch` keeps next to OUT: the state file, the answers, the uploads.

- `OUT.openai-batch.json`: rounds and their batches (file id, batch id, status,
  counts), written atomically before and after every remote step; never a key;
- `OUT.openai-batch.answers.sqlite`: every 200 answer downloaded (`Answers`);
- `OUT.openai-batch.R.P.jsonl`: part P of round R's upload, until it is downloaded.

A round is split into parts that stay under the Batch API's per-batch limits
(50,000 requests, 200 MB), one batch each.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pydantic import BaseModel, Field

from summarizer.errors import ConfigError
from summarizer.outputs import atomic_file

#: The Batch API's limits per batch (requests, bytes of input file), with a margin on bytes.
MAX_REQUESTS_PER_BATCH = 50_000
MAX_BYTES_PER_BATCH = 190 * 1024 * 1024


class Part(BaseModel):
    """One batch of a round: its upload, ids and last known status."""

    number: int
    requests: int
    file_id: str | None = None
    batch_id: str | None = None
    status: str = "prepared"
    counts: dict[str, int] = Field(default_factory=dict)
    downloaded: bool = False


class Round(BaseModel):
    """The requests one runner pass could not answer, as one or more batches."""

    number: int
    parts: list[Part] = Field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.parts)

    @property
    def downloaded(self) -> bool:
        return all(p.downloaded for p in self.parts)


class State(BaseModel):
    """`OUT.openai-batch.json`: enough to resume, show or cancel the run's batches."""

    version: int = 2
    fingerprint: str
    model: str
    cost_usd: float = 0.0
    rounds: list[Round] = Field(default_factory=list)

    def open_round(self) -> Round | None:
        """The round submitted (or being submitted) and not wholly downloaded yet."""
        last = self.rounds[-1] if self.rounds else None
        return last if last is not None and not last.downloaded else None


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".openai-batch.json")


def answers_path(out: Path) -> Path:
    return out.with_name(out.name + ".openai-batch.answers.sqlite")


def upload_path(out: Path, round_number: int, part: int) -> Path:
    return out.with_name(f"{out.name}.openai-batch.{round_number}.{part}.jsonl")


def load_state(out: Path) -> State | None:
    path = state_path(out)
    if not path.exists():
        return None
    try:
        return State.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        raise ConfigError(
            f"{path} is not a batch state file this version can read: move it away to start over"
        ) from None


def save_state(out: Path, state: State) -> None:
    with atomic_file(state_path(out)) as fh:
        fh.write(state.model_dump_json(indent=2) + "\n")


class Uploads:
    """Writes a round's request lines into part files, starting a new part at the limits."""

    def __init__(self, out: Path, round_number: int) -> None:
        self.out = out
        self.round = round_number
        self.parts: list[Part] = []
        self._fh: IO[str] | None = None
        self._bytes = 0
        for stale in out.parent.glob(f"{out.name}.openai-batch.{round_number}.*.jsonl"):
            stale.unlink()  # from a pass that crashed before its round was saved

    def write(self, line: str) -> None:
        size = len(line.encode("utf-8"))
        part = self.parts[-1] if self.parts else None
        if (
            part is None
            or part.requests >= MAX_REQUESTS_PER_BATCH
            or self._bytes + size > MAX_BYTES_PER_BATCH
        ):
            self._open(len(self.parts) + 1)
            part = self.parts[-1]
        assert self._fh is not None
        self._fh.write(line)
        self._bytes += size
        part.requests += 1

    def _open(self, number: int) -> None:
        self.close()
        self.parts.append(Part(number=number, requests=0))
        self._fh = upload_path(self.out, self.round, number).open("w", encoding="utf-8")
        self._bytes = 0

    @property
    def size(self) -> int:
        """Bytes written over all parts (for the budget estimate)."""
        return sum(upload_path(self.out, self.round, p.number).stat().st_size for p in self.parts)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def remove(self) -> None:
        self.close()
        for part in self.parts:
            upload_path(self.out, self.round, part.number).unlink(missing_ok=True)
