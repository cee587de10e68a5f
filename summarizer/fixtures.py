"""Making the recordings that the replay backend and the golden tests serve.

Two honest sources, never mixed up:

- live: run the pipeline against a real OpenAI-compatible server with
  recording on; each file says `recorded from <server> <model> on <date>`;
- reference: answer the very same requests from hand-written reference
  responses (`tests/fixtures/references/*.json`) and save them labelled
  `hand-written reference response`. No model produced those; the label says so.

Either way the request side is what the real backend sends, so a change to
the cleaner, a prompt or the schema shows up as a missing recording (a loud
error naming the request hash) until the recordings are made again.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import Recorder, RetryTransport, http
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.outputs import ensure_dir
from summarizer.pipeline import read_input, summarize_raw
from summarizer.records import ArticleResult

REFERENCE_LABEL = "hand-written reference response"
#: Where the repository keeps the seed articles and their recordings (relative to its root):
#: defaults of this developer command only, never of the library's settings.
ARTICLES = Path("tests/fixtures/articles")
RECORDINGS = Path("tests/fixtures/recordings")
#: The model name recorded for hand-written references: no model wrote them.
REFERENCE_MODEL = "reference"


@contextmanager
def replacing(target: Path, *, whole: bool) -> Iterator[Path]:
    """A staging folder for one recording run; on success its recordings go into `target`.

    Each recording replaces the one of the same request hash. With `whole` (the run
    records everything the folder is for: all references, or all seed articles) the
    old recordings it did not write again are stale and removed; otherwise the others
    are kept. A run that fails leaves `target` as it was.
    """
    ensure_dir(target)
    # Staged outside the recordings folder: a replay while this runs sees no half-made set.
    stage = Path(tempfile.mkdtemp(prefix=f"summarizer-{target.name}-"))
    try:
        yield stage
        written = {p.name: p for p in stage.glob("*.json")}
        if whole:
            for old in target.glob("[0-9a-f]*.json"):
                if old.name not in written:
                    old.unlink()
        for name, path in written.items():
            shutil.move(path, target / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@dataclass
class Reference:
    """Hand-written answers for the extraction and summary of some articles."""

    path: Path
    articles: list[str]
    extract: dict[str, Any]
    summarize: dict[str, Any]
    compare: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path) -> Reference:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("provenance") != REFERENCE_LABEL:
            raise ConfigError(f"{path}: a reference must say provenance: {REFERENCE_LABEL!r}")
        return cls(path, list(data["articles"]), data["extract"], data["summarize"])


class ReferenceTransport(http.AsyncBaseTransport):
    """Answers a request as a server would, with the reference's hand-written JSON."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    async def handle_async_request(self, request: http.Request) -> http.Response:
        body = json.loads(await request.aread() or b"{}")
        messages = body.get("messages", [])
        if len(messages) > 2:
            detail = " ".join(str(messages[-1].get("content", "")).split())[:300]
            raise ConfigError(f"{self.reference.path} does not ground: {detail}")
        text = json.dumps(body)
        if "You write one neutral account" in text:
            if self.reference.compare is None:
                raise ConfigError(f"{self.reference.path} has no compare answer")
            answer = json.dumps(self.reference.compare, ensure_ascii=False)
        else:
            step = "extract" if "You extract incident records" in text else "summarize"
            answer = json.dumps(getattr(self.reference, step), ensure_ascii=False)
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            call = {
                "id": "call_0",
                "type": "function",
                "function": {"name": name, "arguments": answer},
            }
            message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
        else:
            message = {"role": "assistant", "content": answer}
        completion = {
            "id": "reference",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }
        return http.Response(200, json=completion, request=request)


class _ReferenceBackend(OpenAIBackend):
    """The openai backend, wired to a reference instead of a server, recording each answer."""

    name: ClassVar[str] = "openai"

    def __init__(self, settings: Settings, reference: Reference) -> None:
        self.reference = reference
        super().__init__(settings)

    def _transport(self) -> http.AsyncBaseTransport:
        assert self.settings.record_dir is not None
        recorder = Recorder(self.settings.record_dir, REFERENCE_LABEL)
        return RetryTransport(ReferenceTransport(self.reference), max_retries=0, recorder=recorder)


def record_references(
    references: Path, articles: Path, out: Path, settings: Settings
) -> list[ArticleResult]:
    """Record every reference's answers for its articles into `out` (model 'reference')."""
    conf = settings.model_copy(
        update={
            "backend": "openai",
            "model": REFERENCE_MODEL,
            "base_url": "http://reference.invalid/v1",
            "api_key": None,
            "mode": "auto",
            "use_cache": False,
            "record_dir": out,
        }
    )
    found = sorted(references.glob("*.json")) if references.is_dir() else []
    if not found or not articles.is_dir():
        missing = references if not found else articles
        raise ConfigError(
            f"{missing}: no reference responses or seed articles there: run from the "
            "repository root, or pass --references DIR"
        )
    results = []
    for path in found:
        reference = Reference.load(path)
        for stem in reference.articles:
            raw, name = read_input(str(articles / f"{stem}.txt"))
            backend = _ReferenceBackend(conf, reference)
            try:
                result = summarize_raw(raw, source=name, settings=conf, backend=backend)
            finally:
                backend.close()
            if result.provenance.dropped:
                listed = "; ".join(str(d) for d in result.provenance.dropped)
                raise ConfigError(f"{path} does not ground for {stem}: {listed}")
            results.append(result)
    record_compare_references(references / "compare", results, conf)
    return results


def record_compare_references(folder: Path, results: list[ArticleResult], conf: Settings) -> None:
    """Record the consensus request of each compare reference (`compare/*.json`: the seed
    stems it compares and the hand-written answer) over the recorded results."""
    from summarizer.compare import compare
    from summarizer.compare.llm import LLMConsensus

    by_stem = {Path(r.article.source or "").stem: r for r in results}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("provenance") != REFERENCE_LABEL:
            raise ConfigError(f"{path}: a reference must say provenance: {REFERENCE_LABEL!r}")
        chosen = [by_stem[stem] for stem in data["articles"]]
        reference = Reference(path, data["articles"], {}, {}, data["compare"])
        backend = _ReferenceBackend(conf, reference)
        try:
            compare(chosen, LLMConsensus(backend))
        finally:
            backend.close()


def record_live(files: list[Path], out: Path, settings: Settings) -> list[ArticleResult]:
    """Run the pipeline on each file against the configured live server, recording into `out`."""
    conf = settings.model_copy(update={"use_cache": False, "record_dir": out})
    if conf.resolved_backend() != "openai":
        raise ConfigError(
            "fixtures record needs a live server: pass --base-url (and OPENAI_API_KEY if it "
            "wants one), or --reference DIR for hand-written references"
        )
    if not files:
        raise ConfigError("no articles to record: pass files, or run from the repository root")
    inputs = [read_input(str(f)) for f in files]  # every path checked before any request
    return [summarize_raw(raw, source=name, settings=conf) for raw, name in inputs]
