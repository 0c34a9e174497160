"""Classroom print runs: one collated, print-ready PDF per class, a manifest, and CUPS print jobs.

`lessonpack print SET` reads a print set (*.printset.yaml), builds the packs it names, and
writes DIR/SET/CLASS.pdf: for each pack a separator sheet, the student copies, the
large-print copies and one teacher edition, each starting on a fresh sheet when printing
double-sided. pypdf and the build machinery are imported inside functions, so that
`lessonpack --help` stays fast.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import Problem
    from .model import Document
    from .printset import ClassRun, Pack, PrintSet

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
MANIFEST_CSV, MANIFEST_JSON = "manifest.csv", "manifest.json"
MEDIA = {"a4": "A4", "letter": "Letter"}
CUPS_TIMEOUT = 120  # seconds for one lp or lpstat call
KINDS = ("separator", "student", "large-print", "teacher")

DESCRIPTION = """\
Write one print-ready PDF per class of a print set (*.printset.yaml). For each pack the
class has: a separator sheet (class, pack, copies), the student copies collated, the
large-print copies, and one teacher edition. With 'duplex: true' every copy starts on a
fresh sheet (a blank back page is added after a copy with an odd number of pages).
Beside the PDFs: manifest.csv and manifest.json, with pages and sheets of paper per class
and in total. The packs themselves are built into DIR/SET/packs/."""

EPILOG = """\
examples:
  lessonpack print packs/year-9.printset.yaml            write dist/print/year-9/9A.pdf, ...
  lessonpack print packs/year-9.printset.yaml --dry-run  only show pages and sheets
  lessonpack print packs/year-9.printset.yaml --printer Staffroom

With --printer, each class PDF is one CUPS job (lp -d QUEUE -n 1 -o sides=... -o media=...):
the copies are already collated inside the PDF, so the job asks for one copy (printing
the PDF N times would repeat the separator sheets and the teacher editions).

exit codes: 0 all written (and sent); 1 the print set or a pack it names has an error
            (the other classes are still written); 2 the command line is wrong, the print
            set cannot be read, or CUPS or the printer queue is missing or refused a job
            (the PDFs are still written)
