"""Settings: an empty variable is no setting, and a bad one is named with what is allowed."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from summarizer.config import Settings, load_settings
from summarizer.errors import ConfigError
from tests.conftest import SEEDS, run_cli
from tests.test_cli_paths import ENV_EXAMPLE, env_example_variables

SEED = SEEDS[1]
BLANKS = ["", " ", "\t", "  \n"]


def defaults() -> dict[str, object]:
    return Settings(_env_file=None).model_dump()  # type: ignore[call-arg]


def test_env_example_lists_the_variables_that_matter() -> None:
    names = set(env_example_variables())
    assert {"OPENAI_API_KEY", "SUMMARIZER_MODEL_PATH", "SUMMARIZER_BASE_URL"} <= names
    assert {"SUMMARIZER_MAX_COST_USD", "SUMMARIZER_PRICES", "SUMMARIZER_USE_CACHE"} <= names


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_every_variable_empty_is_every_default(blank: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    expected = defaults()
    for name in env_example_variables():
        monkeypatch.setenv(name, blank)
    settings = load_settings()
    assert settings.model_dump() == expected
    assert settings.resolved_backend() == "offline"


@pytest.mark.parametrize("blank", ["", "   "], ids=repr)
def test_every_variable_empty_runs_offline_end_to_end(
    blank: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in env_example_variables():
        monkeypatch.setenv(name, blank)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["summarize", str(SEED)], capsys, monkeypatch)
    assert code == 0, err
    assert json.loads(out)["provenance"]["backend"] == "offline"
    assert not (tmp_path / ".").joinpath("cache.db").exists(), "an empty cache dir is not '.'"


def test_uncommented_env_example_lines_without_a_value_are_no_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`.env.example` copied to `.env` with its empty lines uncommented (or any value erased)."""
    lines = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        m = re.match(r"^#\s*([A-Z][A-Z0-9_]+)=(.*)$", line)
        if m:
            lines.append(f"{m.group(1)}=   # {m.group(2).strip()}")
    assert len(lines) == len(env_example_variables())
    dotenv = tmp_path / ".env"
    dotenv.write_text("\n".join(lines) + "\n")
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    monkeypatch.setenv("SUMMARIZER_ENV_FILE", str(dotenv))
    settings = load_settings()
    assert settings.model_dump() == defaults()
    assert settings.resolved_backend() == "offline"


def test_a_blank_variable_does_not_hide_its_alternative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_API_KEY", "  ")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123\n")
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = load_settings()
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-test-123"
    assert settings.base_url == "http://127.0.0.1:9/v1"


def test_a_blank_variable_in_the_environment_leaves_the_env_file_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dotenv = tmp_path / "my.env"
    dotenv.write_text("SUMMARIZER_MODEL=from-the-file\n")
    monkeypatch.setenv("SUMMARIZER_ENV_FILE", str(dotenv))
    monkeypatch.setenv("SUMMARIZER_MODEL", "")
    assert load_settings().model == "from-the-file"


