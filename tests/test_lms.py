"""Learning-platform exports, read back by what the platforms read them with: every shipped pack and a
held-out lesson (tests/lms/held-out.yaml: special characters, checks for understanding, quizzes done
inside activities, teacher-only text marked TEACHERONLY) built as ID.imscc, ID-quizzes.moodle.xml and
ID-quizzes.gift. The cartridge's manifest and assessments are validated against the IMS CC 1.1
schemas Moodle validates with; its references are resolved; its quizzes are read the way Moodle's
Common Cartridge importer reads them, the Moodle XML the way qformat_xml does, and the GIFT with
gift-pegjs (npm); in every format the stems, options and correct answers are the spec's."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from lxml import etree

from generator.cli import main
from generator.lesson import platform
from generator.model import Edition
from generator.readers.resolved import Lesson
from generator.readers.schema import MultipleChoice
from generator.runners.build import Builder, Project
from generator.writers import ALL, FORMATS, ON_REQUEST, choose
from tests.tools import require

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "lms" / "held-out.yaml"
# The IMS CC 1.1 schemas, unmodified copies of Moodle's, kept beside the project (not in it).
SCHEMAS = ROOT.parent / "shared" / "ims-cc-1.1"
NODE_FOLDER = ROOT / "tests" / "lms"
LMS = choose("imscc,moodle,gift")
CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NO_NETWORK = etree.XMLParser(no_network=True, resolve_entities=False)


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


@dataclass(frozen=True)
class Built:
    lesson: Lesson
    quizzes: tuple[platform.QuizSet, ...]
    files: dict[tuple[Edition, str], Path]  # (edition, format) -> file

    def file(self, fmt: str, edition: Edition = "student") -> Path:
        return self.files[(edition, fmt)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every shipped pack and the held-out lesson, built in every format into one folder."""
    out = tmp_path_factory.mktemp("lms")
    builder = Builder(Project(ROOT), formats=ALL)
    report = builder.build([ROOT / "packs", HELD_OUT], out)
    assert report.failed == [], [str(p) for p in report.problems if p.severity == "error"]
    found = {}
    for path in [*sorted((ROOT / "packs").glob("*.yaml")), HELD_OUT]:
        if path.name.endswith(".printset.yaml"):
            continue
        lesson, _, problems = builder.check(path)
        assert lesson is not None, problems
        found[lesson.id] = Built(lesson, platform.quizzes(lesson, builder.wording), report.paths[lesson.id])
    assert "held-out" in found and len(found) >= 8
    return found


def all_items(lesson: Lesson) -> list[MultipleChoice]:
    """Every multiple-choice question of a lesson, straight from the validated spec."""
    return [*lesson.spec.starter_quiz, *(c for a in lesson.spec.activities for c in a.checks), *lesson.spec.exit_quiz]


def expected(b: Built) -> list[tuple[str, tuple[str, ...], int]]:
    """(stem, options, correct index) of every question, in the order the exports list them."""
    items = [i for q in b.quizzes for i in q.items]
    assert sorted(map(repr, items)) == sorted(map(repr, all_items(b.lesson)))  # each once, none lost
    return [(i.question, i.options, i.correct) for i in items]


def names(b: Built) -> list[str]:
    return [n for q in b.quizzes for n in q.names]


def shown(html: str) -> str:
    """What a platform shows for text given as HTML (our line breaks are <br/>)."""
    return unescape(html.replace("<br/>", "\n"))


# -- choosing the formats ------------------------------------------------------------------------


def test_platform_formats_are_built_only_when_named(tmp_path: Path) -> None:
    assert {f.name for f in ON_REQUEST} == {"imscc", "moodle", "gift"}
    assert not set(ON_REQUEST) & set(FORMATS)
    assert choose("all") == ALL and choose("gift, IMSCC") == (ON_REQUEST[0], ON_REQUEST[2])
    with pytest.raises(ValueError, match="did you mean 'gift'"):
        choose("gfit")
    project = tmp_path / "p"
    (project / "packs").mkdir(parents=True)
    (project / "packs" / "held-out.yaml").write_bytes(HELD_OUT.read_bytes())
    (project / "seeds").symlink_to(ROOT / "seeds")
    args = ["--root", str(project), "build", str(project / "packs")]
    assert main([*args, "--out", str(project / "plain")]) == 0
    plain = sorted(p.name for p in (project / "plain" / "held-out").iterdir())
    assert not [n for n in plain if n.endswith((".imscc", ".gift", ".moodle.xml"))], plain
    assert main([*args, "--out", str(project / "lms"), "--formats", "imscc,moodle,gift"]) == 0
    lms = sorted(p.name for p in (project / "lms" / "held-out").iterdir())
    assert lms == ["held-out-quizzes.gift", "held-out-quizzes.moodle.xml", "held-out.imscc"]
    assert main([*args, "--out", str(project / "all"), "--formats", "all"]) == 0
    every = sorted(p.name for p in (project / "all" / "held-out").iterdir())
    assert every == sorted(plain + lms)


