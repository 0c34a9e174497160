"""The deck printed for the teacher (writers/pptx/handout.py), read back with poppler: two slides a
portrait page, every printed word inside the box the PPTX has for it, the deck's order (each
content note before its extract), no speaker notes, literal spec text, the print editions' fonts
embedded and large enough to read, and the same bytes every time."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generator.model import Deck, Paragraph, Quote, Slide, Span, spans
from generator.runners.build import Builder, Project
from generator.writers import HANDOUT
from generator.writers.pptx import handout, plan, shapes, style
from tests.deckcheck import Box, Word, pdf_pages
from tests.tools import require

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(p for p in (ROOT / "packs").glob("*.yaml") if not p.name.endswith(".printset.yaml"))
TOLERANCE = 1.5  # printed points (about 3 slide points, as the Impress check allows)


def deck(spec: Path, paper: str = "a4") -> Deck:
    builder = Builder(Project(ROOT), paper=paper)  # type: ignore[arg-type]
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    return builder.compose(lesson, found, "slides")


def printed(document: Deck, tmp_path: Path, name: str = "deck") -> tuple[Path, list[tuple[int, shapes.Page]], int]:
    """The handout written to a file, the slides printed (each with its index in the deck) and how
    many slides the deck has."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(HANDOUT.render(document))
    on_paper, total = handout.printed_pages(document, style.style(document.large_print))
    return path, on_paper, total


def boxes(page: shapes.Page, where: handout._Sheet, top: float) -> list[Box]:
    """Where each text box of a slide lands on paper (points from the page's top left)."""
    s, x0, y0 = where.scale, where.x, where.height - top
    found = []
    for shape in (page.title, *page.shapes):
        if isinstance(shape, shapes.TextBox) and shape.paras:
            found.append(
                Box(
                    shape.name,
                    x0 + shape.x * s,
                    y0 + shape.y * s,
                    x0 + (shape.x + shape.w) * s,
                    y0 + (shape.y + shape.h) * s,
                )
            )
        elif isinstance(shape, shapes.Grid):
            y = shape.y
            for height in shape.heights:
                x = shape.x
                for width in shape.widths:
                    found.append(
                        Box(f"{shape.name} cell", x0 + x * s, y0 + y * s, x0 + (x + width) * s, y0 + (y + height) * s)
                    )
                    x += width
                y += height
    return found


def inside(box: Box, word: Word) -> bool:
    _, x0, y0, x1, y1 = word
    middle = (y0 + y1) / 2
    return x0 >= box.x0 - TOLERANCE and x1 <= box.x1 + TOLERANCE and box.y0 - TOLERANCE <= middle <= box.y1 + TOLERANCE


