"""The support services printed on a pack's last page, chosen for the audience's region and ages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .. import DATA
from ..errors import Position, Problem, UsageError
from ..readers import source


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


SERVICES = DATA / "support-services.yaml"


@cache
def _services(path: Path) -> dict[str, Any]:
    """The support-services data file, parsed once per process."""
    loaded, problems = source.load(path)
    if loaded is None or not isinstance(loaded.value, dict):
        found = problems or [Problem(Position(str(path)), "the file is empty")]
        raise UsageError(f"{path}: the support services cannot be read", found)
    data: dict[str, Any] = loaded.value
    return data


def signposting(region: str, youngest: int, oldest: int | None, path: Path = SERVICES) -> Signposting:
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
