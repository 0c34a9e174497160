"""Render the product's own wording from Jinja2 templates (the only module importing jinja2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import ValidationError

from ..errors import Position, Problem
from .labels import Labels, NoteWording, TemplateWording

T = TypeVar("T", bound=TemplateWording)


class Wording:
    """Templates from one folder, and the bundled ones behind it: a project's own templates from
    before a template, label or macro was added fall back to the bundled wording for it (`missing`
    names each). Spec text only ever arrives as data (template variables)."""

    def __init__(self, folder: Path, bundled: Path | None = None) -> None:
        self.folder = folder
        self.bundled = bundled if bundled is not None and bundled.resolve() != folder.resolve() else None
        folders = [str(folder)] + ([str(self.bundled)] if self.bundled else [])
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["date"] = plain_date

    def problems(self, shown: str) -> list[Problem]:
        """Every template that cannot be read, at its line (`shown` names the folder as the user
        would type it), and then any label the code reads that is missing or of the wrong kind (see
        `typed`); nothing when all of them compile and every label is there."""
        found = []
        for path in sorted(self.folder.glob("*.j2")):
            if self._as_bundled(path.name):
                continue  # a copy of a bundled template (whose tests compile it): compiled when used
            where = f"{shown}/{path.name}"
            try:
                self.env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                found.append(Problem(Position(where, exc.lineno or 1), f"template syntax: {exc.message}"))
            except (OSError, UnicodeDecodeError) as exc:
                found.append(Problem(Position(where), f"cannot read the template: {exc}"))
        if found:
            return found
        for read in (lambda: self.labels, lambda: self.notes):  # each checked once, here, as the templates load
            try:
                read()
            except WordingError as exc:
                inside = exc.path.parent.resolve() == self.folder.resolve()
                found.append(Problem(Position(f"{shown}/{exc.path.name}" if inside else str(exc.path)), exc.message))
        return found

    @cached_property
    def labels(self) -> Labels:
        """templates/labels.j2, typed (see `typed`)."""
        return self.typed(Labels)

    @cached_property
    def notes(self) -> NoteWording:
        """templates/guidance.j2, typed (see `typed`)."""
        return self.typed(NoteWording)

    def typed(self, kind: type[T]) -> T:
        """The names a template sets that the code reads, each from the project's template when it
        has it, else from the bundled one (a table the project's template sets lacks nothing the
        bundled one has: missing entries come from the bundled). Raises WordingError naming the
        template and the label when a label is missing from both, is of the wrong kind, or when the
        bundled template (or the only one) sets a name that no code reads."""
        own = self.env.get_template(kind.template).module
        # A project's copy of the bundled template is the bundled wording: not compiled twice.
        base = own if self._as_bundled(kind.template) else self._bundled_module(kind.template)
        ours = self.folder / kind.template
        theirs = self.bundled / kind.template if base is not None and self.bundled is not None else ours
        ours = ours if ours.is_file() else theirs  # a template the project lacks is the bundled one
        values: dict[str, Any] = {}
        came_from: dict[str, Path] = {}
        for name in kind.model_fields:
            mine = getattr(own, name, None)
            bundled = getattr(base, name, None) if base is not None else None
            value: Any
            if isinstance(mine, dict) and isinstance(bundled, dict):
                value = {**bundled, **mine}
            else:
                value = bundled if mine is None else mine
            if value is not None:
                values[name] = _text_of(value) if isinstance(value, jinja2.runtime.Macro) else value
                came_from[name] = ours if mine is not None else theirs
        lacking = [n for n in kind.model_fields if n not in values]
        # Names the bundled wording sets beyond the fields are a mistake in lessonpack (a misspelt
        # label is both lacking and unknown); a project's own extra names (from an older version)
        # are left unread.
        sets = {n for n in vars(base if base is not None else own) if not n.startswith("_")}
        unknown = sorted(sets - set(kind.model_fields) - kind.helpers)
        wrong = [f"no {_names(lacking)}, which the code reads"] if lacking else []
        if unknown:
            them = "it" if len(unknown) == 1 else "them"
            wrong.append(
                f"{_names(unknown)} set but never read: add {them} to {kind.__name__} in "
                f"generator/lesson/labels.py, or remove {them}"
            )
        if wrong:
            raise WordingError(theirs, "; ".join(wrong))
        try:
            return kind.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise WordingError(
                came_from.get(str(first["loc"][0]), ours), f"the label '{where}' is of the wrong kind: {first['msg']}"
            ) from None

    def _as_bundled(self, template: str) -> bool:
        """Whether the project's template is now a byte-for-byte copy of the bundled one (read each
        time: a watched project's template may be edited between builds)."""
        if self.bundled is None:
            return False
        ours, theirs = self.folder / template, self.bundled / template
        try:
            return ours.is_file() and theirs.is_file() and ours.read_bytes() == theirs.read_bytes()
        except OSError:
            return False

    def _bundled_module(self, template: str) -> Any:
        if self.bundled is None or not (self.bundled / template).is_file():
            return None
        return load(self.bundled).env.get_template(template).module

    def missing(self, shown: str) -> list[Problem]:
        """A warning for each bundled template this project's folder lacks, and for each name a
        project's template lacks that the bundled one sets: the bundled wording is used for it."""
        if self.bundled is None:
            return []
        found = []
        for path in sorted(self.bundled.glob("*.j2")):
            where = f"{shown}/{path.name}"
            if not (self.folder / path.name).is_file():
                found.append(Problem(Position(where), "this template is missing; using the bundled wording", "warning"))
                continue
            try:
                own = set(vars(self.env.get_template(path.name).module))
            except jinja2.TemplateError:
                continue  # reported by problems()
            lacking = [n for n in vars(self._bundled_module(path.name)) if not n.startswith("_") and n not in own]
            if lacking:
                names = ", ".join(f"'{n}'" for n in lacking)
                found.append(
                    Problem(
                        Position(where),
                        f"no {'label' if len(lacking) == 1 else 'labels'} {names} (added in a later version); "
                        "using the bundled wording: copy it from the bundled templates to change it",
                        "warning",
                    )
                )
        return found

    def text(self, name: str, **context: Any) -> str:
        """One template rendered to text, outer white space trimmed."""
        return self.env.get_template(f"{name}.j2").render(**context).strip()

    def paragraphs(self, name: str, **context: Any) -> list[str]:
        """A template's text split at blank lines; each paragraph's lines joined by spaces."""
        out = []
        for block in self.text(name, **context).split("\n\n"):
            joined = " ".join(line.strip() for line in block.splitlines() if line.strip())
            if joined:
                out.append(joined)
        return out


