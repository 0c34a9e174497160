"""End to end: every shipped pack is built, and its real PDF and DOCX files are read back."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from generator.model import PrintEdition
from generator.readers.corpus import Corpus
from generator.readers.resolved import Lesson
from generator.readers.spec import load_lesson
from generator.runners.build import Report, find_specs
from generator.writers import FORMATS
from tests.tools import body_paragraphs, real_tables

from .tools import docx_to_pdf, pdf_pages, require
from .tools import pdf_text as tools_pdf_text

# Every format's editions: student and teacher as PDF and DOCX, and the deck.
FILES_PER_PACK = sum(len(f.editions) for f in FORMATS)
ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])


def norm(text: str) -> str:
    """Text as extracted, with line breaks, hyphen breaks, quotes and spaces folded."""
    text = text.replace("\u00a0", " ")
    text = re.sub(r"[‘’]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return norm(tools_pdf_text(path))


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in body_paragraphs(d)]
    for table in real_tables(d):
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return norm(" ".join(parts))


def lesson_for(spec: Path, corpus: Corpus) -> Lesson:
    lesson, problems = load_lesson(spec, corpus)
    assert lesson is not None, [str(p) for p in problems]
    return lesson


def test_every_shipped_pack_builds(shipped_build: tuple[Path, Report]) -> None:
    out, report = shipped_build
    assert report.failed == []
    assert [p for p in report.problems if p.severity == "error"] == []
    assert len(report.built) == len(SPECS) >= 6
    for pack_id in report.built:
        assert set(report.paths[pack_id]) == {(e, f.name) for f in FORMATS for e in f.editions}
        for path in report.paths[pack_id].values():
            assert path.parent == out / pack_id and path.stat().st_size > 1000


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_content_in_the_right_edition(spec: Path, shipped_build: tuple[Path, Report], corpus: Corpus) -> None:
    _, report = shipped_build
    lesson = lesson_for(spec, corpus)
    texts = {
        (edition, ext): (pdf_text if ext == "pdf" else docx_text)(report.paths[lesson.id][(edition, ext)])
        for edition in ("student", "teacher")
        for ext in ("pdf", "docx")
    }
    for (edition, ext), text in texts.items():
        where = f"{edition}.{ext}"
        assert norm(lesson.spec.title) in text, where
        for excerpt in lesson.excerpts:
            for para in excerpt.match.text:
                # The printed quote is the essay's own words; check a long run of them.
                assert norm(para)[:60] in text, (where, excerpt.id)
        for q in lesson.spec.questions:
            assert norm(q.text)[:50] in text, (where, q.text)
        for a in lesson.spec.activities:
            assert norm(a.title) in text, (where, a.title)
            for step in a.steps:
                assert norm(step)[:40] in text, (where, step)
        for q in lesson.spec.questions:
            if q.answer:
                # Answer guidance is for the teacher only.
                assert (norm(q.answer)[:50] in text) == (edition == "teacher"), (where, q.answer)
        for note in lesson.spec.teacher_notes:
            assert (norm(note)[:50] in text) == (edition == "teacher"), (where, note)
        for objective in lesson.spec.objectives:
            assert (norm(objective)[:50] in text) == (edition == "teacher"), (where, objective)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_excerpt_is_cited(spec: Path, shipped_build: tuple[Path, Report], corpus: Corpus) -> None:
    _, report = shipped_build
    lesson = lesson_for(spec, corpus)
    text = pdf_text(report.paths[lesson.id][("student", "pdf")])
    for excerpt in lesson.excerpts:
        seed = excerpt.essay
        # An essay is credited to its author, else to the organisation that publishes it.
        who = next((w for w in (seed.author, seed.publisher) if w != "unknown"), "Unknown author")
        numbers = ", ".join(str(n) for n in excerpt.match.paragraphs)
        assert f"{who}," in text
        assert re.search(rf"paragraphs? {re.escape(numbers)}\.", text), (excerpt.id, numbers)


def all_pdfs(out: Path) -> list[Path]:
    return sorted(out.rglob("*.pdf"))


def test_qpdf_accepts_every_pdf(shipped_build: tuple[Path, Report]) -> None:
    require("qpdf")
    out, _ = shipped_build
    for pdf in all_pdfs(out):
        result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, (pdf.name, result.stdout[-500:], result.stderr[-500:])


def test_every_font_is_embedded(shipped_build: tuple[Path, Report]) -> None:
    require("pdffonts")
    out, _ = shipped_build
    for pdf in all_pdfs(out):
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = lines.splitlines()[2:]
        assert rows, pdf.name
        for row in rows:
            # columns: name type encoding emb sub uni object ID
            emb = row.split()[-5]
            assert emb == "yes", (pdf.name, row)


def test_pdf_metadata_and_page_numbers(shipped_build: tuple[Path, Report], corpus: Corpus) -> None:
    out, _ = shipped_build
    lesson = lesson_for(ROOT / "packs" / "start-a-conversation.yaml", corpus)
    reader = PdfReader(str(out / lesson.id / f"{lesson.id}-teacher.pdf"))
    assert reader.metadata is not None
    assert reader.metadata.title == lesson.spec.title
    assert "Teacher edition" in (reader.metadata.subject or "")
    assert "/Lang" in reader.root_object
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, 1):
        assert f"Page {n} of {total}" in (page.extract_text() or "")
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert lesson.spec.title in outline_titles
    assert "Where to get help" in outline_titles


def test_libreoffice_opens_every_docx(shipped_build: tuple[Path, Report], tmp_path: Path) -> None:
    out, _ = shipped_build
    files = sorted(out.rglob("*.docx"))
    converted = docx_to_pdf(files, tmp_path)
    for f in files:
        pdf = converted / f"{f.stem}.pdf"
        assert pdf.exists(), f.name
        text = pdf_text(pdf)
        assert "Page 1 of" in text, f.name  # the PAGE/NUMPAGES fields were evaluated


def _build_hashes(out: Path) -> dict[str, str]:
    env = {**os.environ}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run(
        # One pack after another, as the session's build is (test_batch compares that with workers).
        [sys.executable, "-m", "generator", "build", "--jobs", "1", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )
    return _hashes(out)


def _hashes(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".lessonpack-cache.json"  # the incremental-build record, not output
    }


def test_two_builds_are_byte_identical(shipped_build: tuple[Path, Report], tmp_path: Path) -> None:
    """The session's build (in this process) and a build in a fresh process, nothing cached between them."""
    first = _hashes(shipped_build[0])
    second = _build_hashes(tmp_path / "two")
    assert len(first) == FILES_PER_PACK * len(SPECS)
    assert first == second


