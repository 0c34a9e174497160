"""The web edition read back as HTML: one self-contained file, the same bytes every build,
semantic and in the print edition's reading order, quizzes that can check themselves, and the
teacher's parts only in the teacher edition. (tests/test_html_browser.py runs it in Chromium.)"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.model import (
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Choice,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
    plain,
    spans,
)
from generator.runners.build import Builder, Project, Report
from generator.writers import BY_NAME, fonts
from generator.writers.html import render
from generator.writers.html.webfonts import TYPED
from tests.htmltree import Element, parse

ROOT = Path(__file__).resolve().parent.parent
HTML = BY_NAME["html"]
HELD_OUT = ROOT / "tests" / "web" / "held-out.yaml"
SPECS = sorted(p for p in (ROOT / "packs").glob("*.yaml") if not p.name.endswith(".printset.yaml")) + [HELD_OUT]

Edition = tuple[str, str, str]  # (spec stem, edition, variant)


def _documents(spec: Path, variant: str) -> dict[str, Document]:
    """The documents a build renders for a spec (Builder.compose, as Builder.render uses it)."""
    builder = Builder(Project(ROOT), variant=variant)  # type: ignore[arg-type]
    lesson, found, problems = builder.check(spec)
    assert lesson is not None and found is not None, [str(p) for p in problems]
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    documents = {e: builder.compose(lesson, found, e) for e in HTML.editions}
    printed: dict[str, Document] = {e: d for e, d in documents.items() if isinstance(d, Document)}
    assert printed.keys() == documents.keys()  # the web edition writes print editions only
    return printed


@pytest.fixture(scope="module")
def editions(
    shipped_build: tuple[Path, Report], shipped_large_print_build: tuple[Path, Report]
) -> dict[Edition, tuple[Document, str]]:
    """Every shipped pack's and the held-out spec's web editions, standard and large print: each
    document as composed, with the page the session's build wrote for it (tests/conftest.py), or
    for the held-out spec, which that build does not have, the page rendered here."""
    reports = {"standard": shipped_build[1], "large-print": shipped_large_print_build[1]}
    out: dict[Edition, tuple[Document, str]] = {}
    for spec in SPECS:
        for variant in ("standard", "large-print"):
            paths = reports[variant].paths.get(spec.stem, {})
            pages: dict[str, Path] = {e: p for (e, f), p in paths.items() if f == "html"}
            for edition, document in _documents(spec, variant).items():
                page = pages[edition].read_bytes() if pages else render(document)
                out[(spec.stem, edition, variant)] = (document, page.decode("utf-8"))
    assert sum(spec.stem in r.paths for spec in SPECS for r in reports.values()) == 2 * (len(SPECS) - 1)
    return out


def _each(editions: dict[Edition, tuple[Document, str]]) -> Iterator[tuple[Edition, Document, Element, str]]:
    for key, (document, text) in editions.items():
        yield key, document, parse(text), text


# -- 1. one self-contained file ------------------------------------------------------------------


def test_every_pack_builds_both_web_editions_by_default(
    shipped_build: tuple[Path, Report], shipped_large_print_build: tuple[Path, Report]
) -> None:
    """The session's builds of every shipped pack with the default formats, standard and large print."""
    for (out, report), tail in ((shipped_build, ""), (shipped_large_print_build, "-large-print")):
        assert report.failed == [] and report.paths
        for pack_id, paths in report.paths.items():
            teacher = paths[("teacher", "html")]
            pupils = paths[("student", "html")]
            assert teacher.name == f"{pack_id}-teacher{tail}.html"
            # An adult pack's pupils' edition is the participants'.
            assert pupils.name in (f"{pack_id}-student{tail}.html", f"{pack_id}-participant{tail}.html")
            assert teacher.read_bytes().startswith(b"<!DOCTYPE html>") and pupils.stat().st_size > 10_000
        assert (out / "staff-allyship-training" / f"staff-allyship-training-participant{tail}.html").exists()


REFERENCES = {"src", "href", "action", "poster", "srcset", "formaction", "xlink:href", "background", "cite"}


