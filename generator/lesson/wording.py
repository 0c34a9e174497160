"""Render the product's own wording from Jinja2 templates (the only module importing jinja2)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Position, Problem


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
        would type it); nothing when all of them compile."""
        found = []
        for path in sorted(self.folder.glob("*.j2")):
            where = f"{shown}/{path.name}"
            try:
                self.env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                found.append(Problem(Position(where, exc.lineno or 1), f"template syntax: {exc.message}"))
            except (OSError, UnicodeDecodeError) as exc:
                found.append(Problem(Position(where), f"cannot read the template: {exc}"))
        return found

    def module(self, template: str) -> Module:
        """The names a template sets (labels, tables, macros), each from the project's template when
        it has it, else from the bundled one."""
        own = self.env.get_template(template).module
        base = self._bundled_module(template)
        return Module(own, base)

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


class Module:
    """A template's names: the project's own, then the bundled template's. A table (a dict) the
    project's template sets lacks nothing the bundled one has: missing entries come from the bundled."""

    def __init__(self, own: Any, base: Any) -> None:
        self._own = own
        self._base = base

    def __getattr__(self, name: str) -> Any:
        own = getattr(self._own, name, None)
        base = getattr(self._base, name, None) if self._base is not None else None
        if own is None:
            if base is None:
                raise AttributeError(name)
            return base
        if isinstance(own, dict) and isinstance(base, dict):
            return {**base, **own}
        return own

    def call(self, name: str, *args: Any) -> str:
        """A macro's text. A project's macro from before an argument was added is called without
        it (new arguments are only ever added at the end)."""
        macro = getattr(self, name)
        if isinstance(macro, jinja2.runtime.Macro) and not macro.catch_varargs:
            args = args[: len(macro.arguments)]
        return str(macro(*args)).strip()


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
