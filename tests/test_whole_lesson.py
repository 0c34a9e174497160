"""A whole lesson, end to end: a spec that uses every lesson-structure key (written here, not one of
the shipped packs) builds in every format and variant; the handout carries the outcome, the
keywords and tick-box quizzes with no answer anywhere, in lesson order; the teacher edition
carries the key points, misconceptions, answer keys and reading ages."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from generator.cli import main
from generator.readers import source, spec
from generator.readers.corpus import load_corpus
from generator.runners.build import Builder, Project
from tests.tools import body_paragraphs, table_texts

from .tools import pdf_text

ROOT = Path(__file__).resolve().parent.parent

WHOLE = """\
title: Speaking Up Safely
audience:
  ages: 12-14
duration: 45
outcome: I can explain why talking about a problem is a first step, and how to do it safely.
key_points:
  - Talking about a problem brings it into the open.
  - A safe space has ground rules everyone agrees.
  - You can always tell an adult you trust.
prior_knowledge: [What a discussion is.]
keywords:
  - {term: safe space, definition: a place where people can speak honestly without being laughed at}
  - {term: ground rules, definition: rules a group agrees so that everyone can speak and listen}
misconceptions:
  - misconception: Talking changes nothing.
    response: Naming a problem is how people find out that others have seen it too.
starter_quiz:
  - question: What are ground rules?
    answer: Rules a group agrees so everyone can speak
    distractors: [Rules for a football match, Rules the teacher keeps secret]
  - question: Who can you talk to if a lesson worries you?
    answer: An adult you trust
    distractors: [Nobody at all, Only someone your age]
exit_quiz:
  - question: What is a safe space?
    answer: Where people can speak honestly without being laughed at
    distractors: [A room with a lock on the door, A place where nobody talks]
  - question: What does the writer say is the starting point?
    answer: Bringing the subject to attention
    distractors: [Waiting for a teacher to notice, Keeping quiet about it]
excerpts:
  - id: starting-point
    seed: no-going-back
    quote: Bringing the subject to attention is the starting point.
  - id: safe-spaces
    seed: no-going-back
    quote: It’s therefore important to create ‘safe spaces’ that these conversations can be had in.
questions:
  - text: What does the writer say is "the starting point"?
    excerpts: [starting-point]
    kind: recall
    answer: Bringing the subject to attention.
    response: {lines: 2}
  - text: Draw a map of a classroom where everyone feels safe to speak.
    excerpts: [safe-spaces]
    kind: evaluation
    answer: Look for seating, ground rules on the wall and an adult nearby.
    response: {box: 6}
activities:
  - title: Warm up
    minutes: 5
    quiz: starter
    steps: [Answer the starter quiz on your own.]
  - title: The first extract
    minutes: 10
    excerpts: [starting-point]
    steps: [Read the extract with your teacher.]
  - title: Helps and hinders
    minutes: 15
    excerpts: [safe-spaces]
    steps: [List what helps a safe space and what gets in the way.]
    response: {table: {columns: [Helps, Gets in the way], rows: 3}}
  - title: Close
    minutes: 15
    quiz: exit
    steps: [Answer the exit quiz., Write one thing you will remember.]
    response: {lines: 3}
