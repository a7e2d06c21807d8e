"""Exports of articles → a seeds folder: one article file and one manifest row per record.

Sources: tables (``formats.TABLE_SUFFIXES``), Nexis Uni ``.docx``, Factiva ``.rtf``/``.html``
(or their text), single articles (``.docx``, ``.rtf``, ``.html``, ``.htm``, ``.txt``, ``.md``;
a leading ``key: value`` block gives title, outlet, date, url) and folders of them (sorted,
recursively, hidden files left out).

Each imported record becomes ``<id>.txt`` (UTF-8: headline, blank line, paragraphs separated by
blank lines; a record without a title gets a ``title:`` header line instead of a headline) plus a manifest row ``id,file,title,outlet,date,url,voice,licence``, and a line in
``.import_log.csv`` (``id,source,record,sha256,status,reason``; hidden, so the seeds folder stays
valid). Nothing existing is overwritten: ids and file names that are taken get ``-2``, ``-3``…;
a record whose normalised text (``decode.normalised_sha256``) is already in the folder is
skipped, so importing the same source twice adds nothing. All files are written in one atomic
step (``files.write_all_atomic``); when nothing is imported nothing is written.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from analysis import config
from analysis.corpus.manifest import ID_RE, MANIFEST_COLUMNS, REQUIRED_COLUMNS
from analysis.corpus.parse import HEADER_KEYS
from analysis.files import csv_bytes, safe_stem, write_all_atomic
from analysis.input import dates, decode, factiva, formats, near_duplicates, nexis
from analysis.input.tables import read_table
from analysis.problems import InputError, Problem, warning

LOG_NAME = ".import_log.csv"
LOG_COLUMNS = ("id", "source", "record", "sha256", "status", "reason")
SINGLE_SUFFIXES = (".docx", ".rtf", ".html", ".htm", ".txt", ".md")
SUFFIXES = tuple(formats.TABLE_SUFFIXES) + SINGLE_SUFFIXES
#: Longest manifest title written, in characters (a headline is far shorter).
MAX_TITLE_CHARS = 300
#: Words of the first paragraph that stand in for a missing title (a headline's usual length).
TITLE_WORDS = 12
#: Outlet written when a record has none (the manifest requires one).
UNKNOWN_OUTLET = "unknown"
_HEADER_LINE_RE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")


@dataclass
class ImportReport:
    """What an import did: ids imported, records skipped (one Problem each, with the reason),
    other problems (unreadable sources, bad rows, assumptions made) and near-duplicate pairs
    ``(id_a, id_b, similarity)`` (kept unless asked to drop them)."""

    imported: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    near_duplicates: list[tuple] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    records_read: int = 0
    skip_reasons: Counter = field(default_factory=Counter)
    dropped_near_duplicates: bool = False

    def __str__(self) -> str:
        where = Path(self.sources[0]).name if len(self.sources) == 1 else f"{len(self.sources)} files"
        n, pairs, errors = self.records_read, len(self.near_duplicates), sum(p.is_error for p in self.problems)
        text = f"{n} record{'s' * (n != 1)} read from {where}: {len(self.imported)} imported, {len(self.skipped)} skipped"
        text += " (" + ", ".join(f"{k} {why}" for why, k in sorted(self.skip_reasons.items())) + ")" if self.skipped else ""
        text += f", {pairs} near-duplicate pair{'s' * (pairs != 1)} " \
                f"({'later one dropped' if self.dropped_near_duplicates else 'kept'})" if pairs else ""
        return text + (f"; {errors} problem{'s' * (errors != 1)} with the sources." if errors else ".")


# --- reading sources --------------------------------------------------------------------------

def expand_sources(sources: list[Path], into: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Files to read: given files as they are, folders' supported files sorted (recursively,
    hidden ones and those inside ``into`` left out)."""
    files, problems = [], []
    inside = into.resolve() if into is not None else None
    for source in map(Path, sources):
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                rel = path.relative_to(source).parts
                if (path.is_file() and path.suffix.lower() in SUFFIXES and not any(p.startswith(".") for p in rel)
                        and (inside is None or inside not in path.resolve().parents)):
                    files.append(path)
        elif not source.exists():
            problems.append(Problem(str(source), 0, "the file does not exist", "check the path"))
        else:
            files.append(source)
    return files, problems


