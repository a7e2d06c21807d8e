"""Lexical statistics per document: size, vocabulary, sentence length and readability.

Counted over the running prose of each document, the ``lead`` and ``body`` sections by default
(headlines and photo captions are not sentences in the sense readability formulas assume), so
``n_words`` here can be lower than ``documents.n_words``. Words are the normalised words of
``text.words`` (tokens that contain a letter); types are distinct normalised words.

* ``ttr`` = types / words (0–1). It falls as texts grow, so compare texts of similar length.
* ``mattr`` = moving-average type/token ratio (Covington & McFall 2010) over windows of
  MATTR_WINDOW words (0–1); empty when a document has fewer words than the window.
* ``mean_sentence_words`` = words / sentences (sentences with at least one word).
* ``flesch_reading_ease`` = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words)
  (Flesch 1948, "A new readability yardstick", J. Applied Psychology 32:221–233). Higher is
  easier: 60–70 plain English, below 30 very difficult (Flesch's own scale).
* ``flesch_kincaid_grade`` = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
  (Kincaid et al. 1975, US Navy report 8-75): approximate US school grade.

Syllables are **approximate**: ``syllables`` counts groups of vowels (a e i o u y), drops a
silent final "e" (but not "-le" after a consonant), and gives every word at least one; the
parts of a hyphenated word are counted separately, apostrophes and other non-letters ignored. It errs on words such as "create" (2 → 1)
or "business"; dictionary counts (e.g. CMUdict) would need downloaded data.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import text as textmod
from analysis.corpus import Corpus, Document

#: Sections treated as running prose (see the module docstring).
PROSE_SECTIONS = ("lead", "body")
#: MATTR window in words. Covington & McFall use 500; the shipped texts have 80–540 words,
#: so a short window is the only one every text can fill.
MATTR_WINDOW = 50
LEXSTATS_COLUMNS = ["doc_id", "outlet", "n_sentences", "n_words", "n_types", "ttr", "mattr",
                    "mean_sentence_words", "syllables_per_word", "flesch_reading_ease",
                    "flesch_kincaid_grade"]
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Approximate syllables of one word (≥ 1; see the module docstring for the heuristic)."""
    total = 0
    for part in word.lower().split("-"):
        letters = re.sub(r"[^a-z]", "", part)
        if not letters:
            continue
        count = len(_VOWEL_GROUP_RE.findall(letters))
        if letters.endswith("e") and not letters.endswith(("le", "ee", "ye")) and count > 1:
            count -= 1
        elif letters.endswith("le") and len(letters) > 2 and letters[-3] in "aeiouy" and count > 1:
            count -= 1
        total += max(1, count)
    return max(1, total)


def mattr(words: list[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type/token ratio over windows of ``window`` words; NaN if too few words."""
    if window < 1 or len(words) < window:
        return float("nan")
    counts: dict[str, int] = {}
    for w in words[:window]:
        counts[w] = counts.get(w, 0) + 1
    ratios = [len(counts)]
    for i in range(window, len(words)):
        old = words[i - window]
        counts[old] -= 1
        if not counts[old]:
            del counts[old]
        counts[words[i]] = counts.get(words[i], 0) + 1
        ratios.append(len(counts))
    return float(np.mean(ratios) / window)


def doc_stats(doc: Document, sections: tuple[str, ...] = PROSE_SECTIONS) -> dict:
    """One row of LEXSTATS_COLUMNS for ``doc`` (NaN where a ratio has no words or sentences)."""
    sentences = [textmod.words(doc.text[s.start:s.end]) for s in doc.sentences if s.section in sections]
    sentences = [s for s in sentences if s]
    words = [w for s in sentences for w in s]
    n_words, n_sents = len(words), len(sentences)
    n_syll = sum(syllables(w) for w in words)
    wps = n_words / n_sents if n_sents else float("nan")
    spw = n_syll / n_words if n_words else float("nan")
    return {"doc_id": doc.doc_id, "outlet": doc.outlet, "n_sentences": n_sents, "n_words": n_words,
            "n_types": len(set(words)), "ttr": len(set(words)) / n_words if n_words else float("nan"),
            "mattr": mattr(words), "mean_sentence_words": wps, "syllables_per_word": spw,
            "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
            "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59}


def lexical_stats(corpus: Corpus, sections: tuple[str, ...] = PROSE_SECTIONS) -> pd.DataFrame:
    """LEXSTATS_COLUMNS, one row per document in manifest order."""
    return pd.DataFrame([doc_stats(doc, sections) for doc in corpus], columns=LEXSTATS_COLUMNS)