def test_help_names_the_platform_formats_and_all(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for fmt in ON_REQUEST:
        assert f"{fmt.name}: {fmt.summary}" in text
    assert "or all (default: pdf,docx,pptx" in text and "only when named: imscc,moodle,gift" in text


def test_every_build_is_the_same_bytes(tmp_path: Path) -> None:
    builder = Builder(Project(ROOT), formats=LMS)
    first = builder.build([HELD_OUT], tmp_path / "one")
    again = Builder(Project(ROOT), formats=LMS).build([HELD_OUT], tmp_path / "two", force=True)
    for key, path in first.paths["held-out"].items():
        assert path.read_bytes() == again.paths["held-out"][key].read_bytes(), path.name
    with zipfile.ZipFile(first.paths["held-out"][("student", "imscc")]) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_large_print_puts_the_large_print_files_in_the_cartridge(tmp_path: Path) -> None:
    formats = choose("pdf,imscc")
    report = Builder(Project(ROOT), variant="large-print", formats=formats).build([HELD_OUT], tmp_path)
    paths = report.paths["held-out"]
    assert paths[("student", "imscc")].name == "held-out-large-print.imscc"
    with zipfile.ZipFile(paths[("student", "imscc")]) as z:
        inside = z.read("web_resources/held-out-student-large-print.pdf")
        assert "web_resources/held-out-student-large-print-slides.pptx" in z.namelist()
    assert inside == paths[("student", "pdf")].read_bytes()


def test_the_quizzes_follow_the_lesson(built: dict[str, Built]) -> None:
    """Starter quiz, each activity's checks, exit quiz, in teaching order (the held-out lesson does its
    starter in activity 1 and its exit in activity 4); a pack whose quizzes are in no activity has
    its starter first and its exit last."""
    held = built["held-out"]
    assert [q.key for q in held.quizzes] == ["starter", "checks-2", "checks-3", "exit"]
    assert [q.title for q in held.quizzes][1] == "Check for understanding: What is a tipping point? {part 1}"
    for b in built.values():
        assert len(set(names(b))) == len(names(b)), "each question has a name of its own"
        if not any(a.quiz for a in b.lesson.spec.activities) and b.lesson.spec.starter_quiz and b.lesson.spec.exit_quiz:
            assert b.quizzes[0].key == "starter" and b.quizzes[-1].key == "exit"


# -- the cartridge -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schemas() -> tuple[etree.XMLSchema, etree.XMLSchema]:
    """(manifest, assessment) schemas, as Moodle loads them (offline)."""
    manifest, qti = SCHEMAS / "cc11libxml2validator.xsd", SCHEMAS / "ccv1p1_qtiasiv1p2p1_v1p0.xsd"
    if not (manifest.is_file() and qti.is_file()):
        _missing(f"the IMS CC 1.1 schemas are not in {SCHEMAS} (the project's shared folder, ../shared/ims-cc-1.1)")
    return (etree.XMLSchema(etree.parse(str(manifest), NO_NETWORK)), etree.XMLSchema(etree.parse(str(qti), NO_NETWORK)))


def cartridge(b: Built) -> zipfile.ZipFile:
    return zipfile.ZipFile(b.file("imscc"))


def test_every_manifest_and_assessment_is_valid_common_cartridge_1_1(
    built: dict[str, Built], schemas: tuple[etree.XMLSchema, etree.XMLSchema]
) -> None:
    manifest_schema, qti_schema = schemas
    for pack_id, b in built.items():
        with cartridge(b) as z:
            raw = z.read("imsmanifest.xml")
            # Moodle tells CC 1.1 from this declaration in the manifest's first 1024 bytes.
            assert f'xmlns="{CC}"'.encode() in raw[:1024], pack_id
            assert b"authorizations" not in raw, "Moodle refuses a protected cartridge"
            assert manifest_schema.validate(etree.fromstring(raw, NO_NETWORK)), (pack_id, manifest_schema.error_log)
            quizzes = [n for n in z.namelist() if n.startswith("quizzes/")]
            assert len(quizzes) == len(b.quizzes), pack_id
            for name in quizzes:
                doc = etree.fromstring(z.read(name), NO_NETWORK)
                assert qti_schema.validate(doc), (pack_id, name, qti_schema.error_log)


def test_the_schemas_refuse_what_moodle_would(
    built: dict[str, Built], schemas: tuple[etree.XMLSchema, etree.XMLSchema]
) -> None:
    """The validation can fail: a resource of an unknown type, or options wrapped in flow_label."""
    manifest_schema, qti_schema = schemas
    with cartridge(built["held-out"]) as z:
        raw = z.read("imsmanifest.xml").replace(b'type="webcontent"', b'type="web page"', 1)
        assert not manifest_schema.validate(etree.fromstring(raw, NO_NETWORK))
        quiz = z.read("quizzes/starter.xml").replace(b"<response_label", b"<flow_label><response_label", 1)
        quiz = quiz.replace(b"</response_label>", b"</response_label></flow_label>", 1)
        quiz = quiz.replace(b'<render_choice shuffle="No">', b'<render_choice shuffle="Sometimes">', 1)
        assert not qti_schema.validate(etree.fromstring(quiz, NO_NETWORK))


def test_every_reference_resolves_and_every_file_is_there(built: dict[str, Built]) -> None:
    ns = {"cp": CC}
    for pack_id, b in built.items():
        with cartridge(b) as z:
            entries = set(z.namelist())
            doc = etree.fromstring(z.read("imsmanifest.xml"), NO_NETWORK)
            resources = {r.get("identifier"): r for r in doc.iterfind(".//cp:resources/cp:resource", ns)}
            ids = [e.get("identifier") for e in doc.iter() if e.get("identifier")]
            assert len(ids) == len(set(ids)), f"{pack_id}: identifiers repeat"
            named: set[str] = set()
            for resource in resources.values():
                files = [f.get("href") for f in resource.iterfind("cp:file", ns)]
                assert files, f"{pack_id}: resource {resource.get('identifier')} names no file"
                assert resource.get("href") in (None, files[0])
                named.update(files)
                for dep in resource.iterfind("cp:dependency", ns):
                    assert dep.get("identifierref") in resources
            assert named <= entries, f"{pack_id}: missing {named - entries}"
            assert entries - named == {"imsmanifest.xml"}, f"{pack_id}: files no resource names"
            refs = [
                i.get("identifierref")
                for i in doc.iterfind(".//cp:organization//cp:item", ns)
                if i.get("identifierref")
            ]
            assert sorted(refs) == sorted(resources), f"{pack_id}: every resource is in the lesson, once"


def test_the_cartridge_holds_the_lesson_in_order(built: dict[str, Built]) -> None:
    """One section, named after the lesson: the pupils' web page, handout (PDF, Word), slides, then
    the quizzes in teaching order; each file the same bytes as the pupils' file the build writes."""
    ns = {"cp": CC}
    for pack_id, b in built.items():
        with cartridge(b) as z:
            doc = etree.fromstring(z.read("imsmanifest.xml"), NO_NETWORK)
            (section,) = doc.iterfind("cp:organizations/cp:organization/cp:item/cp:item", ns)
            assert section.findtext("cp:title", namespaces=ns) == b.lesson.spec.title
            titles = [i.findtext("cp:title", namespaces=ns) for i in section.iterfind("cp:item", ns)]
            pupils = "Participant handout" if pack_id == "staff-allyship-training" else "Student handout"
            assert titles == [
                f"{pupils} (web page)",
                f"{pupils} (PDF)",
                f"{pupils} (Word)",
                "Slides (PowerPoint)",
                *(q.title for q in b.quizzes),
            ], pack_id
            for fmt in ("html", "pdf", "docx"):
                inside = f"web_resources/{b.file(fmt).name}"
                assert z.read(inside) == b.file(fmt).read_bytes(), (pack_id, fmt)


@dataclass(frozen=True)
class Read:
    name: str
    stem: str
    options: tuple[str, ...]
    correct: int | None


def moodle_reads_assessment(data: bytes) -> list[Read]:
    """The questions Moodle's Common Cartridge importer (cc11_quiz) takes from an assessment: items at
    assessment/section/item whose cc_profile is exactly cc.multiple_choice.v0p1 (others are dropped);
    the stem from presentation/flow/material/mattext, else presentation/material/mattext; the options
    from response_lid/render_choice/response_label; an option is right when the first varequal of a
    respcondition names it (case ignored) with a setvar that is not empty or 0, the last such one
    winning. Text is shown as HTML."""
    ns = {"q": QTI}
    doc = etree.fromstring(data, NO_NETWORK)
    out = []
    for item in doc.iterfind("q:assessment/q:section/q:item", ns):
        fields = item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", ns)
        profile = [
            f.findtext("q:fieldentry", namespaces=ns)
            for f in fields
            if f.findtext("q:fieldlabel", namespaces=ns) == "cc_profile"
        ]
        if not profile or profile[-1] != "cc.multiple_choice.v0p1":
            continue
        stems = item.findall("q:presentation/q:flow/q:material/q:mattext", ns) or item.findall(
            "q:presentation/q:material/q:mattext", ns
        )
        labels = item.findall("q:presentation/q:response_lid/q:render_choice/q:response_label", ns) or item.findall(
            "q:presentation/q:flow/q:response_lid/q:render_choice/q:response_label", ns
        )
        scores: dict[str, str] = {}
        for condition in item.iterfind("q:resprocessing/q:respcondition", ns):
            equal = condition.find("q:conditionvar/q:varequal", ns)
            setvar = condition.findtext("q:setvar", namespaces=ns)
            if equal is not None and equal.text:
                scores[equal.text.lower()] = setvar or ""
        right = [i for i, label in enumerate(labels) if scores.get(label.get("ident", "").lower(), "") not in ("", "0")]
        out.append(
            Read(
                item.get("title", ""),
                shown(stems[0].text or ""),
                tuple(shown(label.findtext("q:material/q:mattext", namespaces=ns) or "") for label in labels),
                right[0] if len(right) == 1 else None,
            )
        )
    return out


def test_moodle_reads_every_question_of_every_quiz_as_the_spec_has_it(built: dict[str, Built]) -> None:
    for pack_id, b in built.items():
        read: list[Read] = []
        with cartridge(b) as z:
            for quiz in b.quizzes:
                found = moodle_reads_assessment(z.read(f"quizzes/{quiz.key}.xml"))
                assert len(found) == len(quiz.items), (pack_id, quiz.key, "an item was dropped")
                read += found
        assert [(r.stem, r.options, r.correct) for r in read] == expected(b), pack_id
        assert [r.name for r in read] == names(b)


def test_the_held_out_special_characters_come_through(built: dict[str, Built]) -> None:
    """The held-out lesson's text has every character the formats escape, and reads back exactly."""
    b = built["held-out"]
    text = "".join(i.question + "".join(i.options) for i in all_items(b.lesson))
    assert set("~=#{}:<&>") <= set(text)
    assert set("<&/") <= set(b.lesson.spec.title)
    with cartridge(b) as z:
        stems = [r.stem for q in b.quizzes for r in moodle_reads_assessment(z.read(f"quizzes/{q.key}.xml"))]
    assert "Is 3 < 4 & 4 > 3 true?" in stems


def test_only_pupil_facing_content_goes_in(built: dict[str, Built]) -> None:
    """No teacher edition, no speaker notes, no slide showing answers or feedback, and none of the held-out
    lesson's teacher-only text (objectives, teacher notes, misconceptions, answer guidance, activity
    notes) in any file of the cartridge, nested Office and PDF files included."""
    b = built["held-out"]
    assert "TEACHERONLY" in b.file("html", "teacher").read_text(encoding="utf-8")  # the marker is real
    with cartridge(b) as z:
        assert not [n for n in z.namelist() if "teacher" in n]
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".docx", ".pptx")):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    parts = inner.namelist()
                    assert not [p for p in parts if "notesSlide" in p], f"{name} has speaker notes"
                    text = b" ".join(inner.read(p) for p in parts if p.endswith(".xml")).decode("utf-8")
                if name.endswith(".pptx"):
                    assert "Quick check 1" in text and "Quick check 1: answer" not in text
                    assert "Starter quiz: question 1" in text and "Starter quiz: answers" not in text
                    assert "Success criteria" not in text, "the task's feedback comes after the task"
            elif name.endswith(".pdf"):
                require("pdftotext")
                pdf = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
                text = pdf.stdout.decode("utf-8")
            else:
                text = data.decode("utf-8")
            assert "TEACHERONLY" not in text, name


