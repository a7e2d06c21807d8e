"""Seeds folder → validated manifest → parsed documents → pandas tables.

A seeds folder holds article files (text; ``inputs`` says which encodings and formats are read)
and ``manifest.csv`` with one row per file: ``id, file, title, outlet, date, url, voice,
licence``. Adding an article means adding a file and a row.

Article structure, read off the text:

* optional metadata header: ``key: value`` lines (``title``, ``outlet``, ``date``, ``url``,
  ``perspective``, ``license``) then a blank line; a file with a header has no headline or
  caption in its body (all its blocks are paragraphs);
* otherwise the first block (lines up to the first blank line) is the headline line, and any
  further lines of that block are the photo caption;
* then paragraphs separated by blank lines, each split into sentences.

Every paragraph and sentence keeps ``start``/``end`` character offsets into the decoded file
text, so ``text[start:end]`` is the exact original wording.

Tables (fixed columns, sorted by manifest order then position):

* ``documents``: doc_id, file, title, outlet, date, url, voice, licence, sha256,
  n_paragraphs, n_sentences, n_words
* ``paragraphs``: doc_id, outlet, paragraph, section, start, end, n_words, text
* ``sentences``: doc_id, outlet, paragraph, sentence, section, start, end, n_words, text

``paragraph`` and ``sentence`` are 0-based positions in reading order; ``section`` is one of
``headline``, ``caption``, ``lead`` (first body paragraph) and ``body``.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config, inputs, text as textmod
from .problems import InputError, Problem

MANIFEST_COLUMNS = ("id", "file", "title", "outlet", "date", "url", "voice", "licence")
REQUIRED_COLUMNS = ("id", "file", "title", "outlet", "date")
SECTIONS = ("headline", "caption", "lead", "body")
HEADER_KEYS = frozenset({"title", "outlet", "date", "url", "perspective", "license", "licence", "voice", "author"})
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_RE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")


@dataclass(frozen=True)
class Paragraph:
    """A block of text: ``section`` in SECTIONS; offsets into the document text."""

    index: int
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence inside paragraph ``paragraph``; offsets into the document text."""

    index: int
    paragraph: int
    section: str
    start: int
    end: int


@dataclass
class Document:
    """One parsed article. ``text`` is the decoded file content, never modified."""

    doc_id: str
    text: str
    meta: dict = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def outlet(self) -> str:
        return self.meta.get("outlet", "")

    def slice(self, start: int, end: int) -> str:
        return self.text[start:end]

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset`` (or the last one starting before it); None if none."""
        if not self.sentences:
            return None
        return self.sentences[max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)]

    @property
    def body_start(self) -> int:
        """Offset where the analysed text begins (after any metadata header)."""
        return self.paragraphs[0].start if self.paragraphs else len(self.text)


def _lines(text: str):
    """(start, end_without_newline, line_text) for every line of ``text``."""
    for m in _LINE_RE.finditer(text):
        if m.start() == m.end() and m.start() == len(text):
            break
        raw = m.group()
        content = raw.rstrip("\r\n")
        yield m.start(), m.start() + len(content), content


def _blocks(text: str, lines) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    blocks, current = [], []
    for line in lines:
        if line[2].strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return [(b[0][0], b[-1][1], b) for b in blocks]


def _header(block_lines) -> dict | None:
    meta = {}
    for _, _, content in block_lines:
        m = _HEADER_RE.match(content)
        if not m or m.group(1).lower() not in HEADER_KEYS:
            return None
        meta[m.group(1).lower()] = m.group(2).strip()
    return meta


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    return start + (len(chunk) - len(chunk.lstrip())), end - (len(chunk) - len(chunk.rstrip()))


def parse_article(text: str, doc_id: str = "doc", meta: dict | None = None) -> Document:
    """Split an article's text into headline, caption, paragraphs and sentences.

    ``meta`` (from the manifest) is merged over any metadata header found in the file.
    """
    blocks = _blocks(text, _lines(text))
    header = _header(blocks[0][2]) if blocks else None
    doc = Document(doc_id=doc_id, text=text, meta={**(header or {}), **(meta or {})})
    layout: list[tuple[str, int, int]] = []
    if header is not None:
        blocks = blocks[1:]
    elif blocks:
        first_lines = blocks[0][2]
        layout.append(("headline", first_lines[0][0], first_lines[0][1]))
        if len(first_lines) > 1:
            layout.append(("caption", first_lines[1][0], first_lines[-1][1]))
        blocks = blocks[1:]
    for n, (start, end, _) in enumerate(blocks):
        layout.append(("lead" if n == 0 else "body", start, end))

    for p_index, (section, start, end) in enumerate(layout):
        start, end = _trim(text, start, end)
        doc.paragraphs.append(Paragraph(p_index, section, start, end))
        spans = [(start, end)] if section in ("headline", "caption") else textmod.sentence_spans(text[start:end], start)
        for s_start, s_end in spans:
            doc.sentences.append(Sentence(len(doc.sentences), p_index, section, s_start, s_end))
    return doc


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode an article file's bytes (UTF-8, UTF-16/32 by byte-order mark, else cp1252/Latin-1).

    Raises InputError naming the file for binary data. Use ``inputs.decode_bytes`` to also get
    the warning a fallback encoding gives.
    """
    return inputs.decode_bytes(data, str(path))[0]


