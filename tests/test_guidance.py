"""Content guidance: detection on the quoted words, decisions by age, and what the packs then say."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.errors import Position
from generator.lesson import compose, guidance, support, wording
from generator.model import Callout, KeepTogether, Quote, dump_blocks
from generator.readers import policy
from generator.readers.corpus import Corpus, find_quote
from generator.readers.resolved import Lesson, ResolvedExcerpt
from generator.readers.schema import Excerpt
from generator.readers.seed import Match
from generator.readers.source import load_text
from generator.readers.spec import validate
from generator.runners.build import find_specs

from .examples import examples

ROOT = Path(__file__).resolve().parent.parent
POLICY = policy.default()
WORDING = wording.load(ROOT / "templates")
BANDS = (9, 11, 14, 16, 18)

SV, SV_DESC = "sexual-violence/mentioned", "sexual-violence/described"
SH, SEX, LANG = "sexual-harassment/mentioned", "sexual-content/mentioned", "strong-language/any"
DISC, CRIME, POL, RECENT = "discrimination/discussed", "crime/any", "political/any", "recent-events/any"

# Every paragraph of the four seeds, read and classified by hand: what a whole-paragraph quote
# must be flagged for. The youngest age follows from the policy (refused below it).
EXPECTED: dict[tuple[str, int], set[str]] = {
    # VALOR: the Los Angeles trial, statistics, and an argument for prevention.
    ("valor-prevention", 1): {SV, CRIME, RECENT},  # "details about his sexual assaults", the trial
    ("valor-prevention", 2): {SV, SH, CRIME},  # abusers "let off with a light sentence"; #MeToo
    ("valor-prevention", 3): {SV, SH, CRIME, RECENT},  # "convicted of rape and criminal sexual assault"
    ("valor-prevention", 4): {SV, CRIME, RECENT},
    ("valor-prevention", 5): {SV},  # survey of sexual violence; no names, no crime words
    ("valor-prevention", 6): {SV, CRIME},  # criminal justice and "carceral systems"
    ("valor-prevention", 7): {SV, SH},
    ("valor-prevention", 8): set(),  # "systems ... can be dismantled": nothing sensitive
    ("valor-prevention", 9): {SV, RECENT},
    ("valor-prevention", 10): {SV, DISC},  # survivors; "racism, sexism, heterosexism and ableism"
    ("valor-prevention", 11): set(),  # "We all have a role we can play in preventing violence."
    # Schwartz: the most sensitive essay (a described assault, a vulgar quote, partisan politics).
    ("metoo-and-beyond", 1): {SV, SH, CRIME, RECENT},  # rape allegations, #MeToo, "predators"
    # Brock Turner's victim "unconscious"; Trump's "Grab her by the p*ssy"; prisons; race.
    ("metoo-and-beyond", 2): {SV_DESC, SH, LANG, DISC, CRIME, POL, RECENT},
    ("metoo-and-beyond", 3): {POL},  # "a sectarian weapon", "excuses for liberals"
    ("metoo-and-beyond", 4): {SV, SH, DISC, CRIME, POL},  # prison rape, deportation, "U.S. war machine"
    ("metoo-and-beyond", 5): {SV, DISC, CRIME, POL},  # overthrow the system, capitalism, socialism
    # Barnes-Smith: the 2020 conviction, allyship, three suggestions for schools, references.
    ("no-going-back", 1): {SV, CRIME, RECENT},
    ("no-going-back", 2): {SV, SH, CRIME},  # sentenced; survivors; "predatory"; #metoo
    ("no-going-back", 3): {SV, SH, CRIME, RECENT},  # Milano: "sexually harassed or assaulted"
    ("no-going-back", 4): {SV, SH},  # "the harassment and abuse they have faced"
    ("no-going-back", 5): {SV, SH, DISC, CRIME, RECENT},  # false accusations, victim blaming, the trial
    ("no-going-back", 6): {SV, SH, CRIME, RECENT},  # the "Open Secret"; abuse of power
    ("no-going-back", 7): {SV},  # institutional betrayal: "subsequent abuse"
    ("no-going-back", 8): {SV, DISC},  # the bystander to sexist and abusive behaviour
    ("no-going-back", 9): set(),  # fear of speaking out; what allyship means
    ("no-going-back", 10): {DISC},  # Atcheson's definition: "marginalized individuals"
    ("no-going-back", 11): {SV},
    ("no-going-back", 12): {SH},  # men's reactions to the #metoo movement
    ("no-going-back", 13): {CRIME, RECENT},  # "his accusers wrote"
    ("no-going-back", 14): {SV, RECENT},  # "serial abusers like Harvey Weinstein"
    ("no-going-back", 15): {DISC},  # Hurst: "someone else's oppression"
    ("no-going-back", 16): set(),  # "what could this look like in schools?"
    ("no-going-back", 17): set(),  # Start a Conversation: safe spaces
    ("no-going-back", 18): {SH, DISC},  # Stop It Before It Starts: sexism and sexual harassment
    ("no-going-back", 19): {SV, DISC, CRIME},  # Respectful Environment: "sexually abusive", "perpetrator"
    ("no-going-back", 20): {SH, DISC},  # EqualiTeach's guide
    ("no-going-back", 21): set(),  # reference: "Stop Bullying: Teach Kids to Be Allies"
    ("no-going-back", 22): set(),
    ("no-going-back", 23): {SV, CRIME, RECENT},  # reference titles name the conviction
    ("no-going-back", 24): {SV, CRIME, RECENT},
    ("no-going-back", 25): {SH},
    ("no-going-back", 26): {SH, CRIME, RECENT},
    ("no-going-back", 27): {SV, SH},
    ("no-going-back", 28): set(),
    ("no-going-back", 29): {SH},
    ("no-going-back", 30): {SH},
    # The untitled tipping-point piece (October 2017).
    ("tipping-point", 1): set(),
    ("tipping-point", 2): {CRIME, RECENT},  # lawsuits and criminal investigation
    ("tipping-point", 3): {SV, SH},  # "intimidated, harassed, or violated by a man"; coercion
    ("tipping-point", 4): {SH, SEX, CRIME},  # courts fail victims; "sex and intimacy"
    ("tipping-point", 5): {SV},  # "our own stories of abuse"
    ("tipping-point", 6): set(),
    ("tipping-point", 7): {SV, CRIME, RECENT},  # anti-rape organisers
    ("tipping-point", 8): {SV},  # Kaba: "people who assault people" (bare "assault" counts as sexual)
    ("tipping-point", 9): {SV, SH, CRIME},  # "me too"; "abuse of power"
    ("tipping-point", 10): {SV, RECENT},  # "a predator who could help himself"
    ("tipping-point", 11): {SV, SEX, RECENT},  # "sex offender", "sex lives", "sex addict"
    ("tipping-point", 12): {SH, RECENT},  # "He just didn't care about consent"
    ("tipping-point", 13): {SV, SEX, DISC, CRIME},  # misogyny, patriarchy, "having sex"
    ("tipping-point", 14): set(),  # "they come from Hollywood"
    # Sexism here is described ("different set of physical standards") but never named, so word
    # rules do not flag discrimination; sex is named. A teacher may add the tag 'discrimination'.
    ("tipping-point", 15): {SEX, RECENT},
    ("tipping-point", 16): {SV, SEX},
}

# The youngest audience that may read each whole paragraph (the policy's table applied by hand).
YOUNGEST = {"": 5, SV: 11, SV_DESC: 14, SH: 11, SEX: 11, LANG: 14, DISC: 9, CRIME: 9, POL: 11, RECENT: 5}


def excerpt_of(corpus: Corpus, seed_id: str, quote: str, *, titled: bool = False, **kw: object) -> ResolvedExcerpt:
    """An excerpt of a real seed. The reviewed classification is of the quoted words alone, so the
    seed's title (judged too wherever it is printed) is left out unless `titled`."""
    seed = corpus.seeds[seed_id]
    if not titled:
        seed = replace(seed, title="unknown")
    found = find_quote(seed, quote)
    assert isinstance(found, Match), (seed_id, quote)
    tags = kw.pop("tags", ())
    assert isinstance(tags, tuple)
    given = Excerpt.model_validate({"id": "x", "seed": seed.id, "quote": quote, "tags": list(tags), **kw})
    return ResolvedExcerpt.found(given, seed, found, Position("t.yaml"), 0)


