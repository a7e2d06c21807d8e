"""Keyness: which terms one group of texts uses more (or less) than another.

For a term seen ``a`` times in the target (``n1`` words) and ``b`` times in the reference
(``n2`` words):

* **Log-likelihood G²** (Rayson & Garside 2000, "Comparing corpora using frequency profiling"),
  in the 2-cell form of Rayson's online log-likelihood wizard and AntConc's "2-term" option:
  ``E1 = n1·(a+b)/(n1+n2)``, ``E2 = n2·(a+b)/(n1+n2)``, ``G² = 2·(a·ln(a/E1) + b·ln(b/E2))``
  with ``0·ln 0 = 0``. No Yates or Williams correction (quanteda's ``textstat_keyness(measure="lr")``
  applies Williams' correction to a 4-cell table, so its values are a little lower).
  G² is compared with the χ² distribution with 1 degree of freedom (critical values below).
* **Log ratio** (Hardie 2014, "Log Ratio – an informal introduction", CASS):
  ``log2((a/n1)/(b/n2))``; a zero count is replaced by 0.5 before the ratio is taken, as Hardie
  proposes, so a term absent from one side has a finite log ratio. +1 = twice as frequent in
  the target, −1 = half as frequent.
* ``signed_g2`` = G² with the sign of the difference of relative frequencies (+ = more frequent
  in the target, − = less frequent; taken from the unadjusted counts).

Counting units are those of ``terms`` (normalised words or bigrams, stop words left out by
default; the denominators count every word). Tables have fixed columns (KEYNESS_COLUMNS).
"""
from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pandas as pd

from analysis.measures.rates import rate
from analysis.measures import terms
from analysis.corpus import Corpus

#: Critical values of χ² with 1 degree of freedom (Rayson's wizard; any χ² table):
#: G² ≥ 3.84 ⇒ p < 0.05, 6.63 ⇒ p < 0.01, 10.83 ⇒ p < 0.001, 15.13 ⇒ p < 0.0001.
G2_P05 = 3.84
G2_P01 = 6.63
G2_P001 = 10.83
G2_P0001 = 15.13
CRITICAL_VALUES = {0.05: G2_P05, 0.01: G2_P01, 0.001: G2_P001, 0.0001: G2_P0001}
#: Default significance threshold: p < 0.05. With many terms tested some false positives are
#: expected; raise it (e.g. to G2_P0001, as Rayson suggests for corpus comparisons) on a larger corpus.
THRESHOLD = G2_P05
#: Default minimum frequency: a term is tested only if it occurs at least this often in the
#: target and reference together (a + b). Chosen low for the tiny shipped corpus; AntConc's
#: and quanteda's defaults are lower still (1), WordSmith's 3.
MIN_FREQ = 3
#: Count given to a zero frequency in the log ratio (Hardie 2014).
ZERO_ADJUSTMENT = 0.5
#: Label of the reference when each group is compared with the rest of the corpus.
REST = "(rest)"

KEYNESS_COLUMNS = ["group", "reference", "term", "n_group", "n_reference", "words_group",
                   "words_reference", "rate_group", "rate_reference", "g2", "log_ratio",
                   "signed_g2", "significant"]


def log_likelihood(a, b, n1, n2):
    """G² of counts ``a`` (target, ``n1`` words) and ``b`` (reference, ``n2`` words); ≥ 0.

    Accepts scalars or arrays; ``0·ln(0/E)`` is taken as 0.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    e1 = n1 * (a + b) / (n1 + n2)
    e2 = n2 * (a + b) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(np.where(a > 0, a, 1.0) / np.where(e1 > 0, e1, 1.0)), 0.0)
        t2 = np.where(b > 0, b * np.log(np.where(b > 0, b, 1.0) / np.where(e2 > 0, e2, 1.0)), 0.0)
    g2 = 2.0 * (t1 + t2)
    return float(g2) if g2.ndim == 0 else g2


def log_ratio(a, b, n1, n2):
    """Hardie's log ratio ``log2((a/n1)/(b/n2))``, zero counts replaced by ZERO_ADJUSTMENT (0.5)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a = np.where(a == 0, ZERO_ADJUSTMENT, a)
    b = np.where(b == 0, ZERO_ADJUSTMENT, b)
    lr = np.log2((a / np.asarray(n1, dtype=float)) / (b / np.asarray(n2, dtype=float)))
    return float(lr) if lr.ndim == 0 else lr


def compare(target: Counter, reference: Counter, n1: int, n2: int, group: str = "target",
            reference_name: str = REST, min_freq: int = MIN_FREQ,
            threshold: float = THRESHOLD) -> pd.DataFrame:
    """Keyness of every term of ``target`` ∪ ``reference`` with ``a + b ≥ min_freq``.

    ``n1``/``n2`` are the word totals (denominators). Columns KEYNESS_COLUMNS; rates per 1,000
    words; ``significant`` = ``g2 ≥ threshold``. Sorted by ``signed_g2`` descending, then term.
    """
    vocab = sorted(t for t in set(target) | set(reference) if target[t] + reference[t] >= min_freq)
    a = np.array([target[t] for t in vocab], dtype=float)
    b = np.array([reference[t] for t in vocab], dtype=float)
    if not vocab or n1 <= 0 or n2 <= 0:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    g2 = log_likelihood(a, b, n1, n2)
    rate_a, rate_b = rate(a, n1), rate(b, n2)
    table = pd.DataFrame({
        "group": group, "reference": reference_name, "term": vocab,
        "n_group": a.astype(int), "n_reference": b.astype(int), "words_group": n1, "words_reference": n2,
        "rate_group": rate_a, "rate_reference": rate_b, "g2": g2, "log_ratio": log_ratio(a, b, n1, n2),
        "signed_g2": np.sign(rate_a - rate_b) * g2, "significant": g2 >= threshold,
    }, columns=KEYNESS_COLUMNS)
    table = table.sort_values(["signed_g2", "term"], ascending=[False, True], kind="mergesort")
    return table.reset_index(drop=True)


