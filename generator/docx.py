"""DOCX writer: a Document becomes the bytes of an editable, styled, byte-identical .docx."""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, assert_never

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_BREAK,
    WD_LINE_SPACING,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, StyleFactory
from docx.styles.style import ParagraphStyle as WordStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from . import layout
from .model import (
    Block,
    Callout,
    CalloutKind,
    Document,
    Fields,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paper,
    Paragraph,
    ParagraphStyle,
    Quote,
    Span,
    Table,
    WritingSpace,
)

Element = Any  # an lxml element of the WordprocessingML tree (python-docx's oxml classes)

# Characters XML 1.0 cannot hold (python-docx raises ValueError on them). Tab, line feed and
# carriage return are kept: python-docx writes them as <w:tab/> and <w:br/>.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_PAGE_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_PAGE_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_APPLICATION = "lessonpack"

_RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Child order of <w:pPr> and <w:tcPr> (Word refuses files whose children are out of order).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip

# Paragraph styles for Paragraph.style, and for each kind of callout.
_PARAGRAPH_STYLE: dict[ParagraphStyle, str] = {
    "body": "Normal",
    "lead": "Lead",
    "small": "Small",
    "label": "Label",
    "citation": "Citation",
}
_CALLOUT_STYLE: dict[CalloutKind, str] = {
    "content-note": "Content Note",
    "summary-note": "Summary Note",
    "teacher-note": "Teacher Note",
    "support": "Support",
    "info": "Info",
}

# Quote and callout geometry, in points.
_QUOTE_INDENT_PT = 18.0
_NOTE_INDENT_PT = 12.0
_NOTE_PAD_PT = 4
_NOTE_OUTSIDE_PT = 8
_AFTER_TABLE_PT = 8
_CELL_MARGIN_PT = 5  # left and right, inside each table cell
# Run properties a large-print document never has, in any style: italic, underline, capitals.
_NOT_LARGE_PRINT = ("w:i", "w:iCs", "w:u", "w:caps", "w:smallCaps")


def render_docx(document: Document) -> bytes:
    """The bytes of a .docx for `document`: the same Document always gives the same bytes.

    The document opens with its title in the Title style: a level-1 heading of the title at
    the start of the blocks (the cover's) becomes that paragraph; otherwise one is added.
    """
    template = _template(document.large_print, document.lang, document.paper)
    doc: WordDocument = docx.Document(io.BytesIO(template.package))
    writer = _Writer(doc, document, template)
    blocks = document.blocks
    match blocks:
        case (Heading(level=1, text=text), *rest) if text == document.title:
            blocks = tuple(rest)
    writer.title(document.title)
    for block in blocks:
        writer.block(block)
    writer.finish()
    _set_core_properties(doc, document)
    _drop_template_leftovers(doc)
    return _normalise_zip(_entries(doc), {"docProps/app.xml": _app_xml()})


def _clean(text: str) -> str:
    """`text` without the characters an XML file cannot hold."""
    return _NOT_XML.sub("", text)


# ---------------------------------------------------------------------------------------
# Low-level XML helpers


def _el(tag: str, **attrs: str) -> Element:
    """A new WordprocessingML element; attribute names are given without the `w:` prefix."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _put(parent: Element, child: Element, order: tuple[str, ...]) -> Element:
    """Replace `parent`'s child of the same tag with `child`, keeping schema order."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    rank = _ranks(order)
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
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    """Each tag of a schema order (as lxml spells it) by its place in the order."""
    return {qn(name): i for i, name in enumerate(order)}


def _border(side: str, color: str, eighths: int, space_pt: int) -> Element:
    return _el(f"w:{side}", val="single", sz=str(eighths), space=str(space_pt), color=color)


def _shading(fill: str) -> Element:
    return _el("w:shd", val="clear", color="auto", fill=fill)


def _twips(mm: float) -> int:
    return round(mm * 1440 / layout.MM_PER_INCH)


# ---------------------------------------------------------------------------------------
# The writer


@dataclass(frozen=True)
class _Template:
    """python-docx's default template with the page, styles and settings of one kind of
    document (variant, language, paper) applied. Setting up the styles costs more than writing
    a pack's text, so it is done once per kind and process; each document loads the result."""

    package: bytes
    style_ids: dict[str, str]
    table_grid_id: str
    list_number_num_id: int


