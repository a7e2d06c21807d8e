"""Intercoder reliability: Krippendorff's alpha per variable, from NLTK's ``AnnotationTask``.

Alpha is NLTK's ``AnnotationTask.alpha`` (Krippendorff's coincidence-matrix alpha; NLTK skips
units with fewer than two values) with the distance of the variable's level:

* nominal: ``nltk.metrics.distance.binary_distance`` (0 same, 1 different);
* interval: ``(a - b)²`` on the numeric values;
* ratio: ``((a - b) / (a + b))²`` (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability");
* ordinal: Krippendorff's rank metric ``(Σ_{g=a..b} n_g − (n_a + n_b) / 2)²``, where ``n_g`` is how
  often rank ``g`` occurs among the pairable values (values in codebook order). It depends on
  the data's marginals, so it is built for each data set (and each bootstrap draw).

Units coded by one coder only are left out (and counted as ``n_single``). Alpha is undefined
(NaN) without two pairable values or when every pairable value is the same (no variation);
NLTK returns 1 there. The 95 % interval is a percentile bootstrap over units: units are drawn
with replacement (``numpy.random.default_rng(seed)``, ``draws`` times) and alpha recomputed;
undefined draws are left out and the number of defined draws reported. Percent agreement is
pairwise: the share of agreeing pairs of values among all pairs of coders who coded a unit.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import config
from analysis.validation import codebook as cbmod
from analysis.validation.sheets import Ratings

#: Krippendorff (2004, Content Analysis, 2nd ed.): rely on variables with alpha >= .800 ...
RELIABLE = 0.800
#: ... and draw only tentative conclusions from variables with .667 <= alpha < .800.
TENTATIVE = 0.667
#: Bootstrap draws for the interval (a common choice; Hayes & Krippendorff 2007 use 1,000 and more).
DRAWS = 1000
#: Two-sided coverage of the bootstrap interval.
COVERAGE = 0.95
AGREEMENT_COLUMNS = ["unit", "variable", "level", "n_units", "n_coders", "n_values", "n_single", "alpha",
                     "alpha_low", "alpha_high", "draws", "percent_agreement", "n_disagree", "flag",
                     "below_0_800", "below_0_667"]
DISAGREEMENT_COLUMNS = ["unit", "unit_id", "doc_id", "variable", "values", "text"]


def interval_distance(a: float, b: float) -> float:
    return (a - b) ** 2


def ratio_distance(a: float, b: float) -> float:
    return ((a - b) / (a + b)) ** 2 if a + b else 0.0


def ordinal_distance(counts: Counter, n_ranks: int):
    """Krippendorff's ordinal distance between ranks, for the rank frequencies ``counts``."""
    cumulative = [0]
    for g in range(n_ranks):
        cumulative.append(cumulative[-1] + counts.get(g, 0))

    def distance(a: int, b: int) -> float:
        lo, hi = (a, b) if a <= b else (b, a)
        return (cumulative[hi + 1] - cumulative[lo] - (counts.get(a, 0) + counts.get(b, 0)) / 2) ** 2

    return distance


def _coded(triples, level: str, order: list[str] | None) -> list[tuple]:
    """``(coder, unit, label)`` with labels as the level's distance needs them (numbers or ranks)."""
    if level in ("interval", "ratio"):
        return [(c, u, float(v)) for c, u, v in triples]
    if level == "ordinal":
        rank = {v: i for i, v in enumerate(order)}
        return [(c, u, rank[v]) for c, u, v in triples]
    return [(c, u, str(v)) for c, u, v in triples]


def _pairable(data: list[tuple]) -> dict:
    by_unit = defaultdict(list)
    for coder, unit, label in data:
        by_unit[unit].append((coder, label))
    return {u: cv for u, cv in by_unit.items() if len(cv) > 1}


def _alpha(data: list[tuple], level: str, n_ranks: int) -> float:
    """NLTK's alpha of pairable ``(coder, unit, label)`` data; NaN when undefined."""
    from nltk.metrics.agreement import AnnotationTask   # NLTK is imported on first use (about 0.7 s)
    from nltk.metrics.distance import binary_distance

    labels = [label for _, _, label in data]
    if len(labels) < 2 or len(set(labels)) < 2:
        return math.nan
    if level == "ordinal":
        distance = ordinal_distance(Counter(labels), n_ranks)
    else:
        distance = {"nominal": binary_distance, "interval": interval_distance, "ratio": ratio_distance}[level]
    return float(AnnotationTask(data, distance=distance).alpha())


def _default_order(triples) -> list[str]:
    values = sorted({v for _, _, v in triples}, key=str)
    try:
        return sorted(values, key=float)
    except ValueError:
        return values


def alpha(triples, level: str = "nominal", order: list[str] | None = None) -> float:
    """Krippendorff's alpha of ``(coder, unit, value)`` triples (missing values simply absent).

    ``order``: the ranked values for ``ordinal`` (default: sorted, numerically if all numeric).
    Single-coded units are left out; NaN when alpha is undefined.
    """
    triples = list(triples)
    if level not in cbmod.LEVELS:
        raise ValueError(f"unknown level {level!r}: use {', '.join(cbmod.LEVELS)}")
    order = order or _default_order(triples)
    pairable = _pairable(_coded(triples, level, order))
    data = [(c, u, label) for u, cv in pairable.items() for c, label in cv]
    return _alpha(data, level, len(order))


