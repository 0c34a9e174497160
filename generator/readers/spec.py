"""Validate a lesson spec against its schema (readers.schema), find its quotes, and resolve it into
the lesson compose reads (readers.resolved)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import Position, Problem
from . import corpus as corpus_mod
from . import printed, source, structure, validation
from .corpus import Corpus
from .fields import ID_PATTERN
from .resolved import Ages, Lesson, ResolvedExcerpt
from .schema import Audience, Excerpt, MultipleChoice, Question, Spec
from .seed import OMISSION, Match, Miss, Seed, invisible
from .typography import typographic

_AGES = re.compile(r"\s*(\d{1,2})\s*(?:([-–—])\s*(\d{1,2})|(\+))?\s*")
YOUNGEST, OLDEST = 5, 99


def parse_ages(value: int | str) -> Ages | str:
    """Ages from '14-16', 14, '14' or '18+'; a message when they make no sense."""
    if isinstance(value, bool):
        return "ages should be like 14-16, 14 or 18+"
    if isinstance(value, int):
        lo, hi = value, value
        if not YOUNGEST <= lo <= OLDEST:
            return f"ages must be between {YOUNGEST} and {OLDEST}"
        return Ages(lo, hi)
    m = _AGES.fullmatch(value)
    if not m:
        return f"ages should be like 14-16, 14 or 18+, not '{value}'"
    lo = int(m.group(1))
    top: int | None = int(m.group(3)) if m.group(3) else (None if m.group(4) else lo)
    if not YOUNGEST <= lo <= OLDEST or (top is not None and not YOUNGEST <= top <= OLDEST):
        return f"ages must be between {YOUNGEST} and {OLDEST}"
    if top is not None and top < lo:
        return f"the youngest age comes first: write {top}-{lo}"
    return Ages(lo, top)


_TEMPLATE_LIKE = re.compile(r"\{\{|\{%|\{#")
_MARKUP_LIKE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def _text_checks(loaded: source.Loaded) -> list[Problem]:
    """Template or markup syntax (warnings: it is printed exactly as typed)."""
    problems = []
    for loc, text in loaded.strings():
        if _TEMPLATE_LIKE.search(text):
            problems.append(
                Problem(
                    loaded.at(loc),
                    "this looks like template syntax; it will be printed exactly as typed",
                    "warning",
                )
            )
        if _MARKUP_LIKE.search(text):
            problems.append(
                Problem(
                    loaded.at(loc),
                    "this looks like HTML markup; it will be printed exactly as typed",
                    "warning",
                )
            )
    return problems


def validate(loaded: source.Loaded, corpus: Corpus, stem: str) -> tuple[Lesson | None, list[Problem]]:
    """Every problem in a parsed spec at once, or the resolved lesson (plus warnings). The spec is
    validated once, key by key and item by item (validation.read_parts), and the checks across its
    parts run on what validated, so that a mistake in one part never hides a mistake in another."""
    problems: list[Problem] = []
    # What YAML decoded (escapes such as "\u00ad") is judged as it prints: composed, and with no
    # character that prints nothing.
    loaded = printed.composed(loaded)
    if loaded.value is None:
        return None, [Problem(loaded.at(()), "the spec is empty; start with 'title:'")]
    if not isinstance(loaded.value, dict):
        return None, [
            Problem(loaded.at(()), f"a spec is a set of 'key: value' lines, not {source.describe(loaded.value)}")
        ]
    problems += printed.characters(loaded)
    problems += _text_checks(loaded)
    parts, invalid = validation.read_parts(loaded, Spec, "spec")
    problems += invalid
    spec = parts.whole

    ages: Ages | str = "no ages"
    audience = parts.value("audience", Audience)
    if audience is not None:
        ages = parse_ages(audience.ages)
        if isinstance(ages, str):
            problems.append(Problem(loaded.at(("audience", "ages")), ages))
    pack_id = spec.id if spec and spec.id else stem
    # Only a spec without 'id:' takes its file name as its id (an 'id:' that is wrong has its own error).
    if "id" not in parts.given and not re.fullmatch(ID_PATTERN, stem):
        problems.append(
            Problem(
                loaded.at(()),
                f"the file name '{stem}' cannot be a pack id; rename the file "
                "(lowercase letters, digits and '-') or set 'id:'",
            )
        )

    # Each excerpt that validated has its quote looked for, whatever else is wrong in the spec.
    quoted: list[ResolvedExcerpt] = []
    seen_ids: dict[str, int] = {}
    valid = dict(parts.each("excerpts", Excerpt))
    for i in range(parts.count("excerpts")):
        loc: tuple[str | int, ...] = ("excerpts", i)
        ex = valid.get(i)
        if ex is None:  # its problems are reported; its id (if that is right) is known
            given = parts.field_of("excerpts", i, "id")
            if isinstance(given, str):
                seen_ids.setdefault(given, i)
            continue
        if ex.id in seen_ids:
            problems.append(
                Problem(
                    loaded.at((*loc, "id")),
                    f"excerpt id '{ex.id}' is already used by excerpt {seen_ids[ex.id] + 1}",
                )
            )
        seen_ids.setdefault(ex.id, i)
        seed = corpus.seeds.get(ex.seed)
        if seed is None:
            problems.append(
                Problem(
                    loaded.at((*loc, "seed")),
                    f"unknown seed '{ex.seed}'{corpus.hint(ex.seed)}",
                )
            )
            continue
        found = corpus_mod.find_quote(seed, ex.quote)
        if isinstance(found, Miss):
            problems.append(Problem(_quote_at(loaded, (*loc, "quote"), ex.quote, found.at), _miss_message(seed, found)))
            continue
        problems += _empty_omissions(loaded, (*loc, "quote"), ex.quote, found)
        quoted.append(ResolvedExcerpt.found(ex, seed, found, loaded.at(loc), i))

    used: set[str] = set()
    for qi, q in parts.each("questions", Question):
        if q.answer is None:
            problems.append(
                Problem(
                    loaded.at(("questions", qi, "text")),
                    f"question {qi + 1} has no answer guidance; add 'answer:' (the teacher edition prints it)",
                    "warning",
                )
            )
        for ri, ref in enumerate(q.excerpts):
            used.add(ref)
            if ref not in seen_ids:
                problems.append(
                    Problem(
                        loaded.at(("questions", qi, "excerpts", ri)),
                        f"no excerpt has the id '{ref}'"
                        + (
                            validation.suggest(ref, list(seen_ids))
                            or f"; excerpts in this spec: {', '.join(seen_ids) or 'none'}"
                        ),
                    )
                )
    problems += structure.check(loaded.places, parts, quoted, seen_ids)
    if spec is not None:
        for i, ex_spec in enumerate(spec.excerpts):
            if ex_spec.id not in used and spec.questions:
                problems.append(
                    Problem(
                        loaded.at(("excerpts", i, "id")),
                        f"no question is about excerpt '{ex_spec.id}'",
                        "warning",
                    )
                )
        if spec.activities:
            total = sum(a.minutes for a in spec.activities)
            if total != spec.duration:
                problems.append(
                    Problem(
                        loaded.at(("duration",)),
                        f"the activities take {total} minutes but the lesson is {spec.duration} minutes",
                        "warning",
                    )
                )
    errors = [p for p in problems if p.severity == "error"]
    if errors or spec is None or isinstance(ages, str):
        return None, problems
    warnings = tuple(p for p in problems if p.severity == "warning")
    return _lesson(spec, pack_id, loaded, ages, tuple(quoted), warnings), problems


def _lesson(
    spec: Spec,
    pack_id: str,
    loaded: source.Loaded,
    ages: Ages,
    excerpts: tuple[ResolvedExcerpt, ...],
    warnings: tuple[Problem, ...],
) -> Lesson:
    """The resolved lesson: the validated spec with each quiz's options placed and every text a
    reader reads typographic (quoted seed text is the seed's, printed as the essay has it)."""
    quizzes: list[Sequence[MultipleChoice]] = [spec.starter_quiz, spec.exit_quiz, *(a.checks for a in spec.activities)]
    for items in quizzes:
        _place(pack_id, items)
    typeset = printed.typeset(spec, typographic)
    return Lesson(
        id=pack_id,
        path=loaded.path,
        spec=typeset,
        ages=ages,
        excerpts=tuple(printed.typeset(e, typographic) for e in excerpts),
        warnings=warnings,
        texts=printed.texts(spec),
        places=loaded.places,
    )


def _empty_omissions(loaded: source.Loaded, loc: tuple[str | int, ...], quote: str, found: Match) -> list[Problem]:
    """An omission mark where the essay leaves nothing out: it would split the words it stands
    between (and hide a phrase from the content policy)."""
    problems = []
    marks = [m.start() for m in OMISSION.finditer(quote) if quote[: m.start()].strip()]
    marks = [at for at in marks if quote[at:].lstrip(" .…").strip()]
    for n, before, after in found.empty_omissions:
        at = marks[n] if n < len(marks) else None
        problems.append(
            Problem(
                _quote_at(loaded, loc, quote, at),
                f"this omission leaves nothing out: the essay goes straight on from “{before}” to “{after}”; "
                "remove the '…' (an omission marks words left out)",
            )
        )
    return problems


def _place(pack_id: str, items: Sequence[MultipleChoice]) -> None:
    """Each question's options in an order fixed by the pack: the same every build, the correct
    answer at a place that varies from question to question (never the same place for all)."""
    places: list[int] = []
    for n, item in enumerate(items):
        digest = hashlib.sha256(f"{pack_id}\0{item.question}".encode()).digest()
        place = digest[0] % (len(item.distractors) + 1)
        if n == len(items) - 1 and len(items) > 1 and all(p == place for p in places):
            place = (place + 1) % (len(item.distractors) + 1)  # not every answer in the same place
        item._place = place
        places.append(place)


def _miss_message(seed: Seed, miss: Miss) -> str:
    if not miss.passage:
        return f"the quote is not in seed '{seed.id}' and nothing in it comes close"
    where = f"paragraph {miss.paragraph}" if miss.last <= miss.paragraph else f"paragraphs {miss.paragraph}–{miss.last}"
    if miss.whole_words:
        return (
            f"the quote starts or ends in the middle of a word in seed '{seed.id}' ({where}): "
            f"{miss.differs}; quote whole words"
        )
    return (
        f"the quote is not in seed '{seed.id}'; the closest passage is {where} "
        f"({miss.similarity:.0%} similar): “{miss.marked}”; {miss.differs}"
    )


def _quote_at(loaded: source.Loaded, loc: tuple[str | int, ...], quote: str, offset: int | None) -> Position:
    """Where character `offset` of the quote at `loc` is in the file (None: the whole quote). Its
    word is looked for in the file's text from the quote's start, past the same word's earlier
    occurrences in the quote, so line folding, indentation and quote marks between words do not
    matter. Characters YAML may write as escapes are left out of the word; the quote's start when
    the word is not found."""
    start = loaded.at(loc)
    if offset is None:
        return start
    while offset < len(quote) and not _verbatim(quote[offset]):
        offset += 1
    end = offset
    while end < len(quote) and _verbatim(quote[end]):
        end += 1
    needle = quote[offset:end]
    if not needle:
        return start
    text = loaded.text
    lines = text.split("\n")
    pos = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.col - 1
    seen = 0
    i = quote.find(needle)
    while 0 <= i < offset:
        seen += 1
        i = quote.find(needle, i + 1)
    for _ in range(seen + 1):
        pos = text.find(needle, pos)
        if pos < 0:
            return start
        pos += 1
    pos -= 1
    line_start = text.rfind("\n", 0, pos) + 1
    return Position(loaded.path, text.count("\n", 0, pos) + 1, pos - line_start + 1)


def _verbatim(ch: str) -> bool:
    """A character a YAML file has as itself in a quote: not white space, a quote mark, a
    backslash or a character that is written as an escape because it cannot be seen."""
    return ch.isprintable() and not ch.isspace() and ch not in "\"'\\" and not invisible(ch)


Screen = Callable[[list[source.Located]], list[Problem]]


def check(
    path: Path | None, shown: str, corpus: Corpus, stem: str, screen: Screen, text: str | None = None
) -> tuple[Lesson | None, list[Problem]]:
    """A spec file (or `text` given as the file `shown`) read, screened and validated: what YAML
    itself cut (warnings), what `screen` finds in its texts (the writers: what no font can draw), and
    every problem of the spec; the resolved lesson, or None."""
    loaded, problems = source.load(path, shown) if path is not None else source.load_text(shown, text or "")
    if loaded is None:
        return None, problems
    problems = problems + loaded.warnings + screen(loaded.located())
    lesson, more = validate(loaded, corpus, stem)
    return lesson, problems + more


def load_lesson(path: Path, corpus: Corpus, display: str | None = None) -> tuple[Lesson | None, list[Problem]]:
    """Read, parse and validate one spec file."""
    loaded, problems = source.load(path, display)
    if loaded is None:
        return None, problems
    return validate(loaded, corpus, path.stem)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec, generated from the models that validate it."""
    return Spec.model_json_schema()