def test_nothing_is_fetched_from_anywhere(editions: dict[Edition, tuple[Document, str]]) -> None:
    for key, _, tree, text in _each(editions):
        assert "<link" not in text and "@import" not in text and "<iframe" not in text, key
        for element in tree.iter():
            for attr in REFERENCES & set(element.attrs):
                value = element.attrs[attr]
                assert value.startswith("#") or value.startswith("data:"), (key, element.tag, attr, value)
        script = "".join(s.text() for s in tree.iter("script"))
        for call in ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(", "Worker("):
            assert call not in script, (key, call)
        for url in re.findall(r"url\(([^)]*)\)", text):
            assert url.startswith("data:"), (key, url[:40])
        policy = next(m for m in tree.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in policy.attrs["content"] and "connect-src" not in policy.attrs["content"]
        # The only scripts are inline; the style and script are the ones the policy lets run.
        assert all("src" not in s.attrs for s in tree.iter("script"))
        for tag in ("style", "script"):
            for element in tree.iter(tag):
                if element.attrs.get("type") == "application/json":
                    continue
                digest = base64.b64encode(hashlib.sha256(element.text().encode()).digest()).decode()
                assert f"'sha256-{digest}'" in policy.attrs["content"], (key, tag)


def _faces(text: str) -> list[tuple[str, set[int], int]]:
    """Each @font-face's family, the characters its font has, and its number of glyphs."""
    found = []
    for family, data in re.findall(r'font-family:"([^"]+)"[^}]*?url\(data:font/woff2;base64,([^)]+)\)', text):
        raw = base64.b64decode(data)
        assert raw[:4] == b"wOF2"
        font = TTFont(io.BytesIO(raw))
        found.append((family, set(font.getBestCmap()), len(font.getGlyphOrder())))
    return found


def test_fonts_are_atkinson_subset_to_the_page_as_woff2(editions: dict[Edition, tuple[Document, str]]) -> None:
    full = len(fonts.main_coverage())
    for key, _, tree, text in _each(editions):
        faces = _faces(text)
        assert {f for f, _, _ in faces} >= {"Atkinson Hyperlegible"}, key
        body = tree.find("body")
        assert body is not None
        used = {ord(c) for c in body.text() if not c.isspace()}
        drawn = set().union(*(codes for _, codes, _ in faces))
        assert used <= drawn, (key, sorted(chr(c) for c in used - drawn))
        # Exactly the page's characters and what a pupil may type (ASCII, Latin-1, common punctuation).
        typed = {ord(c) for c in TYPED}
        for family, codes, _ in faces:
            if family == "Atkinson Hyperlegible":
                assert codes - {0x20, 0xA0} == (used | typed) & fonts.main_coverage() - {0x20, 0xA0}, key
                assert len(codes) < full * 0.5, (key, len(codes), full)  # a subset, not the whole font
            else:
                assert codes <= used | {0x20, 0xA0} and not codes & fonts.main_coverage() - {0x20, 0xA0}, key


def test_characters_atkinson_lacks_come_from_a_noto_sans_subset(editions: dict[Edition, tuple[Document, str]]) -> None:
    # The held-out spec's teacher note has Welsh ŵ and ŷ, which Atkinson Hyperlegible cannot draw.
    document, text = editions[("held-out", "teacher", "standard")]
    faces = {f: codes for f, codes, _ in _faces(text)}
    assert "ŵ" in text and ord("ŵ") in faces["Noto Sans"] and ord("ŵ") not in faces["Atkinson Hyperlegible"]
    assert "Noto Sans" not in {f for f, _, _ in _faces(editions[("start-a-conversation", "student", "standard")][1])}


def test_the_same_bytes_every_build(editions: dict[Edition, tuple[Document, str]], tmp_path: Path) -> None:
    """A build in a fresh process (nothing cached from this one) writes the same pages as the
    session's build and this process's rendering of the held-out spec (the `editions` fixture)."""
    spec = ROOT / "packs" / "bystander-to-ally.yaml"
    out = tmp_path / "fresh"
    cmd = [sys.executable, "-m", "generator", "build", str(spec), str(HELD_OUT), "--out", str(out)]
    cmd += ["--formats", "html", "--jobs", "1"]  # one process (test_batch compares with workers)
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 4
    for page in pages:
        stem, edition = page.parent.name, page.stem.removeprefix(f"{page.parent.name}-")
        edition = "student" if edition == "participant" else edition
        assert page.read_text(encoding="utf-8") == editions[(stem, edition, "standard")][1], page.name


# -- 2. semantic and navigable --------------------------------------------------------------------


def _main_text(tree: Element) -> str:
    """The words of the lesson as read: main without its contents list."""
    main = tree.find("main")
    assert main is not None

    def words(e: Element) -> str:
        if e.tag == "nav" or e.attrs.get("aria-hidden") == "true":
            return ""
        return "".join(c if isinstance(c, str) else words(c) for c in e.children)

    return " ".join(words(main).split())


def test_page_semantics(editions: dict[Edition, tuple[Document, str]]) -> None:
    for key, document, tree, _ in _each(editions):
        html = tree.find("html")
        assert html is not None and html.attrs["lang"] == document.lang == "en-GB"
        title = tree.find("title")
        assert title is not None and document.title in title.words()
        assert len(list(tree.iter("h1"))) == 1
        h1 = tree.find("h1")
        assert h1 is not None and h1.words() == document.title
        for landmark in ("header", "nav", "main", "footer"):
            assert len(list(tree.iter(landmark))) == 1, (key, landmark)
        levels = [int(e.tag[1]) for e in tree.iter() if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (key, levels)
        ids = {e.attrs["id"] for e in tree.iter() if "id" in e.attrs}
        assert len(ids) == len([e for e in tree.iter() if "id" in e.attrs]), (key, "ids are unique")
        nav = tree.find("nav")
        assert nav is not None
        links = [a.attrs["href"][1:] for a in nav.iter("a")]
        assert links and set(links) <= ids
        chapters = [e.attrs["id"] for e in tree.iter("h2") if e.attrs["id"] != "contents"]
        assert set(chapters) <= set(links), key
        for ref in (
            r
            for e in tree.iter()
            for a in ("for", "aria-describedby", "aria-labelledby")
            for r in e.attrs.get(a, "").split()
        ):
            assert ref in ids, (key, ref)


def _flat(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for b in blocks:
        if isinstance(b, KeepTogether):
            yield from _flat(b.blocks)
        else:
            yield b


def test_extracts_tables_quizzes_and_answers(editions: dict[Edition, tuple[Document, str]]) -> None:
    for key, document, tree, _ in _each(editions):
        blocks = list(_flat(document.blocks))
        quotes = [b for b in blocks if isinstance(b, Quote)]
        figures = [f for f in tree.iter("figure") if "extract" in f.classes]
        assert len(figures) == len(quotes) > 0, key
        for quote, figure in zip(quotes, figures, strict=True):
            blockquote, caption = figure.find("blockquote"), figure.find("figcaption")
            assert blockquote is not None and caption is not None
            assert blockquote.words() == " ".join(" ".join(quote.paragraphs).split())
            assert caption.words() == " ".join(quote.citation.split())
        tables = [b for b in blocks if isinstance(b, Table)]
        shown = [t for t in tree.iter("table") if "answer-table" not in t.classes]
        assert len(shown) == len(tables), key
        for table, element in zip(tables, shown, strict=True):
            assert [th.words() for th in element.iter("th")] == [" ".join(c.split()) for c in table.rows[0]]
            assert all(th.attrs.get("scope") == "col" for th in element.iter("th"))
        questions = [q for b in blocks if isinstance(b, Quiz) for q in b.questions]
        fieldsets = [f for f in tree.iter("fieldset") if "quiz" in f.classes]
        assert len(fieldsets) == len(questions), key
        labels = {lab.attrs["for"]: lab for lab in tree.iter("label") if "for" in lab.attrs}
        for q, fs in zip(questions, fieldsets, strict=True):
            legend = fs.find("legend")
            assert legend is not None and " ".join(q.text.split()) in legend.words()
            radios = list(fs.iter("input"))
            assert [r.attrs["type"] for r in radios] == ["radio"] * len(q.choices)
            assert len({r.attrs["name"] for r in radios}) == 1
            for choice, radio in zip(q.choices, radios, strict=True):
                assert " ".join(choice.text.split()) in labels[radio.attrs["id"]].words()
        # Room to answer: a labelled text area as many rows tall as the spec's lines.
        spaces = [b for b in blocks if isinstance(b, WritingSpace | AnswerBox)]
        areas = [t for t in tree.iter("textarea") if not any("answer-table" in a.classes for a in t.ancestors())]
        assert [int(t.attrs["rows"]) for t in areas] == [s.lines for s in spaces], key
        assert all(t.attrs["id"] in labels for t in areas)
        grids = [b for b in blocks if isinstance(b, AnswerTable)]
        answer_tables = [t for t in tree.iter("table") if "answer-table" in t.classes]
        assert len(grids) == len(answer_tables)
        for grid, element in zip(grids, answer_tables, strict=True):
            assert [th.words() for th in element.iter("th")] == list(grid.columns)
            cells = list(element.iter("textarea"))
            assert len(cells) == grid.rows * len(grid.columns) and all(c.attrs.get("aria-label") for c in cells)
        if key[1] == "student":
            assert spaces or grids, key  # every pupils' edition has somewhere to answer


def _texts(block: Block) -> Iterator[str]:
    """The words of a block, in the order the print writers set them."""
    match block:
        case TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
            yield from (label, title, subtitle, *fields)
        case Heading(text=text):
            yield text
        case Paragraph(spans=sp):
            yield plain(sp)
        case Quote(paragraphs=paras, citation=citation):
            yield from (*paras, citation)
        case Callout(title=title, paragraphs=paras):
            yield from (title, *(plain(p) for p in paras))
        case ListBlock(items=items):
            yield from (plain(i) for i in items)
        case Table(rows=rows):
            yield from (c for r in rows for c in r)
        case AnswerTable(columns=columns):
            yield from columns
        case Quiz(questions=questions):
            for q in questions:
                yield q.text
                yield from (c.text for c in q.choices)
        case KeepTogether(blocks=inner):
            for b in inner:
                yield from _texts(b)
        case _:
            pass


def test_everything_printed_is_there_in_the_print_order(editions: dict[Edition, tuple[Document, str]]) -> None:
    """Every text of the edition's document, in the order the PDF and DOCX print it."""
    for key, document, tree, _ in _each(editions):
        text = _main_text(tree)
        at = 0
        for block in document.blocks:
            for piece in _texts(block):
                piece = " ".join(piece.split())
                if not piece:
                    continue
                found = text.find(piece, at)
                assert found >= 0, (key, piece[:80], text[at : at + 200])
                at = found + len(piece)


def test_notes_come_before_their_extract_and_support_is_last(editions: dict[Edition, tuple[Document, str]]) -> None:
    for key, _, tree, _ in _each(editions):
        main = tree.find("main")
        assert main is not None
        order = [e for e in main.iter() if "callout" in e.classes or "extract" in e.classes or e.tag == "h2"]
        for i, e in enumerate(order):
            if "content-note" in e.classes:
                # Only other notes on the same extract come between a note and its extract.
                after = next(x for x in order[i + 1 :] if "content-note" not in x.classes)
                assert "extract" in after.classes, (key, e.words()[:60])
                nxt = e.parent.elements() if e.parent else []
                assert nxt[nxt.index(e) + 1].classes[:1] in (["callout"], ["extract"]), key
        summary = [i for i, e in enumerate(order) if "summary-note" in e.classes]
        first_extract = next(i for i, e in enumerate(order) if "extract" in e.classes)
        assert all(i < first_extract for i in summary), key
        chapters = [e for e in main.iter("h2")]
        assert chapters[-1].words() in ("Where to get help", "Where to get support"), (key, chapters[-1].words())


# -- 4. quizzes that check themselves; the teacher's parts only for the teacher ---------------------


def test_quizzes_carry_their_answer_and_only_the_teacher_sees_it(
    editions: dict[Edition, tuple[Document, str]],
) -> None:
    for key, document, tree, text in _each(editions):
        questions = [q for b in _flat(document.blocks) if isinstance(b, Quiz) for q in b.questions]
        fieldsets = [f for f in tree.iter("fieldset") if "quiz" in f.classes]
        for q, fs in zip(questions, fieldsets, strict=True):
            assert fs.attrs["data-answer"] == q.answer and q.answer in {c.label for c in q.choices}
            marks = [c for c in fs.iter("div") if "choice" in c.classes and c.find("strong") is not None]
            if key[1] == "teacher":
                assert [m.words()[:1] for m in marks] == [q.answer], key
            else:
                assert marks == [] and not any(c.correct for c in q.choices), key
        teacher_notes = [e for e in tree.iter("div") if "teacher-note" in e.classes]
        if key[1] == "teacher":
            assert teacher_notes, key
            if questions:
                assert any("Answer key" in n.words() for n in teacher_notes), key
        else:
            assert teacher_notes == [] and "Answer key" not in text, key


# -- 3 and 5. settings, no-script reading, print styles (behaviour: test_html_browser.py) -----------


def test_settings_panel_and_styles_for_each_reader(editions: dict[Edition, tuple[Document, str]]) -> None:
    for key, _, tree, text in _each(editions):
        tools = next(e for e in tree.iter() if e.attrs.get("id") == "tools")
        assert "hidden" in tools.attrs  # without script the page reads and prints, and offers nothing it cannot do
        selects = [s.attrs["id"] for s in tools.iter("select")]
        assert selects == ["set-size", "set-line", "set-letter", "set-theme", "set-font"], key
        labels = {lab.attrs.get("for") for lab in tools.iter("label")}
        assert set(selects) <= labels
        theme = next(s for s in tools.iter("select") if s.attrs["id"] == "set-theme")
        assert [o.attrs["value"] for o in theme.iter("option")] == ["auto", "white", "cream", "dark"]
        assert tree.find("noscript") is not None
        for needed in (
            "prefers-color-scheme: dark",
            "prefers-reduced-motion",
            "@media print",
            ":focus-visible",
            "localStorage",
        ):
            assert needed in text, (key, needed)
        # Printing leaves out the settings panel and the buttons.
        assert re.search(r"@media print \{.*?\.banner \.tools[^{]*\{ display: none", text, re.S), key
        html = tree.find("html")
        assert html is not None and (html.attrs.get("data-variant") == "large") == (key[2] == "large-print")
        if key[2] == "large-print":  # no italics in large print: none set, and no italic font sent
            assert tree.find("em") is None and "font-style:italic" not in text, key


# -- the writer on its own: every block, text never markup ----------------------------------------


def test_every_block_type_renders_and_text_is_never_markup() -> None:
    evil = '<script>alert("x")</script> & <b>bold</b>'
    choices = (Choice("A", evil), Choice("B", "two", correct=True))
    blocks: tuple[Block, ...] = (
        Heading(2, evil),  # before the title: its level is still kept in order
        TitleBlock(evil, "Label", "Sub", ("Name",)),
        Heading(3, "Deep"),
        Paragraph((Span(evil, bold=True, italic=True),), "small"),
        Quote((evil,), evil),
        Callout("content-note", evil, (spans(evil),)),
        Callout("key-info", "", (spans("untitled"),)),
        ListBlock((spans(evil),), numbered=True, start=3),
        Table(((evil, "b"), ("c", "d")), (1.0, 1.0), header=False),
        WritingSpace(3),
        AnswerBox(5),
        AnswerTable((evil, "Why"), 2),
        Quiz((QuizQuestion(1, evil, choices, "B"),)),
        KeepTogether((PageBreak(),)),
        TitleBlock("Second title", "", ""),
    )
    document = Document(evil, evil, evil, "en-GB", "a4", blocks)
    text = render(document).decode("utf-8")
    assert "<script>alert" not in text and "<b>bold" not in text and "&lt;script&gt;" in text
    tree = parse(text)
    assert len(list(tree.iter("h1"))) == 1 and tree.find("ol") is not None
    main = tree.find("main")
    assert main is not None
    assert [o.attrs.get("start") for o in main.iter("ol") if all(a.tag != "nav" for a in o.ancestors())][:1] == ["3"]
    assert [len(list(tree.iter(t))) for t in ("figure", "fieldset", "textarea")] == [1, 1, 2 + 4]
    assert render(document) == text.encode("utf-8")
    # A document with no title block still has its one h1: the document's title.
    bare = parse(render(Document("Bare", "s", "h", "cy", "a4", (Paragraph(spans("x")),))).decode("utf-8"))
    h1 = bare.find("h1")
    assert h1 is not None and h1.words() == "Bare"
    assert bare.find("html").attrs["lang"] == "cy"  # type: ignore[union-attr]