class WordingError(Exception):
    """A template lacks a label the code reads, sets one of the wrong kind, or sets one nothing reads."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _names(names: list[str]) -> str:
    return f"{'label' if len(names) == 1 else 'labels'} {', '.join(repr(n) for n in names)}"


def _text_of(macro: jinja2.runtime.Macro) -> Callable[..., str]:
    """A macro as a function giving its text. A project's macro from before an argument was added is
    called without it (new arguments are only ever added at the end)."""

    def text(*args: Any) -> str:
        given = args if macro.catch_varargs else args[: len(macro.arguments)]
        return str(macro(*given)).strip()

    return text


@cache
def load(folder: Path, bundled: Path | None = None) -> Wording:
    return Wording(folder, bundled)


def plain_date(iso: str, region: str) -> str:
    """A date as the region writes it: uk 21 November 2026, us November 21, 2026 (YYYY-MM and YYYY
    print as November 2026 and 2026); anything else as it is."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", iso.strip())
    if not found or (found[2] and not 1 <= int(found[2]) <= 12):
        return iso
    year, month, day = found[1], found[2], found[3]
    if not month:
        return year
    name = _MONTHS[int(month) - 1]
    if not day:
        return f"{name} {year}"
    return f"{name} {int(day)}, {year}" if region == "us" else f"{int(day)} {name} {year}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
