"""A question's slide is one slide, in standard and in large print, read back from the PPTX: the
question whole, with as much of its extracts as fits (fewer sentences; where even one sentence of
each is too much, the extracts it is most about), each shown extract with its citation and never
only omission marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.lesson import focus
from generator.model import Deck, Paragraph, Quote, Slide, Variant, plain, spans
from generator.runners.build import Builder, Project, Report, find_specs
from generator.writers.pptx import plan, render, style
from tests.deckcheck import SlideText, read_deck

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])
CITATION = "A. Writer, ‘An Essay With a Long Title That Takes Up Most of a Line of the Slide’ (2020), paragraph 12."
LONG = (
    "The first sentence sets the scene at some length, with more words than a slide could hold. "
    "The second sentence says that bystanders who speak up change what a room thinks is normal. "
    "The third sentence is about something else entirely, a story about a school trip. "
)


@pytest.fixture(scope="module", params=["standard", "large-print"])
def decks(request: pytest.FixtureRequest) -> list[tuple[Deck, list[SlideText]]]:
    """Every shipped pack's deck, as composed and as its PPTX reads back (the PPTX the session's
    build of that variant wrote: tests/conftest.py)."""
    variant: Variant = request.param
    builder = Builder(Project(ROOT), variant=variant)
    session = "shipped_build" if variant == "standard" else "shipped_large_print_build"
    report: Report = request.getfixturevalue(session)[1]
    found = []
    for spec in SPECS:
        lesson, judged, problems = builder.check(spec)
        assert lesson is not None and judged is not None, [str(p) for p in problems]
        deck = builder.compose(lesson, judged, "slides")
        found.append((deck, read_deck(report.paths[lesson.id][("slides", "pptx")])[0]))
    return found


def test_every_shipped_question_slide_is_one_slide(decks: list[tuple[Deck, list[SlideText]]]) -> None:
    asked = 0
    for deck, slides in decks:
        for question in (s for s in deck.slides if s.kind == "question"):
            shown = [s for s in slides if s.title.startswith(question.title)]
            assert [s.title for s in shown] == [question.title], (deck.title, question.title)
            (slide,) = shown
            text = " ".join(slide.text.split())
            asked_text = " ".join(plain(b.spans) for b in question.blocks if isinstance(b, Paragraph))
            assert " ".join(asked_text.split()) in text, (deck.title, question.title)  # the question whole
            extracts = [t for name, t in slide.texts if name == "Extract"]
            citations = [t for name, t in slide.texts if name == "Citation"]
            quotes = [b for b in question.blocks if isinstance(b, Quote)]
            assert len(extracts) == len(citations) <= len(quotes), (deck.title, question.title)
            assert set(citations) <= {q.citation for q in quotes}
            for extract in extracts:  # some of the extract's own words, never only "… …"
                assert focus.words(extract.replace(focus.ELLIPSIS, "")) >= 3, (deck.title, question.title, extract)
            asked += 1
    assert asked > 40


def test_a_question_slide_too_full_for_two_extracts_keeps_the_one_it_is_most_about(tmp_path: Path) -> None:
    other = Quote((LONG.replace("bystanders who speak up", "the weather"),), CITATION.replace("12", "3"))
    about = Quote((LONG,), CITATION)
    question = Paragraph(spans(
        "The writer says bystanders who “speak up” change what a room thinks is normal. Is that true of your "
        "school, and what would make it easier for someone to speak up when they see something wrong?"
    ))  # fmt: skip
    slide = Slide("question", "Question 3", (other, about, question))
    assert len(plan._plan(slide, style.LARGE_PRINT, "(continued)")) > 1  # as composed, it would spill
    (page,) = plan.plan(slide, style.LARGE_PRINT, "(continued)")
    path = tmp_path / "one.pptx"
    path.write_bytes(render(Deck("T", "S", "H", "en-GB", "a4", (slide,), large_print=True)))
    (read,) = read_deck(path)[0]
    assert [t for name, t in read.texts if name == "Citation"] == [CITATION]
    assert "bystanders who speak up" in read.text and "the weather" not in read.text


def test_a_question_longer_than_a_slides_word_budget_is_set_whole_on_one_slide() -> None:
    words = " ".join(f"word{n}" for n in range(75)) + "?"
    slide = Slide("question", "Question 6", (Paragraph(spans(words)),))
    assert focus.words(words) > style.LARGE_PRINT.max_words
    (page,) = plan.plan(slide, style.LARGE_PRINT, "(continued)")
    assert page.words == 75


def test_an_omission_mark_already_in_an_extract_is_never_chosen_as_a_sentence() -> None:
    shown = ("… The second sentence says an open secret is something everyone knows, and says it at length. …",)
    kept = focus.focus(shown, "What is an “open secret”?", 6)
    assert kept != ("… …",) and focus.words(kept[0].replace(focus.ELLIPSIS, "")) >= 5
    assert focus.least(shown, "What is an “open secret”?") > 1
