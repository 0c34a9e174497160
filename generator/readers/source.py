"""Read YAML safely, keeping the line and column of every key and value (the only yaml importer)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import yaml

from ..errors import Position, Problem
from ..files import TEXT_LIMIT, dangling, read_bounded, reason

try:  # libyaml's parser is ~10x faster; the pure-Python one behaves the same.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = TEXT_LIMIT
MAX_DEPTH = 24
MAX_REPORTED = 20

PathKey = tuple[str | int, ...]
# What a YAML file holds once parsed: plain values, lists and mappings with text keys.
Value: TypeAlias = "None | bool | int | float | str | list[Value] | dict[str, Value]"

# YAML 1.2 core schema for plain scalars, and nothing more: `no`, `on`, `1:30` and
# `2020-03-11` stay the text the author typed (YAML 1.1 would turn them into False, True,
# 90 and a date).
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

# Characters that are invisible, reorder text or break lines unseen: allowed nowhere in a spec.
_BIDI = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
    "\u200b\u200c\u200d\u200e\u200f\u2060\u00ad"
    # Invisible operators (function application, times, separator, plus) and the combining
    # grapheme joiner: they draw nothing and make a word compare unequal to the one it shows.
    "\u2061\u2062\u2063\u2064\u034f"
)

# What each kind of file lessonpack reads is, for messages about its size.
SIZE_ADVICE = {
    "lesson spec": "a lesson spec is a few kilobytes; split a longer one into several lessons",
    "policy": "a policy with thousands of terms is far smaller",
    "print set": "a print set for a whole school is a few kilobytes",
    "essay": "split a longer essay into parts, one seed each",
    "support list": "a list of support services is a few kilobytes",
}


# Every character _refused() refuses (tab and newline are allowed): a text with none of these
# needs no character-by-character check. Noncharacters are U+FDD0–FDEF and the last two code
# points of each plane; Cc is U+0000–001F and U+007F–009F; Cs is U+D800–DFFF.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufeff"
    + "".join(sorted(_BIDI))
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _refused(ch: str) -> bool:
    code = ord(ch)
    noncharacter = (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF
    return noncharacter or ch in _BIDI or ch == "\ufeff" or unicodedata.category(ch) in ("Cc", "Cs")


@dataclass(frozen=True)
class Places:
    """Where each value and key of a parsed file is, by its path of keys and indices (a validated
    model's values have the same paths): positions for problems, without the file's values."""

    path: str
    positions: dict[PathKey, Position]
    key_positions: dict[PathKey, Position]
    text: str

    def at(self, loc: PathKey) -> Position:
        """The position of the value at `loc`, or of its nearest located ancestor."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), Position(self.path))

    def find_in_value(self, loc: PathKey, needle: str) -> Position:
        """The exact position of `needle` in the source, searching from the value at `loc`."""
        start = self.at(loc)
        lines = self.text.split("\n")
        for i in range(start.line - 1, len(lines)):
            col = lines[i].find(needle, start.col - 1 if i == start.line - 1 else 0)
            if col >= 0:
                return Position(self.path, i + 1, col + 1)
        return start

    def key_at(self, loc: PathKey) -> Position:
        """The position of the key that names `loc` (falls back to the value's position)."""
        return self.key_positions.get(tuple(loc)) or self.at(loc)


@dataclass(frozen=True)
class Located:
    """One text of a file and where it is."""

    loc: PathKey
    text: str
    places: Places

    def find(self, needle: str) -> Position:
        """Where `needle` is, searching from this text's start."""
        return self.places.find_in_value(self.loc, needle)


@dataclass
class Loaded:
    """A YAML document as plain Python values, with a position for each value and each key."""

    path: str
    value: Value
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)
    text: str = ""
    # Places where YAML itself cut or split what the author typed (a ` #` comment, a `[ ]` list of
    # one sentence): warnings, since the file is valid YAML.
    warnings: list[Problem] = field(default_factory=list)
    # Keys of a `{ }` mapping written with no ':' (`{definition: a, b}` makes 'b' a key).
    bare_keys: set[PathKey] = field(default_factory=set)

    @property
    def places(self) -> Places:
        return Places(self.path, self.positions, self.key_positions, self.text)

    def at(self, loc: PathKey) -> Position:
        """The position of the value at `loc`, or of its nearest located ancestor."""
        return self.places.at(loc)

    def find_in_value(self, loc: PathKey, needle: str) -> Position:
        """The exact position of `needle` in the source, searching from the value at `loc`."""
        return self.places.find_in_value(loc, needle)

    def key_at(self, loc: PathKey) -> Position:
        """The position of the key that names `loc` (falls back to the value's position)."""
        return self.places.key_at(loc)

    def strings(self) -> list[tuple[PathKey, str]]:
        """Every text in the document with its place, in document order."""
        return _strings(self.value, ())

    def located(self) -> list[Located]:
        """Every text in the document with where it is, in document order."""
        places = self.places
        return [Located(loc, text, places) for loc, text in self.strings()]


