"""Execute the numbered notebooks headless, with a fresh kernel each; export them as HTML.

On the shipped ``seeds/`` and ``figures/`` the notebooks are rewritten in place; for any other
seeds or output folder the executed copies go to ``<out>/notebooks/`` instead (``is_elsewhere``),
so the committed notebooks never show another corpus. ``export_html`` writes the reading view
for readers without Jupyter to ``<out>/html/``.

Each notebook gets a fresh kernel, so execution counts read 1…n; no timing metadata is
recorded, and the kernel starts in ``notebooks/`` exactly as nbval's does. The seeds and output
folders reach the notebooks through ``FRAMING_SEEDS`` / ``FRAMING_FIGURES`` (see ``config``), so
the same notebooks run on another corpus without being edited.

Every execution also writes the methods appendix ``methods.md`` (``analysis.methods``) into
the output folder, so the figures and tables there always come with how they were made; the
file is deterministic (no dates, no absolute paths) and equal to the one ``run`` writes for
the same seeds.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from analysis import config, corpus
from analysis.framing import packs
from analysis.running import methods
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
    """Run one notebook top to bottom and write it (in place unless ``output`` is given), then
    write ``methods.md`` into the output folder (``write_methods``).

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
    write_methods(seeds, figures, story)
    return target


def write_methods(seeds: Path | str | None = None, figures: Path | str | None = None,
                  story: list[str] | None = None) -> Path:
    """Write ``<figures>/methods.md``, the methods appendix of the corpus in ``seeds``."""
    seeds_path = config.seeds_dir(seeds)
    packs.activate(seeds_path, story)
    page = methods.markdown(corpus.load_corpus(seeds_path), seeds_path)
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
