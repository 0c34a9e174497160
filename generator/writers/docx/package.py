"""The DOCX package: core properties, leftovers of python-docx's template, and a zip with a fixed
entry order and fixed timestamps, so that the same document always gives the same bytes."""

from __future__ import annotations

from typing import Any

from docx.document import Document as WordDocument
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn

from ...model import Document
from .. import zipped
from .xml import clean

_APPLICATION = "lessonpack"

_RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


# ---------------------------------------------------------------------------------------
# Package: properties, leftovers of python-docx's template, the zip itself


def set_core_properties(doc: WordDocument, document: Document) -> None:
    props = doc.core_properties
    props.title = clean(document.title)
    props.subject = clean(document.subject)
    props.author = clean(document.author)
    props.last_modified_by = clean(document.author)
    props.keywords = clean(zipped.keywords_property(document.keywords))
    props.language = clean(document.lang)
    props.comments = ""
    props.category = ""
    props.revision = 1
    when = zipped.source_date()
    if when is not None:
        props.created = when
        props.modified = when
    else:
        element = props._element
        for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
            for old in element.findall(qn(tag)):
                element.remove(old)


def drop_template_leftovers(doc: WordDocument) -> None:
    """Remove parts of python-docx's template that describe some other document.

    The thumbnail is a picture of another page; stylesWithEffects.xml holds stale en-US
    style definitions that Word 2010 would prefer over ours; the customXml item is an
    empty bibliography.
    """
    package_rels = doc.part.package.rels
    for r_id in [k for k, rel in package_rels.items() if rel.reltype == _RT_THUMBNAIL]:
        del package_rels[r_id]
    part_rels = doc.part.rels
    unwanted = (_RT_CUSTOM_XML, _RT_STYLES_WITH_EFFECTS)
    for r_id in [k for k, rel in part_rels.items() if rel.reltype in unwanted]:
        del part_rels[r_id]


def app_xml() -> bytes:
    """docProps/app.xml naming this program (the template's names Microsoft Word)."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes"><Application>{_APPLICATION}</Application>'
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


class _Files:
    """Stands in for python-docx's zip writer: keeps each file it is given, by name."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def entries(doc: WordDocument) -> dict[str, bytes]:
    """The files Document.save would zip for `doc`, by name, written the way it writes them
    (zipping them twice, and unzipping them in between, cost more than the rest of a save)."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    files = _Files()
    writer: Any = PackageWriter  # its steps, given _Files for the zip file
    writer._write_content_types_stream(files, parts)
    writer._write_pkg_rels(files, package.rels)
    writer._write_parts(files, parts)
    return files.entries


def normalise_zip(entries: dict[str, bytes], replace: dict[str, bytes]) -> bytes:
    """The DOCX's zip (see zipped.normalise_zip); the embedded fonts are deflated once per process."""
    return zipped.normalise_zip(entries, replace, _SHARED)


# Parts that are the same in every document (the embedded fonts): their deflated bytes are kept.
_SHARED = ("word/fonts/",)
