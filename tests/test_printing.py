"""`lessonpack print`: class PDFs that match their manifest page for page, and CUPS jobs that arrive whole.

The command is run in this process through `generator.cli.main`, as a user runs it.
Page counts are read back with pypdf; the CUPS tests start a private cupsd with a cups-pdf
queue and check the PDFs it writes (they skip on a laptop without CUPS and fail when CI is set).
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from generator.cli import main, parser
from generator.runners.build import Report, output_paths
from generator.writers import HANDOUT

from .tools import pdf_pages, require

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "packs" / "year-9.printset.yaml"
ERROR_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")

SMALL = """\
paper: {paper}
duplex: {duplex}
classes:
  - name: {name}
    students: 3
    large_print: 1
    packs: [{pack}]
    slides: {slides}
"""


def lessonpack(*argv: str | Path) -> tuple[int, str, str]:
    """Run `lessonpack print ...` in this process, through the real command line: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(ROOT), "print", *map(str, argv)])
    return code, out.getvalue(), err.getvalue()


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def contents(reader: PdfReader) -> list[bytes | None]:
    """Each page's content stream (None for a blank page): what a printer would put on it."""
    out: list[bytes | None] = []
    for page in reader.pages:
        stream = page.get_contents()
        out.append(stream.get_data() if stream is not None else None)
    return out