# ---------------------------------------------------------------------------------------
# Content guidance as printed: each note before its excerpt, on its page; the teacher's table.


def _guided(spec: Path) -> tuple[Lesson, Any]:
    from generator.runners.build import Builder, Project

    lesson, found, problems = Builder(Project(ROOT)).check(spec)
    assert lesson is not None and found is not None, [str(p) for p in problems]
    return lesson, found


def _notes_and_quotes(lesson: Lesson, found: Any) -> list[tuple[str, list[str]]]:
    """(start of each quote, the notes printed with it) in print order, from the student document."""
    from generator.lesson import compose, support, wording
    from generator.model import Callout, KeepTogether, Quote, plain

    doc = compose.compose(lesson, "student", wording.load(ROOT / "templates"), found, support.signposting("uk", 14, 16))
    out = []
    for block in doc.blocks:
        quotes = [b for b in block.blocks if isinstance(b, Quote)] if isinstance(block, KeepTogether) else []
        if quotes and isinstance(block, KeepTogether):
            before = block.blocks[: block.blocks.index(quotes[0])]
            notes = [norm(plain(c.paragraphs[0])) for c in before if isinstance(c, Callout)]
            out.append((norm(quotes[0].paragraphs[0])[:45], notes))
    return out


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_student_pdf_prints_each_note_before_its_excerpt_on_the_same_page(
    spec: Path, shipped_build: tuple[Path, Report]
) -> None:
    _, report = shipped_build
    lesson, found = _guided(spec)
    pages = [norm(p) for p in pdf_pages(report.paths[lesson.id][("student", "pdf")])]
    flagged = 0
    for quote, notes in _notes_and_quotes(lesson, found):
        page = next(i for i, text in enumerate(pages) if quote in text)
        before = pages[page][: pages[page].index(quote)]
        flagged += bool(notes)
        for note in notes:
            assert note in before, (lesson.id, quote, note)
    # Every excerpt whose own words carry a note gets one.
    assert flagged == sum(1 for e in found.excerpts.values() if any(d.flag.category.pupil_note for d in e.read))
    summary = found.categories()
    assert (
        "Before we start" in pages[0] or "About today's reading" in pages[0] or "About these texts" in pages[0]
    ) == bool(summary)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_student_docx_prints_each_note_directly_before_its_excerpt(
    spec: Path, shipped_build: tuple[Path, Report]
) -> None:
    _, report = shipped_build
    lesson, found = _guided(spec)
    paras = [norm(p.text) for p in body_paragraphs(docx.Document(str(report.paths[lesson.id][("student", "docx")])))]
    for quote, notes in _notes_and_quotes(lesson, found):
        at = next(i for i, text in enumerate(paras) if text.startswith(quote))
        # The notes (title + text each) and perhaps the intro sit just above the quote.
        window = " ".join(paras[max(0, at - 2 * len(notes) - 2) : at])
        for note in notes:
            assert note in window, (lesson.id, quote, note)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_teacher_edition_carries_the_guidance_table_and_checklist(
    spec: Path, shipped_build: tuple[Path, Report]
) -> None:
    _, report = shipped_build
    lesson, found = _guided(spec)
    for path in (report.paths[lesson.id][("teacher", "pdf")], report.paths[lesson.id][("teacher", "docx")]):
        text = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
        assert "Content guidance level" in text and "Words in the text" in text, path.name
        assert "Handling this lesson" in text and "designated safeguarding lead" in text
        for eg in found.excerpts.values():
            for d in eg.decisions:
                assert norm(d.flag.category.label) in text
                for word in d.flag.words:
                    assert norm(word) in text, (path.name, word)
        actions = found.actions()
        assert ("Political impartiality" in text) == ("impartiality-note" in actions)
        assert ("Check the facts are current" in text) == ("verify-facts-note" in actions)
        rshe = found.applies("right-to-withdraw")
        assert ("Right to withdraw" in text) == rshe, path.name
    student = pdf_text(report.paths[lesson.id][("student", "pdf")])
    assert "Content guidance level" not in student and "Words in the text" not in student


