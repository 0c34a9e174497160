"""Tests of the DOCX writer: real files, read back with python-docx, lxml and LibreOffice."""

from __future__ import annotations

import ast
import io
import itertools
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm, Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.model import (
    PAPER,
    Block,
    Callout,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paper,
    Paragraph,
    Quote,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
    spans,
)
from generator.writers import fonts, layout
from generator.writers.docx import fonts as docx_fonts
from generator.writers.docx import render as render_docx
from generator.writers.docx.styles import FRAME_PAD_PT
from generator.writers.docx.styles import text_width_mm as docx_text_width_mm
from tests.tools import body_paragraphs, real_tables, require, soffice

from .examples import examples

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}

DOCX_PACKAGE = ROOT / "generator" / "writers" / "docx"
TITLE = "Being an Ally — Start a Conversation"
QUOTE = "If all the women who have been sexually harassed or assaulted wrote ‘me too’ as a status"
LITERALS = ("<b>AT&T</b>", "{{ 7*7 }}", "ŵŷ", "αβγ", "Жж")


def sample(paper: Paper = "a4", lang: str = "en-GB", blocks: tuple[Block, ...] | None = None) -> Document:
    """A small pack using every block type (the title block becomes the Title, label and lead)."""
    if blocks is None:
        blocks = (
            TitleBlock(TITLE, "Student edition", "PSHE · Ages 14-16 · 60 minutes", ("Name", "Class", "Date")),
            Paragraph(
                (
                    Span("Literal: "),
                    Span("<b>AT&T</b>", bold=True),
                    Span(" and "),
                    Span("{{ 7*7 }}", italic=True),
                    Span(" in Welsh ŵŷ, Greek αβγ, Russian Жж"),
                )
            ),
            Callout(
                "summary-note",
                "What this pack contains",
                (spans("Some extracts mention sexual harassment."), spans("Step out at any time.")),
            ),
            Heading(1, "The texts"),
            Heading(2, "Extract 1"),
            KeepTogether(
                (
                    Callout("content-note", "Content note", (spans("This extract refers to assault."),)),
                    Quote(
                        (QUOTE, "A second quoted paragraph."),
                        "Matt Barnes-Smith, “No Going Back” (2020)",
                    ),
                )
            ),
            KeepTogether(
                (
                    Paragraph((Span("Question 1. ", bold=True), Span("Why might one hashtag matter?"))),
                    WritingSpace(4),
                )
            ),
            Heading(3, "Steps"),
            ListBlock((spans("First step"), spans("Second step"), spans("Third step")), numbered=True),
            Paragraph(spans("Between the lists.")),
            ListBlock((spans("Again one"), spans("Again two")), numbered=True),
            ListBlock((spans("Starts at five"), spans("Then six")), numbered=True, start=5),
            ListBlock((spans("A bullet"), spans("Another bullet"))),
            Callout("teacher-note", "Answer", (spans("Look for awareness of scale."),)),
            Paragraph(spans("Small print."), "small"),
            Paragraph(spans("A body paragraph."), "body"),
            Table(
                (
                    ("Time", "Activity", "Minutes"),
                    ("0–15", "Start a conversation", "15"),
                    ("15–30", "Pairs", "15"),
                ),
                (1.2, 5.0, 1.2),
            ),
            PageBreak(),
            Heading(1, "Support"),
            Paragraph(spans("If anything here affects you, talk to someone you trust.")),
        )
    return Document(
        title=TITLE,
        subject="PSHE — Student edition",
        header="Being an Ally · Student edition",
        lang=lang,
        paper=paper,
        blocks=blocks,
        author="lessonpack",
        keywords=("no-going-back", "metoo-and-beyond"),
    )


