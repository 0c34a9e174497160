"""Document blocks as reportlab flowables, for one document and variant."""

from __future__ import annotations

from typing import assert_never

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable

from ...model import (
    PAPER,
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
    Table,
    TitleBlock,
    WritingSpace,
)
from .. import fonts, layout
from .flowables import Box, Keep, OutlineHeading, Part, RLParagraph, RuledBox, TickBox, WritingLines
from .styles import MAIN, Styles, colour, markup, spans_markup


class Writer:
    def __init__(self, document: Document, m: layout.Metrics | None = None) -> None:
        self.document = document
        self.m = m or layout.metrics(document.large_print)
        self.styles = Styles(self.m)
        self.top = self.top_margin()

    def flowables(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Flowables for blocks; a heading is kept on the same page as the block after it."""
        out: list[Flowable] = []
        pending: list[Flowable] = []
        for block in blocks:
            made = self.block(block)
            if isinstance(block, Heading):
                pending += made
                continue
            if pending:  # the heading stays with the block's first part (a list flows on after it)
                if made and isinstance(made[0], Keep):
                    made = [made[0].prepend(pending), *made[1:]]
                elif made:
                    k = next((i for i, f in enumerate(made) if not isinstance(f, Spacer)), len(made) - 1)
                    made = [self.keep([pending + made[: k + 1]], firm=False), *made[k + 1 :]]
                else:
                    made = pending
                pending = []
            out += made
        return out + pending

    def keep(self, parts: list[Part], firm: bool = True) -> Keep:
        return Keep(parts, self.frame_height(), firm, self.document.large_print)

    def group(self, blocks: tuple[Block, ...], firm: bool = True) -> Keep:
        """Blocks kept together: each group among them is a part of its own, the flowables between
        them parts that are never split, and a heading joined to the part after it."""
        parts: list[Part] = []
        for block in blocks:
            for f in self.block(block):
                if isinstance(f, Keep):
                    parts.append(f)
                elif parts and isinstance(parts[-1], list):
                    parts[-1].append(f)
                else:
                    parts.append([f])
        joined: list[Part] = []
        for part in parts:
            last = joined[-1] if joined else None
            if isinstance(last, list) and ends_with_heading(last):
                joined[-1] = part.prepend(last) if isinstance(part, Keep) else [*last, *part]
            else:
                joined.append(part)
        return self.keep(joined, firm)

    def block(self, block: Block) -> list[Flowable]:
        st, m = self.styles, self.m
        match block:
            case TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
                # The title and the edition's label stay together; the title is the first bookmark.
                head = [
                    OutlineHeading(markup(title), st.title, 1, title),
                    RLParagraph(markup(label, bold=True), st.label),
                ]
                return [self.keep([head]), RLParagraph(markup(subtitle), st.lead), *self.fields(fields)]
            case Heading(level=level, text=text):
                return [OutlineHeading(markup(text), st.heading[level], level, text)]
            case Paragraph(spans=sp, style=style):
                return [RLParagraph(spans_markup(sp, m), getattr(st, style))]
            case Quote(paragraphs=paras, citation=cite):
                rows = [[RLParagraph(markup(p), st.quote)] for p in paras]
                rows.append([RLParagraph(markup(cite), st.citation)])
                table = self.box(rows)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("LINEBEFORE", (0, 0), (0, -2), 2.5, colour(layout.QUOTE_RULE)),
                            ("LEFTPADDING", (0, 0), (-1, -1), 12),
                            ("TOPPADDING", (0, 0), (-1, -1), m.space(m.gaps.quote_pad)),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), m.space(m.gaps.quote_pad)),
                        ]
                    )
                )
                return [Spacer(1, m.space(m.gaps.box_above)), table, Spacer(1, m.space(m.gaps.quote_below))]
            case Callout(kind=kind, title=title, paragraphs=paras):
                fill, rule = layout.CALLOUT_COLOURS[kind]
                if len(paras) == 1 and title.strip():  # one paragraph: its title runs in
                    run_in = markup(layout.run_in(title), bold=True)
                    rows = [[RLParagraph(f"{run_in} {spans_markup(paras[0], m)}", st.boxed)]]
                else:
                    rows = [[RLParagraph(markup(title, bold=True), st.boxed)]] if title.strip() else []
                    rows += [[RLParagraph(spans_markup(p, m), st.boxed)] for p in paras]
                table = self.box(rows)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("BACKGROUND", (0, 0), (-1, -1), colour(fill)),
                            ("LINEBEFORE", (0, 0), (0, -1), 3, colour(rule)),
                            ("LEFTPADDING", (0, 0), (-1, -1), m.scaled(10)),
                            ("RIGHTPADDING", (0, 0), (-1, -1), m.scaled(8)),
                            # Padding at the box's top and foot; its paragraphs set as a list's items.
                            ("TOPPADDING", (0, 0), (-1, -1), m.space(m.gaps.note_gap)),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                            ("TOPPADDING", (0, 0), (-1, 0), m.space(m.gaps.note_pad)),
                            ("BOTTOMPADDING", (0, -1), (-1, -1), m.space(m.gaps.note_pad)),
                        ]
                    )
                )
                if kind == "content-note":  # before its extract; the cover's summary note stands alone (as in DOCX)
                    table.keepWithNext = 1
                return [Spacer(1, m.space(m.gaps.box_above)), table, Spacer(1, m.space(m.gaps.note_below))]
            case ListBlock(items=items, numbered=numbered, start=start):
                return [
                    RLParagraph(
                        spans_markup(item, m),
                        st.list,
                        bulletText=f"{n}." if numbered else "•",
                    )
                    for n, item in enumerate(items, start)
                ]
            case Table(rows=rows, widths=widths, header=header):
                return [self.table(rows, widths, header)]
            case WritingSpace(lines=lines):
                # The gap under them is space after (dropped at a page's foot, never pushing the
                # lines and their question to the next page), not a spacer.
                ruled = WritingLines(lines, m.writing_line_pt, self.frame_height())
                ruled.spaceAfter = m.space(m.gaps.writing_below)
                return [ruled]
            case AnswerBox(lines=lines):
                box = RuledBox(lines, m.writing_line_pt, self.frame_height())
                box.spaceAfter = m.space(m.gaps.box_below)
                return [box]
            case AnswerTable(columns=columns, rows=n):
                return [self.answer_table(columns, n)]
            case Quiz(questions=questions):
                return [self.quiz_question(q) for q in questions]
            case KeepTogether(blocks=inner, firm=firm):
                return [self.group(inner, firm)]
            case PageBreak():
                return [RLPageBreak()]
            case _ as unreachable:
                assert_never(unreachable)

    def fields(self, labels: tuple[str, ...]) -> list[Flowable]:
        """Labelled lines to fill in (Name / Class / Date), side by side on one line, or nothing."""
        if not labels:
            return []
        st, m = self.styles, self.m
        cells: list[Flowable | str] = []
        widths: list[float] = []
        gap = m.scaled(layout.FIELD_GAP_PT)
        lines: list[int] = []
        for i, (label, (at, line)) in enumerate(
            zip(labels, fonts.field_row(labels, st.body.fontSize, self.text_width(), gap), strict=True)
        ):
            if i:
                cells.append("")
                widths.append(gap)
            cells += [RLParagraph(markup(f"{label}:", bold=True), st.body), ""]
            widths += [at, line]
            lines.append(len(cells) - 1)
        table = RLTable([cells], colWidths=widths, hAlign="LEFT", rowHeights=[m.scaled(24)])
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        commands += [("LINEBELOW", (c, 0), (c, 0), 0.6, colour(layout.RULE_GREY)) for c in lines]
        table.setStyle(TableStyle(commands))
        return [Spacer(1, m.space(6)), table, Spacer(1, m.space(10))]

    def answer_table(self, columns: tuple[str, ...], n: int) -> RLTable:
        """A ruled table to fill in: its headings, then `n` empty rows ANSWER_ROW_LINES writing lines tall."""
        st, m = self.styles, self.m
        head = [RLParagraph(markup(c), st.cell_head) for c in columns]
        data = [head, *([""] * len(columns) for _ in range(n))]
        width = self.text_width() / len(columns)
        table = RLTable(
            data,
            colWidths=[width] * len(columns),
            rowHeights=[None, *[m.writing_line_pt * layout.ANSWER_ROW_LINES] * n],
            repeatRows=1,
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), MAIN),
                    ("GRID", (0, 0), (-1, -1), 0.6, colour(layout.RULE_GREY)),
                    ("BACKGROUND", (0, 0), (-1, 0), colour(layout.TABLE_HEADER_FILL)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        table.spaceAfter = m.space(m.gaps.box_below)
        table.room = True
        return table

    def quiz_question(self, q: QuizQuestion) -> Keep:
        """A question, then a tick box and a letter before each choice (an answer key's correct
        choice is ticked and bold). Choices short enough sit side by side, in as many columns as
        keep every choice on one line."""
        st, m = self.styles, self.m
        box = m.scaled(layout.TICK_BOX_PT)
        label = m.scaled(20)  # holds a bold 'D.' with the cell's right padding
        gap = m.scaled(8)
        width = self.text_width()
        choices = q.choices
        per_row = fonts.choices_per_row(
            [(c.text, c.correct) for c in choices], st.body.fontSize, width, box + gap + label
        )
        column = width / per_row
        rows: list[list[Flowable | str]] = []
        for start in range(0, len(choices), per_row):
            row: list[Flowable | str] = []
            for c in choices[start : start + per_row]:
                row += [
                    TickBox(box, c.correct),
                    RLParagraph(markup(f"{c.label}.", bold=c.correct), st.body),
                    RLParagraph(markup(c.text, bold=c.correct), st.body),
                ]
            row += [""] * (3 * per_row - len(row))
            rows.append(row)
        widths = [box + gap, label, column - box - gap - label] * per_row
        table = RLTable(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), MAIN),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), m.space(1)),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        question = RLParagraph(f"{markup(f'{q.number}.', bold=True)} {markup(q.text)}", st.quiz_question)
        return self.keep([[question, table, Spacer(1, m.space(m.gaps.quiz_below))]])

    def box(self, rows: list[list[Flowable]]) -> Box:
        """A one-column table of paragraphs: a quote with its citation, or a boxed note."""
        box = Box(rows, colWidths=[None], splitInRow=1, hAlign="LEFT")
        box.page_height = self.frame_height()
        return box

    def table(self, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...], header: bool) -> RLTable:
        st = self.styles
        data = [
            [RLParagraph(markup(cell), st.cell_head if header and r == 0 else st.cell) for cell in row]
            for r, row in enumerate(rows)
        ]
        # Each column holds its longest word (with reportlab's 6 pt cell padding either side).
        minimums = [
            max(
                (
                    fonts.widest_word(row[c], st.cell.fontSize, bold=header and r == 0)
                    for r, row in enumerate(rows)
                    if c < len(row)
                ),
                default=0.0,
            )
            + 13
            for c in range(len(widths))
        ]
        col_widths = layout.fit_columns(widths, minimums, self.text_width())
        table = RLTable(data, colWidths=col_widths, repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("GRID", (0, 0), (-1, -1), 0.5, colour(layout.RULE_GREY)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), self.m.space(3)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.m.space(3)),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colour(layout.TABLE_HEADER_FILL)))
        table.setStyle(TableStyle(commands))
        # As after a paragraph: small print below is not glued on.
        table.spaceAfter = self.m.space(self.m.gaps.body_after)
        return table

    def text_width(self) -> float:
        return float(layout.text_width_mm(self.document.paper, self.m) * mm)

    def top_margin(self) -> float:
        """The top margin in points: the variant's, or more when a long title makes the header
        wrap (room for the header, the rule 3 pt under it and a 6 pt gap)."""
        _, height = RLParagraph(markup(self.document.header), self.styles.header).wrap(self.text_width(), 10_000)
        return float(max(self.m.margin_top_mm * mm, self.m.header_distance_mm * mm + height + 9))

    def frame_height(self) -> float:
        """The height a flowable has on an empty page (the frame less its 6 pt paddings)."""
        page = PAPER[self.document.paper]
        return float(page.height_mm * mm - self.top - self.m.margin_bottom_mm * mm - 12)


def ends_with_heading(flowables: list[Flowable]) -> bool:
    real = [f for f in flowables if not isinstance(f, Spacer)]
    return bool(real) and isinstance(real[-1], OutlineHeading)
