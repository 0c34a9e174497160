"""Read and validate a print set (*.printset.yaml): paper, duplex, and each class's size, packs and
whether its teacher gets the slides printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeGuard

from pydantic import AfterValidator, Field

from ..errors import Position, Problem
from ..model import Paper
from . import source, validation

SUFFIXES = (".printset.yaml", ".printset.yml")
MAX_STUDENTS = 400  # a whole year group in one run; more is almost certainly a typo
MAX_CLASSES = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


Name = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(validation.not_blank)]


class _Class(validation.StrictModel):
    """One class: how many copies of which packs."""

    name: Name = Field(description="The class's name, printed on its separator sheets and used as its file name.")
    students: int = Field(ge=1, le=MAX_STUDENTS, description="Students in the class (one copy each).")
    large_print: int = Field(0, ge=0, le=MAX_STUDENTS, description="How many of them need a large-print copy.")
    packs: list[str] = Field(min_length=1, description="Pack ids (a spec's file name in packs/, or its 'id:').")
    slides: bool = Field(
        False,
        description="Also print one copy of each pack's slide deck for the teacher, two slides a page, "
        "after its teacher edition (default false: no deck is made for this class).",
    )


class _PrintSetFile(validation.StrictModel):
    """A print set: one print-ready PDF per class."""

    paper: Paper = Field(description="Paper size of every page.")
    duplex: bool = Field(description="Print on both sides: each copy then starts on a fresh sheet.")
    classes: list[_Class] = Field(min_length=1, max_length=MAX_CLASSES, description="The classes to print for.")


@dataclass(frozen=True)
class SpecFile:
    """A spec the print set may name: where it is and its title (for separator sheets)."""

    id: str
    path: Path
    title: str


@dataclass(frozen=True)
class ClassRun:
    """One class of a validated print set."""

    name: str
    file_stem: str  # the class's PDF is FILE_STEM.pdf
    students: int
    large_print: int
    packs: tuple[str, ...]
    pack_positions: tuple[Position, ...]
    slides: bool = False  # one printed copy of each pack's deck, for the teacher

    @property
    def standard_copies(self) -> int:
        return self.students - self.large_print


@dataclass(frozen=True)
class PrintSet:
    """A validated print set."""

    name: str  # from the file name: year-9.printset.yaml -> year-9
    path: str
    paper: Paper
    duplex: bool
    classes: tuple[ClassRun, ...]


def set_name(path: Path) -> str:
    """year-9.printset.yaml -> year-9 (any other YAML file: its stem)."""
    for suffix in SUFFIXES:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return path.stem


def file_stem(name: str) -> str:
    """A class or set name as a file name: letters, digits, '.', '_' and '-' ('9A (Ms Lee)' -> '9A-Ms-Lee')."""
    return _UNSAFE.sub("-", name).strip("-.")


def pack_index(spec_paths: list[Path]) -> dict[str, SpecFile]:
    """Pack id -> its spec file, for spec files: the id is the spec's 'id:' or else its file name.

    A spec that cannot be read still gets its file name as id, so a print set naming it
    reports the spec's own problems when it is built rather than 'unknown pack'."""
    index: dict[str, SpecFile] = {}
    for path in spec_paths:
        loaded, _ = source.load(path, what="print set")
        value = loaded.value if loaded is not None else None
        data: dict[str, Any] = value if isinstance(value, dict) else {}
        named, titled = data.get("id"), data.get("title")
        pack_id = named if isinstance(named, str) else path.stem
        title = titled if isinstance(titled, str) else pack_id
        index.setdefault(pack_id, SpecFile(pack_id, path, " ".join(title.split())))
    return index


