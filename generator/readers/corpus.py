"""Load the seed essays and verify quotations against them."""

from __future__ import annotations

import bisect
import difflib
import itertools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Position, Problem
from ..files import read_bounded, reason
from . import source

SEED_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARA_START = re.compile(r"\[(\d+)\] ")
# The last three dots of a run are the omission ("Hollywood.... Little" keeps its full stop).
_OMISSION = re.compile(r"\s*(?:…|\.\.\.(?!\.))\s*")
OMISSION = _OMISSION

# Folding: which characters count as the same when a quote is matched.
_FOLD = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
SEED_KEYS = {
    "id": True,
    "title": True,
    "author": True,
    "date": True,
    "date_basis": False,
    "publisher": False,
    "place": False,
    "source": False,
    "summary": False,
    "description": False,
    "removed": False,
    "references_from": False,
}
UNKNOWN = "unknown"


_FOLD_TABLE = str.maketrans(_FOLD)
_SPACES = re.compile(r"\s+")  # \s is str.isspace() for text patterns
_OTHER_SPACE = re.compile(r"\s\s|[^\S ]")


def fold(text: str) -> tuple[str, list[int]]:
    """Fold white space, quote marks and dashes; map each folded character to its source index."""
    if not _OTHER_SPACE.search(text):  # no white space but single spaces: one character each
        return text.translate(_FOLD_TABLE), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _SPACES.finditer(text):
        out += (text[pos : m.start()], " ")
        index += range(pos, m.start() + 1)
        pos = m.end()
    out.append(text[pos:])
    index += range(pos, len(text))
    return "".join(out).translate(_FOLD_TABLE), index


def collapse(text: str) -> str:
    """Runs of white space (including no-break spaces) become one space."""
    return " ".join(text.split())


