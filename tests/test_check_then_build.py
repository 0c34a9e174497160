"""Property: every spec `check` passes also builds, in every format, edition and variant.

`check` is the promise a teacher relies on before a department prints a run: nothing a writer
cannot take (a DOCX core property over 255 characters, a word wider than a slide, a table row
taller than one) may pass it. Specs are drawn over the spec model with text at and around the
limits the model allows; a spec `check` refuses is simply not built (the refusal is the
answer), but one it passes must render without an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.runners.build import Builder, Project
from generator.writers import FORMATS, HANDOUT, MAX_WORD

from .examples import examples

ROOT = Path(__file__).parent.parent
PROJECT = Project(ROOT)
# Every format a pack is written in, and the deck printed as handouts (print runs), in both variants.
EVERY_FORMAT = (*FORMATS, HANDOUT)
BUILDERS = {variant: Builder(PROJECT, variant=variant, formats=EVERY_FORMAT) for variant in ("standard", "large-print")}

# Quotes that are in the shipped essays and mild at any age the model allows.
QUOTES = [
    ("no-going-back", "Bringing the subject to attention is the starting point."),
    ("no-going-back", "It’s therefore important to create ‘safe spaces’ that these conversations can be had in."),
    ("no-going-back", "Students and teachers can help create an environment where everyone feels respected and safe."),
]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéßøŵ0123456789"
WORD = st.text(LETTERS, min_size=1, max_size=12)
# Up to the longest word check allows (MAX_WORD), now and then of the widest letters only.
LONG_WORD = st.one_of(st.text(LETTERS, min_size=40, max_size=MAX_WORD), st.text("WMŴ", min_size=40, max_size=MAX_WORD))


def prose(most: int) -> st.SearchStrategy[str]:
    """Text of up to `most` characters: ordinary words, now and then one very long word (a web
    address, a name in another script), sometimes filling the whole limit."""
    words = st.lists(st.one_of(WORD, WORD, WORD, LONG_WORD), min_size=1, max_size=most // 3 + 1)
    filled = st.builds(lambda w, n: (w + " ") * n, WORD, st.integers(1, most))
    return st.one_of(words.map(" ".join), filled, LONG_WORD).map(lambda s: s.strip()[:most].strip() or "x")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(range(len(QUOTES))), min_size=1, max_size=3, unique=True))
    excerpts = [
        {"id": f"e{n}", "seed": QUOTES[i][0], "quote": QUOTES[i][1], **(
            {"intro": draw(prose(4000))} if draw(st.booleans()) else {})}
        for n, i in enumerate(chosen)
    ]  # fmt: skip
    ids = [e["id"] for e in excerpts]
    spec: dict[str, Any] = {
        "title": draw(prose(draw(st.sampled_from([100, 100, 100, 300])))),
        "subject": draw(prose(draw(st.sampled_from([100, 100, 100, 300])))),
        "audience": {"ages": draw(st.sampled_from(["11-14", "14-16", 12, "16-18", "18+"]))},
        "duration": draw(st.integers(5, 600)),
        "excerpts": excerpts,
    }
    if draw(st.booleans()):
        spec["audience"]["group"] = draw(prose(300))
    for key, most in (("summary", 4000), ("contact", 300)):
        if (value := draw(maybe(prose(most)))) is not None:
            spec[key] = value
    if draw(st.booleans()):
        spec["outcome"] = ("I can " + draw(prose(180)).replace(".", ""))[:190]
    for key in ("objectives", "key_points", "prior_knowledge", "teacher_notes"):
        spec[key] = draw(st.lists(prose(4000), max_size=2))
    spec["questions"] = draw(st.lists(st.fixed_dictionaries(
        {"text": prose(4000), "excerpts": st.lists(st.sampled_from(ids), max_size=1)},
        optional={"answer": prose(4000), "lines": st.integers(0, 30)},
    ), max_size=2))  # fmt: skip
    spec["keywords"] = draw(st.lists(st.fixed_dictionaries(
        {"term": prose(60), "definition": prose(300)}), max_size=2, unique_by=lambda k: k["term"].lower()))  # fmt: skip
    spec["misconceptions"] = draw(st.lists(st.fixed_dictionaries(
        {"misconception": prose(4000), "response": prose(4000)}), max_size=1))  # fmt: skip
    options = st.lists(prose(119), min_size=3, max_size=4, unique_by=lambda o: " ".join(o.lower().split()))
    quiz = st.builds(lambda q, o: {"question": q, "answer": o[0], "distractors": o[1:]}, prose(300), options)
    spec["starter_quiz"] = draw(st.lists(quiz, max_size=2))
    spec["activities"] = draw(st.lists(st.fixed_dictionaries(
        {"title": st.sampled_from([100, 100, 300]).flatmap(prose), "minutes": st.integers(1, 600),
         "steps": st.lists(prose(4000), max_size=2)},
        optional={"notes": prose(4000), "response": st.one_of(
            st.builds(lambda n: {"lines": n}, st.integers(1, 40)),
            st.builds(lambda n: {"box": n}, st.integers(1, 40)),
            st.builds(lambda c, r: {"table": {"columns": c, "rows": r}},
                      st.lists(prose(60), min_size=1, max_size=6), st.integers(1, 20)),
        )},
    ), max_size=2))  # fmt: skip
    return spec


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(spec=specs(), large=st.booleans())
def test_every_spec_check_passes_builds_in_every_format(
    spec: dict[str, Any], large: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    builder = BUILDERS["large-print" if large else "standard"]
    path = tmp_path_factory.mktemp("spec") / "drawn.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lesson, found, problems = builder.check(path)
    # A spec check refuses is answered by its positioned error; hypothesis's health check fails
    # the test if it refuses nearly every drawn spec (then this would prove nothing).
    assume(lesson is not None and found is not None and not any(p.severity == "error" for p in problems))
    assert lesson is not None and found is not None
    files = builder.render(lesson, found)
    assert set(files) == {(e, f.name) for f in EVERY_FORMAT for e in f.editions} and all(files.values())


WIDE = "W" * MAX_WORD  # a word as long as check allows, of the widest letter


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_a_word_of_wide_letters_under_a_long_title_builds(variant: str, tmp_path: Path) -> None:
    """Random specs at the limits that passed check once failed in large print with 'a slide
    cannot hold one word of this text': a title of wide letters leaves the title slide too little
    room for one such word at its size. The deck sets that text smaller instead."""
    spec = {
        "title": WIDE, "subject": WIDE, "audience": {"ages": "16-18", "group": f"{WIDE} {WIDE}"},
        "duration": 60, "outcome": f"I can {WIDE[:90]}", "summary": f"{WIDE} {WIDE}",
        "excerpts": [{"id": "e0", "seed": QUOTES[0][0], "quote": QUOTES[0][1], "intro": WIDE}],
        "questions": [{"text": WIDE, "excerpts": ["e0"], "answer": WIDE}],
        "keywords": [{"term": "W" * 60, "definition": WIDE}],
        "activities": [{"title": WIDE, "minutes": 60, "steps": [WIDE], "notes": WIDE,
                        "response": {"table": {"columns": ["W" * 60] * 6, "rows": 20}}}],
    }  # fmt: skip
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    builder = BUILDERS[variant]
    lesson, found, problems = builder.check(path)
    assert lesson is not None and found is not None, problems
    assert not [p for p in problems if p.severity == "error"], problems
    files = builder.render(lesson, found)
    assert all(files.values())


def test_keywords_property_keeps_whole_keywords_within_the_cap() -> None:
    from generator.writers import zipped

    ids = [f"project-essay-{n:03d}" for n in range(40)]
    joined = zipped.keywords_property(ids)
    assert len(joined) <= zipped.PROPERTY_MAX
    kept = joined.split(", ")
    assert kept == ids[: len(kept)] and len(kept) < len(ids)
    assert zipped.keywords_property(ids[:3]) == ", ".join(ids[:3])
