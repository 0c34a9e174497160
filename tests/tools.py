"""Helpers for tests that need a real external consumer (LibreOffice, qpdf, poppler, CUPS)."""

from __future__ import annotations

import os
import shutil

import pytest


def require(*tools: str) -> None:
    """Skip (on a laptop) or fail (when CI is set) unless every named program is on PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    reason = f"needs {', '.join(missing)} on PATH (.ci/run lists the Debian packages that provide them)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def soffice() -> str:
    """The LibreOffice binary, or a skip/fail as `require` does."""
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    require("soffice")
    raise AssertionError("unreachable")
