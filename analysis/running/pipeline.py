"""The batch run: documents → per-document results (cached, in parallel) → every notebook
section's tables, figures and pages, plus the run's own corpus tables, ``methods.md`` and
``changes.md``, without Jupyter.

``run`` writes the same files, byte for byte, as the notebooks, because both call the section
functions of ``presentation.registry`` — into ``output/`` by default (``DEFAULT_OUTPUT``), never
into ``figures/`` unless asked to; ``report`` alone writes the committed ``figures/``.
"""
from __future__ import annotations

import multiprocessing
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from analysis import config, corpus as corpusmod, files, text as textmod
from analysis.corpus import Corpus, Document
from analysis.framing import markers, packs
from analysis.measures import terms
from analysis.presentation import export, registry
from analysis.presentation.workbook import Workbook
from analysis.running import cache as cachemod, guard, methods, scale
from analysis.running.aggregate import aggregate, stage_table
from analysis.running.stages import STAGES, DocResult, process_document

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


def _progress(iterable, total: int, desc: str):
    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)


#: Fewest words for which ``compute_results`` starts worker processes: a worker spends 2-3 s
#: importing NLTK and loading the lexicons, about what one process needs for 200,000 words.
PARALLEL_MIN_WORDS = 200_000
#: Words per batch handed to a worker (about 0.1 s of work): small enough that the processes
#: finish together, large enough that sending a batch costs little beside computing it.
BATCH_WORDS = 10_000


def _batches(docs: list[Document]) -> list[list[Document]]:
    batches, batch, words = [], [], 0
    for doc in docs:
        batch.append(doc)
        words += doc.n_words
        if words >= BATCH_WORDS:
            batches.append(batch)
            batch, words = [], 0
    return batches + ([batch] if batch else [])


def compute_results(docs: list[Document], jobs: int = 1, cache=None) -> list[DocResult]:
    """``process_document`` for each of ``docs`` (in order), on ``jobs`` processes; each result
    is stored in ``cache`` (a ``ResultCache``) by the process that computed it.

    With ``jobs`` > 1 (and at least ``PARALLEL_MIN_WORDS`` words) this process and ``jobs - 1``
    spawned workers share batches of about ``BATCH_WORDS`` words: workers take them from the
    front, this process from the back, so it computes while the workers start. Results come
    back as plain columns.
    """
    if jobs <= 1 or sum(doc.n_words for doc in docs) < PARALLEL_MIN_WORDS:
        out = []
        for doc in _progress(docs, len(docs), "analysing"):
            out.append(process_document(doc))
            if cache is not None:
                cache.put(out[-1].sha256, out[-1])
        return out
    batches = _batches(docs)
    done: list[list[DocResult] | None] = [None] * len(batches)
    selection, ahead = packs.selection(), 2 * (jobs - 1)
    front, back, pending = 0, len(batches), {}
    with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("spawn")) as pool, \
            _progress(None, len(docs), "analysing") as bar:

        def collect(future) -> None:
            index = pending.pop(future)
            done[index], problems, writes = future.result()
            if cache is not None:
                cache.problems.extend(problems)
                cache.writes += writes
            bar.update(len(done[index]))

        def feed() -> None:
            nonlocal front
            for future in [f for f in pending if f.done()]:
                collect(future)
            while front < back and len(pending) < ahead:
                pending[pool.submit(scale.process_batch, batches[front], selection, cache)] = front
                front += 1

        feed()
        while front < back:
            back -= 1
            done[back] = [process_document(doc) for doc in batches[back]]
            for result in done[back] if cache is not None else ():
                cache.put(result.sha256, result)
            bar.update(len(done[back]))
            feed()
        for future in as_completed(list(pending)):
            collect(future)
    return [result for batch in done for result in batch]


