"""The one reader skeleton: strict pydantic models, validated against parsed YAML, every mistake a
positioned problem a teacher can act on. Specs, policies and print sets are all read this way."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from ..errors import Problem
from . import source


class StrictModel(BaseModel):
    """The base of every model a file is validated with: exact types (no coercion of "5" to 5),
    no unknown keys, and frozen values."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)
B = TypeVar("B", bound=BaseModel)
V = TypeVar("V")


def not_blank(value: str) -> str:
    """A validator for text fields: white space alone is not text."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def one_line(value: str) -> str:
    """A validator for titles, names and options: they print on one line (a line break, typed or
    written as an escape, would print as one)."""
    if "\n" in value.strip():
        raise ValueError("must be one line; it has a line break (join its lines)")
    return value


def read_model(loaded: source.Loaded, model: type[M], what: str, data: Any = None) -> tuple[M | None, list[Problem]]:
    """`data` (by default the whole file) validated as `model`: the value, or None and every
    problem at its place in the file (each problem once)."""
    try:
        return model.model_validate(loaded.value if data is None else data), []
    except ValidationError as exc:
        found: list[Problem] = []
        for err in exc.errors():
            p = problem(loaded, err, model, what)
            if p not in found:
                found.append(p)
        return None, found


@dataclass(frozen=True)
class Validated(Generic[M]):
    """A file read as `model` key by key and, in a list of models, item by item: each value
    validated once, so that a mistake in one part never hides a mistake in another."""

    model: type[M]
    fields: dict[str, Any]  # each key that validated: its value
    items: dict[str, list[tuple[int, BaseModel]]]  # each list of models: the items that validated, by index
    given: frozenset[str]  # the keys the file gives a value (not null)
    whole: M | None  # the model, when every part validated
    # The file's values and where pydantic found a mistake: for the keys of an item that did not
    # validate, those with no mistake of their own (`field_of`).
    data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    wrong: frozenset[tuple[str | int, ...]] = frozenset()

    def value(self, name: str, kind: type[V]) -> V | None:
        """The value of key `name` when it validated (`kind`: its type, checked)."""
        assert name in self.model.model_fields, f"{self.model.__name__} has no key '{name}'"
        found = self.fields.get(name)
        assert found is None or isinstance(found, kind)
        return found

    def each(self, name: str, kind: type[B]) -> list[tuple[int, B]]:
        """The items of list `name` that validated, with their indices (`kind`: their model, checked)."""
        assert _unwrap(self.model.model_fields[name].annotation) is kind, f"'{name}' is not a list of {kind.__name__}"
        return [(i, item) for i, item in self.items.get(name, []) if isinstance(item, kind)]

    def count(self, name: str) -> int:
        """How many items list `name` has in the file (valid or not)."""
        value = self.data.get(name)
        return len(value) if isinstance(value, list) else 0

    def field_of(self, name: str, i: int, key: str) -> Any:
        """Key `key` of item `i` of list `name`: its validated value, or for an item that did not
        validate, its value when pydantic found no mistake in it (else None)."""
        for n, item in self.items.get(name, []):
            if n == i:
                return getattr(item, key)
        if any(loc[:3] == (name, i, key) for loc in self.wrong):
            return None
        value = self.data.get(name)
        given = value[i] if isinstance(value, list) and i < len(value) else None
        return given.get(key) if isinstance(given, dict) else None

    def strings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every text of the parts that validated, with its place."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        for name in self.model.model_fields:
            if name in self.fields:
                found += _strings(self.fields[name], (name,))
            else:
                for i, item in self.items.get(name, []):
                    found += _strings(item, (name, i))
        return found


def _strings(value: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        return [(loc, value)]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _strings(getattr(value, name), (*loc, name))]
    if isinstance(value, list):
        return [s for i, item in enumerate(value) for s in _strings(item, (*loc, i))]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in _strings(item, (*loc, key))]
    return []


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator for the value of one key of `model`, with the key's own limits and checks."""
    info = model.model_fields[name]
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    is_model = isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
    return TypeAdapter(annotation, config=None if is_model else ConfigDict(strict=True))


def _list_of_models(info: FieldInfo) -> type[BaseModel] | None:
    if get_origin(info.annotation) is not list:
        return None
    inner = get_args(info.annotation)[0]
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _length(name: str, info: FieldInfo, value: list[Any]) -> list[dict[str, Any]]:
    """A list's own limits (its items are validated one by one), as pydantic states them."""
    for limit in info.metadata:
        least = getattr(limit, "min_length", None)
        if least is not None and len(value) < least:
            return [{"type": "too_short", "loc": (name,), "input": value, "ctx": {"min_length": least}, "msg": ""}]
        most = getattr(limit, "max_length", None)
        if most is not None and len(value) > most:
            return [{"type": "too_long", "loc": (name,), "input": value, "ctx": {"max_length": most}, "msg": ""}]
    return []


