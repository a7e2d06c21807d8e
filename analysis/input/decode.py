"""Bytes of an input file → the text the workbook analyses, plus warnings about what was assumed.

Encodings, tried in this order:

* a byte-order mark decides: UTF-8, UTF-16 (LE/BE) or UTF-32 (LE/BE); the mark is dropped;
* otherwise UTF-8;
* otherwise Windows-1252 (cp1252), and if even that fails Latin-1 (ISO-8859-1), with a
  warning naming the file and the line of the first byte that is not UTF-8.

A file that is binary (a NUL byte without a UTF-16/32 byte-order mark, a known binary
signature such as a PDF, Word or image file, or more than ``MAX_CONTROL_SHARE`` control
characters) is an error, as is a file larger than ``MAX_ARTICLE_BYTES``.

Formats:

* **HTML** saved as text (the first thing in the file is an HTML document or block tag, see
  ``HTML_START_RE``) is converted to text with the standard library's ``html.parser``:
  ``script``, ``style``, ``noscript``, ``template``, ``title`` and ``svg`` content is dropped,
  block elements (``p``, ``div``, ``h1``… ``li``, ``br``) become paragraph breaks (a blank line)
  and entities are decoded. Offsets of paragraphs, sentences and matches then refer to this
  **extracted text**, not to the HTML file. A warning says so. HTML-like text inside a plain
  article (``<script>`` in the middle of a story about it) is left as text.
* **Markdown** is read as plain text and never altered, so offsets stay those of the file:
  ``#``, ``*`` and ``_`` are not word characters and do not change word counts; a ``# `` title
  line is the headline, ``## `` lines separated by blank lines become paragraphs of their own,
  and link addresses ``[text](https://…)`` *are* counted as words. A warning names the markup
  found.

The decoded text is put in Unicode NFC form (composed characters, as the lexicon is written),
with a warning when that changed it; offsets then refer to the normalised text.

Checks on the decoded text: non-English text (stop-word share and share of non-Latin letters,
see the thresholds below; short texts are judged on their own thresholds) gives a warning
"sentiment and markers are English-only"; words that mix Latin with Cyrillic or Greek letters
(look-alike letters, which match no lexicon entry) give a warning naming the first; two files
with the same normalised text give a warning naming both.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from analysis import text as textmod
from analysis.problems import InputError, Problem, display, warning

#: Largest article file read, in bytes. A long news article is under 100 kB; 100 MB is a
#: thousand times that and still fits comfortably in memory with its tables.
MAX_ARTICLE_BYTES = 100 * 1024 * 1024

#: Most control characters (other than tab, newline, carriage return, form feed) a text may
#: hold, as a share of its characters, before it is taken as binary. Random bytes read as
#: Latin-1 give about 0.25; a text file has none or a stray one.
MAX_CONTROL_SHARE = 0.05
#: …and at least this many of them (one stray character in a short note is not binary).
MIN_BINARY_CONTROLS = 4

#: Language check. English running text has 0.39-0.44 of its words in the shipped stop-word
#: list (measured on the four shipped articles); German and French paraphrases of a wire
#: sentence give 0.04-0.07. Below ``MIN_ENGLISH_STOPWORD_SHARE`` the text is reported as not
#: English.
MIN_ENGLISH_STOPWORD_SHARE = 0.20
#: Above this share of letters outside the Latin script (Cyrillic, Armenian, Arabic…) the text
#: is reported as not English, whatever its stop words.
MAX_NON_LATIN_SHARE = 0.30
#: Texts with fewer words than this are too short to judge and are not checked.
MIN_WORDS_FOR_LANGUAGE_CHECK = 20
#: Texts with fewer words than this are judged on the two short-text signals below: the share
#: of stop words among n words varies by about sqrt(p(1-p)/n) (±0.06 at 60 words), and wire
#: briefs are dense with names and numbers, so two English briefs of 40-60 words measured 0.19.
SHORT_TEXT_WORDS = 80
#: Least English stop-word share of a short text: half the long-text minimum, still above the
#: 0.02-0.07 measured on German, French and Spanish briefs (the test samples).
MIN_SHORT_STOPWORD_SHARE = 0.10
#: Frequent function words of German, French, Spanish, Italian, Portuguese and Dutch that are
#: neither English stop words nor words or names common in English news ("war", "die", "met",
#: "de", "un", "los", "al" are left out). A short text with a larger share of these than of
#: English stop words is reported as not English.
FOREIGN_FUNCTION_WORDS = frozenset("""
    der das und ist nicht mit von zu den dem des ein eine einen einem einer auf für sich auch wird
    werden sind dass bei nach aus wie oder zur zum im vom haben hat wurde über le la les et est une
    du que qui pour dans sur au aux pas avec sont ont cette ces ne se il elle nous vous été el las
    y del por con para una es lo su sus como más pero fue di che della delle degli dei è sono non
    nel nella gli os em não uma dos das ao pela pelo het een van en dat zijn niet voor ook wordt
