"""Helping teachers write specs: list the essays, find passages to quote, scaffold a new spec."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..lesson import judging
from ..lesson.reading import FORMULA, reading
from ..readers import resolved
from ..readers.policy import Policy
from ..readers.seed import Seed, fold
from .build import Builder

# A sentence ends at . ! or ? (perhaps inside closing quotes or a bracket) before a capital.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”’\"')]))\s+(?=[A-Z“‘\"'(\[#•])")

# The three allyship suggestions for schools in 'no-going-back', by the paragraph that opens each.
SUGGESTIONS = {
    "start-a-conversation": ("Start a Conversation", "• Start a Conversation."),
    "stop-it-before-it-starts": ("Stop It Before It Starts", "• Adopt a “Stop It Before It Starts” attitude."),
    "create-a-respectful-environment": ("Create a Respectful Environment", "• Create a Respectful Environment."),
}
# The essay with the suggestions; also the one a new spec quotes unless --seed says otherwise.
SUGGESTION_SEED = "no-going-back"
SCHEMA = Path("schema") / "lesson-spec.schema.json"


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, each on one line (white space collapsed)."""
    return [s for s in (" ".join(part.split()) for part in _SENTENCE_END.split(paragraph)) if s]


def essay_paragraphs(seed: Seed) -> range:
    """Paragraph numbers of the essay itself (a reference list is not quotable teaching text)."""
    last = seed.references_from - 1 if seed.references_from else len(seed.paragraphs)
    return range(1, last + 1)


# ---------------------------------------------------------------------------------------
# What the content guidance says about a passage, before it is in a spec.


@dataclass(frozen=True)
class Candidate:
    """A passage that could be quoted: a sentence (or a whole paragraph) with its flags."""

    seed: Seed
    paragraph: int
    sentence: int  # 0 for the whole paragraph
    text: str
    flags: tuple[judging.Flag, ...]

    @property
    def id(self) -> str:
        initials = "".join(word[0] for word in self.seed.id.split("-"))
        return f"{initials}-{self.paragraph}" + (f"-{self.sentence}" if self.sentence else "")

    @property
    def allowed_from(self) -> int | None:
        """The youngest age this passage may be quoted for (None: never in a student pack)."""
        ages = [f.level.youngest for f in self.flags]
        if any(a is None for a in ages):
            return None
        return max((a for a in ages if a is not None), default=0)

    def refused(self, youngest: int) -> list[judging.Flag]:
        return [f for f in self.flags if judging.decide(f, youngest, {}, False).outcome == "refused"]


def candidates(
    seed: Seed, policy: Policy, *, whole: bool = False, grep: str = "", paragraphs: tuple[int, int] | None = None
) -> list[Candidate]:
    """Every sentence (or paragraph) of the essay with what it would be flagged for."""
    words = [_folded(w) for w in grep.split()]
    found: list[Candidate] = []
    for n in essay_paragraphs(seed):
        if paragraphs and not paragraphs[0] <= n <= paragraphs[1]:
            continue
        paragraph = seed.paragraphs[n - 1]
        parts = [" ".join(paragraph.split())] if whole else sentences(paragraph)
        for i, text in enumerate(parts, 0 if whole else 1):
            if words and not all(w in _folded(text) for w in words):
                continue
            if not quotable(text, policy):
                continue
            hits = judging.detect((text,), policy)
            found.append(Candidate(seed, n, i, text, tuple(judging.flags(hits, policy))))
    return found


# A reference to a source rather than a sentence: "Atcheson (2018)", "[Online] Available at: …".
_REFERENCE = re.compile(r"^[A-Z][^.!?]{0,60}\(\d{4}[a-z]?\)\.?$|\[Online\]|https?://|www\.")
_WORDS = re.compile(r"\w+(?:['’]\w+)*")


def quotable(text: str, policy: Policy) -> bool:
    """Whether a sentence (or paragraph) is teaching text worth offering: not a heading (a list
    item of a few words, or a short line with no closing punctuation), not a line of a reference
    list, and not a fragment (an introduction ending in ':' like "Here are a few suggestions:", or
    fewer words than the policy's min_quote_words)."""
    words = len(_WORDS.findall(text))
    if words < policy.min_quote_words or text.rstrip().endswith(":") or _REFERENCE.search(text):
        return False
    if text.startswith("•") and words <= 8:
        return False
    return not (words <= 12 and not re.search(r"[.!?…][”’\"')\]]*$", text.rstrip()))


def _folded(text: str) -> str:
    return fold(text)[0].casefold()


def _flag_words(flag: judging.Flag) -> str:
    """'Sexual violence (described) “raped”'; a category with one intensity shows none."""
    level = f" — {flag.level.label}" if len(flag.category.levels) > 1 else ""
    words = ", ".join(f"“{w}”" for w in flag.words)
    return f"{flag.category.label}{level}" + (f" {words}" if words else "")


