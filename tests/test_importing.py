"""generator/importing.py: a raw essay becomes a seed the corpus loads, its page clutter listed under `removed`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import CannotWrite, Problem, errors_only
from generator.readers import spec
from generator.readers.corpus import find_quote, load_corpus, load_seed
from generator.readers.seed import Match
from generator.runners.importing import Imported, import_seed

from .examples import examples

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The four essays exactly as received (page debris and all), copied here unchanged.
RAW = Path(__file__).resolve().parent / "raw_seeds"

# The metadata each shipped seed was made with, as someone importing it would type it.
SHIPPED: dict[str, tuple[str, dict[str, Any]]] = {
    "metoo-and-beyond": (
        "001_0a9d9e5aaf7a6e9a.txt",
        {
            "title": "#MeToo Campaign and Beyond: Combating Sexual Violence",
            "author": "Jessica Schwartz",
            "date": "2017-11-29",
        },
    ),
    "no-going-back": (
        "002_aeb2bb14344057a6.txt",
        {
            "title": "“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial",
            "author": "Matt Barnes-Smith",
            "date": "2020",
        },
    ),
    "tipping-point": ("003_8837a505d821140a.txt", {}),
}
VALOR_RAW = "000_2b788083d8650100.txt"
VALOR_HEADLINE = "What Harvey Weinstein's trial tells us about preventing sexual violence."

ESSAY = """\
The first paragraph says something plain.

