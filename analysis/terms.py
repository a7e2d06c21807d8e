"""Term frequencies: counts and rates per 1,000 words, unigrams and bigrams, per document or outlet.

Words are the tokens of ``text.tokens`` that contain a letter, normalised by
``text.normalize_term`` (lower case, straight apostrophes, possessive "'s" dropped). Bigrams
join two consecutive words of the same sentence. With ``stop=True`` unigrams that are stop
words, and bigrams containing one, are left out of the counts (never out of the denominator).

``rate_per_1000`` = ``n`` / words in the group × 1,000, where "words in the group" counts every
word (stop words included) from the headline to the last paragraph.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from . import config, text as textmod
from .corpus import Corpus, Document

TERM_COLUMNS = ["group", "term", "n", "n_words", "rate_per_1000"]


def sentence_words(doc: Document) -> list[list[str]]:
    """Normalised words of each sentence of ``doc``, in reading order."""
    return [textmod.words(doc.text[s.start:s.end]) for s in doc.sentences]


def doc_counts(doc: Document, ngram: int = 1, stop: bool = True) -> Counter:
    """Counts of unigrams (``ngram=1``) or bigrams (``ngram=2``, joined by a space) in ``doc``."""
    if ngram not in (1, 2):
        raise ValueError("ngram must be 1 (words) or 2 (bigrams)")
    stops = textmod.stopwords() if stop else frozenset()
    counts: Counter = Counter()
    for words in sentence_words(doc):
        if ngram == 1:
            counts.update(w for w in words if w not in stops)
        else:
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a not in stops and b not in stops)
    return counts


def doc_word_count(doc: Document) -> int:
    """Words of the analysed text (headline to last paragraph): the rate denominator."""
    return sum(textmod.count_words(doc.text[p.start:p.end]) for p in doc.paragraphs)


def term_table(corpus: Corpus, ngram: int = 1, by: str = "doc_id", stop: bool = True,
               min_count: int = 1) -> pd.DataFrame:
    """Long table ``group, term, n, n_words, rate_per_1000``, one row per group and term.

    ``by`` is ``doc_id`` or any manifest column (``outlet``, ``date``, ``voice`` …). Sorted by
    group (first appearance in the manifest), then ``n`` descending, then term.
    """
    counts: dict[str, Counter] = {}
    totals: Counter = Counter()
    for doc in corpus:
        key = doc.doc_id if by == "doc_id" else str(doc.meta.get(by, ""))
        counts.setdefault(key, Counter()).update(doc_counts(doc, ngram, stop))
        totals[key] += doc_word_count(doc)
    rows = [{"group": g, "term": t, "n": n, "n_words": totals[g],
             "rate_per_1000": n / totals[g] * config.RATE_PER if totals[g] else 0.0}
            for order, (g, counter) in enumerate(counts.items())
            for t, n in counter.items() if n >= min_count]
    table = pd.DataFrame(rows, columns=TERM_COLUMNS)
    order = {g: i for i, g in enumerate(counts)}
    table["_order"] = table["group"].map(order)
    table = table.sort_values(["_order", "n", "term"], ascending=[True, False, True], kind="mergesort")
    return table.drop(columns="_order").reset_index(drop=True)


def top_terms(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most frequent terms of each group (ties broken alphabetically)."""
    return table.groupby("group", sort=False, group_keys=False).head(n).reset_index(drop=True)