def flagged(eg: guidance.ExcerptGuidance) -> set[str]:
    return {f"{d.flag.category.id}/{d.flag.level.id}" for d in eg.decisions}


def test_every_seed_paragraph_is_classified(corpus: Corpus) -> None:
    have = {(s.id, i) for s in corpus.seeds.values() for i in range(1, len(s.paragraphs) + 1)}
    assert have == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"{k[0]}-{k[1]}")
def test_each_paragraph_is_flagged_as_reviewed(key: tuple[str, int], corpus: Corpus) -> None:
    seed_id, n = key
    eg, problems = guidance.assess_excerpt(
        excerpt_of(corpus, seed_id, corpus.seeds[seed_id].paragraphs[n - 1]), 18, POLICY
    )
    assert problems == []
    assert flagged(eg) == EXPECTED[key]


@pytest.mark.parametrize("age", BANDS)
def test_each_paragraph_is_allowed_from_its_reviewed_age(age: int, corpus: Corpus) -> None:
    """Per age band: a whole paragraph is refused exactly when a category's youngest age is above it."""
    for (seed_id, n), cats in EXPECTED.items():
        youngest = max([YOUNGEST[c] for c in cats], default=5)
        eg, _ = guidance.assess_excerpt(
            excerpt_of(corpus, seed_id, corpus.seeds[seed_id].paragraphs[n - 1]), age, POLICY
        )
        refused = {f"{d.flag.category.id}/{d.flag.level.id}" for d in eg.decisions if d.outcome == "refused"}
        assert (refused == set()) == (age >= youngest), (seed_id, n, age, refused)
        assert refused == {c for c in cats if YOUNGEST[c] > age}, (seed_id, n, age)