The second paragraph says “something else” — and goes on.
"""


@pytest.fixture(scope="module")
def raw_dir() -> Path:
    assert sorted(p.name for p in RAW.glob("*.txt")) == [
        "000_2b788083d8650100.txt",
        "001_0a9d9e5aaf7a6e9a.txt",
        "002_aeb2bb14344057a6.txt",
        "003_8837a505d821140a.txt",
    ]
    return RAW


def run(
    tmp_path: Path, raw: str | bytes, seed_id: str = "essay", **meta: Any
) -> tuple[Imported | None, list[Problem], Path]:
    """Import `raw` (written to tmp_path/raw/essay.txt) into tmp_path/seeds."""
    path = tmp_path / "raw" / "essay.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    seeds = tmp_path / "seeds"
    result, problems = import_seed(path, seeds, seed_id, raw_display="raw/essay.txt", **meta)
    return result, problems, seeds


def imported(tmp_path: Path, raw: str, **meta: Any) -> tuple[Imported, list[Problem]]:
    result, problems, _ = run(tmp_path, raw, **meta)
    assert result is not None, [str(p) for p in problems]
    assert errors_only(problems) == []
    return result, problems


def loaded_paragraphs(result: Imported) -> tuple[str, ...]:
    seed, problems = load_seed(result.path, str(result.path))
    assert seed is not None, [str(p) for p in problems]
    return seed.paragraphs


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden temporaries too) with its bytes."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def body_lines(path: Path) -> list[str]:
    """The essay lines of a seed file, without '[n] ' or the four-space indent."""
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    out = []
    for line in body.split("\n"):
        if line.startswith("    "):
            out.append(line[4:])
        elif line:
            out.append(line.split("] ", 1)[1])
    return out


# --------------------------------------------------------------------------------------
# The shipped seeds, imported again from the raw essays.


@pytest.mark.parametrize("seed_id", sorted(SHIPPED))
def test_raw_essays_import_to_the_shipped_seeds(raw_dir: Path, tmp_path: Path, seed_id: str) -> None:
    raw_name, meta = SHIPPED[seed_id]
    result, problems = import_seed(raw_dir / raw_name, tmp_path, seed_id, **meta)
    assert problems == []
    assert result is not None
    shipped, _ = load_seed(SEEDS / f"{seed_id}.txt", seed_id)
    assert shipped is not None
    got, _ = load_seed(result.path, seed_id)
    assert got is not None
    assert got.paragraphs == shipped.paragraphs
    assert got.removed == shipped.removed == result.removed
    assert got.references_from == shipped.references_from == result.references_from
    assert result.paragraphs == len(shipped.paragraphs)
    assert f'\nsource: "{raw_name}"\n' in result.path.read_text(encoding="utf-8")
    if seed_id == "metoo-and-beyond":
        # "New York, NY - " stays at the start of the first paragraph, as in the shipped seed: the
        # dateline begins the essay's first sentence; it is not a line of its own.
        assert got.paragraphs[0].startswith("New York, NY - In the aftermath")


@pytest.mark.parametrize("seed_id", sorted(SHIPPED))
def test_with_the_whole_header_given_the_file_is_byte_for_byte_the_shipped_one(
    raw_dir: Path, tmp_path: Path, seed_id: str
) -> None:
    shipped, _ = load_seed(SEEDS / f"{seed_id}.txt", seed_id)
    assert shipped is not None
    result, problems = import_seed(
        raw_dir / SHIPPED[seed_id][0],
        tmp_path,
        seed_id,
        title=shipped.title,
        author=shipped.author,
        date=shipped.date,
        date_basis=shipped.date_basis,
        publisher=shipped.publisher,
        place=shipped.place,
        summary=shipped.summary,
        description=shipped.description,
    )
    assert result is not None, [str(p) for p in problems]
    assert result.path.read_bytes() == (SEEDS / f"{seed_id}.txt").read_bytes()


def test_valor_headline_glued_to_a_sentence_stays_and_is_reported(raw_dir: Path, tmp_path: Path) -> None:
    # In 000 the headline is run on to the end of the first paragraph's line. Whoever made
    # valor-prevention cut it off by hand; a program cannot know that a sentence is a headline,
    # so the importer keeps it and warns that no line reads as the title.
    result, problems = import_seed(
        raw_dir / VALOR_RAW,
        tmp_path,
        "valor-prevention",
        title="What Harvey Weinstein's trial tells us about preventing sexual violence",
        date="2022",
        publisher="VALOR",
    )
    assert result is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "no line reads as the title" in problems[0].message
    shipped, _ = load_seed(SEEDS / "valor-prevention.txt", "valor")
    assert shipped is not None
    got = loaded_paragraphs(result)
    assert got[1:] == shipped.paragraphs[1:]
    assert got[0] == f"{shipped.paragraphs[0]} {VALOR_HEADLINE}"
    assert result.removed == ()
    assert shipped.removed == (VALOR_HEADLINE,)
    assert result.references_from is None


@pytest.mark.parametrize("raw_name", [VALOR_RAW, *(raw for raw, _ in SHIPPED.values())])
def test_every_raw_line_is_kept_verbatim_or_listed_as_removed(raw_dir: Path, tmp_path: Path, raw_name: str) -> None:
    meta = next((m for raw, m in SHIPPED.values() if raw == raw_name), {})
    result, _ = import_seed(raw_dir / raw_name, tmp_path, "essay", **meta)
    assert result is not None
    raw_lines = [line for line in (raw_dir / raw_name).read_text(encoding="utf-8").split("\n") if line.strip()]
    kept = body_lines(result.path)
    removed = list(result.removed)
    for line in raw_lines:
        if removed and line.rstrip() == removed[0]:
            removed.pop(0)
        else:
            assert kept and kept[0] == line.strip(), line
            kept.pop(0)
    assert kept == [] and removed == []


# --------------------------------------------------------------------------------------
# What counts as page clutter, and what never does.

CLUTTER = [
    "Share on facebook",
    "Share on twitter",
    "Share on LinkedIn",
    "Share via Email",
    "Share on X",
    "Tweet",
    "Share this:",
    "Share",
    "Facebook",
    "Print",
    "Like this:",
    "Click to share on Twitter (Opens in new window)",
    "Leave a Reply",
    "Leave a comment",
    "Your email address will not be published.",
    "Your email address will not be published. Required fields are marked *",
    "Post Comment",
    "Skip to content",
    "Skip to main content",
    "Read more articles in",
    "Read more",
    "Related posts",
    "Photo credit: Mark Lennihan",
    "Photo: Reuters/Jane Doe",
    "Image: protesters outside the court",
    "Credit: Getty Images",
    "(Photo by John Smith)",
    "Photograph: AP",
    "Tuesday March 21, 2023",
    "Wednesday, 29 November 2017",
    "| Last update: Tuesday at 9:00 AM",
    "Updated: 12 March 2020 at 14:05 GMT",
    "Published on November 29, 2017",
    "Advertisement",
]
ESSAY_SENTENCES = [
    "Share your story with someone you trust.",
    "Tweet by tweet, the campaign grew.",
    "By the time the trial began, the story was everywhere.",
    "Photos of the protest travelled around the world.",
    "Photo credit matters: we should name who took the picture. Most sites do not.",
    "Credit cards and bank accounts were frozen.",
    "Updated figures show that reports rose between 2020 and 2022.",
    "Posted on the wall was a list of names.",
    "On Tuesday, March 21, 2023, the court met again.",
    "Read more about consent before the lesson.",
    "Sunday.",
    "Like this, the problem hides in plain sight.",
    "Print journalism took years to catch up.",
    "Skip to the end and you miss the point.",
    "Leave a reply if you disagree.",
    "Sources close to the producer denied everything.",
    "November 29, 2017",  # a date line that the given metadata does not cover stays (with a warning)
]


@pytest.mark.parametrize("line", CLUTTER)
def test_page_clutter_is_removed_wherever_it_is(tmp_path: Path, line: str) -> None:
    result, _ = imported(tmp_path, f"First paragraph.\n\n{line}   \n\nLast paragraph.\n")
    assert result.removed == (line,)
    assert loaded_paragraphs(result) == ("First paragraph.", "Last paragraph.")


@pytest.mark.parametrize("line", ESSAY_SENTENCES)
def test_sentences_of_the_essay_are_never_removed(tmp_path: Path, line: str) -> None:
    meta = {"title": "A Title", "author": "Jane Doe", "date": "2020"}
    result, _ = imported(tmp_path, f"First paragraph.\n\n{line}\n\nLast paragraph.\n", **meta)
    assert result.removed == ()
    assert loaded_paragraphs(result) == ("First paragraph.", line, "Last paragraph.")


def test_clutter_inside_a_paragraph_goes_and_the_paragraph_stays_whole(tmp_path: Path) -> None:
    result, _ = imported(tmp_path, "One line,\nShare on twitter\nand the next.\n")
    assert result.removed == ("Share on twitter",)
    assert loaded_paragraphs(result) == ("One line,\nand the next.",)


# --------------------------------------------------------------------------------------
# Header lines: removed only when the given metadata says what they are, and only above the essay.

HEADED = """\
Skip to content

