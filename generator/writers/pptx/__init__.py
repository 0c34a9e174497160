"""The PPTX writer: a document of slides becomes the bytes of a 16:9 deck for the board, the same
bytes for the same document (python-pptx is imported only in this package)."""

from __future__ import annotations

from ...model import Block, Document, Slide
from . import package, plan, style
from .slides import Painter, clean


def render(document: Document) -> bytes:
    """The bytes of a .pptx for `document`: each Slide as one slide or more (its text continued
    where it does not fit). Blocks outside any Slide (a document that is not a deck) are shown on
    slides of their own, titled with the document's title, in their place."""
    st = style.style(document.large_print)
    prs = package.new_presentation()
    painter = Painter(prs, st, document.lang)
    for slide in _slides(document):
        for page in plan.plan(slide, st, document.continued_label):
            painter.page(page)
    package.set_core_properties(prs, document, clean)
    return package.save(prs)


def _slides(document: Document) -> list[Slide]:
    slides: list[Slide] = []
    loose: list[Block] = []
    for block in (*document.blocks, None):
        if isinstance(block, Slide) or block is None:
            if loose:
                slides.append(Slide("content-note", document.title, tuple(loose)))
                loose = []
            if block is not None:
                slides.append(block)
        else:
            loose.append(block)
    return slides
