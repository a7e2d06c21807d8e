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
import itertools
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
_DOUBLE_MARK_RE = re.compile('[“«„”»"]')
#: ``\s`` matches exactly the characters for which ``str.isspace()`` is true.
_SPACE_RE = re.compile(r"\s")


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
    for m in _DOUBLE_MARK_RE.finditer(chunk):
        i, ch = m.start(), m.group()
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
    i = folded.find("'")
    while i >= 0:
        before = folded[i - 1] if i > 0 else " "
        after = folded[i + 1] if i + 1 < len(folded) else " "
        if open_at is None and (before.isspace() or before in '("[') and after.isalpha():
            open_at = i
        elif open_at is not None and not (before.isalnum() and after.isalnum()) and not before.isspace():
            spans.append((start + open_at, start + i + 1))
            open_at = None
        i = folded.find("'", i + 1)
    return sorted(spans)


def _runs_back(text: str, end: int, runs: int) -> int:
    """Start of the last ``runs`` alternating runs of white space and non-space before ``end``.

    The regular expressions that look back from a speech verb (``_ADJECTIVAL_BEFORE_RE``,
    ``_NAMING_BEFORE_RE``) end with ``$`` and span at most a few words and the spaces between
    them, so searching only ``text[_runs_back(…):end]`` finds exactly what a search of
    ``text[:end]`` finds, at a cost independent of the sentence length.
    """
    i = end
    for _ in range(runs):
        if i == 0:
            break
        space = text[i - 1].isspace()
        while i > 0 and text[i - 1].isspace() == space:
            i -= 1
    return i


#: Runs searched back from a verb, from the patterns: the spaces before it, the determiner and
#: the white space before that (3); the spaces, up to two words each with its spaces, and the
#: word ending in "what", "which" or "whom" (6, "somewhat called" included).
_ADJECTIVAL_RUNS = 3
_NAMING_RUNS = 6
_BY_AFTER_RE = re.compile(r"\s+by\b")


def _is_speech(folded: str, m: re.Match) -> bool:
    """False for a speech verb used as an adjective or a passive ("the said deal", "welcomed by").

    Looks only at a few words on either side of the verb (see ``_runs_back``), so the cost per
    verb does not grow with the length of the sentence.
    """
    start, end = m.start(), m.end()
    if (_ADJECTIVAL_BEFORE_RE.search(folded, _runs_back(folded, start, _ADJECTIVAL_RUNS), start)
            or _BY_AFTER_RE.match(folded, end)):
        return False
    if m.group().split()[0] in _CALLED:
        return bool(_CALLED_FOLLOWERS.match(folded, end)
                    or _NAMING_BEFORE_RE.search(folded, _runs_back(folded, start, _NAMING_RUNS), start))
    return True


def _may_attribute(original: str, folded: str) -> bool:
    """False only when no attribution rule below can match: every one needs a speech verb that
    _VERB_RE finds in the matching form ("according to", and the long s that only a
    case-insensitive pattern reads as "s", aside)."""
    return _VERB_RE.search(folded) is not None or "according" in folded or "ſ" in original


def sentence_regions(text: str, start: int, end: int) -> list[Region]:
    """Attribution regions of one sentence ``text[start:end]`` (quotes not included).

    Linear in the sentence length: each verb looks back only a few words, and the searches for
    the end of its clause and the next comma are reused by the following verbs.
    """
    original = text[start:end]
    folded = textmod.matching_form(original)
    if not _may_attribute(original, folded):
        return []
    trailing = _TRAILING_RE.search(original)
    if trailing:
        return [Region(start, end, f"attribution:{' '.join(trailing.group('verb').lower().split())}")]
    if _LEADING_RE.match(folded):
        return [Region(start, end, "attribution:according to")]
    regions = []
    # A regular expression's first match at or after ``pos`` is the same as that of an earlier
    # search from before ``pos`` if that one matched at or after ``pos`` (no pattern here looks
    # behind its start), so one search serves every verb up to its match.
    stop = None          # last match of _CLAUSE_END_RE (None: not searched yet or none left)
    stop_done = False    # True when _CLAUSE_END_RE has no match after the last search start
    comma_at = -2        # next "," at or after the last search start (-1: none; -2: not searched)
    last_comma, scanned = -1, 0   # last "," before the verb; text before ``scanned`` searched
    relative_at, relative = -1, False   # _RELATIVE_RE's answer for the comma at ``relative_at``
    for m in _VERB_RE.finditer(folded):
        if (regions and start + m.start() < regions[-1].end) or not _is_speech(folded, m):
            continue
        if not stop_done and (stop is None or stop.start() < m.end()):
            stop = _CLAUSE_END_RE.search(folded, m.end())
            stop_done = stop is None
        region_end = stop.start() if stop else len(folded)
        found = folded.rfind(",", scanned, m.start())
        last_comma, scanned = (found if found >= 0 else last_comma), m.start()
        # _RELATIVE_RE ends with "[^,]*$": it can only match at the last comma before the verb.
        if last_comma >= 0 and relative_at != last_comma:
            relative_at = last_comma
            relative = _RELATIVE_RE.match(folded, last_comma, m.start()) is not None
        if last_comma >= 0 and relative:
            if comma_at == -2 or 0 <= comma_at < m.end():
                comma_at = folded.find(",", m.end())
            region_end = min(region_end, comma_at) if comma_at >= 0 else region_end
        if region_end > m.end():
            regions.append(Region(start + m.start(), start + region_end, f"reported_speech:{' '.join(m.group().split())}"))
    return regions


