"""The main font inside a DOCX: its four faces embedded as Word embeds them, and its natural
line height, which Word's 'auto' line spacing multiplies.

Embedding (ECMA-376 Part 1, 17.8.1 and 17.8.3): each face is a part `word/fonts/fontN.odttf`,
related from `word/fontTable.xml`, whose `w:font` entry names it with `w:embedRegular`,
`w:embedBold`, `w:embedItalic` or `w:embedBoldItalic` (an r:id and the w:fontKey GUID that
un-obfuscates it); `w:embedTrueTypeFonts` in the settings keeps them when the file is saved
again. Whole fonts, never subsets: teachers edit these files and type new characters.

Obfuscation: the GUID's 32 hex digits read as 16 bytes in the order they are written, reversed,
XORed into bytes 0-15 of the font and again into bytes 16-31 (its own inverse). The GUID comes
from a hash of the font file, so the same font always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont

from ..fonts import FontSet
from .xml import Element, el, put

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Each face of a FontSet and the element that embeds it, in the order a w:font entry has them.
FACES = (
    ("regular", "w:embedRegular"),
    ("bold", "w:embedBold"),
    ("italic", "w:embedItalic"),
    ("bold_italic", "w:embedBoldItalic"),
)
_FONT_ORDER = (
    "w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig",
    *(element for _, element in FACES),
)  # fmt: skip
# The children of w:settings that the schema puts before w:embedTrueTypeFonts.
_BEFORE_EMBED_SETTING = frozenset(
    qn(f"w:{name}")
    for name in (
        "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
        "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
        "printFractionalCharacterWidth", "printFormsData",
    )
)  # fmt: skip
_USE_TYPO_METRICS = 1 << 7  # OS/2 fsSelection bit 7
# The ten PANOSE digits of the OS/2 table, in the order w:panose1 writes them.
_PANOSE = (
    "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
    "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight",
)  # fmt: skip


@dataclass(frozen=True)
class EmbeddedFace:
    """One face ready for a DOCX: its embed element, fontKey and obfuscated bytes."""

    element: str
    key: str
    data: bytes


def font_key(data: bytes) -> str:
    """A GUID for a font file, as Word writes w:fontKey: braces and upper-case hex (LibreOffice
    reads it at fixed positions and drops the font for anything else)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """`data` with its first 32 bytes XORed with the reversed bytes of the GUID `key` (applied to
    an obfuscated part, it gives back the font)."""
    mask = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1] * 2
    if len(mask) != 32 or len(data) < 32:
        raise ValueError("need a 16-byte GUID and at least 32 bytes of font data")
    return bytes(b ^ m for b, m in zip(data[:32], mask, strict=True)) + data[32:]


@cache
def embedded_faces(fonts: FontSet) -> tuple[EmbeddedFace, ...]:
    """The four faces of `fonts`, obfuscated once per process."""
    faces = []
    for face, element in FACES:
        data = Path(getattr(fonts, face)).read_bytes()
        key = font_key(data)
        faces.append(EmbeddedFace(element, key, obfuscate(data, key)))
    return tuple(faces)


@cache
def line_height(path: Path) -> float:
    """A font's natural line height in ems: single line spacing in Word and LibreOffice, which
    their 'auto' multiples multiply (OS/2 typo metrics when USE_TYPO_METRICS is set, else hhea's)."""
    with TTFont(str(path), lazy=True) as font:
        os2, hhea = font["OS/2"], font["hhea"]
        if os2.fsSelection & _USE_TYPO_METRICS:
            height = os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap
        else:
            height = hhea.ascent - hhea.descent + hhea.lineGap
        return float(height / font["head"].unitsPerEm)


def embed(doc: WordDocument, family: str, fonts: FontSet) -> None:
    """Embed the four faces of `fonts` in `doc` as the font named `family`."""
    package = doc.part.package
    old = doc.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    # python-docx keeps the font table as opaque bytes: swap in an XML part that can be edited.
    table = XmlPart.load(old.partname, old.content_type, old.blob, package)
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE:
            doc.part.drop_rel(r_id)
    doc.part.relate_to(table, RELATIONSHIP_TYPE.FONT_TABLE)

    entry = _font_entry(table.element, family, fonts.regular)
    for n, face in enumerate(embedded_faces(fonts), 1):
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT, face.data, package)
        embedded = el(face.element, fontKey=face.key)
        embedded.set(qn("r:id"), table.relate_to(part, RELATIONSHIP_TYPE.FONT))
        put(entry, embedded, _FONT_ORDER)

    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        at = sum(1 for child in settings if child.tag in _BEFORE_EMBED_SETTING)
        settings.insert(at, el("w:embedTrueTypeFonts"))


def _font_entry(fonts: Element, family: str, regular: Path) -> Element:
    """The w:font entry for `family`, added (described as Word describes it) if missing."""
    for font in fonts.iterfind(qn("w:font")):
        if font.get(qn("w:name")) == family:
            return font
    font = el("w:font", name=family)
    fonts.append(font)
    with TTFont(str(regular), lazy=True) as ttf:
        os2 = ttf["OS/2"]
        panose = "".join(f"{getattr(os2.panose, f):02X}" for f in _PANOSE)
        # The Unicode ranges and code pages the font covers, by which Word picks fonts for text.
        sig = {f"usb{i}": getattr(os2, f"ulUnicodeRange{i + 1}") for i in range(4)}
        sig |= {f"csb{i}": getattr(os2, f"ulCodePageRange{i + 1}") for i in range(2)}
    for child in (
        el("w:panose1", val=panose),
        el("w:charset", val="00"),
        el("w:family", val="auto"),
        el("w:pitch", val="variable"),
        el("w:sig", **{k: f"{v:08X}" for k, v in sig.items()}),
    ):
        put(font, child, _FONT_ORDER)
    return font
