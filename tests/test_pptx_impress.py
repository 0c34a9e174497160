"""Every shipped deck, standard and large print, and a held-out pack written here, as a real
consumer shows them: LibreOffice Impress converts each to PDF, one page a slide; every word it
sets lies on its page and inside one of its slide's text boxes (nothing overflowed); the page
before every flagged extract is its content note; and python-pptx reads the same decks back."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.model import Variant
from generator.runners.build import Builder, Project, find_specs
from generator.writers import BY_NAME
from tests.deckcheck import SlideText, misplaced, pdf_pages, read_deck, to_pdf
from tests.tools import require, soffice

ROOT = Path(__file__).resolve().parent.parent
VARIANTS: tuple[Variant, ...] = ("standard", "large-print")

# A pack no shipped deck is like: a political extract (opinion label and balancing question), a
# long extract that must continue, the quizzes done in activities, literal markup, no keywords.
HELD_OUT = """\
title: "Whose Justice? {{ 7*7 }} <b>AT&T</b>"
audience:
  ages: 16-18
duration: 40
outcome: I can explain one writer's political argument and what someone who disagrees would say.
key_points: [One writer's opinion is not a fact., Weigh each side's evidence.]
starter_quiz:
  - question: What is an opinion?
    answer: What someone thinks, which others may not share
    distractors: [A fact everyone agrees on, A law passed by parliament]
  - question: What does balance mean in a debate?
    answer: Hearing the strongest case on each side
    distractors: [Giving every speaker a timer, Agreeing with the teacher]
exit_quiz:
  - question: What should a balanced answer include?
    answer: The strongest view on each side, with evidence
    distractors: [Only the view you hold, The view most people hold]
  - question: Is the writer's closing view a fact?
    answer: No, it is one writer's political opinion
    distractors: ["Yes, because it was published", "Yes, because it is in a lesson"]
excerpts:
  - id: struggle
    seed: metoo-and-beyond
    quote: >-
      We must continue to struggle against patriarchy and strikes blow against the capitalist
      system. Ultimately socialism will be the beginning of the end of women’s oppression, in the
      meantime we can fight to win all we can.
  - id: respond
    seed: valor-prevention
    quote: >-
      When all we do is respond to a problem, we never open our minds to a world where the problem doesn’t
      exist. Harvey Weinstein, the abusers who came before him, as well as all who will come after, are a
      reminder that we must invest in prevention. While responding to sexual violence and providing a path
      to healing are important pieces to our work, they cannot exist alone.
questions:
  - text: What does the writer argue, in your own words?
    excerpts: [struggle]
    answer: That ending women's oppression needs a change of economic system; a fair summary names it as her view.
activities:
  - title: Starter
    minutes: 5
    quiz: starter
    steps: [Answer the starter quiz on your own.]
  - title: A political argument, read closely and weighed against the strongest view of someone who disagrees
    minutes: 25
    excerpts: [struggle, respond]
    steps: [Read the extract., Summarise the argument., Write the strongest reply.]
    notes: Present the writer's view factually; do not share your own.
  - title: Exit
    minutes: 10
    quiz: exit
    steps: [Answer the exit quiz.]
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[Variant, list[Path]]:
    """Every shipped pack and the held-out pack built as decks by the real builder, in each variant."""
    work = tmp_path_factory.mktemp("decks")
    (work / "packs").mkdir()
    held_out = work / "packs" / "whose-justice.yaml"
    held_out.write_text(HELD_OUT, encoding="utf-8")
    specs = [*find_specs([ROOT / "packs"]), held_out]
    found: dict[Variant, list[Path]] = {}
    for variant in VARIANTS:
        out = work / variant
        report = Builder(Project(ROOT), variant=variant, formats=(BY_NAME["pptx"],)).build(specs, out)
        assert not report.failed, [str(p) for p in report.problems]
        found[variant] = sorted(out.rglob("*.pptx"))
        assert len(found[variant]) == len(specs), found[variant]
    return found


@pytest.fixture(scope="module")
def converted(decks: dict[Variant, list[Path]], tmp_path_factory: pytest.TempPathFactory) -> dict[Variant, Path]:
    """Impress's PDF of every deck: one LibreOffice process per variant, the two side by side."""
    soffice()
    require("pdftotext", "pdfinfo")
    work = tmp_path_factory.mktemp("impress")
    with ThreadPoolExecutor(len(VARIANTS)) as pool:
        jobs = {v: pool.submit(to_pdf, decks[v], work / v) for v in VARIANTS}
        return {v: job.result() for v, job in jobs.items()}


def _pairs(decks: dict[Variant, list[Path]], converted: dict[Variant, Path]) -> list[tuple[Path, Path]]:
    return [(deck, converted[v] / f"{deck.stem}.pdf") for v in VARIANTS for deck in decks[v]]


def test_impress_sets_every_word_inside_its_box_and_on_its_slide(
    decks: dict[Variant, list[Path]], converted: dict[Variant, Path]
) -> None:
    for deck, pdf in _pairs(decks, converted):
        slides, width, height = read_deck(deck)
        pages = pdf_pages(pdf)
        assert len(pages) == len(slides), (deck.name, len(pages), len(slides))
        assert all((round(w), round(h)) == (960, 540) for w, h, _ in pages), deck.name
        assert sum(len(words) for _, _, words in pages) > 200, deck.name
        assert misplaced(slides, pages) == [], deck.name


def test_the_page_before_each_flagged_extract_is_its_note(
    decks: dict[Variant, list[Path]], converted: dict[Variant, Path]
) -> None:
    seen = 0
    for deck, pdf in _pairs(decks, converted):
        slides = read_deck(deck)[0]
        pages = pdf_pages(pdf)
        notes = {"Before you read", "Content note"}
        for i, s in enumerate(slides):
            if s.kind != "extract" or s.title.endswith("(continued)") or slides[i - 1].kind != "content-note":
                continue
            seen += 1
            before = " ".join(w[0] for w in pages[i - 1][2])
            note_text = " ".join(slides[i - 1].text.split())
            assert " ".join(note_text.split()[:6]) in before, (deck.name, s.title)
            assert any(n in before for n in notes) or "(continued)" in before, (deck.name, s.title)
        # Every extract with a note in the deck has it on the page before (checked from the model
        # in test_pptx); here every note page is followed by its extract or the note's continuation.
        for i, s in enumerate(slides[:-1]):
            if s.kind == "content-note":
                assert slides[i + 1].kind in ("content-note", "extract"), (deck.name, s.title)
    assert seen >= 2 * 8


def test_the_held_out_deck_shows_everything_it_should(decks: dict[Variant, list[Path]]) -> None:
    for variant in VARIANTS:
        deck = next(d for d in decks[variant] if d.name.startswith("whose-justice"))
        slides: list[SlideText] = read_deck(deck)[0]
        text = "\n".join(s.title + "\n" + s.text for s in slides)
        assert " ".join(slides[0].title.split()) == "Whose Justice? {{ 7*7 }} <b>AT&T</b>"  # titles break by hand
        assert "Opinion" in text and "What would someone who disagrees say" in text
        # 69 words: more than a large-print slide holds, so it continues on the next slide.
        assert any(s.title == "Extract 2 (continued)" for s in slides) or variant == "standard"
        kinds = [s.kind for s in slides]
        assert kinds.index("quiz") == kinds.index("activity") + 1  # the starter quiz is done in its activity
        assert kinds[-1] == "support"
        assert "Present the writer’s view factually" not in text
        assert any("Present the writer’s view factually" in s.notes for s in slides)
