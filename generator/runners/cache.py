"""Incremental builds: a fingerprint of everything a pack's files depend on, kept beside the output."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import PACKAGE
from ..errors import Position, Problem
from ..files import TEXT_LIMIT, read_bounded, real_path, write_atomic

FILE = ".lessonpack-cache.json"
FORMAT: Literal[2] = 2


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

    def seeds(self, seed_folders: tuple[Path, ...]) -> str:
        """The fingerprint of every seed file (what the seeds' own problems depend on)."""
        return _digest(
            self.shared.encode(), *(_folder_digest(f, "*.txt").encode() if f.is_dir() else b"-" for f in seed_folders)
        )

    def failed(self, spec: Path, seed_folders: tuple[Path, ...]) -> str:
        """The fingerprint of a spec that failed: its own, with every seed in place of the ones it
        quotes (a failed spec may name a seed that is missing or broken)."""
        seeds = [_folder_digest(f, "*.txt").encode() if f.is_dir() else b"-" for f in seed_folders]
        return _digest(self.shared.encode(), file_digest(spec).encode(), *seeds)


class FileRecord(BaseModel):
    """One file a build wrote: its size and its content's hash, so that only that file is ever
    removed again (not one a user put at the same name)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class PackRecord(BaseModel):
    """A spec's last build: its pack id, fingerprint, the seeds it quoted and the files it wrote,
    each by its path inside the output folder."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    id: str
    fingerprint: str
    seeds: list[str]
    files: dict[str, FileRecord]
    names: dict[str, str]


class ProblemRecord(BaseModel):
    """A problem of a spec that failed, to report again while nothing it depends on changes."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    path: str
    line: int
    col: int
    message: str
    severity: Literal["error", "warning"]


class FailureRecord(BaseModel):
    """A spec that failed: its fingerprint then, where it was shown and its problems."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    fingerprint: str
    shown: str
    problems: list[ProblemRecord]


class Record(BaseModel):
    """The whole build record, validated as one (a record of another shape is not used)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    format: Literal[2]
    packs: dict[str, PackRecord]
    failed: dict[str, FailureRecord] = {}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def inside(out: Path, relative: str) -> Path | None:
    """`out`/`relative` when `relative` names a place inside `out` reached through real folders
    only (no '..', no absolute path, no symbolic link on the way); None otherwise."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or any(p in ("", ".", "..") for p in parts):
        return None
    path = out
    for n, part in enumerate(parts):
        path = path / part
        try:
            mode = path.lstat().st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode) or (n < len(parts) - 1 and not stat.S_ISDIR(mode)):
            return None
    return path


class Cache:
    """One JSON file in the output folder: for each spec, its pack id, fingerprint, seeds and the
    files it wrote (paths inside the output folder, with size and hash); for each spec that
    failed, its fingerprint and problems."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / FILE
        self.entries: dict[str, PackRecord] = {}
        self.failures: dict[str, FailureRecord] = {}
        self.dirty = False
        # Set when a record was there but could not be used: the build says so once, builds everything.
        self.damaged: str | None = None
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.damaged = exc.strerror or str(exc)
            return
        try:
            record = Record.model_validate_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            self.damaged = f"{where + ': ' if where else ''}{first['msg']}"
            return
        self.entries = dict(record.packs)
        self.failures = dict(record.failed)

    @staticmethod
    def key(spec: Path, variant: str) -> str:
        return f"{real_path(spec)}#{variant}"

    def seeds_of(self, key: str) -> list[str]:
        entry = self.entries.get(key)
        return list(entry.seeds) if entry else []

    def fresh(self, key: str, fingerprint: str) -> PackRecord | None:
        """The entry when the pack's inputs and output files are as the last build left them."""
        entry = self.entries.get(key)
        if not entry or entry.fingerprint != fingerprint or not entry.files:
            return None
        for name, file in entry.files.items():
            path = inside(self.out, name)
            try:
                if path is None or path.stat().st_size != file.size:
                    return None
            except OSError:
                return None
        return entry

    def failure(self, key: str, fingerprint: str, shown: str) -> list[Problem] | None:
        """The problems a spec failed with, when its inputs are as they were then (its path shown
        as now)."""
        found = self.failures.get(key)
        if found is None or found.fingerprint != fingerprint:
            return None
        return [
            Problem(Position(shown if p.path == found.shown else p.path, p.line, p.col), p.message, p.severity)
            for p in found.problems
        ]

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
        self.failures.pop(key, None)
        self.entries[key] = PackRecord(
            id=pack_id,
            fingerprint=fingerprint,
            seeds=sorted(seeds),
            files={
                p.relative_to(self.out).as_posix(): FileRecord(size=p.stat().st_size, sha256=sha256_of(p))
                for p in files
            },
            names=dict(sorted((names or {}).items())),
        )

    def record_failure(self, key: str, fingerprint: str, shown: str, problems: list[Problem]) -> None:
        found = FailureRecord(
            fingerprint=fingerprint,
            shown=shown,
            problems=[
                ProblemRecord(
                    path=p.position.path,
                    line=p.position.line,
                    col=p.position.col,
                    message=p.message,
                    severity=p.severity,
                )
                for p in problems
            ],
        )
        if self.failures.get(key) == found and key not in self.entries:
            return  # as recorded already: nothing to save
        self.forget(key)
        self.dirty = True
        self.failures[key] = found

    def remove_old(self, key: str, keep: list[Path]) -> None:
        """Remove the files the last build of a spec wrote that this build did not: only inside the
        output folder, never through a symbolic link, and only a file whose size and hash are still
        what that build wrote (a file a user put there since is theirs)."""
        entry = self.entries.get(key)
        if entry is None:
            return
        kept = {p.relative_to(self.out).as_posix() for p in keep if p.is_relative_to(self.out)}
        for name, file in entry.files.items():
            if name in kept:
                continue
            path = inside(self.out, name)
            if path is None:
                continue
            with contextlib.suppress(OSError):
                st = path.lstat()
                if stat.S_ISREG(st.st_mode) and st.st_size == file.size and sha256_of(path) == file.sha256:
                    path.unlink()

    @staticmethod
    def names(entry: PackRecord) -> dict[str, str]:
        """The edition names an entry's files were written under (e.g. student -> participant)."""
        return dict(entry.names)

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True
        if self.failures.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Written atomically, like every output file; only when something changed."""
        if not (self.dirty or self.damaged):
            return
        if not self.entries and not os.path.lexists(self.path):
            return  # nothing built here yet: no folder made only to remember failures
        record = Record(
            format=FORMAT, packs=dict(sorted(self.entries.items())), failed=dict(sorted(self.failures.items()))
        )
        # Serialised straight to JSON (no tree of Python objects on the way: for 1,000 packs that
        # tree was the build's peak memory, 8 MiB over the rest).
        write_atomic(self.path, record.model_dump_json(indent=1).encode("utf-8"))


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
