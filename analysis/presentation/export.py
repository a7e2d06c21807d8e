"""Writing results: figures (PNG, SVG, PDF + the CSV of exactly the data plotted) and tables.

Every file is written atomically (a temporary file in the same folder, then a rename), so an
interrupted run leaves the previous version intact. Bytes are deterministic: no timestamps,
software versions or random ids in the files. CSV cells that a spreadsheet would run as a
formula are neutralised (OWASP CSV injection guidance) without losing their text, in every
text column and in the header; a named index is written as columns, never dropped. Output
names are plain file stems checked to stay inside the output folder; names derived from
untrusted text (ids, titles) go through ``safe_stem`` first. Nothing here deletes a file it
did not create: the only removals are of its own temporary files after a failure.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from analysis import config
from analysis.presentation import labels
from analysis.files import (FORMULA_START, csv_bytes, csv_chunks, neutralise_cell, output_path, safe_name, safe_stem,
                            write_all_atomic, write_bytes_atomic)

FIGURE_FORMATS = ("png", "svg", "pdf")
#: Resolution of exported PNGs, dots per inch.
PNG_DPI = 150
#: Longest side of an exported PNG, in pixels (a figure is shrunk to fit).
MAX_PIXELS = 2400
# Metadata keys matplotlib would otherwise fill with its version and the current date.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None, "Format": None, "Type": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
def table(data: pd.DataFrame, name: str, out: str | os.PathLike | None = None) -> Path:
    """Write a table as ``<out>/<name>.csv``; return its path."""
    return write_bytes_atomic(output_path(name, "csv", out), csv_chunks(data))


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Render ``fig`` in ``fmt`` with deterministic bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "framing-workbook", "svg.fonttype": "path",
                                "pdf.compression": 6}):
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()


def summarize(data: pd.DataFrame, rows: int = 5) -> str:
    """A short deterministic text of the first ``rows`` rows, floats to 3 decimals."""
    shown = data.head(rows)
    text = shown.to_string(index=False, float_format=lambda v: f"{v:.3f}", max_colwidth=40)
    more = f"\n… {len(data) - rows} more rows" if len(data) > rows else ""
    return text + more


@dataclass
class Exported:
    """What ``figure`` wrote. In a notebook it shows the summary text and the PNG."""

    name: str
    paths: dict
    summary: str

    def __repr__(self) -> str:
        return f"{self.name}: {', '.join(sorted(self.paths))}\n{self.summary}"

    def _ipython_display_(self):  # pragma: no cover - exercised by the notebooks
        from IPython.display import Image, display

        print(f"{self.name} ({', '.join(sorted(self.paths))})")
        print(self.summary)
        display(Image(data=self.paths["png"].read_bytes(), format="png"))


def bound(fig: Figure, note: str = "") -> Figure:
    """Add the source ``note`` under the figure and shrink it so that its PNG is at most
    MAX_PIXELS on its long side."""
    if note:
        fig.text(0.005, 0.002, labels.clean(note, 220), fontsize=6, color="#555555", ha="left", va="bottom")
    width, height = fig.get_size_inches()
    scale = MAX_PIXELS / (max(width, height) * PNG_DPI)
    if scale < 1:
        fig.set_size_inches(width * scale, height * scale)
    return fig


#: Where an output folder records, per figure, the key of what it drew (see ``figure``).
DRAWN_NAME = ".framing-figures.json"
try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None
#: True where that record can be locked, so several processes may draw into one folder at once.
CAN_LOCK = fcntl is not None


@functools.cache
def _drawing_code() -> str:
    """sha256 of the code that draws figures (this package's presentation layer) and of matplotlib's version."""
    digest = hashlib.sha256(matplotlib.__version__.encode("utf-8"))
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _drawn(folder: Path) -> dict:
    try:
        found = json.loads((folder / DRAWN_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def figure(fig: Figure, data: pd.DataFrame, name: str, out: str | os.PathLike | None = None,
           summary: str | None = None, note: str = "") -> Exported:
    """Write ``<name>.png|.svg|.pdf`` and ``<name>.csv`` (``data``: exactly what is plotted).

    All files are rendered in memory first, so a failure writes nothing; they are then written
    as temporary files and only renamed once all four are on disk (``write_all_atomic``).
    A figure whose plotted data (the CSV bytes), note and drawing code are those of the files
    already in ``out`` is not drawn again (the key is kept in ``.framing-figures.json``).
    Returns an Exported whose ``summary`` defaults to the first rows.
    """
    table = csv_bytes(data)
    paths = {fmt: output_path(name, fmt, out) for fmt in FIGURE_FORMATS + ("csv",)}
    folder = paths["csv"].parent
    key = hashlib.sha256(table + note.encode("utf-8") + _drawing_code().encode("ascii")).hexdigest()
    drawn = _drawn(folder)
    if drawn.get(name) == key and all(p.is_file() for p in paths.values()) and paths["csv"].read_bytes() == table:
        return Exported(name, paths, summary if summary is not None else summarize(data))
    bound(fig, note)
    rendered = {fmt: figure_bytes(fig, fmt) for fmt in FIGURE_FORMATS}
    rendered["csv"] = table
    write_all_atomic({paths[fmt]: blob for fmt, blob in rendered.items()})
    with _locked(folder):  # notebooks executed side by side share the file
        drawn = _drawn(folder)
        drawn[name] = key
        write_bytes_atomic(folder / DRAWN_NAME,
                           (json.dumps(dict(sorted(drawn.items())), indent=0) + "\n").encode("utf-8"))
    return Exported(name, paths, summary if summary is not None else summarize(data))


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on the folder itself while the block runs (no file is created; no lock
    where ``fcntl`` is missing: there ``report`` runs one notebook at a time)."""
    if fcntl is None:  # pragma: no cover (Windows)
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)   # closing releases the lock
