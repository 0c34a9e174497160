"""Property: a refused word disguised in any field pupils read never reaches a built PDF, DOCX or PPTX.

Specs for an audience below the word's allowed age are drawn with refused words put into pupil
fields (every field whose declared readers include pupils or the slides) and into the quote,
disguised: invisible characters, look-alike letters from other scripts and forms, combining marks,
line breaks, odd case, YAML escapes (the whole file written with every non-ASCII character as an
escape, or as typed), and quotes with omissions placed anywhere. Either `check` refuses the spec,
or the student handout (PDF and DOCX) and the slide deck, read back by pypdf, python-docx and
python-pptx and folded the same way, hold no word the audience is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .examples import examples
from .test_printed import BASE, BUILDER, FIELDS, _declared, _get, _set, printed_texts, refused_in

# Words the default policy refuses below 11 (sexual violence, mentioned), 14 (described; strong language).
WORDS = ["rape", "raped", "rapist", "sexual assault", "abused", "molested", "grabbed her", "p*ssy", "fuck"]
# And words any age may read, disguised the same way, so that some drawn specs pass check and are built.
HARMLESS = ["kindness", "speak up"]
INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\u202e", "\u2066", "\u034f", "\ufeff", "\u180e",
             "\U000e0041", "\u2028", "\u0085"]  # fmt: skip
LOOKALIKES = {
    "a": "\u0430\u0251\uff41\U0001d41a", "e": "\u0435\uff45\U0001d41e", "p": "\u0440\u03c1\uff50", "o": "\u043e\u03bf",
    "s": "\u0455\uff53", "i": "\u0456\u0131", "c": "\u0441\u03f2", "r": "\u0433\uff52", "u": "\u057d\uff55",
    "x": "\u0445", "y": "\u0443", "h": "\u04bb", "d": "\u0501", "b": "\u042c", "l": "\u04cf",
}  # fmt: skip
MARKS = ["\u0332", "\u0301", "\u0308", "\u0336"]
PUPIL_FIELDS = [loc for loc, info in FIELDS if _declared(info).pupils and _declared(info).judged == "typed"]
PUPIL_FIELDS = [loc for loc in PUPIL_FIELDS if isinstance(_get(BASE, loc), str) and loc != ("audience", "ages")]
# Passages with refused words, as the essays have them: quoted whole or with omissions.
PASSAGES = [
    ("metoo-and-beyond", "openly admitted it through the infamous “Grab her by the p*ssy” quote, was still able"),
    ("metoo-and-beyond", "social media campaigns have brought attention to sexual violence, it is important"),
    ("no-going-back", "If all the women who have been sexually harassed or assaulted wrote ‘me too’ as a status"),
]


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    """`word` as an author might slip it past a filter."""
    chars = list(draw(st.sampled_from([word, word.capitalize(), word.upper()])))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["invisible", "lookalike", "mark", "break"]))
        i = draw(st.integers(0, len(chars) - 1))
        if kind == "invisible":
            chars.insert(i, draw(st.sampled_from(INVISIBLE)))
        elif kind == "lookalike" and chars[i].lower() in LOOKALIKES:
            chars[i] = draw(st.sampled_from(LOOKALIKES[chars[i].lower()]))
        elif kind == "mark":
            chars.insert(i + 1, draw(st.sampled_from(MARKS)))
        elif kind == "break":
            chars.insert(i, draw(st.sampled_from(["\n", " \n ", "\r\n"])))
    return "".join(chars)


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, str]:
    """A passage with refused words, whole or with omissions that leave out nothing or a few words."""
    seed, passage = draw(st.sampled_from(PASSAGES))
    words = passage.split(" ")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(1, len(words) - 2))
        dropped = draw(st.integers(0, 2))
        words = [*words[:at], draw(st.sampled_from(["…", "...", "…"])), *words[at + dropped :]]
    return seed, " ".join(words)


@st.composite
def specs(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    data = copy.deepcopy(BASE)
    # No tags or overrides: nothing is allowed on the record, so every refused word must stay out.
    del data["override"], data["excerpts"][0]["override"], data["excerpts"][0]["tags"]
    youngest = draw(st.sampled_from([6, 9, 10]))
    data["audience"]["ages"] = f"{youngest}-{youngest + 1}"
    pool = HARMLESS if draw(st.sampled_from([False, False, True])) else WORDS
    for loc in draw(st.lists(st.sampled_from(PUPIL_FIELDS), min_size=1, max_size=3, unique=True)):
        word = draw(st.sampled_from(pool).flatmap(disguised))
        value = _get(data, loc)
        _set(data, loc, f"{word} {value}" if loc != ("outcome",) else value.replace("I can ", f"I can {word} ", 1))
    if draw(st.booleans()):
        seed, quote = draw(quotes())
        data["excerpts"][0].update(seed=seed, quote=quote, redact=draw(st.booleans()))
    return data, youngest


@settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(drawn=specs(), escaped=st.booleans())
def test_nothing_refused_reaches_a_pupil(
    drawn: tuple[dict[str, Any], int], escaped: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data, youngest = drawn
    path = tmp_path_factory.mktemp("spec") / "drawn.yaml"
    # Either every character as typed, or every non-ASCII one as a YAML escape in double quotes.
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=not escaped, width=1000), encoding="utf-8")
    lesson, found, problems = BUILDER.check(path)
    if lesson is None or found is None or any(p.severity == "error" for p in problems):
        return  # refused: the answer is a positioned error, and nothing is built
    texts = printed_texts(BUILDER.render(lesson, found))
    for name in ("student.pdf", "student.docx", "slides.pptx"):
        assert refused_in(texts[name], youngest) == [], (name, path.read_text(encoding="utf-8"))


def test_the_drawn_fields_are_every_pupil_field() -> None:
    """Every text field pupils read is drawn into (the ages are numbers, not text, once read)."""
    assert len(PUPIL_FIELDS) >= 20
    assert ("starter_quiz", 0, "answer") in PUPIL_FIELDS and ("audience", "group") in PUPIL_FIELDS
