"""Command functions for the validation workflow (the command-line wiring lives elsewhere).

Each prints a short summary to stdout and every input problem (FILE:LINE) to stderr, and
returns the exit status: 0 done; 1 input problems (nothing is scored or written); 2 refused
because ``out`` holds a file this workflow did not write, or one edited since (a filled coding
sheet is a coder's work and is never overwritten). ``out`` is a folder; the files written into
it are recorded with their sha256 in ``out/.validation-written.json``, so a command may replace
its own unchanged output on a rerun. All files are written atomically.

``seeds`` is the seeds folder (None: the configured one); unit ids and text hashes are checked
against it. ``sides`` (``[(id, label)]``) default to the corpus's story sides (``units.story_sides``:
its story packs', else ``codebook.DEFAULT_SIDES``); ``codebook_path`` adds the user's variables.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from analysis import config, files
from analysis.corpus import load_corpus
from analysis.problems import InputError, Problem
from analysis.validation import adjudicate as adjmod
from analysis.validation import agreement as agmod
from analysis.validation import codebook as cbmod
from analysis.validation import sampling, scoring, units
from analysis.validation import sheets as sheetsmod

#: Record of the files the validation commands wrote into an output folder.
REGISTRY = ".validation-written.json"


def _show(problems: list[Problem]) -> int:
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    return 1 if any(p.is_error for p in problems) else 0


def _codebook(sides, codebook_path, corpus) -> cbmod.Codebook:
    """The default codebook for ``sides`` (else the corpus's story sides), plus the user's file."""
    book = cbmod.default(sides or units.story_sides(corpus))
    return book.extend(cbmod.load(codebook_path)) if codebook_path else book


def _corpus(seeds):
    corpus = load_corpus(seeds)
    errors = [p for p in corpus.problems if p.is_error]
    if errors:
        raise InputError(corpus.problems)
    return corpus


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(out: str | Path, outputs: dict[str, bytes]) -> list[Path] | None:
    """Write ``{file name: bytes}`` into folder ``out``; None (and a message) if that would replace
    a file this workflow did not write, or has been changed since."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        print(f"refused: {out} exists and is not a folder; give a folder for --out", file=sys.stderr)
        return None
    registry_path = folder / REGISTRY
    try:
        registry = json.loads(registry_path.read_text(encoding="utf-8")) if registry_path.exists() else {}
    except (OSError, ValueError):
        registry = {}
    foreign = [name for name in outputs if (folder / name).exists()
               and registry.get(name) != _sha((folder / name).read_bytes())]
    if foreign:
        print(f"refused: {', '.join(str(folder / n) for n in foreign)} already exist(s) and were not written by this "
              f"workflow, or were edited since; choose another --out folder or move them", file=sys.stderr)
        return None
    registry.update({name: _sha(data) for name, data in outputs.items()})
    payload = {folder / name: data for name, data in outputs.items()}
    payload[registry_path] = (json.dumps(dict(sorted(registry.items())), indent=1) + "\n").encode("utf-8")
    written = files.write_all_atomic(payload)
    return [p for p in written if p.name != REGISTRY]


def sample_command(seeds, unit: str, n: int, seed: int = config.RANDOM_SEED, stratify=None, out="validation",
                   codebook_path=None, sides=None, xlsx: bool = True) -> int:
    """Draw ``n`` units of each kind in ``unit`` (``hit``, ``sentence``, ``article`` or e.g.
    ``"hit,sentence"``) and write ``sheet.csv``, ``sheet.xlsx`` and ``sheet.codebook.csv`` into ``out``."""
    try:
        corpus = _corpus(seeds)
        book = _codebook(sides, codebook_path, corpus)
        kinds = [u.strip() for u in str(unit).split(",") if u.strip()]
        bad = [u for u in kinds if u not in cbmod.UNITS]
        if bad or not kinds:
            print(f"error: unknown unit {', '.join(bad) or repr(unit)}: use {', '.join(cbmod.UNITS)}", file=sys.stderr)
            return 2
        drawn = [sampling.sample(corpus, u, n, seed, stratify, book) for u in kinds]
    except InputError as exc:
        return _show(exc.problems)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sheet = drawn[0] if len(drawn) == 1 else sampling.combine(drawn, book)
    made = sampling.sheet_files(sheet, Path("sheet.csv"), book, xlsx)
    if write_outputs(out, {p.name: data for p, data in made.items()}) is None:
        return 2
    for d in sheet.attrs["designs"]:
        print(f"{d['n']} of {d['population']} {d['unit']} units (seed {d['seed']}, strata: {d['stratify']})")
    print(f"blind coding sheet for {len(sheet)} units in {Path(out) / 'sheet.csv'} (+ .xlsx, codebook); "
          f"give each coder a copy and have them fill the coder column")
    return 0


def _ratings(paths, codebook_path, sides, seeds):
    corpus = _corpus(seeds)
    book = _codebook(sides, codebook_path, corpus)
    return book, sheetsmod.read_sheets(paths, book, corpus)


def agreement_command(sheets, out=None, codebook_path=None, seed: int = config.RANDOM_SEED, seeds=None,
                      sides=None, draws: int = agmod.DRAWS) -> int:
    """Krippendorff's alpha per variable of two or more coders' sheets; ``agreement.csv`` and
    ``disagreements.csv`` into ``out`` when given."""
    try:
        book, ratings = _ratings(sheets, codebook_path, sides, seeds)
    except InputError as exc:
        return _show(exc.problems)
    _show(ratings.problems)
    result = agmod.agreement(ratings, book, seed, draws)
    print(result.summary())
    if out is not None and write_outputs(out, {"agreement.csv": files.csv_bytes(result.table),
                                               "disagreements.csv": files.csv_bytes(result.disagreements)}) is None:
        return 2
    return 0


def adjudicate_command(sheets, out, codebook_path=None, seeds=None, sides=None) -> int:
    """Majority gold standard of the sheets: ``gold.csv`` (fill ``adjudicated`` to settle ties)
    and ``ties.csv`` into ``out``."""
    try:
        _, ratings = _ratings(sheets, codebook_path, sides, seeds)
    except InputError as exc:
        return _show(exc.problems)
    _show(ratings.problems)
    gold, ties = adjmod.adjudicate(ratings)
    if write_outputs(out, {"gold.csv": adjmod.gold_bytes(gold, ratings.designs, ratings.coders),
                           "ties.csv": files.csv_bytes(ties)}) is None:
        return 2
    print(f"gold standard: {len(gold)} unit-variable values from {len(ratings.coders)} coders; {len(ties)} tie(s) "
          f"listed in {Path(out) / 'ties.csv'}" + ("; settle them in the adjudicated column of gold.csv" if len(ties) else ""))
    return 0


def validate_command(gold, seeds=None, out=None, sheets=None, codebook_path=None, sides=None,
                     seed: int = config.RANDOM_SEED) -> int:
    """Score the workbook against a gold file; with ``sheets`` the methods paragraph also
    reports alpha. Writes ``validation_scores.csv``, ``validation_summary.csv``,
    ``validation_confusion.csv``, ``validation_errors.csv`` and ``validation_methods.md`` into ``out``."""
    try:
        corpus = _corpus(seeds)
        book = _codebook(sides, codebook_path, corpus)
        read = adjmod.read_gold(gold, book, corpus)
        ratings = sheetsmod.read_sheets(sheets, book, corpus) if sheets else None
    except InputError as exc:
        return _show(exc.problems)
    _show(read.problems)
    found = scoring.validate(read, corpus, codebook=book,
                             agreement=agmod.agreement(ratings, book, seed) if ratings else None,
                             coders=ratings.coders if ratings else None)
    paragraph = found.methods_paragraph()
    for s in found.summary.itertuples(index=False):
        print(f"{s.unit} {s.variable} ({s.system}): {s.n_units} units, accuracy {s.accuracy:.2f}, macro-F1 {s.macro_f1:.2f}")
    print(f"{len(found.errors)} disagreement(s) with the gold standard listed\n\n{paragraph}")
    if out is not None and write_outputs(out, {
            "validation_scores.csv": files.csv_bytes(found.scores), "validation_summary.csv": files.csv_bytes(found.summary),
            "validation_confusion.csv": files.csv_bytes(found.confusion_table()),
            "validation_errors.csv": files.csv_bytes(found.errors),
            "validation_methods.md": (paragraph + "\n").encode("utf-8")}) is None:
        return 2
    return 0
