"""The content policy: the shipped default, school policies given with --policy, and term matching.

Every case in tests/bad_policies/ is a small but complete policy with one mistake. Each file starts
with one or more lines `# expect: LINE:COL: substring of the message`; the case passes when the
policy is refused, there is an error at exactly LINE:COL whose message contains the substring for
every expect line, and no error is reported anywhere else.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import Problem
from generator.lesson import judging
from generator.readers import policy
from generator.readers.policy import DEFAULT, Policy
from generator.readers.terms import Term, compile_term

from .tools import assert_refused, expectations

HERE = Path(__file__).parent
ROOT = HERE.parent
BAD = HERE / "bad_policies"
CASES = sorted(BAD.glob("*.yaml"))
ERROR_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): error: .+$")
PACK = ROOT / "packs" / "respectful-environment.yaml"  # ages 9-11

# The smallest policy that loads; every bad case is a copy of this (or of a two-category
# variant) with one mistake in it.
MINIMAL = """\
policy: tiny school policy
version: 1
severities:
  - id: content-guidance
    label: Content guidance
    meaning: Needs a note for pupils.
bands:
  - id: plain
    from: 5
categories:
  - id: crime
    label: Crime
    severity: content-guidance
    wording: crime
    intensities:
      - id: any
        label: any
        youngest: 9
        terms:
          - crime*
          - prison
"""


def accepted(path: Path, display: str | None = None) -> policy.Policy:
    """The policy in a file `policy.load` accepts."""
    found, problems = policy.load(path, display)
    assert found is not None, [str(p) for p in problems]
    return found


def refused(path: Path, display: str) -> list[Problem]:
    """Every problem `policy.load` reports for a policy file it refuses."""
    found, problems = policy.load(path, display)
    assert found is None
    return sorted(problems, key=lambda p: (p.position, p.message))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def default_text() -> str:
    return policy.DEFAULT.read_text(encoding="utf-8")


def with_youngest(category: str, youngest: int, name: str = "lessonpack default policy") -> str:
    """The default policy with one category's mildest intensity allowed from another age."""
    text = default_text()
    start = text.index(f"  - id: {category}\n")
    at = text.index("youngest: ", start)
    end = text.index("\n", at)
    changed = text[:at] + f"youngest: {youngest}" + text[end:]
    changed = changed.replace("policy: lessonpack default policy", f"policy: {name}", 1)
    assert changed != text
    return changed


