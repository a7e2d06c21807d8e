"""Rates: every rate in the workbook is a count per ``config.RATE_PER`` (1,000) words.

The denominator is ``Document.n_words``: the words (tokens with a letter, stop words included)
of the analysed text, from the headline to the last paragraph; a metadata header is not counted.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from analysis import config


def rate(n: float, n_words: int) -> float:
    """``n`` per 1,000 words of ``n_words`` (0.0 when there are no words)."""
    return n / n_words * config.RATE_PER if n_words else 0.0


def in_given_order(values: pd.Series, order: Iterable) -> pd.Categorical:
    """``values`` as an ordered categorical whose order is ``order`` (e.g. groups in manifest
    order), so that sorting keeps it; values not in ``order`` come last, in first-appearance order."""
    categories = list(dict.fromkeys(list(order) + list(values)))
    return pd.Categorical(values, categories=categories, ordered=True)
