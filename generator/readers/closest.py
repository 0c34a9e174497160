"""The closest passage: where a quote that does not match its seed comes from, and every word that differs."""

from __future__ import annotations

import bisect
import difflib
import itertools
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .seed import OMISSION, WORD, Miss, Seed, WordIndex, fold, visible, word_keys

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
Common = tuple[int, int, int]  # a, b, size: a run of words both have


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


def _quote_words(quote: str) -> _QuoteWords:
    folded, index = fold(quote)
    text: list[str] = []
    at: list[int] = []
    until: list[int] = []
    gaps: set[int] = set()
    pos = 0
    for mark_start, mark_end in [m.span() for m in OMISSION.finditer(folded)] + [(len(folded), len(folded))]:
        if text and any(not ch.isspace() for ch in folded[pos:mark_start]):
            gaps.add(len(text))
        for m in WORD.finditer(folded, pos, mark_start):
            text.append(m.group())
            at.append(index[m.start()])
            until.append(index[m.end() - 1] + 1)
        pos = mark_end
    return _QuoteWords(text, at, until, frozenset(gaps))


def _places(words: WordIndex, quote: list[str], whole_paragraphs: bool) -> list[tuple[int, int]]:
    """Ranges of the seed's words where the quote may be, the best first (at most _CANDIDATES)."""
    n = len(quote)
    forms = {w: [k for k in word_keys(w) if k in words.where] for w in set(quote)}
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


def _ops(blocks: list[Common], a_end: int, b_end: int) -> list[Op]:
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


def _matching(a: list[str], b: list[str]) -> list[Common]:
    """Blocks of words a and b have in common, in order: difflib's between the anchors, on at most
    _PIECE words of `a` at a time (so that the work stays in proportion to the words)."""
    found: list[Common] = []
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
    merged: list[Common] = []
    for block in found:
        if merged and merged[-1][0] + merged[-1][2] == block[0] and merged[-1][1] + merged[-1][2] == block[1]:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + block[2])
        else:
            merged.append(block)
    return merged


def _trimmed(a: list[str], b: list[str], blocks: list[Common], gaps: frozenset[int]) -> list[Common]:
    """Matching blocks without the few words matched by chance at the far side of a gap, and
    with the first and the last one as near the others as the same words are in `b` ("We don't
    get that out. We don't deserve to": a quote of the second does not start at the first)."""

    def chance(far: Common, near: Common, ahead: bool) -> bool:
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


def _fit(words: WordIndex, q: _QuoteWords, lo: int, hi: int) -> tuple[float, int, list[Op]] | None:
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
