"""Validate a lesson spec (pydantic models are the one source of truth) and resolve its quotes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from ..errors import Position, Problem
from . import corpus as corpus_mod
from . import printed, resolved, source, structure, validation
from .corpus import Corpus
from .printed import read_by
from .resolved import Ages, Lesson, QuestionKind, Region, ResolvedExcerpt
from .seed import OMISSION, Match, Miss, Seed, invisible
from .typography import typographic

ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
_AGES = re.compile(r"\s*(\d{1,2})\s*(?:([-–—])\s*(\d{1,2})|(\+))?\s*")
YOUNGEST, OLDEST = 5, 99
MAX_TEXT = 4000
# The lesson's title, its subject and an activity's title: a file's title and subject properties
# hold at most 255 characters (Word's cap, which python-docx and python-pptx enforce; the subject
# property adds " — " and the edition's name), and a slide's title at large print about three
# lines of 30 characters (the cover and every slide of an activity carry these titles).
MAX_TITLE = 100
# The most entries any list in a spec holds (keywords, questions, activities, an activity's steps…):
# far more than a lesson uses, and few enough that every spec check passes builds in seconds.
MAX_ITEMS = 40


Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(validation.not_blank)]
# Names, titles, options and headings print on one line: a line break in them is refused.
Line = Annotated[
    str, Field(min_length=1, max_length=300), AfterValidator(validation.not_blank), AfterValidator(validation.one_line)
]
Title = Annotated[
    str, Field(min_length=1, max_length=MAX_TITLE), AfterValidator(validation.not_blank),
    AfterValidator(validation.one_line),
]  # fmt: skip

# Who reads each field (see printed.py): pupils in the student edition, the slides on the board,
# the teacher; a refused word is an error where pupils can read it, a warning where only the
# teacher does. Ids, seed names and choices are never printed as typed.
PUPILS_AND_SLIDES = read_by("pupil", "slide")
PUPILS = read_by("pupil")
TEACHER = read_by("teacher")
SLIDES_AND_TEACHER = read_by("slide", "teacher")
NOBODY = read_by(judged="none")


class Audience(validation.StrictModel):
    """Who the pack is for."""

    ages: int | str = Field(
        description="Ages of the audience: a range 'A-B', one age, or 'A+' for adults. "
        "The youngest age decides what content is allowed.",
        examples=["14-16", 11, "18+"],
        json_schema_extra=NOBODY,  # printed as the numbers it is read as
    )
    region: Region = Field(
        "uk", description="Which country's support services to list.", examples=["uk"], json_schema_extra=NOBODY
    )
    group: Line | None = Field(
        None, description="Who the class is, shown on the cover.", examples=["Year 10"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )


class Excerpt(validation.StrictModel):
    """A passage quoted from a seed essay; it must match the seed's text."""

    id: str = Field(
        pattern=ID_PATTERN,
        description="Short name for the excerpt, unique in the spec; questions refer to it.",
        examples=["milano"],
        json_schema_extra=NOBODY,
    )
    seed: str = Field(
        description="Id of the essay the quote comes from (see `lessonpack seeds`).",
        examples=["no-going-back"],
        json_schema_extra=NOBODY,  # its citation is printed: judged with the quote
    )
    quote: Text = Field(
        description="The exact words from the essay. White space, curly/straight quotes and "
        "dash variants need not match; '…' marks an omission within one paragraph.",
        examples=["Bringing the subject to attention is the starting point."],
        json_schema_extra=read_by("pupil", "slide", judged="quote"),
    )
    intro: Text | None = Field(
        None,
        description="A sentence printed before the excerpt to set the scene for students.",
        examples=["In 2020 a youth worker wrote about how schools can help."],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    tags: list[Line] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Content guidance to add to what the quoted words trigger: 'category' or "
        "'category/intensity' from the policy. Tags only add guidance; nothing removes what the text triggers.",
        examples=[["recent-events", "sexual-violence/described"]],
        json_schema_extra=NOBODY,
    )
    override: dict[str, Text] = Field(
        default_factory=dict,
        description="Allow content this audience would otherwise be refused: 'category: written reason'. "
        "The reason is printed in the teacher edition.",
        examples=[{"strong-language": "Year 11 media studies group; agreed with our DSL on 3 March."}],
        json_schema_extra=TEACHER,
    )
    redact: bool = Field(
        False,
        description="Print strong language as [offensive word]; the citation then says the quotation was adapted.",
        examples=[True],
    )


