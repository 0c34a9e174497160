"""The content policy as data: categories, intensities, youngest ages, severities, wording keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field

from .. import DATA
from ..errors import Position, Problem
from . import source, validation
from .terms import Matcher, Term, compile_term
from .typography import typographic

DEFAULT = DATA / "default-policy.yaml"
NEVER = "never"
ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TERM = re.compile(r"[#]?[\w'’.-]+(?: [\w'’.-]+)*\*?")

Action = Literal["opinion-label", "balancing-question", "impartiality-note", "verify-facts-note", "right-to-withdraw"]
BandId = Literal["plain", "standard", "adult"]
# Who reads a pack's pupil-facing edition: pupils, or adults (staff training: a participants'
# edition, adult support services, a participants' checklist).
Readers = Literal["pupils", "adults"]
Id = Annotated[str, Field(pattern=ID)]
Words = Annotated[str, Field(min_length=1, max_length=200)]


def _valid_age(value: int | str) -> int | str:
    if _age(value) == "bad":
        raise ValueError(f"should be an age from 0 to 99, or never, not {source.describe(value)}")
    return value


class _Model(validation.StrictModel):
    model_config = ConfigDict(populate_by_name=True)  # bands are written with 'from:'


class _Severity(_Model):
    id: Id
    label: Words
    meaning: Words


class _Band(_Model):
    id: BandId
    start: int = Field(alias="from", ge=0, le=99)
    readers: Readers = "pupils"
    edition: Id = "student"


class _ActionAges(_Model):
    until: int = Field(ge=1, le=99)


class _Intensity(_Model):
    id: Id
    label: Words
    youngest: Annotated[int | str, AfterValidator(_valid_age)]
    override: bool = True
    severity: Id | None = None
    terms: list[Words] = Field(min_length=1)


class _Category(_Model):
    id: Id
    label: Words
    code: Words | None = None
    severity: Id
    wording: Id
    actions: list[Action] = Field(default_factory=list)
    redactable: bool = False
    pupil_note: bool = True
    intensities: list[_Intensity] = Field(min_length=1)


class _PolicyFile(_Model):
    policy: Words
    version: Literal[1]
    severities: list[_Severity] = Field(min_length=1)
    bands: list[_Band] = Field(min_length=1)
    teacher_wording: BandId = "adult"
    action_ages: dict[Action, _ActionAges] = Field(default_factory=dict)
    reading_age_margin: int = Field(2, ge=0, le=20)
    min_quote_words: int = Field(3, ge=1, le=50)
    full_citation_age: int = Field(14, ge=0, le=99)
    categories: list[_Category] = Field(min_length=1)


# ---------------------------------------------------------------------------------------
# The compiled policy.


@dataclass(frozen=True)
class Level:
    """One intensity of a category: how strong the content is, and who may read it."""

    category: str
    id: str
    label: str
    rank: int
    youngest: int | None  # None: never in a student pack
    overridable: bool
    severity: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    code: str | None
    severity: str
    wording: str
    actions: frozenset[Action]
    redactable: bool
    pupil_note: bool
    levels: tuple[Level, ...]

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)


@dataclass(frozen=True)
class Gravity:
    id: str
    label: str
    meaning: str
    rank: int


@dataclass(frozen=True)
class Band:
    """What an audience gets from its youngest age up to the next band's start."""

    id: BandId  # the wording the pupil-facing text uses
    start: int
    readers: Readers
    # The pupil-facing edition's name: its file name (ID-participant.pdf) and, through the
    # templates' edition_labels, its label ("Participant handout").
    edition: str = "student"


