"""A pack as an IMS Common Cartridge 1.1 (ID.imscc): one course section holding, in lesson order,
the pupils' web page, their handout as PDF and Word, the slide deck as pupils may have it, and each
quiz as a QTI assessment. Nothing for the teacher only: no teacher edition, no speaker notes, no
answer slides (see the README's Learning platforms section for why).

The manifest declares the CC 1.1 namespace in its first 1024 bytes (Moodle tells the version from
them) and is valid against the CC 1.1 schemas; the zip is the same bytes every build."""

from __future__ import annotations

from dataclasses import dataclass

from ..zipped import normalise_zip
from .markup import attr, ident, text
from .pack import Pack, pupils_deck
from .qti import assessment

NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOM_RESOURCE = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
SCHEMAS = {
    NAMESPACE: "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
    LOM_MANIFEST: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
    LOM_RESOURCE: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd",
}
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
FILES = "web_resources"  # where the pupils' files go in the zip


@dataclass(frozen=True)
class Part:
    """One thing in the lesson's section: a file (webcontent) or a quiz (an assessment)."""

    key: str
    title: str
    href: str  # its file in the zip
    kind: str  # the resource type


def render(pack: Pack) -> bytes:
    """The cartridge's bytes."""
    entries: dict[str, bytes] = {}
    parts: list[Part] = []

    def add_file(key: str, title: str, name: str, data: bytes | None) -> None:
        if data is not None:
            href = f"{FILES}/{name}"
            entries[href] = data
            parts.append(Part(key, title, href, "webcontent"))

    add_file("page", pack.titles.page, f"{pack.stem}.html", pack.render("html", pack.student))
    add_file("pdf", pack.titles.pdf, f"{pack.stem}.pdf", pack.render("pdf", pack.student))
    add_file("docx", pack.titles.docx, f"{pack.stem}.docx", pack.render("docx", pack.student))
    add_file("slides", pack.titles.slides, f"{pack.stem}-slides.pptx", pack.render("pptx", pupils_deck(pack.slides)))
    for quiz in pack.quizzes:
        href = f"quizzes/{quiz.key}.xml"
        entries[href] = assessment(pack.id, quiz)
        parts.append(Part(f"quiz-{quiz.key}", quiz.title, href, ASSESSMENT))
    entries["imsmanifest.xml"] = manifest(pack, parts)
    return normalise_zip(entries, {})


def manifest(pack: Pack, parts: list[Part]) -> bytes:
    """imsmanifest.xml: the course's title, one organisation (a root, the lesson's section, then an
    item for each part in lesson order) and a resource for each part naming its file."""
    locations = " ".join(f"{ns} {loc}" for ns, loc in SCHEMAS.items())
    lang = attr(pack.lang)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest xmlns="{NAMESPACE}" xmlns:lomimscc="{LOM_MANIFEST}" xmlns:lom="{LOM_RESOURCE}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier={attr(ident(pack.id, "manifest"))} '
        f'xsi:schemaLocation="{locations}">',
        "<metadata>",
        "<schema>IMS Common Cartridge</schema>",
        "<schemaversion>1.1.0</schemaversion>",
        "<lomimscc:lom><lomimscc:general>",
        f"<lomimscc:title><lomimscc:string language={lang}>{text(pack.title)}</lomimscc:string></lomimscc:title>",
        f"<lomimscc:language>{text(pack.lang)}</lomimscc:language>",
        "</lomimscc:general></lomimscc:lom>",
        "</metadata>",
        "<organizations>",
        f'<organization identifier={attr(ident(pack.id, "organization"))} structure="rooted-hierarchy">',
        f"<item identifier={attr(ident(pack.id, 'root'))}>",
        f"<item identifier={attr(ident(pack.id, 'lesson'))}>",
        f"<title>{text(pack.title)}</title>",
        *(
            f"<item identifier={attr(ident(pack.id, 'item', p.key))} identifierref={attr(ident(pack.id, p.key))}>"
            f"<title>{text(p.title)}</title></item>"
            for p in parts
        ),
        "</item>",
        "</item>",
        "</organization>",
        "</organizations>",
        "<resources>",
    ]
    for p in parts:
        href = attr(p.href)
        where = f" href={href}" if p.kind == "webcontent" else ""
        out.append(
            f"<resource identifier={attr(ident(pack.id, p.key))} type={attr(p.kind)}{where}>"
            f"<file href={href}/></resource>"
        )
    out += ["</resources>", "</manifest>", ""]
    return "\n".join(out).encode("utf-8")
