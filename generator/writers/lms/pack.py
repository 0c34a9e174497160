"""What the learning-platform writers read: one pack's pupil-facing documents, quizzes and titles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ...lesson.platform import QuizSet, Titles
from ...model import Deck, Document

# Slides that show the class the answers (a quiz's, a check's) or the task's feedback (a model
# answer, success criteria), shown after the class has answered: a pupil on the platform would see
# them first. The handout leaves the feedback out for the same reason.
ANSWER_SLIDES = frozenset({"answers", "check-answer", "feedback"})


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    lang: str
    stem: str  # the pupils' files' names without their endings (ID-student, ID-student-large-print)
    category: str  # the question bank's category: the lesson's title
    quizzes: tuple[QuizSet, ...]
    titles: Titles
    student: Document  # the pupils' edition
    slides: Deck  # the deck as the teacher shows it (speaker notes and answer slides included)
    # A document or deck in another registered format by its name ('pdf', 'html', 'pptx'), or None
    # when no such format is registered.
    render: Callable[[str, Document | Deck], bytes | None]


def pupils_deck(deck: Deck) -> Deck:
    """The deck as pupils may have it: no speaker notes (they are the teacher's), and no slide that
    shows the answers or the feedback."""
    return replace(deck, slides=tuple(replace(s, notes=()) for s in deck.slides if s.kind not in ANSWER_SLIDES))
