"""Corpus tables folded one document at a time from per-document results (bounded memory)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

import pandas as pd

from analysis.corpus import Corpus
from analysis.measures.rates import rate
from analysis.running.stages import STAGES, DocResult, stage_summary

#: Columns of ``Aggregate.documents`` before the stage summaries (which follow, in stage order).
SUMMARY_COLUMNS = ["doc_id", "outlet", "sha256", "n_paragraphs", "n_sentences", "n_words"]
#: Columns of ``Aggregate.terms`` (corpus-wide unigram counts; stop words left out).
CORPUS_TERM_COLUMNS = ["term", "n", "n_docs", "rate_per_1000"]


class Aggregate:
    """Corpus tables folded one document at a time (bounded memory: no per-document tables kept).

    ``documents``: one row per document (``SUMMARY_COLUMNS`` then each stage's summary),
    in the order given by ``add``'s ``order`` key. ``terms``: corpus-wide word counts.
    Document rows are kept as compact column-wise chunks (``COMPACT_EVERY`` rows each), about
    a tenth of the memory of one dict per document.
    """

    #: Rows gathered as dicts before they are packed into a DataFrame chunk.
    COMPACT_EVERY = 2000

    def __init__(self, stages: Iterable[str] | None = None):
        self.stages = list(STAGES) if stages is None else list(stages)
        self.rows: list[tuple[tuple, dict]] = []
        self.chunks: list[pd.DataFrame] = []
        self.term_counts: Counter = Counter()
        self.term_docs: Counter = Counter()
        self.n_words = 0
        #: Input problems met while building it (rows of a JSON Lines or Parquet corpus left out).
        self.problems: list = []

    def add(self, result: DocResult, order: tuple = ()) -> None:
        row = {"doc_id": result.doc_id, "outlet": result.outlet, "sha256": result.sha256,
               "n_paragraphs": result.n_paragraphs, "n_sentences": result.n_sentences,
               "n_words": result.n_words}
        for name in self.stages:
            row.update(stage_summary(name, result.columns[name], result.n_words))
        if "terms" in result.columns:
            table = result.columns["terms"]
            counts, get = self.term_counts, self.term_counts.get
            for term, n in zip(table["term"], table["n"]):  # Counter.update of a mapping, without the mapping
                counts[term] = get(term, 0) + n
            self.term_docs.update(table["term"])
        self.n_words += result.n_words
        self.rows.append((order, row))
        if len(self.rows) >= self.COMPACT_EVERY:
            self.compact()

    def compact(self) -> "Aggregate":
        """Pack the pending rows into one DataFrame chunk (with ``_o0``, ``_o1`` … order columns)."""
        if self.rows:
            chunk = pd.DataFrame([row for _, row in self.rows])
            width = max(len(order) for order, _ in self.rows)
            for k in range(width):
                chunk[f"_o{k}"] = [order[k] if k < len(order) else -1 for order, _ in self.rows]
            self.chunks.append(chunk)
            self.rows = []
        return self

    def merge(self, other: "Aggregate") -> None:
        self.compact()
        self.chunks.extend(other.compact().chunks)
        self.term_counts.update(other.term_counts)
        self.term_docs.update(other.term_docs)
        self.n_words += other.n_words
        self.problems.extend(other.problems)

    @property
    def documents(self) -> pd.DataFrame:
        self.compact()
        if not self.chunks:
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        table = pd.concat(self.chunks, ignore_index=True)
        keys = sorted(c for c in table.columns if c.startswith("_o"))
        if keys:
            table = table.sort_values(keys, kind="mergesort").drop(columns=keys)
        columns = list(SUMMARY_COLUMNS) + [c for c in table.columns if c not in SUMMARY_COLUMNS]
        return table[columns].reset_index(drop=True)

    @property
    def terms(self) -> pd.DataFrame:
        items = sorted(self.term_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return pd.DataFrame({"term": [t for t, _ in items], "n": [n for _, n in items],
                             "n_docs": [self.term_docs[t] for t, _ in items],
                             "rate_per_1000": [rate(n, self.n_words) for _, n in items]},
                            columns=CORPUS_TERM_COLUMNS)


def stage_table(corpus: Corpus, results: dict[str, DocResult], stage: str) -> pd.DataFrame:
    """All documents' tables of one stage, in manifest order: their columns joined into one
    DataFrame (equal to concatenating each document's table)."""
    parts = [results[doc.doc_id].columns[stage] for doc in corpus]
    parts = [p for p in parts if len(p)]
    if not parts:
        return next(iter(results.values())).tables[stage].iloc[0:0] if results else pd.DataFrame()
    return STAGES[stage].join(parts)


def aggregate(corpus: Corpus, results: dict[str, DocResult]) -> Aggregate:
    """Fold the results in manifest order."""
    agg = Aggregate()
    for position, doc in enumerate(corpus):
        agg.add(results[doc.doc_id], (position,))
    return agg