def parse_bytes(data: bytes, source: str, doc_id: str, meta: dict | None = None) -> tuple[Document, list[Problem]]:
    """Decode, convert (HTML) and parse one article's bytes: ``(document, warnings)``.

    ``source`` names the file in problems. Raises InputError when there is nothing to analyse.
    """
    try:
        text, warnings = inputs.prepare(data, source)
        doc = parse_article(text, doc_id, meta)
        if not doc.paragraphs:
            raise InputError([Problem(source, 0, "the file has a metadata header but no article text after it",
                                      "put the article's text after the header and one blank line")])
        return doc, warnings + inputs.language_problems(text[doc.body_start:], source)
    except InputError:
        raise
    except Exception as exc:  # a fault while parsing one file must not stop the others
        raise InputError([Problem(source, 0, f"the file could not be analysed ({type(exc).__name__}: {exc})",
                                  "this is a fault in the workbook: report it together with the file")]) from exc


def _unreadable(path: Path, exc: OSError) -> Problem:
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return Problem(str(path), 0, "is a folder, not a file", "give the path of an article file")
    if isinstance(exc, FileNotFoundError):
        return Problem(str(path), 0, "the file does not exist", "check the path")
    if isinstance(exc, PermissionError):
        return Problem(str(path), 0, "the file cannot be read: permission denied", "check the file's permissions")
    return Problem(str(path), 0, f"the file cannot be read ({exc.strerror or exc})", "check the path and the disk")


