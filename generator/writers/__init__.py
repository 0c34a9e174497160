"""The output formats, as a table: adding a format is one writer module plus one line in FORMATS
(built by default) or ON_REQUEST (built only when `--formats` names it, or says `all`).

Each writer module has `render(x) -> bytes` for what its format says it `takes`: a print edition's
`Document`, the `Deck`, or (a format written once per pack from the whole lesson) the `Pack`; a
library is imported only by the writer modules of the formats written with it. The table is read
by the build (what to render and where), the cache fingerprint, `--formats` and `--help`, and the
layer test. A writer is imported only when a document is rendered with it, so that `--help` and
a build with nothing to do stay fast.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from ..model import Deck, Document, Edition, PrintEdition

if TYPE_CHECKING:
    from ..errors import Problem
    from ..readers.source import Located
    from .lms.pack import Pack

PRINT_EDITIONS: tuple[PrintEdition, ...] = ("student", "teacher")
# What a format's writer renders: an edition's Document (the print editions), the Deck (the slides),
# or the whole Pack (learning-platform exports).
Takes = Literal["document", "deck", "pack"]


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as given to --formats, and the file name's ending (ID-student.pdf) unless `suffix` says
    editions: tuple[Edition, ...]  # the editions it writes, one file each
    module: str  # its writer module in this package
    library: str  # the library only that module imports (and the other formats' modules using it); "" for none
    summary: str  # for --help
    suffix: str = ""  # the file name's ending when it is not `name`
    # A format written once per pack from the whole lesson (a course cartridge, a question bank)
    # rather than once per edition: its file is ID-<file>.<ending>, or ID.<ending> when this is "".
    # Its edition is the pupils' (what it holds is theirs); its writer's render takes a Pack.
    file: str | None = None
    takes: Takes = "document"  # what its writer's render takes (the layer test reads the writer's signature)

    def __post_init__(self) -> None:
        per_edition = ("slides",) if self.takes == "deck" else PRINT_EDITIONS
        if (self.takes == "pack") != (self.file is not None):
            raise ValueError(f"format {self.name}: a format written once per pack takes the pack and names its file")
        if not set(self.editions) <= set(per_edition):
            raise ValueError(f"format {self.name} takes a {self.takes}: it cannot write the editions {self.editions}")

    @property
    def extension(self) -> str:
        return self.suffix or self.name

    @property
    def per_pack(self) -> bool:
        return self.takes == "pack"

    def render_pack(self, pack: Pack) -> bytes:
        """The bytes of this format's one file for a whole pack."""
        writer = importlib.import_module(f"{__name__}.{self.module}")
        return cast("Callable[[Pack], bytes]", writer.render)(pack)

    def render(self, composed: Document | Deck) -> bytes:
        """The bytes of one file of this format for one edition: a Document or the Deck, as it takes."""
        writer = importlib.import_module(f"{__name__}.{self.module}")
        match composed:
            case Document() if self.takes == "document":
                return cast(Callable[[Document], bytes], writer.render)(composed)
            case Deck() if self.takes == "deck":
                return cast(Callable[[Deck], bytes], writer.render)(composed)
        raise TypeError(f"the {self.name} writer takes a {self.takes}, not a {type(composed).__name__}")


FORMATS: tuple[Format, ...] = (
    Format("pdf", PRINT_EDITIONS, "pdf", "reportlab", "PDF to print (reportlab)"),
    Format("docx", PRINT_EDITIONS, "docx", "docx", "DOCX to edit in Word or LibreOffice (python-docx)"),
    Format(
        "pptx",
        ("slides",),
        "pptx",
        "pptx",
        "PPTX slide deck for the board, with speaker notes (python-pptx)",
        takes="deck",
    ),
    Format(
        "html",
        PRINT_EDITIONS,
        "html",
        "html",
        "HTML web edition: one accessible, self-contained file for any screen (email it, share it in a class)",
    ),
)
# Learning platforms (Moodle, Canvas, Schoology, Blackboard, Brightspace, itslearning): a school
# that uses one asks for these by name; the rest of the school prints.
ON_REQUEST: tuple[Format, ...] = (
    Format(
        "imscc",
        ("student",),
        "lms.cartridge",
        "",
        "IMS Common Cartridge 1.1 course package for a learning platform (the pupils' web page, handout, "
        "slides and quizzes)",
        file="",
        takes="pack",
    ),
    Format(
        "moodle",
        ("student",),
        "lms.moodle",
        "",
        "the quizzes as a Moodle XML question bank",
        "moodle.xml",
        file="quizzes",
        takes="pack",
    ),
    Format(
        "gift",
        ("student",),
        "lms.gift",
        "",
        "the quizzes as GIFT, for Moodle's question bank",
        file="quizzes",
        takes="pack",
    ),
)
ALL: tuple[Format, ...] = (*FORMATS, *ON_REQUEST)
BY_NAME = {f.name: f for f in ALL}
# The deck printed as slide handouts (ID-slides.pdf), for a print run's teacher who asks for it
# (`slides: true`); not a build format, so `build` and `--formats` never write it.
HANDOUT = Format(
    "handout",
    ("slides",),
    "pptx.handout",
    "reportlab",
    "the slide deck printed, two slides a page (print runs)",
    "pdf",
    takes="deck",
)


def choose(text: str) -> tuple[Format, ...]:
    """The formats named in a comma-separated list ('pdf,docx'; 'all' is every format), in the
    table's order.

    ValueError says what is wrong, with a did-you-mean for a misspelt name."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise ValueError(f"name at least one format ({', '.join(BY_NAME)}) or all")
    if "all" in names:
        return ALL
    for name in names:
        if name not in BY_NAME:
            close = difflib.get_close_matches(name, [*BY_NAME, "all"], 1, 0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"formats: {', '.join(BY_NAME)}, or all"
            raise ValueError(f"unknown format '{name}'; {hint}")
    return tuple(f for f in ALL if f.name in names)


def names(formats: Sequence[Format]) -> list[str]:
    return [f.name for f in formats]


# The longest run of characters without a space that every writer can set: a slide's line at
# large print holds about 30 characters, and a word is broken over at most a few of them (a web
# address of 100 characters still fits; a longer run is almost always a paste gone wrong).
MAX_WORD = 100


def printable(texts: list[Located]) -> list[Problem]:
    """What no writer can print, as errors at their places: characters that none of the fonts
    the writers use can draw (each character once per text, at most three per text), and a
    run of more than MAX_WORD characters without a space (the first of each text)."""
    from ..errors import Problem
    from . import fonts

    problems = []
    for located in texts:
        text = located.text
        long = next((w for w in text.split() if len(w) > MAX_WORD), None)
        if long is not None:
            problems.append(
                Problem(
                    located.find(long),
                    f"a word of {len(long)} characters with no space ('{long[:20]}…'); at most {MAX_WORD} fit "
                    "the lines of a slide or a table; add spaces, or shorten the web address",
                )
            )
        for ch in list(dict.fromkeys(text[i] for i in fonts.undrawable(text)))[:3]:
            problems.append(
                Problem(
                    located.find(ch),
                    f"no font can draw the character '{ch}' (U+{ord(ch):04X}); replace it or remove it",
                )
            )
    return problems
