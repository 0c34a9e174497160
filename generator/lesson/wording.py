"""Render the product's own wording from Jinja2 templates (the only module importing jinja2)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2


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
