"""How hard a passage is to read: a reading age from the Flesch–Kincaid grade level, and its hardest
words (3 or more syllables and not an everyday word: data/common-words.txt). Syllables are counted from
pyphen's English hyphenation patterns (the only pyphen importer).

Flesch–Kincaid grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59 (Kincaid
et al., 1975, for the US Navy), a US school grade; the reading age is the grade + 5, the age at
which pupils start that grade. It is an estimate for prose of several sentences, not a verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

FORMULA = "Flesch–Kincaid"
ADULT = 18  # reading ages stop here: grade 13 and beyond is adult reading
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$|[”’\"')])")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Reading:
    grade: float  # Flesch–Kincaid grade level
    age: int  # reading age: the grade + 5, from 5 to ADULT (a grade past school reads as an adult's)
    hard_words: tuple[str, ...]  # the longest words by syllables (3 or more, not everyday), hardest first

    @property
    def adult(self) -> bool:
        return self.age >= ADULT


@cache
def _common() -> frozenset[str]:
    """Everyday words of three or more syllables (data/common-words.txt): not hard words."""
    from .. import DATA

    lines = (DATA / "common-words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def common(word: str) -> bool:
    """Whether a word (lower case) is an everyday one: listed, or a listed word with -s, -es, -ed,
    -ing or -ly added (a final 'e' dropped or 'y' turned to 'i' before it)."""
    words = _common()
    if word in words:
        return True
    for ending in ("s", "es", "ed", "d", "ing", "ly"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if stem in words or stem + "e" in words or (stem.endswith("i") and stem[:-1] + "y" in words):
                return True
    return False


@cache
def _dictionary() -> object:
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """A word's syllables: its hyphenation points + 1, or its groups of vowels where there are more
    (hyphenation patterns leave short words and endings whole), not counting a silent final 'e' or
    the 'e' of '-ed' and '-es' that adds no syllable (moved, makes)."""
    lower = word.lower().replace("’", "'").split("'")[0]
    points = len(_dictionary().positions(lower)) + 1  # type: ignore[attr-defined]
    vowels = len(_VOWELS.findall(lower))
    if re.search(r"[^aeiouy]e$", lower) and not lower.endswith("le"):
        vowels -= 1
    elif re.search(r"[^aeiouytd]ed$|[^aeiouysxzcgh]es$", lower):
        vowels -= 1
    return max(1, points, vowels)


def reading(text: str, keywords: frozenset[str] = frozenset()) -> Reading | None:
    """The reading age of `text` (None when it has no words). `keywords` (lower case) are left out of
    the hard words: pupils are already given their meaning."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    counts = [syllables(w) for w in words]
    grade = 0.39 * len(words) / sentences + 11.8 * sum(counts) / len(words) - 15.59
    hard = sorted(
        {
            w.lower()
            for w, n in zip(words, counts, strict=True)
            if n >= 3 and w.lower() not in keywords and not common(w.lower())
        },
        key=lambda w: (-syllables(w), w),
    )
    return Reading(round(grade, 1), min(ADULT, max(5, round(grade + 5))), tuple(hard[:5]))