def test_a_harmless_sentence_from_a_hard_paragraph_is_not_flagged(corpus: Corpus) -> None:
    """Detection runs on the words quoted, not on the paragraph they come from."""
    whole = excerpt_of(corpus, "no-going-back", corpus.seeds["no-going-back"].paragraphs[18])
    one = excerpt_of(
        corpus,
        "no-going-back",
        "Students and teachers can help create an environment where everyone feels respected and safe.",
    )
    assert flagged(guidance.assess_excerpt(whole, 9, POLICY)[0]) == {SV, DISC, CRIME}
    eg, _ = guidance.assess_excerpt(one, 9, POLICY)
    assert eg.decisions == ()


def test_masked_words_are_caught_and_named(corpus: Corpus) -> None:
    eg, _ = guidance.assess_excerpt(excerpt_of(corpus, "metoo-and-beyond", "“Grab her by the p*ssy” quote"), 18, POLICY)
    lang = next(d for d in eg.decisions if d.flag.category.id == "strong-language")
    assert lang.flag.words == ("p*ssy",)
    assert flagged(eg) == {SV_DESC, LANG}


def test_redaction_replaces_the_word_and_allows_a_younger_audience(corpus: Corpus) -> None:
    quote = "“Grab her by the p*ssy” quote"
    refused, _ = guidance.assess_excerpt(excerpt_of(corpus, "metoo-and-beyond", quote), 14, POLICY)
    assert refused.adapted is False
    eg, _ = guidance.assess_excerpt(excerpt_of(corpus, "metoo-and-beyond", quote, redact=True), 14, POLICY)
    assert eg.adapted and "[offensive word]" in eg.text[0] and "p*ssy" not in eg.text[0]
    outcomes = {d.flag.category.id: d.outcome for d in eg.decisions}
    assert outcomes == {"sexual-violence": "allowed", "strong-language": "redacted"}


def test_tags_only_add(corpus: Corpus) -> None:
    plain = "We are at a tipping point."
    eg, _ = guidance.assess_excerpt(excerpt_of(corpus, "tipping-point", plain, tags=("discrimination",)), 9, POLICY)
    assert flagged(eg) == {DISC} and eg.decisions[0].flag.tagged
    # A tag at a milder intensity than the text triggers does not lower it.
    quote = "sexually assaulting an unconscious woman"
    eg, _ = guidance.assess_excerpt(
        excerpt_of(corpus, "metoo-and-beyond", quote, tags=("sexual-violence/mentioned",)), 18, POLICY
    )
    assert flagged(eg) == {SV_DESC}


# ---------------------------------------------------------------------------------------
# Whole specs: refusals are positioned errors; overrides need reasons; what the packs print.


def spec_text(seed: str, quote: str, ages: str, extra: str = "") -> str:
    return (
        "title: Guidance test\n"
        f"audience: {{ages: '{ages}'}}\n"
        "duration: 30\n"
        "excerpts:\n"
        "  - id: one\n"
        f"    seed: {seed}\n"
        f"    quote: {json.dumps(quote, ensure_ascii=False)}\n"
        f"{extra}"
    )


def assess_text(corpus: Corpus, text: str) -> tuple[Lesson, guidance.Guidance, list[str]]:
    loaded, problems = load_text("t.yaml", text)
    assert loaded is not None, problems
    lesson, problems = validate(loaded, corpus, "t")
    assert lesson is not None, [str(p) for p in problems]
    found, more = guidance.assess(lesson, POLICY)
    return lesson, found, [str(p) for p in problems + more]


