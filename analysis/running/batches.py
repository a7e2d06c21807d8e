"""A batch's parsed articles and results in one cache entry, so a rerun reads a file per batch.

Runs read and analyse the articles in batches (``workers``: about ``BATCH_BYTES`` of files
each, in manifest order, the same batches on every run of the same folder). Beside the
per-article entries (``running.articles``, ``running.cache``), each batch whose files were all
analysed is stored as one entry, keyed by the sha256 of its files' ``article_key``s: a rerun
that meets the same files in the same batch reads the batch's documents, warnings and results
from that one entry, column by column, instead of one pair of entries per article. Any other
batch (a file added, changed or moved to another batch) is read article by article, then
stored anew. The per-article entries stay the record; a batch entry only saves reading them.

An entry is a JSON line (format, fingerprint, key, each document's metadata, counts, digests and
warnings, each table's rows per document and column descriptions) followed by the columns
(``packing``, texts that repeat stored once): the documents' texts, paragraphs and sentences,
then each stage's columns over the batch. It is checked when read like the other entries; a
wrong one is read article by article and replaced, with a warning.
"""
from __future__ import annotations

import hashlib
import itertools
import json

from analysis.corpus import SECTIONS, Document, Paragraph, Sentence
from analysis.problems import Problem
from analysis.running import packing, stages
from analysis.running.articles import digest, plain_meta, problem_rows, stored_problems
from analysis.running.cache import InvalidEntry, ResultCache, _check_columns, checked_header

#: Bumped whenever the stored layout of a batch changes.
BATCH_FORMAT = 1
#: Sub-folder of the fingerprint folder that holds the batches; file suffix of one.
FOLDER, SUFFIX = "batches", ".batch"
#: The tables of an entry, in the order their columns are stored (then the stages).
TABLES = ("texts", "paragraphs", "sentences")
#: The columns of those tables and the type of their values.
_ARTICLE_TABLES = {"texts": {"text": str}, "paragraphs": {"section": str, "start": int, "end": int},
                   "sentences": {"paragraph": int, "section": str, "start": int, "end": int}}


def batch_key(keys: list[str]) -> str:
    """sha256 (hex) of a batch's ``article_key``s, in order."""
    return hashlib.sha256("\n".join(keys).encode("ascii")).hexdigest()


class Batches:
    """Batch entries inside a ``ResultCache`` (whose warnings and write failures they share)."""

    def __init__(self, store: ResultCache):
        self.store = store

    def _file(self, key: str) -> str:
        return f"{self.store.base}/{FOLDER}/{key[:2]}/{key}{SUFFIX}"

    def get(self, keys: list[str]) -> list[tuple[Document, list[Problem], stages.DocResult]] | None:
        """``(document, warnings, result)`` of each file of the batch of ``keys``, or None (no
        entry, or an invalid one: then a warning)."""
        key = batch_key(keys)
        return self.store.read(self._file(key), lambda data: decode(data, self.store.key, key, len(keys)))

    def put(self, keys: list[str], items: list[tuple[Document, list[Problem], stages.DocResult]]) -> None:
        """Store a batch (not stored if a value is not plain data or a stage's columns differ)."""
        key = batch_key(keys)
        try:
            data = encode(items, self.store.key, key)
        except (TypeError, ValueError):
            return
        self.store.write(self._file(key), data)


def _concatenated(parts: list[dict[str, list]]) -> dict[str, list]:
    names = list(parts[0]) if parts else []
    if any(list(p) != names for p in parts):
        raise ValueError("the documents' tables do not have the same columns")
    return {name: list(itertools.chain.from_iterable(p[name] for p in parts)) for name in names}


def _tables(items) -> dict[str, list[dict[str, list]]]:
    """Each table's columns, one dict per document."""
    docs = [doc for doc, _, _ in items]
    tables = {"texts": [{"text": [d.text]} for d in docs],
              "paragraphs": [{"section": [p.section for p in d.paragraphs], "start": [p.start for p in d.paragraphs],
                              "end": [p.end for p in d.paragraphs]} for d in docs],
              "sentences": [{"paragraph": [s.paragraph for s in d.sentences], "section": [s.section for s in d.sentences],
                             "start": [s.start for s in d.sentences], "end": [s.end for s in d.sentences]}
                            for d in docs]}
    for name in stages.STAGES:
        tables[name] = [result.columns[name].data for _, _, result in items]
    return tables


def encode(items: list[tuple[Document, list[Problem], stages.DocResult]], fingerprint: str, key: str) -> bytes:
    """One batch as an entry: a JSON line, then every table's columns as bytes."""
    docs = []
    for doc, problems, result in items:
        if not plain_meta(doc.meta):
            raise TypeError("metadata that is not plain text or numbers")
        docs.append({"doc_id": doc.doc_id, "meta": doc.meta, "n_words": doc.n_words, "sha256": doc.sha256,
                     "normalised_sha256": doc.normalised_sha256,
                     "problems": problem_rows(problems),
                     "result": [result.doc_id, result.outlet, result.sha256, result.n_paragraphs,
                                result.n_sentences, result.n_words]})
    described, blobs = {}, []
    for name, parts in _tables(items).items():
        columns, found = packing.pack(_concatenated(parts), shared=True)
        described[name] = {"rows": [len(next(iter(p.values()), ())) for p in parts], "columns": columns}
        blobs += found
    header = {"format": BATCH_FORMAT, "fingerprint": fingerprint, "key": key, "docs": docs, "tables": described}
    return b"".join([json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b"\n", *blobs])


