"""Units of coding and their stable ids, texts and hashes.

* ``hit``: one marker hit, id ``doc_id:start-end`` (character offsets into the document text);
  its ``text`` is the sentence with the hit marked ``[[like this]]``;
* ``sentence``: id ``doc_id:sentence`` (0-based sentence index); ``text`` is the sentence;
* ``article``: id ``doc_id``; ``text`` is the article from the headline on.

``context`` is the previous and the next sentence (empty for articles). ``text_sha256`` is the
sha256 of ``text``: a sheet whose hash no longer matches the current corpus was coded on a text
that has changed since. Document ids never contain ``:`` (manifest rule), so ids parse back.

Hits come from the lexicon of the corpus's story (``framing.packs.select`` on its seeds folder:
the ``general`` pack plus the packs its ``workbook.toml`` names), unless a lexicon is given.
"""
from __future__ import annotations

import re

import pandas as pd

from analysis import text as textmod
from analysis.corpus import Corpus
from analysis.framing import lexicon as lexmod
from analysis.framing import markers, packs
from analysis.validation import codebook as cbmod

UNIT_COLUMNS = ["unit", "unit_id", "doc_id", "outlet", "date", "section", "position", "text", "context",
                "text_sha256"]
#: Columns a sample may be stratified by (document metadata and reading-order section only).
STRATA = ("doc_id", "outlet", "date", "section")
MARK_OPEN, MARK_CLOSE = "[[", "]]"
_ID_RE = re.compile(r"^(?P<doc>[^:\s]+)(?::(?:(?P<start>\d+)-(?P<end>\d+)|(?P<sentence>\d+)))?$")


def lexicon(corpus: Corpus, lex: lexmod.Lexicon | None = None) -> lexmod.Lexicon:
    """``lex``, else the lexicon of the corpus's story packs."""
    return lex if lex is not None else packs.select(corpus.seeds).lexicon


def story_sides(corpus: Corpus) -> list[tuple[str, str]]:
    """``[(id, label)]`` of the corpus's story, or ``codebook.DEFAULT_SIDES`` when no pack names sides."""
    return [(s.id, s.label) for s in packs.select(corpus.seeds).sides] or list(cbmod.DEFAULT_SIDES)


def parse_id(unit_id: str) -> tuple[str, str] | None:
    """``(unit, doc_id)`` of a unit id (``hit``, ``sentence`` or ``article``), or None if malformed."""
    m = _ID_RE.match(str(unit_id).strip())
    if not m:
        return None
    unit = "hit" if m.group("start") is not None else "sentence" if m.group("sentence") is not None else "article"
    return unit, m.group("doc")


def hit_id(doc_id: str, start: int, end: int) -> str:
    return f"{doc_id}:{int(start)}-{int(end)}"


def sentence_id(doc_id: str, index: int) -> str:
    return f"{doc_id}:{int(index)}"


def _context(doc, index: int) -> str:
    parts = []
    if index > 0:
        s = doc.sentences[index - 1]
        parts.append("before: " + doc.text[s.start:s.end])
    if index + 1 < len(doc.sentences):
        s = doc.sentences[index + 1]
        parts.append("after: " + doc.text[s.start:s.end])
    return " | ".join(parts)


