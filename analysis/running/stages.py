"""Per-document stages: what is computed for one parsed document, independently of the others.

``process_document(doc)`` runs every registered stage on it and returns a ``DocResult`` holding
one small table per stage. Per-document results depend only on the document's text (and the
lexicon and code version), so they are cached by content hash, computed in parallel or on a
Dask cluster, and always combined the same way (``running.aggregate``).

Stages (``STAGES``): name → ``Stage(compute, summary)``. ``compute(doc)`` returns a DataFrame
whose first column is ``doc_id``; ``summary(table, n_words)`` returns the per-document numbers
compared between runs (default: rows and rows per 1,000 words). Adding a stage is one line in
``STAGES``; its table is then cached, aggregated and written as ``<name>.csv`` by ``run``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from analysis import text as textmod
from analysis.corpus import Document
from analysis.framing import actors, markers
from analysis.measures import sentiment, terms
from analysis.measures.rates import rate

#: Columns of the per-document term-count tables (stages ``terms`` and ``bigrams``).
COUNT_COLUMNS = ["doc_id", "term", "n"]


def _count_table(doc: Document, ngram: int) -> pd.DataFrame:
    items = sorted(terms.doc_counts(doc, ngram).items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame({"doc_id": [doc.doc_id] * len(items), "term": [t for t, _ in items],
                         "n": [n for _, n in items]}, columns=COUNT_COLUMNS)


def unigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free word counts of ``doc`` (n descending, then term)."""
    return _count_table(doc, 1)


def bigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free bigram counts of ``doc`` (n descending, then term)."""
    return _count_table(doc, 2)


def sentiment_table(doc: Document) -> pd.DataFrame:
    """``sentiment.SENTENCE_COLUMNS``: TextBlob and VADER scores of every sentence of ``doc``."""
    return pd.DataFrame(sentiment.document_sentences(doc, actors.sentence_actors(doc)), columns=sentiment.SENTENCE_COLUMNS)


def sentiment_summary(table: pd.DataFrame, n_words: int) -> dict:
    """Mean sentence scores of a document (0.0 when it has no sentence)."""
    return {f"{c}_mean": float(table[c].mean()) if len(table) else 0.0
            for c in ("textblob_polarity", "vader_compound")}


def marker_table(doc: Document) -> pd.DataFrame:
    """``markers.EVIDENCE_COLUMNS``: every lexicon hit in ``doc``, in text order."""
    return markers.match_document(doc, markers.current_lexicon())


def rows_summary(name: str) -> Callable[[pd.DataFrame, int], dict]:
    """Default stage summary: ``<name>_rows`` and ``<name>_per_1000`` (rows per 1,000 words)."""
    def summary(table: pd.DataFrame, n_words: int) -> dict:
        return {f"{name}_rows": len(table), f"{name}_per_1000": rate(len(table), n_words)}
    return summary


@dataclass(frozen=True)
class Stage:
    """One per-document computation: ``compute(doc) -> DataFrame`` (first column ``doc_id``)."""

    compute: Callable[[Document], pd.DataFrame]
    summary: Callable[[pd.DataFrame, int], dict] | None = None


#: The stage registry, in the order stages run and their summaries appear. One line per stage.
STAGES: dict[str, Stage] = {
    "terms": Stage(unigram_table),
    "bigrams": Stage(bigram_table),
    "sentiment": Stage(sentiment_table, sentiment_summary),
    "markers": Stage(marker_table),
}


def stage_summary(name: str, table: pd.DataFrame, n_words: int) -> dict:
    """The per-document numbers of stage ``name`` (its own summary or rows per 1,000 words)."""
    stage = STAGES[name]
    return (stage.summary or rows_summary(name))(table, n_words)


@dataclass
class DocResult:
    """Everything computed for one document. ``tables``: stage name → DataFrame."""

    doc_id: str
    outlet: str
    sha256: str
    n_paragraphs: int
    n_sentences: int
    n_words: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def relabel(self, doc: Document) -> "DocResult":
        """The same result for ``doc`` (same text, possibly another id or outlet)."""
        if doc.doc_id == self.doc_id and doc.outlet == self.outlet:
            return self
        tables = {}
        for name, table in self.tables.items():
            table = table.copy()
            if "doc_id" in table.columns:
                table["doc_id"] = doc.doc_id
            if "outlet" in table.columns:
                table["outlet"] = doc.outlet
            tables[name] = table
        return DocResult(doc.doc_id, doc.outlet, self.sha256, self.n_paragraphs, self.n_sentences,
                         self.n_words, tables)


def process_document(doc: Document, stages: Iterable[str] | None = None) -> DocResult:
    """Run ``stages`` (default: every stage in ``STAGES``) on one parsed document."""
    names = list(STAGES) if stages is None else list(stages)
    return DocResult(doc.doc_id, doc.outlet, textmod.text_sha256(doc.text), len(doc.paragraphs),
                     len(doc.sentences), doc.n_words,
                     {name: STAGES[name].compute(doc) for name in names})


