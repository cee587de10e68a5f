"""The answer cache: same input, same answer, no second request.

Keys are the sha256 of canonical JSON covering everything that can change an
answer: backend, model, server host, prompt name + version + template hash,
output schema hash, generation settings and every prompt input (the cleaned
article text first). Editing any of them misses the cache rather than serving a
stale answer. Values are validated, grounded JSON plus what grounding dropped:
never SDK objects, never request headers or keys.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

#: Bump when grounding rules change what a cached answer would contain.
GROUNDING_VERSION = 2


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no whitespace: equal data, equal text, equal hash."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_json(data: Any) -> str:
    """sha256 hex digest of the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


@functools.cache
def schema_hash(model: type[BaseModel]) -> str:
    """Hash of a model's JSON Schema, so a schema change misses old answers."""
    return sha256_json(model.model_json_schema())


def server_host(base_url: str | None) -> str | None:
    """Host[:port] of a server URL, without any credentials or path."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    return f"{host}:{parts.port}" if parts.port else host or None


@dataclass(frozen=True)
class CacheKey:
    """Everything an answer depends on. `digest` is the cache key."""

    backend: str
    model: str
    server: str | None
    prompt: dict[str, Any]
    schema: str
    settings: dict[str, Any]
    inputs: dict[str, str]
    grounding: int = GROUNDING_VERSION

    @property
    def digest(self) -> str:
        return sha256_json(self.__dict__)


@dataclass
class CachedAnswer:
    """A stored answer: validated JSON plus what grounding removed, for honest provenance."""

    value: dict[str, Any]
    dropped: list[dict[str, Any]] = field(default_factory=list)  # `Dropped` as JSON
    notes: list[str] = field(default_factory=list)
    created: str = ""


class AnswerCache:
    """A diskcache-backed store of validated answers, keyed by `CacheKey.digest`."""

    def __init__(self, directory: Path) -> None:
        import diskcache  # imported here: `summarizer --help` needs none of this

        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._cache = diskcache.Cache(str(directory))

    def get(self, key: CacheKey) -> CachedAnswer | None:
        raw = self._cache.get(key.digest)
        if not isinstance(raw, str):
            return None
        data = json.loads(raw)
        return CachedAnswer(**data)

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        answer.created = answer.created or datetime.now(UTC).isoformat(timespec="seconds")
        self._cache.set(key.digest, canonical_json(answer.__dict__))

    def info(self) -> dict[str, Any]:
        """Where the cache is, how many answers it holds and how many bytes it uses."""
        return {
            "directory": str(self.directory),
            "entries": len(self._cache),
            "bytes": int(self._cache.volume()),
        }

    def clear(self) -> int:
        """Remove every stored answer; return how many there were."""
        return int(self._cache.clear())

    def close(self) -> None:
        self._cache.close()