def single_article(text: str | list[str], source: str) -> dict:
    """One article (its text, or its paragraphs) → a record: leading blocks made only of
    ``key: value`` lines (keys as in article files) give its metadata; then the first line is
    the headline and the rest of its block the caption."""
    record: dict = {"source": source, "record": 1, "unit": "file"}
    blocks = formats.split_paragraphs(text) if isinstance(text, str) else [b for b in text if b.strip()]
    while blocks:
        matches = [_HEADER_LINE_RE.match(line.strip()) for line in blocks[0].split("\n")]
        if not all(m and m.group(1).lower() in HEADER_KEYS for m in matches):
            break
        for m in matches:
            key = {"license": "licence", "perspective": "voice"}.get(m.group(1).lower(), m.group(1).lower())
            record[key] = m.group(2).strip()
        blocks = blocks[1:]
    if blocks and "title" not in record:
        lines = blocks[0].split("\n")
        record["title"] = lines[0].lstrip("#").strip()
        if len(lines) > 1:
            record["caption"] = "\n".join(lines[1:])
        blocks = blocks[1:]
    record["text"] = "\n\n".join(blocks)
    return record


def read_source(path: Path, columns: dict | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of one source file and the problems met (never raises for bad input)."""
    source, suffix = str(path), path.suffix.lower()
    if suffix in formats.TABLE_SUFFIXES:
        return formats.read_records(path, columns)
    if suffix not in SINGLE_SUFFIXES:
        return [], [Problem(source, 0, f"'{suffix or path.name}' files cannot be imported",
                            f"give tables ({', '.join(formats.TABLE_SUFFIXES)}) or articles "
                            f"({', '.join(SINGLE_SUFFIXES)})")]
    try:
        if suffix == ".docx":
            try:
                lines = nexis.paragraphs(path)
            except Exception as exc:  # python-docx raises several types for a damaged file
                return [], [Problem(source, 0, f"the Word document cannot be read ({type(exc).__name__}: {exc})",
                                    "open it in Word and save it again as .docx")]
            if nexis.is_nexis(lines):
                return nexis.read_nexis(path, lines)
            return [single_article(lines, source)], []
        data = path.read_bytes()
        if suffix == ".rtf":
            text = factiva.rtf_text(data)
            if factiva.looks_like_factiva(text):
                return factiva.records_from_lines(text.split("\n"), source)
            return [single_article(text, source)], []
        text, _, warnings = decode.decode_bytes(data, source)
        if decode.looks_like_html(text) or suffix in (".html", ".htm"):
            if factiva.looks_like_factiva_html(text):
                records, problems = factiva.read_factiva_html(path, text)
                return records, warnings + problems
            text = decode.html_to_text(text)
        elif factiva.looks_like_factiva(text):
            records, problems = factiva.records_from_lines(text.split("\n"), source)
            return records, warnings + problems
        elif formats.looks_like_table(path):
            return formats.read_records(path, columns)
        return [single_article(text, source)], warnings
    except InputError as exc:
        return [], exc.problems
    except OSError as exc:
        return [], [Problem(source, 0, f"the file cannot be read ({exc.strerror or exc})", "check the path")]


# --- the seeds folder -----------------------------------------------------------------------

def _read_folder(into: Path) -> SimpleNamespace:
    """What the folder holds: manifest header, bytes and encoding; ids and file names taken
    (lower case); ``texts`` and ``hashes`` of the listed articles by id; the import log's bytes."""
    manifest_path = into / config.MANIFEST_NAME
    names = {p.name.lower() for p in into.iterdir()} if into.is_dir() else set()
    old = manifest_path.read_bytes() if manifest_path.is_file() else b""
    folder = SimpleNamespace(header=list(MANIFEST_COLUMNS), manifest=old, encoding="utf-8", ids=set(), names=names,
                             texts={}, hashes={}, log=b"")
    if old.strip():
        table = read_table(manifest_path, MANIFEST_COLUMNS, REQUIRED_COLUMNS, what="manifest", comments=False)
        fatal = [p for p in table.problems if p.message.startswith(("required column", "the manifest"))]
        if fatal or not table.header:
            raise InputError(fatal or table.problems)
        folder.header, folder.encoding = table.header, decode.decode_bytes(old, str(manifest_path))[1]
        for _, row in table.rows:
            folder.ids.add(row.get("id", "").lower())
            file = row.get("file", "")
            if file and Path(file).name == file and (into / file).is_file():
                try:
                    text = decode.prepare((into / file).read_bytes(), str(into / file))[0]
                except (InputError, OSError):
                    continue
                folder.texts[row.get("id", "")] = text
                folder.hashes.setdefault(decode.normalised_sha256(text), row.get("id", ""))
    log_path = into / LOG_NAME
    if log_path.is_file():
        folder.log = log_path.read_bytes()
        reader = csv.reader(io.StringIO(folder.log.decode("utf-8", "replace")))
        folder.ids.update(row[0].lower() for row in reader if row and row[0] and row[0] != "id")
    return folder


def _rows_bytes(rows: list[dict], columns, header: bool) -> str:
    text = csv_bytes(pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], columns=list(columns),
                               dtype=object)).decode("utf-8")
    return text if header else text.split("\n", 1)[1]


