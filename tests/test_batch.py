"""Batch builds as a department runs them: parallel jobs, broken specs among good ones,
incremental rebuilds that notice every kind of input, and builds killed half-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import PACKAGE
from generator.cli import main
from generator.runners import cache
from generator.runners.build import Builder, Project, Report, find_specs
from generator.writers import FORMATS, choose

# Every format's editions: student and teacher as PDF and DOCX, and the deck.
FILES_PER_PACK = sum(len(f.editions) for f in FORMATS)
ROOT = Path(__file__).resolve().parent.parent
SOME = ["start-a-conversation", "respectful-environment", "stop-it-before-it-starts"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of its own: three shipped specs, the seeds and the templates."""
    root = tmp_path / "school"
    (root / "packs").mkdir(parents=True)
    for name in SOME:
        shutil.copy(ROOT / "packs" / f"{name}.yaml", root / "packs" / f"{name}.yaml")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def build(
    root: Path, *args: str, capsys: pytest.CaptureFixture[str], formats: str | None = "gift"
) -> tuple[int, str, str]:
    """`lessonpack build` of the project into its dist/, in GIFT only unless `formats` says (None: the
    default formats): which packs a build skips or rebuilds is the same whatever formats it writes
    (the fingerprint is of the inputs; tests here that need real pages name pdf and docx), and GIFT,
    text made from the composed lesson, is the least work after the check and compose every build
    does. One pack at a time in this process unless `args` names --jobs: worker processes would each
    load the fonts and templates again for three packs."""
    chosen = ["--formats", formats] if formats else []
    chosen += [] if "--jobs" in args else ["--jobs", "1"]
    code = main(["--root", str(root), "build", "--out", str(root / "dist"), *chosen, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def mtimes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root / "dist")): p.stat().st_mtime_ns
        for p in (root / "dist").rglob("*")
        if p.is_file() and p.name != cache.FILE
    }


