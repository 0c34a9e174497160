"""Shared fixtures: the project root, the real corpus, and one build of every shipped pack."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from generator.readers.corpus import Corpus, load_corpus
from generator.runners.build import Builder, Project, Report

from .examples import EVERYDAY, FULL
from .external import reason

ROOT = Path(__file__).resolve().parent.parent

# Property tests draw their full count of examples in CI and a fifth in the everyday loop
# (tests/examples.py); `--hypothesis-profile=full` (hypothesis's own option) asks for the full count.
settings.register_profile("full", max_examples=FULL)
settings.register_profile("everyday", max_examples=EVERYDAY)
settings.load_profile("full" if os.environ.get("CI") else "everyday")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    found, problems = load_corpus(ROOT / "seeds")
    assert problems == []
    return found


def _once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Report]) -> tuple[Path, Report]:
    """`build` into a fresh folder once a run. Under pytest-xdist (`-n 2`) the first worker to ask
    builds it and the others wait for it, then read the same folder: tests only read it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        out = factory.mktemp(name)
        return out, build(out)
    import fcntl
    import pickle

    shared = factory.getbasetemp().parent  # this run's folder, above each worker's own
    out, record = shared / name, shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not record.exists():
            out.mkdir(exist_ok=True)
            record.write_bytes(pickle.dumps(build(out)))
        report: Report = pickle.loads(record.read_bytes())
    return out, report


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """Every spec in packs/ built once into a temporary folder, as a user's build with no
    SOURCE_DATE_EPOCH (tests/test_e2e.py compares it with a build in a fresh process)."""

    def build(out: Path) -> Report:
        with pytest.MonkeyPatch.context() as env:
            env.delenv("SOURCE_DATE_EPOCH", raising=False)
            return Builder(Project(ROOT)).build([ROOT / "packs"], out)

    return _once(tmp_path_factory, "dist", build)


@pytest.fixture(scope="session")
def shipped_large_print_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    """Every spec in packs/ built once in large print into a temporary folder."""
    builder = Builder(Project(ROOT), variant="large-print")
    return _once(tmp_path_factory, "large-print", lambda out: builder.build([ROOT / "packs"], out))


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `external` every test that reaches LibreOffice, CUPS, a browser or node, a real fault or the
    benchmark (tests/external.py says how that is read from the tests' source), so that
    `pytest -m "not external"` is the everyday loop."""
    for item in items:
        if not isinstance(item, pytest.Function) or item.get_closest_marker("external"):
            continue
        cls = item.cls.__name__ if item.cls is not None else None
        why = reason(item.path, item.originalname, cls)
        if why is not None:
            item.add_marker(pytest.mark.external(reason=f"{why.what} at {why.where}"))
