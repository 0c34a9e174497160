"""Checks across the parts of a whole lesson that no single key can make: which activity reads which
excerpt, the quizzes' options, keywords defined once and used, words pupils are asked to look up.

They read the parsed YAML itself (not the validated spec), so that a mistake in one part never
hides a mistake in another; every problem is placed at the words it is about."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import Problem
from . import source, validation
from .resolved import ResolvedExcerpt

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


def _items(value: Any, key: str) -> list[Any]:
    items = value.get(key) if isinstance(value, dict) else None
    return items if isinstance(items, list) else []


def _fold(text: str) -> str:
    """Text compared as a reader would: case, quotes, dashes and spacing aside."""
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[-–—]", " ", text).split()).strip(" .,;:!?")


def check(loaded: source.Loaded, quoted: list[ResolvedExcerpt], excerpt_ids: dict[str, int]) -> list[Problem]:
    """Every problem across the lesson's parts (errors and warnings)."""
    value = loaded.value
    return [
        *_activities(loaded, value, excerpt_ids),
        *_quizzes(loaded, value),
        *_cycles(loaded, value),
        *_keywords(loaded, value, quoted),
        *_responses(loaded, value),
        *_key_points(loaded, value),
    ]


def _activities(loaded: source.Loaded, value: Any, excerpt_ids: dict[str, int]) -> Iterator[Problem]:
    """Each excerpt read in one activity at most; known excerpts only; each quiz done once."""
    read_in: dict[str, int] = {}
    quiz_in: dict[str, int] = {}
    for ai, activity in enumerate(_items(value, "activities")):
        names = _items(activity, "excerpts")
        here: set[str] = set()
        for ri, ref in enumerate(names):
            if not isinstance(ref, str):
                continue
            where = loaded.at(("activities", ai, "excerpts", ri))
            if ref not in excerpt_ids:
                hint = validation.suggest(ref, list(excerpt_ids)) or f"; excerpts here: {', '.join(excerpt_ids)}"
                yield Problem(where, f"no excerpt has the id '{ref}'{hint}")
            elif ref in here:
                yield Problem(where, f"activity {ai + 1} names excerpt '{ref}' twice; name it once")
            elif ref in read_in:
                yield Problem(where, f"excerpt '{ref}' is already read in activity {read_in[ref] + 1}; read it in one")
            here.add(ref)
            read_in.setdefault(ref, ai)
        quiz = activity.get("quiz") if isinstance(activity, dict) else None
        if isinstance(quiz, str) and quiz in ("starter", "exit"):
            if quiz in quiz_in:
                yield Problem(
                    loaded.at(("activities", ai, "quiz")),
                    f"the {quiz} quiz is already done in activity {quiz_in[quiz] + 1}",
                )
            elif not _items(value, f"{quiz}_quiz"):
                yield Problem(
                    loaded.at(("activities", ai, "quiz")),
                    f"this activity does the {quiz} quiz, but the spec has no '{quiz}_quiz'",
                    "warning",
                )
            quiz_in.setdefault(quiz, ai)
    if read_in:
        for ex_id, i in excerpt_ids.items():
            if ex_id not in read_in:
                yield Problem(
                    loaded.at(("excerpts", i, "id")),
                    f"excerpt '{ex_id}' is read in no activity; add it to the 'excerpts' of the activity that "
                    "reads it (until then it is printed after the last activity)",
                    "warning",
                )


