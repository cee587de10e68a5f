"""What a batch yields per input (`Outcome`) and the run's totals (`Summary`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import TypeAdapter

from summarizer.backends.base import Backend
from summarizer.batch.sinks import DOC_ID_NOTE, FINGERPRINT_NOTE, line_doc_id
from summarizer.cache import canonical_json
from summarizer.errors import SummarizerError
from summarizer.records import ArticleResult

Status = Literal["ok", "failed", "skipped", "duplicate", "deferred"]


class Deferred(SummarizerError):
    """An analysis that finishes in a later pass: a provider batch API holds its request.

    Raised by a backend that collects requests instead of sending them
    (`batch.openai_batch`); the runner neither journals nor fails such an input,
    so the next pass (with the answers in hand) does it.
    """


def fingerprint(backend: Backend, extra: dict[str, Any] | None = None) -> str:
    """A short hash of everything that changes an answer: backend, model, prompts, settings.

    Resume keys results by doc_id plus this: a re-run with another model, prompt,
    schema or generation setting redoes the articles instead of keeping old answers.
    """
    from summarizer.records import SCHEMA_VERSION

    data = {
        "backend": backend.name,
        "model": backend.model,
        "prompt_version": backend.prompt_version,
        "schema_version": SCHEMA_VERSION,
        "settings": backend.answer_settings(),
        **(extra or {}),
    }
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()[:16]


def finish_result(
    result: ArticleResult,
    *,
    fingerprint: str,
    doc_id: str,
    reproducible: bool = False,
    duplicate_of: dict[str, Any] | None = None,
) -> ArticleResult:
    """Stamp a result for the journal: the settings fingerprint, duplicate link, timings.

    `reproducible` writes timings as 0 so two runs of one corpus can be compared byte
    for byte (a kill -9 and resume against an uninterrupted run, say).
    """
    notes = [*result.provenance.notes, FINGERPRINT_NOTE + fingerprint]
    if "doc_id" not in type(result.article).model_fields:
        notes.append(DOC_ID_NOTE + doc_id)
    provenance = result.provenance.model_copy(
        update={
            "notes": notes,
            **({"latency_s": 0.0} if reproducible else {}),
        }
    )
    update: dict[str, Any] = {"provenance": provenance}
    field = type(result).model_fields.get("duplicate_of")
    if duplicate_of is not None and field is not None and field.annotation is not None:
        # records v2: ArticleResult.duplicate_of is a typed link, not a plain dict
        update["duplicate_of"] = TypeAdapter(field.annotation).validate_python(duplicate_of)
    return result.model_copy(update=update)


@dataclass
class Outcome:
    """One input's fate: a result line, a failure (kind + message), or a skip."""

    source: str
    status: Status
    doc_id: str | None = None
    line: str | None = None  # the result as written to the journal (JSON)
    kind: str | None = None  # failures: empty, binary, undecodable, too_large, no_text, llm ...
    message: str | None = None
    cached: bool = False
    duplicate_of: str | None = None
    similarity: float | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None

    @property
    def result(self) -> ArticleResult | None:
        """The ArticleResult (parsed from the line on demand)."""
        return ArticleResult.model_validate_json(self.line) if self.line else None

    @classmethod
    def from_line(cls, source: str, line: str, **extra: Any) -> Outcome:
        data = json.loads(line)
        prov = data.get("provenance") or {}
        return cls(
            source=source,
            status="ok",
            doc_id=line_doc_id(data),
            line=line,
            cached=bool(prov.get("cache_hit")) and prov.get("backend") != "offline",
            tokens_in=int(prov.get("tokens_in") or 0),
            tokens_out=int(prov.get("tokens_out") or 0),
            cost_usd=prov.get("cost_usd"),
            **extra,
        )


@dataclass
class Summary:
    """Totals of a run, for the final table and --summary-json."""

    total: int = 0
    ok: int = 0
    failed: int = 0
    cached: int = 0
    duplicates: int = 0
    skipped: int = 0  # already in OUT (resumed)
    deferred: int = 0  # waiting on a provider batch (a later pass finishes them)
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    cost_unknown: int = 0
    elapsed_s: float = 0.0
    failures_by_kind: dict[str, int] = field(default_factory=dict)
    output: str | None = None
    errors_file: str | None = None

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        if outcome.status == "ok":
            self.ok += 1
        elif outcome.status == "failed":
            self.failed += 1
            kind = outcome.kind or "internal"
            self.failures_by_kind[kind] = self.failures_by_kind.get(kind, 0) + 1
        elif outcome.status == "skipped":
            self.skipped += 1
        elif outcome.status == "deferred":
            self.deferred += 1
        if outcome.duplicate_of is not None:
            self.duplicates += 1
        self.cached += outcome.cached
        self.tokens_in += outcome.tokens_in
        self.tokens_out += outcome.tokens_out
        if outcome.status == "ok":
            if outcome.cost_usd is not None:
                self.cost_usd += outcome.cost_usd
            elif outcome.tokens_in or outcome.tokens_out:
                self.cost_unknown += 1

    @property
    def exit_code(self) -> int:
        """0 all ok, 1 some failed, 2 nothing could run (every input failed, or none given)."""
        if self.failed == 0 and self.total > 0:
            return 0
        if self.ok + self.skipped + self.duplicates == 0:
            return 2
        return 1

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cost_usd"] = round(self.cost_usd, 6)
        data["elapsed_s"] = round(self.elapsed_s, 3)
        data["exit_code"] = self.exit_code
        return data
