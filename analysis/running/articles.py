"""Parsed articles kept beside the per-document results, so a rerun parses no unchanged file again.

An entry holds what ``corpus.parse.parse_bytes`` returned for one file: the decoded text, its
metadata, paragraph and sentence offsets, word count and warnings. It is keyed by
``corpus.parse.article_key`` (the file's bytes, its name, id and manifest row) inside the
cache's fingerprint folder, whose key covers the parsing code and its data files. Entries are
data (JSON), checked when read; a wrong one is parsed again and replaced, with a warning.
"""
from __future__ import annotations

import json

from analysis.corpus import SECTIONS, Document, Paragraph, Sentence
from analysis.problems import SEVERITIES, Problem
from analysis.running.cache import InvalidEntry, ResultCache, checked_header

#: Bumped whenever the stored layout of a parsed article changes (2: with the text's digests).
ARTICLE_FORMAT = 2
#: Sub-folder of the fingerprint folder that holds the parsed articles.
FOLDER = "articles"
_META_TYPES = (str, int, float, type(None))
_HEX = "0123456789abcdef"


class ParsedArticles:
    """The ``parsed`` store of ``corpus.load.read_articles``, inside a ``ResultCache`` (whose
    warnings and write failures it shares). Picklable, so that workers use it too."""

    def __init__(self, store: ResultCache):
        self.store = store

    def _file(self, key: str) -> str:
        return f"{self.store.base}/{FOLDER}/{key[:2]}/{key}.json"

    def get(self, key: str) -> tuple[Document, list[Problem]] | None:
        """The stored ``(document, warnings)`` under ``key``, or None (missing, or invalid: a warning)."""
        return self.store.read(self._file(key), lambda data: decode(data, self.store.key, key))

    def put(self, key: str, doc: Document, problems: list[Problem]) -> None:
        """Store one parsed article (not stored if its metadata is not plain text and numbers)."""
        try:
            data = encode(doc, problems, self.store.key, key)
        except (TypeError, ValueError):
            return
        self.store.write(self._file(key), data)


def plain_meta(meta) -> bool:
    """True for metadata an entry may hold: a dict of plain text and numbers."""
    return isinstance(meta, dict) and all(isinstance(v, _META_TYPES) for v in meta.values())


def digest(value) -> bool:
    """True for a sha256 in hex."""
    return isinstance(value, str) and len(value) == 64 and not value.strip(_HEX)


def problem_rows(problems: list[Problem]) -> list[list]:
    """Warnings as entries store them: ``[file, line, message, hint, severity]`` each."""
    return [[p.file, p.line, p.message, p.hint, p.severity] for p in problems]


def stored_problems(rows) -> bool:
    """True for warnings stored as ``problem_rows`` writes them."""
    return type(rows) is list and all(type(p) is list and len(p) == 5 and type(p[1]) is int and p[4] in SEVERITIES
                                      and all(isinstance(v, str) for v in (p[0], p[2], p[3])) for p in rows)


def encode(doc: Document, problems: list[Problem], fingerprint: str, key: str) -> bytes:
    """One parsed article as a JSON object."""
    if not plain_meta(doc.meta):
        raise TypeError("metadata that is not plain text or numbers")
    payload = {"format": ARTICLE_FORMAT, "fingerprint": fingerprint, "key": key, "doc_id": doc.doc_id,
               "text": doc.text, "meta": doc.meta, "n_words": doc.n_words, "sha256": doc.sha256,
               "normalised_sha256": doc.normalised_sha256,
               "paragraphs": [[p.section, p.start, p.end] for p in doc.paragraphs],
               "sentences": [[s.paragraph, s.section, s.start, s.end] for s in doc.sentences],
               "problems": problem_rows(problems)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _offsets(rows, width: int, size: int, parent: int | None = None) -> bool:
    """True when every row is ``[(paragraph,) section, start, end]`` with offsets inside the text
    (and paragraphs among the ``parent`` ones)."""
    for row in rows:
        if type(row) is not list or len(row) != width:
            return False
        *head, section, start, end = row
        if section not in SECTIONS or type(start) is not int or type(end) is not int or not 0 <= start <= end <= size:
            return False
        if head and not (type(head[0]) is int and 0 <= head[0] < parent):
            return False
    return True


def decode(data: bytes, fingerprint: str, key: str) -> tuple[Document, list[Problem]]:
    """The ``(document, warnings)`` stored in ``data``; raises InvalidEntry unless it is a
    complete entry of this format and fingerprint for ``key``."""
    payload = checked_header(data, ARTICLE_FORMAT, fingerprint, "a parsed article", "file", key=key)
    text, meta, doc_id, paragraphs, sentences, problems, n_words, *digests = (payload.get(k) for k in (
        "text", "meta", "doc_id", "paragraphs", "sentences", "problems", "n_words", "sha256", "normalised_sha256"))
    if not (isinstance(text, str) and isinstance(doc_id, str) and plain_meta(meta)):
        raise InvalidEntry("the text, id or metadata is missing")
    if not (type(paragraphs) is list and _offsets(paragraphs, 3, len(text)) and type(sentences) is list
            and _offsets(sentences, 4, len(text), len(paragraphs)) and type(n_words) is int and n_words >= 0):
        raise InvalidEntry("the paragraphs, sentences or word count are not a parse of the text")
    if not all(map(digest, digests)):
        raise InvalidEntry("the text's digests are missing")
    if not stored_problems(problems):
        raise InvalidEntry("the warnings are not a list of problems")
    doc = Document(doc_id, text, meta, [Paragraph(i, *p) for i, p in enumerate(paragraphs)],
                   [Sentence(i, *s) for i, s in enumerate(sentences)])
    doc.__dict__.update(n_words=n_words, sha256=digests[0], normalised_sha256=digests[1])
    return doc, [Problem(*p) for p in problems]
