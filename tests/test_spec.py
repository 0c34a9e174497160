"""generator/spec.py: validation, its messages and their positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Problem, errors_only
from generator.readers import source, spec
from generator.readers.corpus import Corpus, load_corpus
from generator.readers.resolved import Lesson
from generator.runners.build import find_specs
from generator.writers import printable

ROOT = Path(__file__).parent.parent
PATH = "lesson.yaml"

MINIMAL = """\
title: Speaking Up
audience:
  ages: 14-16
duration: 30
excerpts:
  - id: tipping
    seed: tipping-point
    quote: We are at a tipping point.
"""


@pytest.fixture(scope="module")
def real() -> Corpus:
    loaded, problems = load_corpus(ROOT / "seeds")
    assert problems == []
    return loaded


def check(text: str, real: Corpus, stem: str = "lesson") -> tuple[Lesson | None, list[Problem]]:
    """A spec checked as a build checks it: validated, and every text printable by the writers."""
    loaded, problems = source.load_text(PATH, text)
    if loaded is None:
        return None, problems
    lesson, found = spec.validate(loaded, real, stem)
    unprintable = printable(loaded.located())
    return (None if unprintable else lesson), sorted(found + unprintable, key=lambda p: (p.position, p.message))


def valid(text: str, real: Corpus) -> Lesson:
    lesson, problems = check(text, real)
    assert errors_only(problems) == [], [str(p) for p in problems]
    assert lesson is not None
    return lesson


def invalid(text: str, real: Corpus) -> list[Problem]:
    lesson, problems = check(text, real)
    assert lesson is None
    assert errors_only(problems), "an invalid spec must have at least one error"
    return problems


def error_at(problems: list[Problem], line: int, col: int, needle: str) -> Problem:
    for p in problems:
        if p.severity == "error" and (p.position.line, p.position.col) == (line, col) and needle in p.message:
            return p
    raise AssertionError(f"no error at {line}:{col} containing {needle!r} in {[str(p) for p in problems]}")


# --------------------------------------------------------------------------------------
# A valid spec.


def test_minimal_spec_validates(real: Corpus) -> None:
    lesson, problems = check(MINIMAL, real)
    assert problems == []
    assert lesson is not None
    assert lesson.id == "lesson"
    assert lesson.path == PATH
    assert lesson.spec.title == "Speaking Up"
    assert lesson.spec.subject is None  # the region's default, from templates/labels.j2
    assert lesson.region == "uk"
    assert (lesson.ages.youngest, lesson.ages.oldest) == (14, 16)
    assert str(lesson.ages) == "14–16"
    [ex] = lesson.excerpts
    assert ex.id == "tipping"
    assert ex.essay.id == "tipping-point"
    assert ex.match.paragraphs == (1,)
    assert (ex.position.line, ex.position.col) == (6, 5)


def test_minimal_spec_from_a_file(tmp_path: Path, real: Corpus) -> None:
    path = tmp_path / "my-first-lesson.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    lesson, problems = spec.load_lesson(path, real, "packs/my-first-lesson.yaml")
    assert problems == []
    assert lesson is not None
    assert lesson.id == "my-first-lesson"
    assert lesson.path == "packs/my-first-lesson.yaml"


def test_readme_tour_spec_validates(tmp_path: Path, real: Corpus) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    text = "\n".join(line[3:] for line in block.splitlines())
    lesson = valid(text, real)
    assert lesson.warnings == ()
    assert lesson.excerpts[0].match.paragraphs == (17,)


def test_id_key_overrides_the_file_name(real: Corpus) -> None:
    lesson = valid(MINIMAL + "id: speaking-up\n", real)
    assert lesson.id == "speaking-up"


def test_file_name_that_cannot_be_an_id(real: Corpus) -> None:
    lesson, problems = check(MINIMAL, real, stem="My Lesson")
    assert lesson is None
    error_at(problems, 1, 1, "cannot be a pack id")
    lesson, problems = check(MINIMAL + "id: my-lesson\n", real, stem="My Lesson")
    assert lesson is not None


@pytest.mark.parametrize("path", find_specs([ROOT / "packs"]), ids=lambda p: p.name)
def test_every_shipped_pack_validates_without_errors(path: Path, real: Corpus) -> None:
    lesson, problems = spec.load_lesson(path, real)
    assert errors_only(problems) == [], [str(p) for p in problems]
    assert lesson is not None
    assert lesson.excerpts


def test_there_are_shipped_packs() -> None:
    assert len(find_specs([ROOT / "packs"])) >= 7


# --------------------------------------------------------------------------------------
# Unknown keys, wrong types, missing keys.


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        (MINIMAL.replace("title:", "titel:"), 1, 1, "unknown key 'titel'; did you mean 'title'?"),
        (MINIMAL + "exerpts: []\n", 9, 1, "unknown key 'exerpts'; did you mean 'excerpts'?"),
        (
            MINIMAL.replace("  ages: 14-16\n", "  ages: 14-16\n  regoin: uk\n"),
            4,
            3,
            "unknown key 'regoin'; did you mean 'region'?",
        ),
        (MINIMAL + "    sead: x\n", 9, 5, "unknown key 'sead'; did you mean 'seed'?"),
        (
            MINIMAL + "questions:\n  - text: Why?\n    answr: Because.\n",
            11,
            5,
            "unknown key 'answr'; did you mean 'answer'?",
        ),
        (
            MINIMAL + "activities:\n  - title: A\n    minutes: 30\n    stpes: [x]\n",
            12,
            5,
            "unknown key 'stpes'; did you mean 'steps'?",
        ),
    ],
)
def test_unknown_keys_get_did_you_mean(text: str, line: int, col: int, message: str, real: Corpus) -> None:
    problems = invalid(text, real)
    error_at(problems, line, col, message)


def test_unknown_key_with_no_close_match_lists_the_allowed_keys(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("  ages: 14-16\n", "  ages: 14-16\n  zzzz: 1\n"), real)
    p = error_at(problems, 4, 3, "unknown key 'zzzz'")
    assert "allowed here: ages, group, region" in p.message


def test_duration_as_a_word(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("duration: 30", "duration: sixty"), real)
    error_at(problems, 4, 11, "'duration' should be a whole number, not text 'sixty'")


def test_duration_as_a_quoted_number_is_still_text(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("duration: 30", 'duration: "30"'), real)
    error_at(problems, 4, 11, "'duration' should be a whole number")


def test_duration_out_of_range(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("duration: 30", "duration: 1"), real)
    error_at(problems, 4, 11, "'duration'")


def test_ages_as_a_list(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("ages: 14-16", "ages: [14, 16]"), real)
    error_at(problems, 3, 9, "ages should be like 14-16, 14 or 18+, not a list")


def test_questions_as_a_string(real: Corpus) -> None:
    problems = invalid(MINIMAL + "questions: What do you think?\n", real)
    error_at(problems, 9, 12, "'questions' should be a list (lines starting with '- '), not text")


def test_steps_as_a_string_names_the_activity(real: Corpus) -> None:
    problems = invalid(MINIMAL + "activities:\n  - title: A\n    minutes: 30\n    steps: Read.\n", real)
    error_at(problems, 12, 12, "'activities[1].steps' should be a list")


def test_wrong_kind_lists_the_choices(real: Corpus) -> None:
    problems = invalid(MINIMAL + "questions:\n  - text: Why?\n    kind: opinion\n", real)
    p = error_at(problems, 11, 11, "'questions[1].kind' must be one of")
    assert "'recall'" in p.message and "'inference'" in p.message and "'evaluation'" in p.message


def test_region_must_be_uk_or_us(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("  ages: 14-16\n", "  ages: 14-16\n  region: fr\n"), real)
    error_at(problems, 4, 11, "'audience.region' must be one of 'uk' or 'us'")


def test_bad_excerpt_id(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("id: tipping", "id: Tipping Point"), real)
    error_at(problems, 6, 9, "'excerpts[1].id' must be lowercase letters and digits joined by '-'")


def test_blank_title(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("title: Speaking Up", 'title: "   "'), real)
    error_at(problems, 1, 8, "'title'")


def test_title_as_a_number(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("title: Speaking Up", "title: 1984"), real)
    error_at(problems, 1, 8, "'title' should be text, not a number (1984)")


@pytest.mark.parametrize("key", ["title", "duration", "excerpts"])
def test_missing_required_top_level_key(key: str, real: Corpus) -> None:
    text = MINIMAL
    if key == "excerpts":
        text = MINIMAL.split("excerpts:")[0]
    else:
        text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(f"{key}:")) + "\n"
    problems = invalid(text, real)
    error_at(problems, 1, 1, f"the spec needs the key '{key}'")


def test_missing_ages(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("  ages: 14-16\n", "  region: uk\n"), real)
    error_at(problems, 3, 3, "'audience' needs the key 'ages'")


def test_missing_quote_is_reported_at_the_excerpt(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("    quote: We are at a tipping point.\n", ""), real)
    error_at(problems, 6, 5, "'excerpts[1]' needs the key 'quote'")


def test_empty_excerpts_list(real: Corpus) -> None:
    problems = invalid(MINIMAL.split("excerpts:")[0] + "excerpts: []\n", real)
    error_at(problems, 5, 11, "'excerpts' needs at least one item")


def test_empty_spec(real: Corpus) -> None:
    problems = invalid("# nothing yet\n", real)
    error_at(problems, 1, 1, "the spec is empty")


def test_top_level_list(real: Corpus) -> None:
    problems = invalid("- title: x\n", real)
    error_at(problems, 1, 1, "a spec is a set of 'key: value' lines, not a list")


# --------------------------------------------------------------------------------------
# Seeds, excerpt ids, quotes.


@pytest.mark.parametrize(
    "seed", ["../../etc/passwd", "/etc/passwd", "seeds/tipping-point.txt", "tipping-point.txt", "~/x", "C:\\x"]
)
def test_path_like_seed_is_an_unknown_seed_id(seed: str, real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("seed: tipping-point", f"seed: '{seed}'"), real)
    error_at(problems, 7, 11, f"unknown seed '{seed}'")


def test_unknown_seed_lists_the_known_ones(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("seed: tipping-point", "seed: weinstein"), real)
    p = error_at(problems, 7, 11, "unknown seed 'weinstein'")
    assert "metoo-and-beyond, no-going-back, tipping-point, valor-prevention" in p.message


def test_misspelt_seed_gets_did_you_mean(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("seed: tipping-point", "seed: tiping-point"), real)
    error_at(problems, 7, 11, "did you mean 'tipping-point'?")


def test_unknown_excerpt_id_in_a_question(real: Corpus) -> None:
    text = MINIMAL + "questions:\n  - text: Why?\n    excerpts: [tipping, tiping]\n"
    problems = invalid(text, real)
    error_at(problems, 11, 25, "no excerpt has the id 'tiping'; did you mean 'tipping'?")
    assert len(errors_only(problems)) == 1


def test_duplicate_excerpt_ids(real: Corpus) -> None:
    text = MINIMAL + "  - id: tipping\n    seed: tipping-point\n    quote: Little doubt there are more to follow.\n"
    problems = invalid(text, real)
    error_at(problems, 9, 9, "excerpt id 'tipping' is already used by excerpt 1")


def test_quote_mismatch_names_the_closest_passage_and_paragraph(real: Corpus) -> None:
    text = MINIMAL.replace(
        "quote: We are at a tipping point.",
        "quote: Three weeks ago, Harvey Weinstien was one of the most powerful men in Hollywood.",
    )
    problems = invalid(text, real)
    p = error_at(problems, 8, 36, "the quote is not in seed 'tipping-point'")  # at "Weinstien"
    assert "closest passage is paragraph 2" in p.message
    assert "Harvey ⟦Weinstein⟧ was one of the most powerful men in Hollywood" in p.message  # the word marked
    assert "% similar" in p.message
    assert "Weinstien" in p.message


def test_quote_with_nothing_close(real: Corpus) -> None:
    text = MINIMAL.replace("quote: We are at a tipping point.", "quote: '…'")
    problems = invalid(text, real)
    error_at(problems, 8, 12, "the quote is not in seed 'tipping-point'")


def test_resolved_excerpt_keeps_the_essays_typography(real: Corpus) -> None:
    text = MINIMAL.replace(
        "seed: tipping-point\n    quote: We are at a tipping point.",
        "seed: no-going-back\n    quote: \"wrote 'me too' as a status\"",
    )
    lesson = valid(text, real)
    assert lesson.excerpts[0].match.text == ("wrote ‘me too’ as a status",)
    assert lesson.excerpts[0].quote == "wrote 'me too' as a status"


# --------------------------------------------------------------------------------------
# Ages.


@pytest.mark.parametrize(
    ("typed", "youngest", "oldest", "shown"),
    [
        ("14-16", 14, 16, "14–16"),
        ("14", 14, 14, "14"),
        ('"14"', 14, 14, "14"),
        ("18+", 18, None, "18+"),
        ("14–16", 14, 16, "14–16"),
        ("14 - 16", 14, 16, "14–16"),
        ("5", 5, 5, "5"),
        ("99", 99, 99, "99"),
    ],
)
def test_ages_forms_accepted(typed: str, youngest: int, oldest: int | None, shown: str, real: Corpus) -> None:
    lesson = valid(MINIMAL.replace("ages: 14-16", f"ages: {typed}"), real)
    assert (lesson.ages.youngest, lesson.ages.oldest) == (youngest, oldest)
    assert str(lesson.ages) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("16-14", "the youngest age comes first: write 14-16"),
        ("3", "ages must be between 5 and 99"),
        ("120", "ages must be between 5 and 99"),
        ('"120"', "ages should be like 14-16, 14 or 18+"),
        ("4-16", "ages must be between 5 and 99"),
        ("teen", "ages should be like 14-16, 14 or 18+, not 'teen'"),
        ("14.5", "ages should be like 14-16, 14 or 18+"),
        ("true", "ages should be like 14-16, 14 or 18+"),
        ("14-", "ages should be like 14-16, 14 or 18+"),
        ("''", "ages should be like 14-16, 14 or 18+"),
    ],
)
def test_ages_forms_rejected(typed: str, message: str, real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("ages: 14-16", f"ages: {typed}"), real)
    error_at(problems, 3, 9, message)


# --------------------------------------------------------------------------------------
# Every problem at once; warnings.


FIVE_MISTAKES = """\
titel: Speaking Up
audience:
  ages: 16-14
