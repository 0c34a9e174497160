"""The web edition in a real browser (Debian's chromium driven by puppeteer-core): axe-core's WCAG
2.0/2.1/2.2 A and AA rules on every shipped pack's both editions and large print in every
background, no request beyond the file itself, no sideways scrolling at 320 px, a quiz answered by
keyboard, printing, and screenshots at 320 and 1280 px."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from generator.runners.build import Builder, Project
from generator.writers import BY_NAME
from tests.tools import require

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SPECS = [p for p in sorted((ROOT / "packs").glob("*.yaml")) if not p.name.endswith(".printset.yaml")]
HELD_OUT = ROOT / "tests" / "web" / "held-out.yaml"


def _need_browser() -> None:
    """Skip (or fail when CI is set) without chromium, node or the locked node packages."""
    require("node")
    reason = ""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        reason = "needs Debian's chromium (apt-get install chromium; .ci/run does)"
    elif not (NODE / "node_modules" / "puppeteer-core").is_dir() or not (NODE / "node_modules" / "axe-core").is_dir():
        reason = "needs the node packages in tests/browser (cd tests/browser && npm ci; .ci/run does)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the browser test {reason}")
        pytest.skip(reason)


def _node(*args: str) -> list[dict[str, object]]:
    env = {**os.environ, "CHROMIUM": CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))}
    done = subprocess.run(["node", "browser.mjs", *args], cwd=NODE, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The web editions of every shipped pack and the held-out spec: variant -> files."""
    _need_browser()
    out = tmp_path_factory.mktemp("web")
    found: dict[str, list[Path]] = {}
    for variant in ("standard", "large-print"):
        builder = Builder(Project(ROOT), variant=variant, formats=(BY_NAME["html"],))
        report = builder.build([*SPECS, HELD_OUT], out / variant)
        assert report.failed == []
        found[variant] = sorted(p for paths in report.paths.values() for p in paths.values())
    assert len(found["standard"]) == len(found["large-print"]) == 2 * (len(SPECS) + 1)
    return found


def _judge(results: list[dict[str, object]], files: list[Path]) -> None:
    assert sorted(str(r["file"]) for r in results) == sorted(str(f) for f in files)
    problems = []
    for r in results:
        name = Path(str(r["file"])).name
        violations = r["violations"]
        assert isinstance(violations, dict) and violations
        for where, found in violations.items():
            for v in found:
                problems.append(f"{name} [{where}]: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}")
        if r["requests"]:
            problems.append(f"{name}: requested {r['requests']}")
        if r["errors"]:
            problems.append(f"{name}: script errors {r['errors']}")
        if not r["scriptRan"]:
            problems.append(f"{name}: the inline script did not run (is the page's policy hash right?)")
        scroll = r["scroll"]
        assert isinstance(scroll, dict)
        for where, (scroll_width, client_width) in scroll.items():
            if scroll_width > client_width:
                problems.append(f"{name} [{where}]: {scroll_width} px wide in a {client_width} px window")
    assert problems == [], "\n".join(problems)


def test_every_pack_passes_axe_with_no_requests_and_no_sideways_scroll(web: dict[str, list[Path]]) -> None:
    """Standard editions in every background (white, cream, dark, the system's dark mode) at 320 px
    and at 1280 px; every setting at its largest still reflows at 320 px."""
    files = web["standard"]
    results = _node("audit", *map(str, files))
    _judge(results, files)
    dark = [r.get("darkBackground") for r in results]
    assert set(dark) == {"rgb(18, 18, 18)"}  # the system's dark mode is honoured with no setting chosen


def test_large_print_passes_axe_with_no_requests_and_no_sideways_scroll(web: dict[str, list[Path]]) -> None:
    files = web["large-print"]
    _judge(_node("audit", "--themes", "auto,wide", *map(str, files)), files)


