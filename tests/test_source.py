"""generator/source.py: safe YAML reading that keeps the line and column of every value."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Position, Problem
from generator.readers import source


def load(text: str) -> tuple[source.Loaded | None, list[Problem]]:
    return source.load_text("spec.yaml", text)


def ok(text: str) -> source.Loaded:
    loaded, problems = load(text)
    assert problems == [], [str(p) for p in problems]
    assert loaded is not None
    return loaded


def refused(text: str) -> list[Problem]:
    loaded, problems = load(text)
    assert loaded is None
    assert problems, "a refused file must say why"
    return problems


def at(problems: list[Problem], line: int, col: int, needle: str) -> Problem:
    """The error at exactly LINE:COL whose message contains `needle` (or a helpful failure)."""
    for p in problems:
        if (p.position.line, p.position.col) == (line, col) and needle in p.message:
            assert p.severity == "error"
            return p
    raise AssertionError(f"no error at {line}:{col} containing {needle!r} in {[str(p) for p in problems]}")


# --------------------------------------------------------------------------------------
# Scalars: YAML 1.1 surprises stay the text that was typed.


@pytest.mark.parametrize(
    "typed", ["no", "No", "on", "off", "yes", "y", "n", "1:30", "2020-03-11", "0o17", "0x1F", "1_000", ".inf"]
)
def test_yaml_11_surprises_stay_text(typed: str) -> None:
    loaded = ok(f"value: {typed}\n")
    assert loaded.value == {"value": typed}


@pytest.mark.parametrize(
    ("typed", "meaning"),
    [
        ("60", 60),
        ("-5", -5),
        ("3.5", 3.5),
        ("true", True),
        ("false", False),
        ("True", True),
        ("~", None),
        ("null", None),
        ("", None),
    ],
)
def test_core_schema_numbers_booleans_and_null(typed: str, meaning: object) -> None:
    loaded = ok(f"value: {typed}\n")
    assert isinstance(loaded.value, dict)
    assert loaded.value["value"] == meaning
    assert type(loaded.value["value"]) is type(meaning)


def test_quoted_values_are_always_text() -> None:
    loaded = ok('a: "60"\nb: \'true\'\nc: "no"\n')
    assert loaded.value == {"a": "60", "b": "true", "c": "no"}


def test_block_scalars_keep_their_text() -> None:
    loaded = ok("folded: >-\n  one\n  two\nliteral: |\n  line 1\n  line 2\n")
    assert loaded.value == {"folded": "one two", "literal": "line 1\nline 2\n"}


# --------------------------------------------------------------------------------------
# Positions: 1-based, of values and of keys, in nested maps and lists.

NESTED = """\
title: Speaking Up
audience:
  ages: 14-16
  region: uk
excerpts:
  - id: first
    seed: tipping-point
  - id: second
    quote: "We are at a tipping point."
