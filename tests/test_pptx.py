"""The PPTX writer and the slides edition, read back with python-pptx: the deck follows the lesson
(every flagged extract's note on the slide before it), the teacher's words are in the speaker
notes and never on a slide, type is large enough for the back of a room, text that does not fit
continues on the next slide, spec text is literal, and the same input gives the same bytes."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from generator.model import Callout, Deck, Document, Paragraph, Quote, Slide, Span, dump, spans
from generator.runners.build import Builder, Project, Report
from generator.writers import ALL, FORMATS, HANDOUT, PRINT_EDITIONS
from generator.writers.pptx import measure, plan, render, style
from tests.deckcheck import SlideText, read_deck

ROOT = Path(__file__).resolve().parent.parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LONG = (
    "When he heard a voice thus calling to him, he was standing at the door of his box, with a flag in "
    "his hand, furled round its short pole. One would have thought, considering the nature of the "
    "ground, that he could not have doubted from what quarter the voice came; but instead of looking "
    "up to where I stood on the top of the steep cutting nearly over his head, he turned himself about, "
    "and looked down the Line. "
) * 2


def deck_of(spec: Path, variant: str = "standard") -> tuple[Deck, bytes]:
    builder = Builder(Project(ROOT), variant=variant)  # type: ignore[arg-type]
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    deck = builder.compose(lesson, found, "slides")
    return deck, render(deck)


@pytest.fixture(scope="module")
def shipped(shipped_build: tuple[Path, Report]) -> dict[str, tuple[Deck, list[SlideText]]]:
    """Every shipped pack's deck as composed, and its PPTX from the session's build (tests/conftest.py) read back."""
    builder = Builder(Project(ROOT))
    found = {}
    for spec in sorted((ROOT / "packs").glob("*.yaml")):
        if spec.name.endswith(".printset.yaml"):
            continue
        lesson, judged, problems = builder.check(spec)
        assert lesson is not None and judged is not None, problems
        pptx = shipped_build[1].paths[lesson.id][("slides", "pptx")]
        found[spec.stem] = (builder.compose(lesson, judged, "slides"), read_deck(pptx)[0])
    return found


# -- measuring -------------------------------------------------------------------------------


def _dejavu_table() -> dict[str, object]:
    from fontTools.ttLib import TTFont

    from generator.writers import fonts

    covered = fonts.main_coverage() | fonts.fallback_coverage()
    table: dict[str, object] = {"font": "DejaVu Sans 2.37 (Debian fonts-dejavu-core)", "units_per_em": 2048}
    for key, name in (("regular", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
        font = TTFont(str(DEJAVU / name), lazy=True)
        hmtx, cmap = font["hmtx"].metrics, font.getBestCmap()
        runs: list[list[object]] = []
        for code in sorted(c for c in cmap if c in covered):
            if runs and int(runs[-1][0]) + len(runs[-1][1]) == code:  # type: ignore[arg-type, call-overload]
                runs[-1][1].append(hmtx[cmap[code]][0])  # type: ignore[attr-defined]
            else:
                runs.append([code, [hmtx[cmap[code]][0]]])
        table[key] = runs
    return table


def test_the_committed_dejavu_widths_are_the_fonts() -> None:
    """The widths LibreOffice's stand-in font has, as committed (LESSONPACK_UPDATE_WIDTHS=1 rewrites them)."""
    if not (DEJAVU / "DejaVuSans.ttf").exists():
        from tests.tools import require

        require("fc-list")  # CI installs fonts-dejavu-core; without it, say why this is skipped
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core)")
    table = _dejavu_table()
    if os.environ.get("LESSONPACK_UPDATE_WIDTHS"):
        measure.DEJAVU_WIDTHS.write_text(json.dumps(table, separators=(",", ":")) + "\n", encoding="utf-8")
    assert json.loads(measure.DEJAVU_WIDTHS.read_text(encoding="utf-8")) == table