def load_article(path: Path | str, doc_id: str | None = None,
                 meta: dict | None = None) -> tuple[Document, list[Problem]]:
    """Read and parse one article file: ``(document, warnings)``.

    Raises InputError (file named, reason given) for a file that cannot be analysed: missing,
    a folder, unreadable, larger than ``inputs.MAX_ARTICLE_BYTES``, binary, empty.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        with path.open("rb") as handle:  # bounded read: also safe for pipes and devices
            data = handle.read(inputs.MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise InputError([_unreadable(path, exc)]) from None
    if len(data) > inputs.MAX_ARTICLE_BYTES:
        raise InputError([Problem(str(path), 0, f"the file is too large (more than {inputs.MAX_ARTICLE_BYTES:,} bytes)",
                                  "split it into one file per article")])
    return parse_bytes(data, str(path), doc_id or path.stem, meta)


def read_article(path: Path | str, doc_id: str | None = None, meta: dict | None = None) -> Document:
    """Read and parse one article file (``load_article`` without the warnings)."""
    return load_article(path, doc_id, meta)[0]


def duplicate_problems(docs: list[Document], sources: list[str]) -> list[Problem]:
    """A warning for each document whose normalised text repeats an earlier one (``sources`` name the files)."""
    return inputs.duplicate_problems([(source, doc.text) for doc, source in zip(docs, sources)])


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


class Corpus:
    """The parsed articles of a seeds folder, in manifest order, with their tables."""

    def __init__(self, documents: list[Document], problems: list[Problem] | None = None,
                 seeds: Path | None = None):
        self.docs = documents
        self.problems = problems or []
        self.seeds = seeds

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)

    def __getitem__(self, doc_id: str) -> Document:
        for doc in self.docs:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(f"no document with id {doc_id!r}; ids are {[d.doc_id for d in self.docs]}")

    @property
    def documents(self) -> pd.DataFrame:
        rows = []
        for doc in self.docs:
            m = doc.meta
            rows.append({
                "doc_id": doc.doc_id, "file": m.get("file", ""), "title": m.get("title", ""),
                "outlet": m.get("outlet", ""), "date": m.get("date", ""), "url": m.get("url", ""),
                "voice": m.get("voice", ""), "licence": m.get("licence", ""),
                "sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
                "n_paragraphs": len(doc.paragraphs), "n_sentences": len(doc.sentences),
                "n_words": textmod.count_words(doc.text[doc.body_start:]),
            })
        return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)

    @property
    def paragraphs(self) -> pd.DataFrame:
        rows = [{"doc_id": d.doc_id, "outlet": d.outlet, "paragraph": p.index, "section": p.section,
                 "start": p.start, "end": p.end, "n_words": textmod.count_words(d.text[p.start:p.end]),
                 "text": d.text[p.start:p.end]} for d in self.docs for p in d.paragraphs]
        return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)

    @property
    def sentences(self) -> pd.DataFrame:
        rows = [{"doc_id": d.doc_id, "outlet": d.outlet, "paragraph": s.paragraph, "sentence": s.index,
                 "section": s.section, "start": s.start, "end": s.end,
                 "n_words": textmod.count_words(d.text[s.start:s.end]), "text": d.text[s.start:s.end]}
                for d in self.docs for s in d.sentences]
        return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


DOCUMENT_COLUMNS = ["doc_id", "file", "title", "outlet", "date", "url", "voice", "licence", "sha256",
                    "n_paragraphs", "n_sentences", "n_words"]
PARAGRAPH_COLUMNS = ["doc_id", "outlet", "paragraph", "section", "start", "end", "n_words", "text"]
SENTENCE_COLUMNS = ["doc_id", "outlet", "paragraph", "sentence", "section", "start", "end", "n_words", "text"]


def load_corpus(seeds: str | Path | None = None, strict: bool = False) -> Corpus:
    """Load every article listed in the seeds folder's manifest.

    A file that cannot be analysed is reported in ``Corpus.problems`` (file, line, what to do)
    and the others are still loaded; so are warnings about files analysed on an assumption
    (fallback encoding, HTML or Markdown, not English, duplicate text). With ``strict=True``
    any error (not a warning) raises InputError.
    """
    folder = config.seeds_dir(seeds)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "the seeds folder does not exist",
                                  "create it and put the articles and manifest.csv in it")])
    manifest, problems = read_manifest(folder)
    docs, sources = [], []
    for row in manifest.itertuples(index=False):
        meta = {c: getattr(row, c) for c in MANIFEST_COLUMNS}
        try:
            doc, warnings = load_article(folder / row.file, row.id, meta)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        docs.append(doc)
        sources.append(str(folder / row.file))
        problems.extend(warnings)
    problems.extend(duplicate_problems(docs, sources))
    if strict and any(p.is_error for p in problems):
        raise InputError(problems)
    return Corpus(docs, problems, folder)


def words_by_section(corpus: Corpus) -> pd.DataFrame:
    """Words per document and section: ``doc_id, section, n_words`` (sections in reading order)."""
    paragraphs = corpus.paragraphs
    table = paragraphs.groupby(["doc_id", "section"], sort=False, as_index=False)["n_words"].sum()
    order = {d.doc_id: i for i, d in enumerate(corpus.docs)}
    table["_d"] = table["doc_id"].map(order)
    table["_s"] = table["section"].map({s: i for i, s in enumerate(SECTIONS)})
    return table.sort_values(["_d", "_s"]).drop(columns=["_d", "_s"]).reset_index(drop=True)


def first_sentences(corpus: Corpus, n: int = 2) -> pd.DataFrame:
    """The first ``n`` sentences of each document's body (after headline and caption)."""
    sentences = corpus.sentences
    body = sentences[sentences["section"].isin(["lead", "body"])]
    return body.groupby("doc_id", sort=False).head(n)[["doc_id", "sentence", "start", "end", "text"]].reset_index(drop=True)
