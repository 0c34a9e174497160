"""Files in and out, safely: every read bounded and typed, every write whole or not at all, one
build at a time per output folder, and the machine's refusals reported as what they are."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path

from .errors import CannotWrite

TEMP_SUFFIX = ".tmp"
# lessonpack's own temporary files: .lessonpack.PID.XXXXXXXX.tmp (PID the writing process's id), a
# short name whatever the file's, and the only files a clean-up ever removes.
TEMP_PREFIX = ".lessonpack."
OWN_TEMP = re.compile(r"\.lessonpack\.(\d+)\.[a-z0-9_]{8}\.tmp")
# The most bytes a file name may have on the file systems lessonpack writes to (ext4, APFS, NTFS…).
NAME_MAX = 255
# The most any text lessonpack reads may hold (a spec, a policy, a print set, an essay).
TEXT_LIMIT = 256 * 1024
# Where folders cannot be locked themselves (Windows), the build writing into one holds this file.
LOCK_NAME = ".lessonpack.lock"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    here = os.getcwd()
    # Not resolved first: a link is shown by its own name, not its target's.
    for candidate, base in ((os.path.abspath(path), here), (str(real_path(path)), str(real_path(Path(here))))):
        with contextlib.suppress(ValueError, OSError):
            return str(Path(candidate).relative_to(base))
    return str(path)


def real_path(path: Path) -> Path:
    """`path` with its links followed, or (for a link that loops) made absolute as it is."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


def loops(path: Path) -> bool:
    """Whether `path` is a symbolic link that leads back to itself (a → a, a → b → a)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def reason(exc: OSError) -> str:
    """What the operating system said, in its words ('No space left on device'); a link that
    loops is named for what it is."""
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link that leads back to itself (a loop); point it at a real file"
    if exc.errno == errno.ENAMETOOLONG:
        return f"the file name is too long for the file system (at most {NAME_MAX} bytes)"
    return exc.strerror or str(exc)


# -- reading ------------------------------------------------------------------------------------


class NotRegularFile(OSError):
    """A path that names a FIFO, a device, a socket or a folder where a file's text is wanted."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` + 1 of them (so a caller can tell it is too big
    without reading a huge file). Anything else (a FIFO, /dev/zero, a folder) raises
    NotRegularFile before a byte is read; opening never waits for a writer."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFile(errno.EISDIR, "it is a folder, not a file", str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise NotRegularFile(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def dangling(path: Path) -> str | None:
    """'it is a link to X, which does not exist' for a link to nothing; None otherwise."""
    if path.is_symlink() and not path.exists():
        return f"it is a link to {os.readlink(path)}, which does not exist"
    return None


# -- writing ------------------------------------------------------------------------------------


