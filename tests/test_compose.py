"""compose: how a lesson becomes each edition, read through dump() (no PDF or DOCX needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.lesson import compose, guidance, support, wording
from generator.model import (
    Block,
    Callout,
    Document,
    KeepTogether,
    Paragraph,
    PrintEdition,
    Quote,
    WritingSpace,
    dump,
    dump_blocks,
    plain,
)
from generator.readers import policy
from generator.readers.corpus import Corpus
from generator.readers.resolved import Lesson
from generator.readers.source import load_text
from generator.readers.spec import validate

ROOT = Path(__file__).resolve().parent.parent

SPEC = """\
title: Placement test
audience: {ages: 14-16, region: REGION}
duration: 40
objectives: [Explain allyship.]
teacher_notes: [Tell the DSL first.]
excerpts:
  - id: first
    seed: no-going-back
    intro: The writer begins with a date.
    quote: "In March 2020, a month where the world celebrated"
  - id: second
    seed: tipping-point
    quote: We are at a tipping point.
questions:
  - text: Question about both.
    excerpts: [second, first]
    answer: Both matter.
  - text: A general one.
  - text: Question about the first.
    excerpts: [first]
    kind: recall
    lines: 5
activities:
  - {title: Talk, minutes: 30, steps: [Talk in pairs.], lines: 2, notes: Listen in.}
"""


def lesson(corpus: Corpus, region: str = "uk", spec: str = SPEC) -> Lesson:
    loaded, problems = load_text("t.yaml", spec.replace("REGION", region))
    assert loaded is not None, problems
    result, problems = validate(loaded, corpus, "t")
    assert result is not None, [str(p) for p in problems]
    return result


def build(corpus: Corpus, edition: PrintEdition, region: str = "uk", spec: str = SPEC) -> Document:
    ls = lesson(corpus, region, spec)
    words = wording.load(ROOT / "templates")
    services = support.signposting(region, ls.ages.youngest, ls.ages.oldest)
    found, _ = guidance.assess(ls, policy.default())
    return compose.compose(ls, edition, words, found, services)


def test_questions_follow_their_last_excerpt_and_are_numbered_in_print_order(corpus: Corpus) -> None:
    out = dump(build(corpus, "student"))
    first = out.index("In March 2020")
    about_first = out.index("Question 1. **Question about the first.")
    second = out.index("We are at a tipping point.")
    about_both = out.index("Question 2. **Question about both.")
    general = out.index("Question 3. **A general one.")
    assert first < about_first < second < about_both < general


def test_student_edition_has_writing_space_and_no_teacher_material(corpus: Corpus) -> None:
    d = build(corpus, "student")
    out = dump(d)
    assert "[fields: Name, Class, Date]" in out
    assert "[writing space: 5 lines]" in out
    for secret in ("Both matter.", "Listen in.", "Tell the DSL first.", "Explain allyship.", "Lesson plan"):
        assert secret not in out


def test_teacher_edition_adds_objectives_plan_answers_and_notes(corpus: Corpus) -> None:
    out = dump(build(corpus, "teacher"))
    for text in ("Explain allyship.", "Tell the DSL first.", "Both matter.", "Listen in.", "(Recall)"):
        assert text in out
    assert "| 0–30 | Talk | 30 |" in out
    # 30 minutes of activities in a 40-minute lesson: the plan says so.
    assert "add up to 30 minutes, but the lesson is 40 minutes" in out
    assert "[writing space" not in out


def test_question_stays_with_its_writing_space(corpus: Corpus) -> None:
    d = build(corpus, "student")

    def groups(blocks: tuple[Block, ...]) -> list[KeepTogether]:
        found = [b for b in blocks if isinstance(b, KeepTogether)]
        return found + [g for b in found for g in groups(b.blocks)]

    # Every question is in a group with its writing space right after it (an extract's first
    # question in the extract's group).
    found = 0
    for g in groups(d.blocks):
        for i, b in enumerate(g.blocks):
            if isinstance(b, Paragraph) and plain(b.spans).startswith("Question"):
                assert isinstance(g.blocks[i + 1], WritingSpace)
                found += 1
    assert found >= 3


def test_intro_is_kept_with_its_quote(corpus: Corpus) -> None:
    d = build(corpus, "student")
    groups = [b for b in d.blocks if isinstance(b, KeepTogether) and any(isinstance(x, Quote) for x in b.blocks)]
    assert len(groups) == 2
    assert "The writer begins with a date." in dump(Document("t", "s", "h", "en-GB", "a4", groups[0].blocks))


def test_citation_says_unknown_author_and_untitled(corpus: Corpus) -> None:
    out = dump(build(corpus, "student"))
    assert "> -- Unknown author, [opinion piece, October 2017] (2017), paragraph 1." in out
    title = "‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’"
    assert f"> -- Matt Barnes-Smith, {title} (2020), paragraph 1." in out


@pytest.mark.parametrize("region,present,absent", [("uk", "Childline", "RAINN"), ("us", "RAINN", "Childline")])
def test_support_page_follows_region(corpus: Corpus, region: str, present: str, absent: str) -> None:
    out = dump(build(corpus, "student", region))
    assert present in out
    assert absent not in out


def test_unverified_numbers_are_never_printed() -> None:
    everyone = support.signposting("uk", 16, 99)
    rape_crisis = next(s for s in everyone.services if s.name.startswith("Rape Crisis"))
    # Its phone number has no source here: pupils get the Support Line's own web address instead.
    assert not re.search(r"\b0\d{3}\b|\d{3} \d{4}", rape_crisis.contact)
    assert "247sexualabusesupport.org.uk" in rape_crisis.contact
    assert all(s.name != "NSPCC helpline" for s in support.signposting("uk", 9, 11).services)


def test_literal_text_survives_into_the_model(corpus: Corpus) -> None:
    spec = SPEC.replace("A general one.", "'{{ 7*7 }} <b>AT&T</b>'")
    out = dump(build(corpus, "student", spec=spec))
    assert "{{ 7*7 }} <b>AT&T</b>" in out


def test_guidance_is_placed_where_pupils_and_teachers_need_it(corpus: Corpus) -> None:
    """Summary note on the cover, a note kept with its excerpt, the table only for the teacher."""
    spec = SPEC.replace("We are at a tipping point.", "We know that the courts will fail victims")
    student = build(corpus, "student", spec=spec)
    teacher = build(corpus, "teacher", spec=spec)
    note_group = next(
        b
        for b in student.blocks
        if isinstance(b, KeepTogether)
        and any(isinstance(x, Callout) for x in b.blocks)
        and "courts will fail" in dump_blocks(b.blocks)
    )
    assert isinstance(note_group.blocks[0], Callout) and isinstance(note_group.blocks[1], Quote)
    # The extract's first question stays with it, on the same page below it, as a group with its
    # writing space (the extract's group is split only before it, when taller than a page).
    first = note_group.blocks[2]
    assert note_group.firm and isinstance(first, KeepTogether) and isinstance(first.blocks[0], Paragraph)
    assert "Question" in plain(first.blocks[0].spans) and isinstance(first.blocks[1], WritingSpace)
    assert "This extract mentions crime." in dump_blocks((note_group,))
    cover = dump(student).split("# Reading the texts")[0]
    assert "[summary-note] Before we start" in cover
    assert (
        "| Extract 2 | Crime, prison and the courts: any (u/crime-or-illegal-activities) "
        "| courts, victims | Content guidance |" in dump(teacher)
    )
    assert "u/crime-or-illegal-activities" not in dump(student)
