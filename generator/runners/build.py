"""Build packs: check each spec, render every edition in every chosen format, write a pack's files
all or none; a batch's specs one at a time or in worker processes (pool.py), each built again only
when its inputs change (cache.py)."""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from ..errors import CannotWrite, Position, Problem, UsageError
from ..files import NAME_MAX, ensure_folder, locked, remove_stale_temps, write_all
from ..model import Deck, Document, Edition, Paper, PrintEdition, Variant
from ..writers import FORMATS, Format
from . import pool
from .batch import (
    DEFAULT_POLICY,
    PRINT_SET_SUFFIXES,
    SEEDS_KEY,
    SPEC_SUFFIXES,
    Outcome,
    Progress,
    Project,
    Report,
    bundled,
    display,
    find_specs,
    output_paths,
    quick_id,
    skipped_specs,
)
from .cache import Cache, Inputs
from .pool import One, Todo, worker_count

if TYPE_CHECKING:  # imported when first needed: a build with nothing to do never loads them
    from ..lesson import guidance, wording
    from ..readers import policy as policy_mod
    from ..readers import resolved
    from ..readers.corpus import Corpus
    from ..writers.lms.pack import Pack

# Named here as before the batch and the pool had modules of their own.
__all__ = [
    "DEFAULT_POLICY",
    "PRINT_SET_SUFFIXES",
    "SEEDS_KEY",
    "SPEC_SUFFIXES",
    "Builder",
    "Outcome",
    "Progress",
    "Project",
    "Report",
    "display",
    "find_specs",
    "output_paths",
    "skipped_specs",
    "worker",
    "worker_count",
]


