"""Notebook 06, validation against human coders: the codebook, a blind coding sheet drawn from
the corpus in use, and the worked example (two coders' sheets and a gold file for the shipped
corpus) carried through agreement, adjudication and scoring.

The worked example (``examples/validation/``) was coded on the shipped ``seeds/``: its sections
always check and score it against that corpus, under that corpus's story, whatever seeds folder
is in use. Only the blind sheet (``sample``) is drawn from ``wb.corpus``.
"""
from __future__ import annotations

import contextlib
import textwrap
import weakref
from dataclasses import dataclass

import pandas as pd

from analysis import config
from analysis.corpus import Corpus, load_corpus
from analysis.framing import packs
from analysis.problems import InputError, Problem
from analysis.validation import adjudicate, agreement, codebook, sampling, scoring, sheets, units
from analysis.presentation.section import File, Section, Show, Table, Text

#: The worked example: two coders' sheets and the adjudicator's gold file, for the shipped corpus.
EXAMPLE = config.ROOT / "examples" / "validation"
CODER_SHEETS = ("coder_a.csv", "coder_b.csv")
GOLD_FILE = "gold.csv"
#: The blind sheet: this many units of each kind, stratified by this column.
SAMPLE_UNITS = ("hit", "sentence")
SAMPLE_SIZE = 24
STRATIFY = "outlet"
#: Rows of the blind sheet shown in the notebook, and its columns shown.
SHEET_SHOWN_ROWS = 6
SHEET_SHOWN = ["unit_id", "text", "side", "tone", "has_marker"]
CODEBOOK_SHOWN = ["unit", "variable", "level", "values"]
DISAGREEMENTS_SHOWN = ["unit_id", "variable", "values", "text"]
TIES_SHOWN = ["unit_id", "variable", "values", "adjudicated", "note"]
ERRORS_SHOWN = ["unit_id", "variable", "system", "gold", "workbook", "text"]
#: Confusion matrices printed in the notebook (all are in 06_confusion.csv).
CONFUSION_SHOWN = [("hit", "side", "workbook"), ("sentence", "has_marker", "workbook"),
                   ("sentence", "tone", "vader"), ("sentence", "tone", "textblob")]
#: Width the methods paragraph is wrapped to when shown.
PARAGRAPH_WIDTH = 110
_PLURAL = {"hit": "marker hits", "sentence": "sentences", "article": "articles"}
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def story_codebook(wb) -> codebook.Codebook:
    """The codebook of the story in use: its sides (else ``codebook.DEFAULT_SIDES``) and the generic frames."""
    return codebook.default([(side.id, side.label) for side in wb.story.sides] or list(codebook.DEFAULT_SIDES))


def codebook_table(wb) -> Section:
    """``06_codebook``: the variables coders answer, for the story in use (the blind sheet's codebook)."""
    book = story_codebook(wb)
    frame = book.frame()
    line = (f"codebook {book.sha256[:12]}: "
            + ", ".join(f"{len(book.for_unit(u))} {u} variable(s)" for u in codebook.UNITS)
            + f"; the article variables include the generic news frames ({book.citation})")
    return Section([Text(line), Table("06_codebook", frame, CODEBOOK_SHOWN, view=frame.query("unit != 'article'"))])


