"""Loaded-language markers: lexicon matches with voice, dual naming and the side they count for.

One pass per document: every variant of the lexicon is compiled into a single trie-shaped
regular expression run once over the document's matching form (``text.matching_form``: lower
case, curly quotes and dashes folded, same length as the original, so offsets slice the
original text exactly). Headline and caption are analysed like the body.

For each hit:

* ``voice`` is ``attributed`` (inside quotation marks, or in an attribution frame, see
  ``voice``) or ``authorial``;
* ``lexicon_side`` is the entry's side; ``side`` is the side the hit counts for, and ``rule``
  says why they differ:
  - ``dual_naming``: a toponym or region name given with its other side's name in the same
    sentence ("Stepanakert (Khankendi)", "known as Stepanakert to Armenians and Khankendi to
    Azerbaijanis") or glossed ("which Armenians call Stepanakert") counts as ``none``;
  - ``sense``, ``direction``, ``delegitimised``: see ``framing.direction`` (a word used in
    another sense; a mirror term's agent and object; a name after "so-called" or in scare quotes);
  - ``attributed``: a term of one of the story's sides in someone else's words counts as
    ``none`` (the outlet reports it; it does not adopt it).

The sides are the active story's (``packs.active()``): the packs a seeds folder selects.
Tallies of the hits (rates, verdicts, the naming scorecard) are in ``tallies``.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict

import pandas as pd

from analysis import text as textmod
from analysis.framing import direction, lexicon as lexmod, packs, patterns
from analysis.corpus import voice as voicemod
from analysis.corpus import Corpus, Document

EVIDENCE_COLUMNS = ["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "text", "concept",
                    "pair", "category", "technique", "lexicon_side", "side", "strength", "voice", "rule",
                    "neutral_alternative", "source", "lexicon_version"]


@functools.cache
def gloss_patterns(words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The gloss rules for a story whose sides are named by ``words`` (e.g. "armenians"):
    before a name ("known to Armenians as X", "which Armenians call X") and after it
    ("X, known to Armenians as …", "X (the Armenian name)", "X in Armenian,")."""
    names = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) or "(?!)"
    before = re.compile(r"(?:known|referred\s+to)\s+(?:[\w']+\s+){0,3}?as\s+$"
                        r"|(?:which|what|whom)\s+(?:[\w']+\s+){0,2}calls?\s+(?:it\s+)?$"
                        rf"|(?:{names})\s+calls?\s+(?:it\s+)?$")
    after = re.compile(r"^\s*,?\s*(?:as\s+it\s+is\s+)?(?:known|called|referred\s+to)\s+(?:to|by|in)\b"
                       rf"|^\s*[,(]?\s*(?:the\s+)?(?:{names})\s+name\b"
                       rf"|^\s*in\s+(?:{names})\s*(?:[,.;:)]|$)")
    return before, after


#: Characters searched before a name for a gloss.
GLOSS_WINDOW = 60


class Matcher(patterns.PhraseMatcher):
    """All variants of a lexicon as one regular expression; ``find`` returns non-overlapping
    ``(start, end, concept)`` hits, the longest variant first at a position."""

    def __init__(self, lex: lexmod.Lexicon):
        super().__init__(lex.variants())
        self.lexicon = lex
        self.entries = {row["concept"]: row for row in lex.entries.to_dict("records")}


_MATCHERS: dict[str, Matcher] = {}


def matcher(lex: lexmod.Lexicon | None = None) -> Matcher:
    """A cached Matcher for ``lex`` (default: the built-in plus user lexicon)."""
    lex = lex or current_lexicon()
    if lex.sha256 not in _MATCHERS:
        _MATCHERS[lex.sha256] = Matcher(lex)
    return _MATCHERS[lex.sha256]


def match_document(doc: Document, lex: lexmod.Lexicon | None = None) -> pd.DataFrame:
    """Evidence rows (EVIDENCE_COLUMNS) of one document, in text order."""
    return pd.DataFrame(match_rows(doc, lex), columns=EVIDENCE_COLUMNS)


def match_rows(doc: Document, lex: lexmod.Lexicon | None = None) -> list[dict]:
    """``match_document``'s rows as dicts (EVIDENCE_COLUMNS keys), without building a DataFrame."""
    lex = lex or current_lexicon()
    m = matcher(lex)
    folded = textmod.matching_form(doc.text)
    found = [hit for p in doc.paragraphs for hit in m.find(doc.text, p.start, p.end, folded)]
    entries = m.entries
    vmap = voicemod.voice_map(doc)
    rows = []
    for start, end, concept in found:
        entry = entries[concept]
        sentence = doc.sentence_at(start)
        speaker, _ = vmap.voice(start, end)
        rows.append({
            "doc_id": doc.doc_id, "outlet": doc.outlet,
            "paragraph": sentence.paragraph if sentence else 0, "sentence": sentence.index if sentence else 0,
            "section": sentence.section if sentence else "body", "start": start, "end": end,
            "text": doc.text[start:end], "concept": concept, "pair": entry["pair"], "category": entry["category"],
            "technique": entry["technique"], "lexicon_side": entry["side"], "side": entry["side"],
            "strength": entry["strength"], "voice": speaker, "rule": "",
            "neutral_alternative": entry["neutral_alternative"], "source": " ".join(entry["sources"]),
            "lexicon_version": lex.version,
        })
    story = packs.active()
    partisan = story.side_ids
    _apply_dual_naming(doc, rows, folded, partisan, gloss_patterns(tuple(w for s in story.sides for w in s.gloss)))
    direction.apply(doc, rows, folded, entries, story, vmap)
    for row in rows:
        if row["rule"] in ("", direction.DIRECTION) and row["voice"] == voicemod.ATTRIBUTED and row["side"] in partisan:
            row["side"], row["rule"] = "none", "attributed"
    return rows


def _apply_dual_naming(doc: Document, rows: list[dict], folded: str, partisan: tuple[str, ...],
                       glosses: tuple[re.Pattern, re.Pattern]) -> None:
    """A partisan name counts as ``none`` when another name of its pair is in the same sentence
    ("Stepanakert (Khankendi)", "Shusha (Shushi)", "Stepanakert/Khankendi") or when it is glossed."""
    by_sentence = defaultdict(list)
    for row in rows:
        if row["pair"] and row["category"] in ("toponym", "region", "entity"):
            by_sentence[row["sentence"]].append(row)
    for named in by_sentence.values():
        concepts_by_pair = defaultdict(set)
        for row in named:
            concepts_by_pair[row["pair"]].add(row["concept"])
        for row in named:
            if row["lexicon_side"] not in partisan:
                continue
            paired = len(concepts_by_pair[row["pair"]]) > 1
            before = folded[max(0, row["start"] - GLOSS_WINDOW):row["start"]]
            after = folded[row["end"]:row["end"] + GLOSS_WINDOW]
            if paired or glosses[0].search(before) or glosses[1].search(after):
                row["side"], row["rule"] = "none", "dual_naming"


def current_lexicon(corpus: Corpus | None = None) -> lexmod.Lexicon:
    """The lexicon of the active story (``packs.active()``)."""
    return packs.active().lexicon


def reset() -> None:
    """Forget the story, lexicon and matchers (a new run reads the files again)."""
    packs.reset()
    _MATCHERS.clear()


def evidence(corpus: Corpus, lex: lexmod.Lexicon | None = None) -> pd.DataFrame:
    """The evidence table of a corpus: one row per hit, documents in manifest order, hits in text order."""
    lex = lex or current_lexicon()
    frames = [match_document(doc, lex) for doc in corpus]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    return pd.concat(frames, ignore_index=True)