@pytest.fixture(autouse=True)
def _no_source_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def read(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml(data: bytes, name: str) -> Any:
    return etree.fromstring(parts(data)[name])


def style_names(document: Any) -> set[str]:
    return {p.style.name for p in body_paragraphs(document)}


def paragraphs_in(document: Any, style: str) -> list[Any]:
    return [p for p in body_paragraphs(document) if p.style.name == style]


def style_element(data: bytes, name: str) -> Any:
    found = xml(data, "word/styles.xml").xpath("//w:style[w:name/@w:val=$n]", namespaces=NS, n=name)
    assert len(found) == 1, name
    return found[0]


# -- the module's contract -------------------------------------------------------------------


def test_the_writer_imports_only_model_layout_fonts_and_zipped_from_the_package() -> None:
    own = {p.stem for p in DOCX_PACKAGE.glob("*.py")}
    for path in DOCX_PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstring = ast.get_docstring(tree)
        assert docstring is not None and docstring.strip(), path.name
        local = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                local.add(node.module or ",".join(a.name for a in node.names))
        # fonts: writers/fonts.py, where the font files are (the package's own fonts.py embeds them);
        # zipped: the byte-identical zip every OOXML writer shares.
        assert local <= {"model", "layout", "fonts", "zipped"} | own, (path.name, local)


def test_only_this_package_imports_python_docx() -> None:
    for path in (ROOT / "generator").rglob("*.py"):
        if path.parent == DOCX_PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "docx" for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert node.module.split(".")[0] != "docx", path


def test_new_style_names_are_not_already_in_python_docx_template() -> None:
    # The writer adds these without python-docx's duplicate check.
    template = {s.name for s in docx.Document().styles}
    ours = {"Citation", "Content Note", "Summary Note", "Teacher Note", "Lead", "Small", "Label"}
    ours |= {"Table Text", "Table Heading", "Writing Line", "Field"}
    assert not ours & template


def test_every_part_is_well_formed_xml() -> None:
    for name, blob in parts(render_docx(sample())).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(blob)


PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def test_paragraph_properties_are_in_schema_order() -> None:
    # Word refuses to open a file whose w:pPr children are out of order.
    data = render_docx(sample())
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
        for ppr in xml(data, name).iter(f"{{{W}}}pPr"):
            positions = [PPR_ORDER.index(etree.QName(child).localname) for child in ppr]
            assert positions == sorted(positions), (name, [etree.QName(c).localname for c in ppr])


# -- styles ------------------------------------------------------------------------------------


def test_named_styles_are_used() -> None:
    names = style_names(read(render_docx(sample())))
    expected = {"Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Citation", "Content Note", "Summary Note"}
    expected |= {"Teacher Note", "List Number", "List Bullet", "Lead", "Small"}
    expected |= {"Label", "Normal", "Writing Line", "Field"}
    assert expected <= names


def test_the_title_block_becomes_the_title_once() -> None:
    document = read(render_docx(sample()))
    assert body_paragraphs(document)[0].style.name == "Title"
    assert body_paragraphs(document)[0].text == TITLE
    assert [p.text for p in body_paragraphs(document)].count(TITLE) == 1


def test_a_document_without_a_title_block_gets_no_title_guessed_for_it() -> None:
    document = read(render_docx(sample(blocks=(Heading(1, TITLE), Paragraph(spans("Hello"))))))
    assert [(p.style.name, p.text) for p in body_paragraphs(document)] == [
        ("Heading 1", TITLE),
        ("Normal", "Hello"),
    ]


def test_styles_follow_the_shared_layout() -> None:
    document = read(render_docx(sample()))
    styles = document.styles
    normal = styles["Normal"]
    assert normal.font.name == layout.FONT_FAMILY
    assert normal.font.size == Pt(layout.BODY_PT)
    assert str(normal.font.color.rgb) == layout.INK
    # Word's 'auto' multiple is of the font's line height; the line is BODY_LEADING × the size, as in the PDF.
    line = docx_fonts.line_height(fonts.main_fonts().regular)
    assert normal.paragraph_format.line_spacing * line == pytest.approx(layout.BODY_LEADING, abs=0.005)
    assert styles["Title"].font.size == Pt(layout.TITLE_PT)
    for level, size in layout.HEADING_PT.items():
        heading = styles[f"Heading {level}"]
        assert heading.font.size == Pt(size)
        assert str(heading.font.color.rgb) == layout.ACCENT
        assert heading.paragraph_format.keep_with_next
    assert styles["Small"].font.size == Pt(layout.SMALL_PT)
    assert styles["Quote"].font.size == Pt(layout.QUOTE_PT)


def test_no_theme_fonts_override_the_family() -> None:
    styles_xml = parts(render_docx(sample()))["word/styles.xml"]
    assert b"asciiTheme" not in styles_xml and b"hAnsiTheme" not in styles_xml


def test_quote_has_a_left_rule_and_the_citation_follows_it() -> None:
    data = render_docx(sample())
    rule = style_element(data, "Quote").find("w:pPr/w:pBdr/w:left", NS)
    assert rule is not None and rule.get(f"{{{W}}}color") == layout.QUOTE_RULE
    document = read(data)
    texts = [(p.style.name, p.text) for p in body_paragraphs(document)]
    at = texts.index(("Quote", QUOTE))
    assert texts[at + 1] == ("Quote", "A second quoted paragraph.")
    assert texts[at + 2] == ("Citation", "Matt Barnes-Smith, “No Going Back” (2020)")


@pytest.mark.parametrize(
    ("style", "fill", "rule"),
    [
        ("Content Note", layout.NOTE_FILL, layout.NOTE_RULE),
        ("Summary Note", layout.NOTE_FILL, layout.NOTE_RULE),
        ("Teacher Note", layout.TEACHER_FILL, layout.ACCENT),
    ],
)
def test_note_styles_are_shaded_with_a_left_rule(style: str, fill: str, rule: str) -> None:
    element = style_element(render_docx(sample()), style)
    assert element.find("w:pPr/w:shd", NS).get(f"{{{W}}}fill") == fill
    assert element.find("w:pPr/w:pBdr/w:left", NS).get(f"{{{W}}}color") == rule


def test_content_note_keeps_with_the_next_block_but_the_summary_note_does_not() -> None:
    document = read(render_docx(sample()))
    assert document.styles["Content Note"].paragraph_format.keep_with_next
    # The cover's summary note is not chained to the texts after it (that pushed it to page 2).
    assert not document.styles["Summary Note"].paragraph_format.keep_with_next
    notes = paragraphs_in(document, "Summary Note")
    # The callout's title is a bold first paragraph, kept with its text.
    assert [p.text for p in notes][:2] == [
        "What this pack contains",
        "Some extracts mention sexual harassment.",
    ]
    assert notes[0].runs[0].bold and notes[0].paragraph_format.keep_with_next


def test_a_one_paragraph_callout_runs_its_bold_title_in() -> None:
    document = read(render_docx(sample()))
    teacher = paragraphs_in(document, "Teacher Note")
    assert [p.text for p in teacher] == ["Answer: Look for awareness of scale."]
    assert teacher[0].runs[0].bold and not teacher[0].runs[-1].bold


def test_paragraph_styles_map_by_name() -> None:
    document = read(render_docx(sample()))
    by_text = {p.text: p.style.name for p in body_paragraphs(document)}
    assert by_text["Student edition"] == "Label"
    assert by_text["PSHE · Ages 14-16 · 60 minutes"] == "Lead"
    assert by_text["Small print."] == "Small"
    assert by_text["A body paragraph."] == "Normal"


def test_spans_keep_bold_and_italic() -> None:
    document = read(render_docx(sample()))
    para = next(p for p in body_paragraphs(document) if p.text.startswith("Literal: "))
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in para.runs]
    assert ("<b>AT&T</b>", True, False) in runs
    assert ("{{ 7*7 }}", False, True) in runs


