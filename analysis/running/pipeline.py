"""The batch run: documents → per-document results (cached, in parallel) → every notebook
section's tables, figures and pages, plus the run's own corpus tables, ``methods.md`` and
``changes.md``, without Jupyter.

``run`` writes the same files, byte for byte, as the notebooks, because both call the section
functions of ``presentation.registry`` — into ``output/`` by default (``DEFAULT_OUTPUT``), never
into ``figures/`` unless asked to; ``report`` alone writes the committed ``figures/``.
"""
from __future__ import annotations

import functools
import gc
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from analysis import config, corpus as corpusmod, files
from analysis.corpus import Corpus
from analysis.corpus.load import read_articles
from analysis.framing import markers, packs
from analysis.measures import terms
from analysis.presentation import export, registry
from analysis.presentation.workbook import Workbook
from analysis.running import cache as cachemod, changes, guard, methods, workers
from analysis.running.articles import ParsedArticles
from analysis.running.aggregate import Aggregate, aggregate, stage_table
from analysis.running.stages import STAGES, DocResult

#: Default output folder of ``run`` (gitignored): the committed ``figures/`` are written by
#: ``report`` only, so a run never leaves untracked files there.
DEFAULT_OUTPUT = config.ROOT / "output"


@dataclass
class RunSummary:
    """What ``run`` did. ``seconds`` is wall time (shown, never written to a file)."""

    documents: int
    from_cache: int
    computed: int
    words: int
    hits: int
    tables: list[Path]
    figures: list[Path]
    problems: list
    seconds: float
    pages: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.documents} documents ({self.computed} computed, {self.from_cache} from cache), "
                f"{self.words:,} words, {self.hits} marker hits, {len(self.tables)} tables, "
                f"{len(self.pages)} pages and {len(self.figures)} figures written, {self.seconds:.1f} s")


#: No tqdm monitor thread: worker processes are forked, and a fork should find no other thread.
tqdm.monitor_interval = 0


def _progress(iterable, total: int, desc: str):
    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)


def analyse(corpus: Corpus, cache=None) -> tuple[dict[str, DocResult], int]:
    """Per-document results of every document, in this process (``cache.result_of``: cached
    ones read, others computed and stored; ``load_and_analyse`` spreads the work over workers).

    Returns ``({doc_id: DocResult}, number read from the cache)``. Invalid cache entries are
    recomputed; their warnings are in ``cache.problems``.
    """
    results: dict[str, DocResult] = {}
    cached = 0
    for doc in _progress(corpus, len(corpus), "analysing"):
        results[doc.doc_id], hit = cachemod.result_of(doc, cache)
        cached += hit
    return results, cached


def load(seeds: Path | None, cache=None) -> Corpus:
    """``corpus.load_corpus(seeds)``, taking unchanged files' parsed articles from ``cache`` (a
    ``cache.ResultCache``) and storing the others there."""
    parsed = ParsedArticles(cache) if cache is not None else None
    return corpusmod.load_corpus(seeds, read_all=functools.partial(read_articles, parsed=parsed))


def load_and_analyse(seeds: Path, cache=None, jobs: int = 1,
                     keep: bool = False) -> tuple[Corpus, dict[str, DocResult], int]:
    """The corpus of ``seeds`` and every document's result, read, parsed and analysed (or read
    from ``cache``) batch by batch (``workers.load_and_analyse``).

    With ``jobs`` > 1 and at least ``workers.PARALLEL_MIN_BYTES`` of articles, ``jobs - 1`` worker
    processes and this one share the batches, so loading is spread over the workers too. Returns ``(corpus, {doc_id: result}, number read
    from the cache)``. ``keep``: the documents and results are frozen for the collector
    (``workers.collector_paused``); the caller unfreezes them."""
    found: dict[int, tuple[DocResult, bool]] = {}
    with workers.pool(jobs) as executor, workers.collector_paused(keep):
        loaded = corpusmod.load_corpus(seeds, read_all=workers.shared_reader(executor, cache, found))
    results = {doc.doc_id: found[id(doc)][0] for doc in loaded}
    return loaded, results, sum(found[id(doc)][1] for doc in loaded)


#: Corpus tables of ``run`` only (not in a notebook): name → (stage, grouping).
RUN_TERM_TABLES = {"terms_by_doc": ("terms", "doc_id"), "terms_by_outlet": ("terms", "outlet"),
                   "bigrams_by_doc": ("bigrams", "doc_id")}


def workbook(corpus: Corpus, results: dict[str, DocResult], out: Path, focus: str | None = None) -> Workbook:
    """The notebooks' ``Workbook`` built on the per-document results (no stage computed twice);
    its term counts are built from the results when asked, not kept for every text."""
    def counts(doc_id: str, ngram: int) -> Counter:
        cols = results[doc_id].columns["terms" if ngram == 1 else "bigrams"]
        return Counter(dict(zip(cols["term"], cols["n"])))

    return Workbook(corpus, out, focus=focus, evidence=stage_table(corpus, results, "markers"),
                    sentences=stage_table(corpus, results, "sentiment"), counts=counts)


