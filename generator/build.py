"""Files in and out: find specs, build each pack's four files, write them atomically."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import compose as compose_mod
from . import guidance, spec, wording
from . import policy as policy_mod
from .corpus import Corpus, load_corpus
from .errors import Position, Problem, ProblemsError
from .model import Edition, Paper, Variant

PACKAGE = Path(__file__).resolve().parent
SPEC_SUFFIXES = (".yaml", ".yml")
# Print sets live beside specs (packs/year-9.printset.yaml) but are not specs.
PRINT_SET_SUFFIXES = (".printset.yaml", ".printset.yml")
EDITIONS: tuple[Edition, ...] = ("student", "teacher")


def _bundled(name: str) -> Path:
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
        own = self.root / "seeds"
        return own if own.is_dir() else _bundled("seeds")

    @property
    def templates(self) -> Path:
        own = self.root / "templates"
        return own if own.is_dir() else _bundled("templates")


@dataclass
class Report:
    built: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    # Each checked pack's content-guidance flags and decisions (for --explain).
    explained: list[list[str]] = field(default_factory=list)


class UsageError(Exception):
    """The command line itself is wrong, or nothing could be read (exit 2)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_specs(paths: Iterable[Path]) -> list[Path]:
    """Spec files named directly, or found in folders (sorted, so builds are reproducible)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SPEC_SUFFIXES and not p.name.endswith(PRINT_SET_SUFFIXES) and p.is_file()
            )
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def output_paths(out: Path, pack_id: str, variant: Variant = "standard") -> dict[tuple[Edition, str], Path]:
    """DIR/ID/ID-EDITION.EXT; a large-print variant adds '-large-print' before the extension."""
    folder = out / pack_id
    tail = "" if variant == "standard" else f"-{variant}"
    return {(e, ext): folder / f"{pack_id}-{e}{tail}.{ext}" for e in EDITIONS for ext in ("pdf", "docx")}


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Builder:
    """Builds packs for one project with one set of options."""

    def __init__(
        self, project: Project, paper: Paper = "a4", policy: Path | None = None, variant: Variant = "standard"
    ) -> None:
        self.project = project
        self.paper = paper
        self.variant = variant
        self.corpus, self.corpus_problems = self._load_corpus()
        self.wording = wording.load(project.templates)
        self.policy = self._load_policy(policy)

    def _load_policy(self, path: Path | None) -> policy_mod.Policy:
        """The default policy, or a school's own (every problem in it reported at its place)."""
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such policy file")
        try:
            found = policy_mod.load(path or policy_mod.DEFAULT, display(path) if path else None)
        except ProblemsError as exc:
            raise UsageError(
                f"{display(path) if path else 'default policy'}: the policy cannot be used", exc.problems
            ) from None
        module = self.wording.env.get_template("guidance.j2").module
        tables = [module.topics, module.short]  # type: ignore[attr-defined]
        missing = [
            Problem(
                found.wording_at[c.id],
                f"no wording '{c.wording}' for every band in templates/guidance.j2 "
                f"(known: {', '.join(sorted(tables[0]))})",
            )
            for c in found.categories.values()
            if any(c.wording not in t or any(band not in t[c.wording] for _, band in found.bands) for t in tables)
        ]
        if missing:
            raise UsageError("the policy names wording the templates do not have", missing)
        return found

    def _load_corpus(self) -> tuple[Corpus, list[Problem]]:
        if not self.project.seeds.is_dir():
            raise UsageError(f"{self.project.seeds}: no seeds folder")
        return load_corpus(self.project.seeds, Path.cwd())

    def check(self, path: Path) -> tuple[spec.Lesson | None, guidance.Guidance | None, list[Problem]]:
        """A spec validated, its quotes found and its content judged for its audience.

        The lesson may be refused for its audience: any error among the problems means no output."""
        lesson, problems = spec.load_lesson(path, self.corpus, display(path))
        if lesson is None:
            return None, None, problems
        found, more = guidance.assess(lesson, self.policy)
        return lesson, found, problems + more

    def render(self, lesson: spec.Lesson, found: guidance.Guidance) -> dict[tuple[Edition, str], bytes]:
        """All four files of a pack, in memory."""
        from .docx import render_docx
        from .pdf import render_pdf

        ages = lesson.ages
        support = guidance.signposting(lesson.spec.audience.region, ages.youngest, ages.oldest)
        options = compose_mod.Options(paper=self.paper, variant=self.variant)
        files: dict[tuple[Edition, str], bytes] = {}
        for edition in EDITIONS:
            document = compose_mod.compose(lesson, edition, self.wording, found, support, options)
            files[(edition, "pdf")] = render_pdf(document)
            files[(edition, "docx")] = render_docx(document)
        return files

    def build(self, paths: list[Path], out: Path, write: bool = True) -> Report:
        """Check (and unless `write` is false, build) every spec; one bad spec never stops others."""
        started = time.perf_counter()
        report = Report(problems=list(self.corpus_problems))
        owners: dict[str, str] = {}
        for path in find_specs(paths):
            shown = display(path)
            try:
                lesson, found, problems = self.check(path)
                report.problems += problems
                if lesson is not None and found is not None:
                    report.explained.append(guidance.explain(lesson, found))
                if lesson is None or found is None or any(p.severity == "error" for p in problems):
                    report.failed.append(shown)
                    continue
                if lesson.id in owners:
                    report.problems.append(
                        Problem(
                            Position(shown),
                            f"pack id '{lesson.id}' is also used by {owners[lesson.id]}; set a different 'id:'",
                        )
                    )
                    report.failed.append(shown)
                    continue
                owners[lesson.id] = shown
                if write:
                    files = self.render(lesson, found)
                    targets = output_paths(out, lesson.id, self.variant)
                    for key, data in files.items():
                        write_atomic(targets[key], data)
                        report.written.append(targets[key])
                report.built.append(lesson.id)
            except Exception as exc:  # a bug in lessonpack, not the author's mistake
                if os.environ.get("LESSONPACK_DEBUG"):
                    traceback.print_exc()
                report.problems.append(
                    Problem(
                        Position(shown),
                        f"internal error (a bug in lessonpack, not in your spec; please report it): "
                        f"{type(exc).__name__}: {exc}",
                    )
                )
                report.failed.append(shown)
        report.seconds = time.perf_counter() - started
        return report