# -- lists -------------------------------------------------------------------------------------


def num_id(paragraph: Any) -> str:
    found = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    assert found, paragraph.text
    return str(found[0])


def test_each_numbered_list_restarts_at_its_start() -> None:
    data = render_docx(sample())
    numbered = paragraphs_in(read(data), "List Number")
    groups: dict[str, list[str]] = {}
    for p in numbered:
        groups.setdefault(num_id(p), []).append(p.text)
    assert list(groups.values()) == [
        ["First step", "Second step", "Third step"],
        ["Again one", "Again two"],
        ["Starts at five", "Then six"],
    ]
    numbering = xml(data, "word/numbering.xml")
    style_num = style_element(data, "List Number").find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val")
    abstract = numbering.xpath("w:num[@w:numId=$n]/w:abstractNumId/@w:val", namespaces=NS, n=style_num)[0]
    for key, start in zip(groups, (1, 1, 5), strict=True):
        num = numbering.xpath("w:num[@w:numId=$n]", namespaces=NS, n=key)[0]
        assert num.find("w:abstractNumId", NS).get(f"{{{W}}}val") == abstract
        override = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
        assert override.get(f"{{{W}}}val") == str(start)


def test_bulleted_lists_use_list_bullet() -> None:
    bullets = paragraphs_in(read(render_docx(sample())), "List Bullet")
    assert [p.text for p in bullets] == ["A bullet", "Another bullet"]


