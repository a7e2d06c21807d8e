"""Tokens, sentences and the normalised matching form of a text, all with character offsets.

Nothing here needs downloaded NLTK data: words come from one regular expression (NLTK's
``RegexpTokenizer`` semantics) and sentences from a Punkt splitter whose parameters are built
in memory from the project's abbreviation list (``data/abbreviations_en.txt``), so
``nltk.download()`` is never needed. Every span is ``(start, end)`` into the text it was
given, so ``text[start:end]`` is always the exact original characters.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import Iterator, NamedTuple

from analysis import config


class Token(NamedTuple):
    """One token: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


#: A token: an initialism ("U.S.") or a run of word characters joined by inner hyphens or
#: apostrophes ("decades-long", "year’s"). Punctuation and spaces are never tokens.
#: Readable form: ``(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*`` (TOKEN_PATTERN_READABLE). It is written
#: so that every match starts with one ``\w``: the engine then skips non-word characters without
#: trying each alternative at every position (same matches, tested; about 3× faster).
TOKEN_PATTERN_READABLE = r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*"
TOKEN_RE = re.compile(r"\w(?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|\w*(?:[-'’]\w+)*)")
_LETTER_RE = re.compile(r"[^\W\d_]")


def _read_list(name: str) -> list[str]:
    path = config.DATA / name
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return words


@functools.cache
def stopwords() -> frozenset[str]:
    """The shipped English stop-word list (Snowball), lower case with straight apostrophes."""
    return frozenset(_read_list("stopwords_en.txt"))


@functools.cache
def _punkt():
    """NLTK's Punkt sentence splitter with the shipped abbreviations (imported on first use:
    importing NLTK takes about 0.7 s, and texts read from the run cache never need it)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_read_list("abbreviations_en.txt"))
    return PunktSentenceTokenizer(params)


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text`` with spans shifted by ``offset``."""
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in TOKEN_RE.finditer(text)]


def is_word(token: str) -> bool:
    """True if the token contains a letter (numbers such as "2020" are tokens, not words)."""
    return _LETTER_RE.search(token) is not None


def normalize_term(token: str) -> str:
    """The counting form of a token: lower case, straight apostrophe, possessive "'s" removed."""
    term = token.lower().replace("’", "'")
    return term[:-2] if len(term) > 2 and term.endswith("'s") else term


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (tokens with a letter), in order."""
    return [normalize_term(token) for token in filter(_LETTER_RE.search, TOKEN_RE.findall(text))]


def count_words(text: str) -> int:
    """Number of words (tokens that contain a letter): the denominator of every rate."""
    return sum(1 for _ in filter(None, map(_LETTER_RE.search, TOKEN_RE.findall(text))))


#: Longest sentence, in characters. The longest sentence of the four shipped articles has 376
#: characters and long treaty or wire sentences stay under 1,000; 2,000 characters (about 300
#: words) is passed only by text without sentence punctuation (a page saved on one line, a list
#: run together). Longer sentences are cut (``cap_span``) so that no later stage, which works
#: sentence by sentence, is handed an unbounded one.
MAX_SENTENCE_CHARS = 2_000
#: Paragraphs longer than this many characters are given to Punkt in blocks (``_punkt_spans``).
#: A long news paragraph has under 3,000 characters, so ordinary text is split in one call;
#: one call on 50,000 characters takes at most about 0.35 s (measured on text made only of
#: sentence punctuation or abbreviations), far below NLTK's 5-second limit on one regular-
#: expression scan, which a single call on a 1,000,000-character paragraph exceeds.
_PUNKT_BLOCK_CHARS = 50_000
_LAST_SPACE_RE = re.compile(r"\s\S*\Z")
_SPACE_RE = re.compile(r"\s")


def cap_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` (no white space at either end) cut into pieces of at most MAX_SENTENCE_CHARS.

    Each piece ends at the last white space before the bound, or at the bound itself when the
    stretch has no white space; pieces are trimmed of white space. Offsets into ``text``; a
    span that is short enough comes back as the one piece ``[(start, end)]``.
    """
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        bound = start + MAX_SENTENCE_CHARS
        space = _LAST_SPACE_RE.search(text, start + 1, bound + 1)
        if space is None:
            piece_end = next_start = bound
        else:
            piece_end = next_start = space.start()
            while text[piece_end - 1].isspace():
                piece_end -= 1
            while next_start < end and text[next_start].isspace():
                next_start += 1
        pieces.append((start, piece_end))
        start = next_start
    pieces.append((start, end))
    return pieces


