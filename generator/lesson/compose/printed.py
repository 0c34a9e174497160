"""The print editions of a lesson: the pupils' handout and the teacher's edition, as one document each."""

from __future__ import annotations

from ...model import (
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Choice,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
    spans,
)
from ...readers.resolved import Lesson, ResolvedExcerpt
from ...readers.schema import Activity, Question, Space
from ..guidance import Guidance
from ..support import Signposting
from ..wording import Wording, plain_date
from .notes import Notes
from .shared import Options, citation


class PrintComposer(Notes):
    """A print edition: the teacher's (`teacher`) or the pupils'."""

    def __init__(
        self,
        lesson: Lesson,
        wording: Wording,
        guidance: Guidance,
        support: Signposting,
        options: Options,
        teacher: bool,
    ) -> None:
        super().__init__(lesson, wording, guidance, support, options)
        self.teacher = teacher

    def document(self) -> Document:
        edition_name = self.labels.teacher_edition if self.teacher else self.pupils_edition
        blocks: list[Block] = []
        blocks += self.cover(edition_name)
        if self.teacher:
            blocks += self.overview()
        if not self.teacher:  # the teacher's overview has the keywords in its table
            blocks += self.keywords_box()
        if not self.quiz_in_activity("starter"):
            blocks += self.quiz("starter")
        if self.lesson.in_lesson_order:
            blocks += self.lesson_in_order()
        else:
            blocks += self.texts()
            blocks += self.activities()
        if not self.quiz_in_activity("exit"):
            blocks += self.quiz("exit")
        blocks += self.remember_box()
        blocks += self.support_page()
        return Document(
            title=self.lesson.spec.title,
            subject=f"{self.subject} — {edition_name}",
            header=self.labels.header(self.lesson.spec.title, edition_name),
            lang=self.options.lang,
            paper=self.options.paper,
            blocks=tuple(blocks),
            keywords=tuple(sorted({e.essay.id for e in self.lesson.excerpts})),
            page_label=self.labels.page_label,
            large_print=self.options.variant == "large-print",
        )

    # -- cover -------------------------------------------------------------------------
    def cover(self, edition_name: str) -> list[Block]:
        lesson = self.lesson
        template = "teacher_cover" if self.teacher else "student_cover"
        printed = [q for _, q in self.numbered()]
        paras = self.wording.paragraphs(
            template,
            subject=self.subject,
            ages=str(lesson.ages),
            duration=lesson.spec.duration,
            group=lesson.spec.audience.group or "",
            summary=lesson.spec.summary or "",
            pupils_edition=self.pupils_edition,
            objectives=bool(lesson.spec.objectives),
            plan=bool(lesson.spec.activities),
            questions=len(printed),
            answered=sum(1 for q in printed if q.answer),
        )
        edition = self.guidance.audience.edition
        fields = () if self.teacher else tuple(self.labels.edition_fields.get(edition, ()))
        blocks: list[Block] = [TitleBlock(lesson.spec.title, edition_name, paras[0], fields)]
        if lesson.spec.outcome:
            blocks.append(Callout("key-info", self.labels.outcome_label, (spans(lesson.spec.outcome),)))
        blocks += [Paragraph(spans(p)) for p in paras[1:]]
        blocks += self.summary_note()
        return blocks

    # -- teacher overview ---------------------------------------------------------------
    def overview(self) -> list[Block]:
        lesson = self.lesson
        labels = self.labels
        blocks: list[Block] = [Heading(1, labels.overview_heading)]
        for heading, items in (
            (labels.key_points_heading, lesson.spec.key_points),
            (labels.prior_knowledge_heading, lesson.spec.prior_knowledge),
        ):
            if items:
                blocks += [Heading(2, heading), ListBlock(tuple(spans(i) for i in items))]
        if lesson.spec.keywords:
            rows = [tuple(labels.keyword_columns), *((k.term, k.definition) for k in lesson.spec.keywords)]
            blocks += [Heading(2, labels.keywords_heading), Table(tuple(rows), (1.6, 5.0))]
        if lesson.spec.misconceptions:
            rows = [tuple(labels.misconception_columns)]
            rows += [(m.misconception, m.response) for m in lesson.spec.misconceptions]
            blocks += [Heading(2, labels.misconceptions_heading), Table(tuple(rows), (3.0, 4.0))]
        if lesson.spec.objectives:
            blocks += [
                Heading(2, labels.objectives_heading),
                ListBlock(tuple(spans(o) for o in lesson.spec.objectives)),
            ]
        if lesson.spec.activities:
            blocks.append(Heading(2, labels.plan_heading))
            rows = [tuple(labels.plan_columns)]
            start = 0
            for a in lesson.spec.activities:
                rows.append((f"{start}–{start + a.minutes}", a.title, str(a.minutes)))
                start += a.minutes
            rows.append(("", labels.total_label, str(start)))
            blocks.append(Table(tuple(rows), (1.2, 5.0, 1.2)))
            if start != lesson.spec.duration:
                blocks.append(
                    Callout(
                        "teacher-note",
                        labels.plan_heading,
                        (spans(self.wording.text("plan_mismatch", total=start, duration=lesson.spec.duration)),),
                    )
                )
        blocks += self.guidance_overview()
        notes = list(lesson.spec.teacher_notes)
        if notes:
            blocks += [Heading(2, labels.notes_heading), ListBlock(tuple(spans(n) for n in notes))]
        blocks += self.sources()
        return blocks

    def sources(self) -> list[Block]:
        """The essays quoted (teacher only): the full title, how each is cited for this audience, when
        it was written and what it argues."""
        seen: dict[str, ResolvedExcerpt] = {}
        for e in self.lesson.excerpts:
            seen.setdefault(e.essay.id, e)
        rows: list[tuple[str, ...]] = [tuple(self.labels.source_columns)]
        for e in seen.values():
            seed = e.essay
            date = plain_date(seed.date, self.lesson.region) if seed.date != "unknown" else self.labels.unknown_date
            eg = self.guidance.excerpts.get(e.id)
            cited = eg.title if eg and eg.title_shortened else None
            described = self.labels.source(seed.author, seed.publisher, seed.title, seed.description, date, cited or "")
            rows.append((described, seed.summary))
        return [Heading(2, self.labels.sources_heading), Table(tuple(rows), (3.0, 4.0))]

    def texts(self, excerpts: tuple[ResolvedExcerpt, ...] | None = None, heading: int = 1) -> list[Block]:
        """The excerpts (by default all of them) in order, each with its notes, citation and the
        questions printed after it; with every excerpt, the general questions."""
        labels = self.labels
        after, general = self.placement
        chosen = self.lesson.excerpts if excerpts is None else excerpts
        number = {e.id: i for i, e in enumerate(self.reading_order, 1)}
        blocks: list[Block] = [Heading(1, labels.texts_heading)] if excerpts is None else []
        sub = 2 if heading == 1 else 3
        for excerpt in chosen:
            blocks.append(Heading(sub, labels.excerpt_label(number[excerpt.id])))  # type: ignore[arg-type]
            intro = [Paragraph((Span(excerpt.intro, italic=True),))] if excerpt.intro else []
            eg = self.guidance.excerpts.get(excerpt.id)
            text = eg.text if eg else excerpt.match.text
            quote = Quote(text, citation(self.wording, excerpt, eg))
            notes = self.excerpt_notes(eg)
            reading = self.reading_age(eg) if self.teacher else []
            questions = [self.question(n, q) for n, q in after.get(excerpt.id, [])]
            # The intro and any content note are never left at the foot of a page, and the
            # extract's first question stays on its page with its room to answer (or, for the
            # teacher, its answer guidance): one group, the question a group inside it, so that an
            # extract too long for a page is split before its question, never inside it. In
            # standard print the group is firm (a page before it is left less full rather than part
            # the extract from its question); in large print, where an extract with its question
            # and room can take most of a page, it is split before the question rather than leave
            # a page under-filled.
            first: tuple[Block, ...] = (questions.pop(0),) if questions else ()
            firm = self.options.variant == "standard"
            blocks.append(KeepTogether((*intro, *notes, quote, *reading, *first), firm=firm))
            blocks += questions
        if general and (excerpts is None or (chosen and chosen[-1] == self.last_read)):
            blocks.append(Heading(sub, labels.general_questions))  # type: ignore[arg-type]
            blocks += [self.question(n, q) for n, q in general]
        return blocks

    def question(self, n: int, q: Question) -> KeepTogether:
        """A question (with its kind, in the teacher edition, never wrapped onto a line of its own)
        and its answer guidance (teacher) or writing lines (student)."""
        label = self.labels.question_label(n)
        head: list[Span] = [Span(f"{label}. ", bold=True)]
        if self.teacher and q.kind:
            kind = self.g.kind_balance if q.kind == "balance" else self.labels.question_kinds[q.kind]
            # A no-break space joins the kind to the question's last word.
            words, _, last = q.text.rstrip().rpartition(" ")
            head += [Span(f"{words} " if words else ""), Span(f"{last}\u00a0"), Span(f"({kind})", italic=True)]
        else:
            head.append(Span(q.text))
        parts: list[Block] = [Paragraph(tuple(s for s in head if s.text))]
        if self.teacher:
            if q.answer:
                parts.append(Callout("teacher-note", self.labels.answer_label, (spans(q.answer),)))
        else:
            parts += self.space(q.space)
        return KeepTogether(tuple(parts))

    def space(self, space: Space | None) -> list[Block]:
        """Room to answer, in the student edition."""
        if space is None or self.teacher:
            return []
        if space.kind == "box":
            return [AnswerBox(space.size)]
        if space.kind == "table":
            return [AnswerTable(space.columns, space.size)]
        return [WritingSpace(space.size)]

    # -- activities --------------------------------------------------------------------------
    def activity(self, a: Activity) -> list[Block]:
        """An activity's heading, its learning cycle's start (the explanation; the checks for the
        teacher), steps, teacher notes or room to work, and the quiz done in it."""
        heading = Heading(2, self.labels.activity_heading(a.title, a.minutes))
        cycle = self.cycle_start(a)
        # The heading stays with what follows it: the handout's key idea box, or for the teacher the
        # first line of the cycle (headings keep with the next block), else the steps.
        lead: list[Block] = ([heading, *cycle] if self.teacher else [KeepTogether((heading, *cycle))]) if cycle else []
        parts: list[Block] = [] if cycle else [heading]
        flowing = bool(cycle) and self.teacher
        if a.steps and flowing:  # a list a step, numbered on: "The task" keeps with the first step only
            parts += [ListBlock((spans(s),), numbered=True, start=n) for n, s in enumerate(a.steps, 1)]
        elif a.steps:
            parts.append(ListBlock(tuple(spans(s) for s in a.steps), numbered=True))
        if self.teacher:
            if a.notes:
                parts.append(Callout("teacher-note", self.labels.activity_notes_label, (spans(a.notes),)))
        else:
            # The room to work is a group of its own: on the steps' page, unless that page would
            # be left under-filled by moving both (a writer then splits the two).
            room = self.space(a.space)
            parts += [KeepTogether(tuple(room))] if room else []
        quiz = self.quiz(a.quiz, heading=3) if a.quiz else []
        # The quiz done in the activity starts on the activity's page: its heading, instructions
        # and first question are kept with the steps.
        head: list[Block] = []
        if len(quiz) >= 2 and isinstance(quiz[1], KeepTogether):
            head = [quiz[0], *quiz[1].blocks]
            quiz = quiz[2:]
        if flowing:
            # The teacher's cycle, steps and notes flow on as text (kept together, they would leave a gap
            # before them, and the PDF and the DOCX would break their pages in different places).
            return [*lead, *parts, *head, *quiz]
        together = [KeepTogether((*parts, *head), firm=False)] if parts or head else []
        return [*lead, *together, *quiz]

    def cycle_start(self, a: Activity) -> list[Block]:
        """Under an activity's heading, its learning cycle's start. For pupils the explanation as a short
        "Key idea" box; they never see the checks. For the teacher, in sections: the explanation, a
        point a line; the checks for understanding, a line each (the question, its answer in bold with
        the letter it has on the slide, the other options); then "The task" over the steps. Each
        heading keeps with its first line only, so the sections flow over a page as text does."""
        labels = self.labels
        if not self.teacher:
            if not a.explain:
                return []
            return [Callout("key-info", labels.key_idea_label, tuple(spans(f"• {p}") for p in a.explain))]
        blocks: list[Block] = []
        if a.explain:
            blocks.append(Heading(3, labels.explain_label))
            blocks += [ListBlock((spans(p),)) for p in a.explain]
        if a.checks:
            letters = labels.option_letters
            blocks.append(Heading(3, labels.checks_heading))
            for n, c in enumerate(a.checks, 1):
                others = "; ".join(f"{letters[i]}. {t}" for i, t in enumerate(c.options) if i != c.correct)
                line = (
                    Span(f"{c.question} "),
                    Span(f"{letters[c.correct]}. {c.options[c.correct]}", bold=True),
                    Span(f" ({labels.other_options_label}: {others})"),
                )
                blocks.append(ListBlock((line,), numbered=True, start=n))
        if blocks and a.steps and a.checks:  # the steps' numbered list, apart from the checks'
            blocks.append(Heading(3, labels.task_heading))
        return blocks

    def cycle_feedback(self, a: Activity) -> list[Block]:
        """For the teacher, after an activity's steps and notes (before the texts it reads, so that the
        activity's plan is in one place): the feedback to show the class once the task is done."""
        if not (self.teacher and a.feedback):
            return []
        return [Heading(3, self.labels.teacher_feedback_heading), Paragraph(spans(a.feedback))]

    def activities(self) -> list[Block]:
        if not self.lesson.spec.activities:
            return []
        blocks: list[Block] = [Heading(1, self.labels.activities_heading)]
        for a in self.lesson.spec.activities:
            blocks += self.activity(a)
            blocks += self.cycle_feedback(a)
        return blocks

    def lesson_in_order(self) -> list[Block]:
        """The lesson as it is taught: each activity, then the excerpts it reads and their questions;
        excerpts no activity reads come after the last one."""
        blocks: list[Block] = [Heading(1, self.labels.lesson_heading)]
        by_id = {e.id: e for e in self.lesson.excerpts}
        for a in self.lesson.spec.activities:
            blocks += self.activity(a)
            blocks += self.cycle_feedback(a)
            blocks += self.texts(tuple(by_id[x] for x in a.excerpts if x in by_id), heading=2)
        read = {x for a in self.lesson.spec.activities for x in a.excerpts}
        rest = tuple(e for e in self.lesson.excerpts if e.id not in read)
        if rest:
            blocks += [Heading(2, self.labels.more_reading_heading), *self.texts(rest, heading=2)]
        return blocks

    # -- lesson parts: keywords, quizzes, what to remember -----------------------------------
    def keywords_box(self) -> list[Block]:
        """The keywords, with their definitions, near the start (pupils and teacher alike)."""
        if not self.lesson.spec.keywords:
            return []
        items = tuple((Span(k.term, bold=True), Span(f": {k.definition}")) for k in self.lesson.spec.keywords)
        return [Callout("key-info", self.labels.keywords_heading, items)]

    def quiz(self, which: str, heading: int = 2) -> list[Block]:
        """A quiz's questions with a tick box before each option; the teacher edition marks the
        correct options and adds an answer key."""
        items = self.lesson.spec.starter_quiz if which == "starter" else self.lesson.spec.exit_quiz
        if not items:
            return []
        letters = self.labels.option_letters
        questions = tuple(
            QuizQuestion(
                n,
                item.question,
                tuple(
                    Choice(letters[i], text, correct=self.teacher and i == item.correct)
                    for i, text in enumerate(item.options)
                ),
                letters[item.correct],
            )
            for n, item in enumerate(items, 1)
        )
        title = self.labels.starter_quiz_heading if which == "starter" else self.labels.exit_quiz_heading
        # The instructions and the first question stay with the heading.
        blocks: list[Block] = [
            Heading(heading, title),  # type: ignore[arg-type]
            KeepTogether((Paragraph(spans(self.labels.quiz_instructions)), Quiz(questions[:1]))),
        ]
        if questions[1:]:
            blocks.append(Quiz(questions[1:]))
        if self.teacher:
            key = self.labels.answer_key(
                [(n, letters[item.correct], item.options[item.correct]) for n, item in enumerate(items, 1)]
            )
            blocks.append(Callout("teacher-note", self.labels.answer_key_label, (spans(key),)))
        return blocks

    def remember_box(self) -> list[Block]:
        """What pupils should remember, at the end."""
        if not self.lesson.spec.key_points:
            return []
        items = tuple(spans(f"• {k}") for k in self.lesson.spec.key_points)
        return [Callout("key-info", self.labels.remember_heading, items)]

    # -- support ------------------------------------------------------------------------------
    def support_page(self) -> list[Block]:
        """Where to get help: on the page after the lesson when it fits there, kept whole (on a
        page of its own only when it does not fit)."""
        paras = self.support_paragraphs()
        blocks: list[Block] = [Heading(1, self.labels.support_heading)]
        blocks += [Paragraph(spans(p)) for p in paras]
        blocks += self.services()
        return [KeepTogether(tuple(blocks), firm=False)]
