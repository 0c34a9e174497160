"""The command line as a user runs it: output files, error lines, exit codes, --root."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

from .tools import lessonpack_here

ROOT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")

GOOD = """\
title: Speaking Up
audience:
  ages: 11-14
duration: 30
excerpts:
  - id: starting-point
    seed: no-going-back
    quote: Bringing the subject to attention is the starting point.
questions:
  - text: Why is talking "the starting point"?
    excerpts: [starting-point]
    answer: Naming a problem lets people see it and agree what to do.
activities:
  - title: Pair talk
    minutes: 30
    steps: [Talk in pairs.]
"""

BAD = """\
title: Broken
audience:
  ages: 11-14
duration: thirty
excerpts:
  - id: x
    seed: no-such-essay
    quote: Bringing the subject to attention is the starting point.
questions:
  - text: Why?
    excerpts: [y]
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_writes_the_seven_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "speaking-up.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    code, out, err = run(["build", str(spec), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out" / "speaking-up").iterdir())
    assert names == [
        "speaking-up-slides.pptx",
        "speaking-up-student.docx",
        "speaking-up-student.html",
        "speaking-up-student.pdf",
        "speaking-up-teacher.docx",
        "speaking-up-teacher.html",
        "speaking-up-teacher.pdf",
    ]
    assert "built 1 pack" in out


def test_bad_spec_reports_every_problem_in_the_error_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run(["build", str(tmp_path), "--out", str(out_dir)], capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if ERROR_LINE.match(line)]
    errors = [line for line in lines if ": error: " in line]
    assert any(line.endswith("'duration' should be a whole number, not text 'thirty'") for line in errors)
    assert any(":7:11: error: unknown seed 'no-such-essay'" in line for line in errors)
    assert any(":11:16: error: no excerpt has the id 'y'" in line for line in errors)
    # The good pack is still built; the broken one leaves no file behind.
    assert (out_dir / "good" / "good-student.pdf").exists()
    assert not (out_dir / "bad").exists()
    assert "Traceback" not in err


def test_check_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "speaking-up.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    code, _, _ = run(["--root", str(tmp_path), "check", str(spec)], capsys)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["speaking-up.yaml"]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(tmp_path / "nope.yaml")], capsys)
    assert code == 2
    assert "no such file or folder" in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "--papper", "a4"])
    assert exc.value.code == 2


def test_folder_without_specs_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(tmp_path)], capsys)
    assert code == 2
    assert "no specs found" in err


