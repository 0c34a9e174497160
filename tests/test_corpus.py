"""generator/corpus.py: the seed essays and the quote matching rule (README: 'How quotes are matched')."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.readers import closest, corpus
from generator.readers import seed as seed_mod
from generator.readers.corpus import Corpus
from generator.readers.seed import Match, Miss, Seed

from .examples import examples

SEEDS = Path(__file__).parent.parent / "seeds"
IDS = {"valor-prevention", "metoo-and-beyond", "no-going-back", "tipping-point"}


@pytest.fixture(scope="module")
def real() -> Corpus:
    loaded, problems = corpus.load_corpus(SEEDS)
    assert problems == [], [str(p) for p in problems]
    return loaded


def seed(real: Corpus, seed_id: str) -> Seed:
    return real.seeds[seed_id]


def match(real: Corpus, seed_id: str, quote: str) -> Match:
    found = corpus.find_quote(real.seeds[seed_id], quote)
    assert isinstance(found, Match), found
    return found


def miss(real: Corpus, seed_id: str, quote: str) -> Miss:
    found = corpus.find_quote(real.seeds[seed_id], quote)
    assert isinstance(found, Miss), found
    return found


# --------------------------------------------------------------------------------------
# The shipped seeds.


def test_all_four_seeds_load(real: Corpus) -> None:
    assert set(real.ids()) == IDS
    assert real.ids() == sorted(IDS)


def test_paragraph_numbers_in_the_files_are_consecutive_from_one(real: Corpus) -> None:
    for s in real.seeds.values():
        text = (SEEDS / f"{s.id}.txt").read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        numbers = [int(n) for n in re.findall(r"^\[(\d+)\] ", body, flags=re.M)]
        assert numbers == list(range(1, len(numbers) + 1)), s.id
        assert len(s.paragraphs) == len(numbers)
        # Each paragraph's recorded line really is where "[n] " starts.
        lines = text.split("\n")
        for n, line in enumerate(s.lines, 1):
            assert lines[line - 1].startswith(f"[{n}] ")


def test_paragraph_counts(real: Corpus) -> None:
    counts = {s.id: len(s.paragraphs) for s in real.seeds.values()}
    assert counts == {"metoo-and-beyond": 5, "no-going-back": 30, "tipping-point": 16, "valor-prevention": 11}


def test_paragraph_text_has_no_number_prefix(real: Corpus) -> None:
    for s in real.seeds.values():
        for p in s.paragraphs:
            assert not re.match(r"\[\d+\]", p)
            assert p == p.strip() or "\n" in p


def test_metadata_as_documented(real: Corpus) -> None:
    tipping = seed(real, "tipping-point")
    assert (tipping.title, tipping.author, tipping.year) == ("unknown", "unknown", "2017")

    metoo = seed(real, "metoo-and-beyond")
    assert metoo.date == "2017-11-29"
    assert metoo.year == "2017"
    assert metoo.author == "Jessica Schwartz"
    assert metoo.title == "#MeToo Campaign and Beyond: Combating Sexual Violence"

    ngb = seed(real, "no-going-back")
    assert ngb.author == "Matt Barnes-Smith"
    assert ngb.title == "“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial"
    assert ngb.year == "2020"
    assert ngb.references_from == 21

    valor = seed(real, "valor-prevention")
    assert valor.author == "unknown"
    assert valor.publisher == "VALOR"
    assert valor.year == "2022"
    assert valor.references_from is None


def test_references_start_where_the_header_says(real: Corpus) -> None:
    ngb = seed(real, "no-going-back")
    assert ngb.references_from is not None
    assert "[Online]" not in ngb.paragraphs[ngb.references_from - 2]
    assert all("[Online]" in p for p in ngb.paragraphs[ngb.references_from - 1 :])


@pytest.mark.parametrize(
    "debris", ["Share on", "Leave a Reply", "Skip to content", "Photo credit", "Last update", "Read more articles"]
)
def test_no_page_debris_in_any_paragraph(real: Corpus, debris: str) -> None:
    for s in real.seeds.values():
        for n, p in enumerate(s.paragraphs, 1):
            assert debris.lower() not in p.lower(), f"{s.id} [{n}]"


def test_removed_lines_are_recorded(real: Corpus) -> None:
    assert "Share on twitter" in seed(real, "no-going-back").removed
    assert seed(real, "tipping-point").removed == ()


def test_seed_files_follow_the_documented_layout() -> None:
    for path in SEEDS.glob("*.txt"):
        data = path.read_bytes()
        assert b"\r" not in data, path.name
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), path.name
        assert not re.search(rb"[ \t]\n", data), f"trailing space in {path.name}"


# --------------------------------------------------------------------------------------
# Quote matching.


def test_exact_quote_matches_with_its_paragraph(real: Corpus) -> None:
    m = match(real, "tipping-point", "We are at a tipping point.")
    assert m.paragraphs == (1,)
    assert m.text == ("We are at a tipping point.",)
    assert m.seed.id == "tipping-point"


def test_straight_quotes_match_curly_ones_and_print_the_essays_curly_ones(real: Corpus) -> None:
    m = match(real, "no-going-back", "wrote 'me too' as a status")
    assert m.paragraphs == (3,)
    assert m.text == ("wrote ‘me too’ as a status",)

    m = match(real, "no-going-back", '"It happens, people know about, but don\'t feel able to talk about it."')
    assert m.paragraphs == (6,)
    assert m.text == ("“It happens, people know about, but don’t feel able to talk about it.”",)


def test_curly_quotes_in_the_spec_match_too(real: Corpus) -> None:
    m = match(real, "no-going-back", "Weinstein’s crimes began")
    assert m.text == ("Weinstein’s crimes began",)


@pytest.mark.parametrize("dash", ["-", "–", "—", "‐", "−"])
def test_dash_variants_match(real: Corpus, dash: str) -> None:
    m = match(real, "tipping-point", f"he is radioactive {dash} denounced, dismissed")
    assert m.paragraphs == (2,)
    assert m.text == ("he is radioactive — denounced, dismissed",)


def test_extra_and_collapsed_white_space_and_no_break_spaces(real: Corpus) -> None:
    # The essay has two spaces in "active bystander  –".
    m = match(real, "no-going-back", "being an active bystander - which is why")
    assert m.text == ("being an active bystander – which is why",)
    m = match(real, "tipping-point", "We   are\nat a\u00a0tipping\tpoint.")
    assert m.text == ("We are at a tipping point.",)


def test_quote_across_a_line_break_inside_a_paragraph(real: Corpus) -> None:
    m = match(real, "no-going-back", "Start a Conversation. Bringing the subject to attention")
    assert m.paragraphs == (17,)
    assert m.text == ("Start a Conversation. Bringing the subject to attention",)


@pytest.mark.parametrize("mark", ["…", "...", " … ", " ... ", ". … ", ".…", ". ... "])
def test_omission_within_one_paragraph(real: Corpus, mark: str) -> None:
    quote = (
        "Three weeks ago, Harvey Weinstein was one of the most powerful men in Hollywood"
        f"{mark}Little doubt there are more to follow."
    )
    m = match(real, "tipping-point", quote)
    assert m.paragraphs == (2,)
    dot = "." if mark.startswith((". ", ".…")) else ""
    assert m.text == (
        f"Three weeks ago, Harvey Weinstein was one of the most powerful men in Hollywood{dot} … "
        "Little doubt there are more to follow.",
    )


def test_several_omissions_in_one_quote(real: Corpus) -> None:
    m = match(real, "tipping-point", "Three weeks ago … Hollywood … radioactive … Little doubt")
    assert m.paragraphs == (2,)
    assert m.text == ("Three weeks ago … Hollywood … radioactive … Little doubt",)


def test_four_dot_ellipsis_after_a_full_stop(real: Corpus) -> None:
    expected = ("most powerful men in Hollywood. … Little doubt there are more to follow.",)
    for quote in [
        "most powerful men in Hollywood.... Little doubt there are more to follow.",
        "most powerful men in Hollywood....Little doubt there are more to follow.",
    ]:
        assert match(real, "tipping-point", quote).text == expected


def test_omission_parts_must_be_in_order(real: Corpus) -> None:
    miss(real, "tipping-point", "Little doubt there are more to follow. … Three weeks ago")


def test_omission_across_paragraphs_does_not_match(real: Corpus) -> None:
    miss(real, "tipping-point", "We are at a tipping point. … Three weeks ago")


def test_contiguous_quote_across_paragraphs_gives_both_numbers(real: Corpus) -> None:
    m = match(real, "tipping-point", "We are at a tipping point. Three weeks ago, Harvey Weinstein")
    assert m.paragraphs == (1, 2)
    assert m.text == ("We are at a tipping point.", "Three weeks ago, Harvey Weinstein")


def test_quote_across_three_paragraphs(real: Corpus) -> None:
    s = seed(real, "no-going-back")
    quote = f"{s.paragraphs[12]} {s.paragraphs[13]} Ben Hurst of The Good Lad Project"
    m = match(real, "no-going-back", quote)
    assert m.paragraphs == (13, 14, 15)


@pytest.mark.parametrize(
    "fragment",
    [
        "ape and sexual assault",  # inside "rape"
        "guilty of rap",  # ends inside "rape"
        "e are at a tipping point",  # starts inside "We"
        "We are at a tipping poin",
    ],
)
def test_quotes_start_and_end_on_word_boundaries(real: Corpus, fragment: str) -> None:
    owner = "tipping-point" if "tipping" in fragment else "no-going-back"
    miss(real, owner, fragment)


def test_the_whole_word_matches(real: Corpus) -> None:
    m = match(real, "no-going-back", "rape and sexual assault")
    assert m.paragraphs == (1,)


def test_a_quote_from_another_essay_does_not_match(real: Corpus) -> None:
    miss(real, "valor-prevention", "We are at a tipping point.")


def test_empty_or_omission_only_quote_is_a_miss(real: Corpus) -> None:
    for quote in ["", "   ", "…", "..."]:
        assert miss(real, "tipping-point", quote).similarity == 0.0


def test_misspelt_quote_gives_the_closest_passage(real: Corpus) -> None:
    m = miss(real, "no-going-back", "The story moved beyond any one man; it became a conversation about mens behavour")
    assert m.paragraph == 4
    assert m.similarity > 0.8
    assert "it became a conversation about men’s behavio" in m.passage
    assert "behavour" in m.differs


def test_misspelt_quote_in_a_later_paragraph(real: Corpus) -> None:
    m = miss(real, "valor-prevention", "We all have a roll we can play in preventing violence.")
    assert m.paragraph == 11
    assert m.similarity > 0.8
    assert m.passage.startswith("We all have a role")


def test_word_boundary_miss_says_what_differs(real: Corpus) -> None:
    m = miss(real, "no-going-back", "ape and sexual assault")
    assert m.differs, m


# --------------------------------------------------------------------------------------
# What a miss says: the closest passage in whole words, and every word that differs.

START = "Bringing the subject to attention is the starting point."  # no-going-back, paragraph 17


def test_two_typos_are_both_reported_and_the_first_is_where_the_miss_is(real: Corpus) -> None:
    quote = "Bringing tha subjekt to attention is the starting point."
    m = miss(real, "no-going-back", quote)
    assert (m.paragraph, m.last) == (17, 17)
    assert m.passage == START
    assert m.marked == "Bringing ⟦the⟧ ⟦subject⟧ to attention is the starting point."
    assert m.differs == "the quote has “tha” where the text has “the”; “subjekt” where it has “subject”"
    assert m.at == quote.index("tha")


def test_typos_far_apart_are_each_reported(real: Corpus) -> None:
    quote = "Bringing the subjekt to attention is the starting point. Many people will have nevr had"
    m = miss(real, "no-going-back", quote)
    assert m.differs == "the quote has “subjekt” where the text has “subject”; “nevr” where it has “never”"
    assert m.at == quote.index("subjekt")


@pytest.mark.parametrize(
    ("quote", "ours", "theirs"),
    [
        ("Bringing the subjject to attention is the starting point.", "subjject", "subject"),  # a letter added
        ("Bringing the subjct to attention is the starting point.", "subjct", "subject"),  # a letter dropped
        ("Bringing the sbuject to attention is the starting point.", "sbuject", "subject"),  # two swapped
        ("Brnging the subject to attention is the starting point.", "Brnging", "Bringing"),  # in the first word
        ("Bringing the subject to attention is the starting pont.", "pont.", "point."),  # in the last word
    ],
)
def test_a_letter_added_or_dropped_shows_the_real_words(real: Corpus, quote: str, ours: str, theirs: str) -> None:
    m = miss(real, "no-going-back", quote)
    assert m.differs == f"the quote has “{ours}” where the text has “{theirs}”"
    assert m.passage == START  # whole words, never "ringing the subject"
    assert m.marked == START.replace(theirs, f"⟦{theirs}⟧", 1)
    assert m.at == quote.index(ours)


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "<U+200B>"),  # zero-width space
        ("\u200d", "<U+200D>"),  # zero-width joiner
        ("\u00ad", "<U+00AD>"),  # soft hyphen
        ("\u0301", "<U+0301>"),  # combining acute accent
        ("\ufeff", "<U+FEFF>"),  # byte order mark
    ],
)
def test_an_invisible_or_combining_character_is_shown(real: Corpus, char: str, shown: str) -> None:
    quote = f"Bringing the sub{char}ject to attention is the starting point."
    m = miss(real, "no-going-back", quote)
    assert m.differs == f"the quote has “sub{shown}ject” where the text has “subject”"
    assert m.at == quote.index("sub")


def test_a_letter_from_another_script_is_named(real: Corpus) -> None:
    m = miss(real, "no-going-back", "Bringing the subject to \u0430ttention is the starting point.")
    assert m.differs == (
        "the quote has “аttention” where the text has “attention” (its “а” is U+0430 CYRILLIC SMALL LETTER A)"
    )


def test_a_no_break_space_is_only_a_space(real: Corpus) -> None:
    match(real, "no-going-back", "Bringing the\u00a0subject to attention")


def test_words_left_out_or_added_are_shown_with_a_word_beside_them(real: Corpus) -> None:
    m = miss(real, "no-going-back", "Bringing subject to attention is the starting point.")
    assert m.differs == "the quote has “Bringing” where the text has “Bringing the”"
    assert m.marked == "Bringing ⟦the⟧ subject to attention is the starting point."
    m = miss(real, "no-going-back", "Bringing the the subject to attention is the starting point.")
    assert m.differs == "the quote has “the the” where the text has “the”"
    assert m.passage == START


def test_a_common_word_between_two_typos_is_not_reported(real: Corpus) -> None:
    m = miss(real, "no-going-back", "Bringing the subjekt to attentoin is the starting point.")
    assert m.differs == "the quote has “subjekt” where the text has “subject”; “attentoin” where it has “attention”"


def test_a_quote_that_stops_before_punctuation_is_not_a_difference(real: Corpus) -> None:
    m = miss(real, "tipping-point", "We are at a tiping point")  # the essay has "point."
    assert m.differs == "the quote has “tiping” where the text has “tipping”"
    m = miss(real, "tipping-point", "Three weks ago, Harvey Weinstein was one of the most powerful men in Hollywood")
    assert m.differs == "the quote has “weks” where the text has “weeks”"


def test_a_word_cut_in_the_middle_at_the_edge(real: Corpus) -> None:
    m = miss(real, "tipping-point", "e are at a tipping point.")
    assert m.whole_words
    assert m.differs == "“e” is part of “We”"
    assert m.passage == "We are at a tipping point."
    m = miss(real, "tipping-point", "We are at a tipping poin")
    assert m.whole_words
    assert m.differs == "“poin” is part of “point.”"
    assert m.at == len("We are at a tipping ")


def test_a_cut_word_with_other_differences_is_one_more_difference(real: Corpus) -> None:
    m = miss(real, "tipping-point", "e are at a tiping point.")
    assert not m.whole_words
    assert m.differs == "the quote has “e” where the text has “We”; “tiping” where it has “tipping”"
    assert m.at == 0


def test_an_omission_leaves_words_out_without_differences(real: Corpus) -> None:
    m = miss(real, "tipping-point", "Three weeks ago … Hollywod … Little doubt there are more to follow.")
    assert m.paragraph == 2
    assert m.differs == "the quote has “Hollywod” where the text has “Hollywood.”"
    assert m.marked == "Three weeks ago, … ⟦Hollywood.⟧ … Little doubt there are more to follow."


def test_an_omission_across_paragraphs_says_so(real: Corpus) -> None:
    m = miss(real, "tipping-point", "We are at a tipping point. … Three weeks ago")
    assert (m.paragraph, m.last) == (1, 2)
    assert m.differs == (
        "a quote with an omission (…) stays inside one paragraph, and this one runs from paragraph 1 to paragraph 2"
    )


def test_a_quote_running_on_into_the_next_paragraph_with_a_typo(real: Corpus) -> None:
    m = miss(real, "tipping-point", "We are at a tipping point. Three weeks ago, Harvey Weinstien was")
    assert (m.paragraph, m.last) == (1, 2)
    assert m.passage == "We are at a tipping point. Three weeks ago, Harvey Weinstein was"
    assert m.differs == "the quote has “Weinstien” where the text has “Weinstein”"


def test_many_differences_are_counted_past_the_first_few(real: Corpus) -> None:
    s = seed(real, "no-going-back")
    words = s.paragraphs[16].split()[5:65]
    typoed = [w + "x" if n % 4 == 0 else w for n, w in enumerate(words)]
    m = miss(real, "no-going-back", " ".join(typoed))
    assert m.paragraph == 17
    named = m.differs.split("; ")
    assert len(named) == closest._SHOWN + 1
    assert named[-1] == f"and {15 - closest._SHOWN} more differences"
    assert "\n" not in m.differs and "\n" not in m.marked
    # A long passage is shown around its first differences, in whole words.
    assert m.marked.count("⟦") >= closest._SHOWN and m.marked.endswith(" …")
    assert all(w.startswith("⟦") or w == "…" or w in s.paragraphs[16] for w in m.marked.split())


def test_a_long_run_of_added_words_is_shown_by_its_start(real: Corpus) -> None:
    added = "and these many words were never written by the essay's author at all"
    quote = START.replace("attention is", f"attention {added} is") + " Many people will have never had the opportunity"
    m = miss(real, "no-going-back", quote)
    assert m.differs == (
        "the quote has “attention and these many words were …” (14 words) where the text has “attention”"
    )
    assert m.at == quote.index("and these")


@pytest.mark.parametrize("quote", ["xq zv wpt", "qqqq " * 50, "Zebras quietly juggle eleven violet pianos."])
def test_nothing_close(real: Corpus, quote: str) -> None:
    m = miss(real, "tipping-point", quote)
    assert (m.passage, m.at) == ("", None)


def test_visible_leaves_ordinary_text_alone() -> None:
    assert seed_mod.visible("Weinstein’s “trial” — café") == "Weinstein’s “trial” — café"
    assert seed_mod.visible("a\u200bb\u00a0c") == "a<U+200B>b<U+00A0>c"


# --------------------------------------------------------------------------------------
# Folding.


def _fold_reference(text: str) -> tuple[str, list[int]]:
    """fold() as first written, one character at a time."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(seed_mod._FOLD.get(ch, ch))
        index.append(i)
    return "".join(out), index


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\n\r\x1c\x85\u00a0\u2003\u3000\u200bab.…‘’“”«»—–-′`´")))
def test_fold_is_the_one_character_at_a_time_rule(text: str) -> None:
    assert seed_mod.fold(text) == _fold_reference(text)


def test_fold_white_space_is_str_isspace() -> None:
    spaces = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    assert seed_mod.fold(f"a{spaces}b") == ("a b", [0, 1, len(spaces) + 1])
    assert seed_mod.fold("a\u200bb") == ("a\u200bb", [0, 1, 2])  # a zero-width space is not a space


# --------------------------------------------------------------------------------------
# Seed format errors (files written to tmp_path).

GOOD_SEED = """\
---
id: "{id}"
title: "A Title"
author: "A. Writer"
date: "2021-05"
date_basis: "not stated"
publisher: "unknown"
place: "unknown"
source: "raw.txt"
summary: "A summary."
removed: []
---

[1] First paragraph.

[2] Second paragraph,
    which runs on.
"""


def write_seed(tmp_path: Path, name: str, text: str) -> tuple[Seed | None, list[Problem]]:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return corpus.load_seed(path, path.name)


def test_a_well_formed_seed_loads(tmp_path: Path) -> None:
    s, problems = write_seed(tmp_path, "my-essay", GOOD_SEED.format(id="my-essay"))
    assert problems == []
    assert s is not None
    assert s.paragraphs == ("First paragraph.", "Second paragraph,\nwhich runs on.")
    assert s.lines == (14, 16)
    assert (s.title, s.author, s.date, s.year) == ("A Title", "A. Writer", "2021-05", "2021")
    m = corpus.find_quote(s, "paragraph, which runs on")
    assert isinstance(m, Match) and m.paragraphs == (2,)


def test_seed_without_front_matter(tmp_path: Path) -> None:
    s, problems = write_seed(tmp_path, "bare", "[1] Just text.\n")
    assert s is None
    assert "starts with a '---' line" in problems[0].message


def test_seed_without_closing_front_matter(tmp_path: Path) -> None:
    s, problems = write_seed(tmp_path, "open", '---\nid: "open"\n\n[1] Text.\n')
    assert s is None
    assert "no closing '---'" in problems[0].message


def test_wrong_paragraph_numbering(tmp_path: Path) -> None:
    text = GOOD_SEED.format(id="gap").replace("[2] Second", "[3] Second")
    s, problems = write_seed(tmp_path, "gap", text)
    assert s is None
    [p] = problems
    assert (p.position.line, p.position.col) == (16, 2)
    assert "paragraph number 3 should be 2" in p.message


def test_paragraph_without_a_number(tmp_path: Path) -> None:
    text = GOOD_SEED.format(id="nonum").replace("[2] Second", "Second")
    s, problems = write_seed(tmp_path, "nonum", text)
    assert s is None
    [p] = problems
    assert p.position.line == 16
    assert "[2] " in p.message


def test_unknown_front_matter_key_with_did_you_mean(tmp_path: Path) -> None:
    text = GOOD_SEED.format(id="typo").replace("author:", "auther:")
    s, problems = write_seed(tmp_path, "typo", text)
    assert s is None
    unknown = [p for p in problems if "unknown seed key 'auther'" in p.message]
    assert len(unknown) == 1
    assert "did you mean 'author'" in unknown[0].message
    assert (unknown[0].position.line, unknown[0].position.col) == (4, 1)
    assert any("needs 'author'" in p.message for p in problems)


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    s, problems = write_seed(tmp_path, "file-name", GOOD_SEED.format(id="other-name"))
    assert s is None
    [p] = problems
    assert "must match the file name 'file-name'" in p.message
    assert (p.position.line, p.position.col) == (2, 5)


def test_seed_file_name_must_be_an_id(tmp_path: Path) -> None:
    s, problems = write_seed(tmp_path, "My_Essay", GOOD_SEED.format(id="My_Essay"))
    assert s is None
    assert any("lowercase words" in p.message for p in problems)


def test_seed_with_no_paragraphs(tmp_path: Path) -> None:
    text = GOOD_SEED.format(id="empty").split("\n---\n")[0] + "\n---\n"
    s, problems = write_seed(tmp_path, "empty", text)
    assert s is None
    assert any("no paragraphs" in p.message for p in problems)


def test_seed_with_a_control_character_is_refused(tmp_path: Path) -> None:
    text = GOOD_SEED.format(id="ctl").replace("First paragraph.", "First\x07 paragraph.")
    s, problems = write_seed(tmp_path, "ctl", text)
    assert s is None
    assert (problems[0].position.line, problems[0].position.col) == (14, 10)


def test_load_corpus_keeps_good_seeds_and_reports_bad_ones(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_SEED.format(id="good"), encoding="utf-8")
    (tmp_path / "bad.txt").write_text("no front matter\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a seed\n", encoding="utf-8")
    loaded, problems = corpus.load_corpus(tmp_path, tmp_path)
    assert loaded.ids() == ["good"]
    assert [p.position.path for p in problems] == ["bad.txt"]
