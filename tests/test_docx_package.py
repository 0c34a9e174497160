"""Tests of the DOCX package's own zip writer: the bytes zipfile would write, read back by zipfile."""

from __future__ import annotations

import io
import zipfile

from generator.writers.docx import render as render_docx
from generator.writers.docx.package import normalise_zip
from tests.test_docx import parts, sample


def zipfile_bytes(entries: dict[str, bytes]) -> bytes:
    """What the writer wrote before it zipped by itself: zipfile, fixed order, time and attributes."""
    first = ("[Content_Types].xml", "_rels/.rels")
    names = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 0
            info.create_version = 20
            info.extract_version = 20
            info.external_attr = 0
            target.writestr(info, entries[name], zipfile.ZIP_DEFLATED, 6)
    return out.getvalue()


def test_the_zip_is_byte_for_byte_what_zipfile_writes() -> None:
    entries = parts(render_docx(sample()))
    entries |= {"word/ünïcode.xml": "<a>é</a>".encode(), "empty.bin": b"", "word/fonts/extra.odttf": bytes(range(256))}
    zipped = normalise_zip(entries, {})
    assert zipped == zipfile_bytes(entries)
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        assert z.testzip() is None
        assert {name: z.read(name) for name in z.namelist()} == entries


def test_replacements_win_and_shared_parts_zip_the_same_every_time() -> None:
    entries = parts(render_docx(sample()))
    replaced = normalise_zip(entries, {"docProps/app.xml": b"<x/>"})
    with zipfile.ZipFile(io.BytesIO(replaced)) as z:
        assert z.read("docProps/app.xml") == b"<x/>"
    assert normalise_zip(entries, {}) == normalise_zip(dict(entries), {})  # the cached deflate changes nothing
