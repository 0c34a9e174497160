"""Content guidance for a lesson: what the quoted words contain and what that means for its age."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..errors import Position, Problem
from ..readers import validation
from ..readers.policy import Action, Band, Category, Level, Policy, Severity
from ..readers.resolved import Lesson, ResolvedExcerpt
from .reading import FORMULA, Reading, reading

REDACTED = "[offensive word]"
MIN_REASON_WORDS = 5

Outcome = Literal["allowed", "refused", "overridden", "redacted"]


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
    outcome: Outcome
    youngest: int | None  # the youngest age allowed for this intensity (None: never)
    reason: str = ""


@dataclass(frozen=True)
class ExcerptGuidance:
    excerpt: ResolvedExcerpt
    decisions: tuple[Decision, ...]
    hits: tuple[Hit, ...]
    text: tuple[str, ...]  # what is printed: the quote, with redactions where asked
    adapted: bool
    # The essay's title as its citation prints it: the seed's own title, a shortened form of it
    # when the full title would be refused for this audience, or None (cited by its description).
    title: str | None = None
    # The title's words the audience may not read, when the title is shortened (else empty).
    title_refused: tuple[Decision, ...] = ()
    reading: Reading | None = None  # how hard the printed words are to read

    @property
    def title_shortened(self) -> bool:
        return bool(self.title_refused)

    def in_title_only(self, category: str) -> bool:
        """Whether a category's words are in the cited title and nowhere in the quote."""
        quoted = len(self.excerpt.match.text)
        mine = [h for h in self.hits if h.category == category]
        return bool(mine) and all(h.paragraph >= quoted for h in mine)

    @property
    def shown(self) -> tuple[Decision, ...]:
        """The decisions whose content is printed (everything but refusals)."""
        return tuple(d for d in self.decisions if d.outcome != "refused")

    @property
    def read(self) -> tuple[Decision, ...]:
        """The decisions whose words pupils read (redacted words are not read)."""
        return tuple(d for d in self.shown if d.outcome != "redacted")

    def has(self, action: Action) -> bool:
        return any(action in d.flag.category.actions for d in self.shown)


@dataclass(frozen=True)
class Guidance:
    """Everything compose needs to print guidance, and --explain needs to show it."""

    policy: Policy
    youngest: int
    excerpts: dict[str, ExcerptGuidance]

    @property
    def audience(self) -> Band:
        """The policy's band for this audience: its wording and who reads the pack."""
        return self.policy.audience(self.youngest)

    @property
    def band(self) -> str:
        return self.audience.id

    def categories(self, pupils: bool = False) -> list[Category]:
        """Flagged categories that are printed (for `pupils`: that pupils read), in the policy's order."""
        found = {d.flag.category.id for e in self.excerpts.values() for d in (e.read if pupils else e.shown)}
        return [c for c in self.policy.categories.values() if c.id in found]

    def actions(self) -> set[Action]:
        """The actions the flagged categories ask for (at any age)."""
        return {a for c in self.categories() for a in c.actions}

    def applies(self, action: Action) -> bool:
        """Whether a flagged category asks for `action` and the policy applies it at this age."""
        return action in self.actions() and self.policy.applies(action, self.youngest)

    def level(self) -> Severity | None:
        """The highest severity present, as shown on the teacher edition's banner."""
        ranks = [self.policy.severities[d.flag.level.severity] for e in self.excerpts.values() for d in e.shown]
        return max(ranks, key=lambda s: s.rank, default=None)

    def overrides(self) -> list[tuple[str, Decision]]:
        return [(x, d) for x, e in self.excerpts.items() for d in e.decisions if d.outcome == "overridden"]


def empty(policy: Policy, youngest: int = 18) -> Guidance:
    return Guidance(policy, youngest, {})


# ---------------------------------------------------------------------------------------
# Detection on the quoted words.


def _hits_in(text: str, paragraph: int, policy: Policy) -> list[Hit]:
    entries = policy.entries
    # Each term's matches, in the policy's order (a term's masked words after its words).
    found = policy.matcher.find(text)
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


def detect(paragraphs: tuple[str, ...], policy: Policy) -> list[Hit]:
    """Every place the text matches a term of the policy, paragraph by paragraph."""
    return [h for i, p in enumerate(paragraphs) for h in _hits_in(p, i, policy)]


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
    if reason is not None and flag.level.overridable and _reason_ok(reason):
        return Decision(flag, "overridden", allowed_from, reason)
    return Decision(flag, "refused", allowed_from)


def _reason_ok(reason: str) -> bool:
    return len(reason.split()) >= MIN_REASON_WORDS


