"""A pack's quizzes as a Moodle XML question bank (ID-quizzes.moodle.xml): one category named after
the lesson, then each question, named, as single-answer multiple choice with its options in the
pack's order (not shuffled), the correct one worth 100% and the others 0%.

Text is HTML (format="html") inside CDATA that shows the spec's text exactly; Moodle's qformat_xml
refuses raw tags inside <text>."""

from __future__ import annotations

from .markup import as_html, cdata, text
from .pack import Pack


def category_path(title: str) -> str:
    """The category in the course's question bank: a '/' in a name is written '//' (Moodle's escape)."""
    return "$course$/top/" + title.replace("/", "//")


def _html(value: str) -> str:
    return f"<text>{cdata(as_html(value))}</text>"


def render(pack: Pack) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<quiz>",
        '<question type="category">',
        f"<category><text>{text(category_path(pack.category))}</text></category>",
        f'<info format="html">{_html(pack.title)}</info>',
        "</question>",
    ]
    for quiz in pack.quizzes:
        for n, (item, name) in enumerate(zip(quiz.items, quiz.names, strict=True), 1):
            out += [
                '<question type="multichoice">',
                f"<name><text>{text(name)}</text></name>",
                f'<questiontext format="html">{_html(item.question)}</questiontext>',
                '<generalfeedback format="html"><text></text></generalfeedback>',
                "<defaultgrade>1</defaultgrade>",
                "<penalty>0.3333333</penalty>",
                "<hidden>0</hidden>",
                f"<idnumber>{text(f'{pack.id}-{quiz.key}-{n}')}</idnumber>",
                "<single>true</single>",
                "<shuffleanswers>false</shuffleanswers>",
                "<answernumbering>ABCD</answernumbering>",
                *(
                    f'<answer fraction="{100 if i == item.correct else 0}" format="html">{_html(option)}'
                    '<feedback format="html"><text></text></feedback></answer>'
                    for i, option in enumerate(item.options)
                ),
                "</question>",
            ]
    out += ["</quiz>", ""]
    return "\n".join(out).encode("utf-8")
