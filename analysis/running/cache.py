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
parsed article (``running.articles``), so a rerun parses no unchanged file.

The cache lives in ``<out>/.cache/`` by default (``.cache/`` is gitignored); it may never lie
inside the seeds folder. The same folder keeps ``last_run.json``, the per-document summary of
the previous run, from which ``changes_markdown`` reports new, changed and removed documents and
rates that moved; an unusable one (truncated, wrong shape) counts as no previous run, with a
warning.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import os
import sys
from pathlib import Path

import pandas as pd

from analysis import config, text as textmod
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
#: Summary of the previous run, inside the cache folder.
STATE_NAME = "last_run.json"
#: Smallest change of a rate reported as "moved": half the last printed digit (3 decimals).
MOVED_AT = 0.0005


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
        self.reads = 0
        self.writes = 0
        self.unwritable = False
        self.problems: list[Problem] = []

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{SUFFIX}"

    def get(self, sha256: str) -> stages.DocResult | None:
        """The stored result for text ``sha256``, or None (missing, or invalid: then a warning)."""
        result = self.read(self.path(sha256), lambda data: decode(data, self.key, sha256))
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
        self.writes += self.write(self.path(sha256), data)

    def read(self, path: Path, decoder):
        """``decoder(bytes of path)``, or None when the entry is missing or cannot be read, or
        ``decoder`` raises InvalidEntry (then a warning)."""
        try:
            data = path.read_bytes()
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

    def write(self, path: Path, data: bytes) -> bool:
        """Store ``data`` at ``path``; True if written. A write that fails is reported once, then
        no more are tried."""
        if self.unwritable:
            return False
        try:
            write_atomic(path, data)
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
    found = store.get(textmod.text_sha256(doc.text)) if store is not None else None
    if found is not None:
        return found.relabel(doc), True
    result = stages.process_document(doc)
    if store is not None:
        store.put(result.sha256, result)
    return result, False


def _state_problem(path: Path, why: str) -> Problem:
    return warning(str(path), 0, f"the previous run's summary is unusable ({why}); changes.md treats this as the "
                   "first run", "nothing to do: this run writes a new summary")


def _state_documents(payload) -> pd.DataFrame:
    """The documents table of a ``last_run.json`` payload; raises ValueError saying what is wrong."""
    records = payload.get("documents") if isinstance(payload, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("no list of documents")
    ids = [r.get("doc_id") for r in records]
    if not all(isinstance(i, str) for i in ids) or not all(isinstance(r.get("sha256"), str) for r in records):
        raise ValueError("a document without doc_id or sha256")
    if len(set(ids)) != len(ids):
        raise ValueError("a doc_id listed twice")
    for record in records:
        for name, value in record.items():
            if (name == "n_words" or name.endswith(("_per_1000", "_mean"))) and not (
                    value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))):
                raise ValueError(f"{name} of {record['doc_id']} is not a number")
    return pd.DataFrame(records)


def load_state(folder: Path, problems: list | None = None) -> pd.DataFrame | None:
    """The previous run's per-document summary, or None if there was none or it is unusable
    (truncated, not JSON, wrong shape or types: then a warning is added to ``problems``, or
    printed when ``problems`` is None)."""
    path = Path(folder) / STATE_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problem = _state_problem(path, exc.strerror or str(exc))
    else:
        try:
            return _state_documents(json.loads(data))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            problem = _state_problem(path, str(exc) if not isinstance(exc, json.JSONDecodeError) else "not valid JSON")
    if problems is None:
        print(f"warning: {problem}", file=sys.stderr)
    else:
        problems.append(problem)
    return None


def save_state(folder: Path, documents: pd.DataFrame) -> Path:
    """Store this run's per-document summary (``aggregate.Aggregate.documents``)."""
    payload = {"documents": json.loads(documents.to_json(orient="records"))}
    path = Path(folder) / STATE_NAME
    write_atomic(path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return path


def measures(documents: pd.DataFrame) -> list[str]:
    """Columns compared between runs: ``n_words``, every ``*_per_1000`` rate and ``*_mean`` score."""
    return [c for c in documents.columns if c == "n_words" or c.endswith(("_per_1000", "_mean"))]


def changes(previous: pd.DataFrame | None, current: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Documents new, changed (text) and removed, and ``doc_id, measure, before, after, change``
    for every measure that moved by at least ``MOVED_AT`` (sorted by doc_id, then measure)."""
    previous = previous if previous is not None else pd.DataFrame(columns=current.columns)
    before = previous.set_index("doc_id") if len(previous) else pd.DataFrame(columns=current.columns).set_index("doc_id")
    after = current.set_index("doc_id")
    both = sorted(set(after.index) & set(before.index))
    same_text = after.loc[both, "sha256"].to_numpy() == before.loc[both, "sha256"].to_numpy()
    kinds = {
        "new": sorted(set(after.index) - set(before.index)),
        "removed": sorted(set(before.index) - set(after.index)),
        "changed": [d for d, same in zip(both, same_text) if not same],
    }
    compared = [m for m in measures(current) if m in before.columns]
    old = before.loc[both, compared].to_numpy(dtype=float).reshape(len(both), len(compared))
    new = after.loc[both, compared].to_numpy(dtype=float).reshape(len(both), len(compared))
    rows = [{"doc_id": both[i], "measure": compared[j], "before": float(old[i, j]), "after": float(new[i, j]),
             "change": float(new[i, j] - old[i, j])}
            for i, j in zip(*(abs(new - old) >= MOVED_AT).nonzero())]
    return kinds, pd.DataFrame(rows, columns=["doc_id", "measure", "before", "after", "change"])


def changes_markdown(previous: pd.DataFrame | None, current: pd.DataFrame) -> str:
    """``changes.md``: what changed since the last run in the same output folder."""
    lines = ["# Changes since the last run", ""]
    if previous is None:
        lines += ["First run in this output folder: there is no earlier run to compare with.",
                  f"This run: {len(current)} documents.", ""]
        return "\n".join(lines)
    kinds, moved = changes(previous, current)
    lines += [f"Previous run: {len(previous)} documents. This run: {len(current)} documents.", ""]
    for kind, label in (("new", "New documents"), ("changed", "Documents whose text changed"),
                        ("removed", "Removed documents")):
        ids = kinds[kind]
        lines.append(f"- {label} ({len(ids)}): " + (", ".join(f"`{d}`" for d in ids) if ids else "none"))
    lines += ["", "## Measures that moved", ""]
    if moved.empty:
        lines.append(f"No per-document measure moved by {MOVED_AT} or more.")
    else:
        lines += ["| doc_id | measure | before | after | change |", "|---|---|---:|---:|---:|"]
        lines += [f"| {r.doc_id} | {r.measure} | {r.before:.3f} | {r.after:.3f} | {r.change:+.3f} |"
                  for r in moved.itertuples(index=False)]
    lines.append("")
    return "\n".join(lines)
