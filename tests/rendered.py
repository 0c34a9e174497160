"""Reading rendered pages back with poppler: where each page's marks end, its words with their
positions, and the ruled lines drawn on it (writing lines, box and table borders)."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.tools import require

DPI = 72  # one pixel a point: page coordinates and pixels agree
INK = 200  # a grey darker than this is a mark (writing lines are drawn in a mid grey)
RULE_SHARE = 0.6  # a row dark across this share of the text width is a rule


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """One rendered page: its size in points, its words, and its grey pixels (row by row)."""

    width: int
    height: int
    words: tuple[Word, ...]
    pixels: bytes
    docx: bool = False  # a DOCX as LibreOffice sets it (its margins are the DOCX's: layout.docx_metrics)

    def row(self, y: int) -> bytes:
        return self.pixels[y * self.width : (y + 1) * self.width]

    def lowest_mark(self, top: float, bottom: float) -> float | None:
        """The lowest row between `top` and `bottom` (points) that has a mark, or None."""
        for y in range(int(bottom) - 1, int(top), -1):
            if min(self.row(y)) < INK:
                return float(y)
        return None

    def rules(self, top: float, bottom: float, left: float, right: float) -> int:
        """How many ruled lines (rows dark across most of the text width) lie between `top` and
        `bottom`; a line drawn over two pixel rows counts once."""
        count, previous = 0, False
        span = right - left
        for y in range(max(0, int(top)), min(self.height, int(bottom))):
            row = self.row(y)[int(left) : int(right)]
            dark = sum(1 for v in row if v < INK)
            is_rule = dark >= RULE_SHARE * span
            if is_rule and not previous:
                count += 1
            previous = is_rule
        return count


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` as poppler renders it (grey, a pixel a point) with its words."""
    require("pdftoppm", "pdftotext")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{work}/p"], check=True)
        images = sorted(Path(work).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
        rasters = [_pgm(p) for p in images]
    words = _words(pdf)
    assert len(words) == len(rasters), pdf
    return [Page(w, h, tuple(ws), px) for (w, h, px), ws in zip(rasters, words, strict=True)]


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, size, depth, pixels = data.split(b"\n", 3)
    assert magic == b"P5" and depth == b"255", path
    width, height = map(int, size.split())
    return width, height, pixels[: width * height]


_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def _words(pdf: Path) -> list[list[Word]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # A leader drawn as underscores (LibreOffice's ruled writing lines) is a rule, not a word.
    return [
        [
            Word(html.unescape(t), float(a), float(b), float(c), float(d))
            for a, b, c, d, t in _WORD.findall(page)
            if html.unescape(t).strip("_.\u2026")
        ]
        for page in _PAGE.findall(out)
    ]


def squash(text: str) -> str:
    """`text` without white space, hyphens or quotes (programs set and join these differently)."""
    return re.sub(r"[\s\-\u00ad‘’“”'\"]+", "", text)


def page_of(pages_: list[Page], text: str) -> list[int]:
    """The pages (0-based) whose text holds `text` (squashed)."""
    needle = squash(text)
    return [i for i, p in enumerate(pages_) if needle in squash(" ".join(w.text for w in p.words))]