_TEMPLATES: dict[tuple[bool, str, Paper], _Template] = {}


def _template(large_print: bool, lang: str, paper: Paper) -> _Template:
    key = (large_print, lang, paper)
    if key not in _TEMPLATES:
        setup = _Setup(docx.Document(), layout.metrics(large_print), paper)
        setup.page()
        setup.styles(lang)
        setup.settings(lang)
        num_id = setup.named["List Number"].element.pPr.numPr.numId.val
        raw = io.BytesIO()
        setup.doc.save(raw)
        _TEMPLATES[key] = _Template(raw.getvalue(), dict(setup.style_ids), setup.table_grid_id, num_id)
    return _TEMPLATES[key]


class _Setup:
    """Sets up a fresh python-docx document's page, styles and settings (see _Template)."""

    def __init__(self, doc: WordDocument, m: layout.Metrics, paper: Paper) -> None:
        self.doc = doc
        self.m = m
        self.paper = paper
        self.text_width_mm = layout.text_width_mm(paper, m)
        self.section = doc.sections[0]
        self.named: dict[str, WordStyle] = {}
        self.style_ids: dict[str, str] = {}
        self.table_grid_id = ""

    def page(self) -> None:
        section, m, page = self.section, self.m, layout.PAPER[self.paper]
        section.page_width = Mm(page.width_mm)
        section.page_height = Mm(page.height_mm)
        section.top_margin = Mm(m.margin_top_mm)
        section.bottom_margin = Mm(m.margin_bottom_mm)
        section.left_margin = Mm(m.margin_left_mm)
        section.right_margin = Mm(m.margin_right_mm)
        section.header_distance = Mm(m.header_distance_mm)
        section.footer_distance = Mm(m.footer_distance_mm)
        section.gutter = 0

    def styles(self, lang: str) -> None:
        styles = self.doc.styles
        root = styles.element
        m = self.m

        def _spacing(style: WordStyle, *, before: float, after: float, leading: float | None) -> None:
            """Spacing given in the standard variant's points and line multiple, for this variant."""
            _set_spacing(
                style,
                before=m.space(before),
                after=m.space(after),
                leading=None if leading is None else m.spacing(leading),
            )

        # Document defaults: font, size and language of every run.
        rpr_default = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for lang_el in rpr_default.findall(qn("w:lang")):
            rpr_default.remove(lang_el)
        rpr_default.append(_el("w:lang", val=lang, eastAsia=lang, bidi="ar-SA"))
        # Theme fonts would override the named family in Word: name it everywhere instead.
        theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
        for r_fonts in root.iter(qn("w:rFonts")):
            if any(r_fonts.get(a) is not None for a in theme_attrs):
                for a in theme_attrs:
                    r_fonts.attrib.pop(a, None)
                for a in ("ascii", "hAnsi", "eastAsia", "cs"):
                    r_fonts.set(qn(f"w:{a}"), layout.FONT_FAMILY)
        ppr_default = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        _put(ppr_default, _el("w:spacing", after="0", line="240", lineRule="auto"), _PPR_ORDER)

        def existing(name: str) -> WordStyle:
            style = _paragraph_style(styles[name])
            self.named[name] = style
            self.style_ids[name] = style.style_id
            return style

        def new(name: str, base: str = "Normal") -> WordStyle:
            # The template has none of these names (a test checks), so skip python-docx's
            # check for a duplicate, which reads every style in the template.
            added = root.add_style_of_type(name, WD_STYLE_TYPE.PARAGRAPH, False)
            style = _paragraph_style(StyleFactory(added))
            style.base_style = self.named[base]
            style.quick_style = True
            self.named[name] = style
            self.style_ids[name] = style.style_id
            return style

        ink = RGBColor.from_string(layout.INK)
        accent = RGBColor.from_string(layout.ACCENT)

        normal = existing("Normal")
        _font(normal, size=m.body_pt, color=ink)
        normal.font.name = layout.FONT_FAMILY
        _spacing(normal, before=0, after=6, leading=layout.BODY_LEADING)
        normal.paragraph_format.widow_control = True

        title = existing("Title")
        _font(title, size=m.title_pt, color=accent, bold=True)
        title.font.italic = None
        _spacing(title, before=0, after=14, leading=1.1)
        _pbdr(title, bottom=_border("bottom", layout.ACCENT, 8, 4))
        title.paragraph_format.keep_with_next = True
        # Outline level 1, as the heading it stands for: it stays in Word's navigation pane.
        _put(_ppr(title), _el("w:outlineLvl", val="0"), _PPR_ORDER)

        for level, size in m.heading_pt.items():
            heading = existing(f"Heading {level}")
            _font(heading, size=size, color=accent, bold=True)
            heading.font.italic = None
            before = {1: 18, 2: 14, 3: 10}.get(level, 10)
            _spacing(heading, before=before, after=4, leading=1.15)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.keep_together = True

        quote = existing("Quote")
        _font(quote, size=m.quote_pt, color=ink)
        quote.font.italic = None
        quote.font.bold = None
        _spacing(quote, before=6, after=0, leading=layout.BODY_LEADING)
        quote.paragraph_format.left_indent = Pt(_QUOTE_INDENT_PT)
        quote.paragraph_format.right_indent = Pt(_QUOTE_INDENT_PT)
        quote.paragraph_format.keep_with_next = True  # a quote stays with its citation
        _pbdr(quote, left=_border("left", layout.QUOTE_RULE, 18, 10))

        citation = new("Citation")
        _font(citation, size=m.small_pt, color=ink)
        _spacing(citation, before=2, after=10, leading=1.2)
        # Under the quote's text, as in the PDF.
        citation.paragraph_format.left_indent = Pt(_QUOTE_INDENT_PT)
        citation.paragraph_format.right_indent = Pt(_QUOTE_INDENT_PT)
        citation.next_paragraph_style = normal

        notes: tuple[tuple[str, str | None, str, bool], ...] = (
            # A content note stays with the excerpt after it; the cover's summary note need not.
            ("Content Note", layout.NOTE_FILL, layout.NOTE_RULE, True),
            ("Summary Note", layout.NOTE_FILL, layout.NOTE_RULE, False),
            ("Teacher Note", layout.TEACHER_FILL, layout.ACCENT, False),
            ("Support", layout.TEACHER_FILL, layout.RULE_GREY, False),
            ("Info", None, layout.RULE_GREY, False),
        )
        pad = round(m.space(_NOTE_PAD_PT))
        for name, fill, rule, keep in notes:
            note = new(name)
            _spacing(note, before=0, after=4, leading=layout.BODY_LEADING)
            note.paragraph_format.left_indent = Pt(_NOTE_INDENT_PT)
            note.paragraph_format.right_indent = Pt(pad)
            note.paragraph_format.keep_with_next = keep
            sides = {"left": _border("left", rule, 24, pad + 4)}
            if fill is not None:
                # Borders in the fill colour pad the shaded box on the other three sides.
                for side in ("top", "bottom", "right"):
                    sides[side] = _border(side, fill, 4, pad)
                _pbdr(note, **sides)
                _put(_ppr(note), _shading(fill), _PPR_ORDER)
            else:
                _pbdr(note, **sides)

        lead = new("Lead")
        _font(lead, size=m.lead_pt, color=ink)
        _spacing(lead, before=0, after=8, leading=layout.BODY_LEADING)
        lead.next_paragraph_style = normal

        small = new("Small")
        _font(small, size=m.small_pt, color=ink)
        _spacing(small, before=0, after=4, leading=1.25)

        label = new("Label")
        _font(label, size=m.small_pt, color=accent, bold=True)
        _spacing(label, before=6, after=2, leading=1.2)
        label.paragraph_format.keep_with_next = True
        label.next_paragraph_style = normal

        for name in ("List Bullet", "List Number"):
            listed = existing(name)
            _spacing(listed, before=0, after=6, leading=layout.BODY_LEADING)

        table_text = new("Table Text")
        _spacing(table_text, before=0, after=0, leading=1.2)
        if m.table_pt is not None:
            _font(table_text, size=m.table_pt, color=ink)
        table_heading = new("Table Heading", base="Table Text")
        table_heading.font.bold = True
        table_heading.paragraph_format.keep_with_next = True

        writing = new("Writing Line")
        _spacing(writing, before=0, after=0, leading=None)
        writing.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        writing.paragraph_format.line_spacing = Pt(m.writing_line_pt)
        line = _border("bottom", layout.RULE_GREY, 4, 1)
        _pbdr(writing, bottom=line, between=_border("between", layout.RULE_GREY, 4, 1))

        field = new("Field")
        _spacing(field, before=6, after=6, leading=None)
        field.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        field.paragraph_format.line_spacing = Pt(m.writing_line_pt)
        field.paragraph_format.tab_stops.add_tab_stop(
            Mm(self.text_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )

        for name in ("Header", "Footer"):
            furniture = existing(name)
            _font(furniture, size=m.small_pt, color=ink)
            _spacing(furniture, before=0, after=0, leading=1.0)
            _put(_ppr(furniture), _el("w:tabs"), _PPR_ORDER)
            tabs = furniture.paragraph_format.tab_stops
            tabs.add_tab_stop(Mm(self.text_width_mm / 2), WD_TAB_ALIGNMENT.CENTER)
            tabs.add_tab_stop(Mm(self.text_width_mm), WD_TAB_ALIGNMENT.RIGHT)
        # As in the PDF: a rule under the header, the page number at the right.
        _pbdr(self.named["Header"], bottom=_border("bottom", layout.RULE_GREY, 4, 3))
        self.named["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

        table_grid = styles["Table Grid"]
        self.table_grid_id = table_grid.style_id
        tbl_pr = table_grid.element.find(qn("w:tblPr"))
        grid = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            grid.append(_border(side, layout.RULE_GREY, 4, 0))
        _put(tbl_pr, grid, _TBLPR_ORDER)
        margins = _el("w:tblCellMar")
        cell_pad = round(m.space(50))
        side_pad = _CELL_MARGIN_PT * 20
        for side, width in (("top", cell_pad), ("left", side_pad), ("bottom", cell_pad), ("right", side_pad)):
            margins.append(_el(f"w:{side}", w=str(width), type="dxa"))
        _put(tbl_pr, margins, _TBLPR_ORDER)

        if not m.italic:
            # Large print: no italic (nor underlined, nor capitals) style, ours or the template's.
            for tag in _NOT_LARGE_PRINT:
                for element in list(root.iter(qn(tag))):
                    element.getparent().remove(element)

    def settings(self, lang: str) -> None:
        settings = self.doc.settings.element
        for tag in ("w:proofState", "w:savePreviewPicture"):
            for old in settings.findall(qn(tag)):
                settings.remove(old)
        # Word 2013 compatibility: table borders line up with the text margin.
        for compat in settings.iter(qn("w:compatSetting")):
            if compat.get(qn("w:name")) == "compatibilityMode":
                compat.set(qn("w:val"), "15")
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            for attr in list(theme_lang.attrib):
                del theme_lang.attrib[attr]
            theme_lang.set(qn("w:val"), lang)


class _Writer:
    """Holds one python-docx document (loaded from its _Template) and its numbering, and adds blocks."""

    def __init__(self, doc: WordDocument, document: Document, template: _Template) -> None:
        self.doc = doc
        self.body = doc._body
        self.m = layout.metrics(document.large_print)
        self.text_width_mm = layout.text_width_mm(document.paper, self.m)
        self.text_width_twips = _twips(self.text_width_mm)
        self.style_ids = template.style_ids
        self.table_grid_id = template.table_grid_id
        self.after_table = False
        self.section = doc.sections[0]
        self._setup_header_footer(document.header, document.page_label)
        numbering = doc.part.numbering_part.element
        self.numbering = numbering
        self.list_number_abstract_id = numbering.num_having_numId(template.list_number_num_id).abstractNumId.val

    def _setup_header_footer(self, header_text: str, page_label: str) -> None:
        header = self.section.header
        header.is_linked_to_previous = False
        head = header.paragraphs[0]
        head._p.get_or_add_pPr().style = self.style_ids["Header"]
        head.add_run(_clean(header_text))

        footer = self.section.footer
        footer.is_linked_to_previous = False
        foot = footer.paragraphs[0]
        foot._p.get_or_add_pPr().style = self.style_ids["Footer"]
        # "Page {page} of {pages}": the placeholders become PAGE and NUMPAGES fields.
        for piece in _PAGE_PLACEHOLDER.split(_clean(page_label)):
            if piece in _PAGE_FIELDS:
                _add_field(foot, _PAGE_FIELDS[piece], "1")
            elif piece:
                foot.add_run(piece)

    # -- paragraphs ----------------------------------------------------------------------

    def paragraph(self, style: str) -> WordParagraph:
        """A new empty paragraph in `style` at the end of the body."""
        p = self.body.add_paragraph()
        if style != "Normal":
            _set_style(p._p, self.style_ids[style])
        if self.after_table:
            # Tables carry no spacing of their own: the next paragraph keeps its distance.
            p.paragraph_format.space_before = Pt(self.m.space(_AFTER_TABLE_PT))
            self.after_table = False
        return p

    def spans(self, p: WordParagraph, spans: Iterable[Span]) -> None:
        for span in spans:
            text = _clean(span.text)
            if not text:
                continue
            run = _add_run(p, text)
            if span.bold:
                run.bold = True
            if span.italic and self.m.italic:
                run.italic = True

    def text(self, style: str, text: str, *, bold: bool = False) -> WordParagraph:
        p = self.paragraph(style)
        self.spans(p, (Span(text, bold=bold),))
        return p

    # -- blocks --------------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.text("Title", text)

    def block(self, block: Block) -> list[WordParagraph]:
        """Add `block` to the body; returns every paragraph it made (table cells included)."""
        match block:
            case Heading(level=level, text=text):
                return [self.text(f"Heading {level}", text)]
            case Paragraph(spans=spans, style=style):
                p = self.paragraph(_PARAGRAPH_STYLE[style])
                self.spans(p, spans)
                return [p]
            case Quote(paragraphs=paragraphs, citation=citation):
                quoted = [self.text("Quote", text) for text in paragraphs]
                if _clean(citation).strip():
                    quoted.append(self.text("Citation", citation))
                return quoted
            case Callout(kind=kind, title=title, paragraphs=paragraphs):
                return self.callout(_CALLOUT_STYLE[kind], title, paragraphs)
            case ListBlock(items=items, numbered=numbered, start=start):
                return self.list_block(items, numbered, start)
            case Table(rows=rows, widths=widths, header=header):
                return self.table(rows, widths, header)
            case WritingSpace(lines=lines):
                ruled = [self.paragraph("Writing Line") for _ in range(max(lines, 0))]
                _keep_together(ruled)
                return ruled
            case Fields(labels=labels):
                return [self.field(label) for label in labels]
            case KeepTogether(blocks=blocks):
                kept = [p for inner in blocks for p in self.block(inner)]
                _keep_together(kept)
                return kept
            case PageBreak():
                p = self.paragraph("Normal")
                p.add_run().add_break(WD_BREAK.PAGE)
                return [p]
            case _ as unreachable:
                assert_never(unreachable)

    def field(self, label: str) -> WordParagraph:
        """`Label:` then a tab to the right margin, drawn as a line to write on."""
        p = self.paragraph("Field")
        text = _clean(label).rstrip()
        p.add_run(text if text.endswith(":") or not text else f"{text}:")
        p.add_run("\t")
        return p

    def callout(self, style: str, title: str, paragraphs: tuple[tuple[Span, ...], ...]) -> list[WordParagraph]:
        made: list[WordParagraph] = []
        if _clean(title).strip():
            made.append(self.text(style, title, bold=True))
        for spans in paragraphs:
            p = self.paragraph(style)
            self.spans(p, spans)
            made.append(p)
        for p in made[:-1]:
            _switch_on(p, "w:keepNext")
        if made:
            # Space outside the box: above its first paragraph and below its last.
            made[0].paragraph_format.space_before = Pt(self.m.space(_NOTE_OUTSIDE_PT))
            made[-1].paragraph_format.space_after = Pt(self.m.space(_NOTE_OUTSIDE_PT))
        return made

    def list_block(self, items: tuple[tuple[Span, ...], ...], numbered: bool, start: int) -> list[WordParagraph]:
        if not numbered:
            return [self._item("List Bullet", spans, None) for spans in items]
        if not items:
            return []
        # A fresh numbering instance per list, so each list counts from its own start.
        num = self.numbering.add_num(self.list_number_abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(max(start, 0))
        num_id = str(num.numId)
        return [self._item("List Number", spans, num_id) for spans in items]

    def _item(self, style: str, spans: tuple[Span, ...], num_id: str | None) -> WordParagraph:
        p = self.paragraph(style)
        if num_id is not None:
            num_pr = _el("w:numPr")
            num_pr.append(_el("w:ilvl", val="0"))
            num_pr.append(_el("w:numId", val=num_id))
            _put(p._p.get_or_add_pPr(), num_pr, _PPR_ORDER)
        self.spans(p, spans)
        return p

    def table(self, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...], header: bool) -> list[WordParagraph]:
        n_cols = max([len(widths), *(len(row) for row in rows)])
        if not rows or n_cols == 0:
            return []
        # Each column holds its longest word.
        size = self.m.table_pt or self.m.body_pt
        minimums = [
            max(
                (_least_twips(row[c], size, header and r == 0) for r, row in enumerate(rows) if c < len(row)),
                default=0,
            )
            for c in range(n_cols)
        ]
        column_twips = _column_widths(widths, n_cols, self.text_width_twips, minimums)
        if self.after_table:
            # Word joins tables that touch into one; a paragraph keeps them apart.
            self.paragraph("Normal")
        table = self.body.add_table(len(rows), n_cols, Mm(self.text_width_mm))
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        tbl_pr.style = self.table_grid_id
        table.autofit = False
        _put(tbl_pr, _el("w:tblW", w=str(sum(column_twips)), type="dxa"), _TBLPR_ORDER)
        for col, twips in zip(tbl.tblGrid.findall(qn("w:gridCol")), column_twips, strict=True):
            col.set(qn("w:w"), str(twips))
        made: list[WordParagraph] = []
        for r, (row, cells) in enumerate(zip(rows, tbl.tr_lst, strict=True)):
            is_header = header and r == 0
            tr_pr = cells.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))
            if is_header:
                tr_pr.append(_el("w:tblHeader"))
            for c, tc in enumerate(cells.tc_lst):
                tc_pr = tc.get_or_add_tcPr()
                _put(tc_pr, _el("w:tcW", w=str(column_twips[c]), type="dxa"), _TCPR_ORDER)
                if is_header:
                    _put(tc_pr, _shading(layout.TABLE_HEADER_FILL), _TCPR_ORDER)
                p_el = tc.p_lst[0]
                p = WordParagraph(p_el, table)
                _set_style(p_el, self.style_ids["Table Heading" if is_header else "Table Text"])
                text = _clean(row[c]) if c < len(row) else ""
                if text:
                    run = _add_run(p, text)
                    if is_header:
                        run.bold = True
                made.append(p)
        self.after_table = True
        return made

    def finish(self) -> None:
        """Word expects the body to end with a paragraph, not a table."""
        if self.after_table:
            self.paragraph("Normal")


