"""Article text → ``Document``: metadata header, headline, caption, paragraphs, sentences.

Article structure, read off the text:

* optional metadata header: ``key: value`` lines (``title``, ``outlet``, ``date``, ``url``,
  ``perspective``, ``license``) then a blank line; a file with a header has no headline or
  caption in its body (all its blocks are paragraphs);
* otherwise the first block (lines up to the first blank line) is the headline line, and any
  further lines of that block are the photo caption;
* then paragraphs separated by blank lines, each split into sentences.

Two repairs, each reported as a warning naming the file and line:

* text whose paragraphs are separated by single line breaks (scraped pages): a block of at
  least ``LINE_PARAGRAPH_MIN_LINES`` lines (the first block: the headline and at least two
  more) of which at least ``LINE_PARAGRAPH_SHARE`` end like a paragraph (``.``, ``!``, ``?``
  or ``…``, then perhaps a closing quote or bracket) is read as one paragraph per line, so the
  body of such a file is not taken as the photo caption. Hard-wrapped text, where a line ends
  mid-sentence, stays one paragraph per block;
* a sentence longer than ``text.MAX_SENTENCE_CHARS`` characters (headline and caption
  included) is cut at the last white space before that bound (``text.cap_span``).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from analysis import text as textmod
from analysis.corpus.model import Document, Paragraph, Sentence
from analysis.input import decode as inputs
from analysis.input.tables import unreadable
from analysis.problems import InputError, Problem, warning

HEADER_KEYS = frozenset({"title", "outlet", "date", "url", "perspective", "license", "licence", "voice", "author"})
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_HEADER_RE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
#: Fewest lines of a block (headline included for the first block) read as one paragraph per
#: line: the shipped articles' first block is a headline and one caption line (2 lines).
LINE_PARAGRAPH_MIN_LINES = 3
#: Least share of those lines (after the headline, in the first block) that must end like a
#: paragraph. Scraped paragraphs nearly all do; of the shipped articles' paragraphs of three or
#: more lines when hard-wrapped at 60-80 columns, one line in four does (last lines included).
LINE_PARAGRAPH_SHARE = 2 / 3
_PARAGRAPH_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_BREAK_RE = re.compile(r"\r\n|\r|\n")


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


def _line_paragraphs(lines) -> bool:
    """True when ``lines`` (a block's lines, less the headline) look like one paragraph each."""
    ends = sum(1 for _, _, content in lines if _PARAGRAPH_END_RE.search(content))
    return ends >= LINE_PARAGRAPH_SHARE * len(lines)


def _line_number(text: str, offset: int) -> int:
    """1-based line of ``offset``; CR LF, CR and LF each end a line, as in ``_lines``."""
    return len(_BREAK_RE.findall(text, 0, offset)) + 1


def parse_article(text: str, doc_id: str = "doc", meta: dict | None = None) -> Document:
    """Split an article's text into headline, caption, paragraphs and sentences.

    ``meta`` (from the manifest) is merged over any metadata header found in the file. Use
    ``parse_bytes`` (or ``load_article``) to also get the warnings about repaired layout.
    """
    blocks = _blocks(text, _lines(text))
    header = _header(blocks[0][2]) if blocks else None
    doc = Document(doc_id=doc_id, text=text, meta={**(header or {}), **(meta or {})})
    layout: list[tuple[str, int, int]] = []
    by_line: list[int] = []   # offsets of blocks read as one paragraph per line
    if header is not None:
        blocks = blocks[1:]
    elif blocks:
        first_lines = blocks[0][2]
        layout.append(("headline", first_lines[0][0], first_lines[0][1]))
        rest = first_lines[1:]
        if len(first_lines) >= LINE_PARAGRAPH_MIN_LINES and _line_paragraphs(rest):
            by_line.append(rest[0][0])
            blocks = [(a, b, [(a, b, c)]) for a, b, c in rest] + blocks[1:]
        else:
            if rest:
                layout.append(("caption", rest[0][0], rest[-1][1]))
            blocks = blocks[1:]
    paragraphs = []
    for start, end, lines in blocks:
        if len(lines) >= LINE_PARAGRAPH_MIN_LINES and _line_paragraphs(lines):
            by_line.append(start)
            paragraphs.extend((a, b) for a, b, _ in lines)
        else:
            paragraphs.append((start, end))
    for n, (start, end) in enumerate(paragraphs):
        layout.append(("lead" if n == 0 else "body", start, end))

    cuts: list[int] = []
    for p_index, (section, start, end) in enumerate(layout):
        start, end = _trim(text, start, end)
        doc.paragraphs.append(Paragraph(p_index, section, start, end))
        if section in ("headline", "caption"):
            spans = textmod.cap_span(text, start, end)
            cuts.extend(piece_end for _, piece_end in spans[:-1])
        else:
            spans, cut = textmod.split_sentences(text[start:end], start)
            cuts.extend(cut)
        for s_start, s_end in spans:
            doc.sentences.append(Sentence(len(doc.sentences), p_index, section, s_start, s_end))

    if by_line or cuts:  # read (and removed) by parse_bytes, which reports them
        doc.__dict__["_repairs"] = (min(by_line, default=None), cuts)
    return doc


def _repair_problems(doc: Document, source: str) -> list[Problem]:
    """Warnings naming ``source`` for the repairs ``parse_article`` made (see the module docstring)."""
    by_line, cuts = doc.__dict__.pop("_repairs", (None, []))
    text = doc.text
    problems = []
    if by_line is not None:
        problems.append(warning(source, _line_number(text, by_line),
                                "paragraphs are separated by single line breaks; each line is taken as a paragraph",
                                "separate paragraphs with a blank line to remove this warning"))
    if cuts:
        problems.append(warning(source, _line_number(text, cuts[0]),
                                f"a sentence longer than {textmod.MAX_SENTENCE_CHARS:,} characters was split at the "
                                f"bound (at the last white space before it), {len(cuts):,} cut(s) in all, the first "
                                "on this line", "the text probably lacks sentence punctuation (e.g. a page saved "
                                "without line breaks); read sentence-level results for this file with care"))
    return problems


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
        layout_problems = _repair_problems(doc, source)
        if not doc.paragraphs:
            raise InputError([Problem(source, 0, "the file has a metadata header but no article text after it",
                                      "put the article's text after the header and one blank line")])
        return doc, warnings + layout_problems + inputs.language_problems(text[doc.body_start:], source)
    except InputError:
        raise
    except Exception as exc:  # a fault while parsing one file must not stop the others
        raise InputError([Problem(source, 0, f"the file could not be analysed ({type(exc).__name__}: {exc})",
                                  "this is a fault in the workbook: report it together with the file")]) from exc


def load_article(path: Path | str, doc_id: str | None = None,
                 meta: dict | None = None) -> tuple[Document, list[Problem]]:
    """Read and parse one article file: ``(document, warnings)``.

    Raises InputError (file named, reason given) for a file that cannot be analysed: missing,
    a folder, unreadable, larger than ``inputs.MAX_ARTICLE_BYTES``, binary, empty.
    """
    path = Path(path)
    return parse_bytes(read_bytes(path), str(path), doc_id or path.stem, meta)


def read_bytes(path: Path) -> bytes:
    """The bytes of one article file; raises InputError (file named) for a file that is missing,
    a folder, unreadable or larger than ``inputs.MAX_ARTICLE_BYTES``."""
    try:
        if path.is_dir():
            raise IsADirectoryError(str(path))
        with path.open("rb") as handle:  # bounded read: also safe for pipes and devices
            data = handle.read(inputs.MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise InputError([unreadable(path, exc, "article file")]) from None
    if len(data) > inputs.MAX_ARTICLE_BYTES:
        raise InputError([Problem(str(path), 0, f"the file is too large (more than {inputs.MAX_ARTICLE_BYTES:,} bytes)",
                                  "split it into one file per article")])
    return data


def article_key(data: bytes, source: str, doc_id: str, meta: dict | None) -> str:
    """sha256 (hex) of everything ``parse_bytes`` reads: the file's bytes, its name in problems,
    the document id and the manifest's metadata (a parsed article is stored under this key)."""
    digest = hashlib.sha256(json.dumps([source, doc_id, meta or {}], sort_keys=True, default=str).encode("utf-8"))
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def read_article(path: Path | str, doc_id: str | None = None, meta: dict | None = None) -> Document:
    """Read and parse one article file (``load_article`` without the warnings)."""
    return load_article(path, doc_id, meta)[0]


def duplicate_problems(docs: list[Document], sources: list[str]) -> list[Problem]:
    """A warning for each document whose normalised text repeats an earlier one (``sources`` name the files)."""
    return inputs.duplicate_problems([(source, doc.text) for doc, source in zip(docs, sources)],
                                     [doc.normalised_sha256 for doc in docs])