“Speaking Up”:  a   Title

{byline}
{dateline}

The essay begins here.

“Speaking Up”: a Title
"""


@pytest.mark.parametrize(
    "byline",
    [
        "By Jane Doe",
        "BY JANE DOE",
        "Written by Jane Doe",
        "Commentary by Jane Doe |",
        "Author: Jane Doe",
        "Jane Doe",
        "By Jane Doe,",
    ],
)
def test_byline_for_the_given_author_is_removed(tmp_path: Path, byline: str) -> None:
    raw = HEADED.format(byline=byline, dateline="Some dateline words")
    result, _ = imported(tmp_path, raw, title='"Speaking Up": a Title', author="Jane Doe")
    assert result.removed == ("Skip to content", "“Speaking Up”:  a   Title", byline)
    # The title repeated below the essay's first line is the essay's, not a header.
    assert loaded_paragraphs(result) == ("Some dateline words", "The essay begins here.", "“Speaking Up”: a Title")


@pytest.mark.parametrize(
    ("dateline", "date"),
    [
        ("November 29, 2017", "2017-11-29"),
        ("29 November 2017", "2017-11-29"),
        ("Nov. 29th, 2017", "2017-11-29"),
        ("29th of November, 2017", "2017-11-29"),
        ("2017-11-29", "2017-11-29"),
        ("November 2017", "2017-11"),
        ("2017", "2017"),
        ("Wednesday 29 November 2017 at 10:30 am", "2017-11-29"),
    ],
)
def test_a_line_that_is_the_given_date_written_out_is_removed(tmp_path: Path, dateline: str, date: str) -> None:
    raw = HEADED.format(byline="By Jane Doe", dateline=dateline)
    result, problems = imported(tmp_path, raw, title="“Speaking Up”: a Title", author="Jane Doe", date=date)
    assert result.removed == ("Skip to content", "“Speaking Up”:  a   Title", "By Jane Doe", dateline)
    assert problems == []


@pytest.mark.parametrize(("dateline", "date"), [("November 29, 2017", "2017-11-28"), ("November 29, 2017", "2017")])
def test_a_date_line_for_another_date_stays_with_a_hint(tmp_path: Path, dateline: str, date: str) -> None:
    raw = HEADED.format(byline="By Jane Doe", dateline=dateline)
    result, problems = imported(tmp_path, raw, title="“Speaking Up”: a Title", author="Jane Doe", date=date)
    assert dateline not in result.removed
    assert [(p.position.line, p.severity) for p in problems] == [(6, "warning")]
    assert "--date 2017-11-29" in problems[0].message


def test_without_metadata_header_lines_stay_and_the_byline_is_pointed_out(tmp_path: Path) -> None:
    raw = HEADED.format(byline="By Jane Doe", dateline="")
    result, problems = imported(tmp_path, raw)
    assert result.removed == ("Skip to content",)
    assert loaded_paragraphs(result)[:2] == ("“Speaking Up”:  a   Title", "By Jane Doe")
    assert [(str(p.position), p.severity) for p in problems] == [("raw/essay.txt:5:1", "warning")]
    assert "--author" in problems[0].message


def test_a_byline_for_someone_else_is_kept(tmp_path: Path) -> None:
    result, _ = imported(tmp_path, "By John Smith\n\nThe essay.\n", author="Jane Doe")
    assert result.removed == ()
    assert loaded_paragraphs(result) == ("By John Smith", "The essay.")


# --------------------------------------------------------------------------------------
# Paragraphs, bullets and reference lists.


def test_lines_of_one_paragraph_keep_their_breaks_indented_four_spaces(tmp_path: Path) -> None:
    raw = "Here are two things:\n\n  • Start early.   \n      Open the hall.\n  • Stay late.\nShut it after.\n"
    result, _ = imported(tmp_path, raw)
    assert loaded_paragraphs(result) == (
        "Here are two things:",
        "• Start early.\nOpen the hall.",
        "• Stay late.\nShut it after.",
    )
    body = result.path.read_text(encoding="utf-8").split("---\n\n", 1)[1]
    assert (
        body == "[1] Here are two things:\n\n[2] • Start early.\n    Open the hall.\n\n[3] • Stay late.\n"
        "    Shut it after.\n"
    )


def test_a_references_heading_is_removed_and_numbers_the_first_reference(tmp_path: Path) -> None:
    raw = "Essay one.\n\nEssay two.\n\nReferences\n\nSmith, J (2020) Meals.\n\nJones, K (2019) Lunch.\n"
    result, _ = imported(tmp_path, raw)
    assert result.removed == ("References",)
    assert result.references_from == 3
    assert loaded_paragraphs(result)[2] == "Smith, J (2020) Meals."


def test_a_heading_run_on_to_the_first_reference_still_starts_a_paragraph(tmp_path: Path) -> None:
    result, _ = imported(tmp_path, "Essay one.\nSources:\nSmith, J (2020) Meals.\n")
    assert result.removed == ("Sources:",)
    assert result.references_from == 2
    assert loaded_paragraphs(result) == ("Essay one.", "Smith, J (2020) Meals.")


def test_a_closing_run_of_online_citations_is_a_reference_list(tmp_path: Path) -> None:
    refs = "\n\n".join(
        f"Author{n}, A (201{n}) Title {n}. [Online] Available at: https://example.org/{n}" for n in range(3)
    )
    result, _ = imported(tmp_path, f"Essay one.\n\nAs Smith said in 2018, https://example.org is good.\n\n{refs}\n")
    assert result.references_from == 3
    assert result.removed == ()


@pytest.mark.parametrize(
    "ending",
    ["Smith, A (2018) Title. [Online] Available at: https://example.org", "Sources", "Sources\n\nThe end."],
)
def test_no_reference_list_without_two_citations_or_a_heading_before_text(tmp_path: Path, ending: str) -> None:
    result, _ = imported(tmp_path, f"Essay one.\n\n{ending}\n")
    if ending.startswith("Sources\n"):
        assert result.references_from == 2 and result.removed == ("Sources",)
    else:
        assert result.references_from is None and result.removed == ()


# --------------------------------------------------------------------------------------
# The file written.


def test_header_keys_in_order_every_value_quoted_lf_one_final_newline(tmp_path: Path) -> None:
    result, _ = imported(tmp_path, ESSAY.replace("\n", "\r\n") + "Share on email\r\n", date="2020-03")
    data = result.path.read_bytes()
    assert b"\r" not in data and data.endswith(b".\n") and not data.endswith(b"\n\n")
    header = data.decode("utf-8").split("\n---\n", 1)[0].split("\n")[1:]
    assert [line.split(":", 1)[0] for line in header] == [
        "id",
        "title",
        "author",
        "date",
        "date_basis",
        "publisher",
        "place",
        "source",
        "summary",
        "removed",
    ]
    assert header[3:5] == ['date: "2020-03"', 'date_basis: "Given when the essay was imported."']
    assert header[7] == 'source: "essay.txt"'
    assert header[-1] == 'removed: ["Share on email"]'
    assert all(line.split(": ", 1)[1].startswith('"') for line in header[:-1])
    seed, problems = load_seed(result.path, "x")
    assert seed is not None and problems == []
    assert (seed.id, seed.title, seed.author, seed.summary, seed.date_basis) == (
        "essay",
        "unknown",
        "unknown",
        "unknown",
        "Given when the essay was imported.",
    )


def test_awkward_values_read_back_exactly(tmp_path: Path) -> None:
    odd = 'He said "no" \\ then: #left\t– ‘quoted’ “too” [x], {y}'
    meta = {
        "title": odd,
        "author": 'O\'Brien, "Pat"',
        "summary": "unknown",
        "place": ": - ? ]",
        "publisher": "null",
        "date_basis": "true",
    }
    result, _ = imported(tmp_path, f'{odd}\n\nEssay "quoted" text.\n', date="unknown", **meta)
    seed, _ = load_seed(result.path, "x")
    assert seed is not None
    assert (seed.title, seed.author, seed.place, seed.publisher, seed.date_basis, seed.date) == (
        odd,
        'O\'Brien, "Pat"',
        ": - ? ]",
        "null",
        "true",
        "unknown",
    )
    assert result.removed == (odd,)  # the title line, copied exactly


def test_write_false_checks_everything_and_writes_nothing(tmp_path: Path) -> None:
    result, problems, seeds = run(tmp_path, ESSAY, write=False)
    assert result is not None and problems == []
    assert result == Imported(seeds / "essay.txt", "essay", 2, (), None)
    assert not seeds.exists()
    again, _, _ = run(tmp_path, ESSAY)
    assert again == result and result.path.is_file()


def test_the_imported_seed_can_be_quoted_by_a_spec(tmp_path: Path) -> None:
    result, _ = imported(tmp_path, ESSAY)
    found, problems = load_corpus(tmp_path / "seeds")
    assert problems == []
    assert isinstance(find_quote(found.seeds["essay"], 'says "something else" - and'), Match)
    lesson_path = tmp_path / "lesson.yaml"
    lesson_path.write_text(
        "title: Speaking Up\naudience:\n  ages: 14-16\nduration: 30\nexcerpts:\n"
        "  - id: second\n    seed: essay\n    quote: The second paragraph says “something else”\n",
        encoding="utf-8",
    )
    lesson, problems = spec.load_lesson(lesson_path, found)
    assert errors_only(problems) == [], [str(p) for p in problems]
    assert lesson is not None
    assert lesson.excerpts[0].match.paragraphs == (2,)


# --------------------------------------------------------------------------------------
# Refusals: every one positioned, none leaves anything behind.

REFUSALS: list[tuple[str, bytes | None, dict[str, Any], str, str]] = [
    # (seed id, raw bytes or None for no file, options, expected position, words in the message)
    ("tipping-point", ESSAY.encode(), {}, "--id:1:1", "already exists"),
    ("No Going", ESSAY.encode(), {}, "--id:1:1", "lowercase"),
    ("no_going", ESSAY.encode(), {}, "--id:1:1", "joined by '-'"),
    ("essay", ESSAY.encode(), {"date": "2017-13"}, "--date:1:1", "YYYY-MM-DD"),
    ("essay", ESSAY.encode(), {"date": "2017-02-30"}, "--date:1:1", "not a real date"),
    ("essay", ESSAY.encode(), {"date": "17"}, "--date:1:1", "not a real date"),
    ("essay", ESSAY.encode(), {"date": "2017/11/29"}, "--date:1:1", "not a real date"),
    ("essay", ESSAY.encode(), {"date": "November 2017"}, "--date:1:1", "not a real date"),
    ("essay", ESSAY.encode(), {"title": "  "}, "--title:1:1", "empty"),
    ("essay", ESSAY.encode(), {"author": "Jane\nDoe"}, "--author:1:1", "one line"),
    ("essay", ESSAY.encode(), {"summary": "zero\u200bwidth"}, "--summary:1:1", "U+200B"),
    ("essay", None, {}, "raw/essay.txt:1:1", "cannot read the essay"),
    ("essay", b"", {}, "raw/essay.txt:1:1", "no essay text"),
    ("essay", b"\n  \n\nShare on twitter\nSkip to content\n", {}, "raw/essay.txt:1:1", "no essay text"),
    ("essay", b"Fine line.\nCaf\xe9 au lait\n", {}, "raw/essay.txt:2:4", "not UTF-8"),
    ("essay", b"Fine line.\nBell\x07 here\n", {}, "raw/essay.txt:2:5", "U+0007"),
]


@pytest.mark.parametrize(("seed_id", "raw", "options", "where", "words"), REFUSALS)
def test_refusals_are_positioned_and_change_nothing(
    tmp_path: Path, seed_id: str, raw: bytes | None, options: dict[str, Any], where: str, words: str
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "tipping-point.txt").write_bytes((SEEDS / "tipping-point.txt").read_bytes())
    before = snapshot(tmp_path)
    path = tmp_path / "raw.txt"
    if raw is not None:
        path.write_bytes(raw)
        before = snapshot(tmp_path)
    result, problems = import_seed(path, seeds, seed_id, raw_display="raw/essay.txt", **options)
    assert result is None
    assert [str(p.position) for p in problems] == [where], [str(p) for p in problems]
    assert words in problems[0].message and problems[0].severity == "error"
    assert snapshot(tmp_path) == before


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    result, problems = import_seed(tmp_path / "missing.txt", tmp_path, "Bad Id", date="2020-02-31", title="")
    assert result is None
    assert sorted(str(p.position) for p in problems) == [
        "--date:1:1",
        "--id:1:1",
        "--title:1:1",
        f"{tmp_path / 'missing.txt'}:1:1",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_seeds_folder_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    """The machine's refusal, not a problem in the essay: CannotWrite names the folder and the reason."""
    blocker = tmp_path / "seeds"
    blocker.write_text("not a folder", encoding="utf-8")
    raw = tmp_path / "essay.txt"
    raw.write_text(ESSAY, encoding="utf-8")
    with pytest.raises(CannotWrite, match=r"cannot write .*seeds: it is a file, not a folder"):
        import_seed(raw, blocker, "essay")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# --------------------------------------------------------------------------------------