def _append(old: bytes, encoding: str, rows_text: str) -> bytes:
    old_text = old.decode(encoding) if old else ""
    if old_text.lstrip("\ufeff") and not old_text.endswith(("\n", "\r")):
        rows_text = "\n" + rows_text
    if "\r\n" in old_text:
        rows_text = rows_text.replace("\n", "\r\n")
    return old + rows_text.encode(encoding)  # the codecs named by decode_bytes add no byte-order mark


# --- records → articles -----------------------------------------------------------------------

def _where(record: dict) -> tuple[int, str]:
    """``(line for the Problem, prefix for its message)``."""
    unit = record.get("unit", "record")
    return (int(record["record"]), "") if unit == "line" else (0, "" if unit == "file" else f"{unit} {record['record']}: ")


def _one_line(value) -> str:
    return " ".join(formats.clean_text(str(value)).split()) if value not in (None, "") else ""


def article_text(title: str, caption: str, paragraphs: list[str]) -> str:
    """The article file's text: headline, caption lines below it, a blank line, the paragraphs."""
    head = title + ("\n" + caption if caption else "")
    return "\n\n".join([head] + paragraphs) + "\n"


def _prepare(record: dict, dayfirst: bool | None) -> tuple[dict | None, str, str]:
    """``(article, skip kind, skip message)``; article is None when the record is skipped."""
    paragraphs = formats.split_paragraphs(str(record.get("text") or ""))
    title = _one_line(record.get("title"))
    if paragraphs and title and " ".join(paragraphs[0].split()) == title:
        paragraphs = paragraphs[1:]  # the text repeats the headline
    if not paragraphs:
        return None, "empty text", "the record has no article text"
    header = not title  # no headline: the file gets a "title:" header line, its text is all body
    if header:
        words = paragraphs[0].split()
        title = " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")
    raw = record.get("date")
    iso, reason = dates.classify(raw, dayfirst)
    if reason == dates.EMPTY:
        return None, "no date", "the record has no date"
    if reason == dates.AMBIGUOUS:
        return None, "ambiguous date", f"ambiguous date {raw!r}: give --dayfirst or --monthfirst"
    if reason:
        return None, "unparseable date", f"unparseable date {_one_line(raw)!r}"
    caption = "\n".join(line.strip() for line in formats.clean_text(str(record.get("caption") or "")).split("\n") if line.strip())
    text = f"title: {title}\n\n" + "\n\n".join(paragraphs) + "\n" if header else article_text(title, caption, paragraphs)
    return {"title": title[:MAX_TITLE_CHARS], "outlet": _one_line(record.get("outlet")), "date": iso,
            "url": _one_line(record.get("url")), "voice": _one_line(record.get("voice")), "text": text,
            "sha256": decode.normalised_sha256(text), "record": record}, "", ""


