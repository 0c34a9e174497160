"""A spec key is declared once: its field in readers/schema.py, with its readers (README: 'Where a
change goes'). From that one field it is validated, in the JSON Schema, screened for the readers it
names, made typographic and in the resolved lesson that compose reads, with no second declaration."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import Field

from generator.errors import Problem
from generator.readers import fields, printed, schema, spec
from generator.readers.printed import read_by
from generator.readers.resolved import Lesson
from generator.readers.typography import typographic

from .test_printed import BASE, BUILDER, FIELDS, _get, _set, _with_word


class WithNewKeys(schema.Spec):
    """The shipped spec with two keys added the way the README says: a field each, nothing else."""

    homework: fields.Prose | None = Field(
        None, description="A task for after the lesson.", json_schema_extra=read_by("pupil")
    )
    cover_note: fields.Prose | None = Field(
        None, description="A note for a cover teacher.", json_schema_extra=read_by("teacher")
    )


def _check(tmp_path: Path, data: dict[str, Any]) -> tuple[str, Lesson | None, list[Problem]]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path = tmp_path / "speaking-up.yaml"
    path.write_text(text, encoding="utf-8")
    lesson, _, problems = BUILDER.check(path)
    return text, lesson, problems


@pytest.fixture
def new_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spec, "Spec", WithNewKeys)


@pytest.mark.usefixtures("new_keys")
def test_a_new_key_reaches_the_resolved_lesson_typographic(tmp_path: Path) -> None:
    data = {**copy.deepcopy(BASE), "homework": 'Ask someone at home -- what\'s "speaking up"?', "cover_note": "Fine."}
    _, lesson, problems = _check(tmp_path, data)
    assert lesson is not None, [str(p) for p in problems]
    assert isinstance(lesson.spec, WithNewKeys)
    assert lesson.spec.homework == typographic(data["homework"]) == "Ask someone at home – what’s “speaking up”?"
    assert lesson.spec.cover_note == "Fine."


@pytest.mark.usefixtures("new_keys")
@pytest.mark.parametrize(("key", "severity"), [("homework", "error"), ("cover_note", "warning")])
def test_a_new_key_is_screened_for_the_readers_it_names(tmp_path: Path, key: str, severity: str) -> None:
    text, _, problems = _check(tmp_path, {**copy.deepcopy(BASE), key: "Read about rape laws."})
    line = next(n for n, s in enumerate(text.split("\n"), 1) if s.startswith(f"{key}:"))
    here = [p for p in problems if "“rape” is sexual violence" in p.message]
    col = text.split("\n")[line - 1].index("rape") + 1  # at the word itself
    assert [(p.severity, p.position.line, p.position.col) for p in here] == [(severity, line, col)]


@pytest.mark.usefixtures("new_keys")
def test_a_new_key_is_validated_and_suggested(tmp_path: Path) -> None:
    _, lesson, problems = _check(tmp_path, {**copy.deepcopy(BASE), "homwork": "Ask at home."})
    assert lesson is None
    assert any("unknown key 'homwork'; did you mean 'homework'?" in p.message for p in problems)
    _, lesson, problems = _check(tmp_path, {**copy.deepcopy(BASE), "homework": ["a", "list"]})
    assert lesson is None and any("'homework' should be text" in p.message for p in problems)


def test_a_new_key_is_in_the_json_schema_with_its_readers() -> None:
    properties = WithNewKeys.model_json_schema()["properties"]
    assert properties["homework"]["readers"] == ["pupil"] and properties["cover_note"]["readers"] == ["teacher"]


def _value(model: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        model = model[part] if isinstance(part, int) or isinstance(model, dict) else getattr(model, part)
    return model


def test_every_key_of_the_spec_reaches_the_resolved_lesson(tmp_path: Path) -> None:
    """Each text of a spec that gives every key is in `lesson.spec` at the same path: typographic
    where a reader reads it as typed (each is given an apostrophe to curl), as given otherwise (ids,
    choices, quotes, override reasons)."""
    data = copy.deepcopy(BASE)
    typeset = []
    for loc, info in FIELDS:
        declared = printed.declared(info) or printed.UNDECLARED
        if declared.judged == "typed" and declared.readers and "override" not in loc and loc != ("id",):
            typeset.append(loc)
            _set(data, loc, _with_word(_get(data, loc), "pupils'"))
    _, lesson, problems = _check(tmp_path, data)
    assert lesson is not None, [str(p) for p in problems]
    assert len(FIELDS) > 30 and len(typeset) > 20
    for loc, _ in FIELDS:
        given = _get(data, loc)
        expected = typographic(given) if loc in typeset else given
        assert expected != given or loc not in typeset
        assert _value(lesson.spec, loc) == expected, loc
        if loc[0] == "excerpts":  # and each found excerpt has its excerpt's keys
            assert _value(lesson.excerpts, loc[1:]) == expected, loc
