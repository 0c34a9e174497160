"""Content guidance for a lesson: what the quoted words contain and what that means for its age."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import Position, Problem
from ..readers import skeleton, validation
from ..readers.policy import Action, Band, Category, Gravity, Policy
from ..readers.resolved import Lesson, ResolvedExcerpt
from ..readers.seed import Seed
from ..readers.typography import typographic
from .judging import (
    REASON_NEEDED,
    Decision,
    Flag,
    Hit,
    decide,
    detect,
    flags,
    reason_ok,
    redact,
    split_by_omissions,
)
from .names import seed_id_problems
from .reading import FORMULA, Reading, reading


@dataclass(frozen=True)
class CitedItem:
    """One printed part of an essay's citation (its author, publisher, title or description), judged
    on its own: its words never count as an extract's."""

    part: str  # "author" | "publisher" | "title" | "description"
    full: str
    printed: str | None  # what pupils read: the full words, a short form, or None (left out)
    decisions: tuple[Decision, ...]  # what the full words trigger, for this audience
    # Why the full words are not printed for pupils: their refused categories, or the categories
    # they name that the extracts themselves do not (empty when printed in full).
    why: tuple[Decision, ...] = ()

    @property
    def shortened(self) -> bool:
        return self.printed != self.full


@dataclass(frozen=True)
class Citation:
    """How an essay is cited for this audience: each printed part of its citation, judged."""

    seed: Seed
    items: tuple[CitedItem, ...] = ()

    def item(self, part: str) -> CitedItem | None:
        return next((i for i in self.items if i.part == part), None)

    def printed(self, part: str) -> str:
        """The words pupils read for a part: its printed form, or "unknown" (left out or unknown)."""
        found = self.item(part)
        return (found.printed or "unknown") if found else "unknown"

    def withheld(self, part: str) -> bool:
        found = self.item(part)
        return found is not None and found.printed is None

    @property
    def shortened(self) -> tuple[CitedItem, ...]:
        return tuple(i for i in self.items if i.shortened)

    def name(self) -> str:
        """How the pupils' citation names the essay, for messages: its title (or what it is) and who
        wrote it."""
        title, description = self.printed("title"), self.printed("description")
        what = (
            f"‘{title}’" if title != "unknown" else (f"the {description}" if description != "unknown" else "the essay")
        )
        who = next((p for p in (self.printed("author"), self.printed("publisher")) if p != "unknown"), None)
        return f"{what} by {who}" if who else what


@dataclass(frozen=True)
class ExcerptGuidance:
    excerpt: ResolvedExcerpt
    decisions: tuple[Decision, ...]  # from the quoted words and the spec's tags only
    hits: tuple[Hit, ...]
    text: tuple[str, ...]  # what is printed: the quote, with redactions where asked
    adapted: bool
    reading: Reading | None = None  # how hard the printed words are to read
    citation: Citation | None = None  # how the essay is cited for this audience

    @property
    def title(self) -> str | None:
        """The essay's title as its citation prints it (None: cited by its description)."""
        if self.citation is None:
            return None if self.excerpt.essay.title == "unknown" else self.excerpt.essay.title
        found = self.citation.item("title")
        return found.printed if found else None

    @property
    def title_shortened(self) -> bool:
        found = self.citation.item("title") if self.citation else None
        return bool(found and found.shortened)

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
    # The spec's own text allowed on the record by its `override` (pupils read it).
    typed: tuple[Decision, ...] = ()
    citations: dict[str, Citation] = field(default_factory=dict)  # by seed id, in order of first use

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

    def raised(self) -> frozenset[str]:
        """The ids of the categories the extracts' own words and tags raise (and that are printed)."""
        return frozenset(c.id for c in self.categories())

    def actions(self) -> set[Action]:
        """The actions the flagged categories ask for (at any age)."""
        return {a for c in self.categories() for a in c.actions}

    def applies(self, action: Action) -> bool:
        """Whether a flagged category asks for `action` and the policy applies it at this age."""
        return action in self.actions() and self.policy.applies(action, self.youngest)

    def level(self) -> Gravity | None:
        """The highest severity present, as shown on the teacher edition's banner."""
        shown = [d for e in self.excerpts.values() for d in e.shown] + list(self.typed)
        ranks = [self.policy.severities[d.flag.level.severity] for d in shown]
        return max(ranks, key=lambda s: s.rank, default=None)

    def overrides(self) -> list[tuple[str, Decision]]:
        return [(x, d) for x, e in self.excerpts.items() for d in e.decisions if d.outcome == "overridden"]