def _first_questions(lesson: Lesson, found: Any, edition: PrintEdition) -> list[tuple[str, str]]:
    """(the end of each extract, the start of its first question) in print order."""
    from generator.lesson import compose, support, wording
    from generator.model import KeepTogether, Paragraph, Quote, plain

    services = support.for_audience(
        lesson.region, lesson.ages.youngest, lesson.ages.oldest, found.audience, found.raised()
    )
    doc = compose.compose(lesson, edition, wording.load(ROOT / "templates"), found, services)
    out = []
    for block in doc.blocks:
        if not isinstance(block, KeepTogether):
            continue
        quotes = [b for b in block.blocks if isinstance(b, Quote)]
        if not quotes:
            continue
        # The first question is a group inside the extract's (with its room or guidance).
        rest = block.blocks[block.blocks.index(quotes[0]) + 1 :]
        after = [
            q
            for b in rest
            for q in (b.blocks if isinstance(b, KeepTogether) else (b,))
            if isinstance(q, Paragraph) and plain(q.spans).startswith("Question")
        ]
        if after:
            out.append((norm(quotes[0].paragraphs[-1])[-40:], norm(plain(after[0].spans))[:40]))
    return out


@pytest.mark.parametrize("edition", ["student", "teacher"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_an_extracts_first_question_is_on_its_page(
    spec: Path, edition: PrintEdition, shipped_build: tuple[Path, Report]
) -> None:
    _, report = shipped_build
    lesson, found = _guided(spec)
    pages = [norm(p) for p in pdf_pages(report.paths[lesson.id][(edition, "pdf")])]
    pairs = _first_questions(lesson, found, edition)
    # A question is printed after the last of the extracts it is about.
    order = [e.id for e in lesson.excerpts]
    last = {max(q.excerpts, key=order.index) for q in lesson.spec.questions if q.excerpts}
    assert len(pairs) >= len(last) > 0
    for end, question in pairs:
        page = next(i for i, text in enumerate(pages) if end in text)
        assert question in pages[page][pages[page].index(end) :], (lesson.id, edition, end, question)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_question_kinds_never_wrap_onto_a_line_of_their_own(spec: Path, shipped_build: tuple[Path, Report]) -> None:
    _, report = shipped_build
    lesson, _ = _guided(spec)
    require("pdftotext")
    path = report.paths[lesson.id][("teacher", "pdf")]
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    kinds = ("(Recall)", "(Inference)", "(Evaluation)", "(Balance)")
    assert any(k in text for k in kinds)
    for line in text.splitlines():
        assert line.strip() not in kinds, (lesson.id, line)


def test_an_adult_pack_is_a_participant_edition(shipped_build: tuple[Path, Report]) -> None:
    out, report = shipped_build
    paths = report.paths["staff-allyship-training"]
    assert paths[("student", "pdf")] == out / "staff-allyship-training" / "staff-allyship-training-participant.pdf"
    assert not (out / "staff-allyship-training" / "staff-allyship-training-student.pdf").exists()
    for ext in ("pdf", "docx"):
        text = (pdf_text if ext == "pdf" else docx_text)(paths[("student", ext)])
        assert "Participant handout" in text and "Student handout" not in text
        assert "Name:" not in text and "Class:" not in text  # no pupil fields
        assert "Childline" not in text and "NSPCC helpline" in text  # adult services
        # Adult wording in what lessonpack itself says (the support page and notes).
        assert "your form tutor" not in text and "Talk to an adult you trust" not in text, ext
        assert "talk to your line manager or a colleague you trust" in text
    teacher = pdf_text(paths[("teacher", "pdf")])
    assert "everything in the participant handout" in teacher
