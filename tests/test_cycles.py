"""Learning cycles, end to end: a held-out lesson (written here, not one of the shipped packs) whose
activities explain, check for understanding and give feedback builds in every format and variant;
the deck shows each cycle in teaching order (the explanation, each check then its answer, the steps
and reading, the feedback), the teacher edition has all three, and the handout has the key idea and
never a check or the feedback. `check` judges the cycle's text and warns about thin cycles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from generator.readers import source, spec
from generator.readers.corpus import load_corpus
from generator.runners.build import Builder, Project
from tests.deckcheck import SlideText, read_deck
from tests.tools import body_paragraphs, table_texts

from .tools import pdf_text

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("standard", "large-print")

EXPLAIN_LONG = [
    "A tipping point is the moment when many small changes add up and something changes all at once.",
    "Before a tipping point, people may notice a problem but feel that nobody else does, so they stay quiet.",
    "When enough people speak at the same time, it becomes harder to ignore what they are saying.",
    "The writer of this essay felt that in 2017 many people were speaking about the same problem together.",
    "A tipping point does not mean the problem is solved: it means that people have started to pay attention.",
    "Our job today is to think about what happens after attention: what does a school do next?",
]
CHECK_1 = (
    "Which of these describes a tipping point?",
    "The moment when small changes add up to a big one",
    ["The end of a problem", "A rule that stops people speaking"],
)
CHECK_2 = (
    "Why might people stay quiet before a tipping point?",
    "They feel nobody else has noticed",
    ["They do not care about it", "They have been told to keep it secret"],
)
CHECK_3 = (
    "Does a tipping point mean the problem is solved?",
    "No, it means people have started to pay attention",
    ["Yes, it is solved once people speak"],
)
CHECK_4 = (
    "What is the writer's starting point for schools?",
    "Talking about the problem openly",
    ["Waiting for pupils to ask", "Writing a new school rule"],
)
CHECK_5 = (
    "What makes a space safe to talk in?",
    "Ground rules the group has agreed",
    ["Everyone agreeing about everything", "A promise that nothing is passed on", "Only adults speaking"],
)
FEEDBACK_1 = "Success criteria: you say what a tipping point is, and you give one reason people stayed quiet before it."
FEEDBACK_2 = "A model answer: talking comes first because a problem nobody names cannot be solved; ground rules help."
NOTES_1 = "Keep examples general; do not ask pupils about their own experiences."


def _checks(*items: tuple[str, str, list[str]]) -> str:
    out = []
    for question, answer, distractors in items:
        out += [
            f"      - question: {json.dumps(question)}",
            f"        answer: {json.dumps(answer)}",
            "        distractors:",
            *(f"          - {json.dumps(d)}" for d in distractors),
        ]
    return "\n".join(out)


CYCLES = f"""\
title: After the Tipping Point
audience:
  ages: 13-15
duration: 50
outcome: I can explain what a tipping point is and why talking is the first step.
key_points: [Many voices together are hard to ignore., Attention is a start and not an answer.]
starter_quiz:
  - question: What does it mean to notice something?
    answer: To see it and pay attention to it
    distractors: [To forget it quickly, To agree with it]
excerpts:
  - id: tipping
    seed: tipping-point
    quote: We are at a tipping point.
  - id: starting-point
    seed: no-going-back
    quote: Bringing the subject to attention is the starting point.
  - id: safe-spaces
    seed: no-going-back
    quote: It’s therefore important to create ‘safe spaces’ that these conversations can be had in.
questions:
  - text: What does the writer mean by a tipping point?
    excerpts: [tipping]
    kind: inference
    answer: A moment when things change quickly after building up.
  - text: Why does the writer call talking the starting point?
    excerpts: [starting-point, safe-spaces]
    kind: inference
    answer: A problem has to be named before anyone can act on it.