def rebuilt(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """Packs whose files were written again."""
    return {name.split("/")[0] for name, t in after.items() if before.get(name) != t}


BROKEN = {
    "broken-yaml.yaml": "title: [unclosed\n",
    "bad-quote.yaml": (
        "title: Bad quote\naudience: {ages: 14-16}\nduration: 30\n"
        "excerpts:\n  - {id: a, seed: no-going-back, quote: This sentence is not in the essay at all.}\n"
    ),
    "too-young.yaml": (
        "title: Too young\naudience: {ages: 9-11}\nduration: 30\n"
        "excerpts:\n  - id: a\n    seed: valor-prevention\n"
        "    quote: we have a long way to go before we end sexual violence\n"
    ),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_specs_never_stop_the_good_ones(project: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in BROKEN.items():
        (project / "packs" / name).write_text(text, encoding="utf-8")
    code, out, err = build(project, "--jobs", jobs, capsys=capsys, formats=None)
    assert code == 1
    for name in SOME:
        assert len(list((project / "dist" / name).glob(f"{name}-*"))) == FILES_PER_PACK
    for name in BROKEN:
        assert not (project / "dist" / Path(name).stem).exists()
        assert any(line.startswith(f"packs/{name}:") and ": error: " in line for line in err.splitlines()) or any(
            f"{name}:" in line and ": error: " in line for line in err.splitlines()
        ), name
    assert f"built {len(SOME)} packs" in err and f"{len(BROKEN)} with errors" in err


def test_parallel_and_serial_builds_write_the_same_bytes(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    shipped_build: tuple[Path, Report],
) -> None:
    """Built by two worker processes, the packs are the bytes the session's build wrote one after
    another in its own process (tests/conftest.py, without SOURCE_DATE_EPOCH, as here)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(project, "--jobs", "2", capsys=capsys, formats=None)
    two = {p.name: p.read_bytes() for p in (project / "dist").rglob("*-*.*") if p.name != cache.FILE}
    one = {p.name: p.read_bytes() for name in SOME for p in (shipped_build[0] / name).glob("*-*.*")}
    assert len(one) == FILES_PER_PACK * len(SOME) and one == two


def test_progress_is_plain_lines_when_not_a_terminal_and_the_summary_counts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = build(project, capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert sorted(line.split()[-1] for line in lines if line.startswith("[")) == sorted(SOME)
    assert all("\r" not in line for line in lines)
    assert lines[-1].startswith(f"built {len(SOME)} packs into") and ", 0 unchanged in " in lines[-1]


# ---------------------------------------------------------------------------------------
# Incremental: nothing changed, nothing built; each kind of input rebuilds exactly its packs.


def test_a_rebuild_with_nothing_changed_builds_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(project, capsys=capsys)
    before = mtimes(project)
    code, out, _ = build(project, capsys=capsys)
    assert code == 0 and f"built 0 packs into {project / 'dist'}, {len(SOME)} unchanged" in out
    assert mtimes(project) == before
    code, out, _ = build(project, "--force", capsys=capsys)
    assert f"built {len(SOME)} packs" in out and rebuilt(before, mtimes(project)) == set(SOME)


def edit_spec(root: Path) -> None:
    path = root / "packs" / "respectful-environment.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("duration: 50", "duration: 55"), encoding="utf-8")


def edit_seed(root: Path) -> None:
    # valor-prevention is quoted only by stop-it-before-it-starts among these three.
    path = root / "seeds" / "valor-prevention.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace('place: "unknown"', 'place: "California"'), encoding="utf-8"
    )


def edit_template(root: Path) -> None:
    """A change every page of every pack shows: the page numbers' wording."""
    path = root / "templates" / "labels.j2"
    text = path.read_text(encoding="utf-8")
    assert '"Page {page} of {pages}"' in text
    path.write_text(text.replace('"Page {page} of {pages}"', '"Page {page} / {pages}"'), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (edit_spec, {"respectful-environment"}),
        (edit_seed, {"stop-it-before-it-starts"}),
        (edit_template, set(SOME)),
    ],
    ids=["spec", "seed", "template"],
)
def test_changing_one_input_rebuilds_exactly_the_packs_it_affects(
    project: Path, change: object, expected: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    build(project, capsys=capsys)
    before = mtimes(project)
    time.sleep(0.01)
    change(project)  # type: ignore[operator]
    code, out, _ = build(project, capsys=capsys)
    assert code == 0
    assert rebuilt(before, mtimes(project)) == expected
    packs = f"{len(expected)} pack{'' if len(expected) == 1 else 's'}"
    assert f"built {packs}" in out and f"{len(SOME) - len(expected)} unchanged" in out


def test_policy_options_and_deleted_outputs_rebuild(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(project, capsys=capsys)
    before = mtimes(project)
    # A school policy (even one with the same rules, but a different file) rebuilds everything.
    ours = project / "ours.yaml"
    ours.write_text(
        PACKAGE.joinpath("data", "default-policy.yaml")
        .read_text()
        .replace("policy: lessonpack default policy", "policy: Our school"),
        encoding="utf-8",
    )
    build(project, "--policy", str(ours), capsys=capsys)
    after_policy = mtimes(project)
    assert rebuilt(before, after_policy) == set(SOME)
    # Another paper size is another build.
    build(project, "--policy", str(ours), "--paper", "letter", capsys=capsys)
    after_paper = mtimes(project)
    assert rebuilt(after_policy, after_paper) == set(SOME)
    # A deleted output file is rebuilt, and only its pack.
    (project / "dist" / "start-a-conversation" / "start-a-conversation-quizzes.gift").unlink()
    code, out, _ = build(project, "--policy", str(ours), "--paper", "letter", capsys=capsys)
    assert "built 1 pack" in out
    assert rebuilt(after_paper, mtimes(project)) == {"start-a-conversation"}


@pytest.mark.parametrize("part", ["generator_digest", "fonts_digest"])
def test_a_new_generator_or_new_fonts_rebuild_everything(
    project: Path, part: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new lessonpack version or new font files change the fingerprint of every pack."""
    out = project / "dist"
    gift = choose("gift")
    Builder(Project(project), formats=gift).build([project / "packs"], out)
    report = Builder(Project(project), formats=gift).build([project / "packs"], out)
    assert report.built == [] and sorted(report.unchanged) == sorted(SOME)
    monkeypatch.setattr(cache, part, lambda: "a different version")
    report = Builder(Project(project), formats=gift).build([project / "packs"], out)
    assert sorted(report.built) == sorted(SOME)


def test_a_damaged_cache_record_means_a_full_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(project, capsys=capsys)
    (project / "dist" / cache.FILE).write_text("{not json", encoding="utf-8")
    code, out, _ = build(project, capsys=capsys)
    assert code == 0 and f"built {len(SOME)} packs" in out


# ---------------------------------------------------------------------------------------
# Interrupted builds: every output is complete from before or complete from now.


def many_specs(root: Path, n: int) -> None:
    """n copies of a shipped spec under different ids, so a build takes long enough to kill."""
    text = (ROOT / "packs" / "stop-it-before-it-starts.yaml").read_text(encoding="utf-8")
    for i in range(n):
        (root / "packs" / f"copy-{i:03d}.yaml").write_text(text, encoding="utf-8")


def complete(path: Path) -> bool:
    """Whether a PDF or DOCX file is whole: it parses, and a DOCX zip passes its CRC checks."""
    try:
        if path.suffix == ".pdf":
            return path.read_bytes().rstrip().endswith(b"%%EOF") and len(PdfReader(str(path)).pages) > 0
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None and "word/document.xml" in z.namelist()
    except Exception:
        return False


def outputs(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root / "dist")): p.read_bytes()
        for p in (root / "dist").rglob("*")
        if p.is_file() and p.suffix in (".pdf", ".docx")
    }


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_an_interrupted_build_leaves_every_file_complete_from_before_or_from_now(
    project: Path, how: signal.Signals, tmp_path: Path
) -> None:
    many_specs(project, 12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--out", str(project / "dist")]
    subprocess.run([*command, "--jobs", "2"], check=True, capture_output=True, env=env)
    old = outputs(project)
    # Change every pack, then interrupt the rebuild as soon as some new files have landed.
    edit_template(project)
    # A shell running tests in the background ignores SIGINT, and a child would inherit that:
    # give the build the default handling, as in a terminal.
    proc = subprocess.Popen(
        [*command, "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = outputs(project)
        if sum(now[k] != old.get(k) for k in now) >= 3:
            break
        time.sleep(0.02)
    proc.send_signal(how)
    proc.communicate(timeout=60)
    if how == signal.SIGINT:
        assert proc.returncode == 130
    # The finished new files, for comparison: a complete build of the same inputs elsewhere.
    fresh = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "build", "--out", str(fresh / "dist")],
        check=True,
        capture_output=True,
        env=env,
    )
    new = outputs(fresh)
    after = outputs(project)
    assert set(after) == set(old)
    changed = 0
    for name, data in after.items():
        assert data in (old[name], new[name]), f"{name} is neither the old file nor the new one"
        assert complete(project / "dist" / name), name
        changed += data == new[name] and data != old[name]
    assert 0 < changed < len(after)  # really interrupted half-way
    # A Ctrl-C cleans up its temporary files; after a kill, the next build does.
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert list((project / "dist").rglob("*.tmp")) == []
    assert outputs(project) == new


def test_find_specs_skips_print_sets(project: Path) -> None:
    (project / "packs" / "year-9.printset.yaml").write_text("paper: a4\n", encoding="utf-8")
    assert sorted(p.stem for p in find_specs([project / "packs"])) == sorted(SOME)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker processes")
def test_a_killed_worker_fails_its_pack_in_one_line_and_the_others_are_built(project: Path) -> None:
    """The out-of-memory killer's way: SIGKILL to one worker process while it builds a pack."""
    many_specs(project, 6)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--out", str(project / "dist"),
               "--jobs", "2", "--formats", "pdf,docx"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    victim = None
    while time.monotonic() < deadline and victim is None:
        # A worker that is building: it has written its mark (its pid, in lessonpack's work folder).
        for child in _children(proc.pid):
            marks = list(Path(tempfile.gettempdir()).glob(f"lessonpack-work-*/{child}"))
            if marks:
                victim = child
                break
        time.sleep(0.01)
    assert victim is not None, "no worker was seen building a pack"
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "BrokenProcessPool" not in err and "internal error" not in err, err
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 1, err
    assert "not built: the process building it was killed by SIGKILL" in lines[0] and "memory" in lines[0]
    killed = Path(lines[0].split(":")[0]).stem
    # Every other pack is built whole; the killed one is not half there.
    names = [p.stem for p in (project / "packs").glob("*.yaml")]
    for name in names:
        files = sorted((project / "dist" / name).glob(f"{name}-*")) if (project / "dist" / name).exists() else []
        if name != killed:
            assert len(files) == 4 and all(complete(f) for f in files), name
        else:
            assert all(complete(f) for f in files)
    assert "1 with errors" in err
    # The next build builds it (a killed worker is not remembered as a failure of the spec).
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and "built 1 pack" in again.stdout, again.stderr
