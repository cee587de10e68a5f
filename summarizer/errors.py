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
    """Settings are missing, invalid or contradictory (no key for the openai backend, a value
    the setting does not allow, a backend whose package is not installed)."""

    exit_code = 2


class BackendError(SummarizerError):
    """A backend produced no usable answer: the server stayed down or kept failing after the
    transport retries, refused the key, stopped at max_tokens, or never gave valid output
    within the re-asks; or a backend broke the evidence contract (a bug, said so)."""

    exit_code = 3


class RecordingMissingError(BackendError):
    """The replay backend has no recording for a request: tests never fall back to the network."""


class BudgetError(SummarizerError):
    """The estimated cost of a run exceeds --max-cost."""

    exit_code = 2


class OutputError(SummarizerError):
    """An output cannot be written (a folder where a file is wanted, no permission, disk full)."""

    exit_code = 2
