"""Incremental runs: per-document results cached by content hash, and what changed since the last run.

A cached result is keyed by the sha256 of the document's text, inside a folder named by the
*fingerprint* of everything else a result depends on: the package version, the cache format,
the stage names, the lexicon's version and sha256, the source of the modules that compute the
results and the data files they read (stop words, abbreviations, lexicons). Editing an article
recomputes that article only; editing code or a lexicon starts a new fingerprint folder, so
stale results are never read.

Entries are data, never code: one file per document, a JSON line (format, fingerprint, sha256,
counts, column descriptions) then the columns as bytes (``packing``), checked when read. A
truncated, corrupt or foreign entry is recomputed and replaced, with a warning in the run's
problems. Entries are written with a rename and no fsync (a cut-short file is caught by the
checks), by whichever process computed the result. Beside them, ``articles/`` keeps each file's
parsed article (``running.articles``), so a rerun parses no unchanged file, and ``batches/`` a
batch's articles and results in one entry (``running.batches``), so a rerun reads them at once.

The cache lives in ``<out>/.cache/`` by default (``.cache/`` is gitignored); it may never lie
inside the seeds folder. The same folder keeps the previous run's summary (``running.changes``).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import os
from pathlib import Path

from analysis import config
from analysis.framing import markers, packs
from analysis.problems import Problem, warning
from analysis.running import packing, stages

#: Bumped whenever the stored layout of a ``DocResult`` changes (2: JSON columns, was pickle; 3: a
#: JSON line, then the columns as bytes).
CACHE_FORMAT = 3
#: File suffix of a per-document result.
SUFFIX = ".result"
#: Name of the cache folder inside the output folder.
CACHE_NAME = ".cache"


def cache_dir(out: Path, seeds: Path, override: str | Path | None = None) -> Path:
    """``override`` or ``<out>/.cache``; refuses a folder inside ``seeds``."""
    folder = Path(override) if override else Path(out) / CACHE_NAME
    folder = folder if folder.is_absolute() else config.ROOT / folder
    if folder.resolve().is_relative_to(Path(seeds).resolve()):
        raise ValueError(f"the cache folder {folder.name!r} would be inside the seeds folder; "
                         "choose an output or cache folder outside it")
    return folder


def package_version() -> str:
    try:
        return importlib.metadata.version("framing-workbook")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout only
        return "0+unknown"


#: Code a per-document result depends on: these subpackages and modules of the package.
COMPUTE_CODE = ("input", "corpus", "measures", "framing", "text.py", "config.py", "running/stages.py")


def _stage_sources() -> list[Path]:
    files = set()
    for name in COMPUTE_CODE:
        path = config.PACKAGE / name
        files |= set(path.rglob("*.py")) if path.is_dir() else {path}
    files |= {p for p in config.DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    packs = config.PACKAGE / "packs"
    files |= {p for p in packs.rglob("*") if p.is_file() and "__pycache__" not in p.parts} if packs.is_dir() else set()
    return sorted(files)


def fingerprint() -> str:
    """sha256 over the package version, cache format, stages, their code and data files."""
    digest = hashlib.sha256()
    lexicon = markers.current_lexicon()
    digest.update(json.dumps({"version": package_version(), "format": CACHE_FORMAT,
                              "stages": list(stages.STAGES), "lexicon_version": lexicon.version,
                              "lexicon_sha256": lexicon.sha256, "story": packs.active().sha256}).encode("utf-8"))
    for path in _stage_sources():
        digest.update(path.relative_to(config.PACKAGE).as_posix().encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: Python types a cell of a stage without a ``schema`` may hold in a cache entry.
_SCALARS = frozenset({str, int, float, bool, type(None)})
#: Types accepted for a column of each declared type (``float`` columns may hold ints, as
#: computed; ``str`` columns may hold NaN, pandas' missing text).
_ACCEPTED = {str: frozenset({str, float}), int: frozenset({int}), float: frozenset({float, int}),
             bool: frozenset({bool})}
_DOC_FIELDS = ("doc_id", "outlet", "n_paragraphs", "n_sentences", "n_words")


class InvalidEntry(ValueError):
    """A cache entry that is not a result of this code for this text (the message says why)."""


def encode(result: stages.DocResult, key: str) -> bytes:
    """A ``DocResult`` as one entry: a JSON line (format, fingerprint, sha256, counts, each stage's
    rows and column descriptions), then the columns' bytes (``packing``)."""
    described, blobs = {}, []
    for name, cols in result.columns.items():
        columns, found = packing.pack(cols.data)
        described[name] = {"rows": len(cols), "columns": columns}
        blobs += found
    header = {"format": CACHE_FORMAT, "fingerprint": key, "sha256": result.sha256,
              "doc": {f: getattr(result, f) for f in _DOC_FIELDS}, "stages": described}
    return b"".join([json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b"\n", *blobs])