def _tag_flags(excerpt: ResolvedExcerpt, policy: Policy, at: Any) -> tuple[list[Flag], list[Problem]]:
    flags_: list[Flag] = []
    problems: list[Problem] = []
    for ti, tag in enumerate(excerpt.tags):
        cat_id, _, level_id = tag.partition("/")
        category = policy.categories.get(cat_id.strip())
        level = None
        if category is not None:
            level = category.level(level_id.strip()) if level_id else category.levels[0]
        if category is None or level is None:
            problems.append(
                Problem(
                    at(("tags", ti)),
                    f"unknown tag '{tag}'"
                    + (validation.suggest(tag, policy.tags()) or f"; tags: {', '.join(policy.tags())}"),
                )
            )
            continue
        flags_.append(Flag(category, level, (), tagged=True))
    return flags_, problems


def _merge(found: list[Flag], tagged: list[Flag], policy: Policy) -> list[Flag]:
    """Tags only ever add: a tag raises a category's intensity, never lowers it."""
    by_cat: dict[str, Flag] = {f.category.id: f for f in found}
    for t in tagged:
        have = by_cat.get(t.category.id)
        if have is None or t.level.rank > have.level.rank:
            by_cat[t.category.id] = t
    return [by_cat[c] for c in policy.categories if c in by_cat]


def assess_excerpt(
    excerpt: ResolvedExcerpt, youngest: int, policy: Policy, at: Any = None, keywords: frozenset[str] = frozenset()
) -> tuple[ExcerptGuidance, list[Problem]]:
    """Flags, decisions and the printed text of one excerpt; `at(loc)` positions problems in the spec."""

    def here(loc: tuple[str | int, ...]) -> Position:
        return at(loc) if at is not None else excerpt.position

    quoted = excerpt.match.text
    overrides = dict(excerpt.override)
    title, title_hits, title_refused = printed_title(excerpt.seed.title, len(quoted), youngest, policy, overrides)
    hits = detect(quoted, policy)
    tagged, problems = _tag_flags(excerpt, policy, here)
    # Every word of the seed that is printed is judged: the quote, and the title in its citation.
    all_flags = _merge(flags(hits + title_hits, policy), tagged, policy)
    decisions = [decide(f, youngest, overrides, excerpt.redact) for f in all_flags]
    redacted = {d.flag.category.id for d in decisions if d.outcome == "redacted"}
    text = quoted
    if redacted:
        text = redact(text, [h for h in hits if h.category in redacted])
    found = ExcerptGuidance(
        excerpt, tuple(decisions), tuple(hits + title_hits), text, bool(redacted), title, title_refused,
        reading(" ".join(text), keywords),
    )
    return found, problems


def title_forms(title: str) -> list[str]:
    """A title and its shorter forms, longest first: the whole title, then the main title before a
    colon or a dash ("“No Going Back”: Allyship in …" -> "“No Going Back”")."""
    forms = [title]
    for mark in (": ", " — ", " – ", " - "):
        head = title.split(mark, 1)[0].strip()
        if head and head != title and head not in forms:
            forms.append(head)
    return forms


def printed_title(
    title: str, paragraph: int, youngest: int, policy: Policy, overrides: dict[str, str]
) -> tuple[str | None, list[Hit], tuple[Decision, ...]]:
    """The longest form of an essay's title this audience may read (None when no form may be
    read, or the essay has no title), its hits (numbered as paragraph `paragraph`, after the
    quote's), and what the full title has that is refused."""
    if title == "unknown":
        return None, [], ()
    refused_in_full: tuple[Decision, ...] = ()
    for i, form in enumerate(title_forms(title)):
        hits = [replace(h, paragraph=paragraph) for h in detect((form,), policy)]
        refused = tuple(
            d for d in (decide(f, youngest, overrides, False) for f in flags(hits, policy)) if d.outcome == "refused"
        )
        if i == 0:
            refused_in_full = refused
        if not refused:
            return form, hits, refused_in_full
    return None, [], refused_in_full


