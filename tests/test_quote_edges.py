"""Quotes look like what they are: a quote that starts or ends inside a sentence is printed with an
ellipsis there, in every format; the hardest words suggested as keywords are hard words; and
`lessonpack excerpts` offers no headings, reference lines or fragments."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pptx
import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.lesson.reading import reading
from tests.tools import body_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SPEC = """\
title: Safe Spaces
audience:
  ages: 14-16
duration: 30
excerpts:
  - id: mid
    seed: no-going-back
    quote: create ‘safe spaces’ that these conversations can be had in
  - id: whole
    seed: no-going-back
    quote: Bringing the subject to attention is the starting point.
"""
MID = "…create ‘safe spaces’ that these conversations can be had in…"
WHOLE = "Bringing the subject to attention is the starting point."


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edges")
    (folder / "edges.yaml").write_text(SPEC, encoding="utf-8")
    assert main(["--root", str(ROOT), "build", str(folder / "edges.yaml"), "--out", str(folder / "out")]) == 0
    return folder / "out" / "edges"


def texts(built: Path) -> dict[str, str]:
    found = {}
    for edition in ("student", "teacher"):
        pdf = PdfReader(str(built / f"edges-{edition}.pdf"))
        found[f"{edition}.pdf"] = flat(" ".join(p.extract_text() or "" for p in pdf.pages))
        document = docx.Document(str(built / f"edges-{edition}.docx"))
        found[f"{edition}.docx"] = flat(" ".join(p.text for p in body_paragraphs(document)))
    deck = pptx.Presentation(str(built / "edges-slides.pptx"))
    found["slides.pptx"] = flat(
        " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    )
    return found


def test_a_quote_cut_mid_sentence_is_printed_with_ellipses_in_every_format(built: Path) -> None:
    for name, text in texts(built).items():
        assert MID in text, name
        # A whole sentence gets none.
        assert WHOLE in text and f"…{WHOLE}" not in text and f"{WHOLE}…" not in text, name


def test_everyday_words_are_not_offered_as_hard_words() -> None:
    found = reading("We work together with everyone, and remember that behaviour matters in discriminative settings.")
    assert found is not None
    assert "together" not in found.hard_words and "everyone" not in found.hard_words
    assert "discriminative" in found.hard_words


def test_check_suggests_only_hard_words_as_keywords(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "check", str(ROOT / "packs" / "respectful-environment.yaml")]) == 0
    err = capsys.readouterr().err
    suggested = re.findall(r"as keywords to define: (.*)", err)
    assert suggested and not any(w in line for line in suggested for w in ("together", "behaviour"))


@pytest.mark.parametrize("seed", ["no-going-back", "metoo-and-beyond", "valor-prevention", "tipping-point"])
def test_excerpts_offers_no_headings_reference_lines_or_fragments(
    seed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(ROOT), "excerpts", seed]) == 0
    out = capsys.readouterr().out
    quotes = re.findall(r'^    quote: "(.*)"$', out, re.M)
    assert quotes
    for quote in quotes:
        assert not quote.endswith(":"), quote
        assert not re.search(r"\(\d{4}\)\.?$", quote), quote
        assert not (quote.startswith("•") and len(quote.split()) <= 8), quote
        assert len(re.findall(r"\w+", quote)) >= 3, quote
    for fragment in ("Here are a few suggestions:", "Atcheson (2018)", "• Start a Conversation."):
        assert f'"{fragment}"' not in out
