"""Nothing refused reaches a pupil: every spec field says who reads it, and every field pupils read is screened.

The fields are found by walking the spec's own models, so a field added later is covered (or
this fails): each string field must declare its readers, and a refused word put into each field
pupils read is an error at that word (a warning where only the teacher reads it). The same walk
puts an invisible character, written as a YAML escape, into every field."""

from __future__ import annotations

import copy
import io
import re
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import docx
import pptx
import pytest
import yaml
from pydantic import BaseModel
from pypdf import PdfReader

from generator.lesson import guidance, judging
from generator.model import Edition
from generator.readers import corpus as corpus_mod
from generator.readers import printed, schema, skeleton, spec
from generator.readers import seed as seed_mod
from generator.readers.corpus import Corpus
from generator.runners.build import Builder, Project
from tests.tools import body_paragraphs, table_texts

ROOT = Path(__file__).parent.parent
BUILDER = Builder(Project(ROOT))

# A spec with every field given once (each list one item): the fields' places come from the models.
BASE: dict[str, Any] = {
    "id": "speaking-up",
    "title": "Speaking Up",
    "subject": "PSHE",
    "audience": {"ages": "9-10", "region": "uk", "group": "Year Five"},
    "duration": 30,
    "summary": "Today we talk about speaking up.",
    "contact": "Ms Lee",
    "objectives": ["Explain what speaking up means."],
    "excerpts": [{
        "id": "start", "seed": "no-going-back", "quote": "Bringing the subject to attention is the starting point.",
        "intro": "A youth worker wrote this.", "tags": ["crime"],
        "override": {"crime": "Our class has studied the courts this term."}, "redact": False,
    }],
    "questions": [{
        "text": "What is the starting point?", "excerpts": ["start"], "kind": "recall",
        "answer": "Talking about it.", "response": {"table": {"columns": ["Idea"], "rows": 2}},
    }],
    "activities": [{
        "title": "Talking", "minutes": 30, "steps": ["Talk in pairs."], "excerpts": ["start"], "quiz": "starter",
        "notes": "Model it first.", "response": {"table": {"columns": ["Helps"], "rows": 2}},
        "explain": ["Speaking up helps early."],
        "checks": [
            {"question": "What helps early?", "answer": "Speaking up", "distractors": ["Waiting"]},
            {"question": "Who can speak up?", "answer": "Anyone", "distractors": ["Only adults"]},
        ],
        "feedback": "A strong answer names one safe way to speak up.",
    }],
    "teacher_notes": ["Check the school policy first."],
    "outcome": "I can say what speaking up means.",
    "key_points": ["Speak up early.", "Tell an adult."],
    "prior_knowledge": ["What respect means."],
    "keywords": [{"term": "subject", "definition": "what a text is about"}],
    "misconceptions": [{"misconception": "Only adults can help.", "response": "Anyone can help safely."}],
    "starter_quiz": [{"question": "Who can help?", "answer": "Anyone", "distractors": ["Nobody", "Only adults"]}],
    "exit_quiz": [{"question": "When should you speak up?", "answer": "Early", "distractors": ["Never", "Much later"]}],
    "override": {"crime": "Our class has studied the courts this term."},
}  # fmt: skip


def _is_text(annotation: Any) -> bool:
    """Whether a field's values are text: str, a choice of words (Literal), or a union with either."""
    if annotation is str:
        return True
    origin = get_origin(annotation)
    if origin is Literal:
        return all(isinstance(a, str) for a in get_args(annotation))
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(_is_text(a) for a in get_args(annotation))
    return False


