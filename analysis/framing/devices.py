"""Framing devices that are constructions rather than words: agentless passives and scare quotes.

* **Agentless passive**: a form of *be*/*get* followed by a past participle with no "by …" agent
  before the end of the clause ("the agreements were reached", "civilians were killed") — the
  construction that hides who acted (Entman's causal attribution; research notes §1.1).
  Participles are recognised by their ending (-ed, -en) or from a short list of irregular ones;
  there is no parser, so "was prepared to" (an adjective) is counted too. Approximate.
* **Scare quotes**: quotation marks around one to SCARE_QUOTE_MAX_WORDS words — the short quotes
  wires put around another party's labels ("what it called 'anti-terrorist activities'") and
  that can also signal doubt (MOS:DOUBT). Long quotations are not scare quotes.

Rows share the evidence table's position columns, so they can be audited the same way.
"""
from __future__ import annotations

import re

import pandas as pd

from analysis.measures.rates import rate
from analysis import text as textmod
from analysis.corpus import voice as voicemod
from analysis.corpus import Corpus, Document

#: Most words inside quotation marks for a quote to count as a scare quote.
SCARE_QUOTE_MAX_WORDS = 3
#: Words after the participle searched for a "by" agent (the clause ends earlier at , ; : or -).
AGENT_WINDOW_WORDS = 8
IRREGULAR_PARTICIPLES = ("hit", "shot", "held", "laid", "left", "lost", "made", "sent", "built", "caught", "cut", "put",
                         "set", "told", "sold", "kept", "brought", "bought", "fought", "found", "led", "met",
                         "paid", "read", "run", "seen", "struck", "thrown", "upheld", "withheld")
DEVICE_COLUMNS = ["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "text", "device", "voice"]

_PASSIVE_RE = re.compile(
    r"(?<![\w'-])(?:is|are|was|were|be|been|being|get|gets|got|gotten)\s+"
    r"(?:(?:\w+ly|not|also|then|later|still|all|often|already|never|now|first|just|only|both|soon)\s+){0,2}"
    rf"(?P<participle>\w+(?:ed|en)|{'|'.join(IRREGULAR_PARTICIPLES)})(?![\w'-])")
_CLAUSE_END_RE = re.compile(r"[,;:.!?\"]|\s-\s")
# "by" introducing an agent, not a time ("by the end of the year", "by Friday", "by 2024").
_BY_RE = re.compile(r"\bby\s+(?!the\s+(?:end|time|start|middle)\b|then\b|now\b|next\b|early\b|late\b|mid|\d"
                    r"|(?:january|february|march|april|may|june|july|august|september|october|november|december"
                    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)")
_NOT_PARTICIPLES = frozenset({"often", "even", "open", "seven", "eleven", "ten", "then", "when", "been",
                              "between", "children", "garden", "kitchen", "women", "men",
                              "need", "indeed", "speed", "red", "bed", "hundred", "sacred", "wicked"})


def _row(doc: Document, start: int, end: int, device: str) -> dict:
    sentence = doc.sentence_at(start)
    return {"doc_id": doc.doc_id, "outlet": doc.outlet, "paragraph": sentence.paragraph if sentence else 0,
            "sentence": sentence.index if sentence else 0, "section": sentence.section if sentence else "body",
            "start": start, "end": end, "text": doc.text[start:end], "device": device,
            "voice": voicemod.span_voice(doc, start, end)[0]}


def agentless_passives(doc: Document) -> list[dict]:
    """Agentless passive constructions of ``doc`` (see module docstring)."""
    rows = []
    folded = textmod.matching_form(doc.text)
    for s in doc.sentences:
        for m in _PASSIVE_RE.finditer(folded, s.start, s.end):
            participle = m.group("participle")
            if participle in _NOT_PARTICIPLES or doc.text[m.start("participle")].isupper():
                continue
            tail = folded[m.end():s.end]
            stop = _CLAUSE_END_RE.search(tail)
            clause = " ".join((tail[:stop.start()] if stop else tail).split()[:AGENT_WINDOW_WORDS])
            if not _BY_RE.search(clause):
                rows.append(_row(doc, m.start(), m.end(), "agentless_passive"))
    return rows


def scare_quotes(doc: Document) -> list[dict]:
    """Quotations of one to SCARE_QUOTE_MAX_WORDS words (quote marks included in the span)."""
    rows = []
    for p in doc.paragraphs:
        for start, end in voicemod.quote_spans(doc.text, p.start, p.end):
            n = textmod.count_words(doc.text[start:end])
            if 1 <= n <= SCARE_QUOTE_MAX_WORDS and doc.text[end - 1] in "\"'”’":
                rows.append(_row(doc, start, end, "scare_quotes"))
    return rows


def devices(corpus: Corpus) -> pd.DataFrame:
    """All device hits of a corpus (DEVICE_COLUMNS), documents in manifest order, hits in text order."""
    rows = []
    for doc in corpus:
        found = agentless_passives(doc) + scare_quotes(doc)
        rows.extend(sorted(found, key=lambda r: (r["start"], r["device"])))
    return pd.DataFrame(rows, columns=DEVICE_COLUMNS)
