"""Tests of the DOCX font module: obfuscation as ECMA-376 gives it, the parts and XML a rendered
DOCX carries, and the line height Word's 'auto' spacing multiplies."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from fontTools.fontBuilder import FontBuilder
from lxml import etree

from generator.writers import fonts, layout
from generator.writers.docx import fonts as docx_fonts
from generator.writers.docx import render as render_docx
from tests.test_docx import sample
from tests.tools import body_paragraphs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FACES = {"embedRegular": "regular", "embedBold": "bold", "embedItalic": "italic", "embedBoldItalic": "bold_italic"}


def deobfuscated(part: bytes, key: str) -> bytes:
    """The font in an obfuscated part, done here as ECMA-376 Part 1, 17.8.1 says, apart from the
    writer: the GUID's bytes in reverse order, XORed into the first 32 bytes."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))
    mask = guid[::-1] * 2
    return bytes(b ^ mask[i] for i, b in enumerate(part[:32])) + part[32:]


def embedded(data: bytes, family: str = layout.FONT_FAMILY) -> dict[str, tuple[bytes, str]]:
    """Each embed element of `family`'s fontTable entry -> (its part's bytes, its fontKey),
    followed through fontTable.xml.rels."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        by_id = {rel.get("Id"): rel for rel in rels.iterfind(f"{{{PR}}}Relationship")}
        [entry] = [f for f in table.iterfind(f"{{{W}}}font") if f.get(f"{{{W}}}name") == family]
        found = {}
        for child in entry:
            name = etree.QName(child).localname
            if name.startswith("embed"):
                rel = by_id[child.get(f"{{{R}}}id")]
                assert rel.get("Type") == RT_FONT and rel.get("TargetMode") is None
                found[name] = (z.read("word/" + rel.get("Target")), child.get(f"{{{W}}}fontKey"))
        return found


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_docx(sample())


def test_the_byte_order_is_the_specifications_example() -> None:
    # ECMA-376 Part 1, 17.8.1: key {001B70DC-AA60-4AD5-90EC-18A0948E1EAE} is applied as the
    # bytes AE1E8E94-A018-EC90-D54A-60AADC701B00, to bytes 0-15 and again to bytes 16-31.
    key = "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}"
    assert docx_fonts.obfuscate(bytes(40), key) == bytes.fromhex("AE1E8E94A018EC90D54A60AADC701B00") * 2 + bytes(8)
    assert deobfuscated(docx_fonts.obfuscate(b"x" * 64, key), key) == b"x" * 64


def test_a_font_key_is_a_braced_upper_case_guid_from_the_font_bytes() -> None:
    key = docx_fonts.font_key(b"font bytes")
    assert key[0] == "{" and key[-1] == "}" and key == key.upper()
    assert [len(g) for g in key[1:-1].split("-")] == [8, 4, 4, 4, 12]
    assert docx_fonts.font_key(b"font bytes") == key != docx_fonts.font_key(b"other bytes")


def test_obfuscating_needs_a_guid_and_a_font() -> None:
    with pytest.raises(ValueError):
        docx_fonts.obfuscate(b"short", "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}")
    with pytest.raises(ValueError):
        docx_fonts.obfuscate(bytes(64), "{001B70DC}")


def test_the_four_faces_are_embedded_whole_and_deobfuscate_to_the_ttf(data: bytes) -> None:
    found = embedded(data)
    assert set(found) == set(FACES)
    keys = set()
    for element, (part, key) in found.items():
        ttf = Path(getattr(fonts.main_fonts(), FACES[element])).read_bytes()
        assert part[:32] != ttf[:32] and part[32:] == ttf[32:]  # obfuscated, and not subset
        assert deobfuscated(part, key) == ttf
        keys.add(key)
    assert len(keys) == 4


def test_the_font_entry_parts_content_types_and_settings(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        types = etree.fromstring(z.read("[Content_Types].xml"))
        settings = [etree.QName(c).localname for c in etree.fromstring(z.read("word/settings.xml"))]
        names = z.namelist()
    [entry] = table.xpath("w:font[@w:name=$n]", namespaces={"w": W}, n=layout.FONT_FAMILY)
    children = [etree.QName(c).localname for c in entry]
    assert children == ["panose1", "charset", "family", "pitch", "sig", *FACES]  # CT_Font's order
    fonts_parts = sorted(n for n in names if n.startswith("word/fonts/"))
    assert fonts_parts == [f"word/fonts/font{n}.odttf" for n in range(1, 5)]
    odttf = {o.get("PartName") for o in types if o.get("ContentType") == docx_fonts.OBFUSCATED_FONT}
    assert odttf == {"/" + n for n in fonts_parts}
    # Word keeps embedded fonts on its next save, and whole: no subsetting.
    assert "embedTrueTypeFonts" in settings and "saveSubsetFonts" not in settings
    assert settings.index("zoom") < settings.index("embedTrueTypeFonts") < settings.index("defaultTabStop")


def test_the_fallback_font_is_not_embedded(data: bytes) -> None:
    assert layout.FALLBACK_FAMILY.encode() not in data  # no entry, no part named for it


def test_the_file_still_opens_with_python_docx(data: bytes) -> None:
    document: Any = docx.Document(io.BytesIO(data))
    assert document.styles["Normal"].font.name == layout.FONT_FAMILY
    assert body_paragraphs(document)[0].text


def test_faces_are_obfuscated_once_per_process() -> None:
    assert docx_fonts.embedded_faces(fonts.main_fonts()) is docx_fonts.embedded_faces(fonts.main_fonts())


def test_atkinson_hyperlegibles_line_is_its_typo_ascender_to_descender() -> None:
    # 950 + 290 units of 1000, with USE_TYPO_METRICS set (Word and LibreOffice read the same).
    assert docx_fonts.line_height(fonts.main_fonts().regular) == pytest.approx(1.24)


def _font(path: Path, *, use_typo: bool) -> Path:
    """A one-glyph TTF whose typo metrics (800/-200/0) and hhea metrics (900/-300/100) differ."""
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef"])
    fb.setupCharacterMap({})
    fb.setupGlyf({".notdef": _empty_glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0)})
    fb.setupHorizontalHeader(ascent=900, descent=-300, lineGap=100)
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, sTypoLineGap=0, fsSelection=0x40 | (0x80 if use_typo else 0))
    fb.setupNameTable({"familyName": "Probe", "styleName": "Regular"})
    fb.setupPost()
    fb.save(str(path))
    return path


def _empty_glyph() -> Any:
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    return TTGlyphPen(None).glyph()


def test_line_height_follows_use_typo_metrics_else_hhea(tmp_path: Path) -> None:
    assert docx_fonts.line_height(_font(tmp_path / "typo.ttf", use_typo=True)) == pytest.approx(1.0)
    assert docx_fonts.line_height(_font(tmp_path / "hhea.ttf", use_typo=False)) == pytest.approx(1.3)
