"""The PDF's own flowables: writing lines, answer boxes, tick boxes, boxed notes and quotes, and
the groups kept together on a page (Keep), which decide where pages break."""

from __future__ import annotations

from typing import Any, TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import KeepTogether as RLKeepTogether
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import _listWrapOn

from .. import layout
from .styles import colour


class RLParagraph(_Paragraph):  # type: ignore[misc]
    """reportlab's paragraph, its lines broken once for each width it is set at in turn: keeping
    blocks together measures the same paragraphs again and again at one width (a long group,
    once for each page it crosses), and breaking a paragraph's lines depends on the width alone."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        memo = self.__dict__.get("_wrapped")
        if memo is not None and memo[0] == avail_width:
            _, self.width, self.height, self._wrapWidths, self.blPara = memo
            return self.width, self.height
        width, height = super().wrap(avail_width, avail_height)
        if hasattr(self, "blPara"):
            self._wrapped = (avail_width, self.width, self.height, self._wrapWidths, self.blPara)
        return float(width), float(height)


class OutlineHeading(RLParagraph):
    """A heading paragraph that also becomes a bookmark. A heading taller than a page is split as a
    paragraph is (reportlab makes each part with the paragraph's own arguments); the bookmark goes
    with the first part only (level 0: no bookmark)."""

    def __init__(self, text: str | None, style: ParagraphStyle, level: int = 0, title: str = "", **part: Any) -> None:
        super().__init__(text, style, **part)
        self.outline_level = level
        self.outline_title = title

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if parts and isinstance(parts[0], OutlineHeading):
            parts[0].outline_level, parts[0].outline_title = self.outline_level, self.outline_title
        return parts


class _Room(Flowable):  # type: ignore[misc]
    """Room to answer, `lines` writing lines `pitch` apart (and `below` under the last). It moves to
    the next page whole, and is split between lines only when it is taller than a whole page
    (`page_height`) and so could never fit."""

    room = True  # room to answer: never parted from its question
    below = 0.0

    def __init__(self, lines: int, pitch: float, page_height: float) -> None:
        super().__init__()
        self.lines = lines
        self.pitch = pitch
        self.page_height = page_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.lines * self.pitch + self.below

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height - self.below) // self.pitch)
        if self.lines * self.pitch + self.below <= self.page_height or not 0 < fit < self.lines:
            return []
        kind = type(self)
        return [kind(fit, self.pitch, self.page_height), kind(self.lines - fit, self.pitch, self.page_height)]


class WritingLines(_Room):
    """Ruled lines to write on, with 4 pt under the last."""

    below = 4.0

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colour(layout.RULE_GREY))
        c.setLineWidth(0.6)
        for i in range(self.lines):
            y = (self.lines - i - 1) * self.pitch + 4
            c.line(0, y, self.width, y)


class RuledBox(_Room):
    """An empty ruled box to write or draw in."""

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colour(layout.RULE_GREY))
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.lines * self.pitch, stroke=1, fill=0)


class TickBox(Flowable):  # type: ignore[misc]
    """A square to tick; filled in an answer key's correct choice."""

    def __init__(self, side: float, ticked: bool) -> None:
        super().__init__()
        self.side = side
        self.ticked = ticked

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side + 2

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colour(layout.INK))
        c.setLineWidth(0.9)
        c.setFillColor(colour(layout.ACCENT))
        c.rect(0, 0, self.side, self.side, stroke=1, fill=1 if self.ticked else 0)


class Box(RLTable):  # type: ignore[misc]
    """A quote or a note: it moves to the next page whole, never leaving its title or its
    citation alone at a page's foot or head. Only a box taller than a page is split (and its
    parts, made by reportlab with this class, split freely: page_height is 0 for them)."""

    page_height = 0.0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        _, height = self.wrap(avail_width, avail_height)
        if height <= self.page_height:
            return []
        parts: list[Flowable] = super().split(avail_width, avail_height)
        return parts


# A page's used height ends in spacing under its last block (up to this share of a page), which
# leaves no mark: a page is counted as filled only when it is filled this much beyond the minimum.
FILL_ALLOWANCE = 0.06
# A group no taller than this share of a page is short: in large print too it moves to the next
# page whole rather than be split (its steps parted from their few writing lines).
SHORT_GROUP = 0.5

Part: TypeAlias = "list[Flowable] | Keep"