def ensure_folder(folder: Path) -> None:
    """`folder` and its parents exist, or CannotWrite says why not (a file in the way included)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CannotWrite(shown(folder), "it is a file, not a folder") from None
    except NotADirectoryError:
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        why = f"{shown(blocking)} is a file, not a folder" if blocking else "a part of the path is not a folder"
        raise CannotWrite(shown(folder), why) from None
    except OSError as exc:
        raise CannotWrite(shown(folder), reason(exc)) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    write_all({path: data})


def write_all(files: Mapping[Path, bytes]) -> None:
    """Every file written whole to a temporary beside it, then all moved into place: if any cannot
    be written (a full disk, a read-only folder) or moved (an immutable file, EPERM), the files
    already moved are put back, so the files there stay as they were, and CannotWrite names the
    file and what the system said."""
    with Staged() as staged:
        for path, data in files.items():
            staged.add(path, data)
        staged.commit()


class Staged:
    """Files written to temporaries one by one (so a caller need not hold them all in memory),
    then moved into place together: all of them, or none (the previous files back in place)."""

    def __init__(self) -> None:
        self.temps: dict[Path, Path] = {}

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp in self.temps.values():
            tmp.unlink(missing_ok=True)
        self.temps = {}

    def add(self, path: Path, data: bytes) -> None:
        """`data` written whole beside `path`, not yet in place."""
        ensure_folder(path.parent)
        try:
            old = self.temps.pop(path, None)
            if old is not None:
                old.unlink(missing_ok=True)
            self.temps[path] = _written_beside(path, data)
        except OSError as exc:
            raise CannotWrite(shown(path), reason(exc)) from None

    def commit(self) -> None:
        """Move every file into place; if one cannot be, put back what was moved (each file's
        previous content, kept aside as a link until the end) and raise CannotWrite."""
        aside: dict[Path, Path] = {}
        moved: list[Path] = []
        current: Path | None = None
        try:
            for path in self.temps:
                current = path
                if os.path.lexists(path):
                    aside[path] = _kept_aside(path)
            for path, tmp in self.temps.items():
                current = path
                os.replace(tmp, path)
                moved.append(path)
        except OSError as exc:
            for path in reversed(moved):  # the previous files back, the new ones gone
                with contextlib.suppress(OSError):
                    if path in aside:
                        os.replace(aside.pop(path), path)
                    else:
                        path.unlink()
            raise CannotWrite(shown(current) if current else "?", reason(exc)) from None
        finally:
            for kept in aside.values():
                kept.unlink(missing_ok=True)
        self.temps = {}


def _kept_aside(path: Path) -> Path:
    """A second name for `path`'s current file (a hard link; a copy where links are refused, as
    for an immutable file), named as lessonpack's own temporaries."""
    for _ in range(100):
        aside = path.parent / f"{TEMP_PREFIX}{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            os.link(path, aside, follow_symlinks=False)
            return aside
        except FileExistsError:
            continue
        except OSError:
            with open(path, "rb") as source:
                aside.write_bytes(source.read())  # a copy (rolling back puts its bytes back)
            return aside
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, or fail with FileExistsError and leave an existing one alone (any
    other failure is CannotWrite)."""
    ensure_folder(path.parent)
    try:
        tmp = _written_beside(path, data)
    except OSError as exc:
        raise CannotWrite(shown(path), reason(exc)) from None
    try:
        os.link(tmp, path)  # unlike a rename, a link never replaces what is there
    except FileExistsError:
        raise
    except OSError as exc:
        raise CannotWrite(shown(path), reason(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)


def _written_beside(path: Path, data: bytes) -> Path:
    """`data` in a complete, synced temporary file in `path`'s folder (removed if writing fails).

    Its name (OWN_TEMP) carries this process's id, so a clean-up can tell a live writer's file
    from one a killed build left behind, and is short whatever `path`'s name."""
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
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


def _writer(tmp: Path) -> int | None:
    """The process id in one of lessonpack's own temporary files' names (None for any other name)."""
    found = OWN_TEMP.fullmatch(tmp.name)
    return int(found[1]) if found else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files that a killed build left in `folder`: only lessonpack's own (named
    exactly as it names them, never a user's `notes.tmp`), only those whose writing process is
    gone (never a file another build is writing), never a link."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            pid = _writer(tmp)
            if pid is not None and not _alive(pid) and not tmp.is_symlink():
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed += 1
    return removed


# -- one writer per folder ----------------------------------------------------------------------


@contextlib.contextmanager
def locked(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold `folder`'s lock while the block runs: a second build into the same folder waits
    (calling `waiting` once, to say so) until the first is done. The lock is the folder's own
    (flock on the open folder; a lock file where folders cannot be opened), so nothing is left
    in it, and it goes with the process: a killed build never leaves the folder locked. A folder
    made for the lock and still empty at the end (a build that wrote nothing) is removed again."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    ensure_folder(folder)
    try:
        fd = _open_lock(folder)
    except OSError as exc:
        raise CannotWrite(shown(folder), reason(exc)) from None
    try:
        try:
            if not _try_lock(fd):
                if waiting:
                    waiting()
                _lock(fd)
        except OSError:  # a file system without locks (some network shares): go on unlocked
            pass
        yield
    finally:
        os.close(fd)  # closing releases the lock
        for empty in made:
            try:
                empty.rmdir()  # only ever removes an empty folder
            except OSError:
                break


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _open_lock(folder: Path) -> int:
        return os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(fd: int) -> None:
        while not _try_lock(fd):
            time.sleep(0.2)

else:
    import fcntl

    def _open_lock(folder: Path) -> int:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)


@cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it, so not on every write)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
