"""Typographic quotes, apostrophes and dashes in everything a pack prints, except the quoted seed
text, which is printed exactly as the essay has it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Block, Callout, KeepTogether, ListBlock, Paragraph, Quote, Table, TitleBlock, plain
from generator.readers.typography import typographic
from generator.runners.build import Builder, Project, find_specs

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs([ROOT / "packs"])


@pytest.mark.parametrize(
    "typed,printed",
    [
        ("anyone's ideas", "anyone’s ideas"),
        ('He said "hi" -- then left...', "He said “hi” – then left…"),
        ("'Safe spaces' matter.", "‘Safe spaces’ matter."),
        ("'Magnitude' means size", "‘Magnitude’ means size"),
        ("pupils' own", "pupils’ own"),
        ("spaces - places", "spaces – places"),
        ("well-known, 7-9", "well-known, 7-9"),  # a hyphen in a word or range stays
        ("<b>AT&T</b> {{ 7*7 }} 3 < 4", "<b>AT&T</b> {{ 7*7 }} 3 < 4"),  # markup and syntax as typed
        ("“already curly” don’t", "“already curly” don’t"),
    ],
)
def test_typed_text_becomes_typographic(typed: str, printed: str) -> None:
    assert typographic(typed) == printed


def _texts(blocks: tuple[Block, ...], sources: str) -> list[str]:
    """Every printed text but the quoted seed text (quotes, their citations and the sources table)."""
    out: list[str] = []
    for b in blocks:
        match b:
            case TitleBlock(title=title, label=label, subtitle=subtitle):
                out += [title, label, subtitle]
            case Paragraph(spans=sp):
                out.append(plain(sp))
            case Callout(title=title, paragraphs=paras):
                out += [title, *(plain(p) for p in paras)]
            case ListBlock(items=items):
                out += [plain(i) for i in items]
            case Table(rows=rows) if rows[0][0] != sources:
                out += [cell for row in rows for cell in row]
            case KeepTogether(blocks=inner):
                out += _texts(inner, sources)
            case Quote():
                pass  # the essay's own words, as it has them
    return out


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_shipped_pack_prints_typographic_quotes_outside_the_essays_words(spec: Path) -> None:
    builder = Builder(Project(ROOT))
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, [str(p) for p in problems]
    sources = builder.wording.env.get_template("labels.j2").module.source_columns[0]  # type: ignore[attr-defined]
    for edition in ("student", "teacher"):
        document = builder.compose(lesson, found, edition)
        for text in _texts(document.blocks, sources):
            assert "'" not in text and '"' not in text, (spec.stem, edition, text)


def test_quoted_seed_text_keeps_its_own_straight_quotes(tmp_path: Path) -> None:
    """valor-prevention writes "Weinstein's" with a straight apostrophe; so does its quote."""
    from generator.readers import source, spec
    from generator.readers.corpus import load_corpus

    corpus, _ = load_corpus(ROOT / "seeds")
    text = (
        "title: It's a test\naudience: {ages: 16-18}\nduration: 30\nexcerpts:\n  - id: one\n"
        "    seed: valor-prevention\n    intro: The writer's opening.\n"
        '    quote: "we are once again reminded that we have a long way to go"\n'
    )
    loaded, _ = source.load_text("t.yaml", text)
    assert loaded is not None
    lesson, problems = spec.validate(loaded, corpus, "t")
    assert lesson is not None, [str(p) for p in problems]
    assert lesson.spec.title == "It’s a test" and lesson.excerpts[0].intro == "The writer’s opening."
    assert lesson.excerpts[0].essay.title.startswith("What Harvey Weinstein's")  # the seed's, untouched


ESCAPES = 'Type \\" and \\- and \\. and \\\\ as they are.'  # backslash-quote, -dash, -dot, two backslashes


def test_backslashes_print_as_typed_never_as_html_entities() -> None:
    assert typographic(ESCAPES) == "Type \\” and \\- and \\. and \\\\ as they are."
    assert "&#" not in typographic("\\'a\\' \\` \\--- \\...")


def test_backslashes_print_as_typed_in_the_pdf_and_docx(tmp_path: Path) -> None:
    import zipfile
    from io import BytesIO

    from pypdf import PdfReader

    from generator.writers import BY_NAME

    spec = tmp_path / "escapes.yaml"
    spec.write_text(
        "title: Escapes\naudience: {ages: 14-16}\nduration: 30\n"
        f"summary: '{ESCAPES}'\n"
        "excerpts:\n  - {id: a, seed: no-going-back,\n"
        "     quote: Bringing the subject to attention is the starting point.}\n",
        encoding="utf-8",
    )
    builder = Builder(Project(ROOT), formats=(BY_NAME["pdf"], BY_NAME["docx"]))
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, problems
    files = builder.render(lesson, found)
    pdf = " ".join(page.extract_text() for page in PdfReader(BytesIO(files[("teacher", "pdf")])).pages)
    docx = zipfile.ZipFile(BytesIO(files[("teacher", "docx")])).read("word/document.xml").decode("utf-8")
    for text in (" ".join(pdf.split()), docx):
        assert "&#" not in text and "&amp;#" not in text
        assert "and \\- and \\. and \\\\ as they are" in text
