"""Where the fonts are, which characters they can draw (read from their cmaps), and how wide
words are set in them (so that a PDF table column can hold its longest word)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible as _atkinson
import fontpkg_noto_sans as _noto

from . import layout


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@cache
def main_fonts() -> FontSet:
    """Atkinson Hyperlegible: designed for low-vision readers; Latin only."""
    files = Path(_atkinson.ROOT) / "files"
    return FontSet(
        files / "AtkinsonHyperlegible-Regular.ttf",
        files / "AtkinsonHyperlegible-Bold.ttf",
        files / "AtkinsonHyperlegible-Italic.ttf",
        files / "AtkinsonHyperlegible-BoldItalic.ttf",
    )


@cache
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


@cache
def _drawable_chars() -> frozenset[str]:
    """Every character the main font or the fallback has a glyph for."""
    return frozenset(map(chr, main_coverage() | fallback_coverage()))


def undrawable(text: str) -> list[int]:
    """Indices of the characters in `text` that no font we ship can draw."""
    if _drawable_chars().issuperset(text):  # the usual case, decided without a loop in Python
        return []
    return [i for i, ch in enumerate(text) if not drawable(ch)]


@cache
def _advances(path: Path) -> tuple[dict[int, int], int]:
    """Advance widths by code point, and the units per em, of a font."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        metrics = font["hmtx"].metrics
        return {code: metrics[name][0] for code, name in font.getBestCmap().items()}, font["head"].unitsPerEm


@cache
def _ems(bold: bool) -> dict[int, float]:
    """Advance widths in ems by code point: the main font's (bold or regular), else the fallback's."""
    ems: dict[int, float] = {}
    main = main_fonts().bold if bold else main_fonts().regular
    for advances, units in (_advances(fallback_fonts().regular), _advances(main)):  # the main font wins
        ems.update((code, advance / units) for code, advance in advances.items())
    return ems


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of `text` set at `size` in the main font (in the fallback where the
    main font lacks a character; half an em where neither has it)."""
    ems = _ems(bold)
    total = 0.0
    for ch in text:
        total += ems.get(ord(ch), 0.5)
    return total * size


@lru_cache(maxsize=4096)
def _word_width(word: str, size: float, bold: bool) -> float:
    return text_width(word, size, bold)


def widest_word(text: str, size: float, bold: bool = False) -> float:
    """The width in points of the widest piece of `text` that no line break falls inside."""
    return max((_word_width(w, size, bold) for w in layout.unbreakable(text)), default=0.0)


def choices_per_row(texts: Sequence[tuple[str, bool]], size: float, width: float, before: float) -> int:
    """How many quiz choices sit side by side in `width` points: the most that leave every choice
    (text, bold) on one line of its column after `before` points of tick box and letter (and half
    as much again between columns), or one a row."""
    for per_row in range(len(texts), 1, -1):
        room = width / per_row - 1.5 * before
        if all(text_width(text, size, bold) <= room for text, bold in texts):
            return per_row
    return 1


def field_row(labels: Sequence[str], size: float, width: float, gap: float) -> list[tuple[float, float]]:
    """(label width, line width) in points for each labelled line to fill in (Name / Class / Date)
    set on one line `width` points wide: each bold 'Label:' with a little room after it, the
    lines `gap` apart, the first line twice as long as each other one."""
    labels_at = [text_width(f"{label}:", size, True) + size / 2 for label in labels]
    shares = [2.0] + [1.0] * (len(labels) - 1)
    free = width - sum(labels_at) - gap * (len(labels) - 1)
    return [(at, free * share / sum(shares)) for at, share in zip(labels_at, shares, strict=True)]
