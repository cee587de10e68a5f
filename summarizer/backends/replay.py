"""The `replay` backend: the openai backend with recordings instead of a server.

The whole path runs as it would live (prompt rendering, instructor's mode
handling, parsing, grounding, re-asks), only the HTTP answers come from
`<request hash>.json` files under `recordings_dir`. Tests and demos therefore
exercise the real code, and a request nobody recorded fails loudly with its
hash instead of silently reaching for the network.
"""

from __future__ import annotations

from typing import ClassVar

from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import ReplayTransport, http
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.pricing import Budget

HOW_TO_RECORD = (
    "record it against a live server with `summarizer fixtures record --base-url URL "
    "--model NAME` (or regenerate the hand-written references with `summarizer fixtures "
    "record --reference`), or pass the --model the recordings were made with"
)


class ReplayBackend(OpenAIBackend):
    """Serves recorded request/response pairs by request hash; never touches the network."""

    name: ClassVar[str] = "replay"

    def __init__(self, settings: Settings, budget: Budget | None = None) -> None:
        folder = settings.recordings_dir
        if folder is None:
            raise ConfigError(
                "the replay backend serves recordings from a folder: set "
                "SUMMARIZER_RECORDINGS_DIR (in the repository: tests/fixtures/recordings)"
            )
        if not folder.is_dir():
            raise ConfigError(
                f"SUMMARIZER_RECORDINGS_DIR={folder} is not a folder: point it at a folder of "
                "recordings (in the repository: tests/fixtures/recordings)"
            )
        # Replays are deterministic and must exercise the recordings, so no cache and no
        # retries; a placeholder URL keeps the SDK from looking for a key.
        replay = settings.model_copy(
            update={
                "use_cache": False,
                "max_retries": 0,
                "record_dir": None,
                "base_url": settings.base_url or "http://replay.invalid/v1",
            }
        )
        super().__init__(replay, budget)

    @property
    def server(self) -> str | None:
        return None

    def _transport(self) -> http.AsyncBaseTransport:
        assert self.settings.recordings_dir is not None  # checked in __init__
        return ReplayTransport(self.settings.recordings_dir, HOW_TO_RECORD)
