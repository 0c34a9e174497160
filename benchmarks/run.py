"""Performance benchmark: lessonpack measured against its quality bars.

    python benchmarks/run.py [--packs 100] [--repeat 3] [--memory 10,100,1000] [--quick] [--json FILE]

Run from the repository root after `pip install -e .`. It generates deterministic specs with
benchmarks/generate.py into a temporary project folder (with a copy of seeds/ and templates/),
runs `python -m generator` as real subprocesses for the command-line timings, and prints a table
of medians (with min and max) over --repeat runs, each figure beside its bar:

  --help                `lessonpack --help`, a fresh process each run              < 0.3 s
  check                 `lessonpack check` of the generated specs                  < 1 s (100 specs)
  build --jobs 1 / 2    a full build into an empty folder, the two alternating;    jobs 2 >= 1.7x
                        the speed-up is the median of each pair's ratio            faster than jobs 1
  no-op rebuild         `lessonpack build` again with nothing changed, against     < 5 %
                        the faster full build (a run that rebuilt packs because
                        something changed meanwhile is discarded, and noted)
  one pack              in this process, warm: lessonpack's whole path for one     <= 1.5x the floor
                        spec (parse, checks, guidance, compose, student and
                        teacher as PDF and DOCX, and the slide deck, in memory)
                        against a floor that writes the same text straight with
                        reportlab platypus, python-docx and python-pptx (same fonts,
                        page size and margins, tables, writing lines, header and
                        'Page X of Y'; the deck's slides, titles, text and speaker
                        notes; no spec, no checks, no measuring)
  peak RSS              of `lessonpack build --jobs 1 --force` at each --memory    largest <= 1.2x
                        size, a fresh process each (with --jobs 1 the build is     smallest
                        one process: its peak is the build's)
  closest passage,      in this process, warm: checking one spec of as many        < 2 s
  worst spec            4,000-character wrong quotes as the 256 KiB cap allows,
                        each needing the closest passage for its error, all of
                        the costliest kind (typos throughout, shuffled words,
                        one word repeated, nonsense, another essay, omissions:
                        timed first, the slowest chosen)
  policy, largest       in this process: `lessonpack check --policy` of packs/     < 2 s
                        (the 7 shipped specs) with the largest policy the 256 KiB
                        cap allows: the default policy's categories, intensities
                        and terms, and tens of thousands of made-up terms that
                        occur in no seed or pack (so the check must find what the
                        default policy finds); the policy read afresh each run, as
                        each `lessonpack check` reads it; and loading it alone
  worst spec, build      `lessonpack build --jobs 2 --force` of the widest spec      < 10 s,
                        check allows (every list at its most entries, every        CPU < 10 s
                        activity with a table, the texts as long as the 256 KiB
                        cap allows), standard and large print; wall time and the
                        CPU time of the build's processes (which a busy machine
                        does not stretch much)
  no-op with broken     `lessonpack build` again with nothing changed, when the    < 5 %
  specs                 batch also holds broken specs (one in ten), against the
                        full build of the same batch
  print run memory      peak RSS of `lessonpack print` of a print set of a few     largest <= 1.2x
                        classes and of ten times as many (the same two packs):     smallest
                        class PDFs go to disk as they are made
  print run             `lessonpack print packs/year-9.printset.yaml --dry-run` in    <= 600 sheets
                        this process: the sheets of paper the shipped print set
                        needs (a count; 913 on 2026-12-07)
  peers                 pandoc (Markdown to DOCX) and WeasyPrint (HTML to PDF) on the same text,
                        when installed (no bar)

In-process timings take max(7, --repeat) runs (one with --quick), lessonpack and floor
alternating so that a busy machine disturbs both alike. The command exits 0 even when a bar is
missed (it is a report); a bar missed says FAIL in the table and "pass": false in the JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # measure this checkout's code, installed or not
    sys.path.insert(0, str(ROOT))

DEFAULT_PACK = Path("packs") / "start-a-conversation.yaml"

# The bars (product.md, "Quality bars").
PACK_RATIO_BAR = 1.5
PRINT_SHEETS_BAR = 600  # the year-9 print set, at unchanged type sizes
SPEEDUP_BAR = 1.7
NOOP_SHARE_BAR = 0.05
CHECK_BAR_S = 1.0
HELP_BAR_S = 0.3
MEMORY_RATIO_BAR = 1.2
CLOSEST_BAR_S = 2.0
WORST_BUILD_BAR_S = 10.0
# CPU time of the same: under this, a machine's other work cannot stretch the build past 10 s on 2 cores.
WORST_BUILD_CPU_BAR_S = 10.0  # the same bar: CPU time is what an idle machine would take, which load cannot stretch
POLICY_BAR_S = 2.0


# ---------------------------------------------------------------------------------------
# Results


@dataclass
class Measure:
    key: str
    what: str
    unit: str  # "s", "MiB", "x" or "%"
    runs: list[float] = field(default_factory=list)
    bar: str = ""
    passed: bool | None = None  # None: no bar
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "what": self.what,
            "unit": self.unit,
            "median": self.median,
            "min": min(self.runs),
            "max": max(self.runs),
            "runs": self.runs,
        }
        if self.bar:
            out["bar"] = self.bar
            out["pass"] = self.passed
        if self.note:
            out["note"] = self.note
        return out


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "%":
        return f"{value * 100:.1f} %"
    if unit == "sheets":
        return f"{value:.0f}"
    return f"{value:.2f}x"


def print_run_sheets(project_root: Path) -> Measure:
    """The sheets of paper the shipped print set needs (`lessonpack print SET --dry-run`, in
    this process): a count, not a timing, the same on every machine."""
    printset = project_root / "packs" / "year-9.printset.yaml"
    code, said = _check_output(["--root", str(project_root), "print", str(printset), "--dry-run"])
    total = next((line for line in said if line.startswith("TOTAL")), "")
    if code != 0 or not total:
        raise SystemExit("benchmark: the print set's dry run failed:\n" + "\n".join(said[-5:]))
    sheets = float(total.split()[-1])
    return Measure(
        "print_sheets",
        f"print run {printset.stem}: sheets of paper (913 on 2026-12-07)",
        "sheets",
        [sheets],
        f"<= {PRINT_SHEETS_BAR}",
        sheets <= PRINT_SHEETS_BAR,
    )


def _ratio(key: str, what: str, value: float, unit: str, bar: str, passed: bool) -> Measure:
    return Measure(key, what, unit, [value], bar, passed)


# ---------------------------------------------------------------------------------------
# The machine


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    ram = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def machine_line(m: dict[str, Any]) -> str:
    ram = f"{m['ram_gib']} GiB RAM" if m["ram_gib"] else "RAM unknown"
    return f"{m['cpu']}, {m['cores']} cores, {ram}, Python {m['python']}, {m['os']}"


# ---------------------------------------------------------------------------------------
# A temporary project of generated specs


def _generator_module() -> ModuleType:
    """benchmarks/generate.py, loaded by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("lessonpack_benchmark_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_project(folder: Path, source: Path, n: int) -> Path:
    """A project folder with `n` generated specs in packs/ and a copy of `source`'s seeds and templates."""
    folder.mkdir(parents=True)
    for name in ("seeds", "templates"):
        if (source / name).is_dir():
            shutil.copytree(source / name, folder / name)
    made = _generator_module().generate(folder / "packs", n)
    assert len(made) == n
    return folder


# ---------------------------------------------------------------------------------------
# lessonpack as a user runs it


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("LESSONPACK_DEBUG", None)
    return env


def lessonpack(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--root", str(project), *args]


def run_timed(command: list[str], cwd: Path, codes: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Wall seconds and standard output of one run of `command`; a failing command (an exit code
    not in `codes`) stops the benchmark."""
    seconds, _, out = run_cpu(command, cwd, codes)
    return seconds, out


def run_cpu(command: list[str], cwd: Path, codes: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user and system, of the command and every process it started)
    and standard output of one run of `command`. CPU time is what other work on a busy machine
    does not stretch much, where wall time grows with the load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in codes:
        raise SystemExit(
            f"benchmark: {' '.join(command)} exited {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return seconds, cpu, done.stdout


def rebuilt(said: str) -> int:
    """How many packs a `lessonpack build` says it built (0 when it does not say)."""
    found = re.search(r"\bbuilt (\d+) pack\(s\)", said)
    return int(found.group(1)) if found else 0


# Runs a command and prints the peak resident set size of its process tree (the largest
# process waited for) in KiB; a fresh wrapper per measurement, so earlier runs do not count.
_PEAK_RSS = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    peak //= 1024
sys.stderr.write(done.stderr)
print(done.returncode, peak)
"""


def peak_rss_mib(command: list[str], cwd: Path, codes: tuple[int, ...] = (0,)) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *command], cwd=cwd, env=_env(), capture_output=True, text=True
    )
    try:
        code, kib = (int(x) for x in done.stdout.split())
    except ValueError:
        raise SystemExit(f"benchmark: could not measure memory: {done.stdout}{done.stderr}") from None
    if code not in codes:
        raise SystemExit(f"benchmark: {' '.join(command)} exited {code}\n{done.stderr[-2000:]}")
    return kib / 1024


# ---------------------------------------------------------------------------------------
# One pack: lessonpack's whole path, and the floor


def _marked(spans: list[tuple[str, bool, bool]], escape: Any, italic: str, bold: str) -> str:
    """(text, bold, italic) spans as markup; `italic` and `bold` wrap the escaped text ("<i>{}</i>")."""
    out = ""
    for text, is_bold, is_italic in spans:
        t = escape(text)
        t = italic.format(t) if is_italic else t
        out += bold.format(t) if is_bold else t
    return out


def _flat(blocks: Sequence[Any]) -> list[tuple[Any, ...]]:
    """A document's blocks as plain tuples of text: the content the floor writes (no model, no checks)."""
    from generator import model

    out: list[tuple[Any, ...]] = []

    def spans(sp: tuple[model.Span, ...]) -> list[tuple[str, bool, bool]]:
        return [(s.text, s.bold, s.italic) for s in sp]

    for block in blocks:
        match block:
            case model.TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
                out.append(("h", 1, title))
                out.append(("p", "label", [(label, True, False)]))
                out.append(("p", "lead", [(subtitle, False, False)]))
                if fields:
                    out.append(("fields", list(fields)))
            case model.Heading(level=level, text=text):
                out.append(("h", level, text))
            case model.Paragraph(spans=sp, style=style):
                out.append(("p", style, spans(sp)))
            case model.Quote(paragraphs=paras, citation=cite):
                out.append(("quote", list(paras), cite))
            case model.Callout(title=title, paragraphs=paras):
                out.append(("note", title, [spans(p) for p in paras]))
            case model.ListBlock(items=items, numbered=numbered):
                out.append(("list", numbered, [spans(i) for i in items]))
            case model.Table(rows=rows):
                out.append(("table", [list(r) for r in rows]))
            case model.WritingSpace(lines=lines):
                out.append(("lines", lines))
            case model.KeepTogether(blocks=inner):
                out.append(("keep", _flat(inner)))
            case model.PageBreak():
                out.append(("break",))
            case model.Quiz(questions=questions):
                out.append(("quiz", [(q.text, [c.text for c in q.choices]) for q in questions]))
    return out


@dataclass
class Content:
    """One edition's text, as plain data."""

    title: str
    header: str
    items: list[tuple[Any, ...]]


class Floor:
    """The same content written directly with reportlab platypus and python-docx: the same
    fonts (the TTFs generator.writers.fonts names, registered once), page size and margins, header and
    'Page X of Y' footer, tables and writing lines; no spec, no checks, no layout rules."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from generator.writers import fonts

        main = fonts.main_fonts()
        names = {
            "F": main.regular,
            "F-Bold": main.bold,
            "F-Italic": main.italic,
            "F-BoldItalic": main.bold_italic,
        }
        for name, path in names.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily("F", normal="F", bold="F-Bold", italic="F-Italic", boldItalic="F-BoldItalic")

    # -- PDF -------------------------------------------------------------------------------
    def pdf(self, content: Content) -> bytes:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.pdfgen.canvas import Canvas
        from reportlab.platypus import (
            Flowable,
            KeepTogether,
            PageBreak,
            Paragraph,
            SimpleDocTemplate,
            Spacer,
            Table,
            TableStyle,
        )

        body = ParagraphStyle("body", fontName="F", fontSize=11.5, leading=15.5, spaceAfter=6)
        small = ParagraphStyle("small", body, fontSize=9.5, leading=12.4)
        styles = {
            "body": body,
            "lead": ParagraphStyle("lead", body, fontSize=13, leading=17, spaceAfter=8),
            "label": body,
            "small": small,
            "citation": ParagraphStyle("cite", small, leftIndent=14),
            "quote": ParagraphStyle("quote", body, leftIndent=14),
            "note": ParagraphStyle(
                "note", body, backColor=colors.HexColor("#E8F0F8"), borderPadding=6, leftIndent=6, rightIndent=6
            ),
            "list": ParagraphStyle("list", body, leftIndent=18, bulletIndent=4, bulletFontName="F"),
            0: ParagraphStyle("title", body, fontName="F-Bold", fontSize=24, leading=29),
            1: ParagraphStyle("h1", body, fontName="F-Bold", fontSize=17, leading=21, spaceBefore=4),
            2: ParagraphStyle("h2", body, fontName="F-Bold", fontSize=14, leading=17.5, spaceBefore=12),
            3: ParagraphStyle("h3", body, fontName="F-Bold", fontSize=12, leading=15, spaceBefore=12),
        }
        width = A4[0] - 40 * mm

        def runs(sp: list[tuple[str, bool, bool]]) -> str:
            return _marked(sp, escape, "<i>{}</i>", "<b>{}</b>")

        class Lines(Flowable):  # type: ignore[misc]
            def __init__(self, n: int) -> None:
                super().__init__()
                self.n = n

            def wrap(self, w: float, h: float) -> tuple[float, float]:
                self.width = w
                return w, self.n * 26.0 + 4

            def draw(self) -> None:
                for i in range(self.n):
                    self.canv.line(0, i * 26.0 + 4, self.width, i * 26.0 + 4)

        first = [True]

        def flowables(items: list[tuple[Any, ...]]) -> list[Any]:
            story: list[Any] = []
            for item in items:
                kind = item[0]
                if kind == "h":
                    story.append(Paragraph(escape(item[2]), styles[0 if first[0] else item[1]]))
                    first[0] = False
                elif kind == "p":
                    story.append(Paragraph(runs(item[2]), styles[item[1]]))
                elif kind == "quote":
                    story += [Paragraph(escape(p), styles["quote"]) for p in item[1]]
                    story.append(Paragraph(escape(item[2]), styles["citation"]))
                elif kind == "note":
                    story.append(Paragraph(f"<b>{escape(item[1])}</b>", styles["note"]))
                    story += [Paragraph(runs(p), styles["note"]) for p in item[2]]
                elif kind == "list":
                    story += [
                        Paragraph(runs(p), styles["list"], bulletText=f"{n}." if item[1] else "•")
                        for n, p in enumerate(item[2], 1)
                    ]
                elif kind == "table":
                    cells = [[Paragraph(escape(c), small) for c in row] for row in item[1]]
                    table = Table(cells, colWidths=[width / len(item[1][0])] * len(item[1][0]), repeatRows=1)
                    table.setStyle(
                        TableStyle([("FONTNAME", (0, 0), (-1, -1), "F"), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)])
                    )
                    story += [table, Spacer(1, 8)]
                elif kind == "lines":
                    story.append(Lines(item[1]))
                elif kind == "fields":
                    story += [Paragraph(f"<b>{escape(label)}:</b> ____________________", body) for label in item[1]]
                elif kind == "keep":
                    story.append(KeepTogether(flowables(item[1])))
                elif kind == "break":
                    story.append(PageBreak())
            return story

        header = content.header

        class Numbered(Canvas):  # type: ignore[misc]
            """ReportLab's usual recipe for 'Page X of Y': keep each page's state, draw at save."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.pages: list[dict[str, Any]] = []

            def showPage(self) -> None:  # noqa: N802
                self.pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                for state in self.pages:
                    self.__dict__.update(state)
                    self.setFont("F", 9.5)
                    self.drawString(20 * mm, A4[1] - 14 * mm, header)
                    self.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {self._pageNumber} of {len(self.pages)}")
                    Canvas.showPage(self)
                Canvas.save(self)

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
            title=content.title,
            invariant=1,
            initialFontName="F",
        )
        doc.build(flowables(content.items), canvasmaker=Numbered)
        return buffer.getvalue()

    # -- DOCX ------------------------------------------------------------------------------
    def docx(self, content: Content) -> bytes:
        import docx
        from docx.enum.text import WD_BREAK
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        from generator.writers import layout

        d = docx.Document()
        section = d.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(22)
        section.left_margin = section.right_margin = Mm(20)
        normal = d.styles["Normal"]
        normal.font.name = layout.FONT_FAMILY
        normal.font.size = Pt(11.5)
        grid = d.styles["Table Grid"]
        d.core_properties.title = content.title
        section.header.paragraphs[0].text = content.header
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        for n, instruction in enumerate(("PAGE", "NUMPAGES")):
            if n:
                footer.add_run(" of ")
            run = footer.add_run()
            for kind in ("begin", "instr", "end"):
                if kind == "instr":
                    el = OxmlElement("w:instrText")
                    el.text = instruction
                else:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                run._r.append(el)

        # Paragraph styles are set by id, looked up once per document: python-docx's
        # `style=` spends most of its time checking each time whether the style is the default.
        # (lessonpack takes the same shortcut; the floor should not be slower than it needs to be.)
        ids = {
            name: d.styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet", "List Number")
        }

        def para(style: str | None = None, text: str = "") -> Any:
            p = d.add_paragraph(text)
            if style:
                p._p.get_or_add_pPr().style = ids[style]
            return p

        def runs(p: Any, sp: list[tuple[str, bool, bool]]) -> None:
            for text, bold, italic in sp:
                run = p.add_run(text)
                if bold:
                    run.bold = True
                if italic:
                    run.italic = True

        first = [True]

        def write(items: list[tuple[Any, ...]]) -> None:
            for item in items:
                kind = item[0]
                if kind == "h":
                    para("Title" if first[0] else f"Heading {item[1]}", item[2])
                    first[0] = False
                elif kind == "p":
                    runs(para(), item[2])
                elif kind == "quote":
                    for text in item[1]:
                        para("Quote", text)
                    para().add_run(item[2]).font.size = Pt(9.5)
                elif kind == "note":
                    para().add_run(item[1]).bold = True
                    for p in item[2]:
                        runs(para(), p)
                elif kind == "list":
                    for p in item[2]:
                        runs(para("List Number" if item[1] else "List Bullet"), p)
                elif kind == "table":
                    rows = item[1]
                    table = d.add_table(len(rows), len(rows[0]), grid)
                    for cells, row in zip(table.rows, rows, strict=True):
                        for cell, text in zip(cells.cells, row, strict=False):
                            cell.text = text
                elif kind == "lines":
                    for _ in range(item[1]):
                        para(None, "_" * 60)
                elif kind == "fields":
                    for label in item[1]:
                        para(None, f"{label}: ____________________")
                elif kind == "keep":
                    write(item[1])
                elif kind == "break":
                    para().add_run().add_break(WD_BREAK.PAGE)

        write(content.items)
        buffer = io.BytesIO()
        d.save(buffer)
        return buffer.getvalue()

    # -- PPTX ------------------------------------------------------------------------------
    def pptx(self, content: Content) -> bytes:
        """Each slide as python-pptx's title-only layout with its title, one text box of its text
        (tables as tables) at 28 pt in Verdana, and its speaker notes; no measuring, no splitting."""
        from pptx import Presentation
        from pptx.util import Emu, Pt

        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
        layout = prs.slide_layouts[5]

        def lines(items: list[tuple[Any, ...]]) -> list[str]:
            out: list[str] = []
            for item in items:
                kind = item[0]
                if kind in ("h",):
                    out.append(item[2])
                elif kind == "p":
                    out.append("".join(t for t, _, _ in item[2]))
                elif kind == "quote":
                    out += [*item[1], item[2]]
                elif kind in ("note", "list"):
                    out += ["".join(t for t, _, _ in p) for p in item[2]]
                elif kind == "quiz":
                    for text, choices in item[1]:
                        out += [text, *choices]
                elif kind == "keep":
                    out += lines(item[1])
            return out

        for item in content.items:
            if item[0] != "slide":
                continue
            _, title, body, notes = item
            slide = prs.slides.add_slide(layout)
            slide.shapes.title.text = title
            texts = lines(body)
            if texts:
                frame = slide.shapes.add_textbox(Emu(685800), Emu(1524000), Emu(10820400), Emu(4800600)).text_frame
                frame.word_wrap = True
                for n, text in enumerate(texts):
                    para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                    run = para.add_run()
                    run.text = text
                    run.font.size = Pt(28)
                    run.font.name = "Verdana"
            for table_item in (b for b in body if b[0] == "table"):
                rows = table_item[1]
                shape = slide.shapes.add_table(
                    len(rows), len(rows[0]), Emu(685800), Emu(1524000), Emu(10820400), Emu(400000 * len(rows))
                )
                for r, row in enumerate(rows):
                    for c, text in enumerate(row):
                        shape.table.cell(r, c).text = text
            if notes:
                slide.notes_slide.notes_text_frame.text = "\n".join("".join(t for t, _, _ in n) for n in notes)
        buffer = io.BytesIO()
        prs.save(buffer)
        return buffer.getvalue()