def analyse(corpus: Corpus, cache=None, jobs: int = 1) -> tuple[dict[str, DocResult], int]:
    """Per-document results of every document (cached ones read, others computed and stored).

    Returns ``({doc_id: DocResult}, number read from the cache)``. Invalid cache entries are
    recomputed; their warnings are in ``cache.problems``.
    """
    results: dict[str, DocResult] = {}
    missing = []
    for doc in corpus:
        hit = cache.get(textmod.text_sha256(doc.text)) if cache is not None else None
        if hit is not None:
            results[doc.doc_id] = hit.relabel(doc)
        else:
            missing.append(doc)
    for doc, result in zip(missing, compute_results(missing, jobs, cache)):
        results[doc.doc_id] = result
    return results, len(corpus) - len(missing)


#: Corpus tables of ``run`` only (not in a notebook): name → (stage, grouping).
RUN_TERM_TABLES = {"terms_by_doc": ("terms", "doc_id"), "terms_by_outlet": ("terms", "outlet"),
                   "bigrams_by_doc": ("bigrams", "doc_id")}


def workbook(corpus: Corpus, results: dict[str, DocResult], out: Path, focus: str | None = None) -> Workbook:
    """The notebooks' ``Workbook`` built on the per-document results (no stage computed twice)."""
    counts = {doc_id: {1: Counter(dict(zip(r.columns["terms"]["term"], r.columns["terms"]["n"]))),
                       2: Counter(dict(zip(r.columns["bigrams"]["term"], r.columns["bigrams"]["n"])))}
              for doc_id, r in results.items()}
    return Workbook(corpus, out, focus=focus, evidence=stage_table(corpus, results, "markers"),
                    sentences=stage_table(corpus, results, "sentiment"), counts=counts)


def write_outputs(corpus: Corpus, results: dict[str, DocResult],
                  out: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Write every notebook section's outputs, each stage's table and the run's corpus tables;
    return (tables, figures, pages) written (figures as their PNG paths)."""
    tables, figures, pages = [], [], []
    wb = workbook(corpus, results, out)
    builds = [build for notebook in registry.SECTIONS.values() for build in notebook]
    for build in _progress(builds, len(builds), "writing"):
        written = wb.build(build).write(out, wb.source_note)
        tables += written["tables"]
        figures += written["figures"]
        pages += written["pages"]
    for name, (stage, by) in RUN_TERM_TABLES.items():
        tables.append(export.table(wb.term_table(1 if stage == "terms" else 2, by), name, out))
    for name in STAGES:
        if name not in ("terms", "bigrams"):
            tables.append(export.table(stage_table(corpus, results, name), name, out))
    agg = aggregate(corpus, results)
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
    with guard.OutputLock(out_path):
        summary = _run(seeds, out, jobs, use_cache, cache_dir, stories, lexicons)
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
    loaded = corpusmod.load_corpus(seeds_path)
    loaded.problems.extend(story.fit([(str(seeds_path / doc.meta.get("file", doc.doc_id)), doc.text) for doc in loaded]))
    store = cachemod.ResultCache(cachemod.cache_dir(out_path, seeds_path, cache_dir),
                                 cachemod.fingerprint()) if use_cache else None
    results, cached = analyse(loaded, store, jobs)
    loaded.problems.extend(store.problems if store is not None else [])
    tables, figures, pages = write_outputs(loaded, results, out_path)
    agg = aggregate(loaded, results)
    documents = agg.documents
    state_dir = cachemod.cache_dir(out_path, seeds_path, cache_dir)
    previous = cachemod.load_state(state_dir, loaded.problems)
    tables.append(files.write_bytes_atomic(out_path / "changes.md",
                                            cachemod.changes_markdown(previous, documents).encode("utf-8")))
    cachemod.save_state(state_dir, documents)
    tables.append(files.write_bytes_atomic(out_path / "methods.md",
                                            methods.markdown(loaded, seeds_path).encode("utf-8")))
    hits = int(documents["markers_rows"].sum()) if "markers_rows" in documents else 0
    words = int(documents["n_words"].sum()) if len(documents) else 0
    return RunSummary(len(loaded), cached, len(loaded) - cached, words, hits, tables, figures,
                      list(loaded.problems), time.perf_counter() - started, pages)