def test_every_character_is_measured_at_its_widest_font() -> None:
    from generator.writers import fonts

    for bold in (False, True):
        widest = measure.ems(bold)
        atkinson = measure._font_ems(fonts.main_fonts().bold if bold else fonts.main_fonts().regular)
        for code, em in atkinson.items():
            assert widest[code] >= em * measure.SAFETY - 1e-9
        assert widest[ord("W")] > atkinson[ord("W")]


def test_wrapping_and_sharing_out_keep_every_word_and_fit() -> None:
    words = measure.words([(LONG, False)])
    lines = measure.line_count(words, 0, len(words), 800, 30)
    assert lines > 5
    assert measure.line_count(measure.words([("Supercalifragilisticexpialidocious", False)]), 0, 1, 100, 28) > 1
    line_h, room = 36.0, 300.0

    def fits(i: int, j: int, first: bool) -> bool:
        return j - i <= 90 and measure.line_count(words, i, j, 800, 30) * line_h <= (room / 2 if first else room)

    ends = measure.share_out(len(words), fits, lambda j: 0.0)
    assert ends is not None and ends[-1] == len(words)
    starts = [0, *ends[:-1]]
    assert all(fits(a, b, k == 0) for k, (a, b) in enumerate(zip(starts, ends, strict=True)))
    # As few parts as hold it: no part could take the next part's first word as well and still...
    assert len(ends) <= 1 + -(-len(words) // 60)


# -- the deck's order and its notes -------------------------------------------------------------


def test_every_flagged_extract_has_its_note_on_the_slide_before(
    shipped: dict[str, tuple[Deck, list[SlideText]]],
) -> None:
    for name, (document, slides) in shipped.items():
        model = document.slides
        assert model[0].kind == "title" and model[-1].kind == "support", name
        noted = {model[k + 1].title for k, m in enumerate(model) if m.kind == "content-note"}
        assert all(model[k + 1].kind == "extract" for k, m in enumerate(model) if m.kind == "content-note"), name
        assert noted, name
        for i, s in enumerate(slides):
            if s.kind == "extract" and s.title in noted:
                assert slides[i - 1].kind == "content-note", (name, s.title)
        assert len([s for s in slides if s.kind == "extract" and s.title in noted]) == len(noted), name


def test_slides_follow_the_lesson_in_time_order(shipped: dict[str, tuple[Deck, list[SlideText]]]) -> None:
    document, _ = shipped["start-a-conversation"]
    titles = [s.title for s in document.slides]
    order = ["Being an Ally — Start a Conversation", "About today’s reading", "Keywords", "Ground rules (7 minutes)",
             "Starter quiz (4 minutes)", "Starter quiz: question 1", "Starter quiz: answers",
             "Why can a problem stay hidden? (11 minutes)", "Before you read", "Extract 1", "Question 1",
             "Exit quiz (4 minutes)", "Exit quiz: answers", "Calm close (6 minutes)", "What to remember",
             "Where to get help"]  # fmt: skip
    at = [titles.index(t) for t in order]
    assert at == sorted(at), list(zip(order, at, strict=True))


def test_teacher_words_are_in_the_notes_and_never_on_a_slide(
    shipped: dict[str, tuple[Deck, list[SlideText]]],
) -> None:
    from generator.readers import source, spec
    from generator.readers.corpus import load_corpus

    corpus, _ = load_corpus(ROOT / "seeds")
    for name, (_, slides) in shipped.items():
        loaded, _ = source.load(ROOT / "packs" / f"{name}.yaml", name)
        assert loaded is not None
        lesson, _ = spec.validate(loaded, corpus, name)
        assert lesson is not None
        teacher = [q.answer for q in lesson.spec.questions if q.answer]
        teacher += [a.notes for a in lesson.spec.activities if a.notes]
        given = lesson.spec
        teacher += [m.response for m in given.misconceptions] + list(given.objectives) + list(given.teacher_notes)
        on_slides = " ".join(" ".join(s.text.split()) for s in slides)
        in_notes = " ".join(" ".join(s.notes.split()) for s in slides)
        for text in teacher:
            words = " ".join(text.split())
            probe = words[:60]
            assert probe not in on_slides, (name, probe)
            assert probe in in_notes, (name, probe)
        # Answer guidance, the decisions and the answer key are in the notes.
        assert "Allowed from age" in in_notes and "Answer" in in_notes, name
        assert "Allowed from age" not in on_slides and "Answer guidance" not in on_slides, name
        question_slides = [s for s in slides if s.kind == "quiz"]
        assert all(s.notes.startswith("Answer:") for s in question_slides), name


# Slides of lists: kept whole on one slide when they fit, whatever their words.
LISTS = ("keywords", "activity", "answers", "remember", "support")


def test_sizes_fonts_and_words_are_for_the_back_of_the_room(
    shipped: dict[str, tuple[Deck, list[SlideText]]], tmp_path: Path
) -> None:
    for name, (_, slides) in shipped.items():
        for n, s in enumerate(slides, 1):
            assert s.title_sizes and min(s.title_sizes) >= 36, (name, n, s.title)
            assert not s.body_sizes or min(s.body_sizes) >= 24, (name, n, s.title)
            # Prose is shared out by the word budget; a list that fits one slide stays on one.
            if s.kind not in LISTS:
                assert s.words <= style.STANDARD.max_words, (name, n, s.title, s.words)
            assert s.fonts <= {style.TYPEFACE}, (name, n, s.fonts)
    _, data = deck_of(ROOT / "packs" / "start-a-conversation.yaml", "large-print")
    (tmp_path / "large.pptx").write_bytes(data)
    large, width, height = read_deck(tmp_path / "large.pptx")
    assert (width, height) == (960, 540)
    assert min(x for s in large for x in s.title_sizes) >= 40
    assert min(x for s in large for x in s.body_sizes) >= 28
    assert max(s.words for s in large if s.kind not in LISTS) <= style.LARGE_PRINT.max_words
    assert len(large) > len(shipped["start-a-conversation"][1])


# -- continuing, literal text, bytes ---------------------------------------------------------------


def _one(slide: Slide, tmp_path: Path) -> list[SlideText]:
    deck = Deck("T", "S", "H", "en-GB", "a4", (slide,))
    (tmp_path / "one.pptx").write_bytes(render(deck))
    return read_deck(tmp_path / "one.pptx")[0]


def test_a_long_extract_continues_on_the_next_slide_with_its_citation(tmp_path: Path) -> None:
    slide = Slide(
        "extract",
        "Extract 1",
        (Paragraph((Span("An intro.", italic=True),)), Quote((LONG,), "A. Writer")),
        (spans("Reading age 12"),),
    )
    pages = plan.plan(slide, style.STANDARD, "(continued)")
    assert len(pages) >= 2
    slides = _one(slide, tmp_path)
    assert [s.title for s in slides] == ["Extract 1"] + ["Extract 1 (continued)"] * (len(slides) - 1)
    assert all("A. Writer" in s.text and s.notes == "Reading age 12" for s in slides)
    assert " ".join(" ".join(t for n, t in s.texts if n == "Extract") for s in slides).split() == LONG.split()
    for page in pages:
        for shape in page.shapes:
            assert shape.y + getattr(shape, "h", 0) <= style.STANDARD.bottom + 0.5


def test_spec_text_is_literal_on_slides(tmp_path: Path) -> None:
    slide = Slide("question", "Q {{ 7*7 }}", (Paragraph(spans("{{ 7*7 }} <b>AT&T</b>   & done")),))
    (s,) = _one(slide, tmp_path)
    assert s.title == "Q {{ 7*7 }}" and "{{ 7*7 }} <b>AT&T</b>   & done" in s.text


def test_two_builds_give_the_same_bytes_and_no_template_leftovers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    spec = ROOT / "packs" / "justice-or-prevention.yaml"
    first, second = deck_of(spec)[1], deck_of(spec)[1]
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        names = z.namelist()
        assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert not any("thumbnail" in n or "printerSettings" in n for n in names)
        xml = b"".join(z.read(n) for n in names if n.endswith((".xml", ".rels")))
        core = z.read("docProps/core.xml")
    for leftover in (b"python-pptx", b"Steve Canny", b"Microsoft Macintosh", b"2013-01-27", b"screen4x3"):
        assert leftover not in xml, leftover
    assert b"<p:notesMasterIdLst>" in xml and b"dcterms:created" not in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with zipfile.ZipFile(io.BytesIO(deck_of(spec)[1])) as z:
        assert b"2023-11-14T22:13:20Z" in z.read("docProps/core.xml")


def test_the_deck_goes_only_to_the_formats_that_take_a_deck() -> None:
    """The deck is its own type, not a document of slides: each format says which it takes, and
    the registry gives a print writer no deck and the deck's writers no document."""
    slide = Slide(
        "content-note",
        "Before you read",
        (Callout("content-note", "", (spans("A note."),)),),
        (spans("Teacher only."),),
    )
    deck = Deck("T", "S", "H", "en-GB", "a4", (slide,))
    document = Document("T", "S", "H", "en-GB", "a4", (Paragraph(spans("A page.")),))
    assert "deck: T (a4, en-GB)" in dump(deck) and "==== slide [content-note] Before you read" in dump(deck)
    assert {f.name for f in (*ALL, HANDOUT) if f.takes == "deck"} == {"pptx", "handout"}
    for fmt in (*FORMATS, HANDOUT):
        right, wrong = (deck, document) if fmt.takes == "deck" else (document, deck)
        assert fmt.editions == (("slides",) if fmt.takes == "deck" else PRINT_EDITIONS)
        assert fmt.render(right)[:4] in (b"%PDF", b"PK\x03\x04", b"<!DO"), fmt.name
        with pytest.raises(TypeError, match=f"the {fmt.name} writer takes a {fmt.takes}"):
            fmt.render(wrong)


def test_a_title_of_words_too_wide_for_a_title_line_still_leaves_the_slide_room(tmp_path: Path) -> None:
    """A title check allows (no word over 100 characters) can be three words of wide letters that no
    title size sets in two lines in large print: the title then comes down to the body's sizes, so
    the title slide still holds the lesson's outcome (found by a property test of specs at the
    limits: the large-print deck failed with 'a slide cannot hold one word of this text')."""
    title = f"{'M' * 40} {'M' * 26}{'W' * 14} {'M' * 18}"
    (tmp_path / "packs").mkdir()
    spec = tmp_path / "packs" / "wide.yaml"
    spec.write_text(
        f'title: "{title}"\nsubject: "PSHE"\naudience:\n  ages: 11-14\nduration: 5\n'
        'outcome: "I can name one ally action."\n'
        "excerpts:\n  - id: a\n    seed: no-going-back\n"
        '    quote: "Bringing the subject to attention is the starting point."\n',
        encoding="utf-8",
    )
    builder = Builder(Project(ROOT), variant="large-print")
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    deck = builder.compose(lesson, found, "slides")
    st = style.style(True)
    pages = plan.pages_of(deck, st)
    (tmp_path / "wide.pptx").write_bytes(render(deck))
    slides = read_deck(tmp_path / "wide.pptx")[0]
    assert len(slides) == len(pages) and slides[0].title.split() == title.split()
    assert "I can name one ally action." in slides[0].text
    for page in pages:
        assert page.title.y + page.title.h < st.bottom / 2  # the title leaves most of the slide
        assert all(shape.y + getattr(shape, "h", 0) <= st.bottom + 0.5 for shape in page.shapes)
