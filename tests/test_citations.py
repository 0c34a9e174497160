"""Citations say what the text supports, and every seed word they print is judged for the audience:
an essay with no named author is credited to its publisher, an untitled one is described in
brackets, and a title the audience may not read is cited in a shortened form (the teacher edition
says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.lesson import compose, guidance, support, wording
from generator.model import dump
from generator.readers import policy, source, spec
from generator.readers.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
WORDING = wording.load(ROOT / "templates")
SPEC = """\
title: Citations
audience:
  ages: "AGES"
duration: 30
excerpts:
  - id: one
    seed: SEED
    quote: QUOTE
"""
# Harmless sentences (nothing in them is flagged) from each essay.
HARMLESS = {
    "valor-prevention": "we are once again reminded that we have a long way to go",
    "tipping-point": "We are at a tipping point.",
    "no-going-back": "Bringing the subject to attention is the starting point.",
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    found, problems = load_corpus(ROOT / "seeds")
    assert problems == []
    return found


def editions(corpus: Corpus, seed: str, ages: str, quote: str | None = None) -> tuple[str, str, list[str]]:
    """(student outline, teacher outline, problems) of a one-extract pack."""
    text = SPEC.replace("AGES", ages).replace("SEED", seed).replace("QUOTE", quote or HARMLESS[seed])
    loaded, problems = source.load_text("t.yaml", text)
    assert loaded is not None, problems
    lesson, problems = spec.validate(loaded, corpus, "t")
    assert lesson is not None, [str(p) for p in problems]
    found, judged = guidance.assess(lesson, policy.default())
    services = support.for_audience("uk", lesson.ages.youngest, lesson.ages.oldest, found.audience, found.raised())
    out = [dump(compose.compose(lesson, e, WORDING, found, services)) for e in ("student", "teacher")]
    return out[0], out[1], [str(p) for p in problems + judged]


def citation(outline: str) -> str:
    return next(line.strip() for line in outline.splitlines() if line.strip().startswith("> -- "))


def test_an_essay_published_by_an_organisation_is_credited_to_it(corpus: Corpus) -> None:
    student, teacher, _ = editions(corpus, "valor-prevention", "14-16")
    assert citation(student).startswith("> -- VALOR, ‘What Harvey Weinstein's trial tells us")
    assert "Unknown author" not in student + teacher
    assert "What Harvey Weinstein's trial tells us about preventing sexual violence — VALOR, 2022" in teacher


def test_an_untitled_essay_is_described_in_brackets(corpus: Corpus) -> None:
    student, teacher, _ = editions(corpus, "tipping-point", "14-16")
    assert citation(student) == "> -- Unknown author, [opinion piece, October 2017] (2017), paragraph 1."
    assert "untitled" not in student.lower() and "[opinion piece, October 2017] — Unknown author" in teacher


def test_a_title_the_audience_may_not_read_is_shortened_and_the_teacher_is_told(corpus: Corpus) -> None:
    # For ages 5-8, "… Harvey Weinstein Trial" (crime, allowed from 9) may not be printed.
    student, teacher, problems = editions(corpus, "no-going-back", "7-8")
    assert [p for p in problems if ": error: " in p] == []
    assert citation(student) == "> -- Matt Barnes-Smith, ‘“No Going Back”’ (2020), paragraph 17."
    assert "Weinstein" not in student and "Trial" not in student
    assert "[teacher-note] A shortened title" in teacher
    assert "The essay’s full title, ‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’" in teacher
    assert "crime" in teacher.split("[teacher-note] A shortened title")[1].split("\n")[1]


def test_a_title_with_no_shorter_form_the_audience_may_read_is_not_printed(corpus: Corpus) -> None:
    # valor-prevention's title mentions sexual violence (allowed from 11) and has no main title.
    student, teacher, problems = editions(corpus, "valor-prevention", "9-11")
    assert [p for p in problems if ": error: " in p] == []
    assert citation(student) == "> -- VALOR, [title not shown] (2022), paragraph 1."
    assert "sexual violence" not in student.lower()
    assert "cited without a title in the pupils’ copies" in teacher


def test_a_title_is_judged_apart_from_the_extracts_it_never_adds_to_their_notes(corpus: Corpus) -> None:
    # At 14 the whole title is printed, but its "Trial" and "Weinstein" are the title's, not the
    # extract's: no pupil note says the extract discusses crime, and no fact-check note is added.
    student, teacher, _ = editions(corpus, "no-going-back", "14-16")
    assert "‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’" in citation(student)
    assert "crime" not in student.lower() and "Before we start" not in student
    assert "Check the facts" not in teacher and "Right to withdraw" not in teacher
    # The teacher's table shows the title on rows of its own.
    assert "| Title (extract 1) | Crime, prison and the courts: any" in teacher and "| Trial, Weinstein |" in teacher
    assert "Printed in full: the citation’s words, not the extract’s." in teacher


def test_below_the_full_citation_age_a_title_names_only_what_the_extracts_raise(corpus: Corpus) -> None:
    # For ages 9-11, crime (the title's "Trial") is allowed, but this extract does not raise it:
    # pupils read the main title, and are not told the sentences "talk about crime".
    student, teacher, _ = editions(corpus, "no-going-back", "9-11")
    assert citation(student) == "> -- Matt Barnes-Smith, ‘“No Going Back”’ (2020), paragraph 17."
    assert "crime" not in student.lower() and "Weinstein" not in student
    note = teacher.split("[teacher-note] A shortened title")[1].split("\n")[1]
    assert "The extracts themselves do not raise crime, prison and the courts and recent or legally live events" in note
    assert "‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’" in note


def test_below_the_full_citation_age_a_title_is_printed_whole_when_the_extracts_raise_what_it_names(
    corpus: Corpus,
) -> None:
    quote = "Harvey Weinstein was finally brought to justice after being found guilty of rape and sexual assault"
    student, teacher, _ = editions(corpus, "no-going-back", "12-13", quote)
    assert "‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’" in citation(student)
    assert "A shortened title" not in teacher


SURVIVORS = "Rape and Sexual Abuse Survivors Network"


@pytest.fixture(scope="module")
def named_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The seeds, and one more whose author names sexual violence (a seed a school might add)."""
    folder = tmp_path_factory.mktemp("seeds")
    for seed in (ROOT / "seeds").glob("*.txt"):
        text = seed.read_text(encoding="utf-8")
        if seed.stem == "tipping-point":
            text = text.replace('id: "tipping-point"', 'id: "network-piece"')
            text = text.replace('author: "unknown"', f'author: "{SURVIVORS}"', 1)
            (folder / "network-piece.txt").write_text(text, encoding="utf-8")
    found, problems = load_corpus(folder)
    assert problems == []
    return found


