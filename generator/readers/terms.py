"""A policy's terms found in a text: one index for all of them, built once per policy.

A term is words separated by single spaces, optionally ending in * (any ending). It matches
where its own regular expression would, ignoring case:

    (?<!\\w)WORD[\\s\\-‐‑–—]+WORD…(?!\\w)          (…WORD\\w*(?!\\w) when it ends in *)

Trying tens of thousands of such expressions on every text is slow, and so is compiling them.
Instead each text is folded once (every character to the one character that stands for all the
characters a case-insensitive expression treats alike), and the words at each place where a
term may start are looked up in dictionaries: whole words by their text, multi-word terms word
by word, terms ending in * by each prefix of the word. The matches are the same as the
expressions' (tests/test_terms.py compares the two on generated texts and policies).
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from . import skeleton

# What hides a letter in a masked word ("f*ck", "sh#t").
MASK = "*#@$"
# Every term starts at the start of a word.
WORD_START = r"(?<!\w)"
# Between the words of a term: white space and hyphens or dashes, any number of them.
_GAP = r"[\s\-‐‑–—]+"
_SEPARATOR = re.compile(_GAP)
_NOT_WORD = re.compile(r"\W")
_ANY_MASK = re.compile(f"[{re.escape(MASK)}]")
_MASKED = re.compile(rf"(?<![\w{re.escape(MASK)}])[A-Za-z]+[{re.escape(MASK)}][A-Za-z{re.escape(MASK)}]*")


@dataclass(frozen=True)
class Term:
    text: str
    stem: str  # lower case, without the trailing *
    wildcard: bool

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The term as its own regular expression (what the index matches like; compiled on first use)."""
        words = [re.escape(w.lower()) for w in (self.text[:-1] if self.wildcard else self.text).split()]
        body = _GAP.join(words) + (r"\w*" if self.wildcard else "")
        return re.compile(rf"{WORD_START}{body}(?!\w)", re.IGNORECASE)

    def matches_masked(self, token: str) -> bool:
        """Whether a masked word such as 'p*ssy' could be this term (one letter per mask sign)."""
        if " " in self.stem or len(token) < len(self.stem) or (not self.wildcard and len(token) != len(self.stem)):
            return False
        if not token[0].isalpha():
            return False
        return all(t == s or t in MASK for t, s in zip(token, self.stem, strict=False))


def compile_term(text: str) -> Term:
    wildcard = text.endswith("*")
    stem = text[:-1] if wildcard else text
    return Term(text, stem.lower(), wildcard)


# ---------------------------------------------------------------------------------------
# Folding: one character for every set of characters that match each other ignoring case.
#
# Python's expressions, ignoring case, take a character of the text as its simple lower case
# (the first character of str.lower()) and compare it with the pattern's, lowered the same way;
# a few lower-case letters also match others with the same upper case (i and dotless ı, s and
# long ſ, σ and final ς, …). Characters without case match only themselves. Folding each to
# the smallest member of its set turns "matches ignoring case" into "equal".


def derived_cases() -> dict[int, tuple[int, ...]]:
    """The lower-case letters that match other lower-case letters: those with the same upper case."""
    groups: dict[str, set[int]] = {}
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF:
            low = chr(code).lower()[0]
            groups.setdefault(low.upper(), set()).add(ord(low))
    return {c: tuple(sorted(g - {c})) for g in groups.values() if len(g) > 1 for c in g}


def _extra_cases() -> dict[int, tuple[int, ...]]:
    """re's own table of them where it has one (deriving it takes a second)."""
    try:
        table = importlib.import_module("re._casefix")._EXTRA_CASES
    except (ImportError, AttributeError):  # pragma: no cover - depends on the Python
        return derived_cases()
    return {int(k): tuple(sorted(int(x) for x in v)) for k, v in table.items()}


_EXTRA = _extra_cases()


