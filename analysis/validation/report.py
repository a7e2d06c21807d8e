"""The generated methods paragraph of a validation: every number comes from the results.

It states the sample (units, population, seed, strata), the coders, Krippendorff's alpha per
variable with its bootstrap interval and flag, how disagreements were settled, and the
workbook's precision, recall and F1 against the gold standard, with the lexicon version.
"""
from __future__ import annotations

import math

from analysis.validation import agreement as agmod

_PLURAL = {"hit": "marker hits", "sentence": "sentences", "article": "articles"}


def _n(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


#: Variables with more values than this get accuracy and macro-F1 only in the paragraph (all in the table).
MAX_VALUES_LISTED = 5


def _design(d: dict) -> str:
    unit = _PLURAL.get(str(d.get("unit")), str(d.get("unit")))
    strata = ("" if d.get("stratify") in (None, "", "none") else
              f" (stratified by {' and '.join(str(d['stratify']).split('+'))}, {d.get('strata', '?')} strata)")
    return f"{d.get('n')} of the {d.get('population')} {unit}{strata}"


def _sampling(designs: list[dict]) -> str:
    seeds = sorted({str(d.get("seed")) for d in designs})
    stratified = any(d.get("stratify") not in (None, "", "none") for d in designs)
    how = ("random samples without replacement, with strata allocated in proportion to their size and at least "
           "one unit each" if stratified else "simple random samples without replacement")
    return f"{how} (numpy default_rng, seed {', '.join(seeds)})"


def methods_paragraph(v) -> str:
    """Plain-text methods paragraph for a ``scoring.Validation``."""
    parts = []
    coders = f"{len(v.coders)} coders ({_names(v.coders)})" if v.coders else "the coders"
    if v.designs:
        books = sorted({str(d["codebook"]) for d in v.designs if d.get("codebook")})
        parts.append(f"For validation, {coders} independently coded, blind to the workbook's output, "
                     + _names([_design(d) for d in v.designs]) + f", drawn as {_sampling(v.designs)}; they answered "
                     f"the codebook's questions" + (f" (codebook sha256 {', '.join(books)})" if books else "") + ".")
    else:
        parts.append(f"For validation, {coders} coded the units blind to the workbook's output (sampling design not recorded).")
    ag = v.agreement
    if ag is not None and len(ag.table):
        items = [f"{r.unit} {r.variable} ({r.level}, {r.n_units} units) α = {_n(r.alpha, 3)} "
                 f"[{_n(r.alpha_low, 2)}, {_n(r.alpha_high, 2)}]" for r in ag.table.itertuples(index=False)]
        parts.append(f"Intercoder reliability was measured with Krippendorff's alpha at each variable's level of "
                     f"measurement (NLTK's AnnotationTask; 95% percentile bootstrap intervals over units, "
                     f"{ag.draws:,} draws, seed {ag.seed}): " + "; ".join(items) + ".")
        weak = [f"{r.unit} {r.variable}" for r in ag.table.itertuples(index=False) if r.flag in ("tentative",)]
        bad = [f"{r.unit} {r.variable}" for r in ag.table.itertuples(index=False) if r.flag in ("unreliable", "undefined")]
        rule = (f"Following Krippendorff (2004), variables with α ≥ {agmod.RELIABLE:.3f} are treated as reliable and "
                f"those with {agmod.TENTATIVE:.3f} ≤ α < {agmod.RELIABLE:.3f} as good for tentative conclusions only")
        parts.append(rule + (f"; tentative here: {_names(weak)}" if weak else "")
                     + (f"; below {agmod.TENTATIVE:.3f} or undefined, and not a trustworthy gold standard: {_names(bad)}"
                        if bad else "") + ".")
    if v.n_ties:
        left = f"; {v.n_unresolved} remained unsettled and were left out" if v.n_unresolved else ""
        parts.append(f"Disagreements were settled by majority; {v.n_ties} tie(s) went to an adjudicator, who settled "
                     f"{v.n_settled}{left}.")
    else:
        parts.append("Disagreements were settled by majority (no ties).")
    results = []
    for s in v.summary.itertuples(index=False):
        per = v.scores[(v.scores["unit"] == s.unit) & (v.scores["variable"] == s.variable) & (v.scores["system"] == s.system)]
        values = "; ".join(f"{r.value} P = {_n(r.precision)}, R = {_n(r.recall)}, F1 = {_n(r.f1)}"
                           for r in per.itertuples(index=False) if r.n_gold or r.n_workbook)
        system = "" if s.system == "workbook" else f" by {s.system.upper() if s.system == 'vader' else 'TextBlob'}"
        listed = f" ({values})" if len(per) <= MAX_VALUES_LISTED else f" over {len(per)} values"
        results.append(f"{s.unit} {s.variable}{system} ({s.n_units} units): accuracy {_n(s.accuracy)}, "
                       f"macro-F1 {_n(s.macro_f1)}{listed}")
    if results:
        parts.append(f"Against the gold standard, the workbook's coding (lexicon version {v.lexicon_version}) "
                     f"reached: " + "; ".join(results) + ".")
    marker = v.scores[(v.scores["variable"] == "has_marker") & (v.scores["value"] == "yes")]
    if len(marker):
        r = marker.iloc[0]
        parts.append(f"The lexicon found {r.n_correct} of the {r.n_gold} sentences that the gold standard marks as "
                     f"containing a marker (recall {_n(r.recall)}; precision {_n(r.precision)}); the sentences it "
                     f"misses are listed as false negatives for error analysis.")
    if v.skipped:
        parts.append(f"Variables without workbook coding (reliability only): {_names(v.skipped)}.")
    return " ".join(parts)