class _RegionIndex:
    """Regions sorted by ``(start, end)``; finds the regions that contain a span in O(log n)."""

    __slots__ = ("regions", "starts", "max_end", "max_quoted_end")

    def __init__(self, regions: list[Region]):
        self.regions = regions
        self.starts = [r.start for r in regions]
        # Running maxima of the ends: the first region (in sorted order) among regions[:p] that
        # reaches a given end is where the running maximum first reaches it.
        self.max_end = list(itertools.accumulate((r.end for r in regions), max))
        self.max_quoted_end = list(itertools.accumulate((r.end if r.reason == "quoted" else -1 for r in regions), max))

    def voice(self, start: int, end: int) -> tuple[str, str]:
        p = bisect.bisect_right(self.starts, start)   # regions[:p] start at or before ``start``
        if p == 0:
            return AUTHORIAL, ""
        if self.max_quoted_end[p - 1] >= end:
            return ATTRIBUTED, "quoted"
        first = bisect.bisect_left(self.max_end, end, 0, p)
        return (ATTRIBUTED, self.regions[first].reason) if first < p else (AUTHORIAL, "")


def _non_space(text: str, start: int, end: int) -> int:
    """Characters of ``text[start:end]`` that are not white space."""
    return end - start - len(_SPACE_RE.findall(text, start, end)) if end > start else 0


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
        self._indexes: dict[int, _RegionIndex] = {}   # by sentence index; -1 = the whole document

    def _near(self, start: int) -> list[Region]:
        sentence = self.doc.sentence_at(start)
        return self.regions if sentence is None else self._by_sentence[sentence.index]

    def _index(self, start: int) -> _RegionIndex:
        sentence = self.doc.sentence_at(start)
        key = -1 if sentence is None else sentence.index
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = _RegionIndex(self._near(start))
        return index

    def voice(self, start: int, end: int) -> tuple[str, str]:
        """``(voice, reason)`` of the span ``[start, end)``: attributed if it lies inside a region.

        Quotation wins over other reasons when both apply; otherwise the reason is that of the
        first containing region in ``(start, end)`` order. O(log n) in the regions of the
        sentence holding ``start`` (their index is built on the sentence's first look-up).
        """
        return self._index(start).voice(start, end)

    def attributed_share(self, start: int, end: int) -> float:
        """Share (0–1) of the non-space characters of ``[start, end)`` inside attributed regions."""
        text = self.doc.text
        total = _non_space(text, start, end)
        if not total:
            return 0.0
        covered, reached = 0, start
        for a, b in sorted((max(r.start, start), min(r.end, end)) for r in self._near(start)):
            a = max(a, reached)
            if b > a:
                covered += _non_space(text, a, b)
                reached = b
        return covered / total

    def overlapping(self, sentence: Sentence) -> list[Region]:
        """Regions overlapping ``sentence``, in ``(start, end)`` order."""
        sentences = self.doc.sentences
        if 0 <= sentence.index < len(sentences) and sentences[sentence.index] == sentence:
            return self._by_sentence[sentence.index]
        return [r for r in self.regions if r.start < sentence.end and r.end > sentence.start]


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
        for region in vmap.overlapping(sentence):
            return ATTRIBUTED, region.reason
    return AUTHORIAL, ""
