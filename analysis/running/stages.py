"""Per-document stages: what is computed for one parsed document, independently of the others.

``process_document(doc)`` runs every registered stage on it and returns a ``DocResult`` holding
one small table per stage as plain columns (``Columns``: column name → list of values). Per-document
results depend only on the document's text (and the lexicon and code version), so they are
cached by content hash, computed in parallel or on a Dask cluster, and always combined the same
way (``running.aggregate``), which joins the columns of many documents into one DataFrame per
stage. ``DocResult.tables`` gives one document's DataFrames, built on first use.

Stages (``STAGES``): name → ``Stage``. ``compute(doc)`` returns a DataFrame whose first column
is ``doc_id``; ``columns(doc)``, when given, returns the same table as plain columns (faster:
no DataFrame per document); ``schema`` gives each column's Python type, checked when a cached
result is read; ``summary(table, n_words)`` returns the per-document numbers compared between
runs (default: rows and rows per 1,000 words). Adding a stage is one line in ``STAGES``; its
table is then cached, aggregated and written as ``<name>.csv`` by ``run``.
"""
from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from analysis.corpus import Document
from analysis.framing import actors, markers
from analysis.measures import sentiment, terms
from analysis.measures.rates import rate

#: Columns of the per-document term-count tables (stages ``terms`` and ``bigrams``).
COUNT_COLUMNS = ["doc_id", "term", "n"]


class Columns:
    """One stage's table for one document as plain columns: ``data`` maps each column name to a
    list of values (all of one length, ``len(self)`` rows). A stage that computes a DataFrame
    keeps it as ``frame``; its ``data`` is then made from it when first asked for (for the
    cache, another process or a relabelled copy), never when only the DataFrame is needed."""

    __slots__ = ("_data", "rows", "frame")

    def __init__(self, data: dict[str, list] | None, frame: pd.DataFrame | None = None):
        self._data, self.frame = data, frame
        self.rows = len(frame) if frame is not None else len(next(iter(data.values()))) if data else 0

    @classmethod
    def of(cls, table: pd.DataFrame) -> "Columns":
        return cls(None, table)

    @property
    def data(self) -> dict[str, list]:
        if self._data is None:
            table = self.frame
            values = table.to_numpy(dtype=object).T.tolist() if len(table) else [[] for _ in table.columns]
            self._data = dict(zip(table.columns, values))
        return self._data

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, name: str) -> list:
        return self.data[name]

    @property
    def names(self) -> list[str]:
        return list(self.frame.columns) if self._data is None else list(self._data)


def _count_columns(doc: Document, ngram: int) -> Columns:
    items = sorted(terms.doc_counts(doc, ngram).items())
    items.sort(key=itemgetter(1), reverse=True)  # stable: n descending, then term
    return Columns({"doc_id": [doc.doc_id] * len(items), "term": [t for t, _ in items],
                    "n": [n for _, n in items]})


def unigram_columns(doc: Document) -> Columns:
    """``unigram_table`` as plain columns."""
    return _count_columns(doc, 1)


def bigram_columns(doc: Document) -> Columns:
    """``bigram_table`` as plain columns."""
    return _count_columns(doc, 2)


def unigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free word counts of ``doc`` (n descending, then term)."""
    return STAGES["terms"].frame(unigram_columns(doc))


def bigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free bigram counts of ``doc`` (n descending, then term)."""
    return STAGES["bigrams"].frame(bigram_columns(doc))


def sentiment_columns(doc: Document) -> Columns:
    """``sentiment_table`` as plain columns."""
    return Columns(sentiment.sentence_columns(doc, actors.sentence_actors(doc)))


def sentiment_table(doc: Document) -> pd.DataFrame:
    """``sentiment.SENTENCE_COLUMNS``: TextBlob and VADER scores of every sentence of ``doc``."""
    return STAGES["sentiment"].frame(sentiment_columns(doc))


def sentiment_summary(table, n_words: int) -> dict:
    """Mean sentence scores of a document (0.0 when it has no sentence)."""
    return {f"{c}_mean": float(np.asarray(table[c], dtype=np.float64).mean()) if len(table) else 0.0
            for c in ("textblob_polarity", "vader_compound")}


