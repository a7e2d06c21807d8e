"""What every command shares: reading articles named on the command line, the story choice,
printing problems, writing CSV to stdout."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config, corpus as corpusmod
from analysis.corpus import parse
from analysis.files import csv_bytes
from analysis.framing import packs
from analysis.input import formats
from analysis.problems import InputError, Problem


class TableGiven(Exception):
    """A command that reads articles was given a table of articles (exit status 2)."""


def refuse_table(path: str | Path) -> None:
    """Raise TableGiven when ``path`` is a table of articles (CSV, TSV, JSON Lines, Parquet, XLSX)."""
    if path and Path(path).is_file():
        rows = formats.table_rows(path)
        if rows is not None:
            raise TableGiven(f"{path}: this looks like a table of {rows:,} articles: run "
                             f"`python -m analysis import {path} --into DIR`, then use DIR as the seeds folder")


def read_inputs(paths: list[str]) -> tuple[corpusmod.Corpus, list[Problem]]:
    """Parse article files given on the command line (``-`` = one article from stdin).

    A folder with a manifest is read as a seeds folder. Files that cannot be analysed are
    returned as problems; the rest are parsed. A table of articles is refused (TableGiven).
    """
    docs, problems, sources = [], [], []
    for raw in paths:
        try:
            if raw == "-":
                doc, found = parse.parse_bytes(sys.stdin.buffer.read(), "<stdin>", "stdin", {"file": "<stdin>"})
                docs.append(doc)
                sources.append("<stdin>")
                problems.extend(found)
                continue
            path = Path(raw)
            refuse_table(path)
            if path.is_dir():
                loaded = corpusmod.load_corpus(path.resolve())
                docs.extend(loaded.docs)
                sources.extend(str(loaded.seeds / d.meta.get("file", "")) for d in loaded.docs)
                problems.extend(loaded.problems)
            elif not path.exists():
                problems.append(Problem(raw, 0, "no such file", "check the path"))
            else:
                doc, found = corpusmod.load_article(path, path.stem, {"file": path.name, "outlet": path.stem})
                docs.append(doc)
                sources.append(raw)
                problems.extend(found)
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(raw, 0, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"))
    problems.extend(p for p in parse.duplicate_problems(docs, sources) if p not in problems)
    return corpusmod.Corpus(docs, problems), problems


def text_corpus(args) -> tuple[corpusmod.Corpus, list[Problem]]:
    """The files named on the command line, or the seeds folder when none is named."""
    if getattr(args, "paths", None):
        return read_inputs(args.paths)
    loaded = corpusmod.load_corpus(args.seeds)
    return loaded, list(loaded.problems)


def report_problems(problems: list[Problem]) -> int:
    """Print problems to stderr; return the exit status they imply (warnings alone: 0)."""
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    return 1 if any(p.is_error for p in problems) else 0


def write_csv(table) -> None:
    sys.stdout.buffer.write(csv_bytes(table))
    sys.stdout.flush()


def usage_error(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 2


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_story(parser: argparse.ArgumentParser, lexicon: bool = False) -> None:
    """``--story NAME_OR_PATH`` (repeatable) and, for marker commands, ``--lexicon FILE``."""
    parser.add_argument("--story", action="append", metavar="NAME_OR_PATH",
                        help="story pack(s) to apply (repeatable; default: the seeds folder's workbook.toml)")
    if lexicon:
        parser.add_argument("--lexicon", action="append", metavar="FILE",
                            help="extra marker file(s) with the lexicon's columns, merged in (repeatable)")


def seeds_of(args) -> Path:
    """The seeds folder a command works on: ``--seeds``, else the first folder among its paths."""
    if getattr(args, "seeds", None):
        return config.seeds_dir(args.seeds)
    for raw in getattr(args, "paths", None) or []:
        if raw != "-" and Path(raw).is_dir():
            return Path(raw).resolve()
    return config.seeds_dir()


def activate_story(args) -> packs.Story:
    """Choose the story of this command (``--story`` or the seeds folder's workbook.toml)."""
    return packs.activate(seeds_of(args), getattr(args, "story", None), getattr(args, "lexicon", None))
