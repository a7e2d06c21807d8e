"""Phrases per side: the corpus statistics behind ``suggest``.

**Sides.** A sides mapping gives texts a side label (a short code: ``az``, ``ua``, ``other``) by
outlet or doc id (``parse_sides("Anadolu Agency=az")``; case-insensitive, a doc id rule wins,
``*`` names the rest, label ``-`` leaves texts out); unnamed texts get REST (``other``). Without
a mapping, ``meta["side"]`` is used (the manifest reader has no ``side`` column: corpora built in
code only).

**Phrases**: 1–``max_n`` words in one sentence, not across punctuation or numbers, not starting or
ending with a stop word, in ``measures.terms``' counting form. ``keyed`` tests each side against
the rest (G² and log ratio as ``measures.keyness``; denominators count every word) and proposes
the side with the largest log ratio, where it is more frequent and seen ≥ ``min_freq`` times.

**Rival names** are in ``framing.rivalnames``.
"""
from __future__ import annotations

import itertools
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
#: KWIC lines per side on the review sheet, and their context in words.
EXAMPLES, EXAMPLE_WIDTH = 3, 5
SIDE_RE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")


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


class TextCounts:
    """Number of one side's texts holding each phrase, kept as the phrase's count less its repeats
    inside a text: most phrases occur once in a text, so only the repeated ones take room."""

    __slots__ = ("counts", "repeats")

    def __init__(self, counts: Counter):
        self.counts, self.repeats = counts, Counter()

    def add(self, grams: Counter) -> None:
        """Count one text's phrases (after they were added to ``counts``)."""
        self.repeats.update({g: n - 1 for g, n in grams.items() if n > 1})

    def __getitem__(self, gram) -> int:
        return self.counts[gram] - self.repeats[gram]


@dataclass
class Analysis:
    """Counts of every phrase per side, and what the sheet and rival names need."""

    corpus: Corpus
    side_of: dict[str, str]
    sides: list[str]
    max_n: int
    counts: dict[str, Counter] = field(default_factory=dict)
    texts: dict[str, TextCounts] = field(default_factory=dict)
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
    counts = {s: Counter() for s in order}
    an = Analysis(corpus, side_of, order, int(max_n), counts, {s: TextCounts(counts[s]) for s in order})
    current, grams = None, Counter()   # one text's phrases at a time (sentences come text by text)
    for doc, side, tokens in itertools.chain(an.sentences(), [(None, None, ())]):
        if doc is not current and current is not None:
            an.counts[side_of[current.doc_id]].update(grams)
            an.texts[side_of[current.doc_id]].add(grams)
            grams = Counter()
        current = doc
        grams.update(gram for gram, _, _ in an.grams(tokens))
    for doc in corpus:
        side = side_of.get(doc.doc_id)
        if side is not None:
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