def _keep_together(paragraphs: list[WordParagraph]) -> None:
    for p in paragraphs:
        _switch_on(p, "w:keepLines")
    for p in paragraphs[:-1]:
        _switch_on(p, "w:keepNext")


# Faster ways to the XML python-docx writes for the commonest steps (its generic element
# insertion looks for each of up to 35 possible successors by name, every time).


def _set_style(p: Element, style_id: str) -> None:
    """`p`'s paragraph style, as `p.get_or_add_pPr().style = style_id` sets it."""
    ppr = p.pPr
    if ppr is None:
        ppr = _el("w:pPr")
        p.insert(0, ppr)
    _put(ppr, _el("w:pStyle", val=style_id), _PPR_ORDER)


def _switch_on(p: WordParagraph, tag: str) -> None:
    """An on/off paragraph property (w:keepNext, w:keepLines) set to on, as python-docx writes it."""
    _put(p._p.get_or_add_pPr(), _el(tag), _PPR_ORDER)


def _add_run(p: WordParagraph, text: str) -> Run:
    """`p.add_run(text)`; text without tabs or line breaks goes straight into one w:t."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return p.add_run(text)
    r = p._p.add_r()
    r.add_t(text)
    return Run(r, p)


def _least_twips(text: str, size: float, bold: bool) -> int:
    """The narrowest column that holds the longest word of `text` and the cells' margins. The
    width is estimated: Word or LibreOffice may set the text in a wider font than ours."""
    return round(20 * (2 * _CELL_MARGIN_PT + 1 + layout.widest_word_estimate(_clean(text), size, bold)))


def _column_widths(widths: tuple[float, ...], n_cols: int, total: int, minimums: list[int]) -> list[int]:
    """Twips per column, proportional to `widths` (bad or missing weights count as average) but
    never under a column's minimum while the minimums fit."""
    good = [w for w in widths[:n_cols] if math.isfinite(w) and w > 0]
    average = sum(good) / len(good) if good else 1.0
    weights = [
        widths[i] if i < len(widths) and math.isfinite(widths[i]) and widths[i] > 0 else average for i in range(n_cols)
    ]
    out = [max(1, round(w)) for w in layout.fit_columns(weights, minimums, total)[:-1]]
    out.append(max(1, total - sum(out)))
    return out


