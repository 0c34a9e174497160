"""The PPTX writer: a Deck becomes the bytes of a 16:9 deck for the board, the same bytes for the
same deck (python-pptx is imported only in this package)."""

from __future__ import annotations

from ...model import Deck
from . import package, plan, style
from .slides import Painter, clean


def render(deck: Deck) -> bytes:
    """The bytes of a .pptx for `deck`: each Slide as one slide or more (its text continued where
    it does not fit)."""
    st = style.style(deck.large_print)
    prs = package.new_presentation()
    painter = Painter(prs, st, deck.lang)
    for page in plan.pages_of(deck, st):
        painter.page(page)
    package.set_core_properties(prs, deck, clean)
    return package.save(prs)
