"""Writing output files so that an interrupted build never leaves a truncated one."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    tmp = _written_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, or fail with FileExistsError and leave an existing one alone."""
    tmp = _written_beside(path, data)
    try:
        os.link(tmp, path)  # unlike a rename, a link never replaces what is there
    finally:
        tmp.unlink(missing_ok=True)


def _written_beside(path: Path, data: bytes) -> Path:
    """`data` in a complete, synced temporary file in `path`'s folder (removed if writing fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            # mkstemp makes the file private (0600); outputs get the usual permissions.
            os.fchmod(f.fileno(), 0o666 & ~_umask())
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files a killed build left in `folder` (never a finished file)."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


@cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it, so not on every write)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