activities:
  - title: Warm up
    minutes: 5
    quiz: starter
    steps: [Answer the starter question on your own.]
  - title: What is a tipping point?
    minutes: 20
    excerpts: [tipping]
    explain:
{chr(10).join(f"      - {json.dumps(p)}" for p in EXPLAIN_LONG)}
    checks:
{_checks(CHECK_1, CHECK_2, CHECK_3)}
    steps: [Read the extract with your teacher., Answer the question with a partner.]
    feedback: "{FEEDBACK_1}"
    notes: {NOTES_1}
  - title: The starting point
    minutes: 20
    excerpts: [starting-point, safe-spaces]
    explain:
      - The writer says talking about a problem is the starting point for change.
      - Talk needs a safe space, with ground rules the group agrees.
    checks:
{_checks(CHECK_4, CHECK_5)}
    steps: [Read both extracts., Draw a classroom where everyone feels safe to speak.]
    response: {{box: 6}}
    feedback: "{FEEDBACK_2}"
  - title: Close
    minutes: 5
    steps: [Write one thing you will remember.]
"""


def text(path: Path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    d = docx.Document(str(path))
    parts = [p.text for p in body_paragraphs(d)] + table_texts(d)
    return " ".join(" ".join(p.split()) for p in parts)


def squash(s: str) -> str:
    """Text compared without spacing or typography (PDF extraction joins and splits words)."""
    return re.sub(r"\W+", "", s.replace("’", "'")).casefold()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """(variant, edition, format) -> the built file, every format and variant."""
    folder = tmp_path_factory.mktemp("cycles")
    path = folder / "after-the-tipping-point.yaml"
    path.write_text(CYCLES, encoding="utf-8")
    out: dict[tuple[str, str, str], Path] = {}
    for variant in VARIANTS:
        report = Builder(Project(ROOT), variant=variant).build([path], folder / "dist")  # type: ignore[arg-type]
        assert report.failed == [], [str(p) for p in report.problems]
        for (edition, fmt), built_path in report.paths["after-the-tipping-point"].items():
            out[(variant, edition, fmt)] = built_path
    assert {(e, f) for v, e, f in out if v == "standard"} >= {
        ("student", "pdf"),
        ("student", "docx"),
        ("teacher", "pdf"),
        ("teacher", "docx"),
        ("slides", "pptx"),
    }, sorted(out)
    return out


def test_the_held_out_lesson_checks_clean() -> None:
    corpus, _ = load_corpus(ROOT / "seeds")
    loaded, _ = source.load_text("cycles.yaml", CYCLES)
    assert loaded is not None
    lesson, problems = spec.validate(loaded, corpus, "cycles")
    assert lesson is not None and problems == [], [str(p) for p in problems]
    cycle = lesson.spec.activities[1]
    assert cycle.explain[0].startswith("A tipping point is")
    assert [c.question for c in cycle.checks] == [CHECK_1[0], CHECK_2[0], CHECK_3[0]]
    assert cycle.feedback and cycle.feedback.startswith("Success criteria")


def _deck(built: dict[tuple[str, str, str], Path], variant: str) -> list[SlideText]:
    path = next(p for (v, e, f), p in built.items() if v == variant and f == "pptx")
    return read_deck(path)[0]


def _cycle(slides: list[SlideText], title: str) -> list[SlideText]:
    """The slides of one activity's cycle: from its (first) explanation slide to its feedback slide."""
    start = next(i for i, s in enumerate(slides) if s.kind == "explain" and s.title.startswith(title))
    end = next(i for i in range(start, len(slides)) if slides[i].kind == "feedback")
    return slides[start : end + 1]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(
    ("title", "checks", "feedback", "notes"),
    [
        ("What is a tipping point?", [CHECK_1, CHECK_2, CHECK_3], FEEDBACK_1, NOTES_1),
        ("The starting point", [CHECK_4, CHECK_5], FEEDBACK_2, None),
    ],
)
def test_the_deck_shows_each_cycle_in_teaching_order(
    built: dict[tuple[str, str, str], Path],
    variant: str,
    title: str,
    checks: list[tuple[str, str, list[str]]],
    feedback: str,
    notes: str | None,
) -> None:
    slides = _cycle(_deck(built, variant), title)
    kinds = " ".join(s.kind for s in slides)
    # explain (continued as long text is), each check then its answer, the steps, the reading, feedback.
    pattern = r"(explain )+" + r"check check-answer " * len(checks)
    pattern += r"activity (content-note |extract |question )+feedback"
    assert re.fullmatch(pattern, kinds), kinds
    explained = squash(" ".join(s.text for s in slides if s.kind == "explain"))
    assert all(squash(p) in explained for p in (EXPLAIN_LONG if notes else [])), "every point of the explanation"
    pairs = [(s, slides[i + 1]) for i, s in enumerate(slides) if s.kind == "check"]
    for (question, answer, distractors), (asked, shown) in zip(checks, pairs, strict=True):
        on_slide = squash(asked.text)
        # Every option, lettered, nothing marked: the answer is only in the speaker notes.
        assert squash(question) in on_slide and all(squash(o) in on_slide for o in [answer, *distractors])
        assert "answer" not in asked.text.casefold().replace(squash(answer), "")
        letter = re.search(r"Answer: ([A-D]) \((.*)\)", asked.notes)
        assert letter and letter.group(2) == answer, asked.notes
        # The answer on the slide right after, with its letter.
        assert squash(question) in squash(shown.text) and squash(answer) in squash(shown.text)
        assert f"{letter.group(1)} " in shown.text
        assert not any(squash(d) in squash(shown.text) for d in distractors)
    last = slides[-1]
    assert squash(feedback) in squash(last.text)
    assert (notes or "") in last.notes and (bool(notes) == bool(last.notes.strip()))


