"""Command line: ``python -m analysis COMMAND …`` (the same code the notebooks call).

Exit status: 0 all inputs analysed; 1 some input could not be analysed (each named on
stderr with the reason, the others still analysed); 2 wrong usage, or a table of articles given
where article files are expected.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import analyse, collect, runs
from analysis.cli.common import TableGiven, activate_story, report_problems
from analysis.problems import InputError

#: The modules whose commands make up the command line, in the order ``--help`` lists them.
COMMANDS = (collect, analyse, runs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Folders named on the command line are relative to the working directory (the notebooks'
    # own parameters are relative to the project root, see config).
    for attr in ("seeds", "out", "into"):
        value = getattr(args, attr, None)
        if value and not Path(value).expanduser().is_absolute():
            setattr(args, attr, str(Path.cwd() / value))
    try:
        if hasattr(args, "story"):
            activate_story(args)
        return args.func(args)
    except TableGiven as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        return report_problems(exc.problems)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
