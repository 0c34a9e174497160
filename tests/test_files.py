"""Writing files: whole or not at all, and a new file never replaces an old one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.files import TEMP_SUFFIX, create_new, write_atomic


def test_create_new_never_replaces_a_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "spec.yaml"
    create_new(target, b"first")
    assert target.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        create_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["spec.yaml"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    """Not mkstemp's private 0600: what any other file this process creates would get."""
    umask = os.umask(0)
    os.umask(umask)
    create_new(tmp_path / "a", b"x")
    write_atomic(tmp_path / "b", b"x")
    (tmp_path / "c").write_bytes(b"x")
    assert {(tmp_path / n).stat().st_mode & 0o777 for n in "abc"} == {0o666 & ~umask}


def test_write_atomic_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
