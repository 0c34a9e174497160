"""Where everything on a slide goes: a model Slide laid out as one or more pages of measured boxes
(text, rules, fills, tables), text too long for one slide continued on the next. Pure geometry in
points (the blocks become items in items.py; the pages are shapes.py's); drawing the boxes with
python-pptx is slides.py's job."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ...lesson import focus
from ...model import Deck, Paragraph, Quote, Slide, Span, plain
from . import measure
from .items import LARGE_KINDS, Item, RowsItem, TextItem, forget_words, items_of, measured_words
from .shapes import Page, Para, Rect, Run, TextBox
from .style import SLIDE_W, DeckStyle

# ---------------------------------------------------------------------------------------
# Titles


def _title_fit(title: str, st: DeckStyle, cover: bool) -> tuple[float, int]:
    """The size a slide's title is set at and its lines: as large as fits two lines (three on the
    title slide), else the smallest title size; a title of words too wide for that (a run of wide
    letters) comes down to the body's sizes, so that it never fills the slide."""
    words = measured_words((Span(title),), True)
    sizes: tuple[float, ...] = (st.cover_title_pt, st.title_pt) if cover else (st.title_pt, st.title_min_pt)
    sizes += tuple(size for size in (st.body_pt, st.small_pt) if size < sizes[-1])
    most = 3 if cover else 2
    for size in sizes:
        lines = measure.line_count(words, 0, len(words), st.content_w, size)
        if lines <= most:
            return size, lines
    size = sizes[-1]
    return size, measure.line_count(words, 0, len(words), st.content_w, size)


def _greedy(text: str, size: float, width: float) -> list[str]:
    """Bold text set in lines no wider than `width`, measured as the title's lines are counted."""
    w = measured_words((Span(text),), True)
    lines: list[str] = []
    i = 0
    while i < len(w):
        j = i + 1
        while j < len(w) and measure.line_count(w, i, j + 1, width, size) == 1:
            j += 1
        lines.append(text[w.starts[i] : w.ends[j - 1]])
        i = j
    return lines


_MINUTES = re.compile(r"^(.*\S)\s+(\([^()]*\))$")


def _title_lines(title: str, size: float, st: DeckStyle, lines: int) -> str:
    """A title that wraps, broken by hand ('\\n') into as many lines of about equal length, so that
    no word or two is left alone on its last line; a closing '(… minutes)' goes on a line of its
    own."""
    if lines < 2:
        return title
    found = _MINUTES.match(title)
    if found:
        return "\n".join([*_balanced(found.group(1), size, st.content_w), found.group(2)])
    return "\n".join(_balanced(title, size, st.content_w))


def _balanced(text: str, size: float, width: float) -> list[str]:
    """`text` in as few lines as `width` allows, set in the narrowest width that keeps that many."""
    best = _greedy(text, size, width)
    low, high = width / 2, width
    for _ in range(12):
        middle = (low + high) / 2
        trial = _greedy(text, size, middle)
        if len(trial) <= len(best):
            best, high = trial, middle
        else:
            low = middle
    return best


def _new_page(
    title: str, st: DeckStyle, cover: bool, notes: tuple[tuple[Span, ...], ...], kind: str = ""
) -> tuple[Page, float]:
    """A page with its title set; where its body starts."""
    size, lines = _title_fit(title, st, cover)
    shown = _title_lines(title, size, st, lines)
    lines = max(lines, shown.count("\n") + 1)
    line = round(size * 1.15, 1)
    top = st.margin_top + (34 if cover else 0)
    h = lines * line
    box = TextBox(
        st.margin_x, top, st.content_w, h, (Para((Run(shown, bold=True, color=st.accent),), size, line),), "Title", "b"
    )
    page = Page(box, notes=notes, kind=kind)
    if cover:
        page.shapes.append(Rect(0, 0, SLIDE_W, 14, st.accent, "Accent band"))
        page.shapes.append(Rect(st.margin_x, top + h + 12, 160, 5, st.accent, "Rule"))
        return page, top + h + 36
    page.shapes.append(Rect(st.margin_x, top + h + 8, st.content_w, 2, st.accent, "Title rule"))
    return page, top + h + 26


# ---------------------------------------------------------------------------------------
# Laying out a slide


_LISTS = ("keywords", "activity", "answers", "remember", "support")


def _room(slide: Slide, st: DeckStyle, continued: str) -> float:
    """The height under the title of an empty slide, the first or a continued one (the smaller)."""
    tops = [_new_page(title, st, False, ())[1] for title in (slide.title, f"{slide.title} {continued}")]
    return st.bottom - max(tops)


def pages_of(deck: Deck, st: DeckStyle) -> list[Page]:
    """Every slide of the deck as drawn, in order: what the PPTX holds and what a print shows."""
    forget_words()
    return [page for slide in deck.slides for page in plan(slide, st, deck.continued_label)]