# -- tables ------------------------------------------------------------------------------------


def test_table_header_repeats_is_bold_and_shaded() -> None:
    document = read(render_docx(sample()))
    table = real_tables(document)[0]
    assert table.style.name == "Table Grid"
    header, body = table.rows[0], table.rows[1]
    assert header._tr.xpath("./w:trPr/w:tblHeader")
    assert not body._tr.xpath("./w:trPr/w:tblHeader")
    for cell in header.cells:
        assert cell._tc.xpath("./w:tcPr/w:shd/@w:fill") == [layout.TABLE_HEADER_FILL]
        assert all(run.bold for run in cell.paragraphs[0].runs)
    for cell in body.cells:
        assert not cell._tc.xpath("./w:tcPr/w:shd")
    assert [c.text for c in table.rows[1].cells] == ["0–15", "Start a conversation", "15"]
    borders = document.styles["Table Grid"].element.xpath("./w:tblPr/w:tblBorders/*/@w:val")
    assert sorted(set(borders)) == ["single"] and len(borders) == 6


def test_table_columns_are_proportional_to_widths_over_the_text_width() -> None:
    table = real_tables(read(render_docx(sample())))[0]
    grid = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    text_width_mm = docx_text_width_mm("a4", layout.docx_metrics(False))
    assert sum(grid) == round(text_width_mm * 1440 / 25.4)
    for got, weight in zip(grid, (1.2, 5.0, 1.2), strict=True):
        assert got == pytest.approx(sum(grid) * weight / 7.4, abs=1)


def test_table_without_header_and_ragged_rows() -> None:
    blocks: tuple[Block, ...] = (
        Table((("a", "b", "c"), ("d",)), (1.0,), header=False),
        Table((("x",),), (2.0, 0.0)),
        Table((), (1.0,)),
    )
    document = read(render_docx(sample(blocks=blocks)))
    first, second = real_tables(document)
    assert not first._tbl.xpath(".//w:tblHeader") and not first._tbl.xpath(".//w:shd")
    assert [c.text for c in first.rows[1].cells] == ["d", "", ""]
    assert len(second.columns) == 2
    # Tables never touch (Word would join them) and the body ends with a paragraph.
    body = document.element.body
    kinds = [etree.QName(child).localname for child in body]
    assert ("tbl", "tbl") not in set(itertools.pairwise(kinds))
    assert kinds[-2:] == ["p", "sectPr"]


# -- writing space, fields, keep-together, page break ------------------------------------------


def test_writing_space_is_ruled_empty_paragraphs() -> None:
    data = render_docx(sample())
    # One paragraph of four ruled lines (each a no-break space and a tab, the lines broken).
    [lines] = paragraphs_in(read(data), "Writing Line")
    assert lines.text == "\n".join(["\u00a0\t"] * 4)
    style = style_element(data, "Writing Line")
    # A rule under every line: a tab to the right margin drawn as a line.
    tab = style.find("w:pPr/w:tabs/w:tab", NS)
    assert tab.get(f"{{{W}}}val") == "right" and tab.get(f"{{{W}}}leader") == "underscore"
    spacing = style.find("w:pPr/w:spacing", NS)
    assert spacing.get(f"{{{W}}}lineRule") == "exact"
    assert int(spacing.get(f"{{{W}}}line")) == round(layout.WRITING_LINE_PT * 20)


def test_fields_are_labels_with_a_line_to_the_margin() -> None:
    data = render_docx(sample())
    fields = paragraphs_in(read(data), "Field")
    assert [p.text for p in fields] == ["Name:\t", "Class:\t", "Date:\t"]
    tab = style_element(data, "Field").find("w:pPr/w:tabs/w:tab", NS)
    assert tab.get(f"{{{W}}}val") == "right"
    assert tab.get(f"{{{W}}}leader") == "underscore"
    text_width_mm = docx_text_width_mm("a4", layout.docx_metrics(False))
    assert int(tab.get(f"{{{W}}}pos")) == pytest.approx(text_width_mm * 1440 / 25.4, abs=1)


