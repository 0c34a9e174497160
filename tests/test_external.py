"""The `external` marker: every test that runs LibreOffice, CUPS, a browser or node, a real fault or the
benchmark carries it (so `pytest -m "not external"` is quick and needs none of them), and no other does."""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path

import pytest

from .external import TESTS, reason

ROOT = TESTS.parent
# Every test file but this one (which names every tool as data).
TEST_FILES = sorted(p for p in TESTS.glob("test_*.py") if p.name != "test_external.py")


def functions_of(path: Path) -> list[tuple[str, str | None]]:
    """Every test function of a file, as (name, class or None)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found.append((node.name, None))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            methods = [f for f in node.body if isinstance(f, ast.FunctionDef) and f.name.startswith("test_")]
            found += [(f.name, node.name) for f in methods]
    return found


def test_the_marker_is_registered_so_a_typo_in_it_is_an_error() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("external:") for m in markers)


@pytest.mark.parametrize(
    ("file", "test", "what"),
    [
        ("test_pptx_impress.py", "test_impress_sets_every_word_inside_its_box_and_on_its_slide", "calls soffice()"),
        ("test_docx.py", "test_libreoffice_converts_it_and_evaluates_the_fields", "calls soffice()"),
        ("test_e2e.py", "test_libreoffice_opens_every_docx", "calls docx_to_pdf()"),
        ("test_printing.py", "test_jobs_arrive_through_cups_with_every_page", "runs cupsd"),
        ("test_html_browser.py", "test_a_quiz_can_be_answered_by_keyboard_and_checks_itself", "runs node"),
        ("test_lms.py", "test_gift_parses_with_gift_pegjs_as_the_spec_has_it", "runs node"),
        ("test_hardening.py", "test_a_full_disk_leaves_the_previous_pack_as_it_was", "calls in_tmpfs()"),
        (
            "test_batch.py",
            "test_an_interrupted_build_leaves_every_file_complete_from_before_or_from_now",
            "sends SIGKILL",
        ),
        ("test_benchmark.py", "test_benchmark_runs_on_tiny_sizes_and_reports_every_figure", "runs benchmarks"),
    ],
)
def test_a_test_that_runs_an_external_tool_is_external_and_says_why(file: str, test: str, what: str) -> None:
    why = reason(TESTS / file, test)
    assert why is not None and why.what == what, why


@pytest.mark.parametrize(
    ("file", "test"),
    [
        ("test_printing.py", "test_without_cups_the_error_is_clear_and_the_pdfs_stay"),  # a stand-in lp, no cupsd
        ("test_hardening.py", "test_a_live_writers_temporary_is_kept_and_a_dead_ones_is_cleaned"),  # no fault
        ("test_golden.py", "test_outline_matches_the_golden_file"),
        ("test_pdf.py", "test_welsh_greek_and_cyrillic_use_the_fallback_font"),  # pdffonts: poppler is quick
        ("test_external.py", "test_a_test_that_runs_an_external_tool_is_external_and_says_why"),
    ],
)
def test_a_test_that_runs_only_python_and_poppler_is_not(file: str, test: str) -> None:
    """(This file's own tests are among them: the tools above are named in longer strings.)"""
    assert any(t == test for t, _ in functions_of(TESTS / file)), "renamed? update this list"
    assert reason(TESTS / file, test) is None


def test_an_external_tool_reached_through_helpers_and_fixtures_is_found(tmp_path: Path) -> None:
    (tmp_path / "test_new.py").write_text(
        "import pytest\n"
        "from .tools import soffice\n"
        "def convert(p):\n    return step(p)\n"
        "def step(p):\n    return soffice()\n"
        "@pytest.fixture\ndef converted(tmp_path):\n    return convert(tmp_path)\n"
        "def test_through_a_fixture(converted):\n    assert converted\n"
        "def test_through_a_chain(tmp_path):\n    assert convert(tmp_path)\n"
        "class TestDeck:\n    def test_node(self):\n        run(['node', 'x.mjs'])\n"
        "def test_plain():\n    assert step  # a name only: not a call, but passed on it could be\n"
        "def test_pure():\n    assert 1 + 1 == 2\n"
        "def test_renamed(tmp_path):\n"
        "    from .tools import docx_to_pdf as convert_all\n"
        "    convert_all([], tmp_path)\n",
        encoding="utf-8",
    )
    path = tmp_path / "test_new.py"
    assert reason(path, "test_through_a_fixture") is not None
    assert reason(path, "test_through_a_chain") is not None
    assert reason(path, "test_node", "TestDeck") is not None
    assert reason(path, "test_plain") is not None
    assert reason(path, "test_pure") is None
    renamed = reason(path, "test_renamed")  # followed into tests/tools.py, where it runs soffice
    assert renamed is not None and "tools.py" in renamed.where


EXTERNAL_WORDS = re.compile(
    r"\b(soffice|docx_to_pdf|to_pdf|in_tmpfs|require_mounts|cupsd)\b|[\"'](node|chromium|chattr|unshare)[\"']|SIGKILL"
    r"|[\"']benchmarks[\"']"
)


@pytest.mark.parametrize("path", TEST_FILES, ids=[p.name for p in TEST_FILES])
def test_a_file_that_names_an_external_tool_has_external_tests(path: Path) -> None:
    """A coarse check of the rule, by text: each file whose source names an external tool outside
    comments has at least one test marked for it (or the rule missed a way of reaching it)."""
    source = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    if not EXTERNAL_WORDS.search(source):
        return
    marked = [t for t, cls in functions_of(path) if reason(path, t, cls) is not None]
    assert marked, f"{path.name} names {EXTERNAL_WORDS.search(source)} but no test of it is external"


def test_the_readme_gives_the_everyday_command_and_the_full_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '.venv/bin/python -m pytest -q -m "not external"' in readme
    assert ".venv/bin/python -m pytest -q\n" in readme  # everything, as CI runs it
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m pytest" in ci and "external" not in ci  # CI runs every test


def test_property_tests_draw_their_full_count_in_ci_and_a_fifth_every_day(request: pytest.FixtureRequest) -> None:
    """`examples(N)` is N under the "full" profile (loaded when CI is set), N/5 but at least 10 under "everyday"."""
    from hypothesis import settings

    from .examples import examples

    if request.config.getoption("hypothesis_profile", None) is None:
        assert settings.get_current_profile_name() == ("full" if os.environ.get("CI") else "everyday")
    loaded = settings.get_current_profile_name()
    try:
        settings.load_profile("full")
        assert [examples(n) for n in (400, 60, 12)] == [400, 60, 12]
        settings.load_profile("everyday")
        assert [examples(n) for n in (400, 60, 12, 5)] == [80, 12, 10, 5]
    finally:
        settings.load_profile(loaded)