def keyness(corpus: Corpus, by: str = "outlet", ngram: int = 1, stop: bool = True,
            stem: str | None = None, min_freq: int = MIN_FREQ, threshold: float = THRESHOLD,
            only_significant: bool = False) -> pd.DataFrame:
    """Each group of ``by`` (any manifest column) against the rest of the corpus.

    Long table (KEYNESS_COLUMNS), ``reference`` = REST; groups in manifest order, within a
    group by ``signed_g2`` descending (positive keywords first, negative ones last).
    """
    terms.check_by(corpus, by)
    counts, totals = terms.group_counts(corpus, by, ngram, stop, stem)
    parts = [compare(counter, rest, totals[group], n_rest, group, REST, min_freq, threshold)
             for group, counter, rest, n_rest in _against_rest(counts, totals)]
    return _finish(parts, only_significant)


def _against_rest(counts: dict[str, Counter], totals: Counter):
    """(group, its counts, the other groups' summed counts, their words) for every group.

    The rest is the corpus total minus the group (terms the rest lacks are left out, as
    ``compare`` reads a missing term as 0), so the cost grows with groups × vocabulary once."""
    total: Counter = Counter()
    for counter in counts.values():
        total.update(counter)
    words = sum(totals.values())
    for group, counter in counts.items():
        yield group, counter, total - counter, words - totals[group]


def positive_keywords(corpus: Corpus, by: str = "doc_id", top: int = 3, min_freq: int = MIN_FREQ,
                      threshold: float = THRESHOLD) -> dict[str, list[str]]:
    """Each group's ``top`` keywords against the rest: significant (G² ≥ ``threshold``) with a
    higher rate in the group, by ``signed_g2`` descending then term — the first rows of that
    group in ``keyness``, computed on the group's own terms only (a term the group lacks is
    never a positive keyword), so it stays fast with one group per text."""
    terms.check_by(corpus, by)
    counts, totals = terms.group_counts(corpus, by, 1, True, None)
    found = {}
    for group, counter, rest, n_rest in _against_rest(counts, totals):
        n1, vocab = totals[group], sorted(t for t in counter if counter[t] + rest[t] >= min_freq)
        if not vocab or n1 <= 0 or n_rest <= 0:
            found[group] = []
            continue
        a = np.array([counter[t] for t in vocab], dtype=float)
        b = np.array([rest[t] for t in vocab], dtype=float)
        g2 = log_likelihood(a, b, n1, n_rest)
        signed = np.sign(rate(a, n1) - rate(b, n_rest)) * g2      # as in ``compare``
        keep = np.flatnonzero((signed > 0) & (g2 >= threshold))
        found[group] = [vocab[i] for i in sorted(keep, key=lambda i: (-signed[i], vocab[i]))[:top]]
    return found


def pairwise(corpus: Corpus, by: str = "outlet", ngram: int = 1, stop: bool = True,
             stem: str | None = None, min_freq: int = MIN_FREQ, threshold: float = THRESHOLD,
             only_significant: bool = False) -> pd.DataFrame:
    """Every ordered pair of groups (``group`` vs ``reference``), each pair once with the
    earlier group (manifest order) as target. Columns KEYNESS_COLUMNS."""
    terms.check_by(corpus, by)
    counts, totals = terms.group_counts(corpus, by, ngram, stop, stem)
    parts = [compare(counts[g1], counts[g2], totals[g1], totals[g2], g1, g2, min_freq, threshold)
             for g1, g2 in itertools.combinations(counts, 2)]
    return _finish(parts, only_significant)


def _finish(parts: list[pd.DataFrame], only_significant: bool) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KEYNESS_COLUMNS)
    if only_significant:
        table = table[table["significant"].astype(bool)].reset_index(drop=True)
    return table


def matrix(table: pd.DataFrame, top: int = 8, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Terms × groups of ``signed_g2`` from a ``keyness`` table (one column per group).

    Keeps, for every group, its ``top`` positive keywords with ``g2 ≥ threshold``; a term kept
    for any group shows its signed G² for every group (0.0 where it was below ``min_freq``).
    Rows ordered by the group they are most key for (group order), then signed G² descending.
    """
    groups = list(dict.fromkeys(table["group"]))
    positive = table[(table["signed_g2"] > 0) & (table["g2"] >= threshold)]
    chosen = positive.groupby("group", sort=False).head(top)
    wide = table.pivot_table(index="term", columns="group", values="signed_g2", aggfunc="first",
                             fill_value=0.0).reindex(columns=groups, fill_value=0.0)
    rows = list(dict.fromkeys(chosen["term"]))
    out = wide.reindex(rows).reset_index()
    out.columns.name = None
    return out
