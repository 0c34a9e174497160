"""The spec's building blocks: the kinds of text its keys hold (with their limits), who reads a
field (`read_by`), and the rules a value of one kind follows. readers.schema declares each key
with these."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from . import validation
from .printed import read_by

QuestionKind = Literal["recall", "inference", "evaluation", "balance"]
Region = Literal["uk", "us"]
ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
MAX_TEXT = 4000
# The lesson's title, its subject and an activity's title: a file's title and subject properties
# hold at most 255 characters (Word's cap, which python-docx and python-pptx enforce; the subject
# property adds " — " and the edition's name), and a slide's title at large print about three
# lines of 30 characters (the cover and every slide of an activity carry these titles).
MAX_TITLE = 100
# The most entries any list in a spec holds (keywords, questions, activities, an activity's steps…):
# far more than a lesson uses, and few enough that every spec check passes builds in seconds.
MAX_ITEMS = 40


Prose = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(validation.not_blank)]
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


MAX_OPTION = 119  # quiz options are under 120 characters
MAX_OUTCOME = 190
Option = Annotated[
    str, Field(min_length=1, max_length=MAX_OPTION), AfterValidator(validation.not_blank),
    AfterValidator(validation.one_line),
]  # fmt: skip
Short = Annotated[
    str, Field(min_length=1, max_length=300), AfterValidator(validation.not_blank), AfterValidator(validation.one_line)
]


def i_can(value: str) -> str:
    if not value.startswith("I can "):
        raise ValueError("must be one sentence starting 'I can' (what pupils can do by the end)")
    if re.search(r"[.!?]\s+\S", value.strip()):
        raise ValueError("must be one sentence: what pupils can do by the end")
    return value