def empty(policy: Policy, youngest: int = 18) -> Guidance:
    return Guidance(policy, youngest, {})


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
    """Flags, decisions and the printed text of one excerpt; `at(loc)` positions problems in the spec.
    Only the quoted words and the spec's tags count; the essay's citation is judged on its own
    (here against this excerpt's categories; `assess` judges it against the whole lesson's)."""

    def here(loc: tuple[str | int, ...]) -> Position:
        return at(loc) if at is not None else excerpt.position

    quoted = excerpt.match.text
    overrides = dict(excerpt.override)
    hits = detect(quoted, policy)
    # An omission cannot split a phrase: the words either side of it are read together too.
    split = split_by_omissions(excerpt.match.closed_up, hits, policy)
    hits += split
    tagged, problems = _tag_flags(excerpt, policy, here)
    all_flags = _merge(flags(hits, policy), tagged, policy)
    # Words put together across an omission cannot be redacted where they are printed.
    unredactable = {h.category for h in split}
    decisions = [
        decide(f, youngest, overrides, excerpt.redact and f.category.id not in unredactable) for f in all_flags
    ]
    redacted = {d.flag.category.id for d in decisions if d.outcome == "redacted"}
    text = quoted
    if redacted:
        text = redact(text, [h for h in hits if h.category in redacted])
    found = ExcerptGuidance(
        excerpt,
        tuple(decisions),
        tuple(hits),
        _with_ellipses(text, excerpt.match),
        bool(redacted),
        reading(" ".join(text), keywords),
    )
    raised = frozenset(d.flag.category.id for d in found.read)
    return replace(found, citation=cite(excerpt.essay, youngest, policy, raised)), problems


def _with_ellipses(text: tuple[str, ...], match: Any) -> tuple[str, ...]:
    """The printed paragraphs with an ellipsis where the quote starts or ends inside a sentence."""
    out = list(text)
    if out and match.starts_mid:
        out[0] = "…" + out[0]
    if out and match.ends_mid:
        out[-1] = out[-1] + "…"
    return tuple(out)


def title_forms(title: str) -> list[str]:
    """A title and its shorter forms, longest first: the whole title, then the main title before a
    colon or a dash ("“No Going Back”: Allyship in …" -> "“No Going Back”")."""
    forms = [title]
    for mark in (": ", " — ", " – ", " - "):
        head = title.split(mark, 1)[0].strip()
        if head and head != title and head not in forms:
            forms.append(head)
    return forms


# The parts of a citation that print an essay's own words, in the order a citation prints them.
CITED_PARTS = ("author", "publisher", "title", "description")


def cite(seed: Seed, youngest: int, policy: Policy, raised: frozenset[str]) -> Citation:
    """How an essay is cited for this audience. Each part is printed in full only when no word of it
    is refused and either the class's youngest age is at least the policy's full_citation_age or
    every category it triggers is among `raised` (what the lesson's extracts themselves trigger);
    otherwise a title is cited by its main title, and any part with no such form is left out."""
    items = []
    for part in CITED_PARTS:
        full = getattr(seed, part)
        if full == "unknown":
            continue
        forms = title_forms(full) if part == "title" else [full]
        judged = [_judge(form, youngest, policy, raised) for form in forms]
        decisions, why = judged[0]
        printed = next((form for form, (_, no) in zip(forms, judged, strict=True) if not no), None)
        items.append(CitedItem(part, full, printed, decisions, why if printed != full else ()))
    return Citation(seed, tuple(items))


def _judge(
    words: str, youngest: int, policy: Policy, raised: frozenset[str]
) -> tuple[tuple[Decision, ...], tuple[Decision, ...]]:
    """The decisions of a citation's words, and those that keep them from pupils."""
    decisions = tuple(decide(f, youngest, {}, False) for f in flags(detect((words,), policy), policy))
    full_age = youngest >= policy.full_citation_age
    why = tuple(d for d in decisions if d.outcome == "refused" or not (full_age or d.flag.category.id in raised))
    return decisions, why


