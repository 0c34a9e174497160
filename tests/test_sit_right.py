"""Pages and slides that sit right, on less paper: the compact parts teachers expect (no repeated
keyword box, quiz choices side by side, the help page sharing a page, answer-table rows two
writing lines tall, square tick boxes in LibreOffice) and the slides (a question about an extract
shows it, a list that fits one slide stays on one, titles break into balanced lines), each read
back from real files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from generator.lesson import focus
from generator.model import (
    SLIDE_WORDS,
    AnswerTable,
    Callout,
    Choice,
    Deck,
    Document,
    Heading,
    KeepTogether,
    PageBreak,
    Paragraph,
    PrintEdition,
    Quiz,
    QuizQuestion,
    Quote,
    Span,
    Variant,
    dump,
    spans,
)
from generator.runners.build import Builder, Project, find_specs
from generator.writers import PRINT_EDITIONS, layout
from generator.writers.docx import render as render_docx
from generator.writers.pdf import render as render_pdf
from generator.writers.pptx import items, measure, plan, shapes, style
from tests.rendered import Page, pages, squash
from tests.tools import docx_to_pdf, require

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])


def composed(spec: Path, edition: PrintEdition, variant: Variant = "standard") -> Document:
    builder = Builder(Project(ROOT), variant=variant)
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    return builder.compose(lesson, found, edition)


def deck_of(spec: Path, variant: Variant = "standard") -> Deck:
    builder = Builder(Project(ROOT), variant=variant)
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    return builder.compose(lesson, found, "slides")


def doc(*blocks: object, large: bool = False) -> Document:
    return Document("T", "S", "T · handout", "en-GB", "a4", tuple(blocks), large_print=large)  # type: ignore[arg-type]


# -- paper ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_the_teacher_edition_prints_the_keywords_once_and_help_shares_a_page(spec: Path) -> None:
    teacher, student = dump(composed(spec, "teacher")), dump(composed(spec, "student"))
    keywords = composed(spec, "student").blocks
    has_keywords = any(
        isinstance(b, Callout) and b.kind == "key-info" and ":" in "".join(s.text for p in b.paragraphs for s in p)
        for b in keywords
    )
    if has_keywords:
        assert "[key-info] Keywords" in student
        assert "[key-info] Keywords" not in teacher and "## Keywords" in teacher  # the overview's table
    for edition in PRINT_EDITIONS:
        blocks = composed(spec, edition).blocks
        assert not any(isinstance(b, PageBreak) for b in blocks)  # the help page starts no page by force
        last = blocks[-1]
        assert isinstance(last, KeepTogether) and not last.firm and isinstance(last.blocks[0], Heading)


def test_answer_table_rows_are_two_writing_lines_tall_in_pdf_and_docx(tmp_path: Path) -> None:
    document = doc(Paragraph(spans("Fill in the table.")), AnswerTable(("Way", "What", "How safe"), 3))
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_pdf(document))
    page = pages(pdf)[0]
    left, right = layout.MARGIN_LEFT_MM * layout.PT_PER_MM, page.width - layout.MARGIN_RIGHT_MM * layout.PT_PER_MM
    rows = [y for y in range(page.height) if page.rules(y, y + 1, left, right)]
    merged = [y for i, y in enumerate(rows) if i == 0 or y - rows[i - 1] > 2]
    gaps = [b - a for a, b in zip(merged, merged[1:], strict=False)][-3:]  # the three rows to write in
    assert len(gaps) == 3 and all(g >= 2 * layout.WRITING_LINE_PT - 2 for g in gaps), merged
    with zipfile.ZipFile(__import__("io").BytesIO(render_docx(document))) as z:
        body = z.read("word/document.xml").decode()
    heights = [int(h) for h in re.findall(r'<w:trHeight w:val="(\d+)" w:hRule="exact"/>', body)]
    assert heights == [round(2 * layout.WRITING_LINE_PT * 20)] * 3


def test_short_quiz_choices_sit_side_by_side_and_long_ones_one_a_line(tmp_path: Path) -> None:
    short = QuizQuestion(
        1, "Which is a bystander?", (Choice("A", "A pupil"), Choice("B", "A teacher"), Choice("C", "A parent"))
    )
    long = QuizQuestion(
        2, "Which is true?", tuple(Choice(x, f"{x}: " + "a choice long enough to need a line " * 2) for x in "ABC")
    )
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(render_pdf(doc(Quiz((short, long)))))
    words = pages(pdf)[0].words
    line = {w.text: round(w.y0) for w in words}
    assert line["pupil"] == line["teacher"] == line["parent"]  # one line for the three short ones
    lows = sorted({round(w.y0) for w in words if w.text in ("A:", "B:", "C:")})
    assert len(lows) == 3  # three lines for the long ones


def test_docx_tick_boxes_are_squares_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice drew the old tick boxes (four no-break spaces in a border) as tall bars that
    touched the next line's: each is now one square."""
    require("pdftoppm", "pdftotext")
    q = QuizQuestion(
        1,
        "Which one?",
        (
            Choice("A", "First choice here"),
            Choice("B", "Second choice"),
            Choice("C", "Third choice is longer than the others by far, much longer"),
        ),
    )
    source = tmp_path / "quiz.docx"
    source.write_bytes(render_docx(doc(Quiz((q,)))))
    page = pages(docx_to_pdf([source], tmp_path) / "quiz.pdf")[0]
    letters = sorted((w for w in page.words if w.text in ("A.", "B.", "C.")), key=lambda w: w.y0)
    assert len(letters) == 3
    boxes = []
    for w in letters:  # the box is the run of ink rows left of the letter, around its middle
        xs = range(int(w.x0) - 40, int(w.x0) - 2)
        middle = int((w.y0 + w.y1) / 2)
        assert _inked(page, middle, xs), w
        top, bottom = middle, middle
        while _inked(page, top - 1, xs):
            top -= 1
        while _inked(page, bottom + 1, xs):
            bottom += 1
        dark = [x for y in range(top, bottom + 1) for x in xs if page.row(y)[x] < 128]
        boxes.append((min(dark), top, max(dark), bottom))
    for x0, y0, x1, y1 in boxes:
        width, height = x1 - x0, y1 - y0
        assert 6 <= width <= 20 and 0.7 <= height / width <= 1.45, (width, height)
    assert all(b[1] > a[3] + 2 for a, b in zip(boxes, boxes[1:], strict=False)), boxes  # apart, not touching