def small_set(
    tmp_path: Path,
    duplex: bool = True,
    paper: str = "a4",
    name: str = "7X",
    slides: bool = False,
    pack: str = "start-a-conversation",
) -> Path:
    path = tmp_path / "small.printset.yaml"
    text = SMALL.format(duplex=str(duplex).lower(), paper=paper, name=name, slides=str(slides).lower(), pack=pack)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    folder: Path  # DIR/year-9

    @property
    def manifest(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        return found


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The shipped print set, printed once into a temporary folder."""
    out = tmp_path_factory.mktemp("print")
    code, stdout, stderr = lessonpack(EXAMPLE, "--out", out)
    return Run(code, stdout, stderr, out / "year-9")


@pytest.fixture(scope="module")
def small_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small set (A4, duplex) printed once: its `packs` folder, the built packs with their build
    record, for the tests below whose subject is what happens after the packs are built (sending,
    refusing, removing): `built_into` copies it into their output folder, so that their run finds
    the packs built and unchanged, as a second run does, and does not build them again."""
    out = tmp_path_factory.mktemp("small")
    assert lessonpack(small_set(out), "--out", out / "out")[0] == 0
    return out / "out" / "small" / "packs"


def built_into(small_packs: Path, out: Path) -> Path:
    """`out`, holding the small set's built packs where a run into it looks for them."""
    shutil.copytree(small_packs, out / "small" / "packs")
    return out


# ---------------------------------------------------------------------------------------
# What is written.


def test_the_example_writes_one_pdf_per_class_and_a_manifest(example: Run) -> None:
    assert example.code == 0, example.err
    assert example.err == ""
    names = sorted(p.name for p in example.folder.iterdir() if p.is_file())
    assert names == ["9A.pdf", "9B.pdf", "9C.pdf", "manifest.csv", "manifest.json"]
    assert "wrote 3 class PDF(s)" in example.out


def test_manifest_totals_equal_the_pdfs_real_page_counts(example: Run) -> None:
    data = example.manifest
    assert (data["print_set"], data["paper"], data["duplex"]) == ("year-9", "a4", True)
    total = 0
    for cls in data["classes"]:
        real = pages(example.folder / cls["file"])
        assert cls["pages"] == real == sum(p["pages"] for p in cls["packs"])
        assert cls["sheets"] * 2 == real  # duplex: two pages to a sheet
        for pack in cls["packs"]:
            per = pack["pages_per_copy"]
            assert pack["pages"] == (
                per["separator"]
                + pack["student_copies"] * per["student"]
                + pack["large_print_copies"] * per["large-print"]
                + pack["teacher_copies"] * per["teacher"]
                + pack["slides_copies"] * per["slides"]
            )
            assert pack["student_copies"] + pack["large_print_copies"] == cls["students"]
            assert pack["teacher_copies"] == 1
            assert pack["slides_copies"] == (1 if cls["name"] == "9C" else 0)  # only 9C asks for slides
            assert (per["slides"] > 0) == (pack["slides_copies"] == 1)
        total += real
    assert data["total"] == {"files": 3, "pages": total, "sheets": total // 2}


def test_the_csv_manifest_says_the_same(example: Run) -> None:
    data = example.manifest
    with (example.folder / "manifest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    packs = [r for r in rows if r["row"] == "pack"]
    assert [(r["class"], r["pack"], int(r["slides_copies"]), int(r["pages"])) for r in packs] == [
        (c["name"], p["id"], p["slides_copies"], p["pages"]) for c in data["classes"] for p in c["packs"]
    ]
    for cls in data["classes"]:
        (row,) = [r for r in rows if r["row"] == "class" and r["class"] == cls["name"]]
        assert (int(row["pages"]), int(row["sheets"])) == (cls["pages"], cls["sheets"])
    (total,) = [r for r in rows if r["row"] == "total"]
    assert (int(total["pages"]), int(total["sheets"])) == (data["total"]["pages"], data["total"]["sheets"])


def test_the_table_printed_shows_the_manifest_totals(example: Run) -> None:
    last = example.out.splitlines()[-2]  # the TOTAL row, then the 'wrote ...' line
    assert last.startswith("TOTAL")
    numbers = [int(n) for n in last.split()[-2:]]
    assert numbers == [example.manifest["total"]["pages"], example.manifest["total"]["sheets"]]


def test_every_copy_is_collated_in_order_and_starts_on_a_fresh_sheet(example: Run) -> None:
    """Walk each class PDF: separator + blank back, student copies, large-print copies, teacher
    edition, and the slides where the class asks for them."""
    packs = example.folder / "packs"
    for cls in example.manifest["classes"]:
        got = contents(PdfReader(example.folder / cls["file"]))
        at = 0
        for pack in cls["packs"]:
            paths = output_paths(packs, pack["id"])
            large = output_paths(packs, pack["id"], "large-print")[("student", "pdf")]
            student = contents(PdfReader(paths[("student", "pdf")]))
            teacher = contents(PdfReader(paths[("teacher", "pdf")]))
            sections = [(pack["student_copies"], student), (pack["teacher_copies"], teacher)]
            if pack["slides_copies"]:  # after the teacher edition
                slides = contents(PdfReader(output_paths(packs, pack["id"], formats=(HANDOUT,))[("slides", "handout")]))
                sections.append((pack["slides_copies"], slides))
            if pack["large_print_copies"]:
                large_pages = contents(PdfReader(large))
                assert large_pages != student  # large print really is another file
                sections.insert(1, (pack["large_print_copies"], large_pages))
            # The separator sheet: one printed page, then a blank back.
            assert at % 2 == 0, "the separator starts on a fresh sheet"
            assert got[at] is not None
            assert pack["pages_per_copy"]["separator"] == 2
            assert got[at + 1] is None, f"{cls['file']}: the separator's back page must be blank"
            at += 2
            for copies, source in sections:
                for _ in range(copies):
                    assert at % 2 == 0, f"{cls['file']}: a copy starts on page {at + 1}, the back of a sheet"
                    assert got[at : at + len(source)] == source
                    at += len(source)
                    if len(source) % 2:
                        assert got[at] is None, f"{cls['file']}: page {at + 1} should be a blank back"
                        at += 1
        assert at == len(got)


def test_the_teacher_edition_is_printed_once_per_pack(example: Run) -> None:
    packs = example.folder / "packs"
    for cls in example.manifest["classes"]:
        got = contents(PdfReader(example.folder / cls["file"]))
        for pack in cls["packs"]:
            teacher = contents(PdfReader(output_paths(packs, pack["id"])[("teacher", "pdf")]))
            starts = [i for i in range(len(got)) if got[i : i + len(teacher)] == teacher]
            assert len(starts) == 1


def test_large_print_copies_are_the_large_print_file(example: Run) -> None:
    packs = example.folder / "packs"
    nine_a = example.manifest["classes"][0]
    got = contents(PdfReader(example.folder / nine_a["file"]))
    for pack in nine_a["packs"]:
        large = contents(PdfReader(output_paths(packs, pack["id"], "large-print")[("student", "pdf")]))
        starts = [i for i in range(len(got)) if got[i : i + len(large)] == large]
        assert len(starts) == pack["large_print_copies"] == 2
        assert pack["pages_per_copy"]["large-print"] == len(large) + len(large) % 2


def test_the_separator_sheet_names_class_pack_and_copies(example: Run) -> None:
    reader = PdfReader(example.folder / "9B.pdf")
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Class 9B" in text
    assert "Being an Ally — Start a Conversation" in text
    assert "Student handout 29" in text
    assert "Large-print student handout 1" in text
    assert "Teacher edition 1" in text
    assert "not for students" in text


def test_a_rerun_is_byte_identical(example: Run, tmp_path: Path) -> None:
    code, _, err = lessonpack(EXAMPLE, "--out", tmp_path)
    assert code == 0, err
    for name in ("9A.pdf", "9B.pdf", "9C.pdf", "manifest.csv", "manifest.json"):
        assert (tmp_path / "year-9" / name).read_bytes() == (example.folder / name).read_bytes(), name
    # Again into the same folder: the packs are not rebuilt, and nothing changes.
    before = {p.name: p.read_bytes() for p in (tmp_path / "year-9").glob("*.*")}
    code, _, err = lessonpack(EXAMPLE, "--out", tmp_path)
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in (tmp_path / "year-9").glob("*.*")} == before


def test_the_pdf_has_no_varying_id_or_date(example: Run) -> None:
    reader = PdfReader(example.folder / "9A.pdf")
    assert "/ID" not in reader.trailer
    info: Mapping[str, object] = reader.metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert info.get("/Title") == "year-9 — class 9A"


def test_dry_run_writes_nothing_and_prints_the_same_totals(example: Run, tmp_path: Path) -> None:
    """A dry run into the folder of a run (its packs built: the check before sending a set to the
    printer again) changes no file there and prints the run's totals. A dry run into a new folder
    writes nothing either (test_a_dry_run_checks_the_queue_but_sends_nothing)."""
    shutil.copytree(example.folder, tmp_path / "print" / "year-9")

    def files() -> dict[str, tuple[bytes, int]]:
        found = (p for p in (tmp_path / "print").rglob("*") if p.is_file())
        return {str(p.relative_to(tmp_path)): (p.read_bytes(), p.stat().st_mtime_ns) for p in found}

    before = files()
    code, out, err = lessonpack(EXAMPLE, "--out", tmp_path / "print", "--dry-run")
    assert code == 0, err
    assert files() == before
    assert "nothing was written" in out
    table = out.split("\ndry run:")[0]
    assert table == example.out.split("\nwrote ")[0]
    total = next(line for line in out.splitlines() if line.startswith("TOTAL"))
    assert [int(n) for n in total.split()[-2:]] == [
        example.manifest["total"]["pages"],
        example.manifest["total"]["sheets"],
    ]


def test_single_sided_has_no_blank_pages(tmp_path: Path) -> None:
    code, _, err = lessonpack(small_set(tmp_path, duplex=False, paper="letter"), "--out", tmp_path / "out")
    assert code == 0, err
    folder = tmp_path / "out" / "small"
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    reader = PdfReader(folder / "7X.pdf")
    assert all(c is not None for c in contents(reader))
    assert data["total"]["pages"] == data["total"]["sheets"] == len(reader.pages)
    per = data["classes"][0]["packs"][0]["pages_per_copy"]
    assert per["separator"] == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (612, 792)  # US Letter


def test_a_class_pdf_a_later_run_does_not_write_is_removed(tmp_path: Path, small_packs: Path) -> None:
    out = built_into(small_packs, tmp_path / "out")
    assert lessonpack(small_set(tmp_path, name="7X"), "--out", out)[0] == 0
    (out / "small" / "notes.pdf").write_bytes(b"%PDF- not ours")
    assert lessonpack(small_set(tmp_path, name="7Y"), "--out", out)[0] == 0
    names = sorted(p.name for p in (out / "small").glob("*.pdf"))
    assert names == ["7Y.pdf", "notes.pdf"]  # 7X was listed by the last manifest; notes.pdf never was


# ---------------------------------------------------------------------------------------
# Slides: printed for a class that asks, after each pack's teacher edition; nothing for the others.


def page_texts(path: Path, first: int, last: int) -> list[str]:
    """The text of pages first..last (1-based) of a PDF, as pdftotext reads it (tools.pdf_pages)."""
    return list(pdf_pages(path)[first - 1 : last])


def part_starts(pack: dict[str, Any]) -> dict[str, int]:
    """Where each part of a pack starts within the pack's pages (0-based), from the manifest."""
    per, at, starts = pack["pages_per_copy"], 0, {}
    for kind, copies in (("separator", 1), ("student", pack["student_copies"]),
                         ("large-print", pack["large_print_copies"]), ("teacher", pack["teacher_copies"]),
                         ("slides", pack["slides_copies"])):  # fmt: skip
        starts[kind] = at
        at += copies * per[kind]
    assert at == pack["pages"]
    return starts


def test_a_class_asking_for_slides_gets_each_decks_slides_after_its_teacher_edition(example: Run) -> None:
    from generator.writers.pptx import handout, style
    from tests.test_handout import deck

    nine_c = next(c for c in example.manifest["classes"] if c["name"] == "9C")
    path = example.folder / nine_c["file"]
    offset = 0
    for pack in nine_c["packs"]:
        starts, per = part_starts(pack), pack["pages_per_copy"]
        assert pack["slides_copies"] == 1 and starts["slides"] == starts["teacher"] + per["teacher"]
        numbered, total = handout.printed_pages(deck(ROOT / "packs" / f"{pack['id']}.yaml"), style.STANDARD)
        slides = [p for _, p in numbered]
        own = -(-len(slides) // 2)  # two slides a page (the checks for understanding left out)
        assert per["slides"] == own + own % 2  # duplex: a blank back after an odd count
        first = offset + starts["slides"] + 1
        teacher = page_texts(path, offset + starts["teacher"] + 1, first - 1)
        printed = page_texts(path, first, first + per["slides"] - 1)
        assert "Teacher edition" in teacher[0] and "Slide" not in " ".join(teacher)
        assert all("Slides" in t for t in printed if t)  # the deck's own header on every printed page
        text = " ".join(printed)
        cursor = 0
        kinds = [p.kind for p in slides]
        for n, (number, page) in enumerate(numbered, 1):
            title = " ".join("".join(r.text for r in page.title.paras[0].runs).split())
            at = text.find(title, cursor)
            label = text.find(f"Slide {number + 1} of {total}", max(at, 0))
            assert 0 <= at < label, (pack["id"], n, title)
            cursor = label
            if page.kind == "content-note":  # its extract is the next slide printed
                assert kinds[n] in ("content-note", "extract"), (pack["id"], n)
        assert "content-note" in kinds
        student = page_texts(path, offset + starts["student"] + 1, offset + starts["student"] + per["student"])
        assert "Slide 1 of" not in " ".join(student)  # slides only after the teacher edition
        offset += pack["pages"]


def _pack_whose_deck_prints_on_odd_pages(built: Path) -> str:
    """A shipped pack whose deck, two slides a page, prints on an odd number of pages (found from
    the decks the session built, so that the test holds however many slides the shipped lessons
    come to have)."""
    from pptx import Presentation

    for deck in sorted(built.glob("*/*-slides.pptx")):
        if (len(Presentation(str(deck)).slides) + 1) // 2 % 2 == 1:
            return deck.parent.name
    pytest.fail("no shipped pack's deck prints on an odd number of pages: add a slide to one to keep this test")


def test_slides_start_on_a_fresh_sheet_and_end_with_a_blank_back(
    shipped_build: tuple[Path, Report], tmp_path: Path
) -> None:
    odd = _pack_whose_deck_prints_on_odd_pages(shipped_build[0])
    for duplex, paper in ((True, "a4"), (False, "letter")):
        out = tmp_path / f"out-{duplex}"
        code, stdout, err = lessonpack(
            small_set(tmp_path, duplex=duplex, paper=paper, slides=True, pack=odd), "--out", out
        )
        assert code == 0, err
        folder = out / "small"
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        (pack,) = data["classes"][0]["packs"]
        handout = PdfReader(output_paths(folder / "packs", pack["id"], formats=(HANDOUT,))[("slides", "handout")])
        own = len(handout.pages)
        assert own % 2 == 1  # an odd number of pages, so duplex needs a blank back
        assert pack["pages_per_copy"]["slides"] == (own + 1 if duplex else own)
        got = contents(PdfReader(folder / "7X.pdf"))
        start = part_starts(pack)["slides"]
        assert got[start : start + own] == contents(handout)
        if duplex:
            assert start % 2 == 0 and got[start + own] is None and len(got) == start + own + 1
        else:
            assert len(got) == start + own and None not in got
        assert data["total"]["pages"] == len(got) == data["classes"][0]["pages"]
        box = PdfReader(folder / "7X.pdf").pages[start].mediabox
        assert (round(float(box.width)), round(float(box.height))) == ((595, 842) if paper == "a4" else (612, 792))
        assert "slides" in stdout.splitlines()[1] and pack["slides_copies"] == 1


NO_DECK = """\
import sys
from generator.cli import main
code = main(sys.argv[1:])
print("deck made:", any(m == "pptx" or m.startswith(("pptx.", "generator.writers.pptx")) for m in sys.modules))
sys.exit(code)
"""


def test_classes_not_asking_for_slides_are_byte_identical_and_no_deck_is_made(example: Run, tmp_path: Path) -> None:
    """The example without its one 'slides: true': no deck is composed or drawn in the whole run,
    9A and 9B are the same bytes as in the example, and 9C has no slide pages."""
    text = EXAMPLE.read_text(encoding="utf-8")
    without = re.sub(r"^ +slides: true.*\n", "", text, flags=re.MULTILINE)
    assert without != text
    path = tmp_path / "year-9.printset.yaml"
    path.write_text(without, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", NO_DECK, "--root", str(ROOT), "print", str(path), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "deck made: False" in done.stdout
    folder = tmp_path / "out" / "year-9"
    for name in ("9A.pdf", "9B.pdf"):
        assert (folder / name).read_bytes() == (example.folder / name).read_bytes(), name
    assert not list((folder / "packs").rglob("*-slides.*"))
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    nine_c = data["classes"][2]
    assert all(p["slides_copies"] == 0 and p["pages_per_copy"]["slides"] == 0 for p in nine_c["packs"])
    slides_pages = sum(p["pages_per_copy"]["slides"] for p in example.manifest["classes"][2]["packs"])
    assert pages(folder / "9C.pdf") == nine_c["pages"] == example.manifest["classes"][2]["pages"] - slides_pages
    reader = PdfReader(folder / "9C.pdf")
    assert not any("Slide 1 of" in (page.extract_text() or "") for page in reader.pages[-30:])


# ---------------------------------------------------------------------------------------
# Mistakes.


def test_an_unknown_pack_is_a_positioned_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "typo.printset.yaml"
    text = SMALL.format(duplex="true", paper="a4", name="7X", slides="false", pack="start-a-conversation")
    path.write_text(text.replace("start-a-conversation", "start-a-convo"))
    code, out, err = lessonpack(path, "--out", tmp_path / "out")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert all(ERROR_LINE.match(line) for line in lines), err
    assert f"{path}:7:13: error: unknown pack 'start-a-convo'; did you mean 'start-a-conversation'?" in lines
    assert not (tmp_path / "out").exists()


def test_a_broken_pack_stops_only_its_class(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "packs").mkdir(parents=True)
    shutil.copy(ROOT / "packs" / "start-a-conversation.yaml", project / "packs")
    broken = project / "packs" / "broken.yaml"
    broken.write_text(
        "title: Broken\naudience:\n  ages: 11-14\nduration: 30\nexcerpts:\n"
        "  - id: x\n    seed: no-going-back\n    quote: These words are nowhere in the essay at all.\n",
        encoding="utf-8",
    )
    path = project / "packs" / "term.printset.yaml"
    path.write_text(
        "paper: a4\nduplex: true\nclasses:\n"
        "  - name: 8A\n    students: 2\n    packs: [start-a-conversation]\n"
        "  - name: 8B\n    students: 2\n    large_print: 1\n    packs: [start-a-conversation, broken]\n",
        encoding="utf-8",
    )
    argv = ["--root", str(project), "print", str(path), "--out", str(tmp_path / "out")]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code == 1
    lines = err.getvalue().splitlines()
    problems = [line for line in lines if ERROR_LINE.match(line)]
    quote_error = f"{broken}:8:12: error: the quote is not in seed 'no-going-back'"
    assert len([line for line in problems if line.startswith(quote_error)]) == 1, lines  # once, not per variant
    assert f"{path}:10:35: error: pack 'broken' cannot be built" in "\n".join(problems)
    assert "lessonpack: error: not printed: 8B" in lines
    folder = tmp_path / "out" / "term"
    assert (folder / "8A.pdf").is_file()
    assert not (folder / "8B.pdf").exists()
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in data["classes"]] == ["8A"]
    assert data["not_printed"] == ["8B"]


def test_a_missing_print_set_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = lessonpack(tmp_path / "nope.printset.yaml", "--out", tmp_path)
    assert code == 2
    assert "no such print-set file" in err


def test_a_wrong_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args(["print", str(EXAMPLE), "--copies", "3"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args(["print"])
    assert exit_info.value.code == 2


def test_help_explains_one_copy_per_job(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["print", "--help"])
    text = capsys.readouterr().out
    for words in ("--dry-run", "--printer QUEUE", "--out DIR", "-n 1", "collated", "lessonpack print packs/year-9"):
        assert words in text


def test_importing_the_command_line_stays_light() -> None:
    code = (
        "import sys, generator.cli\n"
        "print(sorted(m for m in ('pypdf', 'generator.runners.build', 'generator.runners.printing', 'pydantic',"
        " 'reportlab', 'docx') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------
# CUPS: missing, a stand-in lp, and a real cupsd with a cups-pdf queue.


def test_without_cups_the_error_is_clear_and_the_pdfs_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_packs: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, err = lessonpack(
        small_set(tmp_path), "--out", built_into(small_packs, tmp_path / "out"), "--printer", "Staffroom"
    )
    assert code == 2
    assert "lessonpack: error: CUPS is not installed (no 'lp' command); the PDFs are in" in err
    assert (tmp_path / "out" / "small" / "7X.pdf").is_file()
    assert "wrote 1 class PDF(s)" in out


FAKE_LPSTAT = """#!/bin/sh
case "$*" in
  "-p PDF") echo "printer PDF is idle."; exit 0 ;;
  "-e") echo PDF; echo Staffroom; exit 0 ;;
  "-r") echo "scheduler is ${FAKE_SCHEDULER:-running}"; exit 0 ;;
  *) echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1 ;;
esac
"""
FAKE_LP = """#!/bin/sh
if [ -n "$FAKE_LP_REFUSES" ]; then echo "lp: The printer or class is not accepting jobs." >&2; exit 1; fi
printf '%s\\n' "$@" > "{log}"
echo "request id is PDF-7 (1 file(s))"
"""


def fake_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """lp and lpstat stand-ins on PATH; lp records its arguments in the returned file."""
    folder = tmp_path / "fake-cups"
    folder.mkdir()
    log = folder / "lp-args"
    (folder / "lpstat").write_text(FAKE_LPSTAT, encoding="utf-8")
    (folder / "lp").write_text(FAKE_LP.format(log=log), encoding="utf-8")
    for name in ("lp", "lpstat"):
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_each_class_is_one_job_of_one_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_packs: Path) -> None:
    log = fake_cups(tmp_path, monkeypatch)
    code, out, err = lessonpack(
        small_set(tmp_path, duplex=True), "--out", built_into(small_packs, tmp_path / "out"), "--printer", "PDF"
    )
    assert code == 0, err
    assert "class 7X: sent to 'PDF' as job PDF-7" in out
    pdf = (tmp_path / "out" / "small" / "7X.pdf").resolve()
    assert log.read_text(encoding="utf-8").splitlines() == [
        "-d",
        "PDF",
        "-n",
        "1",
        "-o",
        "sides=two-sided-long-edge",
        "-o",
        "media=A4",
        "-t",
        "small 7X",
        str(pdf),
    ]


def test_single_sided_letter_jobs_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_cups(tmp_path, monkeypatch)
    letter = small_set(tmp_path, duplex=False, paper="letter")
    code, _, err = lessonpack(letter, "--out", tmp_path / "o", "--printer", "PDF")
    assert code == 0, err
    args = log.read_text(encoding="utf-8").splitlines()
    assert "sides=one-sided" in args and "media=Letter" in args


def test_an_unknown_queue_is_named_with_the_queues_that_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_packs: Path
) -> None:
    log = fake_cups(tmp_path, monkeypatch)
    code, _, err = lessonpack(
        small_set(tmp_path), "--out", built_into(small_packs, tmp_path / "out"), "--printer", "Stafroom"
    )
    assert code == 2
    assert "no printer queue 'Stafroom' in CUPS (did you mean 'Staffroom'? queues: PDF, Staffroom)" in err
    assert (tmp_path / "out" / "small" / "7X.pdf").is_file()
    assert not log.exists()


def test_a_stopped_scheduler_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_packs: Path) -> None:
    fake_cups(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_SCHEDULER", "not running")
    code, _, err = lessonpack(
        small_set(tmp_path), "--out", built_into(small_packs, tmp_path / "out"), "--printer", "Staffroom"
    )
    assert code == 2
    assert "lessonpack: error: the CUPS scheduler is not running (start the 'cups' service); the PDFs are in" in err


def test_a_refused_job_is_reported_and_the_pdfs_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_packs: Path
) -> None:
    fake_cups(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_LP_REFUSES", "1")
    code, _, err = lessonpack(
        small_set(tmp_path), "--out", built_into(small_packs, tmp_path / "out"), "--printer", "PDF"
    )
    assert code == 2
    assert (
        "CUPS refused the job for class 7X (lp: The printer or class is not accepting jobs.); already sent: none" in err
    )
    assert (tmp_path / "out" / "small" / "7X.pdf").is_file()


def test_a_dry_run_checks_the_queue_but_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_cups(tmp_path, monkeypatch)
    code, out, err = lessonpack(small_set(tmp_path), "--out", tmp_path / "out", "--printer", "PDF", "--dry-run")
    assert code == 0, err
    assert "dry run: 1 job(s) would be sent to 'PDF'" in out
    assert not log.exists() and not (tmp_path / "out").exists()
    code, _, err = lessonpack(small_set(tmp_path), "--out", tmp_path / "out", "--printer", "NOPE", "--dry-run")
    assert code == 2 and "no printer queue 'NOPE'" in err


def _need(ok: bool, reason: str) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_CONFIG = Path("/etc/cups")  # cups-pdf reads /etc/cups/cups-pdf-NAME.conf for the URI cups-pdf:/NAME


@dataclass(frozen=True)
class Cups:
    server: str  # the scheduler's socket, for CUPS_SERVER
    out: Path  # where cups-pdf writes each job's PDF
    queue: str


@pytest.fixture(scope="module")
def cupsd() -> Iterator[Cups]:
    """A private cupsd (own config, spool and socket) with one cups-pdf queue, 'PDF'."""
    require("cupsd", "lpadmin", "lp", "lpstat", "gs")
    _need(CUPS_PDF_BACKEND.exists() and CUPS_PDF_PPD.exists(), "needs cups-pdf (Debian: printer-driver-cups-pdf)")
    _need(os.geteuid() == 0, "needs root: cupsd runs the cups-pdf backend as root")
    _need(os.access(CUPS_PDF_CONFIG, os.W_OK), f"needs to write a cups-pdf config into {CUPS_PDF_CONFIG}")
    base = Path(tempfile.mkdtemp(prefix="lessonpack-cups-"))
    base.chmod(0o755)  # filters run as user lp
    for name in ("conf", "spool", "cache", "state", "log", "out"):
        (base / name).mkdir(mode=0o755)
    (base / "tmp").mkdir()
    (base / "tmp").chmod(0o1777)
    socket = base / "cups.sock"
    (base / "conf" / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel info\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
        encoding="utf-8",
    )
    (base / "conf" / "cups-files.conf").write_text(
        f"ServerRoot {base}/conf\nRequestRoot {base}/spool\nCacheDir {base}/cache\nStateDir {base}/state\n"
        f"TempDir {base}/tmp\nErrorLog {base}/log/error_log\nAccessLog {base}/log/access_log\n"
        f"PageLog {base}/log/page_log\nSystemGroup root\n",
        encoding="utf-8",
    )
    name = f"lessonpack-test-{os.getpid()}"
    config = CUPS_PDF_CONFIG / f"cups-pdf-{name}.conf"
    config.write_text(
        f"Out {base}/out\nAnonDirName {base}/out\nSpool {base}/cups-pdf-spool\nLog {base}/log\nLabel 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "CUPS_SERVER": str(socket)}
    daemon = subprocess.Popen(
        ["cupsd", "-f", "-c", str(base / "conf" / "cupsd.conf"), "-s", str(base / "conf" / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["lpstat", "-r"], env=env, capture_output=True, text=True).stdout.strip() != (
            "scheduler is running"
        ):
            assert daemon.poll() is None, f"cupsd exited; see {base}/log/error_log"
            assert time.monotonic() < deadline, "cupsd did not start within 20 s"
            time.sleep(0.2)
        subprocess.run(
            ["lpadmin", "-p", "PDF", "-E", "-v", f"cups-pdf:/{name}", "-P", str(CUPS_PDF_PPD)],
            env=env,
            check=True,
            capture_output=True,
        )
        yield Cups(str(socket), base / "out", "PDF")
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        config.unlink(missing_ok=True)
        shutil.rmtree(base, ignore_errors=True)


def wait_for_jobs(queue: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True).stdout.strip():
        assert time.monotonic() < deadline, f"CUPS jobs still queued after {timeout} s"
        time.sleep(0.5)


def test_jobs_arrive_through_cups_with_every_page(cupsd: Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUPS_SERVER", cupsd.server)
    code, out, err = lessonpack(EXAMPLE, "--out", tmp_path, "--printer", cupsd.queue)
    assert code == 0, err
    jobs = dict(re.findall(r"^class (\S+): sent to 'PDF' as job PDF-(\d+)$", out, re.MULTILINE))
    assert sorted(jobs) == ["9A", "9B", "9C"]
    wait_for_jobs(cupsd.queue)
    done = subprocess.run(["lpstat", "-W", "completed", "-o", cupsd.queue], capture_output=True, text=True).stdout
    for name, job in jobs.items():
        assert f"PDF-{job} " in done, f"job PDF-{job} for {name} did not complete:\n{done}"
        (landed,) = cupsd.out.glob(f"*job_{job}.pdf")
        reader = PdfReader(landed)
        assert len(reader.pages) == pages(tmp_path / "year-9" / f"{name}.pdf"), name
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_a_queue_cups_does_not_have_is_named_and_the_pdfs_stay(
    cupsd: Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", cupsd.server)
    code, _, err = lessonpack(small_set(tmp_path), "--out", tmp_path / "out", "--printer", "NOPE")
    assert code == 2
    assert "lessonpack: error: no printer queue 'NOPE' in CUPS (queues: PDF); the PDFs are in" in err
    assert (tmp_path / "out" / "small" / "7X.pdf").is_file()