class Keep(RLKeepTogether):  # type: ignore[misc]
    """Blocks kept on one page, in parts: each part is a run of flowables that is never split
    (a heading with what follows it, an extract with its note) or a group of its own (a question
    with its room to answer). A group that does not fit on what is left of a page moves to the
    next one whole, except where that would leave the page less than MIN_PAGE_FILL full (or the
    group is taller than a page): then it is split between its parts, as late as fits, and a part
    that is a group is split the same way only when no part fits."""

    def __init__(self, parts: list[Part], frame_height: float, firm: bool = True, eager: bool = False) -> None:
        self.parts = [p for p in parts if not isinstance(p, list) or p]
        self.frame_height = frame_height
        self.firm = firm
        self.eager = eager  # large print: a group that is not firm splits wherever it does not fit
        super().__init__(flatten(self.parts))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # reportlab draws what a split returns one by one (splitting further what does not fit)
        # when it opens with an action, as its own KeepTogether's does.
        return [RLKeepTogether.NullActionFlowable(), *self._split(avail_width, avail_height)]

    def _split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        height = self._height(self.parts, avail_width)
        if height <= avail_height + 1e-6:
            return flatten(self.parts, deep=True)
        frame = self.frame_height
        at_top = avail_height >= frame - 1
        # What is used of the page ends in spacing that prints nothing: allow for it.
        filled = frame - avail_height >= (layout.MIN_PAGE_FILL + FILL_ALLOWANCE) * frame
        # A group that is not firm moves whole only to keep a filled page's foot clear; in large
        # print (as Word and LibreOffice set a DOCX) it is split between its parts wherever it
        # does not fit, since its parts alone fill most of a page, unless it is short (steps
        # and a few lines to write on): that moves whole too.
        short = height <= SHORT_GROUP * frame
        if height <= frame and (self.firm or (filled and (not self.eager or short))) and not at_top:
            return [RLKeepTogether.FrameBreak(), self]
        # Split between parts: as many as fit here, the rest kept together for the next page.
        # A part more never makes the parts shorter: the most that fit is found by halving, with
        # log2(parts) prefixes wrapped, not every one (a group of hundreds of parts was wrapped
        # hundreds of times on each page it crossed).
        fits, most = 0, len(self.parts) - 1
        while fits < most:
            n = (fits + most + 1) // 2
            if self._height(self.parts[:n], avail_width) <= avail_height:
                fits = n
            else:
                most = n - 1
        if fits:
            rest = Keep(self.parts[fits:], frame, self.firm, self.eager)
            return [*flatten(self.parts[:fits], deep=True), rest]
        first = self.parts[0]
        if isinstance(first, Keep):
            first.canv = getattr(self, "canv", None)
            return [*first._split(avail_width, avail_height), *self._rest()]
        flowing = not any(getattr(f, "room", False) or isinstance(f, Box) for f in first)
        if not at_top and (self.firm or filled or not flowing) and self._height([first], avail_width) <= frame:
            return [RLKeepTogether.FrameBreak(), self]  # its first part starts the next page whole
        if height > frame:
            smaller = glued(first)  # a part taller than a page: split where nothing is glued
            if len(smaller) > 1:
                inner = Keep([*smaller, *self.parts[1:]], frame, self.firm, self.eager)
                inner.canv = getattr(self, "canv", None)
                return inner._split(avail_width, avail_height)
        if at_top or ((height > frame or flowing) and self._height([first[:1]], avail_width) <= avail_height):
            # Taller than a page, or text, lists and tables that may flow on: reportlab splits them.
            return [*first, *self._rest()]
        # A question with its room to answer, or a note with its extract: on the next page.
        return [RLKeepTogether.FrameBreak(), self]

    def _rest(self) -> list[Flowable]:
        return [Keep(self.parts[1:], self.frame_height, self.firm, self.eager)] if self.parts[1:] else []

    def _height(self, parts: list[Part], avail_width: float) -> float:
        _, height = _listWrapOn(flatten(parts, deep=True), avail_width, getattr(self, "canv", None))
        return float(height)

    def prepend(self, flowables: list[Flowable]) -> Keep:
        """This group with `flowables` (a heading) joined to its first part."""
        first = self.parts[0]
        head: Part = first.prepend(flowables) if isinstance(first, Keep) else [*flowables, *first]
        return Keep([head, *self.parts[1:]], self.frame_height, self.firm, self.eager)


def glued(flowables: list[Flowable]) -> list[Part]:
    """A run of flowables as the parts no page break may fall inside: a heading or a note kept
    with the next (a content note with its extract) joined to what follows, room to answer joined
    to its question, spacing to what it follows."""
    parts: list[Part] = []
    glue = False
    for f in flowables:
        current = parts[-1] if parts else None
        if isinstance(current, list) and (glue or isinstance(f, Spacer) or getattr(f, "room", False)):
            current.append(f)
        else:
            parts.append([f])
        if not isinstance(f, Spacer):
            glue = isinstance(f, OutlineHeading) or bool(getattr(f, "keepWithNext", 0))
    return parts


def flatten(parts: list[Part], deep: bool = False) -> list[Flowable]:
    """The flowables of some parts: groups among them as they are, or (`deep`) as their flowables."""
    out: list[Flowable] = []
    for part in parts:
        if isinstance(part, Keep):
            out += flatten(part.parts, deep) if deep else [part]
        else:
            out += part
    return out
