"""The package's layers import only downwards; each library is imported by its one module."""

from __future__ import annotations

import ast
from pathlib import Path

from generator.writers import ALL, HANDOUT

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# The flow, folder by folder, and each folder's modules in layers, lowest first. A module imports
# only from a lower layer of its own folder or from an earlier folder: never from its own layer, a
# higher one or a later folder. (A package's __init__ goes by the package's name.)
FLOW: list[tuple[str, list[set[str]]]] = [
    ("core", [{"__init__", "errors"}, {"model", "files"}]),  # positions and problems; the document; safe files
    ("readers", [{"readers"}, {"skeleton"}, {"source", "typography", "terms"}, {"validation", "corpus", "printed"},
                 {"policy", "printset", "resolved"}, {"structure"}, {"spec"}]),
    ("lesson", [{"lesson"}, {"wording", "support", "reading", "names", "focus"}, {"guidance", "platform"},
                {"compose"}]),
    ("writers", [{"layout", "zipped", "html.body", "lms", "lms.markup", "lms.pack"},
                 {"fonts", "docx.xml", "pptx.style", "lms.qti", "lms.moodle"},
                 {"docx.fonts", "pptx.measure", "html.webfonts", "lms.cartridge", "lms.gift"},
                 {"pdf", "docx.styles", "docx.package", "pptx.plan", "pptx.package", "html.page"},
                 {"docx.body", "pptx.slides", "pptx.handout"}, {"docx", "pptx", "html"},
                 {"writers"}]),  # the format registry last: it names every writer (and imports one only to use it)
    ("runners", [{"runners"}, {"cache", "batch"}, {"pool"}, {"build"},
                 {"watch", "authoring", "importing", "printing.plan"},
                 {"printing.cups", "printing.manifest", "commands"}, {"printing"}, {"printing.command"}]),
    ("cli", [{"cli"}, {"__main__"}]),
]
FOLDERS = [folder for folder, _ in FLOW]


def _place() -> dict[str, tuple[int, int]]:
    """Each module's (folder, layer), by its dotted name in the package."""
    found = {}
    for f, (folder, layers) in enumerate(FLOW):
        for n, layer in enumerate(layers):
            for name in layer:
                inside = folder not in ("core", "cli") and name != folder
                found[f"{folder}.{name}" if inside else name] = (f, n)
    return found


PLACE = _place()
# Each library has one importer; a writer's library, the writer modules of the formats written
# with it (or their packages' modules), from the format registry: reportlab's are the PDF writer
# and the deck printed as handouts.
ONLY_IMPORTER: dict[str, tuple[str, ...]] = {
    "yaml": ("readers.source",), "jinja2": ("lesson.wording",), "pypdf": ("runners.printing.plan",),
    "smartypants": ("readers.typography",), "pyphen": ("lesson.reading",), "watchfiles": ("runners.watch",),
}
for _format in (*ALL, HANDOUT):
    if _format.library:  # the learning-platform writers need only the standard library
        ONLY_IMPORTER[_format.library] = (*ONLY_IMPORTER.get(_format.library, ()), f"writers.{_format.module}")


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name relative to it ('readers.spec'; a package's
    __init__ by the package's name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path) -> tuple[set[str], set[str]]:
    """(modules of this package, third-party top-level names) a module imports."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    known = modules()
    inner: set[str] = set()
    outer: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1] if node.level > 1 else package
            stem = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:
                full = ".".join([*stem, alias.name])
                inner.add(full if full in known else ".".join(stem) or "__init__")
        elif isinstance(node, ast.ImportFrom) and node.module:
            outer.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outer.update(alias.name.split(".")[0] for alias in node.names)
    return inner, outer


def test_every_module_has_a_place_in_the_flow() -> None:
    assert set(modules()) == set(PLACE), "add the new module to FLOW (or remove the stale entry)"


def test_imports_point_down_the_flow() -> None:
    for name, path in modules().items():
        folder, layer = PLACE[name]
        for other in imports(name, path)[0]:
            their_folder, their_layer = PLACE[other]
            where = f"{name} ({FOLDERS[folder]} {layer}) imports {other} ({FOLDERS[their_folder]} {their_layer})"
            assert their_folder < folder or (their_folder == folder and their_layer < layer), where


def test_each_library_has_one_importer() -> None:
    for name, path in modules().items():
        for library in imports(name, path)[1] & set(ONLY_IMPORTER):
            owners = ONLY_IMPORTER[library]
            allowed = any(name == owner or name.startswith(owner + ".") for owner in owners)
            assert allowed, f"{name} imports {library}; only {' and '.join(owners)} may"


def test_every_format_has_a_writer_module_with_render() -> None:
    for fmt in (*ALL, HANDOUT):
        path = PACKAGE.joinpath("writers", *fmt.module.split("."))
        source = (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text(encoding="utf-8")
        names = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
        assert "render" in names, f"writers/{fmt.module} has no render(document) -> bytes"


def test_every_module_says_its_job() -> None:
    for name, path in modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{name} has no docstring saying its job"