def bootstrap(triples, level: str = "nominal", order: list[str] | None = None, draws: int = DRAWS,
              seed: int = config.RANDOM_SEED) -> tuple[float, float, int]:
    """``(low, high, defined draws)``: the percentile interval (COVERAGE) of alpha over units
    resampled with replacement. NaN bounds when no draw is defined."""
    triples = list(triples)
    order = order or _default_order(triples)
    pairable = list(_pairable(_coded(triples, level, order)).values())
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(draws if pairable else 0):
        picks = rng.integers(0, len(pairable), len(pairable))
        data = [(c, j, label) for j, i in enumerate(picks) for c, label in pairable[i]]
        a = _alpha(data, level, len(order))
        if not math.isnan(a):
            values.append(a)
    if not values:
        return math.nan, math.nan, 0
    tail = (1 - COVERAGE) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high), len(values)


def percent_agreement(triples) -> float:
    """Share of agreeing pairs among all pairs of values given to the same unit (0–1; NaN if none)."""
    pairs = agree = 0
    for cv in _pairable(list(triples)).values():
        for (_, a), (_, b) in itertools.combinations(cv, 2):
            pairs += 1
            agree += a == b
    return agree / pairs if pairs else math.nan


def flag(value: float) -> str:
    """``reliable`` (≥ RELIABLE), ``tentative`` (≥ TENTATIVE), ``unreliable`` or ``undefined``."""
    if math.isnan(value):
        return "undefined"
    return "reliable" if value >= RELIABLE else "tentative" if value >= TENTATIVE else "unreliable"


@dataclass
class Agreement:
    """Per-variable reliability (``table``: AGREEMENT_COLUMNS) and the units coders disagree on."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    coders: list[str] = field(default_factory=list)
    seed: int = config.RANDOM_SEED
    draws: int = DRAWS

    def summary(self) -> str:
        """One line per variable: alpha with interval, percent agreement, units, flag."""
        lines = [f"Krippendorff's alpha, {len(self.coders)} coders ({', '.join(self.coders)}); 95% bootstrap "
                 f"interval over units ({self.draws:,} draws, seed {self.seed}):"]
        for r in self.table.itertuples(index=False):
            lines.append(f"- {r.unit} {r.variable} ({r.level}): alpha = {_num(r.alpha)} [{_num(r.alpha_low)}, "
                         f"{_num(r.alpha_high)}], agreement {_pct(r.percent_agreement)}, {r.n_units} units"
                         + (f" (+{r.n_single} coded once, left out)" if r.n_single else "")
                         + f", {r.n_disagree} disagreement(s): {r.flag}")
        return "\n".join(lines)


def _num(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.3f}"


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.0%}"


def agreement(ratings: Ratings, codebook: cbmod.Codebook | None = None, seed: int = config.RANDOM_SEED,
              draws: int = DRAWS) -> Agreement:
    """Reliability of every codebook variable that ``ratings`` hold values for, in codebook order."""
    codebook = codebook or cbmod.default()
    table, rows, disagree = ratings.table, [], []
    texts = ratings.units.set_index("unit_id")["text"].to_dict() if len(ratings.units) else {}
    for var in codebook:
        part = table[(table["unit"] == var.unit) & (table["variable"] == var.variable)]
        if part.empty:
            continue
        triples = list(zip(part["coder"], part["unit_id"], part["value"]))
        per_unit = part.groupby("unit_id", sort=False)
        sizes = per_unit.size()
        pairable = part[part["unit_id"].isin(sizes[sizes > 1].index)]
        a = alpha(triples, var.level, list(var.values))
        low, high, defined = bootstrap(triples, var.level, list(var.values), draws, seed)
        n_disagree = 0
        for uid, unit_part in pairable.groupby("unit_id", sort=False):
            if unit_part["value"].nunique() > 1:
                n_disagree += 1
                disagree.append({"unit": var.unit, "unit_id": uid, "doc_id": unit_part["doc_id"].iloc[0],
                                 "variable": var.variable, "values": "; ".join(
                                     f"{c}={v}" for c, v in zip(unit_part["coder"], unit_part["value"])),
                                 "text": texts.get(uid, "")})
        rows.append({"unit": var.unit, "variable": var.variable, "level": var.level,
                     "n_units": int((sizes > 1).sum()), "n_coders": int(pairable["coder"].nunique()),
                     "n_values": int(len(pairable)), "n_single": int((sizes == 1).sum()), "alpha": a,
                     "alpha_low": low, "alpha_high": high, "draws": defined,
                     "percent_agreement": percent_agreement(triples), "n_disagree": n_disagree, "flag": flag(a),
                     "below_0_800": bool(not math.isnan(a) and a < RELIABLE),
                     "below_0_667": bool(not math.isnan(a) and a < TENTATIVE)})
    return Agreement(pd.DataFrame(rows, columns=AGREEMENT_COLUMNS), pd.DataFrame(disagree, columns=DISAGREEMENT_COLUMNS),
                     list(ratings.coders), seed, draws)