def _strings(value: Value, loc: PathKey) -> list[tuple[PathKey, str]]:
    if isinstance(value, str):
        return [(loc, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, (*loc, k))]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, (*loc, i))]
    return []


class _Mark(Protocol):
    """Where PyYAML (its pure-Python or its libyaml parser) saw something: 0-based."""

    line: int
    column: int


def _position(path: str, mark: _Mark | None) -> Position:
    """A YAML mark as a position (libyaml gives every event one; the file's start otherwise)."""
    return Position(path, mark.line + 1, mark.column + 1) if mark is not None else Position(path)


def plain_scalar(text: str) -> Value:
    """What a plain (unquoted) scalar means under the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts; no spec needs such a number
            return text
    if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


def decode(path: str, data: bytes, what: str = "lesson spec") -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only, size-capped, with no control or bidi characters, line ends as
    LF and every character in its composed form (NFC), so that text typed with a decomposed
    accent (e + U+0301) prints as one letter and matches the same word in an essay."""
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                Position(path),
                f"the {what} is larger than the size limit, {MAX_BYTES:,} bytes "
                f"({SIZE_ADVICE.get(what, 'make it smaller')})",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as everywhere else.
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                Position(path, line, col),
                f"the file is not UTF-8 text (byte 0x{bad}); save it as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text and "\n" not in text:
        return None, [
            Problem(Position(path), "the file has old Mac line endings (CR only); save it with LF or CRLF line endings")
        ]
    text = text.replace("\r\n", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not _SUSPECT.search(text):
        return text, []
    problems = []
    for lineno, line_text in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line_text, 1):
            if ch == "\t" or not _refused(ch):
                continue
            name = unicodedata.name(ch, "control or non-character")
            problems.append(
                Problem(
                    Position(path, lineno, col),
                    f"invisible character U+{ord(ch):04X} ({name}) is not allowed; delete it",
                )
            )
            if len(problems) >= MAX_REPORTED:
                return None, problems
    if problems:
        return None, problems
    return text, []


@dataclass
class _Open:
    """A list or mapping being parsed: where it is, and (for a mapping) the key awaiting its value."""

    container: list[Value] | dict[str, Value]
    loc: PathKey
    key: str | None = None
    flow: bool = False  # written inline, in [ ] or { }
    # A flow list's plain text items and where each starts, to spot one sentence split at commas.
    items: list[tuple[str, Position]] = field(default_factory=list)


def parse(path: str, text: str) -> tuple[Loaded | None, list[Problem]]:
    """Parse YAML text into values with positions; refuse aliases, anchors, tags, duplicates."""
    loaded = Loaded(path, None, text=text)
    problems: list[Problem] = []
    stack: list[_Open] = []  # the containers still open, innermost last
    documents = 0
    root_set = False

    def place(value: Value, pos: Position) -> PathKey | None:
        nonlocal root_set
        if not stack:
            loaded.value = value
            root_set = True
            loaded.positions[()] = pos
            return ()
        frame = stack[-1]
        container, loc = frame.container, frame.loc
        if isinstance(container, list):
            here = (*loc, len(container))
            container.append(value)
            loaded.positions[here] = pos
            return here
        # Mapping: either this value is a key, or it completes a key/value pair.
        if frame.key is None:
            if not isinstance(value, (str, int, float, bool)) or value is None:
                problems.append(Problem(pos, "a key must be a simple word, not a list or mapping"))
                frame.key = "\0invalid"
                return None
            key = str(value)
            if key in container:
                first = loaded.key_positions.get((*loc, key))
                where = f" (first at line {first.line})" if first else ""
                problems.append(Problem(pos, f"duplicate key '{key}'{where}; keep only one"))
                frame.key = "\0duplicate"
                return None
            frame.key = key
            loaded.key_positions[(*loc, key)] = pos
            return None
        key, frame.key = frame.key, None
        if key.startswith("\0"):
            return None
        here = (*loc, key)
        container[key] = value
        loaded.positions[here] = pos
        return here

    try:
        for event in yaml.parse(text, Loader=_Loader):
            pos = _position(path, event.start_mark)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(Problem(pos, "a spec holds one YAML document; remove this '---'"))
                    break
                continue
            anchor = getattr(event, "anchor", None)
            if len(problems) >= MAX_REPORTED:
                problems.append(Problem(pos, f"stopped after {MAX_REPORTED} problems; fix these first"))
                break
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(pos, f"YAML aliases (*{anchor}) are not allowed; write the value out"))
                place(None, pos)
                continue
            if anchor is not None:
                problems.append(Problem(pos, f"YAML anchors (&{anchor}) are not allowed; write each value out"))
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!" and tag != "tag:yaml.org,2002:str":
                problems.append(Problem(pos, f"YAML tags ({tag}) are not allowed"))
            if isinstance(event, yaml.ScalarEvent):
                plain = not event.style and tag is None
                value: Value = plain_scalar(event.value) if plain else event.value
                frame = stack[-1] if stack else None
                is_key = frame is not None and isinstance(frame.container, dict) and frame.key is None
                here = place(value, pos)
                if plain and isinstance(value, str) and value:
                    after = _rest_of_line(text, event.end_mark)
                    if is_key and frame is not None and frame.flow and after.lstrip()[:1] in (",", "}"):
                        loaded.bare_keys.add((*frame.loc, value))
                    if not is_key:
                        loaded.warnings += _cut_by_comment(path, value, event.end_mark, after)
                    if frame is not None and frame.flow and isinstance(frame.container, list) and here:
                        frame.items.append((value, pos))
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    problems.append(Problem(pos, f"nested more than {MAX_DEPTH} levels deep"))
                    break
                container: list[Value] | dict[str, Value] = {} if isinstance(event, yaml.MappingStartEvent) else []
                here = place(container, pos)
                flow = bool(getattr(event, "flow_style", False))
                stack.append(_Open(container, here if here is not None else ("\0",), flow=flow))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop()
                if done.flow and isinstance(done.container, list):
                    loaded.warnings += _split_sentence(done.items, len(done.container))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _position(path, mark)
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        problems.append(Problem(pos, f"YAML syntax: {what}{context}"))
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all we've seen
        problems.append(Problem(Position(path), f"YAML syntax: {exc}"))
    if problems:
        return None, problems
    if not root_set:
        loaded.positions[()] = Position(path)
    return loaded, []