@dataclass
class OnePack:
    spec: Path
    lessonpack: list[float]
    floor: list[float]
    parts: dict[str, list[float]]  # lessonpack's and the floor's PDF and DOCX shares
    pages: dict[str, tuple[int, int]]  # edition -> (lessonpack pages, floor pages)
    fonts: dict[str, tuple[list[str], list[str]]]  # edition -> embedded fonts (lessonpack, floor)
    sizes: dict[str, tuple[int, int]]  # "pdf"/"docx"/"pptx" -> total bytes (lessonpack, floor)
    contents: list[Content]


def _pdf_facts(data: bytes) -> tuple[int, list[str]]:
    """Pages and embedded font names (subset prefixes dropped) of a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict.get_object() if font_dict else {}).values():
            name = str(ref.get_object().get("/BaseFont", ""))
            found.add(name.lstrip("/").split("+", 1)[-1])
    return len(reader.pages), sorted(found)


def one_pack(project_root: Path, spec_path: Path, runs: int) -> OnePack:
    from generator.lesson import compose, support
    from generator.runners.build import Builder, Project
    from generator.writers import PRINT_EDITIONS as EDITIONS
    from generator.writers.docx import render as render_docx
    from generator.writers.pdf import render as render_pdf
    from generator.writers.pptx import render as render_pptx

    builder = Builder(Project(project_root))

    def whole() -> dict[tuple[Any, str], bytes]:
        lesson, found, problems = builder.check(spec_path)
        if lesson is None or found is None or any(p.severity == "error" for p in problems):
            raise SystemExit(f"benchmark: {spec_path} does not build:\n" + "\n".join(map(str, problems)))
        return builder.render(lesson, found)

    ours = whole()  # warm: imports, corpus, templates, policy, fonts
    lesson, found, _ = builder.check(spec_path)
    assert lesson is not None and found is not None
    services = support.for_audience(
        lesson.region, lesson.ages.youngest, lesson.ages.oldest, found.audience, found.raised()
    )
    documents = [
        compose.compose(lesson, edition, builder.wording, found, services, compose.Options(paper=builder.paper))
        for edition in EDITIONS
    ]
    deck = compose.compose(lesson, "slides", builder.wording, found, services, compose.Options(paper=builder.paper))
    contents = [Content(d.title, d.header, _flat(d.blocks)) for d in documents]
    notes = [[[(s.text, s.bold, s.italic) for s in note] for note in slide.notes] for slide in deck.slides]
    flat = [("slide", s.title, _flat(s.blocks), n) for s, n in zip(deck.slides, notes, strict=True)]
    slides = Content(deck.title, deck.header, flat)
    floor = Floor()

    def floor_pack() -> dict[tuple[str, str], bytes]:
        out: dict[tuple[str, str], bytes] = {}
        for edition, content in zip(EDITIONS, contents, strict=True):
            out[(edition, "pdf")] = floor.pdf(content)
            out[(edition, "docx")] = floor.docx(content)
        out[("slides", "pptx")] = floor.pptx(slides)
        return out

    theirs = floor_pack()  # warm
    timings: dict[str, list[float]] = {
        k: [] for k in ("lessonpack", "floor", "lp-pdf", "lp-docx", "lp-pptx", "fl-pdf", "fl-docx", "fl-pptx")
    }
    for _ in range(runs):
        for key, fn in (("lessonpack", whole), ("floor", floor_pack)):
            started = time.perf_counter()
            fn()
            timings[key].append(time.perf_counter() - started)
        renders: tuple[tuple[str, Callable[[], list[bytes]]], ...] = (
            ("lp-pdf", lambda: [render_pdf(d) for d in documents]),
            ("fl-pdf", lambda: [floor.pdf(c) for c in contents]),
            ("lp-docx", lambda: [render_docx(d) for d in documents]),
            ("fl-docx", lambda: [floor.docx(c) for c in contents]),
            ("lp-pptx", lambda: [render_pptx(deck)]),
            ("fl-pptx", lambda: [floor.pptx(slides)]),
        )
        for key, render in renders:
            started = time.perf_counter()
            render()
            timings[key].append(time.perf_counter() - started)
    pages: dict[str, tuple[int, int]] = {}
    fonts: dict[str, tuple[list[str], list[str]]] = {}
    for edition in EDITIONS:
        (lp_pages, lp_fonts), (fl_pages, fl_fonts) = (
            _pdf_facts(ours[(edition, "pdf")]),
            _pdf_facts(theirs[(edition, "pdf")]),
        )
        pages[edition] = (lp_pages, fl_pages)
        fonts[edition] = (lp_fonts, fl_fonts)
    sizes = {
        ext: (
            sum(len(v) for k, v in ours.items() if k[1] == ext),
            sum(len(v) for k, v in theirs.items() if k[1] == ext),
        )
        for ext in ("pdf", "docx", "pptx")
    }
    parts = {k: v for k, v in timings.items() if k not in ("lessonpack", "floor")}
    return OnePack(spec_path, timings["lessonpack"], timings["floor"], parts, pages, fonts, sizes, contents)


# ---------------------------------------------------------------------------------------
# The worst spec for the closest passage: every quote as long as a text may be, and wrong


def _misspelt(word: str, rng: random.Random) -> str:
    """`word` with one letter changed (a word without letters gets one added)."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if not letters:
        return word + "x"
    i = rng.choice(letters)
    return word[:i] + ("q" if word[i] != "q" else "z") + word[i + 1 :]


