"""A pack's quizzes as GIFT (ID-quizzes.gift), the text format Moodle's question bank imports: one
category named after the lesson, then each question, named, as multiple choice with its options in
the pack's order, the correct one marked '='.

Text is HTML ([html]) that shows the spec's text exactly; GIFT's own marks ~ = # { } : and the
backslash are escaped with a backslash, and a line break is written \\n."""

from __future__ import annotations

from .markup import as_html, clean
from .moodle import category_path
from .pack import Pack

SPECIAL = "\\~=#{}:"


def escape(value: str) -> str:
    """Text GIFT reads back as itself."""
    out = "".join(f"\\{ch}" if ch in SPECIAL else ch for ch in clean(value))
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _html(value: str) -> str:
    return escape(as_html(value))


def render(pack: Pack) -> bytes:
    # The category line is read to its end, unescaped; a title is one line.
    title = " ".join(pack.category.split())
    out = [f"// {' '.join(pack.title.split())}", f"$CATEGORY: {category_path(title)}", ""]
    for quiz in pack.quizzes:
        for item, name in zip(quiz.items, quiz.names, strict=True):
            out.append(f"::{escape(name)}::[html]{_html(item.question)} {{")
            out += [f"\t{'=' if i == item.correct else '~'}{_html(o)}" for i, o in enumerate(item.options)]
            out += ["}", ""]
    return "\n".join(out).encode("utf-8")
