"""Writing results: figures (PNG, SVG, PDF + the CSV of exactly the data plotted) and tables.

Every file is written atomically (a temporary file in the same folder, then a rename), so an
interrupted run leaves the previous version intact. Bytes are deterministic: no timestamps,
software versions or random ids in the files. CSV cells that a spreadsheet would run as a
formula are neutralised (OWASP CSV injection guidance) without losing their text.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import config

FIGURE_FORMATS = ("png", "svg", "pdf")
#: Resolution of exported PNGs, dots per inch.
PNG_DPI = 150
# Metadata keys matplotlib would otherwise fill with its version and the current date.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None, "Format": None, "Type": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")
#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_name(name: str) -> str:
    """Check that an output name is a plain file stem that cannot leave the output folder."""
    if not NAME_RE.match(name or "") or ".." in name:
        raise ValueError(f"output name {name!r} is not allowed: use letters, digits, '_', '-' and '.' only")
    return name


def output_path(name: str, suffix: str, out: str | os.PathLike | None = None) -> Path:
    """``<out>/<name>.<suffix>``, refusing names that would resolve outside ``out``."""
    folder = config.figures_dir(out)
    path = folder / f"{safe_name(name)}.{suffix}"
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"output name {name!r} would leave the output folder")
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def neutralise_cell(value):
    """Prefix a text cell that starts like a spreadsheet formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, no index, formula-like text cells neutralised, ``\\n`` endings."""
    safe = data.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column].dtype):
            safe[column] = safe[column].map(neutralise_cell)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def table(data: pd.DataFrame, name: str, out: str | os.PathLike | None = None) -> Path:
    """Write a table as ``<out>/<name>.csv``; return its path."""
    return write_bytes_atomic(output_path(name, "csv", out), csv_bytes(data))


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


def figure(fig: Figure, data: pd.DataFrame, name: str, out: str | os.PathLike | None = None,
           summary: str | None = None) -> Exported:
    """Write ``<name>.png|.svg|.pdf`` and ``<name>.csv`` (``data``: exactly what is plotted).

    All files are rendered in memory first, so a failure writes nothing; each is then
    replaced atomically. Returns an Exported whose ``summary`` defaults to the first rows.
    """
    rendered = {fmt: figure_bytes(fig, fmt) for fmt in FIGURE_FORMATS}
    rendered["csv"] = csv_bytes(data)
    paths = {fmt: write_bytes_atomic(output_path(name, fmt, out), blob) for fmt, blob in rendered.items()}
    return Exported(name, paths, summary if summary is not None else summarize(data))
