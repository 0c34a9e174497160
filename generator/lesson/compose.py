"""How a lesson becomes a document, for each edition (the only module that knows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..model import (
    SLIDE_WORDS,
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Choice,
    Document,
    Edition,
    Heading,
    KeepTogether,
    ListBlock,
    Paper,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Slide,
    Span,
    Table,
    TitleBlock,
    Variant,
    WritingSpace,
    spans,
)
from ..readers.resolved import Lesson, ResolvedExcerpt
from ..readers.schema import Activity, MultipleChoice, Question, Space
from . import focus
from .guidance import CITED_PARTS, Citation, CitedItem, ExcerptGuidance, Guidance
from .support import Signposting
from .wording import Wording, plain_date


@dataclass(frozen=True)
class Options:
    paper: Paper = "a4"
    lang: str = "en-GB"
    variant: Variant = "standard"


def citation(wording: Wording, excerpt: ResolvedExcerpt, eg: ExcerptGuidance | None = None) -> str:
    """The line under an excerpt: who published it, its title as this audience may read it (or
    what kind of text it is), the year and the paragraphs; whether its words were adapted."""
    seed = excerpt.seed
    cited = eg.citation if eg is not None else None
    if cited is None:  # no guidance: every part as the seed gives it
        cited = Citation(seed, tuple(CitedItem(p, getattr(seed, p), getattr(seed, p), ()) for p in CITED_PARTS))
    return wording.text(
        "citation",
        author=cited.printed("author"),
        publisher=cited.printed("publisher"),
        title=cited.printed("title"),
        withheld=cited.withheld("title"),
        credit_withheld=cited.withheld("author") or cited.withheld("publisher"),
        description=cited.printed("description"),
        year=seed.year,
        paragraphs=list(excerpt.match.paragraphs),
        adapted=bool(eg and eg.adapted),
    )


def _balance_needed(lesson: Lesson, guidance: Guidance) -> list[str]:
    """Excerpts that need a balancing question and have none of kind 'balance' in the spec."""
    balanced = {r for q in lesson.spec.questions if q.kind == "balance" for r in q.excerpts}
    return [
        e.id
        for e in lesson.excerpts
        if e.id in guidance.excerpts and guidance.excerpts[e.id].has("balancing-question") and e.id not in balanced
    ]


def _placement(
    lesson: Lesson, order: list[ResolvedExcerpt], extra: tuple[Question, ...] = ()
) -> tuple[dict[str, list[tuple[int, Question]]], list[tuple[int, Question]]]:
    """Each question goes after the last excerpt it is about, in the order the excerpts are
    printed (`order`); the rest are general questions. Questions are numbered as printed."""
    rank = {e.id: i for i, e in enumerate(order)}
    placed: dict[str, list[Question]] = {}
    loose: list[Question] = []
    for q in (*extra, *lesson.spec.questions):
        refs = [r for r in q.excerpts if r in rank]
        if refs:
            placed.setdefault(max(refs, key=lambda r: rank[r]), []).append(q)
        else:
            loose.append(q)
    after: dict[str, list[tuple[int, Question]]] = {}
    n = 0
    for e in order:
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
        self.wording = wording
        self.labels = wording.module("labels.j2")
        self.g = wording.module("guidance.j2")
        self.band = guidance.band
        self.guidance = guidance
        self.support = support
        self.options = options
        self.teacher = edition == "teacher"
        self.slides = edition == "slides"

    def document(self) -> Document:
        if self.slides:
            return self.deck_document()
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
            header=self.labels.call("header", self.lesson.spec.title, edition_name),
            lang=self.options.lang,
            paper=self.options.paper,
            blocks=tuple(blocks),
            keywords=tuple(sorted({e.seed.id for e in self.lesson.excerpts})),
            page_label=self.labels.page_label,
            large_print=self.options.variant == "large-print",
        )

    @property
    def subject(self) -> str:
        """The lesson's subject, or the region's usual name for it."""
        return self.lesson.spec.subject or str(self.labels.default_subject[self.lesson.region])

    @property
    def pupils_edition(self) -> str:
        """The label of the pupil-facing edition (its name is the policy's, for the audience)."""
        return str(self.labels.edition_labels[self.guidance.audience.edition])

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

    # -- content guidance ----------------------------------------------------------------
    def topics(self, categories: list[Any], table: str = "topics") -> list[str]:
        names = getattr(self.g, table)
        return [names[c.wording][self.band] for c in categories if c.pupil_note]

    def summary_note(self) -> list[Block]:
        items = self.topics(self.guidance.categories(pupils=True))
        if not items:
            return []
        contact = self.lesson.spec.contact or self.g.default_contacts[self.lesson.region][self.band]
        text = self.g.call("summary", self.band, items, contact)
        return [Callout("summary-note", self.g.summary_title[self.band], (spans(text),))]

    def excerpt_notes(self, eg: ExcerptGuidance | None) -> list[Block]:
        """The note placed directly before a flagged excerpt, and its opinion label."""
        if eg is None:
            return []
        notes: list[Block] = []
        # What the extract's own words contain (its citation is judged apart, never counted here).
        items = self.topics([d.flag.category for d in eg.read], "short")
        paras = [spans(self.g.call("before", self.band, items))] if items else []
        if eg.adapted:
            paras.append(spans(self.g.redacted_note))
        if paras:
            notes.append(Callout("content-note", self.g.excerpt_title[self.band], tuple(paras)))
        if eg.has("opinion-label"):
            notes.append(Callout("content-note", self.g.opinion_title, (spans(self.g.call("opinion", self.band)),)))
        return notes

    def guidance_overview(self) -> list[Block]:
        """The teacher's guidance: level, table, checklist, flags, notes and overrides."""
        g, guidance = self.g, self.guidance
        level = guidance.level()
        labels = self.labels
        number = {e.id: labels.call("excerpt_label", i) for i, e in enumerate(self.reading_order, 1)}
        # Overrides on record: each extract's, then the lesson's own text's (its spec-level override).
        where = [*((number[x], d) for x, d in guidance.overrides()), *((g.own_text, d) for d in guidance.typed)]
        overrides = [g.call("override", w, d.flag.category.label, d.flag.level.label, d.reason) for w, d in where]
        on_record: list[Block] = []
        if overrides:
            on_record = [Heading(3, g.overrides_heading), ListBlock(tuple(spans(i) for i in overrides))]
        cited = self.citation_rows(number)
        if level is None:  # nothing flagged in the extracts; a citation may still name something
            shortened = self.shortened_citations(number)
            if not shortened and not cited and not on_record:
                return []
            boxes = [Callout("teacher-note", g.note_titles[m], (spans(g.call(m, *args)),)) for m, args in shortened]
            table = [Table((tuple(g.table_columns), *cited), (0.9, 2.5, 1.5, 1.1, 1.8))] if cited else []
            return [Heading(2, labels.guidance_heading), *table, *boxes, *on_record]
        blocks: list[Block] = [
            Heading(2, labels.guidance_heading),
            Callout("teacher-note", f"{g.banner_title}: {level.label}", (spans(level.meaning),)),
        ]
        rows: list[tuple[str, ...]] = [tuple(g.table_columns)]
        for ex_id, eg in guidance.excerpts.items():
            rows += self.decision_rows(number[ex_id], eg)
        rows += cited
        blocks.append(Table(tuple(rows), (0.9, 2.5, 1.5, 1.1, 1.8)))
        rshe = "right-to-withdraw" in guidance.actions()
        adults = guidance.audience.readers == "adults"
        blocks += [
            Heading(3, g.checklist_heading),
            ListBlock(tuple(spans(t) for t in self.wording_list("checklist", rshe, adults, self.lesson.region))),
        ]
        notes: list[tuple[str, tuple[Any, ...]]] = []
        if guidance.applies("right-to-withdraw"):
            sex_ed = [c for c in guidance.categories() if "right-to-withdraw" in c.actions]
            notes.append(("right_to_withdraw", (self.lesson.region, self.topics_for_teacher(sex_ed))))
        political = [number[x] for x, eg in guidance.excerpts.items() if eg.has("impartiality-note")]
        if political:
            notes.append(("impartiality", (political, self.lesson.region)))
        recent = [(x, eg) for x, eg in guidance.excerpts.items() if eg.has("verify-facts-note")]
        if recent:
            named: dict[str, None] = {}
            for _, eg in recent:
                for d in eg.shown:
                    if "verify-facts-note" in d.flag.category.actions:
                        named.update(dict.fromkeys(_title_case(w) for w in d.flag.words))
            years = sorted({eg.excerpt.seed.year for _, eg in recent})
            notes.append(("verify", ([number[x] for x, _ in recent], list(named) or ["recent events"], years)))
        notes += self.shortened_citations(number)
        blocks += [
            Callout("teacher-note", g.note_titles[macro], (spans(g.call(macro, *args)),)) for macro, args in notes
        ]
        return blocks + on_record

    def decision_rows(self, label: str, eg: ExcerptGuidance) -> list[tuple[str, ...]]:
        """The guidance table's rows for one excerpt: what it is flagged for, the words that
        triggered each flag, the level, and the decision (why it is allowed, or overridden)."""
        rows: list[tuple[str, ...]] = []
        for d in eg.decisions:
            cat, lv = d.flag.category, d.flag.level
            code = f" ({cat.code})" if cat.code else ""
            rows.append(
                (
                    label,
                    f"{cat.label}: {lv.label}{code}",
                    ", ".join(d.flag.words) or "—",
                    self.guidance.policy.severities[lv.severity].label,
                    self.g.call("decision", d.outcome, d.youngest, self.guidance.youngest, d.reason),
                )
            )
        return rows

    def cited_in(self, number: dict[str, str]) -> dict[str, list[str]]:
        """The extracts (by printed label, in reading order) that quote each essay."""
        found: dict[str, list[str]] = {}
        for e in self.reading_order:
            found.setdefault(e.seed.id, []).append(number[e.id])
        return found

    def citation_rows(self, number: dict[str, str]) -> list[tuple[str, ...]]:
        """The guidance table's rows for the essays' citations, apart from the extracts' rows: one
        row per printed part (title, author, publisher) that names something, with what pupils read."""
        rows: list[tuple[str, ...]] = []
        order = {e.id: i for i, e in enumerate(self.reading_order, 1)}
        extracts = self.cited_in({x: str(n) for x, n in order.items()})
        policy = self.guidance.policy
        for seed_id, cited in self.guidance.citations.items():
            for item in cited.items:
                if not item.decisions:
                    continue
                levels = [policy.severities[d.flag.level.severity] for d in item.decisions]
                rows.append(
                    (
                        self.g.call("citation_label", item.part, extracts.get(seed_id, [])),
                        "; ".join(
                            f"{d.flag.category.label}: {d.flag.level.label}"
                            + (f" ({d.flag.category.code})" if d.flag.category.code else "")
                            for d in item.decisions
                        ),
                        ", ".join(w for d in item.decisions for w in d.flag.words),
                        max(levels, key=lambda lv: lv.rank).label,
                        self.g.call("citation_decision", item.part, item.printed or "", item.shortened),
                    )
                )
        return rows

    def shortened_citations(self, number: dict[str, str]) -> list[tuple[str, tuple[Any, ...]]]:
        """A note for each citation part pupils read shortened or not at all: the full words and why."""
        extracts = self.cited_in(number)
        notes: list[tuple[str, tuple[Any, ...]]] = []
        for seed_id, cited in self.guidance.citations.items():
            for item in cited.shortened:
                why = [
                    (d.flag.category.label.lower(), d.youngest, d.outcome == "refused")
                    for d in item.why
                ]
                macro = "cited_title" if item.part in ("title", "description") else "cited_credit"
                notes.append((macro, (extracts.get(seed_id, []), item.full, item.printed or "", why)))
        return notes

    def topics_for_teacher(self, categories: list[Any]) -> list[str]:
        return [self.g.topics[c.wording][self.guidance.policy.teacher_wording] for c in categories]

    def wording_list(self, macro: str, *args: Any) -> list[str]:
        return [p for p in (" ".join(b.split()) for b in self.g.call(macro, *args).split("\n\n")) if p]

    # -- teacher overview ---------------------------------------------------------------
    def overview(self) -> list[Block]:
        lesson = self.lesson
        labels = self.labels
        blocks: list[Block] = [Heading(1, labels.overview_heading)]
        for heading, items in ((labels.key_points_heading, lesson.spec.key_points),
                               (labels.prior_knowledge_heading, lesson.spec.prior_knowledge)):
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
            seen.setdefault(e.seed.id, e)
        rows: list[tuple[str, ...]] = [tuple(self.labels.source_columns)]
        for e in seen.values():
            seed = e.seed
            date = plain_date(seed.date, self.lesson.region) if seed.date != "unknown" else self.labels.unknown_date
            eg = self.guidance.excerpts.get(e.id)
            cited = eg.title if eg and eg.title_shortened else None
            described = self.labels.call(
                "source", seed.author, seed.publisher, seed.title, seed.description, date, cited or ""
            )
            rows.append((described, seed.summary))
        return [Heading(2, self.labels.sources_heading), Table(tuple(rows), (3.0, 4.0))]

    # -- excerpts and questions -----------------------------------------------------------
    @cached_property
    def placement(self) -> tuple[dict[str, list[tuple[int, Question]]], list[tuple[int, Question]]]:
        """Each excerpt's questions and the general ones, numbered in print order; a political
        excerpt with no balancing question of its own gets the standard one."""
        balance = tuple(
            Question(
                text=self.g.call("balance_question", self.band),
                excerpts=[x],
                kind="balance",
                answer=self.g.call("balance_answer"),
                lines=4,
                response=None,
            )
            for x in _balance_needed(self.lesson, self.guidance)
        )
        return _placement(self.lesson, self.reading_order, balance)

    def numbered(self) -> list[tuple[int, Question]]:
        """Every printed question with its number, in print order."""
        after, general = self.placement
        return sorted([*(q for qs in after.values() for q in qs), *general], key=lambda nq: nq[0])

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
            blocks.append(Heading(sub, labels.call("excerpt_label", number[excerpt.id])))  # type: ignore[arg-type]
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

    @cached_property
    def last_read(self) -> ResolvedExcerpt | None:
        """The excerpt the lesson reads last (the general questions follow it)."""
        order = self.reading_order
        return order[-1] if order else None

    @cached_property
    def reading_order(self) -> list[ResolvedExcerpt]:
        """The excerpts in the order the handout prints them: each activity's, in time order, then
        any that no activity reads."""
        if not self.lesson.in_lesson_order:
            return list(self.lesson.excerpts)
        named = [x for a in self.lesson.spec.activities for x in a.excerpts]
        by_id = {e.id: e for e in self.lesson.excerpts}
        return [by_id[x] for x in named if x in by_id] + [e for e in self.lesson.excerpts if e.id not in named]

    def reading_age(self, eg: ExcerptGuidance | None) -> list[Block]:
        """The teacher's line under an excerpt: how hard it is to read."""
        if eg is None or eg.reading is None:
            return []
        r = eg.reading
        return [Paragraph(spans(self.labels.call("reading_age", r.age, r.grade, ", ".join(r.hard_words))), "small")]

    def question(self, n: int, q: Question) -> KeepTogether:
        """A question (with its kind, in the teacher edition, never wrapped onto a line of its own)
        and its answer guidance (teacher) or writing lines (student)."""
        label = self.labels.call("question_label", n)
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
        heading = Heading(2, self.labels.call("activity_heading", a.title, a.minutes))
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
                line = (Span(f"{c.question} "), Span(f"{letters[c.correct]}. {c.options[c.correct]}", bold=True),
                        Span(f" ({labels.other_options_label}: {others})"))
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

    def quiz_in_activity(self, which: str) -> bool:
        return any(a.quiz == which for a in self.lesson.spec.activities)

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
            key = self.labels.call("answer_key", [(n, letters[item.correct], item.options[item.correct])
                                                  for n, item in enumerate(items, 1)])
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

    def support_paragraphs(self) -> list[str]:
        adults = self.guidance.audience.readers == "adults"
        if adults:
            return self.wording.paragraphs("support_adult", region=self.lesson.region)
        # Pupils under the standard band's start read the plain wording, as their notes do.
        band = "plain" if self.band == "plain" else "standard"
        return self.wording.paragraphs("support", region=self.lesson.region, band=band)

    def services(self) -> list[Block]:
        """The services for the audience's region and ages (each saying who it is for), and when
        they were checked."""
        blocks: list[Block] = []
        if self.support.services:
            rows: list[tuple[str, ...]] = [tuple(self.labels.service_columns)]
            youngest = self.lesson.ages.youngest
            for s in self.support.services:
                who = s.who if s.serves(youngest) else f"{self.labels.call('service_minimum', s.min_age)} {s.who}"
                rows.append((s.name, who, s.contact))
            blocks.append(Table(tuple(rows), (2.2, 3.2, 2.2)))
        footer = self.wording.text(
            "support_footer", checked=self.support.checked, emergency=self.support.emergency, region=self.lesson.region
        )
        blocks.append(Paragraph(spans(footer), "small"))
        return blocks


    # -- the slide deck --------------------------------------------------------------------------
    def deck_document(self) -> Document:
        labels = self.labels
        return Document(
            title=self.lesson.spec.title,
            subject=f"{self.subject} — {labels.deck_label}",
            header=labels.call("header", self.lesson.spec.title, labels.deck_label),
            lang=self.options.lang,
            paper=self.options.paper,
            blocks=tuple(self.deck()),
            keywords=tuple(sorted({e.seed.id for e in self.lesson.excerpts})),
            page_label=labels.page_label,
            large_print=self.options.variant == "large-print",
            continued_label=labels.continued_label,
            notes_label=labels.notes_label,
            slide_label=labels.slide_label,
        )

    def deck(self) -> list[Block]:
        """The lesson as slides in the order it is taught, as the handout prints it: the title, the
        note before we start, keywords, the starter quiz, each activity with the extracts it reads
        (each extract's content note on the slide before it) and their questions, the exit quiz,
        what to remember, and where to get help. Everything for the teacher only is in the notes."""
        lesson = self.lesson
        slides: list[Block] = [self.title_slide(), *self.summary_slide(), *self.keywords_slide()]
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
            plan.append(labels.call("plan_row", start, start + a.minutes, a.title))
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
            key = labels.call("answer_key", [(n, letters[item.correct], item.options[item.correct])])
            notes = ((Span(f"{labels.answer_note}: ", bold=True), Span(key)),)
            slides.append(Slide("quiz", labels.call("quiz_slide_title", title, n), (Quiz((question,)),), notes))
        answers = tuple(
            Paragraph((Span(f"{n} {letters[item.correct]}", bold=True), Span(f"  {item.options[item.correct]}")))
            for n, item in enumerate(items, 1)
        )
        slides.append(Slide("answers", labels.call("quiz_answers_title", title), answers))
        return slides

    def activity_slides(self, a: Activity) -> list[Slide]:
        """An activity's learning cycle (explanation, checks and their answers), then its title, minutes and
        steps (its teacher notes in the notes), then the quiz done in it."""
        steps: tuple[Block, ...] = (ListBlock(tuple(spans(s) for s in a.steps), numbered=True),) if a.steps else ()
        notes = ((Span(f"{self.labels.activity_notes_label}: ", bold=True), Span(a.notes)),) if a.notes else ()
        slides = [Slide("activity", self.labels.call("activity_heading", a.title, a.minutes), steps, notes)]
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
            notes = ((Span(f"{labels.answer_note}: ", bold=True), Span(f"{letter} ({text})")),
                     spans(labels.checks_instructions))
            question = Quiz((_question(n, c, letters, marked=False),))
            slides.append(Slide("check", labels.call("check_slide_title", n), (question,), notes))
            answer = (Paragraph(spans(c.question)), Callout("key-info", labels.answer_note, (right,)))
            slides.append(Slide("check-answer", labels.call("check_answer_title", n), answer))
        return slides

    def feedback_slides(self, a: Activity) -> list[Slide]:
        """After an activity's steps and reading: the feedback (a model answer or success criteria); the
        notes hold the activity's teacher notes."""
        if not a.feedback:
            return []
        notes = ((Span(f"{self.labels.activity_notes_label}: ", bold=True), Span(a.notes)),) if a.notes else ()
        body = (Paragraph(spans(a.feedback)),)
        return [Slide("feedback", self.labels.call("feedback_slide_title", a.title), body, notes)]

    def excerpt_slides(self, chosen: tuple[ResolvedExcerpt, ...]) -> list[Slide]:
        """For each excerpt: its content note on a slide of its own (when it has one), the extract
        with its citation, then its questions; after the last excerpt read, the general questions.
        The notes give the guidance decision, the reading age and the answer guidance."""
        after, general = self.placement
        number = {e.id: i for i, e in enumerate(self.reading_order, 1)}
        slides: list[Slide] = []
        for excerpt in chosen:
            label = self.labels.call("excerpt_label", number[excerpt.id])
            eg = self.guidance.excerpts.get(excerpt.id)
            rows = self.decision_rows(label, eg) if eg else []
            decisions = [spans(self.labels.call("decision_note", *row)) for row in rows]
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
        title = self.labels.call("question_label", n)
        return Slide("question", title, (*shown, Paragraph(spans(q.text))), tuple(notes))

    def question_extracts(self, q: Question) -> list[Block]:
        """The extracts a question is about, above it on its slide (pupils look up, not down): all
        of each when they fit the slide's word budget with the question, else the sentences the
        question is about, with the citation (the deck's writer keeps fewer sentences where they
        would not fit one slide)."""
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


def _question(n: int, item: MultipleChoice, letters: str, marked: bool) -> QuizQuestion:
    """A multiple-choice item as printed: its options lettered, the correct one marked only if `marked`."""
    return QuizQuestion(n, item.question, tuple(
        Choice(letters[i], text, marked and i == item.correct) for i, text in enumerate(item.options)
    ))  # fmt: skip


def _title_case(word: str) -> str:
    """'weinstein' as 'Weinstein' (words from URLs are lower case); other words unchanged."""
    return word[:1].upper() + word[1:] if word.islower() else word


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
