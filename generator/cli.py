"""The command line: arguments in, problems printed, exit code out."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import EXIT_OK, EXIT_PACK_ERROR, EXIT_USAGE, Problem, UsageError
from .model import PAPER
from .writers import ALL, FORMATS, ON_REQUEST, Format, choose

if TYPE_CHECKING:  # the command's machinery is imported when it runs, so that --help stays fast
    from .runners.build import Builder, Outcome, Report

    Subcommands = argparse._SubParsersAction["_Parser"]  # argparse's own type for add_subparsers()

# generator.authoring.SUGGESTIONS, named here so that --help need not import the content machinery.
SUGGESTIONS = ("create-a-respectful-environment", "start-a-conversation", "stop-it-before-it-starts")

EPILOG = """\
examples:
  lessonpack build                      build every spec in packs/ into dist/ (unchanged packs are skipped)
  lessonpack build --jobs 2 --force     rebuild everything, two packs at a time
  lessonpack build packs/start-a-conversation.yaml --out handouts
  lessonpack check packs/               validate without writing anything
  lessonpack build --root ../my-school  use another project's packs, seeds and templates
  lessonpack check --explain packs/     show every content-guidance flag and why
  lessonpack policy > ours.yaml         start a school's own content policy (--policy ours.yaml)
  lessonpack print packs/year-9.printset.yaml   one PDF per class, ready to print
  lessonpack new consent-talk --ages 14-16 --suggestion start-a-conversation
  lessonpack excerpts no-going-back --grep "safe spaces" --ages 11-14
  lessonpack build --watch              rebuild a pack each time its spec, a seed or a template is saved

exit codes: 0 all good; 1 some pack has an error (the others are still built);
            2 the command line is wrong or nothing could be read
"""

PRINT_DESCRIPTION = """\
Write one print-ready PDF per class of a print set (*.printset.yaml). For each pack the
class has: a separator sheet (class, pack, copies), the student copies collated, the
large-print copies, one teacher edition and, for a class with 'slides: true', the pack's
slides for the teacher (two a page). With 'duplex: true' every copy starts on a fresh
sheet (a blank back page is added after a copy with an odd number of pages).
Beside the PDFs: manifest.csv and manifest.json, with pages and sheets of paper per class
and in total. The packs themselves are built into DIR/SET/packs/."""

PRINT_EPILOG = """\
examples:
  lessonpack print packs/year-9.printset.yaml            write dist/print/year-9/9A.pdf, ...
  lessonpack print packs/year-9.printset.yaml --dry-run  only show pages and sheets
  lessonpack print packs/year-9.printset.yaml --printer Staffroom

With --printer, each class PDF is one CUPS job (lp -d QUEUE -n 1 -o sides=... -o media=...):
the copies are already collated inside the PDF, so the job asks for one copy (printing
the PDF N times would repeat the separator sheets and the teacher editions).