def _fields(model: type[BaseModel], loc: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every text field under `model` with its FieldInfo: lists as their first item, mappings by
    the key BASE gives them."""
    out: list[tuple[tuple[str | int, ...], Any]] = []
    for name, info in model.model_fields.items():
        out += _walk(info.annotation, (*loc, name), info)
    return out


def _walk(annotation: Any, loc: tuple[str | int, ...], info: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _fields(annotation, loc)
    origin = get_origin(annotation)
    if origin is list:
        return _walk(get_args(annotation)[0], (*loc, 0), info)
    if origin is dict:
        return _walk(get_args(annotation)[1], (*loc, "crime"), info)
    if origin in (typing.Union, types.UnionType):
        found = [f for a in get_args(annotation) if a is not type(None) for f in _walk(a, loc, info)]
        if found:
            return found
    if origin is typing.Annotated:
        return _walk(get_args(annotation)[0], loc, info)
    return [(loc, info)] if _is_text(annotation) else []


FIELDS = _fields(schema.Spec)


def _declared(info: Any) -> printed.Declared:
    found = printed.declared(info)
    assert found is not None
    return found


def test_every_text_field_of_the_spec_declares_its_readers() -> None:
    undeclared = [loc for loc, info in FIELDS if printed.declared(info) is None]
    assert len(FIELDS) > 30
    assert undeclared == [], "declare who reads these (schema.py, json_schema_extra=read_by(...))"


def test_the_walk_of_a_validated_spec_sees_every_declared_field() -> None:
    model = schema.Spec.model_validate(BASE)
    seen = {t.loc for t in printed.texts(model)}
    missing = [loc for loc, _ in FIELDS if loc not in seen and _get(BASE, loc) is not None]
    assert missing == []


def test_the_schema_says_who_reads_each_field() -> None:
    schema = spec.json_schema()
    assert schema["properties"]["title"]["readers"] == ["pupil", "slide"]
    assert schema["$defs"]["QuizItem"]["properties"]["answer"]["readers"] == ["pupil", "slide"]
    assert schema["$defs"]["Activity"]["properties"]["notes"]["readers"] == ["teacher"]


def _get(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def _set(data: Any, loc: tuple[str | int, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _with_word(value: str, word: str) -> str:
    """`word` put in before the last word of `value` (an outcome stays one 'I can' sentence)."""
    words = value.split(" ")
    return " ".join([*words[:-1], word, words[-1]])


def _check(tmp_path: Path, data: dict[str, Any]) -> tuple[str, list[Any]]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path = tmp_path / "speaking-up.yaml"
    path.write_text(text, encoding="utf-8")
    _, _, problems = BUILDER.check(path)
    return text, problems


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


SCREENED = [(loc, info) for loc, info in FIELDS if _declared(info).judged == "typed" and _declared(info).readers]


def test_the_base_spec_is_clean(tmp_path: Path) -> None:
    _, problems = _check(tmp_path, BASE)
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize(("loc", "info"), SCREENED, ids=[".".join(map(str, loc)) for loc, _ in SCREENED])
def test_a_refused_word_in_each_field_is_an_error_where_pupils_read_it(
    loc: tuple[str | int, ...], info: Any, tmp_path: Path
) -> None:
    data = copy.deepcopy(BASE)
    _set(data, loc, "rape-" + _get(data, loc) if loc == ("id",) else _with_word(_get(data, loc), "rape"))
    text, problems = _check(tmp_path, data)
    line = _line_of(text, "rape")
    here = [p for p in problems if p.position.line == line and "“rape” is sexual violence" in p.message]
    assert here, f"nothing at line {line}: {[str(p) for p in problems]}"
    expected = "error" if _declared(info).pupils else "warning"
    assert {p.severity for p in here} == {expected}
    assert "the audience's youngest age is 9" in here[0].message and "allowed from 11" in here[0].message
    # The error points at the word itself.
    assert text.split("\n")[line - 1][here[0].position.col - 1 :].startswith("rape")


TEXTS = [(loc, info) for loc, info in FIELDS if _get(BASE, loc) is not None and isinstance(_get(BASE, loc), str)]


@pytest.mark.parametrize(("loc", "info"), TEXTS, ids=[".".join(map(str, loc)) for loc, _ in TEXTS])
def test_an_escaped_invisible_character_is_refused_in_every_field(
    loc: tuple[str | int, ...], info: Any, tmp_path: Path
) -> None:
    data = copy.deepcopy(BASE)
    value = _get(data, loc)
    _set(data, loc, value[:2] + "@SHY@" + value[2:])
    lines = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000).split("\n")
    line = _line_of("\n".join(lines), "@SHY@")
    # Written as a double-quoted YAML escape: the file holds no invisible character, the value does.
    m = re.fullmatch(r"(\s*(?:- )?(?:\w+: )?)(.*)", lines[line - 1])
    assert m is not None
    lines[line - 1] = m.group(1) + '"' + m.group(2).replace("@SHY@", "\\u00ad") + '"'
    path = tmp_path / "speaking-up.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    _, _, problems = BUILDER.check(path)
    assert any(
        p.severity == "error"
        and (p.position.line, p.position.col) == (line, lines[line - 1].index("\\u00ad") + 1)
        and "invisible character U+00AD (SOFT HYPHEN)" in p.message
        for p in problems
    ), [str(p) for p in problems]


ONE_LINE = [("title",), ("subject",), ("audience", "group"), ("contact",), ("outcome",), ("keywords", 0, "term"),
            ("keywords", 0, "definition"), ("starter_quiz", 0, "question"), ("starter_quiz", 0, "answer"),
            ("starter_quiz", 0, "distractors", 0), ("activities", 0, "title"),
            ("activities", 0, "response", "table", "columns", 0)]  # fmt: skip


@pytest.mark.parametrize("loc", ONE_LINE, ids=[".".join(map(str, loc)) for loc in ONE_LINE])
def test_a_line_break_in_a_one_line_field_is_refused(loc: tuple[str | int, ...], tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    value = _get(data, loc)
    _set(data, loc, "\n".join(value.rsplit(" ", 1)) if " " in value else value[:2] + "\n" + value[2:])
    _, problems = _check(tmp_path, data)
    assert any(p.severity == "error" and "must be one line" in p.message for p in problems)


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("R\u0430pe", "Cyrillic а"),
        ("\U0001d411\U0001d41a\U0001d429\U0001d41e", "Mathematical 𝐑"),
        ("\uff32\uff41\uff50\uff45", "Fullwidth Ｒ"),
        ("R\u0332a\u0332p\u0332e\u0332", "the mark U+0332 (COMBINING LOW LINE)"),
        ("R\u00e1pe", "á (U+00E1, read as a)"),
    ],
)
def test_a_word_matched_only_through_folding_says_so(written: str, named: str, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["key_points"] = [f"{written} is a crime.", "Tell an adult."]
    _, problems = _check(tmp_path, data)
    errors = [p for p in problems if p.severity == "error" and "sexual violence" in p.message]
    assert len(errors) == 1, [str(p) for p in problems]
    assert f"‘{unicodedata.normalize('NFC', written)}’ contains {named}" in errors[0].message
    assert "reads as" in errors[0].message and "sexual violence" in errors[0].message


def test_text_is_composed_after_yaml_decodes_it(tmp_path: Path) -> None:
    """An escaped decomposed accent (e + U+0301) is the same option as the composed é."""
    path = tmp_path / "speaking-up.yaml"
    data = copy.deepcopy(BASE)
    data["starter_quiz"][0]["distractors"] = ["Caf\u00e9 staff", "Nobody"]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    text = text.replace("- Café staff", '- "Cafe\\u0301 staff"').replace("answer: Anyone", "answer: Café staff")
    path.write_text(text, encoding="utf-8")
    _, _, problems = BUILDER.check(path)
    assert any("this distractor is the answer" in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize(
    ("answer", "distractor"),
    [
        ("Wait and see...", "Wait and see…"),
        ('Say "stop"', "Say “stop”"),
        ("Don't wait", "Don’t wait"),
        ("Tell  an\tadult", "tell an adult"),
        ("Tell an adult", "Tell an аdult"),  # a Cyrillic а
        ("Step in -- safely", "Step in – safely"),
    ],
)
def test_options_that_print_the_same_are_the_same(answer: str, distractor: str, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["starter_quiz"][0].update(answer=answer, distractors=[distractor, "Nobody"])
    _, problems = _check(tmp_path, data)
    assert any(p.severity == "error" and "this distractor is the answer" in p.message for p in problems)


def test_options_that_print_differently_are_different(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["starter_quiz"][0].update(answer="Wait and see", distractors=["Wait and see why", "Nobody"])
    _, problems = _check(tmp_path, data)
    assert not any("this distractor" in p.message for p in problems)


# -- the spec's own override ------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_a_spec_override_allows_the_lessons_own_words_on_the_record(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["audience"]["ages"] = "10"
    data["title"] = "Rape is a crime"
    reason = "Year 6 safeguarding unit, agreed with our DSL on 3 March"
    data["override"] = {"sexual-violence": reason}
    path = tmp_path / "speaking-up.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    lesson, found, problems = BUILDER.check(path)
    assert [p for p in problems if p.severity == "error"] == []
    assert lesson is not None and found is not None
    files = BUILDER.render(lesson, found)
    teacher = " ".join(_pdf_text(files[("teacher", "pdf")]).split())
    assert "Overrides on record" in teacher
    explained = "\n".join(guidance.explain(lesson, found))
    said = f"the lesson's own text: sexual-violence/mentioned: words “Rape” → OVERRIDDEN (reason: {reason})"
    assert said in explained
    assert f"The lesson’s own wording — Sexual violence (mentioned, not described): {reason}" in teacher


@pytest.mark.parametrize(
    ("reason", "ok"),
    [(". . . . .", False), ("1 2 3 4 5 6", False), ("a - b - c", False), ("agreed with our DSL today", True)],
)
def test_an_override_reason_counts_words_of_letters(reason: str, ok: bool, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["title"] = "Rape is a crime"
    data["override"] = {"sexual-violence": reason}
    _, problems = _check(tmp_path, data)
    errors = [p for p in problems if p.severity == "error"]
    assert bool(errors) is not ok, [str(p) for p in problems]
    if not ok:
        assert any("words of letters, not punctuation" in p.message for p in errors)


# -- omissions --------------------------------------------------------------------------


def _seed(paragraph: str) -> Corpus:
    text = (
        '---\nid: "made-up"\ntitle: "A made-up essay"\nauthor: "unknown"\ndate: "2020"\npublisher: "unknown"\n'
        f'place: "unknown"\nsource: "none"\nsummary: "A test essay."\ndescription: "essay"\nremoved: []\n---\n\n'
        f"[1] {paragraph}\n"
    )
    seed, problems = corpus_mod.read_seed(text.encode("utf-8"), "made-up.txt", "made-up")
    assert seed is not None, problems
    return Corpus({seed.id: seed})


def test_an_omission_cannot_split_a_phrase(corpus: Corpus) -> None:
    from generator.readers import policy as policy_mod

    made = _seed("He grabbed the bag and her coat, then ran out of the door.")
    match = corpus_mod.find_quote(made.seeds["made-up"], "He grabbed … her coat, then ran")
    assert isinstance(match, seed_mod.Match) and match.empty_omissions == ()
    default = policy_mod.default()
    assert judging.detect(match.text, default) == []  # each part alone says nothing
    split = judging.split_by_omissions(match.closed_up, [], default)
    assert [(h.category, h.level, h.words) for h in split] == [("sexual-violence", "described", "grabbed her")]


def test_an_omission_that_leaves_nothing_out_is_found() -> None:
    made = _seed("He said it was fine and left.")
    match = corpus_mod.find_quote(made.seeds["made-up"], "He said … it was fine")
    assert isinstance(match, seed_mod.Match)
    assert match.empty_omissions == ((0, "said", "it"),)
    copied = _seed("She stopped… and then she spoke.")
    kept = corpus_mod.find_quote(copied.seeds["made-up"], "She stopped… and then she spoke.")
    assert isinstance(kept, seed_mod.Match) and kept.empty_omissions == ()  # the essay's own ellipsis


# -- what is printed --------------------------------------------------------------------


def printed_texts(files: dict[tuple[Edition, str], bytes]) -> dict[str, str]:
    """The text of every file built, read back: PDF by pypdf, DOCX by python-docx (paragraphs and
    tables), PPTX by python-pptx (every shape of every slide; the speaker notes apart)."""
    out: dict[str, str] = {}
    for (edition, fmt), data in files.items():
        if fmt == "pdf":
            out[f"{edition}.pdf"] = _pdf_text(data)
        elif fmt == "docx":
            document = docx.Document(io.BytesIO(data))
            parts = [p.text for p in body_paragraphs(document)]
            parts += table_texts(document)
            out[f"{edition}.docx"] = "\n".join(parts)
        elif fmt == "pptx":
            deck = pptx.Presentation(io.BytesIO(data))
            parts, notes = [], []
            for slide in deck.slides:
                parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
                parts += [c.text for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
                if slide.has_notes_slide:
                    notes.append(slide.notes_slide.notes_text_frame.text)
            out[f"{edition}.pptx"] = "\n".join(parts)  # what the board shows
            out[f"{edition}-notes.pptx"] = "\n".join(notes)  # the teacher's speaker notes
    return out


def refused_in(text: str, youngest: int) -> list[str]:
    """The words in `text`, read as it reads (look-alikes folded), that this age is refused."""
    from generator.readers import policy as policy_mod

    default = policy_mod.default()
    flags = judging.flags(judging.detect((text,), default), default)
    return [w for f in flags if judging.decide(f, youngest, {}, False).outcome == "refused" for w in f.words]


def test_the_readback_finds_a_refused_word_where_one_is_printed(tmp_path: Path) -> None:
    """The property test's reader is not blind: an allowed word at 11 is found in every file at 11."""
    data = copy.deepcopy(BASE)
    data["audience"]["ages"] = "11"
    data["key_points"] = ["Rаpe is a crime.", "Tell an adult."]  # a Cyrillic а: allowed at 11, read back
    path = tmp_path / "speaking-up.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    lesson, found, problems = BUILDER.check(path)
    assert lesson is not None and found is not None
    texts = printed_texts(BUILDER.render(lesson, found))
    assert {"student.pdf", "teacher.pdf", "student.docx", "teacher.docx", "slides.pptx"} <= set(texts)
    for name in ("student.pdf", "teacher.pdf", "student.docx", "teacher.docx", "slides.pptx"):
        assert refused_in(texts[name], 9), name
    assert skeleton.reads_as("Rаpe") == "Rape"


def test_a_quote_whose_omission_joins_a_refused_phrase_is_refused() -> None:
    from generator.readers import policy as policy_mod
    from generator.readers import source

    made = _seed("He grabbed the bag and her coat, then ran out of the door.")
    text = (
        "title: Speaking Up\naudience:\n  ages: 11-12\nduration: 30\nexcerpts:\n  - id: coat\n    seed: made-up\n"
        "    quote: He grabbed … her coat, then ran out\n"
    )
    loaded, problems = source.load_text("made.yaml", text)
    assert loaded is not None, problems
    lesson, problems = spec.validate(loaded, made, "made")
    assert lesson is not None, problems
    _, judged = guidance.assess(lesson, policy_mod.default())
    errors = [p for p in judged if p.severity == "error"]
    assert len(errors) == 1 and "excerpt 'coat' is refused" in errors[0].message
    assert "described" in errors[0].message and "“grabbed her”" in errors[0].message