class _Fold(dict[int, str]):
    """A str.translate table, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        low = chr(code).lower()[0]
        folded = chr(min((ord(low), *_EXTRA.get(ord(low), ()))))
        self[code] = folded
        return folded


_FOLD = _Fold()


def fold(text: str) -> str:
    """`text` with each character replaced by the one that stands for all those matching it
    ignoring case (the same length: places in the folded text are places in the text)."""
    return text.translate(_FOLD)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# ---------------------------------------------------------------------------------------
# The index.


@dataclass
class _Node:
    """The terms that go on after some words: by their next word (folded)."""

    last: dict[str, list[int]] = field(default_factory=dict)  # the term's last word, whole
    stems: dict[str, list[int]] = field(default_factory=dict)  # the term's last word, ending in *
    more: dict[str, _Node] = field(default_factory=dict)  # more words follow
    stem_lengths: tuple[int, ...] = ()


Found = tuple[int, int, int, int]  # (term, kind, start, end); kind 0: the words, 1: a masked word


class Matcher:
    """Every place each of `terms` matches a text, as each term's own expression finds them."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self._root = _Node()
        nodes = [self._root]
        lengths: dict[int, set[int]] = {}  # id(node) -> lengths of its stems
        every: list[str] = []  # every folded word
        # Masked words are compared with the single-word terms of their first letter.
        self._masked_whole: dict[tuple[int, str], list[int]] = {}
        self._masked_stems: dict[str, list[int]] = {}
        for index, term in enumerate(self.terms):
            # Each word as the term's expression has it: as written, lowered, then folded.
            words = [fold(w.lower()) for w in (term.text[:-1] if term.wildcard else term.text).split()]
            if not words:
                raise ValueError(f"term {term.text!r} has no words")
            every += words
            node = self._root
            for word in words[:-1]:
                child = node.more.get(word)
                if child is None:
                    child = node.more[word] = _Node()
                    nodes.append(child)
                node = child
            last = words[-1]
            if term.wildcard:
                node.stems.setdefault(last, []).append(index)
                lengths.setdefault(id(node), set()).add(len(last))
            else:
                node.last.setdefault(last, []).append(index)
            if " " not in term.stem:
                if term.wildcard:
                    self._masked_stems.setdefault(term.stem[0], []).append(index)
                else:
                    self._masked_whole.setdefault((len(term.stem), term.stem[0]), []).append(index)
        for node in nodes:
            node.stem_lengths = tuple(sorted(lengths.get(id(node), ())))
        # Where a term may be: runs of the characters its words have. A '#' may only open a term.
        inner = re.escape("".join(sorted(set("".join(every)) - {"#"})))
        self._inner = re.compile(f"[{inner}]+") if inner else None
        self._runs = re.compile(f"#[{inner}]*|[{inner}]+" if inner else "#")

    def find(self, text: str) -> list[Found]:
        """Each term's matches, left to right without overlapping each other (as re.finditer
        gives them), then the masked words that could be it; by term, kind and start."""
        found = self._words(text)
        if _ANY_MASK.search(text):  # most texts have no masking character at all
            found += self._masked(text)
        found.sort()
        return found

    def find_as_read(self, text: str) -> list[Found]:
        """`find`, and also the matches in the text as it reads (look-alike letters as Latin,
        invisible characters and marks dropped: skeleton.fold), placed on the characters that
        print them; each place once."""
        found = self.find(text)
        folded = skeleton.fold(text)
        if folded is None:
            return found
        seen = set(found)
        for index, kind, start, end in self.find(folded.text):
            lo, hi = folded.span(start, end)
            if (index, kind, lo, hi) not in seen:
                seen.add((index, kind, lo, hi))
                found.append((index, kind, lo, hi))
        found.sort()
        return found

    def _words(self, text: str) -> list[Found]:
        folded = fold(text)
        n = len(text)
        breaks = [m.start() for m in _NOT_WORD.finditer(text)]  # where a word may end
        inner = self._inner
        out: list[Found] = []
        ends: dict[int, int] = {}  # term -> end of its last match
        done: set[int] = set()  # terms already tried at this start

        def record(index: int, start: int, end: int) -> None:
            # Only the first way a term matches here counts (as an expression's first match),
            # and only where it does not overlap its previous match.
            if index in done:
                return
            done.add(index)
            if start >= ends.get(index, 0):
                out.append((index, 0, start, end))
                ends[index] = end

        def word_ends(k: int, r: int) -> list[int]:
            """Where a word starting at k may end within the run [k, r): before a non-word character."""
            found = breaks[bisect_right(breaks, k) : bisect_right(breaks, r)]
            if r == n:
                found.append(n)
            return found

        def walk(node: _Node, k: int, r: int, start: int) -> None:
            """The terms of `node` whose next word starts at k (in the run of term characters [k, r))."""
            for j in word_ends(k, r):
                word = folded[k:j]
                for index in node.last.get(word, ()):
                    record(index, start, j)
                child = node.more.get(word)
                if child is None:
                    continue
                gap = _SEPARATOR.match(text, j)
                if gap is None:
                    continue
                # The next word starts after the white space and dashes, or (when it starts with a
                # hyphen) at any hyphen among them: the longest gap first, as the expression tries.
                for at in range(gap.end(), j, -1):
                    if inner is not None and (at == gap.end() or text[at] == "-"):
                        run = inner.match(folded, at)
                        if run is not None:
                            walk(child, at, run.end(), start)
            for length in node.stem_lengths:
                j = k + length
                if j > r:
                    break
                indexes = node.stems.get(folded[k:j])
                if indexes:
                    after = bisect_left(breaks, j)
                    end = breaks[after] if after < len(breaks) else n
                    for index in indexes:
                        record(index, start, end)

        for run in self._runs.finditer(folded):
            a, r = run.span()
            starts = [a] if a == 0 or not _is_word(text[a - 1]) else []
            starts += [p + 1 for p in breaks[bisect_left(breaks, a) : bisect_left(breaks, r - 1)]]
            for start in starts:
                done.clear()
                walk(self._root, start, r, start)
        return out

    def _masked(self, text: str) -> list[Found]:
        out: list[Found] = []
        for m in _MASKED.finditer(text):
            token = m.group(0).lower()
            candidates = self._masked_whole.get((len(token), token[0]), []) + self._masked_stems.get(token[0], [])
            for index in candidates:
                if self.terms[index].matches_masked(token):
                    out.append((index, 1, m.start(), m.end()))
        return out
