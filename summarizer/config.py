"""Settings from the environment and `.env`, in one place.

Names: `SUMMARIZER_*` for the tool's own settings; the OpenAI SDK's usual
`OPENAI_API_KEY` and `OPENAI_BASE_URL` are honoured too, so an existing setup
works unchanged. `.env.example` documents every setting.

An empty (or blank) variable is no setting: `OPENAI_API_KEY=` left over from
`.env.example` must not switch the backend to openai, and `SUMMARIZER_MODEL_PATH=`
must not mean the current folder. Blank values are dropped before anything reads
them, in the environment and in `.env` alike, so the default applies.
"""

from __future__ import annotations

import ipaddress
import json
import os
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from annotated_types import Ge, Gt, Le, Lt
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from summarizer.errors import ConfigError

BackendName = Literal["auto", "offline", "openai", "replay", "llamacpp"]
ModeName = Literal["auto", "tools", "json_schema", "json"]
FieldGuide = Literal["auto", "always", "never"]

#: Per-request timeout for remote servers, and for a server on this machine: a CPU model
#: can take minutes per answer, and giving up early wastes the work it keeps doing.
DEFAULT_TIMEOUT_S = 60.0
LOCAL_TIMEOUT_S = 600.0

#: The CLI option that sets a field, for messages about a bad value given on the command line.
CLI_OPTIONS = {
    "backend": "--backend",
    "model": "--model",
    "base_url": "--base-url",
    "record_dir": "--record",
    "max_cost_usd": "--max-cost",
    "model_path": "--model-path",
    "mode": "--mode",
}
_PRICES_EXAMPLE = '{"my-model": [0.15, 0.60]}'
_FOLDER = "a folder (created when missing)"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "summarizer"


def _without_blanks(values: Mapping[str, str | None]) -> dict[str, str | None]:
    return {k: v for k, v in values.items() if v is None or v.strip()}


class _EnvSource(EnvSettingsSource):
    """Environment variables, blank ones dropped (before aliases are looked up)."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return _without_blanks(super()._load_env_vars())


class _DotEnvSource(DotEnvSettingsSource):
    """`.env` lines, blank ones dropped: an uncommented `KEY=` from .env.example is no setting."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return _without_blanks(super()._load_env_vars())


class Settings(BaseSettings):
    """Every knob the tool has. CLI options override these per run."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    backend: BackendName = Field(
        default="auto",
        description=(
            "auto = llamacpp when a model path is set, else openai when a key or base URL "
            "is set, else offline."
        ),
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
    recordings_dir: Path | None = Field(
        default=None,
        description="Folder of recordings the replay backend serves (required by replay).",
    )
    record_dir: Path | None = Field(
        default=None,
        description="When set, every live request/response pair is saved in this folder.",
    )
    model_path: Path | None = Field(default=None, description="GGUF file for the llamacpp backend.")
    max_cost_usd: float | None = Field(
        default=None, ge=0, description="Refuse to start a run whose estimated cost exceeds this."
    )
    prices: Annotated[dict[str, tuple[float, float]], NoDecode] = Field(
        default_factory=dict,
        description=f"Price overrides, USD per 1M tokens in/out, as JSON: {_PRICES_EXAMPLE}.",
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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The usual order (init > env > .env > secrets), with blank variables dropped."""
        env_file = getattr(dotenv_settings, "env_file", None)
        encoding = getattr(dotenv_settings, "env_file_encoding", None)
        return (
            init_settings,
            _EnvSource(settings_cls),
            _DotEnvSource(settings_cls, env_file=env_file, env_file_encoding=encoding),
            file_secret_settings,
        )

    @field_validator("prices", mode="before")
    @classmethod
    def _prices_json(cls, value: object) -> object:
        """Prices arrive from the environment as a JSON string; decode it here, where a
        mistake becomes a validation error that names the variable (not a source error)."""
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ValueError("not JSON") from None
        return value

    @field_validator("api_key", mode="before")
    @classmethod
    def _strip_key(cls, value: object) -> object:
        """A key pasted with a trailing newline or spaces is the same key."""
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("cache_dir", "recordings_dir", "record_dir", "model_path", mode="after")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        """`~/.cache/summarizer`, as .env.example writes it, means the home folder."""
        return value.expanduser() if value is not None else None

    @field_validator("cache_dir", "recordings_dir", "record_dir", mode="after")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        """A folder setting that names an existing file would fail deep inside a run."""
        if value is not None and value.exists() and not value.is_dir():
            raise ValueError("is a file, not a folder")
        return value

    def resolved_backend(self) -> str:
        """The backend to use: explicit choice, else llamacpp if a model path is set, else
        openai if a key or base URL is set, else offline."""
        if self.backend != "auto":
            return self.backend
        if self.model_path is not None:
            return "llamacpp"
        if self.api_key is not None or self.base_url:
            return "openai"
        return "offline"


