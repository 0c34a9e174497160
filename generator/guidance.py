"""Content guidance for a lesson: what the quoted words contain and what that means for its age."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import source
from .errors import Position, Problem, ProblemsError
from .spec import Lesson


@dataclass(frozen=True)
class Note:
    """A short pupil-facing note, and who it is placed before."""

    title: str
    text: str


@dataclass(frozen=True)
class GuidanceRow:
    excerpt: str
    category: str
    severity: str
    words: str
    why: str


@dataclass(frozen=True)
class Guidance:
    """Everything compose needs to print guidance; empty when nothing is flagged."""

    summary: tuple[Note, ...] = ()
    before_excerpt: dict[str, tuple[Note, ...]] = field(default_factory=dict)
    table: tuple[GuidanceRow, ...] = ()
    checklist: tuple[str, ...] = ()
    teacher_notes: tuple[str, ...] = ()


def assess(lesson: Lesson) -> Guidance:
    """The guidance for a lesson. Detection on the quoted words arrives with the policy (issue 3)."""
    return Guidance()


@dataclass(frozen=True)
class Service:
    name: str
    who: str
    contact: str
    checked: str


@dataclass(frozen=True)
class Signposting:
    services: tuple[Service, ...]
    emergency: str
    checked: str


DATA = Path(__file__).parent / "data" / "support-services.yaml"


@cache
def _services(path: Path) -> dict[str, Any]:
    """The support-services data file, parsed once per process."""
    loaded, problems = source.load(path)
    if loaded is None or not isinstance(loaded.value, dict):
        raise ProblemsError(problems or [Problem(Position(str(path)), "support services file is empty")])
    data: dict[str, Any] = loaded.value
    return data


def signposting(region: str, youngest: int, oldest: int | None, path: Path = DATA) -> Signposting:
    """Services for a region whose age range overlaps the audience's; unverified numbers withheld."""
    data = _services(path)
    top = oldest if oldest is not None else 99
    chosen = []
    for s in data.get("services", []):
        if s["region"] != region or s["max_age"] < youngest or s["min_age"] > top:
            continue
        contact = s["contact"] if s.get("number_verified") else s.get("contact_note", "")
        chosen.append(Service(s["name"], s["who"], contact, str(s["checked"])))
    checked = max((s.checked for s in chosen), default="")
    return Signposting(tuple(chosen), str(data["emergency"][region]), checked)