def plan(slide: Slide, st: DeckStyle, continued: str) -> list[Page]:
    """A slide as pages: the first with the slide's title, each further one (where the blocks
    continue) with the title and `continued`; every page carries the slide's speaker notes. A
    question's slide that shows extracts keeps fewer of their sentences (those the question is
    about) until it fits one slide."""
    laid = _plan(slide, st, continued)
    if len(laid) > 1 and slide.kind == "question":
        return _question_on_one(slide, st, continued) or laid
    if len(laid) > 1 and slide.kind in _LISTS:
        # A list (keywords, steps, services, answers) that fits one slide stays on one: the word
        # budget shares out prose, not the items of a list the class reads down.
        # The items come down to the small size, and a table's rows become lines (the help
        # services), if that keeps them on one slide.
        for size, lines in ((st.body_pt, False), (st.small_pt, False), (st.small_pt, True)):
            whole = _plan(slide, replace(st, max_words=10**6), continued, size, lines)
            if len(whole) == 1:
                return whole
    return laid


def _question_on_one(slide: Slide, st: DeckStyle, continued: str) -> list[Page] | None:
    """A question's slide on one slide, showing as much of its extracts as fits: fewer of their
    sentences (those the question is about); where even one sentence of each is too much (two
    extracts with their citations, in large print), the extracts the question is most about, the
    others left to their own slides before it; else the question alone. A question is never cut:
    one longer than a slide's word budget is set whole, at the size that fits one slide."""
    quotes = [b for b in slide.blocks if isinstance(b, Quote)]
    question = " ".join(plain(b.spans) for b in slide.blocks if isinstance(b, Paragraph))
    ranked = sorted(quotes, key=lambda q: -focus.relevance(q.paragraphs, question))  # stable: in order on ties
    for keep in range(len(quotes), 0, -1):
        shown = [q for q in quotes if any(q is r for r in ranked[:keep])]
        blocks = tuple(b for b in slide.blocks if not isinstance(b, Quote) or any(b is q for q in shown))
        laid = _fewer_sentences(replace(slide, blocks=blocks), shown, question, st, continued)
        if laid is not None:
            return laid
    alone = replace(slide, blocks=tuple(b for b in slide.blocks if not isinstance(b, Quote)))
    for budget, small in ((st.max_words, False), (10**6, False), (10**6, True)):
        laid = _plan(alone, replace(st, max_words=budget), continued, small=small)
        if len(laid) == 1:
            return laid
    return None


def _fewer_sentences(
    slide: Slide, quotes: list[Quote], question: str, st: DeckStyle, continued: str
) -> list[Page] | None:
    """The slide on one slide with fewer sentences of each extract, or None."""
    most = max(sum(focus.words(p) for p in q.paragraphs) for q in quotes)
    whole = max(focus.least(q.paragraphs, question) for q in quotes)
    # Whole sentences first; only when even one sentence each is too much, cut within one.
    for per in [*range(most - 4, whole - 1, -4), whole, *range(whole - 4, 7, -4)]:
        blocks = tuple(
            Quote(focus.focus(b.paragraphs, question, per), b.citation) if isinstance(b, Quote) else b
            for b in slide.blocks
        )
        laid = _plan(replace(slide, blocks=blocks), st, continued)
        if len(laid) == 1:
            return laid
    return None


def _plan(
    slide: Slide, st: DeckStyle, continued: str, size: float | None = None, lines: bool = False, small: bool = False
) -> list[Page]:
    """The slide's pages: its items at `size` (else each its own), a table's rows as `lines`; a
    question or a note set as large as fits one slide, down to the small size when it shows an
    extract or when `small`."""
    items = items_of(slide.blocks, slide, st, _room(slide, st, continued), lines)
    if size is not None:
        items = [_resized(i, size) for i in items]
    if slide.kind in LARGE_KINDS:
        middle = round((st.question_pt + st.body_pt) / 2)
        # A question shown with its extracts may come down to the small size to stay on one slide.
        least = [st.small_pt] if small or any(isinstance(b, Quote) for b in slide.blocks) else []
        items = _largest_that_fits(items, slide, st, [st.question_pt, middle, st.body_pt, *least])
    elif slide.kind == "title":  # the title slide is one slide: its text comes down to small size if it must
        items = _largest_that_fits(items, slide, st, [st.body_pt, st.small_pt])
    layout = _Layout(slide, st, continued)
    for item in items:
        if isinstance(item, TextItem):
            layout.text(item)
        else:
            layout.rows(item)
    return layout.pages


