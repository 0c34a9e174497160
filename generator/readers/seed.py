"""A seed essay as quotes are matched against it: its folded text and words, where a quote was
found (Match) or not (Miss), and how invisible characters are shown."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

SEED_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The last three dots of a run are the omission ("Hollywood.... Little" keeps its full stop).
OMISSION = re.compile(r"\s*(?:…|\.\.\.(?!\.))\s*")

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
    def words(self) -> WordIndex:
        """The folded words of every paragraph, with an index for finding the closest passage."""
        return _words(self.folded)

    def source_word(self, i: int) -> str:
        """Word `i` of `words` as the seed writes it (curly quotes, dashes)."""
        w = self.words
        return source_text(self, w.para[i], w.start[i], w.end[i])

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


def mid_sentence(folded: str, start: int, end: int) -> tuple[bool, bool]:
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


def find_whole(haystack: str, needle: str, start: int = 0) -> int:
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
    return [s.strip() for s in OMISSION.split(folded) if s.strip()]


def source_text(seed: Seed, para: int, start: int, end: int) -> str:
    """Original text of paragraph `para` (0-based) between folded offsets [start, end)."""
    text, index = seed.folded[para]
    return collapse(seed.paragraphs[para][index[start] : index[end - 1] + 1])


@dataclass(frozen=True)
class WordIndex:
    """The words of a seed's folded paragraphs: each one's text, paragraph (0-based) and offsets."""

    text: list[str]
    para: list[int]
    start: list[int]
    end: list[int]
    where: dict[str, list[int]]  # a key (see word_keys) -> the words that have it, in order


# A word: an omission mark, or a run of non-space characters without one (the seeds have a few
# marks of their own, "yours…it", which a quote can only write as an omission).
WORD = re.compile(r"…|\.\.\.(?!\.)|(?:(?!…|\.\.\.(?!\.))\S)+")


def word_keys(word: str) -> list[str]:
    """The forms of a word that vote for a place: its letters and digits, case folded, and (so that
    a word with a typo still votes) their first and last three."""
    loose = "".join(ch for ch in word.casefold() if ch.isalnum())
    if len(loose) < 4:
        return [loose] if loose else []
    return [loose, "<" + loose[:3], ">" + loose[-3:]]


def _words(folded: tuple[tuple[str, list[int]], ...]) -> WordIndex:
    words = WordIndex([], [], [], [], {})
    for i, (text, _) in enumerate(folded):
        for m in WORD.finditer(text):
            for key in word_keys(m.group()):
                words.where.setdefault(key, []).append(len(words.text))
            words.text.append(m.group())
            words.para.append(i)
            words.start.append(m.start())
            words.end.append(m.end())
    return words


def invisible(ch: str) -> bool:
    """A character that prints as nothing, or as part of the one before it."""
    kind = unicodedata.category(ch)
    return kind in ("Cf", "Cc", "Co", "Cn", "Cs", "Mn", "Me", "Zl", "Zp") or (kind == "Zs" and ch != " ")


def visible(text: str) -> str:
    """`text` with every invisible or combining character shown as <U+XXXX>."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if invisible(ch) else ch for ch in text)