def test_the_lesson_page_has_each_content_note_before_its_extract(built: dict[str, Built]) -> None:
    for pack_id, b in built.items():
        with cartridge(b) as z:
            page = z.read(f"web_resources/{b.file('html').name}").decode("utf-8")
        notes = page.count('class="callout content-note"')
        # Each note is followed by its extract, or by another note before the same extract.
        before = re.findall(
            r'class="callout content-note".*?</div>\s*(?=<figure class="extract">|<div class="callout content-note")',
            page,
            re.S,
        )
        assert len(before) == notes, pack_id
        assert notes > 0 or pack_id == "held-out", f"{pack_id}: every shipped pack has a content note"


# -- the question banks ------------------------------------------------------------------------


def test_moodle_xml_reads_as_qformat_xml_reads_it(built: dict[str, Built]) -> None:
    """One category (the lesson's title, '/' written '//'), then each question: a name, its text
    (format html, no raw tag inside <text>), single answer, not shuffled, fractions 100 and 0."""
    for pack_id, b in built.items():
        doc = etree.parse(str(b.file("moodle")), NO_NETWORK).getroot()
        assert doc.tag == "quiz"
        for text in doc.iter("text"):
            assert len(text) == 0, f"{pack_id}: a raw element inside <text>"
        questions = doc.findall("question")
        assert [q.get("type") for q in questions] == ["category"] + ["multichoice"] * len(names(b))
        category = questions[0].findtext("category/text")
        assert category == "$course$/top/" + b.lesson.spec.title.replace("/", "//")
        read = []
        for q in questions[1:]:
            assert q.findtext("single") == "true" and q.findtext("shuffleanswers") == "false"
            answers = q.findall("answer")
            fractions = [float(a.get("fraction", "")) for a in answers]
            assert sorted(fractions) == [0.0] * (len(answers) - 1) + [100.0]
            assert q.find("questiontext").get("format") == "html"
            read.append(
                (
                    q.findtext("name/text"),
                    shown(q.findtext("questiontext/text") or ""),
                    tuple(shown(a.findtext("text") or "") for a in answers),
                    fractions.index(100.0),
                )
            )
        assert [r[0] for r in read] == names(b), pack_id
        assert [r[1:] for r in read] == expected(b), pack_id
        assert len({q.findtext("idnumber") for q in questions[1:]}) == len(questions) - 1


