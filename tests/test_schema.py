"""The committed JSON Schema is the one the validating models generate."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.readers.spec import json_schema
from generator.runners.build import find_specs

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "lesson-spec.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "regenerate it: lessonpack schema > schema/lesson-spec.schema.json"


def test_every_shipped_spec_points_editors_at_the_schema() -> None:
    for spec in find_specs([ROOT / "packs"]):
        first = spec.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/lesson-spec.schema.json", spec.name


# -- the schema as an editor uses it ------------------------------------------------------

SCHEMA = ROOT / "schema" / "lesson-spec.schema.json"
# Bad specs whose mistake is one of shape (a key, a type, a required field), which an editor
# can flag from the schema alone; quotes, seeds and ids need lessonpack itself.
SHAPE_MISTAKES = ["missing-title", "unknown-key", "unknown-nested-key", "wrong-type-duration", "wrong-type-questions"]


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_lessonpack_schema_prints_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == SCHEMA.read_text(encoding="utf-8")


def test_every_field_has_a_description_and_an_example() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    models = {"Spec": schema, **schema["$defs"]}
    for model, node in models.items():
        assert node.get("description"), model
        for name, field in node["properties"].items():
            assert field.get("description"), f"{model}.{name} has no description"
            assert field.get("examples"), f"{model}.{name} has no example"


@pytest.mark.parametrize("spec", find_specs([ROOT / "packs"]), ids=lambda p: p.stem)
def test_every_shipped_spec_is_valid_against_the_schema(spec: Path) -> None:
    errors = [e.message for e in _validator().iter_errors(yaml.safe_load(spec.read_text(encoding="utf-8")))]
    assert errors == []


@pytest.mark.parametrize("name", SHAPE_MISTAKES)
def test_the_schema_flags_the_same_shape_mistakes_as_check(name: str) -> None:
    path = ROOT / "tests" / "bad" / f"{name}.yaml"
    assert list(_validator().iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))), name
    assert main(["check", str(path)]) == 1


def test_every_field_example_is_itself_valid() -> None:
    """The examples an editor offers on completion pass the schema when put in a spec."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = _validator()
    for name, field in schema["properties"].items():
        for example in field["examples"]:
            spec = {
                "title": "T",
                "audience": {"ages": "14-16"},
                "duration": 30,
                "excerpts": [{"id": "a", "seed": "s", "quote": "q"}],
                name: example,
            }
            assert not list(validator.iter_errors(spec)), (name, example)
