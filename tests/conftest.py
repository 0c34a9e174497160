"""Shared fixtures: the project root, the real corpus, and one build of every shipped pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.readers.corpus import Corpus, load_corpus
from generator.runners.build import Builder, Project, Report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    found, problems = load_corpus(ROOT / "seeds")
    assert problems == []
    return found


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """Every spec in packs/ built once into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    builder = Builder(Project(ROOT))
    report = builder.build([ROOT / "packs"], out)
    return out, report


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from what the shipped packs compose to now (then review the git diff)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the golden outlines instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))
