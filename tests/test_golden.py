"""Golden outlines: dump() of every edition and variant of every shipped pack, committed in tests/golden/.

A change to what a pack says (or how it is arranged) shows as a readable diff against the committed
outline. After a deliberate change, refresh them with `pytest tests/test_golden.py --update-golden`
and review `git diff tests/golden/` before committing.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import get_args

import pytest

from generator.lesson.guidance import Guidance
from generator.model import Deck, Document, Edition, Variant, dump
from generator.readers.resolved import Lesson
from generator.runners.build import Builder, Project, find_specs

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PACKS = tuple(find_specs([ROOT / "packs"]))
EDITIONS: tuple[Edition, ...] = get_args(Edition)
VARIANTS: tuple[Variant, ...] = get_args(Variant)
CASES = [(pack, edition, variant) for pack in PACKS for edition in EDITIONS for variant in VARIANTS]


def golden_name(pack: Path, edition: Edition, variant: Variant) -> str:
    return f"{pack.stem}.{edition}.{variant}.txt"


@cache
def _builder(variant: Variant = "standard") -> Builder:
    return Builder(Project(ROOT), variant=variant)


@cache
def _checked(pack: Path) -> tuple[Lesson, Guidance]:
    lesson, found, problems = _builder().check(pack)
    assert lesson is not None and found is not None, [str(p) for p in problems]
    return lesson, found


def document(pack: Path, edition: Edition, variant: Variant) -> Document | Deck:
    """One edition of a shipped pack as `lessonpack build` composes it (A4, the project's policy)."""
    lesson, found = _checked(pack)
    return _builder(variant).compose(lesson, found, edition)


def difference(expected: str, actual: str, name: str) -> str:
    """A unified diff from the committed outline to today's, as `git diff` would show it."""
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"tests/golden/{name} (committed)",
        tofile=f"tests/golden/{name} (composed now)",
    )
    return "".join(lines)


def test_every_shipped_pack_is_covered() -> None:
    assert len(PACKS) >= 7
    assert EDITIONS == ("student", "teacher", "slides") and VARIANTS == ("standard", "large-print")


@pytest.mark.parametrize(("pack", "edition", "variant"), CASES, ids=[golden_name(*c)[:-4] for c in CASES])
def test_outline_matches_the_golden_file(pack: Path, edition: Edition, variant: Variant, update_golden: bool) -> None:
    name = golden_name(pack, edition, variant)
    actual = dump(document(pack, edition, variant))
    path = GOLDEN / name
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"tests/golden/{name} is missing: run pytest tests/test_golden.py --update-golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(
            f"{pack.name} ({edition}, {variant}) no longer composes to tests/golden/{name}.\n"
            "If the change is intended, refresh with: pytest tests/test_golden.py --update-golden\n\n"
            + difference(expected, actual, name),
            pytrace=False,
        )


def test_no_golden_file_is_left_from_a_pack_that_is_gone(update_golden: bool) -> None:
    wanted = {golden_name(*c) for c in CASES}
    stale = sorted(p.name for p in GOLDEN.glob("*.txt") if p.name not in wanted)
    if update_golden:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == [], "golden files of no shipped pack (remove them, or run with --update-golden)"


def test_outlines_are_the_same_on_every_run() -> None:
    """Nothing in an outline depends on when or where it is made: no dates of the build, no paths."""
    pack = PACKS[0]
    first = dump(document(pack, "teacher", "standard"))
    _checked.cache_clear()  # read and judged again from the files
    assert first == dump(document(pack, "teacher", "standard"))
    assert str(ROOT) not in first and str(Path.home()) not in first


def test_a_changed_outline_fails_with_a_readable_diff() -> None:
    before = "document: T\n# Heading\nP[body] A pupil reads this.\n"
    after = before.replace("A pupil reads this.", "A pupil reads that.")
    shown = difference(before, after, "x.student.standard.txt")
    assert "--- tests/golden/x.student.standard.txt (committed)" in shown
    assert "-P[body] A pupil reads this.\n+P[body] A pupil reads that.\n" in shown


def test_the_readme_says_how_to_refresh_them() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pytest -q tests/test_golden.py --update-golden" in readme
