"""The large-print variant, read back from the real files of every shipped pack.

Large print follows the British Dyslexia Association style guide: body text of at least 16 pt
and nothing under 14 pt, 1.5 line spacing, a sans serif face, no italics (bold for emphasis),
left aligned, in both the PDF and the DOCX, in both editions.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Length, Pt
from pypdf import PdfReader

from generator.model import (
    Block,
    Callout,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    Paragraph,
    PrintEdition,
    Quote,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
    plain,
    spans,
)
from generator.runners.build import Builder, Project, Report, find_specs
from generator.writers import FORMATS, fonts, layout
from generator.writers.docx import fonts as docx_fonts
from generator.writers.docx import render as render_docx
from generator.writers.pdf import render as render_pdf
from tests.tools import body_paragraphs, real_tables

from .tools import docx_to_pdf, require

# Every format's editions: student and teacher as PDF and DOCX, and the deck.
FILES_PER_PACK = sum(len(f.editions) for f in FORMATS)
ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])
# The packs built twice (test_large_print_builds_are_byte_identical): the longest spec and another.
AGAIN = [ROOT / "packs" / "justice-or-prevention.yaml", ROOT / "packs" / "bystander-to-ally.yaml"]
EDITIONS: tuple[PrintEdition, ...] = ("student", "teacher")
BODY_PT = 16.0
FONT_LINE = docx_fonts.line_height(fonts.main_fonts().regular)  # single line spacing in Word, in ems
SMALLEST_PT = 14.0


@pytest.fixture(scope="module")
def large_print(shipped_large_print_build: tuple[Path, Report]) -> tuple[Path, Report]:
    """Every shipped pack built once in large print (once a session: test_html.py reads it too)."""
    return shipped_large_print_build


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], Document]:
    """The large-print document of each pack and edition, as the writers were given it."""
    builder = Builder(Project(ROOT), variant="large-print")
    found: dict[tuple[str, str], Document] = {}
    for spec in SPECS:
        lesson, judged, problems = builder.check(spec)
        assert lesson is not None and judged is not None, [str(p) for p in problems]
        for edition in EDITIONS:
            found[(lesson.id, edition)] = builder.compose(lesson, judged, edition)
    return found


def files(out: Path, ext: str) -> list[Path]:
    found = sorted(out.rglob(f"*-large-print.{ext}"))
    assert len(found) == len(EDITIONS) * len(SPECS)
    return found


def pack_and_edition(path: Path) -> tuple[str, str]:
    """(pack id, edition) of a built file; the pupils' edition may be named otherwise (participant)."""
    stem = path.name.removesuffix(f"-large-print{path.suffix}")
    pack, _, name = stem.rpartition("-")
    return pack, "teacher" if name == "teacher" else "student"


def squash(text: str) -> str:
    """Text without white space (line breaks fall between words, fonts change mid-line)."""
    return "".join(text.split())


# ---------------------------------------------------------------------------------------
# Reading text back out of a PDF: every run of text with its size and position on the page.


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    size: float  # the font size as printed: the Tf size scaled by the text and page matrices
    x: float
    y: float


