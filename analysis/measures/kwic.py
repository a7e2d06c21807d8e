"""Keyword in context (KWIC) concordances and dispersion of hits, with exact character offsets.

Searching: a query is a word or phrase, matched case-insensitively on ``text.matching_form``
(curly quotes folded to straight ones, dashes and hyphens to "-"), so "Nagorno-Karabakh"
finds "Nagorno–Karabakh" and "people's" finds "people’s". A match must begin and end at a
word boundary (no letter or digit just outside it); inside a phrase any run of white space
(line breaks included) matches a space, and is matched whole. ``*`` in a query stands for any
run of letters or digits ("peace*" finds "peace", "peaceful", "peacefully"; "*" alone in a
phrase, one word). Only the analysed text is searched (headline to last paragraph; a metadata
header is skipped). Hits never overlap. Matching takes time linear in the text's length
whatever the query (see ``query_pattern``).

Context: ``width`` **words** (tokens that contain a letter, ``text.iter_word_spans``) on each
side, taken from the document as a whole (a context may run into the neighbouring sentence or
paragraph, as in AntConc and quanteda). ``left`` and ``right`` are the exact original text
between those words and the match, with each run of white space shown as one space.

Concordance columns (CONCORDANCE_COLUMNS): ``doc_id, outlet, start, end, sentence, left,
match, right``; ``start``/``end`` are offsets into the document text (``doc.text[start:end] ==
match``), ``sentence`` the 0-based index of the sentence holding ``start`` (−1 if none). Rows
are in manifest order, then by ``start``; ``sort`` re-orders them AntConc-style.
"""
from __future__ import annotations

import bisect
import re

import numpy as np
import pandas as pd

from analysis import text as textmod
from analysis.corpus import Corpus, Document

#: Default context width, in words on each side (quanteda's ``kwic`` default window is 5 tokens).
WIDTH = 5
CONCORDANCE_COLUMNS = ["doc_id", "outlet", "start", "end", "sentence", "left", "match", "right"]
DISPERSION_COLUMNS = ["term", "doc_id", "outlet", "start", "end", "position"]
_SPACE_RE = re.compile(r"\s+")
_SORT_KEY_RE = re.compile(r"^(?:([LR])([1-9][0-9]*)|match|doc_id|start)$")


_SEGMENT_RE = re.compile(r"[\w*]+|[^\w*]")


def _segment_regex(segment: str) -> str:
    """Regular expression for a run of word characters and ``*`` in a query (a "glob").

    The run it matches in the text is always a whole run of word characters (what follows it
    in the query cannot match a word character), so the glob only has to match that run, and
    does so without backtracking over it more than once: each middle piece is matched at its
    first occurrence (atomic, lazy), which leaves the most room for the rest; the last piece
    must end the run. ``a*a*a*a*b`` on a 1,000-letter word is then linear, not O(n⁴).
    """
    if "*" not in segment:
        return re.escape(segment)
    first, *middle, last = segment.split("*")
    parts = [re.escape(first)] + [rf"(?>\w*?{re.escape(piece)})" for piece in middle if piece]
    parts.append(rf"\w*{re.escape(last)}(?!\w)" if last else r"\w*+")
    return "".join(parts)


def query_pattern(query: str) -> re.Pattern:
    r"""The compiled regular expression for a word or phrase query (see the module docstring).

    White space between the words of a phrase is matched possessively (``\s++``): a ``*`` on
    its own between two words cannot match nothing inside a double space, which keeps phrases
    of lone ``*`` linear on long runs of white space.
    """
    folded = textmod.matching_form(query.strip())
    if not folded or folded.replace("*", "").strip() == "":
        raise ValueError(f"empty query {query!r}: give a word or a phrase")
    words = folded.split()
    parts = ["".join(_segment_regex(seg) for seg in _SEGMENT_RE.findall(part)) for part in words]
    start = r"(?<!\w)"
    if set(words[0]) == {"*"}:
        # A leading lone "*" may match nothing, so a hit may start in white space; every start
        # inside one run of white space then ends the same way, so only the first one or two
        # (after a word or a punctuation mark) are tried, not all of them.
        start += r"(?:(?=\w)|(?<!\s\s))"
    return re.compile(start + r"\s++".join(parts) + r"(?!\w)")


