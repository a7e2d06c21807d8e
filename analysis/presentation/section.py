"""A notebook section's outputs: what it writes (tables, figures, pages) and what it shows.

A section function takes a ``Workbook`` and returns a ``Section``: a list of items in reading
order. ``Section.write(out)`` writes every table, figure and page; in a notebook the section
shows each item (a table's first rows, a figure with its text summary, a sentence). The batch
run and the notebooks call the same section functions, so both write the same bytes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis import files
from analysis.presentation import export

#: Rows of a table shown in a notebook; the full table is in its CSV.
SHOWN_ROWS = 20


@dataclass
class Table:
    """A table written as ``<name>.csv``; shown as ``columns`` (all if None) of ``view`` (the
    rows to show; all if None), first rows, rounded."""

    name: str
    data: pd.DataFrame
    columns: list[str] | None = None
    view: pd.DataFrame | None = None
    show: bool = True
    transpose: bool = False


@dataclass
class Chart:
    """A figure written as PNG, SVG and PDF plus the CSV of exactly the data plotted."""

    name: str
    figure: Figure
    data: pd.DataFrame
    summary: str | None = None


@dataclass
class Pages:
    """HTML pages (name → object with ``write(name, out)``); ``shown`` is displayed, if any."""

    pages: dict
    shown: object = None


@dataclass
class File:
    """Bytes written as ``<name>.<suffix>`` (a file with its own format: a coding sheet with its
    design lines, a Markdown paragraph)."""

    name: str
    suffix: str
    data: bytes


@dataclass
class Text:
    """A sentence or paragraph printed in the notebook (generated from the results)."""

    text: str


@dataclass
class Show:
    """A table or object shown in the notebook and not written (a worked example)."""

    data: object


@dataclass
class Section:
    """The items of one notebook section, in reading order."""

    items: list = field(default_factory=list)
    written: dict = field(default_factory=dict)

    def outputs(self) -> list[str]:
        """Names of everything the section writes (page names for pages)."""
        names = []
        for item in self.items:
            if isinstance(item, (Table, Chart, File)):
                names.append(item.name)
            elif isinstance(item, Pages):
                names.extend(item.pages)
        return names

    def write(self, out: str | os.PathLike | None = None, note: str = "") -> dict[str, list[Path]]:
        """Write every table, figure and page into ``out``; return ``{"tables", "figures", "pages"}``
        paths (figures as their PNG). ``note`` (the source note) is printed under every figure."""
        paths: dict[str, list[Path]] = {"tables": [], "figures": [], "pages": []}
        for item in self.items:
            if isinstance(item, Table):
                paths["tables"].append(export.table(item.data, item.name, out))
            elif isinstance(item, Chart):
                self.written[item.name] = export.figure(item.figure, item.data, item.name, out, item.summary, note)
                paths["figures"].append(self.written[item.name].paths["png"])
            elif isinstance(item, Pages):
                paths["pages"] += [page.write(name, out) for name, page in item.pages.items()]
            elif isinstance(item, File):
                paths["tables"].append(files.write_bytes_atomic(files.output_path(item.name, item.suffix, out), item.data))
        return paths

    def _ipython_display_(self):  # pragma: no cover - exercised by the notebooks
        from IPython.display import display

        for item in self.items:
            if isinstance(item, Table) and item.show:
                shown = item.data if item.view is None else item.view
                shown = shown if item.columns is None else shown[item.columns]
                display(_head(shown.T if item.transpose else shown, item.name))
                if len(shown) > SHOWN_ROWS and not item.transpose:
                    print(f"… {len(shown) - SHOWN_ROWS:,} more rows in {item.name}.csv")
            elif isinstance(item, Chart):
                display(self.written.get(item.name) or item.data.head(SHOWN_ROWS))
            elif isinstance(item, Pages) and item.shown is not None:
                display(item.shown)
            elif isinstance(item, Text):
                print(item.text)
            elif isinstance(item, Show):
                display(item.data.round(3) if isinstance(item.data, pd.DataFrame) else item.data)


def _head(data: pd.DataFrame, name: str) -> pd.DataFrame:
    return data.head(SHOWN_ROWS).round(3)