"""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """The `print` subcommand (cli.py calls this with its subparsers and adds --policy)."""
    command: argparse.ArgumentParser = sub.add_parser(
        "print",
        help="write one print-ready PDF per class of a print set (and send them to a printer)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("printset", type=Path, metavar="SET", help="print-set file (NAME.printset.yaml)")
    command.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output folder (default: dist/print in the project)"
    )
    command.add_argument(
        "--dry-run", action="store_true", help="build and count pages and sheets, write nothing, send nothing"
    )
    command.add_argument(
        "--printer",
        metavar="QUEUE",
        default=None,
        help="also send each class PDF to this CUPS queue as one job of one copy (the copies are "
        "collated inside the PDF); sides and media follow the print set",
    )
    return command


# ---------------------------------------------------------------------------------------
# The plan: what goes into each class's PDF, and how many pages and sheets that is.


@dataclass(frozen=True)
class Part:
    """Copies of one PDF within a section: the separator, a student, large-print or teacher edition."""

    kind: str  # "separator" | "student" | "large-print" | "teacher"
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

    pack: Pack
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
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def separator_document(printset: PrintSet, run: ClassRun, pack: Pack, parts: Sequence[Part]) -> Document:
    """The sheet before each pack of a class: who it is for and what follows. No dates, so output is stable."""
    from .model import Document, Heading, Paragraph, Span, Table, spans

    names = {"student": "Student handout", "large-print": "Large-print student handout", "teacher": "Teacher edition"}
    duplex = printset.duplex

    def sheets(pages: int) -> int:
        return pages // 2 if duplex else pages

    def each(part: Part) -> str:
        blank = part.padded - part.pages
        return f"{part.pages} + {blank} blank" if blank else str(part.pages)

    copies = [p for p in parts if p.kind in names]
    rows = [("What follows", "Copies", "Pages each", "Sheets")]
    rows += [(names[p.kind], str(p.copies), each(p), str(sheets(p.total))) for p in copies]
    total = sum(p.total for p in copies)
    rows.append(("All copies", str(sum(p.copies for p in copies)), f"{total} in all", str(sheets(total))))
    sides = "double-sided" if duplex else "single-sided"
    fresh = "; every copy starts on a fresh sheet." if duplex else "."
    return Document(
        title=f"{run.name}: {pack.title}",
        subject=f"Print run {printset.name}, separator sheet",
        edition="teacher",
        header=f"Print run {printset.name} · class {run.name} · separator sheet",
        lang="en-GB",
        paper=printset.paper,
        blocks=(
            Paragraph((Span("Separator sheet — not for students"),), "label"),
            Heading(1, f"Class {run.name}"),
            Paragraph((Span(pack.title, bold=True),), "lead"),
            Paragraph((Span(f"Pack: {pack.id}"),), "small"),
            Paragraph(
                spans(
                    f"{run.students} students, {run.large_print} of them with large print. "
                    f"Printed {sides} on {MEDIA[printset.paper]} paper{fresh}"
                )
            ),
            Table(tuple(rows), (3.0, 1.0, 1.4, 1.0)),
            Paragraph(spans("Remove this sheet before handing out the copies."), "small"),
        ),
        page_label="Separator sheet",
    )


def _section(printset: PrintSet, run: ClassRun, pack: Pack, files: dict[tuple[str, str], bytes]) -> Section:
    from .pdf import render_pdf

    duplex = printset.duplex

    def part(kind: str, copies: int, data: bytes) -> Part:
        pages = page_count(data)
        return Part(kind, copies, pages, padded(pages, duplex), data)

    parts = [part("student", run.standard_copies, files[(pack.id, "student")])]
    if run.large_print:
        parts.append(part("large-print", run.large_print, files[(pack.id, "large-print")]))
    parts.append(part("teacher", 1, files[(pack.id, "teacher")]))
    separator = render_pdf(separator_document(printset, run, pack, parts))
    return Section(pack, (part("separator", 1, separator), *parts))


def prepare(
    root: Path, printset: PrintSet, packs: dict[str, Pack], out: Path, policy: Path | None = None
) -> tuple[Plan, list[Problem]]:
    """Build the packs the print set names into `out` and plan every class's PDF.

    A class with a pack that does not build is left out (its problems are returned)."""
    from .build import Builder, Project, output_paths
    from .errors import Problem

    project = Project(root)
    needed = list(dict.fromkeys(p for run in printset.classes for p in run.packs))
    large = list(dict.fromkeys(p for run in printset.classes if run.large_print for p in run.packs))
    files: dict[tuple[str, str], bytes] = {}
    problems: dict[tuple[Any, str], Problem] = {}
    failed: set[str] = set()
    for variant, wanted in (("standard", needed), ("large-print", large)):
        ids = [i for i in wanted if i not in failed]  # a pack that failed as standard fails as large print too
        if not ids:
            continue
        builder = Builder(project, printset.paper, policy, "large-print" if variant == "large-print" else "standard")
        report = builder.build([packs[i].path for i in ids], out)
        for p in report.problems:
            problems.setdefault((p.position, p.message), p)
        ready = set(report.built) | set(report.unchanged)  # unchanged: built by an earlier run into `out`
        for pack_id in ids:
            if pack_id not in ready:
                failed.add(pack_id)
                continue
            paths = output_paths(out, pack_id, builder.variant)
            if variant == "standard":
                files[(pack_id, "student")] = paths[("student", "pdf")].read_bytes()
                files[(pack_id, "teacher")] = paths[("teacher", "pdf")].read_bytes()
            else:
                files[(pack_id, "large-print")] = paths[("student", "pdf")].read_bytes()
    found = list(problems.values())
    plan = Plan(printset, [], [])
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
        sections = tuple(_section(printset, run, packs[pack_id], files) for pack_id in run.packs)
        plan.classes.append(ClassPlan(run, sections))
    return plan, found


def assemble(plan: Plan, cls: ClassPlan) -> bytes:
    """The class's PDF: every section's copies in order, blank back pages where duplex needs them."""
    from pypdf import PdfReader, PdfWriter

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


# ---------------------------------------------------------------------------------------
# Manifest and table.


def manifest(plan: Plan) -> dict[str, Any]:
    """Pages and sheets of paper per pack, per class and in total."""
    printset = plan.printset

    def copies(section: Section, kind: str) -> int:
        part = section.part(kind)
        return part.copies if part else 0

    def pages_each(section: Section, kind: str) -> int:
        part = section.part(kind)
        return part.padded if part else 0

    classes = []
    for cls in plan.classes:
        packs = [
            {
                "id": s.pack.id,
                "title": s.pack.title,
                "student_copies": copies(s, "student"),
                "large_print_copies": copies(s, "large-print"),
                "teacher_copies": copies(s, "teacher"),
                "pages_per_copy": {kind: pages_each(s, kind) for kind in KINDS},
                "pages": s.pages,
                "sheets": plan.sheets(s.pages),
            }
            for s in cls.sections
        ]
        classes.append(
            {
                "name": cls.run.name,
                "file": cls.file,
                "students": cls.run.students,
                "large_print": cls.run.large_print,
                "packs": packs,
                "pages": cls.pages,
                "sheets": plan.sheets(cls.pages),
            }
        )
    return {
        "print_set": printset.name,
        "paper": printset.paper,
        "duplex": printset.duplex,
        "classes": classes,
        "not_printed": plan.not_printed,
        "total": {"files": len(plan.classes), "pages": plan.pages, "sheets": plan.sheets(plan.pages)},
    }


CSV_COLUMNS = ("row", "class", "pack", "student_copies", "large_print_copies", "teacher_copies", "pages", "sheets")


def manifest_csv(data: dict[str, Any]) -> str:
    """One row per class and pack, a 'class' row per class and one 'total' row."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for cls in data["classes"]:
        for pack in cls["packs"]:
            out.writerow(
                (
                    "pack",
                    cls["name"],
                    pack["id"],
                    pack["student_copies"],
                    pack["large_print_copies"],
                    pack["teacher_copies"],
                    pack["pages"],
                    pack["sheets"],
                )
            )
        out.writerow(("class", cls["name"], "", "", "", "", cls["pages"], cls["sheets"]))
    total = data["total"]
    out.writerow(("total", "", "", "", "", "", total["pages"], total["sheets"]))
    return buffer.getvalue()


