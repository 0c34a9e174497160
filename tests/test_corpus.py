"""generator/corpus.py: the seed essays and the quote matching rule (README: 'How quotes are matched')."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.readers import corpus
from generator.readers.corpus import Corpus, Match, Miss, Seed

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
    m = miss(
        real, "no-going-back", "The story moved beyond any one man; it became a conversation about mens behavour"
    )
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
        out.append(corpus._FOLD.get(ch, ch))
        index.append(i)
    return "".join(out), index


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\n\r\x1c\x85\u00a0\u2003\u3000\u200bab.…‘’“”«»—–-′`´")))
def test_fold_is_the_one_character_at_a_time_rule(text: str) -> None:
    assert corpus.fold(text) == _fold_reference(text)


def test_fold_white_space_is_str_isspace() -> None:
    spaces = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
    assert corpus.fold(f"a{spaces}b") == ("a b", [0, 1, len(spaces) + 1])
    assert corpus.fold("a\u200bb") == ("a\u200bb", [0, 1, 2])  # a zero-width space is not a space


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