def _new_id(record: dict, taken: set[str], names: set[str]) -> str:
    given = _one_line(record.get("id"))
    if given and ID_RE.match(given) and len(given) <= 70:
        base = given
    elif given:
        base = safe_stem(given, 58)
    else:
        base = f"{safe_stem(Path(record['source']).stem, 50)}-{record['record']}"
    candidate, n = base, 1
    while candidate.lower() in taken or f"{candidate}.txt".lower() in names:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate.lower())
    return candidate


def _source_dayfirst(records: list[dict], dayfirst: bool | None, problems: list[Problem]) -> bool | None:
    if dayfirst is not None or not records:
        return dayfirst
    values = [r.get("date") for r in records]
    inferred = dates.infer_dayfirst(values)
    ambiguous = [v for v in values if dates.classify(v)[1] == dates.AMBIGUOUS]
    if inferred is not None and ambiguous:
        problems.append(warning(records[0]["source"], 0, f"{len(ambiguous)} date(s) such as {ambiguous[0]!r} read "
                                f"{'day' if inferred else 'month'} first, as the file's unambiguous dates are",
                                "give --dayfirst or --monthfirst to decide otherwise"))
    return inferred


def import_sources(sources: list[Path], into: Path, *, columns: dict | None = None, dayfirst: bool | None = None,
                   drop_near_duplicates: bool = False,
                   threshold: float = near_duplicates.THRESHOLD) -> ImportReport:
    """Import every record of ``sources`` (files or folders) into the seeds folder ``into``.

    ``columns`` maps record fields to table column names (``{"text": "Body"}``); ``dayfirst``
    decides numeric dates such as 03/04/2023 (None: as the file's unambiguous dates show, else
    the record is skipped); near-duplicates (shingle Jaccard ≥ ``threshold``, 0…1) are reported,
    and the later one of a pair is skipped when ``drop_near_duplicates``. Raises InputError when
    ``into`` is not a usable seeds folder (a file, or a manifest without its required columns).
    A relative ``into`` is taken from the project root, as every ``--seeds`` folder is.
    """
    into = config.seeds_dir(into)
    report = ImportReport(dropped_near_duplicates=drop_near_duplicates)
    if into.exists() and not into.is_dir():
        raise InputError([Problem(str(into), 0, "is a file, not a folder", "give the seeds folder to import into")])
    folder = _read_folder(into)
    files, report.problems = expand_sources(sources, into)
    report.sources = [str(f) for f in files]
    prepared, log_rows = [], []

    def skip(record: dict, kind: str, message: str, sha: str = "", severity: str = "error") -> None:
        line, prefix = _where(record)
        report.skipped.append(Problem(record["source"], line, prefix + message, "the record was not imported",
                                      severity))
        report.skip_reasons[kind] += 1
        log_rows.append({"id": "", "source": record["source"], "record": record["record"], "sha256": sha,
                         "status": "skipped", "reason": message})

    seen: dict[str, tuple] = {sha: ("old", i) for sha, i in folder.hashes.items()}
    repeats = []  # (record, sha256, key of the first copy): reported once ids are known
    for path in files:
        records, problems = read_source(path, columns)
        report.problems.extend(problems)
        report.records_read += len(records)
        order = _source_dayfirst(records, dayfirst, report.problems)
        missing_outlet = 0
        for record in records:
            article, kind, message = _prepare(record, order)
            if article is None:
                skip(record, kind, message)
                continue
            if article["sha256"] in seen:
                repeats.append((record, article["sha256"], seen[article["sha256"]]))
                continue
            if not article["outlet"]:
                article["outlet"], missing_outlet = UNKNOWN_OUTLET, missing_outlet + 1
            article["key"] = ("new", len(prepared))
            seen[article["sha256"]] = article["key"]
            prepared.append(article)
        if missing_outlet:
            report.problems.append(warning(str(path), 0, f"{missing_outlet} record(s) have no outlet: "
                                           f"written as {UNKNOWN_OUTLET!r}",
                                           "name the outlet column, or edit the outlet in the manifest"))

    texts = {("old", i): t for i, t in folder.texts.items()}
    texts.update({a["key"]: a["text"] for a in prepared})
    pairs = near_duplicates.near_duplicate_pairs(texts, threshold) if prepared and len(texts) > 1 else []
    partners: dict[tuple, list[tuple]] = {}
    for a, b, similarity in pairs:
        partners.setdefault(b, []).append((a, similarity))
    dropped, ids = set(), {("old", i): i for i in folder.texts}
    taken, kept = set(folder.ids), []
    for article in prepared:
        record, key = article["record"], article["key"]
        kept_partners = [(a, s) for a, s in partners.get(key, []) if a not in dropped]
        if drop_near_duplicates and kept_partners:
            other, similarity = max(kept_partners, key=lambda t: t[1])
            dropped.add(key)
            ids[key] = f"{Path(record['source']).name}:{record['record']}"
            skip(record, "near-duplicate", f"near-duplicate of {ids[other]} at similarity {similarity:.2f}",
                 article["sha256"], "warning")
            continue
        article["id"] = ids[key] = _new_id(record, taken, folder.names)
        kept.append(article)
    for record, sha, first in repeats:
        skip(record, "duplicate", f"duplicate of {ids[first]} (same text after normalising white space and "
             "Unicode)", sha, "warning")
    report.near_duplicates = [(ids[a], ids[b], s) for a, b, s in pairs if a[0] == "new" or b[0] == "new"]
    _write(into, folder, kept, log_rows, report)
    return report


