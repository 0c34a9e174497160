"""The PPTX package: a 16:9 presentation made from python-pptx's template with its leftovers removed,
the deck's fonts in its theme, core properties, and a zip that is the same bytes for the same deck."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.serialized import _ContentTypesItem
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PptxPresentation

from ...model import Deck
from .. import zipped
from .style import EMU_PER_PT, SLIDE_H, SLIDE_W, TYPEFACE

_APPLICATION = "lessonpack"
_RT_PRINTER_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
# Parts every deck shares (the template's masters, layouts and theme): deflated once per process.
_SHARED = ("ppt/slideLayouts/", "ppt/slideMasters/", "ppt/theme/", "ppt/notesMasters/")


@cache
def _template() -> bytes:
    """python-pptx's template made a 16:9 deck in the deck's typeface, without the parts that describe
    another presentation (its thumbnail, a Mac printer's settings)."""
    prs: Any = Presentation()
    old_width = int(prs.slide_width)
    prs.slide_width = round(SLIDE_W * EMU_PER_PT)
    prs.slide_height = round(SLIDE_H * EMU_PER_PT)
    prs.part._element.find(qn("p:sldSz")).attrib.pop("type", None)  # "screen4x3"
    scale = prs.slide_width / old_width
    # The master's and layouts' placeholders were laid out for 4:3: widen them to the slide.
    for container in [*prs.slide_masters, *prs.slide_layouts]:
        for xfrm in container._element.iter(qn("a:xfrm")):
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            if off is not None:
                off.set("x", str(round(int(off.get("x")) * scale)))
            if ext is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * scale)))
    # The theme's fonts: a slide a teacher adds is set in the deck's typeface too.
    theme_part = prs.slide_masters[0].part.part_related_by(RT.THEME)
    theme = parse_xml(theme_part.blob)
    for font in theme.iter(f"{{{_A}}}majorFont", f"{{{_A}}}minorFont"):
        latin = font.find(f"{{{_A}}}latin")
        latin.set("typeface", TYPEFACE)
        latin.set("pitchFamily", "34")
        latin.set("charset", "0")
    theme.find(f"{{{_A}}}themeElements").find(f"{{{_A}}}fontScheme").set("name", TYPEFACE)
    theme_part._blob = serialize_part_xml(theme)
    _drop_leftovers(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def new_presentation() -> PptxPresentation:
    return Presentation(io.BytesIO(_template()))


def _drop_leftovers(prs: Any) -> None:
    package_rels = prs.part.package._rels
    for r_id in [k for k, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        package_rels.pop(r_id)
    part_rels = prs.part.rels
    for r_id in [k for k, rel in part_rels.items() if rel.reltype == _RT_PRINTER_SETTINGS]:
        part_rels.pop(r_id)


def set_core_properties(prs: PptxPresentation, deck: Deck, clean: Any) -> None:
    """Title, subject, author, keywords and language from the deck; revision 1; created and
    modified only from SOURCE_DATE_EPOCH (otherwise none, rather than the time of the build)."""
    props = prs.core_properties
    props.title = clean(deck.title)
    props.subject = clean(deck.subject)
    props.author = clean(deck.author)
    props.last_modified_by = clean(deck.author)
    props.keywords = clean(zipped.keywords_property(deck.keywords))
    props.language = clean(deck.lang)
    props.comments = ""  # the template's "generated using python-pptx"
    props.category = ""
    props.revision = 1
    element: Any = props._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    when = zipped.source_date()
    if when is not None:
        props.created = when
        props.modified = when


def save(prs: PptxPresentation) -> bytes:
    """The deck's bytes: the notes master listed, our app.xml, the zip normalised."""
    _list_notes_master(prs)
    return zipped.normalise_zip(_entries(prs), {"docProps/app.xml": _app_xml(prs)}, _SHARED)


def _list_notes_master(prs: Any) -> None:
    """python-pptx relates a notes master but never lists it in p:notesMasterIdLst, which PowerPoint
    writes right after p:sldMasterIdLst."""
    pres = prs.part._element
    if pres.find(qn("p:notesMasterIdLst")) is not None:
        return
    r_ids = [k for k, rel in prs.part.rels.items() if rel.reltype == RT.NOTES_MASTER]
    if not r_ids:
        return
    lst = OxmlElement("p:notesMasterIdLst")
    entry = OxmlElement("p:notesMasterId")
    entry.set(qn("r:id"), r_ids[0])
    lst.append(entry)
    pres.find(qn("p:sldMasterIdLst")).addnext(lst)


def _app_xml(prs: PptxPresentation) -> bytes:
    slides = len(prs.slides)
    notes = sum(1 for s in prs.slides if s.has_notes_slide)
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes"><Application>{_APPLICATION}</Application>'
        "<PresentationFormat>Widescreen</PresentationFormat>"
        f"<Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def _entries(prs: Any) -> dict[str, bytes]:
    """The files Presentation.save would zip, by name, as python-pptx serialises them."""
    package = prs.part.package
    parts = list(package.iter_parts())
    entries: dict[str, bytes] = {
        "[Content_Types].xml": serialize_part_xml(_ContentTypesItem.xml_for(parts)),
        "_rels/.rels": package._rels.xml,
    }
    for part in parts:
        entries[part.partname.membername] = part.blob
        if part._rels:
            entries[part.partname.rels_uri.membername] = part.rels.xml
    return entries
