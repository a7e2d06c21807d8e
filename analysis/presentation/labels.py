"""Text that goes on a figure, a page or a Markdown table: untrusted (titles, outlets, ids), so
made safe and short here, and internal names turned into plain words."""
from __future__ import annotations

import html
import re

#: Bidirectional controls (U+202A–U+202E, U+2066–U+2069, and the marks U+200E/U+200F/U+061C):
#: they reorder what is displayed and can make one name look like another.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
#: Longest label drawn on a chart axis, in characters (longer ones end with "…").
MAX_LABEL = 40
#: Plain words for the lexicon's categories.
CATEGORY_WORDS = {
    "toponym": "place name", "region": "region name", "entity": "entity name", "actor_label": "label for an actor",
    "event_label": "label for an event", "delegitimiser": "delegitimiser", "euphemism": "euphemism",
    "intensifier": "intensifier or puffery", "attribution_neutral": "neutral attribution (said)",
    "attribution_doubt": "doubting attribution (claimed)", "attribution_endorse": "endorsing attribution (revealed)",
    "hedge": "hedge", "presupposition": "presupposition", "slogan": "slogan",
}


def clean(text, limit: int = MAX_LABEL) -> str:
    """``text`` without bidirectional or control characters, cut to ``limit`` characters with "…"."""
    text = _CONTROL_RE.sub(" ", BIDI_RE.sub("", str(text)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def markdown_cell(text) -> str:
    """A value safe inside a Markdown table cell: no bidi controls, no line breaks, HTML and
    Markdown syntax escaped (``|``, backslash, backtick, ``*``, ``_``, ``[``, ``]``, ``#``, ``<``)."""
    text = html.escape(clean(text, 10_000), quote=False)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", text)


def feature(name: str, side_labels: dict[str, str] | None = None) -> str:
    """A fingerprint column (``category:hedge``, ``side:az``) in plain words."""
    kind, _, value = name.partition(":")
    if kind == "category":
        return CATEGORY_WORDS.get(value, value.replace("_", " "))
    if kind == "side":
        return f"side: {(side_labels or {}).get(value, value)}"
    return name