def _fill(words: list[str], limit: int) -> str:
    """As many of `words` as fit in `limit` characters, joined by spaces."""
    out: list[str] = []
    size = -1
    for word in words:
        if size + 1 + len(word) > limit:
            break
        out.append(word)
        size += 1 + len(word)
    return " ".join(out)


# The kinds of wrong quote, each of MAX_TEXT characters: (name, how to make one from the seed's
# words starting at a word, another essay's words and a random generator).
QuoteKind = Callable[[list[str], list[str], random.Random], list[str]]


def _kinds() -> dict[str, QuoteKind]:
    def typos(every: int) -> QuoteKind:
        return lambda ws, _, rng: [_misspelt(w, rng) if n % every == every - 1 else w for n, w in enumerate(ws)]

    def shuffled(ws: list[str], _: list[str], rng: random.Random) -> list[str]:
        out = list(ws)
        rng.shuffle(out)
        return out

    def nonsense(ws: list[str], _: list[str], rng: random.Random) -> list[str]:
        return ["".join(rng.choices("bcdfghjklmnpqrstvwxz", k=rng.randint(2, 9))) for _ in ws]

    def omissions(every: int, typo_every: int) -> QuoteKind:
        def make(ws: list[str], _: list[str], rng: random.Random) -> list[str]:
            out = [_misspelt(w, rng) if typo_every and n % typo_every == 0 else w for n, w in enumerate(ws)]
            return [w + (" …" if n % every == every - 1 else "") for n, w in enumerate(out)]

        return make

    return {
        "a typo in every 8th word": typos(8),
        "a typo in every other word": typos(2),
        "a typo in every word": typos(1),
        "its words shuffled": shuffled,
        "'a' repeated": lambda ws, _, rng: ["a"] * len(ws),
        "nonsense": nonsense,
        "another essay's text": lambda ws, other, rng: other,
        "an omission every 5 words": omissions(5, 0),
        "an omission every 2 words, a typo in every 3rd": omissions(2, 3),
    }


