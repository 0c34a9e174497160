"""Load the seed essays and find quotations in them (the closest passage, when a quote is not there)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Position, Problem
from ..files import read_bounded, reason
from . import source
from .closest import closest
from .seed import (
    OMISSION,
    SEED_ID,
    SEED_KEYS,
    UNKNOWN,
    Match,
    Miss,
    Seed,
    find_whole,
    mid_sentence,
    segments,
    source_text,
)

_PARA_START = re.compile(r"\[(\d+)\] ")


def find_quote(seed: Seed, quote: str) -> Match | Miss:
    """Find a quote in a seed by the matching rule (see README: 'How quotes are matched')."""
    parts = segments(quote)
    if not parts:
        return Miss(1, 0.0, "", "the quote is empty")
    found = _find_contiguous(seed, parts[0]) if len(parts) == 1 else _find_with_omissions(seed, parts)
    return found if found is not None else closest(seed, quote)


def _find_contiguous(seed: Seed, needle: str) -> Match | None:
    joined = seed.joined
    at = find_whole(joined, needle)
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
            pieces.append(source_text(seed, i, lo - p_start, hi - p_start))
        offset = p_end + 1
    first = numbers[0] - 1 if numbers else 0
    last = numbers[-1] - 1 if numbers else 0
    starts = ends = False
    if numbers:
        offset = sum(len(f) + 1 for f, _ in seed.folded[:first])
        starts = mid_sentence(seed.folded[first][0], max(at - offset, 0), len(seed.folded[first][0]))[0]
        offset = sum(len(f) + 1 for f, _ in seed.folded[:last])
        ends = mid_sentence(seed.folded[last][0], 0, min(end - offset, len(seed.folded[last][0])))[1]
    return Match(seed, tuple(numbers), tuple(pieces), starts, ends)


def _find_with_omissions(seed: Seed, parts: list[str]) -> Match | None:
    for i, (folded, _) in enumerate(seed.folded):
        pos = 0
        first = -1
        shown: list[str] = []
        empty: list[tuple[int, str, str]] = []
        for k, part in enumerate(parts):
            at = find_whole(folded, part, pos)
            if at < 0:
                break
            first = at if first < 0 else first
            shown.append(source_text(seed, i, at, at + len(part)))
            # An omission leaves nothing out when the essay has neither a word nor its own
            # ellipsis between the parts (a quote may copy the essay's "…").
            gap = folded[pos:at]
            if k and not any(c.isalnum() for c in gap) and not OMISSION.search(gap):
                empty.append((k - 1, shown[-2].split()[-1], shown[-1].split()[0]))
            pos = at + len(part)
        else:
            starts = mid_sentence(folded, first, len(folded))[0]
            ends = mid_sentence(folded, 0, pos)[1]
            return Match(seed, (i + 1,), (" … ".join(shown),), starts, ends, tuple(empty))
    return None


@dataclass
class Corpus:
    seeds: dict[str, Seed]
    root: str = "seeds"
    # Each seed's file (a project's own essay replaces a shipped one with its id).
    files: dict[str, Path] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return sorted(self.seeds)

    def hint(self, seed_id: str) -> str:
        """What to say after an unknown seed id: a did-you-mean, or else the ids there are."""
        close = difflib.get_close_matches(seed_id, self.ids(), 1, 0.6)
        return f"; did you mean '{close[0]}'?" if close else f"; known seeds: {', '.join(self.ids())}"


def load_seed(path: Path, display: str) -> tuple[Seed | None, list[Problem]]:
    """Parse one seed file: YAML front matter between '---' lines, then numbered paragraphs."""
    try:
        data = read_bounded(path, source.MAX_BYTES)
    except OSError as exc:
        return None, [Problem(Position(display), f"cannot read seed: {reason(exc)}")]
    return read_seed(data, display, path.stem)


def read_seed(data: bytes, display: str, stem: str) -> tuple[Seed | None, list[Problem]]:
    """Parse a seed's bytes as `load_seed` does for a file named `stem`.txt."""
    text, problems = source.decode(display, data, "essay")
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
        problems.append(Problem(front.at(("id",)), f"id '{meta.get('id')}' must match the file name '{stem}'"))
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
        description=text_of("description"),
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


def load_corpus(folders: Path | Sequence[Path], display_root: Path | None = None) -> tuple[Corpus, list[Problem]]:
    """Every `*.txt` seed in the folders, keyed by id: a later folder's seed replaces an earlier
    one's with the same id (a project's own essays come after the shipped ones)."""
    chosen = [folders] if isinstance(folders, Path) else list(folders)
    seeds: dict[str, Seed] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in chosen:
        for path in sorted(folder.glob("*.txt")):
            display = _display(path, display_root)
            seed, found = load_seed(path, display)
            problems += found
            if seed is not None:
                seeds[seed.id] = seed
                files[seed.id] = path
    return Corpus(seeds, str(chosen[-1]) if chosen else "seeds", files), problems


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)
