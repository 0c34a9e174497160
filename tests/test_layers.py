"""The package's layers import only downwards; each library is imported by its one module."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from generator.writers import ALL, HANDOUT

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# The flow, folder by folder, and each folder's modules in layers, lowest first. A module imports
# only from a lower layer of its own folder or from an earlier folder: never from its own layer, a
# higher one or a later folder. (A package's __init__ goes by the package's name.)
FLOW: list[tuple[str, list[set[str]]]] = [
    ("core", [{"__init__", "errors"}, {"model", "files"}]),  # positions and problems; the document; safe files
    (
        "readers",
        [
            {"readers"},
            {"skeleton"},
            {"source", "typography", "terms", "seed"},
            {"validation", "closest", "printed"},
            {"fields"},
            {"corpus", "schema"},
            {"policy", "printset", "resolved"},
            {"structure"},
            {"spec"},
        ],
    ),
    (
        "lesson",
        [
            {"lesson"},
            {"labels"},
            {"wording", "support", "reading", "names", "focus", "judging"},
            {"guidance", "platform"},
            {"compose.shared"},
            {"compose.notes"},
            {"compose.printed", "compose.deck"},
            {"compose"},
        ],
    ),
    (
        "writers",
        [
            {"layout", "zipped", "html.body", "lms", "lms.markup", "lms.pack", "pptx.shapes"},
            {"fonts", "docx.xml", "pptx.style", "lms.qti", "lms.moodle"},
            {"docx.fonts", "docx.rows", "pptx.measure", "html.webfonts", "lms.cartridge", "lms.gift", "pdf.styles"},
            {"pdf.flowables", "docx.styles", "docx.package", "pptx.items", "pptx.package", "html.page"},
            {"pdf.writer", "docx.body", "pptx.plan", "pptx.slides"},
            {"pdf", "docx", "pptx", "html"},
            {"pptx.handout"},  # the printed deck: the deck's boxes drawn with the PDF's fonts
            {"writers"},
        ],
    ),  # the format registry last: it names every writer (and imports one only to use it)
    (
        "runners",
        [
            {"runners"},
            {"cache", "batch", "dates"},
            {"pool"},
            {"build"},
            {"watch", "authoring", "importing", "printing.plan"},
            {"printing.cups", "printing.manifest", "scaffold"},
            {"printing", "commands"},
            {"printing.command"},
        ],
    ),
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
    "yaml": ("readers.source",),
    "jinja2": ("lesson.wording",),
    "pypdf": ("runners.printing.plan",),
    "smartypants": ("readers.typography",),
    "pyphen": ("lesson.reading",),
    "watchfiles": ("runners.watch",),
}
for _format in (*ALL, HANDOUT):
    if _format.library:  # the learning-platform writers need only the standard library
        ONLY_IMPORTER[_format.library] = (*ONLY_IMPORTER.get(_format.library, ()), f"writers.{_format.module}")


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name relative to it ('readers.spec'; a package's
    __init__ by the package's name). Read once a run, as each module's imports are."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


@cache
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


def test_every_format_has_a_writer_module_with_render_of_what_it_takes() -> None:
    """Each format says what its writer renders (a print edition's Document, the Deck, the whole
    Pack); its writer's render takes that, and gives bytes."""
    model = {"document": "Document", "deck": "Deck", "pack": "Pack"}
    for fmt in (*ALL, HANDOUT):
        path = PACKAGE.joinpath("writers", *fmt.module.split("."))
        source = (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text(encoding="utf-8")
        functions = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        render = next((f for f in functions if f.name == "render"), None)
        assert render is not None, f"writers/{fmt.module} has no render({fmt.takes}) -> bytes"
        arg, *more = render.args.args  # what it takes; anything more is optional
        assert len(render.args.defaults) == len(more), f"writers/{fmt.module}: render needs more than one argument"
        returns = ast.unparse(render.returns) if render.returns else ""
        signature = (ast.unparse(arg.annotation) if arg.annotation else "", returns)
        assert signature == (model[fmt.takes], "bytes"), f"writers/{fmt.module}: render{signature}, takes {fmt.takes}"


def test_every_module_says_its_job() -> None:
    for name, path in modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{name} has no docstring saying its job"


# What stays in the readers: the parsed YAML (source.Loaded, and what returns one). Everything else
# reads the validated models and asks the lesson (or a Located text) where a value is in the file.
PARSED_YAML = {"load", "load_text", "parse"}


def _names(tree: ast.AST) -> set[str]:
    """Every name a module uses: names, attributes, imported names and names in string annotations."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.name.split(".")[-1])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            found.add(node.value)
    return found


def test_the_parsed_yaml_stays_in_the_readers() -> None:
    for name, path in modules().items():
        if name == "readers" or name.startswith("readers."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        source_names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("readers")
            for alias in node.names
            if alias.name == "source"
        }
        seen = {n for n in _names(tree) if n in ("Loaded", "loaded")}
        calls = {
            f"{node.func.value.id}.{node.func.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in source_names
            and node.func.attr in PARSED_YAML
        }
        shown = ", ".join(sorted(seen | calls))
        assert not seen and not calls, f"{name} sees the parsed YAML ({shown}): ask the readers"


def test_no_module_is_over_600_lines() -> None:
    """A module a newcomer can read whole: past 600 lines, split it along a seam (and give the new
    module its row in the README's 'How it is built' and its place in FLOW)."""
    long = {
        name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long