tags: [one, two,   three]
"""


def test_positions_of_values() -> None:
    loaded = ok(NESTED)
    pos = loaded.positions
    assert pos[("title",)] == Position("spec.yaml", 1, 8)
    assert pos[("audience", "ages")] == Position("spec.yaml", 3, 9)
    assert pos[("audience", "region")] == Position("spec.yaml", 4, 11)
    assert pos[("excerpts",)] == Position("spec.yaml", 6, 3)
    assert pos[("excerpts", 0, "id")] == Position("spec.yaml", 6, 9)
    assert pos[("excerpts", 0, "seed")] == Position("spec.yaml", 7, 11)
    assert pos[("excerpts", 1, "id")] == Position("spec.yaml", 8, 9)
    # A quoted value starts at its opening quote.
    assert pos[("excerpts", 1, "quote")] == Position("spec.yaml", 9, 12)
    assert pos[("tags", 0)] == Position("spec.yaml", 10, 8)
    assert pos[("tags", 1)] == Position("spec.yaml", 10, 13)
    assert pos[("tags", 2)] == Position("spec.yaml", 10, 20)


def test_positions_of_keys() -> None:
    loaded = ok(NESTED)
    assert loaded.key_at(("title",)) == Position("spec.yaml", 1, 1)
    assert loaded.key_at(("audience",)) == Position("spec.yaml", 2, 1)
    assert loaded.key_at(("audience", "region")) == Position("spec.yaml", 4, 3)
    assert loaded.key_at(("excerpts", 0, "seed")) == Position("spec.yaml", 7, 5)
    assert loaded.key_at(("excerpts", 1, "quote")) == Position("spec.yaml", 9, 5)


def test_at_falls_back_to_the_nearest_located_ancestor() -> None:
    loaded = ok(NESTED)
    # A key that is missing from excerpt 2 is reported where that excerpt starts.
    assert loaded.at(("excerpts", 1, "seed")) == Position("spec.yaml", 8, 5)
    assert loaded.at(("nothing", "here")) == Position("spec.yaml", 1, 1)


def test_find_in_value_gives_the_exact_column_of_a_character() -> None:
    loaded = ok("a: x\nb: >-\n  first line\n  second § line\n")
    assert loaded.find_in_value(("b",), "§") == Position("spec.yaml", 4, 10)


# --------------------------------------------------------------------------------------
# Duplicate keys, anchors, aliases, tags.


def test_duplicate_key_is_an_error_at_the_second_key_naming_the_first_line() -> None:
    problems = refused("title: One\nduration: 30\ntitle: Two\n")
    p = at(problems, 3, 1, "duplicate key 'title'")
    assert "line 1" in p.message


def test_duplicate_key_inside_a_list_item() -> None:
    problems = refused("excerpts:\n  - id: a\n    seed: x\n    id: b\n")
    p = at(problems, 4, 5, "duplicate key 'id'")
    assert "line 2" in p.message


def test_same_key_in_different_maps_is_fine() -> None:
    loaded = ok("excerpts:\n  - id: a\n  - id: b\n")
    assert loaded.value == {"excerpts": [{"id": "a"}, {"id": "b"}]}


def test_anchor_and_alias_are_refused_at_their_positions() -> None:
    problems = refused("intro: &shared Some text\nsummary: *shared\n")
    at(problems, 1, 8, "anchors (&shared)")
    at(problems, 2, 10, "aliases (*shared)")


def test_merge_key_alias_is_refused() -> None:
    problems = refused("base: &b {x: 1}\nother:\n  <<: *b\n")
    at(problems, 1, 7, "anchors")
    at(problems, 3, 7, "aliases")


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    assert len(BILLION_LAUGHS.encode()) < 600
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    loaded, problems = source.load(path)
    assert loaded is None
    assert any("aliases" in p.message for p in problems)
    # One problem per anchor or alias written in the file: nothing was expanded.
    written = BILLION_LAUGHS.count("&") + BILLION_LAUGHS.count("*")
    assert 0 < len(problems) <= written
    assert all(p.position.line <= 9 for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!int '5'\n",
        "a: !custom thing\n",
        "a: !<tag:example.com,2000:x> thing\n",
    ],
)
def test_tags_are_refused_at_their_position(text: str) -> None:
    problems = refused(text)
    at(problems, 1, 4, "YAML tags")


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    loaded, problems = load(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert loaded is None
    assert problems
    assert not marker.exists()


# --------------------------------------------------------------------------------------
# Bytes: encoding, size, invisible characters, BOM, line endings.


def test_non_utf8_bytes_are_an_error_at_their_line_and_column() -> None:
    text, problems = source.decode("spec.yaml", b"title: ok\nsummary: caf\xe9 au lait\n")
    assert text is None
    p = at(problems, 2, 13, "not UTF-8")
    assert "0xe9" in p.message


def test_non_utf8_file_via_load(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Café\n".encode("latin-1"))
    loaded, problems = source.load(path)
    assert loaded is None
    at(problems, 1, 11, "not UTF-8")


def test_non_utf8_column_counts_characters_like_every_other_column() -> None:
    # 'é' is one character (two bytes); the bad byte is the 5th character on the line.
    _, bad_byte = source.decode("spec.yaml", "a: é".encode() + b"\xff\n")
    _, control = source.decode("spec.yaml", "a: é\x07\n".encode())
    assert (control[0].position.line, control[0].position.col) == (1, 5)
    assert (bad_byte[0].position.line, bad_byte[0].position.col) == (1, 5)


@pytest.mark.parametrize(
    ("char", "code"), [("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x00", "U+0000"), ("\x7f", "U+007F")]
)
def test_control_characters_are_positioned_errors(char: str, code: str) -> None:
    problems = refused(f"title: ok\nsummary: one{char}two\n")
    at(problems, 2, 13, code)


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_bidi_override_characters_are_positioned_errors(char: str) -> None:
    problems = refused(f"title: a{char}b\n")
    at(problems, 1, 9, f"U+{ord(char):04X}")


def test_every_invisible_character_is_reported_at_once() -> None:
    problems = refused("a: x\x07y\nb: \u202ez\nc: \x1b\n")
    assert [(p.position.line, p.position.col) for p in problems] == [(1, 5), (2, 4), (3, 4)]


def test_tab_inside_a_value_is_allowed() -> None:
    assert ok('a: "x\ty"\n').value == {"a": "x\ty"}


def test_file_at_the_size_cap_loads_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    body = b"title: big\n# "
    exact = body + b"x" * (source.MAX_BYTES - len(body) - 1) + b"\n"
    assert len(exact) == source.MAX_BYTES
    path = tmp_path / "exact.yaml"
    path.write_bytes(exact)
    loaded, problems = source.load(path)
    assert problems == []
    assert loaded is not None and loaded.value == {"title": "big"}

    path.write_bytes(exact + b"\n")
    loaded, problems = source.load(path)
    assert loaded is None
    assert len(problems) == 1
    assert "limit" in problems[0].message
    assert f"{source.MAX_BYTES:,}" in problems[0].message


def test_size_cap_is_256_kib() -> None:
    assert source.MAX_BYTES == 256 * 1024


def test_byte_order_mark_is_tolerated_and_does_not_shift_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufefftitle: Hello\nduration: 30\n".encode())
    loaded, problems = source.load(path)
    assert problems == []
    assert loaded is not None
    assert loaded.value == {"title": "Hello", "duration": 30}
    assert loaded.key_at(("title",)) == Position(str(path), 1, 1)
    assert loaded.at(("title",)) == Position(str(path), 1, 8)


def test_crlf_line_endings_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"title: Hello\r\nduration: 30\r\nnotes: |\r\n  one\r\n  two\r\n")
    loaded, problems = source.load(path)
    assert problems == []
    assert loaded is not None
    assert loaded.value == {"title": "Hello", "duration": 30, "notes": "one\ntwo\n"}
    assert loaded.at(("duration",)) == Position(str(path), 2, 11)


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    loaded, problems = source.load(tmp_path / "nope.yaml", "nope.yaml")
    assert loaded is None
    assert len(problems) == 1
    assert problems[0].position.path == "nope.yaml"
    assert "cannot read" in problems[0].message


def test_directory_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    loaded, problems = source.load(tmp_path)
    assert loaded is None
    assert "cannot read" in problems[0].message


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\U0001fffe"])
def test_noncharacters_are_refused_at_their_position(char: str) -> None:
    problems = refused(f"title: ok\nsummary: a{char}b\n")
    at(problems, 2, 11, f"U+{ord(char):04X}")


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_are_refused_at_their_position(char: str) -> None:
    # libyaml would count them as line breaks, shifting every later line number.
    problems = refused(f"summary: a{char}b\ntitle: T\n")
    at(problems, 1, 11, f"U+{ord(char):04X}")


# --------------------------------------------------------------------------------------
# Document structure and syntax.


def test_multiple_documents_are_refused_at_the_second_separator() -> None:
    problems = refused("title: One\n---\ntitle: Two\n")
    at(problems, 2, 1, "one YAML document")


def test_one_explicit_document_is_fine() -> None:
    assert ok("---\ntitle: One\n").value == {"title": "One"}


def test_empty_and_comment_only_files_load_as_nothing() -> None:
    for text in ["", "\n\n", "# just a comment\n"]:
        loaded = ok(text)
        assert loaded.value is None
        assert loaded.at(()) == Position("spec.yaml", 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 1000,
        "[" * 1000 + "]" * 1000,
        "{a: " * 1000,
        "- " * 1000 + "x\n",
        "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 200)),
    ],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    problems = refused(text)
    assert any("nested more than" in p.message for p in problems)


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_refused() -> None:
    depth = source.MAX_DEPTH
    value = ok("[" * depth + "]" * depth).value
    for _ in range(depth - 1):
        assert isinstance(value, list) and len(value) == 1
        value = value[0]
    assert value == []
    problems = refused("[" * (depth + 1) + "]" * (depth + 1))
    at(problems, 1, depth + 1, "nested more than")


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("title: [a, b\nduration: 3\n", 2, 9),
        ("title: a: b\n", 1, 9),
        ("\ttitle: x\n", 1, 1),
        ('title: "unclosed\n', 2, 1),
        ("audience:\n  ages: 14\n bad: 1\n", 3, 2),
    ],
)
def test_broken_yaml_is_a_positioned_syntax_error(text: str, line: int, col: int) -> None:
    problems = refused(text)
    at(problems, line, col, "YAML syntax")


def test_problem_prints_as_path_line_col_error_message() -> None:
    problems = refused("a: 1\na: 2\n")
    assert str(problems[0]) == "spec.yaml:2:1: error: duplicate key 'a' (first at line 1); keep only one"


def test_a_list_or_mapping_as_key_is_refused() -> None:
    problems = refused("? [a, b]\n: value\n")
    assert any("key must be a simple word" in p.message for p in problems)


def test_huge_number_is_not_an_exception() -> None:
    # More digits than Python converts to int: stays text (and fails validation as text).
    big = "9" * 5000
    assert ok(f"duration: {big}\nlines: [{big}, -{big}]\n").value == {"duration": big, "lines": [big, "-" + big]}


def test_describe_reads_like_a_person_wrote_it() -> None:
    assert source.describe(None) == "nothing (an empty value)"
    assert source.describe(True) == "true/false (true)"
    assert source.describe(60) == "a number (60)"
    assert source.describe("sixty") == "text 'sixty'"
    assert source.describe("x" * 40) == "text '" + "x" * 27 + "...'"
    assert source.describe([1]) == "a list"
    assert source.describe({"a": 1}) == "a mapping of keys"


def test_the_quick_scan_sees_every_character_the_full_check_refuses() -> None:
    """decode() skips its character-by-character check when _SUSPECT finds nothing."""
    import sys

    from generator.readers import source

    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if code not in (9, 10) and source._refused(chr(code)) and not source._SUSPECT.search(chr(code))
    ]
    assert missed == []
