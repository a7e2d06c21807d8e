"""Rival names: terms that fill the same contexts but are preferred by opposite sides.

``rival_pairs`` finds them (Khankendi/Stepanakert, Kyiv/Kiev) among the phrases of a
``rivals.Analysis``. A term's **context vector** holds the words up to ``window`` positions left and right of each occurrence in its sentence, tagged by position
(``L1:of``, ``R2:said``), weighted 1/distance (edges ``<s>``/``</s>``, numbers ``<num>``, stop
words kept: "the city of ___" is a slot). **Overlap** = cosine of two vectors. A pair (x key to
side A, y to side B) is kept when overlap ≥ ``min_overlap``, they share ≥ MIN_SHARED features
(one a content word), both or neither are capitalised (names pair with names), neither's words
contain the other's, and **preference** ``p_A(x) − p_B(x)`` ≥ MIN_PREFERENCE, where ``p_S(x) =
n_S(x) / (n_S(x) + n_S(y))`` (1: each side uses only its own term; both sides must use one).
Rank: overlap × preference. Only the top ``pool`` terms (≤ 2 words) per side by G² are scored,
and only pairs sharing a feature (inverted index): linear in tokens, sub-quadratic in vocabulary.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Iterable

import pandas as pd

from analysis import text as textmod
from analysis.framing.rivals import MIN_FREQ, Analysis, keyed, surfaces

#: Terms per side scored for rival names (the top by G², at most two words each).
POOL = 50
#: Words on each side of a term that make its context (1–3); smallest cosine overlap of a rival pair.
WINDOW, MIN_OVERLAP = 2, 0.3
#: Smallest preference of a rival pair (0–1), and fewest context features the two must share.
MIN_PREFERENCE, MIN_SHARED = 0.5, 2
#: Context features that are not content words.
EDGE_START, EDGE_END, NUMBER = "<s>", "</s>", "<num>"
RIVAL_COLUMNS = ["term", "rival", "side", "rival_side", "overlap", "preference", "score", "shared"]


def _features(words: list[str | None], i: int, j: int, window: int) -> Iterable[tuple[str, str, float]]:
    """``(feature, word, weight)`` of the context of ``words[i:j]``."""
    for k in range(1, window + 1):
        left = i - k
        word = EDGE_START if left == -1 else (words[left] or NUMBER) if left >= 0 else None
        if word is not None:
            yield f"L{k}:{word}", word, 1.0 / k
        right = j - 1 + k
        word = EDGE_END if right == len(words) else (words[right] or NUMBER) if right < len(words) else None
        if word is not None:
            yield f"R{k}:{word}", word, 1.0 / k


class ContextVectors:
    """Context vectors of ``terms`` (word tuples, ≤ ``max_n`` words), built one sentence at a time
    (``add``: normalised words, ``None`` for a number); ``vectors`` and each feature's word in
    ``words_of``."""

    def __init__(self, terms: set[tuple[str, ...]], window: int = WINDOW, max_n: int = 4):
        if not 1 <= window <= 3:
            raise ValueError(f"window must be 1, 2 or 3 words, not {window!r}")
        self.terms, self.window, self.max_n = terms, window, max_n
        self.lengths = sorted({len(t) for t in terms})
        self.vectors: dict[tuple, Counter] = defaultdict(Counter)
        self.words_of: dict[str, str] = {}

    def add(self, words: list[str | None]) -> None:
        for i in range(len(words)):
            for n in self.lengths:
                if n > self.max_n or i + n > len(words):
                    break
                gram = tuple(words[i:i + n])
                if gram in self.terms:
                    for feature, word, weight in _features(words, i, i + n, self.window):
                        self.vectors[gram][feature] += weight
                        self.words_of[feature] = word


def context_vectors(sentences: Iterable[list[str | None]], terms: set[tuple[str, ...]], window: int = WINDOW,
                    max_n: int = 4) -> tuple[dict[tuple, Counter], dict[str, str]]:
    """Context vectors of ``terms`` (word tuples, ≤ ``max_n`` words) over ``sentences`` (normalised
    words, ``None`` for a number), and each feature's word; one pass."""
    found = ContextVectors(terms, window, max_n)
    for words in sentences:
        found.add(words)
    return dict(found.vectors), found.words_of


def _contains(a: tuple, b: tuple) -> bool:
    """True when the words of ``b`` appear in ``a`` as a contiguous run."""
    return any(a[i:i + len(b)] == b for i in range(len(a) - len(b) + 1))


