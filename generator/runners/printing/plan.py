"""A print run's plan: for each class, which copies of which PDFs (with blank back pages where
duplex needs them), built from the packs the print set names; and each class's assembled PDF.
A class that asks for slides also gets each pack's deck printed, once, after the teacher edition.
The only module importing pypdf."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from ...errors import Problem
from ...lesson.wording import Wording
from ...model import PAPER, Document, Paragraph, Table, TitleBlock, spans
from ...readers.printset import ClassRun, PrintSet, SpecFile
from ...writers import BY_NAME, HANDOUT, Format
from ..build import Builder, Project

KINDS = ("separator", "student", "large-print", "teacher", "slides")
PDF = BY_NAME["pdf"]


@dataclass(frozen=True)
class Part:
    """Copies of one PDF within a section: the separator, a student, large-print or teacher edition,
    or the slides (the deck printed for the teacher)."""

    kind: str  # "separator" | "student" | "large-print" | "teacher" | "slides"
    copies: int
    pages: int  # pages of one copy as built
    padded: int  # pages of one copy as printed (with a blank back page when duplex needs it)
    data: bytes

    @property
    def total(self) -> int:
        return self.copies * self.padded


@dataclass(frozen=True)
class Section:
    """One pack within one class's PDF."""

    pack: SpecFile
    parts: tuple[Part, ...]

    @property
    def pages(self) -> int:
        return sum(p.total for p in self.parts)

    def part(self, kind: str) -> Part | None:
        return next((p for p in self.parts if p.kind == kind), None)


@dataclass(frozen=True)
class ClassPlan:
    run: ClassRun
    sections: tuple[Section, ...]

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.sections)

    @property
    def file(self) -> str:
        return f"{self.run.file_stem}.pdf"


@dataclass
class Plan:
    """Everything a print run writes, and the classes that cannot be printed."""

    printset: PrintSet
    classes: list[ClassPlan]
    not_printed: list[str]

    def sheets(self, pages: int) -> int:
        return pages // 2 if self.printset.duplex else pages

    @property
    def pages(self) -> int:
        return sum(c.pages for c in self.classes)


def padded(pages: int, duplex: bool) -> int:
    """Pages of one copy as printed: double-sided, an odd count gets a blank back page."""
    return pages + pages % 2 if duplex else pages


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def separator_document(
    wording: Wording, printset: PrintSet, run: ClassRun, pack: SpecFile, parts: list[Part]
) -> Document:
    """The sheet before each pack of a class: who it is for and what follows (words: separator.j2)."""
    words: Any = wording.env.get_template("separator.j2").module

    def call(name: str, *args: Any) -> str:
        return str(getattr(words, name)(*args)).strip()

    def sheets(pages: int) -> int:
        return pages // 2 if printset.duplex else pages

    copies = [p for p in parts if p.kind in words.kinds]
    rows = [tuple(words.columns)]
    rows += [
        (words.kinds[p.kind], str(p.copies), call("each", p.pages, p.padded - p.pages), str(sheets(p.total)))
        for p in copies
    ]
    total = sum(p.total for p in copies)
    rows.append((words.total_row, str(sum(p.copies for p in copies)), call("total", total), str(sheets(total))))
    media = PAPER[printset.paper].media
    return Document(
        title=call("title", run.name, pack.title),
        subject=call("subject", printset.name),
        header=call("header", printset.name, run.name),
        lang="en-GB",
        paper=printset.paper,
        blocks=(
            TitleBlock(call("heading", run.name), words.label, pack.title),
            Paragraph(spans(call("pack", pack.id)), "small"),
            Paragraph(spans(call("copies", run.students, run.large_print, printset.duplex, media))),
            Table(tuple(rows), (3.0, 1.0, 1.4, 1.0)),
            Paragraph(spans(words.remove), "small"),
        ),
        page_label=words.page_label,
    )


def _section(
    wording: Wording, printset: PrintSet, run: ClassRun, pack: SpecFile, files: dict[tuple[str, str], bytes]
) -> Section:
    duplex = printset.duplex

    def part(kind: str, copies: int, data: bytes) -> Part:
        pages = page_count(data)
        return Part(kind, copies, pages, padded(pages, duplex), data)

    parts = [part("student", run.standard_copies, files[(pack.id, "student")])]
    if run.large_print:
        parts.append(part("large-print", run.large_print, files[(pack.id, "large-print")]))
    parts.append(part("teacher", 1, files[(pack.id, "teacher")]))
    if run.slides:
        parts.append(part("slides", 1, files[(pack.id, "slides")]))
    separator = PDF.render(separator_document(wording, printset, run, pack, parts))
    return Section(pack, (part("separator", 1, separator), *parts))


