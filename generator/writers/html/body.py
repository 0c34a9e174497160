"""The blocks of a document as semantic HTML: headings in order, extracts as blockquotes, quizzes as
fieldsets, room to answer as labelled text areas (every block type, checked by mypy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import assert_never

from ...model import (
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
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
)


@dataclass(frozen=True)
class Entry:
    """A line of the contents list: the heading's level (2 or 3 in the page), text and anchor."""

    level: int
    text: str
    anchor: str


@dataclass
class Body:
    """Renders blocks in order, numbering ids as it goes and recording every character it writes
    (the fonts are subset to them). One Body renders one document."""

    words: dict[str, str]  # the interface's wording (interface.json)
    italic: bool = True  # large print sets italic spans upright
    chars: set[str] = field(default_factory=set)
    contents: list[Entry] = field(default_factory=list)
    titled: bool = False  # the page's one h1 has been written
    level: int = 1  # the level of the last heading written (the h1's, to begin with)
    counts: dict[str, int] = field(default_factory=dict)
    context: str = ""  # the id of the last heading or paragraph: what the next answer field is for
    has_italic: bool = False
    has_bold_italic: bool = False

    # -- helpers ----------------------------------------------------------------------------
    def text(self, value: str) -> str:
        """Literal text, escaped (never markup), its characters recorded."""
        self.chars.update(value)
        return escape(value, quote=True)

    def new_id(self, prefix: str) -> str:
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}{n}"

    def spans(self, sp: tuple[Span, ...]) -> str:
        out = []
        for s in sp:
            t = self.text(s.text)
            italic = s.italic and self.italic
            if italic:
                self.has_italic = True
                self.has_bold_italic = self.has_bold_italic or s.bold
                t = f"<em>{t}</em>"
            if s.bold:
                t = f"<strong>{t}</strong>"
            out.append(t)
        return "".join(out)

    def word(self, key: str) -> str:
        return self.text(self.words[key])

    # -- blocks -----------------------------------------------------------------------------
    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, block: Block) -> str:
        match block:
            case TitleBlock():
                return self.title_block(block)
            case Heading(level=level, text=text):
                return self.heading(level, text)
            case Paragraph(spans=sp, style=style):
                pid = self.new_id("p")
                self.context = pid
                cls = ' class="small"' if style == "small" else ""
                return f'<p id="{pid}"{cls}>{self.spans(sp)}</p>\n'
            case Quote(paragraphs=paras, citation=cite):
                inner = "".join(f"<p>{self.text(p)}</p>" for p in paras)
                return (
                    f'<figure class="extract"><blockquote>{inner}</blockquote>'
                    f"<figcaption>{self.text(cite)}</figcaption></figure>\n"
                )
            case Callout(kind=kind, title=title, paragraphs=paras):
                return self.callout(kind, title, paras)
            case ListBlock(items=items, numbered=numbered, start=start):
                tag = "ol" if numbered else "ul"
                first = f' start="{start}"' if numbered and start != 1 else ""
                lis = "".join(f"<li>{self.spans(item)}</li>" for item in items)
                return f"<{tag}{first}>{lis}</{tag}>\n"
            case Table(rows=rows, header=header):
                return self.table(rows, header)
            case WritingSpace(lines=lines):
                return self.answer(lines, "lines")
            case AnswerBox(lines=lines):
                return self.answer(lines, "box")
            case AnswerTable(columns=columns, rows=rows):
                return self.answer_table(columns, rows)
            case Quiz(questions=questions):
                return "".join(self.quiz_question(q) for q in questions)
            case KeepTogether(blocks=inner):
                return f'<div class="keep">\n{self.blocks(inner)}</div>\n'
            case PageBreak():
                return '<div class="page-break"></div>\n'
            case _ as unreachable:
                assert_never(unreachable)

    def title_block(self, block: TitleBlock) -> str:
        if self.titled:  # one h1 a page: a second opening reads as a section
            subtitle = f'<p class="subtitle">{self.text(block.subtitle)}</p>\n' if block.subtitle else ""
            return self.heading(1, block.title) + subtitle
        self.titled = True
        self.level = 1
        parts = ['<div class="cover">']
        if block.label:
            parts.append(f'<p class="edition">{self.text(block.label)}</p>')
        parts.append(f'<h1 id="top">{self.text(block.title)}</h1>')
        if block.subtitle:
            parts.append(f'<p class="subtitle">{self.text(block.subtitle)}</p>')
        if block.fields:
            parts.append('<div class="fields">')
            for name in block.fields:
                fid = self.new_id("field")
                parts.append(
                    f'<div class="field"><label for="{fid}">{self.text(name)}</label>'
                    f'<input type="text" id="{fid}" name="{fid}" data-keep autocomplete="off"></div>'
                )
            parts.append("</div>")
        parts.append("</div>\n")
        return "".join(parts)

    def heading(self, model_level: int, text: str) -> str:
        """A heading one level below the page's h1 for a chapter, never more than one level deeper
        than the heading before it (so that the order of levels has no gap)."""
        level = max(2, min(model_level + 1, self.level + 1, 6))
        self.level = level
        hid = self.new_id("s")
        self.context = hid
        if level <= 3:
            self.contents.append(Entry(level, text, hid))
        return f'<h{level} id="{hid}">{self.text(text)}</h{level}>\n'

    def callout(self, kind: str, title: str, paras: tuple[tuple[Span, ...], ...]) -> str:
        body = "".join(f"<p>{self.spans(p)}</p>" for p in paras)
        if not title:
            return f'<div class="callout {kind}" role="note">{body}</div>\n'
        tid = self.new_id("n")
        head = f'<p class="callout-title" id="{tid}"><strong>{self.text(title)}</strong></p>'
        return f'<div class="callout {kind}" role="note" aria-labelledby="{tid}">{head}{body}</div>\n'

    def table(self, rows: tuple[tuple[str, ...], ...], header: bool) -> str:
        """A table; with a header row, each cell also carries its column's name, shown only where a
        narrow screen sets the rows as cards (hidden from screen readers, which read the header)."""
        if not rows:
            return ""
        head = rows[0] if header else ()
        out = ['<div class="table"><table class="stack">' if header else '<div class="table"><table>']
        if header:
            ths = "".join(f'<th scope="col">{self.text(c)}</th>' for c in head)
            out.append(f"<thead><tr>{ths}</tr></thead>")
        out.append("<tbody>")
        for row in rows[1:] if header else rows:
            cells = []
            for i, cell in enumerate(row):
                name = self.text(head[i]) if i < len(head) else ""
                label = f'<span class="cell-label" aria-hidden="true">{name}</span>' if name else ""
                cells.append(f"<td>{label}{self.text(cell)}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>")
        out.append("</tbody></table></div>\n")
        return "".join(out)

    def answer(self, lines: int, kind: str) -> str:
        """Room to answer: a labelled text area `lines` rows tall, described by what it answers."""
        aid = self.new_id("a")
        described = f' aria-describedby="{self.context}"' if self.context else ""
        return (
            f'<div class="answer answer-{kind}"><label for="{aid}">{self.word("your_answer")}</label>'
            f'<textarea id="{aid}" name="{aid}" rows="{max(1, lines)}" data-keep{described}></textarea></div>\n'
        )

    def answer_table(self, columns: tuple[str, ...], rows: int) -> str:
        """A table to fill in: the columns as header cells, each empty cell a labelled text area."""
        tid = self.new_id("t")
        described = f' aria-describedby="{self.context}"' if self.context else ""
        ths = "".join(f'<th scope="col">{self.text(c)}</th>' for c in columns)
        body = []
        row_word = self.words["row"]
        for r in range(1, rows + 1):
            cells = []
            for c, name in enumerate(columns, 1):
                cid = f"{tid}-{r}-{c}"
                label = self.text(f"{name}, {row_word} {r}")
                cells.append(
                    f'<td><span class="cell-label" aria-hidden="true">{self.text(name)}</span>'
                    f'<textarea id="{cid}" name="{cid}" rows="1" aria-label="{label}" data-keep{described}>'
                    "</textarea></td>"
                )
            body.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f'<div class="table"><table class="stack answer-table" id="{tid}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>\n"
        )

    def quiz_question(self, q: QuizQuestion) -> str:
        """A fieldset: the question as its legend, a labelled radio button a choice, and a place for
        the script to say right or wrong (the right answer is in data-answer, shown by no style)."""
        qid = self.new_id("q")
        answer = f' data-answer="{self.text(q.answer)}"' if q.answer else ""
        parts = [
            f'<fieldset class="quiz" id="{qid}"{answer}>',
            f'<legend><span class="number">{q.number}.</span> {self.text(q.text)}</legend>',
        ]
        for i, c in enumerate(q.choices, 1):
            cid = f"{qid}-{i}"
            mark = ""
            if c.correct:
                mark = f' <strong class="key">{self.word("answer_mark")}</strong>'
            parts.append(
                f'<div class="choice{" correct" if c.correct else ""}">'
                f'<input type="radio" id="{cid}" name="{qid}" value="{self.text(c.label)}" data-keep'
                f' data-text="{self.text(c.text)}">'
                f'<label for="{cid}"><span class="letter">{self.text(c.label)}</span> {self.text(c.text)}{mark}</label>'
                "</div>"
            )
        parts.append('<p class="feedback" role="status"></p></fieldset>\n')
        return "".join(parts)


def render_body(document: Document, words: dict[str, str]) -> Body:
    """A Body that has rendered nothing yet, set for this document's variant."""
    return Body(words, italic=not document.large_print)