def worst_quotes(seeds: Path, kind: str | None = None, count: int | None = None) -> tuple[str, int]:
    """A spec of as many wrong quotes of MAX_TEXT characters as MAX_BYTES allows (or `count`),
    all against the largest seed, each from a different place in it, and how many quotes it has.
    The quotes are of one kind (see _kinds), or cycle through them all."""
    from generator.readers import corpus as corpus_mod
    from generator.readers import source
    from generator.readers.fields import MAX_TEXT

    corpus, _ = corpus_mod.load_corpus(seeds)
    target = max(corpus.seeds.values(), key=lambda s: len(s.joined))
    other = max((s for s in corpus.seeds.values() if s.id != target.id), key=lambda s: len(s.joined))
    words = " ".join(target.paragraphs).split()
    elsewhere = " ".join(other.paragraphs).split()
    kinds = _kinds()
    makers = [kinds[kind]] if kind else list(kinds.values())
    rng = random.Random(20240611)

    def quote(i: int) -> str:
        start = rng.randrange(len(words))
        passage = (words[start:] + words)[: MAX_TEXT // 2]
        there = (elsewhere[start % len(elsewhere) :] + elsewhere)[: MAX_TEXT // 2]
        return _fill(makers[i % len(makers)](passage, there, rng), MAX_TEXT)

    head = "title: Worst quotes\naudience:\n  ages: 14-16\nduration: 30\nexcerpts:\n"
    text, n = head, 0
    while count is None or n < count:
        item = f"  - id: q{n}\n    seed: {target.id}\n    quote: {json.dumps(quote(n), ensure_ascii=False)}\n"
        if len((text + item).encode("utf-8")) > source.MAX_BYTES:
            break
        text, n = text + item, n + 1
    return text, n


def costliest_kind(project_root: Path, work: Path) -> str:
    """The kind of wrong quote whose closest passage takes longest to find (best of 3 per kind)."""
    from generator.runners.build import Builder, Project

    builder = Builder(Project(project_root))
    timed: dict[str, float] = {}
    for kind in _kinds():
        text, _ = worst_quotes(project_root / "seeds", kind, count=3)
        path = work / "one-kind.yaml"
        path.write_text(text, encoding="utf-8")
        builder.check(path)  # warm
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            builder.check(path)
            runs.append(time.perf_counter() - started)
        timed[kind] = min(runs)
    return max(timed, key=lambda k: timed[k])


def closest_worst(project_root: Path, work: Path, runs: int) -> Measure:
    """Checking the worst spec for the closest passage, warm (the corpus loaded), in this process:
    as many quotes of the costliest kind as the file size cap allows."""
    from generator.runners.build import Builder, Project

    kind = costliest_kind(project_root, work)
    text, count = worst_quotes(project_root / "seeds", kind)
    path = work / "worst-quotes.yaml"
    path.write_text(text, encoding="utf-8")
    builder = Builder(Project(project_root))
    assert builder.corpus.seeds  # warm: the corpus is loaded before the clock starts
    size = len(text.encode("utf-8"))
    measure = Measure(
        "closest_worst",
        f"closest passage, worst spec ({count} quotes, {size // 1024} KiB: {kind})",
        "s",
        bar=f"< {CLOSEST_BAR_S:g} s",
    )
    for _ in range(runs):
        started = time.perf_counter()
        _, _, problems = builder.check(path)
        measure.runs.append(time.perf_counter() - started)
    misses = [p for p in problems if "the quote is not in seed" in p.message]
    if len(misses) != count:
        raise SystemExit(
            f"benchmark: the worst spec gave {len(misses)} quote errors, not {count}:\n"
            + "\n".join(map(str, problems[:5]))
        )
    measure.passed = measure.median < CLOSEST_BAR_S
    return measure


# ---------------------------------------------------------------------------------------
# The largest policy the size cap allows


def _policy_yaml(data: dict[str, Any], terms: list[list[str]]) -> str:
    """A policy file: `data`'s settings and categories, each intensity with its `terms` (in
    order, one list per intensity) written as one flow list, the most terms per byte."""

    def value(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    def term(text: str) -> str:
        return text if re.fullmatch(r"[a-z][a-z ]*\*?", text) else value(text)

    def item(pairs: list[tuple[str, Any]], indent: str) -> list[str]:
        """A list item's keys, the first after its dash."""
        return [f"{indent}{'  ' if i else '- '}{k}: {value(v)}" for i, (k, v) in enumerate(pairs)]

    lines = ["# The largest policy the size cap allows, written by benchmarks/run.py.", f"policy: {data['policy']}"]
    lines += [f"{key}: {value(data[key])}" for key in data if key not in ("policy", "categories")]
    lines.append("categories:")
    lists = iter(terms)
    for category in data["categories"]:
        lines += item([(k, v) for k, v in category.items() if k != "intensities"], "")
        lines.append("  intensities:")
        for intensity in category["intensities"]:
            lines += item([(k, v) for k, v in intensity.items() if k != "terms"], "  ")
            lines.append("    terms: [" + ",".join(term(t) for t in next(lists)) + "]")
    return "\n".join(lines) + "\n"


def largest_policy(project_root: Path) -> tuple[str, int]:
    """The largest valid policy the file size cap allows, and how many terms it has: the
    default policy (its categories, intensities, ages and terms) and, spread over every
    intensity, as many more short made-up terms as fit (whole words, one in four ending in *,
    one in ten of two words). None of them occurs in the project's seeds or packs, so a check
    of the packs finds what the default policy finds: what it costs more is the policy's size."""
    from generator.readers import policy as policy_mod
    from generator.readers import source

    loaded, _ = source.load(policy_mod.DEFAULT, None, "policy")
    assert loaded is not None and isinstance(loaded.value, dict)
    data: dict[str, Any] = dict(loaded.value)
    data["policy"] = "largest policy"
    terms = [list(lv["terms"]) for c in data["categories"] for lv in c["intensities"]]
    seen = {t.lower() for ts in terms for t in ts}
    vocabulary: set[str] = set()
    for path in sorted([*(project_root / "seeds").rglob("*"), *(project_root / "packs").glob("*.yaml")]):
        if path.is_file():
            vocabulary.update(w.lower() for w in re.findall(r"\w+", path.read_text(encoding="utf-8")))
    prefixes = {w[:i] for w in vocabulary for i in range(1, len(w) + 1)}
    rng = random.Random(20261202)
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    syllables = [c + v for c in consonants for v in vowels]
    two = [a + b for a in syllables for b in syllables]
    # Shortest first: three letters, four, five, six.
    tiers = [
        [s + c for s in syllables for c in consonants],
        two,
        [w + c for w in two for c in "nrst"],
        [w + s for w in two for s in syllables],
    ]
    for tier in tiers:
        rng.shuffle(tier)
    words = (w for tier in tiers for w in tier)
    size = len(_policy_yaml(data, terms).encode("utf-8"))
    added = 0
    for word in words:
        made = f"{word} {next(words)}" if added % 10 == 9 else f"{word}*" if added % 4 == 3 else word
        stem = made.rstrip("*")
        if made in seen or any(w in vocabulary for w in stem.split()) or (made.endswith("*") and stem in prefixes):
            continue
        if size + len(made) + 1 > source.MAX_BYTES:  # one more term costs its length and a comma
            break
        seen.add(made)
        terms[added % len(terms)].append(made)
        size += len(made) + 1
        added += 1
    text = _policy_yaml(data, terms)
    assert len(text.encode("utf-8")) == size <= source.MAX_BYTES
    return text, sum(len(ts) for ts in terms)


def _check_output(argv: list[str]) -> tuple[int, list[str]]:
    """`lessonpack` run in this process: its exit code and what it printed, without the timing."""
    from generator import cli

    said = io.StringIO()
    with redirect_stdout(said), redirect_stderr(said):
        code = cli.main(argv)
    return code, [line for line in said.getvalue().splitlines() if not re.match(r"\d+ specs? checked: ", line)]


def policy_largest(project_root: Path, work: Path, runs: int) -> list[Measure]:
    """`lessonpack check --policy` of the project's packs with the largest policy, in this process,
    the policy read afresh each run (as each `lessonpack check` reads it); and loading it alone."""
    from generator.readers import policy as policy_mod
    from generator.runners.build import find_specs

    text, count = largest_policy(project_root)
    path = work / "largest-policy.yaml"
    path.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    packs = project_root / "packs"
    found, problems = policy_mod.load(path)
    if found is None:
        raise SystemExit("benchmark: the largest policy is refused:\n" + "\n".join(map(str, problems[:5])))
    root = ["--root", str(project_root), "check"]
    expected = _check_output([*root, str(packs)])  # the default policy (and warm: modules imported)
    n = len(find_specs([packs]))
    check = Measure(
        "policy_largest",
        f"policy, largest ({count:,} terms, {size // 1024} KiB): check of {n} packs",
        "s",
        bar=f"< {POLICY_BAR_S:g} s",
    )
    load = Measure("policy_largest_load", "  loading that policy", "s")
    for _ in range(runs):
        policy_mod._load.cache_clear()  # read afresh, as a new process would
        started = time.perf_counter()
        got = _check_output([*root, "--policy", str(path), str(packs)])
        check.runs.append(time.perf_counter() - started)
        if got != expected:
            raise SystemExit(
                f"benchmark: the largest policy's check (exit {got[0]}) differs from the default policy's "
                f"(exit {expected[0]}):\n" + "\n".join(got[1][:5])
            )
        policy_mod._load.cache_clear()
        started = time.perf_counter()
        policy_mod.load(path)
        load.runs.append(time.perf_counter() - started)
    check.passed = check.median < POLICY_BAR_S
    return [check, load]


# ---------------------------------------------------------------------------------------
# Peers: pandoc (Markdown -> DOCX) and WeasyPrint (HTML -> PDF) on the same content


def _markdown(content: Content) -> str:
    def runs(sp: list[tuple[str, bool, bool]]) -> str:
        return _marked(sp, lambda t: t.replace("*", "\\*").replace("_", "\\_"), "*{}*", "**{}**")

    lines: list[str] = []  # the title is the first heading

    def write(items: list[tuple[Any, ...]]) -> None:
        for item in items:
            kind = item[0]
            if kind == "h":
                lines.extend([f"{'#' * item[1]} {item[2]}", ""])
            elif kind == "p":
                lines.extend([runs(item[2]), ""])
            elif kind == "quote":
                lines.extend([*(f"> {p}\n>" for p in item[1]), f"> {item[2]}", ""])
            elif kind == "note":
                lines.extend([f"**{item[1]}**", "", *(runs(p) + "\n" for p in item[2])])
            elif kind == "list":
                lines.extend([*(f"{f'{n}.' if item[1] else '-'} {runs(p)}" for n, p in enumerate(item[2], 1)), ""])
            elif kind == "table":
                rows = [[c.replace("|", "\\|") for c in row] for row in item[1]]
                lines.append("| " + " | ".join(rows[0]) + " |")
                lines.append("|" + "---|" * len(rows[0]))
                lines.extend("| " + " | ".join(r) + " |" for r in rows[1:])
                lines.append("")
            elif kind == "lines":
                lines.extend(["\\_" * 40 + "\n" for _ in range(item[1])])
            elif kind == "fields":
                lines.extend(f"**{label}:** \\_\\_\\_\\_\\_\\_\\_\\_\n" for label in item[1])
            elif kind == "keep":
                write(item[1])
            elif kind == "break":
                lines.extend(["\\newpage", ""])

    write(content.items)
    return "\n".join(lines)


def _html(content: Content) -> str:
    from generator.writers import fonts

    main = fonts.main_fonts()
    faces = "".join(
        f"@font-face {{ font-family: F; src: url('{path.as_uri()}'); font-weight: {w}; font-style: {s}; }}"
        for path, w, s in (
            (main.regular, "normal", "normal"),
            (main.bold, "bold", "normal"),
            (main.italic, "normal", "italic"),
            (main.bold_italic, "bold", "italic"),
        )
    )

    def runs(sp: list[tuple[str, bool, bool]]) -> str:
        return _marked(sp, escape, "<i>{}</i>", "<b>{}</b>")

    parts: list[str] = []

    def write(items: list[tuple[Any, ...]]) -> None:
        for item in items:
            kind = item[0]
            if kind == "h":
                parts.append(f"<h{item[1]}>{escape(item[2])}</h{item[1]}>")
            elif kind == "p":
                parts.append(f"<p>{runs(item[2])}</p>")
            elif kind == "quote":
                paras = "".join(f"<p>{escape(p)}</p>" for p in item[1])
                parts.append(f"<blockquote>{paras}<p class=cite>{escape(item[2])}</p></blockquote>")
            elif kind == "note":
                paras = "".join(f"<p>{runs(p)}</p>" for p in item[2])
                parts.append(f"<aside><p><b>{escape(item[1])}</b></p>{paras}</aside>")
            elif kind == "list":
                tag = "ol" if item[1] else "ul"
                parts.append(f"<{tag}>" + "".join(f"<li>{runs(p)}</li>" for p in item[2]) + f"</{tag}>")
            elif kind == "table":
                rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in item[1])
                parts.append(f"<table>{rows}</table>")
            elif kind == "lines":
                parts.append("<div class=line></div>" * item[1])
            elif kind == "fields":
                parts.extend(f"<p><b>{escape(label)}:</b> ____________</p>" for label in item[1])
            elif kind == "keep":
                parts.append("<div class=keep>")
                write(item[1])
                parts.append("</div>")
            elif kind == "break":
                parts.append("<div style='break-after: page'></div>")

    write(content.items)
    style = (
        f"{faces} @page {{ size: A4; margin: 22mm 20mm; @top-left {{ content: '{escape(content.header)}' }}"
        " @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages) } }"
        " body { font-family: F; font-size: 11.5pt; line-height: 1.35 }"
        " table { border-collapse: collapse; width: 100% } td { border: 0.5pt solid grey; font-size: 9.5pt }"
        " aside { background: #E8F0F8; padding: 4pt 8pt } .keep { break-inside: avoid }"
        " .line { border-bottom: 0.6pt solid grey; height: 26pt }"
    )
    return f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(content.title)}</title>" + (
        f"<style>{style}</style><body>{''.join(parts)}</body></html>"
    )