def _punkt_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """``(start, end, cut)``: Punkt's sentence spans of ``text``, computed in blocks of about
    _PUNKT_BLOCK_CHARS; ``cut`` is True for a sentence ended by a block end.

    Each block but the last ends at white space; its last sentence, which the block end may
    have cut short, is not kept, and the next block starts where that sentence starts. Punkt
    decides each boundary from the two tokens around it, so the spans equal those of one call
    on the whole text. A block without any sentence end is kept as one sentence, ended where
    the block ends (the sentence is longer than MAX_SENTENCE_CHARS and is cut anyway).
    """
    n, pos = len(text), 0
    while pos < n:
        end = n
        if n - pos > _PUNKT_BLOCK_CHARS:
            end = pos + _PUNKT_BLOCK_CHARS
            space = _SPACE_RE.search(text, end, end + MAX_SENTENCE_CHARS)
            end = space.start() if space else end
        spans = list(_punkt().span_tokenize(text[pos:end]))
        if end == n:
            keep, next_pos, cut = spans, n, False
        elif len(spans) > 1:
            keep, next_pos, cut = spans[:-1], pos + spans[-1][0], False
        else:
            keep, next_pos, cut = [(spans[0][0], end - pos)] if spans else [], end, True
        for start, stop in keep:
            yield start + pos, stop + pos, cut
        pos = next_pos


def split_sentences(text: str, offset: int = 0) -> tuple[list[tuple[int, int]], list[int]]:
    """``(spans, cuts)``: the sentence spans of one paragraph (as ``sentence_spans``) and the
    offsets where a sentence longer than MAX_SENTENCE_CHARS was cut, both shifted by ``offset``."""
    spans, cuts = [], []
    for start, end, block_end in _punkt_spans(text):
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if end - trail > start + lead:
            pieces = cap_span(text, start + lead, end - trail)
            cuts.extend(piece_end + offset for _, piece_end in (pieces if block_end else pieces[:-1]))
            spans.extend((a + offset, b + offset) for a, b in pieces)
    return spans, cuts


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, trimmed of surrounding white space, shifted by ``offset``.

    No span is longer than MAX_SENTENCE_CHARS (see ``cap_span``); ``split_sentences`` also
    says where sentences were cut.
    """
    return split_sentences(text, offset)[0]


# Characters folded for matching: curly quotes to straight, dashes and hyphens to "-".
_FOLD = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "\u00ad": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    # Turkish and Azerbaijani i: dotted capital and dotless small both match a plain "i"
    # ("XANKƏNDİ", "LAÇIN", "Laçın" all find the variant "laçın").
    "İ": "i", "ı": "i",
}


_FOLD_RE = re.compile("[" + "".join(re.escape(c) for c in _FOLD) + "]")


def matching_form(text: str) -> str:
    """Lower-cased text with quotes and dashes folded, the same length as ``text``.

    Offsets found in the matching form slice the original text exactly, because every
    character maps to exactly one character (Turkic "İ" and "ı" fold to "i"; "İ" is the only
    character whose lower case is longer than one character).
    """
    if text.isascii():
        return text.lower().replace("`", "'")
    # After folding "İ" (the one character whose lower case is two characters long), str.lower()
    # keeps the length; it equals lowering character by character up to Greek final sigma.
    # A substitution of the few folded characters is many times faster than str.translate.
    return _FOLD_RE.sub(lambda m: _FOLD[m.group()], text).lower()


def iter_word_spans(text: str) -> Iterator[Token]:
    """Tokens of ``text`` that are words (contain a letter)."""
    for m in TOKEN_RE.finditer(text):
        if is_word(m.group()):
            yield Token(m.start(), m.end(), m.group())


# Unicode form and scripts.
#: Characters compared at a time when looking for the first character that NFC changed.
_COMPARE_BLOCK = 65_536
_CYRILLIC_GREEK_RE = re.compile("(?:(?=[^\\W\\d_])[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u1c80-\u1c8f"
                                "\u2de0-\u2dff\ua640-\ua69f])+")   # letters only
_LATIN_LETTER_RE = re.compile("[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af"
                              "\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a]")
_LETTERS_RE = re.compile(r"[^\W\d_]*")


def nfc_form(text: str) -> tuple[str, int]:
    """``(text in Unicode NFC form, index of its first changed character)``; the index is -1
    (and the text the same object) when ``text`` was already in NFC form."""
    if unicodedata.is_normalized("NFC", text):
        return text, -1
    normal = unicodedata.normalize("NFC", text)
    i = 0
    while text[i:i + _COMPARE_BLOCK] == normal[i:i + _COMPARE_BLOCK]:
        i += _COMPARE_BLOCK
    while i < min(len(text), len(normal)) and text[i] == normal[i]:
        i += 1
    return normal, i


def mixed_script_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words (runs of letters) that mix Latin with Cyrillic or Greek letters.

    Linear: only the runs of Cyrillic or Greek letters are visited, each with the word around it.
    """
    spans, word_end = [], -1
    for m in _CYRILLIC_GREEK_RE.finditer(text):
        if m.start() < word_end:
            continue
        start = m.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        word_end = max(_LETTERS_RE.match(text, m.end()).end(), m.end())
        if _LATIN_LETTER_RE.search(text, start, word_end):
            spans.append((start, word_end))
    return spans


