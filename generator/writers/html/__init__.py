"""The web edition: a document becomes one self-contained, accessible HTML file (fonts, styles and
script inline; nothing fetched from anywhere), the same bytes every build."""

from __future__ import annotations

from ...model import Document
from .page import page


def render(document: Document) -> bytes:
    """The web edition of `document` as UTF-8 bytes."""
    return page(document).encode("utf-8")