@pytest.mark.parametrize("variable", ["OPENAI_API_KEY", "SUMMARIZER_API_KEY"])
@pytest.mark.parametrize("blank", ["", "  "], ids=repr)
def test_openai_with_an_empty_key_says_it_needs_one(
    variable: str,
    blank: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, blank)
    code, out, err = run_cli(["summarize", str(SEED), "--backend", "openai"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "the openai backend needs OPENAI_API_KEY" in err, err


def test_auto_picks_llamacpp_first_then_openai_then_offline(tmp_path: Path) -> None:
    """The documented order (README, .env.example, the field description)."""
    gguf = tmp_path / "m.gguf"
    both = Settings(_env_file=None, model_path=gguf, api_key="k", base_url="http://x")  # type: ignore[call-arg]
    assert both.resolved_backend() == "llamacpp"
    assert Settings(_env_file=None, api_key="k").resolved_backend() == "openai"  # type: ignore[call-arg]
    assert Settings(_env_file=None).resolved_backend() == "offline"  # type: ignore[call-arg]
    assert "llamacpp when a model path is set, else openai" in " ".join(
        Path(ENV_EXAMPLE).read_text().split()
    )


BAD = [
    ("SUMMARIZER_BACKEND", "nope", "one of auto, offline, openai, replay, llamacpp"),
    ("SUMMARIZER_MODE", "xml", "one of auto, tools, json_schema, json"),
    ("SUMMARIZER_TEMPERATURE", "5", "a number from 0 to 2"),
    ("SUMMARIZER_TIMEOUT_S", "0", "a number above 0"),
    ("SUMMARIZER_TIMEOUT_S", "soon", "a number above 0"),
    ("SUMMARIZER_MAX_RETRIES", "1.5", "a whole number at least 0"),
    ("SUMMARIZER_USE_CACHE", "maybe", "true or false"),
    ("SUMMARIZER_MAX_COST_USD", "-1", "a number at least 0, or leave it empty for the default"),
    # empty is no setting, so the default (60 s, 600 s on this machine), not "no timeout"
    ("SUMMARIZER_TIMEOUT_S", "abc", "a number above 0, or leave it empty for the default"),
    ("SUMMARIZER_PRICES", "gpt: 1", 'JSON such as {"my-model": [0.15, 0.60]}'),
    ("SUMMARIZER_PRICES", '{"m": 1}', 'JSON such as {"my-model": [0.15, 0.60]}'),
]


@pytest.mark.parametrize(("variable", "value", "allowed"), BAD)
def test_a_bad_value_is_named_with_what_is_allowed(
    variable: str,
    value: str,
    allowed: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, value)
    code, out, err = run_cli(["summarize", str(SEED)], capsys, monkeypatch)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert f"{variable}={value!r} is not allowed: use {allowed}" in err, err
    for internal in ("type=", "input_value", "pydantic", "errors.pydantic.dev", "For further"):
        assert internal not in err


def test_a_bad_option_is_named_as_the_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_cli(["summarize", str(SEED), "--max-cost", "-1"], capsys, monkeypatch)
    assert code == 2 and "--max-cost '-1.0' is not allowed: use a number at least 0" in err


def test_two_bad_values_are_both_named_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODE", "xml")
    monkeypatch.setenv("SUMMARIZER_MAX_TOKENS", "0")
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert "SUMMARIZER_MODE='xml'" in message and "SUMMARIZER_MAX_TOKENS='0'" in message
    assert "\n" not in message


def test_a_missing_env_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_ENV_FILE", str(tmp_path / "nope.env"))
    with pytest.raises(ConfigError, match=r"SUMMARIZER_ENV_FILE=.*no such file"):
        load_settings()


def test_home_in_paths_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", "~/.cache/summarizer")
    assert load_settings().cache_dir == tmp_path / ".cache" / "summarizer"


def test_replay_without_a_recordings_folder_says_how_to_set_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library has no default that points into the repository's tests/."""
    assert Settings(_env_file=None).recordings_dir is None  # type: ignore[call-arg]
    code, _, err = run_cli(["summarize", str(SEED), "--backend", "replay"], capsys, monkeypatch)
    assert code == 2 and "SUMMARIZER_RECORDINGS_DIR" in err and err.count("\n") == 1


def test_the_key_never_appears_in_a_settings_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("SUMMARIZER_TEMPERATURE", "hot")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "sk-very-secret" not in str(err.value)
    assert os.environ["OPENAI_API_KEY"] == "sk-very-secret"


@pytest.mark.parametrize("variable", ["SUMMARIZER_CACHE_DIR", "SUMMARIZER_RECORD_DIR"])
def test_a_folder_setting_naming_a_file_is_refused_up_front(
    variable: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, str(SEED))
    code, _, err = run_cli(["summarize", str(SEED)], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1
    assert f"{variable}={str(SEED)!r} is not allowed: use a folder" in err


def test_a_blank_cli_value_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODEL", "from-env")
    assert load_settings(model="  ", base_url="").model == "from-env"
