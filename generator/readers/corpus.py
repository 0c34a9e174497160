"""Load the seed essays and verify quotations against them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Position, Problem
from . import source

SEED_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARA_START = re.compile(r"\[(\d+)\] ")
# The last three dots of a run are the omission ("Hollywood.... Little" keeps its full stop).
_OMISSION = re.compile(r"\s*(?:…|\.\.\.(?!\.))\s*")

# Folding: which characters count as the same when a quote is matched.
_FOLD = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
SEED_KEYS = {
    "id": True,
    "title": True,
    "author": True,
    "date": True,
    "date_basis": False,
    "publisher": False,
    "place": False,
    "source": False,
    "summary": False,
    "removed": False,
    "references_from": False,
}
UNKNOWN = "unknown"


_FOLD_TABLE = str.maketrans(_FOLD)
_SPACES = re.compile(r"\s+")  # \s is str.isspace() for text patterns


def fold(text: str) -> tuple[str, list[int]]:
    """Fold white space, quote marks and dashes; map each folded character to its source index."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _SPACES.finditer(text):
        out += (text[pos : m.start()], " ")
        index += range(pos, m.start() + 1)
        pos = m.end()
    out.append(text[pos:])
    index += range(pos, len(text))
    return "".join(out).translate(_FOLD_TABLE), index


def collapse(text: str) -> str:
    """Runs of white space (including no-break spaces) become one space."""
    return " ".join(text.split())


