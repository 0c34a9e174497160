"""Atkinson Hyperlegible (and Noto Sans for characters it lacks) subset to the characters a page
uses, as WOFF2 data URLs for CSS: the page needs no font from anywhere else."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import fonts

# What a pupil may type into an answer besides the page's own characters: printable ASCII and the
# punctuation word processors and phones put in (curly quotes, dashes, ellipsis, pound, euro). A
# letter beyond these that a pupil types (an accent in a name) is drawn in the device's own font.
TYPED = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0£€‘’“”–—…•"

FAMILY = "Atkinson Hyperlegible"
FALLBACK = "Noto Sans"


@dataclass(frozen=True)
class Face:
    """One @font-face: its family, weight and style, and the font as a data URL."""

    family: str
    weight: str  # "400", "700", or a range "100 900" for a variable font
    style: str  # "normal" | "italic"
    url: str

    def css(self) -> str:
        return (
            f'@font-face{{font-family:"{self.family}";font-weight:{self.weight};font-style:{self.style};'
            f'font-display:swap;src:url({self.url}) format("woff2")}}'
        )


@lru_cache(maxsize=64)
def _woff2(path: Path, codes: tuple[int, ...]) -> bytes:
    """The font at `path` cut down to `codes` as WOFF2, the same bytes every time (no timestamp)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # screens draw Atkinson well unhinted; the file is a third smaller
    options.desubroutinize = True
    # Tables are read as the subsetter asks for them (as fontTools' own pyftsubset reads a font):
    # the same bytes, and Noto Sans, a variable font of 2 MB, is cut in 0.2 s instead of 1.1 s.
    font = TTFont(str(path), recalcTimestamp=False, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _url(path: Path, codes: tuple[int, ...]) -> str:
    return "data:font/woff2;base64," + base64.b64encode(_woff2(path, codes)).decode("ascii")


def faces(chars: set[str], italic: bool, bold_italic: bool) -> list[Face]:
    """The faces a page needs for `chars` (and what a pupil may type): Atkinson regular and bold,
    italic faces only where the page has italic text, and Noto Sans only for the characters
    Atkinson cannot draw (none on most pages)."""
    wanted = sorted({ord(c) for c in chars.union(TYPED) if not c.isspace() or c == " "})
    main, covered = fonts.main_fonts(), fonts.main_coverage()
    codes = tuple(c for c in wanted if c in covered)
    found = [
        Face(FAMILY, "400", "normal", _url(main.regular, codes)),
        Face(FAMILY, "700", "normal", _url(main.bold, codes)),
    ]
    if italic:
        found.append(Face(FAMILY, "400", "italic", _url(main.italic, codes)))
    if bold_italic:
        found.append(Face(FAMILY, "700", "italic", _url(main.bold_italic, codes)))
    rest = tuple(c for c in wanted if c not in covered and c in fonts.fallback_coverage())
    if rest:
        fallback = fonts.fallback_fonts()
        found.append(Face(FALLBACK, "100 900", "normal", _url(fallback.regular, rest)))
        if italic:
            found.append(Face(FALLBACK, "100 900", "italic", _url(fallback.italic, rest)))
    return found
