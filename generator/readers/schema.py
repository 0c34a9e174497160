"""The lesson spec's schema: each key declared once, as a field of these pydantic models, with its
type, its limits, its documentation (the JSON Schema is generated from them) and who reads it (`read_by`).

Validation (readers.spec) reads a spec into these models; the resolved lesson (readers.resolved)
holds them as validated, their printed text typographic, so that compose reads each key by its
field's name and a new key is one field here (plus the compose line that prints it and its label)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, PrivateAttr, model_validator

from . import validation
from .fields import (
    ID_PATTERN,
    MAX_ITEMS,
    MAX_OUTCOME,
    NOBODY,
    PUPILS,
    PUPILS_AND_SLIDES,
    SLIDES_AND_TEACHER,
    TEACHER,
    Line,
    Option,
    Prose,
    QuestionKind,
    Region,
    Short,
    Title,
    i_can,
)
from .printed import read_by


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
        None,
        description="Who the class is, shown on the cover.",
        examples=["Year 10"],
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
    quote: Prose = Field(
        description="The exact words from the essay. White space, curly/straight quotes and "
        "dash variants need not match; '…' marks an omission within one paragraph.",
        examples=["Bringing the subject to attention is the starting point."],
        json_schema_extra=read_by("pupil", "slide", judged="quote"),
    )
    intro: Prose | None = Field(
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
    override: dict[str, Prose] = Field(
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


class TableResponse(validation.StrictModel):
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
    table: TableResponse | None = Field(
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

    misconception: Prose = Field(
        description="The mistaken idea, as a pupil might say it.",
        examples=["Only the person being hurt can do anything."],
        json_schema_extra=TEACHER,
    )
    response: Prose = Field(
        description="How to respond.",
        examples=["Bystanders can act safely by distracting, delegating or checking in afterwards."],
        json_schema_extra=TEACHER,
    )


@dataclass(frozen=True)
class Space:
    """Room to answer in the student edition: ruled lines, an empty box, or a table to fill in."""

    kind: Literal["lines", "box", "table"]
    size: int  # lines, the box's height in lines, or the table's empty rows
    columns: tuple[str, ...] = ()  # a table's headings

    @staticmethod
    def lines(n: int) -> Space | None:
        return Space("lines", n) if n > 0 else None

    @staticmethod
    def given(response: Response | None, lines: int | None, default: int) -> Space | None:
        """Room to answer: the response given, else `lines` ruled lines (the shorthand), else the default."""
        if response is None:
            return Space.lines(default if lines is None else lines)
        if response.table is not None:
            return Space("table", response.table.rows, tuple(response.table.columns))
        if response.box is not None:
            return Space("box", response.box)
        return Space.lines(response.lines or 0)


class MultipleChoice(validation.StrictModel):
    """A question with one correct answer and distractors: a quiz question or a check for understanding.
    Each kind declares its fields (their readers and limits differ); the options' print order is set once
    the lesson is resolved (readers.spec), the same every build."""

    question: str
    answer: str
    distractors: list[str]
    _place: int = PrivateAttr(default=-1)  # where the answer goes among the distractors

    @property
    def options(self) -> tuple[str, ...]:
        """Every option in print order."""
        assert self._place >= 0, "the options are placed when the lesson is resolved"
        return (*self.distractors[: self._place], self.answer, *self.distractors[self._place :])

    @property
    def correct(self) -> int:
        """The index of the correct answer among `options`."""
        assert self._place >= 0, "the options are placed when the lesson is resolved"
        return self._place


class QuizItem(MultipleChoice):
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


class Check(MultipleChoice):
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

    text: Prose = Field(
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
    answer: Prose | None = Field(
        None,
        description="Answer guidance for the teacher (teacher edition only).",
        examples=["Look for: the scale of the problem became visible."],
        json_schema_extra=TEACHER,
    )
    lines: int | None = Field(
        None,
        ge=0,
        le=30,
        description="Ruled lines for a written answer (default 3); short for response: {lines: N}.",
        examples=[4],
    )
    response: Response | None = Field(
        None,
        description="Room to answer: {lines: N}, {box: N} or {table: {columns: [..], rows: N}}.",
        examples=RESPONSE_EXAMPLES,
    )

    @property
    def space(self) -> Space | None:
        """Room to answer: 3 ruled lines unless the question says."""
        return Space.given(self.response, self.lines, 3)


class Activity(validation.StrictModel):
    """A timed part of the lesson."""

    title: Title = Field(
        description="Name of the activity (at most 100 characters: it heads its slides).",
        examples=["Ground rules"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    minutes: int = Field(ge=1, le=600, description="How long it takes.", examples=[10])
    steps: list[Prose] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="What students do, one step per item.",
        examples=[["Agree three ground rules in pairs.", "Share them with the class."]],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    lines: int | None = Field(
        None,
        ge=0,
        le=40,
        description="Ruled lines for students to write on; short for response: {lines: N}.",
        examples=[6],
    )
    response: Response | None = Field(
        None,
        description="Room to work: {lines: N}, {box: N} or {table: {columns: [..], rows: N}}.",
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
    notes: Prose | None = Field(
        None,
        description="Notes for the teacher (teacher edition only).",
        examples=["Model one rule first."],
        json_schema_extra=TEACHER,
    )
    # The learning cycle: explain, check for understanding, practise (the steps), feedback.
    explain: list[Prose] = Field(
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
        examples=[
            [
                {
                    "question": "Which person is a bystander?",
                    "answer": "A classmate who reads the unkind messages",
                    "distractors": ["The person who wrote them", "The person they are about"],
                }
            ]
        ],
    )
    feedback: Prose | None = Field(
        None,
        description="A model answer or success criteria, shown on a slide after the steps and reading; the "
        "teacher edition; never the handout.",
        examples=["A strong answer gives the writer's view and one reason acting is hard."],
        json_schema_extra=SLIDES_AND_TEACHER,
    )

    @property
    def space(self) -> Space | None:
        """Room to work: none unless the activity says."""
        return Space.given(self.response, self.lines, 0)


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
        examples=[{"ages": "14-16", "region": "uk", "group": "Year 10"}],
    )
    duration: int = Field(ge=5, le=600, description="Length of the lesson in minutes.", examples=[60])
    summary: Prose | None = Field(
        None,
        description="One or two sentences for the cover, addressed to students.",
        examples=["Today we look at how people can speak up when something is wrong."],
        json_schema_extra=PUPILS,
    )
    contact: Line | None = Field(
        None,
        description="The adult pupils can talk to, named in the handout's content notes.",
        examples=["Ms Okafor (Head of Year 9) or Mr Lee, our safeguarding lead"],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    objectives: list[Prose] = Field(
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
        examples=[
            [
                {
                    "id": "starting-point",
                    "seed": "no-going-back",
                    "quote": "Bringing the subject to attention is the starting point.",
                }
            ]
        ],
    )
    questions: list[Question] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Questions, printed after the excerpts they are about.",
        examples=[
            [
                {
                    "text": "What does the writer mean by “the starting point”?",
                    "excerpts": ["starting-point"],
                    "kind": "inference",
                }
            ]
        ],
    )
    activities: list[Activity] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Timed activities; their minutes should add up to the duration.",
        examples=[[{"title": "Ground rules", "minutes": 10, "steps": ["Agree three ground rules in pairs."]}]],
    )
    teacher_notes: list[Prose] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Notes for the teacher about the whole lesson (teacher edition).",
        examples=[["Check the school's safeguarding policy before the lesson."]],
        json_schema_extra=TEACHER,
    )
    outcome: (
        Annotated[
            str,
            Field(min_length=1, max_length=MAX_OUTCOME),
            AfterValidator(i_can),
            AfterValidator(validation.one_line),
        ]
        | None
    ) = Field(
        None,
        description="What pupils can do by the end: one sentence starting 'I can', at most 190 characters "
        "(the student cover and the teacher edition).",
        examples=["I can explain how a bystander can safely help."],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    key_points: list[Prose] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="The 2-4 things to remember: the teacher edition, and 'What to remember' at the end of the "
        "handout.",
        examples=[["Harm is easier to stop early.", "There is always a safe way to act."]],
        json_schema_extra=PUPILS_AND_SLIDES,
    )
    prior_knowledge: list[Prose] = Field(
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
        examples=[
            [
                {
                    "term": "bystander",
                    "definition": "someone who sees something happen but is not the one doing it or hurt by it",
                }
            ]
        ],
    )
    misconceptions: list[Misconception] = Field(
        max_length=MAX_ITEMS,
        default_factory=list,
        description="Mistaken ideas to listen for, with how to respond (teacher edition only).",
        examples=[
            [
                {
                    "misconception": "Only the person being hurt can do anything.",
                    "response": "Bystanders can act safely by distracting, delegating or checking in afterwards.",
                }
            ]
        ],
    )
    starter_quiz: list[QuizItem] = Field(
        default_factory=list,
        max_length=10,
        description="Multiple-choice questions at the start (tick boxes for pupils; the answers in the teacher "
        "edition).",
        examples=[
            [
                {
                    "question": "What is a bystander?",
                    "answer": "Someone who sees something happen",
                    "distractors": ["Someone who starts an argument", "A teacher on duty"],
                }
            ]
        ],
    )
    exit_quiz: list[QuizItem] = Field(
        default_factory=list,
        max_length=10,
        description="Multiple-choice questions at the end, on the lesson's key points.",
        examples=[
            [
                {
                    "question": "When is harm easiest to stop?",
                    "answer": "Early, before it grows",
                    "distractors": ["Only once an adult has seen it", "After it has happened twice"],
                }
            ]
        ],
    )
    override: dict[str, Prose] = Field(
        default_factory=dict,
        description="Allow a word in the lesson's own text (title, steps, quiz, …) that this audience would "
        "otherwise be refused: 'category: written reason' (at least five words). The reason is printed in the "
        "teacher edition. An excerpt's quote has its own 'override'.",
        examples=[{"sexual-violence": "Year 9 consent unit; the word is named, never described; agreed with our DSL."}],
        json_schema_extra=TEACHER,
    )
