"""What changed since the last run: ``last_run.json``, the per-document summary each run keeps
in its cache folder, and ``changes.md``, which reports new, changed and removed documents and
rates that moved. An unusable summary (truncated, wrong shape) counts as no previous run, with a
warning.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from analysis.problems import Problem, warning
from analysis.running.cache import write_atomic

#: Summary of the previous run, inside the cache folder.
STATE_NAME = "last_run.json"
#: Smallest change of a rate reported as "moved": half the last printed digit (3 decimals).
MOVED_AT = 0.0005


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
    write_atomic(path, (json.dumps(payload, sort_keys=True) + "\n").encode("utf-8"))
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
