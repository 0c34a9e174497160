"""What a slide's blocks become before they are placed: items that know their height and words at
any split (text continued at word boundaries; rows of a table or a quiz question never split), and
place themselves as shapes on a page. Text is measured once per deck."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal, assert_never

from ...model import (
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Slide,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
)
from ..layout import fit_columns
from . import measure
from .measure import Words
from .shapes import Anchor, Grid, Page, Para, Rect, Run, TextBox
from .style import DeckStyle


@dataclass(frozen=True)
class MeasuredPara:
    """A paragraph to lay out: spans, how it is set, and its measured words."""

    spans: tuple[Span, ...]
    size: float
    bold: bool = False
    color: str | None = None
    number: int | None = None
    bullet: str | None = None

    @cached_property
    def words(self) -> Words:
        return measured_words(self.spans, self.bold)


_words_cache: dict[tuple[tuple[Span, ...], bool], Words] = {}


def forget_words() -> None:
    """Measured words are for one deck: a batch of 1,000 packs holds no more than one deck's."""
    _words_cache.clear()


def measured_words(spans: tuple[Span, ...], bold: bool) -> Words:
    key = (spans, bold)
    found = _words_cache.get(key)
    if found is None:
        found = measure.words([(s.text, bold or s.bold) for s in spans])
        if len(_words_cache) > 5000:
            _words_cache.clear()
        _words_cache[key] = found
    return found


def _slice(spans: tuple[Span, ...], start: int, end: int) -> tuple[Span, ...]:
    """The spans' text from character `start` to `end`."""
    out: list[Span] = []
    pos = 0
    for s in spans:
        a, b = max(start, pos), min(end, pos + len(s.text))
        if a < b:
            out.append(replace(s, text=s.text[a - pos : b - pos]))
        pos += len(s.text)
    return tuple(out)


