"""The backend protocol: what every backend (offline, openai, replay, llamacpp) provides.

A backend turns a cleaned `Article` into grounded incidents and a neutral
summary. It reports usage alongside each answer so the pipeline can fill in
provenance without knowing which backend ran.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from summarizer.config import Settings
from summarizer.records import Article, Dropped, IncidentRecord, NeutralSummary

T = TypeVar("T")


@dataclass
class Usage:
    """What one backend step cost: tokens (retries included), time, retries, cache."""

    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float | None = None
    latency_s: float = 0.0
    validation_retries: int = 0
    transport_retries: int = 0
    cache_hit: bool = False
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None and other.cost_usd is None
            else (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        )
        return Usage(
            tokens_in=self.tokens_in + other.tokens_in,
            tokens_out=self.tokens_out + other.tokens_out,
            cost_usd=cost,
            latency_s=self.latency_s + other.latency_s,
            validation_retries=self.validation_retries + other.validation_retries,
            transport_retries=self.transport_retries + other.transport_retries,
            cache_hit=self.cache_hit and other.cache_hit,
            dropped=self.dropped + other.dropped,
            notes=self.notes + other.notes,
        )


@dataclass
class Generation(Generic[T]):
    """A backend's answer plus what producing it cost."""

    value: T
    usage: Usage = field(default_factory=Usage)


class Backend(ABC):
    """One way of producing records. Subclasses set `name` and implement both steps."""

    name: ClassVar[str]

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    @abstractmethod
    def model(self) -> str:
        """The model identifier reported in provenance."""

    @property
    @abstractmethod
    def prompt_version(self) -> str:
        """The prompt/rule-set version reported in provenance (e.g. 'extract.v1+summarize.v1')."""

    @property
    def server(self) -> str | None:
        """Host of the server this backend talks to, if any (never includes credentials)."""
        return None

    def answer_settings(self) -> dict[str, Any]:
        """Settings beyond name, model and prompt version that change answers (resume keys)."""
        return {}

    @abstractmethod
    def extract(self, article: Article) -> Generation[list[IncidentRecord]]:
        """Find the incidents the article reports, every value grounded in `article.text`."""

    @abstractmethod
    def summarize(
        self, article: Article, incidents: list[IncidentRecord]
    ) -> Generation[NeutralSummary]:
        """Write a neutral, attributed summary of the article."""

    async def aextract(self, article: Article) -> Generation[list[IncidentRecord]]:
        """Async `extract`: by default the sync one in a worker thread.

        That keeps an event loop responsive, but CPU-bound backends (the offline rules,
        llama.cpp behind its lock) gain no parallelism from it; only backends waiting on a
        server (openai) overlap when several run at once, and they override this.
        """
        return await asyncio.to_thread(self.extract, article)

    async def asummarize(
        self, article: Article, incidents: list[IncidentRecord]
    ) -> Generation[NeutralSummary]:
        """Async `summarize`; by default the sync one in a worker thread."""
        return await asyncio.to_thread(self.summarize, article, incidents)

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release clients or models; called once per run."""

    async def aclose(self) -> None:
        """Async `close` (LLM backends close the running loop's client here)."""
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
