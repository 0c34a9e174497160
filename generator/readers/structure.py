"""Checks across the parts of a whole lesson that no single key can make: which activity reads which
excerpt, the quizzes' options, keywords defined once and used, words pupils are asked to look up.

They read the parts of the spec that validated (validation.Validated: typed models, key by key and item
by item), so that a mistake in one part never hides a mistake in another; every problem is placed at
the words it is about (the models' values have the same paths as the file's)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..errors import Problem
from . import printed, validation
from .resolved import ResolvedExcerpt
from .schema import Activity, Keyword, MultipleChoice, Question, QuizItem, Spec
from .source import Places

KEY_POINTS = (2, 4)  # how many key points a lesson should have
# A step or question that sends pupils to look up words: "Check the meaning of “magnitude” and
# “imbalance of power”", "What does “consent” mean?", "Define “ally”" (not "what does the writer
# mean by …", which asks what a passage means, not a word).
_QUOTED = r"[“\"‘']([^“”\"‘’']{2,40})[”\"’'](?!\w)"
_LOOK_UP = re.compile(
    r"\b(?:meanings? of|defin(?:e|ition of|itions of))\b(?P<list>(?:[\s,;]*(?:and\s+)?" + _QUOTED + r")+)"
    r"|\bwhat (?:does|do) (?P<one>" + _QUOTED + r") mean\b",
    re.IGNORECASE,
)
_TERM = re.compile(_QUOTED)
_MAX_TERM_WORDS = 4


def _fold(text: str) -> str:
    """Text compared as a reader would: as it prints (typographic, composed, look-alike letters
    as Latin), case, quotes, dashes and spacing aside."""
    return printed.printed_form(text)


Loc = tuple[str | int, ...]


def check(
    places: Places, parts: validation.Validated[Spec], quoted: list[ResolvedExcerpt], excerpt_ids: dict[str, int]
) -> list[Problem]:
    """Every problem across the lesson's parts (errors and warnings)."""
    activities = parts.each("activities", Activity)
    questions = parts.each("questions", Question)
    quizzes = {which: parts.each(f"{which}_quiz", QuizItem) for which in ("starter", "exit")}
    choices: list[tuple[Loc, MultipleChoice]] = [
        *((("starter_quiz", i), item) for i, item in quizzes["starter"]),
        *((("exit_quiz", i), item) for i, item in quizzes["exit"]),
        *((("activities", ai, "checks", ci), c) for ai, a in activities for ci, c in enumerate(a.checks)),
    ]
    given = {which for which in quizzes if parts.count(f"{which}_quiz")}
    answering: list[tuple[str, int, Question | Activity]] = [("questions", i, q) for i, q in questions]
    answering += [("activities", i, a) for i, a in activities]
    return [
        *_activities(places, activities, parts.count("activities"), excerpt_ids, given),
        *_quizzes(places, choices),
        *_cycles(places, activities),
        *_keywords(places, parts, parts.each("keywords", Keyword), questions, activities, quoted),
        *_responses(places, answering),
        *_key_points(places, parts.value("key_points", list)),
    ]


def _activities(
    places: Places, activities: list[tuple[int, Activity]], every: int, excerpt_ids: dict[str, int], quizzes: set[str]
) -> Iterator[Problem]:
    """Each excerpt read in one activity at most; known excerpts only; each quiz done once."""
    read_in: dict[str, int] = {}
    quiz_in: dict[str, int] = {}
    for ai, activity in activities:
        here: set[str] = set()
        for ri, ref in enumerate(activity.excerpts):
            where = places.at(("activities", ai, "excerpts", ri))
            if ref not in excerpt_ids:
                hint = validation.suggest(ref, list(excerpt_ids)) or f"; excerpts here: {', '.join(excerpt_ids)}"
                yield Problem(where, f"no excerpt has the id '{ref}'{hint}")
            elif ref in here:
                yield Problem(where, f"activity {ai + 1} names excerpt '{ref}' twice; name it once")
            elif ref in read_in:
                yield Problem(where, f"excerpt '{ref}' is already read in activity {read_in[ref] + 1}; read it in one")
            here.add(ref)
            read_in.setdefault(ref, ai)
        quiz = activity.quiz
        if quiz is not None:
            if quiz in quiz_in:
                yield Problem(
                    places.at(("activities", ai, "quiz")),
                    f"the {quiz} quiz is already done in activity {quiz_in[quiz] + 1}",
                )
            elif quiz not in quizzes:
                yield Problem(
                    places.at(("activities", ai, "quiz")),
                    f"this activity does the {quiz} quiz, but the spec has no '{quiz}_quiz'",
                    "warning",
                )
            quiz_in.setdefault(quiz, ai)
    if read_in and len(activities) == every:  # (an activity that did not validate may read the others)
        for ex_id, i in excerpt_ids.items():
            if ex_id not in read_in:
                yield Problem(
                    places.at(("excerpts", i, "id")),
                    f"excerpt '{ex_id}' is read in no activity; add it to the 'excerpts' of the activity that "
                    "reads it (until then it is printed after the last activity)",
                    "warning",
                )


