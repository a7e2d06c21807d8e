"""Nexis Uni / Lexis DOCX exports → records (one per article).

Layout, as LexisNexisTools' ``lnt_parse_uni`` reads it (R package, GPL-3; we follow the layout,
not the code): articles end with a paragraph "End of Document"; in each, the first non-empty
line is the headline, the next the outlet, then a date line ("December 7, 2023 Thursday 10:00
PM GMT"), optional free lines (copyright, edition) and ``Key: value`` metadata (``Length:``,
``Section:``, ``Byline:``…) up to a line "Body"; the body runs to "Classification",
"Load-Date:", "Graphic" or "End of Document"; ``Key: value`` lines after it are metadata too.
The cover page before the first article ("Date and Time:", "Job Number:", "Documents (3)",
the list of headlines) is skipped: the first article starts two lines above the last date line
before its "Body".

Records: ``title, outlet, date`` (the date line as written), ``byline``, ``text`` (paragraphs
joined by blank lines), ``extra`` (every other field: ``{"length": "645 words", …}``),
``source``, ``record`` (article number, 1-based) and ``unit`` ``"article"``.
"""
from __future__ import annotations

import re
from pathlib import Path

from analysis.input import dates
from analysis.problems import Problem

END_OF_DOCUMENT = "End of Document"
#: Lines that end an article's body.
_BODY_END_RE = re.compile(r"^(?:Classification|Graphic|Notes|Load-Date:.*|End of Document)$", re.IGNORECASE)
_FIELD_RE = re.compile(r"^([A-Z][A-Za-z/-]{1,30}(?: [A-Za-z/-]{1,20}){0,2}):[\s\u00a0]*(.*)$", re.DOTALL)
_WEEKDAY_END_RE = re.compile(r"^(.*?\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)[\s,;]*(.*)$", re.IGNORECASE)
_BODY_RE = re.compile(r"^(?:Body|Text)$")


