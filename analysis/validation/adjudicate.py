"""Adjudication: coders' values → a gold standard, with the ties a person must settle.

The gold value of a (unit, variable) is the value most coders gave (plurality); when two or
more values share the top count it is a tie: ``value`` is left empty and the row listed in
``ties``. A gold file has an ``adjudicated`` column: a value written there (by the adjudicator,
with the reason in ``note``) settles a tie, or overrides the majority; ``adjudicate(ratings,
settled)`` carries those decisions over from an earlier gold file when the sheets are re-read. ``read_gold`` checks a gold file like a coding sheet
(FILE:LINE for unknown units, changed texts, values outside the codebook, repeated rows).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import files
from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod
from analysis.input.tables import read_table
from analysis.problems import InputError, Problem, warning
from analysis.validation import codebook as cbmod
from analysis.validation import sampling
from analysis.validation.sheets import Checker, Ratings

GOLD_COLUMNS = ["unit_id", "doc_id", "unit", "variable", "value", "n_coders", "votes", "tie", "adjudicated",
                "note", "text_sha256"]
GOLD_REQUIRED = ("unit_id", "unit", "variable", "value", "adjudicated")
TIE_COLUMNS = GOLD_COLUMNS + ["values", "text", "context"]


@dataclass
class Gold:
    """A read gold standard: ``table`` (GOLD_COLUMNS + ``gold``, the settled value or empty),
    the sample designs and coders recorded in the file, and its problems."""

    table: pd.DataFrame
    designs: list[dict] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def unresolved(self) -> int:
        """Ties nobody settled (left out of validation)."""
        return int((self.table["gold"] == "").sum())


def adjudicate(ratings: Ratings, settled=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(gold, ties)``: majority value per (unit, variable) (GOLD_COLUMNS), and the tied rows
    with each coder's value and the unit's text and context (TIE_COLUMNS).

    ``settled`` (a ``Gold`` or gold DataFrame) supplies ``adjudicated`` and ``note`` for the same
    (unit, variable); ties it does not settle stay open.
    """
    info = ratings.units.set_index("unit_id") if len(ratings.units) else None
    previous = {}
    if settled is not None:
        frame = settled.table if isinstance(settled, Gold) else settled
        previous = {(r.unit_id, r.variable): (str(r.adjudicated), str(r.note)) for r in frame.fillna("").itertuples(index=False)
                    if str(r.adjudicated).strip()}
    rows, ties = [], []
    table = ratings.table
    for (uid, variable), part in table.groupby(["unit_id", "variable"], sort=False):
        counts = Counter(part["value"]).most_common()
        tie = len(counts) > 1 and counts[0][1] == counts[1][1]
        row = {"unit_id": uid, "doc_id": part["doc_id"].iloc[0], "unit": part["unit"].iloc[0], "variable": variable,
               "value": "" if tie else counts[0][0], "n_coders": int(part["coder"].nunique()),
               "votes": "; ".join(f"{v}:{n}" for v, n in counts), "tie": tie,
               "adjudicated": previous.get((uid, variable), ("", ""))[0], "note": previous.get((uid, variable), ("", ""))[1],
               "text_sha256": info.loc[uid, "text_sha256"] if info is not None and uid in info.index else ""}
        rows.append(row)
        if tie:
            ties.append({**row, "values": "; ".join(f"{c}={v}" for c, v in zip(part["coder"], part["value"])),
                         "text": info.loc[uid, "text"] if info is not None and uid in info.index else "",
                         "context": info.loc[uid, "context"] if info is not None and uid in info.index else ""})
    return pd.DataFrame(rows, columns=GOLD_COLUMNS), pd.DataFrame(ties, columns=TIE_COLUMNS)


def resolved(gold: pd.DataFrame) -> pd.DataFrame:
    """``gold`` with a ``gold`` column: ``adjudicated`` where filled, else ``value`` (empty = unsettled tie)."""
    adjudicated = gold["adjudicated"].fillna("").astype(str).str.strip()
    value = gold["value"].fillna("").astype(str).str.strip()
    return gold.assign(gold=adjudicated.where(adjudicated != "", value))


def gold_bytes(gold: pd.DataFrame, designs: list[dict] | None = None, coders: list[str] | None = None) -> bytes:
    """A gold file: ``# sample:`` and ``# coders:`` comment lines, then GOLD_COLUMNS as CSV."""
    head = "".join(sampling.design_line(d) + "\n" for d in designs or [])
    if coders:
        head += "# coders: " + "; ".join(coders) + "\n"
    return head.encode("utf-8") + files.csv_bytes(gold[GOLD_COLUMNS])


def read_gold(path: str | Path, codebook: cbmod.Codebook | None = None, corpus: Corpus | None = None,
              lex: lexmod.Lexicon | None = None, strict: bool = True) -> Gold:
    """Read and check a gold file (what ``adjudicate`` wrote, perhaps with ``adjudicated`` filled)."""
    path = Path(path)
    checker = Checker(codebook or cbmod.default(), corpus, lex)
    table = read_table(path, tuple(GOLD_COLUMNS), GOLD_REQUIRED, what="gold file")
    checker.designs_of(table)
    coders = next(([c.strip() for c in text.split(":", 1)[1].split(";") if c.strip()]
                   for _, text in table.comments if text.startswith("# coders:")), [])
    rows, seen = [], {}
    for line, row in table.rows:
        uid, variable = row.get("unit_id", ""), row.get("variable", "")
        if (uid, variable) in seen:
            table.problem(line, f"unit {uid!r}, variable {variable!r} repeated (first at line {seen[(uid, variable)]})",
                          "keep one row per unit and variable")
            continue
        seen[(uid, variable)] = line
        parsed = checker.unit(table, line, uid, row.get("text_sha256") or None)
        if parsed is None:
            continue
        if row.get("unit") and row["unit"] != parsed[0]:
            table.problem(line, f"unit {row['unit']!r} does not match unit id {uid!r}", "do not edit the unit column")
        if checker.codebook.get(parsed[0], variable) is None:
            table.problem(line, f"{variable!r} is not a variable of a {parsed[0]} unit in the codebook", "")
            continue
        values = {k: checker.value(table, line, parsed[0], variable, row.get(k, "")) or "" for k in ("value", "adjudicated")}
        rows.append({**{c: row.get(c, "") for c in GOLD_COLUMNS}, **values, "unit": parsed[0], "doc_id": parsed[1],
                     "tie": row.get("tie", "").lower() in ("true", "1")})
    problems = list(table.problems)
    gold = resolved(pd.DataFrame(rows, columns=GOLD_COLUMNS))
    open_ties = int((gold["gold"] == "").sum())
    if open_ties:
        problems.append(warning(str(path), 0, f"{open_ties} tie(s) not settled: left out of validation",
                                "write the settled value in the adjudicated column"))
    if strict and any(p.is_error for p in problems):
        raise InputError(problems)
    return Gold(gold, checker.designs, coders, problems)