def table(data: dict[str, Any]) -> str:
    """The manifest as a table for the terminal."""
    head = ("class", "pack", "students", "large print", "teacher", "pages", "sheets")
    rows: list[tuple[str, ...]] = []
    for cls in data["classes"]:
        for pack in cls["packs"]:
            rows.append(
                (
                    cls["name"],
                    pack["id"],
                    str(pack["student_copies"]),
                    str(pack["large_print_copies"]),
                    str(pack["teacher_copies"]),
                    str(pack["pages"]),
                    str(pack["sheets"]),
                )
            )
        rows.append((cls["name"], "(class total)", "", "", "", str(cls["pages"]), str(cls["sheets"])))
    total = data["total"]
    rows.append(("TOTAL", f"{total['files']} class PDF(s)", "", "", "", str(total["pages"]), str(total["sheets"])))
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]

    def line(row: tuple[str, ...]) -> str:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    sides = "double-sided" if data["duplex"] else "single-sided"
    title = f"print set {data['print_set']}: {MEDIA[data['paper']]}, {sides}"
    return "\n".join([title, line(head), *(line(r) for r in rows)]) + "\n"


# ---------------------------------------------------------------------------------------
# CUPS.


class CupsError(Exception):
    """CUPS is missing, the queue does not exist, or a job was refused (exit 2; the PDFs stay on disk)."""