def test_gift_parses_with_gift_pegjs_as_the_spec_has_it(built: dict[str, Built], tmp_path: Path) -> None:
    require("node")
    if not (NODE_FOLDER / "node_modules" / "gift-pegjs").is_dir():
        _missing("gift-pegjs is not installed: run `npm ci` in tests/lms (.ci/run does)")
    files = [str(b.file("gift")) for b in built.values()]
    run = subprocess.run(["node", str(NODE_FOLDER / "read-gift.mjs"), *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    parsed = json.loads(run.stdout)
    for pack_id, b in built.items():
        found = parsed[str(b.file("gift"))]
        assert found[0] == {"type": "Category", "title": "$course$/top/" + b.lesson.spec.title.replace("/", "//")}
        questions = found[1:]
        assert all(q["type"] == "MC" for q in questions), pack_id
        assert [q["title"] for q in questions] == names(b), pack_id
        read = []
        for q in questions:
            correct = [i for i, c in enumerate(q["choices"]) if c["isCorrect"]]
            assert len(correct) == 1 and q["stem"]["format"] == "html"
            read.append((shown(q["stem"]["text"]), tuple(shown(c["text"]["text"]) for c in q["choices"]), correct[0]))
        assert read == expected(b), pack_id


def test_a_gift_file_that_breaks_the_rules_does_not_parse(tmp_path: Path) -> None:
    """gift-pegjs is a real check: an unescaped brace in a stem is refused."""
    require("node")
    if not (NODE_FOLDER / "node_modules" / "gift-pegjs").is_dir():
        _missing("gift-pegjs is not installed: run `npm ci` in tests/lms (.ci/run does)")
    bad = tmp_path / "bad.gift"
    bad.write_text("::Q1::What is {this}? {\n\t=Right\n\t~Wrong\n}\n", encoding="utf-8")
    run = subprocess.run(["node", str(NODE_FOLDER / "read-gift.mjs"), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1 and "bad.gift:" in run.stderr