def test_a_quiz_can_be_answered_by_keyboard_and_checks_itself(web: dict[str, list[Path]]) -> None:
    student = next(p for p in web["standard"] if p.name == "start-a-conversation-student.html")
    (result,) = _node("keyboard", str(student))
    assert result["requests"] == [] and result["errors"] == []
    assert result["reachedQuiz"], "Tab never reached a quiz's choices"
    focus = result["focusOutline"]
    assert isinstance(focus, list)
    outline, width = focus
    assert outline == "solid" and float(str(width).removesuffix("px")) >= 2  # focus is visible
    first, second = result["first"], result["second"]
    assert isinstance(first, dict) and isinstance(second, dict)
    # Space chooses the first option, the arrow key the next; each says right or wrong at once,
    # and a wrong answer names the right one.
    assert first["chosen"] == "A" and second["chosen"] == "B"
    for step in (first, second):
        if step["chosen"] == step["answer"]:
            assert step["feedback"] == "Right."
        else:
            assert step["feedback"].startswith(f"Not quite. The answer is {step['answer']}: ")
    # Typed answers stay on the device: after a reload the answer and the choice are back.
    after = result["afterReload"]
    assert isinstance(after, dict)
    assert after["typed"] == "Because it showed how many people it happened to."
    assert after["chosen"] == "B" and after["feedback"] == second["feedback"]
    # "Save my answers as a file", pressed from the keyboard: a text file to hand in with each
    # question and what was chosen or typed.
    saved = str(result["saved"])
    assert str(result["savedName"]).endswith(" - my answers.txt")
    assert "1. What does it mean to be an ally?\r\nB. To stand up for and support" in saved
    assert "Helps people speak honestly, row 1\r\nBecause it showed how many people it happened to." in saved
    # The settings apply at once and are remembered when the file is opened again; the page stops
    # its smooth scrolling for a reader whose device asks for reduced motion.
    settings = result["settings"]
    assert isinstance(settings, dict)
    before, chosen, reopened = settings["before"], settings["chosen"], settings["reopened"]
    assert before["background"] == "rgb(255, 255, 255)" and before["font"].startswith('"Atkinson Hyperlegible"')
    assert chosen == reopened
    assert reopened["background"] == "rgb(251, 245, 227)" and reopened["fontSize"] == 2 * before["fontSize"]
    assert reopened["font"].startswith("system-ui") and reopened["letterSpacing"] != "normal"
    assert before["scrollBehavior"] == "smooth" and settings["reducedMotion"]["scrollBehavior"] == "auto"
    # Without script the lesson reads in full at 320 px; the tools stay hidden and a notice says
    # that answers typed are not kept.
    plain = result["noScript"]
    assert isinstance(plain, dict)
    assert plain["toolsHidden"] and plain["notice"] and not plain["wide"] and plain["words"] > 1000


def test_printing_gives_the_handout_without_the_settings(web: dict[str, list[Path]], tmp_path: Path) -> None:
    require("pdftotext")
    student = next(p for p in web["standard"] if p.name == "bystander-to-ally-student.html")
    pdf = tmp_path / "printed.pdf"
    chromium = CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", student.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "From Bystander to Ally" in text and "Where to get help" in text
    for absent in ("Reading settings", "Save my answers", "Contents", "Skip to the lesson", "Made with lessonpack"):
        assert absent not in text, absent
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info, info  # the pack's paper, whatever the browser's default
    # Chromium prints the page's structure as a tagged PDF, which the reportlab edition cannot be.
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 4 <= pages <= 30


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_screenshots_at_phone_and_desktop_width(web: dict[str, list[Path]], tmp_path: Path) -> None:
    """Both editions of two packs at 320 and 1280 px, light, cream and dark: each as wide as its
    window (nothing pushed off the side). docs/ holds ones looked at for the README."""
    chosen = [p for p in web["standard"] if p.parent.name in ("start-a-conversation", "bystander-to-ally")]
    assert len(chosen) == 4
    for page in chosen:
        for width, theme in ((320, "white"), (320, "dark"), (1280, "cream")):
            png = tmp_path / f"{page.stem}-{width}-{theme}.png"
            (result,) = _node("shot", str(page), str(png), str(width), theme)
            assert result["requests"] == [] and result["errors"] == []
            assert _png_size(png)[0] == width
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shots = sorted((ROOT / "docs").glob("web-edition-*.png"))
    assert shots and all(f"docs/{s.name}" in readme for s in shots)