exit codes: 0 all written (and sent); 1 the print set or a pack it names has an error
            (the other classes are still written); 2 the command line is wrong, the print
            set cannot be read, or CUPS or the printer queue is missing or refused a job
            (the PDFs are still written)
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"lessonpack: error: {_with_hint(self, message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _with_hint(parser: argparse.ArgumentParser, message: str) -> str:
    """argparse's message with a did-you-mean for a mistyped command, choice or option."""
    import difflib

    choice = re.search(r"(argument [^:]*): invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        where, word, options = choice[1], choice[2], re.findall(r"'([^']*)'", choice[3])
        close = difflib.get_close_matches(word, options, 1, 0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"choose from {', '.join(options)}"
        if where == "argument COMMAND":
            return f"unknown command '{word}'; {hint}"
        return f"{where}: unknown choice '{word}'; {hint}"
    unknown = re.match(r"unrecognized arguments: (.*)", message)
    if unknown:
        options = sorted(_option_strings(parser))
        hints = []
        for flag in unknown[1].split():
            close = difflib.get_close_matches(flag.split("=")[0], options, 1, 0.6) if flag.startswith("-") else []
            hints.append(f"unknown option '{flag}'; did you mean '{close[0]}'?" if close else f"unexpected '{flag}'")
        return "; ".join(hints)
    return message


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every --option of a parser and of its subcommands."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(s for s in action.option_strings if s.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _option_strings(sub)
    return found


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lessonpack",
        description="Turn YAML lesson specs into whole lessons: student handouts and teacher editions\n"
        "(PDF and DOCX) and a slide deck (PPTX).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    formats = "; ".join(f"{f.name}: {f.summary}" for f in ALL)
    build = _command(
        sub,
        "build",
        "build packs (" + ", ".join(f"{f.name.upper()}: {' and '.join(f.editions)}" for f in FORMATS) + ")",
        f"Build each spec's files in every format ({formats}).",
        "lessonpack build packs/ --out dist --paper letter --formats pdf",
    )
    build.add_argument("--out", type=Path, default=None, help="output folder (default: dist/ in the project)")
    build.add_argument("--paper", choices=list(PAPER), default="a4", help="paper size (default: a4)")
    build.add_argument(
        "--formats",
        type=_formats,
        default=FORMATS,
        metavar="LIST",
        help=f"the formats to write, separated by commas, or all (default: {','.join(f.name for f in FORMATS)}; "
        f"only when named: {','.join(f.name for f in ON_REQUEST)})",
    )
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="N",
        help="build N packs at a time (default: the number of cores)",
    )
    build.add_argument("--force", action="store_true", help="rebuild every pack, even those whose inputs are unchanged")
    build.add_argument(
        "--watch",
        action="store_true",
        help="keep running: build again within a second of a spec, seed, template or the policy being saved",
    )
    build.add_argument(
        "--variant",
        choices=["standard", "large-print"],
        default="standard",
        help="large-print: 16 pt text, 1.5 line spacing, no italics; files end in -large-print (default: standard)",
    )

    check = _command(
        sub,
        "check",
        "validate specs without writing anything",
        "Validate specs: every problem at once, one line each, PATH:LINE:COL: error: MESSAGE.\n"
        "With --explain, also list every content-guidance flag with its evidence and decision.",
        "lessonpack check --explain packs/start-a-conversation.yaml",
    )
    check.add_argument(
        "--explain", action="store_true", help="list each excerpt's content-guidance flags, words and decisions"
    )
    check.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json: one JSON object on stdout with every problem (path, line, column, severity, message), "
        "for editors and CI (default: text)",
    )
    _simple(
        sub,
        "policy",
        "print the default content policy (copy it to make your school's own)",
        "Print lessonpack's default content policy as YAML. Save it, edit it, and pass it with "
        "--policy FILE to build or check.",
        "lessonpack policy > our-policy.yaml\n  lessonpack build --policy our-policy.yaml",
    )
    _simple(
        sub,
        "schema",
        "print the JSON Schema of a lesson spec (for editor completion)",
        "Print the JSON Schema of a lesson spec, generated from the models that validate specs. Editors "
        "use it to complete keys and flag mistakes as you type (see the README for VS Code).",
        "lessonpack schema > schema/lesson-spec.schema.json",
    )
    new = _simple(
        sub,
        "new",
        "start a new spec that builds at once, with comments that teach the format",
        "Write packs/ID.yaml: a short lesson with two excerpts allowed for the audience's ages, two "
        "questions and three activities, each part commented. It never overwrites a file.",
        "lessonpack new consent-talk --ages 14-16 --suggestion start-a-conversation",
    )
    new.add_argument("id", metavar="ID", help="pack id and file name: lowercase words joined by '-'")
    new.add_argument("--ages", required=True, metavar="A-B", help="the audience's ages, e.g. 14-16, 11 or 18+")
    new.add_argument("--seed", default=None, metavar="SEED", help="the essay to quote (default: no-going-back)")
    new.add_argument(
        "--suggestion",
        choices=SUGGESTIONS,
        default=None,
        help="start from one of the three allyship suggestions for schools in no-going-back",
    )
    new.add_argument(
        "--region", choices=("uk", "us"), default="uk", help="whose support services and school words (default: uk)"
    )
    new.add_argument("--folder", type=Path, default=None, metavar="DIR", help="where to write (default: packs/)")
    seeds = _simple(
        sub,
        "seeds",
        "list the essays that specs can quote (and add one)",
        "List the seed essays with their metadata. 'lessonpack seeds add FILE --id ID' imports a new one.",
        'lessonpack seeds\n  lessonpack seeds add article.txt --id school-report --title "…" --date 2024-05',
    )
    seeds_sub = seeds.add_subparsers(dest="seeds_command", metavar="add", parser_class=_Parser)
    add = _simple(
        seeds_sub,
        "add",
        "import a plain-text essay into seeds/",
        "Import a plain-text essay: page debris (share buttons, 'Leave a Reply', photo credits, date "
        "banners, and the title and byline lines you give) is removed and listed under 'removed'; "
        "paragraphs are numbered; the essay's own words are kept exactly. Metadata you do not give is "
        "recorded as unknown, never guessed.",
        'lessonpack seeds add raw/article.txt --id school-report --title "Safe at School" '
        '--author "A. Writer" --date 2024-05',
    )
    add.add_argument("file", type=Path, metavar="FILE", help="the essay as plain text (UTF-8)")
    add.add_argument("--id", required=True, help="seed id: lowercase words joined by '-'")
    for key, what in (
        ("title", "the essay's title as printed"),
        ("author", "the author's name as printed"),
        ("date", "YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the text allows"),
        ("date-basis", "where the date comes from"),
        ("publisher", "the organisation the text names"),
        ("place", "where it was written (a dateline)"),
        ("summary", "one or two neutral sentences on what the essay argues"),
        ("description", "for an untitled essay, what kind of text it is, cited in brackets: 'opinion piece, May 2024'"),
    ):
        add.add_argument(f"--{key}", default=None, help=f"{what} (default: unknown)")
    add.add_argument(
        "--replace",
        action="store_true",
        help="use this essay under an id that is taken (a shipped essay's, or one added before) in this project",
    )
    add.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    excerpts = _simple(
        sub,
        "excerpts",
        "show an essay's sentences as ready-to-paste excerpts, marked for an audience",
        "Print an essay's paragraphs, sentence by sentence, as excerpt entries to paste into a spec. "
        "Each carries a comment: nothing flagged, the content note it would get, or REFUSED for --ages.",
        'lessonpack excerpts no-going-back --grep "safe spaces" --ages 11-14',
    )
    excerpts.add_argument("seed", metavar="SEED", help="a seed id (see 'lessonpack seeds')")
    excerpts.add_argument("--grep", default="", metavar="WORDS", help="only passages containing all these words")
    excerpts.add_argument("--ages", default=None, metavar="A-B", help="mark what is refused for these ages")
    excerpts.add_argument("--paragraph", default=None, metavar="N[-M]", help="only these paragraphs")
    excerpts.add_argument("--whole", action="store_true", help="one entry per paragraph instead of per sentence")
    excerpts.add_argument(
        "--allowed", action="store_true", help="leave out what --ages refuses (and what is never allowed)"
    )
    _policy_option(excerpts)
    printing = sub.add_parser(
        "print",
        help="write one print-ready PDF per class of a print set (and send them to a printer)",
        description=PRINT_DESCRIPTION,
        epilog=PRINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    printing.add_argument("printset", type=Path, metavar="SET", help="print-set file (NAME.printset.yaml)")
    printing.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output folder (default: dist/print in the project)"
    )
    printing.add_argument(
        "--dry-run", action="store_true", help="build and count pages and sheets, write nothing, send nothing"
    )
    printing.add_argument(
        "--printer",
        metavar="QUEUE",
        default=None,
        help="also send each class PDF to this CUPS queue as one job of one copy (the copies are "
        "collated inside the PDF); sides and media follow the print set",
    )
    _root_option(_policy_option(printing))
    return p


