"""The committed JSON Schema is the one the validating models generate."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import find_specs
from generator.spec import json_schema

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "lesson-spec.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "regenerate schema/lesson-spec.schema.json from generator.spec.json_schema()"


def test_every_shipped_spec_points_editors_at_the_schema() -> None:
    for spec in find_specs([ROOT / "packs"]):
        first = spec.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/lesson-spec.schema.json", spec.name
