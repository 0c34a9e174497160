"""The data-driven bad cases (tests/bad*/): each says where it must be refused, and there are enough.

The tests that refuse them are beside the code they exercise: test_bad_inputs (specs),
test_policy (policies) and test_printset (print sets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .tools import expectations

HERE = Path(__file__).parent
# folder: (the cases in it, how many there must at least be)
FOLDERS = {"bad": ("*.yaml", 15), "bad_policies": ("*.yaml", 12), "bad_printsets": ("*.printset.yaml", 20)}
CASES = [path for folder, (pattern, _) in FOLDERS.items() for path in sorted((HERE / folder).glob(pattern))]


@pytest.mark.parametrize("folder", FOLDERS)
def test_there_are_enough_cases(folder: str) -> None:
    pattern, least = FOLDERS[folder]
    assert len(list((HERE / folder).glob(pattern))) >= least


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_case_states_what_it_expects(path: Path) -> None:
    assert path.read_bytes().startswith(b"# expect: "), "the first line must be '# expect: LINE:COL: ...'"
    assert expectations(path)
