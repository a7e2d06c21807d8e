"""Files the workbook writes: safe output names, atomic writes and CSV bytes.

CSV cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection
guidance) without losing their text, in every text column and in the header.

Every file is written atomically (a temporary file in the same folder, then a rename), so an
interrupted run leaves the previous version intact. Output names are plain file stems checked to
stay inside the output folder; names derived from untrusted text (ids, titles) go through
``safe_stem`` first. Nothing here deletes a file it did not create: the only removals are of
its own temporary files after a failure.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from analysis import config

#: An output name: a plain file stem of at most 121 ASCII letters, digits, '_', '-', '.'.
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
#: Device names Windows reserves whatever the extension ("con.csv" is not a file there).
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))})
def safe_name(name: str) -> str:
    """Check that an output name is a plain file stem that cannot leave the output folder."""
    if (not isinstance(name, str) or not NAME_RE.fullmatch(name) or ".." in name or name.endswith(".")
            or name.split(".")[0].lower() in RESERVED_NAMES):
        raise ValueError(f"output name {name!r} is not allowed: use letters, digits, '_', '-' and '.' only")
    return name


def safe_stem(text: str, max_length: int = 80) -> str:
    """A safe output name derived from untrusted text (a document id or title).

    Letters are reduced to ASCII, every other run of characters becomes '-'; a short hash of
    the original is appended whenever anything was changed, so different texts keep different
    names. Always passes ``safe_name``.
    """
    text = str(text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text).replace("..", "-").strip("-._")[:max_length].strip("-._")
    if stem != text or not stem or stem.split(".")[0].lower() in RESERVED_NAMES:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        stem = f"{stem}-{digest}" if stem else f"x-{digest}"
    return safe_name(stem)


def output_path(name: str, suffix: str, out: str | os.PathLike | None = None) -> Path:
    """``<out>/<name>.<suffix>``, refusing names that would resolve outside ``out``."""
    folder = config.figures_dir(out)
    path = folder / f"{safe_name(name)}.{suffix}"
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"output name {name!r} would leave the output folder")
    return path


def write_bytes_atomic(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` (bytes, or pieces of bytes written as they come) to ``path`` through a
    temporary file and a rename."""
    write_all_atomic({path: data})
    return path


def _temporary(path: Path, data: bytes | Iterable[bytes]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, (bytes, bytearray, memoryview)) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_all_atomic(files: dict[Path, bytes | Iterable[bytes]]) -> list[Path]:
    """Write several files: every temporary file first, then the renames.

    A failure while writing (disk full, permission) removes the temporary files and leaves
    every previous file as it was.
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            written.append((_temporary(Path(path), data), Path(path)))
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in written:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    return [path for _, path in written]


#: First characters that make a spreadsheet treat a cell as a formula (OWASP), with the
#: full-width forms some spreadsheets also accept. Leading white space is looked through,
#: because CSV import dialogs can trim it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


#: Any character of FORMULA_START: a text column without one has no cell to neutralise.
_MAYBE_FORMULA = "[" + "".join(re.escape(c) for c in FORMULA_START) + "]"


def neutralise_cell(value):
    """Prefix a text cell that starts like a spreadsheet formula with an apostrophe."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START)):
        return "'" + value
    return value


#: Rows of a table turned into CSV at a time: writing a large table needs memory for this many rows,
#: not for the whole table twice over.
CSV_CHUNK_ROWS = 20_000


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, formula-like text cells and headers neutralised, ``\\n`` endings.

    A named index (or a MultiIndex) is written as leading columns; an unnamed one (row
    positions) is left out. A table with a carriage return inside a text cell is written with
    every text cell quoted: the CSV writer quotes only the characters of its ``\\n`` line ending,
    and an unquoted ``\\r`` would split the row for every reader.
    """
    return b"".join(csv_chunks(data))


def _is_text(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype)
                or pd.api.types.is_datetime64_any_dtype(column.dtype))


def _neutralised(part: pd.DataFrame, header) -> pd.DataFrame:
    safe = part.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if _is_text(column):
            if isinstance(column.dtype, pd.StringDtype) and not column.str.contains(_MAYBE_FORMULA, regex=True).any():
                continue   # no cell holds a formula character: nothing to neutralise
            safe.isetitem(position, column.astype(object).map(neutralise_cell))
    safe.columns = header
    return safe


def csv_chunks(data: pd.DataFrame) -> Iterator[bytes]:
    """``csv_bytes`` in pieces of at most CSV_CHUNK_ROWS rows (joined, the very same bytes; a table
    with a date-and-time column is one piece, as its format depends on every value)."""
    if isinstance(data.index, pd.MultiIndex) or any(name is not None for name in data.index.names):
        data = data.reset_index()
    has_cr = False
    for position in range(data.shape[1]):
        column = data.iloc[:, position]
        if _is_text(column) and not has_cr:
            has_cr = (bool(column.str.contains("\r", regex=False).any()) if isinstance(column.dtype, pd.StringDtype)
                      else any(isinstance(v, str) and "\r" in v for v in column))
    if isinstance(data.columns, pd.MultiIndex):
        header = pd.MultiIndex.from_tuples([tuple(neutralise_cell(str(v)) for v in key) for key in data.columns])
    else:
        header = [neutralise_cell(str(c)) for c in data.columns]
    has_cr = has_cr or any("\r" in str(c) for c in pd.Index(header).to_flat_index())
    quoting = csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL
    dated = any(pd.api.types.is_datetime64_any_dtype(t) for t in data.dtypes)
    step = max(len(data), 1) if dated else CSV_CHUNK_ROWS
    for start in range(0, max(len(data), 1), step):
        part = _neutralised(data.iloc[start:start + step], header)
        yield part.to_csv(index=False, header=start == 0, lineterminator="\n", quoting=quoting).encode("utf-8")