def _check_doc(entry) -> None:
    """Raise InvalidEntry unless ``entry`` describes a document, its warnings and its result's counts."""
    if not isinstance(entry, dict):
        raise InvalidEntry("a document is not described")
    meta, problems, result = entry.get("meta"), entry.get("problems"), entry.get("result")
    if not (isinstance(entry.get("doc_id"), str) and plain_meta(meta)
            and type(entry.get("n_words")) is int and entry["n_words"] >= 0
            and digest(entry.get("sha256")) and digest(entry.get("normalised_sha256"))):
        raise InvalidEntry("a document's id, metadata, word count or digests are missing")
    if not stored_problems(problems):
        raise InvalidEntry("the warnings are not a list of problems")
    if not (type(result) is list and len(result) == 6 and isinstance(result[0], str) and isinstance(result[1], str)
            and digest(result[2]) and all(type(n) is int and n >= 0 for n in result[3:])):
        raise InvalidEntry("a result's counts are missing")


def _read_tables(payload, data: bytes, head: int, count: int) -> dict[str, tuple[list[int], dict[str, list]]]:
    """Each table's ``(rows per document, columns over the batch)``, checked."""
    tables = payload.get("tables")
    if not isinstance(tables, dict) or list(tables) != [*TABLES, *stages.STAGES]:
        raise InvalidEntry("the tables are missing")
    buffer, offset, found = memoryview(data), head, {}
    try:
        for name, table in tables.items():
            rows = table.get("rows") if isinstance(table, dict) else None
            if type(rows) is not list or len(rows) != count or not all(type(n) is int and n >= 0 for n in rows):
                raise ValueError(f"table {name} does not say how many rows each document has")
            columns, offset = packing.unpack(table.get("columns"), buffer, offset, sum(rows))
            found[name] = (rows, columns)
            if name in stages.STAGES:
                _check_columns({name: stages.Columns(columns)},
                               {(name, c): packing.KIND_TYPES.get(kind) for c, kind, _ in table["columns"]})
                shared = {c for c, kind, _ in table["columns"] if kind == "shared"}
                columns.update(stages.share_strings(name, stages.Columns(
                    {c: v for c, v in columns.items() if c not in shared})).data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidEntry(f"the columns are not readable ({exc})")
    if offset != len(data):
        raise InvalidEntry("the entry is longer or shorter than its columns")
    for name, kinds in _ARTICLE_TABLES.items():
        rows, columns = found[name]
        stored = {c: packing.KIND_TYPES.get(kind) for c, kind, _ in tables[name]["columns"]}
        if list(columns) != list(kinds) or not all(
                stored[c] is kind or (stored[c] is None and set(map(type, columns[c])) <= {kind})
                for c, kind in kinds.items()):
            raise InvalidEntry(f"table {name} does not have the expected columns")
        if "section" in columns and not set(columns["section"]) <= set(SECTIONS):
            raise InvalidEntry(f"table {name} names a section that does not exist")
    if found["texts"][0] != [1] * count:
        raise InvalidEntry("not one text per document")
    return found


def _pieces(rows: list[int], columns: dict[str, list]) -> list[dict[str, list]]:
    """The columns of each document in turn."""
    out, start = [], 0
    for n in rows:
        out.append({c: values[start:start + n] for c, values in columns.items()})
        start += n
    return out


def _within(text: str, starts: list, ends: list) -> bool:
    size = len(text)
    return all(0 <= s <= e <= size for s, e in zip(starts, ends))


def decode(data: bytes, fingerprint: str, key: str, count: int) -> list[tuple[Document, list[Problem], stages.DocResult]]:
    """The ``(document, warnings, result)`` of each of the ``count`` files stored in ``data``;
    raises InvalidEntry unless it is a complete batch of this format and fingerprint for ``key``."""
    head, _, _ = data.partition(b"\n")
    payload = checked_header(head, BATCH_FORMAT, fingerprint, "a batch entry", "batch of files", key=key)
    entries = payload.get("docs")
    if type(entries) is not list or len(entries) != count:
        raise InvalidEntry("not one document per file of the batch")
    for entry in entries:
        _check_doc(entry)
    found = _read_tables(payload, data, len(head) + 1, count)
    pieces = {name: _pieces(rows, columns) for name, (rows, columns) in found.items()}
    out = []
    for i, entry in enumerate(entries):
        text, paragraphs, sentences = pieces["texts"][i]["text"][0], pieces["paragraphs"][i], pieces["sentences"][i]
        if not (_within(text, paragraphs.get("start", ()), paragraphs.get("end", ()))
                and _within(text, sentences.get("start", ()), sentences.get("end", ()))
                and all(0 <= p < len(paragraphs.get("start", ())) for p in sentences.get("paragraph", ()))):
            raise InvalidEntry("the paragraphs or sentences are not a parse of the text")
        doc = Document(entry["doc_id"], text, entry["meta"],
                       list(map(Paragraph, itertools.count(), *(paragraphs.get(c, ()) for c in ("section", "start", "end")))),
                       list(map(Sentence, itertools.count(), *(sentences.get(c, ())
                                                               for c in ("paragraph", "section", "start", "end")))))
        doc.__dict__.update(n_words=entry["n_words"], sha256=entry["sha256"], normalised_sha256=entry["normalised_sha256"])
        result = stages.DocResult(*entry["result"], {name: stages.Columns(pieces[name][i]) for name in stages.STAGES})
        out.append((doc, [Problem(*p) for p in entry["problems"]], result))
    return out