def sample(wb) -> Section:
    """``06_sample``: a blind coding sheet of SAMPLE_SIZE marker hits and sentences of ``wb.corpus``,
    stratified by outlet; says what could not be drawn (no texts, no hits, fewer units than asked)."""
    if not len(wb.corpus):
        return Section([Text("The corpus holds no text: no unit could be drawn, and no coding sheet is written.")])
    book = story_codebook(wb)
    drawn = [sampling.sample(wb.corpus, unit, SAMPLE_SIZE, config.RANDOM_SEED, STRATIFY, book, wb.story.lexicon,
                             wb.evidence) for unit in SAMPLE_UNITS]
    kept = [part for part in drawn if len(part)]
    designs = [design for part in drawn for design in part.attrs["designs"]]
    lines = [sampling.design_line(design) for design in designs] + [_shortfall(design) for design in designs]
    if any(d["population"] and d["strata"] == 1 and d["stratify"] != "none" for d in designs):
        lines.append(f"Every unit comes from one {STRATIFY}: the stratification has a single stratum.")
    if not kept:
        return Section([Text("\n".join(line for line in lines if line)
                             + "\nNothing to code: no coding sheet is written.")])
    sheet = sampling.combine(kept, book)
    sheet.attrs["designs"] = designs
    lines.append("columns: " + ", ".join(sheet.columns))
    lines.append(f"06_sample.csv is the blind coding sheet, its design lines at its head. To hand a sheet to coders, `python -m analysis sample "
                 f"--unit {','.join(SAMPLE_UNITS)} --n {SAMPLE_SIZE} --stratify {STRATIFY}` (with --seeds for "
                 f"another folder) draws it and writes it with the design lines above at its head, an XLSX copy "
                 f"and the codebook.")
    shown = [column for column in SHEET_SHOWN if column in sheet.columns]
    return Section([Text("\n".join(line for line in lines if line)), File("06_sample", "csv", sampling.csv_sheet_bytes(sheet)),
                    Show(sheet[shown].head(SHEET_SHOWN_ROWS))])


def _shortfall(design: dict) -> str:
    """A sentence on what a sample design could not draw, or "" when it drew all it was asked."""
    unit = _PLURAL.get(design["unit"], design["unit"])
    if not design["population"]:
        return f"No {unit} in this corpus: the sheet holds none, and their variables are left out."
    if design["n"] < SAMPLE_SIZE:
        return (f"Only {design['population']} {unit} in this corpus: all of them are on the sheet "
                f"({SAMPLE_SIZE} asked).")
    return ""


@dataclass
class Example:
    """The worked example checked and scored against the shipped corpus (``problems`` when its
    files do not match it: then nothing is scored)."""

    shipped: Corpus
    book: codebook.Codebook
    problems: list[Problem]
    ratings: sheets.Ratings | None = None
    matches_sample: bool = False
    result: agreement.Agreement | None = None
    gold: pd.DataFrame | None = None
    ties: pd.DataFrame | None = None
    found: scoring.Validation | None = None

    @property
    def scored(self) -> bool:
        return self.found is not None


@contextlib.contextmanager
def _shipped_story():
    """The shipped seeds folder's story made active for the block, the previous one restored after."""
    before = packs.selection()
    shipped = (str(config.seeds_dir(config.DEFAULT_SEEDS)), [], [])
    if before == shipped:
        yield
        return
    packs.activate(config.DEFAULT_SEEDS)
    try:
        yield
    finally:
        packs.activate(*before)


def example(wb) -> Example:
    """The worked example for ``wb`` (computed once): sheets, agreement, gold standard and scores."""
    if wb not in _CACHE:
        with _shipped_story():
            _CACHE[wb] = _example(wb)
    return _CACHE[wb]


def _example(wb) -> Example:
    shipped = wb.corpus if _is_shipped(wb.corpus) else load_corpus(config.DEFAULT_SEEDS)
    book = codebook.default(units.story_sides(shipped))
    try:
        ratings = sheets.read_sheets([EXAMPLE / name for name in CODER_SHEETS], book, shipped)
        settled = adjudicate.read_gold(EXAMPLE / GOLD_FILE, book, shipped)
    except InputError as exc:
        return Example(shipped, book, list(exc.problems))
    drawn = sampling.combine([sampling.sample(shipped, unit, SAMPLE_SIZE, config.RANDOM_SEED, STRATIFY, book)
                              for unit in SAMPLE_UNITS], book)
    result = agreement.agreement(ratings, book, seed=config.RANDOM_SEED)
    gold, ties = adjudicate.adjudicate(ratings, settled)
    found = scoring.validate(gold, shipped, codebook=book, agreement=result, designs=ratings.designs,
                             coders=ratings.coders)
    return Example(shipped, book, list(ratings.problems) + list(settled.problems), ratings,
                   set(ratings.units["unit_id"]) == set(drawn["unit_id"]), result, gold, ties, found)


def _is_shipped(corpus: Corpus) -> bool:
    return corpus.seeds is not None and config.seeds_dir(corpus.seeds) == config.seeds_dir(config.DEFAULT_SEEDS)


def _not_scored(what: str) -> Section:
    return Section([Text(f"The worked example's files do not match the shipped corpus (problems listed above): "
                         f"{what}.")])


