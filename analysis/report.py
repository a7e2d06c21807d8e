"""Execute the numbered notebooks headless, in place, with a fresh kernel each.

Execution counts therefore read 1…n, no timing metadata is recorded, and the kernel starts in
``notebooks/`` exactly as nbval's does. The seeds and output folders reach the notebooks
through ``FRAMING_SEEDS`` / ``FRAMING_FIGURES`` (see ``config``), so the same notebooks run on
another corpus without being edited.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from . import config
from .export import write_bytes_atomic

#: Seconds a single cell may run before the run is aborted.
CELL_TIMEOUT = 900


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``), in order."""
    folder = folder or config.NOTEBOOKS
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


@contextmanager
def _environment(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def execute(path: Path, seeds: Path | None = None, figures: Path | None = None,
            output: Path | None = None) -> Path:
    """Run one notebook top to bottom and write it (in place unless ``output`` is given).

    Raises ``nbclient.exceptions.CellExecutionError`` if a cell fails; the notebook file is
    then left as it was.
    """
    nb = nbformat.read(path, as_version=4)
    env = {"FRAMING_SEEDS": str(config.seeds_dir(seeds)), "FRAMING_FIGURES": str(config.figures_dir(figures))}
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with _environment(env):
        client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    target = output or path
    write_bytes_atomic(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
    return target
