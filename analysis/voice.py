"""Whose voice: is a stretch of an article the author's own words, or someone else's?

A span is ``attributed`` when it lies

* inside quotation marks (straight or curly, double or single; a quote left open at the end of
  a paragraph runs to the paragraph's end, as news style continues quotes across paragraphs);
  reason ``quoted``;
* in a sentence that ends with an attribution (``…, the statement said.``, ``…, said Michel.``)
  or starts with ``According to X,``; reason ``attribution:<verb>``;
* after a speech verb in its sentence (reported speech: ``X said it was prepared to …``,
  ``praised the deal as …``, ``what it called …``), up to the end of the clause (``;`` or
  ``, but``); reason ``reported_speech:<verb>``.

Everything else is ``authorial``. The verb list follows the neutral, doubt-casting and endorsing
attribution verbs of the research notes (Recasens et al. 2013 report verbs; Wikipedia MOS:SAID).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import text as textmod
from .corpus import Document, Sentence

ATTRIBUTED = "attributed"
AUTHORIAL = "authorial"

#: Verbs (and multi-word frames) that introduce someone else's words or views. Present-tense
#: forms that double as nouns or as a text's own voice ("states", "notes", "calls", "welcomes")
#: are left out: "The United States welcomes …" is the author speaking.
SPEECH_VERBS = (
    "said", "says", "saying", "told", "tells", "telling", "stated", "added", "noted",
    "claimed", "claims", "claiming", "alleged", "alleges", "insisted", "insists", "announced",
    "declared", "stressed", "warned", "urged", "argued", "wrote", "praised", "praising", "hailed",
    "welcomed", "described", "called", "calling", "reiterated", "confirmed", "accused", "denied",
    "blamed", "asserted", "maintained", "contended", "admitted", "acknowledged", "reported",
    "quoted", "according to",
)
#: Share of a sentence's characters that must be attributed for the sentence to count as attributed.
ATTRIBUTED_SHARE = 0.5
#: Most words allowed between the comma and the verb of a sentence-final attribution.
MAX_SPEAKER_WORDS = 7

_VERBS = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in SPEECH_VERBS), key=len, reverse=True))
_VERB_RE = re.compile(rf"(?<![\w-])(?:{_VERBS})(?![\w-])")
_TRAILING_RE = re.compile(
    rf"[,\"']\s*(?:[\w.'-]+\s+){{0,{MAX_SPEAKER_WORDS}}}?(?P<verb>{_VERBS})(?:\s+[\w.'-]+){{0,{MAX_SPEAKER_WORDS}}}\s*[.!?]?[\"']?\s*$")
_LEADING_RE = re.compile(r"^\s*[\"']?according\s+to\b[^,]{1,80},")
_CLAUSE_END_RE = re.compile(r";|,\s+but\s|\s-\s")


@dataclass(frozen=True)
class Region:
    """An attributed stretch ``[start, end)`` of the document text and why."""

    start: int
    end: int
    reason: str


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of quoted text (marks included) in ``text[start:end]``; offsets into ``text``."""
    end = len(text) if end is None else end
    folded = textmod.matching_form(text[start:end])
    spans: list[tuple[int, int]] = []
    open_at = None
    for i, ch in enumerate(folded):
        if ch == '"':
            if open_at is None:
                open_at = i
            else:
                spans.append((start + open_at, start + i + 1))
                open_at = None
    if open_at is not None:
        spans.append((start + open_at, end))
    # Single quotes: an opening mark after a space or bracket and before a letter; the next
    # closing mark not between two letters (so apostrophes in words are never marks).
    open_at = None
    for i, ch in enumerate(folded):
        if ch != "'":
            continue
        before = folded[i - 1] if i > 0 else " "
        after = folded[i + 1] if i + 1 < len(folded) else " "
        if open_at is None and (before.isspace() or before in '("[') and after.isalpha():
            open_at = i
        elif open_at is not None and not (before.isalnum() and after.isalnum()) and not before.isspace():
            spans.append((start + open_at, start + i + 1))
            open_at = None
    return sorted(spans)