duration: sixty
excerpts:
  - id: tipping
    seed: ../../etc/passwd
    quote: We are at a tipping point.
  - id: second
    seed: tipping-point
    quote: We are at a tiping point.
questions:
  - text: Why?
    excerpts: [tippin]
"""


def test_every_problem_is_reported_at_once(real: Corpus) -> None:
    problems = invalid(FIVE_MISTAKES, real)
    errors = errors_only(problems)
    assert len(errors) >= 6, [str(p) for p in problems]
    error_at(problems, 1, 1, "unknown key 'titel'")
    error_at(problems, 1, 1, "the spec needs the key 'title'")
    error_at(problems, 3, 9, "youngest age comes first")
    error_at(problems, 4, 11, "'duration' should be a whole number")
    error_at(problems, 7, 11, "unknown seed '../../etc/passwd'")
    error_at(problems, 11, 24, "the quote is not in seed 'tipping-point'")  # at "tiping"
    error_at(problems, 14, 16, "no excerpt has the id 'tippin'; did you mean 'tipping'?")


def test_problems_print_one_line_each(real: Corpus) -> None:
    for p in invalid(FIVE_MISTAKES, real):
        line = str(p)
        assert "\n" not in line
        assert line.startswith(f"{PATH}:{p.position.line}:{p.position.col}: {p.severity}: ")


def test_activity_minutes_not_adding_up_is_a_warning_at_the_duration(real: Corpus) -> None:
    text = MINIMAL + "activities:\n  - title: A\n    minutes: 10\n  - title: B\n    minutes: 15\n"
    lesson, problems = check(text, real)
    assert lesson is not None
    [p] = problems
    assert p.severity == "warning"
    assert (p.position.line, p.position.col) == (4, 11)
    assert "the activities take 25 minutes but the lesson is 30 minutes" in p.message
    assert lesson.warnings == (p,)


def test_activity_minutes_that_add_up_give_no_warning(real: Corpus) -> None:
    text = MINIMAL + "activities:\n  - title: A\n    minutes: 10\n  - title: B\n    minutes: 20\n"
    lesson, problems = check(text, real)
    assert lesson is not None
    assert problems == []


def test_excerpt_no_question_is_about_is_a_warning(real: Corpus) -> None:
    text = MINIMAL + "questions:\n  - text: A general question?\n    answer: Any view, with a reason.\n"
    lesson, problems = check(text, real)
    assert lesson is not None
    [p] = problems
    assert p.severity == "warning"
    assert "no question is about excerpt 'tipping'" in p.message


@pytest.mark.parametrize(
    ("literal", "warning"),
    [
        ("{{ 7*7 }}", "template syntax"),
        ("{% if x %}y{% endif %}", "template syntax"),
        ("<b>AT&T</b>", "HTML markup"),
        ("<script>alert(1)</script>", "HTML markup"),
    ],
)
def test_template_and_markup_are_kept_literally_with_a_warning(literal: str, warning: str, real: Corpus) -> None:
    text = MINIMAL.replace("title: Speaking Up", f"title: '{literal}'") + f"summary: 'Say {literal} here.'\n"
    lesson, problems = check(text, real)
    assert lesson is not None
    assert errors_only(problems) == []
    assert lesson.spec.title == literal
    assert lesson.spec.summary == f"Say {literal} here."
    warned = {(p.position.line, p.position.col) for p in problems if warning in p.message}
    assert warned == {(1, 8), (9, 10)}
    assert all(p.severity == "warning" for p in problems)


def test_ampersand_and_angle_brackets_alone_are_not_warned_about(real: Corpus) -> None:
    text = MINIMAL.replace("title: Speaking Up", "title: 'Rights & wrongs: 3 < 4 > 2'")
    lesson, problems = check(text, real)
    assert lesson is not None
    assert problems == []
    assert lesson.spec.title == "Rights & wrongs: 3 < 4 > 2"


# --------------------------------------------------------------------------------------
# Characters the fonts can and cannot draw.


def test_undrawable_character_is_an_error_at_its_exact_column(real: Corpus) -> None:
    text = MINIMAL.replace("title: Speaking Up", "title: Speaking \U00013000 Up")
    problems = invalid(text, real)
    p = error_at(problems, 1, 17, "no font can draw")
    assert "U+13000" in p.message


def test_undrawable_character_in_a_folded_block_is_found_on_its_line(real: Corpus) -> None:
    text = MINIMAL + "summary: >-\n  A first line.\n  Then \U00013000 here.\n"
    problems = invalid(text, real)
    error_at(problems, 11, 8, "U+13000")


def test_undrawable_emoji_in_a_list_item(real: Corpus) -> None:
    text = MINIMAL + "objectives:\n  - Fine.\n  - Smile \U0001f600\n"
    problems = invalid(text, real)
    error_at(problems, 11, 11, "U+1F600")


@pytest.mark.parametrize(
    "words",
    ["Dŵr a thŷ", "Ελληνικά αβγ", "Кириллица жшщ", "naïve café — “quoted” ‘single’ … £5 €5", "Ōkami ß Æ ø"],
)
def test_welsh_greek_cyrillic_and_typography_are_drawable(words: str, real: Corpus) -> None:
    lesson = valid(MINIMAL.replace("title: Speaking Up", f"title: {words}"), real)
    assert lesson.spec.title == words


def test_huge_number_is_text_and_refused_as_a_duration(real: Corpus) -> None:
    problems = invalid(MINIMAL.replace("duration: 30", "duration: " + "9" * 5000), real)
    error_at(problems, 4, 11, "'duration' should be a whole number, not text '999")


def test_unknown_excerpt_id_with_no_close_match_lists_the_specs_ids(real: Corpus) -> None:
    problems = invalid(MINIMAL + "questions:\n  - text: Why?\n    excerpts: [zzz]\n", real)
    error_at(problems, 11, 16, "no excerpt has the id 'zzz'; excerpts in this spec: tipping")


def test_every_question_without_answer_guidance_is_a_warning_at_its_text(real: Corpus) -> None:
    text = MINIMAL + (
        "questions:\n"
        "  - text: Why a tipping point?\n    excerpts: [tipping]\n    answer: Things are changing fast.\n"
        "  - text: What happens next?\n    excerpts: [tipping]\n"
        "  - text: Who decides?\n"
    )
    lesson, problems = check(text, real)
    assert lesson is not None
    warned = [(p.position.line, p.position.col) for p in problems if "no answer guidance" in p.message]
    assert warned == [(13, 11), (15, 11)]
    assert all(p.severity == "warning" for p in problems)
    assert "question 2 has no answer guidance; add 'answer:'" in problems[0].message