MAX_OPTION = 119  # quiz options are under 120 characters
MAX_OUTCOME = 190
Option = Annotated[
    str, Field(min_length=1, max_length=MAX_OPTION), AfterValidator(validation.not_blank),
    AfterValidator(validation.one_line),
]  # fmt: skip
Short = Annotated[
    str, Field(min_length=1, max_length=300), AfterValidator(validation.not_blank), AfterValidator(validation.one_line)
]


def _i_can(value: str) -> str:
    if not value.startswith("I can "):
        raise ValueError("must be one sentence starting 'I can' (what pupils can do by the end)")
    if re.search(r"[.!?]\s+\S", value.strip()):
        raise ValueError("must be one sentence: what pupils can do by the end")
    return value


class AnswerTable(validation.StrictModel):
    """A ruled table pupils fill in."""

    columns: list[
        Annotated[
            str, Field(min_length=1, max_length=60), AfterValidator(validation.not_blank),
            AfterValidator(validation.one_line),
        ]
    ] = Field(
        min_length=1, max_length=6, description="The column headings.", examples=[["Helps", "Gets in the way"]],
        json_schema_extra=PUPILS,
    )  # fmt: skip
    rows: int = Field(ge=1, le=20, description="Empty rows to write in.", examples=[4])


class Response(validation.StrictModel):
    """Room to answer: ruled lines, an empty box (for drawing or mapping), or a table to fill in.
    Give exactly one of lines, box or table."""

    lines: int | None = Field(None, ge=1, le=30, description="Ruled lines for a written answer.", examples=[4])
    box: int | None = Field(
        None, ge=1, le=40, description="An empty box this many lines tall, for drawing or mapping.", examples=[8]
    )
    table: AnswerTable | None = Field(
        None,
        description="A ruled table pupils fill in.",
        examples=[{"columns": ["Helps", "Gets in the way"], "rows": 4}],
    )

    @model_validator(mode="after")
    def _one(self) -> Response:
        given = [k for k in ("lines", "box", "table") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of lines, box or table")
        return self


RESPONSE_EXAMPLES = [{"lines": 4}, {"box": 8}, {"table": {"columns": ["Helps", "Gets in the way"], "rows": 4}}]


class Keyword(validation.StrictModel):
    """A word pupils need for the lesson, with a definition they can understand."""

    term: Annotated[
        str, Field(min_length=1, max_length=60), AfterValidator(validation.not_blank),
        AfterValidator(validation.one_line),
    ] = Field(
        description="The word or phrase.", examples=["bystander"], json_schema_extra=PUPILS_AND_SLIDES
    )  # fmt: skip
    definition: Short = Field(
        description="What it means, in words the youngest pupil understands.",
        examples=["someone who sees something happen but is not the one doing it or hurt by it"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )


class Misconception(validation.StrictModel):
    """Something pupils often get wrong, and how the teacher can respond (teacher edition only)."""

    misconception: Text = Field(
        description="The mistaken idea, as a pupil might say it.",
        examples=["Only the person being hurt can do anything."],
        json_schema_extra=TEACHER,
    )
    response: Text = Field(
        description="How to respond.",
        examples=["Bystanders can act safely by distracting, delegating or checking in afterwards."],
        json_schema_extra=TEACHER,
    )


class QuizItem(validation.StrictModel):
    """A multiple-choice question: one correct answer and 2-3 plausible distractors."""

    question: Short = Field(
        description="The question.", examples=["What is a bystander?"], json_schema_extra=PUPILS_AND_SLIDES
    )
    answer: Option = Field(
        description="The correct answer (under 120 characters): an option pupils tick, shown on the answers slide.",
        examples=["Someone who sees something happen"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    distractors: list[Option] = Field(
        min_length=2,
        max_length=3,
        description="2-3 wrong answers a pupil might really believe (under 120 characters each).",
        examples=[["Someone who starts an argument", "A teacher on duty"]],
        json_schema_extra=PUPILS_AND_SLIDES,
    )


class Check(validation.StrictModel):
    """A check for understanding: a quick question the class answers (fingers or mini whiteboards) after
    the explanation, the answer shown on the next slide. Slides and teacher edition; never the handout."""

    question: Short = Field(
        description="The question.", examples=["Which person is a bystander?"], json_schema_extra=SLIDES_AND_TEACHER
    )
    answer: Option = Field(
        description="The correct answer (under 120 characters): shown on the slide after the question.",
        examples=["A classmate who reads the unkind messages"],
        json_schema_extra=SLIDES_AND_TEACHER,
    )
    distractors: list[Option] = Field(
        min_length=1,
        max_length=3,
        description="1-3 wrong answers that are common misunderstandings (under 120 characters each).",
        examples=[["The person who wrote them", "The person they are about"]],
        json_schema_extra=SLIDES_AND_TEACHER,
    )


class Question(validation.StrictModel):
    """A discussion or written question, printed after the excerpts it is about."""

    text: Text = Field(
        description="The question as students will read it.",
        examples=["What does the writer mean by a 'safe space'?"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    excerpts: list[str] = Field(
        default_factory=list,
        description="Ids of the excerpts the question is about; empty for a general question.",
        examples=[["milano"]],
        json_schema_extra=NOBODY,
    )
    kind: QuestionKind | None = Field(
        None,
        description="What the question asks of students: recall, inference, evaluation, or balance "
        "(it asks for another side of an opinion; a political excerpt without one gets a standard one).",
        examples=["inference"],
        json_schema_extra=NOBODY,
    )
    answer: Text | None = Field(
        None,
        description="Answer guidance for the teacher (teacher edition only).",
        examples=["Look for: the scale of the problem became visible."],
        json_schema_extra=TEACHER,
    )
    lines: int | None = Field(
        None, ge=0, le=30, description="Ruled lines for a written answer (default 3); short for response: {lines: N}.",
        examples=[4],
    )
    response: Response | None = Field(
        None, description="Room to answer: {lines: N}, {box: N} or {table: {columns: [..], rows: N}}.",
        examples=RESPONSE_EXAMPLES,
    )


class Activity(validation.StrictModel):
    """A timed part of the lesson."""

    title: Title = Field(
        description="Name of the activity (at most 100 characters: it heads its slides).", examples=["Ground rules"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    minutes: int = Field(ge=1, le=600, description="How long it takes.", examples=[10])
    steps: list[Text] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="What students do, one step per item.",
        examples=[["Agree three ground rules in pairs.", "Share them with the class."]],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    lines: int | None = Field(
        None, ge=0, le=40, description="Ruled lines for students to write on; short for response: {lines: N}.",
        examples=[6],
    )
    response: Response | None = Field(
        None, description="Room to work: {lines: N}, {box: N} or {table: {columns: [..], rows: N}}.",
        examples=RESPONSE_EXAMPLES,
    )
    excerpts: list[str] = Field(
        default_factory=list,
        description="Ids of the excerpts read in this activity: the handout prints them (and their questions) "
        "after its steps, so that it follows the lesson plan.",
        examples=[["milano"]],
        json_schema_extra=NOBODY,
    )
    quiz: Literal["starter", "exit"] | None = Field(
        None,
        description="The quiz done in this activity, printed after its steps (by default the starter quiz opens "
        "the handout and the exit quiz closes it).",
        examples=["starter"],
        json_schema_extra=NOBODY,
    )
    notes: Text | None = Field(
        None, description="Notes for the teacher (teacher edition only).", examples=["Model one rule first."],
        json_schema_extra=TEACHER,
    )
    # The learning cycle: explain, check for understanding, practise (the steps), feedback.
    explain: list[Text] = Field(
        default_factory=list,
        description="The teacher's explanation, a point a line, to pupils: slides before the steps, the "
        "teacher edition, and a 'Key idea' box in the handout.",
        examples=[["A bystander sees or knows about something harmful but is not the one doing it."]],
        json_schema_extra=read_by("pupil", "slide", "teacher"),
    )
    checks: list[Check] = Field(
        default_factory=list,
        max_length=6,
        description="Checks for understanding after the explanation (two or more when the activity reads an "
        "extract): a slide each, the answer on the next; the teacher edition; never the handout.",
        examples=[[{"question": "Which person is a bystander?", "answer": "A classmate who reads the unkind messages",
                    "distractors": ["The person who wrote them", "The person they are about"]}]],
    )
    feedback: Text | None = Field(
        None,
        description="A model answer or success criteria, shown on a slide after the steps and reading; the "
        "teacher edition; never the handout.",
        examples=["A strong answer gives the writer's view and one reason acting is hard."],
        json_schema_extra=SLIDES_AND_TEACHER,
    )


class Spec(validation.StrictModel):
    """A lesson spec: one YAML file that becomes a student handout and a teacher edition."""

    model_config = ConfigDict(
        title="lessonpack lesson spec",
        json_schema_extra={"$id": "https://lessonpack.invalid/schema/lesson-spec.schema.json"},
    )

    id: str | None = Field(
        None,
        pattern=ID_PATTERN,
        description="Pack id (output folder and file names); defaults to the file name.",
        examples=["start-a-conversation"],
        json_schema_extra=TEACHER,  # the files' names, which the teacher hands out
    )
    title: Title = Field(
        description="Title of the lesson (at most 100 characters: it heads the cover and the title slide).",
        examples=["Being an Ally — Start a Conversation"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    subject: Title | None = Field(
        None,
        description="Subject shown on the cover (at most 100 characters: with the edition's name it is each "
        "file's subject property, which Word caps at 255); by default the region's name for the subject "
        "(templates/labels.j2).",
        examples=["PSHE / RSHE"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    audience: Audience = Field(
        description="Who the pack is for: the pupils' ages and the region of the support services.",
        examples=[{"ages": "14-16", "region": "uk", "group": "Year 10"}]
    )
    duration: int = Field(ge=5, le=600, description="Length of the lesson in minutes.", examples=[60])
    summary: Text | None = Field(
        None, description="One or two sentences for the cover, addressed to students.",
        examples=["Today we look at how people can speak up when something is wrong."],
        json_schema_extra=PUPILS,
    )
    contact: Line | None = Field(
        None,
        description="The adult pupils can talk to, named in the handout's content notes.",
        examples=["Ms Okafor (Head of Year 9) or Mr Lee, our safeguarding lead"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    objectives: list[Text] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Learning objectives (teacher edition).",
        examples=[["Explain what an active bystander does."]],
        json_schema_extra=TEACHER,
    )
    excerpts: list[Excerpt] = Field(
        max_length=MAX_ITEMS,
        min_length=1,
        description="Passages quoted from the seed essays, in the order printed.",
        examples=[[{"id": "starting-point", "seed": "no-going-back",
                    "quote": "Bringing the subject to attention is the starting point."}]],
    )
    questions: list[Question] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Questions, printed after the excerpts they are about.",
        examples=[[{"text": "What does the writer mean by “the starting point”?", "excerpts": ["starting-point"],
                    "kind": "inference"}]],
    )
    activities: list[Activity] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Timed activities; their minutes should add up to the duration.",
        examples=[[{"title": "Ground rules", "minutes": 10, "steps": ["Agree three ground rules in pairs."]}]],
    )
    teacher_notes: list[Text] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Notes for the teacher about the whole lesson (teacher edition).",
        examples=[["Check the school's safeguarding policy before the lesson."]],
        json_schema_extra=TEACHER,
    )
    outcome: Annotated[
        str, Field(min_length=1, max_length=MAX_OUTCOME), AfterValidator(_i_can), AfterValidator(validation.one_line)
    ] | None = Field(
        None,
        description="What pupils can do by the end: one sentence starting 'I can', at most 190 characters "
        "(the student cover and the teacher edition).",
        examples=["I can explain how a bystander can safely help."],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    key_points: list[Text] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="The 2-4 things to remember: the teacher edition, and 'What to remember' at the end of the "
        "handout.",
        examples=[["Harm is easier to stop early.", "There is always a safe way to act."]],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    prior_knowledge: list[Text] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="What pupils should already know (teacher edition).",
        examples=[["What respect means in school."]],
        json_schema_extra=TEACHER,
    )
    keywords: list[Keyword] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Words pupils need, with pupil-friendly definitions: a box near the start of the handout.",
        examples=[[{"term": "bystander", "definition": "someone who sees something happen but is not the one "
                    "doing it or hurt by it"}]],
    )
    misconceptions: list[Misconception] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Mistaken ideas to listen for, with how to respond (teacher edition only).",
        examples=[[{"misconception": "Only the person being hurt can do anything.",
                    "response": "Bystanders can act safely by distracting, delegating or checking in afterwards."}]],
    )
    starter_quiz: list[QuizItem] = Field(
        default_factory=list,
        max_length=10,
        description="Multiple-choice questions at the start (tick boxes for pupils; the answers in the teacher "
        "edition).",
        examples=[[{"question": "What is a bystander?", "answer": "Someone who sees something happen",
                    "distractors": ["Someone who starts an argument", "A teacher on duty"]}]],
    )
    exit_quiz: list[QuizItem] = Field(
        default_factory=list,
        max_length=10,
        description="Multiple-choice questions at the end, on the lesson's key points.",
        examples=[[{"question": "When is harm easiest to stop?", "answer": "Early, before it grows",
                    "distractors": ["Only once an adult has seen it", "After it has happened twice"]}]],
    )
    override: dict[str, Text] = Field(
        default_factory=dict,
        description="Allow a word in the lesson's own text (title, steps, quiz, …) that this audience would "
        "otherwise be refused: 'category: written reason' (at least five words). The reason is printed in the "
        "teacher edition. An excerpt's quote has its own 'override'.",
        examples=[{"sexual-violence": "Year 9 consent unit; the word is named, never described; agreed with our DSL."}],
        json_schema_extra=TEACHER,
    )


def parse_ages(value: int | str) -> Ages | str:
    """Ages from '14-16', 14, '14' or '18+'; a message when they make no sense."""
    if isinstance(value, bool):
        return "ages should be like 14-16, 14 or 18+"
    if isinstance(value, int):
        lo, hi = value, value
        if not YOUNGEST <= lo <= OLDEST:
            return f"ages must be between {YOUNGEST} and {OLDEST}"
        return Ages(lo, hi)
    m = _AGES.fullmatch(value)
    if not m:
        return f"ages should be like 14-16, 14 or 18+, not '{value}'"
    lo = int(m.group(1))
    top: int | None = int(m.group(3)) if m.group(3) else (None if m.group(4) else lo)
    if not YOUNGEST <= lo <= OLDEST or (top is not None and not YOUNGEST <= top <= OLDEST):
        return f"ages must be between {YOUNGEST} and {OLDEST}"
    if top is not None and top < lo:
        return f"the youngest age comes first: write {top}-{lo}"
    return Ages(lo, top)


_TEMPLATE_LIKE = re.compile(r"\{\{|\{%|\{#")
_MARKUP_LIKE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def _text_checks(loaded: source.Loaded) -> list[Problem]:
    """Template or markup syntax (warnings: it is printed exactly as typed)."""
    problems = []
    for loc, text in loaded.strings():
        if _TEMPLATE_LIKE.search(text):
            problems.append(
                Problem(
                    loaded.at(loc),
                    "this looks like template syntax; it will be printed exactly as typed",
                    "warning",
                )
            )
        if _MARKUP_LIKE.search(text):
            problems.append(
                Problem(
                    loaded.at(loc),
                    "this looks like HTML markup; it will be printed exactly as typed",
                    "warning",
                )
            )
    return problems


def validate(loaded: source.Loaded, corpus: Corpus, stem: str) -> tuple[Lesson | None, list[Problem]]:
    """Every problem in a parsed spec at once, or the resolved lesson (plus warnings)."""
    problems: list[Problem] = []
    # What YAML decoded (escapes such as "\u00ad") is judged as it prints: composed, and with no
    # character that prints nothing.
    loaded = printed.composed(loaded)
    if loaded.value is None:
        return None, [Problem(loaded.at(()), "the spec is empty; start with 'title:'")]
    if not isinstance(loaded.value, dict):
        return None, [
            Problem(loaded.at(()), f"a spec is a set of 'key: value' lines, not {source.describe(loaded.value)}")
        ]
    problems += printed.characters(loaded)
    problems += _text_checks(loaded)
    spec, invalid = validation.read_model(loaded, Spec, "spec")
    problems += invalid

    ages: Ages | str = "no ages"
    audience = loaded.value.get("audience")
    given = audience.get("ages") if isinstance(audience, dict) else None
    if isinstance(given, int | str):
        ages = parse_ages(given)
        if isinstance(ages, str):
            problems.append(Problem(loaded.at(("audience", "ages")), ages))
    pack_id = spec.id if spec and spec.id else stem
    # Only a spec without 'id:' takes its file name as its id (an 'id:' that is wrong has its own error).
    if loaded.value.get("id") is None and not re.fullmatch(ID_PATTERN, stem):
        problems.append(
            Problem(
                loaded.at(()),
                f"the file name '{stem}' cannot be a pack id; rename the file "
                "(lowercase letters, digits and '-') or set 'id:'",
            )
        )

    # Excerpts and references are checked one by one, so that a mistake elsewhere in the
    # spec does not hide a quote that does not match.
    quoted: list[ResolvedExcerpt] = []
    seen_ids: dict[str, int] = {}
    for i, raw in enumerate(_items(loaded.value, "excerpts")):
        loc: tuple[str | int, ...] = ("excerpts", i)
        ex, _ = validation.read_model(loaded, Excerpt, "excerpt", raw)
        if ex is None:  # already reported above
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                seen_ids.setdefault(raw["id"], i)
            continue
        if ex.id in seen_ids:
            problems.append(
                Problem(
                    loaded.at((*loc, "id")),
                    f"excerpt id '{ex.id}' is already used by excerpt {seen_ids[ex.id] + 1}",
                )
            )
        seen_ids.setdefault(ex.id, i)
        seed = corpus.seeds.get(ex.seed)
        if seed is None:
            problems.append(
                Problem(
                    loaded.at((*loc, "seed")),
                    f"unknown seed '{ex.seed}'{corpus.hint(ex.seed)}",
                )
            )
            continue
        found = corpus_mod.find_quote(seed, ex.quote)
        if isinstance(found, Miss):
            problems.append(Problem(_quote_at(loaded, (*loc, "quote"), ex.quote, found.at), _miss_message(seed, found)))
            continue
        problems += _empty_omissions(loaded, (*loc, "quote"), ex.quote, found)
        quoted.append(
            ResolvedExcerpt(
                ex.id, seed, ex.quote, found, ex.intro, loaded.at(loc), i, tuple(ex.tags),
                tuple(ex.override.items()), ex.redact,
            )
        )

    used: set[str] = set()
    for qi, q in enumerate(_items(loaded.value, "questions")):
        if isinstance(q, dict) and "answer" not in q and isinstance(q.get("text"), str):
            problems.append(
                Problem(
                    loaded.at(("questions", qi, "text")),
                    f"question {qi + 1} has no answer guidance; add 'answer:' (the teacher edition prints it)",
                    "warning",
                )
            )
        refs = q.get("excerpts") if isinstance(q, dict) else None
        for ri, ref in enumerate(refs if isinstance(refs, list) else []):
            if not isinstance(ref, str):
                continue
            used.add(ref)
            if ref not in seen_ids:
                problems.append(
                    Problem(
                        loaded.at(("questions", qi, "excerpts", ri)),
                        f"no excerpt has the id '{ref}'"
                        + (
                            validation.suggest(ref, list(seen_ids))
                            or f"; excerpts in this spec: {', '.join(seen_ids) or 'none'}"
                        ),
                    )
                )
    problems += structure.check(loaded, quoted, seen_ids)
    if spec is not None:
        for i, ex_spec in enumerate(spec.excerpts):
            if ex_spec.id not in used and spec.questions:
                problems.append(
                    Problem(
                        loaded.at(("excerpts", i, "id")),
                        f"no question is about excerpt '{ex_spec.id}'",
                        "warning",
                    )
                )
        if spec.activities:
            total = sum(a.minutes for a in spec.activities)
            if total != spec.duration:
                problems.append(
                    Problem(
                        loaded.at(("duration",)),
                        f"the activities take {total} minutes but the lesson is {spec.duration} minutes",
                        "warning",
                    )
                )
    errors = [p for p in problems if p.severity == "error"]
    if errors or spec is None or isinstance(ages, str):
        return None, problems
    warnings = tuple(p for p in problems if p.severity == "warning")
    return _lesson(spec, pack_id, loaded, ages, tuple(quoted), warnings), problems


def _lesson(
    spec: Spec,
    pack_id: str,
    loaded: source.Loaded,
    ages: Ages,
    excerpts: tuple[ResolvedExcerpt, ...],
    warnings: tuple[Problem, ...],
) -> Lesson:
    """The resolved lesson: the spec's values with every default applied, as plain data, and the
    teacher's own text with typographic quotes, apostrophes and dashes (quoted seed text is the
    seed's, printed as the essay has it)."""
    t = typographic

    def opt(text: str | None) -> str | None:
        return None if text is None else t(text)

    return Lesson(
        id=pack_id,
        path=loaded.path,
        title=t(spec.title),
        subject=t(spec.subject) if spec.subject is not None else None,
        ages=ages,
        region=spec.audience.region,
        duration=spec.duration,
        excerpts=tuple(replace(e, intro=opt(e.intro)) for e in excerpts),
        questions=tuple(
            resolved.Question(t(q.text), tuple(q.excerpts), q.kind, opt(q.answer), _space(q.response, q.lines, 3))
            for q in spec.questions
        ),
        activities=tuple(
            resolved.Activity(
                t(a.title), a.minutes, tuple(map(t, a.steps)), _space(a.response, a.lines, 0), opt(a.notes),
                tuple(a.excerpts), a.quiz, tuple(map(t, a.explain)), _quiz(pack_id, a.checks), opt(a.feedback),
            )
            for a in spec.activities
        ),
        group=opt(spec.audience.group),
        summary=opt(spec.summary),
        contact=opt(spec.contact),
        objectives=tuple(map(t, spec.objectives)),
        teacher_notes=tuple(map(t, spec.teacher_notes)),
        outcome=opt(spec.outcome),
        key_points=tuple(map(t, spec.key_points)),
        prior_knowledge=tuple(map(t, spec.prior_knowledge)),
        keywords=tuple(resolved.Keyword(t(k.term), t(k.definition)) for k in spec.keywords),
        misconceptions=tuple(resolved.Misconception(t(m.misconception), t(m.response)) for m in spec.misconceptions),
        starter_quiz=_quiz(pack_id, spec.starter_quiz),
        exit_quiz=_quiz(pack_id, spec.exit_quiz),
        warnings=warnings,
        override=tuple(spec.override.items()),
        texts=printed.texts(spec),
        loaded=loaded,
    )


def _empty_omissions(loaded: source.Loaded, loc: tuple[str | int, ...], quote: str, found: Match) -> list[Problem]:
    """An omission mark where the essay leaves nothing out: it would split the words it stands
    between (and hide a phrase from the content policy)."""
    problems = []
    marks = [m.start() for m in OMISSION.finditer(quote) if quote[: m.start()].strip()]
    marks = [at for at in marks if quote[at:].lstrip(" .…").strip()]
    for n, before, after in found.empty_omissions:
        at = marks[n] if n < len(marks) else None
        problems.append(
            Problem(
                _quote_at(loaded, loc, quote, at),
                f"this omission leaves nothing out: the essay goes straight on from “{before}” to “{after}”; "
                "remove the '…' (an omission marks words left out)",
            )
        )
    return problems


def _space(response: Response | None, lines: int | None, default: int) -> resolved.Space | None:
    """Room to answer: the response given, else `lines` ruled lines (the shorthand), else the default."""
    if response is None:
        return resolved.Space.lines(default if lines is None else lines)
    if response.table is not None:
        return resolved.Space("table", response.table.rows, tuple(map(typographic, response.table.columns)))
    if response.box is not None:
        return resolved.Space("box", response.box)
    return resolved.Space.lines(response.lines or 0)


def _quiz(pack_id: str, items: Sequence[QuizItem | Check]) -> tuple[resolved.QuizItem, ...]:
    """Each question's options in an order fixed by the pack: the same every build, the correct
    answer at a place that varies from question to question (never the same place for all)."""
    out: list[resolved.QuizItem] = []
    for n, item in enumerate(items):
        options = [typographic(d) for d in item.distractors]
        digest = hashlib.sha256(f"{pack_id}\0{item.question}".encode()).digest()
        place = digest[0] % (len(options) + 1)
        if n == len(items) - 1 and len(items) > 1 and all(q.answer == place for q in out):
            place = (place + 1) % (len(options) + 1)  # not every answer in the same place
        options.insert(place, typographic(item.answer))
        out.append(resolved.QuizItem(typographic(item.question), tuple(options), place))
    return tuple(out)


def _items(value: dict[str, Any], key: str) -> list[Any]:
    items = value.get(key)
    return items if isinstance(items, list) else []


def _miss_message(seed: Seed, miss: Miss) -> str:
    if not miss.passage:
        return f"the quote is not in seed '{seed.id}' and nothing in it comes close"
    where = f"paragraph {miss.paragraph}" if miss.last <= miss.paragraph else f"paragraphs {miss.paragraph}–{miss.last}"
    if miss.whole_words:
        return (
            f"the quote starts or ends in the middle of a word in seed '{seed.id}' ({where}): "
            f"{miss.differs}; quote whole words"
        )
    return (
        f"the quote is not in seed '{seed.id}'; the closest passage is {where} "
        f"({miss.similarity:.0%} similar): “{miss.marked}”; {miss.differs}"
    )


def _quote_at(loaded: source.Loaded, loc: tuple[str | int, ...], quote: str, offset: int | None) -> Position:
    """Where character `offset` of the quote at `loc` is in the file (None: the whole quote). Its
    word is looked for in the file's text from the quote's start, past the same word's earlier
    occurrences in the quote, so line folding, indentation and quote marks between words do not
    matter. Characters YAML may write as escapes are left out of the word; the quote's start when
    the word is not found."""
    start = loaded.at(loc)
    if offset is None:
        return start
    while offset < len(quote) and not _verbatim(quote[offset]):
        offset += 1
    end = offset
    while end < len(quote) and _verbatim(quote[end]):
        end += 1
    needle = quote[offset:end]
    if not needle:
        return start
    text = loaded.text
    lines = text.split("\n")
    pos = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.col - 1
    seen = 0
    i = quote.find(needle)
    while 0 <= i < offset:
        seen += 1
        i = quote.find(needle, i + 1)
    for _ in range(seen + 1):
        pos = text.find(needle, pos)
        if pos < 0:
            return start
        pos += 1
    pos -= 1
    line_start = text.rfind("\n", 0, pos) + 1
    return Position(loaded.path, text.count("\n", 0, pos) + 1, pos - line_start + 1)


def _verbatim(ch: str) -> bool:
    """A character a YAML file has as itself in a quote: not white space, a quote mark, a
    backslash or a character that is written as an escape because it cannot be seen."""
    return ch.isprintable() and not ch.isspace() and ch not in "\"'\\" and not invisible(ch)


def load_lesson(path: Path, corpus: Corpus, display: str | None = None) -> tuple[Lesson | None, list[Problem]]:
    """Read, parse and validate one spec file."""
    loaded, problems = source.load(path, display)
    if loaded is None:
        return None, problems
    return validate(loaded, corpus, path.stem)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec, generated from the models that validate it."""
    return Spec.model_json_schema()