def cite_lesson(excerpts: dict[str, ExcerptGuidance], youngest: int, policy: Policy) -> dict[str, Citation]:
    """Each essay's citation, judged against what all of the lesson's extracts raise: one essay is
    cited the same way wherever it is quoted."""
    raised = frozenset(d.flag.category.id for eg in excerpts.values() for d in eg.read)
    out: dict[str, Citation] = {}
    for eg in excerpts.values():
        seed = eg.excerpt.essay
        if seed.id not in out:
            out[seed.id] = cite(seed, youngest, policy, raised)
    return out


def _override_problems(eg: ExcerptGuidance, policy: Policy, at: Any, key_at: Any) -> list[Problem]:
    problems = []
    outcomes = {d.flag.category.id: d for d in eg.decisions}
    for cat_id, reason in eg.excerpt.override.items():
        where = key_at(("override", cat_id))
        if cat_id not in policy.categories:
            problems.append(
                Problem(where, f"unknown category '{cat_id}'" + validation.suggest(cat_id, list(policy.categories)))
            )
            continue
        decision = outcomes.get(cat_id)
        if not reason_ok(reason):
            problems.append(Problem(at(("override", cat_id)), REASON_NEEDED))
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
    excerpts: dict[str, ExcerptGuidance] = {}
    typed, problems = _typed_text(lesson, policy)
    problems += _spec_override_problems(lesson, typed, policy)
    keywords = frozenset(k.term.lower() for k in lesson.spec.keywords)
    for ex in lesson.excerpts:
        base: tuple[str | int, ...] = ("excerpts", ex.index)

        def at(loc: tuple[str | int, ...], base: tuple[str | int, ...] = base) -> Position:
            return lesson.at((*base, *loc))

        def key_at(loc: tuple[str | int, ...], base: tuple[str | int, ...] = base) -> Position:
            return lesson.key_at((*base, *loc))

        eg, found = assess_excerpt(ex, youngest, policy, at, keywords)
        problems += found
        problems += _override_problems(eg, policy, at, key_at)
        problems += _reading_problems(eg, lesson, policy, at)
        problems += _length_problems(ex, policy, at)
        for d in eg.decisions:
            if d.outcome == "refused":
                where = at(("quote",))
                if d.flag.words:
                    where = lesson.find((*base, "quote"), d.flag.words[0])
                problems.append(Problem(where, refusal(ex, d, youngest)))
        excerpts[ex.id] = eg
    citations = cite_lesson(excerpts, youngest, policy)
    problems += seed_id_problems(lesson, {sid: c.name() for sid, c in citations.items()})
    excerpts = {x: replace(eg, citation=citations[eg.excerpt.essay.id]) for x, eg in excerpts.items()}
    return Guidance(policy, youngest, excerpts, tuple(typed), citations), problems


def _typed_text(lesson: Lesson, policy: Policy) -> tuple[list[Decision], list[Problem]]:
    """Words the teacher typed that this audience may not read, in every text of the spec by the
    readers its field declares (readers.printed): an error at the word where pupils read it (the
    handout or a slide) unless the spec's `override` allows the category on the record, a warning
    where only the teacher does. Each text is judged as it prints and reads: typographic, with
    look-alike letters as the Latin letters they show (skeleton.fold). Returns the overridden
    decisions (printed in the teacher edition) and the problems."""
    youngest = lesson.ages.youngest
    overrides = dict(lesson.spec.override)
    overridden: dict[str, Decision] = {}
    problems: list[Problem] = []
    for text in lesson.texts:
        who = text.declared
        if who.judged != "typed" or not who.readers:
            continue
        shown = typographic(text.text)
        hits = detect((shown,), policy) + (detect((text.text,), policy) if shown != text.text else [])
        for flag in flags(hits, policy):
            pupils = who.pupils
            decision = decide(flag, youngest, overrides if pupils else {}, False)
            if decision.outcome == "overridden":
                overridden.setdefault(flag.category.id, decision)
                continue
            if decision.outcome != "refused":
                continue
            word = flag.words[0]
            where = lesson.find(text.loc, word)
            message = _typed_refusal(flag, decision, youngest, word, pupils)
            problems.append(Problem(where, message, "error" if pupils else "warning"))
    return list(overridden.values()), problems