def test_a_refusal_names_excerpt_category_words_and_ages(corpus: Corpus) -> None:
    text = spec_text("no-going-back", "If all the women who have been sexually harassed or assaulted", "9-11")
    _, _, problems = assess_text(corpus, text)
    errors = [p for p in problems if ": error: " in p]
    assert len(errors) == 2
    sv = next(e for e in errors if "sexual violence" in e)
    # Positioned at the triggering word inside the quote, on the excerpt's quote line.
    assert sv.startswith("t.yaml:7:")
    col = int(sv.split(":")[2])
    assert text.splitlines()[6][col - 1 :].startswith("assaulted")
    for part in ("excerpt 'one'", "“assaulted”", "youngest age is 9", "youngest age allowed is 11"):
        assert part in sv


def test_an_override_needs_a_reason_and_is_printed_for_the_teacher(corpus: Corpus) -> None:
    quote = "If all the women who have been sexually harassed or assaulted"
    short = "    override: {sexual-violence: ok, sexual-harassment: ok}\n"
    _, _, problems = assess_text(corpus, spec_text("no-going-back", quote, "9-11", short))
    assert sum("needs a written reason" in p for p in problems) == 2
    reason = "Year 6 group after the NSPCC assembly; agreed with our DSL on 3 March."
    full = f"    override:\n      sexual-violence: {reason}\n      sexual-harassment: {reason}\n"
    lesson, found, problems = assess_text(corpus, spec_text("no-going-back", quote, "9-11", full))
    assert [p for p in problems if ": error: " in p] == []
    teacher = compose.compose(lesson, "teacher", WORDING, found, support.signposting("uk", 9, 11))
    student = compose.compose(lesson, "student", WORDING, found, support.signposting("uk", 9, 11))
    assert reason in dump_blocks(teacher.blocks) and reason not in dump_blocks(student.blocks)


def test_an_override_cannot_unlock_what_is_never_allowed(corpus: Corpus) -> None:
    quote = "We are at a tipping point."
    extra = (
        "    tags: [sexual-violence/graphic]\n    override: {sexual-violence: A reason of more than five words long.}\n"
    )
    _, _, problems = assess_text(corpus, spec_text("tipping-point", quote, "18+", extra))
    assert any("cannot be overridden" in p for p in problems)
    assert any("is refused" in p and "never allowed in a student pack" in p for p in problems)


def test_unknown_tags_and_categories_get_suggestions(corpus: Corpus) -> None:
    extra = "    tags: [discrimnation]\n    override: {crim: This is a long enough reason here.}\n"
    _, _, problems = assess_text(corpus, spec_text("tipping-point", "We are at a tipping point.", "14-16", extra))
    assert any("unknown tag 'discrimnation'; did you mean 'discrimination'?" in p for p in problems)
    assert any("unknown category 'crim'; did you mean 'crime'?" in p for p in problems)


def student_notes(lesson: Lesson, found: guidance.Guidance) -> dict[str, str]:
    """For each excerpt, the text of the notes kept together with its quote (student edition)."""
    doc = compose.compose(lesson, "student", WORDING, found, support.signposting("uk", 14, 16))
    out = {}
    groups = [b for b in doc.blocks if isinstance(b, KeepTogether) and any(isinstance(x, Quote) for x in b.blocks)]
    for ex, group in zip(lesson.excerpts, groups, strict=True):
        before = group.blocks[: next(i for i, x in enumerate(group.blocks) if isinstance(x, Quote))]
        out[ex.id] = dump_blocks(tuple(b for b in before if isinstance(b, Callout)))
    return out


words = st.lists(st.integers(0, 10_000), min_size=3, max_size=3)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=words, age=st.integers(5, 25))
def test_any_quote_at_any_age_gets_a_note_for_each_category_or_is_refused_naming_it(
    picks: list[int], age: int, corpus: Corpus
) -> None:
    seed = sorted(corpus.seeds.values(), key=lambda s: s.id)[picks[0] % len(corpus.seeds)]
    paragraph = seed.paragraphs[picks[1] % len(seed.paragraphs)].split()
    start = picks[2] % len(paragraph)
    length = 3 + (picks[1] * 7 + picks[2]) % 38
    quote = " ".join(paragraph[start : start + length])
    assume("…" not in quote and "..." not in quote)
    assume(len(re.findall(r"\w+(?:['’]\w+)*", quote)) >= 3)  # the default policy's min_quote_words
    lesson, found, problems = assess_text(corpus, spec_text(seed.id, quote, str(age)))
    refused = [d for d in found.excerpts["one"].decisions if d.outcome == "refused"]
    errors = [p for p in problems if ": error: " in p]
    if refused:
        for d in refused:
            assert any(d.flag.category.label.lower() in e for e in errors), (quote, age)
        return
    assert errors == []
    notes = student_notes(lesson, found)["one"]
    band = POLICY.band(age)
    eg = found.excerpts["one"]
    for d in eg.decisions:
        if d.flag.category.pupil_note:
            assert WORDING.env.get_template("guidance.j2").module.short[d.flag.category.wording][band] in notes  # type: ignore[attr-defined]


