"""Tables of articles → records: CSV/TSV, XLSX, JSON Lines and Parquet.

A record is a ``dict`` with the keys ``title, outlet, date, url, text, id`` that the table has
(values as found: text, or a ``datetime`` for typed date cells), plus ``source`` (the file),
``record`` (1-based: the line where the record starts for CSV/TSV and JSON Lines, the sheet row
for XLSX, the row for Parquet) and ``unit`` (``"line"``, ``"row"``), saying what ``record`` counts.

Columns are found by their usual names, case-insensitive, spaces and hyphens read as ``_``
(``COLUMN_NAMES``; the first name present wins); ``columns={"text": "Body Text", ...}`` overrides.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from analysis.input import decode
from analysis.input.tables import MAX_TABLE_BYTES, csv_records, unreadable
from analysis.problems import InputError, Problem

#: Record fields and the column names that hold them, in order of preference. From the research
#: notes on exports: Media Cloud (``media_name``, ``publish_date``, ``text`` when present),
#: GDELT (``seendate``), ProQuest (``publication_title``), news-please (``maintext``) and the
#: names researchers give their own tables.
COLUMN_NAMES = {
    "text": ("text", "body", "content", "full_text", "fulltext", "article", "story_text", "text_content",
             "maintext", "article_text", "body_text"),
    "title": ("title", "headline", "heading", "hd"),
    "outlet": ("outlet", "media_name", "source", "publication", "newspaper", "publisher", "source_name",
               "publication_title", "media", "sn"),
    "date": ("date", "publish_date", "published", "pub_date", "datetime", "publication_date", "seendate",
             "published_at", "pd"),
    "url": ("url", "link", "article_url", "document_url"),
    "id": ("id", "story_id", "doc_id", "document_id", "article_id", "an"),
}
FIELDS = tuple(COLUMN_NAMES)
#: File name endings read as tables of articles.
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".xlsx")
#: Bytes of a CSV file looked at to guess its delimiter.
SNIFF_BYTES = 64 * 1024
#: Delimiters considered when sniffing a CSV file.
DELIMITERS = ",;\t|"
#: Rows read from a Parquet file at a time (bounds the memory to a batch of articles).
PARQUET_BATCH_ROWS = 1024
_HEADER_NAME_RE = re.compile(r"[A-Za-z_][\w .()/-]{0,60}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]|[\ud800-\udfff]")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")


def clean_text(text: str) -> str:
    """LF line endings (also for CR, vertical tab, Unicode line separators; a form feed is a
    paragraph break); control characters dropped, lone surrogates replaced by U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n\n")
    return _CONTROL_RE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "",
                           text.replace("\u2028", "\n").replace("\u2029", "\n\n"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text cell (``clean_text`` first): split on blank lines if it has any,
    else on every line break; lines stripped, empty paragraphs dropped."""
    text = clean_text(text).strip()
    parts = _BLANK_LINE_RE.split(text) if _BLANK_LINE_RE.search(text) else text.split("\n")
    lines = ([line.strip() for line in part.split("\n") if line.strip()] for part in parts)
    return ["\n".join(kept) for kept in lines if kept]


def normal_name(name) -> str:
    """A column name as compared: lower case, stripped, runs of spaces and hyphens as ``_``."""
    return re.sub(r"[\s-]+", "_", str(name).strip().lower().lstrip("\ufeff"))


def detect_columns(header: list, columns: dict | None = None) -> tuple[dict[str, str], list[str]]:
    """Map record fields to header names: ``({field: column}, problems as messages)``.

    ``columns`` overrides detection per field (a name not in the header is a problem).
    """
    by_normal: dict[str, str] = {}
    for name in header:
        by_normal.setdefault(normal_name(name), name)
    found, messages = {}, []
    for field, wanted in (columns or {}).items():
        if field not in COLUMN_NAMES:
            messages.append(f"unknown field {field!r} in the column choice (use {', '.join(FIELDS)})")
        elif wanted is not None:
            if normal_name(wanted) in by_normal:
                found[field] = by_normal[normal_name(wanted)]
            else:
                messages.append(f"there is no column {wanted!r} for the {field}")
    for field, names in COLUMN_NAMES.items():
        if field in found or (columns and field in columns):
            continue
        taken = set(found.values())
        for name in names:
            if name in by_normal and by_normal[name] not in taken:
                found[field] = by_normal[name]
                break
    return found, messages


def _header_problems(source: str, header: list, columns: dict | None, line: int = 1):
    found, messages = detect_columns(header, columns)
    problems = [Problem(source, line, m, "check the column names in the first row") for m in messages]
    if "text" not in found and not messages:
        hint = "give --text-col NAME with the column that holds the article text"
        if any(normal_name(h) in COLUMN_NAMES["url"] for h in header):
            hint += " (exports such as Media Cloud's and GDELT's hold links, not article text: fetch the texts first)"
        shown = ", ".join(str(h) for h in header) or "none"
        problems.append(Problem(source, line, f"no article text column found (columns: {shown})", hint))
    return found, problems


def _record(values: dict, found: dict, source: str, number: int, unit: str) -> dict:
    record = {"source": source, "record": number, "unit": unit}
    for field, column in found.items():
        value = values.get(column)
        if value is None:
            continue
        if isinstance(value, float) and value != value:  # NaN from a spreadsheet or Parquet
            continue
        if isinstance(value, str) or (field == "date" and isinstance(value, dt.date)):
            record[field] = value
        elif isinstance(value, float) and value.is_integer():
            record[field] = str(int(value))  # an id read as a number by a spreadsheet
        else:
            record[field] = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    return record


# --- CSV and TSV -------------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TABLE_BYTES + 1)
    except OSError as exc:
        raise InputError([unreadable(path, exc, "table")]) from None
    if len(data) > MAX_TABLE_BYTES:
        raise InputError([Problem(str(path), 0, f"the table is too large (more than {MAX_TABLE_BYTES:,} bytes)",
                                  "split it into several files")])
    if not data.strip():
        raise InputError([Problem(str(path), 0, "the table is empty", "export it again")])
    return data


def sniff_delimiter(text: str, suffix: str = ".csv") -> str:
    """The delimiter of a CSV text: tab for ``.tsv``, else ``csv.Sniffer`` over its first
    SNIFF_BYTES characters, checked against the header (``,`` when nothing fits)."""
    if suffix == ".tsv":
        return "\t"
    sample = text[:SNIFF_BYTES]
    first = sample.split("\n", 1)[0]
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = None
    counts = {d: first.count(d) for d in DELIMITERS}
    if guess is None or counts.get(guess, 0) == 0:
        best = max(DELIMITERS, key=lambda d: counts[d])
        return best if counts[best] else ","
    return guess


@contextlib.contextmanager
def _long_fields():
    """Allow CSV fields up to MAX_TABLE_BYTES (an article may be longer than the 128 kB default)."""
    old = csv.field_size_limit(MAX_TABLE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_rows(text: str, delimiter: str, source: str, problems: list):
    def broken(start: int, end: int, exc: Exception) -> None:
        problems.append(Problem(source, start, f"the row cannot be read ({exc})",
                                'check the quotes: a value with a delimiter or quote is written "like ""this"""'))

    return csv_records(text, broken, delimiter)


def read_csv(path: Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a CSV or TSV file (decoded like articles; quoted values may hold line breaks)."""
    source = str(path)
    text, _, problems = decode.decode_bytes(_read_bytes(path), source)
    delimiter = sniff_delimiter(text, path.suffix.lower())
    with _long_fields():
        rows = _csv_rows(text, delimiter, source, problems)
        first = next(rows, None)
        if first is None:
            return [], problems + [Problem(source, 0, "the table has no rows", "export it again")]
        header_line, header = first
        header = [h.strip() for h in header]
        found, header_problems = _header_problems(source, header, columns, header_line)
        problems += header_problems
        if any(p.is_error for p in header_problems):
            return [], problems
        records = []
        for line, fields in rows:
            if len(fields) != len(header):
                problems.append(Problem(source, line, f"the row has {len(fields)} fields but the header has "
                                        f"{len(header)} (delimiter {delimiter!r})",
                                        "wrap any value holding the delimiter in double quotes"))
                continue
            values = dict(reversed(list(zip(header, fields))))  # of a repeated column name, the first wins
            records.append(_record(values, found, source, line, "line"))
    return records, problems


# --- JSON Lines ----------------------------------------------------------------------------------

def read_jsonl(path: Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a JSON Lines file: one object per line; a line that is not a JSON object is a
    problem at its line and the others are still read."""
    source = str(path)
    text, _, problems = decode.decode_bytes(_read_bytes(path), source)
    objects, keys = [], {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(source, number, f"the line is not valid JSON ({exc.msg}, column {exc.colno})",
                                    "write one complete JSON object per line"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(source, number, f"the line holds a JSON {type(value).__name__}, not an object",
                                    'write one object per line, e.g. {"title": "…", "text": "…"}'))
            continue
        objects.append((number, value))
        keys.update(dict.fromkeys(value))
    if not objects:
        return [], problems + ([] if problems else [Problem(source, 0, "the file has no JSON objects", "export it again")])
    found, header_problems = _header_problems(source, list(keys), columns, 0)
    problems += header_problems
    if any(p.is_error for p in header_problems):
        return [], problems
    return [_record(value, found, source, number, "line") for number, value in objects], problems


# --- XLSX ----------------------------------------------------------------------------------------

def read_xlsx(path: Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of the first sheet of an XLSX workbook; the first non-empty row is the header."""
    import openpyxl

    source = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged or foreign file
        return [], [Problem(source, 0, f"the workbook cannot be read ({type(exc).__name__}: {exc})",
                            "open it in a spreadsheet program and save it again as .xlsx")]
    try:
        sheet = book.worksheets[0]
        header, found, records, problems = None, {}, [], []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(v not in (None, "") for v in row):
                continue
            if header is None:
                header = ["" if v is None else str(v).strip() for v in row]
                found, problems = _header_problems(source, header, columns, number)
                if any(p.is_error for p in problems):
                    return [], problems
                continue
            values = {name: row[i] for i, name in enumerate(header) if i < len(row)}
            records.append(_record(values, found, source, number, "row"))
    finally:
        book.close()
    if header is None:
        return [], [Problem(source, 0, "the first sheet is empty", "put the articles on the first sheet")]
    return records, problems


# --- Parquet -------------------------------------------------------------------------------------

def iter_parquet(path: Path, columns: dict | None, problems: list):
    """Records of a Parquet file, read in batches of PARQUET_BATCH_ROWS rows."""
    import pyarrow.parquet as pq

    source = str(path)
    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError… for a damaged file
        problems.append(Problem(source, 0, f"the Parquet file cannot be read ({type(exc).__name__}: {exc})",
                                "write it again"))
        return
    found, header_problems = _header_problems(source, handle.schema_arrow.names, columns, 0)
    problems.extend(header_problems)
    if any(p.is_error for p in header_problems):
        return
    number = 0
    for batch in handle.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=sorted(set(found.values()))):
        for values in batch.to_pylist():
            number += 1
            yield _record(values, found, source, number, "row")


def read_parquet(path: Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a Parquet file (see ``iter_parquet``)."""
    problems: list[Problem] = []
    return list(iter_parquet(path, columns, problems)), problems


# --- any table -----------------------------------------------------------------------------------

_READERS = {".csv": read_csv, ".tsv": read_csv, ".jsonl": read_jsonl, ".ndjson": read_jsonl,
            ".parquet": read_parquet, ".xlsx": read_xlsx}


def read_records(path: str | Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a table of articles (format by file name ending; other endings read as CSV).

    Returns ``(records, problems)``; a file that cannot be read at all gives no records and
    its problems (never raises for bad input).
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower(), read_csv)
    try:
        return reader(path, columns)
    except InputError as exc:
        return [], exc.problems


def _csv_header(path: Path) -> tuple[list[str], str] | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(SNIFF_BYTES)
        text = decode.decode_bytes(data, str(path))[0]
    except (OSError, InputError):
        return None
    delimiter = sniff_delimiter(text, path.suffix.lower())
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    return [h.strip() for h in first], delimiter


def looks_like_table(path: str | Path) -> bool:
    """True for a non-table file name whose first line is a CSV header with a text-like column
    and another known column (``title,text``), every name a short identifier."""
    found = _csv_header(Path(path))
    if not found or len(found[0]) < 2 or not all(_HEADER_NAME_RE.fullmatch(h) for h in found[0]):
        return False
    columns = detect_columns(found[0])[0]
    return "text" in columns and len(columns) >= 2


def table_rows(path: str | Path) -> int | None:
    """Number of data rows when ``path`` is a table of articles, else None.

    A table by name ending (TABLE_SUFFIXES) or by content (``looks_like_table``). Counted
    cheaply: CSV records (quoted line breaks respected), non-blank JSON lines, Parquet metadata,
    XLSX rows. None also when the file cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            return None
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                rows = sum(1 for row in book.worksheets[0].iter_rows(values_only=True)
                           if any(v not in (None, "") for v in row))
            finally:
                book.close()
            return max(rows - 1, 0)
        if suffix not in TABLE_SUFFIXES and not looks_like_table(path):
            return None
        text = decode.decode_bytes(_read_bytes(path), str(path))[0]
        with _long_fields():
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text, suffix))
            return max(sum(1 for fields in reader if any(f.strip() for f in fields)) - 1, 0)
    except Exception:  # a file that cannot be counted is simply not reported as a table
        return None
