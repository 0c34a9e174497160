"""The README's "How it is built" stays true: its table names every module of the package, every path
it and "Where a change goes" name exists, and what they say a module holds or alone imports holds.

The table is read as written (folder, modules, job), so that splitting a module or adding one fails
here until its row says where it is; nothing about any one module is written in this file.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
TICKED = re.compile(r"`([^`]+)`")
# A backticked word that names a file or folder rather than code: it has a slash or a file's ending.
PATHLIKE = re.compile(r"^[\w.*-]+(/[\w.*-]*)*$")
ENDINGS = (".py", ".yaml", ".yml", ".j2", ".json", ".txt", ".md")


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## How it is built\n" in readme, "the README has lost its 'How it is built' section"
    return readme.split("\n## How it is built\n", 1)[1].split("\n## ", 1)[0]


@dataclass(frozen=True)
class Row:
    """One row of the table: its folder under generator/, the modules it names, and their job."""

    line: int
    folder: Path
    modules: tuple[str, ...]  # "spec.py", or "docx/" for a package
    job: str

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in self.modules)

    def __str__(self) -> str:
        return f"the README's row for {', '.join(self.modules)} (line {self.line} of 'How it is built')"


@cache
def table() -> tuple[Row, ...]:
    text = section()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.replace(" ", "") == "|where|module|onejob|")
    rows: list[Row] = []
    folder = PACKAGE
    for number, line in enumerate(lines[start + 2 :], start + 3):
        if not line.startswith("|"):
            break
        where, modules, job = (cell.strip() for cell in line.strip().strip("|").split("|", 2))
        if where:
            (name,) = TICKED.findall(where)
            folder = ROOT / name if name.startswith("generator/") else PACKAGE / name
        rows.append(Row(number, folder, tuple(TICKED.findall(modules)), job))
    assert rows, "the README's architecture table has no rows"
    return tuple(rows)


def changes() -> dict[str, str]:
    """The "Where a change goes" list: each bullet's bold lead ('A new output format') and its text."""
    text = section().split("Where a change goes:", 1)[1]
    found = re.findall(r"^- \*\*(.+?):\*\*(.*?)(?=^- |^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    return {lead: " ".join(body.split()) for lead, body in found}


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def defines_something(path: Path) -> bool:
    """Whether a module holds more than a docstring and imports."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not isinstance(node, ast.Import | ast.ImportFrom | ast.Expr) for node in body)


def listed(path: Path) -> bool:
    """Whether the table names this module: its own row, or its package's row naming it in the job
    (`docx/` ... `styles`); a package's row stands for its __init__ too, and a folder that only holds
    a docstring in its __init__ needs no row for it."""
    for row in table():
        if path in row.paths:
            return True
        for package in (p for p in row.paths if p.is_dir() and path.is_relative_to(p)):
            inside = path.relative_to(package).with_suffix("")
            if inside.parts == ("__init__",) or "/".join(inside.parts) in TICKED.findall(row.job):
                return True
    return path.name == "__init__.py" and not defines_something(path) and any(r.folder == path.parent for r in table())


def resolve(token: str, near: Path | None = None) -> list[Path]:
    """Where a path the README names is: under the project, the package, or the row's own folder."""
    bases = [ROOT, PACKAGE, *([near] if near else [])]
    return [hit for base in bases for hit in (base.glob(token) if "*" in token else [base / token]) if hit.exists()]


def pathlike(token: str) -> bool:
    return PATHLIKE.match(token) is not None and ("/" in token or token.endswith(ENDINGS))


def test_every_module_of_the_package_has_a_row() -> None:
    missing = [str(p.relative_to(ROOT)) for p in package_modules() if not listed(p)]
    assert missing == [], f"add these modules to the README's table under 'How it is built': {missing}"


def test_every_module_a_row_names_exists() -> None:
    for row in table():
        assert row.modules, f"{row} names no module"
        for name, path in zip(row.modules, row.paths, strict=True):
            assert path.exists(), f"{row}: {path.relative_to(ROOT)} does not exist (moved, split or renamed?)"
            assert path.is_dir() == name.endswith("/"), f"{row}: write a package as `name/`, a module as `name.py`"
        for package in (p for p in row.paths if p.is_dir()):
            parts = [t for t in TICKED.findall(row.job) if re.fullmatch(r"[a-z_]+", t)]
            named = [t for t in parts if (package / f"{t}.py").exists() or (package / t).is_dir()]
            assert named, f"{row}: name the package's modules in its job (`{package.name}/`: `a`, `b`)"


def test_every_path_the_section_names_exists() -> None:
    for row in table():
        for token in filter(pathlike, TICKED.findall(row.job)):
            assert resolve(token, row.folder), f"{row} names `{token}`, which does not exist"
    outside = re.sub(r"```.*?```", "", section().split("| where |", 1)[0], flags=re.DOTALL)
    outside += section().split("Where a change goes:", 1)[1]
    for token in filter(pathlike, TICKED.findall(outside)):
        assert resolve(token), f"'How it is built' names `{token}`, which does not exist"


def test_where_a_change_goes_names_the_files_for_a_format_a_spec_key_and_a_policy_rule() -> None:
    found = changes()
    for what in ("A new output format", "A new spec key", "A new content rule"):
        assert what in found, f"'Where a change goes' has no bullet '**{what}:**'"
        files = [t for t in filter(pathlike, TICKED.findall(found[what])) if not t.endswith("/")]
        assert files, f"'{what}' names no file to edit"
        for token in files:
            assert resolve(token), f"'{what}' names `{token}`, which does not exist"


def row_of(path: Path) -> Row | None:
    return next((row for row in table() if path in row.paths), None)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_names_a_row_says_its_module_holds_are_there() -> None:
    """`FORMATS`, `json_schema()`, `Problem`: a name the job of a one-module row gives is that module's."""
    for row in table():
        files = [p for p in row.paths if p.suffix == ".py"]
        if len(files) != 1 or len(row.paths) != 1:
            continue
        module = importlib.import_module(module_name(files[0]))
        for token in TICKED.findall(row.job):
            if re.fullmatch(r"[A-Z][A-Z0-9_]+|[A-Z][a-z]\w*|[a-z_]\w*\(\)", token):
                assert hasattr(module, token.removesuffix("()")), f"{row} says its module holds `{token}`; it does not"


def test_the_registry_and_the_schema_are_where_the_section_says() -> None:
    """Each upper-case name 'Where a change goes' tells you to edit (`FORMATS`, `ON_REQUEST`) is
    defined by a module whose row names it; the spec key's file is where `lessonpack schema` comes from."""
    found = changes()
    for name in {t for body in found.values() for t in TICKED.findall(body) if re.fullmatch(r"[A-Z][A-Z0-9_]+", t)}:
        owners = [row for row in table() if f"`{name}`" in row.job]
        assert owners, f"'Where a change goes' names `{name}`, and no row of the table says where it is"
        for row in owners:
            (path,) = row.paths
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assigned = {
                target.id
                for node in tree.body
                if isinstance(node, ast.Assign | ast.AnnAssign)
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(target, ast.Name)
            }
            assert name in assigned, f"{row} says it holds `{name}`; it is not defined there"
    from generator.readers.spec import json_schema

    spec_files = [resolve(t)[0] for t in TICKED.findall(found["A new spec key"]) if t.endswith(".py") and resolve(t)]
    schema_home = Path(sys.modules[json_schema.__module__].__file__ or "")
    assert schema_home in spec_files, f"`lessonpack schema` comes from {schema_home.name}, which 'A new spec key' omits"
    policy_files = [p for t in TICKED.findall(found["A new content rule"]) for p in resolve(t) if p.suffix == ".yaml"]
    assert policy_files, "'A new content rule' names no policy file"
    policy = (policy_files[0]).read_text(encoding="utf-8")
    for key in (t for t in TICKED.findall(found["A new content rule"]) if re.fullmatch(r"[a-z_]+", t)):
        assert re.search(rf"^{key}:", policy, re.MULTILINE), f"the default policy has no `{key}` the README names"


@cache
def imported(path: Path) -> frozenset[str]:
    """The top-level names of the libraries a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return frozenset(found)


def test_the_only_importer_claims_hold() -> None:
    """'the only `yaml` importer', 'only this package imports `docx`', 'standard library only': the
    row's modules (and the files its job names beside them) are the only ones that import it."""
    for row in table():
        owners = [*row.paths, *(p for t in filter(pathlike, TICKED.findall(row.job)) for p in resolve(t, row.folder))]
        libraries = re.findall(r"only `(\w+)` importers?|only this package imports `(\w+)`", row.job)
        for library in (a or b for a, b in libraries):
            users = [p for p in package_modules() if library in imported(p)]
            assert users, f"{row} says it imports `{library}`; nothing does"
            strays = [str(p.relative_to(ROOT)) for p in users if not any(p.is_relative_to(o) for o in owners)]
            assert strays == [], f"{row} says only it imports `{library}`; so do {strays}"
        if "standard library only" in row.job:
            for path in (p for p in package_modules() if any(p.is_relative_to(o) for o in row.paths)):
                outside = imported(path) - set(sys.stdlib_module_names) - {"__future__", "generator"}
                assert outside == set(), f"{row} says standard library only; {path.name} imports {outside}"