def test_root_points_at_another_project(tmp_path: Path) -> None:
    """--root: another folder's packs, seeds and templates, with dist/ inside it."""
    project = tmp_path / "school"
    (project / "packs").mkdir(parents=True)
    (project / "packs" / "speaking-up.yaml").write_text(GOOD, encoding="utf-8")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copytree(ROOT / "templates", project / "templates")
    # The school's own wording replaces the shipped one.
    labels = project / "templates" / "labels.j2"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace('"Where to get help"', '"Help and support"'),
        encoding="utf-8",
    )
    result = lessonpack_here("--root", project, "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = project / "dist" / "speaking-up" / "speaking-up-student.pdf"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)
    assert "Help and support" in text
    assert "Where to get help" not in text


def test_paper_letter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "speaking-up.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    code, _, err = run(["build", str(spec), "--out", str(tmp_path / "out"), "--paper", "letter"], capsys)
    assert code == 0, err
    from pypdf import PdfReader

    page = PdfReader(str(tmp_path / "out" / "speaking-up" / "speaking-up-student.pdf")).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    import docx

    section = docx.Document(str(tmp_path / "out" / "speaking-up" / "speaking-up-student.docx")).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


def test_python_dash_m_and_help_with_examples() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0
    assert "example" in result.stdout
    assert "--paper" in result.stdout


def test_shipped_packs_check_clean() -> None:
    result = lessonpack_here("check", cwd=ROOT)  # test_policy.py runs check as a real process
    assert result.returncode == 0, result.stderr
    assert ": error:" not in result.stderr


TRUMP = """\
title: Language in the news
audience:
  ages: AGES
duration: 30
excerpts:
  - id: remark
    seed: metoo-and-beyond
    quote: openly admitted it through the infamous “Grab her by the p*ssy” quote
REDACT"""


def test_check_explain_lists_every_flag_with_its_words_and_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "remark.yaml"
    spec.write_text(TRUMP.replace("AGES", "11-14").replace("REDACT", ""), encoding="utf-8")
    code, out, err = run(["check", "--explain", str(spec)], capsys)
    assert code == 1  # refused for 11-year-olds: described assault and strong language
    assert "ages 11–14 (youngest 11)" in out
    assert re.search(r"sexual-violence/described .*“Grab her by the”.*allowed from 14 → REFUSED", out)
    assert re.search(r"strong-language/any .*“p\*ssy”.*allowed from 14 → REFUSED", out)
    assert re.search(r"political/any .*“Trump”.*allowed from 11 → ALLOWED", out) is None  # "Trump" is not quoted
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 2 and all(ERROR_LINE.match(line) for line in errors)
    assert any("strong or vulgar language" in e and "“p*ssy”" in e and "set 'redact: true'" in e for e in errors)


def test_redacted_quote_builds_and_says_it_was_adapted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    spec = tmp_path / "remark.yaml"
    spec.write_text(TRUMP.replace("AGES", "14-16").replace("REDACT", "    redact: true\n"), encoding="utf-8")
    code, out, err = run(["build", str(spec), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    for edition in ("student", "teacher"):
        pdf = tmp_path / "out" / "remark" / f"remark-{edition}.pdf"
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages)
        assert "Grab her by the [offensive word]" in text
        assert "adapted: offensive language replaced" in text
        assert "One word has been replaced with [offensive word]." in text
        # The word itself appears only in the teacher's guidance table, never for pupils.
        assert ("p*ssy" in text) == (edition == "teacher")


def test_policy_prints_the_default_policy_which_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["policy"], capsys)
    assert code == 0 and out.startswith("# lessonpack's default content policy.")
    ours = tmp_path / "ours.yaml"
    ours.write_text(out.replace("policy: lessonpack default policy", "policy: Our school"), encoding="utf-8")
    code, out, err = run(
        ["--root", str(ROOT), "check", "--explain", "--policy", str(ours), str(ROOT / "packs")], capsys
    )
    assert code == 0, err
    assert "policy: Our school" in out


# -- check --format json, did-you-mean, --help -------------------------------------------


def test_check_json_lists_every_problem_with_its_position(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    code, out, err = run(["check", "--format", "json", str(tmp_path)], capsys)
    assert code == 1 and err == ""
    result = json.loads(out)
    assert result["ok"] is False and result["exit"] == 1
    assert result["checked"] == ["good"]
    assert [Path(p).name for p in result["failed"]] == ["bad.yaml"]
    # The same problems, at the same places, as the text format prints.
    _, _, text = run(["check", str(tmp_path / "bad.yaml")], capsys)
    lines = [line for line in text.splitlines() if ERROR_LINE.match(line)]
    assert len(result["problems"]) == len(lines) >= 3
    for problem, line in zip(result["problems"], lines, strict=True):
        assert (
            line
            == f"{problem['path']}:{problem['line']}:{problem['column']}: {problem['severity']}: " + problem["message"]
        )
    assert {(p["line"], p["column"]) for p in result["problems"]} >= {(4, 11), (7, 11), (11, 16)}


def test_check_json_when_all_is_well_and_when_nothing_can_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    code, out, _ = run(["check", "--format", "json", str(tmp_path / "good.yaml")], capsys)
    assert code == 0 and json.loads(out) == {
        "format": "lessonpack-check/1",
        "ok": True,
        "exit": 0,
        "error": None,
        "checked": ["good"],
        "failed": [],
        "problems": [],
    }
    code, out, _ = run(["check", "--format", "json", str(tmp_path / "missing.yaml")], capsys)
    result = json.loads(out)
    assert code == 2 and result["exit"] == 2 and "missing.yaml" in result["error"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run(["check", "--format", "json", str(empty)], capsys)
    assert code == 2 and json.loads(out)["error"] == "no specs found"


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["biuld"], "unknown command 'biuld'; did you mean 'build'?"),
        (["exerpts", "no-going-back"], "did you mean 'excerpts'?"),
        (["seed"], "did you mean 'seeds'?"),
        (["build", "--forse"], "unknown option '--forse'; did you mean '--force'?"),
        (["check", "--explian"], "did you mean '--explain'?"),
        (["build", "--paper", "leter"], "argument --paper: unknown choice 'leter'; did you mean 'letter'?"),
        (["new", "x", "--ages", "14", "--suggestion", "start-conversation"], "did you mean 'start-a-conversation'?"),
        (["zzz"], "unknown command 'zzz'; choose from build, check"),
    ],
)
def test_mistyped_commands_options_and_choices_get_a_suggestion(
    argv: list[str], hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert hint in err and "Traceback" not in err


def _commands() -> list[list[str]]:
    from generator.cli import parser

    names: list[list[str]] = []
    for action in parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names.append([name])
                names += [
                    [name, inner]
                    for a in sub._actions
                    if isinstance(a, argparse._SubParsersAction)
                    for inner in a.choices
                ]
    return names


def test_every_command_is_listed() -> None:
    assert sorted(" ".join(c) for c in _commands()) == [
        "build",
        "check",
        "excerpts",
        "new",
        "policy",
        "print",
        "schema",
        "seeds",
        "seeds add",
    ]


@pytest.mark.parametrize("command", [[], *_commands()], ids=lambda c: " ".join(c) or "lessonpack")
def test_every_command_has_help_with_a_working_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import parser

    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert re.search(r"^examples?:\n  lessonpack " + " ".join(command), out, re.M), out
    # Every example parses: its command, options and choices are real ones.
    examples = [line.strip() for line in out.split("example")[-1].splitlines() if line.strip().startswith("lessonpack")]
    assert examples
    for line in examples:
        # An example may be followed by two spaces and what it does, or by a shell redirection.
        words = shlex.split(re.split(r"\s{2,}| > ", line)[0])[1:]
        args = parser().parse_args(words)
        assert args.command == words[0], line


def test_root_may_come_before_or_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "speaking-up.yaml").write_text(GOOD, encoding="utf-8")
    for argv in (["--root", str(tmp_path), "check"], ["check", "--root", str(tmp_path)]):
        code, out, _ = run(argv, capsys)
        assert code == 0 and "1 spec checked: no errors" in out, argv