def _formats(text: str) -> tuple[Format, ...]:
    try:
        return choose(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not '{text}'")
    return value


def _progress(stream: TextIO) -> Callable[[int, int, Outcome | None], None]:
    """A progress bar on a terminal; one plain line per pack otherwise (logs, CI)."""
    tty = stream.isatty()

    def show(done: int, total: int, outcome: Outcome | None) -> None:
        if total == 0:
            return
        name = "" if outcome is None else (outcome.pack_id or outcome.path)
        if tty:
            width = 30
            filled = width * done // total
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
            if done == total:
                stream.write("\r" + " " * (width + 52) + "\r")
        elif outcome is not None:
            status = "built" if outcome.status == "built" else "FAILED"
            stream.write(f"[{done}/{total}] {status} {name}\n")
        stream.flush()

    return show


def _command(sub: Subcommands, name: str, summary: str, description: str, example: str) -> argparse.ArgumentParser:
    """A subcommand that takes spec files or folders, with an example in its --help."""
    command = _simple(sub, name, summary, description, example)
    command.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="spec files or folders (default: packs/)")
    return _policy_option(command)


def _simple(sub: Subcommands, name: str, summary: str, description: str, example: str) -> argparse.ArgumentParser:
    """A subcommand with a description and an example in its --help."""
    command: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return _root_option(command)


