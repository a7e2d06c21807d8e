"""Command line: ``python -m analysis COMMAND …`` (the same code the notebooks call).

Exit status: 0 all inputs analysed; 1 some input could not be analysed (each named on
stderr with the reason, the others still analysed); 2 wrong usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config, corpus as corpusmod, export
from .problems import InputError, Problem


def read_inputs(paths: list[str]) -> tuple[corpusmod.Corpus, list[Problem]]:
    """Parse article files given on the command line (``-`` = one article from stdin).

    A folder with a manifest is read as a seeds folder. Files that cannot be analysed are
    returned as problems; the rest are parsed.
    """
    docs, problems = [], []
    for raw in paths:
        try:
            if raw == "-":
                text = corpusmod.decode(sys.stdin.buffer.read(), "<stdin>")
                docs.append(corpusmod.parse_article(text, "stdin", {"file": "<stdin>"}))
                continue
            path = Path(raw)
            if path.is_dir():
                loaded = corpusmod.load_corpus(path)
                docs.extend(loaded.docs)
                problems.extend(loaded.problems)
            elif not path.exists():
                problems.append(Problem(raw, 0, "no such file", "check the path"))
            else:
                docs.append(corpusmod.read_article(path, path.stem, {"file": path.name, "outlet": path.stem}))
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(raw, 0, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"))
    return corpusmod.Corpus(docs, problems), problems


def report_problems(problems: list[Problem]) -> int:
    """Print problems to stderr; return the exit status they imply."""
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def write_csv(table) -> None:
    sys.stdout.buffer.write(export.csv_bytes(table))
    sys.stdout.flush()


def cmd_check(args) -> int:
    """Validate a seeds folder (manifest and article files) and the lexicons."""
    loaded = corpusmod.load_corpus(args.seeds)
    problems = list(loaded.problems)
    try:
        from . import lexicon

        lexicon.load()
    except InputError as exc:
        problems.extend(exc.problems)
    status = report_problems(problems)
    print(f"{len(loaded)} documents readable, {len(problems)} problem(s)")
    return status


def cmd_report(args) -> int:
    """Execute every notebook headless, in place, writing figures and tables."""
    from . import report

    paths = report.notebook_paths()
    if args.notebook:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.notebook)]
    for path in paths:
        print(f"executing {path.name}", flush=True)
        report.execute(path, seeds=args.seeds, figures=args.out)
    print(f"{len(paths)} notebooks executed; outputs in {args.out or 'figures/'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate seeds, manifest and lexicons; list every problem")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("report", help="execute the notebooks headless in place")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--out", help="output folder for figures and tables (default: figures/)")
    p.add_argument("--notebook", action="append", help="only notebooks whose name starts with this (repeatable)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        return report_problems(exc.problems)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
