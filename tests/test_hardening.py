"""The machine's faults are the user's situation, never a bug, and nothing is left half-done.

Real faults only: a tmpfs of a few hundred kilobytes for a full disk and a read-only remount for
permissions (tests/faults.py, in a private mount namespace), two real processes for two builds at
once, real FIFOs and devices for odd files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.files import TEMP_PREFIX, TEMP_SUFFIX, remove_stale_temps, write_atomic
from tests.tools import body_paragraphs

from .faults import in_tmpfs
from .tools import lessonpack_here

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packs" / "start-a-conversation.yaml"
PACK = "start-a-conversation"


def lessonpack(*args: str | Path, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_machine_fault(err: str, path: str, reason: str) -> None:
    """One clear line naming the path and what the system said; no traceback, no 'bug'."""
    assert f"lessonpack: error: cannot write {path}: {reason}" in err, err
    assert "Traceback" not in err and "internal error" not in err and "bug" not in err, err


# -- 1. two builds into one folder at once ----------------------------------------------------


def test_two_builds_into_one_folder_at_once_both_succeed_and_every_file_is_whole(tmp_path: Path) -> None:
    # Two packs as PDF and DOCX (a PDF and a zip: both kinds of file the writers make), each run
    # building them one after another in its own process: the two runs start together, so the second
    # reaches the output folder's lock while the first holds it (worker processes, more packs and more
    # formats would only add work). Rounds until one has shown the wait (the first, nearly always).
    project = tmp_path / "project"
    (project / "packs").mkdir(parents=True)
    for name in ("start-a-conversation", "respectful-environment"):
        shutil.copy(ROOT / "packs" / f"{name}.yaml", project / "packs")
    reference = tmp_path / "reference"
    # The reference is built in this process; the runs at once below each in a fresh one.
    built = lessonpack_here("build", "--out", reference, "--jobs", "1", "--formats", "pdf,docx", cwd=project)
    assert built.returncode == 0
    assert len(list(reference.glob("*/*.pdf"))) == len(list(reference.glob("*/*.docx"))) == 2 * 2
    expected = {k: v for k, v in hashes(reference).items() if not k.startswith(".lessonpack-cache")}
    out = tmp_path / "shared"
    waited = 0
    for _ in range(3):
        command = [sys.executable, "-m", "generator", "build", "--force", "--jobs", "1", "--formats", "pdf,docx",
                   "--out", str(out)]  # fmt: skip
        first = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        results = [(p.wait(240), *p.communicate()) for p in (first, second)]
        for code, _, err in results:
            assert code == 0, err
            assert "internal error" not in err
        waited += sum("waiting for another lessonpack run writing into" in err for _, _, err in results)
        got = {k: v for k, v in hashes(out).items() if not k.startswith(".lessonpack-cache")}
        assert got == expected  # every file at its final name whole, and byte for byte the real thing
        assert not list(out.rglob(f"*{TEMP_SUFFIX}"))
        if waited:
            break
    assert waited >= 1, "the second build should have said it was waiting for the first"


def test_a_live_writers_temporary_is_kept_and_a_dead_ones_is_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / PACK
    folder.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        live_tmp = folder / f"{TEMP_PREFIX}{sleeper.pid}.abcd1234{TEMP_SUFFIX}"
        dead_tmp = folder / f"{TEMP_PREFIX}{dead.pid}.efgh5678{TEMP_SUFFIX}"
        for tmp in (live_tmp, dead_tmp):
            tmp.write_bytes(b"partial")
        write_atomic(folder / "finished.pdf", b"whole")
        assert remove_stale_temps(folder) == 1
        assert live_tmp.exists() and not dead_tmp.exists()
        assert (folder / "finished.pdf").read_bytes() == b"whole"
        # A real build into the folder leaves the live writer's file alone too.
        assert lessonpack_here("build", "--out", tmp_path, SPEC, cwd=ROOT).returncode == 0
        assert live_tmp.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_users_own_tmp_files_are_never_removed(tmp_path: Path) -> None:
    """Only lessonpack's own temporaries, named exactly as it names them, are ever cleaned up."""
    folder = tmp_path / PACK
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    theirs = [
        folder / "draft.tmp",
        folder / ".notes.tmp",
        folder / f".{PACK}-teacher.pdf.ijkl9012{TEMP_SUFFIX}",
        folder / f".{PACK}-student.pdf.{dead.pid}.efgh5678{TEMP_SUFFIX}",
        folder / f"{TEMP_PREFIX}{dead.pid}.efgh5678{TEMP_SUFFIX}.bak",
        folder / f"{TEMP_PREFIX}notes{TEMP_SUFFIX}",
    ]
    for path in theirs:
        path.write_bytes(b"a teacher's own file")
    assert lessonpack_here("build", "--out", tmp_path, "--formats", "pdf", SPEC, cwd=ROOT).returncode == 0
    assert all(path.read_bytes() == b"a teacher's own file" for path in theirs)