""".split())
#: Only the first this many characters are checked (the check is a cheap sniff, not a model).
LANGUAGE_SAMPLE_CHARS = 20_000

_BOMS = (  # longest first: the UTF-32-LE mark begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (for example a .docx, .odt or .epub document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
)
_SAVE_AS_TEXT = "open it in its program and save or export it as plain text (.txt, UTF-8)"
_CONTROL_RE = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _line_of(data: bytes, index: int) -> int:
    return data[:index].count(b"\n") + 1


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str, list[Problem]]:
    """Decode a text file's bytes: ``(text, encoding, warnings)``.

    Raises InputError naming ``source`` for binary or undecodable data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise InputError([Problem(source, 0, f"the file starts with a {encoding.upper()} byte-order mark "
                                          f"but is not valid {encoding.upper()} (byte {exc.start + len(bom)})",
                                          "save it again as UTF-8")]) from None
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError([Problem(source, 0, f"this is {kind}, not a text file", _SAVE_AS_TEXT)])
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError([Problem(source, _line_of(data, nul), "the file contains NUL bytes: it is binary, not text "
                                  "(or UTF-16 text without a byte-order mark)", _SAVE_AS_TEXT)])
    warnings: list[Problem] = []
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
            name = "Windows-1252 (cp1252)"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
            name = "Latin-1 (ISO-8859-1)"
        warnings.append(warning(source, line, f"the file is not valid UTF-8 (first bad byte on this line); "
                                f"it was read as {name}",
                                "check its accented letters and quotation marks; save it as UTF-8 "
                                "(in most editors: Save As → Encoding: UTF-8) to remove this warning"))
    controls = len(_CONTROL_RE.findall(text, 0, LANGUAGE_SAMPLE_CHARS))
    if controls >= MIN_BINARY_CONTROLS and controls > MAX_CONTROL_SHARE * min(len(text), LANGUAGE_SAMPLE_CHARS):
        raise InputError([Problem(source, 0, f"the file is binary, not text ({controls} control characters "
                                  f"in its first {min(len(text), LANGUAGE_SAMPLE_CHARS)})", _SAVE_AS_TEXT)])
    return text, encoding, warnings


# --- HTML -------------------------------------------------------------------------------------

#: A file is read as HTML when its first non-blank characters are a doctype, a comment or one
#: of these document/block tags.
HTML_START_RE = re.compile(
    r"\A\s*(?:<!doctype\s+html|<!--|<(?:html|head|body|meta|title|article|main|section|div|p|h[1-6])[\s>/])",
    re.IGNORECASE)
