"""Packs built one after another in a process, or `jobs` at a time in worker processes; memory
given back after each pack (so that a batch of 1,000 packs needs no more than one of 10); a worker
that is killed fails only the pack it was building, with one line saying so."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Position, Problem
from .batch import Outcome, display

# A pack to build: (spec, build record key, fingerprint).
Todo = tuple[Path, str, str]
# What a worker builds one pack with: (spec, output folder, write) -> what became of it.
One = Callable[[Path, Path, bool], Outcome]
# How a worker makes its One, from settings that can be sent to a process (a module's function).
Make = Callable[..., One]


def worker_count(jobs: int, packs: int) -> int:
    """How many processes build `packs` packs when `jobs` were asked for: never more than there are
    packs to build (an idle worker costs a process start and its memory), never fewer than one."""
    return max(1, min(jobs, packs))


def in_turn(todo: list[Todo], out: Path, write: bool, one: One) -> Iterator[tuple[Outcome, Todo]]:
    """Outcomes of packs built one after another in this process, each built pack's memory given
    back before the next (what was frozen meanwhile is thawed at the end: a `--watch` build's next
    round, or the next command run in the same process, can free it). A check renders no
    document, and leaves its garbage to Python's own collections."""
    hold()
    try:
        for item in todo:
            outcome = one(item[0], out, write)
            if write:
                release()
            yield outcome, item
    finally:
        thaw()


_frozen = False  # this process froze what was alive (thaw() unfreezes it)
_settled = False  # what the first pack loaded is frozen too


def hold() -> None:
    """Freeze what is alive before the first pack, without collecting it: the collections after
    each pack then pass over what the build made, never over a large heap the build found (a
    process that runs `lessonpack` as a function, as an editor plugin or a test does, can hold
    millions of objects: a full collection of them per build cost more than the build)."""
    global _frozen
    gc.freeze()
    _frozen = True


def release() -> None:
    """Give back the memory of the pack just built. A python-docx or python-pptx document is a
    cycle of Python objects over lxml trees: the trees' native memory (megabytes a pack, which
    Python's own heap figures do not show) goes only when the cycle collector runs, and with the
    corpus and modules loaded it runs a full collection rarely, so that memory piled up: 1,000
    packs peaked at 1.34x the memory of 10. A collection after each pack frees it. What is alive
    after the first pack (modules, corpus, policy, templates: they last as long as the build) is
    frozen first, so that each collection passes over only what later packs made (about 3 ms a
    pack; the collections Python starts by itself get cheaper too)."""
    global _frozen, _settled
    gc.collect()
    if not _settled:
        gc.freeze()
        _frozen = _settled = True


def thaw() -> None:
    """What hold() and release() froze is collected as usual again."""
    global _frozen, _settled
    if _frozen:
        gc.unfreeze()
        _frozen = _settled = False


def outcomes(
    todo: list[Todo], out: Path, write: bool, jobs: int, make: Make, settings: tuple[Any, ...]
) -> Iterator[tuple[Outcome, Todo]]:
    """Outcomes from `jobs` worker processes, in the order packs finish; each worker runs
    `make(*settings)` once and builds its packs with what that returns. A worker that is killed
    (the out-of-memory killer, kill -9) fails the pack it was building, with one line saying so;
    the packs the pool had not finished are built again in a fresh one."""
    import tempfile
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    with tempfile.TemporaryDirectory(prefix="lessonpack-work-") as doing:
        pool = ProcessPoolExecutor(
            max_workers=worker_count(jobs, len(todo)), initializer=_start, initargs=(make, settings)
        )
        left = {str(item[0]): item for item in todo}
        broken = False
        try:
            futures = {pool.submit(_work, str(item[0]), str(out), write, doing): item for item in todo}
            workers = dict(pool._processes or {})  # started with the first jobs: pid -> process
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    break
                left.pop(str(futures[future][0]), None)
                yield outcome, futures[future]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return
        killed = {}
        for pid, process in workers.items():
            building = Path(doing, str(pid))
            code = process.exitcode
            if code is not None and code < 0 and code != -signal.SIGTERM and building.exists():
                killed[building.read_text(encoding="utf-8")] = -code
    for spec, signum in killed.items():
        if spec in left:
            yield _killed(spec, signum), left.pop(spec)
    if not killed:  # no worker is known to have been killed: none of the rest is tried again
        for spec, item in left.items():
            yield _killed(spec, None), item
        return
    if left:
        yield from outcomes(list(left.values()), out, write, jobs, make, settings)


def _killed(spec: str, signum: int | None) -> Outcome:
    """A pack whose worker process was killed while building it (not remembered as a failure)."""
    shown = display(Path(spec))
    if signum is None:
        what = "a worker process stopped before it was built"
    else:
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        memory = (
            "; the system may have run out of memory (the out-of-memory killer sends it)"
            if (signum == signal.SIGKILL)
            else ""
        )
        what = f"the process building it was killed by {name}{memory}"
    return Outcome(
        shown, None, "failed", [Problem(Position(shown), f"not built: {what}; build again to retry")], [], [], []
    )


# ---------------------------------------------------------------------------------------
# In a worker process: its One, made once, then the packs it is given.

_ONE: One | None = None


def _start(make: Make, settings: tuple[Any, ...]) -> None:
    global _ONE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    _die_with_parent()
    _ONE = make(*settings)


def _die_with_parent() -> None:
    """On Linux, a worker is killed when the build that started it is killed (kill -9 included)."""
    if sys.platform != "linux":
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, 9)  # SIGKILL
    except (OSError, AttributeError):
        pass


def _work(path: str, out: str, write: bool, doing: str) -> Outcome:
    """One pack, in a worker: `doing`/PID names the spec while it is being built (so that a worker
    killed part-way can be told by the pack it was building)."""
    assert _ONE is not None
    mark = Path(doing, str(os.getpid()))
    mark.write_text(path, encoding="utf-8")
    try:
        return _ONE(Path(path), Path(out), write)
    finally:
        mark.unlink(missing_ok=True)
        release()
