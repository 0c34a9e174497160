"""The benchmark runs (a smoke test on tiny sizes). Its figures are never asserted: timings
belong to benchmarks/run.py's report, not to the test suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KEYS = [
    "help",
    "check",
    "build_jobs1",
    "build_jobs2",
    "speedup_jobs2",
    "noop",
    "noop_share",
    "pack_lessonpack",
    "pack_lessonpack_pdf",
    "pack_lessonpack_docx",
    "pack_lessonpack_pptx",
    "pack_floor",
    "pack_floor_pdf",
    "pack_floor_docx",
    "pack_floor_pptx",
    "pack_ratio",
    "memory_2",
    "memory_3",
    "memory_ratio",
    "closest_worst",
    "policy_largest",
    "policy_largest_load",
    "worst_build_standard",
    "worst_build_standard_cpu",
    "worst_build_large_print",
    "worst_build_large_print_cpu",
    "build_broken",
    "noop_broken",
    "noop_broken_share",
    "print_memory_2",
    "print_memory_3",
    "print_memory_ratio",
    "print_sheets",
]


def test_benchmark_runs_on_tiny_sizes_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["settings"]["packs"] == 3
    assert report["settings"]["memory"] == [2, 3]
    measured = report["measurements"]
    for key in KEYS:
        assert key in measured, f"{key} missing from {sorted(measured)}"
        figure = measured[key]
        assert figure["runs"] and all(v > 0 for v in figure["runs"]), (key, figure)
        assert figure["min"] <= figure["median"] <= figure["max"], (key, figure)
    for key in (
        "help",
        "check",
        "speedup_jobs2",
        "noop_share",
        "pack_ratio",
        "memory_ratio",
        "policy_largest",
        "worst_build_standard",
        "worst_build_standard_cpu",
        "worst_build_large_print",
        "worst_build_large_print_cpu",
        "noop_broken_share",
        "print_memory_ratio",
        "print_sheets",
    ):
        assert isinstance(measured[key]["pass"], bool), key
    # Peers are measured when installed, and reported as not installed otherwise.
    for peer in ("peer_pandoc_docx", "peer_weasyprint_pdf"):
        assert peer in measured or report["not_measured"].get(peer) == "not installed", peer
    pages = report["one_pack"]["pages"]
    assert all(v["lessonpack"] > 0 and v["floor"] > 0 for v in pages.values()), pages
    # The machine line and the table are printed for the README.
    assert "machine:" in done.stdout
    assert "lessonpack / floor" in done.stdout


def test_every_name_the_benchmark_imports_from_the_package_is_there() -> None:
    """The benchmark imports inside its functions (so that each row loads only what it measures):
    a module split or a rename must not leave one of them pointing at a name that moved, found only
    when someone runs the whole benchmark."""
    import ast
    import importlib

    missing = []
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator")):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    missing.append(f"{path.name}:{node.lineno}: {node.module} has no {alias.name}")
    assert not missing, "\n".join(missing)
