"""The part of an extract a question is about, within a number of words: the whole extract when
it fits, else the sentences that share the question's quoted words and key words, in the order
they were written, with an omission mark (…) wherever words are left out."""

from __future__ import annotations

import re
from collections.abc import Sequence

ELLIPSIS = "…"
# A sentence ends at . ! ? or … (and any closing quotes or brackets) before a space.
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*(?=\s)")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_QUOTED = re.compile(r"[“\"‘']([^”\"’']{3,})[”\"’']")
# Words too common to say what a question is about.
_COMMON_WORDS = (
    "a about after again all also an and any are as at be because been being both but by can could "
    "did do does for from had has have he her his how i if in into is it its just may me might more "
    "most my no not of on one or other our out over own she should so some such than that the their "
    "them then there these they this those through to too under up very was way we were what when "
    "where which while who whom why will with would you your writer writers extract says say said "
    "think give explain describe does mean means "
)
_COMMON = frozenset(_COMMON_WORDS.split())


def words(text: str) -> int:
    return len(text.split())


def sentences(paragraph: str) -> list[str]:
    out, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph):
        out.append(paragraph[start : end.end()].strip())
        start = end.end()
    out.append(paragraph[start:].strip())
    return [s for s in out if s]


def _keys(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _COMMON and len(w) > 2}


def _score(sentence: str, question: str) -> float:
    low = " ".join(sentence.lower().split())
    quoted = sum(3.0 for q in _QUOTED.findall(question) if " ".join(q.lower().split()) in low)
    return quoted + len(_keys(sentence) & _keys(question))


def focus(paragraphs: Sequence[str], question: str, budget: int) -> tuple[str, ...]:
    """The paragraphs of an extract as a question's slide shows them: all of them when they have
    at most `budget` words, else its best sentences (whole, in order) that fit, each run of left-out
    words marked with an omission mark; a single sentence longer than the budget is cut at a word
    and marked."""
    if sum(words(p) for p in paragraphs) <= budget:
        return tuple(paragraphs)
    units = [(k, s) for k, p in enumerate(paragraphs) for s in sentences(p)]
    # An omission mark already in the text (a part left out before) is no sentence to choose.
    choices = [i for i, (_, s) in enumerate(units) if s != ELLIPSIS]
    ranked = sorted(choices, key=lambda i: (-_score(units[i][1], question), i))
    if not ranked:
        return tuple(paragraphs)
    chosen: set[int] = set()
    used = 0
    for i in ranked:
        n = words(units[i][1])
        if used + n <= budget:
            chosen.add(i)
            used += n
    if not chosen:  # even the best sentence is too long: its first `budget` words
        best = units[ranked[0]][1].split()
        return (" ".join(best[: max(1, budget)]) + " " + ELLIPSIS,)
    out: list[str] = []
    current: list[str] = []
    para = units[min(chosen)][0]
    for i in sorted(chosen):
        k, text = units[i]
        if k != para:
            out.append(" ".join(current))
            current, para = [], k
        if i > 0 and i - 1 not in chosen:  # words left out before this sentence
            current.append(ELLIPSIS)
        current.append(text)
    if max(chosen) < len(units) - 1:
        current.append(ELLIPSIS)
    out.append(" ".join(current))
    return tuple(out)


def least(paragraphs: Sequence[str], question: str) -> int:
    """The words of the one sentence of an extract that a question is most about (the fewest
    `focus` keeps without cutting a sentence)."""
    units = [s for p in paragraphs for s in sentences(p) if s != ELLIPSIS]
    if not units:
        return 0
    return words(max(units, key=lambda s: (_score(s, question), -units.index(s))))


def relevance(paragraphs: Sequence[str], question: str) -> float:
    """How much a question is about an extract: the score of the extract's sentence it is most
    about (its quoted words count most, then its key words)."""
    return max((_score(s, question) for p in paragraphs for s in sentences(p)), default=0.0)
