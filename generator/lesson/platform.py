"""What a learning platform takes from a lesson besides its documents: its multiple-choice quizzes in
the order they are taught, each question named, and the titles its files carry there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..readers.resolved import Lesson
from ..readers.schema import Activity, MultipleChoice
from .wording import Wording


@dataclass(frozen=True)
class QuizSet:
    """One quiz as a platform imports it: a title, and each question with its name there."""

    key: str  # unique in the pack, lower-case letters, digits and '-' ("starter", "checks-2", "exit")
    title: str
    items: tuple[MultipleChoice, ...]
    names: tuple[str, ...]  # each question's name, in the quiz's order


@dataclass(frozen=True)
class Titles:
    """What the pupils' files are called on the platform."""

    page: str
    pdf: str
    docx: str
    slides: str


def quizzes(lesson: Lesson, wording: Wording) -> tuple[QuizSet, ...]:
    """Every multiple-choice quiz of the lesson, in the order it is taught: the starter quiz (where an
    activity does it, else first), each activity's checks for understanding (before the quiz that
    activity does), then the exit quiz (where an activity does it, else last). Empty quizzes are left
    out. Every learning-platform export lists its quizzes from here and nowhere else."""
    labels = wording.labels

    def quiz(key: str, title: str, items: Sequence[MultipleChoice]) -> QuizSet:
        names = tuple(labels.quiz_slide_title(title, n) for n in range(1, len(items) + 1))
        return QuizSet(key, title, tuple(items), names)

    starter = quiz("starter", labels.starter_quiz_heading, lesson.spec.starter_quiz)
    exit_quiz = quiz("exit", labels.exit_quiz_heading, lesson.spec.exit_quiz)

    def checks(n: int, activity: Activity) -> QuizSet:
        return quiz(f"checks-{n}", labels.checks_quiz_title(activity.title), activity.checks)

    placed = {a.quiz for a in lesson.spec.activities if a.quiz}
    found: list[QuizSet] = [] if "starter" in placed else [starter]
    for n, activity in enumerate(lesson.spec.activities, 1):
        found.append(checks(n, activity))
        if activity.quiz:
            found.append(starter if activity.quiz == "starter" else exit_quiz)
    if "exit" not in placed:
        found.append(exit_quiz)
    unique = {q.key: q for q in found if q.items}  # a quiz named by two activities is done once
    return tuple(unique.values())


def titles(wording: Wording, pupils: str) -> Titles:
    """The pupils' files' titles: `pupils` is their edition's name (student, participant)."""
    labels = wording.labels
    handout = labels.edition_labels[pupils]
    return Titles(
        page=labels.platform_file(handout, "html"),
        pdf=labels.platform_file(handout, "pdf"),
        docx=labels.platform_file(handout, "docx"),
        slides=labels.platform_file(labels.deck_label, "pptx"),
    )
