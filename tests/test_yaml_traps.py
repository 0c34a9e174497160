"""YAML never silently cuts or splits a teacher's text: `check` warns, at the place, when a ` #`
comment ends a value, when a [ ] list splits one sentence at its commas, and says how to quote a
comma inside { }. The shipped packs, `new` and the README's examples never write these traps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.readers import source

ROOT = Path(__file__).resolve().parent.parent
HEAD = """\
title: Traps
audience:
  ages: 14-16
duration: 30
excerpts:
  - id: start
    seed: no-going-back
    quote: Teaching young people about what sexism and sexual harassment means
"""


def check(tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    spec = tmp_path / "traps.yaml"
    spec.write_text(HEAD + body, encoding="utf-8")
    code = main(["--root", str(ROOT), "check", str(spec)])
    err = capsys.readouterr().err
    return code, [line.replace(str(spec), "traps.yaml") for line in err.splitlines() if "traps.yaml:" in line]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "key_points:\n  - What the 2017 #MeToo campaign was about.\n  - Harm is easier to stop early.\n",
            "traps.yaml:10:19: warning: YAML reads ‘#MeToo…’ as a comment, so this value ends at “What the 2017”; "
            'put the whole text in quotes ("…") to keep it',
        ),
        (
            "summary: Write what you think changed #today\n",
            "traps.yaml:9:39: warning: YAML reads ‘#today…’ as a comment, so this value ends at "
            '“Write what you think changed”; put the whole text in quotes ("…") to keep it',
        ),
        (
            "summary: Read the extract # then discuss it\n",
            "traps.yaml:9:27: warning: YAML reads ‘# then…’ as a comment, so this value ends at “Read the extract”; "
            'put the whole text in quotes ("…") to keep it',
        ),
        (
            "activities:\n  - title: Read\n    minutes: 30\n"
            "    steps: [Read the extract, then discuss it, in pairs.]\n",
            "traps.yaml:12:31: warning: this [ ] list splits “Read the extract, then discuss it, in pairs.” at its "
            'commas into 3 items; if it is one item, put it in quotes: ["…"], or write one item per line '
            "starting '- '",
        ),
    ],
)
def test_yaml_that_cuts_or_splits_text_is_warned_at_its_place(
    body: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(tmp_path, body, capsys)
    assert code == 0
    assert lines == [expected]


@pytest.mark.parametrize(
    "body",
    [
        "key_points:\n  - Harm is easier to stop early.  # an ordinary comment\n  - Help is there.\n",
        "activities:\n  - title: Read\n    minutes: 30\n    steps: [Agree three ground rules., Share them.]\n",
        "activities:\n  - title: Read\n    minutes: 30\n    excerpts: [start]\n    steps: [Read it.]\n",
        'key_points:\n  - "What the 2017 #MeToo campaign was about."\n  - Harm is easier to stop early.\n',
    ],
)
def test_ordinary_comments_lists_and_quoted_text_are_not_warned(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(tmp_path, body, capsys)
    assert code == 0 and lines == []


def test_a_comma_inside_braces_says_to_quote_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "keywords:\n  - {term: sexism, definition: treating people unfairly, because of their sex}\n"
    code, lines = check(tmp_path, body, capsys)
    assert code == 1
    assert lines == [
        "traps.yaml:10:58: error: unknown key 'because of their sex'; a comma inside { } starts a new key: if it "
        'is part of the value before it, put that value in quotes (definition: "…, …")'
    ]


def _traps(name: str, text: str) -> list[str]:
    loaded, problems = source.parse(name, text)
    assert loaded is not None, problems
    return [str(w) for w in loaded.warnings] + [f"{name}: bare key {k}" for k in loaded.bare_keys]


def test_the_shipped_packs_have_no_trap() -> None:
    for spec in sorted((ROOT / "packs").glob("*.yaml")):
        assert _traps(spec.name, spec.read_text(encoding="utf-8")) == []


def test_the_readmes_examples_have_no_trap() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks
    for i, block in enumerate(blocks):
        loaded, _ = source.parse(f"README block {i}", block)
        if loaded is not None:
            assert _traps(f"README block {i}", block) == []
