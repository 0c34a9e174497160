"""Render the product's own wording from Jinja2 templates (the only module importing jinja2)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Position, Problem


class Wording:
    """Templates from one folder. Spec text only ever arrives as data (template variables)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
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


@cache
def load(folder: Path) -> Wording:
    return Wording(folder)


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
