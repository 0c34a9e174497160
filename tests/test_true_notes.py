"""Every printed word about the content is true: each category a pupil note names (in the built
student PDF, standard and large print) is raised by some extract's own quoted words or tags, never
by a cited title; the teacher's right-to-withdraw and check-the-facts notes likewise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.lesson import judging, wording
from generator.readers import policy
from generator.readers.corpus import Corpus
from generator.readers.spec import load_lesson
from generator.runners.build import Report, find_specs

from .tools import pdf_text

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])
POLICY = policy.default()
WORDS: Any = wording.load(ROOT / "templates").env.get_template("guidance.j2").module
# The sentences that name what the extracts discuss: the opening note and the note before an extract.
NOTE = re.compile(
    r"(?:These extracts discuss|These texts discuss|sentences we read today talk about|This extract mentions"
    r"|This part talks about|This lesson includes) (.+?)(?:\. |, which may form)"
)


def text_of(path: Path) -> str:
    return pdf_text(path)


def named(note: str) -> set[str]:
    """The categories whose pupil wording (any band, long or short) a note's list contains."""
    found = set()
    for category in POLICY.categories.values():
        for table in (WORDS.topics, WORDS.short):
            phrases = table[category.wording].values()
            if any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", note) for p in phrases):
                found.add(category.id)
    return found


def raised(spec: Path, corpus: Corpus) -> set[str]:
    """What the extracts' own words and tags raise, found afresh from the quoted text alone."""
    lesson, problems = load_lesson(spec, corpus)
    assert lesson is not None, [str(p) for p in problems]
    out = set()
    for ex in lesson.excerpts:
        out |= {f.category.id for f in judging.flags(judging.detect(ex.match.text, POLICY), POLICY)}
        out |= {t.split("/")[0].strip() for t in ex.tags}
    return out


@pytest.fixture(scope="module")
def built(shipped_build: tuple[Path, Report], shipped_large_print_build: tuple[Path, Report]) -> dict[str, Path]:
    """Every shipped pack built in standard and large print (the session's builds; this file reads the PDFs)."""
    for _, report in (shipped_build, shipped_large_print_build):
        assert report.failed == []
    return {"standard": shipped_build[0], "large-print": shipped_large_print_build[0]}


@pytest.mark.parametrize("variant", ["standard", "large-print"])
@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_every_category_a_note_names_is_raised_by_an_extract(
    spec: Path, variant: str, built: dict[str, Path], corpus: Corpus
) -> None:
    own = raised(spec, corpus)
    folder = built[variant] / spec.stem
    tail = "" if variant == "standard" else "-large-print"
    pupils = next(p for p in folder.glob("*.pdf") if "teacher" not in p.name and p.stem.endswith(tail or "t"))
    for edition in (pupils, folder / f"{spec.stem}-teacher{tail}.pdf"):
        text = text_of(edition)
        for note in NOTE.findall(text):
            assert named(note) <= own, (edition.name, note, own)
    teacher = text_of(folder / f"{spec.stem}-teacher{tail}.pdf")
    # "Check the facts" names only words some extract quotes.
    lesson = load_lesson(spec, corpus)[0]
    assert lesson is not None
    quoted = " ".join(" ".join(e.match.text) for e in lesson.excerpts).lower()
    for found in re.findall(r"refers? to (.+?), real events", teacher):
        for word in re.split(r", | and ", found):
            assert word.lower() in quoted, (spec.stem, word)
