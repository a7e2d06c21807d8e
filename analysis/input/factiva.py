"""Factiva exports (RTF, HTML, or their text) → records (one per article).

Factiva's "Full Article/Report plus Indexing" display labels every field with a code of two or
three capitals (field list from the research notes, after chennesy/factiva_parser): ``HD``
headline, ``BY`` byline, ``WC`` word count, ``PD`` date, ``SN`` source name, ``SC`` source
code, ``SE`` section, ``LA`` language, ``CY`` copyright, ``LP`` lead paragraph(s), ``TD`` the
text after them, ``AN`` accession number ("Document LBA0000020231207ejc7000xx"), and indexing
codes (``CO``, ``IN``, ``NS``, ``RE``, ``IPD``, ``PUB``…).

Read generically: the text is turned into lines (RTF through striprtf's ``rtf_to_text``, HTML
through a small ``html.parser`` that breaks lines at block elements and table cells), and a line
that is exactly a code, or a code followed by a tab, ``|`` cell mark or two spaces, starts that
field; its value runs to the next code line. A new article starts at a form feed or at a second
``HD``. Text with no ``HD`` and no ``LP``/``TD`` (a search summary page) is not an article.

Records: ``title`` (HD), ``outlet`` (SN), ``date`` (PD, as written), ``byline`` (BY), ``id``
(the AN number), ``text`` (LP then TD paragraphs, joined by blank lines), ``extra`` (every other
field by code), ``source``, ``record`` (article number, 1-based) and ``unit`` ``"article"``.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from analysis.problems import Problem

#: Field codes recognised: the list in chennesy/factiva_parser with CY (copyright, in the research
#: notes), IPC/IPD (information-provider codes, tm.plugin.factiva's ``infocode``/``infodesc``),
#: ET (time) and HLP (headline lead paragraph).
CODES = frozenset("AN ART BY CLM CO CR CT CX CY DLN ED ET HD HLP IN IPC IPD LA LP NS PD PG PUB RE RF RST "
                  "SC SE SN TD VOL WC".split())
_CODE_LINE_RE = re.compile(r"^[\s|]*([A-Z]{2,3})(?:[ \t]*(?:\t|\||\s{2,})[ \t|]*(.*?))?[\s|]*$")
_TEXT_CODES = ("LP", "TD")
_PAGE_RE = re.compile(r"\\page(?![a-z])(?:-?\d+)? ?")
_AN_RE = re.compile(r"^(?:Document\s+)?([A-Za-z0-9]{10,60})$")


def _code(line: str) -> tuple[str, str] | None:
    m = _CODE_LINE_RE.match(line)
    if m and m.group(1) in CODES:
        return m.group(1), (m.group(2) or "").strip()
    return None


def looks_like_factiva(text: str) -> bool:
    """True when the text has an ``HD`` code line and an ``LP`` or ``TD`` code line."""
    seen = set()
    for line in text.splitlines():
        found = _code(line)
        if found:
            seen.add(found[0])
            if "HD" in seen and seen & set(_TEXT_CODES):
                return True
    return False


def _blocks(lines: list[str]) -> list[list[tuple[str, list[str]]]]:
    """Articles as lists of ``(code, value lines)``; a form feed or a repeated HD starts one."""
    articles: list[list[tuple[str, list[str]]]] = []
    current: list[tuple[str, list[str]]] = []
    for line in lines:
        if "\f" in line:
            for part in line.split("\f")[:-1]:
                if current and part.strip():
                    current[-1][1].append(part)
                if current:
                    articles.append(current)
                current = []
            line = line.split("\f")[-1]
        found = _code(line)
        if found:
            code, value = found
            if code == "HD" and any(c == "HD" for c, _ in current):
                articles.append(current)
                current = []
            current.append((code, [value] if value else []))
        elif current:
            current[-1][1].append(line)
    if current:
        articles.append(current)
    return [a for a in articles if any(c == "HD" for c, _ in a) or any(c in _TEXT_CODES for c, _ in a)]


def _paragraphs(lines: list[str]) -> list[str]:
    """Value lines → paragraphs: blank lines separate them when there are any, else each line is one."""
    text = "\n".join(line.strip(" \t|\u00a0") for line in lines).strip()
    if not text:
        return []
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [" ".join(p.split()) for p in parts if p.strip()]


def records_from_lines(lines: list[str], source: str) -> tuple[list[dict], list[Problem]]:
    """Factiva records from the text lines of an export (see the module docstring)."""
    records, problems = [], []
    for number, fields in enumerate(_blocks(lines), start=1):
        try:
            record: dict = {"extra": {}, "source": source, "record": number, "unit": "article"}
            body: list[str] = []
            for code, value in fields:
                paragraphs = _paragraphs(value)
                if code in _TEXT_CODES:
                    body.extend(paragraphs)
                    continue
                joined = " ".join(paragraphs)
                if code == "HD":
                    record["title"] = joined
                elif code == "SN":
                    record["outlet"] = joined
                elif code == "PD":
                    record["date"] = joined
                elif code == "BY":
                    record["byline"] = joined
                elif code == "AN":  # only its first line: a search summary may follow it
                    first = paragraphs[0] if paragraphs else ""
                    m = _AN_RE.match(first)
                    record["id"] = m.group(1) if m else first
                    record["extra"]["an"] = first
                else:
                    key = code.lower()
                    record["extra"][key] = f"{record['extra'][key]}; {joined}" if key in record["extra"] else joined
            record["text"] = "\n\n".join(body)
            records.append(record)
        except Exception as exc:  # a layout we did not foresee must not stop the other articles
            problems.append(Problem(source, 0, f"article {number} could not be read ({type(exc).__name__}: {exc})",
                                    "check that article in the export; the other articles were read"))
    if not records and not problems:
        problems.append(Problem(source, 0, "no Factiva articles found (no HD/LP/TD field codes)",
                                'export with the display option "Full Article/Report plus Indexing"'))
    return records, problems


def rtf_text(data: bytes) -> str:
    """The plain text of RTF bytes (striprtf; RTF is 7-bit, so the bytes are read as Latin-1)."""
    from striprtf.striprtf import rtf_to_text

    # striprtf turns a page break into blank lines; keep it as a form feed, Factiva's article break
    rtf = _PAGE_RE.sub(r"\\par \f ", data.decode("latin-1"))
    return rtf_to_text(rtf, errors="replace")


def read_factiva_rtf(path: str | Path, data: bytes | None = None) -> tuple[list[dict], list[Problem]]:
    """Records of a Factiva RTF export (``data``: the file's bytes, if already read)."""
    source = str(path)
    try:
        text = rtf_text(Path(path).read_bytes() if data is None else data)
    except Exception as exc:  # striprtf raises plain exceptions for broken groups
        return [], [Problem(source, 0, f"the RTF file cannot be read ({type(exc).__name__}: {exc})",
                            "open it in a word processor and save it again as .rtf")]
    return records_from_lines(text.split("\n"), source)


class _Lines(HTMLParser):
    """Visible text of an HTML page as lines: block elements and table cells end a line, a
    bold element holding only a field code becomes a line of its own."""

    BREAKS = frozenset({"p", "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "tbody", "thead", "section", "article", "pre", "blockquote", "dd", "dt"})
    DROPPED = frozenset({"script", "style", "head", "title", "noscript", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.bold: list[str] | None = None
        self.dropped = 0

    def _end_line(self):
        line = " ".join("".join(self.current).split())
        self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            self.dropped += 1
        elif tag in ("b", "strong"):
            self.bold = []
        elif tag in self.BREAKS:
            if tag in ("p", "div", "table") and self.current:
                self._end_line()
                self.lines.append("")  # a paragraph break
            elif tag in self.BREAKS:
                self._end_line()

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in ("b", "strong") and self.bold is not None:
            raw, self.bold = self.bold, None
            text = " ".join("".join(raw).split())
            if text in CODES:
                self._end_line()
                self.current = [text]
                self._end_line()
            else:
                self.current.append("".join(raw))
        elif tag in ("p", "div"):
            self._end_line()
            self.lines.append("")
        elif tag in self.BREAKS:
            self._end_line()

    def handle_data(self, data):
        if self.dropped:
            return
        (self.bold if self.bold is not None else self.current).append(data)


def html_lines(html: str) -> list[str]:
    """The lines of an HTML page as read for Factiva fields (see ``_Lines``)."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return parser.lines


def looks_like_factiva_html(html: str) -> bool:
    """True when the HTML page's lines hold Factiva field codes (see ``looks_like_factiva``)."""
    return looks_like_factiva("\n".join(html_lines(html)))


def read_factiva_html(path: str | Path, html: str) -> tuple[list[dict], list[Problem]]:
    """Records of a Factiva HTML export whose decoded text is ``html``."""
    return records_from_lines(html_lines(html), str(path))
