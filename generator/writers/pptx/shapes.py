"""A planned slide as it is drawn: text boxes (paragraphs of runs, each line's height exact), filled
rectangles and tables, in points from the slide's top left, with the slide's title and speaker
notes. plan.py makes them; slides.py draws them with python-pptx, handout.py with reportlab."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ...model import Span

Align = Literal["l", "ctr"]
Anchor = Literal["t", "b", "ctr"]


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None  # None: the style's ink


@dataclass(frozen=True)
class Para:
    """A paragraph as drawn: its runs, size, exact line height and what goes before it."""

    runs: tuple[Run, ...]
    size: float
    line: float
    space_before: float = 0.0
    number: int | None = None  # an automatically numbered paragraph, starting at this number
    bullet: str | None = None
    indent: float = 0.0  # the hanging indent the number or bullet sits in
    align: Align = "l"


@dataclass(frozen=True)
class TextBox:
    x: float
    y: float
    w: float
    h: float
    paras: tuple[Para, ...]
    name: str
    anchor: Anchor = "t"
    fill: str | None = None  # a filled shape holding text (a quiz option's letter)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    name: str
    line: str | None = None


@dataclass(frozen=True)
class Grid:
    """A table: column widths, row heights, each cell's paragraphs; the first row may be a header."""

    x: float
    y: float
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    cells: tuple[tuple[tuple[Para, ...], ...], ...]
    header: bool
    name: str
    pad_x: float
    pad_y: float


Shape = TextBox | Rect | Grid


@dataclass
class Page:
    """One slide as drawn: its title box, its shapes and speaker notes, and the words on it."""

    title: TextBox
    shapes: list[Shape] = field(default_factory=list)
    notes: tuple[tuple[Span, ...], ...] = ()
    words: int = 0
    kind: str = ""  # the model slide's kind (the slide's name in the deck)
