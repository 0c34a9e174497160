"""Content guidance for a lesson: what the quoted words contain and what that means for its age."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..errors import Position, Problem
from ..readers import validation
from ..readers.corpus import Seed
from ..readers.policy import Action, Band, Category, Level, Policy, Severity
from ..readers.resolved import Lesson, ResolvedExcerpt
from .names import seed_id_problems
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
        what = f"‘{title}’" if title != "unknown" else (
            f"the {description}" if description != "unknown" else "the essay"
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
            return None if self.excerpt.seed.title == "unknown" else self.excerpt.seed.title
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
    """Flags, decisions and the printed text of one excerpt; `at(loc)` positions problems in the spec.
    Only the quoted words and the spec's tags count; the essay's citation is judged on its own
    (here against this excerpt's categories; `assess` judges it against the whole lesson's)."""

    def here(loc: tuple[str | int, ...]) -> Position:
        return at(loc) if at is not None else excerpt.position

    quoted = excerpt.match.text
    overrides = dict(excerpt.override)
    hits = detect(quoted, policy)
    tagged, problems = _tag_flags(excerpt, policy, here)
    all_flags = _merge(flags(hits, policy), tagged, policy)
    decisions = [decide(f, youngest, overrides, excerpt.redact) for f in all_flags]
    redacted = {d.flag.category.id for d in decisions if d.outcome == "redacted"}
    text = quoted
    if redacted:
        text = redact(text, [h for h in hits if h.category in redacted])
    found = ExcerptGuidance(
        excerpt, tuple(decisions), tuple(hits), _with_ellipses(text, excerpt.match), bool(redacted),
        reading(" ".join(text), keywords),
    )
    raised = frozenset(d.flag.category.id for d in found.read)
    return replace(found, citation=cite(excerpt.seed, youngest, policy, raised)), problems


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
        seed = eg.excerpt.seed
        if seed.id not in out:
            out[seed.id] = cite(seed, youngest, policy, raised)
    return out


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
    citations = cite_lesson(excerpts, youngest, policy)
    problems += seed_id_problems(lesson, {sid: c.name() for sid, c in citations.items()})
    excerpts = {x: replace(eg, citation=citations[eg.excerpt.seed.id]) for x, eg in excerpts.items()}
    return Guidance(policy, youngest, excerpts, citations), problems


# What a teacher types that pupils read (or that is read aloud to them), by where it is in a spec;
# and the quiz, where a word the audience may not read is an error, not a warning.
_TYPED = ("title", "summary", "outcome", "key_points", "keywords", "misconceptions", "questions", "activities",
          "excerpts")
_QUIZZES = ("starter_quiz", "exit_quiz")
_NOT_READ = {"answer", "notes", "quote", "seed", "id", "tags", "override", "kind", "excerpts", "quiz"}


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
        if top not in _TYPED + _QUIZZES or any(part in _NOT_READ for part in loc[1:] if isinstance(part, str)):
            continue
        hits = detect((text,), policy)
        for flag in flags(hits, policy):
            decision = decide(flag, youngest, {}, False)
            if decision.outcome != "refused":
                continue
            quiz = top in _QUIZZES
            allowed = (
                f"allowed from {decision.youngest}" if decision.youngest is not None else "never in a student pack"
            )
            problems.append(
                Problem(
                    loaded.find_in_value(loc, flag.words[0]),
                    f"“{flag.words[0]}” is {flag.category.label.lower()} ({flag.level.label}), {allowed}, and the "
                    f"audience's youngest age is {youngest}; "
                    + ("a quiz may not print it: reword this option" if quiz else "reword it for this class"),
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
