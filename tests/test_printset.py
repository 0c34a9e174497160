"""Print sets: the shipped example is valid, and every case in tests/bad_printsets/ is refused where it says.

Each bad case starts with one or more lines `# expect: LINE:COL: substring of the message`,
as in tests/bad/: the case passes when no print set is produced and, for every expect line,
there is an error at exactly LINE:COL whose message contains the substring.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.readers import printset
from generator.readers.printset import SpecFile
from generator.runners.build import find_specs

from .tools import assert_refused, expectations

HERE = Path(__file__).parent
ROOT = HERE.parent
BAD = HERE / "bad_printsets"
CASES = sorted(BAD.glob("*.printset.yaml"))

GOOD = """\
paper: a4
duplex: true
classes:
  - name: 9A
    students: 28
    large_print: 2
    packs: [start-a-conversation]
"""


@pytest.fixture(scope="module")
def packs() -> dict[str, SpecFile]:
    return printset.pack_index(find_specs([ROOT / "packs"]))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_bad_print_set_is_refused_at_the_expected_place(path: Path, packs: dict[str, SpecFile]) -> None:
    found, problems = printset.load(path, packs, f"bad_printsets/{path.name}")
    assert found is None
    assert all(p.position.path == f"bad_printsets/{path.name}" for p in problems)
    assert_refused(problems, expectations(path))


def test_every_problem_is_reported_at_once(packs: dict[str, SpecFile]) -> None:
    path = BAD / "every-problem-at-once.printset.yaml"
    _, problems = printset.load(path, packs)
    assert len([p for p in problems if p.severity == "error"]) >= len(expectations(path))


def test_the_shipped_example_is_valid(packs: dict[str, SpecFile]) -> None:
    path = ROOT / "packs" / "year-9.printset.yaml"
    found, problems = printset.load(path, packs)
    assert problems == []
    assert found is not None
    assert (found.name, found.paper, found.duplex) == ("year-9", "a4", True)
    assert [c.name for c in found.classes] == ["9A", "9B", "9C"]
    assert {p for c in found.classes for p in c.packs} == {
        "start-a-conversation",
        "stop-it-before-it-starts",
        "bystander-to-ally",
    }
    nine_a = found.classes[0]
    assert (nine_a.students, nine_a.large_print, nine_a.standard_copies) == (28, 2, 26)
    assert nine_a.pack_positions[0].line == 10
    assert [c.slides for c in found.classes] == [False, False, True]  # 9C's teacher gets the slides


def test_the_pack_index_knows_every_shipped_spec_and_no_print_set(packs: dict[str, SpecFile]) -> None:
    assert "start-a-conversation" in packs
    assert packs["start-a-conversation"].title == "Being an Ally — Start a Conversation"
    assert not any(p.path.name.endswith(".printset.yaml") for p in packs.values())


def test_a_spec_id_names_its_pack(tmp_path: Path) -> None:
    spec = tmp_path / "file-name.yaml"
    spec.write_text("id: chosen-id\ntitle: A Lesson\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    index = printset.pack_index([spec, broken])
    assert set(index) == {"chosen-id", "broken"}
    assert index["chosen-id"].path == spec
    assert index["broken"].title == "broken"


def test_a_numeric_class_name_is_text(tmp_path: Path, packs: dict[str, SpecFile]) -> None:
    path = tmp_path / "t.printset.yaml"
    path.write_text(GOOD.replace("name: 9A", "name: 10"), encoding="utf-8")
    found, problems = printset.load(path, packs)
    assert problems == []
    assert found is not None and found.classes[0].name == "10"


def test_large_print_defaults_to_none(tmp_path: Path, packs: dict[str, SpecFile]) -> None:
    path = tmp_path / "t.printset.yaml"
    path.write_text(GOOD.replace("    large_print: 2\n", ""), encoding="utf-8")
    found, _ = printset.load(path, packs)
    assert found is not None and found.classes[0].large_print == 0


def test_slides_default_to_none_and_are_a_strict_yes_or_no(tmp_path: Path, packs: dict[str, SpecFile]) -> None:
    path = tmp_path / "t.printset.yaml"
    path.write_text(GOOD, encoding="utf-8")
    found, _ = printset.load(path, packs)
    assert found is not None and found.classes[0].slides is False
    for value, slides in (("true", True), ("false", False)):
        path.write_text(GOOD + f"    slides: {value}\n", encoding="utf-8")
        found, problems = printset.load(path, packs)
        assert problems == [] and found is not None and found.classes[0].slides is slides
    for value in ("yes", "'true'", "1", "on"):
        path.write_text(GOOD + f"    slides: {value}\n", encoding="utf-8")
        found, problems = printset.load(path, packs)
        assert found is None and [(p.position.line, p.position.col) for p in problems] == [(8, 13)], value
        assert "'classes[1].slides' should be true or false" in problems[0].message


def test_class_names_become_safe_file_names() -> None:
    assert printset.file_stem("9A") == "9A"
    assert printset.file_stem("9A (Ms Lee)") == "9A-Ms-Lee"
    assert printset.file_stem("../../etc") == "etc"
    assert printset.file_stem("Année 9") == "Ann-e-9"
    assert printset.set_name(Path("packs/year-9.printset.yaml")) == "year-9"


def test_a_print_set_not_named_printset_yaml_gets_a_warning(tmp_path: Path, packs: dict[str, SpecFile]) -> None:
    path = tmp_path / "year-9.yaml"
    path.write_text(GOOD, encoding="utf-8")
    found, problems = printset.load(path, packs)
    assert found is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "NAME.printset.yaml" in problems[0].message


def test_the_readme_example_is_valid(tmp_path: Path, packs: dict[str, SpecFile]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Print runs", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.printset.yaml"
    path.write_text(block, encoding="utf-8")
    found, problems = printset.load(path, packs)
    assert problems == []
    assert found is not None and found.classes[0].packs == ("start-a-conversation", "bystander-to-ally")