def _quiz_items(value: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every multiple-choice item with where it is: the quizzes' questions and each activity's checks."""
    for key in ("starter_quiz", "exit_quiz"):
        for qi, item in enumerate(_items(value, key)):
            yield (key, qi), item
    for ai, activity in enumerate(_items(value, "activities")):
        for ci, item in enumerate(_items(activity, "checks")):
            yield ("activities", ai, "checks", ci), item


def _quizzes(loaded: source.Loaded, value: Any) -> Iterator[Problem]:
    """One correct answer and distinct distractors, none of them the answer (quizzes and checks alike)."""
    for where, item in _quiz_items(value):
        if not isinstance(item, dict):
            continue
        answer = item.get("answer")
        seen: dict[str, int] = {_fold(answer): -1} if isinstance(answer, str) else {}
        for di, option in enumerate(_items(item, "distractors")):
            if not isinstance(option, str) or not option.strip():
                continue
            folded = _fold(option)
            if folded in seen:
                what = "is the answer" if seen[folded] == -1 else f"repeats distractor {seen[folded] + 1}"
                yield Problem(
                    loaded.at((*where, "distractors", di)),
                    f"this distractor {what}; each option must be different (one correct answer)",
                )
            seen.setdefault(folded, di)


MIN_CHECKS = 2  # checks for understanding in a cycle that reads an extract (Oak's minimum)


def _cycles(loaded: source.Loaded, value: Any) -> Iterator[Problem]:
    """Each activity's learning cycle in teaching order: an activity that explains and reads an extract
    checks understanding at least twice; checks come after an explanation (the deck shows an activity's
    explanation, then its checks), so an activity with checks and no explanation of its own would check
    what the deck has not yet explained."""
    for ai, activity in enumerate(_items(value, "activities")):
        if not isinstance(activity, dict):
            continue
        explain, checks = activity.get("explain"), _items(activity, "checks")
        if checks and not explain:
            yield Problem(
                loaded.key_at(("activities", ai, "checks")),
                f"activity {ai + 1}'s check slides would come before its explanation: it has 'checks' but no "
                "'explain'; add the explanation they check (a point a line)",
                "warning",
            )
        elif isinstance(explain, list) and explain and _items(activity, "excerpts") and len(checks) < MIN_CHECKS:
            yield Problem(
                loaded.key_at(("activities", ai, "explain")),
                f"activity {ai + 1} explains and reads an extract but has {len(checks) or 'no'} "
                f"check{'' if len(checks) == 1 else 's'} for understanding; add at least {MIN_CHECKS} "
                "(quick questions the class answers before the task)",
                "warning",
            )


_NOT_WORD = re.compile(r"[^\w’'-]+")


def _words(text: str) -> str:
    """Text as words between single spaces, with a space at each end (for whole-word searches)."""
    return " " + _fold(_NOT_WORD.sub(" ", text)) + " "


def _printed(value: Any, quoted: list[ResolvedExcerpt]) -> str:
    """Everything a pack prints for pupils, folded: where a keyword must appear."""
    parts = [p for e in quoted for p in e.match.text]
    skip = (("keywords",), ("teacher_notes",), ("misconceptions",))
    parts += [s for loc, s in _strings(value) if loc[:1] not in skip]
    return _words(" ".join(parts))


def _strings(value: Any) -> list[tuple[tuple[str | int, ...], str]]:
    loaded = source.Loaded("", value)
    return loaded.strings()


def _keywords(loaded: source.Loaded, value: Any, quoted: list[ResolvedExcerpt]) -> Iterator[Problem]:
    """Each keyword defined once and used somewhere in the pack; every word a question or step asks
    pupils to look up has a keyword entry."""
    terms: dict[str, int] = {}
    keywords = _items(value, "keywords")
    printed = _printed(value, quoted) if keywords else ""
    for ki, entry in enumerate(keywords):
        term = entry.get("term") if isinstance(entry, dict) else None
        if not isinstance(term, str) or not term.strip():
            continue
        folded = _fold(term)
        where = loaded.at(("keywords", ki, "term"))
        if folded in terms:
            yield Problem(where, f"keyword '{term}' is already defined (keyword {terms[folded] + 1}); define it once")
            continue
        terms[folded] = ki
        if not any(re.search(rf" {re.escape(_words(form).strip())}", printed) for form in _forms(term)):
            yield Problem(where, f"keyword '{term}' appears nowhere in the pack; use it or remove it", "warning")
    for loc, text in _strings(value):
        is_question = loc[:1] == ("questions",) and loc[-1:] == ("text",)
        is_step = loc[:1] == ("activities",) and len(loc) >= 2 and loc[-2] == "steps"
        if not (is_question or is_step):
            continue
        asked = [t for m in _LOOK_UP.finditer(text) for t in _TERM.findall(m.group("list") or m.group("one") or "")]
        for word in asked:
            if len(word.split()) <= _MAX_TERM_WORDS and not _known(word, terms):
                yield Problem(
                    loaded.find_in_value(loc, word),
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


def _responses(loaded: source.Loaded, value: Any) -> Iterator[Problem]:
    """`lines:` is short for `response: {lines: N}`: one or the other."""
    for key in ("questions", "activities"):
        for i, item in enumerate(_items(value, key)):
            if isinstance(item, dict) and "lines" in item and "response" in item:
                yield Problem(
                    loaded.key_at((key, i, "lines")),
                    "give 'lines' or 'response', not both ('lines: N' is short for 'response: {lines: N}')",
                )


def _key_points(loaded: source.Loaded, value: Any) -> Iterator[Problem]:
    points = _items(value, "key_points")
    low, high = KEY_POINTS
    if points and not low <= len(points) <= high:
        yield Problem(
            loaded.at(("key_points",)),
            f"a lesson has {low} to {high} key points (this one has {len(points)}): what pupils must remember",
            "warning",
        )
