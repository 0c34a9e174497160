"""The package's layers import only downwards; each library is imported by its one module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

LAYER = {
    "errors": 0, "model": 0, "layout": 0,
    "source": 1, "fonts": 1,
    "validation": 1, "spec": 2, "policy": 2, "corpus": 2, "guidance": 2, "wording": 2, "printset": 2,
    "importing": 2,
    "compose": 3, "pdf": 3, "docx": 3,
    "build": 4, "cache": 4, "files": 1, "printing": 4, "authoring": 4, "watch": 4,
    "cli": 5, "__main__": 6, "__init__": 0,
}
ONLY_IMPORTER = {"yaml": "source", "jinja2": "wording", "reportlab": "pdf", "docx": "docx", "pypdf": "printing",
                 "watchfiles": "watch"}


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules of this package, third-party top-level names) imported by a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner: set[str] = set()
    outer: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level >= 1:
                if node.module:
                    inner.add(node.module.split(".")[0])
                else:
                    inner.update(alias.name for alias in node.names)
            elif node.module:
                outer.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outer.update(alias.name.split(".")[0] for alias in node.names)
    return inner, outer


def test_every_module_has_a_layer() -> None:
    assert {p.stem for p in PACKAGE.glob("*.py")} <= set(LAYER)


def test_imports_point_downwards() -> None:
    for path in PACKAGE.glob("*.py"):
        inner, _ = imports(path)
        for name in inner:
            assert LAYER[name] <= LAYER[path.stem], f"{path.stem} (layer {LAYER[path.stem]}) imports {name}"
            if LAYER[name] == LAYER[path.stem]:
                # Same layer: spec uses corpus (to resolve quotes), guidance uses spec and policy,
                # layout uses model, validation uses source (for positions), printing builds packs,
                # importing checks a new seed as the corpus reads it, authoring and watch drive builds.
                allowed = {
                    ("spec", "corpus"), ("guidance", "spec"), ("guidance", "policy"), ("guidance", "corpus"),
                    ("layout", "model"), ("validation", "source"), ("build", "cache"), ("printing", "build"),
                    ("importing", "corpus"), ("authoring", "build"), ("watch", "build"), ("watch", "cache"),
                }
                assert (path.stem, name) in allowed, (path.stem, name)


def test_each_library_has_one_importer() -> None:
    for path in PACKAGE.glob("*.py"):
        _, outer = imports(path)
        for library, owner in ONLY_IMPORTER.items():
            if library in outer:
                assert path.stem == owner, f"{path.stem} imports {library}; only {owner} may"


def test_every_module_says_its_job() -> None:
    for path in PACKAGE.glob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{path.name} has no module docstring"
