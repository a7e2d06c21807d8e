"""Phrases per side and rival names: the corpus statistics behind ``suggest``.

**Sides.** A sides mapping gives texts a side label (a short code: ``az``, ``ua``, ``other``) by
outlet or doc id (``parse_sides("Anadolu Agency=az")``; case-insensitive, a doc id rule wins,
``*`` names the rest, label ``-`` leaves texts out); unnamed texts get REST (``other``). Without
a mapping, ``meta["side"]`` is used (the manifest reader has no ``side`` column: corpora built in
code only).

**Phrases**: 1–``max_n`` words in one sentence, not across punctuation or numbers, not starting or
ending with a stop word, in ``measures.terms``' counting form. ``keyed`` tests each side against
the rest (G² and log ratio as ``measures.keyness``; denominators count every word) and proposes
the side with the largest log ratio, where it is more frequent and seen ≥ ``min_freq`` times.

**Rival names** (``rival_pairs``): terms that fill the same contexts but are preferred by
opposite sides (Khankendi/Stepanakert, Kyiv/Kiev). A term's **context vector** holds the words
up to ``window`` positions left and right of each occurrence in its sentence, tagged by position
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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from analysis import text as textmod
from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod, patterns
from analysis.measures import keyness, kwic

#: Side of the texts a sides mapping does not name, and the label that leaves a text out.
REST, LEAVE_OUT = "other", "-"
#: Default minimum occurrences in the proposed side's texts.
MIN_FREQ = 2
#: Longest phrase, in words.
MAX_N = 4
#: A candidate must be in at least this many of its side's texts (all of them if fewer).
MIN_TEXTS = 2
#: Terms per side scored for rival names (the top by G², at most two words each).
POOL = 50
#: KWIC lines per side on the review sheet, and their context in words.
EXAMPLES, EXAMPLE_WIDTH = 3, 5
SIDE_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
#: Words on each side of a term that make its context (1–3); smallest cosine overlap of a rival pair.
WINDOW, MIN_OVERLAP = 2, 0.3
#: Smallest preference of a rival pair (0–1), and fewest context features the two must share.
MIN_PREFERENCE, MIN_SHARED = 0.5, 2
#: Context features that are not content words.
EDGE_START, EDGE_END, NUMBER = "<s>", "</s>", "<num>"
RIVAL_COLUMNS = ["term", "rival", "side", "rival_side", "overlap", "preference", "score", "shared"]


def parse_sides(spec: str) -> dict[str, str]:
    """``"OUTLET=SIDE,DOC_ID=SIDE,*=SIDE"`` → mapping; ValueError on a malformed spec."""
    mapping: dict[str, str] = {}
    for piece in [p for p in (spec or "").split(",") if p.strip()]:
        name, eq, side = piece.rpartition("=")
        name, side = name.strip(), side.strip()
        if not eq or not name:
            raise ValueError(f"--sides: {piece.strip()!r} is not OUTLET=SIDE")
        if side != LEAVE_OUT and not SIDE_RE.match(side):
            raise ValueError(f"--sides: side {side!r} must be a short lower-case code such as az or other")
        mapping[name] = side
    if not mapping:
        raise ValueError("--sides: give at least one OUTLET=SIDE, e.g. --sides \"Anadolu Agency=az\"")
    return mapping


def assign_sides(corpus: Corpus, sides: dict[str, str] | None) -> dict[str, str]:
    """doc_id → side label for every text compared (texts left out are absent).

    ValueError when a name matches no outlet or doc id, or fewer than two sides have texts.
    """
    docs = list(corpus)
    if sides:
        ids, outlets = {d.doc_id for d in docs}, {d.outlet for d in docs}
        folded = {n.casefold() for n in ids | outlets}
        unknown = [n for n in sides if n != "*" and n not in ids | outlets and n.casefold() not in folded]
        if unknown:
            raise ValueError(f"--sides: {unknown[0]!r} is neither an outlet nor a document id "
                             f"(outlets: {', '.join(sorted(outlets))}; ids: {', '.join(sorted(ids))})")
        rules = {n.casefold(): s for n, s in sides.items()}
        rest = sides.get("*", REST)
        chosen = {d.doc_id: rules.get(d.doc_id.casefold(), rules.get(d.outlet.casefold(), rest)) for d in docs}
    else:
        chosen = {d.doc_id: str(d.meta.get("side") or REST) for d in docs}
        if all(s == REST for s in chosen.values()):
            raise ValueError("no sides given: use --sides OUTLET=SIDE,... (or a side in each document's metadata)")
    chosen = {doc_id: side for doc_id, side in chosen.items() if side != LEAVE_OUT}
    if len(set(chosen.values())) < 2:
        raise ValueError(f"--sides: need texts on at least two sides; got {sorted(set(chosen.values()))}")
    return chosen


_RUN_RE = re.compile(r"\w+")


def _first_words(wanted: Iterable[tuple] | None) -> set[str] | None:
    """The first run of word characters of each phrase's first word; None (read every sentence)
    when ``wanted`` is None or a phrase does not start with a word character."""
    if wanted is None:
        return None
    firsts = set()
    for gram in wanted:
        found = _RUN_RE.match(gram[0]) if gram else None
        if found is None:
            return None
        firsts.add(found.group())
    return firsts


@dataclass
class Analysis:
    """Counts of every phrase per side, and what the sheet and rival names need."""

    corpus: Corpus
    side_of: dict[str, str]
    sides: list[str]
    max_n: int
    counts: dict[str, Counter] = field(default_factory=dict)
    texts: dict[str, Counter] = field(default_factory=dict)
    n_texts: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    #: Earlier ``surfaces`` passes: (phrases asked for, limit, forms, spans).
    passes: list = field(default_factory=list, repr=False)

    def sentences(self, wanted: Iterable[tuple] | None = None):
        """``(doc, side, tokens)`` per sentence; a token is ``(term | None, surface, start, end, chunk)``:
        ``None`` for a number, ``chunk`` counts the punctuation breaks before it.

        With ``wanted`` (phrases), sentences that cannot hold any of them are left out unread: an
        ASCII sentence in which no word (run of word characters, lower case) is the first word
        of a wanted phrase."""
        firsts = _first_words(wanted)
        for doc in self.corpus:
            side = self.side_of.get(doc.doc_id)
            if side is None:
                continue
            for sentence in doc.sentences:
                if firsts is not None:
                    text = doc.text[sentence.start:sentence.end]
                    if text.isascii() and firsts.isdisjoint(_RUN_RE.findall(text.lower())):
                        continue
                tokens, chunk, last = [], 0, sentence.start
                for m in textmod.TOKEN_RE.finditer(doc.text, sentence.start, sentence.end):
                    if doc.text[last:m.start()].strip():
                        chunk += 1
                    word = m.group()
                    term = textmod.normalize_term(word) if textmod.is_word(word) else None
                    if term is None:
                        chunk += 1
                    tokens.append((term, word, m.start(), m.end(), chunk))
                    last = m.end()
                yield doc, side, tokens

    def label(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with ``attrs`` ``sides``, ``n_texts`` and ``words`` (per side) of this analysis."""
        table.attrs.update(sides=list(self.sides), n_texts=dict(self.n_texts), words=dict(self.words))
        return table

    def grams(self, tokens):
        """``(gram, first token, last token)`` of each phrase of a sentence; hyphens split a gram's words
        ("confidence-building" and "confidence building" are one gram, as for a lexicon variant)."""
        stops = textmod.stopwords()
        for i, (term, _, _, _, chunk) in enumerate(tokens):
            if term is None or term in stops:
                continue
            for j in range(i, min(i + self.max_n, len(tokens))):
                if tokens[j][0] is None or tokens[j][4] != chunk:
                    break
                if tokens[j][0] not in stops:
                    yield tuple(w for t in tokens[i:j + 1] for w in t[0].split("-") if w), i, j