def test_long_explanations_continue_on_the_next_slide_in_large_print(built: dict[tuple[str, str, str], Path]) -> None:
    slides = _cycle(_deck(built, "large-print"), "What is a tipping point?")
    explain = [s for s in slides if s.kind == "explain"]
    assert len(explain) >= 2 and explain[1].title.endswith("(continued)"), [s.title for s in explain]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_teacher_edition_has_the_explanation_checks_with_answers_and_feedback(
    built: dict[tuple[str, str, str], Path], variant: str, fmt: str
) -> None:
    teacher = squash(text(built[(variant, "teacher", fmt)]))
    # The activity's plan in one place (explain, checks, steps, notes, feedback to show after the task),
    # then the text it reads.
    order = [
        squash(EXPLAIN_LONG[0]),
        squash(CHECK_1[0]),
        squash("Read the extract with your teacher."),
        squash(NOTES_1),
        squash("Feedback, to show after the task"),
        squash(FEEDBACK_1),
        squash("We are at a tipping point."),
    ]
    at = teacher.find(squash("What is a tipping point? (20 minutes)"))  # the activity's heading
    for part in order:  # each after the one before
        found = teacher.find(part, at)
        assert found > at, (part, at)
        at = found
    for question, answer, distractors in (CHECK_1, CHECK_2, CHECK_3, CHECK_4, CHECK_5):
        assert squash(question) in teacher and squash(answer) in teacher
        assert all(squash(d) in teacher for d in distractors)
    assert squash(FEEDBACK_2) in teacher and squash("Check for understanding") in teacher


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_handout_has_the_key_idea_and_never_a_check_or_feedback(
    built: dict[tuple[str, str, str], Path], variant: str, fmt: str
) -> None:
    handout = squash(text(built[(variant, "student", fmt)]))
    assert squash("Key idea") in handout
    assert all(squash(p) in handout for p in EXPLAIN_LONG)
    heading = handout.find(squash("What is a tipping point? (20 minutes)"))
    assert 0 <= heading < handout.find(squash(EXPLAIN_LONG[0])) < handout.find(squash("Read the extract with your"))
    for question, answer, distractors in (CHECK_1, CHECK_2, CHECK_3, CHECK_4, CHECK_5):
        assert squash(question) not in handout and squash(answer) not in handout
        assert not any(squash(d) in handout for d in distractors)
    assert squash(FEEDBACK_1) not in handout and squash(FEEDBACK_2) not in handout
    assert squash("Check for understanding") not in handout and squash("Feedback") not in handout