def peers(contents: list[Content], runs: int, work: Path) -> list[Measure]:
    out: list[Measure] = []
    pandoc = shutil.which("pandoc")
    what = "peer: pandoc, Markdown -> DOCX (both editions)"
    if pandoc:
        sources = []
        for i, content in enumerate(contents):
            path = work / f"peer-{i}.md"
            path.write_text(_markdown(content), encoding="utf-8")
            sources.append(path)
        measure = Measure("peer_pandoc_docx", what, "s")
        for _ in range(runs):
            started = time.perf_counter()
            for path in sources:
                subprocess.run(
                    [pandoc, "-f", "markdown", "-t", "docx", "-o", str(path.with_suffix(".docx")), str(path)],
                    check=True,
                )
            measure.runs.append(time.perf_counter() - started)
        out.append(measure)
    else:
        out.append(Measure("peer_pandoc_docx", what, "s", note="not installed"))
    what = "peer: WeasyPrint, HTML -> PDF (both editions)"
    try:
        import weasyprint  # type: ignore[import-not-found]
    except Exception:  # not installed, or its system libraries are missing
        out.append(Measure("peer_weasyprint_pdf", what, "s", note="not installed"))
    else:
        pages = [_html(c) for c in contents]
        for html in pages:  # warm
            weasyprint.HTML(string=html).write_pdf()
        measure = Measure("peer_weasyprint_pdf", what, "s")
        for _ in range(runs):
            started = time.perf_counter()
            for html in pages:
                weasyprint.HTML(string=html).write_pdf()
            measure.runs.append(time.perf_counter() - started)
        out.append(measure)
    return out