@dataclass(frozen=True, repr=False)
class Seed:
    id: str
    title: str
    author: str
    date: str
    paragraphs: tuple[str, ...]
    path: str
    date_basis: str = "not stated"
    publisher: str = UNKNOWN
    place: str = UNKNOWN
    summary: str = ""
    # What kind of text an untitled essay is, for its citation: "opinion piece, October 2017".
    description: str = UNKNOWN
    removed: tuple[str, ...] = ()
    references_from: int | None = None
    # Line of each paragraph in the seed file, for positioned errors about seeds.
    lines: tuple[int, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        return f"Seed({self.id!r}, {len(self.paragraphs)} paragraphs)"

    @property
    def year(self) -> str:
        return self.date[:4] if self.date[:4].isdigit() else UNKNOWN

    @cached_property
    def folded(self) -> tuple[tuple[str, list[int]], ...]:
        return tuple(fold(p) for p in self.paragraphs)

    @cached_property
    def words(self) -> Words:
        """The folded words of every paragraph, with an index for finding the closest passage."""
        return _words(self.folded)

    def source_word(self, i: int) -> str:
        """Word `i` of `words` as the seed writes it (curly quotes, dashes)."""
        w = self.words
        return _source_text(self, w.para[i], w.start[i], w.end[i])

    @cached_property
    def joined(self) -> str:
        """All folded paragraphs joined by one space, so a quote may run on into the next one."""
        return " ".join(f for f, _ in self.folded)


@dataclass(frozen=True)
class Match:
    """Where a quote was found: the paragraph numbers and the source's own words."""

    seed: Seed
    paragraphs: tuple[int, ...]
    # One entry per printed paragraph; omissions inside it are shown as " … ".
    text: tuple[str, ...]
    # Whether the quote starts after the start of its sentence, or ends before the end of it (it is
    # printed with an ellipsis there).
    starts_mid: bool = False
    ends_mid: bool = False
    # Omissions that leave nothing out (the essay goes straight on from one part to the next):
    # (which omission, 0 for the first; the word before it; the word after it).
    empty_omissions: tuple[tuple[int, str, str], ...] = ()

    @property
    def closed_up(self) -> tuple[str, ...]:
        """The printed paragraphs with their omissions closed up: the words either side of an
        omission side by side, as a phrase a reader may put back together."""
        return tuple(OMISSION.sub(" ", p) for p in self.text)


# A sentence ends at . ! ? or … and any closing quote marks or brackets after it.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _mid_sentence(folded: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the passage folded[start:end] of a paragraph starts, or ends, inside a sentence:
    words of the same sentence come before it, or after it."""
    before = folded[:start].rstrip()
    starts = bool(before) and not _SENTENCE_END.search(before)
    after = folded[end:].strip()
    ends = bool(after) and not _SENTENCE_END.search(folded[:end].rstrip())
    return starts, ends


@dataclass(frozen=True)
class Miss:
    """A quote that is not in the seed, and the closest passage that is."""

    paragraph: int
    similarity: float
    passage: str  # the closest passage in the seed's own words, whole words only
    differs: str  # every difference in words ("the quote has “x” where the text has “y”; …")
    at: int | None = None  # offset in the quote (as written) of the first word that differs
    marked: str = ""  # the passage with its differing words marked ⟦so⟧, shortened when long
    last: int = 0  # the passage's last paragraph (it may run on from `paragraph`)
    whole_words: bool = False  # nothing differs but a word cut in the middle at the quote's edge


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _find(haystack: str, needle: str, start: int = 0) -> int:
    """The first occurrence of `needle` that neither starts nor ends inside a word."""
    while True:
        i = haystack.find(needle, start)
        if i < 0:
            return -1
        before = haystack[i - 1] if i > 0 else " "
        after = haystack[i + len(needle)] if i + len(needle) < len(haystack) else " "
        starts_ok = not (_word_char(before) and _word_char(needle[0]))
        ends_ok = not (_word_char(after) and _word_char(needle[-1]))
        if starts_ok and ends_ok:
            return i
        start = i + 1


def segments(quote: str) -> list[str]:
    """The folded pieces of a quote between omission marks (… or ...)."""
    folded, _ = fold(quote.strip())
    return [s.strip() for s in _OMISSION.split(folded) if s.strip()]


def find_quote(seed: Seed, quote: str) -> Match | Miss:
    """Find a quote in a seed by the matching rule (see README: 'How quotes are matched')."""
    parts = segments(quote)
    if not parts:
        return Miss(1, 0.0, "", "the quote is empty")
    found = _find_contiguous(seed, parts[0]) if len(parts) == 1 else _find_with_omissions(seed, parts)
    return found if found is not None else closest(seed, quote)


def _source_text(seed: Seed, para: int, start: int, end: int) -> str:
    """Original text of paragraph `para` (0-based) between folded offsets [start, end)."""
    text, index = seed.folded[para]
    return collapse(seed.paragraphs[para][index[start] : index[end - 1] + 1])


def _find_contiguous(seed: Seed, needle: str) -> Match | None:
    joined = seed.joined
    at = _find(joined, needle)
    if at < 0:
        return None
    end = at + len(needle)
    numbers: list[int] = []
    pieces: list[str] = []
    offset = 0
    for i, (f, _) in enumerate(seed.folded):
        p_start, p_end = offset, offset + len(f)
        lo, hi = max(at, p_start), min(end, p_end)
        if lo < hi and joined[lo:hi].strip():
            numbers.append(i + 1)
            pieces.append(_source_text(seed, i, lo - p_start, hi - p_start))
        offset = p_end + 1
    first = numbers[0] - 1 if numbers else 0
    last = numbers[-1] - 1 if numbers else 0
    starts = ends = False
    if numbers:
        offset = sum(len(f) + 1 for f, _ in seed.folded[:first])
        starts = _mid_sentence(seed.folded[first][0], max(at - offset, 0), len(seed.folded[first][0]))[0]
        offset = sum(len(f) + 1 for f, _ in seed.folded[:last])
        ends = _mid_sentence(seed.folded[last][0], 0, min(end - offset, len(seed.folded[last][0])))[1]
    return Match(seed, tuple(numbers), tuple(pieces), starts, ends)


def _find_with_omissions(seed: Seed, parts: list[str]) -> Match | None:
    for i, (folded, _) in enumerate(seed.folded):
        pos = 0
        first = -1
        shown: list[str] = []
        empty: list[tuple[int, str, str]] = []
        for k, part in enumerate(parts):
            at = _find(folded, part, pos)
            if at < 0:
                break
            first = at if first < 0 else first
            shown.append(_source_text(seed, i, at, at + len(part)))
            # An omission leaves nothing out when the essay has neither a word nor its own
            # ellipsis between the parts (a quote may copy the essay's "…").
            gap = folded[pos:at]
            if k and not any(c.isalnum() for c in gap) and not _OMISSION.search(gap):
                empty.append((k - 1, shown[-2].split()[-1], shown[-1].split()[0]))
            pos = at + len(part)
        else:
            starts = _mid_sentence(folded, first, len(folded))[0]
            ends = _mid_sentence(folded, 0, pos)[1]
            return Match(seed, (i + 1,), (" … ".join(shown),), starts, ends, tuple(empty))
    return None


# --------------------------------------------------------------------------------------
# The closest passage: where a quote that does not match comes from, and every word that differs.
#
# Words are runs of non-space characters of the folded text. Candidate places come from the
# quote's words, rarest first: each occurrence in the seed votes for where the quote would start
# (at most _VOTES occurrences in all). Only the _CANDIDATES best places are aligned word by word
# (difflib over lists of words), so the work per quote is bounded whatever the quote.

_VOTES = 20_000
_CANDIDATES = 4
# A replaced run of at most this many words by this many is aligned again without difflib's
# shortcut for popular words, so that a common word between two typos is not reported.
_REFINE = 400
# Between anchors, difflib aligns at most this many of the quote's words at a time.
_PIECE = 64
# Differences named in one message (the rest are counted), and the words of a long passage
# shown either side of each.
_SHOWN = 8
_CONTEXT = 4
_LONG_PASSAGE = 200
_ENDS = 64  # words at most at either end of the passage matched by their looks alone
_LONG_PHRASE = 8  # words; a longer run of added or left-out words is shown by its start
# Below this, no passage is close: the quote is not a version of anything in the seed.
_CLOSE = 0.4
MARK = "⟦{}⟧"

Op = tuple[str, int, int, int, int]  # difflib's opcodes: tag, a1, a2, b1, b2
Block = tuple[int, int, int]  # a, b, size


@dataclass(frozen=True)
class Words:
    """The words of a seed's folded paragraphs: each one's text, paragraph (0-based) and offsets."""

    text: list[str]
    para: list[int]
    start: list[int]
    end: list[int]
    where: dict[str, list[int]]  # a key (see _keys) -> the words that have it, in order


@dataclass(frozen=True)
class _QuoteWords:
    text: list[str]  # folded
    at: list[int]  # offset in the quote as written of each word's first character
    until: list[int]  # offset just after its last character
    gaps: frozenset[int]  # k: an omission mark stands between word k - 1 and word k

    @cached_property
    def ends(self) -> list[int]:
        """Where each word would end (and the next start) with one space after each word."""
        return list(itertools.accumulate((len(w) + 1 for w in self.text), initial=0))

    def edge(self, i: int) -> tuple[bool, bool]:
        """Whether word i starts, and whether it ends, a part of the quote."""
        return i == 0 or i in self.gaps, i == len(self.text) - 1 or i + 1 in self.gaps


# A word: an omission mark, or a run of non-space characters without one (the seeds have a few
# marks of their own, "yours…it", which a quote can only write as an omission).
_WORD = re.compile(r"…|\.\.\.(?!\.)|(?:(?!…|\.\.\.(?!\.))\S)+")


def _keys(word: str) -> list[str]:
    """The forms of a word that vote for a place: its letters and digits, case folded, and (so that
    a word with a typo still votes) their first and last three."""
    loose = "".join(ch for ch in word.casefold() if ch.isalnum())
    if len(loose) < 4:
        return [loose] if loose else []
    return [loose, "<" + loose[:3], ">" + loose[-3:]]


def _words(folded: tuple[tuple[str, list[int]], ...]) -> Words:
    words = Words([], [], [], [], {})
    for i, (text, _) in enumerate(folded):
        for m in _WORD.finditer(text):
            for key in _keys(m.group()):
                words.where.setdefault(key, []).append(len(words.text))
            words.text.append(m.group())
            words.para.append(i)
            words.start.append(m.start())
            words.end.append(m.end())
    return words


def _quote_words(quote: str) -> _QuoteWords:
    folded, index = fold(quote)
    text: list[str] = []
    at: list[int] = []
    until: list[int] = []
    gaps: set[int] = set()
    pos = 0
    for mark_start, mark_end in [m.span() for m in _OMISSION.finditer(folded)] + [(len(folded), len(folded))]:
        if text and any(not ch.isspace() for ch in folded[pos:mark_start]):
            gaps.add(len(text))
        for m in _WORD.finditer(folded, pos, mark_start):
            text.append(m.group())
            at.append(index[m.start()])
            until.append(index[m.end() - 1] + 1)
        pos = mark_end
    return _QuoteWords(text, at, until, frozenset(gaps))


def _places(words: Words, quote: list[str], whole_paragraphs: bool) -> list[tuple[int, int]]:
    """Ranges of the seed's words where the quote may be, the best first (at most _CANDIDATES)."""
    n = len(quote)
    forms = {w: [k for k in _keys(w) if k in words.where] for w in set(quote)}
    keys = sorted((len(words.where[k]), j, k) for j, w in enumerate(quote) for k in forms[w])
    # Words added or left out shift where the rest of the quote lands, so votes go to bins of
    # starts `width` wide, and a place is two bins side by side.
    width = max(3, n // 10)
    bins: list[int] = []
    spent = 0
    for count, j, key in keys:
        spent += count
        if spent > _VOTES:
            break
        bins += [(p - j) // width for p in words.where[key]]
    votes = Counter(bins)
    spans = sorted((-(votes[b] + votes[b + 1]), b) for b in votes)  # the most votes first, then the earliest
    places: list[tuple[int, int]] = []
    for score, b in spans:
        if len(places) == _CANDIDATES or score * 2 > spans[0][0]:
            break
        lo, hi = max(0, b * width - 3), min(len(words.text), (b + 2) * width + n + 3)
        if lo >= hi:
            continue
        if whole_paragraphs:  # an omission may leave out the rest of the paragraph
            lo = bisect.bisect_left(words.para, words.para[lo])
            hi = bisect.bisect_right(words.para, words.para[hi - 1])
        if all(hi <= p_lo or p_hi <= lo for p_lo, p_hi in places):
            places.append((lo, hi))
    return places


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _ops(blocks: list[Block], a_end: int, b_end: int) -> list[Op]:
    """difflib's opcodes from matching blocks, covering a[0:a_end] and b[0:b_end]."""
    ops: list[Op] = []
    i = j = 0
    for a, b, size in [*blocks, (a_end, b_end, 0)]:
        if i < a or j < b:
            tag = "replace" if i < a and j < b else ("delete" if i < a else "insert")
            ops.append((tag, i, a, j, b))
        if size:
            ops.append(("equal", a, a + size, b, b + size))
        i, j = a + size, b + size
    return ops


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Words found once in each and beside a word both have, in the longest run that keeps their
    order in both (as patience diff does): they split the alignment into small pieces."""
    seen_a = Counter(a)
    seen_b = Counter(b)
    where = {w: j for j, w in enumerate(b) if seen_b[w] == 1}
    pairs = [(i, where[w]) for i, w in enumerate(a) if seen_a[w] == 1 and w in where]
    # A word alone between differences may be a typo that made another word of the passage.
    pairs = [
        (i, j)
        for i, j in pairs
        if (i and j and a[i - 1] == b[j - 1]) or (i + 1 < len(a) and j + 1 < len(b) and a[i + 1] == b[j + 1])
    ]
    # Longest increasing run of b-positions: patience sorting, with a link back from each pair.
    tops: list[int] = []  # b-position on top of each pile
    top_pair: list[int] = []  # index into pairs of each pile's top
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        back.append(top_pair[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_pair.append(k)
        else:
            tops[pile], top_pair[pile] = j, k
    chain: list[tuple[int, int]] = []
    k = top_pair[-1] if top_pair else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _matching(a: list[str], b: list[str]) -> list[Block]:
    """Blocks of words a and b have in common, in order: difflib's between the anchors, on at most
    _PIECE words of `a` at a time (so that the work stays in proportion to the words)."""
    found: list[Block] = []
    a_at = b_at = 0
    for i, j in [*_anchors(a, b), (len(a), len(b))]:
        if i < a_at or j < b_at:
            continue  # inside the words matched after the anchor before
        # An anchor takes the equal words before it (after it, the next round does the same).
        while a_at < i and b_at < j and a[i - 1] == b[j - 1]:
            i, j = i - 1, j - 1
        while a_at < i and b_at < j:
            a_end = min(i, a_at + _PIECE)
            b_end = j if a_end == i else min(j, b_at + 2 * _PIECE)
            matcher = difflib.SequenceMatcher(None, a[a_at:a_end], b[b_at:b_end])
            piece = [(a_at + m.a, b_at + m.b, m.size) for m in matcher.get_matching_blocks() if m.size]
            found += piece
            if piece:
                b_at = piece[-1][1] + piece[-1][2]
            a_at = a_end
        size = 0
        while i + size < len(a) and j + size < len(b) and a[i + size] == b[j + size]:
            size += 1
        if size:
            found.append((i, j, size))
        a_at, b_at = i + size, j + size
    merged: list[Block] = []
    for block in found:
        if merged and merged[-1][0] + merged[-1][2] == block[0] and merged[-1][1] + merged[-1][2] == block[1]:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + block[2])
        else:
            merged.append(block)
    return merged


def _trimmed(a: list[str], b: list[str], blocks: list[Block], gaps: frozenset[int]) -> list[Block]:
    """Matching blocks without the few words matched by chance at the far side of a gap, and
    with the first and the last one as near the others as the same words are in `b` ("We don't
    get that out. We don't deserve to": a quote of the second does not start at the first)."""

    def chance(far: Block, near: Block, ahead: bool) -> bool:
        (a0, b0, s0), (a1, b1, _) = (far, near) if ahead else (near, far)
        extra = (b1 - b0 - s0) - (a1 - a0 - s0)  # words of the seed the quote would skip
        return extra > 2 * far[2] + 2 and not any(a0 + s0 <= k <= a1 for k in gaps)

    blocks = list(blocks)
    while len(blocks) > 1 and chance(blocks[0], blocks[1], True):
        blocks.pop(0)
    while len(blocks) > 1 and chance(blocks[-1], blocks[-2], False):
        blocks.pop()
    if len(blocks) > 1:
        (a0, b0, s0), (a1, b1, _) = blocks[0], blocks[1]
        best = b1 - (a1 - a0)  # on the next block's diagonal
        same = [j for j in range(b0, b1 - s0 + 1) if b[j] == a[a0] and b[j : j + s0] == a[a0 : a0 + s0]]
        blocks[0] = (a0, min(same, key=lambda j: (abs(best - j), -j)), s0)
        (a0, b0, s0), (a1, b1, s1) = blocks[-2], blocks[-1]
        best = b0 + (a1 - a0)
        same = [j for j in range(b0 + s0, b1 + 1) if b[j] == a[a1] and b[j : j + s1] == a[a1 : a1 + s1]]
        blocks[-1] = (a1, min(same, key=lambda j: (abs(best - j), j)), s1)
    return blocks


def _fit(words: Words, q: _QuoteWords, lo: int, hi: int) -> tuple[float, int, list[Op]] | None:
    """The passage in words[lo:hi] the quote is most like: (similarity, its first word, opcodes)."""
    region = words.text[lo:hi]
    blocks = _trimmed(q.text, region, _matching(q.text, region), q.gaps)
    if not blocks:
        return None
    # The quote's unmatched words at either end take the seed's words beside the passage while
    # they look alike (a typo in the first word); otherwise they are words the seed lacks.
    n = len(q.text)
    a, b, _ = blocks[0]
    lead = 0
    while lead < min(a, b, _ENDS) and _similar(q.text[a - lead - 1], region[b - lead - 1]) >= 0.5:
        lead += 1
    a, b, size = blocks[-1]
    tail = 0
    while max(a + size + tail - n, b + size + tail - len(region), tail - _ENDS) < 0 and (
        _similar(q.text[a + size + tail], region[b + size + tail]) >= 0.5
    ):
        tail += 1
    first, last = blocks[0][1] - lead, b + size + tail
    ops = _ops([(a, b - first, size) for a, b, size in blocks], n, last - first)
    passage = region[first:last]
    ops = _refined(q.text, passage, _at_omissions(q.text, passage, ops, q.gaps))
    return _score(q, passage, ops), lo + first, ops


def _at_omissions(q: list[str], t: list[str], ops: list[Op], gaps: frozenset[int]) -> list[Op]:
    """A replaced run with omissions in it, split: each part of the quote goes where the seed's
    words look most like it, and the seed's words between the parts are what the omissions
    leave out (inserts at the omissions)."""
    out: list[Op] = []
    budget = 4 * _REFINE  # word comparisons for placing parts, in all
    marks = sorted(gaps)
    for op in ops:
        tag, a1, a2, b1, b2 = op
        if tag != "replace" or b2 - b1 <= a2 - a1:
            out.append(op)
            continue
        inner = marks[bisect.bisect_right(marks, a1) : bisect.bisect_left(marks, a2)]
        if not (inner or a1 in gaps or a2 in gaps):
            out.append(op)
            continue
        parts = list(itertools.pairwise([a1, *inner, a2]))
        # The first part follows the words before without a gap unless an omission starts the
        # run; the last one likewise; parts between omissions go where they fit best.
        pos = b1
        placed: list[tuple[int, int, int]] = []  # quote part [s, e) at the seed's word `at`
        for n, (start, end) in enumerate(parts):
            size = end - start
            if n == 0 and a1 not in gaps:
                at = b1
            elif n == len(parts) - 1 and a2 not in gaps:
                at = b2 - size
            else:
                later = sum(e - s for s, e in parts[n + 1 :])
                choices = range(pos, b2 - later - size + 1)
                if len(choices) * size > min(_REFINE, budget):
                    at = pos if n < len(parts) - 1 else b2 - size
                else:
                    budget -= len(choices) * size
                    at = max(choices, key=lambda j: (sum(_similar(q[start + i], t[j + i]) for i in range(size)), -j))
            placed.append((start, end, at))
            pos = at + size
        pos = b1
        for start, end, at in placed:
            if at > pos:
                out.append(("insert", start, start, pos, at))
            out += [
                ("equal" if q[i] == t[j] else "replace", i, i + 1, j, j + 1)
                for i, j in zip(range(start, end), range(at, at + end - start), strict=True)
            ]
            pos = at + end - start
        if pos < b2:
            out.append(("insert", a2, a2, pos, b2))
    return out


def _refined(q: list[str], t: list[str], ops: list[Op]) -> list[Op]:
    """Small replaced runs aligned again, every word counted (see _REFINE)."""
    out: list[Op] = []
    for op in ops:
        tag, a1, a2, b1, b2 = op
        if tag != "replace" or (a2 - a1) * (b2 - b1) > _REFINE or a2 - a1 == b2 - b1 == 1:
            out.append(op)
            continue
        inner = difflib.SequenceMatcher(None, q[a1:a2], t[b1:b2], autojunk=False)
        out += [(tg, a1 + i1, a1 + i2, b1 + j1, b1 + j2) for tg, i1, i2, j1, j2 in inner.get_opcodes()]
    return out


def _score(q: _QuoteWords, t: list[str], ops: list[Op]) -> float:
    """Characters the quote and the passage share, over their lengths (omitted words not counted)."""
    same = size = 0
    ends = list(itertools.accumulate((len(w) + 1 for w in t), initial=0))
    for tag, a1, a2, b1, b2 in ops:
        if tag == "insert" and a1 in q.gaps:
            continue
        ours = q.ends[a2] - q.ends[a1]
        size += ours + ends[b2] - ends[b1]
        if tag == "equal":
            same += 2 * ours
        elif tag == "replace" and a2 - a1 == b2 - b1:
            same += 2 * sum(_shared(x, y) + 1 for x, y in zip(q.text[a1:a2], t[b1:b2], strict=True))
        elif tag == "replace" and a2 - a1 <= 3 and b2 - b1 <= 3:
            same += 2 * _shared(" ".join(q.text[a1:a2]), " ".join(t[b1:b2]))
    return same / size if size else 0.0


def _shared(x: str, y: str) -> int:
    """Characters two texts share at their start and their end: for a typo, all but the typo."""
    start = len(os.path.commonprefix([x, y]))
    end = len(os.path.commonprefix([x[start:][::-1], y[start:][::-1]]))
    return start + end


# -- saying what differs ---------------------------------------------------------------


def invisible(ch: str) -> bool:
    """A character that prints as nothing, or as part of the one before it."""
    kind = unicodedata.category(ch)
    return kind in ("Cf", "Cc", "Co", "Cn", "Cs", "Mn", "Me", "Zl", "Zp") or (kind == "Zs" and ch != " ")


def visible(text: str) -> str:
    """`text` with every invisible or combining character shown as <U+XXXX>."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if invisible(ch) else ch for ch in text)


def _lookalikes(ours: str, theirs: str) -> list[str]:
    """The quote's letters from another script than the seed's letter in their place (Cyrillic
    'а' for Latin 'a'), by name: they look the same in print."""

    def script(ch: str) -> str:
        return unicodedata.name(ch, "?").split(" ")[0]

    named: list[str] = []
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "replace" and a2 - a1 == b2 - b1:
            for mine, other in zip(ours[a1:a2], theirs[b1:b2], strict=True):
                if mine.isalpha() and other.isalpha() and script(mine) != script(other):
                    named.append(f"its “{mine}” is U+{ord(mine):04X} {unicodedata.name(mine, '')}")
    return named


@dataclass(frozen=True)
class _Difference:
    at: int  # offset in the quote as written
    ours: list[str]  # the quote's words
    theirs: list[str]  # the seed's words in their place


@dataclass
class _Reading:
    """How a quote differs from a passage of `count` words."""

    found: list[_Difference] = field(default_factory=list)
    cut: list[_Difference] = field(default_factory=list)  # words cut in the middle at an edge
    marked: set[int] = field(default_factory=set)  # the passage's words that differ
    omitted: set[int] = field(default_factory=set)  # the passage's words an omission leaves out


def _read(q: _QuoteWords, quote: str, t: list[str], shown: list[str], ops: list[Op]) -> _Reading:
    """How the quote's words differ from the passage's, `t` folded and `shown` as the seed has them."""
    n = len(q.text)
    written = [quote[q.at[i] : q.until[i]] for i in range(n)]
    out = _Reading()
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            continue
        if tag == "insert" and a1 in q.gaps:
            out.omitted.update(range(b1, b2))
            continue
        if tag == "replace" and a2 - a1 == b2 - b1:
            for i, j in zip(range(a1, a2), range(b1, b2), strict=True):
                out.marked.add(j)
                difference = _Difference(q.at[i], [written[i]], [shown[j]])
                ours, theirs = q.text[i], t[j]
                starts, ends = q.edge(i)
                rest = theirs[: -len(ours)] if starts and theirs.endswith(ours) else ""
                rest = rest or (theirs[len(ours) :] if ends and theirs.startswith(ours) else "")
                if rest and not any(ch.isalnum() for ch in rest):
                    out.marked.discard(j)  # the quote stops at the punctuation beside a word
                else:
                    (out.cut if rest else out.found).append(difference)
            continue
        # Words added or left out: shown with the word before (or after) that both have.
        out.marked.update(range(b1, b2))
        ours_words, theirs_words = written[a1:a2], shown[b1:b2]
        if tag != "replace":
            if a1 > 0 and b1 > 0:
                ours_words, theirs_words = [written[a1 - 1], *ours_words], [shown[b1 - 1], *theirs_words]
            elif a2 < n and b2 < len(shown):
                ours_words, theirs_words = [*ours_words, written[a2]], [*theirs_words, shown[b2]]
        at = q.at[a1] if a1 < n else q.at[n - 1]
        out.found.append(_Difference(at, ours_words, theirs_words))
    return out


def _phrase(words: list[str]) -> str:
    if not words:
        return "nothing"
    if len(words) <= _LONG_PHRASE:
        return f"“{visible(' '.join(words))}”"
    return f"“{visible(' '.join(words[: _LONG_PHRASE - 2]))} …” ({len(words)} words)"


def _describe(found: list[_Difference]) -> str:
    parts: list[str] = []
    for k, d in enumerate(found[:_SHOWN]):
        ours, theirs = _phrase(d.ours), _phrase(d.theirs)
        said = f"the quote has {ours} where the text has {theirs}" if k == 0 else f"{ours} where it has {theirs}"
        named = _lookalikes(" ".join(d.ours), " ".join(d.theirs)) if len(d.ours) == len(d.theirs) == 1 else []
        parts.append(said + (f" ({'; '.join(named)})" if named else ""))
    if len(found) > _SHOWN:
        parts.append(f"and {len(found) - _SHOWN} more differences")
    return "; ".join(parts)


def _marked(shown: list[str], reading: _Reading) -> str:
    """The passage with the differing words marked; omitted words as one '…'; a long passage
    only around its first differences."""
    words = [MARK.format(visible(w)) if j in reading.marked else visible(w) for j, w in enumerate(shown)]
    keep = set(range(len(words))) - reading.omitted
    if len(" ".join(words[j] for j in keep)) > _LONG_PASSAGE:
        near = sorted(reading.marked)[:_SHOWN] or [0]
        keep &= {j for m in near for j in range(m - _CONTEXT, m + _CONTEXT + 1)}
    out: list[str] = []
    for j, w in enumerate(words):
        if j in keep:
            out.append(w)
        elif not out or out[-1] != "…":
            out.append("…")
    return " ".join(out)


def closest(seed: Seed, quote: str) -> Miss:
    """The passage of the seed most like the quote, and every word that differs, for a helpful error."""
    q = _quote_words(quote)
    if not q.text:
        return Miss(1, 0.0, "", "the quote is empty")
    words = seed.words
    best: tuple[float, int, list[Op]] | None = None
    for lo, hi in _places(words, q.text, bool(q.gaps)):
        fit = _fit(words, q, lo, hi)
        if fit is not None and (best is None or fit[0] > best[0]):
            best = fit
    if best is None or best[0] < _CLOSE:
        return Miss(1, best[0] if best else 0.0, "", "")
    similarity, first, ops = best
    count = ops[-1][4]
    shown = [seed.source_word(first + j) for j in range(count)]
    reading = _read(q, quote, words.text[first : first + count], shown, ops)
    paras = sorted({words.para[first + j] for j in range(count)})
    notes = []
    if reading.found:  # with other differences, a word cut at an edge is one more
        notes.append(_describe(sorted(reading.found + reading.cut, key=lambda d: d.at)))
    elif reading.cut:
        notes.append("; ".join(f"{_phrase(d.ours)} is part of {_phrase(d.theirs)}" for d in reading.cut))
    if q.gaps and len(paras) > 1:
        notes.append(
            f"a quote with an omission (…) stays inside one paragraph, and this one runs from paragraph "
            f"{paras[0] + 1} to paragraph {paras[-1] + 1}"
        )
    at = [d.at for d in reading.found + reading.cut] or [q.at[0]]
    passage = [w if j not in reading.omitted else "…" for j, w in enumerate(shown)]
    return Miss(
        paras[0] + 1,
        similarity,
        " ".join(w for j, w in enumerate(passage) if w != "…" or j == 0 or passage[j - 1] != "…"),
        "; ".join(notes) or "the quote's words are all in this passage, but not as one passage",
        at=min(at),
        marked=_marked(shown, reading),
        last=paras[-1] + 1,
        whole_words=not reading.found and bool(reading.cut),
    )


@dataclass
class Corpus:
    seeds: dict[str, Seed]
    root: str = "seeds"
    # Each seed's file (a project's own essay replaces a shipped one with its id).
    files: dict[str, Path] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return sorted(self.seeds)

    def hint(self, seed_id: str) -> str:
        """What to say after an unknown seed id: a did-you-mean, or else the ids there are."""
        close = difflib.get_close_matches(seed_id, self.ids(), 1, 0.6)
        return f"; did you mean '{close[0]}'?" if close else f"; known seeds: {', '.join(self.ids())}"


def load_seed(path: Path, display: str) -> tuple[Seed | None, list[Problem]]:
    """Parse one seed file: YAML front matter between '---' lines, then numbered paragraphs."""
    try:
        data = read_bounded(path, source.MAX_BYTES)
    except OSError as exc:
        return None, [Problem(Position(display), f"cannot read seed: {reason(exc)}")]
    return read_seed(data, display, path.stem)


def read_seed(data: bytes, display: str, stem: str) -> tuple[Seed | None, list[Problem]]:
    """Parse a seed's bytes as `load_seed` does for a file named `stem`.txt."""
    text, problems = source.decode(display, data, "essay")
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [Problem(Position(display), "a seed starts with a '---' line (front matter)")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [Problem(Position(display), "the front matter has no closing '---' line")]
    front, problems = source.parse(display, "\n" * 1 + "\n".join(lines[1:end]) + "\n")
    if front is None:
        return None, problems
    meta = front.value if isinstance(front.value, dict) else {}
    if not isinstance(front.value, dict):
        problems.append(Problem(Position(display, 2), "the front matter must be key: value lines"))
    for key in meta:
        if key not in SEED_KEYS:
            hint = difflib.get_close_matches(key, list(SEED_KEYS), 1)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.append(Problem(front.key_at((key,)), f"unknown seed key '{key}'{extra}"))
    for key, required in SEED_KEYS.items():
        if required and key not in meta:
            problems.append(Problem(Position(display, 1), f"the front matter needs '{key}'"))
    paragraphs, para_lines, body_problems = _paragraphs(display, lines, end + 1)
    problems += body_problems
    if meta.get("id") not in (None, stem):
        problems.append(
            Problem(front.at(("id",)), f"id '{meta.get('id')}' must match the file name '{stem}'")
        )
    if not SEED_ID.fullmatch(stem):
        problems.append(Problem(Position(display), "a seed's file name must be lowercase words joined by '-'"))
    if not paragraphs:
        problems.append(Problem(Position(display, end + 2), "the seed has no paragraphs"))
    if problems:
        return None, problems

    def text_of(key: str, default: str = UNKNOWN) -> str:
        value: Any = meta.get(key, default)
        return str(value) if value is not None else default

    removed = meta.get("removed") or []
    refs = meta.get("references_from")
    return Seed(
        id=stem,
        title=text_of("title"),
        author=text_of("author"),
        date=text_of("date"),
        paragraphs=tuple(paragraphs),
        path=display,
        date_basis=text_of("date_basis", "not stated"),
        publisher=text_of("publisher"),
        place=text_of("place"),
        summary=text_of("summary", ""),
        description=text_of("description"),
        removed=tuple(str(r) for r in removed) if isinstance(removed, list) else (),
        references_from=refs if isinstance(refs, int) else None,
        lines=tuple(para_lines),
    ), []


def _paragraphs(display: str, lines: list[str], first: int) -> tuple[list[str], list[int], list[Problem]]:
    paragraphs: list[str] = []
    starts: list[int] = []
    problems: list[Problem] = []
    current: list[str] = []
    for i in range(first, len(lines) + 1):
        line = lines[i] if i < len(lines) else ""
        if line.strip() == "":
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        if not current:
            m = _PARA_START.match(line)
            expected = len(paragraphs) + 1
            if not m:
                problems.append(
                    Problem(Position(display, i + 1), f"a paragraph starts with its number: '[{expected}] '")
                )
                current = [line]
            else:
                if int(m.group(1)) != expected:
                    problems.append(
                        Problem(
                            Position(display, i + 1, 2),
                            f"paragraph number {m.group(1)} should be {expected} (numbers go up by one)",
                        )
                    )
                current = [line[m.end() :]]
            starts.append(i + 1)
        else:
            current.append(line.strip())
    return paragraphs, starts, problems


def load_corpus(
    folders: Path | Sequence[Path], display_root: Path | None = None
) -> tuple[Corpus, list[Problem]]:
    """Every `*.txt` seed in the folders, keyed by id: a later folder's seed replaces an earlier
    one's with the same id (a project's own essays come after the shipped ones)."""
    chosen = [folders] if isinstance(folders, Path) else list(folders)
    seeds: dict[str, Seed] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in chosen:
        for path in sorted(folder.glob("*.txt")):
            display = _display(path, display_root)
            seed, found = load_seed(path, display)
            problems += found
            if seed is not None:
                seeds[seed.id] = seed
                files[seed.id] = path
    return Corpus(seeds, str(chosen[-1]) if chosen else "seeds", files), problems


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)
