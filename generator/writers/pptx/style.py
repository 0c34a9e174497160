"""The deck's look for each variant: slide size, margins, type sizes, colours and the words a slide
may hold (standard, or large print: larger type, fewer words)."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import SLIDE_WORDS
from ..layout import ACCENT, INK, KEY_FILL, KEY_RULE, NOTE_FILL, NOTE_RULE, QUOTE_RULE, TABLE_HEADER_FILL

# The slide, in points: 16:9 (PowerPoint's widescreen, 13.333 x 7.5 inches).
SLIDE_W = 960.0
SLIDE_H = 540.0
EMU_PER_PT = 12700

# The font every run names. Verdana is on every Windows and macOS Office install, in Keynote and in
# Google Slides; it is a wide humanist sans with a large x-height, close to Atkinson Hyperlegible's
# purpose. (Embedding Atkinson is not done: PowerPoint's acceptance of it is unproven.)
TYPEFACE = "Verdana"


@dataclass(frozen=True)
class DeckStyle:
    """Sizes in points. Nothing a pupil reads is under `small_pt` (24) and no title under `title_min_pt` (36)."""

    title_pt: float
    title_min_pt: float
    cover_title_pt: float
    body_pt: float
    quote_pt: float
    question_pt: float
    small_pt: float  # citations, tables, the title slide's details
    leading: float  # line height as a multiple of the size
    max_words: int  # words on one slide (title and citation not counted)
    italic: bool  # large print sets nothing in italics
    margin_x: float = 54.0
    margin_top: float = 30.0
    margin_bottom: float = 30.0
    gap: float = 18.0  # between blocks on a slide
    # Colours (hex RGB): dark ink on white or very light fills (contrast 13:1 and more).
    ink: str = INK
    accent: str = ACCENT  # titles and rules (8.7:1 on white)
    muted: str = "3F3F3F"  # citations, intros, details (10.5:1)
    note_fill: str = NOTE_FILL
    note_rule: str = NOTE_RULE
    note_label: str = "6B4500"  # 7.7:1 on the note's fill
    key_fill: str = KEY_FILL
    key_rule: str = KEY_RULE
    panel_fill: str = "EEF3F8"  # quiz options
    header_fill: str = TABLE_HEADER_FILL
    rule: str = "8A8A8A"
    quote_rule: str = QUOTE_RULE

    @property
    def content_w(self) -> float:
        return SLIDE_W - 2 * self.margin_x

    @property
    def bottom(self) -> float:
        return SLIDE_H - self.margin_bottom

    def line(self, size: float) -> float:
        """The height of one line of text at `size` (set as exact line spacing)."""
        return round(size * self.leading, 1)


STANDARD = DeckStyle(
    title_pt=40.0,
    title_min_pt=36.0,
    cover_title_pt=48.0,
    body_pt=28.0,
    quote_pt=30.0,
    question_pt=36.0,
    small_pt=24.0,
    leading=1.2,
    max_words=SLIDE_WORDS["standard"],
    italic=True,
)

LARGE_PRINT = DeckStyle(
    title_pt=44.0,
    title_min_pt=40.0,
    cover_title_pt=54.0,
    body_pt=34.0,
    quote_pt=36.0,
    question_pt=40.0,
    small_pt=28.0,
    leading=1.25,
    max_words=SLIDE_WORDS["large-print"],
    italic=False,
)


def style(large_print: bool) -> DeckStyle:
    return LARGE_PRINT if large_print else STANDARD
