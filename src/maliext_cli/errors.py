"""Typed errors raised by every layer; the CLI turns them into messages and exit codes.

The exit codes are the contract of DESIGN.md section 4.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_PROBLEMS = 4
EXIT_INTERNAL = 70


class MaliextError(Exception):
    """A problem the user can act on. `hint` is an optional second line: what to do."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, *, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        # One line per item, printed after the message (e.g. every invalid row of an import).
        self.details = details or []


class Invalid(MaliextError):
    """Invalid data or a broken rule; nothing was written."""


class Conflict(MaliextError):
    """The change clashes with records already there (duplicate key, overlap, references)."""


class NotFound(MaliextError):
    """A referenced record does not exist."""

    exit_code = EXIT_NOT_FOUND


class UsageProblem(MaliextError):
    """A usage error that Typer cannot see by itself (an unknown format name, say)."""

    exit_code = EXIT_USAGE


class ProblemsFound(MaliextError):
    """A check ran and found problems (`db check`, `merge --dry-run`)."""

    exit_code = EXIT_PROBLEMS


class FieldError(ValueError):
    """One field's value is wrong; the service adds the field name and the row."""


class DerivedValue(FieldError):
    """A value that outputs show but that follows from other records (a need is
    `filled` by its missions): `add` and `edit` refuse it, `import` leaves the field as
    it is, so that an export reads back."""