def check_layout(document: Deck, path: Path, numbered: list[tuple[int, shapes.Page]], total: int) -> list[str]:
    """Every word on a slide inside one of its text boxes; off the slides only the header, the
    slide numbers and the page number. The problems found."""
    where = handout.sheet(document)
    sheets = pdf_pages(path)
    problems = []
    pages = [page for _, page in numbered]
    assert len(sheets) == -(-len(pages) // 2)
    for n, (width, height, words) in enumerate(sheets):
        assert (round(width), round(height)) == (round(where.width), round(where.height))
        on = [(pages[2 * n + k], top) for k, top in enumerate(where.tops) if 2 * n + k < len(pages)]
        frames = [(height - top, height - top + where.frame_h) for _, top in on]
        outside: list[str] = []
        for word in words:
            middle = (word[2] + word[4]) / 2
            slot = next((k for k, (a, b) in enumerate(frames) if a <= middle <= b), None)
            if slot is None:
                outside.append(word[0])
                continue
            page, top = on[slot]
            if not any(inside(b, word) for b in boxes(page, where, top)):
                problems.append(
                    f"page {n + 1}, {page.title.paras[0].runs[0].text!r}: {word[0]!r} at "
                    f"({word[1]:.0f},{word[2]:.0f}) is outside every text box"
                )
        labels = [document.slide_label.format(slide=numbered[2 * n + k][0] + 1, slides=total) for k in range(len(on))]
        expected = " ".join([document.header, *labels, document.page_label.format(page=n + 1, pages=len(sheets))])
        if " ".join(outside) != " ".join(expected.split()):
            problems.append(f"page {n + 1}: off the slides {' '.join(outside)!r}, expected {expected!r}")
    return problems


@pytest.fixture(scope="module")
def poppler() -> None:
    require("pdftotext", "pdffonts")


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_printed_word_lies_in_its_slides_box(spec: Path, paper: str, tmp_path: Path, poppler: None) -> None:
    document = deck(spec, paper)
    path, pages, total = printed(document, tmp_path)
    assert check_layout(document, path, pages, total) == []


def test_two_slides_a_page_framed_in_the_decks_order_without_notes(tmp_path: Path, poppler: None) -> None:
    document = deck(ROOT / "packs" / "start-a-conversation.yaml")
    path, numbered, total = printed(document, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    every = plan.pages_of(document, style.style(document.large_print))
    assert total == len(every)
    # Every slide but a check for understanding is printed, in the deck's order and numbered as in
    # the deck; a check's answer slide, printed, shows the same question with its answer.
    kept = [n for n, p in enumerate(every) if p.kind != "check"]
    assert [n for n, _ in numbered] == kept and len(kept) < len(every)
    for n, p in enumerate(every):
        if p.kind == "check":
            assert every[n + 1].kind == "check-answer" and n + 1 in kept
            first = next(s for s in p.shapes if isinstance(s, shapes.TextBox))
            question = "".join(r.text for r in first.paras[0].runs)
            answer = " ".join(
                r.text for s in every[n + 1].shapes if isinstance(s, shapes.TextBox) for q in s.paras for r in q.runs
            )
            assert " ".join(question.split()) and " ".join(question.split()) in " ".join(answer.split()), n
    pages = [p for _, p in numbered]
    titles = [" ".join("".join(r.text for r in p.title.paras[0].runs).split()) for p in pages]
    cursor = 0
    for (n, _), title in zip(numbered, titles, strict=True):
        where = flat.find(title, cursor)
        assert where >= 0, (n, title)
        label = flat.find(f"Slide {n + 1} of {total}", where)
        assert label > where, (n, title)
        cursor = label
    # Each content note is printed directly before its extract.
    kinds = [p.kind for p in pages]
    for n, kind in enumerate(kinds):
        if kind == "content-note":
            assert kinds[n + 1] in ("content-note", "extract"), (n, titles[n])
    assert "content-note" in kinds and "extract" in kinds
    # Speaker notes are the teacher edition's words: none of them is printed.
    for page in pages:
        for note in page.notes:
            words = " ".join("".join(s.text for s in note).split())
            if len(words) > 25:
                assert words[:60] not in flat, words[:60]
    # Two slides a portrait page; the frames are drawn (four lines each, as a rectangle).
    sheet = handout.sheet(document)
    assert len(sheet.tops) == 2 and sheet.height > sheet.width
    assert sheet.tops[1] < sheet.tops[0] - sheet.frame_h


def test_spec_text_is_literal_on_paper(tmp_path: Path, poppler: None) -> None:
    slide = Slide(
        "question",
        "Q {{ 7*7 }} & <i>",
        (Paragraph(spans("{{ 7*7 }} <b>AT&T</b> & done")),),
        (spans("Only the teacher reads this."),),
    )
    note = Slide(
        "extract",
        "Extract 1",
        (Paragraph((Span("An intro.", italic=True),)), Quote(("Line one\nline two: ŵ ŷ Ωμέγα",), "A. Writer")),
    )
    document = Deck("T & <b>", "S", "Header <b>&amp;</b>", "en-GB", "a4", (slide, note))
    path, pages, total = printed(document, tmp_path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # fmt: skip
    assert "Q {{ 7*7 }} & <i>" in text
    assert "{{ 7*7 }} <b>AT&T</b> & done" in text
    assert "Header <b>&amp;</b>" in text
    assert "Line one line two: ŵ ŷ Ωμέγα" in text
    assert "Only the teacher" not in text
    assert check_layout(document, path, pages, total) == []


def test_the_print_editions_fonts_are_embedded_and_large_enough(tmp_path: Path, poppler: None) -> None:
    path, _, _ = printed(deck(ROOT / "packs" / "bystander-to-ally.yaml"), tmp_path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded (and subset)
    assert any("AtkinsonHyperlegible" in row for row in rows), fonts
    assert not re.search(r"Helvetica|Times|Courier", fonts), fonts
    for paper in ("a4", "letter"):
        where = handout.sheet(Deck("T", "S", "H", "en-GB", paper))
        assert style.STANDARD.small_pt * where.scale >= 12.5
        assert style.STANDARD.body_pt * where.scale >= 14.5


def test_the_same_deck_gives_the_same_bytes() -> None:
    document = deck(ROOT / "packs" / "justice-or-prevention.yaml")
    first, second = HANDOUT.render(document), HANDOUT.render(document)
    assert first == second and first.startswith(b"%PDF")
    assert b"/CreationDate (D:20000101000000+00'00')" in first  # reportlab's fixed date, as in the print editions