@dataclass(frozen=True, repr=False)
class Seed:
    id: str
    title: str
    author: str
    date: str
    paragraphs: tuple[str, ...]
    path: str
    date_basis: str = "not stated"
    publisher: str = UNKNOWN
    place: str = UNKNOWN
    summary: str = ""
    removed: tuple[str, ...] = ()
    references_from: int | None = None
    # Line of each paragraph in the seed file, for positioned errors about seeds.
    lines: tuple[int, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        return f"Seed({self.id!r}, {len(self.paragraphs)} paragraphs)"

    @property
    def year(self) -> str:
        return self.date[:4] if self.date[:4].isdigit() else UNKNOWN

    @cached_property
    def folded(self) -> tuple[tuple[str, list[int]], ...]:
        return tuple(fold(p) for p in self.paragraphs)

    @cached_property
    def joined(self) -> str:
        """All folded paragraphs joined by one space, so a quote may run on into the next one."""
        return " ".join(f for f, _ in self.folded)


@dataclass(frozen=True)
class Match:
    """Where a quote was found: the paragraph numbers and the source's own words."""

    seed: Seed
    paragraphs: tuple[int, ...]
    # One entry per printed paragraph; omissions inside it are shown as " … ".
    text: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    """A quote that is not in the seed, and the closest passage that is."""

    paragraph: int
    similarity: float
    passage: str
    differs: str


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _find(haystack: str, needle: str, start: int = 0) -> int:
    """The first occurrence of `needle` that neither starts nor ends inside a word."""
    while True:
        i = haystack.find(needle, start)
        if i < 0:
            return -1
        before = haystack[i - 1] if i > 0 else " "
        after = haystack[i + len(needle)] if i + len(needle) < len(haystack) else " "
        starts_ok = not (_word_char(before) and _word_char(needle[0]))
        ends_ok = not (_word_char(after) and _word_char(needle[-1]))
        if starts_ok and ends_ok:
            return i
        start = i + 1


def segments(quote: str) -> list[str]:
    """The folded pieces of a quote between omission marks (… or ...)."""
    folded, _ = fold(quote.strip())
    return [s.strip() for s in _OMISSION.split(folded) if s.strip()]


def find_quote(seed: Seed, quote: str) -> Match | Miss:
    """Find a quote in a seed by the matching rule (see README: 'How quotes are matched')."""
    parts = segments(quote)
    if not parts:
        return Miss(1, 0.0, "", "the quote is empty")
    found = _find_contiguous(seed, parts[0]) if len(parts) == 1 else _find_with_omissions(seed, parts)
    return found if found is not None else closest(seed, quote)


def _source_text(seed: Seed, para: int, start: int, end: int) -> str:
    """Original text of paragraph `para` (0-based) between folded offsets [start, end)."""
    text, index = seed.folded[para]
    return collapse(seed.paragraphs[para][index[start] : index[end - 1] + 1])


def _find_contiguous(seed: Seed, needle: str) -> Match | None:
    joined = seed.joined
    at = _find(joined, needle)
    if at < 0:
        return None
    end = at + len(needle)
    numbers: list[int] = []
    pieces: list[str] = []
    offset = 0
    for i, (f, _) in enumerate(seed.folded):
        p_start, p_end = offset, offset + len(f)
        lo, hi = max(at, p_start), min(end, p_end)
        if lo < hi and joined[lo:hi].strip():
            numbers.append(i + 1)
            pieces.append(_source_text(seed, i, lo - p_start, hi - p_start))
        offset = p_end + 1
    return Match(seed, tuple(numbers), tuple(pieces))


def _find_with_omissions(seed: Seed, parts: list[str]) -> Match | None:
    for i, (folded, _) in enumerate(seed.folded):
        pos = 0
        shown: list[str] = []
        for part in parts:
            at = _find(folded, part, pos)
            if at < 0:
                break
            shown.append(_source_text(seed, i, at, at + len(part)))
            pos = at + len(part)
        else:
            return Match(seed, (i + 1,), (" … ".join(shown),))
    return None


def closest(seed: Seed, quote: str) -> Miss:
    """The passage of the seed most like the quote, for a helpful error."""
    wanted = " ".join(segments(quote))
    best = Miss(1, 0.0, "", "")
    for i, (folded, _) in enumerate(seed.folded):
        matcher = difflib.SequenceMatcher(None, wanted, folded, autojunk=False)
        a, b, size = matcher.find_longest_match(0, len(wanted), 0, len(folded))
        if size == 0:
            continue
        start = max(0, b - a)
        end = min(len(folded), start + len(wanted))
        window = folded[start:end]
        ratio = difflib.SequenceMatcher(None, wanted, window, autojunk=False).ratio()
        if ratio > best.similarity:
            best = Miss(
                i + 1, ratio, _source_text(seed, i, start, end) if end > start else "",
                _first_difference(wanted, window)
                or "the quote starts or ends in the middle of a word; quote whole words",
            )
    return best


def _first_difference(wanted: str, found: str) -> str:
    matcher = difflib.SequenceMatcher(None, wanted, found, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        ours = wanted[max(0, a1 - 12) : a2 + 12]
        theirs = found[max(0, b1 - 12) : b2 + 12]
        return f"the quote has “{ours.strip()}” where the text has “{theirs.strip()}”"
    return ""


@dataclass
class Corpus:
    seeds: dict[str, Seed]
    root: str = "seeds"

    def ids(self) -> list[str]:
        return sorted(self.seeds)

    def hint(self, seed_id: str) -> str:
        """What to say after an unknown seed id: a did-you-mean, or else the ids there are."""
        close = difflib.get_close_matches(seed_id, self.ids(), 1, 0.6)
        return f"; did you mean '{close[0]}'?" if close else f"; known seeds: {', '.join(self.ids())}"


def load_seed(path: Path, display: str) -> tuple[Seed | None, list[Problem]]:
    """Parse one seed file: YAML front matter between '---' lines, then numbered paragraphs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(Position(display), f"cannot read seed: {exc.strerror or exc}")]
    return read_seed(data, display, path.stem)


def read_seed(data: bytes, display: str, stem: str) -> tuple[Seed | None, list[Problem]]:
    """Parse a seed's bytes as `load_seed` does for a file named `stem`.txt."""
    text, problems = source.decode(display, data)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [Problem(Position(display), "a seed starts with a '---' line (front matter)")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [Problem(Position(display), "the front matter has no closing '---' line")]
    front, problems = source.parse(display, "\n" * 1 + "\n".join(lines[1:end]) + "\n")
    if front is None:
        return None, problems
    meta = front.value if isinstance(front.value, dict) else {}
    if not isinstance(front.value, dict):
        problems.append(Problem(Position(display, 2), "the front matter must be key: value lines"))
    for key in meta:
        if key not in SEED_KEYS:
            hint = difflib.get_close_matches(key, list(SEED_KEYS), 1)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.append(Problem(front.key_at((key,)), f"unknown seed key '{key}'{extra}"))
    for key, required in SEED_KEYS.items():
        if required and key not in meta:
            problems.append(Problem(Position(display, 1), f"the front matter needs '{key}'"))
    paragraphs, para_lines, body_problems = _paragraphs(display, lines, end + 1)
    problems += body_problems
    if meta.get("id") not in (None, stem):
        problems.append(
            Problem(front.at(("id",)), f"id '{meta.get('id')}' must match the file name '{stem}'")
        )
    if not SEED_ID.fullmatch(stem):
        problems.append(Problem(Position(display), "a seed's file name must be lowercase words joined by '-'"))
    if not paragraphs:
        problems.append(Problem(Position(display, end + 2), "the seed has no paragraphs"))
    if problems:
        return None, problems

    def text_of(key: str, default: str = UNKNOWN) -> str:
        value: Any = meta.get(key, default)
        return str(value) if value is not None else default

    removed = meta.get("removed") or []
    refs = meta.get("references_from")
    return Seed(
        id=stem,
        title=text_of("title"),
        author=text_of("author"),
        date=text_of("date"),
        paragraphs=tuple(paragraphs),
        path=display,
        date_basis=text_of("date_basis", "not stated"),
        publisher=text_of("publisher"),
        place=text_of("place"),
        summary=text_of("summary", ""),
        removed=tuple(str(r) for r in removed) if isinstance(removed, list) else (),
        references_from=refs if isinstance(refs, int) else None,
        lines=tuple(para_lines),
    ), []


def _paragraphs(display: str, lines: list[str], first: int) -> tuple[list[str], list[int], list[Problem]]:
    paragraphs: list[str] = []
    starts: list[int] = []
    problems: list[Problem] = []
    current: list[str] = []
    for i in range(first, len(lines) + 1):
        line = lines[i] if i < len(lines) else ""
        if line.strip() == "":
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        if not current:
            m = _PARA_START.match(line)
            expected = len(paragraphs) + 1
            if not m:
                problems.append(
                    Problem(Position(display, i + 1), f"a paragraph starts with its number: '[{expected}] '")
                )
                current = [line]
            else:
                if int(m.group(1)) != expected:
                    problems.append(
                        Problem(
                            Position(display, i + 1, 2),
                            f"paragraph number {m.group(1)} should be {expected} (numbers go up by one)",
                        )
                    )
                current = [line[m.end() :]]
            starts.append(i + 1)
        else:
            current.append(line.strip())
    return paragraphs, starts, problems


def load_corpus(seeds_dir: Path, display_root: Path | None = None) -> tuple[Corpus, list[Problem]]:
    """Every `*.txt` seed in a folder, keyed by id."""
    seeds: dict[str, Seed] = {}
    problems: list[Problem] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        display = _display(path, display_root)
        seed, found = load_seed(path, display)
        problems += found
        if seed is not None:
            seeds[seed.id] = seed
    return Corpus(seeds, str(seeds_dir)), problems


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)
