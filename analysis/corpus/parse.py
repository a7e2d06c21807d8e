"""Article text → ``Document``: metadata header, headline, caption, paragraphs, sentences.

Article structure, read off the text:

* optional metadata header: ``key: value`` lines (``title``, ``outlet``, ``date``, ``url``,
  ``perspective``, ``license``) then a blank line; a file with a header has no headline or
  caption in its body (all its blocks are paragraphs);
* otherwise the first block (lines up to the first blank line) is the headline line, and any
  further lines of that block are the photo caption;
* then paragraphs separated by blank lines, each split into sentences.
"""
from __future__ import annotations

import re
from pathlib import Path

from analysis import text as textmod
from analysis.corpus.model import Document, Paragraph, Sentence
from analysis.input import decode as inputs
from analysis.problems import InputError, Problem

HEADER_KEYS = frozenset({"title", "outlet", "date", "url", "perspective", "license", "licence", "voice", "author"})
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_RE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")


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


