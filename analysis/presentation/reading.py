"""A highlighted reading view of one article: markers coloured by the side they count for.

The article's text is untrusted: every character of it is HTML-escaped, so markup inside an
article is shown, never executed. The exported page also carries a Content-Security-Policy
that forbids scripts altogether. The view keeps the text exactly: stripping the tags from
``fragment(...)`` and unescaping the entities gives back ``doc.text`` character for character.
Each mark's tooltip gives concept, category, lexicon side and counted side, voice, rule,
neutral alternative and source.
"""
from __future__ import annotations

import html
import os

import pandas as pd

from analysis import files
from analysis.corpus import Document
from analysis.presentation.labels import clean
from analysis.presentation.plots import side_colours

#: Longest page title, in characters (bidirectional controls are removed from it).
MAX_TITLE = 300

_CSS = """
.framing-reading{font-family:Georgia,serif;line-height:1.5;white-space:pre-wrap;max-width:46em}
.framing-reading mark{padding:0 .1em;border-radius:.2em;color:#000}
.framing-reading mark.attributed{border-bottom:2px dotted #000}
.framing-headline{font-weight:bold;font-size:1.25em}
.framing-caption{font-style:italic;color:#444}
.framing-legend span{display:inline-block;padding:0 .4em;margin-right:.4em;border-radius:.2em}
"""


def _css(colours: dict[str, str]) -> str:
    return _CSS + "".join(f".side-{side}{{background:{colour}55}}\n" for side, colour in colours.items())


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _tooltip(hit) -> str:
    parts = [f"{hit.concept} ({hit.category})", f"side: {hit.side} (lexicon: {hit.lexicon_side}, {hit.strength})",
             f"voice: {hit.voice}"]
    if _text(hit.rule):
        parts.append(f"rule: {hit.rule}")
    if _text(hit.neutral_alternative):
        parts.append(f"neutral alternative: {hit.neutral_alternative}")
    if _text(hit.source).split():
        parts.append(f"source: {hit.source.split()[0]}")
    return " | ".join(parts)


def _marked(doc: Document, hits: list, start: int, end: int) -> str:
    """Escaped ``doc.text[start:end]`` with a ``<mark>`` around each hit (rows, by start) inside it."""
    out, pos = [], start
    for hit in hits:
        if hit.start < start or hit.end > end or hit.start < pos:
            continue
        out.append(html.escape(doc.text[pos:hit.start], quote=True))
        out.append(f'<mark class="side-{hit.side} {hit.voice}" title="{html.escape(_tooltip(hit), quote=True)}">'
                   f"{html.escape(doc.text[hit.start:hit.end], quote=True)}</mark>")
        pos = hit.end
    out.append(html.escape(doc.text[pos:end], quote=True))
    return "".join(out)


def fragment(doc: Document, hits: pd.DataFrame) -> str:
    """The article as escaped HTML: one ``<mark>`` per hit (hits must not overlap), headline and
    caption wrapped in styled spans."""
    hits = list(hits[hits["doc_id"] == doc.doc_id].sort_values("start", kind="mergesort").itertuples(index=False))
    out, pos = [], 0
    for p in doc.paragraphs:
        if p.section in ("headline", "caption"):
            out.append(_marked(doc, hits, pos, p.start))
            out.append(f'<span class="framing-{p.section}">{_marked(doc, hits, p.start, p.end)}</span>')
            pos = p.end
    out.append(_marked(doc, hits, pos, len(doc.text)))
    return '<div class="framing-reading">' + "".join(out) + "</div>"


def legend(colours: dict[str, str]) -> str:
    """A one-line colour key for the sides."""
    keys = "".join(f'<span class="side-{side}">{html.escape(side)}</span>' for side in colours)
    return f'<p class="framing-legend">Counted side: {keys} · dotted underline = attributed (someone else\'s words)</p>'


class ReadingView:
    """Notebook display (``_repr_html_``) and file export of one highlighted article."""

    def __init__(self, doc: Document, hits: pd.DataFrame, colours: dict[str, str] | None = None):
        self.doc = doc
        self.hits = hits
        self.colours = side_colours(colours)
        self.body = fragment(doc, hits)

    def __repr__(self) -> str:
        n = int((self.hits["doc_id"] == self.doc.doc_id).sum()) if len(self.hits) else 0
        return f"<reading view of {self.doc.doc_id}: {n} marked>"

    def _repr_html_(self) -> str:
        return f"<style>{_css(self.colours)}</style>{legend(self.colours)}{self.body}"

    def page(self) -> str:
        """A standalone HTML page; its policy forbids every script, inline or not."""
        title = html.escape(clean(f"{self.doc.doc_id}: {self.doc.meta.get('title', '')}", MAX_TITLE), quote=True)
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                f"<title>{title}</title><style>{_css(self.colours)}</style></head><body>"
                f"<h1>{title}</h1>{legend(self.colours)}{self.body}</body></html>\n")

    def write(self, name: str, out: str | os.PathLike | None = None):
        """Write ``<out>/<name>.html`` atomically; return its path."""
        return files.write_bytes_atomic(files.output_path(name, "html", out), self.page().encode("utf-8"))


def view(doc: Document, hits: pd.DataFrame, colours: dict[str, str] | None = None) -> ReadingView:
    """The highlighted reading view of ``doc`` with the evidence rows ``hits``."""
    return ReadingView(doc, hits, colours)
