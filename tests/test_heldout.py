"""Lessons written the way a held-out test would write them (tests/heldout: a US primary class, a
harassment-only lesson, a US class whose extract names what the title names) build with notes that
describe only their extracts, help for their region and age, and citations judged on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.readers.corpus import Corpus

from .test_true_notes import NOTE, named, raised, text_of

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = Path(__file__).resolve().parent / "heldout"
SPECS = sorted(HELDOUT.glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("heldout")
    assert main(["--root", str(ROOT), "build", *map(str, SPECS), "--out", str(out), "--formats", "pdf"]) == 0
    return out


def editions(built: Path, spec: str) -> tuple[str, str]:
    return text_of(built / spec / f"{spec}-student.pdf"), text_of(built / spec / f"{spec}-teacher.pdf")


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_notes_describe_only_the_extracts(spec: Path, built: Path, corpus: Corpus) -> None:
    own = raised(spec, corpus)
    for text in editions(built, spec.stem):
        for note in NOTE.findall(text):
            assert named(note) <= own, (note, own)


def test_a_us_primary_class_reads_kind_words_with_us_help(built: Path) -> None:
    student, teacher = editions(built, "us-primary-kindness")
    assert "About today" not in student  # nothing flagged: no note at all
    assert "crime" not in student.lower() and "Weinstein" not in student
    assert "Matt Barnes-Smith, ‘“No Going Back”’ (2020)" in student
    help_page = student[student.index("Where to get help") :]
    assert "Childhelp National Child Abuse Hotline" in help_page and "1-800-422-4453" in help_page
    assert "RAINN" not in student and "Crisis Text Line" not in student
    assert "If someone is in immediate danger, call 911." in help_page
    for uk in ("form tutor", "counsellor", "safeguarding", "DSL", "Year ", "PSHE"):
        assert uk not in student and uk not in teacher, uk


def test_a_harassment_only_lesson_names_harassment_and_no_more(built: Path) -> None:
    student, teacher = editions(built, "harassment-only")
    assert "sexual harassment (including coercion and consent)" in student
    assert "sexual violence" not in student.lower().replace("affected by sexual violence", "")
    assert "Rape Crisis 24/7 Support Line" in student  # its topic is raised
    assert "This lesson includes sexual harassment (including coercion and consent), which may" in teacher
    assert "Check the facts" not in teacher


def test_a_title_naming_what_the_extract_raises_is_printed_in_full(built: Path) -> None:
    student, teacher = editions(built, "us-teen-trial")
    assert "‘“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial’" in student
    assert "RAINN" in student and "Childhelp" in student
    assert "Crisis Text Line" not in student  # listed from 13
    assert "school counselor" in student and "form tutor" not in student
