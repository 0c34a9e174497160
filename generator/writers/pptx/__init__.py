"""The PPTX writer: a document of slides becomes the bytes of a 16:9 deck for the board, the same
bytes for the same document (python-pptx is imported only in this package)."""

from __future__ import annotations

from ...model import Document
from . import package, plan, style
from .slides import Painter, clean


def render(document: Document) -> bytes:
    """The bytes of a .pptx for `document`: each Slide as one slide or more (its text continued
    where it does not fit). Blocks outside any Slide (a document that is not a deck) are shown on
    slides of their own, titled with the document's title, in their place."""
    st = style.style(document.large_print)
    prs = package.new_presentation()
    painter = Painter(prs, st, document.lang)
    for page in plan.pages_of(document, st):
        painter.page(page)
    package.set_core_properties(prs, document, clean)
    return package.save(prs)