def _root_option(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--root is accepted after the command too ('lessonpack build --root ../school')."""
    command.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return command


def _policy_option(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
    command.add_argument(
        "--policy",
        type=Path,
        default=None,
        metavar="FILE",
        help="content policy YAML (default: lessonpack's own, printed by 'lessonpack policy')",
    )
    return command


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return EXIT_USAGE
    if args.command == "print":
        from .runners.printing.command import print_run

        try:
            return print_run(args, _waiting)
        except UsageError as exc:
            return _usage_error(exc, args)
    if args.command == "policy":
        from .readers.policy import DEFAULT

        sys.stdout.write(DEFAULT.read_text(encoding="utf-8"))
        return EXIT_OK
    if args.command == "schema":
        import json

        from .readers.spec import json_schema

        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        return EXIT_OK
    from .runners.build import Builder, Project

    project = Project(args.root)
    try:
        builder = Builder(
            project,
            getattr(args, "paper", "a4"),
            args.policy if "policy" in args else None,
            getattr(args, "variant", "standard"),
            getattr(args, "formats", FORMATS),
        )
        if args.command in ("new", "seeds", "excerpts"):
            from .runners.commands import authoring

            return authoring(args, builder)
        if args.command == "build" and args.watch:
            return _watch(args, builder)
        return _build(args, builder)
    except UsageError as exc:
        return _usage_error(exc, args)


def _usage_error(exc: UsageError, args: argparse.Namespace) -> int:
    """Nothing could be done: the problems found on the way, then what went wrong (exit 2)."""
    if getattr(args, "format", "text") == "json":
        return _json_report(exc.problems, [], [], str(exc), EXIT_USAGE)
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(f"lessonpack: error: {exc}", file=sys.stderr)
    return EXIT_USAGE


def _build(args: argparse.Namespace, builder: Builder) -> int:
    """build or check: every spec named (default packs/), problems and a summary printed."""

    paths, out = _where(args, builder)
    if args.command == "build":
        from .runners.cache import cpu_count

        report = builder.build(
            paths, out, True, args.jobs or cpu_count(), args.force, _progress(sys.stdout), _waiting(out)
        )
    else:
        report = builder.build(paths, out, write=False)
    problems = sorted(report.problems, key=lambda p: (p.position, p.message))
    if not (report.built or report.failed or report.unchanged):
        raise UsageError("no specs found", problems)
    code = EXIT_PACK_ERROR if report.failed or report.seed_errors else EXIT_OK
    if args.command == "check" and args.format == "json":
        return _json_report(problems, report.built, report.failed, "", code)
    if getattr(args, "explain", False):
        for lines in report.explained:
            print("\n".join(lines))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(_summary(args.command, report, out), file=sys.stderr if code else sys.stdout)
    return code


def _waiting(folder: Path) -> Callable[[], None]:
    """What a build says when another one is writing into its folder (it then waits its turn)."""
    from .files import shown

    def say() -> None:
        print(f"waiting for another lessonpack run writing into {shown(folder)} to finish...", file=sys.stderr)
        sys.stderr.flush()

    return say


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _summary(command: str, report: Report, out: Path) -> str:
    """The run's last line: 'built 3 packs into dist, 2 unchanged, 1 with errors in 1.6 s', or
    '1 spec checked: 1 with errors in 0.1 s'."""
    errors = f"{len(report.failed)} with errors" if report.failed else "no errors"
    seconds = f"in {report.seconds:.1f} s"
    seeds = f", {_count(report.seed_errors, 'seed file')} with errors" if report.seed_errors else ""
    if command == "check":
        skipped = f"; {_count(report.skipped, 'file')} not read (see the warnings)" if report.skipped else ""
        return f"{_count(len(report.built) + len(report.failed), 'spec')} checked: {errors}{seeds}{skipped} {seconds}"
    where = f" into {out}" if report.built or report.unchanged else ""
    failed = f", {len(report.failed)} with errors" if report.failed else ""
    skipped = f", {_count(report.skipped, 'file')} not read (see the warnings)" if report.skipped else ""
    return (
        f"built {_count(len(report.built), 'pack')}{where}, {len(report.unchanged)} unchanged{failed}{seeds}"
        f"{skipped} {seconds}"
    )


def _where(args: argparse.Namespace, builder: Builder) -> tuple[list[Path], Path]:
    """The specs to build or check (default packs/) and the output folder (default dist/)."""
    out = args.out if getattr(args, "out", None) else builder.project.root / "dist"
    return args.paths or [builder.project.packs], out


def _json_report(problems: list[Problem], ok: list[str], failed: list[str], error: str, code: int) -> int:
    """`check --format json`: one object on stdout, whatever the outcome (exit codes as usual)."""
    import json

    result = {
        "format": "lessonpack-check/1",
        "ok": code == EXIT_OK,
        "exit": code,
        "error": error or None,
        "checked": ok,
        "failed": failed,
        "problems": [
            {
                "path": p.position.path,
                "line": p.position.line,
                "column": p.position.col,
                "severity": p.severity,
                "message": " ".join(p.message.split()),
            }
            for p in problems
        ],
    }
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return code


def _watch(args: argparse.Namespace, builder: Builder) -> int:
    """build --watch: the specs named, the seeds, templates and policy are watched."""
    from .runners import watch
    from .runners.build import Builder

    paths, out = _where(args, builder)
    watched = [*paths, *builder.project.seed_folders, builder.project.templates]
    if args.policy:
        watched.append(args.policy)

    def once() -> int:
        # A fresh builder each time, so edited seeds, templates and policy are read again.
        try:
            return _build(args, Builder(builder.project, args.paper, args.policy, args.variant, args.formats))
        except UsageError as exc:
            return _usage_error(exc, args)

    return watch.run(watched, out, once)


def run() -> None:
    """Console entry point."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("lessonpack: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:  # `lessonpack excerpts ID | head`: the reader has all it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = EXIT_OK
    except OSError as exc:  # the machine refused something no command expected: still not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"lessonpack: error: {where}{exc.strerror or exc}", file=sys.stderr)
        code = EXIT_USAGE
    raise SystemExit(code)


if __name__ == "__main__":
    run()
