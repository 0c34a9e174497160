"""Which tests are `external`: those that reach LibreOffice, CUPS, a browser or node, a real fault or the benchmark.

The rule is read from the tests' own source, so a new test is marked by what it does, not by
someone remembering to mark it: a test is external when its body, a fixture it asks for, or any
function of tests/ it calls (followed to any depth) does one of these:

- calls a helper that drives an external program: `soffice`, `docx_to_pdf`, `to_pdf` (LibreOffice),
  `require_mounts`, `in_tmpfs` (a private tmpfs through unshare);
- names an external program as a string (`require("node")`, `["chattr", ...]`, `require("cupsd")`);
- kills a running lessonpack part-way through on purpose (`signal.SIGKILL`);
- runs the benchmark (a path through the "benchmarks" folder).

conftest.py applies the marker at collection; tests/test_external.py keeps the rule true.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent

EXTERNAL_HELPERS = frozenset({"soffice", "docx_to_pdf", "to_pdf", "require_mounts", "in_tmpfs"})
# Programs that are slow, need a daemon or root, or are not Python: a test naming one runs it.
EXTERNAL_PROGRAMS = frozenset({
    "soffice", "libreoffice", "node", "npm", "chromium", "cupsd", "lpadmin", "unshare", "chattr", "benchmarks",
})  # fmt: skip
# A real fault: a process killed part-way through (Ctrl-C, the way watch mode stops, is not one).
FAULT_SIGNALS = frozenset({"SIGKILL"})


@dataclass(frozen=True)
class Reason:
    """Why a function counts as external: what it does, and where."""

    what: str
    where: str


@cache
def _direct(node: ast.AST, module: str) -> Reason | None:
    """The first external thing a function does itself (without following the calls it makes);
    each function is read once a session (a fixture many tests ask for is reached from each)."""
    for sub in ast.walk(node):
        line = f"{module}:{getattr(sub, 'lineno', 0)}"
        match sub:
            case ast.Call(func=ast.Name(id=name)) | ast.Call(func=ast.Attribute(attr=name)) if name in EXTERNAL_HELPERS:
                return Reason(f"calls {name}()", line)
            case ast.Name(id=name, ctx=ast.Load()) if name in EXTERNAL_HELPERS:
                return Reason(f"uses {name}", line)
            case ast.Constant(value=str(text)) if text in EXTERNAL_PROGRAMS:
                return Reason(f"runs {text}", line)
            case ast.Attribute(value=ast.Name(id="signal"), attr=sig) if sig in FAULT_SIGNALS:
                return Reason(f"sends {sig}", line)
    return None


@dataclass(frozen=True)
class Module:
    """One file of tests/: its functions (and classes) by name, and the names it imports from other files of tests/."""

    name: str
    functions: dict[str, ast.FunctionDef | ast.ClassDef]
    imported: dict[str, tuple[Path, str]]  # local name -> (file of tests/, its name there)

    @staticmethod
    @cache
    def read(path: Path) -> Module:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        functions: dict[str, ast.FunctionDef | ast.ClassDef] = {}
        imported: dict[str, tuple[Path, str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node in tree.body:
                functions[node.name] = node
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                # `from .tools import x`, `from tests.tools import x` (at the top or inside a function)
                parts = node.module.split(".")
                name = parts[-1] if (node.level == 1 and len(parts) == 1) or parts[:1] == ["tests"] else None
                if name is not None and (TESTS / f"{name}.py").exists():
                    for alias in node.names:
                        imported[alias.asname or alias.name] = (TESTS / f"{name}.py", alias.name)
        return Module(path.name, functions, imported)


@cache
def _names(node: ast.AST) -> frozenset[str]:
    """The names a function refers to (calls, callables passed on) and the fixtures it asks for."""
    return frozenset(_each_name(node))


def _each_name(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.arg):
            yield sub.arg
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.isidentifier():
            yield sub.value  # @pytest.mark.usefixtures("name"), request.getfixturevalue("name")


@cache
def reason(path: Path, function: str, cls: str | None = None) -> Reason | None:
    """Why the test `function` (of class `cls`) in the test file `path` is external, or None
    (once per test function: the cases of a parametrized test ask again)."""
    first = Module.read(path)
    conftest = Module.read(TESTS / "conftest.py")
    start = first.functions.get(cls or function)
    if start is None:
        return None
    seen: set[tuple[str, str]] = set()
    todo: list[tuple[Module, ast.FunctionDef | ast.ClassDef]] = [(first, start)]
    while todo:
        module, node = todo.pop()
        if (module.name, node.name) in seen:
            continue
        seen.add((module.name, node.name))
        found = _direct(node, module.name)
        if found is not None:
            return Reason(found.what, f"{found.where} (in {node.name})")
        for name in _names(node):
            # A name is a function of the same file, one it imports from tests/, or a shared fixture.
            if name in module.functions:
                todo.append((module, module.functions[name]))
            elif name in module.imported:
                source, there = module.imported[name]
                other = Module.read(source)
                if there in other.functions:
                    todo.append((other, other.functions[there]))
            elif name in conftest.functions:
                todo.append((conftest, conftest.functions[name]))
    return None
