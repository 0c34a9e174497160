"""Odd spec files fail alone: a link that loops, a folder link that loops, a name too long for the
file system. Each is one positioned error for that spec; the others are checked and built, and
`check --format json` still prints its one object."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.files import NAME_MAX

from .tools import lessonpack_here

ROOT = Path(__file__).resolve().parent.parent
PACK = "start-a-conversation"
LONGEST_TAIL = "-quizzes-large-print.moodle.xml"  # the longest name any format gives a file (Moodle XML, large print)


def lessonpack(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in this process (tests/tools.py): these tests are about what it does with odd files."""
    return lessonpack_here("--root", ROOT, *args, cwd=cwd)


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(ROOT / "packs" / f"{PACK}.yaml", folder / f"{PACK}.yaml")
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    (folder / "loop").symlink_to("..", target_is_directory=True)
    (folder / "here").symlink_to(".", target_is_directory=True)
    return folder


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def test_links_that_loop_are_one_error_each_and_the_rest_builds(packs: Path, tmp_path: Path) -> None:
    # (GIFT only: that the other pack builds is the point; which formats, test_cli's.)
    done = lessonpack("build", "packs", "--out", "dist", "--formats", "gift", cwd=tmp_path)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.returncode == 1
    found = errors(done.stderr)
    for name in ("self.yaml", "a.yaml", "b.yaml"):
        mine = [line for line in found if line.startswith(f"packs/{name}:1:1: error: ")]
        assert len(mine) == 1 and "loop" in mine[0], found
    assert len(found) == 3, found
    assert [p.name for p in (tmp_path / "dist" / PACK).glob(f"{PACK}-*")] == [f"{PACK}-quizzes.gift"]


def test_check_as_json_still_prints_with_links_that_loop(packs: Path, tmp_path: Path) -> None:
    done = lessonpack("check", "--format", "json", "packs", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["checked"] == [PACK]
    assert sorted(report["failed"]) == ["packs/a.yaml", "packs/b.yaml", "packs/self.yaml"]
    assert all(p["line"] == 1 and p["column"] == 1 for p in report["problems"] if p["severity"] == "error")


@pytest.mark.parametrize("given", ["file name", "id"])
def test_a_pack_id_too_long_for_file_names_is_refused_by_check_and_the_rest_builds(given: str, tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(ROOT / "packs" / f"{PACK}.yaml", folder / f"{PACK}.yaml")
    # Words joined by '-' (a valid id) of 230 characters: the file name fits, its outputs do not.
    long_id = "-".join(["ab"] * 77)
    assert len(long_id) == 230 and len(long_id) + len(LONGEST_TAIL) > NAME_MAX
    text = (ROOT / "packs" / f"{PACK}.yaml").read_text(encoding="utf-8")
    if given == "id":
        spec = folder / "long.yaml"
        spec.write_text(text.replace("\ntitle:", f"\nid: {long_id}\ntitle:", 1), encoding="utf-8")
    else:
        spec = folder / f"{long_id}.yaml"
        spec.write_text(text, encoding="utf-8")
        (folder / f"{PACK}.yaml").rename(folder / "other.yaml")  # its id is then 'other'
    for command in ("check", "build"):
        done = (
            lessonpack(command, "packs", "--out", "dist", "--formats", "gift", cwd=tmp_path)
            if command == "build"
            else lessonpack(command, "packs", cwd=tmp_path)
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        found = errors(done.stderr)
        assert found and all(line.startswith(f"packs/{spec.name}:") for line in found), found
        names = [line for line in found if "255" in line]  # (a long 'id:' is also one long word)
        assert len(names) == 1 and (":2:5: error:" if given == "id" else ":2:1: error:") in names[0], found
    built = [p.name for p in (tmp_path / "dist").iterdir() if p.is_dir()]
    assert built == [PACK if given == "id" else "other"]  # and no empty folder for the long one
    # An id as long as the limit allows builds.
    fits = ("ab-" * 100)[: NAME_MAX - len(LONGEST_TAIL) - 1] + "a"  # words joined by '-', ending in a letter
    spec.unlink()
    (folder / f"{fits}.yaml").write_text(text, encoding="utf-8")
    done = lessonpack("build", "packs", "--out", "dist", "--formats", "docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "dist" / fits).glob(f"{fits}-*.docx"))) == 2


@pytest.mark.parametrize("id_line", ["id: Bad Id\n", "id: 12\n", "id: [a, b]\n"])
def test_the_file_name_is_blamed_only_when_no_id_is_set(id_line: str, tmp_path: Path) -> None:
    from generator.runners.build import Builder, Project

    body = (
        "title: T\naudience: {ages: 14-16}\nduration: 30\nexcerpts:\n"
        "  - {id: a, seed: no-going-back, quote: Bringing the subject to attention is the starting point.}\n"
    )
    spec = tmp_path / "My Lesson.yaml"
    builder = Builder(Project(ROOT))
    spec.write_text(id_line + body, encoding="utf-8")
    problems = [str(p) for p in builder.check(spec)[2] if p.severity == "error"]
    assert problems and not any("file name" in p for p in problems), problems
    assert any(":1:5: error: " in p and "'id'" in p for p in problems), problems
    spec.write_text(body, encoding="utf-8")
    problems = [str(p) for p in builder.check(spec)[2] if p.severity == "error"]
    assert any("the file name 'My Lesson' cannot be a pack id" in p for p in problems), problems
