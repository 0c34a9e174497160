"""The slide deck of a lesson: the lesson as slides in the order it is taught, the teacher's in the notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...model import (
    SLIDE_WORDS,
    Block,
    Callout,
    Choice,
    Deck,
    Heading,
    KeepTogether,
    ListBlock,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Slide,
    Span,
    Table,
    spans,
)
from ...readers.resolved import ResolvedExcerpt
from ...readers.schema import Activity, MultipleChoice, Question
from .. import focus
from .notes import Notes
from .shared import citation


class DeckComposer(Notes):
    """The deck (the `slides` edition)."""

    # -- the slide deck --------------------------------------------------------------------------
    def deck(self) -> Deck:
        labels = self.labels
        return Deck(
            title=self.lesson.spec.title,
            subject=f"{self.subject} — {labels.deck_label}",
            header=labels.header(self.lesson.spec.title, labels.deck_label),
            lang=self.options.lang,
            paper=self.options.paper,
            slides=tuple(self.slides()),
            keywords=tuple(sorted({e.essay.id for e in self.lesson.excerpts})),
            page_label=labels.page_label,
            large_print=self.options.variant == "large-print",
            continued_label=labels.continued_label,
            slide_label=labels.slide_label,
        )

    def slides(self) -> list[Slide]:
        """The lesson as slides in the order it is taught, as the handout prints it: the title, the
        note before we start, keywords, the starter quiz, each activity with the extracts it reads
        (each extract's content note on the slide before it) and their questions, the exit quiz,
        what to remember, and where to get help. Everything for the teacher only is in the notes."""
        lesson = self.lesson
        slides: list[Slide] = [self.title_slide(), *self.summary_slide(), *self.keywords_slide()]
        if not self.quiz_in_activity("starter"):
            slides += self.quiz_slides("starter")
        by_id = {e.id: e for e in lesson.excerpts}
        if lesson.in_lesson_order:
            for a in lesson.spec.activities:
                slides += self.activity_slides(a)
                slides += self.excerpt_slides(tuple(by_id[x] for x in a.excerpts if x in by_id))
                slides += self.feedback_slides(a)
            read = {x for a in lesson.spec.activities for x in a.excerpts}
            slides += self.excerpt_slides(tuple(e for e in lesson.excerpts if e.id not in read))
        else:
            slides += self.excerpt_slides(lesson.excerpts)
            for a in lesson.spec.activities:
                slides += self.activity_slides(a)
                slides += self.feedback_slides(a)
        if not self.quiz_in_activity("exit"):
            slides += self.quiz_slides("exit")
        if lesson.spec.key_points:
            points = ListBlock(tuple(spans(k) for k in lesson.spec.key_points))
            slides.append(Slide("remember", self.labels.remember_heading, (points,)))
        notes = [(Span(self.labels.support_note, bold=True),), *(spans(p) for p in self.support_paragraphs())]
        # When the services were checked, and the emergency number, come first: never left alone.
        services = self.services()
        slides.append(Slide("support", self.labels.support_heading, (services[-1], *services[:-1]), tuple(notes)))
        return slides

    def title_slide(self) -> Slide:
        """The title, the outcome, ages and duration; the notes hold the teacher's overview."""
        lesson, labels = self.lesson, self.labels
        meta = self.wording.paragraphs(
            "student_cover", subject=self.subject, ages=str(lesson.ages), duration=lesson.spec.duration,
            group=lesson.spec.audience.group or "", summary="",
        )[0]  # fmt: skip
        blocks: list[Block] = [Paragraph(spans(meta), "small")]
        if lesson.spec.outcome:
            blocks.append(Callout("key-info", labels.outcome_label, (spans(lesson.spec.outcome),)))
        notes = _section(labels.objectives_note, lesson.spec.objectives)
        notes += _section(labels.prior_knowledge_heading, lesson.spec.prior_knowledge)
        heard = [f"{m.misconception} — {m.response}" for m in lesson.spec.misconceptions]
        notes += _section(labels.misconceptions_heading, heard)
        start, plan = 0, []
        for a in lesson.spec.activities:
            plan.append(labels.plan_row(start, start + a.minutes, a.title))
            start += a.minutes
        notes += _section(labels.plan_note, plan)
        notes += _section(labels.notes_heading, lesson.spec.teacher_notes)
        if not self.summary_note():  # nothing flagged: any guidance for the teacher goes here
            notes += _as_notes([b for b in self.guidance_overview() if not isinstance(b, Table)])
        return Slide("title", lesson.spec.title, tuple(blocks), tuple(notes))

    def summary_slide(self) -> list[Slide]:
        """The note for the whole lesson, when it has one; the notes hold the teacher's guidance."""
        found = self.summary_note()
        if not found or not isinstance(found[0], Callout):
            return []
        note = found[0]
        # Each extract's rows of the guidance table are on its own slides.
        overview = [b for b in self.guidance_overview() if not isinstance(b, Table)]
        body = (Callout(note.kind, "", note.paragraphs),)
        return [Slide("summary-note", note.title, body, tuple(_as_notes(overview)))]

    def keywords_slide(self) -> list[Slide]:
        if not self.lesson.spec.keywords:
            return []
        keywords = self.lesson.spec.keywords
        terms = tuple(Paragraph((Span(k.term, bold=True), Span(f": {k.definition}"))) for k in keywords)
        return [Slide("keywords", self.labels.keywords_heading, terms)]

    def quiz_slides(self, which: str) -> list[Slide]:
        """A slide for each question of a quiz, with no answer marked (the answer is in the notes),
        then the answers, for the class to check theirs."""
        items = self.lesson.spec.starter_quiz if which == "starter" else self.lesson.spec.exit_quiz
        if not items:
            return []
        labels = self.labels
        letters = labels.option_letters
        title = labels.starter_quiz_heading if which == "starter" else labels.exit_quiz_heading
        slides: list[Slide] = []
        for n, item in enumerate(items, 1):
            question = QuizQuestion(n, item.question, tuple(Choice(letters[i], t) for i, t in enumerate(item.options)))
            key = labels.answer_key([(n, letters[item.correct], item.options[item.correct])])
            notes = ((Span(f"{labels.answer_note}: ", bold=True), Span(key)),)
            slides.append(Slide("quiz", labels.quiz_slide_title(title, n), (Quiz((question,)),), notes))
        answers = tuple(
            Paragraph((Span(f"{n} {letters[item.correct]}", bold=True), Span(f"  {item.options[item.correct]}")))
            for n, item in enumerate(items, 1)
        )
        slides.append(Slide("answers", labels.quiz_answers_title(title), answers))
        return slides

    def activity_slides(self, a: Activity) -> list[Slide]:
        """An activity's learning cycle (explanation, checks and their answers), then its title, minutes and
        steps (its teacher notes in the notes), then the quiz done in it."""
        steps: tuple[Block, ...] = (ListBlock(tuple(spans(s) for s in a.steps), numbered=True),) if a.steps else ()
        notes = ((Span(f"{self.labels.activity_notes_label}: ", bold=True), Span(a.notes)),) if a.notes else ()
        slides = [Slide("activity", self.labels.activity_heading(a.title, a.minutes), steps, notes)]
        return self.cycle_slides(a) + slides + (self.quiz_slides(a.quiz) if a.quiz else [])

    def cycle_slides(self, a: Activity) -> list[Slide]:
        """Before an activity's steps, its learning cycle: the explanation (a point a line; long text
        continues on further slides), then each check for understanding with its options lettered and
        nothing marked (the answer in the notes), its answer on the slide right after it."""
        labels = self.labels
        slides: list[Slide] = []
        if a.explain:
            points = ListBlock(tuple(spans(p) for p in a.explain))
            slides.append(Slide("explain", a.title, (points,)))
        letters = labels.option_letters
        for n, c in enumerate(a.checks, 1):
            letter, text = letters[c.correct], c.options[c.correct]
            right = (Span(f"{letter}  ", bold=True), Span(text, bold=True))
            notes = (
                (Span(f"{labels.answer_note}: ", bold=True), Span(f"{letter} ({text})")),
                spans(labels.checks_instructions),
            )
            question = Quiz((_question(n, c, letters, marked=False),))
            slides.append(Slide("check", labels.check_slide_title(n), (question,), notes))
            answer = (Paragraph(spans(c.question)), Callout("key-info", labels.answer_note, (right,)))
            slides.append(Slide("check-answer", labels.check_answer_title(n), answer))
        return slides

    def feedback_slides(self, a: Activity) -> list[Slide]:
        """After an activity's steps and reading: the feedback (a model answer or success criteria); the
        notes hold the activity's teacher notes."""
        if not a.feedback:
            return []
        notes = ((Span(f"{self.labels.activity_notes_label}: ", bold=True), Span(a.notes)),) if a.notes else ()
        body = (Paragraph(spans(a.feedback)),)
        return [Slide("feedback", self.labels.feedback_slide_title(a.title), body, notes)]

    def excerpt_slides(self, chosen: tuple[ResolvedExcerpt, ...]) -> list[Slide]:
        """For each excerpt: its content note on a slide of its own (when it has one), the extract
        with its citation, then its questions; after the last excerpt read, the general questions.
        The notes give the guidance decision, the reading age and the answer guidance."""
        after, general = self.placement
        number = {e.id: i for i, e in enumerate(self.reading_order, 1)}
        slides: list[Slide] = []
        for excerpt in chosen:
            label = self.labels.excerpt_label(number[excerpt.id])
            eg = self.guidance.excerpts.get(excerpt.id)
            rows = self.decision_rows(label, eg) if eg else []
            decisions = [spans(self.labels.decision_note(*row)) for row in rows]
            notes = self.excerpt_notes(eg)
            if notes and isinstance(notes[0], Callout):
                first = notes[0]
                body = (Callout(first.kind, "", first.paragraphs), *notes[1:])
                slides.append(Slide("content-note", first.title, body, tuple(decisions)))
                decisions = []
            intro: tuple[Block, ...] = (Paragraph((Span(excerpt.intro, italic=True),)),) if excerpt.intro else ()
            quote = Quote(eg.text if eg else excerpt.match.text, citation(self.wording, excerpt, eg))
            reading = _as_notes(self.reading_age(eg))
            slides.append(Slide("extract", label, (*intro, quote), tuple(reading + decisions)))
            slides += [self.question_slide(n, q) for n, q in after.get(excerpt.id, [])]
        if general and chosen and chosen[-1] == self.last_read:
            slides += [self.question_slide(n, q) for n, q in general]
        return slides

    def question_slide(self, n: int, q: Question) -> Slide:
        notes: list[tuple[Span, ...]] = []
        if q.kind:
            notes.append(spans(self.g.kind_balance if q.kind == "balance" else self.labels.question_kinds[q.kind]))
        if q.answer:
            notes.append((Span(f"{self.labels.answer_label}: ", bold=True), Span(q.answer)))
        shown = self.question_extracts(q)
        title = self.labels.question_label(n)
        return Slide("question", title, (*shown, Paragraph(spans(q.text))), tuple(notes))

    def question_extracts(self, q: Question) -> list[Block]:
        """The extracts a question is about, above it on its slide (pupils look up, not down): all
        of each when they fit the slide's word budget with the question, else the sentences the
        question is about, with the citation (the deck's writer keeps fewer sentences, or the
        extracts the question is most about, where they would not fit one slide)."""
        by_id = {e.id: e for e in self.lesson.excerpts}
        chosen = [by_id[x] for x in q.excerpts if x in by_id]
        if not chosen:
            return []
        budget = (SLIDE_WORDS[self.options.variant] - focus.words(q.text)) // len(chosen)
        shown: list[Block] = []
        for excerpt in chosen:
            eg = self.guidance.excerpts.get(excerpt.id)
            text = eg.text if eg else excerpt.match.text
            shown.append(Quote(focus.focus(text, q.text, budget), citation(self.wording, excerpt, eg)))
        return shown


def _question(n: int, item: MultipleChoice, letters: str, marked: bool) -> QuizQuestion:
    """A multiple-choice item as printed: its options lettered, the correct one marked only if `marked`."""
    return QuizQuestion(n, item.question, tuple(
        Choice(letters[i], text, marked and i == item.correct) for i, text in enumerate(item.options)
    ))  # fmt: skip


def _section(title: str, items: Any) -> list[tuple[Span, ...]]:
    """Speaker notes: a part's name in bold, then each item on its own line."""
    entries = [str(i) for i in items]
    return [(Span(title, bold=True),), *(spans(f"• {i}") for i in entries)] if entries else []


def _as_notes(blocks: Sequence[Block]) -> list[tuple[Span, ...]]:
    """The teacher edition's blocks as speaker notes: headings and note titles in bold, list items
    and table rows as lines of their own."""
    out: list[tuple[Span, ...]] = []
    for block in blocks:
        match block:
            case Heading(text=text):
                out.append((Span(text, bold=True),))
            case Callout(title=title, paragraphs=paras):
                out.append((Span(title, bold=True),))
                out += list(paras)
            case ListBlock(items=items):
                out += [(Span("• "), *item) for item in items]
            case Paragraph(spans=sp):
                out.append(sp)
            case Table(rows=rows, header=header):
                out += [spans(" — ".join(r)) for r in rows[1 if header else 0 :]]
            case KeepTogether(blocks=inner):
                out += _as_notes(list(inner))
            case _:
                pass
    return out