# Stemming. NLTK's Porter (Porter 1980, NLTK's extended rules) and Snowball English ("Porter2")
# stemmers are pure Python and need no downloaded data.
#: Names accepted wherever a ``stem`` option is offered (``None`` = no stemming, the default).
STEMMERS = ("snowball", "porter")


@functools.cache
def _stemmer(name: str):
    from nltk.stem import PorterStemmer, SnowballStemmer

    if name == "snowball":
        return SnowballStemmer("english")
    if name == "porter":
        return PorterStemmer()
    raise ValueError(f"unknown stemmer {name!r}: use one of {', '.join(STEMMERS)} or None")


def check_stemmer(stem: str | None) -> str | None:
    """Return ``stem`` if it names a stemmer in STEMMERS (or is None); else raise ValueError."""
    if stem is not None and stem not in STEMMERS:
        raise ValueError(f"unknown stemmer {stem!r}: use one of {', '.join(STEMMERS)} or None")
    return stem


def stem_term(term: str, stem: str | None = None) -> str:
    """The stem of a normalised word (``"peaceful"`` → ``"peac"``); ``stem=None`` returns it unchanged.

    Hyphenated compounds are stemmed as one string, so both stemmers leave most of them as they are.
    """
    return term if stem is None else _stem(check_stemmer(stem), term)


@functools.lru_cache(maxsize=1 << 18)
def _stem(name: str, term: str) -> str:
    """The stemmers are pure functions of the word: each distinct word is stemmed once."""
    return _stemmer(name).stem(term)


def stem_words(words: list[str], stem: str | None = None) -> list[str]:
    """``stem_term`` applied to every word of a list (a copy; ``stem=None`` copies unchanged)."""
    if stem is None:
        return list(words)
    stemmer = _stemmer(check_stemmer(stem))
    return [stemmer.stem(w) for w in words]


def text_sha256(text: str) -> str:
    """sha256 (hex) of ``text`` encoded as UTF-8: the documents table's ``sha256`` and the cache key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
