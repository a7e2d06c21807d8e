"""The document model: paragraphs and sentences with character offsets, documents, the corpus
and its three tables.

Every paragraph and sentence keeps ``start``/``end`` character offsets into the decoded file
text, so ``text[start:end]`` is the exact original wording. ``paragraph`` and ``sentence`` are
0-based positions in reading order; ``section`` is one of ``headline``, ``caption``, ``lead``
(first body paragraph) and ``body``.

Tables (fixed columns, sorted by manifest order then position):

* ``documents``: doc_id, file, title, outlet, date, url, voice, licence, sha256,
  n_paragraphs, n_sentences, n_words
* ``paragraphs``: doc_id, outlet, paragraph, section, start, end, n_words, text
* ``sentences``: doc_id, outlet, paragraph, sentence, section, start, end, n_words, text
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import text as textmod
from analysis.input.decode import normalised_sha256
from analysis.problems import Problem

SECTIONS = ("headline", "caption", "lead", "body")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text: ``section`` in SECTIONS; offsets into the document text."""

    index: int
    section: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence inside paragraph ``paragraph``; offsets into the document text."""

    index: int
    paragraph: int
    section: str
    start: int
    end: int


@dataclass
class Document:
    """One parsed article. ``text`` is the decoded file content, never modified."""

    doc_id: str
    text: str
    meta: dict = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        return self.meta.get("outlet", "")

    def slice(self, start: int, end: int) -> str:
        return self.text[start:end]

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset`` (or the last one starting before it); None if none."""
        if not self.sentences:
            return None
        return self.sentences[max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)]

    @functools.cached_property
    def n_words(self) -> int:
        """Words of the analysed text (headline to last paragraph, stop words included): the
        denominator of every rate per 1,000 words."""
        return sum(textmod.count_words(self.text[p.start:p.end]) for p in self.paragraphs)

    @functools.cached_property
    def sha256(self) -> str:
        """SHA-256 (hex) of the text (``text.text_sha256``): the key of its cached result."""
        return textmod.text_sha256(self.text)

    @functools.cached_property
    def normalised_sha256(self) -> str:
        """SHA-256 (hex) of the text with white space collapsed and Unicode in NFC
        (``input.decode.normalised_sha256``): equal for texts that differ in nothing else."""
        return normalised_sha256(self.text)

    def __reduce__(self):  # plain values between processes: read back several times faster than the objects
        return (_document, (self.doc_id, self.text, self.meta,
                            [(p.index, p.section, p.start, p.end) for p in self.paragraphs],
                            [(s.index, s.paragraph, s.section, s.start, s.end) for s in self.sentences],
                            {k: self.__dict__[k] for k in COUNTED if k in self.__dict__}))

    @property
    def body_start(self) -> int:
        """Offset where the analysed text begins (after any metadata header)."""
        return self.paragraphs[0].start if self.paragraphs else len(self.text)


#: A document's values computed from its text once, on first use, and kept with it (between
#: processes and in the cache of parsed articles).
COUNTED = ("n_words", "sha256", "normalised_sha256")


def _document(doc_id: str, text: str, meta: dict, paragraphs: list[tuple], sentences: list[tuple],
              counted: dict) -> Document:
    doc = Document(doc_id, text, meta, [Paragraph(*p) for p in paragraphs], [Sentence(*s) for s in sentences])
    doc.__dict__.update(counted)
    return doc


class Corpus:
    """The parsed articles of a seeds folder, in manifest order, with their tables."""

    def __init__(self, documents: list[Document], problems: list[Problem] | None = None,
                 seeds: Path | None = None):
        self.docs = documents
        self.problems = problems or []
        self.seeds = seeds

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)

    def __getitem__(self, doc_id: str) -> Document:
        for doc in self.docs:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(f"no document with id {doc_id!r}; ids are {[d.doc_id for d in self.docs]}")

    @property
    def documents(self) -> pd.DataFrame:
        rows = []
        for doc in self.docs:
            m = doc.meta
            rows.append({
                "doc_id": doc.doc_id, "file": m.get("file", ""), "title": m.get("title", ""),
                "outlet": m.get("outlet", ""), "date": m.get("date", ""), "url": m.get("url", ""),
                "voice": m.get("voice", ""), "licence": m.get("licence", ""),
                "sha256": doc.sha256,
                "n_paragraphs": len(doc.paragraphs), "n_sentences": len(doc.sentences),
                "n_words": doc.n_words,
            })
        return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)

    @property
    def paragraphs(self) -> pd.DataFrame:
        rows = [{"doc_id": d.doc_id, "outlet": d.outlet, "paragraph": p.index, "section": p.section,
                 "start": p.start, "end": p.end, "n_words": textmod.count_words(d.text[p.start:p.end]),
                 "text": d.text[p.start:p.end]} for d in self.docs for p in d.paragraphs]
        return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)

    @property
    def sentences(self) -> pd.DataFrame:
        rows = [{"doc_id": d.doc_id, "outlet": d.outlet, "paragraph": s.paragraph, "sentence": s.index,
                 "section": s.section, "start": s.start, "end": s.end,
                 "n_words": textmod.count_words(d.text[s.start:s.end]), "text": d.text[s.start:s.end]}
                for d in self.docs for s in d.sentences]
        return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


DOCUMENT_COLUMNS = ["doc_id", "file", "title", "outlet", "date", "url", "voice", "licence", "sha256",
                    "n_paragraphs", "n_sentences", "n_words"]
PARAGRAPH_COLUMNS = ["doc_id", "outlet", "paragraph", "section", "start", "end", "n_words", "text"]
SENTENCE_COLUMNS = ["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "n_words", "text"]