_DROPPED = frozenset({"script", "style", "noscript", "template", "title", "svg"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_SPACE_RE = re.compile(r"\s+")
_BREAKS_RE = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML page with paragraph breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropped += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.pre += tag == "pre"

    def handle_startendtag(self, tag, attrs):
        if tag not in _DROPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if not self.dropped:
            self.parts.append(data if self.pre else _SPACE_RE.sub(" ", data))


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page saved as text (see ``HTML_START_RE``)."""
    return HTML_START_RE.match(text[:4096]) is not None


#: While recovering from markup it cannot complete (an unclosed tag, comment or declaration),
#: the parser rescans the rest of the page once per broken construct. Recovery here works
#: exactly as the parser's own until the text rescanned reaches this many times the page's
#: length; the rest of the page is then taken as text. Only a page with several broken
#: constructs in its first part reaches the bound (one rescan of 1 MB of broken tags took
#: 0.2 s, so the bound keeps recovery near a second per MB); well-formed pages rescan nothing.
_HTML_RESCAN_BUDGET = 4


def _recovery_end(rest: str) -> int:
    """Where ``HTMLParser.close`` ends the text it makes of a construct it cannot complete at
    the start of ``rest``: after the next ``>``, else at the next ``<``, else after the ``<``."""
    k = rest.find(">", 1)
    if k >= 0:
        return k + 1
    k = rest.find("<", 1)
    return k if k >= 0 else 1


def html_to_text(html: str) -> str:
    """The visible text of an HTML page: one blank line between blocks, no markup, entities decoded.

    Linear in the length of the page. ``HTMLParser.feed`` is linear but stops at the first
    construct it cannot complete; ``close`` then turns that construct into text and goes on, but
    rescans the rest of the page for each such construct (quadratic on ``"<a<a<a…"``: 46 s for
    300 kB). That recovery is done here step by step, the same way, within _HTML_RESCAN_BUDGET.
    """
    parser = _TextExtractor()
    parser.feed(html)
    budget = _HTML_RESCAN_BUDGET * len(html)
    while parser.rawdata[:1] == "<" and len(parser.rawdata) > 1 and not parser.cdata_elem:
        rest, parser.rawdata = parser.rawdata, ""
        if budget < len(rest):
            parser.handle_data(unescape(rest))
            break
        budget -= len(rest)
        end = _recovery_end(rest)
        parser.handle_data(unescape(rest[:end]))
        parser.feed(rest[end:])
    parser.close()
    lines = [line.strip(" \t") for line in "".join(parser.parts).split("\n")]
    return _BREAKS_RE.sub("\n\n", "\n".join(lines)).strip("\n")


# --- Markdown ---------------------------------------------------------------------------------

_MD_HEADING_RE = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_LINK_RE = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)[^\s*_](?:[^\n]*?[^\s*_])?\1")


def markdown_problems(text: str, source: str) -> list[Problem]:
    """A warning when the text carries Markdown markup (it is still read as plain text)."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    found = {"'#' heading line(s)": len(_MD_HEADING_RE.findall(sample)),
             "link(s)": len(_MD_LINK_RE.findall(sample)),
             "bold mark(s)": len(_MD_EMPHASIS_RE.findall(sample))}
    if not (found["'#' heading line(s)"] or found["link(s)"]):
        return []
    what = ", ".join(f"{n} {name}" for name, n in found.items() if n)
    hint = "'#', '*' and '_' are not counted as words, so counts are unaffected"
    if found["link(s)"]:
        hint += "; link addresses are counted as words: remove them or keep the link text only"
    return [warning(source, 0, f"the file looks like Markdown ({what}); it is read as plain text, "
                    "markup characters kept (offsets are those of the file)", hint)]


# --- language ---------------------------------------------------------------------------------

#: A character outside the Latin blocks (Basic Latin to Latin Extended-B, Latin Extended
#: Additional, -C, -D and the full-width Latin letters).
_NON_LATIN_RE = re.compile("[^\u0000-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff5a]")


def language_shares(text: str) -> tuple[int, float, float]:
    """``(n_words, stop-word share, non-Latin letter share)`` of the first LANGUAGE_SAMPLE_CHARS characters."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    words = textmod.words(sample)
    stop = textmod.stopwords()
    stop_share = sum(w in stop for w in words) / len(words) if words else 0.0
    letters = sum(map(str.isalpha, sample))
    non_latin = sum(map(str.isalpha, _NON_LATIN_RE.findall(sample))) / letters if letters else 0.0
    return len(words), stop_share, non_latin


def language_problems(text: str, source: str) -> list[Problem]:
    """A warning when the text does not look English (thresholds above); very short texts pass.

    Texts under SHORT_TEXT_WORDS words need only MIN_SHORT_STOPWORD_SHARE English stop words,
    and are also reported when FOREIGN_FUNCTION_WORDS outnumber the English stop words.
    """
    n_words, stop_share, non_latin = language_shares(text)
    if n_words < MIN_WORDS_FOR_LANGUAGE_CHECK:
        return []
    if n_words >= SHORT_TEXT_WORDS:
        if stop_share >= MIN_ENGLISH_STOPWORD_SHARE and non_latin <= MAX_NON_LATIN_SHARE:
            return []
        measures = f"English stop words {stop_share:.2f} of words, minimum {MIN_ENGLISH_STOPWORD_SHARE:.2f}"
    else:
        words = textmod.words(text[:LANGUAGE_SAMPLE_CHARS])
        foreign = sum(w in FOREIGN_FUNCTION_WORDS for w in words) / len(words)
        if stop_share >= MIN_SHORT_STOPWORD_SHARE and foreign <= stop_share and non_latin <= MAX_NON_LATIN_SHARE:
            return []
        measures = (f"English stop words {stop_share:.2f} of words, minimum {MIN_SHORT_STOPWORD_SHARE:.2f} for a text "
                    f"under {SHORT_TEXT_WORDS} words; German, French, Spanish, Italian, Portuguese or Dutch function "
                    f"words {foreign:.2f}")
    return [warning(source, 0, f"the text does not look English ({measures}; non-Latin letters {non_latin:.2f}, "
                    f"maximum {MAX_NON_LATIN_SHARE:.2f}): sentiment and markers are English-only",
                    "analyse an English version of the article, or read its numbers with care")]


# --- Unicode form and scripts -----------------------------------------------------------------

def _line_in(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def nfc(text: str, source: str) -> tuple[str, list[Problem]]:
    """``text`` in Unicode NFC form, with a warning naming the first changed line if it was not."""
    normal, changed = textmod.nfc_form(text)
    if changed < 0:
        return text, []
    return normal, [warning(source, _line_in(text, changed), "the text was not in Unicode NFC form; it was "
                            "normalised, offsets refer to the normalised text (first change on this line)",
                            "save the file with composed characters (NFC) to remove this warning")]


def script_problems(text: str, source: str) -> list[Problem]:
    """A warning naming the first word that mixes Latin with Cyrillic or Greek letters, and their number.

    Such words are usually look-alike letters typed or pasted by mistake (a Cyrillic "а" in
    "khankendi") and match no lexicon entry (``text.mixed_script_words``).
    """
    mixed = textmod.mixed_script_words(text)
    if not mixed:
        return []
    start, end = mixed[0]
    return [warning(source, _line_in(text, start), f"{len(mixed):,} word(s) mix Latin with Cyrillic or Greek "
                    f"letters, the first {text[start:end]!r} on this line; such words match no lexicon entry",
                    "retype the word(s) in Latin letters, or check how the text was copied")]


# --- whole files ------------------------------------------------------------------------------

def prepare(data: bytes, source: str = "<bytes>") -> tuple[str, list[Problem]]:
    """Bytes of an article file → ``(text to analyse, warnings)``; InputError if it has no text."""
    if not data:
        raise InputError([Problem(source, 0, "the file is empty", "put the article's text in it or remove it")])
    text, _, warnings = decode_bytes(data, source)
    text, normalised = nfc(text, source)
    if not text.strip():
        raise InputError([Problem(source, 0, "the file contains no text, only white space",
                                  "put the article's text in it or remove it")])
    if looks_like_html(text):
        text, again = nfc(html_to_text(text), source)   # entities can spell out a decomposed letter
        normalised = normalised or again
        if not text.strip():
            raise InputError([Problem(source, 0, "the file is HTML with no visible text",
                                      "save the article's page again, or copy its text into a .txt file")])
        warnings.append(warning(source, 0, "the file is HTML: its visible text was extracted (scripts, styles and "
                                "markup removed); offsets refer to the extracted text, not to the file",
                                "save the article as plain text to analyse exactly the file's characters"))
    else:
        warnings.extend(markdown_problems(text, source))
    return text, warnings + normalised + script_problems(text, source)


def normalised_sha256(text: str) -> str:
    """SHA-256 of the text after Unicode NFC and collapsing all white space (line endings included)."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def duplicate_problems(sources: list[tuple[str, str]], digests: list[str] | None = None) -> list[Problem]:
    """A warning for every ``(source, text)`` whose normalised text equals an earlier one's
    (``digests``: each text's ``normalised_sha256``, when already known)."""
    first: dict[str, str] = {}
    problems = []
    for number, (source, text) in enumerate(sources):
        digest = digests[number] if digests is not None else normalised_sha256(text)
        if digest in first:
            problems.append(warning(source, 0, f"same text as {display(first[digest])} (identical after normalising "
                                    "white space and Unicode): it is counted twice",
                                    "remove one of the two files, or its manifest row"))
        else:
            first[digest] = source
    return problems
