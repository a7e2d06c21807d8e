"""Validity: the workbook's own coding of the gold-standard units, scored against the gold standard.

The workbook's coding (``workbook_coding``; the story's lexicon, see ``units.lexicon``), by unit:

* ``hit``: ``side``, ``category`` and ``voice`` of the evidence row (``markers.evidence``);
* ``sentence``: ``tone`` twice, as systems ``vader`` (``vader_label``) and ``textblob``
  (``textblob_label``); ``voice`` (``sentiment.sentence_table``); ``has_marker`` = ``yes`` when the
  sentence holds a hit other than a neutral verb of saying (category ``attribution_neutral``), so
  its recall against coders who mark loaded sentences is the lexicon's recall;
* ``article``: ``framing`` from ``article_sides`` (``framing.markers``, or ``framing.tallies`` where
  it now lives): a side id, ``mixed``, else ``none``.

Per variable and value: precision, recall and F1 (one value against the rest; NaN where a value
is never predicted or never in the gold standard); per variable: accuracy and macro averages over
the values seen in either (an undefined precision or recall counts 0, as scikit-learn's
``zero_division=0``); a confusion matrix (rows gold, columns workbook); and every unit where the
two differ, a false positive for the workbook's value and a false negative for the gold value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod
from analysis.framing import markers
from analysis.measures import sentiment
from analysis.validation import adjudicate as adjmod
from analysis.validation import codebook as cbmod
from analysis.validation import units as unitsmod

CODING_COLUMNS = ["unit", "unit_id", "variable", "system", "value"]
SCORE_COLUMNS = ["unit", "variable", "system", "value", "precision", "recall", "f1", "n_gold", "n_workbook", "n_correct"]
SUMMARY_COLUMNS = ["unit", "variable", "system", "n_units", "accuracy", "macro_precision", "macro_recall", "macro_f1"]
ERROR_COLUMNS = ["unit", "unit_id", "doc_id", "variable", "system", "gold", "workbook", "false_positive_for",
                 "false_negative_for", "text", "context"]
#: Hit categories that do not make a sentence "have a marker": neutral verbs of saying.
NOT_LOADED = ("attribution_neutral",)


def workbook_coding(corpus: Corpus, unit: str, lex: lexmod.Lexicon | None = None,
                    evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """The workbook's own values for every unit of kind ``unit`` (CODING_COLUMNS)."""
    ev = markers.evidence(corpus, unitsmod.lexicon(corpus, lex)) if evidence is None else evidence
    rows = []
    if unit == "hit":
        for r in ev.itertuples(index=False):
            uid = unitsmod.hit_id(r.doc_id, r.start, r.end)
            rows += [("hit", uid, v, "workbook", getattr(r, v)) for v in ("side", "category", "voice")]
    elif unit == "sentence":
        loaded = {unitsmod.sentence_id(d, s) for d, s, c in zip(ev["doc_id"], ev["sentence"], ev["category"])
                  if c not in NOT_LOADED}
        for r in sentiment.sentence_table(corpus).itertuples(index=False):
            uid = unitsmod.sentence_id(r.doc_id, r.sentence)
            rows += [("sentence", uid, "tone", "vader", r.vader_label), ("sentence", uid, "tone", "textblob", r.textblob_label),
                     ("sentence", uid, "voice", "workbook", r.voice),
                     ("sentence", uid, "has_marker", "workbook", "yes" if uid in loaded else "no")]
    elif unit == "article":
        sides_of = getattr(markers, "article_sides", None)
        if sides_of is None:  # moved to framing.tallies with the story packs
            from analysis.framing import tallies

            sides_of = tallies.article_sides
        for r in sides_of(ev, corpus).itertuples(index=False):
            framing = r.framing if r.framing == "mixed" or r.framing in set(ev["lexicon_side"]) else "none"
            rows.append(("article", r.doc_id, "framing", "workbook", framing))
    else:
        raise ValueError(f"unknown unit {unit!r}: use hit, sentence or article")
    return pd.DataFrame(rows, columns=CODING_COLUMNS)


def _ratio(a: int, b: int) -> float:
    return a / b if b else math.nan


