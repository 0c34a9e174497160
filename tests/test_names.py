"""Internal names stay internal: `check` warns, at the word, when printed text names an essay by its
seed id, and says how the pack's citation names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPEC = """\
title: Names
audience:
  ages: AGES
duration: 30
excerpts:
  - id: start
    seed: tipping-point
    quote: We are at a tipping point.
  - id: other
    seed: valor-prevention
    quote: we are once again reminded that we have a long way to go
questions:
  - text: TEXT
    excerpts: [start]
"""


def warnings(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], ages: str = "14-16") -> list[str]:
    spec = tmp_path / "names.yaml"
    spec.write_text(SPEC.replace("TEXT", text).replace("AGES", ages), encoding="utf-8")
    assert main(["--root", str(ROOT), "check", str(spec)]) == 0
    err = capsys.readouterr().err
    return [line.replace(str(spec), "names.yaml") for line in err.splitlines() if "seed id" in line]


def test_a_seed_id_in_printed_text_is_warned_with_the_citations_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = warnings(tmp_path, "Why does the tipping-point piece call this a tipping point?", capsys)
    assert found == [
        "names.yaml:13:24: warning: ‘tipping-point’ is a seed id, a name readers never see; name the essay as "
        "its citation does: the opinion piece, October 2017"
    ]


def test_the_name_suggested_is_the_one_this_audience_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # For 9-year-olds VALOR's title (it names sexual violence) is not printed: nor is it suggested.
    found = warnings(tmp_path, "What does the valor-prevention essay ask us to do?", capsys, "9-11")
    assert len(found) == 1 and found[0].endswith("name the essay as its citation does: the essay by VALOR")
    assert "sexual violence" not in found[0]


@pytest.mark.parametrize("text", ["Why is this moment called a tipping point?", "What does VALOR want to change?"])
def test_ordinary_words_and_ids_in_id_fields_are_not_warned(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert warnings(tmp_path, text, capsys) == []