def analyse(corpus: Corpus, sides: dict[str, str] | None, max_n: int = MAX_N) -> Analysis:
    """Count every phrase of 1–``max_n`` words per side and the texts holding it (one pass)."""
    if not 1 <= int(max_n) <= 4:
        raise ValueError(f"max_n must be 1 to 4 words, not {max_n!r}")
    side_of = assign_sides(corpus, sides)
    order = list(dict.fromkeys(side_of[d.doc_id] for d in corpus if d.doc_id in side_of))
    an = Analysis(corpus, side_of, order, int(max_n), {s: Counter() for s in order}, {s: Counter() for s in order})
    per_doc: dict[str, Counter] = defaultdict(Counter)
    for doc, side, tokens in an.sentences():
        per_doc[doc.doc_id].update(gram for gram, _, _ in an.grams(tokens))
    for doc in corpus:
        side = side_of.get(doc.doc_id)
        if side is not None:
            an.counts[side].update(per_doc[doc.doc_id])
            an.texts[side].update(per_doc[doc.doc_id].keys())
            an.n_texts[side] = an.n_texts.get(side, 0) + 1
            an.words[side] = an.words.get(side, 0) + doc.n_words
    return an


def keyed(an: Analysis, min_freq: int = MIN_FREQ) -> pd.DataFrame:
    """Every phrase seen ≥ ``min_freq`` times on its proposed side, with its keyness (unsorted)."""
    vocab = sorted({g for s in an.sides for g, n in an.counts[s].items() if n >= min_freq})
    counts = np.array([[an.counts[s][g] for s in an.sides] for g in vocab], dtype=float).reshape(len(vocab), len(an.sides))
    words = np.array([an.words[s] for s in an.sides], dtype=float)
    rest_counts, rest_words = counts.sum(axis=1, keepdims=True) - counts, words.sum() - words
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = keyness.log_ratio(counts, rest_counts, words, rest_words)
    best = np.argmax(ratio, axis=1)
    rows = np.arange(len(vocab))
    a, b, n1, n2 = counts[rows, best], rest_counts[rows, best], words[best], rest_words[best]
    keep = (a >= min_freq) & (a / n1 > b / np.where(n2 > 0, n2, 1))
    table = pd.DataFrame({"gram": vocab, "proposed_side": [an.sides[i] for i in best],
                          "g2": keyness.log_likelihood(a, b, n1, n2), "log_ratio": ratio[rows, best]})
    for j, side in enumerate(an.sides):
        table[f"n_{side}"] = counts[:, j].astype(int)
    for side in an.sides:
        table[f"texts_{side}"] = [an.texts[side][g] for g in vocab]
    return table[keep].reset_index(drop=True)


