"""Page geometry and type sizes shared by every writer, so PDF and DOCX match.

The constants are the standard variant's. `metrics(large_print)` gives a writer every size it
needs for one variant (standard, or large print after the British Dyslexia Association style
guide), so neither writer asks which variant it is drawing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..model import PAPER, Paper

MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH

# Margins in millimetres (top, right, bottom, left): a worksheet's 12 to 13 mm all round. The
# header and footer sit inside the top and bottom margins, 5.5 mm from the edge (outside the
# 4 to 5 mm a printer cannot print near the edge).
MARGIN_TOP_MM = 13.0
MARGIN_BOTTOM_MM = 13.0
MARGIN_LEFT_MM = 12.0
MARGIN_RIGHT_MM = 12.0
HEADER_DISTANCE_MM = 5.5
FOOTER_DISTANCE_MM = 5.5

# Type, in points.
FONT_FAMILY = "Atkinson Hyperlegible"
FALLBACK_FAMILY = "Noto Sans"
BODY_PT = 11.5
BODY_LEADING = 1.25  # line height as a multiple of the font size (Atkinson Hyperlegible sets open at this)
SMALL_PT = 9.5
TITLE_PT = 24.0
HEADING_PT: dict[Literal[1, 2, 3], float] = {1: 17.0, 2: 14.0, 3: 12.0}
QUOTE_PT = 11.5
WRITING_LINE_PT = 26.0  # distance between ruled writing lines
FIELD_GAP_PT = 12.0  # between the Name, Class and Date lines on a cover (grown with the text)
# A page may be left less full than this (measured down to its lowest mark) only when it is the
# last: groups kept together are split rather than leave a page emptier.
MIN_PAGE_FILL = 0.4
# Space above each line of quiz choices in a DOCX: tick boxes on lines one under another stay
# apart (Word and LibreOffice draw a box as tall as its line's type; the PDF draws its own squares).
QUIZ_CHOICE_GAP_PT = 3.0
# Rows of a table that pupils write in are this many writing lines tall.
ANSWER_ROW_LINES = 2

# Colours as hex RGB (no leading #).
INK = "1A1A1A"
ACCENT = "1F4E79"
NOTE_FILL = "FFF4D6"
NOTE_RULE = "C98A00"
TEACHER_FILL = "E8F0F8"
QUOTE_RULE = "7A7A7A"
TABLE_HEADER_FILL = "DCE6F0"
RULE_GREY = "9A9A9A"
KEY_FILL = "EEF4EA"  # boxes for pupils: keywords, what to remember (a calm green-grey)
KEY_RULE = "4F7F3A"
TICK_BOX_PT = 11.0  # the side of a quiz tick box in the standard variant (grown with the text)

# The fill and left rule of each kind of boxed note (hex RGB).
CALLOUT_COLOURS: dict[str, tuple[str, str]] = {
    "content-note": (NOTE_FILL, NOTE_RULE),
    "summary-note": (NOTE_FILL, NOTE_RULE),
    "teacher-note": (TEACHER_FILL, ACCENT),
    "key-info": (KEY_FILL, KEY_RULE),
}


@dataclass(frozen=True)
class Gaps:
    """Vertical gaps between blocks in points, before Metrics.space scales them, shared by the PDF
    and DOCX writers so that both paginate alike."""

    heading_before: dict[Literal[1, 2, 3], float]  # level 1 opens a part, so it has little above it
    heading_after: float
    body_after: float  # under a paragraph
    list_after: float  # under a list item or a quiz question
    box_above: float  # above an excerpt or a boxed note
    quote_below: float  # under an excerpt
    note_below: float  # under a boxed note
    quote_pad: float  # above and below each paragraph of an excerpt and its citation
    note_pad: float  # at the top and foot of a boxed note
    note_gap: float  # between a note's paragraphs
    writing_below: float  # under ruled writing lines
    box_below: float  # under an answer box or an answer table
    quiz_below: float  # under a quiz question's choices


# The standard variant's gaps: set tightly, as a worksheet is, but never touching.
TIGHT = Gaps(
    heading_before={1: 4.0, 2: 8.0, 3: 6.0},
    heading_after=3.0,
    body_after=4.0,
    list_after=2.0,
    box_above=3.0,
    quote_below=6.0,
    note_below=4.0,
    quote_pad=2.0,
    note_pad=3.0,
    note_gap=2.0,
    writing_below=4.0,
    box_below=6.0,
    quiz_below=4.0,
)
# Large print's (doubled by its space_scale): the wider gaps it had before, as the BDA guide asks.
WIDE = Gaps(
    heading_before={1: 4.0, 2: 9.0, 3: 8.0},
    heading_after=4.0,
    body_after=6.0,
    list_after=3.0,
    box_above=4.0,
    quote_below=8.0,
    note_below=6.0,
    quote_pad=2.0,
    note_pad=3.0,
    note_gap=6.0,
    writing_below=6.0,
    box_below=8.0,
    quiz_below=6.0,
)


@dataclass(frozen=True)
class Metrics:
    """Sizes in points (margins in millimetres) for one variant of a document."""

    body_pt: float
    small_pt: float  # citations, header, footer and table text in the PDF
    lead_pt: float  # the cover's opening paragraph
    quote_pt: float
    title_pt: float
    heading_pt: dict[Literal[1, 2, 3], float]
    bullet_pt: float  # list numbers and bullets in the PDF
    writing_line_pt: float  # distance between ruled writing lines (and cover fields in DOCX)
    # Line height as a multiple of the font size for all text; None keeps each style's own.
    line_spacing: float | None
    # Gaps between paragraphs and padding above and below boxes are multiplied by this.
    space_scale: float
    # DOCX table text; None keeps the body size (the PDF's table text is small_pt).
    table_pt: float | None
    italic: bool  # False: italic spans are printed upright, and no style is italic
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    header_distance_mm: float
    footer_distance_mm: float
    gaps: Gaps

    def spacing(self, standard: float) -> float:
        """Line height as a multiple of the font size, for a style whose own is `standard`."""
        return self.line_spacing or standard

    def line(self, size: float, standard: float) -> float:
        """Leading in points for text of `size` in a style whose own line spacing is `standard`."""
        return size * self.spacing(standard)

    def space(self, pt: float) -> float:
        """A vertical gap or padding of `pt` points in the standard variant, for this one."""
        return pt * self.space_scale

    def scaled(self, pt: float) -> float:
        """A distance that holds text (indents, label columns), grown with the body size."""
        return pt * self.body_pt / BODY_PT


STANDARD = Metrics(
    body_pt=BODY_PT,
    small_pt=SMALL_PT,
    lead_pt=13.0,
    quote_pt=QUOTE_PT,
    title_pt=TITLE_PT,
    heading_pt=HEADING_PT,
    bullet_pt=10.0,
    writing_line_pt=WRITING_LINE_PT,
    line_spacing=None,
    space_scale=1.0,
    table_pt=None,
    italic=True,
    margin_top_mm=MARGIN_TOP_MM,
    margin_bottom_mm=MARGIN_BOTTOM_MM,
    margin_left_mm=MARGIN_LEFT_MM,
    margin_right_mm=MARGIN_RIGHT_MM,
    header_distance_mm=HEADER_DISTANCE_MM,
    footer_distance_mm=FOOTER_DISTANCE_MM,
    gaps=TIGHT,
)

# Large print: 16 pt body text and nothing under 14 pt, 1.5 line spacing everywhere, bold
# headings clearly larger than the text, no italics, wider writing lines and paragraph gaps.
# Margins of 13 to 14 mm; the top one grows (Writer.top_margin) when the 14 pt header wraps.
LARGE_PRINT = Metrics(
    body_pt=16.0,
    small_pt=14.0,
    lead_pt=18.0,
    quote_pt=16.0,
    title_pt=28.0,
    heading_pt={1: 22.0, 2: 19.0, 3: 17.0},
    bullet_pt=16.0,
    writing_line_pt=36.0,
    line_spacing=1.5,
    space_scale=2.0,
    table_pt=14.0,
    italic=False,
    margin_top_mm=13.0,
    margin_bottom_mm=14.0,
    margin_left_mm=13.0,
    margin_right_mm=13.0,
    header_distance_mm=5.5,
    footer_distance_mm=5.5,
    gaps=WIDE,
)


def metrics(large_print: bool) -> Metrics:
    """The sizes for a document: large print, or the standard variant."""
    return LARGE_PRINT if large_print else STANDARD


# The DOCX keeps, for now, the margins it had before the PDF took a worksheet's (top, bottom,
# left, right, header, footer in mm), as it keeps its earlier gaps (docx/styles.py): LibreOffice
# keeps a paragraph with the next only one paragraph deep, so wherever a DOCX's pages break anew
# it can part an extract from its intro and notes (tests/test_pages.py found two such with the
# PDF's margins: bystander-to-ally's teacher edition, metoo-hashtag-to-movement's handout).
_DOCX_MARGINS = {False: (16.0, 15.0, 17.0, 17.0, 8.0, 8.0), True: (24.0, 18.0, 18.0, 18.0, 8.0, 10.0)}


def docx_metrics(large_print: bool) -> Metrics:
    """The sizes for a DOCX: the variant's, with the DOCX's margins."""
    top, bottom, left, right, header, footer = _DOCX_MARGINS[large_print]
    return replace(
        metrics(large_print),
        margin_top_mm=top,
        margin_bottom_mm=bottom,
        margin_left_mm=left,
        margin_right_mm=right,
        header_distance_mm=header,
        footer_distance_mm=footer,
    )


def text_width_mm(paper: Paper, m: Metrics) -> float:
    """The width between the left and right margins."""
    page = PAPER[paper]
    return page.width_mm - m.margin_left_mm - m.margin_right_mm


def fit_columns(weights: Sequence[float], minimums: Sequence[float], total: float, whole: bool = True) -> list[float]:
    """Column widths adding up to `total` in proportion to `weights` (all positive), except that a
    column narrower than its minimum (the width of its longest word) is widened to it at the
    other columns' expense. When every column's minimum fits (and `whole`), each gets it (a long
    web address stays whole); otherwise no minimum counts for more than an equal share of
    `total`, and a longer word is broken rather than starve the other columns."""
    n = len(weights)
    least = list(minimums) if whole and sum(minimums) <= total else [min(x, total / n) for x in minimums]
    scale = total / sum(weights)
    widths = [w * scale for w in weights]
    fixed: set[int] = set()
    while True:
        short = {i for i in range(n) if i not in fixed and widths[i] < least[i]}
        if not short or len(fixed | short) == n:
            return widths
        fixed |= short
        free = total - sum(least[i] for i in fixed)
        rest = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [least[i] if i in fixed else w * free / rest for i, w in enumerate(weights)]


# What a line cannot break inside: a run of characters up to white space, a hyphen or a slash.
_UNBREAKABLE = re.compile(r"[^\s/-]+[/-]?|[/-]")
# Character widths in ems for an estimate that holds for the common sans serifs, up to DejaVu
# Sans (LibreOffice's usual stand-in when Atkinson Hyperlegible is not installed).
_NARROW = frozenset("fijlrtI.,;:'’!()[]-/|")
_WIDE = frozenset("mwMW—")


def unbreakable(text: str) -> list[str]:
    """The pieces of `text` that no line break falls inside (lines break after white space,
    hyphens and slashes)."""
    return list(_UNBREAKABLE.findall(text))


def widest_word_estimate(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate, in points, of the widest unbreakable piece of `text` at `size`, for
    a writer that does not know which font will set it (DOCX: Word and LibreOffice substitute
    a font they lack)."""

    def ems(word: str) -> float:
        return sum(0.45 if c in _NARROW else 1.0 if c in _WIDE else 0.8 if c.isupper() else 0.64 for c in word)

    return max((ems(w) for w in unbreakable(text)), default=0.0) * size * (1.1 if bold else 1.0)


def run_in(title: str) -> str:
    """A box's title set at the start of its only paragraph: 'Before you read:'."""
    title = title.rstrip()
    return title if title.endswith((":", ".", "?", "!")) else f"{title}:"