def _multiply(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def runs(path: Path) -> tuple[Run, ...]:
    """Every run of text of a PDF (read once per version of the file: three tests read each)."""
    return _runs(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _runs(path: Path, mtime: int) -> tuple[Run, ...]:
    found: list[Run] = []
    for number, page in enumerate(PdfReader(str(path)).pages, 1):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, number: int = number) -> None:
            if text.strip():
                m = _multiply([float(v) for v in tm], [float(v) for v in cm])
                found.append(Run(number, text.strip(), size * math.hypot(m[2], m[3]), m[4], m[5]))

        page.extract_text(visitor_text=visit)
    assert found, path.name
    return tuple(found)


def body_texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    """The text a large-print reader reads at body size: quotes, questions, notes, lists."""
    for block in blocks:
        match block:
            case Quote(paragraphs=paragraphs):
                yield from paragraphs
            case Paragraph(spans=sp, style="body"):
                yield plain(sp)
            case Callout(paragraphs=paragraphs):
                yield from (plain(p) for p in paragraphs)
            case ListBlock(items=items):
                yield from (plain(item) for item in items)
            case KeepTogether(blocks=inner):
                yield from body_texts(inner)


def quotes(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        match block:
            case Quote(paragraphs=paragraphs):
                yield from paragraphs
            case KeepTogether(blocks=inner):
                yield from quotes(inner)


def table_words(blocks: tuple[Block, ...]) -> Iterator[tuple[str, bool]]:
    """(word, bold) for each word of each table cell that is short enough to need no break."""
    for block in blocks:
        if isinstance(block, Table):
            share = layout.text_width_mm("a4", layout.LARGE_PRINT) * layout.PT_PER_MM / len(block.widths)
            for r, row in enumerate(block.rows):
                bold = block.header and r == 0
                for word in " ".join(row).split():
                    word = word.strip(",.;:()")
                    need = max(fonts.text_width(word, 14, bold) + 13, layout.widest_word_estimate(word, 14, bold) + 11)
                    if word and not re.search(r"[-/]", word) and need < share:
                        yield word, bold


# ---------------------------------------------------------------------------------------
# The build


def test_every_pack_builds_in_large_print(large_print: tuple[Path, Report]) -> None:
    out, report = large_print
    assert report.failed == []
    assert [p for p in report.problems if p.severity == "error"] == []
    assert len(report.built) == len(SPECS) >= 6
    for pack_id in report.built:
        assert set(report.paths[pack_id]) == {(e, f.name) for f in FORMATS for e in f.editions}
        for path in report.paths[pack_id].values():
            assert path.name.endswith("-large-print" + path.suffix) and path.stat().st_size > 1000


def test_large_print_builds_are_byte_identical(large_print: tuple[Path, Report], tmp_path: Path) -> None:
    """Two packs built again give the session's bytes: what could vary (a date, an id, the order of a
    set) is in the writers every pack goes through, and test_e2e.py compares all of them in standard print."""
    out, _ = large_print
    again = Builder(Project(ROOT), variant="large-print").build(AGAIN, tmp_path)
    assert again.failed == []

    def hashes(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for spec in AGAIN
            for p in sorted((folder / spec.stem).rglob("*-large-print.*"))
        }

    first = hashes(out)
    assert len(first) == FILES_PER_PACK * len(AGAIN)
    assert first == hashes(tmp_path)


# ---------------------------------------------------------------------------------------
# PDF


def test_pdf_body_text_is_16_pt_and_nothing_is_under_14_pt(
    large_print: tuple[Path, Report], documents: dict[tuple[str, str], Document]
) -> None:
    out, _ = large_print
    for path in files(out, "pdf"):
        found = runs(path)
        smallest = min(found, key=lambda r: r.size)
        assert smallest.size >= SMALLEST_PT - 0.01, (path.name, smallest)
        # Headers and footers are the smaller size, and readable.
        assert any(r.size == pytest.approx(SMALLEST_PT) and r.text.startswith("Page 1 of") for r in found)
        body = squash("".join(r.text for r in found if r.size >= BODY_PT - 0.01))
        texts = list(body_texts(documents[pack_and_edition(path)].blocks))
        assert len(texts) > 5
        for text in texts:
            assert squash(text) in body, (path.name, text[:60])


def test_pdf_lines_are_one_and_a_half_times_their_size_apart(
    large_print: tuple[Path, Report], documents: dict[tuple[str, str], Document]
) -> None:
    out, _ = large_print
    for path in files(out, "pdf"):
        found = runs(path)
        # Every pair of lines of one paragraph (same page, size and left edge, one under the other).
        pairs = [
            (a, b)
            for a, b in zip(found, found[1:], strict=False)
            if a.page == b.page and a.size == b.size and abs(a.x - b.x) < 0.5 and a.y - b.y > 0.5
        ]
        assert len(pairs) > 20, path.name
        for a, b in pairs:
            assert a.y - b.y >= 1.45 * a.size, (path.name, a, b)
        # And in particular within the quotes: the lines of one multi-line excerpt paragraph.
        excerpts = [squash(q) for q in quotes(documents[pack_and_edition(path)].blocks)]
        lines = [r for r in found if len(r.text) > 20 and any(squash(r.text) in q for q in excerpts)]
        gaps = [
            a.y - b.y
            for a, b in zip(lines, lines[1:], strict=False)
            if a.page == b.page and abs(a.x - b.x) < 0.5 and 0 < a.y - b.y < 2 * BODY_PT
        ]
        assert gaps, path.name
        assert all(gap == pytest.approx(1.5 * BODY_PT, abs=0.05) for gap in gaps), (path.name, gaps)


def test_pdf_embeds_no_italic_face(large_print: tuple[Path, Report]) -> None:
    require("pdffonts")
    out, _ = large_print
    for path in files(out, "pdf"):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Atkinson" in listing, path.name
        assert not re.search("italic|oblique", listing, re.IGNORECASE), (path.name, listing)


def test_pdf_table_columns_hold_their_words(
    large_print: tuple[Path, Report], documents: dict[tuple[str, str], Document]
) -> None:
    out, _ = large_print
    for path in files(out, "pdf"):
        printed = {w.strip(",.;:()") for r in runs(path) if r.size < BODY_PT for w in r.text.split()}
        for word, _ in table_words(documents[pack_and_edition(path)].blocks):
            assert word in printed, (path.name, word)  # not broken across two lines


# ---------------------------------------------------------------------------------------
# DOCX


def _effective(style: Any, read: Any) -> Any:
    """A style's own value, or the nearest one it inherits."""
    while style is not None:
        value = read(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def _paragraphs(document: Any) -> Iterator[tuple[Any, bool]]:
    """(paragraph, is page furniture) for the body, every table cell, the header and footer."""
    for p in body_paragraphs(document):
        yield p, False
    for table in real_tables(document):
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield p, False
    for section in document.sections:
        for p in (*section.header.paragraphs, *section.footer.paragraphs):
            yield p, True


def test_docx_styles_are_large_left_aligned_and_spaced(large_print: tuple[Path, Report]) -> None:
    out, _ = large_print
    for path in files(out, "docx"):
        document = docx.Document(str(path))
        normal = document.styles["Normal"]
        assert normal.font.size >= Pt(BODY_PT) and normal.font.name == layout.FONT_FAMILY
        for style_name in ("Quote", "List Bullet", "List Number", "Lead", "Content Note", "Teacher Note"):
            style = document.styles[style_name]
            assert _effective(style, lambda s: s.font.size) >= Pt(BODY_PT), style_name
        seen: set[str] = set()
        for p, furniture in _paragraphs(document):
            style = p.style
            seen.add(style.name)
            size = _effective(style, lambda s: s.font.size)
            assert size is not None and size >= Pt(SMALLEST_PT), (path.name, style.name, size)
            for run in p.runs:
                assert run.font.size is None or run.font.size >= Pt(SMALLEST_PT)
            align = p.paragraph_format.alignment or _effective(style, lambda s: s.paragraph_format.alignment)
            allowed = {None, WD_ALIGN_PARAGRAPH.LEFT} | ({WD_ALIGN_PARAGRAPH.RIGHT} if furniture else set())
            assert align in allowed, (path.name, style.name, align)
            spacing = p.paragraph_format.line_spacing or _effective(style, lambda s: s.paragraph_format.line_spacing)
            if isinstance(spacing, Length):  # an exact line height (writing lines, cover fields)
                rule = _effective(style, lambda s: s.paragraph_format.line_spacing_rule)
                assert rule in (WD_LINE_SPACING.EXACTLY, WD_LINE_SPACING.AT_LEAST), (path.name, style.name)
                assert spacing >= 1.5 * size, (path.name, style.name)
            else:  # Word's 'auto' multiple, of the font's line height: 1.5 × the size, as in the PDF
                assert spacing * FONT_LINE == pytest.approx(1.5, abs=0.005), (path.name, style.name, spacing)
        assert {"Normal", "Quote", "Citation", "Header", "Footer"} <= seen, path.name
        if pack_and_edition(path)[1] == "teacher":
            assert {"Table Text", "Table Heading", "Teacher Note"} <= seen, path.name
        else:
            assert "Writing Line" in seen, path.name
            # Name, Class and Date fields on a pupil's copy; none on a staff participant's.
            assert ("Field" in seen) == ("-participant-" not in path.name), path.name


def test_docx_has_no_italic_run_or_style(large_print: tuple[Path, Report]) -> None:
    out, _ = large_print
    for path in files(out, "docx"):
        document = docx.Document(str(path))
        for p, _ in _paragraphs(document):
            assert not any(run.italic for run in p.runs), (path.name, p.text[:40])
        for style in document.styles:
            font = getattr(style, "font", None)
            assert font is None or not font.italic, (path.name, style.name)
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    xml = package.read(name).decode("utf-8")
                    assert not re.search(r"<w:i(Cs)?[\s/>]", xml), (path.name, name)


def test_standard_variant_keeps_its_italics(shipped_build: tuple[Path, Report]) -> None:
    """Intros are italic in the standard variant: large print alone prints them upright."""
    out, _ = shipped_build
    italic = 0
    for path in sorted(out.rglob("*-student.docx")):
        document = docx.Document(str(path))
        italic += sum(1 for p in body_paragraphs(document) for run in p.runs if run.italic)
        assert document.styles["Normal"].font.size == Pt(layout.BODY_PT)
    assert italic > 0


def test_libreoffice_opens_every_large_print_docx(
    large_print: tuple[Path, Report], documents: dict[tuple[str, str], Document], tmp_path: Path
) -> None:
    out, _ = large_print
    sources = files(out, "docx")
    converted = docx_to_pdf(sources, tmp_path)
    for source in sources:
        pdf = converted / f"{source.stem}.pdf"
        assert pdf.exists(), source.name
        found = runs(pdf)
        # The PAGE and NUMPAGES fields were evaluated.
        assert "Page1of" in squash("".join(r.text for r in found if r.page == 1)), source.name
        assert min(r.size for r in found) >= SMALLEST_PT - 0.01, source.name
        # Table columns are wide enough for their words, even in LibreOffice's substitute font.
        printed = {w.strip(",.;:()") for r in found if r.size < BODY_PT for w in r.text.split()}
        for word, _ in table_words(documents[pack_and_edition(source)].blocks):
            assert word in printed, (source.name, word)


# ---------------------------------------------------------------------------------------
# Content that does not fit a page, in either variant


def _document(*blocks: Block, large: bool) -> Document:
    return Document(
        title="Long",
        subject="PSHE",
        header="A lesson title so long that the header wraps onto a second line, and in large print onto a third"
        " one, before the edition · Student handout",
        lang="en-GB",
        paper="a4",
        blocks=blocks,
        large_print=large,
    )


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_content_taller_than_a_page_is_split_not_refused(large: bool, tmp_path: Path) -> None:
    sentence = "Every word of this cell must be printed somewhere."
    long_text = " ".join([sentence] * 120)
    document = _document(
        Heading(1, "Long"),
        Table((("Head", "Other"), (long_text, "short"), ("y" * 300, "z")), (1.0, 1.0)),
        Table(((long_text,),), (1.0,), header=False),
        Callout("teacher-note", "A note", (spans(long_text),)),
        KeepTogether((Paragraph(spans("Intro")), Quote((long_text,), "Someone, ‘Essay’ (2020), paragraph 1."))),
        KeepTogether((Paragraph((Span("Question 1. ", bold=True), Span("Why?"))), WritingSpace(30))),
        KeepTogether((Heading(2, "Activity"), ListBlock((spans(long_text),), numbered=True), WritingSpace(40))),
        TitleBlock("Name and class fields", "Pupil copy", "Ages 14–16", ("Name", "Class")),
        large=large,
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(document))
    found = runs(path)
    header = squash(document.header)
    furniture = [r for r in found if squash(r.text) in header or r.text.startswith("Page ")]
    text = [r for r in found if r not in furniture]
    # All five copies are printed whole (the cells beside the long one and the table's repeated
    # header row come between its lines in the PDF).
    long_runs = [r for r in text if r.text not in ("Head", "Other", "short")]
    assert squash("".join(r.text for r in long_runs)).count(squash(sentence)) == 5 * 120
    assert min(r.size for r in found) >= (SMALLEST_PT if large else layout.SMALL_PT) - 0.01
    # The header wraps onto two or more lines, and the text starts below it on every page.
    for page in {r.page for r in found}:
        head = [r.y for r in furniture if r.page == page and not r.text.startswith("Page ")]
        on_page = [r for r in text if r.page == page]
        if not on_page:  # a page of writing lines
            continue
        top = max(on_page, key=lambda r: r.y)
        assert len(head) >= 2 and min(head) - top.y > top.size, (page, head, top)
    assert render_docx(_document(Table(((long_text,),), (1.0,)), WritingSpace(40), large=large))


def test_italic_spans_are_upright_in_large_print(tmp_path: Path) -> None:
    require("pdffonts")
    blocks = (Paragraph((Span("An intro, ", italic=True), Span("then bold.", bold=True))),)
    for large in (False, True):
        path = tmp_path / f"{large}.pdf"
        path.write_bytes(render_pdf(_document(*blocks, large=large)))
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert ("Italic" in listing) is not large
        assert "Bold" in listing
        written = docx.Document(io.BytesIO(render_docx(_document(*blocks, large=large))))
        emphasis = [(run.italic, run.bold) for run in body_paragraphs(written)[0].runs]
        assert emphasis == ([(None, None), (None, True)] if large else [(True, None), (None, True)])


def test_columns_widen_for_their_longest_word_and_no_further() -> None:
    assert layout.fit_columns((1.0, 3.0), (10.0, 10.0), 100.0) == [25.0, 75.0]  # proportional
    assert layout.fit_columns((1.0, 3.0), (40.0, 10.0), 100.0) == [40.0, 60.0]  # widened
    widths = layout.fit_columns((1.0, 1.0, 8.0), (30.0, 30.0, 10.0), 100.0)
    assert widths == pytest.approx([30.0, 30.0, 40.0])
    # A word wider than an equal share is broken rather than starve the other columns.
    assert layout.fit_columns((1.0, 1.0), (500.0, 5.0), 100.0) == [50.0, 50.0]
    # A long word that fits beside the others' longest words is kept whole (a web address) ...
    assert layout.fit_columns((1.0, 1.0, 1.0), (20.0, 20.0, 55.0), 100.0) == pytest.approx([22.5, 22.5, 55.0])
    # ... unless the caller asks it to break (a slide whose row would then outgrow the slide).
    assert layout.fit_columns((1.0, 1.0, 1.0), (20.0, 20.0, 55.0), 100.0, whole=False) == pytest.approx(
        [100 / 3, 100 / 3, 100 / 3]
    )