def test_a_firm_group_that_fits_a_page_is_one_row_that_cannot_split() -> None:
    # LibreOffice parted long keep-with-next chains; it keeps a row that cannot split whole, as Word does.
    blocks: tuple[Block, ...] = (
        KeepTogether((Paragraph(spans("Question")), WritingSpace(2), Paragraph(spans("End")))),
        Paragraph(spans("After")),
    )
    document = read(render_docx(sample(blocks=blocks)))
    rows = document.element.body.findall(f"{{{W}}}tbl/{{{W}}}tr")
    assert len(rows) == 1 and rows[0].find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None
    cell = rows[0].findall(f"{{{W}}}tc")
    assert len(cell) == 1  # one cell as wide as the text: the group's text sits where it would
    kept = body_paragraphs(document)[0:3]
    assert [p.text for p in kept] == ["Question", "\u00a0\t\n\u00a0\t", "End"]
    assert all(p._p.getparent() is cell[0] for p in kept)
    assert all(p.paragraph_format.keep_together for p in kept)
    # Nothing in the row keeps with the next: Word would keep the row with the next one.
    assert not any(p.paragraph_format.keep_with_next for p in kept)
    after = body_paragraphs(document)[3]
    assert after.text == "After" and after._p.getparent() is document.element.body
    assert not after.paragraph_format.keep_with_next


def test_rows_keep_the_space_between_blocks_outside_their_cells() -> None:
    """A cell keeps its first paragraph's space above at a page's top, and its last one's space
    under must fit at a page's foot, where a paragraph's need not: the spacing is outside."""
    question = (Paragraph(spans("Question")), WritingSpace(2))
    blocks: tuple[Block, ...] = (
        Paragraph(spans("Before")),
        KeepTogether(question),
        KeepTogether((Paragraph(spans("Next")), WritingSpace(1))),
        Paragraph(spans("After")),
    )
    document = read(render_docx(sample(blocks=blocks)))
    tables = document.element.body.findall(f"{{{W}}}tbl")
    assert len(tables) == 1  # consecutive groups are rows of one table (touching tables are one to Word)
    rows = tables[0].findall(f"{{{W}}}tr")
    assert len(rows) == 2
    for row in rows:
        cell = row.findall(f"{{{W}}}tc/{{{W}}}p")
        assert cell[0].find(f"{{{W}}}pPr/{{{W}}}spacing").get(f"{{{W}}}before") == "0"
        assert cell[-1].find(f"{{{W}}}pPr/{{{W}}}spacing").get(f"{{{W}}}after") == "0"
    # Between the two rows: the upper one's bottom cell margin (the writing lines' space under).
    margin = rows[0].find(f"{{{W}}}tc/{{{W}}}tcPr/{{{W}}}tcMar/{{{W}}}bottom")
    assert margin is not None and int(margin.get(f"{{{W}}}w")) > 0
    before, *_, after = body_paragraphs(document)
    assert (before.text, after.text) == ("Before", "After")
    assert before.paragraph_format.space_after and after.paragraph_format.space_before


def test_a_short_group_that_is_not_firm_is_a_row_and_a_table_in_one_is_a_part_of_its_own() -> None:
    steps = ListBlock((spans("Read the extract."), spans("Answer the question.")), numbered=True)
    short: tuple[Block, ...] = (
        KeepTogether((Heading(2, "Task"), steps, KeepTogether((WritingSpace(2),))), firm=False),
    )
    document = read(render_docx(sample(blocks=short)))
    rows = document.element.body.findall(f"{{{W}}}tbl/{{{W}}}tr")
    assert len(rows) == 1 and rows[0].find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None
    # A group with a table (the help page) is never a row: its table may break between rows.
    table = Table((("Service", "Who"), ("Childline", "Under 19s")), (1.0, 1.0), header=True)
    helped: tuple[Block, ...] = (
        KeepTogether((Heading(1, "Help"), Paragraph(spans("Talk to an adult.")), table), firm=False),
    )
    document = read(render_docx(sample(blocks=helped)))
    assert len(real_tables(document)) == 1 and len(document.element.body.findall(f"{{{W}}}tbl")) == 1
    cells = [c.paragraphs[0] for row in real_tables(document)[0].rows for c in row.cells]
    assert not any(p.paragraph_format.keep_with_next for p in cells)
    heading, text = body_paragraphs(document)[:2]
    assert heading.paragraph_format.keep_together and not text.paragraph_format.keep_with_next