def _check_column(stage: str, name: str, values, kind: type | None, rows: int) -> None:
    if type(values) is not list or len(values) != rows:
        raise InvalidEntry(f"column {stage}.{name} is not a list of {rows} values")
    found = set(map(type, values))
    allowed = _ACCEPTED[kind] if kind is not None else _SCALARS
    if not found <= allowed:
        raise InvalidEntry(f"column {stage}.{name} holds {', '.join(sorted(t.__name__ for t in found - allowed))} "
                           f"values (expected {kind.__name__ if kind else 'plain values'})")
    if kind is str and float in found and any(type(v) is float and v == v for v in values):
        raise InvalidEntry(f"column {stage}.{name} holds numbers (expected text)")


def _check_columns(columns: dict[str, stages.Columns], known: dict | None = None) -> None:
    """Raise InvalidEntry unless every stage has its schema's columns, all of one length, each
    holding values of the column's type. ``known``: ``(stage, column)`` → the one type of its
    values where that is known (read back from ``packing``), so they need not be looked at."""
    for name, cols in columns.items():
        schema = stages.STAGES[name].schema if name in stages.STAGES else None
        if schema is not None and cols.names != list(schema):
            raise InvalidEntry(f"stage {name} does not have the expected columns")
        for column in cols.names:
            kind, found = schema[column] if schema else None, (known or {}).get((name, column))
            if found is None:
                _check_column(name, column, cols.data[column], kind, len(cols))
            elif found not in (_ACCEPTED[kind] if kind is not None else _SCALARS):
                raise InvalidEntry(f"column {name}.{column} holds {found.__name__} values (expected {kind.__name__})")


def checked_header(raw: bytes, fmt: int, fingerprint: str, what: str, of: str, **fields) -> dict:
    """The JSON object in ``raw``: an entry of format ``fmt`` written with ``fingerprint`` whose
    ``fields`` hold the given values; else InvalidEntry (``what`` names the entry, ``of`` what it
    is written for: "text", "file")."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidEntry(f"not valid JSON ({type(exc).__name__}); the file is truncated or not {what}")
    if not isinstance(payload, dict) or payload.get("format") != fmt:
        raise InvalidEntry(f"not {what} of this format")
    if payload.get("fingerprint") != fingerprint or any(payload.get(k) != v for k, v in fields.items()):
        raise InvalidEntry(f"written for another {of} or another version of the code")
    return payload


def decode(data: bytes, key: str, sha256: str) -> stages.DocResult:
    """The ``DocResult`` stored in ``data``; raises InvalidEntry unless it is a complete entry of
    this format and fingerprint for ``sha256`` with every stage's columns and types."""
    head, _, _ = data.partition(b"\n")
    payload = checked_header(head, CACHE_FORMAT, key, "a cache entry", "text", sha256=sha256)
    doc, tables = payload.get("doc"), payload.get("stages")
    if not isinstance(doc, dict) or not isinstance(tables, dict) or list(tables) != list(stages.STAGES):
        raise InvalidEntry("the document counts or the stages are missing")
    if not all(isinstance(doc.get(f), str) for f in _DOC_FIELDS[:2]) or not all(
            type(doc.get(f)) is int and doc[f] >= 0 for f in _DOC_FIELDS[2:]):
        raise InvalidEntry("the document counts are missing or not whole numbers")
    buffer, offset, columns, known = memoryview(data), len(head) + 1, {}, {}
    try:
        for name, table in tables.items():
            if not isinstance(table, dict):
                raise ValueError("a stage is not a table of columns")
            found, offset = packing.unpack(table.get("columns"), buffer, offset, table.get("rows"))
            columns[name] = stages.share_strings(name, stages.Columns(found))
            known.update(((name, c), packing.KIND_TYPES.get(kind)) for c, kind, _ in table["columns"])
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidEntry(f"the columns are not readable ({exc})")
    if offset != len(data):
        raise InvalidEntry("the entry is longer or shorter than its columns")
    _check_columns(columns, known)
    return stages.DocResult(doc["doc_id"], doc["outlet"], sha256, doc["n_paragraphs"], doc["n_sentences"],
                            doc["n_words"], columns)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, without fsync: a cache
    entry cut short by a crash is detected when read and recomputed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}_{next(_TMP_NUMBERS)}.tmp")
    try:
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_TMP_NUMBERS = itertools.count()


