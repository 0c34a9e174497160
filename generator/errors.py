"""Problems found in a user's files, each carrying the position it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# The command line's exit codes: done; a spec, seed or class with errors; nothing could be done.
EXIT_OK, EXIT_PACK_ERROR, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file: 1-based line and column, as editors count them."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) at one place."""

    position: Position
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        # One line per problem: a message never spans lines in the terminal.
        message = " ".join(self.message.split())
        return f"{self.position}: {self.severity}: {message}"


class UsageError(Exception):
    """The command cannot run: its arguments are wrong, or something it needs (a folder, the
    policy, the seeds) cannot be read. Carries the problems found on the way (exit 2)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = sorted(problems or [], key=lambda p: (p.position, p.message))


class CannotWrite(UsageError):
    """The machine refused a write (a full disk, a read-only folder, a file where a folder should
    be): the user's situation, not their content and not a bug. Exit 2, one line."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[CannotWrite], tuple[str, str]]:
        # Raised in a worker process, it reaches the build that started it whole.
        return (CannotWrite, (self.path, self.reason))


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