def prepare(
    root: Path, printset: PrintSet, packs: dict[str, SpecFile], out: Path, policy: Path | None = None
) -> tuple[Plan, list[Problem]]:
    """Build the packs the print set names into `out` and plan every class's PDF.

    A class with a pack that does not build is left out (its problems are returned). Only the
    PDFs are built: a print run prints nothing else. The deck is made (printed, two slides a page)
    only for the packs of classes with `slides: true`; for the others it is never composed."""
    project = Project(root)
    needed = list(dict.fromkeys(p for run in printset.classes for p in run.packs))
    decks = {p for run in printset.classes if run.slides for p in run.packs}
    large = list(dict.fromkeys(p for run in printset.classes if run.large_print for p in run.packs))
    files: dict[tuple[str, str], bytes] = {}
    problems: dict[tuple[Any, str], Problem] = {}
    failed: set[str] = set()
    builds: list[tuple[str, tuple[Format, ...], list[str]]] = [
        ("standard", (PDF,), [i for i in needed if i not in decks]),
        ("standard", (PDF, HANDOUT), [i for i in needed if i in decks]),
        ("large-print", (PDF,), large),
    ]
    for variant, formats, wanted in builds:
        ids = [i for i in wanted if i not in failed]  # a pack that failed as standard fails as large print too
        if not ids:
            continue
        builder = Builder(
            project, printset.paper, policy, "large-print" if variant == "large-print" else "standard", formats
        )
        report = builder.build([packs[i].path for i in ids], out)
        for p in report.problems:
            problems.setdefault((p.position, p.message), p)
        ready = set(report.built) | set(report.unchanged)  # unchanged: built by an earlier run into `out`
        for pack_id in ids:
            if pack_id not in ready:
                failed.add(pack_id)
                continue
            paths = report.paths[pack_id]
            if variant == "standard":
                files[(pack_id, "student")] = paths[("student", "pdf")].read_bytes()
                files[(pack_id, "teacher")] = paths[("teacher", "pdf")].read_bytes()
                if HANDOUT in formats:
                    files[(pack_id, "slides")] = paths[("slides", HANDOUT.name)].read_bytes()
            else:
                files[(pack_id, "large-print")] = paths[("student", "pdf")].read_bytes()
    found = list(problems.values())
    plan = Plan(printset, [], [])
    wording = Builder(project).wording
    for run in printset.classes:
        broken = [
            (pack_id, where) for pack_id, where in zip(run.packs, run.pack_positions, strict=True) if pack_id in failed
        ]
        for pack_id, where in broken:
            found.append(
                Problem(
                    where,
                    f"pack '{pack_id}' cannot be built (its problems are listed with its file), "
                    f"so class '{run.name}' is not printed",
                )
            )
        if broken:
            plan.not_printed.append(run.name)
            continue
        sections = tuple(_section(wording, printset, run, packs[pack_id], files) for pack_id in run.packs)
        plan.classes.append(ClassPlan(run, sections))
    return plan, found


def assemble(plan: Plan, cls: ClassPlan) -> bytes:
    """The class's PDF: every section's copies in order, blank back pages where duplex needs them."""
    writer = PdfWriter()
    for section in cls.sections:
        for part in section.parts:
            reader = PdfReader(io.BytesIO(part.data))
            last = reader.pages[-1].mediabox
            for _ in range(part.copies):
                for page in reader.pages:
                    writer.add_page(page)
                for _ in range(part.padded - part.pages):
                    writer.add_blank_page(float(last.width), float(last.height))
    writer.add_metadata(
        {
            "/Title": f"{plan.printset.name} — class {cls.run.name}",
            "/Subject": "Print run: " + ", ".join(f"{s.pack.id} ({s.pages} pages)" for s in cls.sections),
            "/Creator": "lessonpack",
            "/Producer": "lessonpack (pypdf)",
        }
    )
    if len(writer.pages) != cls.pages:  # pragma: no cover - a bug, caught by the tests
        raise RuntimeError(f"class {cls.run.name}: planned {cls.pages} pages but assembled {len(writer.pages)}")
    buffer = io.BytesIO()
    writer.write(buffer)  # no /ID and no dates: the same plan gives the same bytes
    return buffer.getvalue()
