"""All or nothing, also when moving into place fails: a file the system refuses to replace (an
immutable file: EPERM on rename) leaves every file of the pack, or of the print run, as it was
before; never new files beside old ones. Real faults: chattr +i in a private tmpfs."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.files import TEMP_SUFFIX
from generator.writers import FORMATS

from .faults import in_tmpfs

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packs" / "start-a-conversation.yaml"
PACK = "start-a-conversation"


def test_an_immutable_deck_leaves_the_whole_pack_as_it_was(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    deck = f"{PACK}/{PACK}-slides.pptx"
    first, before, _, again, after, _ = in_tmpfs(mount, "size=16m", [
        ["lessonpack", "build", "--out", str(mount), str(SPEC)],
        ["files"],
        ["chattr", "+i", deck],  # the deck cannot be replaced; it is moved into place after the PDFs and DOCX files
        ["lessonpack", "build", "--out", str(mount), "--paper", "letter", str(SPEC)],
        ["files"],
        ["chattr", "-i", deck],
    ], cwd=tmp_path)  # fmt: skip
    assert first["code"] == 0, first["err"]
    assert again["code"] == 2, again["err"]
    assert f"cannot write disk/{deck}: Operation not permitted" in again["err"], again["err"]
    assert "Traceback" not in again["err"] and "internal error" not in again["err"]
    pack = {k: v for k, v in before.items() if k.startswith(f"{PACK}/")}
    assert len(pack) == sum(len(f.editions) for f in FORMATS)
    assert {k: v for k, v in after.items() if k.startswith(f"{PACK}/")} == pack  # every file as before
    assert not [k for k in after if k.endswith(TEMP_SUFFIX)]


def test_an_immutable_manifest_leaves_the_whole_print_run_as_it_was(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    shipped = ROOT / "packs" / "year-9.printset.yaml"
    changed = tmp_path / "changed" / "year-9.printset.yaml"  # the same run, one more pupil in 9A
    changed.parent.mkdir()
    text = shipped.read_text(encoding="utf-8")
    assert "students: 28" in text
    changed.write_text(text.replace("students: 28", "students: 29"), encoding="utf-8")
    shutil.copy(shipped, tmp_path / "year-9.printset.yaml")
    first, before, _, again, after, _ = in_tmpfs(mount, "size=48m", [
        ["lessonpack", "print", str(shipped), "--root", str(ROOT), "--out", str(mount)],
        ["files"],
        ["chattr", "+i", "year-9/manifest.json"],
        ["lessonpack", "print", str(changed), "--root", str(ROOT), "--out", str(mount)],
        ["files"],
        ["chattr", "-i", "year-9/manifest.json"],
    ], cwd=tmp_path, timeout=600)  # fmt: skip
    assert first["code"] == 0, first["err"]
    assert again["code"] == 2, again["err"]
    assert "cannot write disk/year-9/manifest.json: Operation not permitted" in again["err"], again["err"]
    assert "Traceback" not in again["err"]
    run = {k: v for k, v in before.items() if k.startswith("year-9/") and "/packs/" not in k}
    assert "year-9/9A.pdf" in run and "year-9/manifest.csv" in run
    assert {k: v for k, v in after.items() if k.startswith("year-9/") and "/packs/" not in k} == run
    assert not [k for k in after if k.endswith(TEMP_SUFFIX)]
