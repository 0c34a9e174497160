"""Where the fonts are, and which characters they can draw (read from their cmaps)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible as _atkinson
import fontpkg_noto_sans as _noto


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def main_fonts() -> FontSet:
    """Atkinson Hyperlegible: designed for low-vision readers; Latin only."""
    files = Path(_atkinson.ROOT) / "files"
    return FontSet(
        files / "AtkinsonHyperlegible-Regular.ttf",
        files / "AtkinsonHyperlegible-Bold.ttf",
        files / "AtkinsonHyperlegible-Italic.ttf",
        files / "AtkinsonHyperlegible-BoldItalic.ttf",
    )


def fallback_fonts() -> FontSet:
    """Noto Sans (variable; its default instance is Regular): Greek, Cyrillic, Welsh and more."""
    files = Path(_noto.ROOT) / "files"
    upright = files / "NotoSans[wdth,wght].ttf"
    italic = files / "NotoSans-Italic[wdth,wght].ttf"
    return FontSet(upright, upright, italic, italic)


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def main_coverage() -> frozenset[int]:
    return _cmap(main_fonts().regular)


@cache
def fallback_coverage() -> frozenset[int]:
    return _cmap(fallback_fonts().regular)


def drawable(ch: str) -> bool:
    """True when the main font or the fallback has a glyph (white space always counts)."""
    if ch in "\n\t\r" or ch.isspace():
        return True
    code = ord(ch)
    return code in main_coverage() or code in fallback_coverage()


def undrawable(text: str) -> list[int]:
    """Indices of the characters in `text` that no font we ship can draw."""
    return [i for i, ch in enumerate(text) if not drawable(ch)]
