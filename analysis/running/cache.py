"""Incremental runs: per-document results cached by content hash, and what changed since the last run.

A cached result is keyed by the sha256 of the document's text, inside a folder named by the
*fingerprint* of everything else a result depends on: the package version, the cache format,
the stage names, the lexicon's version and sha256, the source of the modules that compute the
results and the data files they read (stop words, abbreviations, lexicons). Editing an article
recomputes that article only; editing code or a lexicon starts a new fingerprint folder, so
stale results are never read.

The cache lives in ``<out>/.cache/`` by default (``.cache/`` is gitignored); it may never lie
inside the seeds folder. The same folder keeps ``last_run.json``, the per-document summary of
the previous run, from which ``changes_markdown`` reports new, changed and removed documents and
rates that moved.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import pickle
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.files import write_bytes_atomic
from analysis.framing import markers, packs
from analysis.running import stages

#: Bumped whenever the stored layout of a ``DocResult`` changes.
CACHE_FORMAT = 1
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


class ResultCache:
    """Per-document results on disk: ``<folder>/<fingerprint[:16]>/<sha[:2]>/<sha>.pkl``.

    The files are pickles written and read only by this package on this machine; the cache
    is a local speed-up, never shared or committed.
    """

    def __init__(self, folder: Path, key: str):
        self.folder = Path(folder)
        self.root = self.folder / key[:16]
        self.reads = 0
        self.writes = 0

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.pkl"

    def get(self, sha256: str):
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            result = pickle.loads(data)
        except Exception:  # a truncated or foreign file: recompute it
            return None
        self.reads += 1
        return result

    def put(self, sha256: str, result) -> None:
        write_bytes_atomic(self.path(sha256), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        self.writes += 1


def load_state(folder: Path) -> pd.DataFrame | None:
    """The previous run's per-document summary, or None if there was none."""
    path = Path(folder) / STATE_NAME
    if not path.exists():
        return None
    return pd.DataFrame(json.loads(path.read_text(encoding="utf-8"))["documents"])


def save_state(folder: Path, documents: pd.DataFrame) -> Path:
    """Store this run's per-document summary (``aggregate.Aggregate.documents``)."""
    payload = {"documents": json.loads(documents.to_json(orient="records"))}
    return write_bytes_atomic(Path(folder) / STATE_NAME,
                              (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def measures(documents: pd.DataFrame) -> list[str]:
    """Columns compared between runs: ``n_words``, every ``*_per_1000`` rate and ``*_mean`` score."""
    return [c for c in documents.columns if c == "n_words" or c.endswith(("_per_1000", "_mean"))]


def changes(previous: pd.DataFrame | None, current: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Documents new, changed (text) and removed, and ``doc_id, measure, before, after, change``
    for every measure that moved by at least ``MOVED_AT`` (sorted by doc_id, then measure)."""
    previous = previous if previous is not None else pd.DataFrame(columns=current.columns)
    before = previous.set_index("doc_id") if len(previous) else pd.DataFrame(columns=current.columns).set_index("doc_id")
    after = current.set_index("doc_id")
    kinds = {
        "new": sorted(set(after.index) - set(before.index)),
        "removed": sorted(set(before.index) - set(after.index)),
        "changed": sorted(d for d in set(after.index) & set(before.index)
                          if after.at[d, "sha256"] != before.at[d, "sha256"]),
    }
    rows = []
    for doc_id in sorted(set(after.index) & set(before.index)):
        for measure in measures(current):
            if measure not in before.columns:
                continue
            old, new = float(before.at[doc_id, measure]), float(after.at[doc_id, measure])
            if abs(new - old) >= MOVED_AT:
                rows.append({"doc_id": doc_id, "measure": measure, "before": old, "after": new, "change": new - old})
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
