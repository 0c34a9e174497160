"""Import a plain-text essay as a seed: drop page clutter, number the paragraphs, write the header."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..errors import Position, Problem
from ..readers import corpus, seed, source
from . import dates

UNKNOWN = seed.UNKNOWN
GIVEN_BASIS = "Given when the essay was imported."
NOT_STATED = "not stated"
INDENT = "    "

# -- page clutter: whole lines (trimmed, any case) that are never a sentence of an essay -----------

_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|e-?mail|whatsapp|pinterest|reddit|telegram|tumblr|messenger|bluesky"
    r"|threads|mastodon|flipboard)"
)
_CLUTTER = re.compile(
    "|".join(
        [
            rf"share(?:\s+(?:on|via|to|with))?\s+{_SOCIAL}",
            r"(?:facebook|twitter|linkedin|e-?mail|whatsapp|pinterest|reddit|share|tweet|print|pin it|copy link)",
            r"share this(?:\s+(?:article|post|story|page))?\s*:?|like this\s*:|share\s*:",
            r"click to (?:share|email|print)\b.{0,80}",
            r"\(?opens in (?:a )?new window\)?",
            r"leave a (?:reply|comment)(?:\s+cancel reply)?|cancel reply|post comment",
            r"your email address will not be published\.?(?:\s+required fields are marked\s*\*)?",
            r"required fields are marked\s*\*",
            r"save my name, email, and website in this browser for the next time i comment\.?",
            r"skip to (?:the )?(?:main )?(?:content|navigation)",
            r"read more(?:\s+(?:articles|stories|posts))?(?:\s+(?:in|from|by))?\s*:?",
            r"related (?:articles|posts|stories|content)\s*:?|back to top|advertisement",
        ]
    ),
    re.IGNORECASE,
)
# "Photo credit: …", "Photo: …", "Image: …", "Credit: …", "Photo by …": one short caption line.
_CREDIT = re.compile(
    r"[(\[]?(?:(?:photo(?:graph)?|image|picture|illustration|video)s?(?:\s+credits?)?\s*[:|]"
    r"|(?:photo|image)s?\s+(?:by|courtesy(?:\s+of)?|via)\b|credits?\s*:)\s*\S.*",
    re.IGNORECASE,
)
_MAX_CREDIT = 120
# A full stop after a word of two or more letters (not an initial, as in "J. Smith") ends a sentence.
_SENTENCE_BREAK = re.compile(r"(?:[a-z]{2,}[.]|[!?])\s+[A-Z]", re.IGNORECASE)

# -- header lines that the given metadata covers ---------------------------------------------------

_BYLINE = re.compile(
    r"(?:(?:[^\W\d_][\w'’-]*\s+){0,2}by|author\s*:|words\s*:)\s+(?P<name>.+?)[\s|,•·–—-]*", re.IGNORECASE
)
# Only for a warning: a kept line shaped like "By Jane Doe" when no --author matched it.
_BYLINE_SHAPE = re.compile(r"(?:[^\W\d_][\w'’-]*\s+){0,2}[Bb]y\s+(?:[A-Z][\w.'’-]*\s*){1,4}[|,]?")

# -- paragraph structure ----------------------------------------------------------------------------

_BULLET = re.compile(r"(?:[•◦▪▫‣●○■□►▸➢➤✓✔]|[-*](?=\s)|\d{1,2}[.)](?=\s))")
_REFERENCES_HEADING = re.compile(
    r"(?:references|bibliography|sources|works cited|reference list|notes and references)\s*:?", re.IGNORECASE
)
# A reference-list entry: "Author (2018) Title. [Online] Available at: https://…".
_CITATION_START = re.compile(r"[^()\n]{1,120}?\(\s*(?:\d{4}[a-z]?|n\.\s?d\.?)\s*\)")
_CITATION_LINK = re.compile(r"https?://|www\.|\[online\]|available (?:at|from)|retrieved (?:from|on)|\bdoi\b", re.I)
_MIN_TRAILING_REFERENCES = 2


@dataclass(frozen=True)
class Imported:
    """What an import wrote (or, with write=False, would write)."""

    path: Path
    seed_id: str
    paragraphs: int
    removed: tuple[str, ...]
    references_from: int | None


@dataclass(frozen=True)
class _Header:
    """The seed header's values, in the README's key order."""

    id: str
    title: str
    author: str
    date: str
    date_basis: str
    publisher: str
    place: str
    source: str
    summary: str
    description: str | None = None  # what kind of text an untitled essay is (optional key)

    def lines(self, removed: list[str], references_from: int | None) -> list[str]:
        keys = ("id", "title", "author", "date", "date_basis", "publisher", "place", "source", "summary")
        out = [f"{key}: {_quote(getattr(self, key))}" for key in keys]
        if self.description:
            out.append(f"description: {_quote(self.description)}")
        out.append(f"removed: [{', '.join(_quote(r) for r in removed)}]")
        if references_from is not None:
            out.append(f"references_from: {references_from}")
        return out


@dataclass
class _Cleaned:
    """The essay once clutter and header lines are out."""

    paragraphs: list[list[str]]
    removed: list[str]
    references_from: int | None
    warnings: list[Problem]


def _quote(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `value` (one line)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


def import_seed(
    raw: Path,
    seeds_dir: Path,
    seed_id: str,
    *,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    date_basis: str | None = None,
    publisher: str | None = None,
    place: str | None = None,
    summary: str | None = None,
    description: str | None = None,
    raw_display: str | None = None,
    write: bool = True,
    existing: Mapping[str, str] | None = None,
    replace: bool = False,
) -> tuple[Imported | None, list[Problem]]:
    """Clean a raw essay into `seeds_dir/SEED_ID.txt`; every problem at once, nothing written on any error.

    `existing` maps the ids of the essays already known (the shipped ones too) to where they are:
    an id among them is refused unless `replace`, which writes the project's own essay under it."""
    display = raw_display or str(raw)
    target = seeds_dir / f"{seed_id}.txt"
    given = {
        "title": title,
        "author": author,
        "date": date,
        "date-basis": date_basis,
        "publisher": publisher,
        "place": place,
        "summary": summary,
        "description": description,
    }
    problems = _check_id(seed_id, target, existing or {}, replace) + _check_values(given) + _check_date(date)
    text, read_problems = _read(raw, display)
    problems += read_problems
    if problems or text is None:
        return None, problems
    header = _Header(
        id=seed_id,
        title=title or UNKNOWN,
        author=author or UNKNOWN,
        date=date or UNKNOWN,
        date_basis=date_basis or (GIVEN_BASIS if date and date != UNKNOWN else NOT_STATED),
        publisher=publisher or UNKNOWN,
        place=place or UNKNOWN,
        source=raw.name,
        summary=summary or UNKNOWN,
        description=description if description and description != UNKNOWN else None,
    )
    cleaned = _clean(text, display, header)
    if not cleaned.paragraphs:
        return None, [
            Problem(
                Position(display),
                "no essay text is left once blank lines and page clutter are "
                "removed; check that this is the right file",
            )
        ]
    data = _render(header, cleaned).encode("utf-8")
    problems = _verify(data, str(target), header, cleaned)
    if not problems and write:
        problems = _write(target, data, existing or {}, replace)
    if problems:
        return None, problems
    result = Imported(target, seed_id, len(cleaned.paragraphs), tuple(cleaned.removed), cleaned.references_from)
    return result, cleaned.warnings