def env_file() -> str:
    """The `.env` file to read: `SUMMARIZER_ENV_FILE`, else `./.env` (a missing one is fine).

    An explicitly named file must exist, so a typo is reported instead of silently ignored;
    `/dev/null` reads none (the tests do). Empty means unset here too.
    """
    chosen = os.environ.get("SUMMARIZER_ENV_FILE", "").strip()
    if chosen and not Path(chosen).expanduser().exists():
        raise ConfigError(
            f"SUMMARIZER_ENV_FILE={chosen!r}: no such file: fix the path, or unset it to read "
            "./.env (point it at /dev/null to read no .env file)"
        )
    return str(Path(chosen).expanduser()) if chosen else ".env"


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env with CLI overrides (None or blank values mean 'not given')."""
    given = {
        k: v
        for k, v in overrides.items()
        if v is not None and not (isinstance(v, str) and not v.strip())
    }
    try:
        return Settings(_env_file=env_file(), **given)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(_explain(exc, given)) from None
    except SettingsError as exc:  # a source could not parse a value: no pydantic internals
        raise ConfigError(f"invalid setting: {exc} (see .env.example)") from None


# --------------------------------------------------------------------- messages


def _explain(exc: ValidationError, given: Mapping[str, object]) -> str:
    """One clause per problem, on one line: the variable (or option), its value, what is allowed."""
    problems: list[str] = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        field_name = _field_named(name)
        if field_name is None:
            problems.append(f"{name}: {error['msg']}")
            continue
        field = Settings.model_fields[field_name]
        if field_name in given:
            option = CLI_OPTIONS.get(field_name, field_name)
            shown = _short(given[field_name])
            problems.append(f"{option} {shown} is not allowed: use {allowed(field_name, cli=True)}")
            continue
        variable = _variable(field_name, field)
        raw = os.environ.get(variable, error.get("input"))  # the whole value, not a part of it
        shown = "'***'" if field_name == "api_key" else _short(raw)
        problems.append(f"{variable}={shown} is not allowed: use {allowed(field_name)}")
    return "invalid setting: " + "; ".join(problems) + " (see .env.example)"


def _field_named(name: str) -> str | None:
    if name in Settings.model_fields:
        return name
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices) and name in alias.choices:
            return field_name
    return None


def _variable(field_name: str, field: FieldInfo) -> str:
    """The environment variable that set the field (the first alias that is set, if any)."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        names = [c for c in alias.choices if isinstance(c, str)]
        return next((n for n in names if os.environ.get(n, "").strip()), names[0])
    return f"SUMMARIZER_{field_name.upper()}"


def _short(value: object) -> str:
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= 200 else text[:197] + "...'"


#: What path settings accept.
_PATHS = {
    "cache_dir": _FOLDER,
    "record_dir": _FOLDER,
    "recordings_dir": "a folder of recordings",
    "model_path": "a .gguf model file",
}


def allowed(field_name: str, *, cli: bool = False) -> str:
    """What a setting accepts, in words, from its type and its bounds."""
    field = Settings.model_fields[field_name]
    annotation = field.annotation
    optional = False
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is Literal:
        words = "one of " + ", ".join(str(a) for a in typing.get_args(annotation))
    elif annotation is bool:
        words = "true or false"
    elif annotation in (int, float):
        words = ("a whole number" if annotation is int else "a number") + _bounds(field)
    elif typing.get_origin(annotation) is dict:
        words = f"JSON such as {_PRICES_EXAMPLE}"
    elif annotation is Path:
        words = _PATHS.get(field_name, "a path")
    else:
        words = "text"
    return words + (", or leave it empty for the default" if optional and not cli else "")


def _bounds(field: FieldInfo) -> str:
    low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in field.metadata if isinstance(m, Le)), None)
    if low is not None and high is not None:
        return f" from {low:g} to {high:g}"
    parts: list[str] = []
    for item in field.metadata:
        if isinstance(item, Ge):
            parts.append(f"at least {item.ge:g}")
        elif isinstance(item, Gt):
            parts.append(f"above {item.gt:g}")
        elif isinstance(item, Le):
            parts.append(f"at most {item.le:g}")
        elif isinstance(item, Lt):
            parts.append(f"below {item.lt:g}")
    return " " + " and ".join(parts) if parts else ""
