"""A spec's meaning once it is validated and its quotes are found: the lesson that compose reads.

Plain frozen data with nothing left to look up: no pydantic model and no defaults to apply. A lesson still
carries its spec's parsed YAML (`loaded`), which guidance and the seed-id check walk for positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..errors import Position, Problem
from .corpus import Match, Seed
from .printed import Printed

if TYPE_CHECKING:
    from .source import Loaded

QuestionKind = Literal["recall", "inference", "evaluation", "balance"]
Region = Literal["uk", "us"]


@dataclass(frozen=True)
class Ages:
    youngest: int
    oldest: int | None  # None for "A+"

    def __str__(self) -> str:
        if self.oldest is None:
            return f"{self.youngest}+"
        if self.oldest == self.youngest:
            return str(self.youngest)
        return f"{self.youngest}–{self.oldest}"


@dataclass(frozen=True)
class ResolvedExcerpt:
    id: str
    seed: Seed
    quote: str
    match: Match
    intro: str | None
    position: Position
    index: int = 0  # where the excerpt is in the spec's list
    tags: tuple[str, ...] = ()
    override: tuple[tuple[str, str], ...] = ()
    redact: bool = False


@dataclass(frozen=True)
class Space:
    """Room to answer in the student edition: ruled lines, an empty box, or a table to fill in."""

    kind: Literal["lines", "box", "table"]
    size: int  # lines, the box's height in lines, or the table's empty rows
    columns: tuple[str, ...] = ()  # a table's headings

    @staticmethod
    def lines(n: int) -> Space | None:
        return Space("lines", n) if n > 0 else None


@dataclass(frozen=True)
class Question:
    text: str
    excerpts: tuple[str, ...] = ()
    kind: QuestionKind | None = None
    answer: str | None = None
    space: Space | None = Space("lines", 3)


@dataclass(frozen=True)
class Activity:
    title: str
    minutes: int
    steps: tuple[str, ...] = ()
    space: Space | None = None
    notes: str | None = None
    excerpts: tuple[str, ...] = ()  # read in this activity
    quiz: Literal["starter", "exit"] | None = None  # done in this activity
    # The learning cycle around the steps: the explanation, checks for understanding, feedback.
    explain: tuple[str, ...] = ()
    checks: tuple[QuizItem, ...] = ()
    feedback: str | None = None


@dataclass(frozen=True)
class QuizItem:
    """A multiple-choice question with its options in print order."""

    question: str
    options: tuple[str, ...]
    answer: int  # the index of the correct option


@dataclass(frozen=True)
class Keyword:
    term: str
    definition: str


@dataclass(frozen=True)
class Misconception:
    misconception: str
    response: str


@dataclass(frozen=True)
class Lesson:
    """A validated spec with every quote verified against its seed."""

    id: str
    path: str
    title: str
    subject: str | None  # None: the region's default (templates/labels.j2)
    ages: Ages
    region: Region
    duration: int
    excerpts: tuple[ResolvedExcerpt, ...]
    questions: tuple[Question, ...] = ()
    activities: tuple[Activity, ...] = ()
    group: str | None = None
    summary: str | None = None
    contact: str | None = None
    objectives: tuple[str, ...] = ()
    teacher_notes: tuple[str, ...] = ()
    outcome: str | None = None
    key_points: tuple[str, ...] = ()
    prior_knowledge: tuple[str, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    starter_quiz: tuple[QuizItem, ...] = ()
    exit_quiz: tuple[QuizItem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    # The spec's own overrides, for its typed text: (category, written reason).
    override: tuple[tuple[str, str], ...] = ()
    # Every text of the spec with its readers, as the spec's fields declare them.
    texts: tuple[Printed, ...] = field(default=(), compare=False, repr=False)
    # The parsed file, so later checks (content guidance) can point into it.
    loaded: Loaded | None = field(default=None, compare=False, repr=False)

    def excerpt(self, excerpt_id: str) -> ResolvedExcerpt:
        return next(e for e in self.excerpts if e.id == excerpt_id)

    @property
    def in_lesson_order(self) -> bool:
        """Whether the activities say which excerpts each reads (the handout then follows the plan)."""
        return any(a.excerpts for a in self.activities)
