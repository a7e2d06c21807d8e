"""Chart functions. Each takes the exact table it plots and returns a matplotlib ``Figure``.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never through
pyplot's global state, so nothing leaks between notebook cells and no display is needed.
Write them with ``export.figure(fig, data, name)``.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: the workbook never opens a window

import pandas as pd
from matplotlib.figure import Figure

#: One colour per framing side, used by every marker chart (colour-blind-safe Okabe–Ito hues).
SIDE_COLOURS = {
    "az": "#0072B2",    # blue
    "am": "#D55E00",    # vermillion
    "wire": "#999999",  # grey
    "both": "#CC79A7",  # reddish purple
    "none": "#E69F00",  # orange
}
#: Default figure size in inches (width, height).
FIGSIZE = (7.0, 4.0)


def new_figure(figsize: tuple[float, float] = FIGSIZE, nrows: int = 1, ncols: int = 1, **kwargs):
    """A fresh Figure and its axes (``layout='constrained'`` so labels never overlap)."""
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def barh(data: pd.DataFrame, label: str, value: str, title: str, xlabel: str,
         colour: str | None = None, colours: list[str] | None = None) -> Figure:
    """Horizontal bars, first row on top; ``data`` must already be sorted and cut."""
    height = max(2.5, 0.3 * len(data) + 1.2)
    fig, ax = new_figure((FIGSIZE[0], height))
    positions = range(len(data))[::-1]
    ax.barh(list(positions), data[value].tolist(), color=colours or colour or "#0072B2")
    ax.set_yticks(list(positions), data[label].astype(str).tolist())
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return fig


def grouped_barh(data: pd.DataFrame, label: str, group: str, value: str, title: str, xlabel: str,
                 colours: dict[str, str] | None = None) -> Figure:
    """Bars of ``value`` per ``label``, one bar per ``group`` side by side (long-format input).

    Labels keep their order of first appearance in ``data``; groups are sorted.
    """
    labels = list(dict.fromkeys(data[label].astype(str)))
    groups = sorted(data[group].astype(str).unique())
    wide = data.assign(**{label: data[label].astype(str), group: data[group].astype(str)}).pivot_table(
        index=label, columns=group, values=value, aggfunc="sum", fill_value=0).reindex(index=labels, columns=groups)
    height = max(2.5, 0.25 * len(labels) * max(1, len(groups)) ** 0.5 + 1.5)
    fig, ax = new_figure((FIGSIZE[0], height))
    bar = 0.8 / max(1, len(groups))
    for i, g in enumerate(groups):
        ys = [len(labels) - 1 - k + (len(groups) - 1 - i) * bar - 0.4 + bar / 2 for k in range(len(labels))]
        ax.barh(ys, wide[g].fillna(0).tolist(), height=bar, label=g, color=(colours or {}).get(g))
    ax.set_yticks([len(labels) - 1 - k for k in range(len(labels))], labels)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="lower right")
    return fig


#: One colour per article section, in reading order.
SECTION_COLOURS = {"headline": "#000000", "caption": "#56B4E9", "lead": "#009E73", "body": "#BBBBBB"}


def words_by_section(data: pd.DataFrame) -> Figure:
    """Stacked horizontal bars: words per document, split by section (``doc_id, section, n_words``)."""
    docs = list(dict.fromkeys(data["doc_id"]))
    fig, ax = new_figure((FIGSIZE[0], max(2.5, 0.5 * len(docs) + 1.2)))
    left = [0] * len(docs)
    ys = list(range(len(docs)))[::-1]
    for section, colour in SECTION_COLOURS.items():
        part = data[data["section"] == section].set_index("doc_id")["n_words"]
        widths = [int(part.get(d, 0)) for d in docs]
        if any(widths):
            ax.barh(ys, widths, left=left, color=colour, label=section)
            left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(ys, docs)
    ax.set_xlabel("words")
    ax.set_title("Words per text, by section")
    ax.legend(fontsize="small", loc="lower right")
    return fig
