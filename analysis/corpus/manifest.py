"""The seeds folder's ``manifest.csv``: one row per article file, ``id, file, title, outlet,
date, url, voice, licence``; every problem with the line where its record starts."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.input.tables import read_table, unreadable
from analysis.problems import Problem

#: The manifest's columns; ``side`` (optional) labels a text's side for ``suggest``.
MANIFEST_COLUMNS = ("id", "file", "title", "outlet", "date", "url", "voice", "licence", "side")
REQUIRED_COLUMNS = ("id", "file", "title", "outlet", "date")
#: Files of a seeds folder that are not articles: the manifest, the story choice, notes.
NOT_ARTICLES = frozenset({config.MANIFEST_NAME, "workbook.toml"})
NOT_ARTICLE_PREFIXES = ("readme", "sources", "licence", "license")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def valid_id(doc_id: str) -> bool:
    """True for an id that can name the document's output files: ``ID_RE``, no "..", no final "."."""
    return bool(ID_RE.match(doc_id)) and ".." not in doc_id and not doc_id.endswith(".")


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def read_manifest(seeds: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``seeds/manifest.csv``; return the valid rows and every problem found.

    Problems name the manifest line where the record starts (1 = header). Rows with a problem
    are left out of the returned table; files in the folder that have no row are reported too.
    """
    path = seeds / config.MANIFEST_NAME
    empty = pd.DataFrame(columns=list(MANIFEST_COLUMNS) + ["line"])
    table = read_table(path, MANIFEST_COLUMNS, REQUIRED_COLUMNS, what="manifest", comments=False)
    problems = table.problems
    if not table.header or any(p.message.startswith("required column") for p in problems):
        if problems and problems[0].message == "the manifest is missing":
            problems[0] = Problem(str(path), 0, "the manifest is missing",
                                  f"create it with the header line {','.join(MANIFEST_COLUMNS)} and one row per article")
        return empty, problems
    rows, seen_ids, seen_files = [], {}, {}
    for line, row in table.rows:
        bad = False
        for col in REQUIRED_COLUMNS:
            if not row.get(col):
                problems.append(Problem(str(path), line, f"'{col}' is empty", f"fill in the {col} of this article"))
                bad = True
        doc_id, file = row.get("id", ""), row.get("file", "")
        if doc_id and not valid_id(doc_id):
            problems.append(Problem(str(path), line, f"id {doc_id!r} has characters other than letters, digits, '.', '_' and '-', or two dots, or ends with a dot",
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
        elif file and (seeds / file).is_symlink() and seeds.resolve() not in (seeds / file).resolve().parents:
            problems.append(Problem(str(path), line, f"{file!r} is a link to a file outside the seeds folder",
                                    "copy the article into the seeds folder instead of linking to it"))
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
    if "file" in table.header:  # a row too broken to read still names its file
        at = table.header.index("file")
        listed.update(fields[at].strip() for _, fields in table.broken if len(fields) > at)
    try:
        names = sorted(p.name for p in seeds.iterdir() if p.is_file())
    except OSError as exc:
        names = []
        problems.append(unreadable(seeds, exc, "seeds folder"))
    for extra in names:
        if extra in NOT_ARTICLES or extra.startswith(".") or extra.lower().startswith(NOT_ARTICLE_PREFIXES):
            continue
        if extra not in listed:
            problems.append(Problem(str(seeds / extra), 0, "the file has no row in the manifest",
                                    f"add a row for it to {config.MANIFEST_NAME} (id,file,title,outlet,date,...)"))
    return pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS) + ["line"]), problems