@pytest.mark.parametrize("id_line", ["id: speaking-up", "id: 'speaking-up'   # same folder as the other", None])
def test_two_specs_that_would_write_one_folder_are_refused(
    id_line: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "speaking-up.yaml").write_text(GOOD, encoding="utf-8")
    other = tmp_path / "b" / ("other.yaml" if id_line else "speaking-up.yaml")
    other.write_text((id_line + "\n" if id_line else "") + GOOD, encoding="utf-8")
    code, _, err = run(["build", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "1"], capsys)
    assert code == 1
    assert "pack id 'speaking-up' is also used by" in err
    assert len(list((tmp_path / "out" / "speaking-up").glob("*.pdf"))) == 2


# --------------------------------------------------------------------------------------
# Output formats: the registry decides what is written; --formats chooses.


def test_formats_chooses_what_is_written_and_a_later_build_adds_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "speaking-up.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(["build", str(spec), "--out", str(out), "--formats", "pdf"], capsys)
    assert code == 0, err
    assert sorted(p.name for p in (out / "speaking-up").iterdir()) == [
        "speaking-up-student.pdf",
        "speaking-up-teacher.pdf",
    ]
    # The formats are part of the pack's fingerprint: asking for more builds the pack again.
    code, stdout, err = run(["build", str(spec), "--out", str(out)], capsys)
    assert code == 0, err
    assert "built 1 pack" in stdout
    assert {p.suffix for p in (out / "speaking-up").iterdir()} == {".pdf", ".docx", ".pptx", ".html"}
    code, stdout, _ = run(["build", str(spec), "--out", str(out), "--formats", "docx, PDF,pptx,html"], capsys)
    assert code == 0 and "1 unchanged" in stdout


@pytest.mark.parametrize(
    "given,expected",
    [
        ("pfd", "unknown format 'pfd'; did you mean 'pdf'?"),
        ("odt", "unknown format 'odt'; formats: pdf"),
        (",", "name at least one format"),
    ],
)
def test_an_unknown_format_is_a_usage_error_with_a_suggestion(
    given: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--formats", given])
    assert exit_info.value.code == 2
    assert expected in capsys.readouterr().err


def test_help_lists_every_registered_format(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.writers import FORMATS

    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for fmt in FORMATS:
        assert f"{fmt.name}: {fmt.summary}" in text


def test_output_paths_follow_the_registry(tmp_path: Path) -> None:
    from generator.runners.build import output_paths
    from generator.writers import FORMATS

    paths = output_paths(tmp_path, "p", "large-print")
    assert set(paths) == {(e, f.name) for f in FORMATS for e in f.editions}
    for (edition, name), path in paths.items():
        assert path == tmp_path / "p" / f"p-{edition}-large-print.{name}"