class _Layout:
    """Pages being filled from the top: the current page, where its next block goes, and whether
    anything is on it yet."""

    def __init__(self, slide: Slide, st: DeckStyle, continued: str) -> None:
        self.slide, self.st = slide, st
        self.later_title = f"{slide.title} {continued}"
        _, later_top = _new_page(self.later_title, st, False, ())
        self.full_room = st.bottom - later_top
        self.page, self.y = _new_page(slide.title, st, slide.kind == "title", slide.notes, slide.kind)
        self.pages = [self.page]
        self.started = False
        self.leads_only = True  # only lead-ins on the page so far (or nothing)

    def next_page(self) -> None:
        self.page, self.y = _new_page(self.later_title, self.st, False, self.slide.notes, self.slide.kind)
        self.pages.append(self.page)
        self.started = False
        self.leads_only = True

    def _fits(self, item: TextItem) -> Callable[[int, int, bool], bool]:
        """Whether tokens i..j-1 of `item` fit: on what is left of this page (first) or on a new one."""
        st = self.st
        room = st.bottom - self.y - (st.gap if self.started else 0.0)
        words_left = st.max_words - self.page.words

        def fits(i: int, j: int, first: bool) -> bool:
            limit, most = (room, words_left) if first else (self.full_room, st.max_words)
            return item.words(i, j) <= most and item.height(i, j) <= limit + 0.01

        return fits

    def text(self, item: TextItem) -> None:
        """Place text, continued over as few pages as hold it; it starts on this page only if a
        fair part of it (more than two lines) fits here. Text with a word too big for an empty
        slide under a long title (a word of wide letters in large print) is set smaller until every
        word fits, rather than not at all."""
        for size in _FALLBACK_PT:
            fits = self._fits(item)
            here = self.started or not item.tokens or fits(0, 1, True)  # an empty page is never left empty
            if here and all(fits(i, i + 1, False) for i in range(item.tokens)):
                break
            texts = [replace(t, size=min(t.size, size)) for t in item.texts]
            item = item.with_texts(texts)
        self._text(item)

    def _text(self, item: TextItem) -> None:
        n = item.tokens
        if not n:
            return
        fits = self._fits(item)
        ends: list[int] | None = [n] if fits(0, n, True) else None
        if ends is None and self.started:
            ends = measure.share_out(n, fits, item.cost)
            small = ends is not None and item.height(0, ends[0]) < 2.5 * self.st.line(self.st.body_pt) + item.extra()
            if small and not self.leads_only:  # a lead-in (an extract's intro) is never left alone
                ends = None
            if ends is None:
                self.next_page()
        if ends is None:
            ends = measure.share_out(n, self._fits(item), item.cost)
            if ends is None:
                raise ValueError(f"slide '{self.slide.title}': its text does not fit an empty slide")
        start = 0
        for k, end in enumerate(ends):
            if k:
                self.next_page()
            if self.started:
                self.y += self.st.gap
            self.y += item.place(start, end, self.y, self.page)
            self.leads_only = self.leads_only and item.lead
            self.started = True
            start = end

    def rows(self, item: RowsItem) -> None:
        """Place rows that are never split, as many to a page as fit, the header (or the quiz
        question) above them on every page."""
        st = self.st
        chosen: list[int] = []
        y_start = rows_h = 0.0
        rows_words = 0
        for r, (h, count) in enumerate(zip(item.heights, item.counts, strict=True)):
            if chosen:
                need = item.row_gap + h
                if y_start + rows_h + need <= st.bottom + 0.01 and self.page.words + rows_words + count <= st.max_words:
                    chosen.append(r)
                    rows_h += need
                    rows_words += count
                    continue
                item.draw(chosen, y_start, self.page)
                self.next_page()
            need, words = item.head_h + h, item.head_words + count
            gap = st.gap if self.started else 0.0
            if self.started and (self.y + gap + need > st.bottom + 0.01 or self.page.words + words > st.max_words):
                self.next_page()
                gap = 0.0
            y_start = self.y + gap
            if y_start + need > st.bottom + 0.01:
                raise ValueError(f"slide '{self.slide.title}': a row is taller than a slide")
            chosen, rows_h, rows_words = [r], need, words
        if chosen:
            item.draw(chosen, y_start, self.page)
            self.y = y_start + rows_h
            self.started = True


# Sizes tried, in turn, for text with a word that does not fit an empty slide at its own size.
_FALLBACK_PT = (24.0, 20.0, 16.0, 12.0, 10.0)


def _largest_that_fits(items: list[Item], slide: Slide, st: DeckStyle, sizes: list[float]) -> list[Item]:
    """A slide's text at the largest of `sizes` that fits one slide (a question, a note); at the
    last size it continues on the next slide if it must."""
    _, top = _new_page(slide.title, st, slide.kind == "title", ())
    room = st.bottom - top
    for size in sizes:
        trial = [_resized(i, size) for i in items]
        height = sum(i.height(0, i.tokens) for i in trial if isinstance(i, TextItem)) + st.gap * (len(trial) - 1)
        words = sum(i.words(0, i.tokens) for i in trial if isinstance(i, TextItem))
        if height <= room and words <= st.max_words:
            return trial
    return trial


def _resized(item: Item, size: float) -> Item:
    if not isinstance(item, TextItem):
        return item
    texts = [replace(t, size=size) if t.size > item.st.small_pt else t for t in item.texts]
    return item.with_texts(texts)
