"""Real machine faults for tests: a small or read-only file system, in a private mount namespace.

A test describes steps; this file, run as a script under `unshare`, mounts a tmpfs, runs the
steps (lessonpack commands as real processes, filling the disk, remounting read-only, hashing
the files) and prints what happened as JSON. Nothing is mounted outside that one process, so a
crashed test leaves nothing behind.

    in_tmpfs(mount, "size=2m", [["lessonpack", "build", ...], ["fill", 100_000], ["files"]], cwd)

Steps: lessonpack ARGS…, fill BYTES_LEFT, files, remount-ro, chattr FLAGS PATH, copy FROM TO.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

Step = list[Any]


@cache
def _unshare() -> list[str] | None:
    """How to enter a private mount namespace here: as root, as a user mapped to root in a user
    namespace, or through sudo without a password (as CI machines often allow)."""
    if sys.platform != "linux" or shutil.which("unshare") is None or shutil.which("mount") is None:
        return None
    ways = [["unshare", "-m"], ["unshare", "-rm"]]
    if os.geteuid() != 0 and shutil.which("sudo"):
        ways.append(["sudo", "-n", "--preserve-env=PATH,CI,PYTHONPATH", "unshare", "-m"])
    for prefix in ways:
        probe = subprocess.run(
            [
                *prefix,
                "sh",
                "-c",
                'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; rc=$?; rmdir "$d"; exit $rc',
            ],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return prefix
    return None


def require_mounts() -> list[str]:
    """The unshare prefix, or a skip (on a laptop) / failure (when CI is set) saying why not."""
    prefix = _unshare()
    if prefix is not None:
        return prefix
    reason = (
        "needs to mount a small tmpfs in a private mount namespace "
        "(unshare -m as root, unshare -rm as a user, or sudo -n unshare -m)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but this machine cannot: {reason}")
    pytest.skip(reason)


def in_tmpfs(mount: Path, options: str, steps: list[Step], cwd: Path, timeout: float = 300) -> list[Any]:
    """Run `steps` with a fresh tmpfs (mount options `options`, e.g. 'size=2m') at `mount`; one
    result per step."""
    prefix = require_mounts()
    mount.mkdir(parents=True, exist_ok=True)
    plan = json.dumps({"mount": str(mount), "options": options, "steps": steps})
    done = subprocess.run(
        [*prefix, sys.executable, __file__, plan], capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"the fault driver failed:\n{done.stdout}\n{done.stderr}"
    results: list[Any] = json.loads(done.stdout)
    return results


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "filler"
    }


def _fill(root: Path, leave: int) -> int:
    """Fill the file system at `root` until only about `leave` bytes are free."""
    (root / "filler").unlink(missing_ok=True)
    free = shutil.disk_usage(root).free
    size = max(0, free - leave)
    with open(root / "filler", "wb") as f:
        block = b"\0" * (1 << 16)
        while size > 0:
            size -= f.write(block[: min(len(block), size)])
    return shutil.disk_usage(root).free


def _step(step: Step, mount: Path, options: str) -> Any:
    what, *rest = step
    if what == "lessonpack":
        run = subprocess.run(
            [sys.executable, "-m", "generator", *rest], capture_output=True, text=True, check=False, timeout=240
        )
        return {"code": run.returncode, "out": run.stdout, "err": run.stderr}
    if what == "fill":
        return _fill(mount, int(rest[0]))
    if what == "files":
        return _files(mount)
    if what == "remount-ro":
        subprocess.run(["mount", "-o", f"remount,ro,{options}", str(mount)], check=True)
        return None
    if what == "chattr":  # chattr FLAGS PATH (inside the mount): +i makes a file immutable (EPERM)
        subprocess.run(["chattr", rest[0], str(mount / rest[1])], check=True)
        return None
    if what == "copy":  # copy a file or folder (from outside) to a path inside the mount
        source, target = Path(rest[0]), mount / rest[1]
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        return None
    raise ValueError(f"unknown step {what!r}")


def _main(plan: dict[str, Any]) -> None:
    mount = Path(plan["mount"])
    subprocess.run(["mount", "-t", "tmpfs", "-o", plan["options"], "tmpfs", str(mount)], check=True)
    results = [_step(step, mount, plan["options"]) for step in plan["steps"]]
    print(json.dumps(results))


if __name__ == "__main__":
    _main(json.loads(sys.argv[1]))
