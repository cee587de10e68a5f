"""Backends behind one protocol, registered lazily by "module:Class" strings.

Lazy registration keeps `summarizer --help` from importing heavy SDKs: the
openai/instructor imports happen only when that backend is actually built.
"""

from __future__ import annotations

import importlib

from summarizer.backends.base import Backend
from summarizer.config import Settings
from summarizer.errors import ConfigError

REGISTRY: dict[str, str] = {
    "offline": "summarizer.backends.offline:OfflineBackend",
    "openai": "summarizer.backends.openai:OpenAIBackend",
    "replay": "summarizer.backends.replay:ReplayBackend",
    "llamacpp": "summarizer.backends.llamacpp:LlamaCppBackend",
}


def get_backend(settings: Settings) -> Backend:
    """Build the backend the settings ask for (see `Settings.resolved_backend`)."""
    name = settings.resolved_backend()
    target = REGISTRY.get(name)
    if target is None:
        known = ", ".join(sorted(REGISTRY))
        raise ConfigError(f"unknown backend {name!r}; choose one of: {known}")
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("summarizer"):
            raise ConfigError(f"backend {name!r} is not available in this version") from None
        raise ConfigError(
            f"backend {name!r} needs the package {exc.name!r}: "
            f"pip install 'summarizer[local]' (or use the default offline backend)"
        ) from None
    cls: type[Backend] = getattr(module, class_name)
    return cls(settings)
