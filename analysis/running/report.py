"""Execute the numbered notebooks headless, with a fresh kernel each; export them as HTML.

On the shipped ``seeds/`` and ``figures/`` the notebooks are rewritten in place; for any other
seeds or output folder the executed copies go to ``<out>/notebooks/`` instead (``is_elsewhere``),
so the committed notebooks never show another corpus. ``export_html`` writes the reading view
for readers without Jupyter to ``<out>/html/``.

Each notebook gets a fresh kernel, so execution counts read 1…n; no timing metadata is
recorded, and the kernel starts in ``notebooks/`` exactly as nbval's does. The seeds and output
folders reach the notebooks through ``FRAMING_SEEDS`` / ``FRAMING_FIGURES`` (see ``config``), so
the same notebooks run on another corpus without being edited.

``execute_all`` first analyses every text missing from the output folder's result cache
(``prepare``, on ``jobs`` processes), so each notebook reads the per-text results instead of
computing them, then runs up to ``jobs`` notebooks at once, and last writes the methods
appendix ``methods.md`` (``analysis.methods``) into the output folder, so the figures and tables
there always come with how they were made; the file is deterministic (no dates, no absolute
paths) and equal to the one ``run`` writes for the same seeds.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from analysis import config
from analysis.framing import packs
from analysis.presentation import export
from analysis.running import methods, notebook, pipeline
from analysis.files import write_bytes_atomic

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
            output: Path | None = None, story: list[str] | None = None) -> Path:
    """Run one notebook top to bottom and write it (in place unless ``output`` is given).

    Raises ``nbclient.exceptions.CellExecutionError`` if a cell fails; the notebook file is
    then left as it was.
    """
    nb = nbformat.read(path, as_version=4)
    env = {"FRAMING_SEEDS": str(config.seeds_dir(seeds)), "FRAMING_FIGURES": str(config.figures_dir(figures)),
           config.STORY_ENV: config.STORY_SEPARATOR.join(str(Path(s).resolve()) if Path(s).exists() else s
                                                         for s in story or [])}
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with _environment(env):
        client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    target = output or path
    write_bytes_atomic(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
    return target


def _execute_one(path: Path, seeds, figures, output, story) -> tuple[Path, Path | None, str | None]:
    """``execute`` for a worker process: (notebook, written file or None, error text or None)."""
    try:
        return path, execute(path, seeds, figures, output, story), None
    except CellExecutionError as exc:
        return path, None, str(exc)


def execute_all(paths: list[Path], seeds: Path | None = None, figures: Path | None = None,
                story: list[str] | None = None, jobs: int = 1, elsewhere: bool = False,
                done: Callable[[Path, Path | None, str | None], None] | None = None) -> list[tuple]:
    """Analyse every text missing from the output folder's cache (on ``jobs`` processes), then
    execute ``paths`` on up to ``jobs`` kernels at once, then write ``methods.md``.

    Each notebook writes only its own files, so running several at once changes nothing they
    write. Returns ``(notebook, written file or None, error text or None)`` in the order given;
    ``done`` is called with each as it finishes. Executed copies go to ``<out>/notebooks/``
    when ``elsewhere``.
    """
    prepare(seeds, figures, story, jobs)
    calls = [(path, seeds, figures, executed_path(path, figures) if elsewhere else None, story) for path in paths]
    finished = {}
    if jobs <= 1 or len(paths) <= 1 or not export.CAN_LOCK:  # side by side only where the record locks
        for call in calls:
            finished[call[0]] = _execute_one(*call)
            if done:
                done(*finished[call[0]])
    else:
        with ProcessPoolExecutor(min(jobs, len(paths)), mp_context=multiprocessing.get_context("spawn")) as pool:
            for future in as_completed([pool.submit(_execute_one, *call) for call in calls]):
                result = future.result()
                finished[result[0]] = result
                if done:
                    done(*result)
    write_methods(seeds, figures, story)
    return [finished[path] for path in paths]


def prepare(seeds: Path | None = None, figures: Path | None = None, story: list[str] | None = None,
            jobs: int = 1) -> int:
    """Analyse the texts of ``seeds`` that the cache of ``figures`` lacks, on ``jobs`` processes,
    and store them, so the notebooks read every text's results instead of each computing them.
    Returns the number of texts analysed."""
    seeds_path, out = config.seeds_dir(seeds), config.figures_dir(figures)
    packs.activate(seeds_path, story)
    store = notebook.result_cache(out, seeds_path)
    if store is None:
        return 0
    loaded, _, cached = pipeline.load_and_analyse(seeds_path, store, jobs)
    return len(loaded) - cached


def write_methods(seeds: Path | str | None = None, figures: Path | str | None = None,
                  story: list[str] | None = None) -> Path:
    """Write ``<figures>/methods.md``, the methods appendix of the corpus in ``seeds``."""
    seeds_path = config.seeds_dir(seeds)
    packs.activate(seeds_path, story)
    page = methods.markdown(pipeline.load(seeds_path, notebook.result_cache(config.figures_dir(figures), seeds_path)),
                            seeds_path)
    return write_bytes_atomic(config.figures_dir(figures) / "methods.md", page.encode("utf-8"))


def is_elsewhere(seeds: Path | str | None = None, figures: Path | str | None = None,
                 story: list[str] | None = None) -> bool:
    """True when the run reads another seeds folder or writes another output folder than the
    shipped ``seeds/`` and ``figures/``: the executed notebooks then go to the output folder and
    the committed notebooks are left unchanged."""
    return (bool(story) or config.seeds_dir(seeds).resolve() != config.DEFAULT_SEEDS.resolve()
            or config.figures_dir(figures).resolve() != config.DEFAULT_FIGURES.resolve())


def executed_path(path: Path, figures: Path | str | None = None) -> Path:
    """Where an executed copy of notebook ``path`` goes: ``<out>/notebooks/<name>.ipynb``."""
    return config.figures_dir(figures) / "notebooks" / path.name


def html_path(path: Path, figures: Path | str | None = None) -> Path:
    """Where the HTML reading view of notebook ``path`` goes: ``<out>/html/<name>.html``."""
    return config.figures_dir(figures) / "html" / f"{path.stem}.html"


def export_html(notebook: Path, target: Path) -> Path:
    """Write an executed notebook as standalone HTML (outputs kept, tables as HTML, images inline)."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    return write_bytes_atomic(target, body.encode("utf-8"))
