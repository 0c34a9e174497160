"""The wording the code reads from templates/labels.j2 and templates/guidance.j2, one typed field per
label or macro: a label the code reads is a field here, so the type checker finds a misspelt one, and
`wording.py` checks every field against the templates once, when they load (a bundled template that
lacks a field, sets one of the wrong kind or sets a name nothing reads is an error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

# A table by band ('plain', 'standard', 'adult') or by region ('uk', 'us'), or keyed by a policy's names.
ByKey = dict[str, str]


class TemplateWording(BaseModel):
    """The names one template sets that the code reads (a macro as a function giving its text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: ClassVar[str]
    # Names the template sets for its own macros' use, never read by the code.
    helpers: ClassVar[frozenset[str]] = frozenset()


class Labels(TemplateWording):
    """templates/labels.j2: short labels and headings."""

    template: ClassVar[str] = "labels.j2"
    helpers: ClassVar[frozenset[str]] = frozenset({"unknown_author", "untitled", "minutes", "platform_kinds"})

    # The editions and the cover
    edition_labels: ByKey
    edition_fields: dict[str, tuple[str, ...]]
    teacher_edition: str
    default_subject: ByKey
    outcome_label: str
    header: Callable[[str, str], str]  # (title, edition)
    page_label: str
    # Headings of the print editions
    texts_heading: str
    lesson_heading: str
    more_reading_heading: str
    keywords_heading: str
    keyword_columns: tuple[str, ...]
    key_points_heading: str
    remember_heading: str
    prior_knowledge_heading: str
    misconceptions_heading: str
    misconception_columns: tuple[str, ...]
    general_questions: str
    activities_heading: str
    support_heading: str
    overview_heading: str
    objectives_heading: str
    plan_heading: str
    plan_columns: tuple[str, ...]
    total_label: str
    notes_heading: str
    sources_heading: str
    source_columns: tuple[str, ...]
    source: Callable[[str, str, str, str, str, str], str]  # (author, publisher, title, description, date, cited)
    unknown_date: str
    guidance_heading: str
    service_columns: tuple[str, ...]
    service_minimum: Callable[[int], str]  # (age)
    # Quizzes, extracts and questions
    starter_quiz_heading: str
    exit_quiz_heading: str
    quiz_instructions: str
    option_letters: str
    answer_key_label: str
    answer_key: Callable[[list[tuple[int, str, str]]], str]  # ([(number, letter, answer)])
    reading_age: Callable[[int, float, str], str]  # (age, grade, hard words)
    excerpt_label: Callable[[int], str]
    question_label: Callable[[int], str]
    question_kinds: ByKey
    answer_label: str
    # Activities and their learning cycles
    activity_heading: Callable[[str, int], str]  # (title, minutes)
    activity_notes_label: str
    key_idea_label: str
    explain_label: str
    checks_heading: str
    checks_instructions: str
    teacher_feedback_heading: str
    other_options_label: str
    task_heading: str
    # The deck
    deck_label: str
    continued_label: str
    slide_label: str
    quiz_slide_title: Callable[[str, int], str]  # (quiz, number)
    quiz_answers_title: Callable[[str], str]
    objectives_note: str
    plan_note: str
    plan_row: Callable[[int, int, str], str]  # (start, end, title)
    answer_note: str
    decision_note: Callable[[str, str, str, str, str], str]  # a row of the guidance table
    support_note: str
    check_slide_title: Callable[[int], str]
    check_answer_title: Callable[[int], str]
    feedback_slide_title: Callable[[str], str]
    # The learning-platform exports
    platform_file: Callable[[str, str], str]  # (what, kind)
    checks_quiz_title: Callable[[str], str]  # (activity)


# Where a citation part is shortened: (the category's name in lower case, the youngest age it is
# allowed from, or None; whether it is refused).
Why = list[tuple[str, int | None, bool]]


class NoteWording(TemplateWording):
    """templates/guidance.j2: the content guidance's wording, for pupils (by band) and the teacher."""

    template: ClassVar[str] = "guidance.j2"
    helpers: ClassVar[frozenset[str]] = frozenset({"listing", "reasons", "part_names"})

    topics: dict[str, ByKey]  # by wording key, then band
    short: dict[str, ByKey]
    default_contacts: dict[str, ByKey]  # by region, then band
    summary_title: ByKey
    excerpt_title: ByKey
    opinion_title: str
    redacted_note: str
    banner_title: str
    table_columns: tuple[str, ...]
    checklist_heading: str
    overrides_heading: str
    own_text: str
    note_titles: ByKey  # by the macro that writes the note
    kind_balance: str
    summary: Callable[[str, list[str], str], str]  # (band, topics, contact)
    before: Callable[[str, list[str]], str]  # (band, topics)
    opinion: Callable[[str], str]
    balance_question: Callable[[str], str]
    balance_answer: Callable[[], str]
    decision: Callable[[str, int | None, int, str], str]  # (outcome, youngest allowed, class's youngest, reason)
    checklist: Callable[[bool, bool, str], str]  # (right to withdraw, adults, region)
    right_to_withdraw: Callable[[str, list[str]], str]  # (region, topics)
    impartiality: Callable[[list[str], str], str]  # (extracts, region)
    verify: Callable[[list[str], list[str], list[str]], str]  # (extracts, names, years)
    cited_title: Callable[[list[str], str, str, Why], str]  # (extracts, full, printed, why)
    cited_credit: Callable[[list[str], str, str, Why], str]
    citation_label: Callable[[str, list[str]], str]  # (part, extracts)
    citation_decision: Callable[[str, str, bool], str]  # (part, printed, shortened)
    override: Callable[[str, str, str, str], str]  # (where, category, level, reason)
