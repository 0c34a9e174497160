"""Helpers for tests that need a real external consumer (LibreOffice, qpdf, poppler, CUPS)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Problem


def require(*tools: str) -> None:
    """Skip (on a laptop) or fail (when CI is set) unless every named program is on PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    reason = f"needs {', '.join(missing)} on PATH (.ci/run lists the Debian packages that provide them)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def soffice() -> str:
    """The LibreOffice binary, or a skip/fail as `require` does."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    require("soffice")
    raise AssertionError("unreachable")


# -- data-driven bad cases (tests/bad*, first lines `# expect: LINE:COL: substring`) ---------

EXPECT = re.compile(rb"# expect: (\d+):(\d+): (.+)")


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The '# expect:' lines at the top of a case (read as bytes: some cases are not clean text)."""
    found = []
    for line in re.split(rb"\r\n|\r|\n", path.read_bytes()):  # a case may have old Mac line endings
        m = EXPECT.fullmatch(line)
        if not m:
            break
        found.append((int(m.group(1)), int(m.group(2)), m.group(3).decode("utf-8")))
    return found


def assert_refused(problems: list[Problem], expected: list[tuple[int, int, str]]) -> None:
    """For every expectation, an error at exactly LINE:COL whose message contains the substring."""
    shown = "\n".join(str(p) for p in problems)
    for line, col, needle in expected:
        assert any(
            p.severity == "error" and (p.position.line, p.position.col) == (line, col) and needle in p.message
            for p in problems
        ), f"expected an error at {line}:{col} containing {needle!r}; got:\n{shown}"


# -- LibreOffice as a real consumer of our DOCX ---------------------------------------------


def docx_to_pdf(files: list[Path], work: Path) -> Path:
    """Convert DOCX files with LibreOffice (its own profile under `work`); the folder of PDFs."""
    converted = work / "converted"
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-1000:]
    return converted


def lessonpack_here(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lessonpack ARGS` run from `cwd` through its console entry point (generator.cli.run: the same
    parsing, exit code and last-resort error lines), in this process with its output captured: for a
    test about what a command does rather than about the process boundary, without the second or so
    a fresh interpreter spends importing. The answer has the shape subprocess.run gives, so a test
    can switch between the two; tests that need a real process (two runs at once, a read that might
    never end, a fresh interpreter's bytes) keep using one."""
    from generator.cli import run

    out, err = io.StringIO(), io.StringIO()
    argv, before = sys.argv, os.getcwd()
    sys.argv = ["lessonpack", *map(str, args)]
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                run()
                code = 0  # run() always ends with SystemExit; kept for the type checker
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
        os.chdir(before)
    return subprocess.CompletedProcess(list(map(str, args)), code, out.getvalue(), err.getvalue())


def pdf_pages(path: Path) -> tuple[str, ...]:
    """Each page's text as poppler's pdftotext reads it, white space folded and soft hyphens
    dropped: what a reader of the page sees, from a real consumer. Read once per version of a file
    (tests of several files read the session's builds; pypdf took about 40 ms a page)."""
    require("pdftotext")
    stat = path.stat()
    return _pdf_pages(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _pdf_pages(path: Path, mtime: int, size: int) -> tuple[str, ...]:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    pages = done.stdout.decode("utf-8").split("\f")[:-1]  # each page ends with a form feed
    return tuple(" ".join(page.replace("\u00ad", "").split()) for page in pages)


def pdf_text(path: Path) -> str:
    """The whole file's text (pdf_pages), its pages joined by a space."""
    return " ".join(pdf_pages(path))


# -- reading a DOCX's body ------------------------------------------------------------------


def body_paragraphs(document: Any) -> list[Any]:
    """A python-docx Document's body paragraphs in order, as `document.paragraphs` lists them, with
    the paragraphs of the rows that keep a group on one page in their place (one-cell tables with no
    table style: generator/writers/docx/rows.py). Paragraphs of real tables (a table style) are left
    out, as `document.paragraphs` leaves them out."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    found: list[Any] = []

    def walk(container: Any) -> None:
        for child in container:
            if child.tag == qn("w:p"):
                found.append(Paragraph(child, document._body))
            elif child.tag == qn("w:tbl") and child.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") is None:
                for tc in child.iter(qn("w:tc")):
                    if tc.getparent().getparent() is child:
                        walk(tc)

    walk(document.element.body)
    return found


def table_texts(document: Any) -> list[str]:
    """The text of every cell of a DOCX's real tables (a table style), those inside a row that keeps
    a group on one page included."""
    from docx.oxml.ns import qn

    texts: list[str] = []
    for tbl in document.element.body.iter(qn("w:tbl")):
        if tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") is None:
            continue
        for tc in tbl.iter(qn("w:tc")):
            texts.append("\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p"))))
    return texts


def real_tables(document: Any) -> list[Any]:
    """A DOCX's real tables (a table style) in order, as python-docx Tables, those inside a row that
    keeps a group on one page included (`document.tables` lists those rows' tables instead)."""
    from docx.oxml.ns import qn
    from docx.table import Table

    styled = (
        t for t in document.element.body.iter(qn("w:tbl")) if t.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}") is not None
    )
    return [Table(t, document._body) for t in styled]
