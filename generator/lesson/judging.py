"""A text judged against the content policy: where it matches a term (hits), the category each
raises at the intensity its words reach (flags), what that means for the youngest reader (a
decision: allowed, redacted, overridden on the record or refused), and redaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from ..readers import skeleton
from ..readers.policy import Category, Level, Policy

REDACTED = "[offensive word]"
MIN_REASON_WORDS = 5

Ruling = Literal["allowed", "refused", "overridden", "redacted"]


@dataclass(frozen=True)
class Hit:
    """One place where the quoted words matched a policy term."""

    category: str
    level: str
    rank: int
    term: str
    paragraph: int  # index into the excerpt's printed paragraphs
    start: int
    end: int
    words: str  # as written in the text


@dataclass(frozen=True)
class Flag:
    """A category found in (or added to) an excerpt, at the intensity that decides its age."""

    category: Category
    level: Level
    words: tuple[str, ...]  # the words that triggered this intensity; empty when only tagged
    tagged: bool = False


@dataclass(frozen=True)
class Decision:
    flag: Flag
    outcome: Ruling
    youngest: int | None  # the youngest age allowed for this intensity (None: never)
    reason: str = ""


# ---------------------------------------------------------------------------------------
# Detection on the quoted words.


def _hits_in(text: str, paragraph: int, policy: Policy, as_read: bool = True) -> list[Hit]:
    entries = policy.entries
    # Each term's matches, in the policy's order (a term's masked words after its words); as the
    # text reads, look-alike letters as Latin (terms.Matcher.find_as_read), unless `as_read` is off.
    found = policy.matcher.find_as_read(text) if as_read else policy.matcher.find(text)
    # Only the longest match counts where one lies inside another ("sex" inside "sex offender"):
    # with the places sorted by start, then longest first, a place lies inside another exactly
    # when an earlier one reaches as far.
    inside: set[tuple[int, int]] = set()
    reach = -1
    for start, end in sorted({(f[2], f[3]) for f in found}, key=lambda span: (span[0], -span[1])):
        if reach >= end:
            inside.add((start, end))
        reach = max(reach, end)
    # One hit per category and place: the strongest intensity's (the policy's last term among equals).
    best: dict[tuple[str, int, int], tuple[int, int]] = {}
    for order, (index, _, start, end) in enumerate(found):
        if (start, end) in inside:
            continue
        category, level, _ = entries[index]
        key = (category.id, start, end)
        if key not in best or (level.rank, order) > best[key]:
            best[key] = (level.rank, order)
    hits = []
    for (_, start, end), (_, order) in best.items():
        category, level, term = entries[found[order][0]]
        hits.append(Hit(category.id, level.id, level.rank, term.text, paragraph, start, end, text[start:end]))
    return sorted(hits, key=lambda h: (h.start, h.category))


def detect(paragraphs: tuple[str, ...], policy: Policy, as_read: bool = True) -> list[Hit]:
    """Every place the text matches a term of the policy, paragraph by paragraph (and, `as_read`,
    the text as it reads: look-alike letters as the Latin letters they show)."""
    return [h for i, p in enumerate(paragraphs) for h in _hits_in(p, i, policy, as_read)]


def flags(hits: list[Hit], policy: Policy) -> list[Flag]:
    """One flag per category, at the highest intensity its words reach."""
    out = []
    for category in policy.categories.values():
        mine = [h for h in hits if h.category == category.id]
        if not mine:
            continue
        top = max(h.rank for h in mine)
        words = tuple(dict.fromkeys(h.words for h in mine if h.rank == top))
        out.append(Flag(category, category.levels[top], words))
    return out


def split_by_omissions(closed_up: tuple[str, ...], hits: list[Hit], policy: Policy) -> list[Hit]:
    """The policy's terms found only once a quote's omissions are closed up ("grab her … by the"):
    placed in no printed paragraph (paragraph -1), so that nothing is redacted by them."""
    have = {(h.category, h.level, h.term) for h in hits}
    found = [replace(h, paragraph=-1) for h in detect(closed_up, policy) if (h.category, h.level, h.term) not in have]
    return list({(h.category, h.level, h.term): h for h in found}.values())


def redact(paragraphs: tuple[str, ...], hits: list[Hit]) -> tuple[str, ...]:
    """The paragraphs with each hit replaced by [offensive word]."""
    out = []
    for i, text in enumerate(paragraphs):
        for h in sorted((h for h in hits if h.paragraph == i), key=lambda h: -h.start):
            text = text[: h.start] + REDACTED + text[h.end :]
        out.append(text)
    return tuple(out)


# ---------------------------------------------------------------------------------------
# Decisions for an audience.


def decide(flag: Flag, youngest: int, overrides: dict[str, str], wants_redaction: bool) -> Decision:
    """Allowed at this age, shown redacted, overridden on the record, or refused."""
    allowed_from = flag.level.youngest
    if wants_redaction and flag.category.redactable and not flag.tagged:
        return Decision(flag, "redacted", allowed_from)
    if allowed_from is not None and youngest >= allowed_from:
        return Decision(flag, "allowed", allowed_from)
    reason = overrides.get(flag.category.id)
    if reason is not None and flag.level.overridable and reason_ok(reason):
        return Decision(flag, "overridden", allowed_from, reason)
    return Decision(flag, "refused", allowed_from)


# A word of a reason: letters (an apostrophe or hyphen inside), as it reads; ". . . . ." has none.
_REASON_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


REASON_NEEDED = (
    f"an override needs a written reason of at least {MIN_REASON_WORDS} words of letters, not punctuation "
    "(it is printed in the teacher edition)"
)


def reason_ok(reason: str) -> bool:
    """A written reason: at least MIN_REASON_WORDS words of letters (not punctuation or numbers)."""
    return len(_REASON_WORD.findall(skeleton.reads_as(reason))) >= MIN_REASON_WORDS
