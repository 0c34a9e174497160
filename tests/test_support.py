"""The support page a pupil can use: services for the audience's region, readers and ages, each
saying who it is for, with a contact only from a named source; dates as the region writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.lesson import support
from generator.lesson.wording import plain_date
from generator.readers import policy

DATA = support.SERVICES
PHONE = re.compile(r"\d{3,5}[ -]\d{3,4}")


@pytest.mark.parametrize("region", ["uk", "us"])
def test_every_audience_is_given_a_service_its_youngest_can_use(region: str) -> None:
    """Every age the policy knows, read as the policy reads it; and adults from 16 (a school's own
    policy may treat a sixth form as adults)."""
    audiences = [(y, policy.default().audience(y).readers) for y in range(5, 26)]
    audiences += [(y, "adults") for y in range(16, 26)]
    for youngest, readers in audiences:
        for oldest in (youngest, youngest + 2, None):
            found = support.signposting(region, youngest, oldest, readers)
            assert any(s.serves(youngest) for s in found.services), (region, readers, youngest, oldest)
            for s in found.services:
                assert s.who.strip() and s.contact.strip(), s.name


def test_a_class_under_a_services_minimum_age_is_told_the_minimum_plainly(tmp_path: Path) -> None:
    from generator.cli import main
    from generator.runners.build import Builder, Project

    spec = tmp_path / "young.yaml"
    spec.write_text(
        "title: Speaking Up\naudience:\n  ages: 14-16\nduration: 30\nexcerpts:\n  - id: start\n"
        "    seed: no-going-back\n    quote: Teaching young people about what sexism and sexual harassment means\n",
        encoding="utf-8",
    )
    assert main(["build", str(spec), "--out", str(tmp_path / "out"), "--formats", "pdf"]) == 0
    builder = Builder(Project(Path(__file__).resolve().parent.parent))
    lesson, found, _ = builder.check(spec)
    assert lesson is not None and found is not None
    from pypdf import PdfReader

    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(str(tmp_path / "out" / "young" / "young-student.pdf")).pages
    )
    assert "For ages 16 and over. Anyone in England and Wales affected by sexual violence" in text
    assert "247sexualabusesupport.org.uk" in text
    assert "Childline" in text and "0800 1111" in text  # a service the youngest can use
    assert "Find the number" not in text


def test_the_rape_crisis_support_line_gives_its_web_address_and_no_unsourced_number() -> None:
    found = support.signposting("uk", 16, 18)
    line = next(s for s in found.services if s.name.startswith("Rape Crisis"))
    assert line.contact.startswith("247sexualabusesupport.org.uk")
    assert not PHONE.search(line.contact)


def test_adults_get_adult_services_and_pupils_never_get_the_adults_line() -> None:
    adults = [s.name for s in support.signposting("uk", 18, None, "adults").services]
    assert "Childline" not in adults and "NSPCC helpline" in adults
    pupils = [s.name for s in support.signposting("uk", 11, 14, "pupils").services]
    assert "NSPCC helpline" not in pupils and "Childline" in pupils


def test_the_default_policys_adults_are_read_as_adults() -> None:
    assert policy.default().audience(18).readers == "adults"
    assert policy.default().audience(17).readers == "pupils"


@pytest.mark.parametrize(
    "change,message",
    [
        ("    phone_source: lessonpack's content-guidance references (verified)\n", "only with its source"),
        ("    min_age: 5\n", "'services[1]' needs the key 'min_age'"),
        ('  uk: "999"\n', "'emergency' needs the key 'uk'"),
    ],
)
def test_a_service_without_what_makes_it_usable_is_refused_at_its_place(
    change: str, message: str, tmp_path: Path
) -> None:
    text = DATA.read_text(encoding="utf-8")
    assert change in text
    broken = tmp_path / "services.yaml"
    broken.write_text(text.replace(change, "", 1), encoding="utf-8")
    support._services.cache_clear()
    with pytest.raises(UsageError) as raised:
        support.signposting("uk", 14, 16, path=broken)
    problems = [str(p) for p in raised.value.problems]
    assert any(message in p and re.match(rf"{re.escape(str(broken))}:\d+:\d+: error: ", p) for p in problems), problems


@pytest.mark.parametrize(
    "iso,uk,us",
    [
        ("2026-11-21", "21 November 2026", "November 21, 2026"),
        ("2026-03-01", "1 March 2026", "March 1, 2026"),
        ("2017-10", "October 2017", "October 2017"),
        ("2020", "2020", "2020"),
        ("unknown", "unknown", "unknown"),
        ("2026-13-01", "2026-13-01", "2026-13-01"),
    ],
)
def test_dates_print_as_the_region_writes_them(iso: str, uk: str, us: str) -> None:
    assert plain_date(iso, "uk") == uk
    assert plain_date(iso, "us") == us


@pytest.mark.parametrize("region,expected", [("uk", "Details checked 1 December 2026."), ("us", "Details checked")])
def test_the_support_page_dates_its_details_as_the_region_writes_dates(region: str, expected: str) -> None:
    from generator.lesson import wording

    words = wording.load(Path(__file__).resolve().parent.parent / "templates")
    text = words.text("support_footer", checked="2026-12-01", emergency="999", region=region)
    assert text.startswith(expected)
    assert "2026-12-01" not in text
    if region == "us":
        assert "December 1, 2026" in text


def build_text(tmp_path: Path, ages: str, region: str, quote: str, edition: str = "student") -> str:
    """The text of a built one-extract pack's PDF edition."""
    from pypdf import PdfReader

    from generator.cli import main

    spec = tmp_path / "pack.yaml"
    spec.write_text(
        f"title: Speaking Up\naudience:\n  ages: {ages}\n  region: {region}\nduration: 30\nexcerpts:\n"
        f"  - id: start\n    seed: no-going-back\n    quote: {quote}\n",
        encoding="utf-8",
    )
    assert main(["build", str(spec), "--out", str(tmp_path / "out"), "--formats", "pdf"]) == 0
    pdf = PdfReader(str(tmp_path / "out" / "pack" / f"pack-{edition}.pdf"))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