def verdict(c: Candidate, ages: resolved.Ages | None) -> str:
    """One comment line: nothing flagged, the note it would get, or refused for these ages."""
    if not c.flags:
        return "ok: nothing flagged"
    if ages is None:
        allowed = c.allowed_from
        when = "never in a student pack" if allowed is None else f"allowed from age {allowed}"
        return f"{when}: " + "; ".join(_flag_words(f) for f in c.flags)
    refused = c.refused(ages.youngest)
    if refused:
        why = "; ".join(
            _flag_words(f)
            + (f" is allowed from age {f.level.youngest}" if f.level.youngest is not None else " is never allowed")
            for f in refused
        )
        return f"REFUSED for ages {ages}: {why}"
    return f"note for ages {ages}: " + "; ".join(_flag_words(f) for f in c.flags)


def entry(c: Candidate, ages: resolved.Ages | None) -> list[str]:
    """A ready-to-paste excerpt entry, with the verdict and the reading age as a comment."""
    where = f"¶{c.paragraph}" + (f" sentence {c.sentence}" if c.sentence else "")
    r = reading(c.text)
    level = "" if r is None else f" — reading age {'18+' if r.adult else r.age} ({FORMULA} grade {r.grade:g})"
    return [
        f"  # {where} — {verdict(c, ages)}{level}",
        f"  - id: {c.id}",
        f"    seed: {c.seed.id}",
        f"    quote: {json.dumps(c.text, ensure_ascii=False)}",
    ]


def excerpt_listing(
    seed: Seed,
    policy: Policy,
    ages: resolved.Ages | None,
    *,
    whole: bool,
    grep: str,
    paragraphs: tuple[int, int] | None,
    allowed_only: bool,
    accepts: Callable[[Candidate], bool] | None = None,
) -> Iterator[str]:
    """`lessonpack excerpts`: a YAML list of excerpt entries, grouped by paragraph (with
    `allowed_only`, only those `accepts`: what `check` takes in a spec for these ages)."""
    yield f"# {seed.id}: {_describe(seed)}"
    if ages is not None:
        refused = "passages refused for them are left out" if allowed_only else "'REFUSED' ones cannot be quoted"
        yield f"# ages {ages}: {refused}; 'note' ones print a content note before the excerpt"
    yield "excerpts:"
    shown = 0
    last = 0
    for c in candidates(seed, policy, whole=whole, grep=grep, paragraphs=paragraphs):
        if allowed_only and (c.allowed_from is None or (ages is not None and c.refused(ages.youngest))):
            continue
        if allowed_only and accepts is not None and not accepts(c):
            continue
        if c.paragraph != last:
            yield ""
            last = c.paragraph
        yield from entry(c, ages)
        shown += 1
    if not shown:
        yield "  # nothing matches" + (f" '{grep}'" if grep else "")


def _describe(seed: Seed) -> str:
    title = seed.title if seed.title != "unknown" else "untitled"
    author = seed.author if seed.author != "unknown" else "author unknown"
    return f"{title}; {author}; {seed.date}; {len(seed.paragraphs)} paragraphs"


def seed_listing(seeds: list[Seed]) -> Iterator[str]:
    """`lessonpack seeds`: each essay's id, date, size, author and title, then its summary."""
    for seed in sorted(seeds, key=lambda s: s.id):
        words = sum(len(seed.paragraphs[n - 1].split()) for n in essay_paragraphs(seed))
        refs = f", references from ¶{seed.references_from}" if seed.references_from else ""
        yield f"{seed.id}"
        yield f"  title:  {seed.title}"
        yield f"  author: {seed.author}; date: {seed.date}; publisher: {seed.publisher}"
        yield f"  size:   {len(seed.paragraphs)} paragraphs, {words} words{refs}"
        if seed.summary and seed.summary != "unknown":
            yield from textwrap.wrap(seed.summary, 96, initial_indent="  about:  ", subsequent_indent="          ")
        yield ""
    yield "Find passages to quote with: lessonpack excerpts SEED --ages A-B [--grep WORDS]"


def accepted_by_check(builder: Builder, seed: Seed, ages: resolved.Ages | None) -> Callable[[Candidate], bool]:
    """Whether `check` takes a candidate as the one excerpt of a spec for `ages` (without ages,
    for the youngest the policy allows it for): the very check a spec gets, so `--allowed` never
    offers a passage a spec could not use."""

    def accepts(c: Candidate) -> bool:
        youngest = ages.youngest if ages is not None else max(c.allowed_from or 0, 5)
        oldest = ages.oldest if ages is not None else None
        span = f"{youngest}-{oldest}" if oldest and oldest != youngest else f"{youngest}" if oldest else f"{youngest}+"
        text = (
            f'title: Check\naudience: {{ages: "{span}"}}\nduration: 30\nexcerpts:\n'
            f"  - id: e\n    seed: {seed.id}\n    quote: {json.dumps(c.text, ensure_ascii=False)}\n"
        )
        problems = builder.check_text(text, "excerpt", "check")
        return not any(p.severity == "error" for p in problems)

    return accepts


# ---------------------------------------------------------------------------------------
# lessonpack new: a spec that builds at once, with comments that teach the format.
