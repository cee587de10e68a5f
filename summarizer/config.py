"""Settings from the environment and `.env`, in one place.

Names: `SUMMARIZER_*` for the tool's own settings; the OpenAI SDK's usual
`OPENAI_API_KEY` and `OPENAI_BASE_URL` are honoured too, so an existing setup
works unchanged. `.env.example` documents every setting.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from summarizer.errors import ConfigError

BackendName = Literal["auto", "offline", "openai", "replay", "llamacpp"]
ModeName = Literal["auto", "tools", "json_schema", "json"]
FieldGuide = Literal["auto", "always", "never"]

#: Per-request timeout for remote servers, and for a server on this machine: a CPU model
#: can take minutes per answer, and giving up early wastes the work it keeps doing.
DEFAULT_TIMEOUT_S = 60.0
LOCAL_TIMEOUT_S = 600.0


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summarizer"


class Settings(BaseSettings):
    """Every knob the tool has. CLI options override these per run."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    backend: BackendName = Field(
        default="auto",
        description="auto = openai when a key or base URL is set, else offline.",
    )
    model: str = Field(default="gpt-4o-mini", description="Model name sent to the server.")
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible server URL, e.g. http://127.0.0.1:8080/v1.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
        description="API key; never logged, cached or recorded.",
    )
    mode: ModeName = Field(
        default="auto", description="How structured output is requested from the server."
    )
    field_guide: FieldGuide = Field(
        default="auto",
        description="Field guide in the system prompt: auto = when the server's prompt token "
        "count shows the model was not given the schema (llama.cpp tools mode), always, never.",
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description=f"Per-request timeout in seconds (default {DEFAULT_TIMEOUT_S:g}, or "
        f"{LOCAL_TIMEOUT_S:g} for a server on this machine).",
    )
    retry_read_timeouts: bool | None = Field(
        default=None,
        description="Retry a request whose answer timed out (default: yes for remote servers, "
        "no for a server on this machine, which keeps generating after the client gives up).",
    )
    max_retries: int = Field(
        default=3, ge=0, description="Transport retries (429, 5xx, timeouts) per request."
    )
    max_reasks: int = Field(
        default=2, ge=0, description="Re-asks when a response fails validation or grounding."
    )
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    use_cache: bool = Field(default=True, description="False disables reading and writing.")
    refresh_cache: bool = Field(default=False, description="Ignore cached answers, write new ones.")
    recordings_dir: Path = Field(
        default=Path("tests/fixtures/recordings"), description="Where the replay backend reads."
    )
    record_dir: Path | None = Field(
        default=None, description="When set, every live request/response pair is saved here."
    )
    model_path: Path | None = Field(default=None, description="GGUF file for the llamacpp backend.")
    max_cost_usd: float | None = Field(
        default=None, ge=0, description="Refuse to start a run whose estimated cost exceeds this."
    )
    prices: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description='Price overrides, USD per 1M tokens in/out, as JSON: {"model": [0.15, 0.6]}.',
    )
    max_tokens: int = Field(default=2048, gt=0, description="Output token limit per request.")

    def local_server(self) -> bool:
        """True when the configured server runs on this machine (loopback address)."""
        host = urlsplit(self.base_url or "").hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def request_timeout(self) -> float:
        """The timeout in force: the setting, else the default for this server's kind."""
        if self.timeout_s is not None:
            return self.timeout_s
        return LOCAL_TIMEOUT_S if self.local_server() else DEFAULT_TIMEOUT_S

    def retries_read_timeouts(self) -> bool:
        """Whether a timed-out answer is asked again (not on loopback unless asked)."""
        if self.retry_read_timeouts is not None:
            return self.retry_read_timeouts
        return not self.local_server()

    def resolved_backend(self) -> str:
        """The backend to use: explicit choice, else openai if configured, else offline."""
        if self.backend != "auto":
            return self.backend
        if self.model_path is not None:
            return "llamacpp"
        if self.api_key is not None or self.base_url:
            return "openai"
        return "offline"


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env with CLI overrides (None values mean 'not given')."""
    given = {k: v for k, v in overrides.items() if v is not None}
    # SUMMARIZER_ENV_FILE picks another .env file; an empty value disables it (tests do).
    env_file = os.environ.get("SUMMARIZER_ENV_FILE", ".env") or None
    try:
        return Settings(_env_file=env_file, **given)  # type: ignore[arg-type]
    except ValueError as exc:  # pydantic.ValidationError subclasses ValueError
        first = str(exc).splitlines()
        detail = " ".join(line.strip() for line in first[1:3]) if len(first) > 1 else str(exc)
        raise ConfigError(f"invalid setting: {detail} (see .env.example)") from None
