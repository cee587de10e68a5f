"""What every LLM backend shares: prompt, cache, budget, grounding, usage.

Every LLM call goes through one function, `(prompt, version, schema, input) ->
validated object`, with the cache in front and a backend-specific `_generate`
behind. Subclasses only say how to get a schema-valid (and, if possible,
grounded) object out of a model; this class decides what may ship: the
grounded copy, with whatever grounding removed listed in `Usage.dropped`.

The step exists once, as a coroutine (`_astep` over `_agenerate`); the sync
`extract`/`summarize` run it on the backend's private event loop
(`summarizer.aio.LoopThread`), so sync and async callers get the same code
path and the same answers. Spending goes through one `Budget` (reserve before
a request, settle after), shared by every task of a run.

This module imports no SDK: openai/instructor live in `openai.py` only, so the
llamacpp backend shares this logic without pulling them in.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import threading
import time
import weakref
from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from summarizer.aio import LoopThread
from summarizer.backends.base import Backend, Generation, Usage
from summarizer.backends.limits import RequestLimits
from summarizer.backends.transport import Tally, current_tally
from summarizer.cache import AnswerCache, CachedAnswer, CacheKey, schema_hash
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.field_guide import schema_hidden, with_guide
from summarizer.grounding import ground, grounded_model
from summarizer.pricing import Budget, Reservation, cost, price_for, step_estimate
from summarizer.prompts import Message, Prompt, article_tag, load_prompt
from summarizer.records import Article, Dropped, Extraction, IncidentRecord, NeutralSummary

M = TypeVar("M", bound=BaseModel)
#: Held instead of the guide lock once the guide is decided.
_NO_LOCK = contextlib.nullcontext()


@dataclass
class Attempt(Generic[M]):
    """A backend's best answer: grounded-valid, or the last schema-valid one after all re-asks."""

    value: M
    reasks: int = 0
    notes: list[str] = field(default_factory=list)