# -- checking the options and reading the raw file ------------------------------------------------


def _check_id(seed_id: str, target: Path, existing: Mapping[str, str], replace: bool) -> list[Problem]:
    if not seed.SEED_ID.fullmatch(seed_id):
        return [
            Problem(
                Position("--id"),
                f"id '{seed_id}' must be lowercase letters and digits in words joined "
                "by '-' (for example 'no-going-back')",
            )
        ]
    if replace:
        return []
    if target.exists() or target.is_symlink():
        where = files.shown(target)
    elif seed_id in existing:
        where = existing[seed_id]
    else:
        return []
    return [
        Problem(
            Position("--id"),
            f"a seed with id '{seed_id}' already exists ({where}); choose another id, "
            "or give --replace to use this essay instead of it in this project",
        )
    ]


def _check_values(given: dict[str, str | None]) -> list[Problem]:
    """Each given value must be one line of visible text."""
    problems: list[Problem] = []
    for name, value in given.items():
        where = Position(f"--{name}")
        if value is None:
            continue
        if not value.strip():
            problems.append(Problem(where, f"--{name} is empty; give a value or leave the option out"))
        elif "\n" in value or "\r" in value:
            problems.append(Problem(where, f"--{name} must be one line; remove the line breaks"))
        elif any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            problems.append(Problem(where, f"--{name} is not valid text; retype it"))
        else:
            _, bad = source.decode(where.path, value.encode("utf-8"))
            problems += [Problem(where, f"--{name}: {p.message}") for p in bad]
    return problems