def _add_field(p: WordParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) in paragraph `p`."""
    begin = p.add_run()
    begin._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = p.add_run()
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = f" {instruction} "
    instr._r.append(instr_text)
    separate = p.add_run()
    separate._r.append(_el("w:fldChar", fldCharType="separate"))
    p.add_run(placeholder)
    end = p.add_run()
    end._r.append(_el("w:fldChar", fldCharType="end"))


# ---------------------------------------------------------------------------------------
# Style helpers


def _paragraph_style(style: BaseStyle) -> WordStyle:
    if not isinstance(style, WordStyle):
        raise TypeError(f"{style.name} is not a paragraph style")
    return style


def _ppr(style: WordStyle) -> Element:
    return style.element.get_or_add_pPr()


def _font(style: WordStyle, *, size: float, color: RGBColor, bold: bool | None = None) -> None:
    style.font.size = Pt(size)
    style.font.color.rgb = color
    if bold is not None:
        style.font.bold = bold


def _set_spacing(style: WordStyle, *, before: float, after: float, leading: float | None) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if leading is not None:
        fmt.line_spacing = leading


def _pbdr(style: WordStyle, **sides: Element) -> None:
    pbdr = _el("w:pBdr")
    for side in ("top", "left", "bottom", "right", "between"):
        if side in sides:
            pbdr.append(sides[side])
    _put(_ppr(style), pbdr, _PPR_ORDER)


# ---------------------------------------------------------------------------------------
# Package: properties, leftovers of python-docx's template, the zip itself


def _source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is unset or not a usable number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


def _set_core_properties(doc: WordDocument, document: Document) -> None:
    props = doc.core_properties
    props.title = _clean(document.title)
    props.subject = _clean(document.subject)
    props.author = _clean(document.author)
    props.last_modified_by = _clean(document.author)
    props.keywords = _clean(", ".join(document.keywords))
    props.language = _clean(document.lang)
    props.comments = ""
    props.category = ""
    props.revision = 1
    when = _source_date()
    if when is not None:
        props.created = when
        props.modified = when
    else:
        element = props._element
        for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
            for old in element.findall(qn(tag)):
                element.remove(old)


def _drop_template_leftovers(doc: WordDocument) -> None:
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


def _app_xml() -> bytes:
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


def _entries(doc: WordDocument) -> dict[str, bytes]:
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


def _normalise_zip(entries: dict[str, bytes], replace: dict[str, bytes]) -> bytes:
    """Zip `entries` with a fixed entry order, fixed timestamps and fixed attributes."""
    entries = {**entries, **replace}
    first = ("[Content_Types].xml", "_rels/.rels")
    names = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.create_system = 0
            info.create_version = 20
            info.extract_version = 20
            info.external_attr = 0
            target.writestr(info, entries[name], zipfile.ZIP_DEFLATED, 6)
    return out.getvalue()
