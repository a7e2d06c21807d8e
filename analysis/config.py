"""Paths and run-wide settings, anchored at the project root.

Every module, notebook and test takes its paths from here; nothing builds ``'../'`` strings.
The seeds and figures folders can be redirected without editing a notebook, through the
environment variables ``FRAMING_SEEDS`` and ``FRAMING_FIGURES`` (relative paths are taken
from the project root).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = PACKAGE / "data"
NOTEBOOKS = ROOT / "notebooks"

#: Default input and output folders of the shipped workbook.
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_FIGURES = ROOT / "figures"

#: Environment variable naming the story packs of a run (``STORY_SEPARATOR``-joined), so the
#: notebooks executed by ``report`` apply the packs given on its command line.
STORY_ENV = "FRAMING_STORY"
STORY_SEPARATOR = ";"

#: Name of the manifest file inside a seeds folder.
MANIFEST_NAME = "manifest.csv"

#: Words per rate unit: every rate in the workbook is "per 1,000 words".
RATE_PER = 1000

#: Seed for anything random (benchmarks' generated corpora, sampling).
RANDOM_SEED = 20231207


def _resolve(value: str | os.PathLike | None, env: str, default: Path) -> Path:
    chosen = value if value not in (None, "") else os.environ.get(env) or default
    path = Path(chosen).expanduser()
    return path if path.is_absolute() else (ROOT / path)


def seeds_dir(value: str | os.PathLike | None = None) -> Path:
    """The seeds folder: ``value``, else ``$FRAMING_SEEDS``, else ``<root>/seeds``."""
    return _resolve(value, "FRAMING_SEEDS", DEFAULT_SEEDS)


def figures_dir(value: str | os.PathLike | None = None) -> Path:
    """The output folder: ``value``, else ``$FRAMING_FIGURES``, else ``<root>/figures``."""
    return _resolve(value, "FRAMING_FIGURES", DEFAULT_FIGURES)


def use(seeds: str | os.PathLike | None = None, figures: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """Point this process at another seeds and/or output folder (notebook parameters).

    ``None`` keeps the current choice. Returns the folders now in use.
    """
    if seeds not in (None, ""):
        os.environ["FRAMING_SEEDS"] = str(seeds_dir(seeds))
    if figures not in (None, ""):
        os.environ["FRAMING_FIGURES"] = str(figures_dir(figures))
    return seeds_dir(), figures_dir()


def stories(value: str | list[str] | None = None) -> list[str] | None:
    """The story packs asked for: ``value`` (a name or list), else ``$FRAMING_STORY``, else None
    (the seeds folder's ``workbook.toml`` decides)."""
    if value:
        return [value] if isinstance(value, str) else list(value)
    chosen = [s for s in os.environ.get(STORY_ENV, "").split(STORY_SEPARATOR) if s]
    return chosen or None
