"""How a lesson becomes a document, for each edition (the only module that knows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .guidance import Guidance, Note, Signposting
from .model import (
    Block,
    Callout,
    Document,
    Edition,
    Fields,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paper,
    Paragraph,
    Quote,
    Span,
    Table,
    WritingSpace,
    spans,
)
from .spec import Lesson, Question, ResolvedExcerpt
from .wording import Wording


@dataclass(frozen=True)
class Options:
    paper: Paper = "a4"
    lang: str = "en-GB"


class _Labels:
    """Named labels and macros exported by templates/labels.j2."""

    def __init__(self, wording: Wording) -> None:
        self._module: Any = wording.env.get_template("labels.j2").module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def call(self, name: str, *args: Any) -> str:
        return str(getattr(self._module, name)(*args)).strip()


def _note(kind: str, note: Note) -> Callout:
    return Callout("content-note" if kind == "content" else "summary-note", note.title, (spans(note.text),))


def citation(wording: Wording, excerpt: ResolvedExcerpt) -> str:
    seed = excerpt.seed
    return wording.text(
        "citation",
        author=seed.author,
        title=seed.title,
        year=seed.year,
        paragraphs=list(excerpt.match.paragraphs),
    )


def _placement(lesson: Lesson) -> tuple[dict[str, list[tuple[int, Question]]], list[tuple[int, Question]]]:
    """Each question goes after the last excerpt it is about; the rest are general questions.

    Questions are numbered in the order they are printed."""
    order = {e.id: i for i, e in enumerate(lesson.excerpts)}
    placed: dict[str, list[Question]] = {}
    loose: list[Question] = []
    for q in lesson.spec.questions:
        refs = [r for r in q.excerpts if r in order]
        if refs:
            placed.setdefault(max(refs, key=lambda r: order[r]), []).append(q)
        else:
            loose.append(q)
    after: dict[str, list[tuple[int, Question]]] = {}
    n = 0
    for e in lesson.excerpts:
        for q in placed.get(e.id, []):
            n += 1
            after.setdefault(e.id, []).append((n, q))
    general = [(n + i, q) for i, q in enumerate(loose, 1)]
    return after, general


class _Composer:
    def __init__(
        self,
        lesson: Lesson,
        edition: Edition,
        wording: Wording,
        guidance: Guidance,
        support: Signposting,
        options: Options,
    ) -> None:
        self.lesson = lesson
        self.spec = lesson.spec
        self.edition = edition
        self.wording = wording
        self.labels = _Labels(wording)
        self.guidance = guidance
        self.support = support
        self.options = options
        self.teacher = edition == "teacher"

    def document(self) -> Document:
        edition_name = self.labels.teacher_edition if self.teacher else self.labels.student_edition
        blocks: list[Block] = []
        blocks += self.cover(edition_name)
        if self.teacher:
            blocks += self.overview()
        blocks += self.texts()
        blocks += self.activities()
        blocks += self.support_page()
        return Document(
            title=self.spec.title,
            subject=f"{self.spec.subject} — {edition_name}",
            edition=self.edition,
            header=self.labels.call("header", self.spec.title, edition_name),
            lang=self.options.lang,
            paper=self.options.paper,
            blocks=tuple(blocks),
            keywords=tuple(sorted({e.seed.id for e in self.lesson.excerpts})),
            page_label=self.labels.page_label,
        )

    # -- cover -------------------------------------------------------------------------
    def cover(self, edition_name: str) -> list[Block]:
        spec = self.spec
        template = "teacher_cover" if self.teacher else "student_cover"
        paras = self.wording.paragraphs(
            template,
            subject=spec.subject,
            ages=str(self.lesson.ages),
            duration=spec.duration,
            group=spec.audience.group or "",
            summary=spec.summary or "",
        )
        blocks: list[Block] = [
            Heading(1, spec.title),
            Paragraph((Span(edition_name, bold=True),), "label"),
            Paragraph(spans(paras[0]), "lead"),
        ]
        if not self.teacher:
            blocks.append(Fields(tuple(self.labels.fields)))
        blocks += [Paragraph(spans(p)) for p in paras[1:]]
        blocks += [_note("summary", n) for n in self.guidance.summary]
        return blocks

    # -- teacher overview ---------------------------------------------------------------
    def overview(self) -> list[Block]:
        spec = self.spec
        labels = self.labels
        blocks: list[Block] = [Heading(1, labels.overview_heading)]
        if spec.objectives:
            blocks += [
                Heading(2, labels.objectives_heading),
                ListBlock(tuple(spans(o) for o in spec.objectives)),
            ]
        if spec.activities:
            blocks.append(Heading(2, labels.plan_heading))
            rows: list[tuple[str, ...]] = [tuple(labels.plan_columns)]
            start = 0
            for a in spec.activities:
                rows.append((f"{start}–{start + a.minutes}", a.title, str(a.minutes)))
                start += a.minutes
            rows.append(("", labels.total_label, str(start)))
            blocks.append(Table(tuple(rows), (1.2, 5.0, 1.2)))
            if start != spec.duration:
                blocks.append(
                    Callout(
                        "teacher-note",
                        labels.plan_heading,
                        (spans(self.wording.text("plan_mismatch", total=start, duration=spec.duration)),),
                    )
                )
        if self.guidance.table:
            blocks.append(Heading(2, labels.guidance_heading))
            blocks.append(
                Table(
                    (("Extract", "Category", "Severity", "Words", "Why"),)
                    + tuple((r.excerpt, r.category, r.severity, r.words, r.why) for r in self.guidance.table),
                    (1.2, 1.6, 1.4, 1.6, 3.0),
                )
            )
        notes = list(spec.teacher_notes) + list(self.guidance.teacher_notes)
        if notes:
            blocks += [Heading(2, labels.notes_heading), ListBlock(tuple(spans(n) for n in notes))]
        blocks += self.sources()
        return blocks

    def sources(self) -> list[Block]:
        seen: dict[str, ResolvedExcerpt] = {}
        for e in self.lesson.excerpts:
            seen.setdefault(e.seed.id, e)
        rows: list[tuple[str, ...]] = [tuple(self.labels.source_columns)]
        for e in seen.values():
            seed = e.seed
            who = seed.author if seed.author != "unknown" else self.labels.unknown_author
            title = seed.title if seed.title != "unknown" else self.labels.untitled
            date = seed.date if seed.date != "unknown" else self.labels.unknown_date
            publisher = f", {seed.publisher}" if seed.publisher != "unknown" else ""
            rows.append((f"{title} — {who}{publisher}, {date}", seed.summary))
        return [Heading(2, self.labels.sources_heading), Table(tuple(rows), (3.0, 4.0))]

    # -- excerpts and questions -----------------------------------------------------------
    def texts(self) -> list[Block]:
        labels = self.labels
        after, general = _placement(self.lesson)
        blocks: list[Block] = [Heading(1, labels.texts_heading)]
        for i, excerpt in enumerate(self.lesson.excerpts, 1):
            blocks.append(Heading(2, labels.call("excerpt_label", i)))
            intro = [Paragraph((Span(excerpt.intro, italic=True),))] if excerpt.intro else []
            quote = Quote(excerpt.match.text, citation(self.wording, excerpt))
            notes = [_note("content", n) for n in self.guidance.before_excerpt.get(excerpt.id, ())]
            # The intro and any content note are never left at the foot of a page: they are
            # kept together with the excerpt they introduce.
            blocks.append(KeepTogether((*intro, *notes, quote)))
            for n, q in after.get(excerpt.id, []):
                blocks.append(self.question(n, q))
        if general:
            blocks.append(Heading(2, labels.general_questions))
            blocks += [self.question(n, q) for n, q in general]
        return blocks

    def question(self, n: int, q: Question) -> Block:
        label = self.labels.call("question_label", n)
        head: list[Span] = [Span(f"{label}. ", bold=True), Span(q.text)]
        if self.teacher and q.kind:
            head.append(Span(f"  ({self.labels.question_kinds[q.kind]})", italic=True))
        parts: list[Block] = [Paragraph(tuple(head))]
        if self.teacher:
            if q.answer:
                parts.append(Callout("teacher-note", self.labels.answer_label, (spans(q.answer),)))
        elif q.lines:
            parts.append(WritingSpace(q.lines))
        return KeepTogether(tuple(parts))

    # -- activities --------------------------------------------------------------------------
    def activities(self) -> list[Block]:
        if not self.spec.activities:
            return []
        blocks: list[Block] = [Heading(1, self.labels.activities_heading)]
        for a in self.spec.activities:
            parts: list[Block] = [Heading(2, self.labels.call("activity_heading", a.title, a.minutes))]
            if a.steps:
                parts.append(ListBlock(tuple(spans(s) for s in a.steps), numbered=True))
            if self.teacher:
                if a.notes:
                    parts.append(Callout("teacher-note", self.labels.activity_notes_label, (spans(a.notes),)))
            elif a.lines:
                parts.append(WritingSpace(a.lines))
            blocks.append(KeepTogether(tuple(parts)))
        return blocks

    # -- support ------------------------------------------------------------------------------
    def support_page(self) -> list[Block]:
        adult = self.lesson.ages.youngest >= 18
        paras = self.wording.paragraphs("support_adult" if adult else "support")
        blocks: list[Block] = [PageBreak(), Heading(1, self.labels.support_heading)]
        blocks += [Paragraph(spans(p)) for p in paras]
        if self.support.services:
            rows: list[tuple[str, ...]] = [tuple(self.labels.service_columns)]
            rows += [(s.name, s.who, s.contact) for s in self.support.services]
            blocks.append(Table(tuple(rows), (2.2, 3.2, 2.2)))
        blocks.append(
            Paragraph(
                spans(
                    self.wording.text(
                        "support_footer", checked=self.support.checked, emergency=self.support.emergency
                    )
                ),
                "small",
            )
        )
        return blocks


def compose(
    lesson: Lesson,
    edition: Edition,
    wording: Wording,
    guidance: Guidance,
    support: Signposting,
    options: Options | None = None,
) -> Document:
    """The document for one edition of a lesson."""
    return _Composer(lesson, edition, wording, guidance, support, options or Options()).document()