def _clean_spans(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(s for s in spans if s.text)


# ---------------------------------------------------------------------------------------
# Items: what a slide's blocks become, each knowing its height and how to place itself


Decoration = Literal["plain", "quote", "callout", "list"]


@dataclass
class TextItem:
    """Paragraphs that may continue on the next slide (at word boundaries): plain text, an extract
    (its citation under every part), a boxed note (its label at the top of every part) or a list."""

    decoration: Decoration
    texts: list[MeasuredPara]
    st: DeckStyle
    name: str
    label: str | None = None
    fill: str = ""
    rule: str = ""
    label_color: str = ""
    citation: str | None = None
    counted: bool = True  # its words count towards the slide's limit
    anchor: Anchor = "t"
    lead: bool = False  # leads into the next item: never left on a slide without it

    def __post_init__(self) -> None:
        self.texts = [t for t in self.texts if t.words.starts]
        self.owner: list[tuple[int, int]] = [(k, i) for k, t in enumerate(self.texts) for i in range(len(t.words))]
        self._heights: dict[tuple[int, int, int], float] = {}  # (paragraph, first, end word) -> height
        st = self.st
        if self.decoration == "quote":
            self.text_x, self.text_w = st.margin_x + 26, st.content_w - 26
        elif self.decoration == "callout":
            self.text_x, self.text_w = st.margin_x + 10 + 20, st.content_w - 10 - 40
        elif self.decoration == "list":
            widest = max((t.number or 0 for t in self.texts), default=0)
            marker = f"{widest}." if widest else "•"
            size = max((t.size for t in self.texts), default=st.body_pt)
            self.indent = round(measure.width_em(marker) * size + 0.6 * size, 1)
            self.text_x, self.text_w = st.margin_x, st.content_w
        else:
            self.text_x, self.text_w = st.margin_x, st.content_w
        self.gap = 14.0 if self.decoration in ("plain", "callout") else 12.0
        if self.citation:
            cite = MeasuredPara((Span(self.citation),), st.small_pt, color=st.muted)
            lines = measure.line_count(cite.words, 0, len(cite.words), self.text_w, cite.size)
            self.cite_h = lines * st.line(st.small_pt)
        self.label_h = st.line(st.small_pt) if self.label else 0.0

    @property
    def tokens(self) -> int:
        return len(self.owner)

    def _wrap_w(self) -> float:
        return self.text_w - (self.indent if self.decoration == "list" else 0.0)

    def pieces(self, i: int, j: int) -> list[tuple[int, int, int]]:
        """(paragraph, first word, end word) of tokens i..j-1 (the tokens are each paragraph's
        words in order: the paragraphs between the first and the last are whole)."""
        if j <= i:
            return []
        (first, a), (last, z) = self.owner[i], self.owner[j - 1]
        if first == last:
            return [(first, a, z + 1)]
        whole = [(k, 0, len(self.texts[k].words)) for k in range(first + 1, last)]
        return [(first, a, len(self.texts[first].words)), *whole, (last, 0, z + 1)]

    def text_height(self, i: int, j: int) -> float:
        """The height of tokens i..j-1: their pieces' heights (as pieces() gives them) and the gaps
        between, added up in order."""
        if j <= i:
            return 0.0
        (first, a), (last, z) = self.owner[i], self.owner[j - 1]
        if first == last:
            return self._piece_h(first, a, z + 1)
        total = self._piece_h(first, a, len(self.texts[first].words))
        for k in range(first + 1, last):
            total += self._piece_h(k, 0, len(self.texts[k].words)) + self.gap
        return total + (self._piece_h(last, 0, z + 1) + self.gap)

    def _piece_h(self, k: int, a: int, b: int) -> float:
        """The height of words a..b-1 of paragraph k, measured once (sharing text out over slides
        asks for the same pieces again and again)."""
        found = self._heights.get((k, a, b))
        if found is None:
            t = self.texts[k]
            found = self._heights[(k, a, b)] = measure.line_count(t.words, a, b, self._wrap_w(), t.size) * self.st.line(
                t.size
            )
        return found

    def with_texts(self, texts: list[MeasuredPara]) -> TextItem:
        """The same item holding other texts (the same words set at another size)."""
        return TextItem(
            self.decoration,
            texts,
            self.st,
            self.name,
            self.label,
            self.fill,
            self.rule,
            self.label_color,
            self.citation,
            self.counted,
            self.anchor,
            self.lead,
        )

    def height(self, i: int, j: int) -> float:
        return self.text_height(i, j) + self.extra()

    def extra(self) -> float:
        if self.decoration == "quote":
            return (12 + self.cite_h) if self.citation else 0.0
        if self.decoration == "callout":
            return 2 * 18 + (self.label_h + 8 if self.label else 0.0)
        return 0.0

    def words(self, i: int, j: int) -> int:
        return j - i if self.counted else 0

    def cost(self, j: int) -> float:
        k, w = self.owner[j - 1]
        t = self.texts[k]
        last = w == len(t.words) - 1
        word = t.words.text[t.words.starts[w] : t.words.ends[w]]
        return measure.break_cost(word, last, inside_item=self.decoration == "list")

    def place(self, i: int, j: int, y: float, page: Page) -> float:
        """Draw tokens i..j-1 at `y` on `page`; the height used."""
        st = self.st
        paras: list[Para] = []
        for n, (k, a, b) in enumerate(self.pieces(i, j)):
            t = self.texts[k]
            w = t.words
            whole = a == 0 and b == len(w)
            spans = t.spans if whole else _slice(t.spans, w.starts[a], w.ends[b - 1])
            continues = a > 0  # a list item continued from the slide before keeps no number
            paras.append(
                Para(
                    tuple(Run(s.text, s.bold or t.bold, s.italic and st.italic, t.color) for s in _clean_spans(spans)),
                    t.size,
                    st.line(t.size),
                    self.gap if n else 0.0,
                    None if continues else t.number,
                    None if continues else t.bullet,
                    self.indent if self.decoration == "list" else 0.0,
                )
            )
        text_h = self.text_height(i, j)
        h = text_h + self.extra()
        if self.decoration == "quote":
            page.shapes.append(Rect(st.margin_x, y + 4, 6, max(text_h - 4, 2), st.quote_rule, "Quote rule"))
            page.shapes.append(TextBox(self.text_x, y, self.text_w, text_h, tuple(paras), self.name))
            if self.citation:
                cite = Para((Run(self.citation, color=st.muted),), st.small_pt, st.line(st.small_pt))
                page.shapes.append(TextBox(self.text_x, y + text_h + 12, self.text_w, self.cite_h, (cite,), "Citation"))
        elif self.decoration == "callout":
            page.shapes.append(Rect(st.margin_x, y, st.content_w, h, self.fill, f"{self.name} box"))
            page.shapes.append(Rect(st.margin_x, y, 10, h, self.rule, f"{self.name} rule"))
            top = y + 18
            if self.label:
                label = Para((Run(self.label, bold=True, color=self.label_color),), st.small_pt, st.line(st.small_pt))
                page.shapes.append(TextBox(self.text_x, top, self.text_w, self.label_h, (label,), f"{self.name} label"))
                top += self.label_h + 8
            page.shapes.append(TextBox(self.text_x, top, self.text_w, text_h, tuple(paras), self.name))
        else:
            page.shapes.append(TextBox(self.text_x, y, self.text_w, text_h, tuple(paras), self.name, self.anchor))
        page.words += self.words(i, j)
        return h


@dataclass
class RowsItem:
    """Rows that are never split: a table (its header repeated on every slide it reaches) or a quiz
    question (the question repeated above its options)."""

    st: DeckStyle
    name: str
    heights: list[float]
    counts: list[int]
    head_h: float  # the header row's, or the quiz question's, height and the gap under it
    head_words: int
    draw: Callable[[Sequence[int], float, Page], None]
    row_gap: float = 0.0
    broken: bool = False  # a word is wider than its column (it would break inside)


def _table_item(
    rows: tuple[tuple[str, ...], ...], weights: tuple[float, ...], header: bool, st: DeckStyle, name: str, room: float
) -> RowsItem | None:
    """A table whose columns keep every word whole (a web address may break after a dot or a
    slash), or None when that makes a row (under the header) taller than `room`, an empty
    slide's, or a word wider than its column: nothing on a slide breaks inside a word."""
    item = _table_at(rows, weights, header, st, name, whole=True)
    if item.head_h + max(item.heights, default=0.0) <= room + 0.01 and not item.broken:
        return item
    return None


def _table_at(
    rows: tuple[tuple[str, ...], ...], weights: tuple[float, ...], header: bool, st: DeckStyle, name: str, whole: bool
) -> RowsItem:
    size = st.small_pt
    pad_x, pad_y = 8.0, 6.0
    cols = max((len(r) for r in rows), default=0)
    # A web address may break after a dot or a slash (never inside a word): its pieces are what
    # its column must hold.
    pieces = [
        [
            MeasuredPara((Span(_address_breaks(c, 0.0, size, header and r == 0)),), size, bold=header and r == 0)
            for c in row
        ]
        for r, row in enumerate(rows)
    ]
    least = [
        max(
            (measure.widest_word_pt(pieces[r][c].words, size) for r in range(len(rows)) if c < len(pieces[r])),
            default=0.0,
        )
        + 2 * pad_x
        + 2
        for c in range(cols)
    ]
    ws = weights[:cols] if len(weights) >= cols else (1.0,) * cols
    widths = fit_columns(ws, least, st.content_w, whole)
    rows = tuple(
        tuple(_address_breaks(cell, widths[c] - 2 * pad_x - 2, size, header and r == 0) for c, cell in enumerate(row))
        for r, row in enumerate(rows)
    )
    texts = [[MeasuredPara((Span(c),), size, bold=header and r == 0) for c in row] for r, row in enumerate(rows)]
    line = st.line(size)

    def row_h(r: int) -> float:
        return (
            max(
                (
                    measure.line_count(t.words, 0, len(t.words), widths[c] - 2 * pad_x, size) * line
                    for c, t in enumerate(texts[r])
                ),
                default=line,
            )
            + 2 * pad_y
        )

    first = 1 if header else 0
    body = list(range(first, len(rows)))
    head_h = row_h(0) if header else 0.0

    def cell(r: int, c: int) -> tuple[Para, ...]:
        t = texts[r][c]
        return (Para((Run(rows[r][c], bold=t.bold),), size, line),) if rows[r][c] else ()

    def draw(chosen: Sequence[int], y: float, page: Page) -> None:
        order = ([0] if header else []) + [body[i] for i in chosen]
        page.shapes.append(
            Grid(
                st.margin_x, y, tuple(widths), tuple(row_h(r) for r in order),
                tuple(tuple(cell(r, c) for c in range(cols)) for r in order), header, name, pad_x, pad_y,
            )
        )  # fmt: skip
        page.words += sum(measure.word_count(" ".join(rows[r])) for r in order)

    broken = any(
        measure.widest_word_pt(t.words, size) > widths[c] - 2 * pad_x for row in texts for c, t in enumerate(row)
    )
    return RowsItem(
        st,
        name,
        [row_h(r) for r in body],
        [measure.word_count(" ".join(rows[r])) for r in body],
        head_h,
        measure.word_count(" ".join(rows[0])) if header else 0,
        draw,
        broken=broken,
    )


_ADDRESS_PIECE = re.compile(r"[^./]+[./]?|[./]")


def _address_breaks(text: str, room: float, size: float, bold: bool) -> str:
    """`text` with a line break after a dot or slash in each web address wider than `room` points
    (every such place when `room` is 0), as late in the address as its lines still fit."""
    out: list[str] = []
    for word in text.split(" "):
        if ("." not in word and "/" not in word) or len(word) < 12:
            out.append(word)
            continue
        if room > 0 and measure.width_em(word, bold) * size <= room:
            out.append(word)
            continue
        parts = _ADDRESS_PIECE.findall(word)
        if room <= 0:
            out.append("\n".join(parts))
            continue
        lines = [""]
        for part in parts:
            if lines[-1] and measure.width_em(lines[-1] + part, bold) * size > room:
                lines.append(part)
            else:
                lines[-1] += part
        out.append("\n".join(lines))
    return " ".join(out)


def _quiz_items(q: QuizQuestion, st: DeckStyle, room: float) -> list[Item]:
    """A quiz question above its options, at body size, or at small size where that keeps all the
    options on one slide with the question. A question so long that it and its tallest option
    do not fit one slide is set as text, its options after it (continued on the next slide)."""
    for size in (st.body_pt, st.small_pt):
        item = _quiz_at(q, st, size)
        total = item.head_h + sum(item.heights) + item.row_gap * (len(item.heights) - 1)
        if total <= room and item.head_words + sum(item.counts) <= st.max_words:
            break
    if item.head_h + max(item.heights, default=0.0) <= room + 0.01:
        return [item]
    question = TextItem("plain", [MeasuredPara((Span(q.text),), st.small_pt, bold=True)], st, "Quiz question")
    return [question, _quiz_at(q, st, st.small_pt, with_question=False)]


def _quiz_at(q: QuizQuestion, st: DeckStyle, size: float, with_question: bool = True) -> RowsItem:
    line = st.line(size)
    badge, pad, gap = round(size * 1.5, 1), 8.0, 10.0
    text_w = st.content_w - badge - 2 * pad - 14
    question = MeasuredPara((Span(q.text),), size, bold=True)
    q_h = measure.line_count(question.words, 0, len(question.words), st.content_w, size) * line
    opts = [MeasuredPara((Span(c.text),), size) for c in q.choices]
    lines = [measure.line_count(t.words, 0, len(t.words), text_w, size) for t in opts]
    heights = [max(badge, n * line) + 2 * pad for n in lines]

    def draw(chosen: Sequence[int], y: float, page: Page) -> None:
        if with_question:
            page.shapes.append(
                TextBox(
                    st.margin_x, y, st.content_w, q_h, (Para((Run(q.text, bold=True),), size, line),), "Quiz question"
                )
            )
            y += q_h + 22
            page.words += measure.word_count(q.text)
        for n, i in enumerate(chosen):
            if n:
                y += gap
            c, h = q.choices[i], heights[i]
            page.shapes.append(Rect(st.margin_x, y, st.content_w, h, st.panel_fill, f"Option {c.label} box", st.rule))
            letter = Para((Run(c.label, bold=True, color="FFFFFF"),), size, line, align="ctr")
            page.shapes.append(
                TextBox(
                    st.margin_x + pad,
                    y + (h - badge) / 2,
                    badge,
                    badge,
                    (letter,),
                    f"Option {c.label} letter",
                    "ctr",
                    st.accent,
                )
            )
            text_h = lines[i] * line
            page.shapes.append(
                TextBox(
                    st.margin_x + pad + badge + 14,
                    y + (h - text_h) / 2,
                    text_w,
                    text_h,
                    (Para((Run(c.text),), size, line),),
                    f"Option {c.label}",
                )
            )
            y += h
        page.words += sum(measure.word_count(q.choices[i].text) for i in chosen)

    head_h, head_words = (q_h + 22, measure.word_count(q.text)) if with_question else (0.0, 0)
    return RowsItem(
        st, "Quiz", heights, [measure.word_count(t.spans[0].text) for t in opts], head_h, head_words, draw, gap
    )


Item = TextItem | RowsItem


# ---------------------------------------------------------------------------------------
# Blocks to items


# Slides whose text is set as large as fits (a question, a note read before an extract).
LARGE_KINDS = ("question", "content-note", "summary-note")


def items_of(blocks: Sequence[Block], slide: Slide, st: DeckStyle, room: float, lines: bool = False) -> list[Item]:
    """The blocks as items to place; `room` is an empty slide's (_room), which no table row or
    quiz question with its tallest option may outgrow."""
    items: list[Item | _Paragraphs] = []
    body = st.question_pt if slide.kind in LARGE_KINDS else st.body_pt
    for block in blocks:
        match block:
            case Paragraph(spans=spans, style=kind):
                small = kind == "small"
                intro = slide.kind == "extract"  # the sentence that leads into the extract
                muted = small or intro
                text = MeasuredPara(spans, st.small_pt if muted else body, color=st.muted if muted else None)
                last = items[-1] if items else None
                if isinstance(last, _Paragraphs) and last.name == f"Text {kind}":
                    # Paragraphs in a row are one text: shared out over slides together, evenly
                    # (gathered first and measured once: thousands of them stay linear).
                    last.texts.append(text)
                    last.lead = intro
                elif isinstance(last, TextItem) and last.name == f"Text {kind}":  # the end of a KeepTogether
                    items[-1] = _Paragraphs([*last.texts, text], last.name, intro)
                else:
                    items.append(_Paragraphs([text], f"Text {kind}", intro))
            case Heading(text=text):
                items.append(TextItem("plain", [MeasuredPara((Span(text),), st.body_pt, bold=True)], st, "Heading"))
            case TitleBlock(title=title, subtitle=subtitle):
                items.append(
                    TextItem(
                        "plain",
                        [
                            MeasuredPara((Span(title),), st.body_pt, bold=True),
                            MeasuredPara((Span(subtitle),), st.body_pt),
                        ],
                        st,
                        "Text",
                    )
                )
            case Quote(paragraphs=paras, citation=citation):
                items.append(
                    TextItem(
                        "quote",
                        [MeasuredPara((Span(p),), st.quote_pt) for p in paras],
                        st,
                        "Extract",
                        citation=citation or None,
                    )
                )
            case Callout(kind=kind, title=title, paragraphs=paras):
                note = kind in ("content-note", "summary-note", "teacher-note")
                items.append(TextItem(
                    "callout", [MeasuredPara(p, body) for p in paras], st, "Note" if note else "Key",
                    label=title or None, fill=st.note_fill if note else st.key_fill,
                    rule=st.note_rule if note else st.key_rule, label_color=st.note_label if note else st.key_rule,
                ))  # fmt: skip
            case ListBlock(items=entries, numbered=numbered, start=start):
                items.append(TextItem("list", [
                    MeasuredPara(item, st.body_pt, number=start + n if numbered else None,
                                 bullet=None if numbered else "•")
                    for n, item in enumerate(entries)
                ], st, "Steps" if numbered else "List"))  # fmt: skip
            case Table(rows=rows, widths=widths, header=header):
                if rows:
                    table = None if lines else _table_item(rows, widths, header, st, "Table", room)
                    if table is None:  # no columns keep every word whole: a line for each row
                        body_rows = rows[1:] if header else rows
                        items.append(TextItem("plain", [
                            MeasuredPara((Span(r[0], bold=True), Span(" — " + " — ".join(c for c in r[1:] if c))),
                                         st.small_pt)
                            for r in body_rows if r
                        ], st, "Table rows"))  # fmt: skip
                    else:
                        items.append(table)
            case Quiz(questions=questions):
                items += [i for q in questions for i in _quiz_items(q, st, room)]
            case KeepTogether(blocks=inner):
                items += items_of(inner, slide, st, room, lines)
            case WritingSpace() | AnswerBox() | AnswerTable() | PageBreak():
                pass  # room to write is for paper; a slide is never broken by hand
            case _ as unreachable:
                assert_never(unreachable)
    return [TextItem("plain", i.texts, st, i.name, lead=i.lead) if isinstance(i, _Paragraphs) else i for i in items]


@dataclass
class _Paragraphs:
    """Paragraphs in a row, gathered before they become one TextItem."""

    texts: list[MeasuredPara]
    name: str
    lead: bool