"""


def text(path: Path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    d = docx.Document(str(path))
    parts = [p.text for p in body_paragraphs(d)] + table_texts(d)
    return " ".join(" ".join(p.split()) for p in parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """(variant, edition, format) -> the built file."""
    folder = tmp_path_factory.mktemp("whole")
    spec_path = folder / "speaking-up-safely.yaml"
    spec_path.write_text(WHOLE, encoding="utf-8")
    out: dict[tuple[str, str, str], Path] = {}
    for variant in ("standard", "large-print"):
        report = Builder(Project(ROOT), variant=variant).build([spec_path], folder / "dist")
        assert report.failed == [], [str(p) for p in report.problems]
        assert [p for p in report.problems if p.severity == "error"] == []
        for (edition, fmt), path in report.paths["speaking-up-safely"].items():
            out[(variant, edition, fmt)] = path
    return out


def test_the_spec_checks_clean() -> None:
    corpus, _ = load_corpus(ROOT / "seeds")
    loaded, _ = source.load_text("whole.yaml", WHOLE)
    assert loaded is not None
    lesson, problems = spec.validate(loaded, corpus, "whole")
    assert lesson is not None and problems == [], [str(p) for p in problems]


@pytest.mark.parametrize("variant", ["standard", "large-print"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_handout_has_the_outcome_keywords_and_quizzes_and_no_answers(
    built: dict[tuple[str, str, str], Path], variant: str, fmt: str
) -> None:
    student = text(built[(variant, "student", fmt)])
    assert "I can explain why talking about a problem is a first step" in student
    assert "safe space: a place where people can speak honestly" in student
    assert "Tick one answer for each question." in student
    for option in ("Rules for a football match", "Where people can speak honestly without being laughed at"):
        assert option in student
    assert "What to remember" in student and "You can always tell an adult you trust." in student
    # No answer anywhere a pupil could see it: no key, no misconceptions, no answer guidance.
    for teacher_only in ("Answer key", "Talking changes nothing", "Bringing the subject to attention."):
        assert teacher_only not in student
    if fmt == "docx":
        with zipfile.ZipFile(built[(variant, "student", fmt)]) as z:
            body = z.read("word/document.xml").decode()
        choices = re.findall(r'<w:p><w:pPr><w:pStyle w:val="QuizChoice"/>.*?</w:p>', body)
        boxes = sum(c.count("<w:bdr ") for c in choices)  # a tick box each, some choices side by side
        assert boxes == 12 and not any("w:shd" in c or "<w:b/>" in c for c in choices)  # none marked


@pytest.mark.parametrize("variant", ["standard", "large-print"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_teacher_edition_has_key_points_misconceptions_answer_keys_and_reading_ages(
    built: dict[tuple[str, str, str], Path], variant: str, fmt: str
) -> None:
    teacher = text(built[(variant, "teacher", fmt)])
    assert "Key points" in teacher and "A safe space has ground rules everyone agrees." in teacher
    assert "Talking changes nothing." in teacher and "Naming a problem is how people find out" in teacher
    assert "What pupils should already know" in teacher and "What a discussion is." in teacher
    assert teacher.count("Answer key") == 2
    assert "(Rules a group agrees so everyone can speak)" in teacher
    assert "Reading age" in teacher and "Flesch–Kincaid" in teacher
    if fmt == "docx":  # each question's correct choice is marked (a filled box, bold)
        with zipfile.ZipFile(built[(variant, "teacher", fmt)]) as z:
            body = z.read("word/document.xml").decode()
        choices = re.findall(r'<w:p><w:pPr><w:pStyle w:val="QuizChoice"/>.*?</w:p>', body)
        assert sum(c.count("<w:bdr ") for c in choices) == 12 and sum(c.count("w:shd") for c in choices) == 4


def test_the_handout_follows_the_lesson_plan(built: dict[tuple[str, str, str], Path]) -> None:
    student = text(built[("standard", "student", "pdf")])
    order = [
        "Warm up",
        "Starter quiz",
        "The first extract",
        "Bringing the subject to attention is the starting point",
        "Helps and hinders",
        "Gets in the way",
        "It’s therefore important to create",
        "Close",
        "Exit quiz",
        "What to remember",
        "Where to get help",
    ]
    places = [student.find(marker) for marker in order]
    assert -1 not in places, [m for m, at in zip(order, places, strict=True) if at == -1]
    assert places == sorted(places), order


def test_quiz_options_are_fixed_and_the_answer_moves() -> None:
    corpus, _ = load_corpus(ROOT / "seeds")
    loaded, _ = source.load_text("whole.yaml", WHOLE)
    assert loaded is not None
    first, _ = spec.validate(loaded, corpus, "whole")
    again, _ = spec.validate(loaded, corpus, "whole")
    assert first is not None and again is not None
    quizzes = first.spec.starter_quiz + first.spec.exit_quiz
    assert quizzes == again.spec.starter_quiz + again.spec.exit_quiz
    assert len({q.correct for q in first.spec.starter_quiz}) > 1 and len({q.correct for q in first.spec.exit_quiz}) > 1
    for q in quizzes:
        assert len(q.options) == 3 and len(set(q.options)) == 3


def test_new_scaffolds_a_whole_lesson_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    import yaml

    for folder in ("seeds", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert (
        main(["--root", str(tmp_path), "new", "whole", "--ages", "11-14", "--suggestion", "stop-it-before-it-starts"])
        == 0
    )
    written = yaml.safe_load((tmp_path / "packs" / "whole.yaml").read_text(encoding="utf-8"))
    for key in ("outcome", "key_points", "prior_knowledge", "keywords", "misconceptions", "starter_quiz", "exit_quiz"):
        assert written[key], key
    assert any(a.get("excerpts") for a in written["activities"])
    assert {a.get("quiz") for a in written["activities"]} >= {"starter", "exit"}
    assert (
        main(
            ["--root", str(tmp_path), "build", str(tmp_path / "packs" / "whole.yaml"), "--out", str(tmp_path / "dist")]
        )
        == 0
    )
    capsys.readouterr()