# -- 2 and 3. environment errors; a pack whole or as it was -----------------------------------


def test_out_that_is_a_file_or_under_a_file_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    done = lessonpack_here("build", "--out", blocker, SPEC, cwd=tmp_path)
    assert done.returncode == 2
    assert_machine_fault(done.stderr, "afile", "it is a file, not a folder")
    done = lessonpack_here("build", "--out", blocker / "sub", SPEC, cwd=tmp_path)
    assert done.returncode == 2
    assert_machine_fault(done.stderr, "afile/sub", "afile is a file, not a folder")
    assert blocker.read_text() == "not a folder"


def test_a_full_disk_leaves_the_previous_pack_as_it_was(tmp_path: Path) -> None:
    """The rebuild runs out of space part-way through the pack: no file of it changes, no
    temporary is left, and the message names the file and the system's words."""
    mount = tmp_path / "disk"
    edited = tmp_path / f"{PACK}.yaml"
    edited.write_text(SPEC.read_text(encoding="utf-8").replace("duration:", "# edited\nduration:", 1), encoding="utf-8")
    first, before, free, again, after = in_tmpfs(
        mount,
        "size=4m",
        [
            ["lessonpack", "build", "--out", str(mount), str(SPEC)],
            ["files"],
            ["fill", 180_000],  # room for a file or two of the pack, not for all of them
            ["lessonpack", "build", "--out", str(mount), str(edited)],
            ["files"],
        ],
        cwd=tmp_path,
    )
    assert first["code"] == 0, first["err"]
    assert free < 400_000
    assert again["code"] == 2, again["err"]
    assert "No space left on device" in again["err"]
    assert f"cannot write disk/{PACK}/{PACK}-" in again["err"]  # as typed: relative to where it ran
    assert "Traceback" not in again["err"] and "internal error" not in again["err"]
    pack_files = {k: v for k, v in before.items() if k.startswith(f"{PACK}/")}
    assert len(pack_files) >= 4
    assert {k: v for k, v in after.items() if k.startswith(f"{PACK}/")} == pack_files
    assert not [k for k in after if k.endswith(TEMP_SUFFIX)]


