"""Collocations: word pairs that occur near each other more often than chance, per group.

Built on NLTK's ``BigramCollocationFinder`` (no downloaded data needed). Each sentence's
normalised words (``terms.sentence_words``) are fed to the finder with ``window_size − 1``
empty slots after every sentence, so a pair never spans two sentences. With ``window=2`` a
pair is two adjacent words; with ``window=w`` it is ``w1`` followed by ``w2`` at most ``w − 1``
words later (Church & Hanks 1990 style; NLTK divides the pair count by ``w − 1`` when scoring).

Scores, as NLTK's ``BigramAssocMeasures`` computes them:

* ``log_likelihood``: Dunning's (1993) G² of the 2×2 table of the pair (Manning & Schütze 5.3.4);
* ``pmi``: pointwise mutual information, log2(P(w1 w2) / (P(w1) P(w2))) (Church & Hanks 1990).

PMI favours rare pairs: a pair seen once whose words occur nowhere else scores highest; the
frequency filter (``min_freq``, pairs seen fewer times are dropped) is the usual guard.
With ``stop=True`` pairs containing a stop word are dropped (the words still count in the
totals), as in NLTK's ``Text.collocations``.
"""
from __future__ import annotations

import pandas as pd

from analysis.measures import terms
from analysis import text as textmod
from analysis.corpus import Corpus

#: Default window: adjacent words only.
WINDOW = 2
#: Default frequency filter: a pair must occur at least twice in its group (the shipped
#: corpus has ~1,000 words, so a higher cut-off leaves almost nothing).
MIN_FREQ = 2
COLLOCATION_COLUMNS = ["group", "w1", "w2", "n", "n_w1", "n_w2", "n_words", "log_likelihood", "pmi"]


def finder(sentences: list[list[str]], window: int = WINDOW, stop: bool = True,
           min_freq: int = MIN_FREQ) -> BigramCollocationFinder:
    """An NLTK finder over word lists that never pairs words of different sentences."""
    from nltk.collocations import BigramCollocationFinder   # NLTK is imported on first use (about 0.7 s)

    if window < 2:
        raise ValueError(f"window must be at least 2 words, not {window!r}")
    padded: list[str | None] = []
    for words in sentences:
        padded.extend(words)
        padded.extend([None] * (window - 1))
    found = BigramCollocationFinder.from_words(padded, window_size=window)
    if stop:
        stops = textmod.stopwords()
        found.apply_word_filter(lambda w: w in stops)
    found.apply_freq_filter(min_freq)
    return found


def collocations(corpus: Corpus, by: str = "outlet", window: int = WINDOW, min_freq: int = MIN_FREQ,
                 stop: bool = True, stem: str | None = None, node: str | None = None) -> pd.DataFrame:
    """Scored word pairs per group of ``by`` (any manifest column, or ``doc_id``).

    ``node`` keeps only pairs containing that (normalised, stemmed if ``stem``) word, like
    AntConc's collocates of a search term. Columns COLLOCATION_COLUMNS: ``n`` = pair count in
    the window, ``n_w1``/``n_w2`` = word counts, ``n_words`` = words in the group. Sorted by
    group (manifest order), log-likelihood descending, then w1, w2.
    """
    terms.check_by(corpus, by)
    textmod.check_stemmer(stem)
    sentences: dict[str, list[list[str]]] = {}
    for doc in corpus:
        sentences.setdefault(terms.group_of(doc, by), []).extend(terms.sentence_words(doc, stem))
    if node is not None:
        node = textmod.stem_term(textmod.normalize_term(node), stem)
    from nltk.metrics import BigramAssocMeasures

    measures = BigramAssocMeasures()
    rows = []
    for group, sents in sentences.items():
        found = finder(sents, window, stop, min_freq)
        for (w1, w2), n in found.ngram_fd.items():
            if node is not None and node not in (w1, w2):
                continue
            rows.append({"group": group, "w1": w1, "w2": w2, "n": n, "n_w1": found.word_fd[w1],
                         "n_w2": found.word_fd[w2], "n_words": found.word_fd.N(),
                         "log_likelihood": found.score_ngram(measures.likelihood_ratio, w1, w2),
                         "pmi": found.score_ngram(measures.pmi, w1, w2)})
    table = pd.DataFrame(rows, columns=COLLOCATION_COLUMNS)
    order = {g: i for i, g in enumerate(sentences)}
    table["_g"] = table["group"].map(order)
    table = table.sort_values(["_g", "log_likelihood", "w1", "w2"], ascending=[True, False, True, True],
                              kind="mergesort")
    return table.drop(columns="_g").reset_index(drop=True)