def find(doc: Document, query: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every hit of ``query`` in the analysed text of ``doc``."""
    pattern = query_pattern(query)
    body_end = doc.paragraphs[-1].end if doc.paragraphs else len(doc.text)
    form = textmod.matching_form(doc.text)
    return [(m.start(), m.end()) for m in pattern.finditer(form, doc.body_start, body_end) if m.end() > m.start()]


def _clean(chunk: str) -> str:
    return _SPACE_RE.sub(" ", chunk).strip()


class _Contexts:
    """Word spans and sentence starts of one document, for context and sentence look-ups."""

    def __init__(self, doc: Document):
        self.doc = doc
        lo = doc.body_start
        self.spans = [(t.start + lo, t.end + lo) for t in textmod.iter_word_spans(doc.text[lo:])]
        self.word_starts = [s for s, _ in self.spans]
        self.word_ends = [e for _, e in self.spans]
        self.sentence_starts = [s.start for s in doc.sentences]

    def row(self, start: int, end: int, width: int) -> dict:
        doc = self.doc
        before = bisect.bisect_right(self.word_ends, start)   # words ending at or before start
        after = bisect.bisect_left(self.word_starts, end)     # first word starting at or after end
        left_from = self.spans[max(0, before - width)][0] if width and before else start
        right_to = self.spans[min(len(self.spans), after + width) - 1][1] if width and after < len(self.spans) else end
        s = bisect.bisect_right(self.sentence_starts, start) - 1
        sentence = doc.sentences[s].index if s >= 0 and start < doc.sentences[s].end else -1
        return {"doc_id": doc.doc_id, "outlet": doc.outlet, "start": start, "end": end, "sentence": sentence,
                "left": _clean(doc.text[left_from:start]), "match": _clean(doc.text[start:end]),
                "right": _clean(doc.text[end:right_to])}


def _check_width(width: int) -> int:
    if not isinstance(width, (int, np.integer)) or width < 0:
        raise ValueError(f"width must be a whole number of words ≥ 0, not {width!r}")
    return int(width)


def search(corpus: Corpus, query: str, width: int = WIDTH) -> pd.DataFrame:
    """Concordance of a word or phrase (CONCORDANCE_COLUMNS), ``width`` words of context per side."""
    width = _check_width(width)
    rows = []
    for doc in corpus:
        hits = find(doc, query)
        if hits:
            ctx = _Contexts(doc)
            rows.extend(ctx.row(s, e, width) for s, e in hits)
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)


def check_spans(corpus: Corpus, spans: pd.DataFrame) -> None:
    """Raise ValueError naming the first row whose doc_id is unknown or whose offsets do not fit."""
    missing = [c for c in ("doc_id", "start", "end") if c not in spans.columns]
    if missing:
        raise ValueError(f"spans need the columns doc_id, start, end; missing: {', '.join(missing)}")
    lengths = {doc.doc_id: len(doc.text) for doc in corpus}
    for i, (doc_id, start, end) in enumerate(zip(spans["doc_id"], spans["start"], spans["end"])):
        if doc_id not in lengths:
            raise ValueError(f"span row {i}: no document with id {doc_id!r}")
        if not (0 <= int(start) <= int(end) <= lengths[doc_id]):
            raise ValueError(f"span row {i}: offsets {start}–{end} do not fit document {doc_id!r} "
                             f"({lengths[doc_id]} characters)")


def from_spans(corpus: Corpus, spans: pd.DataFrame, width: int = WIDTH) -> pd.DataFrame:
    """Concordance of given spans (a DataFrame with ``doc_id, start, end`` and any other columns).

    Returns CONCORDANCE_COLUMNS followed by the spans' other columns (e.g. ``concept``), sorted
    by manifest order then ``start``, ``end``. ``match`` is the text of each span; columns of
    ``spans`` named like CONCORDANCE_COLUMNS (``outlet``, ``sentence`` …) are recomputed here.
    ``kwic.from_spans(corpus, ev[ev.concept == "khankendi"])`` shows one lexicon concept of
    ``markers.evidence(corpus)`` in context.
    """
    width = _check_width(width)
    check_spans(corpus, spans)
    extra = [c for c in spans.columns if c not in CONCORDANCE_COLUMNS]
    order = {doc.doc_id: i for i, doc in enumerate(corpus)}
    contexts: dict[str, _Contexts] = {}
    rows = []
    for record in spans.to_dict("records"):
        doc_id = record["doc_id"]
        ctx = contexts.get(doc_id) or contexts.setdefault(doc_id, _Contexts(corpus[doc_id]))
        row = ctx.row(int(record["start"]), int(record["end"]), width)
        row.update({c: record[c] for c in extra})
        rows.append(row)
    table = pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS + extra)
    table["_d"] = table["doc_id"].map(order)
    table = table.sort_values(["_d", "start", "end"], kind="mergesort").drop(columns="_d")
    return table.reset_index(drop=True)


def _context_word(text: str, n: int, side: str) -> str:
    words = textmod.words(text)
    if side == "L":
        words = words[::-1]
    return words[n - 1] if len(words) >= n else ""


def sort(table: pd.DataFrame, keys: str | list[str] = ("R1", "R2", "R3")) -> pd.DataFrame:
    """Concordance lines re-ordered AntConc-style.

    ``keys`` (a list, or one string "R1,R2"): ``R1`` = first word right of the match, ``R2`` the
    second …, ``L1`` = first word left of the match, ``L2`` …, ``match`` (the matched text,
    case-folded), ``doc_id`` (manifest order is not kept: alphabetical), ``start``. Words compare in
    their normalised form (lower case); a missing word (document edge) sorts first. Ties keep
    the current order.
    """
    if isinstance(keys, str):
        keys = [k.strip() for k in keys.split(",") if k.strip()]
    keys = list(keys)
    if not keys:
        raise ValueError("give at least one sort key, e.g. R1 or L1")
    columns = []
    work = table.copy()
    for k, key in enumerate(keys):
        m = _SORT_KEY_RE.match(key)
        if not m:
            raise ValueError(f"unknown sort key {key!r}: use L1, L2 …, R1, R2 …, match, doc_id or start")
        name = f"_k{k}"
        if m.group(1):
            side, n = m.group(1), int(m.group(2))
            source = work["left"] if side == "L" else work["right"]
            work[name] = [_context_word(t, n, side) for t in source.astype(str)]
        elif key == "match":
            work[name] = [textmod.matching_form(t) for t in work["match"].astype(str)]
        else:
            work[name] = work[key]
        columns.append(name)
    work = work.sort_values(columns, kind="mergesort")
    return work.drop(columns=columns).reset_index(drop=True)


def _extent(doc: Document) -> tuple[int, int]:
    end = doc.paragraphs[-1].end if doc.paragraphs else len(doc.text)
    return doc.body_start, end


def _position(doc: Document, start: int) -> float:
    lo, hi = _extent(doc)
    return min(1.0, max(0.0, (start - lo) / (hi - lo))) if hi > lo else 0.0


def dispersion(corpus: Corpus, queries: list[str]) -> pd.DataFrame:
    """Where each query occurs: one row per hit (DISPERSION_COLUMNS).

    ``position`` = (start − start of the analysed text) / (its length in characters), 0–1. A
    document with no hit for a query gets one row with empty ``start``, ``end``, ``position``,
    so charts show it as an empty line. Rows: queries in the given order, documents in
    manifest order, then by start.
    """
    spans = [{"doc_id": doc.doc_id, "start": s, "end": e, "term": q}
             for q in queries for doc in corpus for s, e in find(doc, q)]
    return dispersion_from_spans(corpus, pd.DataFrame(spans, columns=["doc_id", "start", "end", "term"]),
                                 label="term", labels=list(queries))


def dispersion_from_spans(corpus: Corpus, spans: pd.DataFrame, label: str = "concept",
                          labels: list[str] | None = None) -> pd.DataFrame:
    """``dispersion`` for given spans (``doc_id, start, end`` and a ``label`` column, e.g. concept).

    ``labels`` fixes which labels appear and their order (default: sorted labels of ``spans``).
    """
    check_spans(corpus, spans)
    if label not in spans.columns:
        raise ValueError(f"spans have no column {label!r} to label the hits with")
    labels = labels if labels is not None else sorted(spans[label].astype(str).unique())
    found: dict[tuple[str, str], list] = {}
    for key, doc_id, s, e in zip(spans[label].astype(str).tolist(), spans["doc_id"].tolist(),
                                 spans["start"].tolist(), spans["end"].tolist()):
        found.setdefault((key, doc_id), []).append((s, e))
    rows = []
    for term in labels:
        for doc in corpus:
            hits = sorted(found.get((str(term), doc.doc_id), []))
            if not hits:
                rows.append({"term": term, "doc_id": doc.doc_id, "outlet": doc.outlet,
                             "start": pd.NA, "end": pd.NA, "position": np.nan})
            for s, e in hits:
                rows.append({"term": term, "doc_id": doc.doc_id, "outlet": doc.outlet, "start": int(s),
                             "end": int(e), "position": _position(doc, int(s))})
    table = pd.DataFrame(rows, columns=DISPERSION_COLUMNS)
    table["start"] = table["start"].astype("Int64")
    table["end"] = table["end"].astype("Int64")
    return table
