"""Writing specs: `lessonpack seeds`, `excerpts` and `new`, as a teacher runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.cli import SUGGESTIONS, main
from generator.runners import authoring
from generator.runners.build import Builder, Project, output_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["metoo-and-beyond", "no-going-back", "tipping-point", "valor-prevention"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of one's own: the shipped seeds and schema, no packs yet."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


# -- seeds ----------------------------------------------------------------------------------


def test_seeds_lists_every_essay_with_what_is_known_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--root", str(ROOT), "seeds"], capsys)
    assert code == 0 and err == ""
    listed = re.findall(r"^([a-z-]+)$", out, re.M)
    assert listed == SEEDS
    assert "author: Jessica Schwartz; date: 2017-11-29" in out
    assert "title:  “No Going Back”: Allyship in the Wake of the Harvey Weinstein Trial" in out
    assert "references from ¶21" in out
    # tipping-point names no author and no title: shown as unknown, not guessed.
    block = out.split("tipping-point\n")[1].split("\n\n")[0]
    assert "title:  unknown" in block and "author: unknown" in block


# -- excerpts -------------------------------------------------------------------------------


def _entries(out: str) -> list[dict[str, str]]:
    """The printed listing is YAML; its entries are what a teacher pastes."""
    document = yaml.safe_load(out)
    return list(document["excerpts"] or [])


def _comments(out: str) -> list[str]:
    return re.findall(r"^  # (.*)$", out, re.M)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_listed_passage_is_a_quote_lessonpack_finds(seed: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--root", str(ROOT), "excerpts", seed], capsys)
    assert code == 0
    entries = _entries(out)
    assert len(entries) > 10 and len({e["id"] for e in entries}) == len(entries)
    builder = Builder(Project(ROOT))
    spec = {"title": "All", "audience": {"ages": "18+"}, "duration": 30, "excerpts": entries}
    problems = builder.check_text(json.dumps(spec, ensure_ascii=False), "all.yaml", "all")
    not_found = [p for p in problems if "quote" in p.message and "not in seed" in p.message]
    assert not_found == []


def test_marks_agree_with_what_a_build_for_those_ages_decides(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--root", str(ROOT), "excerpts", "tipping-point", "--ages", "9-11"], capsys)
    assert code == 0
    builder = Builder(Project(ROOT))
    verdicts = _comments(out)
    entries = _entries(out)
    assert len(verdicts) == len(entries)
    refused_seen = noted_seen = 0
    for verdict, excerpt in zip(verdicts, entries, strict=True):
        spec = {"title": "One", "audience": {"ages": "9-11"}, "duration": 30, "excerpts": [excerpt]}
        problems = builder.check_text(json.dumps(spec, ensure_ascii=False), "one.yaml", "one")
        refused = any("is refused" in p.message for p in problems)
        assert refused == ("REFUSED for ages 9–11" in verdict), (verdict, [str(p) for p in problems])
        refused_seen += refused
        noted_seen += verdict.split(" — ")[1].startswith("note")
    assert refused_seen >= 5 and noted_seen >= 3


def test_grep_allowed_whole_and_paragraph_narrow_the_listing(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["--root", str(ROOT), "excerpts", "no-going-back", "--grep", "Safe SPACES"], capsys)
    found = _entries(out)
    assert found and all("safe spaces" in e["quote"].lower() for e in found)
    _, out, _ = run(["--root", str(ROOT), "excerpts", "tipping-point", "--ages", "9-11", "--allowed"], capsys)
    assert _entries(out) and "REFUSED" not in out
    _, out, _ = run(["--root", str(ROOT), "excerpts", "tipping-point", "--whole", "--paragraph", "2-3"], capsys)
    assert [e["id"] for e in _entries(out)] == ["tp-2", "tp-3"]
    _, out, _ = run(["--root", str(ROOT), "excerpts", "tipping-point", "--grep", "zebra"], capsys)
    assert _entries(out) == [] and "nothing matches 'zebra'" in out
    # Without --ages, each passage says from which age it may be quoted.
    _, out, _ = run(["--root", str(ROOT), "excerpts", "metoo-and-beyond", "--paragraph", "2"], capsys)
    assert "allowed from age 14: Sexual violence — described" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["excerpts", "tipping-pont"], "no seed 'tipping-pont'; did you mean 'tipping-point'?"),
        (["excerpts", "tipping-point", "--ages", "sixteen"], "--ages sixteen:"),
        (["excerpts", "tipping-point", "--paragraph", "2 to 3"], "expected a number or a range"),
    ],
)
def test_excerpts_refuses_bad_arguments_clearly(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["--root", str(ROOT), *argv], capsys)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


# -- new ------------------------------------------------------------------------------------


def test_new_spec_builds_at_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["--root", str(project), "new", "consent-talk", "--ages", "14-16", "--suggestion", "start-a-conversation"],
        capsys,
    )
    assert code == 0, err
    spec = project / "packs" / "consent-talk.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/lesson-spec.schema.json\n")
    assert 'title: "Being an Ally — Start a Conversation"' in text
    # Comments that teach the format, beside the keys they explain.
    assert re.search(r"^  ages: \"14-16\" +# the youngest age decides", text, re.M)
    assert "lessonpack excerpts no-going-back --ages 14-16" in text
    # Its excerpts come from the suggestion's own paragraph of no-going-back.
    loaded = yaml.safe_load(text)
    assert all(e["id"].startswith("ngb-17-") for e in loaded["excerpts"])
    schema = json.loads((project / "schema" / "lesson-spec.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(loaded, schema)
    code, out, err = run(["--root", str(project), "build", str(spec), "--out", str(project / "dist")], capsys)
    assert code == 0, err
    for path in output_paths(project / "dist", "consent-talk").values():
        assert path.stat().st_size > 1000


@pytest.mark.parametrize("ages", ["5", "9-11", "11-14", "14-16", "16-18", "18+"])
@pytest.mark.parametrize(
    "choice", [*(["--suggestion", s] for s in SUGGESTIONS), *(["--seed", s] for s in SEEDS)], ids=lambda c: c[1]
)
def test_new_spec_checks_cleanly_for_every_age_and_source(
    ages: str, choice: list[str], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--root", str(project), "new", "lesson", "--ages", ages, *choice], capsys)
    assert code == 0, err
    code, _, err = run(["--root", str(project), "check", str(project / "packs" / "lesson.yaml")], capsys)
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    # No essay has a sentence a five-year-old can read: there, and only there, the reading age warns.
    young = ages == "5"
    assert code == 0 and all(young and " reads at " in w for w in warnings), err


@pytest.mark.parametrize("suggestion", [None, *SUGGESTIONS])
def test_new_writes_answer_guidance_for_every_question(
    suggestion: str | None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    extra = ["--suggestion", suggestion] if suggestion else []
    code, _, err = run(["--root", str(project), "new", "answered", "--ages", "11-14", *extra], capsys)
    assert code == 0, err
    written = yaml.safe_load((project / "packs" / "answered.yaml").read_text(encoding="utf-8"))
    assert written["questions"] and all(len(q.get("answer", "").split()) >= 10 for q in written["questions"])


def test_suggestion_names_match_the_paragraphs_they_open() -> None:
    assert tuple(sorted(authoring.SUGGESTIONS)) == SUGGESTIONS
    seed = Builder(Project(ROOT)).corpus.seeds[authoring.SUGGESTION_SEED]
    for _, opening in authoring.SUGGESTIONS.values():
        assert sum(p.startswith(opening) for p in seed.paragraphs) == 1


def test_new_never_overwrites(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "packs" / "mine.yaml"
    spec.parent.mkdir()
    spec.write_text("title: My own work\n", encoding="utf-8")
    code, _, err = run(["--root", str(project), "new", "mine", "--ages", "14-16"], capsys)
    assert code == 2 and "already exists" in err
    assert spec.read_text(encoding="utf-8") == "title: My own work\n"
    assert sorted(p.name for p in spec.parent.iterdir()) == ["mine.yaml"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "My Lesson", "--ages", "14-16"], "'My Lesson' is not a pack id"),
        (["new", "x", "--ages", "old"], "--ages old:"),
        (["new", "x", "--ages", "14-16", "--seed", "tipping"], "did you mean 'tipping-point'?"),
        (
            ["new", "x", "--ages", "14-16", "--seed", "tipping-point", "--suggestion", "start-a-conversation"],
            "leave out --seed",
        ),
    ],
)
def test_new_refuses_bad_arguments_and_writes_nothing(
    argv: list[str], message: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--root", str(project), *argv], capsys)
    assert code == 2 and message in err
    assert not (project / "packs").exists() or not any((project / "packs").iterdir())


def test_new_in_a_project_without_a_schema_leaves_the_editor_line_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    code, _, err = run(
        ["--root", str(tmp_path), "new", "plain", "--ages", "11", "--folder", str(tmp_path / "x")], capsys
    )
    assert code == 0, err
    text = (tmp_path / "x" / "plain.yaml").read_text(encoding="utf-8")
    assert "$schema" not in text and "lessonpack build " in text


# -- seeds add ------------------------------------------------------------------------------

RAW = """\
Skip to content
Safe at School
By A. Writer
Share on facebook

