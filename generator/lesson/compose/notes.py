"""The content guidance a composed lesson prints: the pupils' notes (for the lesson, before an extract)
and the teacher's overview (the decisions, citations, checklist and notes)."""

from __future__ import annotations

from typing import Any

from ...model import Block, Callout, Heading, ListBlock, Table, spans
from ..guidance import ExcerptGuidance
from .shared import Parts


class Notes(Parts):
    """The guidance notes, for every edition that prints them."""

    def topics(self, categories: list[Any], short: bool = False) -> list[str]:
        names = self.g.short if short else self.g.topics
        return [names[c.wording][self.band] for c in categories if c.pupil_note]

    def summary_note(self) -> list[Block]:
        items = self.topics(self.guidance.categories(pupils=True))
        if not items:
            return []
        contact = self.lesson.spec.contact or self.g.default_contacts[self.lesson.region][self.band]
        text = self.g.summary(self.band, items, contact)
        return [Callout("summary-note", self.g.summary_title[self.band], (spans(text),))]

    def excerpt_notes(self, eg: ExcerptGuidance | None) -> list[Block]:
        """The note placed directly before a flagged excerpt, and its opinion label."""
        if eg is None:
            return []
        notes: list[Block] = []
        # What the extract's own words contain (its citation is judged apart, never counted here).
        items = self.topics([d.flag.category for d in eg.read], short=True)
        paras = [spans(self.g.before(self.band, items))] if items else []
        if eg.adapted:
            paras.append(spans(self.g.redacted_note))
        if paras:
            notes.append(Callout("content-note", self.g.excerpt_title[self.band], tuple(paras)))
        if eg.has("opinion-label"):
            notes.append(Callout("content-note", self.g.opinion_title, (spans(self.g.opinion(self.band)),)))
        return notes

    def guidance_overview(self) -> list[Block]:
        """The teacher's guidance: level, table, checklist, flags, notes and overrides."""
        g, guidance = self.g, self.guidance
        level = guidance.level()
        labels = self.labels
        number = {e.id: labels.excerpt_label(i) for i, e in enumerate(self.reading_order, 1)}
        # Overrides on record: each extract's, then the lesson's own text's (its spec-level override).
        where = [*((number[x], d) for x, d in guidance.overrides()), *((g.own_text, d) for d in guidance.typed)]
        overrides = [g.override(w, d.flag.category.label, d.flag.level.label, d.reason) for w, d in where]
        on_record: list[Block] = []
        if overrides:
            on_record = [Heading(3, g.overrides_heading), ListBlock(tuple(spans(i) for i in overrides))]
        cited = self.citation_rows(number)
        if level is None:  # nothing flagged in the extracts; a citation may still name something
            shortened = self.shortened_citations(number)
            if not shortened and not cited and not on_record:
                return []
            boxes = [Callout("teacher-note", g.note_titles[m], (spans(text),)) for m, text in shortened]
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
            ListBlock(tuple(spans(t) for t in _paragraphs(g.checklist(rshe, adults, self.lesson.region)))),
        ]
        # Each note under its title, named by the macro that writes it.
        notes: list[tuple[str, str]] = []
        if guidance.applies("right-to-withdraw"):
            sex_ed = [c for c in guidance.categories() if "right-to-withdraw" in c.actions]
            topics = self.topics_for_teacher(sex_ed)
            notes.append(("right_to_withdraw", g.right_to_withdraw(self.lesson.region, topics)))
        political = [number[x] for x, eg in guidance.excerpts.items() if eg.has("impartiality-note")]
        if political:
            notes.append(("impartiality", g.impartiality(political, self.lesson.region)))
        recent = [(x, eg) for x, eg in guidance.excerpts.items() if eg.has("verify-facts-note")]
        if recent:
            named: dict[str, None] = {}
            for _, eg in recent:
                for d in eg.shown:
                    if "verify-facts-note" in d.flag.category.actions:
                        named.update(dict.fromkeys(_title_case(w) for w in d.flag.words))
            years = sorted({eg.excerpt.essay.year for _, eg in recent})
            notes.append(("verify", g.verify([number[x] for x, _ in recent], list(named) or ["recent events"], years)))
        notes += self.shortened_citations(number)
        blocks += [Callout("teacher-note", g.note_titles[macro], (spans(text),)) for macro, text in notes]
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
                    self.g.decision(d.outcome, d.youngest, self.guidance.youngest, d.reason),
                )
            )
        return rows

    def cited_in(self, number: dict[str, str]) -> dict[str, list[str]]:
        """The extracts (by printed label, in reading order) that quote each essay."""
        found: dict[str, list[str]] = {}
        for e in self.reading_order:
            found.setdefault(e.essay.id, []).append(number[e.id])
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
                        self.g.citation_label(item.part, extracts.get(seed_id, [])),
                        "; ".join(
                            f"{d.flag.category.label}: {d.flag.level.label}"
                            + (f" ({d.flag.category.code})" if d.flag.category.code else "")
                            for d in item.decisions
                        ),
                        ", ".join(w for d in item.decisions for w in d.flag.words),
                        max(levels, key=lambda lv: lv.rank).label,
                        self.g.citation_decision(item.part, item.printed or "", item.shortened),
                    )
                )
        return rows

    def shortened_citations(self, number: dict[str, str]) -> list[tuple[str, str]]:
        """A note for each citation part pupils read shortened or not at all: the full words and why
        (each with the name of the macro that writes it, which names its title)."""
        extracts = self.cited_in(number)
        notes: list[tuple[str, str]] = []
        for seed_id, cited in self.guidance.citations.items():
            for item in cited.shortened:
                why = [(d.flag.category.label.lower(), d.youngest, d.outcome == "refused") for d in item.why]
                args = (extracts.get(seed_id, []), item.full, item.printed or "", why)
                if item.part in ("title", "description"):
                    notes.append(("cited_title", self.g.cited_title(*args)))
                else:
                    notes.append(("cited_credit", self.g.cited_credit(*args)))
        return notes

    def topics_for_teacher(self, categories: list[Any]) -> list[str]:
        return [self.g.topics[c.wording][self.guidance.policy.teacher_wording] for c in categories]


def _paragraphs(text: str) -> list[str]:
    """A macro's text split at blank lines, each paragraph's lines joined."""
    return [p for p in (" ".join(b.split()) for b in text.split("\n\n")) if p]


def _title_case(word: str) -> str:
    """'weinstein' as 'Weinstein' (words from URLs are lower case); other words unchanged."""
    return word[:1].upper() + word[1:] if word.islower() else word