@dataclass(frozen=True)
class Policy:
    name: str
    path: str
    severities: dict[str, Gravity]
    bands: tuple[Band, ...]
    categories: dict[str, Category]
    # Where each category's wording key is written, for errors about missing wording.
    wording_at: dict[str, Position]
    teacher_wording: BandId = "adult"  # the wording the teacher's own notes use
    # Actions that apply only to audiences whose youngest age is under `until`.
    action_until: dict[Action, int] = field(default_factory=dict)
    # Where each band's edition name is written (by band id), for errors about missing labels.
    edition_at: dict[str, Position] = field(default_factory=dict)
    # How many years above the oldest pupil an excerpt's reading age may be before check warns.
    reading_age_margin: int = 2
    # The fewest words an excerpt may quote: fewer means nothing on its own (a stray "." or "Yes").
    min_quote_words: int = 3
    # From this youngest age a citation prints an essay's title, author and publisher in full (when
    # no word is refused); below it, only words naming what the extracts themselves discuss.
    full_citation_age: int = 14

    def audience(self, youngest: int) -> Band:
        """The band of an audience whose youngest age is `youngest`."""
        chosen = self.bands[0]
        for band in self.bands:
            if youngest >= band.start:
                chosen = band
        return chosen

    def band(self, youngest: int) -> BandId:
        """The wording band for an audience whose youngest age is `youngest`."""
        return self.audience(youngest).id

    def applies(self, action: Action, youngest: int) -> bool:
        """Whether `action` applies to an audience whose youngest age is `youngest`."""
        until = self.action_until.get(action)
        return until is None or youngest < until

    @cached_property
    def entries(self) -> tuple[tuple[Category, Level, Term], ...]:
        """Every term with its category and intensity, in the policy's order."""
        return tuple((c, lv, t) for c in self.categories.values() for lv in c.levels for t in lv.terms)

    @cached_property
    def matcher(self) -> Matcher:
        """One index of every term, built on first use (once per policy: it is cached with it)."""
        return Matcher([t for _, _, t in self.entries])

    def tags(self) -> list[str]:
        """Every tag a spec may add: 'category' (mildest intensity) or 'category/intensity'."""
        out = []
        for c in self.categories.values():
            out.append(c.id)
            out += [f"{c.id}/{lv.id}" for lv in c.levels]
        return out