def coders(wb) -> Section:
    """The worked example's two sheets, checked against the shipped corpus like a manifest."""
    found = example(wb)
    where = ("the seeds folder in use" if _is_shipped(wb.corpus)
             else "the shipped corpus (seeds/), loaded for it; not the seeds folder in use")
    lines = [f"The worked example (examples/validation) was coded on the shipped corpus: it is checked and scored "
             f"against {where}."]
    lines += [f"{'PROBLEM' if p.is_error else 'WARNING'} {p}" for p in found.problems] or \
        ["All inputs valid: no problems found."]
    if found.ratings is None:
        lines.append("Nothing is scored until the sheets match the corpus again.")
        return Section([Text("\n".join(lines))])
    if found.book.sha256 != story_codebook(wb).sha256:
        lines.append(f"It uses the shipped corpus's codebook {found.book.sha256[:12]}, not the one above.")
    lines.append(f"coders: {', '.join(found.ratings.coders)}; {len(found.ratings.units)} units, "
                 f"{len(found.ratings.table)} coded values")
    lines.append(f"the sheets hold exactly the units of the seeded sample: {found.matches_sample}")
    return Section([Text("\n".join(lines))])


def reliability(wb) -> Section:
    """``06_agreement``: Krippendorff's alpha per variable with its bootstrap interval and flag."""
    found = example(wb)
    if found.result is None:
        return _not_scored("no agreement is computed")
    table = found.result.table
    shown = [column for column in table.columns if column not in ("below_0_800", "below_0_667")]
    return Section([Text(found.result.summary()), Table("06_agreement", table, shown)])


def disagreements(wb) -> Section:
    """``06_disagreements``: every unit and variable the coders disagree on, with the text."""
    found = example(wb)
    if found.result is None:
        return _not_scored("no disagreement is listed")
    return Section([Table("06_disagreements", found.result.disagreements, DISAGREEMENTS_SHOWN)])


def adjudication(wb) -> Section:
    """``06_gold`` (the majority value per unit and variable) and ``06_ties`` (the adjudicator's decisions)."""
    found = example(wb)
    if found.gold is None:
        return _not_scored("no gold standard is built")
    settled = int((found.ties["adjudicated"] != "").sum())
    return Section([Text(f"{len(found.gold)} unit-variable values; {len(found.ties)} ties, {settled} settled by "
                         f"the adjudicator"),
                    Table("06_gold", found.gold[adjudicate.GOLD_COLUMNS], show=False),
                    Table("06_ties", found.ties, TIES_SHOWN)])


def validity(wb) -> Section:
    """``06_validation_summary`` (accuracy and macro averages per variable) and
    ``06_validation_scores`` (precision, recall and F1 per value)."""
    found = example(wb)
    if not found.scored:
        return _not_scored("the workbook is not scored")
    return Section([Table("06_validation_summary", found.found.summary),
                    Table("06_validation_scores", found.found.scores)])


def confusion(wb) -> Section:
    """``06_confusion`` (every confusion matrix, long form); the main ones printed."""
    found = example(wb)
    if not found.scored:
        return _not_scored("no confusion matrix is drawn up")
    matrices = found.found.confusion
    printed = [" / ".join(key) + "\n" + matrices[key].to_string() for key in CONFUSION_SHOWN if key in matrices]
    return Section([Table("06_confusion", found.found.confusion_table(), show=False),
                    Text("\n\n".join(printed) + "\n")])


def errors(wb) -> Section:
    """``06_errors``: every unit where the workbook and the gold standard differ."""
    found = example(wb)
    if not found.scored:
        return _not_scored("no error is listed")
    return Section([Table("06_errors", found.found.errors, ERRORS_SHOWN)])


def methods(wb) -> Section:
    """``06_methods`` (one column, ``paragraph``): the methods paragraph generated from the numbers."""
    found = example(wb)
    if not found.scored:
        return _not_scored("no methods paragraph is written")
    paragraph = found.found.methods_paragraph()
    return Section([File("06_methods", "md", (paragraph + "\n").encode("utf-8")),
                    Text(textwrap.fill(paragraph, PARAGRAPH_WIDTH))])


SECTIONS = [codebook_table, sample, coders, reliability, disagreements, adjudication, validity, confusion,
            errors, methods]