def read_parts(loaded: source.Loaded, model: type[M], what: str) -> tuple[Validated[M], list[Problem]]:
    """The file (a mapping) validated as `model` in parts: every problem at its place (each once),
    and what validated. The model has no checks across its keys (each key's value is checked alone)."""
    data = loaded.value
    assert isinstance(data, dict)
    errors: list[dict[str, Any]] = [
        {"type": "extra_forbidden", "loc": (key,), "input": value, "msg": ""}
        for key, value in data.items()
        if key not in model.model_fields
    ]
    fields: dict[str, Any] = {}
    items: dict[str, list[tuple[int, BaseModel]]] = {}
    for name, info in model.model_fields.items():
        if name not in data:
            if info.is_required():
                errors.append({"type": "missing", "loc": (name,), "input": data, "msg": ""})
            continue
        value = data[name]
        kind = _list_of_models(info)
        if kind is not None and isinstance(value, list):
            found = _length(name, info, value)
            good: list[tuple[int, BaseModel]] = []
            for i, item in enumerate(value):
                try:
                    good.append((i, kind.model_validate(item)))
                except ValidationError as exc:
                    found += [{**err, "loc": (name, i, *err["loc"])} for err in exc.errors()]
            items[name] = good
            if not found:
                fields[name] = [item for _, item in good]
            errors += found
            continue
        try:
            fields[name] = _adapter(model, name).validate_python(value)
        except ValidationError as exc:
            errors += [{**err, "loc": (name, *err["loc"])} for err in exc.errors()]
    problems: list[Problem] = []
    for err in errors:
        p = problem(loaded, err, model, what)
        if p not in problems:
            problems.append(p)
    whole = model.model_construct(**fields) if not errors else None
    given = frozenset(key for key, value in data.items() if value is not None)
    wrong = frozenset(tuple(err["loc"]) for err in errors)
    return Validated(model, fields, items, given, whole, data, wrong), problems


def load_model(path: Path, model: type[M], what: str, kind: str) -> tuple[M | None, list[Problem]]:
    """A YAML file (a `kind`: "support list", …) read and validated as `model` (`what`, for
    messages): the value, or None and every problem at its place in the file."""
    loaded, problems = source.load(path, what=kind)
    if loaded is None:
        return None, problems
    return read_model(loaded, model, what)


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a set of 'key: value' lines",
    "model_type": "a set of 'key: value' lines",
    "model_attributes_type": "a set of 'key: value' lines",
    "bool_type": "true or false",
}


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model whose keys live at `loc` (for did-you-mean on unknown keys)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is not None:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if not args:
            return None
        annotation = args[0]
    return annotation


def suggest(word: str, choices: list[str]) -> str:
    """A ' did you mean …?' clause, or nothing."""
    hit = difflib.get_close_matches(word, choices, 1, 0.6)
    return f"; did you mean '{hit[0]}'?" if hit else ""


def _name(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the spec"


def _clean_loc(value: Any, loc: tuple[str | int, ...], kind: str) -> tuple[str | int, ...]:
    """Drop the parts of a pydantic location that are not in the data (union member names)."""
    keep_last = kind in ("missing", "extra_forbidden")
    out: list[str | int] = []
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        elif not (last and keep_last):
            continue
        out.append(part)
    return tuple(out)


def problem(loaded: source.Loaded, err: Any, root: type[BaseModel], what: str = "spec") -> Problem:
    """One pydantic error as a problem at its place in the YAML file."""
    loc: tuple[str | int, ...] = _clean_loc(loaded.value, tuple(err["loc"]), err["type"])
    kind = err["type"]
    if loc == ("audience", "ages") and kind not in ("missing", "extra_forbidden"):
        return Problem(loaded.at(loc), f"ages should be like 14-16, 14 or 18+, not {source.describe(err.get('input'))}")
    value = err.get("input")
    if tuple(err["loc"])[-1:] == ("[key]",) and loc and isinstance(value, str):
        # A key of a mapping whose keys are fixed (policy: action_ages).
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        hint = suggest(value, choices) or (f"; keys here: {expected}" if expected else "")
        return Problem(loaded.key_at(loc), f"unknown key '{value}' in '{_name(loc[:-1])}'{hint}")
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        known = sorted(parent.model_fields) if parent else []
        key = str(loc[-1])
        hint = suggest(key, known) or (f"; allowed here: {', '.join(known)}" if known else "")
        if loc in loaded.bare_keys:
            hint = (
                "; a comma inside { } starts a new key: if it is part of the value before it, put that "
                'value in quotes (definition: "…, …")'
            )
        return Problem(loaded.key_at(loc), f"unknown key '{key}'{hint}")
    if kind == "missing":
        return Problem(
            loaded.at(loc[:-1]),
            f"'{_name(loc[:-1])}' needs the key '{loc[-1]}'" if loc[:-1] else f"the {what} needs the key '{loc[-1]}'",
        )
    if kind in _TYPE_WORDS:
        hint = ""
        if kind == "bool_type" and isinstance(value, str):
            hint = " (write true or false)"
        return Problem(
            loaded.at(loc),
            f"'{_name(loc)}' should be {_TYPE_WORDS[kind]}, not {source.describe(value)}{hint}",
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Problem(loaded.at(loc), f"'{_name(loc)}' must be one of {expected}, not {source.describe(value)}")
    if kind == "string_pattern_mismatch":
        return Problem(
            loaded.at(loc),
            f"'{_name(loc)}' must be lowercase letters and digits joined by '-', not {source.describe(value)}",
        )
    if kind == "too_short" and isinstance(value, list):
        least = int(err.get("ctx", {}).get("min_length", 1))
        items = "one item" if least == 1 else f"{least} items"
        return Problem(loaded.at(loc), f"'{_name(loc)}' needs at least {items}")
    if kind == "too_long" and isinstance(value, list):
        most = err.get("ctx", {}).get("max_length")
        return Problem(loaded.at(loc), f"'{_name(loc)}' has {len(value)} items; at most {most}")
    message = err["msg"].replace("Value error, ", "")
    return Problem(loaded.at(loc), f"'{_name(loc)}': {message[0].lower()}{message[1:]}")
