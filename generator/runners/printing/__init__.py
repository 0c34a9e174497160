"""Classroom print runs: one collated, print-ready PDF per class, a manifest, and CUPS print jobs.

`lessonpack print SET` reads a print set (*.printset.yaml), builds the packs it names, and
writes DIR/SET/CLASS.pdf: for each pack a separator sheet, the student copies, the large-print
copies, one teacher edition and (for a class with `slides: true`) the slides printed for the
teacher, each starting on a fresh sheet when printing double-sided.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from ...errors import Problem
from ...files import Staged
from ...readers import printset
from ..build import Project, display, find_specs
from .manifest import manifest, manifest_csv
from .plan import Plan, assemble

MANIFEST_CSV, MANIFEST_JSON = "manifest.csv", "manifest.json"


def read(project: Project, path: Path) -> tuple[printset.PrintSet | None, dict[str, printset.SpecFile], list[Problem]]:
    """A print set validated against the project's packs (by id), and its problems."""
    specs = find_specs([project.packs]) if project.packs.is_dir() else []
    packs = printset.pack_index(specs)
    found, problems = printset.load(path, packs, display(path))
    return found, packs, problems


def _stale_files(folder: Path, keep: set[str]) -> list[Path]:
    """Class PDFs the previous run's manifest listed that this run does not write."""
    try:
        old = json.loads((folder / MANIFEST_JSON).read_text(encoding="utf-8"))
        names = [c["file"] for c in old["classes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [
        folder / n
        for n in names
        if isinstance(n, str) and n.endswith(".pdf") and Path(n).name == n and n not in keep and (folder / n).is_file()
    ]


def write(plan: Plan, folder: Path) -> list[Path]:
    """Every class PDF and the manifest, whole or not at all (CannotWrite on a full disk leaves the
    last run's files as they were); class PDFs of an earlier run no longer listed go."""
    stale = _stale_files(folder, {c.file for c in plan.classes})
    written = [folder / cls.file for cls in plan.classes]
    data = manifest(plan)
    with Staged() as staged:
        # Each class PDF goes to disk as soon as it is made (a run of 100 classes never holds them
        # all); then every file moves into place together, or none does.
        for cls, path in zip(plan.classes, written, strict=True):
            staged.add(path, assemble(plan, cls))
        staged.add(folder / MANIFEST_JSON, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        staged.add(folder / MANIFEST_CSV, manifest_csv(data).encode("utf-8"))
        staged.commit()
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
    return written