def test_a_read_only_folder_is_one_clear_error_for_every_command(tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    raw = tmp_path / "essay.txt"
    raw.write_text("A short essay.\n\nIt has two paragraphs, and both are about speaking up.\n", encoding="utf-8")
    results = in_tmpfs(
        mount,
        "size=8m",
        [
            ["copy", str(ROOT / "packs"), "packs"],
            ["lessonpack", "build", "--root", str(mount), "--out", str(mount / "dist"), str(SPEC)],
            ["files"],
            ["remount-ro"],
            ["lessonpack", "build", "--force", "--root", str(mount), "--out", str(mount / "dist"), str(SPEC)],
            ["lessonpack", "new", "my-lesson", "--folder", str(mount / "packs"), "--ages", "14-16"],
            ["lessonpack", "seeds", "add", str(raw), "--id", "my-essay", "--root", str(mount)],
            [
                "lessonpack",
                "print",
                str(mount / "packs" / "year-9.printset.yaml"),
                "--root",
                str(mount),
                "--out",
                str(mount / "print"),
            ],
            ["files"],
        ],
        cwd=tmp_path,
    )
    _, built, before, _, rebuild, new, seeds_add, printed, after = results
    assert built["code"] == 0, built["err"]
    for done in (rebuild, new, seeds_add, printed):
        assert done["code"] == 2, done["err"]
        assert "Read-only file system" in done["err"], done["err"]
        assert "Traceback" not in done["err"] and "internal error" not in done["err"], done["err"]
    assert_machine_fault(rebuild["err"], f"ro/dist/{PACK}/{PACK}-student.pdf", "Read-only file system")
    assert "cannot write ro/packs/my-lesson.yaml: Read-only file system" in new["err"]
    assert "cannot write ro/seeds: Read-only file system" in seeds_add["err"]
    assert "cannot write ro/print" in printed["err"]
    assert after == before


def test_a_print_run_on_a_full_disk_writes_nothing_half(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    printset = ROOT / "packs" / "year-9.printset.yaml"
    first, before, _, again, after = in_tmpfs(
        mount,
        "size=24m",
        [
            ["lessonpack", "print", str(printset), "--root", str(ROOT), "--out", str(mount)],
            ["files"],
            ["fill", 600_000],
            ["lessonpack", "print", str(printset), "--root", str(ROOT), "--out", str(mount / "again")],
            ["files"],
        ],
        cwd=tmp_path,
        timeout=600,
    )
    assert first["code"] == 0, first["err"]
    assert again["code"] == 2 and "No space left on device" in again["err"], again["err"]
    assert "Traceback" not in again["err"]
    classes = [k for k in after if k.startswith("again/") and k.endswith(".pdf") and "/packs/" not in k]
    assert classes == [], "no class PDF of a print run that could not be written whole"
    assert {k: v for k, v in after.items() if not k.startswith("again/")} == before


def test_a_cache_that_cannot_be_saved_is_one_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / ".lessonpack-cache.json").mkdir(parents=True)  # something in the way of the cache file
    done = lessonpack_here("build", "--out", out, SPEC, cwd=tmp_path)
    assert done.returncode == 2
    assert_machine_fault(done.stderr, "dist/.lessonpack-cache.json", "Is a directory")
    assert len(list((out / PACK).glob("*.pdf"))) == 2  # the pack itself was written whole


# -- 4. every read bounded and typed -----------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes (POSIX)")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_fifos_are_refused_by_name_and_never_waited_on(tmp_path: Path, fifo: Path) -> None:
    cases: list[tuple[list[str | Path], str]] = [
        (["seeds", "add", fifo, "--id", "piped", "--root", tmp_path], "cannot read the essay"),
        (["check", fifo], "cannot read file"),
        (["check", "--policy", fifo, SPEC], "cannot read file"),
        (["print", fifo, "--root", ROOT, "--dry-run"], "cannot read file"),
    ]
    for args, what in cases:
        done = lessonpack(*args, cwd=tmp_path, timeout=30)  # a read that waits for a writer times out here
        assert done.returncode in (1, 2), done.stderr
        assert f"pipe.yaml:1:1: error: {what}: it is a named pipe (FIFO), not a regular file" in done.stderr
        assert "no such file" not in done.stderr
    assert not (tmp_path / "seeds").exists()


def test_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    started = time.perf_counter()
    done = lessonpack("seeds", "add", "/dev/zero", "--id", "zeros", "--root", tmp_path, cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    assert "/dev/zero:1:1: error: cannot read the essay: it is a character device, not a regular file" in done.stderr
    assert time.perf_counter() - started < 30
    done = lessonpack("check", "--policy", "/dev/zero", SPEC, cwd=tmp_path, timeout=30)
    assert done.returncode == 2 and "it is a character device" in done.stderr


@pytest.mark.parametrize(
    ("what", "command"),
    [
        ("policy", lambda big, tmp: ["check", "--policy", big, SPEC]),
        ("print set", lambda big, tmp: ["print", big, "--root", ROOT, "--dry-run"]),
        ("essay", lambda big, tmp: ["seeds", "add", big, "--id", "big", "--root", tmp]),
        ("lesson spec", lambda big, tmp: ["check", big]),
    ],
)
def test_a_file_over_the_size_limit_is_named_for_what_it_is(tmp_path: Path, what: str, command: object) -> None:
    big = tmp_path / ("big.printset.yaml" if what == "print set" else "big.yaml")
    big.write_bytes(b"# " + b"x" * (300 * 1024) + b"\n")
    done = lessonpack_here(*command(big, tmp_path), cwd=tmp_path)  # type: ignore[operator]
    assert done.returncode in (1, 2)
    assert f"error: the {what} is larger than the size limit, 262,144 bytes" in done.stderr, done.stderr


# -- 5. a project's own essays add to the shipped ones ------------------------------------------


ESSAY = (
    "Speaking Up at School\n\nBy A. Writer\n\n"
    "When a friend says something unkind, a quiet word afterwards can change how the whole group behaves.\n\n"
    "Pupils who see respect modelled by adults are more likely to speak up themselves.\n"
)


def test_seeds_add_in_a_project_without_seeds_keeps_the_shipped_essays(tmp_path: Path) -> None:
    project = tmp_path / "school"
    (project / "packs").mkdir(parents=True)
    shutil.copy(SPEC, project / "packs")
    raw = tmp_path / "essay.txt"
    raw.write_text(ESSAY, encoding="utf-8")
    assert lessonpack_here("check", "--root", project, cwd=project).returncode == 0
    added = lessonpack_here(
        "seeds", "add", raw, "--id", "speaking-up", "--title", "Speaking Up at School", "--root", project, cwd=project
    )
    assert added.returncode == 0, added.stderr
    assert (project / "seeds" / "speaking-up.txt").is_file()
    checked = lessonpack_here("check", "--root", project, cwd=project)
    assert checked.returncode == 0, checked.stderr  # the spec quoting a shipped essay still checks
    listing = lessonpack_here("seeds", "--root", project, cwd=project).stdout
    assert "speaking-up" in listing and "no-going-back" in listing


def test_an_id_that_is_taken_is_refused_unless_replace(tmp_path: Path) -> None:
    project = tmp_path / "school"
    (project / "packs").mkdir(parents=True)
    raw = tmp_path / "essay.txt"
    raw.write_text(ESSAY, encoding="utf-8")
    clash = lessonpack_here("seeds", "add", raw, "--id", "no-going-back", "--root", project, cwd=project)
    assert clash.returncode == 2
    assert "--id:1:1: error: a seed with id 'no-going-back' already exists" in clash.stderr
    assert "--replace" in clash.stderr
    assert not (project / "seeds").exists()
    replaced = lessonpack_here(
        "seeds", "add", raw, "--id", "no-going-back", "--replace", "--title", "Mine", "--root", project, cwd=project
    )
    assert replaced.returncode == 0, replaced.stderr
    shown = lessonpack_here("excerpts", "no-going-back", "--root", project, cwd=project).stdout
    assert "Mine" in shown and "quiet word afterwards" in shown  # the project's own essay is used
    again = lessonpack_here("seeds", "add", raw, "--id", "no-going-back", "--root", project, cwd=project)
    assert again.returncode == 2 and "already exists" in again.stderr


# -- 8. Unicode -------------------------------------------------------------------------------


def test_decomposed_text_prints_composed(tmp_path: Path) -> None:
    """A title typed with a combining accent (e + U+0301) is one letter in every file."""
    spec = tmp_path / "cafe.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace("title:", "title: Cafe\u0301 talk —", 1), encoding="utf-8")
    done = lessonpack_here("build", "--out", tmp_path / "out", spec, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    from docx import Document

    for docx in (tmp_path / "out").rglob("*.docx"):
        text = "\n".join(p.text for p in body_paragraphs(Document(str(docx))))
        assert "Caf\u00e9 talk" in text and "e\u0301" not in text


def test_an_essay_and_a_quote_typed_decomposed_are_matched_composed(tmp_path: Path) -> None:
    """Seed text is normalised as spec text is: an essay saved with combining accents is
    imported composed, and a quote typed either way is found in it."""
    project = tmp_path / "school"
    (project / "packs").mkdir(parents=True)
    raw = tmp_path / "essay.txt"
    raw.write_text(ESSAY.replace("a quiet word", "a quiet word in the cafe\u0301"), encoding="utf-8")
    added = lessonpack_here(
        "seeds", "add", raw, "--id", "cafe-talk", "--title", "Cafe Talk", "--root", project, cwd=project
    )
    assert added.returncode == 0, added.stderr
    saved = (project / "seeds" / "cafe-talk.txt").read_text(encoding="utf-8")
    assert "caf\u00e9" in saved and "e\u0301" not in saved
    for typed in ("cafe\u0301", "caf\u00e9"):
        spec = project / "packs" / "cafe.yaml"
        spec.write_text(
            "title: Talking in the caf\u00e9\naudience:\n  ages: 14-16\nduration: 30\nexcerpts:\n"
            "  - id: quiet\n    seed: cafe-talk\n"
            f'    quote: "When a friend says something unkind, a quiet word in the {typed} afterwards"\n'
            "questions:\n  - text: What could a quiet word change?\n    excerpts: [quiet]\n",
            encoding="utf-8",
        )
        done = lessonpack_here("check", "--root", project, spec, cwd=project)
        assert done.returncode == 0, done.stderr


# -- 10. small ones --------------------------------------------------------------------------


def test_a_queue_name_starting_with_a_dash_never_reaches_cups(tmp_path: Path) -> None:
    done = lessonpack_here(
        "print",
        ROOT / "packs" / "year-9.printset.yaml",
        "--printer=-x",
        "--root",
        ROOT,
        "--out",
        tmp_path / "print",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "--printer '-x': a queue name cannot start with '-'" in done.stderr
    assert not (tmp_path / "print").exists()  # refused before anything was built


def test_a_reversed_paragraph_range_says_so(tmp_path: Path) -> None:
    done = lessonpack_here("excerpts", "no-going-back", "--paragraph", "5-3", cwd=tmp_path)
    assert done.returncode == 2
    assert "--paragraph 5-3: the range is reversed; write 3-5" in done.stderr
    done = lessonpack_here("excerpts", "no-going-back", "--paragraph", "900", cwd=tmp_path)
    assert done.returncode == 2 and "has paragraphs 1 to" in done.stderr


def test_files_that_look_like_specs_but_are_not_read_are_named_in_the_summary(tmp_path: Path) -> None:
    project = tmp_path / "school"
    packs = project / "packs"
    packs.mkdir(parents=True)
    shutil.copy(SPEC, packs / "ok.yaml")
    shutil.copy(SPEC, packs / "SHOUTING.YAML")
    (packs / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
    done = lessonpack_here("build", "--root", project, "--out", tmp_path / "dist", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "packs/SHOUTING.YAML:1:1: warning: not read as a spec: '.YAML' is not '.yaml'" in done.stderr
    assert "packs/gone.yaml:1:1: warning: not read as a spec: it is a link to" in done.stderr
    assert "2 files not read (see the warnings)" in done.stdout
    checked = lessonpack_here("check", "--root", project, cwd=project)
    assert "1 spec checked: no errors; 2 files not read" in checked.stdout


def test_more_jobs_than_packs_start_no_idle_workers() -> None:
    from generator.runners.build import worker_count

    assert worker_count(jobs=16, packs=3) == 3
    assert worker_count(jobs=2, packs=100) == 2
    assert worker_count(jobs=4, packs=1) == 1
    assert worker_count(jobs=0, packs=5) == 1
