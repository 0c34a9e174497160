"""The term index (generator/readers/terms.py) finds exactly what each term's own regular
expression found before it: the same hits, category, intensity, term, place and words, for the
default policy and for generated ones, on generated texts and on every seed paragraph."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.lesson import judging
from generator.lesson.judging import Hit
from generator.readers import policy, source, terms
from generator.readers.corpus import Corpus
from generator.readers.policy import Policy

from .examples import examples

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = policy.default()

# ---------------------------------------------------------------------------------------
# Today's matcher, kept here as the reference: one regular expression per term, tried only
# where the alternation of them all matches, and every term against every masked word.

MASK = "*#@$"
WORD_START = r"(?<!\w)"
_ANY_MASK = re.compile(f"[{re.escape(MASK)}]")
_MASKED = re.compile(rf"(?<![\w{re.escape(MASK)}])[A-Za-z]+[{re.escape(MASK)}][A-Za-z{re.escape(MASK)}]*")


@cache
def old_pattern(text: str) -> re.Pattern[str]:
    wildcard = text.endswith("*")
    stem = text[:-1] if wildcard else text
    words = [re.escape(w.lower()) for w in stem.split()]
    body = r"[\s\-‐‑–—]+".join(words) + (r"\w*" if wildcard else "")
    return re.compile(rf"{WORD_START}{body}(?!\w)", re.IGNORECASE)


def old_matches_masked(text: str, token: str) -> bool:
    wildcard = text.endswith("*")
    stem = (text[:-1] if wildcard else text).lower()
    if " " in stem or len(token) < len(stem) or (not wildcard and len(token) != len(stem)):
        return False
    if not token[0].isalpha():
        return False
    return all(t == s or t in MASK for t, s in zip(token, stem, strict=False))


_ANY_TERM: dict[int, tuple[Policy, re.Pattern[str]]] = {}


def old_any_term(pol: Policy) -> re.Pattern[str]:
    kept = _ANY_TERM.get(id(pol))
    if kept is None or kept[0] is not pol:
        alternatives = "|".join(
            f"(?:{old_pattern(t.text).pattern})" for c in pol.categories.values() for lv in c.levels for t in lv.terms
        )
        kept = _ANY_TERM[id(pol)] = (pol, re.compile(f"{WORD_START}(?={alternatives})", re.IGNORECASE))
    return kept[1]


def _old_matches(term: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end and (m := term.match(text, start)):
            out.append(m)
            end = m.end()
    return out


def old_hits_in(text: str, paragraph: int, pol: Policy) -> list[Hit]:
    found: list[Hit] = []
    masked = [(m.start(), m.end(), m.group(0)) for m in _MASKED.finditer(text)] if _ANY_MASK.search(text) else []
    starts = [m.start() for m in old_any_term(pol).finditer(text)]
    for category in pol.categories.values():
        for level in category.levels:
            for term in level.terms:
                for m in _old_matches(old_pattern(term.text), text, starts):
                    found.append(
                        Hit(category.id, level.id, level.rank, term.text, paragraph, m.start(), m.end(), m.group(0))
                    )
                for start, end, token in masked:
                    if old_matches_masked(term.text, token.lower()):
                        found.append(Hit(category.id, level.id, level.rank, term.text, paragraph, start, end, token))
    kept = [
        h
        for h in found
        if not any(o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start) for o in found)
    ]
    unique = {(h.category, h.start, h.end): h for h in sorted(kept, key=lambda h: h.rank)}
    return sorted(unique.values(), key=lambda h: (h.start, h.category))


def old_detect(paragraphs: tuple[str, ...], pol: Policy) -> list[Hit]:
    return [h for i, p in enumerate(paragraphs) for h in old_hits_in(p, i, pol)]


# ---------------------------------------------------------------------------------------
# Folding is the case-insensitive match, character by character.

# Characters whose case is unusual: several lower cases for one upper (ı, ſ, ς, the Kelvin sign
# and the Ångström sign), an upper case without a one-letter lower (İ), a lower case without a
# one-letter upper (ß, ŉ, ﬅ), title case (ǅ), the micro sign, and combining marks.
ODD_CASE = "İıſKÅẞßŉǅﬅﬆµμΣσςϐβͅιιΐΐẛṡᲀв\u0307\u0301"


def _characters() -> list[str]:
    chars = {chr(c) for c in range(0x20, 0x250)} | set(ODD_CASE)
    for code, others in terms._EXTRA.items():
        chars |= {chr(code), *map(chr, others)}
    for ch in list(chars):
        chars |= set(ch.upper()) | set(ch.lower()) | set(ch.casefold())
    return sorted(chars)


def test_folded_characters_are_equal_exactly_when_a_case_insensitive_expression_matches() -> None:
    chars = _characters()
    folded = {ch: terms.fold(ch) for ch in chars}
    for p in chars:
        pattern = re.compile(re.escape(p), re.IGNORECASE)
        for t in chars:
            assert (folded[p] == folded[t]) == bool(pattern.fullmatch(t)), (p, t, hex(ord(p)), hex(ord(t)))


def test_the_letters_that_match_other_letters_are_those_with_the_same_upper_case() -> None:
    # re's own table is used where Python has it; on another Python the derived one is.
    assert terms.derived_cases() == terms._EXTRA


def test_folding_keeps_the_length_so_places_stay_places() -> None:
    text = "İSTANBUL, Straße, ΣΊΣΥΦΟΣ, ǅemal, ﬅ, K"
    assert len(terms.fold(text)) == len(text)


# ---------------------------------------------------------------------------------------
# Generated texts: the policy's terms as written in a text, near misses, masks, punctuation,
# odd letter cases and random words, glued together or apart.

GAPS = [" ", "  ", "\n", "-", "--", " - ", "–", "—", " —\n ", "‐", "‑", "- -"]
GLUE = [
    "",
    " ",
    "  ",
    "\n",
    ", ",
    ". ",
    "-",
    "--",
    "'",
    "’",
    "#",
    "##",
    "_",
    "*",
    "@",
    "$",
    "!",
    ";",
    "(",
    ")",
    "“",
    "”",
    "/",
    "0",
    "9",
    " – ",
    "…",
    "\u00a0",
]
ENDINGS = ["", "s", "ed", "ing", "ment", "_x", "9", "'s", "’s", ".", "-ish", "ς", "ſ"]
# Other characters a case-insensitive match takes for a letter.
LOOKALIKE = {"i": "Iİı", "s": "Sſ", "k": "KK", "ß": "ẞ", "σ": "Σς", "ς": "Σσ", "å": "ÅÅ", "μ": "µΜ", "β": "ϐΒ"}
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIOUSK" + ODD_CASE + "0_'’.-", min_size=1, max_size=7)


@st.composite
def cased(draw: st.DrawFn, text: str) -> str:
    """`text` in any mixture of cases (and look-alike letters)."""
    out = []
    for ch in text:
        options = [ch, ch.upper(), ch.lower(), *LOOKALIKE.get(ch.lower(), "")]
        out.append(draw(st.sampled_from(options)))
    return "".join(out)


@st.composite
def written(draw: st.DrawFn, term: str) -> str:
    """A term as a text may write it: its words apart by spaces, line breaks or dashes, any
    ending for a term ending in *, any case."""
    wildcard = term.endswith("*")
    words = (term[:-1] if wildcard else term).split(" ")
    out = words[0]
    for word in words[1:]:
        out += draw(st.sampled_from(GAPS)) + word
    if wildcard:
        out += draw(st.sampled_from(ENDINGS))
    return draw(cased(out))


@st.composite
def near_miss(draw: st.DrawFn, term: str) -> str:
    """Almost a term: a letter more or less or changed, words run together or apart by a comma."""
    text = draw(written(term))
    i = draw(st.integers(0, len(text)))
    kind = draw(st.sampled_from(["before", "after", "drop", "change", "together", "comma", "underscore"]))
    if kind == "before":
        return draw(st.sampled_from(["a", "x", "9", "_", "é"])) + text
    if kind == "after":
        return text + draw(st.sampled_from(["a", "s", "x", "9", "_", "é"]))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "change":
        return text[:i] + draw(st.sampled_from("aeiouxz-'.")) + text[i + 1 :]
    if kind == "together":
        return re.sub(r"[\s\-‐‑–—]+", "", text)
    if kind == "comma":
        return re.sub(r"[\s\-‐‑–—]+", ", ", text)
    return text.replace(" ", "_")


@st.composite
def masked(draw: st.DrawFn, term: str) -> str:
    """A term with letters hidden by mask signs (f*ck), or a mask sign where none belongs."""
    text = draw(written(term))
    chars = list(text)
    first = 1 if len(chars) > 1 and draw(st.booleans()) else 0  # a masked word starts with a letter
    for _ in range(draw(st.integers(1, 3))):
        chars[draw(st.integers(first, len(chars) - 1))] = draw(st.sampled_from(MASK))
    return "".join(chars)


def texts(term_list: list[str]) -> st.SearchStrategy[str]:
    """Texts of pieces: the terms written, near misses, masked, random words, with glue."""
    pick = st.sampled_from(term_list)
    piece = st.one_of(
        pick.flatmap(written),
        pick.flatmap(written),
        pick.flatmap(near_miss),
        pick.flatmap(masked),
        WORD,
        WORD.flatmap(cased),
    )
    glued = st.tuples(st.sampled_from(GLUE), piece).map("".join)
    return st.lists(glued, min_size=1, max_size=14).map("".join)


def all_terms(pol: Policy) -> list[str]:
    return [t.text for c in pol.categories.values() for lv in c.levels for t in lv.terms]


def same_hits(text: str, pol: Policy) -> None:
    paragraphs = (text, text.upper(), "x" + text)
    assert judging.detect(paragraphs, pol, as_read=False) == old_detect(paragraphs, pol), text
    # As the text reads, every place is still found, or lies in a longer one (look-alike letters).
    as_read = judging.detect(paragraphs, pol)
    for h in judging.detect(paragraphs, pol, as_read=False):
        assert any(r.paragraph == h.paragraph and r.start <= h.start and h.end <= r.end for r in as_read), text


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(all_terms(DEFAULT)))
def test_the_index_finds_what_each_terms_expression_found_with_the_default_policy(text: str) -> None:
    same_hits(text, DEFAULT)


def test_the_index_finds_what_each_terms_expression_found_in_every_seed_paragraph(corpus: Corpus) -> None:
    for seed in corpus.seeds.values():
        paragraphs = (*seed.paragraphs, seed.title)
        assert judging.detect(paragraphs, DEFAULT, as_read=False) == old_detect(paragraphs, DEFAULT), seed.id


# ---------------------------------------------------------------------------------------
# Generated policies: terms of odd letters, digits, apostrophes, dots, hyphens and hashtags,
# many sharing words and starts, the same term in several categories.

TERM_WORD = st.one_of(
    st.text(alphabet="abs", min_size=1, max_size=4),
    st.text(alphabet="abs" + "AS" + "iİıſKßẞσςΣ" + "0_'’.-", min_size=1, max_size=4),
)


@st.composite
def term_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(TERM_WORD, min_size=1, max_size=3))
    text = ("#" if draw(st.integers(0, 5)) == 0 else "") + " ".join(words)
    return text + ("*" if draw(st.booleans()) else "")


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    shared = draw(st.lists(term_texts(), min_size=1, max_size=6))
    categories = []
    for ci in range(draw(st.integers(1, 3))):
        levels = []
        seen: set[str] = set()
        for li in range(draw(st.integers(1, 3))):
            chosen = draw(st.lists(st.one_of(st.sampled_from(shared), term_texts()), min_size=1, max_size=8))
            unique = []
            for t in chosen:
                if t.lower() not in seen:
                    seen.add(t.lower())
                    unique.append(t)
            if unique:
                levels.append({"id": f"l{li}", "label": f"level {li}", "youngest": 5 + li, "terms": unique})
        if levels:
            categories.append(
                {"id": f"c{2 - ci}", "label": f"category {ci}", "severity": "s", "wording": "w", "intensities": levels}
            )
    if not categories:
        categories.append(
            {
                "id": "c",
                "label": "c",
                "severity": "s",
                "wording": "w",
                "intensities": [{"id": "l", "label": "l", "youngest": 5, "terms": ["a"]}],
            }
        )
    text = json.dumps(
        {
            "policy": "generated",
            "version": 1,
            "severities": [{"id": "s", "label": "s", "meaning": "s"}],
            "bands": [{"id": "plain", "from": 5}],
            "categories": categories,
        }
    )
    loaded, problems = source.load_text("generated.yaml", text)
    assert loaded is not None, problems
    found, problems = policy.parse(loaded)
    assert found is not None, (text, [str(p) for p in problems])
    return found


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pol=policies())
def test_the_index_finds_what_each_terms_expression_found_with_generated_policies(
    data: st.DataObject, pol: Policy
) -> None:
    same_hits(data.draw(texts(all_terms(pol))), pol)


@pytest.mark.parametrize(
    ("term", "text", "words"),
    [
        ("o'brien", "O’Brien and O'Brien's", ["O'Brien"]),
        ("me too", "me --too, me - -too, me--too, me,too", ["me --too", "me - -too", "me--too"]),
        ("a -b", "a --b", ["a --b"]),
        ("a -", "a --x", ["a -"]),
        ("u.s.", "the U.S. and the u.s.a", ["U.S."]),
        ("#metoo", "##metoo x#metoo #MeToo", ["#metoo", "#MeToo"]),
        ("straße", "STRASSE, Straße, STRAẞE", ["Straße", "STRAẞE"]),
        ("kiss*", "KISSES ki\u017fs", ["KISSES", "ki\u017fs"]),
        # The term is lowered as a whole (İ becomes i and a combining dot), the text letter by letter.
        ("İstanbul", "İstanbul, istanbul, i\u0307stanbul", ["i\u0307stanbul"]),
    ],
)
def test_edge_cases_match_as_the_expressions_did(term: str, text: str, words: list[str]) -> None:
    pol = policies_of([term])
    assert [h.words for h in judging.detect((text,), pol)] == words
    same_hits(text, pol)


def policies_of(term_list: list[str]) -> Policy:
    text = json.dumps(
        {
            "policy": "edge",
            "version": 1,
            "severities": [{"id": "s", "label": "s", "meaning": "s"}],
            "bands": [{"id": "plain", "from": 5}],
            "categories": [
                {
                    "id": "c",
                    "label": "c",
                    "severity": "s",
                    "wording": "w",
                    "intensities": [{"id": "l", "label": "l", "youngest": 5, "terms": term_list}],
                }
            ],
        }
    )
    loaded, _ = source.load_text("edge.yaml", text)
    assert loaded is not None
    found, problems = policy.parse(loaded)
    assert found is not None, [str(p) for p in problems]
    return found