def _override_problems(eg: ExcerptGuidance, policy: Policy, at: Any, key_at: Any) -> list[Problem]:
    problems = []
    outcomes = {d.flag.category.id: d for d in eg.decisions}
    for cat_id, reason in eg.excerpt.override:
        where = key_at(("override", cat_id))
        if cat_id not in policy.categories:
            problems.append(
                Problem(where, f"unknown category '{cat_id}'" + validation.suggest(cat_id, list(policy.categories)))
            )
            continue
        decision = outcomes.get(cat_id)
        if not _reason_ok(reason):
            problems.append(
                Problem(
                    at(("override", cat_id)),
                    f"an override needs a written reason of at least {MIN_REASON_WORDS} words "
                    "(it is printed in the teacher edition)",
                )
            )
        elif decision is None or decision.outcome == "allowed":
            problems.append(
                Problem(where, f"override of '{cat_id}' is not needed for this audience; remove it", "warning")
            )
        elif decision.outcome == "refused" and not decision.flag.level.overridable:
            problems.append(
                Problem(
                    where,
                    f"'{cat_id}' ({decision.flag.level.label}) is never allowed in a student pack "
                    "and cannot be overridden",
                )
            )
    if eg.excerpt.redact and not any(d.outcome == "redacted" for d in eg.decisions):
        problems.append(
            Problem(at(("redact",)), "'redact' has nothing to do: no strong language needs redacting here", "warning")
        )
    return problems


def refusal(excerpt: ResolvedExcerpt, decision: Decision, youngest: int) -> str:
    flag = decision.flag
    words = ", ".join(f"“{w}”" for w in flag.words) or "tagged in the spec"
    allowed = (
        f"the youngest age allowed is {decision.youngest}"
        if decision.youngest is not None
        else "it is never allowed in a student pack"
    )
    remedy = "quote another passage"
    if flag.level.overridable:
        remedy += f", or add 'override: {{{flag.category.id}: REASON}}' to the excerpt"
    if flag.category.redactable and not flag.tagged:
        remedy += ", or set 'redact: true'"
    return (
        f"excerpt '{excerpt.id}' is refused: {flag.category.label.lower()} ({flag.level.label}), "
        f"triggered by {words}; the audience's youngest age is {youngest} and {allowed}; {remedy}"
    )


def assess(lesson: Lesson, policy: Policy) -> tuple[Guidance, list[Problem]]:
    """The guidance for a lesson, and every problem: refusals, unknown tags, missing reasons."""
    youngest = lesson.ages.youngest
    loaded = lesson.loaded
    excerpts: dict[str, ExcerptGuidance] = {}
    problems: list[Problem] = _typed_text_problems(lesson, policy)
    keywords = frozenset(k.term.lower() for k in lesson.keywords)
    for ex in lesson.excerpts:
        base: tuple[str | int, ...] = ("excerpts", ex.index)

        def at(loc: tuple[str | int, ...], base: tuple[str | int, ...] = base) -> Position:
            return loaded.at((*base, *loc)) if loaded else Position(lesson.path)

        def key_at(loc: tuple[str | int, ...], base: tuple[str | int, ...] = base) -> Position:
            return loaded.key_at((*base, *loc)) if loaded else Position(lesson.path)

        eg, found = assess_excerpt(ex, youngest, policy, at, keywords)
        problems += found
        problems += _override_problems(eg, policy, at, key_at)
        problems += _reading_problems(eg, lesson, policy, at)
        problems += _length_problems(ex, policy, at)
        for d in eg.decisions:
            if d.outcome == "refused":
                where = at(("quote",))
                if loaded and d.flag.words:
                    where = loaded.find_in_value((*base, "quote"), d.flag.words[0])
                problems.append(Problem(where, refusal(ex, d, youngest)))
        excerpts[ex.id] = eg
    return Guidance(policy, youngest, excerpts), problems


# What a teacher types that pupils read (or that is read aloud to them), by where it is in a spec;
# and the quiz, where a word the audience may not read is an error, not a warning. An activity's
# learning cycle is read too: its explanation (slides, handout) and feedback (slides) like the
# teacher's other text; its checks, whose options pupils choose between on a slide, like a quiz.
_TYPED = ("title", "summary", "outcome", "key_points", "keywords", "misconceptions", "questions", "activities",
          "excerpts")
_QUIZZES = ("starter_quiz", "exit_quiz")
_CHECKS = "checks"  # an activity's checks for understanding: multiple choice, as a quiz
_NOT_READ = {"answer", "notes", "quote", "seed", "id", "tags", "override", "kind", "excerpts", "quiz"}


def _choice(loc: tuple[str | int, ...]) -> bool:
    """Whether the text at `loc` is part of a multiple-choice item (a quiz question or a check), whose
    answer pupils read among the options (an 'answer' elsewhere is the teacher's guidance)."""
    return bool(loc) and (loc[0] in _QUIZZES or (loc[0] == "activities" and _CHECKS in loc))