def _typed_refusal(flag: Flag, decision: Decision, youngest: int, word: str, pupils: bool) -> str:
    allowed = f"allowed from {decision.youngest}" if decision.youngest is not None else "never in a student pack"
    seen = skeleton.lookalikes(word)  # a word matched only as it reads says what it hides
    reads = f"“{word}”"
    if seen:
        reads = f"‘{word}’ contains {', '.join(seen)} and reads as “{skeleton.reads_as(word)}”, which"
    said = (
        f"{reads} is {flag.category.label.lower()} ({flag.level.label}), {allowed}, and the audience's youngest age "
        f"is {youngest}; "
    )
    if not pupils:
        return said + "only the teacher reads this, but reword it for this class"
    remedy = "pupils read this (the handout or a slide): reword it"
    if flag.level.overridable:
        remedy += f", or add 'override: {{{flag.category.id}: REASON}}' to the spec"
    return said + remedy


def _spec_override_problems(lesson: Lesson, used: list[Decision], policy: Policy) -> list[Problem]:
    """The spec's own `override`: a known category, a written reason, and a use."""
    problems = []
    used_ids = {d.flag.category.id for d in used}
    for cat_id, reason in lesson.spec.override.items():
        where = lesson.key_at(("override", cat_id))
        if cat_id not in policy.categories:
            problems.append(
                Problem(where, f"unknown category '{cat_id}'" + validation.suggest(cat_id, list(policy.categories)))
            )
        elif not reason_ok(reason):
            problems.append(Problem(lesson.at(("override", cat_id)), REASON_NEEDED))
        elif cat_id not in used_ids:
            problems.append(
                Problem(
                    where,
                    f"override of '{cat_id}' is not needed: no text of the lesson's own that pupils read has "
                    "words this audience would be refused; remove it",
                    "warning",
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
        f"{lesson.path}: {lesson.spec.title} — ages {lesson.ages} (youngest {lesson.ages.youngest}); "
        f"policy: {policy.name}; note wording: {found.band}"
    ]
    for i, (ex_id, eg) in enumerate(found.excerpts.items(), 1):
        ex = eg.excerpt
        paras = ", ".join(str(p) for p in ex.match.paragraphs)
        lines.append(f"  extract {i} '{ex_id}' ({ex.essay.id} ¶{paras}, line {ex.position.line}):")
        if not eg.decisions:
            lines.append("    nothing flagged")
        for d in eg.decisions:
            flag = d.flag
            allowed = f"allowed from {d.youngest}" if d.youngest is not None else "never allowed in a student pack"
            words = ", ".join(f"“{w}”" for w in flag.words)
            evidence = f"words {words}" if words else ""
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
    for d in found.typed:
        words = ", ".join(f"“{w}”" for w in d.flag.words)
        lines.append(
            f"  the lesson's own text: {d.flag.category.id}/{d.flag.level.id}: words {words} → OVERRIDDEN "
            f"(reason: {d.reason})"
        )
    for cited in found.citations.values():
        lines += _explain_citation(cited)
    level = found.level()
    lines.append(f"  highest level: {level.label if level else 'none'}")
    return lines


def _explain_citation(cited: Citation) -> list[str]:
    """A citation's judged parts, for --explain: what each triggers, and what pupils read."""
    lines = [f"  citation of '{cited.seed.id}' (judged apart from the extracts):"]
    for item in cited.items:
        if not item.decisions and not item.shortened:
            continue
        if not item.shortened:
            shown = "printed in full"
        else:
            shown = f"pupils read {item.printed!r}" if item.printed else "left out for pupils"
        found = "; ".join(
            f"{d.flag.category.id}/{d.flag.level.id} “{'”, “'.join(d.flag.words)}”" for d in item.decisions
        )
        lines.append(f"    {item.part} {item.full!r}: {found or 'nothing flagged'} → {shown}")
    return lines if len(lines) > 1 else []