def test_a_firm_group_taller_than_a_page_keeps_every_paragraph_but_the_last_with_the_next() -> None:
    tall = tuple(Paragraph(spans(f"Line {n}")) for n in range(60))
    blocks: tuple[Block, ...] = (KeepTogether((*tall, WritingSpace(2))), Paragraph(spans("After")))
    document = read(render_docx(sample(blocks=blocks)))
    assert not document.element.body.findall(f"{{{W}}}tbl")  # a chain, not a row
    kept = body_paragraphs(document)[0:61]
    assert all(p.paragraph_format.keep_together for p in kept)
    assert [bool(p.paragraph_format.keep_with_next) for p in kept] == [True] * 60 + [False]
    assert not body_paragraphs(document)[61].paragraph_format.keep_with_next


def test_page_break_is_a_real_page_break() -> None:
    # The paragraph after the break starts the page: a paragraph holding only a break would
    # leave an empty page whenever it fell at the top of one.
    data = render_docx(sample())
    body = parts(data)["word/document.xml"]
    assert body.count(b"<w:pageBreakBefore/>") == 1 and b'<w:br w:type="page"/>' not in body
    support = next(p for p in body_paragraphs(read(data)) if p.text == "Support")
    assert support.paragraph_format.page_break_before
    # Before a table, and at the end, the break is a paragraph of its own.
    before_table: tuple[Block, ...] = (Paragraph(spans("a")), PageBreak(), Table((("x",),), (1.0,)))
    for blocks in (before_table, (Paragraph(spans("a")), PageBreak())):
        body = parts(render_docx(sample(blocks=blocks)))["word/document.xml"]
        assert body.count(b'<w:br w:type="page"/>') == 1 and b"pageBreakBefore" not in body


# -- page, header, footer, language ------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_size_and_margins_follow_layout(paper: Paper) -> None:
    section = read(render_docx(sample(paper=paper))).sections[0]
    size = PAPER[paper]
    twip = 635  # EMU: Word stores page geometry in twentieths of a point
    m = layout.docx_metrics(False)
    pad = FRAME_PAD_PT / layout.PT_PER_MM  # the PDF's text sits this far inside its margins, and the DOCX's
    expected = {
        "page_width": size.width_mm,
        "page_height": size.height_mm,
        "top_margin": m.margin_top_mm + pad,
        "bottom_margin": m.margin_bottom_mm + pad,
        "left_margin": m.margin_left_mm + pad,
        "right_margin": m.margin_right_mm + pad,
        "header_distance": m.header_distance_mm,
        "footer_distance": m.footer_distance_mm,
    }
    for name, mm in expected.items():
        assert abs(getattr(section, name) - Mm(mm)) <= twip, name


def test_header_text_and_page_fields_in_footer() -> None:
    data = render_docx(sample())
    section = read(data).sections[0]
    assert section.header.paragraphs[0].text == "Being an Ally · Student edition"
    assert section.header.paragraphs[0].style.name == "Header"
    footer = parts(data)["word/footer1.xml"].decode()
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", footer)
    assert [i.strip() for i in instructions] == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text == "Page 1 of 1"  # cached field results


def test_footer_wording_comes_from_the_document() -> None:
    document = Document(**{**sample().__dict__, "page_label": "Tudalen {page} o {pages}"})
    section = read(render_docx(document)).sections[0]
    assert section.footer.paragraphs[0].text == "Tudalen 1 o 1"


@pytest.mark.parametrize("lang", ["en-GB", "cy-GB"])
def test_language_is_set_on_the_document_defaults(lang: str) -> None:
    data = render_docx(sample(lang=lang))
    styles = xml(data, "word/styles.xml")
    langs = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang", namespaces=NS)
    assert len(langs) == 1 and langs[0].get(f"{{{W}}}val") == lang
    theme = xml(data, "word/settings.xml").find("w:themeFontLang", NS)
    assert theme.get(f"{{{W}}}val") == lang
    for name, blob in parts(data).items():
        assert b"en-US" not in blob, name