def _write(into: Path, folder: SimpleNamespace, kept: list[dict], log_rows: list[dict], report: ImportReport) -> None:
    if not kept:
        return
    files: dict[Path, bytes] = {}
    rows = []
    for article in kept:
        record = article["record"]
        name = Path(record["source"]).name
        unit = "record" if record.get("unit") == "line" else record.get("unit", "record")
        where = "" if unit == "file" else f", {unit} {record['record']}"
        note = f"imported from {name}{where}"
        given = formats.clean_text(str(record.get("licence") or "")).strip()
        rows.append({**article, "file": f"{article['id']}.txt",
                     "licence": f"{given} ({note})" if given else f"{note}: check the rights before sharing"})
        files[into / f"{article['id']}.txt"] = article["text"].encode("utf-8")
        log_rows.append({"id": article["id"], "source": record["source"], "record": record["record"],
                         "sha256": article["sha256"], "status": "imported", "reason": ""})
        m = _HEADER_LINE_RE.match(article["title"])
        if decode.looks_like_html(article["text"]) or (m and m.group(1).lower() in HEADER_KEYS):
            report.problems.append(warning(str(into / rows[-1]["file"]), 1, "the headline starts like HTML or a "
                                           "metadata line: it will not be read as the headline", "edit that line"))
    rows_text = _rows_bytes(rows, folder.header, header=not folder.manifest.strip())
    try:
        files[into / config.MANIFEST_NAME] = _append(folder.manifest if folder.manifest.strip() else b"",
                                                     folder.encoding, rows_text)
    except UnicodeEncodeError:
        raise InputError([Problem(str(into / config.MANIFEST_NAME), 0, f"the manifest is {folder.encoding}, and "
                                  "the new rows hold characters it cannot store", "save it as UTF-8 first")]) from None
    files[into / LOG_NAME] = _append(folder.log, "utf-8", _rows_bytes(log_rows, LOG_COLUMNS, not folder.log))
    write_all_atomic(files)
    report.imported = [a["id"] for a in kept]

