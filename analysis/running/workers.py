"""Worker processes shared by a run: each worker reads, parses and analyses its own articles.

``share`` hands batches to the pool's workers from the front while this process works through
them from the back, so this process is busy while the workers start (a spawned worker needs
about a second to import its modules) and all finish together. Results come back in batch order.
A worker needs only what reading and analysing need (nothing of the presentation layer), and
writes the cache entries of the texts it analysed itself.
"""
from __future__ import annotations

import functools
import gc
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

#: Fewest bytes of article files for which the workers are used (about 200,000 words; below it,
#: starting a worker costs more than it saves).
PARALLEL_MIN_BYTES = 1_200_000
#: Bytes of article files per batch of ``load_and_analyse`` (about 10,000 words, 0.1 s of work):
#: small enough that the processes finish together, large enough that sending costs little.
BATCH_BYTES = 60_000


@contextmanager
def pool(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """``jobs - 1`` worker processes (this process is the last worker), or None for one job.

    On Linux the workers are forked from this process once it has imported and built what
    analysing a text needs (``warm``), so they start at once with the same story, lexicon and
    libraries; elsewhere they are spawned (fork is unsafe on macOS) and import it themselves."""
    if jobs <= 1:
        yield None
        return
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if context.get_start_method() == "fork":
        warm()
    with ProcessPoolExecutor(jobs - 1, mp_context=context) as executor:
        yield executor


@contextmanager
def collector_paused(keep: bool = False) -> Iterator[None]:
    """Python's cycle collector off while the block runs (then back as it was). Reading and
    analysing articles builds millions of small objects that hold no cycles, and each collection
    would scan every one of them again: a warm run spends about a third of its time there.

    ``keep``: the objects alive on leaving (a run's documents and results, which it keeps to the
    end) are moved out of the collector's sight (``gc.freeze``) instead of being scanned at every
    later collection; whoever asked for it calls ``gc.unfreeze()`` once they are let go."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()


def warm() -> None:
    """Import the libraries and build the sentence splitter, lexicon matchers and scorers of the
    active story, by analysing one short text."""
    from analysis import corpus
    from analysis.running.stages import process_document

    process_document(corpus.parse_article("A title\n\nPeace talks began in the capital today, he said.", "warm"))


def share(executor: ProcessPoolExecutor, batches: list, remote: Callable, local: Callable,
          done: Callable[[int, object, bool], None] | None = None) -> list:
    """``[remote(b) or local(b) for b in batches]``: ``remote`` (picklable) on the workers from
    the front, ``local`` here from the back. ``done(index, result, remote?)`` is called as each
    batch finishes."""
    out: list = [None] * len(batches)
    ahead = 2 * executor._max_workers
    front, back, pending = 0, len(batches), {}

    def collect(future) -> None:
        index = pending.pop(future)
        out[index] = future.result()
        if done:
            done(index, out[index], True)

    def feed() -> None:
        nonlocal front
        for future in [f for f in pending if f.done()]:
            collect(future)
        while front < back and len(pending) < ahead:
            pending[executor.submit(remote, batches[front])] = front
            front += 1

    feed()
    while front < back:
        back -= 1
        out[back] = local(batches[back])
        if done:
            done(back, out[back], False)
        feed()
    for future in as_completed(list(pending)):
        collect(future)
    return out


def load_and_analyse(calls: list[tuple[Path, str, dict]], selection: tuple | None = None, store=None) -> tuple:
    """Read and parse each ``(path, doc_id, meta)`` (``read_articles``), then take each text's
    result from ``store`` (a ``cache.ResultCache``) or compute and store it, in the process
    that runs it; ``selection`` is the caller's ``packs.selection()``.

    Returns ``([(document or None, problems, result or None, from the cache?)…], the store's
    problems, entries written)``."""
    from analysis import config
    from analysis.corpus.load import parse_file, read_files
    from analysis.corpus.parse import article_key
    from analysis.framing import packs
    from analysis.running import cache
    from analysis.running.articles import ParsedArticles
    from analysis.running.batches import Batches

    if selection is not None and packs.selection() != selection:
        config.use(seeds=selection[0])
        packs.activate(*selection)
    before, writes = len(store.problems) if store is not None else 0, store.writes if store is not None else 0
    with collector_paused():
        items = read_files(calls)
        keys = [article_key(data, *item[:3]) if store is not None and isinstance(data, bytes) else None
                for *item, data in items]
        batch = Batches(store) if store is not None and items and None not in keys else None
        found = batch.get(keys) if batch is not None else None
        if found is not None:
            out = [(doc, problems, result, True) for doc, problems, result in found]
        else:
            out, parsed = [], ParsedArticles(store) if store is not None else None
            for item, key in zip(items, keys):
                doc, problems = parse_file(item, parsed, key)
                result, hit = cache.result_of(doc, store) if doc is not None else (None, False)
                out.append((doc, problems, result, hit))
            if batch is not None and all(doc is not None for doc, *_ in out):
                batch.put(keys, [(doc, problems, result) for doc, problems, result, _ in out])
    if store is None:
        return out, [], 0
    return out, store.problems[before:], store.writes - writes


def shared_reader(executor: ProcessPoolExecutor | None, store, results: dict) -> Callable[[list], list]:
    """A ``load_corpus`` ``read_all`` that reads, parses and analyses the articles, batch by
    batch, on ``executor``'s workers and in this process (``load_and_analyse``; in this process
    alone when ``executor`` is None); each document's result is put in ``results`` (keyed by
    ``id(document)``, with whether it came from the cache)."""
    from analysis.framing import packs

    remote = functools.partial(load_and_analyse, selection=packs.selection(), store=store)

    def local(batch):
        outcomes, _, _ = load_and_analyse(batch, None, store)
        for _, _, result, hit in outcomes:
            if result is not None and not hit:  # kept for the run: its texts shared like those read back
                result.share_strings()
        return outcomes, [], 0

    def read_all(calls: list[tuple[Path, str, dict]]) -> list:
        sizes = [_size(path) for path, _, _ in calls]
        batches = _batches(calls, sizes)
        done = (share(executor, batches, remote, local) if executor is not None and sum(sizes) >= PARALLEL_MIN_BYTES
                else [local(batch) for batch in batches])
        read = []
        for outcomes, problems, writes in done:
            if store is not None:
                store.problems.extend(problems)
                store.writes += writes
            for doc, found, result, hit in outcomes:
                read.append((doc, found))
                if doc is not None:
                    results[id(doc)] = (result, hit)
        return read

    return read_all


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


def _batches(calls: list, sizes: list[int]) -> list[list]:
    """``calls`` cut, in order, into runs of about BATCH_BYTES bytes of files."""
    batches, batch, held = [], [], 0
    for call, size in zip(calls, sizes):
        batch.append(call)
        held += size
        if held >= BATCH_BYTES:
            batches.append(batch)
            batch, held = [], 0
    return batches + ([batch] if batch else [])
