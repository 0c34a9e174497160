"""How a lesson becomes a document, for each edition (the only package that knows): the print editions
in `printed` (a Document each), the deck in `deck` (a Deck), the content guidance they print in
`notes`, and what they share (options, citation, question placement, support services) in `shared`."""

from __future__ import annotations

from typing import Literal, assert_never, overload

from ...model import Deck, Document, Edition, PrintEdition
from ...readers.resolved import Lesson
from ..guidance import Guidance
from ..support import Signposting
from ..wording import Wording
from .deck import DeckComposer
from .printed import PrintComposer
from .shared import Options, citation

__all__ = ["Options", "citation", "compose"]


@overload
def compose(
    lesson: Lesson,
    edition: PrintEdition,
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Document: ...
@overload
def compose(
    lesson: Lesson,
    edition: Literal["slides"],
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Deck: ...
@overload
def compose(
    lesson: Lesson,
    edition: Edition,
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Document | Deck: ...
def compose(
    lesson: Lesson,
    edition: Edition,
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Document | Deck:
    """One edition of a lesson: a print edition's Document, or the deck."""
    chosen = options or Options()
    match edition:
        case "student" | "teacher":
            return PrintComposer(lesson, wording, guidance, support, chosen, teacher=edition == "teacher").document()
        case "slides":
            return DeckComposer(lesson, wording, guidance, support, chosen).deck()
        case _:
            assert_never(edition)