class LLMBackend(Backend):
    """Base for model-backed backends (openai, replay, llamacpp)."""

    def __init__(self, settings: Settings, budget: Budget | None = None) -> None:
        super().__init__(settings)
        self.extract_prompt = load_prompt("extract", 2)
        self.summarize_prompt = load_prompt("summarize", 2)
        self._cache = AnswerCache(settings.cache_dir) if settings.use_cache else None
        #: The run's spending; a batch passes one Budget to every backend it builds.
        self.budget = budget or Budget(settings.max_cost_usd)
        #: Request slots and pacing (--concurrency, --rpm, --tpm); set before the first request.
        self.limits: RequestLimits | None = None
        self._sync = LoopThread(f"summarizer-{self.name}")
        #: Whether the field guide goes in the system prompt (None: not known yet, see _guide_now).
        self._guide: bool | None = {"always": True, "never": False}.get(settings.field_guide)
        self._guide_reason = "SUMMARIZER_FIELD_GUIDE=always"
        self._guide_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._guide_locks_lock = threading.Lock()

    # ------------------------------------------------------------------ protocol

    @property
    def model(self) -> str:
        return self.settings.model

    @property
    def prompt_version(self) -> str:
        return f"{self.extract_prompt.id}+{self.summarize_prompt.id}"

    def extract(self, article: Article) -> Generation[list[IncidentRecord]]:
        """Sync `aextract`, run on this backend's private event loop."""
        return self._sync.run(self.aextract(article))

    def summarize(
        self, article: Article, incidents: list[IncidentRecord]
    ) -> Generation[NeutralSummary]:
        """Sync `asummarize`, run on this backend's private event loop."""
        return self._sync.run(self.asummarize(article, incidents))

    async def aextract(self, article: Article) -> Generation[list[IncidentRecord]]:
        prompt, variables = self.extract_prompt, self._extract_vars(article)
        gen = await self._astep(prompt, Extraction, article, variables)
        return Generation(gen.value.incidents, gen.usage)

    async def asummarize(
        self, article: Article, incidents: list[IncidentRecord]
    ) -> Generation[NeutralSummary]:
        variables = self._summarize_vars(article, incidents)
        return await self._astep(self.summarize_prompt, NeutralSummary, article, variables)

    def close(self) -> None:
        """Release the private loop and the cache (subclasses close their clients first)."""
        self._sync.close()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # ------------------------------------------------------------------ subclass hooks

    @abstractmethod
    async def _agenerate(self, schema: type[M], messages: list[Message], text: str) -> Attempt[M]:
        """Ask the model for `schema`, re-asking with grounding errors up to `max_reasks`."""

    def answer_settings(self) -> dict[str, Any]:
        return {"server": self.server, **self._generation_settings()}

    def _generation_settings(self) -> dict[str, Any]:
        """Settings that change answers (part of the cache key)."""
        s = self.settings
        return {
            "temperature": s.temperature,
            "max_tokens": s.max_tokens,
            "mode": s.mode,
            "max_reasks": s.max_reasks,
            "field_guide": s.field_guide,
        }

    # ------------------------------------------------------------------ the step

    def _extract_vars(self, article: Article) -> dict[str, str]:
        return {
            "tag": article_tag(article.text),
            "title": article.title or "unknown",
            "outlet": article.outlet or "unknown",
            "published": article.published or "unknown",
            "article": article.text,
        }

    def _summarize_vars(self, article: Article, incidents: list[IncidentRecord]) -> dict[str, str]:
        brief = [
            {"event_type": i.event_type.value, "status": i.status.value, "what": i.description}
            for i in incidents
        ]
        return {**self._extract_vars(article), "incidents": json.dumps(brief, ensure_ascii=False)}

    def _cache_key(
        self, prompt: Prompt, asked: type[BaseModel], variables: dict[str, str]
    ) -> CacheKey:
        return CacheKey(
            backend=self.name,
            model=self.model,
            server=self.server,
            prompt={"name": prompt.name, "version": prompt.version, "hash": prompt.template_hash},
            schema=schema_hash(asked),  # the schema asked for (grounded_model)
            settings=self._generation_settings(),
            inputs=variables,
        )

    def _cached(self, key: CacheKey, schema: type[M]) -> Generation[M] | None:
        if self._cache is None or self.settings.refresh_cache:
            return None
        hit = self._cache.get(key)
        if hit is None:
            return None
        dropped = [Dropped.model_validate(d) for d in hit.dropped]
        usage = Usage(cache_hit=True, cost_usd=0.0, dropped=dropped, notes=hit.notes)
        return Generation(schema.model_validate(hit.value), usage)

    def _begin(self, prompt: Prompt, article: Article) -> Reservation:
        """Reserve this step's estimated cost in the run's budget (refused past the limit)."""
        planned = step_estimate(self.settings, self.server, article.text)
        return self.budget.reserve(planned, what=f"{prompt.name} of {article.source or 'article'}")

    def _finish(
        self, key: CacheKey, attempt: Attempt[M], tally: Tally, started: float, text: str
    ) -> Generation[M]:
        grounded, dropped = ground(attempt.value, text)
        notes = list(attempt.notes)
        notes += [f"replayed: {source}" for source in sorted(tally.sources)]
        if tally.usage_missing:
            notes.append(f"{tally.usage_missing} response(s) reported no token usage")
        if tally.at_max_tokens:
            notes.append(
                f"{tally.at_max_tokens} answer(s) used all max_tokens={self.settings.max_tokens} "
                "(cut short; the server did not say so): raise SUMMARIZER_MAX_TOKENS if the "
                "model was not repeating itself"
            )
        if isinstance(grounded, NeutralSummary) and not grounded.sentences:
            gone = len(
                {d.path for d in dropped if re.fullmatch(r"summary\.sentences\[\d+\]", d.path)}
            )
            notes.append(
                f"the summary is empty: none of the model's {gone} sentence(s) is backed by its "
                "evidence (see dropped); nothing unsupported is shipped in their place"
                if gone
                else "the summary is empty: the model wrote no sentence"
            )
        notes = [f"{key.prompt['name']}: {note}" for note in notes]
        price = price_for(self.settings, self.server)
        usage = Usage(
            tokens_in=tally.tokens_in,
            tokens_out=tally.tokens_out,
            cost_usd=cost(price, tally.tokens_in, tally.tokens_out),
            latency_s=round(time.perf_counter() - started, 4),
            validation_retries=attempt.reasks,
            transport_retries=tally.transport_retries,
            dropped=dropped,
            notes=notes,
        )
        if self._cache is not None and not tally.sources:
            value = grounded.model_dump(mode="json")
            listed = [d.model_dump(mode="json") for d in dropped]
            self._cache.put(key, CachedAnswer(value=value, dropped=listed, notes=notes))
        return Generation(grounded, usage)

    def _messages(
        self, prompt: Prompt, asked: type[BaseModel], variables: dict[str, str]
    ) -> list[Message]:
        messages = prompt.render(**variables)
        return with_guide(messages, asked) if self._guide else messages

    def _guide_probe(self) -> asyncio.Lock:
        """The running loop's lock for deciding the guide (asyncio locks are bound to a loop)."""
        loop = asyncio.get_running_loop()
        with self._guide_locks_lock:
            lock = self._guide_locks.get(loop)
            if lock is None:
                lock = self._guide_locks[loop] = asyncio.Lock()
            return lock

    def _check_guide(self, asked: type[BaseModel], messages: list[Message], tokens: int) -> None:
        """On an unguided step's first answer in `auto`: did the server hide the schema?

        Decided once per backend, from the first answer that reports its prompt
        tokens. When hidden, the answer is abandoned there (raised under the SDK,
        before any re-ask of it) and the step starts again with the guide: one
        extra request per run, and every answer that ships was made with it.
        """
        if self._guide is None:
            chars = sum(len(m["content"]) for m in messages)
            self._guide = schema_hidden(tokens, chars, asked)
            if self._guide:
                self._guide_reason = (
                    f"{self.server or self.name} counted {tokens} prompt tokens for {chars} "
                    "characters of messages on its first answer: the schema was not shown to "
                    "the model (SUMMARIZER_FIELD_GUIDE=never turns this off)"
                )
        if self._guide:
            raise GuideNeeded(self._guide_reason)

    def _guided(self, attempt: Attempt[M]) -> Attempt[M]:
        if self._guide:
            attempt.notes.append(f"field guide in the system prompt: {self._guide_reason}")
        return attempt

    async def _astep(
        self, prompt: Prompt, schema: type[M], article: Article, variables: dict[str, str]
    ) -> Generation[M]:
        """The one LLM step: cache, budget reservation, generation, grounding, usage."""
        asked = grounded_model(schema)
        key = self._cache_key(prompt, asked, variables)
        cached = self._cached(key, schema)
        if cached is not None:
            return cached
        # Only a cache miss takes a request slot; retries and re-asks keep it.
        async with self.limits.slot() if self.limits else contextlib.nullcontext():
            reservation = self._begin(prompt, article)
            tally = Tally()
            token = current_tally.set(tally)
            started = time.perf_counter()
            try:
                # Until the guide is decided, steps run one at a time (like the mode probe):
                # the first answer decides, and the steps waiting behind it are asked
                # with (or without) the guide from their first request on.
                async with self._guide_probe() if self._guide is None else _NO_LOCK:
                    messages = self._messages(prompt, asked, variables)
                    if self._guide is None:  # auto, not known yet: the first answer tells
                        tally.on_first_answer = functools.partial(
                            self._check_guide, asked, messages
                        )
                    try:
                        attempt = await self._agenerate(schema, messages, article.text)
                    except GuideNeeded:
                        attempt = None  # asked again below, outside this handler: a failure
                        # there must not carry GuideNeeded as its context
                    if attempt is None:
                        guided = with_guide(messages, asked)
                        attempt = await self._agenerate(schema, guided, article.text)
            finally:
                current_tally.reset(token)
                # Settle with what the wire saw, failed attempts included: they were paid for.
                price = price_for(self.settings, self.server)
                self.budget.settle(reservation, cost(price, tally.tokens_in, tally.tokens_out))
        return self._finish(key, self._guided(attempt), tally, started, article.text)


class GuideNeeded(SummarizerError):
    """Abandons an unguided answer once the server turned out to hide the schema.

    Raised from the transport under the SDK (like a missing recording), caught
    by `_astep`, which asks again with the field guide; it never reaches a user.
    """