def surfaces(an: Analysis, wanted: set[tuple], limit: int = EXAMPLES, each: Callable | None = None):
    """``(surface form, spans)`` for the phrases ``wanted``: the most frequent way each is written
    (possessive dropped; ties: alphabetical) and its first ``limit`` spans per side.

    A phrase's form and spans depend on that phrase alone, so a call whose phrases were all
    asked for before (same ``limit``) is answered from that earlier pass. ``each(tokens)``, when
    given, is called with every sentence read (the pass is then always made)."""
    for asked, at_limit, forms, spans in an.passes if each is None else ():
        if at_limit == limit and wanted <= asked:
            return ({g: f for g, f in forms.items() if g in wanted},
                    defaultdict(list, {k: v for k, v in spans.items() if k[0] in wanted}))
    counted: dict[tuple, Counter] = defaultdict(Counter)
    spans: dict[tuple, list] = defaultdict(list)
    for doc, side, tokens in an.sentences(wanted):
        if each is not None:
            each(tokens)
        for gram, i, j in an.grams(tokens):
            if gram in wanted:
                words = [re.sub(r"['’][sS]$", "", t[1]).replace("’", "'") if len(t[1]) > 2 else t[1]
                         for t in tokens[i:j + 1]]
                counted[gram][" ".join(words)] += 1
                if len(spans[(gram, side)]) < limit:
                    spans[(gram, side)].append((doc.doc_id, tokens[i][2], tokens[j][3]))
    best = {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in counted.items()}
    an.passes.append((frozenset(wanted), limit, best, dict(spans)))
    return dict(best), spans


