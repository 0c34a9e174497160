"""The model the writers render: a small, closed, backend-neutral tree, a print edition's Document or the Deck."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never

Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class PageSize:
    width_mm: float
    height_mm: float
    media: str  # the name printers know it by (CUPS 'media=')


# Every paper size a document can have: the one place they are defined.
PAPER: dict[Paper, PageSize] = {
    "a4": PageSize(210.0, 297.0, "A4"),
    "letter": PageSize(215.9, 279.4, "Letter"),
}
# The pupils' handout and the teacher's edition (each a Document), and the deck for the board (a Deck).
PrintEdition = Literal["student", "teacher"]
Edition = Literal["student", "teacher", "slides"]
Variant = Literal["standard", "large-print"]
# The most words a slide shows (its title and citations aside), by variant: what the deck's writer
# shares text out by, and what a question's slide with its extract is composed within.
SLIDE_WORDS: dict[Variant, int] = {"standard": 90, "large-print": 60}
# content-note: before an extract (kept with it); summary-note: the cover's; teacher-note: teacher
# only; key-info: for pupils, a box of keywords or of what to remember.
CalloutKind = Literal["content-note", "summary-note", "teacher-note", "key-info"]
ParagraphStyle = Literal["body", "small"]
# What a slide is for, in the order a lesson shows them (an activity's learning cycle: its
# explanation, each check for understanding and its answer, its steps and reading, then feedback):
# the writer sets each kind's text at its size (a question larger than body text, an extract in
# reading type).
SlideKind = Literal[
    "title",
    "summary-note",
    "keywords",
    "explain",
    "check",
    "check-answer",
    "activity",
    "quiz",
    "answers",
    "content-note",
    "extract",
    "question",
    "feedback",
    "remember",
    "support",
]


@dataclass(frozen=True)
class Span:
    """A run of text with inline emphasis. Text is always literal (never markup)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class TitleBlock:
    """The opening of a document: its title (the document's first bookmark), the edition's label,
    a subtitle line, and labelled lines to fill in (Name / Class / Date) where the edition has them."""

    title: str
    label: str
    subtitle: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is a chapter, 2 a section, 3 a sub-section.

    Headings become PDF bookmarks and DOCX Heading styles.
    """

    level: Literal[1, 2, 3]
    text: str


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    style: ParagraphStyle = "body"


@dataclass(frozen=True)
class Quote:
    """A verified excerpt from a seed, printed with its citation directly below it."""

    paragraphs: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class Callout:
    """A boxed note. `content-note` notes are kept on the same page as the block after them."""

    kind: CalloutKind
    title: str
    paragraphs: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list. Each numbered list starts again at `start`."""

    items: tuple[tuple[Span, ...], ...]
    numbered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A simple grid: the first row is a header when `header` is true.

    `widths` are relative column widths (they are scaled to the text width).
    """

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    header: bool = True


@dataclass(frozen=True)
class WritingSpace:
    """Ruled lines for a student to write on."""

    lines: int


@dataclass(frozen=True)
class AnswerBox:
    """An empty box `lines` writing lines tall, for drawing, mapping or notes."""

    lines: int


@dataclass(frozen=True)
class AnswerTable:
    """A ruled table to fill in: a heading row, then `rows` empty rows a writing line tall."""

    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question, after a tick box. `correct` is marked only in an
    answer key (a pupil's copy has no answer mark anywhere)."""

    label: str  # "A"
    text: str
    correct: bool = False


@dataclass(frozen=True)
class QuizQuestion:
    """A quiz question. `answer` is the right choice's label, for a writer whose readers check their
    own answers on screen (the web edition); no printed pupil's copy shows it."""

    number: int
    text: str
    choices: tuple[Choice, ...]
    answer: str = ""


@dataclass(frozen=True)
class Quiz:
    """Multiple-choice questions, each choice with a tick box."""

    questions: tuple[QuizQuestion, ...]


@dataclass(frozen=True)
class KeepTogether:
    """Blocks kept on one page (a question and its writing space). A group inside is a part that
    is kept whole in its turn. A `firm` group moves to the next page whole when it does not fit
    (it is split, between its parts first, only when taller than a page); a group that is not firm
    is split between its parts rather than leave the page before less than 40% full."""

    blocks: tuple[Block, ...]
    firm: bool = True


@dataclass(frozen=True)
class PageBreak:
    pass


Block = (
    TitleBlock
    | Heading
    | Paragraph
    | Quote
    | Callout
    | ListBlock
    | Table
    | WritingSpace
    | AnswerBox
    | AnswerTable
    | Quiz
    | KeepTogether
    | PageBreak
)


@dataclass(frozen=True)
class Document:
    """One edition of one pack, ready for any writer."""

    title: str
    subject: str
    header: str
    lang: str
    paper: Paper
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    author: str = "lessonpack"
    keywords: tuple[str, ...] = ()
    # Footer wording with {page} and {pages} placeholders, e.g. "Page {page} of {pages}".
    page_label: str = "Page {page} of {pages}"
    # Large print: at least 16 pt body text, 1.5 line spacing, no italics, left aligned.
    large_print: bool = False


@dataclass(frozen=True)
class Slide:
    """One slide of a deck: its title, the blocks on it (what the class sees), and its speaker notes
    (what only the teacher sees). A writer continues blocks that do not fit on further slides."""

    kind: SlideKind
    title: str
    blocks: tuple[Block, ...] = ()
    notes: tuple[tuple[Span, ...], ...] = ()


