"""The PDF writer: literal text, per-character font fallback, page layout rules."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from generator.model import (
    Callout,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    WritingSpace,
    spans,
)
from generator.writers.pdf import render as render_pdf

from .tools import require


def doc(*blocks: object, paper: str = "a4") -> Document:
    return Document(
        title="Test pack",
        subject="PSHE",
        header="Test pack · Student handout",
        lang="en-GB",
        paper=paper,  # type: ignore[arg-type]
        blocks=tuple(blocks),  # type: ignore[arg-type]
    )


def text_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def test_user_text_is_printed_literally(tmp_path: Path) -> None:
    data = render_pdf(doc(Paragraph(spans("Why {{ 7*7 }} <b>AT&T</b> & <img src='/etc/passwd'>?"))))
    text = text_of(data, tmp_path)
    assert "{{ 7*7 }}" in text
    assert "<b>AT&T</b>" in text
    assert "<img src='/etc/passwd'>" in text
    assert "49" not in text


def test_welsh_greek_and_cyrillic_use_the_fallback_font(tmp_path: Path) -> None:
    require("pdffonts")
    data = render_pdf(doc(Paragraph(spans("Croeso i’r ŵyl a’r tŷ — αβγ Δ — Жж щ"))))
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSans" in fonts
    assert "Atkinson" in fonts
    text = text_of(data, tmp_path)
    for word in ("ŵyl", "tŷ", "αβγ", "Жж"):
        assert word in text


def test_same_document_same_bytes() -> None:
    d = doc(Heading(1, "Title"), Paragraph(spans("Hello")), ListBlock((spans("a"), spans("b")), numbered=True))
    assert render_pdf(d) == render_pdf(d)


def test_question_and_writing_space_stay_together(tmp_path: Path) -> None:
    """Fill most of a page, then a question with writing space: both move to the next page."""
    filler = [Paragraph(spans(f"Filler line {i}.")) for i in range(34)]
    question = KeepTogether((Paragraph((Span("Question 1. ", bold=True), Span("What next?"))), WritingSpace(8)))
    reader_pages = PdfReader_pages(render_pdf(doc(*filler, question)), tmp_path)
    assert len(reader_pages) == 2
    assert "What next?" in reader_pages[1]
    assert "What next?" not in reader_pages[0]


def test_content_note_is_never_alone_at_the_foot_of_a_page(tmp_path: Path) -> None:
    filler = [Paragraph(spans(f"Filler line {i}.")) for i in range(36)]
    note = Callout("content-note", "Before you read", (spans("This extract mentions a court case."),))
    quote = Quote(("A long quoted passage. " * 12,), "Someone, ‘Essay’ (2020), paragraph 1.")
    pages = PdfReader_pages(render_pdf(doc(*filler, KeepTogether((note, quote)))), tmp_path)
    note_page = next(i for i, t in enumerate(pages) if "Before you read" in t)
    quote_page = next(i for i, t in enumerate(pages) if "A long quoted passage" in t)
    assert note_page == quote_page


def test_heading_is_kept_with_what_follows(tmp_path: Path) -> None:
    filler = [Paragraph(spans(f"Filler line {i}.")) for i in range(37)]
    pages = PdfReader_pages(
        render_pdf(doc(*filler, Heading(2, "Activities"), Paragraph(spans("First step. " * 20)))), tmp_path
    )
    heading_page = next(i for i, t in enumerate(pages) if "Activities" in t)
    assert "First step" in pages[heading_page]


def PdfReader_pages(data: bytes, tmp_path: Path) -> list[str]:  # noqa: N802 - reads like its subject
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def test_a_heading_taller_than_a_page_is_split_and_bookmarked_once(tmp_path: Path) -> None:
    """A title of hundreds of words (a spec may have one) once stopped the build: reportlab splits a
    paragraph taller than the page by making its parts as a plain paragraph is made."""
    words = " ".join(f"word{n}" for n in range(900))
    data = render_pdf(doc(Heading(2, words), Paragraph(spans("After the heading."))))
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    reader = PdfReader(str(path))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert len(reader.pages) >= 2 and "word0" in text and "word899" in text and "After the heading." in text
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [words]
