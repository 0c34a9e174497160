"""The support services printed on a pack's last page, chosen for the audience's region, readers and ages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from .. import DATA
from ..errors import Position, Problem, UsageError
from ..readers import validation
from ..readers.fields import Region
from ..readers.policy import Band, Readers
from ..readers.typography import typographic

SERVICES = DATA / "support-services.yaml"
# One entry of a service (its name, who it is for, a number, …).
Detail = Annotated[str, Field(min_length=1, max_length=400), AfterValidator(validation.not_blank)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class _Service(validation.StrictModel):
    name: Detail
    region: Region
    readers: list[Readers] = Field(min_length=1)
    min_age: int = Field(ge=0, le=99)
    max_age: int = Field(ge=0, le=99)
    who: Detail
    phone: Detail | None = None
    phone_source: Detail | None = None
    web: Detail | None = None
    web_source: Detail | None = None
    text: Detail | None = None  # a text-message line: "Text HOME to 741741"
    text_source: Detail | None = None
    how: Detail | None = None
    topics: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)
    list_from: int | None = Field(None, ge=0, le=99)
    checked: Day

    @model_validator(mode="after")
    def _sourced(self) -> _Service:
        if self.phone and not self.phone_source:
            raise ValueError(f"{self.name}: a phone number is printed only with its source (phone_source)")
        if self.web and not self.web_source:
            raise ValueError(f"{self.name}: a web address is printed only with its source (web_source)")
        if self.text and not self.text_source:
            raise ValueError(f"{self.name}: a text-message line is printed only with its source (text_source)")
        if not (self.phone or self.web or self.text):
            raise ValueError(f"{self.name}: give a phone number, a text-message line or a web address a reader can use")
        if self.min_age > self.max_age:
            raise ValueError(f"{self.name}: min_age is more than max_age")
        return self


Number = Annotated[str, Field(pattern=r"^[0-9 ]{3,12}$")]


class _Emergency(validation.StrictModel):
    """The emergency number of every region (each region must have one)."""

    uk: Number
    us: Number


class _ServicesFile(validation.StrictModel):
    emergency: _Emergency
    services: list[_Service] = Field(min_length=1)


@dataclass(frozen=True)
class Service:
    name: str
    who: str
    contact: str  # what a reader uses: the phone number and/or web address, and how
    min_age: int  # the youngest age the service is for
    checked: str  # YYYY-MM-DD

    def serves(self, age: int) -> bool:
        return self.min_age <= age


@dataclass(frozen=True)
class Signposting:
    services: tuple[Service, ...]
    emergency: str
    checked: str  # the latest date any listed service was checked (YYYY-MM-DD)


@cache
def _services(path: Path) -> _ServicesFile:
    """The support-services data file, validated and parsed once per process."""
    data, problems = validation.load_model(path, _ServicesFile, "support services file", "support list")
    if data is None:
        found = problems or [Problem(Position(str(path)), "the file is empty")]
        raise UsageError(f"{path}: the support services cannot be used", found)
    return data


def _contact(s: _Service) -> str:
    """'0800 1111 (free and confidential, phone or online chat)': the number or address, then how."""
    reach = " · ".join(part for part in (s.phone, s.text, s.web) if part)
    return typographic(f"{reach} ({s.how})" if s.how else reach)


def for_audience(region: str, youngest: int, oldest: int | None, audience: Band, raised: Iterable[str]) -> Signposting:
    """The services a pack lists for its audience: its region, its readers, its ages, and the
    topics its extracts raise (`raised`: policy category ids)."""
    return signposting(region, youngest, oldest, audience.readers, raised=frozenset(raised))


def signposting(
    region: str,
    youngest: int,
    oldest: int | None,
    readers: Readers = "pupils",
    path: Path = SERVICES,
    raised: frozenset[str] | None = None,
) -> Signposting:
    """Services of a region for these readers whose ages overlap the audience's, each with a
    contact a reader can use (a number or address only with its source); a service about a topic
    only when the lesson raises it (`raised`; None: every topic, to list the whole file)."""
    data = _services(path)
    top = oldest if oldest is not None else 99
    chosen = tuple(
        Service(typographic(s.name), typographic(" ".join(s.who.split())), _contact(s), s.min_age, s.checked)
        for s in data.services
        if s.region == region
        and readers in s.readers
        and s.min_age <= top
        and s.max_age >= youngest
        and (s.list_from is None or youngest >= s.list_from)
        and (not s.topics or raised is None or raised & set(s.topics))
    )
    if not any(s.serves(youngest) for s in chosen):
        raise UsageError(
            f"{path}: no support service in region '{region}' serves {readers} aged {youngest}; add one "
            "(every pack must list a service its youngest reader can use)"
        )
    checked = max(s.checked for s in chosen)
    return Signposting(chosen, getattr(data.emergency, region), checked)
