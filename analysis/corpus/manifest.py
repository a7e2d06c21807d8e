"""The seeds folder's ``manifest.csv``: one row per article file, ``id, file, title, outlet,
date, url, voice, licence``; every problem with the line where its record starts."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus.parse import _unreadable
from analysis.input import decode as inputs
from analysis.problems import InputError, Problem

MANIFEST_COLUMNS = ("id", "file", "title", "outlet", "date", "url", "voice", "licence")
REQUIRED_COLUMNS = ("id", "file", "title", "outlet", "date")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _manifest_rows(path: Path, problems: list[Problem]):
    """``(line, fields)`` of every non-blank CSV record of the manifest (line = where it starts)."""
    try:
        data = path.read_bytes()
        text, _, warnings = inputs.decode_bytes(data, str(path))
    except OSError as exc:
        problems.append(_unreadable(path, exc))
        return
    except InputError as exc:
        problems.extend(exc.problems)
        return
    problems.extend(warnings)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            upto = f" to line {reader.line_num}" if reader.line_num > start else ""
            problems.append(Problem(str(path), start, f"the CSV cannot be read from this line{upto} ({exc})",
                                    "check the quotes: a value with a comma or quote is written "
                                    "\"like, \"\"this\"\"\""))
            continue
        if any(f.strip() for f in fields):
            yield start, fields


def read_manifest(seeds: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``seeds/manifest.csv``; return the valid rows and every problem found.

    Problems name the manifest line (1 = header). Rows with a problem are left out of the
    returned table; files in the folder that have no row are reported too.
    """
    path = seeds / config.MANIFEST_NAME
    problems: list[Problem] = []
    empty = pd.DataFrame(columns=list(MANIFEST_COLUMNS) + ["line"])
    if not path.exists():
        return empty, [
            Problem(str(path), 0, "the manifest is missing",
                    f"create it with the header line {','.join(MANIFEST_COLUMNS)} and one row per article")]
    records = _manifest_rows(path, problems)
    first = next(records, None)
    if first is None:
        if not problems:
            problems.append(Problem(str(path), 0, "the manifest is empty",
                                    f"its first line must be {','.join(MANIFEST_COLUMNS)}"))
        return empty, problems
    header = [h.strip() for h in first[1]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return empty, problems + [
            Problem(str(path), first[0], f"required column(s) missing: {', '.join(missing)}",
                    f"the header must contain {','.join(MANIFEST_COLUMNS)}")]
    unknown = [c for c in header if c not in MANIFEST_COLUMNS]
    if unknown:
        problems.append(Problem(str(path), first[0], f"unknown column(s): {', '.join(unknown)}",
                                f"use only {','.join(MANIFEST_COLUMNS)} (check the spelling)"))
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        problems.append(Problem(str(path), first[0], f"column(s) named twice: {', '.join(repeated)}",
                                "keep one column of each name"))
    rows, seen_ids, seen_files = [], {}, {}
    for line, fields in records:
        bad = False
        if len(fields) != len(header):
            problems.append(Problem(str(path), line,
                                    f"the row has {len(fields)} fields but the header has {len(header)}",
                                    "wrap any value containing a comma in double quotes, "
                                    "e.g. \"Armenia, Azerbaijan\""))
            bad = True
        row = {}
        for name, value in zip(header, fields):
            row.setdefault(name, value.strip())
        for col in REQUIRED_COLUMNS:
            if not row.get(col):
                problems.append(Problem(str(path), line, f"'{col}' is empty", f"fill in the {col} of this article"))
                bad = True
        doc_id, file = row.get("id", ""), row.get("file", "")
        if doc_id and not ID_RE.match(doc_id):
            problems.append(Problem(str(path), line, f"id {doc_id!r} has characters other than letters, digits, '.', '_' and '-'",
                                    "use a short id such as aa-2023-12-07"))
            bad = True
        if doc_id in seen_ids:
            problems.append(Problem(str(path), line, f"duplicate id {doc_id!r} (first on line {seen_ids[doc_id]})",
                                    "give every article its own id"))
            bad = True
        if file in seen_files:
            problems.append(Problem(str(path), line, f"file {file!r} is listed twice (first on line {seen_files[file]})",
                                    "keep one row per file"))
            bad = True
        if row.get("date") and not _valid_date(row["date"]):
            problems.append(Problem(str(path), line, f"bad date {row['date']!r}", "write the date as YYYY-MM-DD, e.g. 2023-12-07"))
            bad = True
        if file and (Path(file).name != file or "\x00" in file or file in (".", "..")):
            problems.append(Problem(str(path), line, f"file {file!r} is not a plain file name",
                                    "put the article directly in the seeds folder and give its name only"))
            bad = True
        elif file and (seeds / file).is_dir():
            problems.append(Problem(str(path), line, f"{file!r} is a folder, not a file",
                                    "give the name of the article file"))
            bad = True
        elif file and not (seeds / file).is_file():
            problems.append(Problem(str(path), line, f"file {file!r} does not exist in the seeds folder",
                                    "add the file or remove the row"))
            bad = True
        if doc_id:
            seen_ids.setdefault(doc_id, line)
        if file:
            seen_files.setdefault(file, line)
        if not bad:
            rows.append({**{c: row.get(c, "") for c in MANIFEST_COLUMNS}, "line": line})
    listed = set(seen_files)
    try:
        names = sorted(p.name for p in seeds.iterdir() if p.is_file())
    except OSError as exc:
        names = []
        problems.append(_unreadable(seeds, exc))
    for extra in names:
        if extra == config.MANIFEST_NAME or extra.startswith(".") or extra.lower().startswith("readme"):
            continue
        if extra not in listed:
            problems.append(Problem(str(seeds / extra), 0, "the file has no row in the manifest",
                                    f"add a row for it to {config.MANIFEST_NAME} (id,file,title,outlet,date,...)"))
    return pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS) + ["line"]), problems


