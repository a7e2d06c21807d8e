"""Term frequencies: counts and rates per 1,000 words, unigrams and bigrams, per document or outlet.

Words are the tokens of ``text.tokens`` that contain a letter, normalised by
``text.normalize_term`` (lower case, straight apostrophes, possessive "'s" dropped). Bigrams
join two consecutive words of the same sentence. With ``stop=True`` unigrams that are stop
words, and bigrams containing one, are left out of the counts (never out of the denominator).
With ``stem="snowball"`` or ``"porter"`` every counted word is replaced by its stem
(``text.stem_term``; stop words are recognised before stemming); the default ``None`` counts
the words as written.

``rate_per_1000`` = ``n`` / words in the group × 1,000, where "words in the group" counts every
word (stop words included) from the headline to the last paragraph.

Groups: ``by="doc_id"`` (one group per document) or any manifest/metadata column (``outlet``,
``date``, ``voice`` …); groups keep the order of their first document in the manifest.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis.measures.rates import in_given_order, rate
from analysis import text as textmod
from analysis.corpus import Corpus, Document

TERM_COLUMNS = ["group", "term", "n", "n_words", "rate_per_1000"]


def sentence_words(doc: Document, stem: str | None = None) -> list[list[str]]:
    """Normalised words of each sentence of ``doc``, in reading order (stemmed if ``stem``)."""
    return [textmod.stem_words(textmod.words(doc.text[s.start:s.end]), stem) for s in doc.sentences]


# Raw token → counting form: None for tokens without a letter and, in the stop-word table, for
# stop words. Filled per distinct token so the per-token work stays in C (re.findall, map,
# Counter); cleared when it grows too large.
_TERM_OF: dict[bool, dict[str, str | None]] = {True: {}, False: {}}
_TERM_OF_LIMIT = 1_000_000


def _terms_of(tokens: list[str], stop: bool = False) -> dict[str, str | None]:
    table = _TERM_OF[stop]
    if len(table) > _TERM_OF_LIMIT:
        table.clear()
    stops = textmod.stopwords() if stop else frozenset()
    for token in set(tokens).difference(table):
        term = textmod.normalize_term(token) if textmod.is_word(token) else None
        table[token] = None if term in stops else term
    return table


def doc_counts(doc: Document, ngram: int = 1, stop: bool = True, stem: str | None = None) -> Counter:
    """Counts of unigrams (``ngram=1``) or bigrams (``ngram=2``, joined by a space) in ``doc``.

    Each distinct token is normalised (and stemmed) once, then looked up for every occurrence.
    """
    if ngram not in (1, 2):
        raise ValueError("ngram must be 1 (words) or 2 (bigrams)")
    textmod.check_stemmer(stem)
    findall, body = textmod.TOKEN_RE.findall, doc.text
    if ngram == 1:
        tokens: list[str] = []
        for s in doc.sentences:
            tokens += findall(body, s.start, s.end)
        counts = Counter(map(_terms_of(tokens, stop).__getitem__, tokens))
        counts.pop(None, None)
    else:
        sentences = [findall(body, s.start, s.end) for s in doc.sentences]
        term_of = _terms_of([t for tokens in sentences for t in tokens])
        stops = textmod.stopwords() if stop else frozenset()
        counts = Counter()
        for tokens in sentences:
            words = [w for w in map(term_of.__getitem__, tokens) if w is not None]
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a not in stops and b not in stops)
    if stem is None:
        return counts
    stemmed: Counter = Counter()
    for term, n in counts.items():
        stemmed[" ".join(textmod.stem_term(w, stem) for w in term.split(" "))] += n
    return stemmed


def doc_word_count(doc: Document) -> int:
    """Words of the analysed text (headline to last paragraph): the rate denominator."""
    return doc.n_words


def group_of(doc: Document, by: str = "doc_id") -> str:
    """The group a document belongs to: its id for ``by="doc_id"``, else its ``by`` metadata value."""
    return doc.doc_id if by == "doc_id" else str(doc.meta.get(by, ""))


def group_columns(corpus: Corpus) -> list[str]:
    """Columns a corpus can be grouped by: ``doc_id`` and every metadata key of its documents."""
    return ["doc_id"] + sorted({k for doc in corpus for k in doc.meta} - {"doc_id"})


def check_by(corpus: Corpus, by: str) -> str:
    """Return ``by`` if the corpus can be grouped by it; else raise ValueError listing the choices."""
    choices = group_columns(corpus)
    if by not in choices:
        raise ValueError(f"cannot group by {by!r}: choose one of {', '.join(choices)}")
    return by


def group_counts(corpus: Corpus, by: str = "doc_id", ngram: int = 1, stop: bool = True,
                 stem: str | None = None) -> tuple[dict[str, Counter], dict[str, int]]:
    """Term counts and word totals (rate denominators) per group, groups in manifest order."""
    counts: dict[str, Counter] = {}
    totals: dict[str, int] = {}
    for doc in corpus:
        key = group_of(doc, by)
        counts.setdefault(key, Counter()).update(doc_counts(doc, ngram, stop, stem))
        totals[key] = totals.get(key, 0) + doc_word_count(doc)
    return counts, totals


def term_table(corpus: Corpus, ngram: int = 1, by: str = "doc_id", stop: bool = True,
               min_count: int = 1, stem: str | None = None) -> pd.DataFrame:
    """Long table ``group, term, n, n_words, rate_per_1000``, one row per group and term.

    ``by`` is ``doc_id`` or any manifest column (``outlet``, ``date``, ``voice`` …). ``stem`` is
    None (default), ``"snowball"`` or ``"porter"``. Sorted by group (first appearance in the
    manifest), then ``n`` descending, then term.
    """
    counts, totals = group_counts(corpus, by, ngram, stop, stem)
    return table_from_counts(counts, totals, min_count)


def table_from_counts(counts: dict[str, Counter], totals: dict[str, int], min_count: int = 1) -> pd.DataFrame:
    """``TERM_COLUMNS`` from term counts and word totals per group (groups in the order given),
    terms seen fewer than ``min_count`` times in a group left out; sorted by group, ``n``
    descending, then term."""
    columns: dict[str, list] = {c: [] for c in TERM_COLUMNS}   # columns, not a dict per row: millions of rows
    for g, counter in counts.items():
        kept = [(t, n) for t, n in counter.items() if n >= min_count]
        columns["group"] += [g] * len(kept)
        columns["term"] += [t for t, _ in kept]
        columns["n"] += [n for _, n in kept]
        columns["n_words"] += [totals[g]] * len(kept)
        columns["rate_per_1000"] += [rate(n, totals[g]) for _, n in kept]
    table = pd.DataFrame(columns if columns["term"] else [], columns=TERM_COLUMNS)
    table["group"] = in_given_order(table["group"], counts)
    table = table.sort_values(["group", "n", "term"], ascending=[True, False, True], kind="mergesort")
    table["group"] = table["group"].astype(object)
    return table.reset_index(drop=True)


def top_terms(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most frequent terms of each group (ties broken alphabetically)."""
    return table.groupby("group", sort=False, group_keys=False).head(n).reset_index(drop=True)
