"""A quote that does not match: the error is at the first word that differs, in whichever way
the YAML writes the quote, and its message names the closest passage and every difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Problem
from generator.readers import source, spec
from generator.readers.corpus import Corpus, load_corpus

ROOT = Path(__file__).parent.parent
HEAD = "title: Speaking Up\naudience:\n  ages: 14-16\nduration: 30\nexcerpts:\n  - id: start\n    seed: no-going-back\n"


@pytest.fixture(scope="module")
def real() -> Corpus:
    loaded, problems = load_corpus(ROOT / "seeds")
    assert problems == []
    return loaded


def quote_error(text: str, real: Corpus) -> Problem:
    loaded, problems = source.load_text("lesson.yaml", HEAD + text)
    assert loaded is not None, [str(p) for p in problems]
    lesson, problems = spec.validate(loaded, real, "lesson")
    assert lesson is None
    [found] = [p for p in problems if "the quote" in p.message]
    return found


def where(problem: Problem) -> tuple[int, int]:
    return problem.position.line, problem.position.col


def test_two_typos_point_at_the_first_and_name_both(real: Corpus) -> None:
    p = quote_error("    quote: Bringing tha subjekt to attention is the starting point.\n", real)
    assert where(p) == (8, 21)
    assert p.message == (
        "the quote is not in seed 'no-going-back'; the closest passage is paragraph 17 (96% similar): "
        "“Bringing ⟦the⟧ ⟦subject⟧ to attention is the starting point.”; "
        "the quote has “tha” where the text has “the”; “subjekt” where it has “subject”"
    )


def test_an_inserted_letter_names_the_real_words(real: Corpus) -> None:
    p = quote_error("    quote: Bringing the subjject to attention is the starting point.\n", real)
    assert where(p) == (8, 25)
    assert p.message.endswith("the quote has “subjject” where the text has “subject”")


def test_a_zero_width_space_written_as_an_escape(real: Corpus) -> None:
    p = quote_error('    quote: "Bringing the sub\\u200bject to attention is the starting point."\n', real)
    assert where(p) == (8, 26)  # the word's visible start, after the opening quote mark
    assert p.message.endswith("the quote has “sub<U+200B>ject” where the text has “subject”")
    assert "\u200b" not in p.message


@pytest.mark.parametrize(
    "written",
    [
        "    quote: Bringing the subject to attention is the startng point.\n",
        "    quote: 'Bringing the subject to attention is the startng point.'\n",
        '    quote: "Bringing the subject to attention is the startng point."\n',
        # Folded over lines, plain and quoted, and block scalars: the word is on a later line.
        "    quote: Bringing the subject to attention\n      is the startng point.\n",
        '    quote: "Bringing the subject to attention\n      is the startng point."\n',
        "    quote: >-\n      Bringing the subject to attention\n      is the startng point.\n",
        "    quote: |-\n      Bringing the subject to attention\n      is the startng point.\n",
    ],
)
def test_the_position_is_the_first_differing_word_in_any_yaml_style(real: Corpus, written: str) -> None:
    p = quote_error(written, real)
    lines = (HEAD + written).split("\n")
    [line] = [n for n, text in enumerate(lines, 1) if "startng" in text]
    assert where(p) == (line, lines[line - 1].index("startng") + 1), p
    assert "“startng” where the text has “starting”" in p.message


def test_escaped_quote_marks_before_the_word_do_not_move_it(real: Corpus) -> None:
    written = (
        "    quote: 'It''s therefore important to create ''safe spaces'' that these conversatons can be had in.'\n"
    )
    p = quote_error(written, real)
    assert where(p) == (8, written.index("conversatons") + 1)
    assert p.message.endswith("the quote has “conversatons” where the text has “conversations”")


def test_a_differing_word_that_is_also_earlier_in_the_quote(real: Corpus) -> None:
    # "the" is in the quote five times before the one that should be "to".
    line = (
        "    quote: Bringing the subject to attention is the starting point. Many people will have never "
        "had the opportunity to unpack what some of the sensitive subjects involved mean or mean the them.\n"
    )
    p = quote_error(line, real)
    assert where(p) == (8, line.rindex("the them") + 1)
    assert p.message.endswith("the quote has “the” where the text has “to”")


def test_nothing_close_points_at_the_quote(real: Corpus) -> None:
    p = quote_error("    quote: Zebras quietly juggle eleven violet pianos.\n", real)
    assert where(p) == (8, 12)
    assert p.message == "the quote is not in seed 'no-going-back' and nothing in it comes close"


def test_a_word_cut_in_the_middle(real: Corpus) -> None:
    p = quote_error("    quote: ringing the subject to attention is the starting point.\n", real)
    assert where(p) == (8, 12)
    assert p.message == (
        "the quote starts or ends in the middle of a word in seed 'no-going-back' (paragraph 17): "
        "“ringing” is part of “Bringing”; quote whole words"
    )


def test_a_passage_over_two_paragraphs_names_both(real: Corpus) -> None:
    text = "    quote: ‘King of Hollywood’ was sentenced to 23 yaers in prison\n"
    p = quote_error(text, real)
    assert "closest passage is paragraph 2 " in p.message
    text = "    seed: tipping-point\n    quote: We are at a tipping point. Three weeks ago, Harvey Weinstien was\n"
    loaded, _ = source.load_text("lesson.yaml", HEAD.replace("    seed: no-going-back\n", "") + text)
    assert loaded is not None
    _, problems = spec.validate(loaded, real, "lesson")
    [p] = problems
    assert "the closest passage is paragraphs 1–2 " in p.message
    assert where(p) == (8, text.split("\n")[1].index("Weinstien") + 1)


def test_every_message_is_one_line(real: Corpus) -> None:
    paragraph = real.seeds["no-going-back"].paragraphs[16].split()[5:]
    long = " ".join(w + "x" if n % 3 == 0 else w for n, w in enumerate(paragraph))
    p = quote_error(f"    quote: '{long.replace(chr(39), chr(39) * 2)}'\n", real)
    assert "\n" not in p.message
    assert "more differences" in p.message
    assert len(p.message) < 2000