KIND = "Students and teachers can help create an environment where everyone feels respected and safe."
HARASSMENT = "Teaching young people about what sexism and sexual harassment means"


def test_a_us_primary_class_gets_a_child_helpline_in_us_words_and_no_sexual_assault_hotline(tmp_path: Path) -> None:
    text = build_text(tmp_path, "9-11", "us", KIND)
    help_page = text[text.index("Where to get help") :]
    assert "Childhelp National Child Abuse Hotline" in help_page and "1-800-422-4453" in help_page
    assert "call or text" in help_page
    assert "RAINN" not in text and "Crisis Text Line" not in text  # not raised; not for under-13s
    assert "school counselor" in help_page
    for uk in ("form tutor", "counsellor", "safeguarding", "DSL", "Year "):
        assert uk not in text, uk
    teacher = build_text(tmp_path, "9-11", "us", KIND, "teacher")
    for uk in ("form tutor", "counsellor", "designated safeguarding lead", "DSL", "RSHE", "Year "):
        assert uk not in teacher, uk


def test_a_topic_service_is_listed_only_when_the_extracts_raise_its_topic(tmp_path: Path) -> None:
    text = build_text(tmp_path, "14-16", "us", HARASSMENT)
    assert "RAINN" in text and "1-800-656-HOPE" in text
    assert "Childhelp" in text and "Text HOME to 741741" in text
    uk = build_text(tmp_path, "14-16", "uk", KIND)
    assert "Rape Crisis" not in uk and "Childline" in uk


def test_every_service_says_how_to_reach_it() -> None:
    for region in ("uk", "us"):
        for readers in ("pupils", "adults"):
            found = support.signposting(region, 18 if readers == "adults" else 5, None, readers)
            for s in found.services:
                assert re.search(r"\d{3}|\.(org|uk|com)", s.contact), (s.name, s.contact)
