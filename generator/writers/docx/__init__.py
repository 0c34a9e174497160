"""The DOCX writer: a document becomes the bytes of an editable, styled, byte-identical .docx
(python-docx is imported only in this package)."""

from __future__ import annotations

import io

import docx
from docx.document import Document as WordDocument

from ...model import Document
from .body import Writer
from .package import app_xml, drop_template_leftovers, entries, normalise_zip, set_core_properties
from .styles import template


def render(document: Document) -> bytes:
    """The bytes of a .docx for `document`: the same Document always gives the same bytes."""
    kind = template(document.large_print, document.lang, document.paper)
    doc: WordDocument = docx.Document(io.BytesIO(kind.package))
    writer = Writer(doc, document, kind)
    for block in document.blocks:
        writer.block(block)
    writer.finish()
    set_core_properties(doc, document)
    drop_template_leftovers(doc)
    return normalise_zip(entries(doc), {"docProps/app.xml": app_xml()})