@pytest.mark.parametrize(
    ("ages", "printed"),
    [("9-10", False), ("11-13", False), ("14-16", True)],
)
def test_every_printed_word_of_a_citation_is_judged_the_author_too(
    named_corpus: Corpus, ages: str, printed: bool
) -> None:
    # Refused at 9 (sexual violence is allowed from 11); at 11 allowed, but the harmless extract
    # does not raise it; from the policy's full_citation_age (14) printed in full.
    text = SPEC.replace("AGES", ages).replace("SEED", "network-piece").replace("QUOTE", HARMLESS["tipping-point"])
    loaded, problems = source.load_text("t.yaml", text)
    assert loaded is not None, problems
    lesson, problems = spec.validate(loaded, named_corpus, "t")
    assert lesson is not None, [str(p) for p in problems]
    found, judged = guidance.assess(lesson, policy.default())
    assert [str(p) for p in judged if p.severity == "error"] == []
    services = support.for_audience("uk", lesson.ages.youngest, lesson.ages.oldest, found.audience, found.raised())
    student, teacher = (dump(compose.compose(lesson, e, WORDING, found, services)) for e in ("student", "teacher"))
    assert (SURVIVORS in student) is printed and ("rape" in student.lower()) is printed
    assert SURVIVORS in teacher  # the teacher edition always names the source in full
    if not printed:
        assert citation(student) == "> -- [opinion piece, October 2017] (2017), paragraph 1."
        assert "[teacher-note] A name left out of a citation" in teacher


def test_title_forms_run_from_the_whole_title_to_its_main_title() -> None:
    assert guidance.title_forms("“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial") == [
        "“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial",
        "“No Going Back”",
    ]
    assert guidance.title_forms("Plain title") == ["Plain title"]
    forms = guidance.title_forms("Safe — and sound: a study")
    assert forms == ["Safe — and sound: a study", "Safe — and sound", "Safe"]
