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


@pytest.fixture(scope="session", autouse=True)
def _shared_builds_side_by_side(request: pytest.FixtureRequest) -> None:
    """Under pytest-xdist, the two shared builds are made at once, one by each worker, before the
    workers' first tests: otherwise the worker that asks second for the build the other is making
    waits for it, idle, and then makes the other build alone (only when the run has tests that
    read both)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    names = ["shipped_build", "shipped_large_print_build"]
    if worker not in ("gw0", "gw1") or not all(
        any(name in getattr(item, "fixturenames", ()) for item in request.session.items) for name in names
    ):
        return
    request.getfixturevalue(names[0] if worker == "gw0" else names[1])


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


# Seconds each test file took in the last run (pytest's cache folder): under pytest-xdist the
# files that took longest are handed out first, so that no long file starts last while the other
# worker has nothing left to do.
TIMES = "lessonpack/seconds-per-file"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `external` every test that reaches LibreOffice, CUPS, a browser or node, a real fault or the
    benchmark (tests/external.py says how that is read from the tests' source), so that
    `pytest -m "not external"` is the everyday loop. Under pytest-xdist, order the files longest
    first by the last run's times (each worker collects alike: all read the same record)."""
    cache = getattr(config, "cache", None)
    if cache is not None and os.environ.get("PYTEST_XDIST_WORKER") is not None:
        seconds: dict[str, float] = cache.get(TIMES, {})
        order = {path: n for n, path in enumerate(dict.fromkeys(str(item.path) for item in items))}
        items.sort(key=lambda item: (-seconds.get(item.path.name, 0.0), order[str(item.path)]))
    for item in items:
        if not isinstance(item, pytest.Function) or item.get_closest_marker("external"):
            continue
        cls = item.cls.__name__ if item.cls is not None else None
        why = reason(item.path, item.originalname, cls)
        if why is not None:
            item.add_marker(pytest.mark.external(reason=f"{why.what} at {why.where}"))


_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up each test file's time (where the run is driven: under xdist, the controller)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        name = report.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
        _seconds[name] = _seconds.get(name, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep the times of a whole run (a run of some files only adds to what is known)."""
    cache = getattr(session.config, "cache", None)
    if cache is not None and os.environ.get("PYTEST_XDIST_WORKER") is None and _seconds:
        cache.set(TIMES, {**cache.get(TIMES, {}), **{k: round(v, 2) for k, v in _seconds.items()}})
