"""One reader for every data table the workbook reads: the manifest, lexicons, actor lists,
codebooks and coding sheets.

The file is decoded by the same decoder as articles (UTF-8 with or without BOM, UTF-16/32 by
BOM, else Windows-1252 with a warning) and parsed as real CSV, so a quoted value may hold commas,
quotes and line breaks. Lines starting with ``#`` before or between records are comments (the
lexicon's ``# lexicon_version:`` line is one). Every problem names ``FILE:LINE``, the line where
the record starts, and says what to do.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from analysis.input import decode
from analysis.problems import InputError, Problem

#: Largest data table read, in bytes (a lexicon or manifest of a million rows is far below).
MAX_TABLE_BYTES = 200 * 1024 * 1024
_QUOTE_HINT = 'check the quotes: a value with a comma or quote is written "like, ""this"""'


@dataclass
class Table:
    """A validated table. ``rows``: ``(line, {column: value})`` with values stripped, ``line``
    1-based where the record starts; ``comments``: ``(line, text)`` of ``#`` lines."""

    path: Path
    header: list[str] = field(default_factory=list)
    header_line: int = 0
    rows: list[tuple[int, dict]] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Records left out for a wrong number of fields: ``(line, raw fields)``.
    broken: list[tuple[int, list[str]]] = field(default_factory=list)

    def problem(self, line: int, message: str, hint: str = "") -> Problem:
        """Record and return an error at ``line`` of this table."""
        found = Problem(str(self.path), line, message, hint)
        self.problems.append(found)
        return found


def unreadable(path: Path, exc: OSError, what: str = "file") -> Problem:
    """The problem for a path that cannot be opened (missing, a folder, no permission)."""
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return Problem(str(path), 0, "is a folder, not a file", f"give the path of the {what}")
    if isinstance(exc, FileNotFoundError):
        return Problem(str(path), 0, "the file does not exist", "check the path")
    if isinstance(exc, PermissionError):
        return Problem(str(path), 0, "the file cannot be read: permission denied", "check the file's permissions")
    return Problem(str(path), 0, f"the file cannot be read ({exc.strerror or exc})", "check the path and the disk")


def csv_records(text: str, on_error, delimiter: str = ","):
    """``(line, fields)`` of every non-blank CSV record of ``text`` (``line``: where it starts,
    1-based); a record that cannot be parsed calls ``on_error(start, end, exc)`` and is skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            on_error(start, reader.line_num, exc)
            continue
        if any(f.strip() for f in fields):
            yield start, fields


def _records(text: str, table: Table, comments: bool):
    lines = text.splitlines()

    def broken(start: int, end: int, exc: csv.Error) -> None:
        upto = f" to line {end}" if end > start else ""
        table.problem(start, f"the CSV cannot be read from this line{upto} ({exc})", _QUOTE_HINT)

    for start, fields in csv_records(text, broken):
        if comments and fields[0].lstrip().startswith("#"):
            table.comments.append((start, lines[start - 1] if start <= len(lines) else ",".join(fields)))
            continue
        yield start, fields


def read_table(path: str | Path, columns: tuple[str, ...], required: tuple[str, ...] = (), *,
               what: str = "table", comments: bool = True, delimiter_hint: str = "") -> Table:
    """Read and check a CSV data table with the header ``columns`` (``required`` must be present).

    Returns a ``Table`` whose ``problems`` hold every problem found: the file missing, empty,
    binary or undecodable; required columns missing (nothing else is read); unknown or repeated
    columns; a record with the wrong number of fields or broken quotes (that record is left out).
    Decoding warnings (e.g. a Windows-1252 file) are included as warnings.
    """
    path = Path(path)
    table = Table(path)
    spelled = ",".join(columns)
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        with path.open("rb") as handle:
            data = handle.read(MAX_TABLE_BYTES + 1)
    except FileNotFoundError:
        table.problems.append(Problem(str(path), 0, f"the {what} is missing",
                                      f"create it with the header line {spelled}"))
        return table
    except OSError as exc:
        table.problems.append(unreadable(path, exc, what))
        return table
    if len(data) > MAX_TABLE_BYTES:
        table.problem(0, f"the {what} is too large (more than {MAX_TABLE_BYTES:,} bytes)", "split it")
        return table
    if not data.strip():
        table.problem(0, f"the {what} is empty", f"its first line must be {spelled}")
        return table
    try:
        text, _, warnings = decode.decode_bytes(data, str(path))
    except InputError as exc:
        table.problems.extend(exc.problems)
        return table
    table.problems.extend(warnings)
    records = _records(text, table, comments)
    first = next(records, None)
    if first is None:
        if not any(p.is_error for p in table.problems):
            table.problem(0, f"the {what} is empty", f"its first line must be {spelled}")
        return table
    table.header_line, header = first[0], [h.strip() for h in first[1]]
    table.header = header
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing:
        also = f"; unknown column(s): {', '.join(unknown)}" if unknown else ""
        table.problem(first[0], f"required column(s) missing: {', '.join(missing)}{also}",
                      f"the header must contain {spelled}{delimiter_hint}")
        return table
    if unknown:
        table.problem(first[0], f"unknown column(s): {', '.join(unknown)}", f"use only {spelled} (check the spelling)")
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        table.problem(first[0], f"column(s) named twice: {', '.join(repeated)}", "keep one column of each name")
    for line, fields in records:
        if len(fields) != len(header):
            table.problem(line, f"the row has {len(fields)} fields but the header has {len(header)}",
                          'wrap any value containing a comma in double quotes, e.g. "Armenia, Azerbaijan"')
            table.broken.append((line, fields))
            continue
        row: dict = {}
        for name, value in zip(header, fields):
            row.setdefault(name, value.strip())
        table.rows.append((line, row))
    return table
