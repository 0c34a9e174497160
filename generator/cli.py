"""The command line: arguments in, problems printed, exit code out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import printing

EXIT_OK, EXIT_PACK_ERROR, EXIT_USAGE = 0, 1, 2

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

exit codes: 0 all good; 1 some pack has an error (the others are still built);
            2 the command line is wrong or nothing could be read
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"lessonpack: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lessonpack",
        description="Turn YAML lesson specs into student handouts and teacher editions (PDF and DOCX).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = _command(
        sub,
        "build",
        "build packs (PDF and DOCX, student and teacher)",
        "Build the student handout and teacher edition of each spec as PDF and DOCX.",
        "lessonpack build packs/ --out dist --paper letter",
    )
    build.add_argument("--out", type=Path, default=None, help="output folder (default: dist/ in the project)")
    build.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4)")
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
    sub.add_parser(
        "policy",
        help="print the default content policy (copy it to make your school's own)",
        description="Print lessonpack's default content policy as YAML. Save it, edit it, and pass it with "
        "--policy FILE to build or check.",
        epilog="example:\n  lessonpack policy > our-policy.yaml\n  lessonpack build --policy our-policy.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _policy_option(printing.add_parser(sub))
    return p


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not '{text}'")
    return value


def _progress(stream: Any) -> Any:
    """A progress bar on a terminal; one plain line per pack otherwise (logs, CI)."""
    tty = stream.isatty()

    def show(done: int, total: int, outcome: Any) -> None:
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


def _command(sub: Any, name: str, summary: str, description: str, example: str) -> argparse.ArgumentParser:
    """A subcommand that takes spec files or folders, with an example in its --help."""
    command: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="spec files or folders (default: packs/)")
    return _policy_option(command)


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
        return printing.run(args)
    if args.command == "policy":
        from .policy import DEFAULT

        sys.stdout.write(DEFAULT.read_text(encoding="utf-8"))
        return EXIT_OK
    from .build import Builder, Project, UsageError

    project = Project(args.root)
    paths = args.paths or [project.packs]
    try:
        builder = Builder(project, getattr(args, "paper", "a4"), args.policy, getattr(args, "variant", "standard"))
        out = args.out if getattr(args, "out", None) else project.root / "dist"
        if args.command == "build":
            from .cache import cpu_count

            jobs = args.jobs or cpu_count()
            report = builder.build(paths, out, True, jobs, args.force, _progress(sys.stdout))
        else:
            report = builder.build(paths, out, write=False)
    except UsageError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"lessonpack: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "explain", False):
        for lines in report.explained:
            print("\n".join(lines))
    for problem in sorted(report.problems, key=lambda p: (p.position, p.message)):
        print(problem, file=sys.stderr)
    if not report.built and not report.failed and not report.unchanged:
        print("lessonpack: error: no specs found (*.yaml)", file=sys.stderr)
        return EXIT_USAGE
    verb = "built" if args.command == "build" else "checked"
    where = f" into {out}" if args.command == "build" and (report.built or report.unchanged) else ""
    unchanged = f", {len(report.unchanged)} unchanged" if args.command == "build" else ""
    print(
        f"{verb} {len(report.built)} pack(s){where}{unchanged}, {len(report.failed)} failed in {report.seconds:.1f} s",
        file=sys.stderr if report.failed else sys.stdout,
    )
    return EXIT_PACK_ERROR if report.failed else EXIT_OK


def run() -> None:
    """Console entry point."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("lessonpack: interrupted", file=sys.stderr)
        code = 130
    raise SystemExit(code)


if __name__ == "__main__":
    run()
