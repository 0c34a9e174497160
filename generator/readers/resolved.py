"""A spec's meaning once it is validated and its quotes are found: the lesson that compose reads.

The spec's own values are the validated models themselves (readers.schema, each key declared once
there), with every text a reader reads made typographic in one place (readers.spec); compose reads
each key by its field's name. Here is only what validation adds: the pack's id, the ages as numbers,
each quote as found in its seed, the warnings, every text with its readers, and where each value is
in the file (for positioned problems). No YAML: the parsed file stays in the readers."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ConfigDict

from ..errors import Position, Problem
from .fields import Region
from .printed import Printed
from .schema import Excerpt, Spec
from .seed import Match, Seed
from .source import Places


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


class ResolvedExcerpt(Excerpt):
    """An excerpt of the spec (its keys are schema.Excerpt's, its intro typographic) with its quote
    found in the seed essay: built from the validated excerpt, never validated again."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    essay: Seed  # the seed essay `seed` names
    match: Match  # where the quote is in it
    position: Position  # where the excerpt is in the spec
    index: int  # where the excerpt is in the spec's list

    @staticmethod
    def found(given: Excerpt, essay: Seed, match: Match, position: Position, index: int) -> ResolvedExcerpt:
        return ResolvedExcerpt.model_construct(**dict(given), essay=essay, match=match, position=position, index=index)


@dataclass(frozen=True)
class Lesson:
    """A validated spec with every quote verified against its seed."""

    id: str  # the spec's 'id:', or its file's name
    path: str
    # The spec as validated, every text a reader reads typographic; its options placed (schema.MultipleChoice).
    spec: Spec
    ages: Ages
    excerpts: tuple[ResolvedExcerpt, ...]  # the spec's excerpts, each found in its seed
    warnings: tuple[Problem, ...] = ()
    # Every text of the spec with its readers, as the spec's fields declare them (as typed, not typographic).
    texts: tuple[Printed, ...] = field(default=(), compare=False, repr=False)
    # Where each value is in the file, by the model's path to it (later checks point into the file).
    places: Places | None = field(default=None, compare=False, repr=False)

    @property
    def region(self) -> Region:
        return self.spec.audience.region

    def excerpt(self, excerpt_id: str) -> ResolvedExcerpt:
        return next(e for e in self.excerpts if e.id == excerpt_id)

    def at(self, loc: tuple[str | int, ...]) -> Position:
        """Where the value at `loc` (a path of the spec's keys and indices) is in the file."""
        return self.places.at(loc) if self.places else Position(self.path)

    def key_at(self, loc: tuple[str | int, ...]) -> Position:
        """Where the key naming `loc` is in the file."""
        return self.places.key_at(loc) if self.places else Position(self.path)

    def find(self, loc: tuple[str | int, ...], needle: str) -> Position:
        """Where `needle` is in the file, searching from the value at `loc`."""
        return self.places.find_in_value(loc, needle) if self.places else Position(self.path)

    @property
    def in_lesson_order(self) -> bool:
        """Whether the activities say which excerpts each reads (the handout then follows the plan)."""
        return any(a.excerpts for a in self.spec.activities)
