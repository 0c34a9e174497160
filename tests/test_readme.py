"""The README's tour runs exactly as written on a fresh project: every command, in order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tour() -> list[str]:
    """The shell commands of the README's tour, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_tour_starts_by_activating_the_environment_the_readme_made() -> None:
    commands = tour()
    assert commands[0] == ". .venv/bin/activate"
    first = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1]
    assert first.startswith("python3 -m venv .venv && ")
    assert all(c.startswith("lessonpack ") for c in commands[1:])


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").is_file():
        pytest.skip("the tests are not running in a virtual environment (the tour activates one)")
    # A school's own project: the essays, templates and schema, and no lessons until the tour's
    # `new` writes one (with the shipped packs too, `build --watch` would first build all of them).
    project = tmp_path / "school"
    for folder in ("seeds", "templates", "schema"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / ".venv").symlink_to(venv)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    script = []
    for command in tour():
        if "--watch" in command:  # runs until stopped: started and stopped below
            continue
        script.append(f"{command} || exit 1")
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "dist" / "my-first-lesson" / "my-first-lesson-student.pdf").stat().st_size > 1000
    assert "excerpts:" in done.stdout and "safe spaces" in done.stdout
    watch = subprocess.Popen(
        ["bash", "-c", f". .venv/bin/activate && exec {next(c for c in tour() if '--watch' in c)}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert watch.stdout is not None
        for line in watch.stdout:
            if "watching" in line:
                break
        else:
            raise AssertionError("build --watch ended before it started watching")
    finally:
        watch.terminate()
        watch.wait(timeout=30)
