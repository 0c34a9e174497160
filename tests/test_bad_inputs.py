"""Every case in tests/bad/ is refused with the error its '# expect:' lines state.

Each file starts with one or more lines `# expect: LINE:COL: substring of the message`.
The case passes when no lesson is produced and, for every expect line, there is an error at
exactly LINE:COL whose message contains the substring. Cases that cannot be committed as
text files (non-UTF-8 bytes, an oversized file) are generated below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.readers import source, spec
from generator.readers.corpus import Corpus, load_corpus
from generator.runners.build import Builder, Project

from .tools import assert_refused, expectations

HERE = Path(__file__).parent
BAD = HERE / "bad"
CASES = sorted(BAD.glob("*.yaml"))


@pytest.fixture(scope="module")
def real() -> Corpus:
    loaded, problems = load_corpus(HERE.parent / "seeds")
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def builder() -> Builder:
    return Builder(Project(HERE.parent))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_bad_input_is_refused_at_the_expected_place(path: Path, builder: Builder) -> None:
    """Checked as `lessonpack check` checks a spec: read, validated, printable, judged."""
    lesson, _, problems = builder.check(path, f"bad/{path.name}")
    assert lesson is None or any(p.severity == "error" for p in problems)
    assert all(p.position.path == f"bad/{path.name}" for p in problems)
    assert_refused(problems, expectations(path))


def test_non_utf8_file_is_refused_at_the_bad_byte(tmp_path: Path, real: Corpus) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Speaking Up\nsummary: Un café\n".encode("latin-1"))
    lesson, problems = spec.load_lesson(path, real)
    assert lesson is None
    assert_refused(problems, [(2, 16, "not UTF-8 text (byte 0xe9)")])


def test_utf16_file_is_refused(tmp_path: Path, real: Corpus) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("title: Speaking Up\n".encode("utf-16"))
    lesson, problems = spec.load_lesson(path, real)
    assert lesson is None
    assert_refused(problems, [(1, 1, "not UTF-8 text (byte 0xff)")])


def test_oversized_file_is_refused_without_being_parsed(tmp_path: Path, real: Corpus) -> None:
    path = tmp_path / "huge.yaml"
    # Not even valid YAML: the size is checked before anything is parsed.
    path.write_bytes(b"title: [" + b"x" * source.MAX_BYTES)
    lesson, problems = spec.load_lesson(path, real)
    assert lesson is None
    assert len(problems) == 1
    assert_refused(problems, [(1, 1, "the lesson spec is larger than the size limit, 262,144 bytes")])