# ---------------------------------------------------------------------------------------
# The benchmark


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 10,100,1000, not '{text}'") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected sizes of at least 1, not '{text}'")
    return sizes


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not '{text}'")
    return value


def arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Measure lessonpack against its quality bars and print a table (exit 0 even if a bar is missed).",
    )
    p.add_argument("--packs", type=_positive, default=None, help="generated specs to build and check (default 100)")
    p.add_argument("--repeat", type=_positive, default=None, help="runs of each timing; medians reported (default 3)")
    p.add_argument("--memory", type=_sizes, default=None, help="pack counts for peak memory (default 10,100,1000)")
    p.add_argument("--quick", action="store_true", help="tiny sizes for a smoke test: 3 packs, 1 run, memory at 2,3")
    p.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    p.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project whose seeds/, templates/ and packs/ to use (default: this repo)",
    )
    p.add_argument(
        "--pack",
        type=Path,
        default=None,
        metavar="SPEC",
        help=f"spec for the one-pack comparison with the floor (default: ROOT/{DEFAULT_PACK.as_posix()})",
    )
    args = p.parse_args(argv)
    args.packs = args.packs or (3 if args.quick else 100)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.memory = args.memory or ([2, 3] if args.quick else [10, 100, 1000])
    args.pack = (args.pack or args.root / DEFAULT_PACK).resolve()
    args.root = args.root.resolve()
    return args


