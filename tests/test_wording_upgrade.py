"""A project's own wording survives an upgrade: templates from before a label, a macro or a
template was added fall back to the bundled wording, with one warning naming the file and the
label. tests/old_templates holds such a project's guidance.j2 (from before citations were judged
apart and help followed the region)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
OLD = Path(__file__).resolve().parent / "old_templates"
SPEC = """\
title: Speaking Up
audience:
  ages: 14-16
duration: 30
excerpts:
  - id: start
    seed: no-going-back
    quote: Teaching young people about what sexism and sexual harassment means
"""


def text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)


def test_an_old_projects_labels_fall_back_with_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "speak.yaml").write_text(SPEC, encoding="utf-8")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    labels = (ROOT / "templates" / "labels.j2").read_text(encoding="utf-8")
    line = '{% set teacher_edition = "Teacher edition" %}\n'
    assert line in labels
    (templates / "labels.j2").write_text(labels.replace(line, ""), encoding="utf-8")  # from before it was added
    shutil.copy(OLD / "guidance.j2", templates / "guidance.j2")
    (templates / "support_footer.j2").unlink()  # a template the project never copied
    code = main(["--root", str(tmp_path), "build", "--out", str(tmp_path / "out"), "--formats", "pdf"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "internal error" not in err
    warnings = [line for line in err.splitlines() if "labels.j2" in line]
    assert len(warnings) == 1, err
    assert warnings[0].endswith(
        "templates/labels.j2:1:1: warning: no label 'teacher_edition' (added in a later version); using the "
        "bundled wording: copy it from the bundled templates to change it"
    ), warnings
    assert "templates/support_footer.j2:1:1: warning: this template is missing; using the bundled wording" in err
    assert "templates/guidance.j2:1:1: warning: no labels " in err and "'cited_title'" in err
    teacher = text(tmp_path / "out" / "speak" / "speak-teacher.pdf")
    assert "Teacher edition" in teacher
    assert "If someone is in immediate danger, call 999." in text(tmp_path / "out" / "speak" / "speak-student.pdf")
