"""Notebook 01, corpus overview: which texts, who wrote them, how they are built."""
from __future__ import annotations

import pandas as pd

from analysis.measures import structure
from analysis.presentation import plots
from analysis.presentation.section import Chart, Section, Show, Table

DOCUMENT_SHOWN = ["doc_id", "outlet", "date", "n_paragraphs", "n_sentences", "n_words"]


def documents(wb) -> Section:
    """``01_documents``: one row per text (manifest fields, sha256, paragraphs, sentences, words)."""
    return Section([Table("01_documents", wb.corpus.documents, DOCUMENT_SHOWN)])


def words_by_section(wb) -> Section:
    """``01_words_by_section``: words per text and section (headline, caption, lead, body)."""
    data = structure.words_by_section(wb.corpus)
    if wb.per_text:
        return Section([Chart("01_words_by_section", plots.words_by_section(data), data)])
    texts = pd.Series(wb.groups).value_counts()
    grouped = wb.regroup(data).groupby(["doc_id", "section"], sort=False, as_index=False)["n_words"].sum()
    grouped = grouped.rename(columns={"doc_id": "outlet"}).assign(
        n_words=lambda t: t["n_words"] / t["outlet"].map(texts))
    return Section([Chart("01_words_by_section", plots.words_by_section(grouped, "outlet", "words (mean per text)"),
                          grouped)])


def first_sentences(wb) -> Section:
    """The first two body sentences of each text, with their offsets (shown, not written)."""
    return Section([Show(structure.first_sentences(wb.corpus, n=2))])


SECTIONS = [documents, words_by_section, first_sentences]