def validate(loaded: source.Loaded, packs: dict[str, SpecFile], name: str) -> tuple[PrintSet | None, list[Problem]]:
    """Every problem in a parsed print set at once, or the print set."""
    if loaded.value is None:
        return None, [Problem(loaded.at(()), "the print set is empty; start with 'paper: a4'")]
    if not isinstance(loaded.value, dict):
        return None, [
            Problem(
                loaded.at(()),
                f"a print set is a set of 'key: value' lines (paper, duplex, classes), "
                f"not {source.describe(loaded.value)}",
            )
        ]
    data = _names_as_text(loaded.value)
    model, problems = validation.read_model(loaded, _PrintSetFile, "print set", data)

    # Checks across keys, on the raw data so that one mistake does not hide another.
    stems: dict[str, int] = {}
    raw_classes = data.get("classes")
    classes: list[Any] = raw_classes if isinstance(raw_classes, list) else []
    for ci, raw in enumerate(classes):
        if not isinstance(raw, dict):
            continue
        loc: tuple[str | int, ...] = ("classes", ci)
        class_name = raw.get("name")
        if isinstance(class_name, str) and class_name.strip():
            stem = file_stem(class_name)
            if not stem:
                problems.append(
                    Problem(
                        loaded.at((*loc, "name")),
                        f"class name '{class_name}' has no letters or digits to name its PDF file",
                    )
                )
            elif stem.casefold() in stems:
                first = stems[stem.casefold()]
                other = _class_name(classes[first])
                same = "is already used by" if other == class_name else f"makes the same file name as '{other}',"
                problems.append(
                    Problem(
                        loaded.at((*loc, "name")),
                        f"class name '{class_name}' {same} class {first + 1}; give each class its own name",
                    )
                )
            else:
                stems[stem.casefold()] = ci
        students, large = raw.get("students"), raw.get("large_print")
        if _count(students) and _count(large) and students >= 1 and large > students:
            problems.append(
                Problem(
                    loaded.at((*loc, "large_print")),
                    f"large_print ({large}) is more than the class's students ({students}); "
                    "large_print counts the students who need large print",
                )
            )
        named = raw.get("packs")
        seen_packs: dict[str, int] = {}
        for pi, pack_id in enumerate(named if isinstance(named, list) else []):
            if not isinstance(pack_id, str):
                continue
            here = loaded.at((*loc, "packs", pi))
            if pack_id in seen_packs:
                problems.append(
                    Problem(here, f"pack '{pack_id}' is already listed for this class (item {seen_packs[pack_id] + 1})")
                )
                continue
            seen_packs[pack_id] = pi
            if pack_id not in packs:
                known = sorted(packs)
                problems.append(
                    Problem(
                        here,
                        f"unknown pack '{pack_id}'"
                        + (
                            validation.suggest(pack_id, known)
                            or (f"; packs in packs/: {', '.join(known)}" if known else "; packs/ has no specs")
                        ),
                    )
                )
    if model is None or any(p.severity == "error" for p in problems):
        return None, problems
    runs = tuple(
        ClassRun(
            c.name,
            file_stem(c.name),
            c.students,
            c.large_print,
            tuple(c.packs),
            tuple(loaded.at(("classes", ci, "packs", pi)) for pi in range(len(c.packs))),
            c.slides,
        )
        for ci, c in enumerate(model.classes)
    )
    return PrintSet(name, loaded.path, model.paper, model.duplex, runs), problems


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _class_name(raw: Any) -> str:
    return str(raw.get("name", "")) if isinstance(raw, dict) else ""


def _names_as_text(value: dict[str, Any]) -> dict[str, Any]:
    """`name: 10` is class 10, not the number ten: class names that YAML read as numbers become text."""
    classes = value.get("classes")
    if not isinstance(classes, list):
        return value
    fixed = [{**c, "name": str(c["name"])} if isinstance(c, dict) and _count(c.get("name")) else c for c in classes]
    return {**value, "classes": fixed}


def load(path: Path, packs: dict[str, SpecFile], display: str | None = None) -> tuple[PrintSet | None, list[Problem]]:
    """Read, parse and validate one print-set file."""
    loaded, problems = source.load(path, display, "print set")
    if loaded is None:
        return None, problems
    found, more = validate(loaded, packs, file_stem(set_name(path)) or "print-set")
    if not path.name.endswith(SUFFIXES):
        more.append(
            Problem(
                loaded.at(()),
                f"name print sets NAME.printset.yaml (not '{path.name}') so that 'lessonpack build' "
                "does not read them as lesson specs",
                "warning",
            )
        )
    return found, more
