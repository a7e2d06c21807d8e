"""The notebooks' first step: the corpus and its per-document results, from the run cache.

``open_workbook`` reads the parsed articles and per-document results (marker evidence,
sentence scores, term counts) from the same cache ``run`` and ``report`` fill
(``<figures>/.cache``), computes and stores the missing ones, and hands them to the
``Workbook``, so seven notebooks analyse each text once between them, and a rerun after new
articles arrive analyses only the new ones.
Results from the cache are the ones that would be computed (``running.cache``), so what a
notebook shows does not depend on whether the cache was warm.
"""
from __future__ import annotations

import os

from analysis import config, problems as problemsmod
from analysis.framing import packs
from analysis.presentation.workbook import Workbook
from analysis.running import cache as cachemod, pipeline


def open_workbook(seeds: str | os.PathLike | None = None, figures: str | os.PathLike | None = None,
                  focus: str | None = None, story: str | list[str] | None = None) -> Workbook:
    """Point at the folders, choose the story, load the corpus, print its problems and which
    story packs apply; return the ``Workbook`` on the cached per-document results (texts not in
    the cache are analysed and stored)."""
    config.use(seeds=seeds, figures=figures)
    seeds_path, out = config.seeds_dir(), config.figures_dir()
    chosen = packs.activate(seeds_path, config.stories(story))
    store = result_cache(out, seeds_path)
    corpus, results, _ = pipeline.load_and_analyse(seeds_path, store)
    shown = corpus.problems + chosen.fit([(doc.doc_id, doc.text) for doc in corpus])
    problemsmod.show(shown + (store.problems if store is not None else []))
    print(chosen.describe())
    return pipeline.workbook(corpus, results, out, focus=focus)


def result_cache(out, seeds) -> cachemod.ResultCache | None:
    """The run cache of output folder ``out`` (``<out>/.cache``), or None when it would lie
    inside the seeds folder (results are then computed, not stored)."""
    try:
        return cachemod.ResultCache(cachemod.cache_dir(out, seeds), cachemod.fingerprint())
    except ValueError:
        return None
