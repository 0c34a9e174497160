"""Property: whatever a teacher (or a stray file) hands the loader, it never raises.

Reading and validating return a Lesson or a list of Problems, and every Problem has a real
position (line and column from 1), so the CLI can always print PATH:LINE:COL.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.readers import source, spec
from generator.readers.corpus import Corpus, load_corpus
from generator.readers.resolved import Lesson

from .examples import examples

CORPUS: Corpus = load_corpus(Path(__file__).parent.parent / "seeds")[0]
PATH = "prop.yaml"

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces a YAML spec (or a broken one) is made of.
FRAGMENTS = st.sampled_from(
    [
        "title",
        "audience",
        "ages",
        "region",
        "group",
        "duration",
        "summary",
        "objectives",
        "excerpts",
        "id",
        "seed",
        "quote",
        "intro",
        "questions",
        "text",
        "kind",
        "answer",
        "lines",
        "activities",
        "minutes",
        "steps",
        "notes",
        "teacher_notes",
        "subject",
        "tipping-point",
        "no-going-back",
        "We are at a tipping point.",
        "inference",
        "uk",
        "14-16",
        "18+",
        "16-14",
        "60",
        "0",
        "-1",
        "3.5",
        "1e999",
        "no",
        "on",
        "~",
        "null",
        "true",
        "1:30",
        "2020-03-11",
        "…",
        "...",
        "{{ x }}",
        "<b>",
        "ŵ",
        "\U00013000",
        ":",
        ": ",
        "- ",
        "-",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "&a ",
        "*a",
        "!",
        "!!str ",
        "!!python/object:x ",
        "?",
        "|",
        ">-",
        "#",
        "%YAML 1.1",
        "---",
        "\n",
        "\n  ",
        "\n    ",
        "\n- ",
        "\n  - ",
        " ",
        "\t",
        "\r\n",
        "\ufeff",
        "\x07",
        "\u202e",
        "\u2028",
        "\uffff",
    ]
)
YAMLISH = st.lists(FRAGMENTS, max_size=40).map("".join)

# Structured values: spec-shaped mappings with random holes, rendered as YAML.
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=20)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 1000), st.floats(allow_nan=False), PRINTABLE, FRAGMENTS)


def render(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "\n" + "\n".join(f"{pad}{k}: {render(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "[]"
        return "\n" + "\n".join(f"{pad}- {render(v, indent + 2).lstrip()}" for v in value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "~"
    return str(value).lower() if isinstance(value, bool) else str(value)


VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["id", "seed", "quote", "ages", "text", "excerpts", "minutes", "title"]),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
VALID: dict[str, object] = {
    "title": "Speaking Up",
    "audience": {"ages": "14-16", "region": "uk"},
    "duration": 30,
    "excerpts": [{"id": "tipping", "seed": "tipping-point", "quote": "We are at a tipping point."}],
    "questions": [{"text": "Why?", "excerpts": ["tipping"], "kind": "recall"}],
    "activities": [{"title": "Read", "minutes": 30, "steps": ["Read it."]}],
}


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """The valid spec above with some values replaced, removed or misspelt."""
    spec_value: dict[str, object] = {}
    for key, value in VALID.items():
        action = draw(st.sampled_from(["keep", "keep", "keep", "replace", "drop", "misspell"]))
        if action == "keep":
            spec_value[key] = value
        elif action == "replace":
            spec_value[key] = draw(VALUES)
        elif action == "misspell":
            spec_value[key[:-1] or key] = value
    return render(spec_value).lstrip("\n") + "\n"


SPECS = st.one_of(
    near_valid(),
    st.dictionaries(st.sampled_from(list(VALID) + ["id", "summary", "titel"]), VALUES, max_size=8).map(
        lambda d: render(d).lstrip("\n") + "\n"
    ),
)


def check_problems(problems: list[Problem]) -> None:
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.position.path == PATH
        assert p.position.line >= 1
        assert p.position.col >= 1
        assert p.severity in ("error", "warning")
        assert p.message
        assert "\n" not in str(p)


def run_all(text: str) -> None:
    loaded, problems = source.load_text(PATH, text)
    check_problems(problems)
    if loaded is None:
        assert any(p.severity == "error" for p in problems)
        return
    assert problems == []
    lesson, problems = spec.validate(loaded, CORPUS, "prop")
    check_problems(problems)
    if lesson is None:
        assert any(p.severity == "error" for p in problems)
    else:
        assert isinstance(lesson, Lesson)
        assert all(p.severity == "warning" for p in problems)
        assert lesson.warnings == tuple(problems)


@SETTINGS
@given(st.text())
def test_any_text_loads_or_gives_positioned_problems(text: str) -> None:
    run_all(text)


@SETTINGS
@given(YAMLISH)
def test_yamlish_text_loads_or_gives_positioned_problems(text: str) -> None:
    run_all(text)


@SETTINGS
@given(SPECS)
def test_spec_shaped_text_loads_or_gives_positioned_problems(text: str) -> None:
    run_all(text)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_parse_or_give_positioned_problems(data: bytes) -> None:
    text, problems = source.decode(PATH, data)
    check_problems(problems)
    if text is None:
        assert problems
        return
    assert problems == []
    loaded, problems = source.parse(PATH, text)
    check_problems(problems)
    if loaded is not None:
        check_problems(spec.validate(loaded, CORPUS, "prop")[1])


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), st.integers(0, 3))
def test_refused_character_is_reported_where_it_is(text: str, where: int) -> None:
    # A refused character is reported on the line and column where it really is.
    lines = ["title: ok", "summary: fine", "duration: 30", "notes: x"]
    column = len(lines[where]) + 1
    lines[where] += "\x07" + text
    loaded, problems = source.load_text(PATH, "\n".join(lines) + "\n")
    assert loaded is None
    first = min(problems, key=lambda p: p.position)
    assert (first.position.line, first.position.col) == (where + 1, column)
    assert "U+0007" in first.message
