"""Versioned prompt templates, loaded and rendered strictly.

Templates live in `prompts/<name>.v<version>.yaml` so a prompt change is a
reviewed diff, and their hash is part of every cache key and recording: edit
the wording and old answers stop matching instead of being served stale.

Rendering is strict in both directions: a declared variable left unfilled, an
undeclared one passed in, or a placeholder the file does not declare are all
errors, never a silently empty slot. The untrusted article is fenced by marker
lines carrying a tag derived from the text itself, so an article cannot close
its own block (it would have to contain its own hash).
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from functools import lru_cache

import yaml

from summarizer.errors import ConfigError
from summarizer.resources import data_dir

Message = dict[str, str]


@dataclass(frozen=True)
class Prompt:
    """One loaded template: a system and a user message with declared `$variables`."""

    name: str
    version: int
    system: str
    user: str
    variables: tuple[str, ...]
    template_hash: str

    @property
    def id(self) -> str:
        """Name plus version, as reported in provenance ('extract.v1')."""
        return f"{self.name}.v{self.version}"

    def render(self, **values: str) -> list[Message]:
        """Fill the template; every declared variable must be given, and nothing else."""
        missing = [v for v in self.variables if v not in values]
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            raise ConfigError(
                f"prompt {self.id}: missing variables {missing}, unexpected {extra}; "
                f"fix the caller or the template's `variables` list"
            )
        try:
            return [
                {"role": "system", "content": string.Template(self.system).substitute(values)},
                {"role": "user", "content": string.Template(self.user).substitute(values)},
            ]
        except (KeyError, ValueError) as exc:
            raise ConfigError(
                f"prompt {self.id}: bad placeholder {exc}; fix the template"
            ) from None


def article_tag(text: str) -> str:
    """A marker tag derived from the article, so the article cannot forge its own end marker."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _placeholders(template: str) -> set[str]:
    names = set()
    for _, named, braced, _ in string.Template.pattern.findall(template):
        if named or braced:
            names.add(named or braced)
    return names


@lru_cache(maxsize=16)
def load_prompt(name: str, version: int = 1) -> Prompt:
    """Load `prompts/<name>.v<version>.yaml`, refusing templates that use undeclared variables."""
    path = data_dir("prompts") / f"{name}.v{version}.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"prompt template {path} not found; reinstall summarizer") from None
    doc = yaml.safe_load(raw)
    if not isinstance(doc, dict) or not {"system", "user", "variables"} <= doc.keys():
        raise ConfigError(f"prompt template {path} needs 'system', 'user' and 'variables' keys")
    variables = tuple(str(v) for v in doc["variables"])
    used = _placeholders(doc["system"]) | _placeholders(doc["user"])
    if used != set(variables):
        raise ConfigError(
            f"prompt template {path}: placeholders {sorted(used)} differ from declared "
            f"variables {sorted(variables)}"
        )
    if doc.get("name") != name or doc.get("version") != version:
        raise ConfigError(f"prompt template {path}: name/version inside do not match the file name")
    return Prompt(
        name=name,
        version=version,
        system=str(doc["system"]),
        user=str(doc["user"]),
        variables=variables,
        template_hash=hashlib.sha256(raw).hexdigest(),
    )