def test_check_options_are_fixed_by_the_pack_and_the_answer_moves() -> None:
    corpus, _ = load_corpus(ROOT / "seeds")
    loaded, _ = source.load_text("cycles.yaml", CYCLES)
    assert loaded is not None
    first, _ = spec.validate(loaded, corpus, "cycles")
    again, _ = spec.validate(loaded, corpus, "cycles")
    assert first is not None and again is not None
    checks = [c for a in first.spec.activities for c in a.checks]
    assert checks == [c for a in again.spec.activities for c in a.checks]
    assert len({c.correct for c in checks}) > 1, "the answer is not always in the same place"
    for c, (_, answer, distractors) in zip(checks, (CHECK_1, CHECK_2, CHECK_3, CHECK_4, CHECK_5), strict=True):
        assert sorted(c.options) == sorted([answer, *distractors]) and c.options[c.correct] == answer


# -- what `check` says about a cycle ------------------------------------------------------------


def _problems(text_: str) -> list[str]:
    return [str(p) for p in Builder(Project(ROOT)).check_text(text_, "t.yaml", "t")]


def _line_of(text_: str, needle: str) -> int:
    return next(n for n, line in enumerate(text_.splitlines(), 1) if needle in line)


def test_a_cycle_that_reads_an_extract_with_fewer_than_two_checks_is_warned() -> None:
    thin = CYCLES.replace(_checks(CHECK_4, CHECK_5), _checks(CHECK_4))
    found = [p for p in _problems(thin) if "fewer" in p or "check for understanding" in p]
    line = [n for n, s in enumerate(thin.splitlines(), 1) if s == "    explain:"][1]
    assert found and found[0].startswith(f"t.yaml:{line}:5: warning: activity 3 explains and reads an extract"), found
    assert "add at least 2" in found[0]


def test_checks_with_no_explanation_before_them_are_warned() -> None:
    explained = (
        "    explain:\n      - The writer says talking about a problem is the starting point for change.\n"
        "      - Talk needs a safe space, with ground rules the group agrees.\n"
    )
    assert explained in CYCLES
    bare = CYCLES.replace(explained, "")
    problems = _problems(bare)
    assert not any(": error: " in p for p in problems), problems
    found = [p for p in problems if "before its explanation" in p]
    line = [n for n, s in enumerate(bare.splitlines(), 1) if s == "    checks:"][1]
    assert found == [
        f"t.yaml:{line}:5: warning: activity 3's check slides would come before its explanation: it "
        "has 'checks' but no 'explain'; add the explanation they check (a point a line)"
    ], found