# Properties.

# Words that no clutter, header, bullet or reference rule can take for anything but text.
VOCABULARY = [
    "the",
    "women",
    "spoke",
    "out",
    "and",
    "justice",
    "power",
    "Hollywood",
    "movement",
    "silence",
    "don’t",
    "it’s",
    "“enough”",
    "‘allies’",
    "—",
    "because",
    "we",
    "must",
    "listen",
    "naïve",
    "café",
]
word = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(alphabet="bcdfghjklmnpqrstvwzBCDFGHJKLMNPQRSTVWZßçñ’", min_size=1, max_size=9),
)
punctuated = st.tuples(word, st.sampled_from(["", "", ",", ".", ";", ":", "!", "?", "”", "…"])).map("".join)
line = st.tuples(
    st.sampled_from(["", "", "  ", "\u00a0"]),
    st.lists(punctuated, min_size=1, max_size=12).map(" ".join),
    st.sampled_from(["", "", " ", "  \u00a0", "\t"]),
).map("".join)
paragraph = st.lists(line, min_size=1, max_size=4)
essay = st.tuples(
    st.lists(paragraph, min_size=1, max_size=6),
    st.sampled_from(["\n\n", "\n\n\n", "\n \n"]),
    st.sampled_from(["", "\n", "\n\n"]),
)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essay)
def test_property_import_then_load_gives_back_the_paragraphs(drawn: tuple[list[list[str]], str, str]) -> None:
    paragraphs, gap, ending = drawn
    raw = gap.join("\n".join(lines) for lines in paragraphs) + ending
    with tempfile.TemporaryDirectory() as tmp:
        result, problems, _ = run(Path(tmp), raw)
        assert result is not None, [str(p) for p in problems]
        assert errors_only(problems) == []
        assert result.removed == () and result.references_from is None
        assert loaded_paragraphs(result) == tuple("\n".join(x.strip() for x in lines) for lines in paragraphs)
        assert result.paragraphs == len(paragraphs)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_property_any_bytes_import_or_are_refused_never_raise(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result, problems, seeds = run(Path(tmp), raw)
        assert not any("would not read back" in p.message for p in problems)
        if result is None:
            assert errors_only(problems) and snapshot(seeds) == {}
        else:
            assert errors_only(problems) == []
            assert len(loaded_paragraphs(result)) == result.paragraphs
