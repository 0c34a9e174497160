"""Drawing laid-out pages as slides of a python-pptx presentation: text boxes that never autofit,
filled shapes without theme shadows, real tables, real numbered lists, and speaker notes.

Each slide's shapes are written as PresentationML and parsed once: python-pptx's shape and text
properties look every child element up by XPath, and cost several times more than the rest of a
deck put together. python-pptx still makes the slide and notes parts and their relationships."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.presentation import Presentation

from ...model import Span
from .shapes import Grid, Page, Para, Rect, Shape, TextBox
from .style import EMU_PER_PT, TYPEFACE, DeckStyle

LAYOUT_TITLE_ONLY = 5  # in python-pptx's template: a title placeholder and nothing else

_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_ANCHOR = {"t": "t", "b": "b", "ctr": "ctr"}
# Characters XML 1.0 cannot hold (the spec reader refuses control characters; this is the last guard).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


def clean(text: str) -> str:
    return _NOT_XML.sub("", text).replace("\t", " ")


def _text(text: str) -> str:
    return escape(clean(text))


class Painter:
    """Adds pages to a presentation as slides, in the deck's style and language."""

    def __init__(self, prs: Presentation, st: DeckStyle, lang: str) -> None:
        self.prs, self.st = prs, st
        self.lang = quoteattr(clean(lang))
        self.part: Any = prs.part
        self.package = self.part.package
        self.layout_part = prs.slide_layouts[LAYOUT_TITLE_ONLY].part
        self.slides = 0
        self.notes_master: Any = None

    def page(self, page: Page) -> None:
        self.slides += 1
        n = self.slides
        make: Any = SlidePart.new  # unannotated in python-pptx
        slide_part = make(PackURI(f"/ppt/slides/slide{n}.xml"), self.package, self.layout_part)
        r_id = self.part.relate_to(slide_part, RT.SLIDE)
        self.part._element.get_or_add_sldIdLst().add_sldId(r_id)
        slide_part._element.cSld.set("name", page.kind)  # what the slide is for (tests read it)
        tree = slide_part._element.cSld.spTree
        shapes = [self.title(page.title)] + [self.shape(s, k) for k, s in enumerate(page.shapes, 3)]
        for element in parse_xml(f"<p:spTree {_NS}>{''.join(shapes)}</p:spTree>"):
            tree.append(element)
        if page.notes:
            self.notes(slide_part, n, page.notes)

    # -- shapes ----------------------------------------------------------------------------
    def title(self, box: TextBox) -> str:
        return (
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title 1"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr>{_xfrm(box.x, box.y, box.w, box.h)}</p:spPr>'
            f"{self.body(box.paras, box.anchor)}</p:sp>"
        )

    def shape(self, shape: Shape, shape_id: int) -> str:
        match shape:
            case TextBox(x=x, y=y, w=w, h=h, paras=paras, name=name, anchor=anchor, fill=fill):
                geometry = _xfrm(x, y, w, h) + '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                look = _solid(fill) + "<a:ln><a:noFill/></a:ln>" if fill else "<a:noFill/>"
                box = "" if fill else ' txBox="1"'
                return (
                    f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(name)}/><p:cNvSpPr{box}/><p:nvPr/>'
                    f"</p:nvSpPr><p:spPr>{geometry}{look}</p:spPr>{self.body(paras, anchor)}</p:sp>"
                )
            case Rect(x=x, y=y, w=w, h=h, fill=fill, name=name, line=line):
                edge = f'<a:ln w="{emu(1.5)}">{_solid(line)}</a:ln>' if line else "<a:ln><a:noFill/></a:ln>"
                return (
                    f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(name)}/><p:cNvSpPr/><p:nvPr/>'
                    f'</p:nvSpPr><p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                    f"{_solid(fill)}{edge}</p:spPr></p:sp>"
                )
            case Grid():
                return self.grid(shape, shape_id)

    def grid(self, g: Grid, shape_id: int) -> str:
        st = self.st
        cols = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in g.widths)
        rows = []
        for i, (cells, height) in enumerate(zip(g.cells, g.heights, strict=True)):
            fill = st.header_fill if g.header and i == 0 else "FFFFFF"
            edges = "".join(
                f'<a:{side} w="{emu(1.0)}" cap="flat" cmpd="sng" algn="ctr">{_solid(st.rule)}'
                f'<a:prstDash val="solid"/></a:{side}>'
                for side in ("lnL", "lnR", "lnT", "lnB")
            )
            margins = f'marL="{emu(g.pad_x)}" marR="{emu(g.pad_x)}" marT="{emu(g.pad_y)}" marB="{emu(g.pad_y)}"'
            tcs = "".join(
                f"<a:tc>{self.body(paras, 't', tag='a:txBody', insets=False)}<a:tcPr {margins}>{edges}{_solid(fill)}"
                "</a:tcPr></a:tc>"
                for paras in cells
            )
            rows.append(f'<a:tr h="{emu(height)}">{tcs}</a:tr>')
        first = ' firstRow="1"' if g.header else ""
        return (
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name={quoteattr(g.name)}/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr><p:xfrm><a:off x="{emu(g.x)}" y="{emu(g.y)}"/>'
            f'<a:ext cx="{emu(sum(g.widths))}" cy="{emu(sum(g.heights))}"/></p:xfrm><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f"<a:tbl><a:tblPr{first}/><a:tblGrid>{cols}</a:tblGrid>{''.join(rows)}</a:tbl>"
            "</a:graphicData></a:graphic></p:graphicFrame>"
        )

    # -- text ------------------------------------------------------------------------------
    def body(self, paras: Sequence[Para], anchor: str, *, tag: str = "p:txBody", insets: bool = True) -> str:
        """A text body: wrapping on, never autofit, no insets, exact line spacing, and every run's
        font, size, colour and language named."""
        margins = ' lIns="0" tIns="0" rIns="0" bIns="0"' if insets else ""
        out = [
            f'<{tag}><a:bodyPr wrap="square"{margins} anchor="{_ANCHOR[anchor]}" rtlCol="0"><a:noAutofit/>'
            "</a:bodyPr><a:lstStyle/>"
        ]
        for para in paras or (Para((), self.st.small_pt, self.st.line(self.st.small_pt)),):
            out.append(self.paragraph(para))
        out.append(f"</{tag}>")
        return "".join(out)

    def paragraph(self, para: Para) -> str:
        marker = para.number is not None or para.bullet is not None
        indent = emu(para.indent)
        bullet = "<a:buNone/>"
        if para.number is not None:
            start = f' startAt="{para.number}"' if para.number != 1 else ""
            bullet = f'<a:buFont typeface="{TYPEFACE}"/><a:buAutoNum type="arabicPeriod"{start}/>'
        elif para.bullet is not None:
            bullet = f'<a:buFont typeface="{TYPEFACE}"/><a:buChar char={quoteattr(para.bullet)}/>'
        out = [
            f'<a:p><a:pPr marL="{indent}" indent="{-indent if marker else 0}" algn="{para.align}">'
            f'<a:lnSpc><a:spcPts val="{round(para.line * 100)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef>'
            f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet}</a:pPr>'
        ]
        size = round(para.size * 100)
        for run in para.runs:
            props = self.run_props(size, run.bold, run.italic, run.color or self.st.ink)
            for k, piece in enumerate(run.text.split("\n")):
                if k:
                    out.append(f"<a:br>{props}</a:br>")
                if piece:
                    out.append(f"<a:r>{props}<a:t>{_text(piece)}</a:t></a:r>")
        out.append(f'<a:endParaRPr lang={self.lang} sz="{size}" dirty="0"/></a:p>')
        return "".join(out)

    def run_props(self, size: int, bold: bool, italic: bool, color: str) -> str:
        # pitchFamily 34: a variable-pitch sans, what to substitute where the typeface is missing.
        return (
            f'<a:rPr lang={self.lang} sz="{size}" b="{int(bold)}" i="{int(italic)}" dirty="0">{_solid(color)}'
            f'<a:latin typeface="{TYPEFACE}" pitchFamily="34" charset="0"/></a:rPr>'
        )

    # -- speaker notes ---------------------------------------------------------------------
    def notes(self, slide_part: Any, n: int, notes: Sequence[Sequence[Span]]) -> None:
        if self.notes_master is None:
            self.notes_master = self.part.notes_master_part
        paras = []
        for spans in notes:
            runs = "".join(
                f'<a:r><a:rPr lang={self.lang} b="{int(s.bold)}" dirty="0"><a:latin typeface="{TYPEFACE}"/></a:rPr>'
                f"<a:t>{_text(s.text.replace(chr(10), ' '))}</a:t></a:r>"
                for s in spans
                if s.text
            )
            paras.append(f'<a:p>{runs}<a:endParaRPr lang={self.lang} dirty="0"/></a:p>')
        xml = (
            f'<p:notes {_NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
            '</p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/>'
            '<p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr>'
            '<p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr>'
            '<p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>'
            '<p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>'
            f"{''.join(paras)}</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>"
            "</p:clrMapOvr></p:notes>"
        )
        part = NotesSlidePart(
            PackURI(f"/ppt/notesSlides/notesSlide{n}.xml"), CT.PML_NOTES_SLIDE, self.package, parse_xml(xml)
        )
        part.relate_to(self.notes_master, RT.NOTES_MASTER)
        part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)


def _xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def _solid(color: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