@pytest.mark.parametrize(
    ("where", "severity"),
    [
        ("check question", "error"),
        ("check answer", "error"),
        ("check distractor", "error"),
        ("explain", "error"),
        ("feedback", "error"),
    ],
)
def test_content_guidance_judges_every_part_of_a_cycle(where: str, severity: str) -> None:
    """A word the audience (13-15) may not read: an error at the word in every part of a cycle, since
    pupils read each on a slide (and the explanation in the handout's Key idea)."""
    word = "motherfucker"  # strong language: from 14 in the default policy; the class's youngest is 13
    spots = {
        "check question": (CHECK_4[0], f"What is the writer's {word} point?"),
        "check answer": (f'answer: "{CHECK_4[1]}"', f'answer: "Talking about the {word} openly"'),
        "check distractor": ('- "Waiting for pupils to ask"', f'- "Waiting for a {word}"'),
        "explain": ("- Talk needs a safe space", f"- Talk, {word}, needs a safe space"),
        "feedback": ("A model answer: talking", f"A model {word}: talking"),
    }
    old, new = spots[where]
    assert CYCLES.count(old) == 1
    changed = CYCLES.replace(old, new)
    found = [p for p in _problems(changed) if f"“{word}”" in p]
    line = _line_of(changed, word)
    col = changed.splitlines()[line - 1].index(word) + 1
    assert len(found) == 1 and found[0].startswith(f"t.yaml:{line}:{col}: {severity}: "), found
    if severity == "error":
        assert "pupils read this (the handout or a slide)" in found[0]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_teacher_edition_marks_each_checks_answer_and_no_distractor(
    built: dict[tuple[str, str, str], Path], variant: str
) -> None:
    """In the DOCX a teacher edits, each check is a line: the question, its answer in bold with the
    letter the slide gives it, and the other options, none in bold."""
    paragraphs = body_paragraphs(docx.Document(str(built[(variant, "teacher", "docx")])))
    slides = _deck(built, variant)
    for question, answer, distractors in (CHECK_1, CHECK_2, CHECK_3, CHECK_4, CHECK_5):
        line = next(p for p in paragraphs if p.text.replace("’", "'").startswith(question))
        bold = "".join(r.text for r in line.runs if r.bold).replace("’", "'")
        asked = next(s for s in slides if s.kind == "check" and question in s.text.replace("’", "'"))
        letter = re.search(r"Answer: ([A-D]) ", asked.notes)
        assert letter and bold == f"{letter.group(1)}. {answer}", (bold, asked.notes)
        assert all(d in line.text.replace("’", "'") and d not in bold for d in distractors), line.text


def test_new_scaffolds_a_cycle_that_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`lessonpack new` writes an activity with an explanation, two checks and feedback around the reading;
    the spec checks with no warning about the cycle, and its deck shows the cycle."""
    import shutil

    import yaml

    from generator.cli import main

    for folder in ("seeds", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert main(["--root", str(tmp_path), "new", "cycle", "--ages", "12-14"]) == 0
    spec_path = tmp_path / "packs" / "cycle.yaml"
    written = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    reading = next(a for a in written["activities"] if a.get("excerpts"))
    assert reading["explain"] and len(reading["checks"]) >= 2 and reading["feedback"]
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "check", str(spec_path)]) == 0
    assert "check" not in capsys.readouterr().err.replace("checked", "")
    assert (
        main(["--root", str(tmp_path), "build", str(spec_path), "--formats", "pptx", "--out", str(tmp_path / "dist")])
        == 0
    )
    kinds = [s.kind for s in read_deck(tmp_path / "dist" / "cycle" / "cycle-slides.pptx")[0]]
    assert "explain" in kinds and kinds.count("check") == kinds.count("check-answer") >= 2 and "feedback" in kinds


def test_a_refused_word_in_a_quiz_answer_is_an_error_as_in_a_check() -> None:
    """The answer of a multiple-choice item is one of the options pupils read (a question's 'answer' is the
    teacher's guidance, not read): judged in quizzes as in checks."""
    word = "motherfucker"
    changed = CYCLES.replace("answer: To see it and pay attention to it", f"answer: To see the {word}")
    found = [p for p in _problems(changed) if f"“{word}”" in p]
    line = _line_of(changed, word)
    col = changed.splitlines()[line - 1].index(word) + 1
    assert len(found) == 1 and found[0].startswith(f"t.yaml:{line}:{col}: error: "), found
    assert "pupils read this (the handout or a slide)" in found[0]
    guidance = CYCLES.replace("answer: A moment when things change quickly", f"answer: A {word} moment")
    teacher = [p for p in _problems(guidance) if f"“{word}”" in p]
    assert len(teacher) == 1 and ": warning: " in teacher[0], "a question's answer guidance is the teacher's: a warning"