def _inked(page: Page, y: int, xs: range) -> bool:
    return any(page.row(y)[x] < 128 for x in xs)


# -- slides --------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_every_question_slide_about_an_extract_shows_it_with_its_citation(variant: Variant) -> None:
    shown = 0
    for spec in SPECS:
        deck = deck_of(spec, variant)
        extracts = [s for s in deck.slides if s.kind == "extract"]
        quotes = {squash(" ".join(q.paragraphs)) for s in extracts for q in s.blocks if isinstance(q, Quote)}
        for slide in (s for s in deck.slides if s.kind == "question"):
            question = slide.blocks[-1]
            assert isinstance(question, Paragraph)
            shown_quotes = [b for b in slide.blocks if isinstance(b, Quote)]
            words = sum(focus.words(p) for q in shown_quotes for p in q.paragraphs)
            asked = focus.words("".join(s.text for s in question.spans))
            if shown_quotes and asked < SLIDE_WORDS[variant] - 10:
                assert words + asked <= SLIDE_WORDS[variant] + 2, (spec.stem, slide.title)
            for quote in shown_quotes:
                assert quote.citation
                # Every sentence shown is the extract's own (… marks what is left out).
                for piece in " ".join(quote.paragraphs).split("…"):
                    assert not squash(piece) or any(squash(piece) in q for q in quotes), (spec.stem, piece)
            shown += bool(shown_quotes)
    assert shown > 40


def test_a_question_slide_keeps_the_sentences_the_question_is_about() -> None:
    paragraphs = (
        "The first sentence is about the weather today. The second says an open secret is something "
        "everyone knows. The third is about lunch in the hall.",
    )
    kept = focus.focus(paragraphs, "What is an “open secret”?", 14)
    assert kept == ("… The second says an open secret is something everyone knows. …",)
    assert focus.focus(paragraphs, "Anything?", 100) == paragraphs


def test_shipped_standard_question_slides_fit_one_slide_and_lists_that_fit_stay_whole() -> None:
    st = style.STANDARD
    for spec in SPECS:
        deck = deck_of(spec)
        for slide in deck.slides:
            laid = plan.plan(slide, st, deck.continued_label)
            if slide.kind == "question":
                assert len(laid) == 1, (spec.stem, slide.title)
            if slide.kind in ("keywords", "activity", "answers", "remember", "support") and len(laid) > 1:
                # Split only when no size down to the small one holds it on one slide.
                whole = plan._plan(
                    slide, __import__("dataclasses").replace(st, max_words=10**6), deck.continued_label, st.small_pt
                )
                assert len(whole) > 1, (spec.stem, slide.title)


def test_a_long_title_leaves_no_word_or_two_alone_and_minutes_go_on_their_own_line() -> None:
    st = style.STANDARD
    title = "Ground rules and framing for a difficult conversation (6 minutes)"
    page, _ = plan._new_page(title, st, False, ())
    lines = page.title.paras[0].runs[0].text.split("\n")
    assert lines[-1] == "(6 minutes)" and " ".join(lines) == title
    other = "Why might one hashtag have given people a sense of the magnitude of the problem everywhere"
    page, _ = plan._new_page(other, st, False, ())
    lines = page.title.paras[0].runs[0].text.split("\n")
    assert len(lines) >= 2 and len(lines[-1].split()) >= 3 and " ".join(lines) == other


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_nothing_on_a_slide_breaks_inside_a_word(variant: Variant) -> None:
    """Large print's help table broke '247sexualabusesupport.org.uk' inside the word: a web
    address now breaks only after a dot or a slash, and a table that cannot keep its words whole
    is set as a line for each row."""
    st = style.style(variant == "large-print")
    for spec in SPECS:
        deck = deck_of(spec, variant)
        for page in plan.pages_of(deck, st):
            for shape in page.shapes:
                if isinstance(shape, shapes.Grid):
                    for row in shape.cells:
                        for c, cell in enumerate(row):
                            for para in cell:
                                words = items.measured_words(tuple(Span(r.text, r.bold) for r in para.runs), False)
                                assert measure.widest_word_pt(words, para.size) <= shape.widths[c] - 2 * shape.pad_x, (
                                    spec.stem,
                                    [r.text for r in para.runs],
                                )
                elif isinstance(shape, shapes.TextBox):
                    for para in shape.paras:
                        words = items.measured_words(tuple(Span(r.text, r.bold) for r in para.runs), False)
                        assert measure.widest_word_pt(words, para.size) <= shape.w - para.indent + 0.5, (
                            spec.stem,
                            [r.text for r in para.runs],
                        )
