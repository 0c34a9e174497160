"""WordprocessingML helpers: new elements, children in schema order, borders, shading, units.

Word refuses a file whose property elements are out of the schema's order; `put` keeps it."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .. import layout

Element = Any  # an lxml element of the WordprocessingML tree (python-docx's oxml classes)

# Characters XML 1.0 cannot hold (python-docx raises ValueError on them). Tab, line feed and
# carriage return are kept: python-docx writes them as <w:tab/> and <w:br/>.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Child order of <w:pPr> and <w:tcPr> (Word refuses files whose children are out of order).
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip


def clean(text: str) -> str:
    """`text` without the characters an XML file cannot hold."""
    return NOT_XML.sub("", text)


def el(tag: str, **attrs: str) -> Element:
    """A new WordprocessingML element; attribute names are given without the `w:` prefix."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def put(parent: Element, child: Element, order: tuple[str, ...]) -> Element:
    """Replace `parent`'s child of the same tag with `child`, keeping schema order."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    rank = ranks(order)
    mine = rank.get(tag)
    if mine is not None:
        for existing in parent:
            theirs = rank.get(existing.tag)
            if theirs is not None and theirs > mine:
                existing.addprevious(child)
                return child
    parent.append(child)
    return child


@cache
def ranks(order: tuple[str, ...]) -> dict[str, int]:
    """Each tag of a schema order (as lxml spells it) by its place in the order."""
    return {qn(name): i for i, name in enumerate(order)}


def border(side: str, color: str, eighths: int, space_pt: int) -> Element:
    return el(f"w:{side}", val="single", sz=str(eighths), space=str(space_pt), color=color)


def shading(fill: str) -> Element:
    return el("w:shd", val="clear", color="auto", fill=fill)


def twips(mm: float) -> int:
    return round(mm * 1440 / layout.MM_PER_INCH)


def add_field(p: Any, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) in python-docx paragraph `p`."""
    begin = p.add_run()
    begin._r.append(el("w:fldChar", fldCharType="begin"))
    instr = p.add_run()
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = f" {instruction} "
    instr._r.append(instr_text)
    separate = p.add_run()
    separate._r.append(el("w:fldChar", fldCharType="separate"))
    p.add_run(placeholder)
    end = p.add_run()
    end._r.append(el("w:fldChar", fldCharType="end"))