def _rest_of_line(text: str, mark: _Mark | None) -> str:
    """What follows a mark on its line."""
    if mark is None:
        return ""
    index = getattr(mark, "index", None)
    if not isinstance(index, int):
        return ""
    end = text.find("\n", index)
    return text[index : end if end >= 0 else len(text)]


def _cut_by_comment(path: str, value: str, mark: _Mark | None, after: str) -> list[Problem]:
    """A warning when a comment starts right after a plain value's text, cutting it there: ` #word`
    (a hashtag read as a comment), or a `#` one space after the text (a comment meant as one is
    usually set off by two spaces and followed by a space)."""
    gap = len(after) - len(after.lstrip(" \t"))
    if mark is None or gap == 0 or after[gap : gap + 1] != "#":
        return []
    if after[gap + 1 : gap + 2] in ("", " ", "\t") and gap > 1:
        return []
    words = re.match(r"#[ \t]*\S*", after[gap:])
    cut = words.group(0) if words else "#"
    return [
        Problem(
            Position(path, mark.line + 1, mark.column + gap + 1),
            f"YAML reads ‘{cut}…’ as a comment, so this value ends at “{_short(value)}”; put the whole "
            'text in quotes ("…") to keep it',
            "warning",
        )
    ]


def _split_sentence(items: list[tuple[str, Position]], count: int) -> list[Problem]:
    """A warning when a `[ ]` list of text looks like one sentence split at its commas: it starts with
    a capital, and an item that starts in lower case follows one with no closing punctuation."""
    if count != len(items) or len(items) < 2 or not items[0][0][:1].isupper():
        return []
    for (before, _), (text, pos) in zip(items, items[1:], strict=False):
        joined = before.rstrip()[-1:] in ".!?:;)…"
        if text[:1].islower() and not joined and (" " in before or " " in text):
            whole = ", ".join(t for t, _ in items)
            return [
                Problem(
                    pos,
                    f"this [ ] list splits “{_short(whole, 60)}” at its commas into {len(items)} items; if it is "
                    "one item, put it in quotes: [\"…\"], or write one item per line starting '- '",
                    "warning",
                )
            ]
    return []


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def read(path: Path, shown: str, label: str = "file") -> tuple[bytes | None, list[Problem]]:
    """A file's bytes (at most MAX_BYTES + 1 of them), or the reason it cannot be read: missing,
    a dangling link, a FIFO or a device (never waited on), a folder, no permission."""
    try:
        return read_bounded(path, MAX_BYTES), []
    except FileNotFoundError:
        why = dangling(path) or "no such file"
        return None, [Problem(Position(shown), f"cannot read {label}: {why}")]
    except OSError as exc:
        return None, [Problem(Position(shown), f"cannot read {label}: {reason(exc)}")]


def load(
    path: str | Path, display: str | None = None, what: str = "lesson spec"
) -> tuple[Loaded | None, list[Problem]]:
    """Read and parse one YAML file (a `what`: lesson spec, policy, print set); every problem is
    positioned, nothing raises."""
    shown = display or str(path)
    data, problems = read(Path(path), shown)
    if data is None:
        return None, problems
    text, problems = decode(shown, data, what)
    if text is None:
        return None, problems
    return parse(shown, text)


def load_text(path: str, text: str) -> tuple[Loaded | None, list[Problem]]:
    """Parse YAML given as text (used by tests and front matter)."""
    checked, problems = decode(path, text.encode("utf-8", "surrogatepass"))
    if checked is None:
        return None, problems
    return parse(path, checked)


def describe(value: object) -> str:
    """How a value reads to a person, for error messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:27] + "..."
        return f"text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return type(value).__name__
