"""The one reader skeleton: strict pydantic models, validated against parsed YAML, every mistake a
positioned problem a teacher can act on. Specs, policies and print sets are all read this way."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import Problem
from . import source


class StrictModel(BaseModel):
    """The base of every model a file is validated with: exact types (no coercion of "5" to 5),
    no unknown keys, and frozen values."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


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
        return Problem(
            loaded.at(loc), f"ages should be like 14-16, 14 or 18+, not {source.describe(err.get('input'))}"
        )
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
                "value in quotes (definition: \"…, …\")"
            )
        return Problem(loaded.key_at(loc), f"unknown key '{key}'{hint}")
    if kind == "missing":
        return Problem(
            loaded.at(loc[:-1]), f"'{_name(loc[:-1])}' needs the key '{loc[-1]}'"
            if loc[:-1] else f"the {what} needs the key '{loc[-1]}'"
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
        return Problem(
            loaded.at(loc), f"'{_name(loc)}' must be one of {expected}, not {source.describe(value)}"
        )
    if kind == "string_pattern_mismatch":
        return Problem(
            loaded.at(loc),
            f"'{_name(loc)}' must be lowercase letters and digits joined by '-', "
            f"not {source.describe(value)}",
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
