"""Publication dates as exporters write them → ``YYYY-MM-DD`` (standard library only).

Accepted forms (surrounding weekday names, clock times and time-zone names are ignored):

* ISO dates and timestamps: ``2023-12-07``, ``2023-12-07T10:00:00Z``, ``2023-12-07 10:00:00+02:00``
  (the date is the one written, never converted to another time zone), ``2023/12/07``;
* day, month name, year: ``7 December 2023``, ``7 Dec. 2023``, ``7th of December 2023``,
  ``7. Dezember 2023`` (Factiva's PD field, RFC 2822 ``Thu, 07 Dec 2023 10:00:00 +0000``);
* month name, day, year: ``December 7, 2023``, ``Dec 7, 2023``, ``Thursday, December 7, 2023``,
  Nexis's ``December 7, 2023 Thursday 10:00 PM GMT``;
* numbers: ``07.12.2023``, ``07/12/2023``, ``7-12-2023``: day and month order from ``dayfirst``.
  When it is ``None`` and both numbers are at most 12 (and differ) the date is *ambiguous*.

Month names: English, German and French (Nexis and Factiva exports from those interfaces).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

#: Month names and abbreviations (English, German, French), accents folded, lower case.
MONTHS = {
    **{name: n for n, names in enumerate((
        ("january", "jan", "januar", "janvier", "janv", "jaenner"),
        ("february", "feb", "februar", "fevrier", "fevr", "fev"),
        ("march", "mar", "marz", "maerz", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juni", "juin"),
        ("july", "jul", "juli", "juillet", "juil"),
        ("august", "aug", "aout"),
        ("september", "sep", "sept"),
        ("october", "oct", "oktober", "okt", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "dezember", "dez", "decembre"),
    ), start=1) for name in names},
}
_WEEKDAYS = ("monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thu|friday|fri|saturday|sat|sunday|sun|"
             "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
             "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche")
_ISO_RE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
                     r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?",
                     re.IGNORECASE)
_TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?"
                      r"|\b\d{1,2}h\d{2}\b", re.IGNORECASE)
_ZONE_RE = re.compile(r"(?<![\w+-])(?:[+-]\d{2}:?\d{2}|z|utc|gmt|bst|cet|cest|eet|eest|msk|est|edt|cst|cdt|mst|mdt|"
                      r"pst|pdt|ist|jst|aest|aedt)(?:[+-]\d{1,2}(?::?\d{2})?)?(?!\w)")
_WEEKDAY_RE = re.compile(rf"\b(?:{_WEEKDAYS})\b\.?")
_DMY_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er)?\.? (?:of |de )?([a-z]+)\.? (\d{4})")
_MDY_RE = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)? (\d{4})")
_NUMERIC_RE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")

#: Reasons ``classify`` gives for a value it cannot turn into a date.
EMPTY, AMBIGUOUS, UNPARSEABLE = "empty", "ambiguous", "unparseable"


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value.lower().replace("ä", "ae"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _clean(value: str) -> str:
    text = _TIME_RE.sub(" ", _fold(value))
    text = _WEEKDAY_RE.sub(" ", _ZONE_RE.sub(" ", text))
    text = re.sub(r"[,()]", " ", text)
    return " ".join(text.split()).strip(" .;-")


def numeric_order(value: str) -> bool | None:
    """For a ``dd.mm.yyyy``-like value: True if only day-first reading is valid, False if only
    month-first is, None if both or neither are (or the value is not numeric)."""
    m = _NUMERIC_RE.fullmatch(_clean(str(value)))
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    day_first, month_first = _iso(year, b, a) is not None, _iso(year, a, b) is not None
    return day_first if day_first != month_first else None


def classify(value, dayfirst: bool | None = None) -> tuple[str | None, str]:
    """``(YYYY-MM-DD, "")`` for a date, else ``(None, reason)`` with reason EMPTY, AMBIGUOUS or
    UNPARSEABLE. ``value`` may be a ``str``, ``datetime.date`` or ``datetime.datetime``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, dt.date):
        return value.isoformat(), ""
    text = "" if value is None else str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none", "null"):
        return None, EMPTY
    m = _ISO_RE.fullmatch(text)
    if m:
        found = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (found, "") if found else (None, UNPARSEABLE)
    clean = _clean(text)
    m = _DMY_RE.fullmatch(clean)
    if m and m.group(2) in MONTHS:
        found = _iso(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        return (found, "") if found else (None, UNPARSEABLE)
    m = _MDY_RE.fullmatch(clean)
    if m and m.group(1) in MONTHS:
        found = _iso(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
        return (found, "") if found else (None, UNPARSEABLE)
    m = _NUMERIC_RE.fullmatch(clean)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day_first, month_first = _iso(year, b, a), _iso(year, a, b)
        if day_first and month_first and day_first != month_first:
            if dayfirst is None:
                return None, AMBIGUOUS
            return (day_first if dayfirst else month_first), ""
        found = day_first or month_first  # only one reading is a real date
        return (found, "") if found else (None, UNPARSEABLE)
    return None, UNPARSEABLE


def parse_date(value, dayfirst: bool | None = None) -> str | None:
    """The date in ``value`` as ``YYYY-MM-DD``, or None when it is empty, ambiguous or not a date."""
    return classify(value, dayfirst)[0]


def infer_dayfirst(values) -> bool | None:
    """The day/month order shown by a column's unambiguous numeric dates (``25/12/2023`` → True),
    or None when there is none or they disagree."""
    orders = {numeric_order(v) for v in values if isinstance(v, str)} - {None}
    return orders.pop() if len(orders) == 1 else None


def is_date_line(line: str) -> bool:
    """True when the whole line is a date (with optional weekday, time and zone)."""
    return classify(line, dayfirst=True)[0] is not None