Every morning this May, our school hall filled up before the bell.
Nobody had planned it; it simply happened.

Photo credit: J. Smith

Here is what we learned about “safe spaces” — and what we did next.

Leave a Reply
""".replace("the bell.", "the bell.  ")  # trailing spaces, as pasted from a web page


def test_seeds_add_imports_an_essay_that_specs_can_quote_at_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "raw.txt"
    raw.write_text(RAW, encoding="utf-8")
    code, out, err = run(
        [
            "--root",
            str(project),
            "seeds",
            "add",
            str(raw),
            "--id",
            "safe-at-school",
            "--title",
            "Safe at School",
            "--author",
            "A. Writer",
        ],
        capsys,
    )
    assert code == 0, err
    assert "wrote " in out and "2 paragraphs" in out
    for line in (
        "Skip to content",
        "Safe at School",
        "By A. Writer",
        "Share on facebook",
        "Photo credit: J. Smith",
        "Leave a Reply",
    ):
        assert f"  removed: {line}\n" in out
    text = (project / "seeds" / "safe-at-school.txt").read_text(encoding="utf-8")
    assert "[1] Every morning this May, our school hall filled up before the bell.\n    Nobody had planned it" in text
    assert "[2] Here is what we learned about “safe spaces” — and what we did next.\n" in text
    assert 'date: "unknown"' in text and 'publisher: "unknown"' in text
    # The new essay is listed, its passages found, and a spec quoting it builds.
    _, out, _ = run(["--root", str(project), "seeds"], capsys)
    assert "safe-at-school\n  title:  Safe at School\n  author: A. Writer; date: unknown" in out
    _, out, _ = run(["--root", str(project), "excerpts", "safe-at-school", "--grep", "safe spaces"], capsys)
    assert [e["id"] for e in _entries(out)] == ["sas-2-1"]
    code, _, err = run(["--root", str(project), "new", "safe", "--ages", "11-14", "--seed", "safe-at-school"], capsys)
    assert code == 0, err
    code, _, err = run(["--root", str(project), "build", str(project / "packs"), "--out", str(project / "d")], capsys)
    assert code == 0, err


def test_seeds_add_refuses_to_replace_an_essay_and_dry_run_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "raw.txt"
    raw.write_text(RAW, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (project / "seeds").iterdir()}
    code, _, err = run(["--root", str(project), "seeds", "add", str(raw), "--id", "tipping-point"], capsys)
    assert code == 2 and "already exists" in err and "nothing written" in err
    code, out, _ = run(["--root", str(project), "seeds", "add", str(raw), "--id", "fresh", "--dry-run"], capsys)
    assert code == 0 and "would write" in out
    code, _, err = run(["--root", str(project), "seeds", "add", str(raw), "--id", "x", "--date", "May 2024"], capsys)
    assert code == 2 and "--date" in err
    assert {p.name: p.read_bytes() for p in (project / "seeds").iterdir()} == before


@pytest.mark.parametrize("region", ["uk", "us"])
@pytest.mark.parametrize(("ages", "choice"), [("9-11", []), ("14-16", ["--suggestion", "stop-it-before-it-starts"])])
def test_new_takes_a_region_and_quizzes_on_the_passages_it_chose(
    region: str, ages: str, choice: list[str], project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--root", str(project), "new", "mine", "--ages", ages, "--region", region, *choice], capsys)
    assert code == 0, err
    loaded = yaml.safe_load((project / "packs" / "mine.yaml").read_text(encoding="utf-8"))
    assert loaded["audience"]["region"] == region
    quoted = " ".join(e["quote"] for e in loaded["excerpts"])
    about = [q for q in loaded["exit_quiz"] if "passages we read today" in q["question"]]
    assert len(about) == 1
    # The answer is from a chosen passage; neither wrong option is.
    assert about[0]["answer"].rstrip("…") in quoted
    assert all(d.rstrip("…") not in quoted for d in about[0]["distractors"])
    # No other quiz question asks about a passage (the old one asked about one it did not include).
    assert not any("writer" in q["question"] for q in loaded["exit_quiz"] + loaded["starter_quiz"])
    code, _, err = run(
        [
            "--root",
            str(project),
            "build",
            str(project / "packs" / "mine.yaml"),
            "--out",
            str(project / "dist"),
            "--formats",
            "pdf",
        ],
        capsys,
    )
    assert code == 0, err
    from pypdf import PdfReader

    pdf = PdfReader(str(project / "dist" / "mine" / "mine-student.pdf"))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert ("Childhelp" in text) is (region == "us") and ("Childline" in text) is (region == "uk")


@pytest.mark.parametrize("seed_id", ["no-going-back", "tipping-point"])
def test_excerpts_allowed_offers_only_what_check_accepts(seed_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every passage `excerpts --allowed` prints, pasted into a spec for those ages, passes check
    (a two-word sentence under the policy's min_quote_words is not offered)."""
    import json as json_mod

    import yaml as yaml_mod

    from generator.cli import main as cli_main
    from generator.runners.build import Builder, Project

    assert cli_main(["--root", str(ROOT), "excerpts", seed_id, "--ages", "14-16", "--allowed"]) == 0
    offered = yaml_mod.safe_load(capsys.readouterr().out)["excerpts"]
    assert len(offered) > 20
    builder = Builder(Project(ROOT))
    for entry in offered:
        text = (
            'title: Check\naudience: {ages: "14-16"}\nduration: 30\nexcerpts:\n'
            f"  - id: e\n    seed: {entry['seed']}\n    quote: {json_mod.dumps(entry['quote'], ensure_ascii=False)}\n"
        )
        errors = [str(p) for p in builder.check_text(text, "pasted.yaml", "pasted") if p.severity == "error"]
        assert not errors, (entry["quote"], errors)