def write_outputs(corpus: Corpus, results: dict[str, DocResult], out: Path,
                  agg: Aggregate | None = None) -> tuple[list[Path], list[Path], list[Path]]:
    """Write every notebook section's outputs, each stage's table and the run's corpus tables;
    return (tables, figures, pages) written (figures as their PNG paths). ``agg``: the results'
    ``aggregate``, when already made.

    The texts' sentence scores and marker hits are dropped from ``results`` once joined into the
    workbook's two corpus tables (they are most of a large run's memory)."""
    tables, figures, pages = [], [], []
    agg = agg if agg is not None else aggregate(corpus, results)
    wb = workbook(corpus, results, out)
    joined = {"markers": wb.evidence, "sentiment": wb.sentences}
    for name in STAGES:
        if name not in ("terms", "bigrams"):
            tables.append(export.table(joined[name] if name in joined else stage_table(corpus, results, name), name, out))
    for result in results.values():
        result.drop(joined)
    builds = [build for notebook in registry.SECTIONS.values() for build in notebook]
    for build in _progress(builds, len(builds), "writing"):
        written = wb.build(build).write(out, wb.source_note)
        tables += written["tables"]
        figures += written["figures"]
        pages += written["pages"]
    for name, (stage, by) in RUN_TERM_TABLES.items():
        tables.append(export.table(wb.term_table(1 if stage == "terms" else 2, by), name, out))
    tables.append(export.table(agg.documents, "document_summary", out))
    tables.append(export.table(agg.terms, "terms_corpus", out))
    return tables, figures, pages


def run(seeds: str | Path | None = None, out: str | Path | None = None, jobs: int = 1,
        use_cache: bool = True, cache_dir: str | Path | None = None, stories: list[str] | None = None,
        lexicons: list[str | Path] | None = None) -> RunSummary:
    """Compute every table, figure and reading view for ``seeds`` into ``out``, plus
    ``methods.md`` and ``changes.md``. Documents whose text, lexicon and code are unchanged
    come from the cache.

    ``seeds``: default ``seeds/`` (or ``$FRAMING_SEEDS``). ``out``: default ``output/`` at the
    project root (``DEFAULT_OUTPUT``); relative paths are taken from the project root. Before
    anything is computed the output folder is checked (not the seeds folder, writable) and
    locked; afterwards outputs of an earlier run that this one no longer produces are removed.
    """
    seeds_path, out_path = config.seeds_dir(seeds), config.figures_dir(out or DEFAULT_OUTPUT)
    guard.check_output(out_path, seeds_path)
    frozen = gc.get_freeze_count()
    with guard.OutputLock(out_path):
        try:
            summary = _run(seeds, out, jobs, use_cache, cache_dir, stories, lexicons)
        finally:
            if not frozen:  # the documents and results frozen by ``_run``'s load
                gc.unfreeze()
        written = summary.tables + summary.pages + [p.with_suffix(f".{fmt}") for p in summary.figures
                                                    for fmt in export.FIGURE_FORMATS + ("csv",)]
        summary.problems.extend(guard.tidy(out_path, written))
    return summary


def _run(seeds: str | Path | None = None, out: str | Path | None = None, jobs: int = 1,
         use_cache: bool = True, cache_dir: str | Path | None = None, stories: list[str] | None = None,
         lexicons: list[str | Path] | None = None) -> RunSummary:
    """``run`` without the output folder's checks, lock and tidying."""
    started = time.perf_counter()
    markers.reset()
    seeds_path, out_path = config.seeds_dir(seeds), config.figures_dir(out or DEFAULT_OUTPUT)
    config.use(seeds=seeds_path)
    story = packs.activate(seeds_path, stories, lexicons)
    store = cachemod.ResultCache(cachemod.cache_dir(out_path, seeds_path, cache_dir),
                                 cachemod.fingerprint()) if use_cache else None
    loaded, results, cached = load_and_analyse(seeds_path, store, jobs, keep=True)
    loaded.problems.extend(story.fit([(str(seeds_path / doc.meta.get("file", doc.doc_id)), doc.text) for doc in loaded]))
    loaded.problems.extend(store.problems if store is not None else [])
    agg = aggregate(loaded, results)
    tables, figures, pages = write_outputs(loaded, results, out_path, agg=agg)
    documents = agg.documents
    state_dir = cachemod.cache_dir(out_path, seeds_path, cache_dir)
    previous = changes.load_state(state_dir, loaded.problems)
    tables.append(files.write_bytes_atomic(out_path / "changes.md",
                                            changes.changes_markdown(previous, documents).encode("utf-8")))
    changes.save_state(state_dir, documents)
    tables.append(files.write_bytes_atomic(out_path / "methods.md",
                                            methods.markdown(loaded, seeds_path).encode("utf-8")))
    hits = int(documents["markers_rows"].sum()) if "markers_rows" in documents else 0
    words = int(documents["n_words"].sum()) if len(documents) else 0
    return RunSummary(len(loaded), cached, len(loaded) - cached, words, hits, tables, figures,
                      list(loaded.problems), time.perf_counter() - started, pages)
