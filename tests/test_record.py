"""The build record (dist/.lessonpack-cache.json): it never removes a file lessonpack did not
write, a record of the wrong shape is a full build with one warning, and a spec that failed is
remembered by its fingerprint and reported again without being read and checked again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.runners import cache
from generator.runners.build import Builder, Project

ROOT = Path(__file__).resolve().parent.parent
PACK = "start-a-conversation"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own with one shipped spec, the seeds and the templates."""
    root = tmp_path / "school"
    (root / "packs").mkdir(parents=True)
    shutil.copy(ROOT / "packs" / f"{PACK}.yaml", root / "packs" / f"{PACK}.yaml")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def run(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    got = capsys.readouterr()
    return code, got.out, got.err


def record(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / cache.FILE).read_text(encoding="utf-8"))
    return data


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# -- 1. never removes what lessonpack did not write --------------------------------------------


def test_building_from_another_folder_never_removes_a_file_of_the_same_relative_name(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert run("build", "--out", "dist", "--formats", "pdf,docx", capsys=capsys)[0] == 0
    # Elsewhere, a folder of the user's own happens to hold files of the same relative names.
    elsewhere = project / "elsewhere"
    theirs = elsewhere / "dist" / PACK
    theirs.mkdir(parents=True)
    for name in files(project / "dist" / PACK):
        shutil.copy(project / "dist" / PACK / name, theirs / name)
    monkeypatch.chdir(elsewhere)
    code, _, err = run("--root", "..", "build", "../packs", "--out", "../dist", "--formats", "pdf", capsys=capsys)
    assert code == 0, err
    assert files(theirs) == {f"{PACK}-student.pdf", f"{PACK}-teacher.pdf", f"{PACK}-student.docx",
                             f"{PACK}-teacher.docx"}  # fmt: skip
    # The build's own old files (the DOCX no longer chosen) are gone from its own folder.
    assert files(project / "dist" / PACK) == {f"{PACK}-student.pdf", f"{PACK}-teacher.pdf"}
    assert all(not Path(name).is_absolute() for entry in record(project / "dist")["packs"].values()
               for name in entry["files"])  # fmt: skip


def test_a_record_naming_a_file_outside_the_output_folder_never_removes_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "dist"
    assert run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)[0] == 0
    victims = [project / "precious.txt", project / "packs" / f"{PACK}.yaml"]
    victims[0].write_text("a teacher's notes", encoding="utf-8")
    data = record(out)
    for entry in data["packs"].values():
        some = next(iter(entry["files"].values()))
        for victim in victims:
            entry["files"][str(victim)] = some  # an absolute path
            entry["files"]["../" + victim.name] = some  # a path that climbs out
            entry["files"][f"{PACK}/../../{victim.relative_to(project)}"] = some
    (out / cache.FILE).write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("--root", project, "build", "--out", out, "--formats", "gift", "--force", capsys=capsys)
    assert code == 0, err
    assert all(v.exists() for v in victims)


def test_a_file_the_user_put_at_an_old_output_name_is_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "dist"
    assert run("--root", project, "build", "--out", out, "--formats", "pdf,docx", capsys=capsys)[0] == 0
    mine = out / PACK / f"{PACK}-student.docx"
    mine.write_bytes(b"the teacher's own edited copy")  # the user's file now, not lessonpack's
    code, _, err = run("--root", project, "build", "--out", out, "--formats", "pdf", capsys=capsys)
    assert code == 0, err
    assert mine.read_bytes() == b"the teacher's own edited copy"
    assert not (out / PACK / f"{PACK}-teacher.docx").exists()  # lessonpack's own old file goes