def marker_table(doc: Document) -> pd.DataFrame:
    """``markers.EVIDENCE_COLUMNS``: every lexicon hit in ``doc``, in text order."""
    return markers.match_document(doc, markers.current_lexicon())


def marker_columns(doc: Document) -> Columns:
    """``marker_table`` as plain columns."""
    rows = markers.match_rows(doc, markers.current_lexicon())
    return Columns({c: [row[c] for row in rows] for c in markers.EVIDENCE_COLUMNS})


def rows_summary(name: str) -> Callable[[object, int], dict]:
    """Default stage summary: ``<name>_rows`` and ``<name>_per_1000`` (rows per 1,000 words)."""
    def summary(table, n_words: int) -> dict:
        return {f"{name}_rows": len(table), f"{name}_per_1000": rate(len(table), n_words)}
    return summary


@dataclass(frozen=True)
class Stage:
    """One per-document computation: ``compute(doc) -> DataFrame`` (first column ``doc_id``).

    ``columns(doc) -> Columns`` is the same table without a DataFrame; ``schema`` maps each
    column to the Python type of its values (``float`` columns also hold ints); ``empty_rows``
    says an empty table is built as ``DataFrame([], columns=…)`` (object columns) rather than
    from empty lists (float64 columns), as ``compute`` builds it.
    """

    compute: Callable[[Document], pd.DataFrame]
    summary: Callable[[object, int], dict] | None = None
    columns: Callable[[Document], Columns] | None = None
    schema: dict[str, type] | None = None
    empty_rows: bool = False

    def run(self, doc: Document) -> Columns:
        return self.columns(doc) if self.columns is not None else Columns.of(self.compute(doc))

    def frame(self, cols: Columns) -> pd.DataFrame:
        """One document's table (what ``compute`` returns) from its columns."""
        if cols.frame is not None:
            return cols.frame
        if not len(cols) and self.empty_rows:
            return pd.DataFrame([], columns=cols.names or list(self.schema or ()))
        return pd.DataFrame(cols.data, columns=cols.names or list(self.schema or ()))

    def join(self, parts: list[Columns]) -> pd.DataFrame:
        """The tables of several documents (none empty) as one DataFrame, equal to ``pd.concat``
        of their ``frame``s (``ignore_index=True``)."""
        if any(p.frame is not None for p in parts):
            return pd.concat([self.frame(p) for p in parts], ignore_index=True)
        names = parts[0].names
        return pd.DataFrame({c: list(itertools.chain.from_iterable(p.data[c] for p in parts)) for c in names},
                            columns=names)


_COUNT_SCHEMA = {"doc_id": str, "term": str, "n": int}
_SENTENCE_TYPES = {"paragraph": int, "sentence": int, "start": int, "end": int, "position": float,
                   "disagree": bool, **{c: float for c in sentiment.SCORE_COLUMNS}}
_EVIDENCE_TYPES = {"paragraph": int, "sentence": int, "start": int, "end": int}

#: The stage registry, in the order stages run and their summaries appear. One line per stage.
STAGES: dict[str, Stage] = {
    "terms": Stage(unigram_table, columns=unigram_columns, schema=_COUNT_SCHEMA),
    "bigrams": Stage(bigram_table, columns=bigram_columns, schema=_COUNT_SCHEMA),
    "sentiment": Stage(sentiment_table, sentiment_summary, sentiment_columns, empty_rows=True,
                       schema={c: _SENTENCE_TYPES.get(c, str) for c in sentiment.SENTENCE_COLUMNS}),
    "markers": Stage(marker_table, columns=marker_columns, empty_rows=True,
                     schema={c: _EVIDENCE_TYPES.get(c, str) for c in markers.EVIDENCE_COLUMNS}),
}