class Builder:
    """Builds packs for one project with one set of options."""

    def __init__(
        self,
        project: Project,
        paper: Paper = "a4",
        policy: Path | None = None,
        variant: Variant = "standard",
        formats: tuple[Format, ...] = FORMATS,
    ) -> None:
        self.project = project
        self.paper = paper
        self.variant = variant
        self.formats = formats
        self.policy_path = policy
        if not any(folder.is_dir() for folder in project.seed_folders):
            raise UsageError(f"{project.seeds}: no seeds folder")
        if policy is not None and not (policy.exists() or policy.is_symlink()):
            raise UsageError(f"{policy}: no such policy file")

    # The corpus, wording and policy are loaded on first use (UsageError if they cannot be).
    @cached_property
    def _corpus(self) -> tuple[Corpus, list[Problem]]:
        from ..readers.corpus import load_corpus

        return load_corpus(self.project.seed_folders, Path.cwd())

    @property
    def corpus(self) -> Corpus:
        return self._corpus[0]

    @property
    def corpus_problems(self) -> list[Problem]:
        return self._corpus[1]

    @cached_property
    def wording(self) -> wording.Wording:
        from ..lesson import wording

        found = wording.load(self.project.templates, bundled("templates"))
        problems = found.problems(display(self.project.templates))
        if problems:
            raise UsageError("the templates cannot be used", problems)
        return found

    @cached_property
    def template_warnings(self) -> list[Problem]:
        """One warning for each template, label or macro a project's own templates lack."""
        return self.wording.missing(display(self.project.templates))

    @cached_property
    def policy(self) -> policy_mod.Policy:
        return self._load_policy(self.policy_path)

    def _load_policy(self, path: Path | None) -> policy_mod.Policy:
        """The default policy, or a school's own (every problem in it reported at its place)."""
        from ..readers import policy as policy_mod

        found, problems = policy_mod.load(path or policy_mod.DEFAULT, display(path) if path else None)
        if found is None:
            raise UsageError(f"{display(path) if path else 'default policy'}: the policy cannot be used", problems)
        module = self.wording.env.get_template("guidance.j2").module
        tables = [module.topics, module.short]  # type: ignore[attr-defined]
        missing = [
            Problem(
                found.wording_at[c.id],
                f"no wording '{c.wording}' for every band in templates/guidance.j2 "
                f"(known: {', '.join(sorted(tables[0]))})",
            )
            for c in found.categories.values()
            if any(c.wording not in t or any(band.id not in t[c.wording] for band in found.bands) for t in tables)
        ]
        labels = self.wording.env.get_template("labels.j2").module.edition_labels  # type: ignore[attr-defined]
        missing += [
            Problem(
                found.edition_at.get(band.id, Position(found.path)),
                f"no label for the edition '{band.edition}' in templates/labels.j2 edition_labels "
                f"(known: {', '.join(sorted(labels))})",
            )
            for band in found.bands
            if band.edition not in labels or band.edition == "teacher"
        ]
        if missing:
            raise UsageError("the policy names wording the templates do not have", missing)
        return found

    def check(
        self, path: Path, shown: str | None = None
    ) -> tuple[resolved.Lesson | None, guidance.Guidance | None, list[Problem]]:
        """A spec validated, its quotes found, its text printable and its content judged for its
        audience (problems name the file as `shown`, by default as the user would type it).

        The lesson may be refused for its audience: any error among the problems means no output."""
        return self._judge(path, shown or display(path), path.stem)

    def check_text(self, text: str, shown: str, stem: str) -> list[Problem]:
        """Every problem a spec given as text would have (used before writing a new one)."""
        return self._judge(None, shown, stem, text)[2]

    def _judge(
        self, path: Path | None, shown: str, stem: str, text: str | None = None
    ) -> tuple[resolved.Lesson | None, guidance.Guidance | None, list[Problem]]:
        from ..lesson import guidance
        from ..readers import spec
        from ..writers import printable

        lesson, problems = spec.check(path, shown, self.corpus, stem, printable, text)
        if lesson is None:
            return None, None, problems
        found, judged = guidance.assess(lesson, self.policy)
        return lesson, found, problems + judged + self._name_fits(lesson)

    def _name_fits(self, lesson: resolved.Lesson) -> list[Problem]:
        """A positioned error when the pack's longest file name (its id, the longest edition name
        the policy gives, '-large-print' and the longest extension) would not fit the file system."""
        from ..writers import ALL

        # The very names the build gives its files (output_paths), for every format, every edition
        # name the policy gives the pupils' edition, and large print.
        pupils = {"student", *(band.edition for band in self.policy.bands)}
        tails = {
            path.name[len("ID") :]
            for name in pupils
            for path in output_paths(Path(), "ID", "large-print", ALL, {"student": name}).values()
        }
        longest = max(tails, key=lambda t: len(t.encode("utf-8")))
        pack_id = lesson.id
        size = len(pack_id.encode("utf-8")) + len(longest.encode("utf-8"))
        if size <= NAME_MAX:
            return []
        most = NAME_MAX - len(longest.encode("utf-8"))
        given = lesson.spec.id is not None
        what = "the pack id" if given else f"the file name '{pack_id[:30]}…', the pack id,"
        fix = "shorten 'id:'" if given else "rename the file or set a shorter 'id:'"
        return [Problem(
            lesson.at(("id",)) if given else lesson.at(()),
            f"{what} is {len(pack_id.encode('utf-8'))} bytes long; with '{longest}' its files' names would "
            f"be {size} bytes, more than the {NAME_MAX} a file name may have; {fix} (at most {most} characters)",
        )]  # fmt: skip

    @overload
    def compose(self, lesson: resolved.Lesson, found: guidance.Guidance, edition: PrintEdition) -> Document: ...
    @overload
    def compose(self, lesson: resolved.Lesson, found: guidance.Guidance, edition: Literal["slides"]) -> Deck: ...
    @overload
    def compose(self, lesson: resolved.Lesson, found: guidance.Guidance, edition: Edition) -> Document | Deck: ...
    def compose(self, lesson: resolved.Lesson, found: guidance.Guidance, edition: Edition) -> Document | Deck:
        """One edition of a pack as this build composes it: its paper, variant, wording and the
        services for its region, ages and topics (tests and tools use it to see what is printed)."""
        from ..lesson import compose as compose_mod
        from ..lesson import support

        ages = lesson.ages
        services = support.for_audience(lesson.region, ages.youngest, ages.oldest, found.audience, found.raised())
        options = compose_mod.Options(paper=self.paper, variant=self.variant)
        return compose_mod.compose(lesson, edition, self.wording, found, services, options)

    def render(self, lesson: resolved.Lesson, found: guidance.Guidance) -> dict[tuple[Edition, str], bytes]:
        """Every file of a pack, in memory: each chosen format's editions (each edition composed once)."""
        documents: dict[Edition, Document | Deck] = {}

        def document(edition: Edition) -> Document | Deck:
            if edition not in documents:
                documents[edition] = self.compose(lesson, found, edition)
            return documents[edition]

        files: dict[tuple[Edition, str], bytes] = {}
        for fmt in self.formats:
            if not fmt.per_pack:
                for edition in fmt.editions:
                    files[(edition, fmt.name)] = fmt.render(document(edition))
        whole = [f for f in self.formats if f.per_pack]
        if whole:
            pack = self._pack(lesson, found, document, documents, files)
            for fmt in whole:
                files[(fmt.editions[0], fmt.name)] = fmt.render_pack(pack)
        return files

    def _pack(
        self,
        lesson: resolved.Lesson,
        found: guidance.Guidance,
        document: Callable[[Edition], Document | Deck],
        documents: Mapping[Edition, Document | Deck],
        built: Mapping[tuple[Edition, str], bytes],
    ) -> Pack:
        """The pack as the formats written once per pack read it (learning-platform exports): its
        pupils' documents and quizzes, and a way to render a document in another format (reusing a
        file this build already rendered)."""
        from ..lesson import platform
        from ..writers import BY_NAME
        from ..writers.lms.pack import Pack

        pupils = found.audience.edition
        student, slides = document("student"), document("slides")
        assert isinstance(student, Document) and isinstance(slides, Deck)  # as compose() makes them
        mine: dict[tuple[str, int], bytes] = {}

        def render(name: str, doc: Document | Deck) -> bytes | None:
            fmt = BY_NAME.get(name)
            if fmt is None or fmt.per_pack:
                return None
            edition = next((e for e, d in documents.items() if d is doc), None)
            if edition is not None and (edition, name) in built:
                return built[(edition, name)]
            if (name, id(doc)) not in mine:
                mine[(name, id(doc))] = fmt.render(doc)
            return mine[(name, id(doc))]

        stem = output_paths(Path(), lesson.id, self.variant, (BY_NAME["pdf"],), {"student": pupils})
        return Pack(
            id=lesson.id,
            title=lesson.spec.title,
            lang=student.lang,
            stem=stem[("student", "pdf")].stem,
            category=lesson.spec.title,
            quizzes=platform.quizzes(lesson, self.wording),
            titles=platform.titles(self.wording, pupils),
            student=student,
            slides=slides,
            render=render,
        )

    def one(self, path: Path, out: Path, write: bool) -> Outcome:
        """Check one spec and, when `write`, build its files (each edition in each chosen format). Never raises
        for a content mistake."""
        from ..lesson import guidance

        shown = display(path)
        try:
            lesson, found, problems = self.check(path)
            # Explanations are for `check --explain`; a build does not spend time on them.
            explained = guidance.explain(lesson, found) if not write and lesson and found else []
            if lesson is None or found is None or any(p.severity == "error" for p in problems):
                return Outcome(shown, None, "failed", problems, [], [], explained, remember=True)
            seeds = sorted({e.essay.id for e in lesson.excerpts})
            names = {"student": found.audience.edition} if found.audience.edition != "student" else {}
            written: list[Path] = []
            if write:
                files = self.render(lesson, found)
                targets = output_paths(out, lesson.id, self.variant, self.formats, names)
                made = not (out / lesson.id).exists()
                ensure_folder(out / lesson.id)
                remove_stale_temps(out / lesson.id)
                # All of the pack's files, or (on a full disk, say) none: the old ones stay.
                try:
                    write_all({targets[key]: data for key, data in files.items()})
                except CannotWrite:
                    if made:  # no empty folder left behind
                        with contextlib.suppress(OSError):
                            (out / lesson.id).rmdir()
                    raise
                written = [targets[key] for key in files]
            return Outcome(shown, lesson.id, "built", problems, written, seeds, explained, names)
        except CannotWrite:  # the machine's refusal: the whole command stops and says so
            raise
        except Exception as exc:  # a bug in lessonpack, not the author's mistake
            if os.environ.get("LESSONPACK_DEBUG"):
                traceback.print_exc()
            bug = Problem(
                Position(shown),
                "internal error (a bug in lessonpack, not in your spec; please report it): "
                f"{type(exc).__name__}: {exc}",
            )
            return Outcome(shown, None, "failed", [bug], [], [], [])

    def build(
        self,
        paths: list[Path],
        out: Path,
        write: bool = True,
        jobs: int = 1,
        force: bool = False,
        progress: Progress | None = None,
        waiting: Callable[[], None] | None = None,
    ) -> Report:
        """Check (and unless `write` is false, build) every spec; one bad spec never stops others.

        Packs whose inputs are unchanged since the last build into `out` are skipped (unless
        `force`); the rest are built by `jobs` processes. A build holds `out`'s lock: another
        build into the same folder waits for it (`waiting` is called once if so). A file that
        cannot be written stops the build with CannotWrite (each pack is whole or as it was)."""
        if not write:
            return self._build(paths, out, False, jobs, force, progress)
        with locked(out, waiting):
            return self._build(paths, out, True, jobs, force, progress)

    def _build(
        self, paths: list[Path], out: Path, write: bool, jobs: int, force: bool, progress: Progress | None
    ) -> Report:
        started = time.perf_counter()
        report = Report()
        specs = find_specs(paths)
        skipped = skipped_specs(paths)
        report.problems += skipped
        report.skipped = len(skipped)
        store = Cache(out) if write else None
        if store and store.damaged:
            report.problems.append(Problem(
                Position(display(store.path)),
                f"the build record cannot be used ({store.damaged}); building every pack again",
                "warning",
            ))  # fmt: skip
        inputs = Inputs.of(
            self.project.templates,
            self.policy_path or DEFAULT_POLICY,
            {"paper": self.paper, "variant": self.variant, "formats": ",".join(f.name for f in self.formats)},
        )
        owners: dict[str, str] = {}
        todo: list[Todo] = []
        for path in specs:
            shown = display(path)
            key = Cache.key(path, self.variant)
            fingerprint = inputs.pack(path, self._seed_files(store.seeds_of(key) if store else []))
            entry = store.fresh(key, fingerprint) if store and not force else None
            if entry is not None:
                known = entry.id
                owners[known] = shown
                report.unchanged.append(known)
                report.paths[known] = output_paths(out, known, self.variant, self.formats, Cache.names(entry))
                continue
            pack_id = quick_id(path)
            if pack_id is not None and pack_id in owners:
                report.problems.append(
                    Problem(
                        Position(shown), f"pack id '{pack_id}' is also used by {owners[pack_id]}; set a different 'id:'"
                    )
                )
                report.failed.append(shown)
                continue
            if pack_id is not None:
                owners[pack_id] = shown
            remembered = store.failure(key, self._failed_print(inputs, path), shown) if store and not force else None
            if remembered is not None:  # failed before, and nothing it depends on has changed since
                report.problems += remembered
                report.failed.append(shown)
                continue
            todo.append((path, key, fingerprint))
        total = len(todo)
        seeds_print = inputs.seeds(self.project.seed_folders)
        remembered_seeds = store.failure(SEEDS_KEY, seeds_print, "") if store and not todo else None
        if remembered_seeds is not None:  # nothing to build: the seeds' problems as the last run found them
            seed_problems = remembered_seeds
        else:
            # Load (and report problems in) the seeds, templates and policy before any pack.
            seed_problems = self.corpus_problems
            _ = self.policy
            seed_problems = [*seed_problems, *self.template_warnings]
            if store:
                store.record_failure(SEEDS_KEY, seeds_print, "", seed_problems)
        report.problems += seed_problems
        report.seed_errors = len({p.position.path for p in seed_problems if p.severity == "error"})
        if progress:
            progress(0, total, None)
        try:
            for done, (outcome, (path, key, fingerprint)) in enumerate(self._run(todo, out, write, jobs), 1):
                report.problems += outcome.problems
                if outcome.explained:
                    report.explained.append(outcome.explained)
                if outcome.status == "failed" or outcome.pack_id is None:
                    report.failed.append(outcome.path)
                    if store and outcome.remember:
                        store.record_failure(key, self._failed_print(inputs, path), outcome.path, outcome.problems)
                    elif store:
                        store.forget(key)
                else:
                    report.built.append(outcome.pack_id)
                    report.written += outcome.written
                    if write:
                        files = output_paths(out, outcome.pack_id, self.variant, self.formats, outcome.names)
                        report.paths[outcome.pack_id] = files
                    if store:
                        if outcome.seeds != store.seeds_of(key):
                            fingerprint = inputs.pack(path, self._seed_files(outcome.seeds))
                        # Files of this spec's last build that this build did not write (another
                        # edition name, a format no longer chosen) are not left behind.
                        store.remove_old(key, outcome.written)
                        store.record(key, outcome.pack_id, fingerprint, outcome.seeds, outcome.written, outcome.names)
                if progress:
                    progress(done, total, outcome)
        except BaseException:
            # What was built so far is recorded; a record that cannot be saved then does not hide
            # why the build stopped.
            if store:
                with contextlib.suppress(CannotWrite):
                    store.save()
            raise
        if store:
            store.save()
        report.seconds = time.perf_counter() - started
        return report

    def _failed_print(self, inputs: Inputs, path: Path) -> str:
        """The fingerprint of a spec that failed: the spec, the shared inputs and every seed (a
        spec that failed may have failed for a seed it named)."""
        return inputs.failed(path, self.project.seed_folders)

    def _seed_files(self, seed_ids: list[str]) -> dict[str, Path]:
        files = self.corpus.files if "_corpus" in self.__dict__ else {}
        return {sid: files.get(sid) or self._seed_file(sid) for sid in seed_ids}

    def _seed_file(self, seed_id: str) -> Path:
        """Where a seed's file is, without loading the corpus (the project's own wins)."""
        for folder in reversed(self.project.seed_folders):
            if (folder / f"{seed_id}.txt").exists():
                return folder / f"{seed_id}.txt"
        return self.project.seeds / f"{seed_id}.txt"

    def _run(self, todo: list[Todo], out: Path, write: bool, jobs: int) -> Iterator[tuple[Outcome, Todo]]:
        """Outcomes in the order packs finish: in this process, or in `jobs` worker processes."""
        if worker_count(jobs, len(todo)) <= 1:
            yield from pool.in_turn(todo, out, write, self.one)
            return
        settings = (
            str(self.project.root),
            self.paper,
            str(self.policy_path) if self.policy_path else None,
            self.variant,
            tuple(f.name for f in self.formats),
        )
        yield from pool.outcomes(todo, out, write, jobs, worker, settings)


def worker(root: str, paper: Paper, policy: str | None, variant: Variant, formats: tuple[str, ...]) -> One:
    """What a worker process builds its packs with: a Builder of its own, made once per process."""
    from ..writers import BY_NAME, HANDOUT

    known = {**BY_NAME, HANDOUT.name: HANDOUT}
    chosen = tuple(known[name] for name in formats)
    return Builder(Project(Path(root)), paper, Path(policy) if policy else None, variant, chosen).one
