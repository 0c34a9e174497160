"""The styles, page and settings of a DOCX, set up once per kind of document (variant, language,
paper) and kept as a template package that each document is loaded from."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, StyleFactory
from docx.styles.style import ParagraphStyle as WordStyle

from ...model import PAPER, Paper
from .. import layout
from ..fonts import main_fonts
from . import fonts
from .xml import PPR_ORDER, TBLPR_ORDER, Element, border, el, put, shading

# The PDF's geometry (writers/pdf/), in points of the standard variant, copied so that the DOCX
# paginates as the PDF does: gaps grow with Metrics.space, indents that hold text with
# Metrics.scaled. Word (ECMA-376 17.3.1.33), LibreOffice and reportlab all keep the larger of a
# paragraph's space after and the next one's space before; reportlab's spacers, above and below
# its boxes, add to it instead (body.Writer.paragraph).
# The gaps between blocks below (and the headings') are large print's in both variants
# (layout.WIDE), as they were: the standard PDF's are tighter (layout.TIGHT), but LibreOffice keeps
# a paragraph with the next one only one paragraph deep, not a whole chain (an extract's intro,
# note, text and citation; a heading with an activity's steps), so wherever a DOCX's pages break
# anew it may leave a heading at a page's foot or an intro apart from its extract. These gaps keep
# the pages that were checked until the DOCX keeps its groups together another way.
FRAME_PAD_PT = 6.0  # the PDF's text keeps this far inside the page margins on every side (reportlab's frame)
BODY_AFTER_PT = 6  # under a paragraph
BOX_ABOVE_PT = 4  # the spacer above an excerpt or a note
QUOTE_BELOW_PT = 8  # the spacer under an excerpt
NOTE_BELOW_PT = 6  # the spacer under a note
QUOTE_INDENT_PT = 12.0  # an excerpt's text, right of its rule
QUOTE_RIGHT_PT = 6.0
QUOTE_PAD_PT = 2  # above and below each paragraph of an excerpt and its citation
CITATION_INDENT_PT = 26.0
NOTE_INDENT_PT = 10.0  # a note's text, right of its rule
NOTE_RIGHT_PT = 8.0
NOTE_PAD_PT = 3  # above and below each paragraph of a note
AFTER_TABLE_PT = BODY_AFTER_PT
CELL_MARGIN_PT = 6  # left and right, inside each table cell
CELL_PAD_PT = 3  # above and below
LIST_INDENT_PT = 18.0  # an item's text
QUIZ_LETTER_PT = 19.0  # a quiz choice's letter, after its tick box (the PDF's box column)
QUIZ_TEXT_PT = 39.0  # and its text
BULLET_INDENT_PT = 4.0  # its number or bullet
FIELD_ROW_PT = 24.0  # a Name/Class/Date line
FIELDS_ABOVE_PT = 6
FIELDS_BELOW_PT = 10
WRITING_BELOW_PT = 6  # the spacer under ruled lines (after 4 pt that do not grow in large print)
RULE_PT = 1.5  # a writing line's rule and its 1 pt gap: the paragraph is this much less than the pitch
FURNITURE_INK = RGBColor.from_string("555555")  # header and footer
CITATION_INK = RGBColor.from_string("444444")
# Run properties a large-print document never has, in any style: italic, underline, capitals.
NOT_LARGE_PRINT = ("w:i", "w:iCs", "w:u", "w:caps", "w:smallCaps")
INK = RGBColor.from_string(layout.INK)
ACCENT = RGBColor.from_string(layout.ACCENT)


@dataclass(frozen=True)
class Template:
    """python-docx's default template with the page, styles and settings of one kind of
    document (variant, language, paper) applied. Setting up the styles costs more than writing
    a pack's text, so it is done once per kind and process; each document loads the result."""

    package: bytes
    style_ids: dict[str, str]
    table_grid_id: str
    list_number_num_id: int
    space_before: dict[str, float]  # points above and under a paragraph of each style, by name
    space_after: dict[str, float]


_TEMPLATES: dict[tuple[bool, str, Paper], Template] = {}