def _typed_text_problems(lesson: Lesson, policy: Policy) -> list[Problem]:
    """Words the teacher typed that this audience may not read: a warning at the word (an error in
    a quiz, whose options pupils must read and choose between)."""
    loaded = lesson.loaded
    if loaded is None:
        return []
    youngest = lesson.ages.youngest
    problems: list[Problem] = []
    for loc, text in loaded.strings():
        top = loc[0] if loc else ""
        quiz = _choice(loc)
        skip = _NOT_READ - {"answer"} if quiz else _NOT_READ
        if top not in _TYPED + _QUIZZES or any(part in skip for part in loc[1:] if isinstance(part, str)):
            continue
        hits = detect((text,), policy)
        for flag in flags(hits, policy):
            decision = decide(flag, youngest, {}, False)
            if decision.outcome != "refused":
                continue
            allowed = (
                f"allowed from {decision.youngest}" if decision.youngest is not None else "never in a student pack"
            )
            problems.append(
                Problem(
                    loaded.find_in_value(loc, flag.words[0]),
                    f"“{flag.words[0]}” is {flag.category.label.lower()} ({flag.level.label}), {allowed}, and the "
                    f"audience's youngest age is {youngest}; "
                    + (("a quiz may not print it" if top in _QUIZZES else "a check for understanding may not show it")
                       + ": reword it" if quiz else "reword it for this class"),
                    "error" if quiz else "warning",
                )
            )
    return problems


_QUOTED_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _length_problems(ex: ResolvedExcerpt, policy: Policy, at: Any) -> list[Problem]:
    """A quote of fewer words than the policy's minimum: it says nothing on its own."""
    count = len(_QUOTED_WORD.findall(ex.quote))
    if count >= policy.min_quote_words:
        return []
    words = "no words" if count == 0 else "1 word" if count == 1 else f"{count} words"
    return [
        Problem(
            at(("quote",)),
            f"excerpt '{ex.id}' quotes {words}; quote at least {policy.min_quote_words} (the policy's "
            "min_quote_words) so that the extract means something on its own",
        )
    ]


def _reading_problems(eg: ExcerptGuidance, lesson: Lesson, policy: Policy, at: Any) -> list[Problem]:
    """An excerpt that reads well above the class's oldest age (by more than the policy's margin)."""
    oldest = lesson.ages.oldest
    r = eg.reading
    if r is None or oldest is None or r.age <= oldest + policy.reading_age_margin:
        return []
    hard = f"; its hardest words, as keywords to define: {', '.join(r.hard_words)}" if r.hard_words else ""
    return [
        Problem(
            at(("quote",)),
            f"excerpt '{eg.excerpt.id}' reads at {'an adult level' if r.adult else f'about age {r.age}'} "
            f"({FORMULA} grade {r.grade:g}), more than "
            f"{policy.reading_age_margin} years above the oldest pupil ({oldest}); choose a shorter or plainer "
            f"passage, or prepare the class for it{hard}",
            "warning",
        )
    ]


def explain(lesson: Lesson, found: Guidance) -> list[str]:
    """Every flag with its evidence and decision, for `lessonpack check --explain`."""
    policy = found.policy
    lines = [
        f"{lesson.path}: {lesson.title} — ages {lesson.ages} (youngest {lesson.ages.youngest}); "
        f"policy: {policy.name}; note wording: {found.band}"
    ]
    for i, (ex_id, eg) in enumerate(found.excerpts.items(), 1):
        ex = eg.excerpt
        paras = ", ".join(str(p) for p in ex.match.paragraphs)
        lines.append(f"  extract {i} '{ex_id}' ({ex.seed.id} ¶{paras}, line {ex.position.line}):")
        if eg.title_shortened:
            lines.append(f"    title shortened for these ages: cited as {eg.title or 'no title'!r}")
        if not eg.decisions:
            lines.append("    nothing flagged")
        for d in eg.decisions:
            flag = d.flag
            allowed = f"allowed from {d.youngest}" if d.youngest is not None else "never allowed in a student pack"
            words = ", ".join(f"“{w}”" for w in flag.words)
            evidence = f"words {words}" if words else ""
            if words and eg.in_title_only(flag.category.id):
                evidence += " in the cited title"
            if flag.tagged:
                evidence = (evidence + "; " if evidence else "") + "tagged in the spec"
            outcome = d.outcome.upper()
            if d.outcome == "overridden":
                outcome += f" (reason: {d.reason})"
            lines.append(
                f"    {flag.category.id}/{flag.level.id} [{flag.level.severity}]: {evidence}; {allowed} → {outcome}"
            )
            extra = [h.words for h in eg.hits if h.category == flag.category.id and h.level != flag.level.id]
            if extra:
                lines.append(f"      also: {', '.join(f'“{w}”' for w in dict.fromkeys(extra))}")
            if flag.category.actions and d.outcome != "refused":
                lines.append(f"      actions: {', '.join(sorted(flag.category.actions))}")
    level = found.level()
    lines.append(f"  highest level: {level.label if level else 'none'}")
    return lines