def examples(an: Analysis, grams_by_row: list[list[tuple]], width: int = EXAMPLE_WIDTH) -> dict[str, list[str]]:
    """``examples_<side>`` per row: up to EXAMPLES KWIC lines (``doc_id: left [match] right``) per
    side of the row's phrases, in reading order, joined with " | "."""
    wanted = {g for grams in grams_by_row for g in grams}
    _, spans = surfaces(an, wanted)
    order = {d.doc_id: i for i, d in enumerate(an.corpus)}
    lines: dict[tuple, str] = {}
    records = [{"doc_id": d, "start": s, "end": e} for key in spans for d, s, e in spans[key]]
    if records:
        table = kwic.from_spans(an.corpus, pd.DataFrame(records).drop_duplicates(), width)
        for row in table.itertuples(index=False):
            lines[(row.doc_id, row.start, row.end)] = f"{row.doc_id}: {row.left} [{row.match}] {row.right}".strip()
    out = {}
    for side in an.sides:
        column = []
        for grams in grams_by_row:
            found = sorted({sp for g in grams for sp in spans.get((g, side), [])}, key=lambda sp: (order[sp[0]], sp[1]))
            column.append(" | ".join(lines[sp] for sp in found[:EXAMPLES]))
        out[f"examples_{side}"] = column
    return out


def lexicon_filter(exclude: lexmod.Lexicon | None):
    """A test ``gram -> True`` for phrases the lexicon already holds (equal key, or inside a variant)."""
    if exclude is None:
        return lambda gram: False
    inner, globs = set(), []
    for variant, _ in exclude.variants():
        words = [w for w in re.split(r"[\s\-]+", textmod.matching_form(variant.strip())) if w]
        inner.update("".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))
        inner.add(patterns.variant_key(variant))
        if variant.endswith("*"):
            globs.append(words)

    def held(gram: tuple[str, ...]) -> bool:
        if patterns.variant_key(" ".join(gram)) in inner:
            return True
        return any(all(w == p or (p.endswith("*") and w.startswith(p[:-1])) for w, p in zip(gram, words[i:i + len(gram)]))
                   for words in globs for i in range(len(words) - len(gram) + 1))

    return held


def nested(table: pd.DataFrame, sides: list[str]) -> set[tuple]:
    """Phrases whose counts on every side equal those of a longer candidate, seen twice or more, containing them."""
    vectors = dict(zip(table["gram"], map(tuple, table[[f"n_{s}" for s in sides]].to_numpy())))
    return {gram[i:j] for gram, vector in vectors.items() if sum(vector) > 1 for i in range(len(gram))
            for j in range(i + 1, len(gram) + 1) if gram[i:j] != gram and vectors.get(gram[i:j]) == vector}


def ranked(an: Analysis, exclude: lexmod.Lexicon | None, min_freq: int = MIN_FREQ) -> pd.DataFrame:
    """``keyed`` without what ``exclude`` holds and nested phrases, with ``key``, ``dispersion`` and
    ``eligible``, ranked (see ``suggest``)."""
    held = lexicon_filter(exclude)
    table = keyed(an, min_freq)
    table = table[np.array([not held(g) for g in table["gram"]], dtype=bool)].reset_index(drop=True)
    table = table[~table["gram"].isin(nested(table, an.sides))].reset_index(drop=True)
    present = [row[f"texts_{row['proposed_side']}"] for row in table.to_dict("records")]
    n_texts = [an.n_texts[s] for s in table["proposed_side"]]
    table["key"] = [" ".join(g) for g in table["gram"]]
    table["dispersion"] = np.array([p / n for p, n in zip(present, n_texts)], dtype=float)
    table["eligible"] = np.array([p >= min(MIN_TEXTS, n) for p, n in zip(present, n_texts)], dtype=bool)
    table["_side"] = table["proposed_side"].map({s: i for i, s in enumerate(an.sides)})
    table = table.sort_values(["_side", "eligible", "g2", "log_ratio", "key"],
                              ascending=[True, False, False, False, True], kind="mergesort")
    return table.drop(columns=["_side"]).reset_index(drop=True)


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
