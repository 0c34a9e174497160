"""Sending a print run's class PDFs to a CUPS queue (lp and lpstat), and reporting what CUPS said."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ...errors import UsageError
from ...model import PAPER
from ...readers.validation import suggest
from .plan import Plan

CUPS_TIMEOUT = 120  # seconds for one lp or lpstat call


class CupsError(UsageError):
    """CUPS is missing, the queue does not exist, or a job was refused (exit 2; the PDFs stay on disk)."""


# What CUPS allows in a queue name: printable characters but space, '/', '\\', '#' and quotes,
# at most 127 of them. A leading '-' would reach lp and lpstat as an option, so it is refused too.
_QUEUE = re.compile(r"[^\s/\\#'\"-][^\s/\\#'\"]{0,126}")


def queue_problem(queue: str) -> str | None:
    """Why `queue` cannot be a CUPS queue name (None if it can)."""
    if _QUEUE.fullmatch(queue) and queue.isprintable():
        return None
    if queue.startswith("-"):
        return f"--printer '{queue}': a queue name cannot start with '-'"
    return (
        f"--printer '{queue}': not a CUPS queue name (printable characters without spaces, '/', '\\', '#' "
        "or quotes, at most 127)"
    )


def _cups(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C"}  # lp's 'request id is ...' is translated otherwise
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=CUPS_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise CupsError(f"'{' '.join(command[:3])} ...' did not answer within {CUPS_TIMEOUT} s") from None
    except OSError as exc:
        raise CupsError(f"cannot run {command[0]}: {exc.strerror or exc}") from None


def _first_line(result: subprocess.CompletedProcess[str]) -> str:
    text = (result.stderr or result.stdout).strip()
    return text.splitlines()[0] if text else f"exit status {result.returncode}"


def check_queue(queue: str, where: str) -> tuple[str, str]:
    """The paths of lp and lpstat, once CUPS is known to have the queue."""
    problem = queue_problem(queue)
    if problem:
        raise CupsError(problem)
    lp, lpstat = shutil.which("lp"), shutil.which("lpstat")
    if lp is None or lpstat is None:
        missing = "lp" if lp is None else "lpstat"
        raise CupsError(f"CUPS is not installed (no '{missing}' command); {where}")
    if _cups([lpstat, "-p", queue]).returncode == 0:
        return lp, lpstat
    if "not running" in _cups([lpstat, "-r"]).stdout:
        raise CupsError(f"the CUPS scheduler is not running (start the 'cups' service); {where}")
    listing = _cups([lpstat, "-e"])
    if listing.returncode != 0:
        raise CupsError(f"cannot ask CUPS for printer queue '{queue}' ({_first_line(listing)}); {where}")
    queues = sorted(listing.stdout.split())
    known = (suggest(queue, queues).lstrip("; ") + " " if suggest(queue, queues) else "") + (
        f"queues: {', '.join(queues)}" if queues else "CUPS has no printer queues (add one with lpadmin)"
    )
    raise CupsError(f"no printer queue '{queue}' in CUPS ({known}); {where}")


def submit(queue: str, plan: Plan, folder: Path, where: str) -> list[tuple[str, str]]:
    """Send each class PDF as one job of one copy; (class, job id) for each."""
    lp, _ = check_queue(queue, where)
    sides = "two-sided-long-edge" if plan.printset.duplex else "one-sided"
    media = PAPER[plan.printset.paper].media
    jobs: list[tuple[str, str]] = []
    for cls in plan.classes:
        path = (folder / cls.file).resolve()
        title = f"{plan.printset.name} {cls.run.name}"
        options = ["-n", "1", "-o", f"sides={sides}", "-o", f"media={media}", "-t", title]
        result = _cups([lp, "-d", queue, *options, str(path)])
        found = re.search(r"request id is (\S+)", result.stdout)
        if result.returncode != 0 or not found:
            sent = ", ".join(f"{name} ({job})" for name, job in jobs) or "none"
            raise CupsError(
                f"CUPS refused the job for class {cls.run.name} ({_first_line(result)}); already sent: {sent}; {where}"
            )
        jobs.append((cls.run.name, found.group(1)))
    return jobs