def _f1(p: float, r: float) -> float:
    if math.isnan(p) or math.isnan(r):
        return math.nan
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Validation:
    """Scores of the workbook against a gold standard; ``methods_paragraph`` reports them."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    confusion: dict = field(default_factory=dict)
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    lexicon_version: str = ""
    coders: list[str] = field(default_factory=list)
    designs: list[dict] = field(default_factory=list)
    agreement: object = None
    n_ties: int = 0
    n_settled: int = 0
    n_unresolved: int = 0
    skipped: list[str] = field(default_factory=list)

    def confusion_table(self) -> pd.DataFrame:
        """Every confusion matrix in long form: ``unit, variable, system, gold, workbook, n``."""
        rows = [{"unit": u, "variable": v, "system": s, "gold": g, "workbook": w, "n": int(m.loc[g, w])}
                for (u, v, s), m in self.confusion.items() for g in m.index for w in m.columns]
        return pd.DataFrame(rows, columns=["unit", "variable", "system", "gold", "workbook", "n"])

    def methods_paragraph(self) -> str:
        """A methods paragraph built from the numbers: sample, coders, alpha, ties, P/R/F1."""
        from analysis.validation.report import methods_paragraph

        return methods_paragraph(self)


def validate(gold, corpus: Corpus, unit: str | None = None, *, codebook: cbmod.Codebook | None = None,
             lex: lexmod.Lexicon | None = None, agreement=None, designs: list[dict] | None = None,
             coders: list[str] | None = None) -> Validation:
    """Score the workbook's coding of the gold units (``unit``: one kind, or None for all kinds present).

    ``gold`` is a ``Gold`` (``read_gold``) or a gold DataFrame (``adjudicate``). ``agreement``,
    ``designs`` and ``coders`` only feed the methods paragraph.
    """
    codebook = codebook or cbmod.default()
    if isinstance(gold, adjmod.Gold):
        designs, coders, gold = designs or gold.designs, coders or gold.coders, gold.table
    table = adjmod.resolved(gold)
    if unit:
        table = table[table["unit"] == unit]
    lex = unitsmod.lexicon(corpus, lex)
    ev = markers.evidence(corpus, lex)
    scores, summary, errors, confusion, skipped = [], [], [], {}, []
    for kind in dict.fromkeys(table["unit"]):
        mine = workbook_coding(corpus, kind, lex, ev)
        info = unitsmod.table(corpus, kind, evidence=ev).set_index("unit_id")
        present = list(dict.fromkeys(table.loc[table["unit"] == kind, "variable"]))
        ordered = [v.variable for v in codebook.for_unit(kind) if v.variable in present]
        for variable in ordered + [v for v in present if v not in ordered]:
            wanted = table[(table["unit"] == kind) & (table["variable"] == variable) & (table["gold"] != "")]
            ours = mine[mine["variable"] == variable]
            if ours.empty:
                skipped.append(f"{kind} {variable}")
                continue
            var = codebook.get(kind, variable)
            for system in dict.fromkeys(ours["system"]):
                pred = ours[ours["system"] == system].set_index("unit_id")["value"]
                pairs = wanted.assign(workbook=wanted["unit_id"].map(pred).fillna(""))
                key = (kind, variable, system)
                s, m = _score(pairs, key, list(var.values) if var else [])
                scores += s
                confusion[key] = m
                summary.append(_summary(pairs, key, s))
                for r in pairs[pairs["gold"] != pairs["workbook"]].itertuples(index=False):
                    errors.append({"unit": kind, "unit_id": r.unit_id, "doc_id": r.doc_id, "variable": variable,
                                   "system": system, "gold": r.gold, "workbook": r.workbook,
                                   "false_positive_for": r.workbook, "false_negative_for": r.gold,
                                   "text": info["text"].get(r.unit_id, ""), "context": info["context"].get(r.unit_id, "")})
    tie = gold["tie"].astype(str).str.lower().isin(["true", "1"]) if "tie" in gold else pd.Series(False, index=gold.index)
    settled = tie & (gold["adjudicated"].fillna("").astype(str).str.strip() != "")
    return Validation(pd.DataFrame(scores, columns=SCORE_COLUMNS), pd.DataFrame(summary, columns=SUMMARY_COLUMNS),
                      confusion, pd.DataFrame(errors, columns=ERROR_COLUMNS),
                      ", ".join(sorted(set(ev["lexicon_version"].astype(str)))) or lex.version,
                      list(coders or []), list(designs or []), agreement, int(tie.sum()), int(settled.sum()),
                      int((table["gold"] == "").sum()), skipped)


def _score(pairs: pd.DataFrame, key: tuple, order: list[str]) -> tuple[list[dict], pd.DataFrame]:
    seen = set(pairs["gold"]) | set(pairs["workbook"])
    values = [v for v in order if v in seen] + sorted(seen - set(order))
    rows = []
    for v in values:
        n_gold, n_work = int((pairs["gold"] == v).sum()), int((pairs["workbook"] == v).sum())
        tp = int(((pairs["gold"] == v) & (pairs["workbook"] == v)).sum())
        p, r = _ratio(tp, n_work), _ratio(tp, n_gold)
        rows.append({"unit": key[0], "variable": key[1], "system": key[2], "value": v, "precision": p, "recall": r,
                     "f1": _f1(p, r), "n_gold": n_gold, "n_workbook": n_work, "n_correct": tp})
    matrix = pd.crosstab(pd.Categorical(pairs["gold"], values), pd.Categorical(pairs["workbook"], values),
                         dropna=False).reindex(index=values, columns=values, fill_value=0)
    matrix.index.name, matrix.columns.name = "gold", "workbook"
    return rows, matrix.astype(int)


def _summary(pairs: pd.DataFrame, key: tuple, rows: list[dict]) -> dict:
    zero = [{k: (0.0 if math.isnan(r[k]) else r[k]) for k in ("precision", "recall", "f1")} for r in rows]
    mean = {k: (sum(z[k] for z in zero) / len(zero) if zero else math.nan) for k in ("precision", "recall", "f1")}
    return {"unit": key[0], "variable": key[1], "system": key[2], "n_units": len(pairs),
            "accuracy": _ratio(int((pairs["gold"] == pairs["workbook"]).sum()), len(pairs)),
            "macro_precision": mean["precision"], "macro_recall": mean["recall"], "macro_f1": mean["f1"]}