def _cups(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C"}  # lp's 'request id is ...' is translated otherwise
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=CUPS_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise CupsError(f"'{' '.join(command[:3])} ...' did not answer within {CUPS_TIMEOUT} s") from None
    except OSError as exc:
        raise CupsError(f"cannot run {command[0]}: {exc.strerror or exc}") from None


def _first_line(result: subprocess.CompletedProcess[str]) -> str:
    text = (result.stderr or result.stdout).strip()
    return text.splitlines()[0] if text else f"exit status {result.returncode}"


def check_queue(queue: str, where: str) -> tuple[str, str]:
    """The paths of lp and lpstat, once CUPS is known to have the queue."""
    from .validation import suggest

    lp, lpstat = shutil.which("lp"), shutil.which("lpstat")
    if lp is None or lpstat is None:
        missing = "lp" if lp is None else "lpstat"
        raise CupsError(f"CUPS is not installed (no '{missing}' command); {where}")
    if _cups([lpstat, "-p", queue]).returncode == 0:
        return lp, lpstat
    if "not running" in _cups([lpstat, "-r"]).stdout:
        raise CupsError(f"the CUPS scheduler is not running (start the 'cups' service); {where}")
    listing = _cups([lpstat, "-e"])
    if listing.returncode != 0:
        raise CupsError(f"cannot ask CUPS for printer queue '{queue}' ({_first_line(listing)}); {where}")
    queues = sorted(listing.stdout.split())
    known = (suggest(queue, queues).lstrip("; ") + " " if suggest(queue, queues) else "") + (
        f"queues: {', '.join(queues)}" if queues else "CUPS has no printer queues (add one with lpadmin)"
    )
    raise CupsError(f"no printer queue '{queue}' in CUPS ({known}); {where}")


def submit(queue: str, plan: Plan, folder: Path, where: str) -> list[tuple[str, str]]:
    """Send each class PDF as one job of one copy; (class, job id) for each."""
    lp, _ = check_queue(queue, where)
    sides = "two-sided-long-edge" if plan.printset.duplex else "one-sided"
    media = MEDIA[plan.printset.paper]
    jobs: list[tuple[str, str]] = []
    for cls in plan.classes:
        path = (folder / cls.file).resolve()
        title = f"{plan.printset.name} {cls.run.name}"
        options = ["-n", "1", "-o", f"sides={sides}", "-o", f"media={media}", "-t", title]
        result = _cups([lp, "-d", queue, *options, str(path)])
        found = re.search(r"request id is (\S+)", result.stdout)
        if result.returncode != 0 or not found:
            sent = ", ".join(f"{name} ({job})" for name, job in jobs) or "none"
            raise CupsError(
                f"CUPS refused the job for class {cls.run.name} ({_first_line(result)}); already sent: {sent}; {where}"
            )
        jobs.append((cls.run.name, found.group(1)))
    return jobs


# ---------------------------------------------------------------------------------------
# The command.


def _stale_files(folder: Path, keep: set[str]) -> list[Path]:
    """Class PDFs the previous run's manifest listed that this run does not write."""
    try:
        old = json.loads((folder / MANIFEST_JSON).read_text(encoding="utf-8"))
        names = [c["file"] for c in old["classes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [
        folder / n
        for n in names
        if isinstance(n, str) and n.endswith(".pdf") and Path(n).name == n and n not in keep and (folder / n).is_file()
    ]


def write(plan: Plan, folder: Path) -> list[Path]:
    """Each class PDF, then the manifest (all atomically); class PDFs of an earlier run no longer listed go."""
    from .files import write_atomic

    stale = _stale_files(folder, {c.file for c in plan.classes})
    written = []
    for cls in plan.classes:
        write_atomic(folder / cls.file, assemble(plan, cls))
        written.append(folder / cls.file)
    data = manifest(plan)
    write_atomic(folder / MANIFEST_JSON, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    write_atomic(folder / MANIFEST_CSV, manifest_csv(data).encode("utf-8"))
    for path in stale:
        path.unlink(missing_ok=True)
    return written


def _show(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.position, p.message)):
        print(problem, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """`lessonpack print`: returns the exit code."""
    from . import printset as printset_mod
    from .build import Project, UsageError, display, find_specs

    started = time.perf_counter()
    project = Project(getattr(args, "root", None) or Path("."))
    path: Path = args.printset
    if not path.is_file():
        print(f"lessonpack: error: {path}: no such print-set file", file=sys.stderr)
        return EXIT_USAGE
    try:
        specs = find_specs([project.packs]) if project.packs.is_dir() else []
        packs = printset_mod.pack_index(specs)
        found, problems = printset_mod.load(path, packs, display(path))
        _show(problems)
        if found is None:
            return EXIT_ERROR
        folder = (args.out or project.root / "dist" / "print") / found.name
        if args.dry_run:
            with tempfile.TemporaryDirectory(prefix="lessonpack-print-") as tmp:
                plan, problems = prepare(project.root, found, packs, Path(tmp), args.policy)
        else:
            plan, problems = prepare(project.root, found, packs, folder / "packs", args.policy)
    except UsageError as exc:
        _show(exc.problems)
        print(f"lessonpack: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _show(problems)
    failed = bool(plan.not_printed)
    data = manifest(plan)
    sys.stdout.write(table(data))
    if args.dry_run:
        where = "dry run: nothing was written"
    else:
        write(plan, folder)
        where = f"the PDFs are in {display(folder)}"
    seconds = time.perf_counter() - started
    if plan.not_printed:
        print(f"lessonpack: error: not printed: {', '.join(plan.not_printed)}", file=sys.stderr)
    if args.dry_run:
        print(
            f"dry run: {len(plan.classes)} class PDF(s) would be written into {display(folder)} "
            f"({seconds:.1f} s); nothing was written"
        )
    else:
        print(
            f"wrote {len(plan.classes)} class PDF(s) and {MANIFEST_CSV}, {MANIFEST_JSON} "
            f"into {display(folder)} in {seconds:.1f} s"
        )
    if args.printer is None:
        return EXIT_ERROR if failed else EXIT_OK
    if failed:
        print(f"lessonpack: error: nothing sent to '{args.printer}' while a class cannot be printed", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.dry_run:
            check_queue(args.printer, where)
            print(f"dry run: {len(plan.classes)} job(s) would be sent to '{args.printer}'")
            return EXIT_OK
        for name, job in submit(args.printer, plan, folder, where):
            print(f"class {name}: sent to '{args.printer}' as job {job}")
    except CupsError as exc:
        print(f"lessonpack: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