class ResultCache:
    """Per-document results on disk: ``<folder>/<fingerprint[:16]>/<sha[:2]>/<sha>.result``.

    Entries are data only (counts and each stage's columns), validated when read; an
    entry that is truncated, corrupt or of another shape is recomputed and overwritten, with a
    warning in ``problems``. Nothing read from the folder is ever executed. Picklable, so that
    worker processes write their own entries.
    """

    def __init__(self, folder: Path, key: str):
        self.folder = Path(folder)
        self.key = key
        self.root = self.folder / key[:16]
        #: ``root`` as text, to build the paths of thousands of entries quickly.
        self.base = str(self.root)
        self.reads = 0
        self.writes = 0
        self.unwritable = False
        self.problems: list[Problem] = []

    def path(self, sha256: str) -> Path:
        return Path(self._file(sha256))

    def _file(self, sha256: str) -> str:
        return f"{self.base}/{sha256[:2]}/{sha256}{SUFFIX}"

    def get(self, sha256: str) -> stages.DocResult | None:
        """The stored result for text ``sha256``, or None (missing, or invalid: then a warning)."""
        result = self.read(self._file(sha256), lambda data: decode(data, self.key, sha256))
        self.reads += result is not None
        return result

    def put(self, sha256: str, result: stages.DocResult) -> None:
        """Store ``result``. One that would not pass ``decode``'s checks is not stored (it is
        recomputed next time)."""
        try:
            _check_columns(result.columns)
            data = encode(result, self.key)
        except (InvalidEntry, TypeError, ValueError):
            return
        self.writes += self.write(self._file(sha256), data)

    def read(self, path: str | Path, decoder):
        """``decoder(bytes of path)``, or None when the entry is missing or cannot be read, or
        ``decoder`` raises InvalidEntry (then a warning)."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._warn(path, f"the cache entry cannot be read ({exc.strerror or exc})")
            return None
        try:
            return decoder(data)
        except InvalidEntry as exc:
            self._warn(path, f"invalid cache entry ({exc})")
            return None

    def write(self, path: str | Path, data: bytes) -> bool:
        """Store ``data`` at ``path``; True if written. A write that fails is reported once, then
        no more are tried."""
        if self.unwritable:
            return False
        try:
            write_atomic(Path(path), data)
        except OSError as exc:
            self.unwritable = True
            self.problems.append(warning(str(self.root), 0, f"the cache cannot be written ({exc.strerror or exc}); "
                                         "results are computed but not stored", "check the folder and free disk space"))
            return False
        return True

    def _warn(self, path: Path, message: str) -> None:
        self.problems.append(warning(str(path), 0, f"{message}; the document is recomputed and the entry replaced",
                                     "nothing to do, unless this repeats: then delete the cache folder"))


def result_of(doc, store: "ResultCache | None") -> tuple[stages.DocResult, bool]:
    """``(result, read from the cache?)`` of one parsed document: the entry of its text in
    ``store`` (relabelled to its id and outlet), else computed and stored."""
    found = store.get(doc.sha256) if store is not None else None
    if found is not None:
        return found.relabel(doc), True
    result = stages.process_document(doc)
    if store is not None:
        store.put(result.sha256, result)
    return result, False
