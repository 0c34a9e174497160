"""The wording the code reads is typed and checked once, when the templates load: a label missing
from the bundled templates, one they set that nothing reads, or one of the wrong kind is an error
naming the template and the label, before any pack is built; a misspelt label in the code is a type
error. (A project's own templates from before a label was added fall back: test_wording_upgrade.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mypy import api

from generator.lesson import labels, wording
from generator.lesson.wording import Wording, WordingError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def copied(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the bundled templates with one template's `old` text replaced by `new`."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_the_bundled_templates_set_every_label_the_code_reads() -> None:
    found = wording.load(TEMPLATES)
    assert found.problems("templates") == []
    assert set(type(found.labels).model_fields) == set(labels.Labels.model_fields)
    assert found.labels.teacher_edition == "Teacher edition"
    assert found.labels.header("Speaking Up", "Slides") == "Speaking Up · Slides"
    assert found.notes.note_titles["verify"] == "Check the facts are current"


@pytest.mark.parametrize(
    ("name", "line", "label"),
    [
        ("labels.j2", '{% set teacher_edition = "Teacher edition" %}\n', "teacher_edition"),  # a label
        ("labels.j2", "{% macro question_label(n) %}Question {{ n }}{% endmacro %}\n", "question_label"),  # a macro
        ("guidance.j2", '{% set kind_balance = "Balance" %}\n', "kind_balance"),
    ],
)
def test_a_label_missing_from_the_bundled_wording_is_caught_at_load(
    tmp_path: Path, name: str, line: str, label: str
) -> None:
    folder = copied(tmp_path, name, line, "")
    found = Wording(folder)  # as the bundled templates load
    problems = found.problems("templates")
    assert [str(p) for p in problems] == [f"templates/{name}:1:1: error: no label '{label}', which the code reads"]
    with pytest.raises(WordingError, match=f"no label '{label}'"):
        found.typed(labels.Labels if name == "labels.j2" else labels.NoteWording)
    # A project's copy lacking it too does not hide it: the bundled wording is at fault.
    project = Wording(copied(tmp_path / "project", name, line, ""), bundled=folder)
    problems = project.problems("templates")
    assert len(problems) == 1 and f"no label '{label}'" in problems[0].message
    assert problems[0].position.path == str(folder / name)


def test_a_misspelt_or_unread_label_in_the_bundled_wording_is_caught_at_load(tmp_path: Path) -> None:
    line = '{% set continued_label = "(continued)" %}\n'
    folder = copied(tmp_path, "labels.j2", line, line.replace("continued_label", "continue_label"))
    (message,) = [p.message for p in Wording(folder).problems("templates")]
    assert message == (
        "no label 'continued_label', which the code reads; label 'continue_label' set but never read: add it to "
        "Labels in generator/lesson/labels.py, or remove it"
    )


@pytest.mark.parametrize(
    ("old", "new", "label", "why"),
    [
        ('{% set option_letters = "ABCD" %}', "{% set option_letters = 4 %}", "option_letters", "string"),
        ('"Class", "Date"]', '"Class", 3]', "edition_fields.student.2", "string"),
        ("{% macro header(title, edition) %}", '{% set header = "x" %}{% macro _header(title, edition) %}', "header",
         "callable"),
    ],
)  # fmt: skip
def test_a_projects_label_of_the_wrong_kind_is_an_error_at_its_template(
    tmp_path: Path, old: str, new: str, label: str, why: str
) -> None:
    project = Wording(copied(tmp_path, "labels.j2", old, new), bundled=TEMPLATES)
    (problem,) = project.problems("templates")
    assert str(problem.position) == "templates/labels.j2:1:1"
    assert problem.message.startswith(f"the label '{label}' is of the wrong kind: ") and why in problem.message


def test_a_projects_own_labels_fall_back_and_its_extra_names_are_left_unread(tmp_path: Path) -> None:
    line = '{% set teacher_edition = "Teacher edition" %}\n'
    folder = copied(tmp_path, "labels.j2", line, '{% set teacher_edition = "For staff" %}{% set old_label = "x" %}\n')
    folder.joinpath("guidance.j2").write_text('{% set kind_balance = "Both sides" %}\n', encoding="utf-8")
    project = Wording(folder, bundled=TEMPLATES)
    assert project.problems("templates") == []
    assert project.labels.teacher_edition == "For staff"
    assert project.notes.kind_balance == "Both sides"
    assert project.notes.opinion_title == "Opinion"  # from the bundled wording


def test_a_misspelt_label_in_the_code_is_a_type_error(tmp_path: Path) -> None:
    code = tmp_path / "uses_labels.py"
    code.write_text(
        "from generator.lesson.labels import Labels\n\n\n"
        "def heading(labels: Labels) -> str:\n"
        "    return labels.teacher_editon + labels.question_label('1')\n",
        encoding="utf-8",
    )
    out, _, status = api.run(["--strict", "--no-error-summary", str(code)])
    assert status == 1
    assert '"Labels" has no attribute "teacher_editon"; maybe "teacher_edition"?' in out, out
    assert 'Argument 1 has incompatible type "str"; expected "int"' in out, out
