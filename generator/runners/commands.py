"""The authoring commands' bodies: `new`, `seeds`, `seeds add` and `excerpts`: what each prints
and its exit code."""

from __future__ import annotations

import argparse
import re
import sys

from ..errors import EXIT_OK, EXIT_PACK_ERROR, UsageError
from .authoring import accepted_by_check, excerpt_listing, seed_listing
from .build import Builder, display
from .importing import import_seed
from .scaffold import new_spec


def authoring(args: argparse.Namespace, builder: Builder) -> int:
    """new, seeds, seeds add and excerpts."""
    if args.command == "new":
        folder = args.folder or builder.project.packs
        target, problems = new_spec(builder, folder, args.id, args.ages, args.seed, args.suggestion, args.region)
        for problem in problems:
            print(problem, file=sys.stderr)
        if any(p.severity == "error" for p in problems):
            raise UsageError(f"lessonpack could not make a spec that builds for ages {args.ages}; nothing written")
        print(f"wrote {display(target)}; build it with: lessonpack build {display(target)}")
        return EXIT_OK
    if args.command == "seeds" and args.seeds_command == "add":
        return _seeds_add(args, builder)
    if builder.corpus_problems:
        for problem in builder.corpus_problems:
            print(problem, file=sys.stderr)
    seeds = builder.corpus.seeds
    if args.command == "seeds":
        print("\n".join(seed_listing(list(seeds.values()))))
        return EXIT_PACK_ERROR if any(p.severity == "error" for p in builder.corpus_problems) else EXIT_OK
    return _excerpts(args, builder)


def _excerpts(args: argparse.Namespace, builder: Builder) -> int:
    from ..readers.spec import parse_ages

    seeds = builder.corpus.seeds
    if args.seed not in seeds:
        raise UsageError(f"no seed '{args.seed}'{builder.corpus.hint(args.seed)}")
    ages = None
    if args.ages is not None:
        parsed = parse_ages(args.ages)
        if isinstance(parsed, str):
            raise UsageError(f"--ages {args.ages}: {parsed}")
        ages = parsed
    span = None
    if args.paragraph:
        found = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", args.paragraph)
        if not found:
            raise UsageError(f"--paragraph {args.paragraph}: expected a number or a range such as 17-19")
        span = (int(found[1]), int(found[2] or found[1]))
        if span[0] > span[1]:
            raise UsageError(f"--paragraph {args.paragraph}: the range is reversed; write {span[1]}-{span[0]}")
        last = len(seeds[args.seed].paragraphs)
        if span[0] < 1 or span[0] > last:
            raise UsageError(f"--paragraph {args.paragraph}: '{args.seed}' has paragraphs 1 to {last}")
    lines = excerpt_listing(
        seeds[args.seed],
        builder.policy,
        ages,
        whole=args.whole,
        grep=args.grep,
        paragraphs=span,
        allowed_only=args.allowed,
        accepts=accepted_by_check(builder, seeds[args.seed], ages) if args.allowed else None,
    )
    print("\n".join(lines))
    return EXIT_OK


def _seeds_add(args: argparse.Namespace, builder: Builder) -> int:
    imported, problems = import_seed(
        args.file,
        builder.project.root / "seeds",
        args.id,
        title=args.title,
        author=args.author,
        date=args.date,
        date_basis=args.date_basis,
        publisher=args.publisher,
        place=args.place,
        summary=args.summary,
        description=args.description,
        raw_display=display(args.file),
        write=not args.dry_run,
        existing={sid: seed.path for sid, seed in builder.corpus.seeds.items()},
        replace=args.replace,
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    if imported is None:
        raise UsageError(f"{display(args.file)}: not imported; nothing written")
    verb = "would write" if args.dry_run else "wrote"
    refs = f", references from ¶{imported.references_from}" if imported.references_from else ""
    print(f"{verb} {display(imported.path)}: {imported.paragraphs} paragraphs{refs}")
    for line in imported.removed:
        print(f"  removed: {line}")
    if not args.dry_run:
        print(f"see its passages with: lessonpack excerpts {imported.seed_id}")
    return EXIT_OK