def test_old_files_are_never_removed_through_a_symbolic_link(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "dist"
    assert run("--root", project, "build", "--out", out, "--formats", "pdf,docx", capsys=capsys)[0] == 0
    # The pack's folder is moved elsewhere and linked back: what is behind the link is not ours.
    elsewhere = project / "shared-drive" / PACK
    elsewhere.parent.mkdir()
    (out / PACK).rename(elsewhere)
    (out / PACK).symlink_to(elsewhere, target_is_directory=True)
    run("--root", project, "build", "--out", out, "--formats", "pdf", capsys=capsys)
    assert {f"{PACK}-student.docx", f"{PACK}-teacher.docx"} <= files(elsewhere)


# -- 2. a damaged record is a full build with one warning --------------------------------------


def _entry_int(data: dict[str, Any]) -> None:
    key = next(iter(data["packs"]))
    data["packs"][key] = 7


def _entry_null(data: dict[str, Any]) -> None:
    key = next(iter(data["packs"]))
    data["packs"][key] = None


def _files_list(data: dict[str, Any]) -> None:
    for entry in data["packs"].values():
        entry["files"] = list(entry["files"])


def _packs_list(data: dict[str, Any]) -> None:
    data["packs"] = list(data["packs"].values())


def _size_text(data: dict[str, Any]) -> None:
    for entry in data["packs"].values():
        for name in entry["files"]:
            entry["files"][name] = "big"


def _fingerprint_number(data: dict[str, Any]) -> None:
    for entry in data["packs"].values():
        entry["fingerprint"] = 12


@pytest.mark.parametrize("damage", [_entry_int, _entry_null, _files_list, _packs_list, _size_text, _fingerprint_number])
def test_a_record_of_the_wrong_shape_is_one_warning_and_a_full_build(
    project: Path, damage: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "dist"
    assert run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)[0] == 0
    data = record(out)
    damage(data)
    (out / cache.FILE).write_text(json.dumps(data), encoding="utf-8")
    code, said, err = run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "build record" in line]
    assert len(warnings) == 1 and ": warning: " in warnings[0] and cache.FILE in warnings[0], err
    assert "Traceback" not in err and "internal error" not in err
    assert "built 1 pack" in said
    # The record is whole again: the next build has nothing to do and says nothing about it.
    code, said, err = run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)
    assert code == 0 and "built 0 packs" in said and "build record" not in err


# -- 8. a spec that failed is remembered by its fingerprint ------------------------------------

BAD_QUOTE = (
    "title: Bad quote\naudience: {ages: 14-16}\nduration: 30\n"
    "excerpts:\n  - {id: a, seed: no-going-back, quote: This sentence is not in the essay at all.}\n"
)


def test_a_failed_spec_is_reported_again_without_being_checked_again(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "packs" / "bad-quote.yaml"
    spec.write_text(BAD_QUOTE, encoding="utf-8")
    out = project / "dist"
    first = Builder(Project(project)).build([project / "packs"], out)
    assert first.failed and first.built == [PACK]
    again = Builder(Project(project))
    second = again.build([project / "packs"], out)
    assert second.failed == first.failed and second.unchanged == [PACK] and second.built == []
    assert sorted(map(str, second.problems)) == sorted(map(str, first.problems))
    # Nothing was read to say so: neither the seeds nor the policy were loaded.
    assert "_corpus" not in again.__dict__ and "policy" not in again.__dict__
    # The command says the same and exits 1 each time.
    code, _, err = run("--root", project, "build", "--out", out, capsys=capsys)
    assert code == 1 and "bad-quote.yaml" in err and "1 with errors" in err
    # Once the spec changes, it is checked again (and now builds).
    spec.write_text(
        BAD_QUOTE.replace(
            "This sentence is not in the essay at all.", "Bringing the subject to attention is the starting point."
        ),
        encoding="utf-8",
    )
    third = Builder(Project(project)).build([project / "packs"], out)
    assert third.built == ["bad-quote"] and not third.failed


def test_a_failed_spec_is_checked_again_when_a_seed_changes(project: Path) -> None:
    (project / "packs" / "bad-quote.yaml").write_text(BAD_QUOTE, encoding="utf-8")
    out = project / "dist"
    assert Builder(Project(project)).build([project / "packs"], out).failed
    essay = project / "seeds" / "no-going-back.txt"
    text = essay.read_text(encoding="utf-8")
    # The quote now is in the essay: its last paragraph.
    essay.write_text(text.rstrip("\n") + "\n\nThis sentence is not in the essay at all.\n", encoding="utf-8")
    again = Builder(Project(project))
    again.build([project / "packs"], out)
    assert "_corpus" in again.__dict__  # read and checked again


# -- 8. seed errors set the exit code and the summary ------------------------------------------


def test_a_broken_seed_file_sets_the_exit_code_and_the_summary_every_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "seeds" / "broken.txt").write_text("no front matter here\n", encoding="utf-8")
    out = project / "dist"
    for _ in range(2):  # the first build, then one with nothing to build
        code, said, err = run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)
        assert code == 1, err
        assert "broken.txt:1:1: error: " in err and "1 seed file with errors" in err, err
    code, said, err = run("--root", project, "check", capsys=capsys)
    assert code == 1 and "1 seed file with errors" in err
    code, said, err = run("--root", project, "check", "--format", "json", capsys=capsys)
    report = json.loads(said)
    assert code == 1 and report["ok"] is False and report["exit"] == 1
    assert run("--root", project, "seeds", capsys=capsys)[0] == 1
    # Mended, the next build says nothing more about it and exits 0.
    (project / "seeds" / "broken.txt").unlink()
    code, said, err = run("--root", project, "build", "--out", out, "--formats", "gift", capsys=capsys)
    assert code == 0 and "seed file" not in err + said, err