def _check(loaded: source.Loaded, data: _PolicyFile) -> list[Problem]:
    """What the models cannot say: unique ids, known severities, sensible terms and orders."""
    problems: list[Problem] = []
    known = [s.id for s in data.severities]

    def unique(items: list[Any], where: tuple[str | int, ...], what: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(
                    Problem(
                        loaded.at((*where, i, "id")),
                        f"{what} id '{item.id}' is already used by {what} {seen[item.id] + 1}",
                    )
                )
            seen.setdefault(item.id, i)

    unique(data.severities, ("severities",), "severity")
    unique(data.bands, ("bands",), "band")
    unique(data.categories, ("categories",), "category")
    starts = [b.start for b in data.bands]
    if starts != sorted(starts) or starts[0] > 5:
        problems.append(
            Problem(loaded.at(("bands",)), "bands must start at age 5 or younger and go from youngest to oldest")
        )
    for ci, cat in enumerate(data.categories):
        here: tuple[str | int, ...] = ("categories", ci)
        unique(cat.intensities, (*here, "intensities"), "intensity")
        if cat.severity not in known:
            problems.append(
                Problem(
                    loaded.at((*here, "severity")),
                    f"unknown severity '{cat.severity}'" + validation.suggest(cat.severity, known),
                )
            )
        previous: tuple[str, int | None] | None = None
        owner: dict[str, str] = {}
        for li, lv in enumerate(cat.intensities):
            at: tuple[str | int, ...] = (*here, "intensities", li)
            if lv.severity is not None and lv.severity not in known:
                problems.append(
                    Problem(
                        loaded.at((*at, "severity")),
                        f"unknown severity '{lv.severity}'" + validation.suggest(lv.severity, known),
                    )
                )
            youngest = None if lv.youngest == NEVER else int(lv.youngest)
            if previous is not None and _younger(youngest, previous[1]):
                problems.append(
                    Problem(
                        loaded.at((*at, "youngest")),
                        f"intensities are listed mildest first: '{lv.id}' ({_from(youngest)}) cannot come after "
                        f"'{previous[0]}' ({_from(previous[1])}); a stronger intensity needs the same age or older",
                    )
                )
            previous = (lv.id, youngest)
            for ti, term in enumerate(lv.terms):
                where = loaded.at((*at, "terms", ti))
                fault = _term_fault(term)
                if fault:
                    problems.append(Problem(where, f"term {term!r} {fault}"))
                elif term.lower() in owner:
                    problems.append(
                        Problem(
                            where,
                            f"term '{term}' is listed twice in '{cat.id}' (already under '{owner[term.lower()]}')",
                        )
                    )
                owner.setdefault(term.lower(), lv.id)
    return problems


def _age(value: int | str) -> int | None | Literal["bad"]:
    """An intensity's youngest age; None for never; 'bad' for anything else."""
    if isinstance(value, str):
        return None if value == NEVER else "bad"
    return value if 0 <= value <= 99 else "bad"


def _younger(age: int | None, than: int | None) -> bool:
    """Whether `age` lets younger readers in than `than` does (None is never: nobody)."""
    if age is None:
        return False
    return than is None or age < than


def _from(age: int | None) -> str:
    return f"allowed from {age}" if age is not None else "never allowed"


def _term_fault(term: str) -> str:
    """What is wrong with a term as written, in words a safeguarding lead can act on; '' if nothing."""
    if term != term.strip():
        return "starts or ends with a space; remove it"
    if "  " in term:
        return "has two spaces in a row; use single spaces between words"
    if "*" in term[:-1]:
        return "may only end in * (meaning any ending), not contain it"
    if not TERM.fullmatch(term):
        return "should be words (letters, digits, ' - .) separated by single spaces, optionally ending in *"
    return ""


def _compile(loaded: source.Loaded, data: _PolicyFile) -> Policy:
    # Labels and meanings are printed in the teacher edition: typographic, like all typed text.
    t = typographic
    severities = {s.id: Gravity(s.id, t(s.label), t(s.meaning), i) for i, s in enumerate(data.severities)}
    categories: dict[str, Category] = {}
    wording_at: dict[str, Position] = {}
    for ci, cat in enumerate(data.categories):
        levels = tuple(
            Level(
                cat.id,
                lv.id,
                t(lv.label),
                rank,
                None if lv.youngest == NEVER else int(lv.youngest),
                lv.override,
                lv.severity or cat.severity,
                tuple(compile_term(t) for t in lv.terms),
            )
            for rank, lv in enumerate(cat.intensities)
        )
        categories[cat.id] = Category(
            cat.id,
            t(cat.label),
            cat.code,
            cat.severity,
            cat.wording,
            frozenset(cat.actions),
            cat.redactable,
            cat.pupil_note,
            levels,
        )
        wording_at[cat.id] = loaded.at(("categories", ci, "wording"))
    bands = tuple(Band(b.id, b.start, b.readers, b.edition) for b in data.bands)
    until = {action: ages.until for action, ages in data.action_ages.items()}
    edition_at: dict[str, Position] = {b.id: loaded.at(("bands", i, "edition")) for i, b in enumerate(data.bands)}
    return Policy(
        data.policy,
        loaded.path,
        severities,
        bands,
        categories,
        wording_at,
        data.teacher_wording,
        until,
        edition_at,
        data.reading_age_margin,
        data.min_quote_words,
        data.full_citation_age,
    )


def parse(loaded: source.Loaded) -> tuple[Policy | None, list[Problem]]:
    """A policy from a parsed YAML file, or every problem in it."""
    if not isinstance(loaded.value, dict):
        return None, [Problem(loaded.at(()), "a policy file is a set of 'key: value' lines; start with 'policy:'")]
    data, problems = validation.read_model(loaded, _PolicyFile, "policy")
    if data is None:
        return None, problems
    problems = _check(loaded, data)
    if problems:
        return None, problems
    return _compile(loaded, data), []


def load(path: Path = DEFAULT, display: str | None = None) -> tuple[Policy | None, list[Problem]]:
    """The policy in a file, or None and every problem that keeps it from being used.

    Parsed once per process for each version of each file (an edited file is read again)."""
    try:
        stat = path.stat()
    except OSError:  # missing or a dangling link: reading it says so
        return _load(path, -1, -1, display)
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, display)


def default() -> Policy:
    """lessonpack's own policy (shipped with it: a problem in it is a bug, not the user's)."""
    found, problems = load(DEFAULT)
    if found is None:
        raise RuntimeError("the default policy cannot be used: " + "; ".join(map(str, problems)))
    return found


@cache
def _load(path: Path, mtime: int, size: int, display: str | None) -> tuple[Policy | None, list[Problem]]:
    loaded, problems = source.load(path, display, "policy")
    if loaded is None:
        return None, problems
    return parse(loaded)
