"""Page geometry and type sizes shared by every writer, so PDF and DOCX match."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Paper

MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH


@dataclass(frozen=True)
class PageSize:
    width_mm: float
    height_mm: float


PAPER: dict[Paper, PageSize] = {
    "a4": PageSize(210.0, 297.0),
    "letter": PageSize(215.9, 279.4),
}

# Margins in millimetres (top, right, bottom, left). The header and footer sit inside the
# top and bottom margins.
MARGIN_TOP_MM = 22.0
MARGIN_BOTTOM_MM = 22.0
MARGIN_LEFT_MM = 20.0
MARGIN_RIGHT_MM = 20.0
HEADER_DISTANCE_MM = 10.0
FOOTER_DISTANCE_MM = 10.0

# Type, in points.
FONT_FAMILY = "Atkinson Hyperlegible"
FALLBACK_FAMILY = "Noto Sans"
BODY_PT = 11.5
BODY_LEADING = 1.35  # line height as a multiple of the font size
SMALL_PT = 9.5
TITLE_PT = 24.0
HEADING_PT = {1: 17.0, 2: 14.0, 3: 12.0}
QUOTE_PT = 11.5
WRITING_LINE_PT = 26.0  # distance between ruled writing lines

# Colours as hex RGB (no leading #).
INK = "1A1A1A"
ACCENT = "1F4E79"
NOTE_FILL = "FFF4D6"
NOTE_RULE = "C98A00"
TEACHER_FILL = "E8F0F8"
QUOTE_RULE = "7A7A7A"
TABLE_HEADER_FILL = "DCE6F0"
RULE_GREY = "9A9A9A"