@settings(max_examples=examples(200), deadline=None)
@given(picks=words, young=st.integers(5, 30), gap=st.integers(1, 40), tag=st.sampled_from([None, *POLICY.tags()]))
def test_anything_allowed_at_an_age_is_allowed_at_every_older_age(
    picks: list[int], young: int, gap: int, tag: str | None, corpus: Corpus
) -> None:
    seed = sorted(corpus.seeds.values(), key=lambda s: s.id)[picks[0] % len(corpus.seeds)]
    paragraph = seed.paragraphs[picks[1] % len(seed.paragraphs)].split()
    start = picks[2] % len(paragraph)
    quote = " ".join(paragraph[start : start + 1 + picks[1] % 30])
    assume("…" not in quote and "..." not in quote)
    ex = excerpt_of(corpus, seed.id, quote, tags=(tag,) if tag else ())
    at_young, _ = guidance.assess_excerpt(ex, young, POLICY)
    at_old, _ = guidance.assess_excerpt(ex, young + gap, POLICY)
    allowed_young = {d.flag.category.id for d in at_young.decisions if d.outcome != "refused"}
    allowed_old = {d.flag.category.id for d in at_old.decisions if d.outcome != "refused"}
    assert allowed_young <= allowed_old


# ---------------------------------------------------------------------------------------
# The shipped packs: what each is flagged for, and what would be refused for younger classes.

PACKS: dict[str, set[str]] = {
    "start-a-conversation": {"sexual-violence", "sexual-harassment"},
    "stop-it-before-it-starts": {"sexual-violence", "sexual-harassment", "discrimination", "crime"},
    "respectful-environment": {"discrimination"},
    "bystander-to-ally": {"sexual-violence", "sexual-harassment", "discrimination", "crime", "recent-events"},
    "metoo-hashtag-to-movement": {
        "sexual-violence",
        "sexual-harassment",
        "discrimination",
        "crime",
        "political",
        "recent-events",
    },
    "justice-or-prevention": {
        "sexual-violence",
        "sexual-harassment",
        "discrimination",
        "crime",
        "political",
        "recent-events",
    },
    "staff-allyship-training": {"sexual-violence", "sexual-harassment", "discrimination", "crime"},
}
AGES_LINE = re.compile(r"^(\s*ages:\s*).*$", re.MULTILINE)


def pack_at(corpus: Corpus, pack: str, age: int) -> tuple[guidance.Guidance, list[str]]:
    text = (ROOT / "packs" / f"{pack}.yaml").read_text(encoding="utf-8")
    _, found, problems = assess_text(corpus, AGES_LINE.sub(rf'\g<1>"{age}"', text, count=1))
    return found, problems


def test_the_table_covers_every_shipped_pack() -> None:
    assert set(PACKS) == {p.stem for p in find_specs([ROOT / "packs"])}


@pytest.mark.parametrize("pack", sorted(PACKS))
def test_each_shipped_pack_is_flagged_as_reviewed_and_builds_at_its_own_ages(pack: str, corpus: Corpus) -> None:
    text = (ROOT / "packs" / f"{pack}.yaml").read_text(encoding="utf-8")
    assert "override" not in text  # packs meet the default policy on their own
    _, found, problems = assess_text(corpus, text)
    assert [p for p in problems if ": error: " in p] == []
    # A cited title's words never count as the extracts': what the pack is flagged for is what its
    # extracts quote (start-a-conversation's citations print "… Harvey Weinstein Trial").
    assert {c.id for c in found.categories()} == PACKS[pack]


@pytest.mark.parametrize("age", BANDS)
@pytest.mark.parametrize("pack", sorted(PACKS))
def test_shipped_packs_per_age_band(pack: str, age: int, corpus: Corpus) -> None:
    """Taught to a younger class, a pack is refused exactly for the categories that class may not read."""
    found, problems = pack_at(corpus, pack, age)
    refused = {d.flag.category.id for e in found.excerpts.values() for d in e.decisions if d.outcome == "refused"}
    expected = {c for c in PACKS[pack] if POLICY.categories[c].levels[0].youngest > age}  # type: ignore[operator]
    assert refused == expected
    errors = [p for p in problems if ": error: " in p]
    assert bool(errors) == bool(expected)