def _check_date(date: str | None) -> list[Problem]:
    if date is None or not date.strip() or date == UNKNOWN or dates.real_date(date):
        return []
    return [
        Problem(
            Position("--date"),
            f"date '{date}' is not a real date; write YYYY, YYYY-MM or YYYY-MM-DD "
            "(for example 2020-03-11), or 'unknown'",
        )
    ]


def _read(raw: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The raw essay's text: a regular file of at most the size limit (never a FIFO or a device)."""
    data, problems = source.read(raw, display, "the essay")
    if data is None:
        return None, problems
    return source.decode(display, data, "essay")


# -- recognising clutter and header lines ----------------------------------------------------------


def _is_clutter(line: str) -> bool:
    """Page clutter: share buttons, comment forms, navigation, photo credits, date banners."""
    text = line.strip()
    if _CLUTTER.fullmatch(text):
        return True
    if _CREDIT.fullmatch(text) and len(text) <= _MAX_CREDIT and not _SENTENCE_BREAK.search(text):
        return True
    return dates.is_date_banner(text)


def _key(text: str) -> str:
    """Text folded for comparing a line with a given value (quotes, dashes, spaces, case)."""
    return seed.fold(text)[0].strip().casefold()


def _header_kind(line: str, header: _Header) -> str | None:
    """Which given value ('title', 'author', 'date') this header line states, if any."""
    text = line.strip()
    key = _key(text)
    if header.title != UNKNOWN and key.rstrip(".") == _key(header.title).rstrip("."):
        return "title"
    if header.author != UNKNOWN:
        byline = _BYLINE.fullmatch(text)
        if key == _key(header.author) or (byline and _key(byline.group("name")) == _key(header.author)):
            return "author"
    if header.date != UNKNOWN and dates.written_date(text) == header.date:
        return "date"
    return None


# -- cleaning and numbering ------------------------------------------------------------------------


def _clean(text: str, display: str, header: _Header) -> _Cleaned:
    """Classify every line, then group the kept lines into paragraphs."""
    lines = [line.rstrip() for line in text.split("\n")]
    kinds, found = _classify(lines, header)
    heading = _references_heading(lines, kinds)
    if heading is not None:
        kinds[heading] = "heading"
    paragraphs, references_at = _group(lines, kinds)
    references_from = references_at if references_at is not None else _trailing_references(paragraphs)
    removed = [line for line, kind in zip(lines, kinds, strict=True) if kind not in ("blank", "body")]
    warnings = _warnings(lines, kinds, display, header, found)
    return _Cleaned(paragraphs, removed, references_from, warnings)


def _classify(lines: list[str], header: _Header) -> tuple[list[str], set[str]]:
    """'blank', 'clutter', 'header' (before the first essay line only) or 'body' for each line."""
    kinds: list[str] = []
    found: set[str] = set()
    in_header = True
    for line in lines:
        if not line.strip():
            kinds.append("blank")
        elif _is_clutter(line):
            kinds.append("clutter")
        elif in_header and (kind := _header_kind(line, header)):
            kinds.append("header")
            found.add(kind)
        else:
            kinds.append("body")
            in_header = False
    return kinds, found


def _references_heading(lines: list[str], kinds: list[str]) -> int | None:
    """The last 'References' line that has essay lines after it."""
    body = [i for i, kind in enumerate(kinds) if kind == "body"]
    for i in reversed(body[:-1]):
        if _REFERENCES_HEADING.fullmatch(lines[i].strip()):
            return i
    return None


def _group(lines: list[str], kinds: list[str]) -> tuple[list[list[str]], int | None]:
    """Paragraphs (blank lines and bullets start new ones) and the first one after a references heading."""
    paragraphs: list[list[str]] = []
    references_at: int | None = None
    open_paragraph = False
    for line, kind in zip(lines, kinds, strict=True):
        text = line.strip()
        if kind in ("blank", "heading"):
            open_paragraph = False
            if kind == "heading":
                references_at = len(paragraphs) + 1
        elif kind == "body":
            if open_paragraph and not _BULLET.match(text):
                paragraphs[-1].append(text)
            else:
                paragraphs.append([text])
                open_paragraph = True
    return paragraphs, references_at


def _trailing_references(paragraphs: list[list[str]]) -> int | None:
    """The first of the citations ('Author (2018) … [Online]') that end the essay, if two or more do."""
    first = len(paragraphs)
    while first > 0 and _is_citation(" ".join(paragraphs[first - 1])):
        first -= 1
    return first + 1 if len(paragraphs) - first >= _MIN_TRAILING_REFERENCES else None


def _is_citation(text: str) -> bool:
    return bool(_CITATION_START.match(text)) and bool(_CITATION_LINK.search(text))


def _warnings(lines: list[str], kinds: list[str], display: str, header: _Header, found: set[str]) -> list[Problem]:
    """Hints (severity warning) about header lines that stayed in the essay."""
    warnings: list[Problem] = []
    if header.title != UNKNOWN and "title" not in found:
        warnings.append(
            Problem(
                Position(display),
                f"no line reads as the title “{header.title}”, so none was "
                "removed; if the title is joined to a sentence, take it out by hand",
                "warning",
            )
        )
    for number, (line, kind) in enumerate(zip(lines, kinds, strict=True), 1):
        text = line.strip()
        if kind != "body":
            continue
        if (date := dates.written_date(text)) is not None:
            warnings.append(
                Problem(
                    Position(display, number),
                    f"the line “{text}” looks like the essay's date and "
                    f"was kept as text; to move it into the header, import with --date {date}",
                    "warning",
                )
            )
        elif len(text) <= 60 and _BYLINE_SHAPE.fullmatch(text):
            warnings.append(
                Problem(
                    Position(display, number),
                    f"the line “{text}” looks like a byline and was kept "
                    "as text; to move it into the header, import with --author and the name",
                    "warning",
                )
            )
    return warnings


# -- the seed file ---------------------------------------------------------------------------------


def _render(header: _Header, cleaned: _Cleaned) -> str:
    """The seed file's text: front matter, one blank line, numbered paragraphs, one final newline."""
    front = ["---", *header.lines(cleaned.removed, cleaned.references_from), "---"]
    body = [
        "\n".join([f"[{n}] {first}", *(INDENT + line for line in rest)])
        for n, (first, *rest) in enumerate(cleaned.paragraphs, 1)
    ]
    return "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


def _verify(data: bytes, display: str, header: _Header, cleaned: _Cleaned) -> list[Problem]:
    """Load the seed as the corpus will, and check that it gives back exactly what was meant."""
    seed, problems = corpus.read_seed(data, display, header.id)
    if seed is None:
        return problems
    expected = (
        header.title,
        header.author,
        header.date,
        header.date_basis,
        header.publisher,
        header.place,
        header.summary,
        header.description or UNKNOWN,
        tuple("\n".join(p) for p in cleaned.paragraphs),
        tuple(cleaned.removed),
        cleaned.references_from,
    )
    got = (
        seed.title,
        seed.author,
        seed.date,
        seed.date_basis,
        seed.publisher,
        seed.place,
        seed.summary,
        seed.description,
        seed.paragraphs,
        seed.removed,
        seed.references_from,
    )
    if got != expected:
        return [
            Problem(
                Position(display),
                "the seed would not read back as it was written (a bug in the "
                "importer); nothing was written — please report this with the raw file",
            )
        ]
    return []


def _write(target: Path, data: bytes, existing: Mapping[str, str], replace: bool) -> list[Problem]:
    """The seed written whole (CannotWrite if the machine refuses); without `replace` it never
    replaces a seed, even one saved since the check."""
    if replace:
        files.write_atomic(target, data)
        return []
    try:
        files.create_new(target, data)
    except FileExistsError:
        return _check_id(target.stem, target, existing, replace)
    return []
