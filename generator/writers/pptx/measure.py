"""How much room text takes on a slide wherever the deck is shown, and how text too long for one
slide is shared out over several (no autofit: every line is counted before it is placed).

A deck names a font but cannot embed it (see README, "The slide deck"), so the program showing it
may set the text in another. Every character is therefore measured at its widest advance among
the fonts that may set it: Atkinson Hyperlegible (the print editions' font), Noto Sans (their
fallback), and DejaVu Sans (what LibreOffice substitutes on Linux; its widths are a committed
table, so that the deck is the same on every machine), times a margin that covers kerning and
Verdana, the font the deck names. A greedy wrap with widths no renderer exceeds never has fewer
lines than the renderer's own wrap, so a box measured here is never too small.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import fonts

# Kerning, and Verdana (within 1% of the Atkinson/DejaVu envelope on English prose).
SAFETY = 1.04
MISSING_EM = 1.0  # a character no measured font has
DEJAVU_WIDTHS = Path(__file__).resolve().parent.parent.parent / "data" / "dejavu-sans-widths.json"


@cache
def _font_ems(path: Path) -> dict[int, float]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        metrics = font["hmtx"].metrics
        units = font["head"].unitsPerEm
        return {code: metrics[name][0] / units for code, name in font.getBestCmap().items()}


def _table_ems(bold: bool) -> dict[int, float]:
    data = json.loads(DEJAVU_WIDTHS.read_text(encoding="utf-8"))
    units = float(data["units_per_em"])
    return {
        start + i: adv / units
        for start, advances in data["bold" if bold else "regular"]
        for i, adv in enumerate(advances)
    }


@cache
def ems(bold: bool) -> dict[int, float]:
    """Each character's widest advance in ems over the fonts a deck may be set in, margin included."""
    main, fallback = fonts.main_fonts(), fonts.fallback_fonts()
    widest: dict[int, float] = {}
    for table in (_font_ems(main.bold if bold else main.regular), _font_ems(fallback.regular), _table_ems(bold)):
        for code, em in table.items():
            if em > widest.get(code, -1.0):
                widest[code] = em
    return {code: em * SAFETY for code, em in widest.items()}


_word_cache: dict[tuple[str, bool], float] = {}


def width_em(text: str, bold: bool = False) -> float:
    """The width of `text` in ems (times the size in points gives points)."""
    key = (text, bold)
    found = _word_cache.get(key)
    if found is None:
        table = ems(bold)
        found = sum(table.get(ord(ch), MISSING_EM) for ch in text)
        if len(_word_cache) < 200_000:
            _word_cache[key] = found
    return found


# ---------------------------------------------------------------------------------------
# Paragraphs as words


_WORD = re.compile(r"[^ \n]+")


@dataclass(frozen=True)
class Words:
    """A paragraph cut into words: each word's place in the text, its width and the width of the
    white space after it (ems), and whether a line break follows it."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    widths: tuple[float, ...]
    gaps: tuple[float, ...]
    hard: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.starts)


def words(runs: Sequence[tuple[str, bool]]) -> Words:
    """The words of a paragraph given as (text, bold) runs; a word's width counts each character in
    its own run's weight. Spaces and line breaks ('\\n') stay where the text has them."""
    text = "".join(t for t, _ in runs)
    bold_at: list[tuple[int, bool]] = []  # (end offset, bold) of each run
    end = 0
    for t, b in runs:
        end += len(t)
        bold_at.append((end, b))

    def measure(start: int, stop: int) -> float:
        total, pos = 0.0, start
        for run_end, b in bold_at:
            if run_end <= pos:
                continue
            piece_end = min(stop, run_end)
            total += width_em(text[pos:piece_end], b)
            pos = piece_end
            if pos >= stop:
                break
        return total

    found = list(_WORD.finditer(text))
    starts = tuple(m.start() for m in found)
    ends = tuple(m.end() for m in found)
    widths = tuple(measure(s, e) for s, e in zip(starts, ends, strict=True))
    gaps: list[float] = []
    hard: list[bool] = []
    for k, e in enumerate(ends):
        nxt = starts[k + 1] if k + 1 < len(starts) else len(text)
        between = text[e:nxt]
        hard.append("\n" in between)
        spaces = between.rsplit("\n", 1)[-1] if "\n" in between else between
        gaps.append(measure(e, e + len(spaces)) if spaces else 0.0)
    return Words(text, starts, ends, widths, tuple(gaps), tuple(hard))


