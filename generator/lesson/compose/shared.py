"""What every part of a composed lesson shares: the options, the citation under an extract, where
each question is printed, the reading order, and the support services."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ...model import Block, Paper, Paragraph, Table, Variant, spans
from ...readers.resolved import Lesson, ResolvedExcerpt
from ...readers.schema import Question
from ..guidance import CITED_PARTS, Citation, CitedItem, ExcerptGuidance, Guidance
from ..support import Signposting
from ..wording import Wording


@dataclass(frozen=True)
class Options:
    paper: Paper = "a4"
    lang: str = "en-GB"
    variant: Variant = "standard"


def citation(wording: Wording, excerpt: ResolvedExcerpt, eg: ExcerptGuidance | None = None) -> str:
    """The line under an excerpt: who published it, its title as this audience may read it (or
    what kind of text it is), the year and the paragraphs; whether its words were adapted."""
    seed = excerpt.essay
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


class Parts:
    """The lesson, its wording, guidance, services and options, and what every edition reads of them."""

    def __init__(
        self,
        lesson: Lesson,
        wording: Wording,
        guidance: Guidance,
        support: Signposting,
        options: Options,
    ) -> None:
        self.lesson = lesson
        self.wording = wording
        self.labels = wording.labels
        self.g = wording.notes
        self.band = guidance.band
        self.guidance = guidance
        self.support = support
        self.options = options

    @property
    def subject(self) -> str:
        """The lesson's subject, or the region's usual name for it."""
        return self.lesson.spec.subject or self.labels.default_subject[self.lesson.region]

    @property
    def pupils_edition(self) -> str:
        """The label of the pupil-facing edition (its name is the policy's, for the audience)."""
        return self.labels.edition_labels[self.guidance.audience.edition]

    # -- excerpts and questions -----------------------------------------------------------
    @cached_property
    def placement(self) -> tuple[dict[str, list[tuple[int, Question]]], list[tuple[int, Question]]]:
        """Each excerpt's questions and the general ones, numbered in print order; a political
        excerpt with no balancing question of its own gets the standard one."""
        balance = tuple(
            Question(
                text=self.g.balance_question(self.band),
                excerpts=[x],
                kind="balance",
                answer=self.g.balance_answer(),
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
        return [Paragraph(spans(self.labels.reading_age(r.age, r.grade, ", ".join(r.hard_words))), "small")]

    def quiz_in_activity(self, which: str) -> bool:
        return any(a.quiz == which for a in self.lesson.spec.activities)

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
                who = s.who if s.serves(youngest) else f"{self.labels.service_minimum(s.min_age)} {s.who}"
                rows.append((s.name, who, s.contact))
            blocks.append(Table(tuple(rows), (2.2, 3.2, 2.2)))
        footer = self.wording.text(
            "support_footer", checked=self.support.checked, emergency=self.support.emergency, region=self.lesson.region
        )
        blocks.append(Paragraph(spans(footer), "small"))
        return blocks