def line_of(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` first occurs in `text`."""
    for i, line in enumerate(text.split("\n"), 1):
        col = line.find(needle)
        if col >= 0:
            return i, col + 1
    raise AssertionError(f"{needle!r} not found")


# ---------------------------------------------------------------------------------------
# Bad policies, data-driven.


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_bad_policy_is_refused_at_the_expected_place(path: Path) -> None:
    shown = f"bad_policies/{path.name}"
    problems = refused(path, shown)
    expected = expectations(path)
    listing = "\n".join(str(p) for p in problems)
    assert problems
    assert all(p.position.path == shown and p.severity == "error" for p in problems), listing
    assert_refused(problems, expected)
    # One mistake: nothing is reported anywhere the case does not expect.
    places = {(line, col) for line, col, _ in expected}
    assert {(p.position.line, p.position.col) for p in problems} <= places, listing


def test_the_minimal_policy_the_cases_start_from_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    found = accepted(path, "minimal.yaml")
    assert list(found.categories) == ["crime"]
    assert found.categories["crime"].levels[0].youngest == 9
    assert found.wording_at["crime"].line == 14


def test_every_problem_in_a_policy_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("version: 1", "version: 2").replace("youngest: 9", "youngest: eleven")
    text = text.replace("    wording: crime\n", "    wording: crime\n    colour: red\n")
    path = tmp_path / "three-mistakes.yaml"
    path.write_text(text, encoding="utf-8")
    problems = refused(path, "three-mistakes.yaml")
    messages = "\n".join(str(p) for p in problems)
    assert "three-mistakes.yaml:2:10: error: 'version' must be one of 1" in messages
    assert "three-mistakes.yaml:15:5: error: unknown key 'colour'" in messages
    assert (
        "three-mistakes.yaml:19:19: error: 'categories[1].intensities[1].youngest': should be an age from 0 to 99"
        in (messages)
    )


def test_checks_after_the_schema_also_report_everything_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("    severity: content-guidance\n", "    severity: caution\n")
    text = text.replace("- prison\n", "- prison\n          - pri*son\n          - crime*\n")
    text = text.replace("from: 5", "from: 8")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    problems = refused(path, "many.yaml")
    found = {(p.position.line, p.position.col): p.message for p in problems}
    assert found[(8, 3)].startswith("bands must start at age 5 or younger")
    assert found[(13, 15)] == "unknown severity 'caution'"
    assert found[(22, 13)].startswith("term 'pri*son' may only end in *")
    assert found[(23, 13)] == "term 'crime*' is listed twice in 'crime' (already under 'any')"
    assert len(problems) == 4


def test_a_policy_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    for name, text in [("empty.yaml", "# nothing yet\n"), ("list.yaml", "- policy: ours\n")]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        problems = refused(path, name)
        assert [p.message for p in problems] == ["a policy file is a set of 'key: value' lines; start with 'policy:'"]


# ---------------------------------------------------------------------------------------
# The default policy matches the table in the content-guidance policy.


@pytest.fixture(scope="module")
def default() -> Policy:
    return policy.default()


def test_the_default_policy_loads(default: Policy) -> None:
    assert default.name == "lessonpack default policy"
    assert list(default.categories) == [
        "sexual-violence",
        "sexual-harassment",
        "sexual-content",
        "strong-language",
        "discrimination",
        "crime",
        "political",
        "recent-events",
    ]
    assert default.bands[0].start <= 5


@pytest.mark.parametrize(
    ("category", "intensity", "youngest"),
    [
        ("sexual-violence", "mentioned", 11),
        ("sexual-violence", "described", 14),
        ("sexual-violence", "graphic", None),
        ("sexual-harassment", "mentioned", 11),
        ("strong-language", "any", 14),
        ("discrimination", "discussed", 9),
        ("crime", "any", 9),
        ("political", "any", 11),
    ],
)
def test_default_ages_match_the_guidance_table(
    default: Policy, category: str, intensity: str, youngest: int | None
) -> None:
    level = default.categories[category].level(intensity)
    assert level is not None
    assert level.youngest == youngest


def test_graphic_sexual_violence_is_never_allowed_and_cannot_be_overridden(default: Policy) -> None:
    graphic = default.categories["sexual-violence"].level("graphic")
    assert graphic is not None
    assert graphic.youngest is None
    assert graphic.overridable is False
    assert graphic.severity == "heightened-caution"
    assert [lv.id for lv in default.categories["sexual-violence"].levels] == ["mentioned", "described", "graphic"]


def test_strong_language_is_redactable(default: Policy) -> None:
    assert default.categories["strong-language"].redactable is True
    assert not any(c.redactable for c in default.categories.values() if c.id != "strong-language")


def test_political_content_asks_for_balance(default: Policy) -> None:
    assert default.categories["political"].actions == {"opinion-label", "balancing-question", "impartiality-note"}


def test_recent_events_are_allowed_at_every_age_with_a_fact_check(default: Policy) -> None:
    recent = default.categories["recent-events"]
    assert all(lv.youngest is not None and lv.youngest <= default.bands[0].start for lv in recent.levels)
    assert recent.actions == {"verify-facts-note"}


@pytest.mark.parametrize(
    ("text", "crime"),
    [
        ("Write one sentence about it.", False),
        ("Which sentence is true?", False),
        ("Sentences start with a capital letter.", False),
        ("He was sentenced to 23 years.", True),
        ("The judge is sentencing him today.", True),
        ("She got a prison sentence.", True),
        ("a life sentence", True),
    ],
)
def test_a_grammar_sentence_is_not_crime_and_a_court_s_is(default: Policy, text: str, crime: bool) -> None:
    found = {h.category for h in judging.detect((text,), default)}
    assert ("crime" in found) is crime


# ---------------------------------------------------------------------------------------
# Terms.


@pytest.mark.parametrize("word", ["harass", "harassed", "harassment", "Harassing", "HARASSERS"])
def test_a_wildcard_term_matches_any_ending(word: str) -> None:
    assert compile_term("harass*").pattern.search(f"It was {word}, she said.")


@pytest.mark.parametrize("text", ["nonharassing", "antiharassment", "x_harassing", "unharassed"])
def test_a_wildcard_term_does_not_match_inside_another_word(text: str) -> None:
    assert compile_term("harass*").pattern.search(text) is None


def test_a_term_without_a_wildcard_matches_only_the_whole_word() -> None:
    term = compile_term("trial")
    assert term.pattern.search("the trial began")
    assert term.pattern.search("the trials began") is None
    assert term.pattern.search("a pretrial hearing") is None


@pytest.mark.parametrize(
    "text",
    [
        "sexual harassment",
        "Sexual\nharassment",
        "sexual-harassment",
        "sexual – harassment",
        "sexual —\n harassment",
        "sexual   harassment",
    ],
)
def test_a_multi_word_term_matches_across_line_breaks_and_hyphens(text: str) -> None:
    assert compile_term("sexual harassment").pattern.search(f"about {text} at work")


@pytest.mark.parametrize("text", ["sexualharassment", "asexual harassment", "sexual harassmentx", "sexual, harassment"])
def test_a_multi_word_term_still_needs_its_words_whole_and_adjacent(text: str) -> None:
    assert compile_term("sexual harassment").pattern.search(text) is None


def test_me_too_matches_with_a_hyphen_or_line_break() -> None:
    term = compile_term("me too")
    assert term.pattern.search("the Me-Too movement")
    assert term.pattern.search("the me\ntoo movement")


@pytest.mark.parametrize(
    ("term", "token"), [("pussy", "p*ssy"), ("fuck*", "f**k"), ("shit*", "sh*t"), ("fuck*", "f**king")]
)
def test_masked_words_match_their_terms(term: str, token: str) -> None:
    assert compile_term(term).matches_masked(token)


@pytest.mark.parametrize("term", ["puss", "pussies", "pussycat", "pussy cat"])
def test_a_masked_word_does_not_match_a_term_of_another_length(term: str) -> None:
    assert not compile_term(term).matches_masked("p*ssy")


def test_a_masked_word_does_not_match_a_term_with_other_letters() -> None:
    assert not compile_term("pussy").matches_masked("p*ssa")
    assert not compile_term("shit*").matches_masked("sh*p")
    assert not compile_term("sexual assault*").matches_masked("s*xual")


def test_masked_words_are_found_in_quoted_text_by_the_default_policy(default: Policy) -> None:
    hits = judging.detect(("He wrote p*ssy, f**k and sh*t on the wall.",), default)
    assert [(h.category, h.term, h.words) for h in hits] == [
        ("strong-language", "pussy", "p*ssy"),
        ("strong-language", "fuck*", "f**k"),
        ("strong-language", "shit*", "sh*t"),
    ]


def test_a_word_without_a_mask_never_goes_through_masked_matching(
    default: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = Term.matches_masked

    def spy(self: Term, token: str) -> bool:
        seen.append(token)
        return original(self, token)

    monkeypatch.setattr(Term, "matches_masked", spy)
    hits = judging.detect(("Pissy, puss and shot; a fact we should #metoo about, in 2020.",), default)
    assert seen == []
    assert [h.term for h in hits] == ["#metoo"]
    judging.detect(("a p*ssy cat",), default)
    assert set(seen) == {"p*ssy"}


# ---------------------------------------------------------------------------------------
# The command line with --policy.


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder so a policy given by name shows as that name in errors."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def bad_policy(folder: Path) -> Path:
    path = folder / "bad.yaml"
    text = MINIMAL.replace("    severity: content-guidance\n", "    severity: content-guidence\n")
    path.write_text(text.replace("- prison\n", "- prison\n          - Prison\n"), encoding="utf-8")
    return path


def test_check_with_a_bad_policy_prints_positioned_errors_and_exits_2(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_policy(in_tmp)
    code, out, err = run(["--root", str(ROOT), "check", "--policy", "bad.yaml", str(ROOT / "packs")], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().split("\n")
    assert lines[:-1] == [
        "bad.yaml:13:15: error: unknown severity 'content-guidence'; did you mean 'content-guidance'?",
        "bad.yaml:22:13: error: term 'Prison' is listed twice in 'crime' (already under 'any')",
    ]
    assert all(ERROR_LINE.match(line) for line in lines[:-1])
    assert lines[-1] == "lessonpack: error: bad.yaml: the policy cannot be used"
    assert "checked" not in err


def test_build_with_a_bad_policy_writes_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad_policy(in_tmp)
    out_dir = in_tmp / "out"
    code, _, err = run(
        ["--root", str(ROOT), "build", "--policy", "bad.yaml", "--out", str(out_dir), str(ROOT / "packs")], capsys
    )
    assert code == 2
    assert "bad.yaml:13:15: error: unknown severity" in err
    assert not out_dir.exists() or list(out_dir.rglob("*")) == []
    assert sorted(p.name for p in in_tmp.iterdir()) == ["bad.yaml"]


def test_check_with_a_bad_policy_as_a_real_process(tmp_path: Path) -> None:
    bad_policy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(ROOT), "check", "--policy", "bad.yaml", str(ROOT / "packs")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "bad.yaml:13:15: error: unknown severity 'content-guidence'" in result.stderr
    assert "bad.yaml:22:13: error: term 'Prison' is listed twice" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_missing_policy_file_exits_2_with_a_clear_message(
    command: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--root", str(ROOT), command, "--policy", "missing.yaml", str(PACK)]
    if command == "build":
        argv += ["--out", str(in_tmp / "out")]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.strip() == "lessonpack: error: missing.yaml: no such policy file"
    assert not (in_tmp / "out").exists()


def test_the_pack_passes_under_the_default_policy(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--root", str(ROOT), "check", "--explain", str(PACK)], capsys)
    assert code == 0, err
    assert "discrimination/discussed [content-guidance]: words “discriminative”; allowed from 9 → ALLOWED" in out
    # The pack quotes nothing about crime; the title of the essay it cites ("… Weinstein Trial") does,
    # and is judged apart: below 14, and not raised by the extracts, pupils read its main title.
    crime = [line for line in out.splitlines() if "crime/" in line]
    assert crime == [
        "    title '“No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial': crime/any “Trial”; "
        "recent-events/any “Weinstein” → pupils read '“No Going Back”'"
    ]


def test_raising_an_age_for_words_the_pack_does_not_quote_changes_nothing(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "crime-12.yaml").write_text(with_youngest("crime", 12), encoding="utf-8")
    code, _, err = run(["--root", str(ROOT), "check", "--policy", "crime-12.yaml", str(PACK)], capsys)
    assert code == 0, err


def test_a_stricter_school_policy_refuses_an_excerpt_the_default_allows(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "discrimination-10.yaml").write_text(
        with_youngest("discrimination", 10, "Our school policy"), encoding="utf-8"
    )
    code, out, err = run(
        ["--root", str(ROOT), "check", "--explain", "--policy", "discrimination-10.yaml", str(PACK)], capsys
    )
    assert code == 1
    line, col = line_of(PACK.read_text(encoding="utf-8"), "discriminative behaviour")
    errors = [e for e in err.split("\n") if ": error: " in e]
    # The quote is refused, and so is the intro that names the same word (pupils read it too).
    assert len(errors) == 2, err
    intro_line, intro_col = line_of(PACK.read_text(encoding="utf-8"), "Discriminative")
    assert errors[0].startswith(f"{PACK}:{intro_line}:{intro_col}: error: “Discriminative” is discrimination")
    where, _, message = errors[1].partition(": error: ")
    assert where == f"{PACK}:{line}:{col}"
    assert "excerpt 'make-it-clear' is refused" in message
    assert "discrimination" in message
    assert "“discriminative”" in message
    assert "the audience's youngest age is 9" in message
    assert "the youngest age allowed is 10" in message
    assert "override: {discrimination: REASON}" in message
    assert "policy: Our school policy" in out
    assert "allowed from 10 → REFUSED" in out
    assert "1 spec checked: 1 with errors" in err


def test_a_stricter_school_policy_builds_nothing_for_the_refused_pack(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "discrimination-10-build.yaml").write_text(with_youngest("discrimination", 10), encoding="utf-8")
    out_dir = in_tmp / "out"
    code, _, err = run(
        ["--root", str(ROOT), "build", "--policy", "discrimination-10-build.yaml", "--out", str(out_dir), str(PACK)],
        capsys,
    )
    assert code == 1
    assert "excerpt 'make-it-clear' is refused" in err
    assert not out_dir.exists() or list(out_dir.rglob("*")) == []


def test_wording_the_templates_lack_is_an_error_at_the_wording_line(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = default_text()
    start = text.index("  - id: crime\n")
    at = text.index("    wording: crime\n", start)
    text = text[:at] + "    wording: crimes\n" + text[at + len("    wording: crime\n") :]
    (in_tmp / "no-wording.yaml").write_text(text, encoding="utf-8")
    line, col = line_of(text, "wording: crimes")
    code, out, err = run(["--root", str(ROOT), "check", "--policy", "no-wording.yaml", str(PACK)], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().split("\n")
    assert len(lines) == 2, err
    assert lines[0].startswith(f"no-wording.yaml:{line}:{col + len('wording: ')}: error: no wording 'crimes' ")
    assert "templates/guidance.j2" in lines[0]
    assert "(known: crime, discrimination, " in lines[0]
    assert lines[1] == "lessonpack: error: the policy names wording the templates do not have"


def test_two_never_allowed_intensities_may_follow_each_other(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace(
        "          - semen\n",
        "          - semen\n      - id: extreme\n        label: extreme\n        youngest: never\n"
        "        override: false\n        terms:\n          - necrophil*\n",
    )
    path = tmp_path / "two-nevers.yaml"
    path.write_text(text, encoding="utf-8")
    levels = accepted(path).categories["sexual-violence"].levels
    assert [(lv.id, lv.youngest) for lv in levels][-2:] == [("graphic", None), ("extreme", None)]


def test_an_edited_policy_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    text = DEFAULT.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert accepted(path).categories["crime"].levels[0].youngest == 9
    path.write_text(
        text.replace(
            "        youngest: 9\n        terms:\n          - crime*",
            "        youngest: 10\n        terms:\n          - crime*",
        ),
        encoding="utf-8",
    )
    assert accepted(path).categories["crime"].levels[0].youngest == 10


# --------------------------------------------------------------------------------------
# What an audience gets is the policy's to say: compose and the writers know no age.


def _teacher_and_student(policy_file: Path | None, pack: str) -> tuple[str, str]:
    """The outlines of a shipped pack's teacher and student editions under a policy."""
    from generator.model import dump
    from generator.runners.build import Builder, Project

    builder = Builder(Project(ROOT), policy=policy_file)
    lesson, found, problems = builder.check(ROOT / "packs" / f"{pack}.yaml")
    assert lesson is not None and found is not None, [str(p) for p in problems]
    return tuple(  # type: ignore[return-value]
        dump(builder.compose(lesson, found, edition)) for edition in ("teacher", "student")
    )


def test_the_age_until_which_parents_may_withdraw_a_pupil_is_policy_data(tmp_path: Path) -> None:
    pack = "metoo-hashtag-to-movement"  # ages 16-18, flagged for sexual violence
    teacher, _ = _teacher_and_student(None, pack)
    assert "Right to withdraw" not in teacher  # the default: until 16
    later = tmp_path / "until-19.yaml"
    later.write_text(default_text().replace("    until: 16\n", "    until: 19\n"), encoding="utf-8")
    teacher, student = _teacher_and_student(later, pack)
    assert "[teacher-note] Right to withdraw" in teacher
    assert "Right to withdraw" not in student
    # With no age limit at all, the action applies to every audience.
    text = default_text()
    start = text.index("action_ages:\n")
    always = tmp_path / "always.yaml"
    always.write_text(text[:start] + text[text.index("categories:\n", start) :], encoding="utf-8")
    assert "[teacher-note] Right to withdraw" in _teacher_and_student(always, pack)[0]


def test_who_reads_an_adult_pack_is_policy_data(tmp_path: Path) -> None:
    pack = "staff-allyship-training"  # ages 18+
    teacher, student = _teacher_and_student(None, pack)
    adult_support = "Some of the topics in this session can bring up difficult feelings or memories."
    assert adult_support in student and "participants’ own experiences" in teacher
    pupils = tmp_path / "adults-as-pupils.yaml"
    text = default_text()
    at = text.index("  - id: adult\n")
    changed = text[:at] + text[at:].replace("    readers: adults\n", "    readers: pupils\n", 1)
    pupils.write_text(changed, encoding="utf-8")
    teacher, student = _teacher_and_student(pupils, pack)
    assert adult_support not in student
    assert "Talk to an adult you trust" in student and "pupils’ own experiences" in teacher


def test_compose_and_the_writers_compare_no_age_with_a_number() -> None:
    """Thresholds live in the policy: no `youngest < 16` or `ages.youngest >= 18` in the code that
    lays out a lesson."""
    import ast

    composing = (ROOT / "generator" / "lesson" / "compose").rglob("*.py")
    files = [*composing, *(ROOT / "generator" / "writers").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                text = ast.unparse(node)
                numbers = [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, int)]
                assert not (numbers and any(w in text for w in ("youngest", "oldest", "ages", "band"))), (path, text)
