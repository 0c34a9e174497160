"""`lessonpack build --watch` as a teacher uses it: a real process, real saves, real rebuilds."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.runners.build import output_paths
from generator.runners.watch import folders, is_input

ROOT = Path(__file__).resolve().parent.parent
# Generous: this is a wait for an event, not a timing (the benchmark measures speed).
WAIT = 60.0


class Watcher:
    """A running `lessonpack build --watch`, its output read line by line as it comes."""

    def __init__(self, project: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            # PDF only: what the tests read, and which packs a change rebuilds is the same in every format.
            [sys.executable, "-m", "generator", "build", "--watch", "--jobs", "1", "--formats", "pdf"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, needle: str) -> list[str]:
        """Lines up to and including the first that contains `needle`."""
        got: list[str] = []
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if not self.reader.is_alive() and self.lines.empty():
                    raise AssertionError(f"watch stopped (exit {self.proc.returncode}): {self.seen}") from None
                continue
            got.append(line)
            self.seen.append(line)
            if needle in line:
                return got
        raise AssertionError(f"no line with {needle!r} within {WAIT} s; output so far: {self.seen}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=WAIT)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, Watcher]]:
    for folder in ("seeds", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "packs").mkdir()
    for name in ("respectful-environment", "start-a-conversation"):
        shutil.copy(ROOT / "packs" / f"{name}.yaml", tmp_path / "packs")
    watcher = Watcher(tmp_path)
    try:
        watcher.wait_for("for changes (Ctrl-C to stop)")
        yield tmp_path, watcher
    finally:
        watcher.stop()


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_rebuilds_the_pack_whose_spec_is_saved_and_survives_broken_saves(watched: tuple[Path, Watcher]) -> None:
    project, watcher = watched
    assert "built 2 packs" in "\n".join(watcher.seen)
    spec = project / "packs" / "respectful-environment.yaml"
    pdf = output_paths(project / "dist", "respectful-environment")[("student", "pdf")]
    before = pdf.read_bytes()
    other = output_paths(project / "dist", "start-a-conversation")[("student", "pdf")]
    other_mtime = other.stat().st_mtime_ns

    original = spec.read_text(encoding="utf-8")
    _save(spec, original.replace("title: ", "title: Watched — ", 1))
    got = watcher.wait_for("built 1 pack")
    assert any("saved: packs/respectful-environment.yaml" in line for line in got)
    assert "1 unchanged" in got[-1]
    assert pdf.read_bytes() != before and other.stat().st_mtime_ns == other_mtime

    # A half-saved file: the error is shown with its position, and the watch goes on.
    _save(spec, original[: original.index("excerpts:") + 20])
    got = watcher.wait_for("with errors in")
    assert any(line.startswith("packs/respectful-environment.yaml:") and ": error: " in line for line in got)
    assert watcher.proc.poll() is None
    _save(spec, "title: [unclosed\n")
    got = watcher.wait_for("with errors in")
    assert any("YAML" in line for line in got)

    _save(spec, original)
    watcher.wait_for("built 1 pack")
    assert pdf.read_bytes() == before
    assert watcher.stop() == 0
    watcher.wait_for("stopped watching")


def test_a_saved_seed_rebuilds_only_the_packs_that_quote_it(watched: tuple[Path, Watcher]) -> None:
    project, watcher = watched
    seed = project / "seeds" / "tipping-point.txt"  # neither pack quotes it
    _save(seed, seed.read_text(encoding="utf-8") + "\n")
    got = watcher.wait_for(" unchanged in ")
    assert "built 0 packs" in got[-1] and "2 unchanged" in got[-1]
    seed = project / "seeds" / "no-going-back.txt"  # both do
    _save(seed, seed.read_text(encoding="utf-8").replace('date_basis: "', 'date_basis: "Edited. ', 1))
    got = watcher.wait_for(" unchanged in ")
    assert "built 2 packs" in got[-1]


def test_a_broken_template_is_reported_and_fixing_it_rebuilds(watched: tuple[Path, Watcher]) -> None:
    project, watcher = watched
    template = project / "templates" / "labels.j2"
    good = template.read_text(encoding="utf-8")
    broken_line = good.count("\n") + 2
    _save(template, good + "\n{% if %}\n")
    got = watcher.wait_for("error")
    assert "Traceback" not in "\n".join(got) and "internal error" not in "\n".join(got)
    # The mistake is the project's, shown at its line, like any other input's.
    assert any(f"labels.j2:{broken_line}:1: error: template syntax" in line for line in got), got
    _save(template, good)
    # Fixed, the templates are as they were for the last build: its files are current.
    got = watcher.wait_for("2 unchanged")
    assert watcher.proc.poll() is None


def test_only_inputs_start_a_build(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert is_input(str(tmp_path / "packs" / "a.yaml"), out)
    assert is_input(str(tmp_path / "seeds" / "a.txt"), out)
    assert is_input(str(tmp_path / "templates" / "a.j2"), out)
    for ignored in (
        "packs/.a.yaml.swp",
        "packs/a.yaml~",
        "packs/.#a.yaml",
        "packs/.a.yaml.x1.tmp",
        "notes.md",
        "dist/a/a.yaml",
    ):
        assert not is_input(str(tmp_path / ignored), out), ignored


def test_watches_each_folder_once(tmp_path: Path) -> None:
    (tmp_path / "packs" / "year-9").mkdir(parents=True)
    spec = tmp_path / "packs" / "year-9" / "a.yaml"
    spec.write_text("x", encoding="utf-8")
    got = folders([spec, tmp_path / "packs", tmp_path / "packs" / "year-9"])
    assert got == [(tmp_path / "packs").resolve()]