@dataclass(frozen=True)
class Deck:
    """The slides of one pack, ready for the deck's writers (the PPTX for the board, the slides
    printed for the teacher): not a Document, so no page writer is given one, and no slide holds
    another."""

    title: str
    subject: str
    header: str  # over each printed page of slides
    lang: str
    paper: Paper  # of the printed slides
    slides: tuple[Slide, ...] = ()
    author: str = "lessonpack"
    keywords: tuple[str, ...] = ()
    # Under each printed page of slides, with {page} and {pages} placeholders.
    page_label: str = "Page {page} of {pages}"
    large_print: bool = False
    # Added to the title of a slide that continues the one before it.
    continued_label: str = "(continued)"
    # Under each slide of a printed deck, with {slide} and {slides} placeholders.
    slide_label: str = "Slide {slide} of {slides}"


def plain(spans: tuple[Span, ...]) -> str:
    """The text of a run of spans, without emphasis."""
    return "".join(s.text for s in spans)


def spans(text: str) -> tuple[Span, ...]:
    """A single plain span."""
    return (Span(text),)


def _dump_block(block: Block, indent: str, out: list[str]) -> None:
    match block:
        case TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
            out.append(f"{indent}# {title}")
            out.append(f"{indent}[{label}] {subtitle}")
            if fields:
                out.append(f"{indent}[fields: {', '.join(fields)}]")
        case Heading(level=level, text=text):
            out.append(f"{indent}{'#' * level} {text}")
        case Paragraph(spans=sp, style=style):
            out.append(f"{indent}P[{style}] {_dump_spans(sp)}")
        case Quote(paragraphs=paras, citation=citation):
            for p in paras:
                out.append(f"{indent}> {p}")
            out.append(f"{indent}> -- {citation}")
        case Callout(kind=kind, title=title, paragraphs=callout_paras):
            out.append(f"{indent}[{kind}] {title}")
            for sp in callout_paras:
                out.append(f"{indent}  | {_dump_spans(sp)}")
        case ListBlock(items=items, numbered=numbered, start=start):
            for i, item in enumerate(items, start):
                bullet = f"{i}." if numbered else "-"
                out.append(f"{indent}{bullet} {_dump_spans(item)}")
        case Table(rows=rows):
            for row in rows:
                out.append(f"{indent}| " + " | ".join(row) + " |")
        case WritingSpace(lines=lines):
            out.append(f"{indent}[writing space: {lines} lines]")
        case AnswerBox(lines=lines):
            out.append(f"{indent}[answer box: {lines} lines]")
        case AnswerTable(columns=columns, rows=rows):
            out.append(f"{indent}[answer table: {' | '.join(columns)} × {rows} rows]")
        case Quiz(questions=questions):
            for q in questions:
                answer = f" (answer: {q.answer})" if q.answer else ""
                out.append(f"{indent}{q.number}. {q.text}{answer}")
                for c in q.choices:
                    out.append(f"{indent}  [{'x' if c.correct else ' '}] {c.label}. {c.text}")
        case KeepTogether(blocks=blocks, firm=firm):
            out.append(f"{indent}[keep together{'' if firm else ', split rather than under-fill'}]")
            for b in blocks:
                _dump_block(b, indent + "  ", out)
        case PageBreak():
            out.append(f"{indent}---- page break ----")
        case _ as unreachable:
            assert_never(unreachable)


def _dump_spans(sp: tuple[Span, ...]) -> str:
    parts = []
    for span in sp:
        t = span.text
        if span.bold:
            t = f"**{t}**"
        if span.italic:
            t = f"_{t}_"
        parts.append(t)
    return "".join(parts)


def _dump_slide(slide: Slide, out: list[str]) -> None:
    out.append(f"==== slide [{slide.kind}] {slide.title}")
    for b in slide.blocks:
        _dump_block(b, "  ", out)
    for sp in slide.notes:
        out.append(f"  notes: {_dump_spans(sp)}")


def dump(composed: Document | Deck) -> str:
    """A stable text outline of a document or a deck, for golden tests and debugging."""
    kind = "document" if isinstance(composed, Document) else "deck"
    out = [
        f"{kind}: {composed.title} ({composed.paper}, {composed.lang})",
        f"header: {composed.header}",
        f"subject: {composed.subject}",
        f"author: {composed.author}",
        f"keywords: {', '.join(composed.keywords)}",
        f"print: {'large print' if composed.large_print else 'standard'}",
    ]
    match composed:
        case Document(page_label=page, blocks=blocks):
            out.append(f"labels: page {page!r}")
            for block in blocks:
                _dump_block(block, "", out)
        case Deck(page_label=page, continued_label=continued, slide_label=slide_label, slides=slides):
            out.append(f"labels: page {page!r}, continued {continued!r}, slide {slide_label!r}")
            for slide in slides:
                _dump_slide(slide, out)
        case _ as unreachable:
            assert_never(unreachable)
    return "\n".join(out) + "\n"


def dump_blocks(blocks: tuple[Block, ...]) -> str:
    """The outline of some blocks, as dump() prints them."""
    out: list[str] = []
    for block in blocks:
        _dump_block(block, "", out)
    return "\n".join(out) + "\n"
