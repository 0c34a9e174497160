"""What a batch is: a project's folders, the specs found in them, where each pack's files go,
and what became of each spec (an Outcome; a Report for the whole batch)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .. import PACKAGE
from ..errors import Position, Problem, UsageError
from ..files import TEXT_LIMIT, dangling, loops, read_bounded, real_path, shown
from ..model import Edition, Variant
from ..writers import FORMATS, Format

SPEC_SUFFIXES = (".yaml", ".yml")
# The build record's entry for the seeds' own problems (not a spec's key: those are paths).
SEEDS_KEY = "seeds"
# Print sets live beside specs (packs/year-9.printset.yaml) but are not specs.
PRINT_SET_SUFFIXES = (".printset.yaml", ".printset.yml")
# The default content policy (generator.policy.DEFAULT; named here so a no-op build need not import it).
DEFAULT_POLICY = PACKAGE / "data" / "default-policy.yaml"


def bundled(name: str) -> Path:
    """A folder shipped with lessonpack: inside the wheel, or beside the package in a checkout."""
    inside = PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else PACKAGE.parent / name


@dataclass(frozen=True)
class Project:
    """Where a project's packs, seeds and templates live (`--root`)."""

    root: Path

    @property
    def packs(self) -> Path:
        return self.root / "packs"

    @property
    def seeds(self) -> Path:
        """Where this project's own essays go (`seeds add` writes here)."""
        return self.root / "seeds"

    @property
    def seed_folders(self) -> tuple[Path, ...]:
        """The shipped essays, then the project's own (an essay there with a shipped essay's id
        replaces it: `seeds add --replace`)."""
        shipped = bundled("seeds")
        own = self.seeds
        if own.is_dir() and (not shipped.is_dir() or own.resolve() != shipped.resolve()):
            return (shipped, own) if shipped.is_dir() else (own,)
        return (shipped,)

    @property
    def templates(self) -> Path:
        own = self.root / "templates"
        return own if own.is_dir() else bundled("templates")


@dataclass(frozen=True)
class Outcome:
    """What became of one spec (sent back from a worker process, so plain data only)."""

    path: str
    pack_id: str | None
    status: Literal["built", "failed"]
    problems: list[Problem]
    written: list[Path]
    seeds: list[str]
    explained: list[str]
    # Each edition's name in its file names, where it is not the edition itself (the policy may
    # call the pupils' edition "participant").
    names: dict[str, str] = field(default_factory=dict)
    # A failure of the spec's own (its content), remembered until the spec or what it uses changes;
    # not a bug in lessonpack or a worker that was killed.
    remember: bool = False


# Called with (packs done, packs to do, the outcome just finished or None at the start).
Progress = Callable[[int, int, "Outcome | None"], None]


@dataclass
class Report:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    # Every built or unchanged pack's files: pack id -> (edition, format) -> path.
    paths: dict[str, dict[tuple[Edition, str], Path]] = field(default_factory=dict)
    seconds: float = 0.0
    # Each checked pack's content-guidance flags and decisions (check only, for --explain).
    explained: list[list[str]] = field(default_factory=list)
    # Files in the folders searched that looked like specs but were not read (each a warning).
    skipped: int = 0
    # Seed files with an error (they cannot be quoted; the run's exit code says so).
    seed_errors: int = 0


display = shown


def _spec_like(p: Path) -> bool:
    """Named like a spec, in any letter case (print sets are not specs)."""
    return p.suffix.lower() in SPEC_SUFFIXES and not p.name.lower().endswith(PRINT_SET_SUFFIXES)


def find_specs(paths: Iterable[Path]) -> list[Path]:
    """Spec files named directly, or found in folders (sorted, so builds are reproducible).

    A path named directly is kept whatever it is (reading it says what is wrong with a FIFO or a
    dangling link); in folders only regular `.yaml`/`.yml` files count (`skipped_specs` says
    which files looked like specs and were not read)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # A link that loops is kept: reading it is that spec's one error, the others build.
            found += sorted(
                p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and _spec_like(p) and (p.is_file() or loops(p))
            )
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        key = real_path(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def skipped_specs(paths: Iterable[Path]) -> list[Problem]:
    """A warning for each file in the folders searched that looks like a spec but is not read:
    a suffix in capitals (`.YAML`), a link to a missing file, a FIFO or device."""
    skipped: list[Problem] = []
    for folder in paths:
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if not _spec_like(p):
                continue
            if p.suffix not in SPEC_SUFFIXES:
                why = f"'{p.suffix}' is not '{p.suffix.lower()}'; rename it to {p.stem}{p.suffix.lower()} to build it"
            elif loops(p):
                continue  # read as a spec, and refused as one
            elif dangling(p):
                why = str(dangling(p))
            elif not p.is_file() and not p.is_dir():
                why = "it is not a regular file (a named pipe or a device)"
            else:
                continue
            skipped.append(Problem(Position(display(p)), f"not read as a spec: {why}", "warning"))
    return skipped


def output_paths(
    out: Path,
    pack_id: str,
    variant: Variant = "standard",
    formats: tuple[Format, ...] = FORMATS,
    names: Mapping[str, str] | None = None,
) -> dict[tuple[Edition, str], Path]:
    """(edition, format) -> DIR/ID/ID-NAME.FORMAT, NAME the edition's name in `names` (by default the
    edition itself: student, teacher), or the file's name for a format written once per pack
    (ID-quizzes.gift, ID.imscc); large print adds '-large-print' before the '.'."""
    folder = out / pack_id
    tail = "" if variant == "standard" else f"-{variant}"
    called = names or {}

    def middle(f: Format, e: Edition) -> str:
        if f.file is not None:
            return f"-{f.file}" if f.file else ""
        return f"-{called.get(e, e)}"

    return {(e, f.name): folder / f"{pack_id}{middle(f, e)}{tail}.{f.extension}" for f in formats for e in f.editions}


# A top-level 'id:' line with a plain (perhaps quoted) value, as nearly every spec writes it.
_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([a-z0-9]+(?:[-_][a-z0-9]+)*)\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def quick_id(path: Path) -> str | None:
    """The pack id a spec will have ('id:' or the file name), read without parsing the YAML.

    Only used to refuse two specs that would write the same folder before either is built; an
    'id:' written any other way is checked when the spec itself is validated."""
    try:
        text = read_bounded(path, TEXT_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return path.stem
    found = _ID_LINE.search(text)
    return found[2] if found else path.stem
