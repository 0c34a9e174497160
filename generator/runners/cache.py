"""Incremental builds: a fingerprint of everything a pack's files depend on, kept beside the output."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .. import PACKAGE
from ..files import TEXT_LIMIT, read_bounded, write_atomic

FILE = ".lessonpack-cache.json"
FORMAT = 1


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    try:
        return _digest(read_bounded(path, TEXT_LIMIT))
    except OSError:  # missing, or not a regular file: the spec's own check says which
        return "missing"


def _folder_digest(folder: Path, pattern: str) -> str:
    """The files matching `pattern` below `folder`: re-read only when one is added, removed or touched."""
    files = sorted(p for p in folder.rglob(pattern) if p.is_file())
    stamp = tuple((str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _contents_digest(folder, stamp)


@cache
def _contents_digest(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> str:
    return _digest(*(name.encode() + b"\0" + (folder / name).read_bytes() for name, _, _ in stamp))


@cache
def generator_digest() -> str:
    """The generator's own code (its version included) and data: any change to lessonpack rebuilds all."""
    return _digest(_folder_digest(PACKAGE, "*.py").encode(), _folder_digest(PACKAGE / "data", "*").encode())


@cache
def fonts_digest() -> str:
    """The font files by name, size and modification time (hashing megabytes each run is too slow)."""
    from ..writers import fonts

    parts = []
    for font_set in (fonts.main_fonts(), fonts.fallback_fonts()):
        for path in (font_set.regular, font_set.bold, font_set.italic, font_set.bold_italic):
            st = path.stat()
            parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return _digest(*parts)


@dataclass(frozen=True)
class Inputs:
    """What every pack in one run shares: templates, policy, generator, fonts and options."""

    shared: str

    @staticmethod
    def of(templates: Path, policy: Path, options: dict[str, str]) -> Inputs:
        return Inputs(
            _digest(
                _folder_digest(templates, "*.j2").encode(),
                file_digest(policy).encode(),
                generator_digest().encode(),
                fonts_digest().encode(),
                json.dumps(options, sort_keys=True).encode(),
            )
        )

    def pack(self, spec: Path, seeds: dict[str, Path]) -> str:
        """The fingerprint of one pack: its spec, the seeds it quotes, and the shared inputs."""
        parts = [self.shared.encode(), file_digest(spec).encode()]
        parts += [f"{sid}:{file_digest(path)}".encode() for sid, path in sorted(seeds.items())]
        return _digest(*parts)


class Cache:
    """One JSON file in the output folder: for each spec, its pack id, fingerprint, seeds and files."""

    def __init__(self, out: Path) -> None:
        self.path = out / FILE
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("packs"), dict):
                self.entries = data["packs"]
        except (OSError, ValueError, AttributeError):
            self.entries = {}  # no cache, or a damaged one: build everything

    @staticmethod
    def key(spec: Path, variant: str) -> str:
        return f"{spec.resolve()}#{variant}"

    def seeds_of(self, key: str) -> list[str]:
        entry = self.entries.get(key, {})
        seeds = entry.get("seeds", [])
        return [s for s in seeds if isinstance(s, str)]

    def fresh(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """The entry when the pack's inputs and output files are as the last build left them."""
        entry = self.entries.get(key)
        if not entry or entry.get("fingerprint") != fingerprint:
            return None
        for name, size in entry.get("files", {}).items():
            try:
                if Path(name).stat().st_size != size:
                    return None
            except OSError:
                return None
        return entry if entry.get("files") else None

    def record(
        self,
        key: str,
        pack_id: str,
        fingerprint: str,
        seeds: list[str],
        files: list[Path],
        names: dict[str, str] | None = None,
    ) -> None:
        self.dirty = True
        self.entries[key] = {
            "id": pack_id,
            "fingerprint": fingerprint,
            "seeds": sorted(seeds),
            "files": {str(p): p.stat().st_size for p in files},
            "names": dict(sorted((names or {}).items())),
        }

    def files_of(self, key: str) -> set[Path]:
        """The files the last build of a spec wrote."""
        files = self.entries.get(key, {}).get("files", {})
        return {Path(name) for name in files} if isinstance(files, dict) else set()

    @staticmethod
    def names(entry: dict[str, Any]) -> dict[str, str]:
        """The edition names an entry's files were written under (e.g. student -> participant)."""
        names = entry.get("names", {})
        return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Written atomically, like every output file; only when something changed."""
        if not self.dirty:
            return
        data = {"format": FORMAT, "packs": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
