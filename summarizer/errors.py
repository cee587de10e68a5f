"""Errors a user can act on.

Every `SummarizerError` message is one line that names the problem and says
what to do about it; the CLI prints it and exits with `exit_code`, never a
traceback.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class: a problem the user can fix. The message says how."""

    exit_code: int = 1


class InputError(SummarizerError):
    """The input file or text cannot be used (missing, empty, binary, undecodable, too big)."""

    exit_code = 2


class ConfigError(SummarizerError):
    """Settings are missing or contradictory (no key for the openai backend, bad backend name)."""

    exit_code = 2


class BackendError(SummarizerError):
    """The LLM backend failed after its retries (server down, key refused, bad responses)."""

    exit_code = 3


class RecordingMissingError(BackendError):
    """The replay backend has no recording for a request: tests never fall back to the network."""


class BudgetError(SummarizerError):
    """The estimated cost of a run exceeds --max-cost."""

    exit_code = 2


class OutputError(SummarizerError):
    """An output cannot be written (a folder where a file is wanted, no permission, disk full)."""

    exit_code = 2
