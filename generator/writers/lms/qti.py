"""A quiz as a QTI 1.2.1 assessment in the IMS Common Cartridge 1.1 profile: single-answer multiple
choice items (`cc.multiple_choice.v0p1`), options in the pack's order, the correct one scored 100.

Written where Moodle's Common Cartridge importer reads it: each item under assessment/section, its
stem the first presentation/material/mattext, its options response_lid/render_choice/response_label
(no flow_label), and one respcondition whose varequal names the correct option. Text is HTML that
shows the spec's text exactly (escaped), as platforms show mattext of type text/html."""

from __future__ import annotations

from ...lesson.platform import QuizSet
from .markup import as_html, attr, ident, text

NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
SCHEMA = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
PROFILE = "cc.multiple_choice.v0p1"


def _field(label: str, entry: str) -> str:
    field = f"<fieldlabel>{label}</fieldlabel><fieldentry>{text(entry)}</fieldentry>"
    return f"<qtimetadatafield>{field}</qtimetadatafield>"


def _mattext(value: str) -> str:
    return f'<material><mattext texttype="text/html">{text(as_html(value))}</mattext></material>'


def item_ident(pack_id: str, quiz: QuizSet, n: int) -> str:
    return ident(pack_id, quiz.key, f"q{n}")


def option_ident(pack_id: str, quiz: QuizSet, n: int, i: int) -> str:
    # Moodle compares option idents without regard to case: these differ in their digits.
    return ident(pack_id, quiz.key, f"q{n}", f"o{i + 1}")


def assessment(pack_id: str, quiz: QuizSet) -> bytes:
    """The assessment file of one quiz."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<questestinterop xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA}">',
        f"<assessment ident={attr(ident(pack_id, quiz.key))} title={attr(quiz.title)}>",
        "<qtimetadata>",
        _field("cc_profile", "cc.exam.v0p1"),
        _field("qmd_assessmenttype", "Examination"),
        _field("cc_maxattempts", "unlimited"),
        "</qtimetadata>",
        f"<section ident={attr(ident(pack_id, quiz.key, 'section'))}>",
    ]
    for n, (item, name) in enumerate(zip(quiz.items, quiz.names, strict=True), 1):
        response = ident(pack_id, quiz.key, f"q{n}", "response")
        out += [
            f"<item ident={attr(item_ident(pack_id, quiz, n))} title={attr(name)}>",
            "<itemmetadata><qtimetadata>",
            _field("cc_profile", PROFILE),
            _field("cc_weighting", "1"),
            "</qtimetadata></itemmetadata>",
            "<presentation>",
            _mattext(item.question),
            f'<response_lid ident={attr(response)} rcardinality="Single">',
            '<render_choice shuffle="No">',
            *(
                f"<response_label ident={attr(option_ident(pack_id, quiz, n, i))}>{_mattext(option)}</response_label>"
                for i, option in enumerate(item.options)
            ),
            "</render_choice>",
            "</response_lid>",
            "</presentation>",
            "<resprocessing>",
            '<outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/></outcomes>',
            '<respcondition continue="No">',
            f"<conditionvar><varequal respident={attr(response)}>"
            f"{text(option_ident(pack_id, quiz, n, item.correct))}</varequal></conditionvar>",
            '<setvar action="Set" varname="SCORE">100</setvar>',
            "</respcondition>",
            "</resprocessing>",
            "</item>",
        ]
    out += ["</section>", "</assessment>", "</questestinterop>", ""]
    return "\n".join(out).encode("utf-8")
