"""Who reads each text of a spec (as its field declares), every text with its readers, the characters none may hold.

Each string field of the spec models declares its readers in its metadata (`read_by`): pupils
(the student edition), the slide deck on the board, or the teacher. What a pupil can read is
screened by the content policy as an error; what only the teacher reads, as a warning. A field
that declares nothing is taken as read by pupils (tests/test_printed.py fails for one)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..errors import Position, Problem
from . import skeleton, source
from .typography import typographic

Reader = Literal["pupil", "teacher", "slide"]
Judged = Literal["typed", "quote", "none"]
PUPILS: tuple[Reader, ...] = ("pupil", "slide")


def read_by(*who: Reader, judged: Judged = "typed") -> dict[str, Any]:
    """A field's readers, for `Field(json_schema_extra=...)`: they stay in the JSON Schema
    ("readers"). `judged="quote"`: the text is an essay's words, judged as a quote (with its
    excerpt's override and redaction); `judged="none"`: a name or choice, never printed as typed."""
    declared: dict[str, Any] = {"readers": list(who)}
    if judged != "typed":
        declared["judged"] = judged
    return declared


@dataclass(frozen=True)
class Declared:
    readers: tuple[Reader, ...]
    judged: Judged = "typed"

    @property
    def pupils(self) -> bool:
        """Whether a pupil can read it: in the student edition or on a slide."""
        return any(r in PUPILS for r in self.readers)


# What a field that declares nothing is taken to be: read by pupils, judged as typed text.
UNDECLARED = Declared(PUPILS)


def declared(info: FieldInfo) -> Declared | None:
    """The readers a field declares, or None."""
    extra = info.json_schema_extra
    if not isinstance(extra, dict) or "readers" not in extra:
        return None
    readers = extra["readers"]
    judged = extra.get("judged", "typed")
    assert isinstance(readers, list) and all(r in ("pupil", "teacher", "slide") for r in readers)
    assert judged in ("typed", "quote", "none")
    return Declared(tuple(cast(list[Reader], readers)), cast(Judged, judged))


@dataclass(frozen=True)
class Printed:
    """One text of a validated spec, where it is, and who reads it."""

    loc: tuple[str | int, ...]
    text: str
    declared: Declared

    @property
    def pupils(self) -> bool:
        return self.declared.pupils


def texts(model: BaseModel, loc: tuple[str | int, ...] = ()) -> tuple[Printed, ...]:
    """Every text of a validated model, in field order, with the readers its field declares."""
    return tuple(_fields(model, loc))


def _fields(model: BaseModel, loc: tuple[str | int, ...]) -> Iterator[Printed]:
    for name, info in type(model).model_fields.items():
        yield from _walk(getattr(model, name), (*loc, name), declared(info) or UNDECLARED)


def _walk(value: Any, loc: tuple[str | int, ...], who: Declared) -> Iterator[Printed]:
    if isinstance(value, str):
        yield Printed(loc, value, who)
    elif isinstance(value, BaseModel):
        yield from _fields(value, loc)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, (*loc, i), who)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*loc, key), who)


M = TypeVar("M", bound=BaseModel)


def typeset(model: M, form: Callable[[str], str]) -> M:
    """The model with `form` (typography) applied to every text a reader reads as typed: each string
    of a field that declares readers and is judged as typed, in nested models and lists alike. Ids,
    choices and quoted words are kept as they are, and so are a mapping's values (an override's
    written reason is a record, printed as the teacher wrote it)."""
    update = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        new = _typeset(value, declared(info) or UNDECLARED, form)
        if new is not value:
            update[name] = new
    return model.model_copy(update=update) if update else model


def _typeset(value: Any, who: Declared, form: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return form(value) if who.judged == "typed" and who.readers else value
    if isinstance(value, BaseModel):
        return typeset(value, form)
    if isinstance(value, list):
        return [_typeset(item, who, form) for item in value]
    return value


# ---------------------------------------------------------------------------------------
# Characters, once YAML has decoded its escapes.

# How YAML writes a character as an escape in a double-quoted scalar (besides \x, \u and \U).
_NAMED = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x1B: "\\e",
          0x85: "\\N", 0xA0: "\\_", 0x2028: "\\L", 0x2029: "\\P"}  # fmt: skip


def _escapes(code: int) -> list[str]:
    forms = [f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"]
    if code < 0x100:
        forms += [f"\\x{code:02x}", f"\\x{code:02X}"]
    return ([_NAMED[code]] if code in _NAMED else []) + forms


def where(loaded: source.Loaded, loc: tuple[str | int, ...], ch: str) -> Position:
    """Where a character of the value at `loc` is in the file: as typed, or as the escape that
    wrote it (the value's start when neither is found)."""
    start = loaded.at(loc)
    for needle in (ch, *_escapes(ord(ch))):
        found = loaded.find_in_value(loc, needle)
        if found != start:
            return found
    return start


_ASCII_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def characters(loaded: source.Loaded) -> list[Problem]:
    """Every character of every text that prints nothing (soft hyphen, zero-width space, bidi
    controls, …), however it was written, typed or as a YAML escape: an error at its place."""
    problems: list[Problem] = []
    for loc, text in loaded.strings():
        if text.isascii() and not _ASCII_CONTROL.search(text):
            continue
        hidden = [c for c in dict.fromkeys(text) if skeleton.prints_nothing(c)]
        for ch in hidden:
            name = unicodedata.name(ch, "control or unassigned character")
            problems.append(
                Problem(
                    where(loaded, loc, ch),
                    f"invisible character U+{ord(ch):04X} ({name}) is not allowed, typed or written as an "
                    "escape: it prints as nothing and hides the word it is in; delete it",
                )
            )
    return problems


def composed(loaded: source.Loaded) -> source.Loaded:
    """The document with every text in its composed form (NFC) once YAML has decoded its escapes
    (the file itself was composed before it was parsed)."""

    def nfc(value: Any) -> Any:
        if isinstance(value, str):
            return value if value.isascii() else unicodedata.normalize("NFC", value)
        if isinstance(value, list):
            return [nfc(v) for v in value]
        if isinstance(value, dict):
            return {k: nfc(v) for k, v in value.items()}
        return value

    return replace(loaded, value=nfc(loaded.value))


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": " ", "—": " ", "-": " ", "…": "..."})


def printed_form(text: str) -> str:
    """Text as it prints and reads, for saying whether two texts are the same: composed,
    typographic ("..." and "…", straight and curly quotes alike), look-alike letters as Latin,
    invisible characters dropped, case, dashes and spacing aside, without closing punctuation."""
    text = skeleton.reads_as(typographic(unicodedata.normalize("NFC", text)))
    return " ".join(text.casefold().translate(_QUOTES).split()).strip(" .,;:!?")
