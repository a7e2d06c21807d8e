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

import re
from dataclasses import dataclass

from analysis import text as textmod
from analysis.corpus import Document, Sentence

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
#: A sentence-final attribution: after a comma or a closing quotation mark, a short speaker and
#: the verb, then nothing but a capitalised name ("…, said Charles Michel.") or a short time or
#: place phrase ("…, the ministry said on Thursday."). Run on the original text (capitals matter).
_TRAILING_RE = re.compile(
    rf"(?:,|[\"”»]|'(?!\w)|’(?!\w))\s*(?:[\w.'’-]+\s+){{0,{MAX_SPEAKER_WORDS}}}?(?i:(?P<verb>{_VERBS}))"
    r"(?:(?:\s+(?-i:[A-Z])[\w.'’-]*){1,6}|\s+(?i:on|in|at|late|earlier|today|yesterday|last|this|after|during)"
    r"(?:\s+[\w.'’-]+){0,4})?\s*[.!?]?[\"”'’]?\s*$")
_LEADING_RE = re.compile(r"^\s*[\"']?according\s+to\b[^,]{1,80},")
#: Ends reported speech: a semicolon, a dash between spaces, or a comma before a new clause.
_CLAUSE_END_RE = re.compile(r";|\s-\s|,\s+(?:but|and|while|whereas|although|though|yet)\s")
#: Words before a speech verb that make it an adjective ("the said agreement", "a reported attack").
_ADJECTIVAL_BEFORE_RE = re.compile(r"(?:^|\s)(?:the|a|an|this|that|these|those|self|its|their|his|her)\s+$")
_RELATIVE_RE = re.compile(r",\s*(?:which|who|whom|that)\b[^,]*$")
_CALLED = {"called", "calling"}
_CALLED_FOLLOWERS = re.compile(r"\s+(?:on|for|it|them|him|her|this|that|the)\b")
_NAMING_BEFORE_RE = re.compile(r"(?:what|which|whom)\s+(?:\w+\s+){0,2}$")


@dataclass(frozen=True)
class Region:
    """An attributed stretch ``[start, end)`` of the document text and why."""

    start: int
    end: int
    reason: str


_OPENING = "“«„"
_CLOSING = "”»"


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of quoted text (marks included) in ``text[start:end]``; offsets into ``text``.

    Curly and guillemet marks say which way they face; straight double quotes alternate. A quote
    still open at the end of the paragraph runs to its end; a closing mark with no opener in the
    paragraph closes a quote carried over from the previous paragraph (news style).
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    open_at = None
    for i, ch in enumerate(chunk):
        if ch in _OPENING and open_at is None:
            open_at = i
        elif ch in _CLOSING or (ch == '"' and open_at is not None):
            if open_at is not None:
                spans.append((start + open_at, start + i + 1))
                open_at = None
            elif not spans:
                spans.append((start, start + i + 1))
        elif ch == '"':
            open_at = i
    if open_at is not None:
        spans.append((start + open_at, end))
    # Single quotes: an opening mark after a space or bracket and before a letter; the next
    # closing mark not between two letters (so apostrophes in words are never marks).
    folded = textmod.matching_form(chunk)
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


def _is_speech(folded: str, m: re.Match) -> bool:
    """False for a speech verb used as an adjective or a passive ("the said deal", "welcomed by")."""
    before, after = folded[:m.start()], folded[m.end():]
    if _ADJECTIVAL_BEFORE_RE.search(before) or re.match(r"\s+by\b", after):
        return False
    if m.group().split()[0] in _CALLED:
        return bool(_CALLED_FOLLOWERS.match(after) or _NAMING_BEFORE_RE.search(before))
    return True


def sentence_regions(text: str, start: int, end: int) -> list[Region]:
    """Attribution regions of one sentence ``text[start:end]`` (quotes not included)."""
    original = text[start:end]
    folded = textmod.matching_form(original)
    trailing = _TRAILING_RE.search(original)
    if trailing:
        return [Region(start, end, f"attribution:{' '.join(trailing.group('verb').lower().split())}")]
    if _LEADING_RE.match(folded):
        return [Region(start, end, "attribution:according to")]
    regions = []
    for m in _VERB_RE.finditer(folded):
        if (regions and start + m.start() < regions[-1].end) or not _is_speech(folded, m):
            continue
        stop = _CLAUSE_END_RE.search(folded, m.end())
        region_end = stop.start() if stop else len(folded)
        if _RELATIVE_RE.search(folded[:m.start()]):
            comma = folded.find(",", m.end())
            region_end = min(region_end, comma) if comma >= 0 else region_end
        if region_end > m.end():
            regions.append(Region(start + m.start(), start + region_end, f"reported_speech:{' '.join(m.group().split())}"))
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
        self._by_sentence: list[list[Region]] = [[] for _ in doc.sentences]
        for region in self.regions:
            for k in range(doc.sentence_at(region.start).index, len(doc.sentences)):
                sentence = doc.sentences[k]
                if sentence.start >= region.end:
                    break
                if sentence.end > region.start:
                    self._by_sentence[k].append(region)

    def _near(self, start: int) -> list[Region]:
        sentence = self.doc.sentence_at(start)
        return self.regions if sentence is None else self._by_sentence[sentence.index]

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
