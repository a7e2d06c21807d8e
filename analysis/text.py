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
from typing import Iterator, NamedTuple

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

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
_POSSESSIVE_RE = re.compile(r"'s$")


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
def _punkt() -> PunktSentenceTokenizer:
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
    return _POSSESSIVE_RE.sub("", term) if len(term) > 2 else term


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (tokens with a letter), in order."""
    return [normalize_term(m.group()) for m in TOKEN_RE.finditer(text) if is_word(m.group())]


def count_words(text: str) -> int:
    """Number of words (tokens that contain a letter): the denominator of every rate."""
    return sum(1 for m in TOKEN_RE.finditer(text) if is_word(m.group()))


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, trimmed of surrounding white space, shifted by ``offset``."""
    spans = []
    for start, end in _punkt().span_tokenize(text):
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if end - trail > start + lead:
            spans.append((start + lead + offset, end - trail + offset))
    return spans


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


_FOLD_TABLE = str.maketrans(_FOLD)


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
    return text.translate(_FOLD_TABLE).lower()


def iter_word_spans(text: str) -> Iterator[Token]:
    """Tokens of ``text`` that are words (contain a letter)."""
    for m in TOKEN_RE.finditer(text):
        if is_word(m.group()):
            yield Token(m.start(), m.end(), m.group())


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
    return term if stem is None else _stemmer(check_stemmer(stem)).stem(term)


def stem_words(words: list[str], stem: str | None = None) -> list[str]:
    """``stem_term`` applied to every word of a list (a copy; ``stem=None`` copies unchanged)."""
    if stem is None:
        return list(words)
    stemmer = _stemmer(check_stemmer(stem))
    return [stemmer.stem(w) for w in words]


def text_sha256(text: str) -> str:
    """sha256 (hex) of ``text`` encoded as UTF-8: the documents table's ``sha256`` and the cache key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
