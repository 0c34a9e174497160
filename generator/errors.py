"""Problems found in a user's files, each carrying the position it is about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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


class ProblemsError(Exception):
    """Raised when a file cannot be used; carries every problem found in it at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.position, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
