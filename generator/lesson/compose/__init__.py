"""How a lesson becomes a document, for each edition (the only package that knows): the print editions
in `printed`, the deck in `deck`, the content guidance they print in `notes`, and what they share
(options, citation, question placement, support services) in `shared`."""

from __future__ import annotations

from typing import assert_never

from ...model import Document, Edition
from ...readers.resolved import Lesson
from ..guidance import Guidance
from ..support import Signposting
from ..wording import Wording
from .deck import Deck
from .printed import PrintEdition
from .shared import Options, citation

__all__ = ["Options", "citation", "compose"]


def compose(
    lesson: Lesson,
    edition: Edition,
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Document:
    """The document for one edition of a lesson."""
    chosen = options or Options()
    match edition:
        case "student" | "teacher":
            return PrintEdition(lesson, wording, guidance, support, chosen, teacher=edition == "teacher").document()
        case "slides":
            return Deck(lesson, wording, guidance, support, chosen).deck_document()
        case _:
            assert_never(edition)
