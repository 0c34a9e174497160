"""A print run's manifest: copies (student, large print, teacher, slides), pages and sheets of
paper per pack, per class and in total, as JSON, CSV and a table for the terminal."""

from __future__ import annotations

import csv
import io
from typing import Any

from ...model import PAPER
from .plan import KINDS, Plan, Section


def manifest(plan: Plan) -> dict[str, Any]:
    """Pages and sheets of paper per pack, per class and in total."""
    printset = plan.printset

    def copies(section: Section, kind: str) -> int:
        part = section.part(kind)
        return part.copies if part else 0

    def pages_each(section: Section, kind: str) -> int:
        part = section.part(kind)
        return part.padded if part else 0

    classes = []
    for cls in plan.classes:
        packs = [
            {
                "id": s.pack.id,
                "title": s.pack.title,
                "student_copies": copies(s, "student"),
                "large_print_copies": copies(s, "large-print"),
                "teacher_copies": copies(s, "teacher"),
                "slides_copies": copies(s, "slides"),
                "pages_per_copy": {kind: pages_each(s, kind) for kind in KINDS},
                "pages": s.pages,
                "sheets": plan.sheets(s.pages),
            }
            for s in cls.sections
        ]
        classes.append(
            {
                "name": cls.run.name,
                "file": cls.file,
                "students": cls.run.students,
                "large_print": cls.run.large_print,
                "packs": packs,
                "pages": cls.pages,
                "sheets": plan.sheets(cls.pages),
            }
        )
    return {
        "print_set": printset.name,
        "paper": printset.paper,
        "duplex": printset.duplex,
        "classes": classes,
        "not_printed": plan.not_printed,
        "total": {"files": len(plan.classes), "pages": plan.pages, "sheets": plan.sheets(plan.pages)},
    }


CSV_COLUMNS = (
    "row",
    "class",
    "pack",
    "student_copies",
    "large_print_copies",
    "teacher_copies",
    "slides_copies",
    "pages",
    "sheets",
)


def manifest_csv(data: dict[str, Any]) -> str:
    """One row per class and pack, a 'class' row per class and one 'total' row."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CSV_COLUMNS)
    for cls in data["classes"]:
        for pack in cls["packs"]:
            out.writerow(
                (
                    "pack",
                    cls["name"],
                    pack["id"],
                    pack["student_copies"],
                    pack["large_print_copies"],
                    pack["teacher_copies"],
                    pack["slides_copies"],
                    pack["pages"],
                    pack["sheets"],
                )
            )
        out.writerow(("class", cls["name"], "", "", "", "", "", cls["pages"], cls["sheets"]))
    total = data["total"]
    out.writerow(("total", "", "", "", "", "", "", total["pages"], total["sheets"]))
    return buffer.getvalue()


def table(data: dict[str, Any]) -> str:
    """The manifest as a table for the terminal."""
    head = ("class", "pack", "students", "large print", "teacher", "slides", "pages", "sheets")
    rows: list[tuple[str, ...]] = []
    for cls in data["classes"]:
        for pack in cls["packs"]:
            rows.append(
                (
                    cls["name"],
                    pack["id"],
                    str(pack["student_copies"]),
                    str(pack["large_print_copies"]),
                    str(pack["teacher_copies"]),
                    str(pack["slides_copies"]),
                    str(pack["pages"]),
                    str(pack["sheets"]),
                )
            )
        rows.append((cls["name"], "(class total)", "", "", "", "", str(cls["pages"]), str(cls["sheets"])))
    total = data["total"]
    rows.append(("TOTAL", f"{total['files']} class PDF(s)", "", "", "", "", str(total["pages"]), str(total["sheets"])))
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]

    def line(row: tuple[str, ...]) -> str:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    sides = "double-sided" if data["duplex"] else "single-sided"
    title = f"print set {data['print_set']}: {PAPER[data['paper']].media}, {sides}"
    return "\n".join([title, line(head), *(line(r) for r in rows)]) + "\n"