def template(large_print: bool, lang: str, paper: Paper) -> Template:
    key = (large_print, lang, paper)
    if key not in _TEMPLATES:
        setup = _Setup(docx.Document(), layout.docx_metrics(large_print), paper)
        setup.page()
        setup.styles(lang)
        setup.settings(lang)
        fonts.embed(setup.doc, layout.FONT_FAMILY, main_fonts())
        num_id = setup.named["List Number"].element.pPr.numPr.numId.val
        raw = io.BytesIO()
        setup.doc.save(raw)
        _TEMPLATES[key] = Template(
            raw.getvalue(), dict(setup.style_ids), setup.table_grid_id, num_id, setup.space_before, setup.space_after
        )
    return _TEMPLATES[key]


class _Setup:
    """Sets up a fresh python-docx document's page, styles and settings (see Template)."""

    def __init__(self, doc: WordDocument, m: layout.Metrics, paper: Paper) -> None:
        self.doc = doc
        self.m = m
        self.paper = paper
        self.text_width_mm = text_width_mm(paper, m)
        self.font_line = fonts.line_height(main_fonts().regular)  # single line spacing, in ems
        self.section = doc.sections[0]
        self.named: dict[str, WordStyle] = {}
        self.style_ids: dict[str, str] = {}
        self.space_before: dict[str, float] = {}
        self.space_after: dict[str, float] = {}
        self.table_grid_id = ""

    def page(self) -> None:
        section, m, page = self.section, self.m, PAPER[self.paper]
        section.page_width = Mm(page.width_mm)
        section.page_height = Mm(page.height_mm)
        pad = Pt(FRAME_PAD_PT)
        section.top_margin = Length(Mm(m.margin_top_mm) + pad)
        section.bottom_margin = Length(Mm(m.margin_bottom_mm) + pad)
        section.left_margin = Length(Mm(m.margin_left_mm) + pad)
        section.right_margin = Length(Mm(m.margin_right_mm) + pad)
        section.header_distance = Mm(m.header_distance_mm)
        section.footer_distance = Mm(m.footer_distance_mm)
        section.gutter = 0

    def styles(self, lang: str) -> None:
        """Every style the body uses, in the order Word lists them (the order is kept: it is in the bytes)."""
        self.defaults(lang)
        self.text_styles()
        self.quote_styles()
        self.note_styles()
        self.small_styles()
        self.table_styles()
        self.writing_styles()
        self.furniture()
        self.table_grid()
        if not self.m.italic:
            # Large print: no italic (nor underlined, nor capitals) style, ours or the template's.
            root = self.doc.styles.element
            for tag in NOT_LARGE_PRINT:
                for element in list(root.iter(qn(tag))):
                    element.getparent().remove(element)

    # -- helpers -------------------------------------------------------------------------

    def spacing(self, style: WordStyle, *, before: float, after: float, leading: float | None) -> None:
        """Spacing given in the standard variant's points and line multiple, for this variant.

        `leading` is a multiple of the font size, as reportlab's; Word and LibreOffice multiply
        the font's own line height (1.24 em for Atkinson Hyperlegible) by an 'auto' multiple."""
        m = self.m
        multiple = None if leading is None else m.spacing(leading) / self.font_line
        set_spacing(style, before=m.space(before), after=m.space(after), leading=multiple)
        self.space_before[style.name] = m.space(before)
        self.space_after[style.name] = m.space(after)

    def list_indent(self, style: WordStyle) -> None:
        """The first level of a list style's numbering as the PDF sets a list: the text at
        LIST_INDENT_PT, the number or bullet (•) at BULLET_INDENT_PT (both grow with the text)."""
        numbering = self.doc.part.numbering_part.element
        abstract_id = numbering.num_having_numId(style.element.pPr.numPr.numId.val).abstractNumId.val
        [level] = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']")
        level_ppr = level.find(qn("w:pPr"))
        left = round(self.m.scaled(LIST_INDENT_PT) * 20)
        hanging = left - round(self.m.scaled(BULLET_INDENT_PT) * 20)
        tabs = el("w:tabs")
        tabs.append(el("w:tab", val="num", pos=str(left)))
        put(level_ppr, tabs, PPR_ORDER)
        put(level_ppr, el("w:ind", left=str(left), hanging=str(hanging)), PPR_ORDER)
        if level.find(qn("w:numFmt")).get(qn("w:val")) == "bullet":
            # The PDF's bullet, in the embedded font (the template's is U+F0B7 of Symbol, a font
            # LibreOffice stands OpenSymbol in for).
            level.find(qn("w:lvlText")).set(qn("w:val"), "\u2022")
            for rpr in level.findall(qn("w:rPr")):
                level.remove(rpr)
            level.append(el("w:rPr"))
            level[-1].append(el("w:rFonts", ascii=layout.FONT_FAMILY, hAnsi=layout.FONT_FAMILY, cs=layout.FONT_FAMILY))

    def existing(self, name: str) -> WordStyle:
        """One of the template's own styles."""
        style = paragraph_style(self.doc.styles[name])
        self.named[name] = style
        self.style_ids[name] = style.style_id
        return style

    def new(self, name: str, base: str = "Normal") -> WordStyle:
        """A paragraph style of ours, based on `base`."""
        # The template has none of these names (a test checks), so skip python-docx's check for a
        # duplicate, which reads every style in the template.
        added = self.doc.styles.element.add_style_of_type(name, WD_STYLE_TYPE.PARAGRAPH, False)
        style = paragraph_style(StyleFactory(added))
        style.base_style = self.named[base]
        style.quick_style = True
        self.named[name] = style
        self.style_ids[name] = style.style_id
        return style

    # -- the styles ----------------------------------------------------------------------

    def defaults(self, lang: str) -> None:
        """Document defaults: the font, size and language of every run, no theme fonts."""
        root = self.doc.styles.element
        rpr_default = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for lang_el in rpr_default.findall(qn("w:lang")):
            rpr_default.remove(lang_el)
        rpr_default.append(el("w:lang", val=lang, eastAsia=lang, bidi="ar-SA"))
        # Theme fonts would override the named family in Word: name it everywhere instead.
        theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
        for r_fonts in root.iter(qn("w:rFonts")):
            if any(r_fonts.get(a) is not None for a in theme_attrs):
                for a in theme_attrs:
                    r_fonts.attrib.pop(a, None)
                for a in ("ascii", "hAnsi", "eastAsia", "cs"):
                    r_fonts.set(qn(f"w:{a}"), layout.FONT_FAMILY)
        ppr_default = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        put(ppr_default, el("w:spacing", after="0", line="240", lineRule="auto"), PPR_ORDER)

    def text_styles(self) -> None:
        """Normal, Title and the headings."""
        m = self.m
        normal = self.existing("Normal")
        font(normal, size=m.body_pt, color=INK)
        normal.font.name = layout.FONT_FAMILY
        self.spacing(normal, before=0, after=6, leading=layout.BODY_LEADING)
        normal.paragraph_format.widow_control = True

        title = self.existing("Title")
        font(title, size=m.title_pt, color=ACCENT, bold=True)
        title.font.italic = None
        self.spacing(title, before=0, after=BODY_AFTER_PT, leading=1.2)
        for rule in ppr(title).findall(qn("w:pBdr")):  # the template's rule under it: the PDF has none
            ppr(title).remove(rule)
        title.paragraph_format.keep_with_next = True
        # Outline level 1, as the heading it stands for: it stays in Word's navigation pane.
        put(ppr(title), el("w:outlineLvl", val="0"), PPR_ORDER)

        for level, size in m.heading_pt.items():
            heading = self.existing(f"Heading {level}")
            font(heading, size=size, color=ACCENT, bold=True)
            heading.font.italic = None
            wide = layout.WIDE
            self.spacing(heading, before=wide.heading_before[level], after=wide.heading_after, leading=1.25)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.keep_together = True

    def quote_styles(self) -> None:
        """An excerpt, ruled at its left, and its citation under it."""
        m = self.m
        quote = self.existing("Quote")
        font(quote, size=m.quote_pt, color=INK)
        quote.font.italic = None
        quote.font.bold = None
        self.spacing(quote, before=2 * QUOTE_PAD_PT, after=0, leading=layout.BODY_LEADING)
        quote.paragraph_format.left_indent = Pt(QUOTE_INDENT_PT)
        quote.paragraph_format.right_indent = Pt(QUOTE_RIGHT_PT)
        quote.paragraph_format.keep_with_next = True  # a quote stays with its citation
        # A 2.5 pt rule at the text's left margin, as in the PDF.
        pbdr(quote, left=border("left", layout.QUOTE_RULE, 20, round(QUOTE_INDENT_PT - 2.5)))

        citation = self.new("Citation")
        font(citation, size=m.small_pt, color=CITATION_INK)
        # Below the excerpt and further in than its text, as in the PDF.
        self.spacing(citation, before=2 * QUOTE_PAD_PT, after=QUOTE_PAD_PT + QUOTE_BELOW_PT, leading=1.3)
        citation.paragraph_format.left_indent = Pt(CITATION_INDENT_PT)
        citation.paragraph_format.right_indent = Pt(QUOTE_RIGHT_PT)
        citation.next_paragraph_style = self.named["Normal"]

    def note_styles(self) -> None:
        """The boxed notes: shaded, with a coloured rule at the left."""
        notes: tuple[tuple[str, str, str, bool], ...] = (
            # A content note stays with the excerpt after it; the cover's summary note need not.
            ("Content Note", layout.NOTE_FILL, layout.NOTE_RULE, True),
            ("Summary Note", layout.NOTE_FILL, layout.NOTE_RULE, False),
            ("Teacher Note", layout.TEACHER_FILL, layout.ACCENT, False),
            ("Key Info", layout.KEY_FILL, layout.KEY_RULE, False),
        )
        pad = round(self.m.space(NOTE_PAD_PT))
        left, right = round(self.m.scaled(NOTE_INDENT_PT)), round(self.m.scaled(NOTE_RIGHT_PT))
        for name, fill, rule, keep in notes:
            note = self.new(name)
            self.spacing(note, before=0, after=2 * NOTE_PAD_PT, leading=layout.BODY_LEADING)
            note.paragraph_format.left_indent = Pt(left)
            note.paragraph_format.right_indent = Pt(right)
            note.paragraph_format.keep_with_next = keep
            # A 3 pt rule at the text's left margin; borders in the fill colour pad the shaded box
            # on the other three sides (Word's border spaces are whole points).
            sides = {"left": border("left", rule, 24, left - 3)}
            sides |= {"top": border("top", fill, 4, pad), "bottom": border("bottom", fill, 4, pad)}
            sides["right"] = border("right", fill, 4, right)
            pbdr(note, **sides)
            put(ppr(note), shading(fill), PPR_ORDER)

    def small_styles(self) -> None:
        """The cover's lead and label, small print, and lists."""
        m = self.m
        normal = self.named["Normal"]
        lead = self.new("Lead")
        font(lead, size=m.lead_pt, color=INK)
        self.spacing(lead, before=0, after=8, leading=17 / 13)
        lead.next_paragraph_style = normal

        small = self.new("Small")
        font(small, size=m.small_pt, color=INK)
        self.spacing(small, before=0, after=BODY_AFTER_PT, leading=1.3)

        label = self.new("Label")
        font(label, size=m.body_pt, color=ACCENT, bold=True)
        self.spacing(label, before=0, after=4, leading=layout.BODY_LEADING)
        label.paragraph_format.keep_with_next = True
        label.next_paragraph_style = normal

        question = self.new("Quiz Question")
        self.spacing(question, before=0, after=3, leading=layout.BODY_LEADING)
        question.paragraph_format.keep_with_next = True
        # A quiz's choices: a tick box and a letter hanging before the text (as the PDF's columns).
        choice = self.new("Quiz Choice")
        self.spacing(choice, before=layout.QUIZ_CHOICE_GAP_PT, after=0, leading=layout.BODY_LEADING)
        text_at, letter_at = round(self.m.scaled(QUIZ_TEXT_PT) * 20), round(self.m.scaled(QUIZ_LETTER_PT) * 20)
        tabs = el("w:tabs")
        for at in (letter_at, text_at):
            tabs.append(el("w:tab", val="left", pos=str(at)))
        put(ppr(choice), tabs, PPR_ORDER)
        put(ppr(choice), el("w:ind", left=str(text_at), hanging=str(text_at)), PPR_ORDER)

        for name in ("List Bullet", "List Number"):
            listed = self.existing(name)
            self.spacing(listed, before=0, after=3, leading=layout.BODY_LEADING)
            # Every item keeps its gap (the template's contextual spacing drops it between items).
            for old in ppr(listed).findall(qn("w:contextualSpacing")):
                ppr(listed).remove(old)
            self.list_indent(listed)

    def table_styles(self) -> None:
        """Text in table cells, and the header row's."""
        table_text = self.new("Table Text")
        self.spacing(table_text, before=0, after=0, leading=1.3)
        if self.m.table_pt is not None:
            font(table_text, size=self.m.table_pt, color=INK)
        table_heading = self.new("Table Heading", base="Table Text")
        table_heading.font.bold = True
        table_heading.paragraph_format.keep_with_next = True

    def writing_styles(self) -> None:
        """Ruled lines to write on, and the cover's Name/Class/Date fields."""
        m = self.m
        # Each line is a tab to the right margin drawn as a rule (a leader), like the cover's fields.
        # Paragraph borders would draw it too, but LibreOffice then breaks keep-with-next chains
        # (an extract kept with its first question and that question's lines) in the wrong place.
        writing = self.new("Writing Line")
        self.spacing(writing, before=0, after=0, leading=None)
        writing.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        writing.paragraph_format.line_spacing = Pt(m.writing_line_pt)
        writing.paragraph_format.tab_stops.add_tab_stop(
            Mm(self.text_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )

        field = self.new("Field")
        self.spacing(field, before=0, after=0, leading=None)
        field.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        field.paragraph_format.line_spacing = Pt(m.scaled(FIELD_ROW_PT))
        field.paragraph_format.tab_stops.add_tab_stop(
            Mm(self.text_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )

    def furniture(self) -> None:
        """Header and footer: small text; as in the PDF, a rule under the header, the page number at the right."""
        for name in ("Header", "Footer"):
            style = self.existing(name)
            font(style, size=self.m.small_pt, color=FURNITURE_INK)
            self.spacing(style, before=0, after=0, leading=1.3)
            # At the page margins, as the PDF draws them, not at the text's (FRAME_PAD_PT inside).
            style.paragraph_format.left_indent = Pt(-FRAME_PAD_PT)
            style.paragraph_format.right_indent = Pt(-FRAME_PAD_PT)
            put(ppr(style), el("w:tabs"), PPR_ORDER)
            tabs = style.paragraph_format.tab_stops
            tabs.add_tab_stop(Mm(self.text_width_mm / 2), WD_TAB_ALIGNMENT.CENTER)
            tabs.add_tab_stop(Length(Mm(self.text_width_mm) + Pt(FRAME_PAD_PT)), WD_TAB_ALIGNMENT.RIGHT)
        pbdr(self.named["Header"], bottom=border("bottom", layout.RULE_GREY, 4, 3))
        self.named["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def table_grid(self) -> None:
        """The table style every table uses: grey rules, padded cells."""
        table_grid = self.doc.styles["Table Grid"]
        self.table_grid_id = table_grid.style_id
        tbl_pr = table_grid.element.find(qn("w:tblPr"))
        grid = el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            grid.append(border(side, layout.RULE_GREY, 4, 0))
        put(tbl_pr, grid, TBLPR_ORDER)
        margins = el("w:tblCellMar")
        cell_pad = round(self.m.space(CELL_PAD_PT) * 20)
        side_pad = CELL_MARGIN_PT * 20
        for side, width in (("top", cell_pad), ("left", side_pad), ("bottom", cell_pad), ("right", side_pad)):
            margins.append(el(f"w:{side}", w=str(width), type="dxa"))
        put(tbl_pr, margins, TBLPR_ORDER)

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


# ---------------------------------------------------------------------------------------
# Style helpers


def text_width_mm(paper: Paper, m: layout.Metrics) -> float:
    """The width of the text: between the margins, less the PDF's frame padding on either side."""
    return layout.text_width_mm(paper, m) - 2 * FRAME_PAD_PT / layout.PT_PER_MM


def paragraph_style(style: BaseStyle) -> WordStyle:
    if not isinstance(style, WordStyle):
        raise TypeError(f"{style.name} is not a paragraph style")
    return style


def ppr(style: WordStyle) -> Element:
    return style.element.get_or_add_pPr()


def font(style: WordStyle, *, size: float, color: RGBColor, bold: bool | None = None) -> None:
    style.font.size = Pt(size)
    style.font.color.rgb = color
    if bold is not None:
        style.font.bold = bold


def set_spacing(style: WordStyle, *, before: float, after: float, leading: float | None) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if leading is not None:
        fmt.line_spacing = leading


def pbdr(style: WordStyle, **sides: Element) -> None:
    pbdr = el("w:pBdr")
    for side in ("top", "left", "bottom", "right", "between"):
        if side in sides:
            pbdr.append(sides[side])
    put(ppr(style), pbdr, PPR_ORDER)
