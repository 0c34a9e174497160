"""`lessonpack print SET`, the command: build a print set's packs, write the class PDFs and the
manifest, send them to a CUPS queue; what it says and its exit code."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ...errors import EXIT_OK, EXIT_PACK_ERROR, Problem, UsageError
from ...files import locked
from ..build import Project, display
from . import MANIFEST_CSV, MANIFEST_JSON, cups, plan, read, write
from .manifest import manifest, table


def print_run(args: argparse.Namespace, waiting: Callable[[Path], Callable[[], None]]) -> int:
    """`lessonpack print SET`: build the packs a print set names, write each class's PDF and the
    manifest (or only count them, with --dry-run), and send them to a CUPS queue (--printer).
    `waiting(folder)` says that another run writes into the folder (this one then waits its turn)."""
    started = time.perf_counter()
    if args.printer is not None and cups.queue_problem(args.printer):
        raise UsageError(str(cups.queue_problem(args.printer)))  # before anything is built or written
    project = Project(getattr(args, "root", None) or Path("."))
    path: Path = args.printset
    if not (path.exists() or path.is_symlink()):
        raise UsageError(f"{path}: no such print-set file")
    found, packs, problems = read(project, path)
    _show(problems)
    if found is None:
        return EXIT_PACK_ERROR
    folder = (args.out or project.root / "dist" / "print") / found.name
    if args.dry_run:
        # Into a scratch folder, starting from a copy of the packs an earlier run built here: those
        # still up to date are counted as they are, not built again, and nothing here is written.
        with tempfile.TemporaryDirectory(prefix="lessonpack-print-") as tmp:
            work = Path(tmp) / "packs"
            if (folder / "packs").is_dir() and not (folder / "packs").is_symlink():
                shutil.copytree(folder / "packs", work, symlinks=True)
            made, problems = plan.prepare(project.root, found, packs, work, args.policy)
    else:
        # One print run into a folder at a time (a second one waits, saying so).
        with locked(folder, waiting(folder)):
            made, problems = plan.prepare(project.root, found, packs, folder / "packs", args.policy)
            write(made, folder)
    _show(problems)
    sys.stdout.write(table(manifest(made)))
    seconds = time.perf_counter() - started
    if made.not_printed:
        print(f"lessonpack: error: not printed: {', '.join(made.not_printed)}", file=sys.stderr)
    if args.dry_run:
        where = "dry run: nothing was written"
        print(
            f"dry run: {len(made.classes)} class PDF(s) would be written into {display(folder)} "
            f"({seconds:.1f} s); nothing was written"
        )
    else:
        where = f"the PDFs are in {display(folder)}"
        print(
            f"wrote {len(made.classes)} class PDF(s) and {MANIFEST_CSV}, {MANIFEST_JSON} "
            f"into {display(folder)} in {seconds:.1f} s"
        )
    if args.printer is None:
        return EXIT_PACK_ERROR if made.not_printed else EXIT_OK
    if made.not_printed:
        print(f"lessonpack: error: nothing sent to '{args.printer}' while a class cannot be printed", file=sys.stderr)
        return EXIT_PACK_ERROR
    if args.dry_run:
        cups.check_queue(args.printer, where)
        print(f"dry run: {len(made.classes)} job(s) would be sent to '{args.printer}'")
        return EXIT_OK
    for name, job in cups.submit(args.printer, made, folder, where):
        print(f"class {name}: sent to '{args.printer}' as job {job}")
    return EXIT_OK


def _show(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.position, p.message)):
        print(problem, file=sys.stderr)
