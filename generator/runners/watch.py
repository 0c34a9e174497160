"""`lessonpack build --watch`: build again whenever a spec, seed, template or policy is saved."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import watchfiles

from ..files import TEMP_SUFFIX
from .build import display

# What a pack is made from; anything else saved in a watched folder is ignored.
INPUT_SUFFIXES = (".yaml", ".yml", ".txt", ".j2")
# Changes are gathered until none has come for STEP ms (at most DEBOUNCE ms), then one build runs.
STEP_MS, DEBOUNCE_MS = 50, 400
# How often the watch wakes when nothing happens.
TICK_MS = 500


def folders(paths: Iterable[Path]) -> list[Path]:
    """The folders to watch: each folder named, and the folder of each file named (editors often
    save by writing a new file and renaming it over the old one, which a watch on the file misses)."""
    found: list[Path] = []
    for path in paths:
        folder = path if path.is_dir() else path.parent
        folder = folder.resolve()
        if folder.is_dir() and not any(folder == f or folder.is_relative_to(f) for f in found):
            found = [f for f in found if not f.is_relative_to(folder)] + [folder]
    return sorted(found)


def is_input(path: str, out: Path) -> bool:
    """A saved file that may change a pack (not an output, a temporary file or an editor's backup)."""
    p = Path(path)
    name = p.name
    if name.startswith((".", "#")) or name.endswith(("~", TEMP_SUFFIX)) or p.suffix not in INPUT_SUFFIXES:
        return False
    return not p.resolve().is_relative_to(out.resolve())


def run(watch: list[Path], out: Path, build_once: Callable[[], int], stream: TextIO = sys.stdout) -> int:
    """Build once, then after every batch of saved inputs; a broken file is reported, never fatal."""
    roots = folders(watch)
    events = watchfiles.watch(
        *roots,
        watch_filter=lambda _change, path: is_input(path, out),
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,  # the first (empty) batch says the watch is in place
        raise_interrupt=True,
    )
    try:
        next(events)  # files saved from here on are seen, even during the first build
        _cycle(build_once, stream)
        stream.write(f"watching {', '.join(display(r) for r in roots)} for changes (Ctrl-C to stop)\n")
        stream.flush()
        for changes in events:
            if not changes:
                continue
            names = sorted(
                {
                    f"{display(Path(path))}{' (removed)' if kind == watchfiles.Change.deleted else ''}"
                    for kind, path in changes
                }
            )
            stream.write(f"\n{time.strftime('%H:%M:%S')} saved: {', '.join(names)}\n")
            _cycle(build_once, stream)
    except KeyboardInterrupt:
        stream.write("stopped watching\n")
    return 0


def _cycle(build_once: Callable[[], int], stream: TextIO) -> None:
    """One build; whatever goes wrong is printed and the watch goes on."""
    stream.flush()
    try:
        build_once()  # reports the author's mistakes itself
    except (OSError, ValueError) as exc:
        # A file vanished or was half-written between being listed and read.
        print(f"lessonpack: error: {exc}; waiting for the next save", file=sys.stderr)
    except Exception as exc:  # a bug in lessonpack: say so, and keep watching
        print(
            f"lessonpack: internal error (a bug in lessonpack, please report it): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
    sys.stderr.flush()
    stream.flush()
