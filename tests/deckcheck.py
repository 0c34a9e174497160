"""Reading a slide deck back as its consumers do: python-pptx for what each slide holds (titles,
text boxes, fonts, sizes, words, speaker notes), and LibreOffice Impress's PDF of it (pdftotext
word boxes) for where the text really landed."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.shapes.graphfrm import GraphicFrame

from tests.tools import soffice

EMU_PER_PT = 12700
TOLERANCE_PT = 3.0


@dataclass(frozen=True)
class Box:
    name: str
    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """A word lies in the box: its ends across, its middle down (pdftotext's word boxes are the
        font's bounding box, taller than a line; text that overflows is a whole line out)."""
        middle = (y0 + y1) / 2
        t = TOLERANCE_PT
        return x0 >= self.x0 - t and x1 <= self.x1 + t and self.y0 - t <= middle <= self.y1 + t


@dataclass
class SlideText:
    title: str
    kind: str  # the model slide's kind, which the writer names each slide by
    boxes: list[Box] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (shape name, text) on the slide
    title_sizes: list[float] = field(default_factory=list)
    body_sizes: list[float] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)
    words: int = 0  # body words, the citation not counted
    notes: str = ""

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.texts)


def _pt(v: Any) -> float:
    return (int(v) if v is not None else 0) / EMU_PER_PT


def _runs(text_frame: Any, slide: SlideText, sizes: list[float]) -> None:
    for p in text_frame.paragraphs:
        for r in p.runs:
            if r.text.strip():
                assert r.font.size is not None, f"a run without a size: {r.text!r}"
                sizes.append(r.font.size.pt)
                slide.fonts.add(str(r.font.name))


def read_deck(path: Path) -> tuple[list[SlideText], float, float]:
    """Every slide's text, boxes, sizes, fonts, words and notes; the slide's width and height."""
    prs = Presentation(str(path))
    slides: list[SlideText] = []
    for slide in prs.slides:
        title = slide.shapes.title
        info = SlideText(title.text_frame.text if title is not None else "", slide.name)
        for shape in slide.shapes:
            x, y = _pt(shape.left), _pt(shape.top)
            if isinstance(shape, GraphicFrame) and shape.has_table:
                cy = y
                for row in shape.table.rows:
                    cx = x
                    for j, cell in enumerate(row.cells):
                        w = _pt(shape.table.columns[j].width)
                        info.boxes.append(Box(f"{shape.name} cell", cx, cy, cx + w, cy + _pt(row.height)))
                        _runs(cell.text_frame, info, info.body_sizes)
                        info.words += len(cell.text_frame.text.split())
                        info.texts.append((shape.name, cell.text_frame.text))
                        cx += w
                    cy += _pt(row.height)
                continue
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            tf: Any = shape.text_frame
            info.boxes.append(Box(shape.name, x, y, x + _pt(shape.width), y + _pt(shape.height)))
            is_title = shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.TITLE
            if is_title:
                _runs(tf, info, info.title_sizes)
                continue
            _runs(tf, info, info.body_sizes)
            info.texts.append((shape.name, tf.text))
            if shape.name != "Citation" and "letter" not in shape.name:
                info.words += len(tf.text.split())
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            info.notes = notes.text if notes is not None else ""
        slides.append(info)
    return slides, _pt(prs.slide_width), _pt(prs.slide_height)


def to_pdf(decks: list[Path], work: Path) -> Path:
    """Convert decks with LibreOffice Impress (its own profile under `work`); the folder of PDFs."""
    out = work / "converted"
    done = subprocess.run(
        [soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, decks)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return out


Word = tuple[str, float, float, float, float]


def pdf_pages(pdf: Path) -> list[tuple[float, float, list[Word]]]:
    """Each page's width, height and words with their boxes (points, origin top left)."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ET.fromstring(html).iter(f"{ns}page"):
        words = [
            (w.text or "", float(w.get("xMin", 0)), float(w.get("yMin", 0)), float(w.get("xMax", 0)),
             float(w.get("yMax", 0)))
            for w in page.iter(f"{ns}word")
        ]  # fmt: skip
        pages.append((float(page.get("width", 0)), float(page.get("height", 0)), words))
    return pages


def misplaced(slides: list[SlideText], pages: list[tuple[float, float, list[Word]]]) -> list[str]:
    """Every word of the PDF that lies off its page or outside all of its slide's text boxes."""
    found = []
    for n, ((width, height, words), info) in enumerate(zip(pages, slides, strict=True), 1):
        for text, x0, y0, x1, y1 in words:
            if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                found.append(f"slide {n}: {text!r} lies off the page")
            elif not any(b.holds(x0, y0, x1, y1) for b in info.boxes):
                found.append(f"slide {n} ({info.title}): {text!r} at ({x0:.0f},{y0:.0f}) is outside every text box")
    return found