def line_count(w: Words, i: int, j: int, width_pt: float, size_pt: float) -> int:
    """Lines that words i..j-1 of a paragraph take at `size_pt` in a box `width_pt` wide: a greedy
    wrap at spaces, a line break kept, a word wider than the box broken between characters."""
    if j <= i:
        return 1
    room = width_pt / size_pt
    lines = 1
    used = -1.0  # ems used on the current line; -1 at the start of a line
    for k in range(i, j):
        word = w.widths[k]
        if used >= 0 and used + w.gaps[k - 1] + word <= room:
            used += w.gaps[k - 1] + word
        else:
            if used >= 0:
                lines += 1
            if word > room:  # broken between characters: one character's room lost on each line
                per_line = max(room - MISSING_EM, room / 2)
                extra = math.ceil(word / per_line) - 1
                lines += extra
                used = word - extra * per_line
            else:
                used = word
        if w.hard[k] and k < j - 1:
            lines += 1
            used = -1.0
    return lines


def widest_word_pt(w: Words, size_pt: float) -> float:
    return max(w.widths, default=0.0) * size_pt


def word_count(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------
# Sharing text out over slides


_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*$")
_CLAUSE_END = re.compile(r"[,;:—–][\"'’”)\]]*$")


def break_cost(text: str, end_of_paragraph: bool, inside_item: bool = False) -> float:
    """How bad it is to continue on the next slide after the word `text`: nothing at a paragraph's
    end, little at a sentence's, more at a clause's, most inside a sentence (and inside a list item)."""
    if end_of_paragraph:
        return 0.0
    cost = 1.0 if _SENTENCE_END.search(text) else 4.0 if _CLAUSE_END.search(text) else 12.0
    return cost + (40.0 if inside_item else 0.0)


def share_out(
    n: int, fits: Callable[[int, int, bool], bool], cost: Callable[[int], float], *, balance: bool = True
) -> list[int] | None:
    """Where to break `n` tokens into as few parts as fit: the end of each part, in order.

    `fits(i, j, first)` says whether tokens i..j-1 fit one part (the first part may have less room);
    fitting must be monotone (fewer tokens never fit worse). Among the ways that use fewest parts,
    the one chosen has the cheapest breaks (`cost(j)`: breaking before token j) and, with
    `balance`, parts of about equal size. None when the first part cannot hold even one token."""
    if n == 0:
        return []
    reach = [0] * n  # reach[i]: the largest j such that tokens i..j-1 fit a part that is not the first
    j = 0
    for i in range(n):
        j = max(j, i)
        while j < n and fits(i, j + 1, False):
            j += 1
        if j == i:
            raise ValueError("a slide cannot hold one word of this text")
        reach[i] = j
    first_reach = 0
    while first_reach < n and fits(0, first_reach + 1, True):
        first_reach += 1
    if first_reach == 0:
        return None
    fewest = [0] * (n + 1)
    # fewest[i] = 1 + the least fewest[k] for k in i+1..reach[i]. reach never falls as i rises, so
    # the window slides down as i does: a queue of candidates, each the least of those behind it,
    # gives each minimum at once (the text's length times a slide's tokens, otherwise).
    window: deque[int] = deque()
    for i in range(n - 1, -1, -1):
        k = i + 1
        while window and fewest[window[-1]] >= fewest[k]:
            window.pop()
        window.append(k)
        while window[0] > reach[i]:
            window.popleft()
        fewest[i] = 1 + fewest[window[0]]
    total = 1 + min(fewest[k] for k in range(1, first_reach + 1))
    target = n / total
    inf = float("inf")
    best = [inf] * n + [0.0]
    choice = [n] * (n + 1)
    costs = [0.0, *(cost(k) for k in range(1, n + 1))]  # each break's cost once: linear in the tokens

    # The breaks after which a given number of parts is left, in order: each break is looked at
    # only where it can be chosen.
    left_at: dict[int, list[int]] = {}
    for k in range(1, n + 1):
        left_at.setdefault(fewest[k], []).append(k)

    def consider(i: int, limit: int, parts_left: int) -> None:
        ks = left_at.get(parts_left - 1, [])
        top, pick = best[i], choice[i]
        for k in ks[bisect_right(ks, i) : bisect_right(ks, limit)]:
            c = costs[k] + best[k] + (3.0 * ((k - i - target) / target) ** 2 if balance else 0.0)
            if c < top:
                top, pick = c, k
        best[i], choice[i] = top, pick

    for i in range(n - 1, 0, -1):
        consider(i, reach[i], fewest[i])
    best[0] = inf
    consider(0, first_reach, total)
    ends: list[int] = []
    i = 0
    while i < n:
        i = choice[i]
        ends.append(i)
    return ends