def stage_summary(name: str, table, n_words: int) -> dict:
    """The per-document numbers of stage ``name`` (its own summary or rows per 1,000 words);
    ``table`` is the stage's ``Columns`` or DataFrame."""
    stage = STAGES[name]
    return (stage.summary or rows_summary(name))(table, n_words)


class DocResult:
    """Everything computed for one document. ``columns``: stage name → ``Columns``;
    ``tables``: stage name → DataFrame, built from the columns on first use."""

    __slots__ = ("doc_id", "outlet", "sha256", "n_paragraphs", "n_sentences", "n_words", "columns", "_tables")

    def __init__(self, doc_id: str, outlet: str, sha256: str, n_paragraphs: int, n_sentences: int,
                 n_words: int, columns: dict[str, Columns] | None = None):
        self.doc_id, self.outlet, self.sha256 = doc_id, outlet, sha256
        self.n_paragraphs, self.n_sentences, self.n_words = n_paragraphs, n_sentences, n_words
        self.columns = columns or {}
        self._tables: dict[str, pd.DataFrame] | None = None

    def __getstate__(self):  # plain columns only: compact between processes
        return (self.doc_id, self.outlet, self.sha256, self.n_paragraphs, self.n_sentences, self.n_words,
                {name: cols.data for name, cols in self.columns.items()})

    def __setstate__(self, state):
        *fields, columns = state
        self.__init__(*fields, {name: Columns(data) for name, data in columns.items()})
        self.share_strings()

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        if self._tables is None:
            self._tables = {name: _stage(name).frame(cols) for name, cols in self.columns.items()}
        return self._tables

    def share_strings(self) -> "DocResult":
        """Each text of the columns replaced by its one shared copy (``share_strings``), as for
        results read back: a term repeated over thousands of documents is then stored once."""
        for name, cols in self.columns.items():
            share_strings(name, cols)
        return self

    def drop(self, names) -> None:
        """Forget the tables of the stages ``names`` (once the run has joined them elsewhere)."""
        for name in names:
            self.columns.pop(name, None)
        self._tables = None

    def relabel(self, doc: Document) -> "DocResult":
        """The same result for ``doc`` (same text, possibly another id or outlet)."""
        if doc.doc_id == self.doc_id and doc.outlet == self.outlet:
            return self
        columns = {}
        for name, cols in self.columns.items():
            data = dict(cols.data)
            for key, value in (("doc_id", doc.doc_id), ("outlet", doc.outlet)):
                if key in data:
                    data[key] = [value] * len(cols)
            columns[name] = Columns(data)
        return DocResult(doc.doc_id, doc.outlet, self.sha256, self.n_paragraphs, self.n_sentences,
                         self.n_words, columns)


#: Columns whose values are (nearly) all different: not worth sharing.
_UNIQUE_COLUMNS = {("sentiment", "text")}


def share_strings(stage: str, cols: Columns) -> Columns:
    """``cols`` with each text value replaced by its one shared copy (``sys.intern``), for results
    read back (cache entries, results sent by a worker): a term, id, label or version repeated
    over thousands of rows and documents is then stored once."""
    data = cols._data
    for name, values in (data or {}).items():
        if (stage, name) in _UNIQUE_COLUMNS or not values or type(values[0]) is not str:
            continue
        if values.count(values[0]) == len(values):  # one value (an id, an outlet): one list item
            data[name] = [sys.intern(values[0])] * len(values)
            continue
        try:
            data[name] = list(map(sys.intern, values))
        except TypeError:  # a missing value (NaN) among the texts
            data[name] = [sys.intern(v) if type(v) is str else v for v in values]
    return cols


def _stage(name: str) -> Stage:
    return STAGES.get(name) or Stage(lambda doc: pd.DataFrame())


def process_document(doc: Document, stages: Iterable[str] | None = None) -> DocResult:
    """Run ``stages`` (default: every stage in ``STAGES``) on one parsed document."""
    names = list(STAGES) if stages is None else list(stages)
    return DocResult(doc.doc_id, doc.outlet, doc.sha256, len(doc.paragraphs),
                     len(doc.sentences), doc.n_words, {name: STAGES[name].run(doc) for name in names})