def _quizzes(places: Places, items: list[tuple[Loc, MultipleChoice]]) -> Iterator[Problem]:
    """One correct answer and distinct distractors, none of them the answer (quizzes and checks alike)."""
    for where, item in items:
        seen: dict[str, int] = {_fold(item.answer): -1}
        for di, option in enumerate(item.distractors):
            folded = _fold(option)
            if folded in seen:
                what = "is the answer" if seen[folded] == -1 else f"repeats distractor {seen[folded] + 1}"
                yield Problem(
                    places.at((*where, "distractors", di)),
                    f"this distractor {what}; each option must be different (one correct answer)",
                )
            seen.setdefault(folded, di)


MIN_CHECKS = 2  # checks for understanding in a cycle that reads an extract (Oak's minimum)


def _cycles(places: Places, activities: list[tuple[int, Activity]]) -> Iterator[Problem]:
    """Each activity's learning cycle in teaching order: an activity that explains and reads an extract
    checks understanding at least twice; checks come after an explanation (the deck shows an activity's
    explanation, then its checks), so an activity with checks and no explanation of its own would check
    what the deck has not yet explained."""
    for ai, activity in activities:
        explain, checks = activity.explain, activity.checks
        if checks and not explain:
            yield Problem(
                places.key_at(("activities", ai, "checks")),
                f"activity {ai + 1}'s check slides would come before its explanation: it has 'checks' but no "
                "'explain'; add the explanation they check (a point a line)",
                "warning",
            )
        elif explain and activity.excerpts and len(checks) < MIN_CHECKS:
            yield Problem(
                places.key_at(("activities", ai, "explain")),
                f"activity {ai + 1} explains and reads an extract but has {len(checks) or 'no'} "
                f"check{'' if len(checks) == 1 else 's'} for understanding; add at least {MIN_CHECKS} "
                "(quick questions the class answers before the task)",
                "warning",
            )


_NOT_WORD = re.compile(r"[^\w’'-]+")


def _words(text: str) -> str:
    """Text as words between single spaces, with a space at each end (for whole-word searches)."""
    return " " + _fold(_NOT_WORD.sub(" ", text)) + " "


def _printed(parts: validation.Validated[Spec], quoted: list[ResolvedExcerpt]) -> str:
    """Everything a pack prints for pupils, folded: where a keyword must appear."""
    words = [p for e in quoted for p in e.match.text]
    skip = (("keywords",), ("teacher_notes",), ("misconceptions",))
    words += [s for loc, s in parts.strings() if loc[:1] not in skip]
    return _words(" ".join(words))


def _keywords(
    places: Places,
    parts: validation.Validated[Spec],
    keywords: list[tuple[int, Keyword]],
    questions: list[tuple[int, Question]],
    activities: list[tuple[int, Activity]],
    quoted: list[ResolvedExcerpt],
) -> Iterator[Problem]:
    """Each keyword defined once and used somewhere in the pack; every word a question or step asks
    pupils to look up has a keyword entry."""
    terms: dict[str, int] = {}
    printed = _printed(parts, quoted) if keywords else ""
    for ki, entry in keywords:
        term = entry.term
        folded = _fold(term)
        where = places.at(("keywords", ki, "term"))
        if folded in terms:
            yield Problem(where, f"keyword '{term}' is already defined (keyword {terms[folded] + 1}); define it once")
            continue
        terms[folded] = ki
        if not any(re.search(rf" {re.escape(_words(form).strip())}", printed) for form in _forms(term)):
            yield Problem(where, f"keyword '{term}' appears nowhere in the pack; use it or remove it", "warning")
    asking: list[tuple[Loc, str]] = [(("questions", qi, "text"), q.text) for qi, q in questions]
    asking += [(("activities", ai, "steps", si), step) for ai, a in activities for si, step in enumerate(a.steps)]
    asking.sort(key=lambda found: places.at(found[0]))  # in the file's order
    for loc, text in asking:
        asked = [t for m in _LOOK_UP.finditer(text) for t in _TERM.findall(m.group("list") or m.group("one") or "")]
        for word in asked:
            if len(word.split()) <= _MAX_TERM_WORDS and not _known(word, terms):
                yield Problem(
                    places.find_in_value(loc, word),
                    f"pupils are asked what “{word}” means, but it has no keyword entry; add it to 'keywords' "
                    "with a definition they can understand",
                    "warning",
                )


def _forms(term: str) -> list[str]:
    """A keyword as it may be written: 'designated safeguarding lead (DSL)' is used as either part."""
    inner = re.findall(r"\(([^)]+)\)", term)
    outer = re.sub(r"\s*\([^)]*\)\s*", " ", term).strip()
    return [f for f in (outer, *inner) if f]


def _known(word: str, terms: dict[str, int]) -> bool:
    """Whether a word pupils are asked to look up has a keyword entry (in any of its forms)."""
    folded = _fold(word)
    return any(folded == _fold(form) for term in terms for form in _forms(term))


def _responses(places: Places, items: Sequence[tuple[str, int, Question | Activity]]) -> Iterator[Problem]:
    """`lines:` is short for `response: {lines: N}`: one or the other."""
    for key, i, item in items:
        if {"lines", "response"} <= item.model_fields_set:
            yield Problem(
                places.key_at((key, i, "lines")),
                "give 'lines' or 'response', not both ('lines: N' is short for 'response: {lines: N}')",
            )


def _key_points(places: Places, points: list[str] | None) -> Iterator[Problem]:
    low, high = KEY_POINTS
    if points and not low <= len(points) <= high:
        yield Problem(
            places.at(("key_points",)),
            f"a lesson has {low} to {high} key points (this one has {len(points)}): what pupils must remember",
            "warning",
        )