def pairs(vectors: dict[tuple, Counter], words_of: dict[str, str], side_of: dict[tuple, str],
          counts: dict[tuple, dict[str, int]], sides: list[str], stops: frozenset[str],
          min_overlap: float = MIN_OVERLAP, names: dict[tuple, bool] | None = None) -> pd.DataFrame:
    """Rival pairs among the pooled terms (``side_of``: term → the side it is key to).

    ``counts``: term → side → occurrences; ``names``: term → written with a capital (a pair
    must agree: names pair with names). Returns RIVAL_COLUMNS (``term`` is preferred by
    ``side``, which comes before ``rival_side`` in ``sides``; ``shared`` = context features in
    common), sorted by score descending, then term and rival.
    """
    order = {side: i for i, side in enumerate(sides)}
    index: dict[str, list[tuple]] = defaultdict(list)
    for term in sorted(vectors):
        if term in side_of:
            for feature in vectors[term]:
                index[feature].append(term)
    dots: dict[tuple[tuple, tuple], float] = defaultdict(float)
    shared: dict[tuple[tuple, tuple], list[str]] = defaultdict(list)
    for feature in sorted(index):
        holders = index[feature]
        for a in range(len(holders)):
            for b in range(a + 1, len(holders)):
                x, y = holders[a], holders[b]
                if side_of[x] == side_of[y]:
                    continue
                if order[side_of[x]] > order[side_of[y]]:
                    x, y = y, x
                dots[(x, y)] += vectors[x][feature] * vectors[y][feature]
                shared[(x, y)].append(feature)
    norms = {term: math.sqrt(sum(v * v for v in vector.values())) for term, vector in vectors.items()}
    content = lambda f: words_of[f] not in stops and words_of[f] not in (EDGE_START, EDGE_END, NUMBER)  # noqa: E731
    rows = []
    for (x, y), dot in dots.items():
        overlap = dot / (norms[x] * norms[y]) if norms[x] and norms[y] else 0.0
        if overlap < min_overlap or len(shared[(x, y)]) < MIN_SHARED or not any(content(f) for f in shared[(x, y)]):
            continue
        if _contains(x, y) or _contains(y, x) or (names and names.get(x) != names.get(y)):
            continue
        a, b = side_of[x], side_of[y]
        used_a = counts[x].get(a, 0) + counts[y].get(a, 0)
        used_b = counts[x].get(b, 0) + counts[y].get(b, 0)
        if not used_a or not used_b:
            continue
        preference = counts[x].get(a, 0) / used_a - counts[x].get(b, 0) / used_b
        if preference < MIN_PREFERENCE:
            continue
        rows.append({"term": x, "rival": y, "side": a, "rival_side": b, "overlap": overlap,
                     "preference": preference, "score": overlap * preference, "shared": len(shared[(x, y)])})
    table = pd.DataFrame(rows, columns=RIVAL_COLUMNS)
    if len(table):
        table["_t"], table["_r"] = table["term"].map(" ".join), table["rival"].map(" ".join)
        table = table.sort_values(["score", "_t", "_r"], ascending=[False, True, True], kind="mergesort")
        table = table.drop(columns=["_t", "_r"])
    return table.reset_index(drop=True)


def rival_pairs(an: Analysis, min_freq: int = MIN_FREQ, window: int = WINDOW, pool: int = POOL,
                min_overlap: float = MIN_OVERLAP) -> pd.DataFrame:
    """``pairs`` among the top ``pool`` terms (≤ 2 words, seen ≥ ``min_freq`` times) of each side,
    with ``n_<side>`` of the term and ``rival_n_<side>`` of the rival; terms are word tuples."""
    table = keyed(an, min_freq)
    table = table[table["gram"].map(len) <= 2].sort_values(["g2", "gram"], ascending=[False, True], kind="mergesort")
    pooled = table.groupby("proposed_side", sort=False).head(pool)
    side_of = dict(zip(pooled["gram"], pooled["proposed_side"]))
    found = ContextVectors(set(side_of), window, max(map(len, side_of), default=1))
    forms, _ = surfaces(an, set(side_of), each=lambda tokens: found.add(
        [w for t in tokens for w in (t[0].split("-") if t[0] else [None]) if w != ""]))
    vectors, words_of = dict(found.vectors), found.words_of
    counts = {g: {s: an.counts[s][g] for s in an.sides} for g in side_of}
    names = {g: forms.get(g, "")[:1].isupper() for g in side_of}
    found = pairs(vectors, words_of, side_of, counts, an.sides, textmod.stopwords(), min_overlap, names)
    for prefix, column in (("", "term"), ("rival_", "rival")):
        for side in an.sides:
            found[f"{prefix}n_{side}"] = [an.counts[side][g] for g in found[column]]
    return found