def table(corpus: Corpus, unit: str, evidence: pd.DataFrame | None = None,
          lex: lexmod.Lexicon | None = None, texts: bool = True) -> pd.DataFrame:
    """Every unit of kind ``unit`` in the corpus (UNIT_COLUMNS), in manifest then reading order.

    ``position`` is the unit's rank in that order (0-based). ``evidence`` (``markers.evidence``)
    is computed when not given and ``unit`` is ``hit``. With ``texts=False`` the ``text``,
    ``context`` and ``text_sha256`` cells are left empty and three columns say where each unit is
    (``_sentence``, ``_start``, ``_end``): ``with_texts`` fills the rows a sample keeps (a sample
    of a large corpus then never holds every sentence's text twice over).
    """
    docs, found = [], []   # (document, section, unit id, sentence, start, end) per unit
    if unit == "hit":
        ev = markers.evidence(corpus, lexicon(corpus, lex)) if evidence is None else evidence
        by_id = {d.doc_id: d for d in corpus}
        for doc_id, sentence, start, end in zip(ev["doc_id"], ev["sentence"], ev["start"], ev["end"]):
            doc = by_id[doc_id]
            s = doc.sentences[int(sentence)]
            found.append((doc, s.section, hit_id(doc_id, start, end), s.index, int(start), int(end)))
    elif unit == "sentence":
        found = [(doc, s.section, sentence_id(doc.doc_id, s.index), s.index, -1, -1) for doc in corpus for s in doc.sentences]
    elif unit == "article":
        found = [(doc, "", doc.doc_id, -1, -1, -1) for doc in corpus]
    else:
        raise ValueError(f"unknown unit {unit!r}: use hit, sentence or article")
    columns = {"unit": [unit] * len(found), "unit_id": [f[2] for f in found], "doc_id": [f[0].doc_id for f in found],
               "outlet": [f[0].outlet for f in found], "date": [str(f[0].meta.get("date", "")) for f in found],
               "section": [f[1] for f in found], "position": range(len(found))}
    names = UNIT_COLUMNS if texts else UNIT_COLUMNS + ["_sentence", "_start", "_end"]
    if not found:   # text columns of no row, as pandas builds them from no rows
        return pd.DataFrame([], columns=names).assign(position=range(0))
    if texts:
        made = [_text(f[0], unit, *f[3:]) for f in found]
        columns.update(text=[t for t, _ in made], context=[c for _, c in made],
                       text_sha256=[textmod.text_sha256(t) for t, _ in made])
    else:
        columns.update(text=[None] * len(found), context=[None] * len(found), text_sha256=[None] * len(found),
                       _sentence=[f[3] for f in found], _start=[f[4] for f in found], _end=[f[5] for f in found])
    return pd.DataFrame(columns, columns=names)


def with_texts(corpus: Corpus, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of a ``table(…, texts=False)`` with their ``text``, ``context`` and ``text_sha256``
    filled as ``table`` fills them, and the three locating columns dropped."""
    by_id = {d.doc_id: d for d in corpus}
    made = [_text(by_id[d], u, s, a, b) for u, d, s, a, b in zip(rows["unit"], rows["doc_id"], rows["_sentence"],
                                                                 rows["_start"], rows["_end"])]
    return rows.drop(columns=["_sentence", "_start", "_end"]).assign(
        text=[t for t, _ in made], context=[c for _, c in made], text_sha256=[textmod.text_sha256(t) for t, _ in made])


def _text(doc, unit: str, sentence: int, start: int, end: int) -> tuple[str, str]:
    """``(text, context)`` of one unit (see the module docstring)."""
    if unit == "article":
        return doc.text[doc.body_start:], ""
    s = doc.sentences[int(sentence)]
    if unit == "sentence":
        return doc.text[s.start:s.end], _context(doc, s.index)
    first, last = min(s.start, start), max(s.end, end)
    return (doc.text[first:start] + MARK_OPEN + doc.text[start:end] + MARK_CLOSE + doc.text[end:last],
            _context(doc, s.index))


def span_row(corpus: Corpus, unit_id: str) -> dict | None:
    """The UNIT_COLUMNS row of a hit id whose span is in the corpus's text but is no longer a
    hit (the lexicon changed since the sheet was drawn), or None when the span does not exist."""
    found = _ID_RE.match(unit_id)
    if not found or found.group("start") is None:
        return None
    docs = {d.doc_id: d for d in corpus}
    doc, start, end = docs.get(found.group("doc")), int(found.group("start")), int(found.group("end"))
    if doc is None or not 0 <= start < end <= len(doc.text) or doc.sentence_at(start) is None:
        return None
    s = doc.sentence_at(start)
    return _row("hit", unit_id, doc, s.section, *_text(doc, "hit", s.index, start, end))


def _row(unit: str, unit_id: str, doc, section: str, text: str, context: str) -> dict:
    return {"unit": unit, "unit_id": unit_id, "doc_id": doc.doc_id, "outlet": doc.outlet,
            "date": str(doc.meta.get("date", "")), "section": section, "position": 0, "text": text,
            "context": context, "text_sha256": textmod.text_sha256(text)}


def tables(corpus: Corpus, units=("hit", "sentence", "article"), lex: lexmod.Lexicon | None = None) -> pd.DataFrame:
    """``table`` for several unit kinds, concatenated (the lookup for checking sheets)."""
    lex = lexicon(corpus, lex) if "hit" in units else lex
    frames = [table(corpus, u, lex=lex) for u in units]
    return pd.concat(frames, ignore_index=True)