def paragraphs(path: str | Path) -> list[str]:
    """Every paragraph of a DOCX file in document order (tables included), stripped."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    return [Paragraph(p, document).text.strip() for p in document.element.body.iter(qn("w:p"))]


def is_nexis(lines: list[str]) -> bool:
    """True when the paragraphs hold at least one "End of Document" line."""
    return any(line.endswith(END_OF_DOCUMENT) and len(line) < 40 for line in lines)


def _date_line(line: str) -> tuple[str, str] | None:
    """``(date part, rest)`` when the line is a Nexis date line, else None."""
    first = line.split("\n", 1)[0].strip()
    if _FIELD_RE.match(first):
        return None
    if dates.is_date_line(first):
        return first, line[len(first):].strip()
    m = _WEEKDAY_END_RE.match(first)
    if m and dates.is_date_line(m.group(1)):
        return m.group(1), (m.group(2) + " " + line[len(first):]).strip()
    return None


def _field(extra: dict, line: str) -> bool:
    m = _FIELD_RE.match(line)
    if not m:
        return False
    key = m.group(1).strip().lower().replace(" ", "_")
    value = " ".join(m.group(2).split())
    extra[key] = f"{extra[key]}; {value}" if key in extra else value
    return True


def parse_article(lines: list[str], cover: bool = False) -> dict:
    """One article's lines (without its "End of Document") → record fields.

    With ``cover=True`` lines before the article (a cover page) are skipped.
    """
    lines = [line for line in lines if line]
    body_at = next((i for i, line in enumerate(lines) if _BODY_RE.match(line)), None)
    head = lines if body_at is None else lines[:body_at]
    # the date line: the first in the article's first lines, or after a cover page the last one
    # before the body (the cover's own dates are "Key: value" lines, which never count)
    found = [i for i, line in enumerate(head[:len(head) if cover else 12]) if i >= 2 and _date_line(line)]
    date_at = (found[-1] if cover else found[0]) if found else None
    start = date_at - 2 if (cover and date_at is not None) else 0
    if cover and date_at is None:  # no date line: skip what looks like cover fields
        while start < len(head) and (_FIELD_RE.match(head[start]) or re.match(r"Documents \(\d+\)", head[start])):
            start += 1
    record: dict = {"extra": {}}
    extra = record["extra"]
    head = head[start:]
    at = None if date_at is None else date_at - start
    if head:
        record["title"] = " ".join(head[0].split())
    if at is not None:
        record["outlet"] = " ".join(head[at - 1].split())
        if at > 2:
            extra["subtitle"] = " ".join(" ".join(head[1:at - 1]).split())
        date_part, rest = _date_line(head[at])
        record["date"] = date_part
        if rest:
            extra["edition"] = " ".join(rest.split())
    elif len(head) > 1:
        record["outlet"] = " ".join(head[1].split())
    notes = []
    meta_from = 2 if at is None else at + 1
    body: list[str] = []
    if body_at is not None:
        for line in head[meta_from:]:
            if not _field(extra, line):
                notes.append(" ".join(line.split()))
        tail = lines[body_at + 1:]
    else:  # no "Body" line: metadata lines first, then the text
        tail = head[meta_from:]
        while tail and (_field(extra, tail[0]) or tail[0].lower().startswith("copyright")):
            if tail[0].lower().startswith("copyright"):
                notes.append(tail[0])
            tail = tail[1:]
    section = "body"  # then "graphic" or "notes" (lines kept as text), or "classification" (fields)
    for line in tail:
        if _BODY_END_RE.match(line):
            section = line.lower() if line.lower() in ("graphic", "notes") else "classification"
            _field(extra, line)  # a "Load-Date:" line
        elif section == "body":
            body.append(line)
        elif section in ("graphic", "notes") or not _field(extra, line):
            key = section if section in ("graphic", "notes") else "notes"
            extra[key] = (extra.get(key, "") + " " + " ".join(line.split())).strip()
    for note in notes:
        if note.lower().startswith("copyright"):
            extra["copyright"] = note
        else:
            extra["notes"] = (extra.get("notes", "") + " " + note).strip()
    record["text"] = "\n\n".join(body)
    if "byline" in extra:
        record["byline"] = extra.pop("byline")
    if "date" not in record and "load-date" in extra:
        record["date"] = extra["load-date"]
    return record


def split_articles(lines: list[str]) -> list[list[str]]:
    """The lines of each article (the text before each "End of Document" line)."""
    articles, current = [], []
    for line in lines:
        if line.endswith(END_OF_DOCUMENT) and len(line) < 40:
            before = line[: -len(END_OF_DOCUMENT)].strip()
            if before:
                current.append(before)
            articles.append(current)
            current = []
        else:
            current.append(line)
    if any(current):
        articles.append(current)  # a last article without its end line (a truncated export)
    return articles


def read_nexis(path: str | Path, lines: list[str] | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a Nexis Uni DOCX export: ``(records, problems)``.

    ``lines`` (the paragraphs, if already read) saves reading the file again. An article that
    cannot be parsed is a problem naming the file and the article number; the others are read.
    """
    source = str(path)
    if lines is None:
        try:
            lines = paragraphs(path)
        except Exception as exc:  # python-docx raises several types for a damaged file
            return [], [Problem(source, 0, f"the Word document cannot be read ({type(exc).__name__}: {exc})",
                                "open it in Word and save it again as .docx")]
    records, problems = [], []
    for number, article in enumerate(split_articles(lines), start=1):
        try:
            record = parse_article(article, cover=number == 1)
        except Exception as exc:  # a layout we did not foresee must not stop the other articles
            problems.append(Problem(source, 0, f"article {number} could not be read ({type(exc).__name__}: {exc})",
                                    "check that article in the export; the other articles were read"))
            continue
        record.update(source=source, record=number, unit="article")
        records.append(record)
    if not records and not problems:
        problems.append(Problem(source, 0, 'no articles found (no "End of Document" line)',
                                "export the results from Nexis Uni as one Word document (.docx)"))
    return records, problems