# -- properties and package --------------------------------------------------------------------


def test_core_properties() -> None:
    props = read(render_docx(sample())).core_properties
    assert props.title == TITLE
    assert props.subject == "PSHE — Student edition"
    assert props.author == "lessonpack"
    assert props.last_modified_by == "lessonpack"
    assert props.keywords == "no-going-back, metoo-and-beyond"
    assert props.language == "en-GB"
    assert props.revision == 1
    assert props.comments == ""
    assert props.created is None and props.modified is None


def test_no_python_docx_traces_in_any_part() -> None:
    data = render_docx(sample())
    for name, blob in parts(data).items():
        assert b"python-docx" not in blob, name
        assert b"2013-12-23" not in blob, name
    names = set(parts(data))
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names
    app = xml(data, "docProps/app.xml")
    assert app.findtext("ep:Application", namespaces=NS) == "lessonpack"
    assert b"Microsoft" not in parts(data)["docProps/app.xml"]


def test_source_date_epoch_sets_created_and_modified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = render_docx(sample())
    props = read(data).core_properties
    assert props.created == props.modified == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert data == render_docx(sample())


def test_a_bad_source_date_epoch_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert b"dcterms:created" not in parts(render_docx(sample()))["docProps/core.xml"]


def test_zip_entries_have_fixed_order_and_timestamps() -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(sample()))) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert infos[1].filename == "_rels/.rels"
    rest = [i.filename for i in infos[2:]]
    assert rest == sorted(rest)
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.extra == b""


# -- text -----------------------------------------------------------------------------------


def test_literal_text_and_scripts_survive() -> None:
    data = render_docx(sample())
    text = "\n".join(p.text for p in body_paragraphs(read(data)))
    for literal in LITERALS:
        assert literal in text
    assert b"&lt;b&gt;AT&amp;T&lt;/b&gt;" in parts(data)["word/document.xml"]


def test_control_characters_are_dropped_not_fatal() -> None:
    blocks: tuple[Block, ...] = (
        Paragraph((Span("a\x00b\x0bc\x1fd\ufffe"),)),
        Heading(2, "He\x01ad"),
        Table((("x\x02", "y"),), (1.0, 1.0)),
    )
    document = Document(**{**sample(blocks=blocks).__dict__, "header": "H\x07", "title": "T\x08"})
    read_back = read(render_docx(document))
    assert [p.text for p in body_paragraphs(read_back)][:2] == ["abcd", "Head"]
    assert real_tables(read_back)[0].rows[0].cells[0].text == "x"
    assert read_back.core_properties.title == "T"


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_renders_and_reads_back(text: str) -> None:
    data = render_docx(sample(blocks=(Paragraph((Span(text, bold=True),)),)))
    paragraphs = body_paragraphs(read(data))
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text).replace("\r", "\n")
    assert paragraphs[0].text == expected


def test_empty_document_renders() -> None:
    document = read(render_docx(sample(blocks=())))
    assert [p.text for p in body_paragraphs(document)] == [""]  # Word needs one paragraph in a body


# -- determinism -------------------------------------------------------------------------------


def test_two_renders_are_identical() -> None:
    assert render_docx(sample()) == render_docx(sample())


def test_render_in_another_process_is_identical() -> None:
    code = (
        "import sys\n"
        "from tests.test_docx import sample\n"
        "from generator.writers.docx import render as render_docx\n"
        "sys.stdout.buffer.write(render_docx(sample()))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "4242"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert result.stdout == render_docx(sample())


# -- a real consumer: LibreOffice --------------------------------------------------------------


def test_libreoffice_converts_it_and_evaluates_the_fields(tmp_path: Path) -> None:
    office = soffice()
    require("pdftotext", "pdfinfo")
    source = tmp_path / "pack.docx"
    source.write_bytes(render_docx(sample()))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "pack.pdf"
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+", info, re.M)  # A4 in points
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = " ".join(raw.split())
    assert QUOTE in text
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    # Each numbered list counts from its own start.
    for line in (
        "1. First step",
        "3. Third step",
        "1. Again one",
        "2. Again two",
        "5. Starts at five",
    ):
        assert line in text
    for literal in LITERALS:
        assert literal in text