def sentence_regions(text: str, start: int, end: int) -> list[Region]:
    """Attribution regions of one sentence ``text[start:end]`` (quotes not included)."""
    folded = textmod.matching_form(text[start:end])
    trailing = _TRAILING_RE.search(folded)
    if trailing:
        return [Region(start, end, f"attribution:{' '.join(trailing.group('verb').split())}")]
    if _LEADING_RE.match(folded):
        return [Region(start, end, "attribution:according to")]
    regions = []
    for m in _VERB_RE.finditer(folded):
        if regions and start + m.start() < regions[-1].end:
            continue
        stop = _CLAUSE_END_RE.search(folded, m.end())
        region_end = start + (stop.start() if stop else len(folded))
        if region_end > start + m.end():
            regions.append(Region(start + m.start(), region_end, f"reported_speech:{' '.join(m.group().split())}"))
    return regions


class VoiceMap:
    """Attributed regions of a whole document, computed once and indexed by sentence."""

    def __init__(self, doc: Document):
        self.doc = doc
        regions: list[Region] = []
        for p in doc.paragraphs:
            regions.extend(Region(a, b, "quoted") for a, b in quote_spans(doc.text, p.start, p.end))
        for s in doc.sentences:
            regions.extend(sentence_regions(doc.text, s.start, s.end))
        self.regions = sorted(regions, key=lambda r: (r.start, r.end))
        self._starts = [s.start for s in doc.sentences]
        self._by_sentence: list[list[Region]] = [[] for _ in doc.sentences]
        for region in self.regions:
            first = max(0, bisect.bisect_right(self._starts, region.start) - 1)
            for k in range(first, len(doc.sentences)):
                sentence = doc.sentences[k]
                if sentence.start >= region.end:
                    break
                if sentence.end > region.start:
                    self._by_sentence[k].append(region)

    def _near(self, start: int) -> list[Region]:
        if not self._starts:
            return self.regions
        return self._by_sentence[max(0, bisect.bisect_right(self._starts, start) - 1)]

    def voice(self, start: int, end: int) -> tuple[str, str]:
        """``(voice, reason)`` of the span ``[start, end)``: attributed if it lies inside a region.

        Quotation wins over other reasons when both apply.
        """
        best = None
        for region in self._near(start):
            if region.start <= start and region.end >= end and (best is None or region.reason == "quoted"):
                best = region
        return (ATTRIBUTED, best.reason) if best else (AUTHORIAL, "")

    def attributed_share(self, start: int, end: int) -> float:
        """Share (0–1) of the non-space characters of ``[start, end)`` inside attributed regions."""
        covered = [False] * (end - start)
        for region in self._near(start):
            for i in range(max(region.start, start), min(region.end, end)):
                covered[i - start] = True
        chars = [c for c, ch in zip(covered, self.doc.text[start:end]) if not ch.isspace()]
        return sum(chars) / len(chars) if chars else 0.0


def voice_map(doc: Document) -> VoiceMap:
    """The document's VoiceMap, built on first use and kept on the document."""
    cached = doc.__dict__.get("_voice_map")
    if cached is None:
        cached = doc.__dict__["_voice_map"] = VoiceMap(doc)
    return cached


def span_voice(doc: Document, start: int, end: int) -> tuple[str, str]:
    """``("attributed" | "authorial", reason)`` for the span ``doc.text[start:end]``."""
    return voice_map(doc).voice(start, end)


def sentence_voice(doc: Document, sentence: Sentence) -> tuple[str, str]:
    """Voice of a whole sentence: attributed when at least ATTRIBUTED_SHARE of it is attributed.

    The reason is that of the first attributed region overlapping the sentence.
    """
    vmap = voice_map(doc)
    if vmap.attributed_share(sentence.start, sentence.end) >= ATTRIBUTED_SHARE:
        for region in vmap.regions:
            if region.start < sentence.end and region.end > sentence.start:
                return ATTRIBUTED, region.reason
    return AUTHORIAL, ""