def _step(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def benchmark(args: argparse.Namespace, work: Path) -> tuple[list[Measure], OnePack]:
    n, repeat = args.packs, args.repeat
    inner = 1 if args.quick else max(7, repeat)
    measures: list[Measure] = []

    _step(f"generating {n} specs")
    project = make_project(work / "project", args.root, n)
    packs = str(project / "packs")

    _step("lessonpack --help")
    help_ = Measure("help", "lessonpack --help", "s", bar=f"< {HELP_BAR_S} s")
    help_.runs = [run_timed(lessonpack(project, "--help"), work)[0] for _ in range(max(repeat, 3))]
    help_.passed = help_.median < HELP_BAR_S

    _step(f"lessonpack check of {n} specs")
    check = Measure("check", f"lessonpack check, {n} specs", "s", bar=f"< {CHECK_BAR_S} s")
    check.runs = [run_timed(lessonpack(project, "check", packs), work)[0] for _ in range(repeat)]
    check.passed = check.median < CHECK_BAR_S

    # --jobs 1 and --jobs 2 alternate, so that other work on the machine slows both alike; the
    # speed-up is the median of each pair's ratio.
    _step(f"full builds of {n} packs, --jobs 1 and --jobs 2 alternating ({repeat} runs each)")
    builds = {jobs: Measure(f"build_jobs{jobs}", f"full build, {n} packs, --jobs {jobs}", "s") for jobs in (1, 2)}
    for _ in range(repeat):
        for jobs in (1, 2):
            out = work / f"out-jobs{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            command = lessonpack(project, "build", packs, "--out", str(out), "--jobs", str(jobs), "--force")
            builds[jobs].runs.append(run_timed(command, work)[0])
    measures += [help_, check, builds[1], builds[2]]
    speedup = Measure(
        "speedup_jobs2",
        "  speed-up of --jobs 2 over --jobs 1",
        "x",
        [one / two for one, two in zip(builds[1].runs, builds[2].runs, strict=True)],
        f">= {SPEEDUP_BAR}x",
    )
    speedup.passed = speedup.median >= SPEEDUP_BAR
    measures.append(speedup)

    _step("no-op rebuild")
    noop = Measure("noop", f"no-op rebuild, {n} packs (nothing changed)", "s")
    out = work / "out-jobs2"  # built by the last full build; default --jobs
    discarded = 0
    while len(noop.runs) < repeat:
        seconds, said = run_timed(lessonpack(project, "build", packs, "--out", str(out)), work)
        if rebuilt(said) and discarded < repeat:
            # Something changed between the full build and this one (lessonpack's own code is
            # one of the inputs): that run was not a no-op.
            discarded += 1
            continue
        noop.runs.append(seconds)
    if discarded:
        noop.note = f"{discarded} run(s) discarded: they rebuilt packs (did inputs or code change meanwhile?)"
    fastest = min(builds[1].median, builds[2].median)
    share = noop.median / fastest
    measures += [
        noop,
        _ratio(
            "noop_share",
            "  share of the faster full build",
            share,
            "%",
            f"< {NOOP_SHARE_BAR:.0%}",
            share < NOOP_SHARE_BAR,
        ),
    ]

    _step(f"one pack, lessonpack and the floor ({inner} runs each)")
    one = one_pack(args.root, args.pack, inner)
    name = args.pack.name
    lp = Measure("pack_lessonpack", f"one pack ({name}): lessonpack, 5 files", "s", one.lessonpack)
    fl = Measure("pack_floor", "one pack: floor, reportlab + python-docx + python-pptx directly", "s", one.floor)
    ratio = lp.median / fl.median
    measures += [
        lp,
        Measure("pack_lessonpack_pdf", "  lessonpack PDF (2 editions, render only)", "s", one.parts["lp-pdf"]),
        Measure("pack_lessonpack_docx", "  lessonpack DOCX (2 editions, render only)", "s", one.parts["lp-docx"]),
        Measure("pack_lessonpack_pptx", "  lessonpack PPTX (the deck, render only)", "s", one.parts["lp-pptx"]),
        fl,
        Measure("pack_floor_pdf", "  floor PDF (2 editions)", "s", one.parts["fl-pdf"]),
        Measure("pack_floor_docx", "  floor DOCX (2 editions)", "s", one.parts["fl-docx"]),
        Measure("pack_floor_pptx", "  floor PPTX (the deck)", "s", one.parts["fl-pptx"]),
        _ratio("pack_ratio", "  lessonpack / floor", ratio, "x", f"<= {PACK_RATIO_BAR}x", ratio <= PACK_RATIO_BAR),
    ]

    measures += peers(one.contents, inner, work)

    _step(f"closest passage for the worst spec ({repeat} runs)")
    measures.append(closest_worst(args.root, work, repeat))

    _step(f"check with the largest policy ({inner} runs)")
    measures += policy_largest(args.root, work, inner)

    _step(f"build of the worst spec check allows ({repeat} runs per variant)")
    measures += worst_build(work, repeat)

    _step(f"no-op rebuild with broken specs in the batch ({repeat} runs)")
    measures += noop_broken(args.root, work, n, repeat)

    classes = (2, 3) if args.quick else (5, 50)
    _step(f"peak memory of print runs of {classes[0]} and {classes[1]} classes")
    measures += print_memory(args.root, work, classes)

    _step("sheets of paper for the shipped print set (a dry run)")
    measures.append(print_run_sheets(args.root))

    peaks: list[Measure] = []
    for size in args.memory:
        _step(f"peak memory of a build of {size} packs (--jobs 1)")
        folder = project if size == n else make_project(work / f"project-{size}", args.root, size)
        out = work / f"out-memory-{size}"
        command = lessonpack(folder, "build", str(folder / "packs"), "--out", str(out), "--jobs", "1", "--force")
        peaks.append(
            Measure(
                f"memory_{size}", f"peak RSS, build of {size} packs, --jobs 1", "MiB", [peak_rss_mib(command, work)]
            )
        )
        shutil.rmtree(out, ignore_errors=True)
        if folder != project:
            shutil.rmtree(folder, ignore_errors=True)
    measures += peaks
    small, large = peaks[0], peaks[-1]
    growth = large.median / small.median
    measures.append(
        _ratio(
            "memory_ratio",
            f"  peak at {args.memory[-1]} / peak at {args.memory[0]} packs",
            growth,
            "x",
            f"<= {MEMORY_RATIO_BAR}x",
            growth <= MEMORY_RATIO_BAR,
        )
    )
    return measures, one


def worst_build(work: Path, repeat: int) -> list[Measure]:
    """`lessonpack build --jobs 2 --force` of the widest spec check allows, in each variant."""
    folder = work / "worst"
    (folder / "packs").mkdir(parents=True)
    spec = folder / "packs" / "worst.yaml"
    spec.write_text(_generator_module().worst(), encoding="utf-8")
    size = spec.stat().st_size
    out: list[Measure] = []
    for variant in ("standard", "large-print"):
        key = f"worst_build_{variant.replace('-', '_')}"
        m = Measure(key, f"worst spec ({size // 1024} KiB), build, {variant}", "s", bar=f"< {WORST_BUILD_BAR_S:.0f} s")
        cpu = Measure(f"{key}_cpu", "  CPU time (user + system)", "s", bar=f"< {WORST_BUILD_CPU_BAR_S:.0f} s")
        command = lessonpack(
            ROOT, "build", str(spec), "--out", str(folder / "out"), "--jobs", "2", "--force", "--variant", variant
        )
        for _ in range(repeat):
            seconds, used, _ = run_cpu(command, work)
            m.runs.append(seconds)
            cpu.runs.append(used)
        m.passed = m.median < WORST_BUILD_BAR_S
        cpu.passed = cpu.median < WORST_BUILD_CPU_BAR_S
        out += [m, cpu]
    return out


BROKEN_SPEC = (
    "title: Broken {n}\naudience: {{ages: 14-16}}\nduration: 30\n"
    "excerpts:\n  - {{id: a, seed: no-going-back, quote: This sentence {n} is not in the essay at all.}}\n"
)


def noop_broken(source: Path, work: Path, n: int, repeat: int) -> list[Measure]:
    """A no-op rebuild of `n` generated specs and one broken spec in ten, against the full build."""
    project = make_project(work / "project-broken", source, n)
    for k in range(max(1, n // 10)):
        (project / "packs" / f"broken-{k:03d}.yaml").write_text(BROKEN_SPEC.format(n=k), encoding="utf-8")
    packs, out = str(project / "packs"), str(work / "out-broken")
    full = Measure("build_broken", f"full build, {n} packs and {max(1, n // 10)} broken specs", "s")
    noop = Measure("noop_broken", "no-op rebuild of the same (nothing changed)", "s")
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        full.runs.append(run_timed(lessonpack(project, "build", packs, "--out", out, "--force"), work, (1,))[0])
        noop.runs.append(run_timed(lessonpack(project, "build", packs, "--out", out), work, (1,))[0])
    share = noop.median / full.median
    return [
        full,
        noop,
        _ratio(
            "noop_broken_share",
            "  share of the full build",
            share,
            "%",
            f"< {NOOP_SHARE_BAR:.0%}",
            share < NOOP_SHARE_BAR,
        ),
    ]


def print_memory(source: Path, work: Path, sizes: tuple[int, int]) -> list[Measure]:
    """Peak RSS of print runs of sizes[0] and sizes[1] classes, each class 28 pupils with two of
    the same packs (so only the number of class PDFs grows)."""
    project = make_project(work / "project-print", source, 2)
    peaks = []
    for size in sizes:
        lines = ["paper: a4", "duplex: true", "classes:"]
        for k in range(size):
            lines += [
                f"  - name: C{k:03d}",
                "    students: 28",
                "    large_print: 2",
                "    packs: [generated-0000, generated-0001]",
            ]
        printset = project / "packs" / f"run-{size}.printset.yaml"
        printset.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "generator",
            "print",
            str(printset),
            "--root",
            str(project),
            "--out",
            str(work / f"print-{size}"),
        ]
        peaks.append(
            Measure(
                f"print_memory_{size}", f"peak RSS, print run of {size} classes", "MiB", [peak_rss_mib(command, work)]
            )
        )
        shutil.rmtree(work / f"print-{size}", ignore_errors=True)
    growth = peaks[1].median / peaks[0].median
    return [
        *peaks,
        _ratio(
            "print_memory_ratio",
            f"  peak at {sizes[1]} / peak at {sizes[0]} classes",
            growth,
            "x",
            f"<= {MEMORY_RATIO_BAR}x",
            growth <= MEMORY_RATIO_BAR,
        ),
    ]


def table(measures: list[Measure]) -> str:
    rows = [("what", "median", "min", "max", "bar", "result")]
    for m in measures:
        if not m.runs:
            rows.append((m.what, m.note or "-", "", "", m.bar, ""))
            continue
        spread = len(m.runs) > 1
        result = "" if m.passed is None else ("pass" if m.passed else "FAIL")
        rows.append(
            (
                m.what,
                _fmt(m.median, m.unit),
                _fmt(min(m.runs), m.unit) if spread else "",
                _fmt(max(m.runs), m.unit) if spread else "",
                m.bar,
                result,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:4], widths[1:4], strict=True))]
        cells += [r[4].ljust(widths[4]), r[5]]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if not args.pack.is_file():
        print(f"benchmark: {args.pack}: no such spec", file=sys.stderr)
        return 2
    info = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lessonpack-bench-") as tmp:
        measures, one = benchmark(args, Path(tmp))
    elapsed = time.perf_counter() - started

    print()
    print(f"machine: {machine_line(info)}")
    print(
        f"settings: {args.packs} generated packs, {args.repeat} runs per command (in-process: "
        f"{len(one.lessonpack)}), memory at {','.join(map(str, args.memory))} packs; {elapsed:.0f} s in all"
    )
    print()
    print(table(measures))
    print()
    try:
        shown = one.spec.relative_to(Path.cwd())
    except ValueError:
        shown = one.spec
    print(f"one pack = {shown}, student and teacher as PDF and DOCX, and the deck, A4 (lessonpack / floor):")
    for edition, (lp_pages, fl_pages) in one.pages.items():
        lp_fonts, fl_fonts = one.fonts[edition]
        print(f"  {edition} PDF pages: {lp_pages} / {fl_pages}")
        print(f"    fonts: {', '.join(lp_fonts)} / {', '.join(fl_fonts)}")
    for ext, (lp_bytes, fl_bytes) in one.sizes.items():
        files = "the deck" if ext == "pptx" else "both editions"
        print(f"  {ext.upper()} bytes ({files}): {lp_bytes:,} / {fl_bytes:,}")
    failed = [m.what.strip() for m in measures if m.passed is False]
    print()
    for m in measures:
        if m.note and m.runs:
            print(f"note: {m.what.strip()}: {m.note}")
    print("all bars met" if not failed else "bars missed: " + "; ".join(failed))
    if args.quick:
        print("(--quick measures too few packs for the bars to mean anything; it only shows that the benchmark runs)")

    if args.json:
        payload = {
            "machine": info,
            "settings": {
                "packs": args.packs,
                "repeat": args.repeat,
                "in_process_runs": len(one.lessonpack),
                "memory": args.memory,
                "pack": str(shown),
            },
            "measurements": {m.key: m.as_json() for m in measures if m.runs},
            "not_measured": {m.key: m.note for m in measures if not m.runs},
            "one_pack": {
                "pages": {e: {"lessonpack": a, "floor": b} for e, (a, b) in one.pages.items()},
                "fonts": {e: {"lessonpack": a, "floor": b} for e, (a, b) in one.fonts.items()},
                "bytes": {x: {"lessonpack": a, "floor": b} for x, (a, b) in one.sizes.items()},
            },
            "bars_missed": failed,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
