"""How texts are built: words per section, first sentences."""
from __future__ import annotations

import pandas as pd

from analysis.corpus import SECTIONS, Corpus


def words_by_section(corpus: Corpus) -> pd.DataFrame:
    """Words per document and section: ``doc_id, section, n_words`` (sections in reading order)."""
    paragraphs = corpus.paragraphs
    table = paragraphs.groupby(["doc_id", "section"], sort=False, as_index=False)["n_words"].sum()
    order = {d.doc_id: i for i, d in enumerate(corpus.docs)}
    table["_d"] = table["doc_id"].map(order)
    table["_s"] = table["section"].map({s: i for i, s in enumerate(SECTIONS)})
    return table.sort_values(["_d", "_s"]).drop(columns=["_d", "_s"]).reset_index(drop=True)


def first_sentences(corpus: Corpus, n: int = 2) -> pd.DataFrame:
    """The first ``n`` sentences of each document's body (after headline and caption)."""
    sentences = corpus.sentences
    body = sentences[sentences["section"].isin(["lead", "body"])]
    return body.groupby("doc_id", sort=False).head(n)[["doc_id", "sentence", "start", "end", "text"]].reset_index(drop=True)
