"""Throughput and peak memory of the pipeline's stages, beside simple reference methods.

Run on demand (never part of the tests):

    .venv/bin/python benchmarks/bench.py --docs 2000

A corpus of N articles is generated from the shipped articles' sentences, every sentence
perturbed (``scale.SWAP_SHARE`` of its words swapped for random corpus words, seed
``config.RANDOM_SEED``), so no cache of repeated sentences can flatter the figures. Each
measurement runs in its own Python process; its peak memory is the largest resident set size
of that process and all its children (sampled every ``SAMPLE_SECONDS``). Words are counted
once, the same way for every method (``text.count_words``), so words per second compare.

The ``run`` methods time ``pipeline.run`` on the corpus written as a seeds folder (manifest and
one file per article), cold (empty cache) with ``--jobs 1`` or ``--jobs 2`` and warm (every
article in the cache), without the notebook sections' tables, figures and reading views
(``pipeline.write_outputs``, whose cost grows with the figures, not with the per-article work);
their ``analyse s`` column is the part spent in ``pipeline.load_and_analyse`` (reading and
parsing the articles, cache reads, scoring, cache writes; ``pipeline.analyse`` alone in versions
before it), the rest is the run's own bookkeeping.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: Seconds between two samples of the resident set size.
SAMPLE_SECONDS = 0.05
#: Targets: check → (bound, "min" or "max"); each check is a ratio of words per second (of
#: seconds for the warm run).
TARGETS = {
    "term counting vs CountVectorizer": (1.0, "min"),
    "marker matching vs naive regex loop": (50.0, "min"),
    "whole pipeline vs TextBlob alone": (0.35, "min"),
    "run --jobs 2 vs --jobs 1": (1.8, "min"),
    "run --jobs 2 vs --jobs 1, analyse only": (1.8, "min"),
    "warm run vs cold run (time)": (0.10, "max"),
    "warm vs cold run, analyse only (time)": (0.10, "max"),
    "Dask 2 workers vs 1 worker": (1.8, "min"),
}
#: Largest peak memory allowed for the Dask run, MiB (2 GiB).
PEAK_LIMIT_MIB = 2048


class PeakSampler:
    """Largest total RSS of this process and its descendants while the ``with`` block runs."""

    def __init__(self):
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        import psutil

        total = 0
        for proc in [self.process] + self.process.children(recursive=True):
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _docs(rows):
    from analysis.running import scale
    import pandas as pd

    return scale.frame_documents(pd.DataFrame(rows))


def _naive_patterns():
    """One word-bounded, case-insensitive regex per lexicon variant (the slow way)."""
    import re

    from analysis.framing import markers, patterns

    found = []
    for variant, concept in markers.current_lexicon().variants():
        body = patterns.variant_regex(variant) if variant.endswith("*") else re.escape(variant)
        found.append((re.compile(rf"\b(?:{body})\b", re.IGNORECASE), concept))
    return found


def _seeds_folder(rows, folder: Path) -> Path:
    """The rows as a seeds folder: one ``<id>.txt`` per article and ``manifest.csv``."""
    import csv

    folder.mkdir(parents=True)
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "file", "title", "outlet", "date", "url", "voice", "licence"])
        for r in rows:
            (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
            writer.writerow([r["id"], f"{r['id']}.txt", r["title"], r["outlet"], r["date"], "", "", ""])
    return folder


def _run_method(rows, jobs: int, warm: bool) -> tuple[float, dict]:
    """Seconds of ``pipeline.run`` (notebook outputs left out) and of its ``analyse`` part."""
    from analysis.running import pipeline

    tmp = Path(tempfile.mkdtemp(prefix="framing-bench-run-"))
    seeds, out = _seeds_folder(rows, tmp / "seeds"), tmp / "out"
    pipeline.write_outputs = lambda *args, **kwargs: ([], [], [])
    # The part that reads, parses and analyses the articles (cache reads and writes included):
    # ``load_and_analyse`` where it exists, ``analyse`` alone in versions before it.
    name = "load_and_analyse" if hasattr(pipeline, "load_and_analyse") else "analyse"
    analyse, phases = getattr(pipeline, name), {"analyse": 0.0}

    def timed_analyse(*args, **kwargs):
        started = time.perf_counter()
        try:
            return analyse(*args, **kwargs)
        finally:
            phases["analyse"] += time.perf_counter() - started

    setattr(pipeline, name, timed_analyse)
    if warm:
        pipeline.run(seeds, out, jobs=1)
        phases["analyse"] = 0.0
    started = time.perf_counter()
    summary = pipeline.run(seeds, out, jobs=jobs)
    seconds = time.perf_counter() - started
    expected = len(rows) if warm else 0
    if summary.from_cache != expected:
        raise SystemExit(f"expected {expected} documents from the cache, got {summary.from_cache}")
    return seconds, phases


def measure(method: str, corpus_path: Path, workers: int) -> dict:
    """Run one method over the corpus; return seconds (timed part only) and peak MiB."""
    # The Dask method streams the file itself: loading the corpus here would count a copy of it
    # in the peak memory that the pipeline never holds.
    rows = [] if method == "dask" else _rows(corpus_path)
    phases = {}
    # Imports and one-off set-up (sentence splitter, lexicon, actor list) are not timed.
    from sklearn.feature_extraction.text import CountVectorizer  # noqa: F401
    from textblob import TextBlob  # noqa: F401

    _warm()
    prepared = None
    if method in ("terms", "markers", "markers_evidence", "naive_markers", "sentiment"):
        prepared = _docs(rows)  # parsing is measured separately ("parse")
    with PeakSampler() as sampler:
        started = time.perf_counter()
        if method == "parse":
            _docs(rows)
        elif method == "terms":
            from analysis.measures import terms

            for doc in prepared:
                terms.doc_counts(doc, 1)
        elif method == "countvectorizer":
            from sklearn.feature_extraction.text import CountVectorizer

            CountVectorizer().fit_transform(r["text"] for r in rows)
        elif method == "markers":
            from analysis.framing import markers

            matcher = markers.matcher(markers.current_lexicon())
            for doc in prepared:
                matcher.find(doc.text, doc.body_start)
        elif method == "markers_evidence":
            from analysis.running import stages

            stage = stages.STAGES["markers"]
            compute = getattr(stage, "run", stage.compute)  # versions before Stage.run: one DataFrame
            for doc in prepared:
                compute(doc)
        elif method == "naive_markers":
            patterns = _naive_patterns()
            for doc in prepared:
                for pattern, _ in patterns:
                    for _ in pattern.finditer(doc.text, doc.body_start):
                        pass
        elif method == "sentiment":
            from analysis.running import stages

            stage = stages.STAGES["sentiment"]
            compute = getattr(stage, "run", stage.compute)  # versions before Stage.run: one DataFrame
            for doc in prepared:
                compute(doc)
        elif method == "textblob":
            from textblob import TextBlob

            for r in rows:
                TextBlob(r["text"]).sentiment
        elif method == "pipeline":
            from analysis.running import stages

            for doc in _docs(rows):
                stages.process_document(doc)
        elif method == "dask":
            timed = _dask(corpus_path, workers)
        elif method in ("run", "warm"):
            timed, phases = _run_method(rows, workers, method == "warm")
        else:
            raise SystemExit(f"unknown method {method!r}")
        seconds = timed if method in ("dask", "run", "warm") else time.perf_counter() - started
    return {"method": method, "seconds": seconds, "peak_mib": sampler.peak / 2**20, **phases}


def _warm():
    from textblob import TextBlob

    from analysis import corpus
    from analysis.framing import markers
    from analysis.running import stages

    stages.process_document(corpus.parse_article("A title\n\nPeace talks began in Baku today.", "warm"))
    markers.matcher(markers.current_lexicon())
    TextBlob("A good start.").sentiment
    return True


def _dask(corpus_path: Path, workers: int) -> float:
    """Seconds of ``scale.run_on`` (cluster start and worker warm-up are not timed)."""
    import logging

    import dask.dataframe  # noqa: F401 - imported before the clock, like every other library
    from distributed import Client, LocalCluster

    from analysis.running import scale

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    client.run(_warm)
    started = time.perf_counter()
    # At least 8 partitions per worker on small corpora; never more than scale.BLOCKSIZE per partition.
    blocksize = min(scale.BLOCKSIZE, max(2**16, corpus_path.stat().st_size // (8 * workers)))
    scale.run_on(client, corpus_path, blocksize=blocksize)
    elapsed = time.perf_counter() - started
    client.close()
    cluster.close()
    return elapsed


#: Methods in the order they run and are printed.
METHODS = ["parse", "terms", "countvectorizer", "markers", "markers_evidence", "naive_markers",
           "sentiment", "textblob", "pipeline", "run:1", "run:2", "warm", "dask:1", "dask:2"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="articles in the generated corpus (default 1000)")
    parser.add_argument("--only", action="append", help="run only these methods (repeatable), e.g. dask:2")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.corpus), args.workers)))
        return 0

    from analysis import config, corpus, text
    from analysis.running import scale

    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        words = 0
        with path.open("w", encoding="utf-8") as handle:
            for row in scale.generate_rows(corpus.load_corpus(), args.docs, config.RANDOM_SEED):
                words += text.count_words(row["text"])
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"generated corpus: {args.docs:,} articles, {words:,} words, {path.stat().st_size / 2**20:.1f} MiB "
              f"(seed {config.RANDOM_SEED})", flush=True)
        results = {}
        print(f"load average {_load()} before the first method", flush=True)
        print(f"{'method':<18} {'seconds':>9} {'words/s':>12} {'peak MiB':>9} {'analyse s':>10}", flush=True)
        for name in args.only or METHODS:
            method, _, workers = name.partition(":")
            done = subprocess.run([sys.executable, __file__, "--measure", method, "--corpus", str(path),
                                   "--workers", workers or "1"], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name:<18} failed:\n{done.stderr[-2000:]}", flush=True)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["wps"] = words / result["seconds"] if result["seconds"] else float("inf")
            results[name] = result
            shown = f"{result['analyse']:>10.2f}" if "analyse" in result else ""
            print(f"{name:<18} {result['seconds']:>9.2f} {result['wps']:>12,.0f} {result['peak_mib']:>9.0f} {shown}",
                  flush=True)

    def ratio(a, b, key="wps"):
        if a in results and b in results and key in results[a] and key in results[b]:
            return results[a][key] / results[b][key]
        return None

    checks = [("term counting vs CountVectorizer", ratio("terms", "countvectorizer")),
              ("marker matching vs naive regex loop", ratio("markers", "naive_markers")),
              ("whole pipeline vs TextBlob alone", ratio("pipeline", "textblob")),
              ("run --jobs 2 vs --jobs 1", ratio("run:2", "run:1")),
              ("run --jobs 2 vs --jobs 1, analyse only", ratio("run:1", "run:2", "analyse")),
              ("warm run vs cold run (time)", ratio("warm", "run:1", "seconds")),
              ("warm vs cold run, analyse only (time)", ratio("warm", "run:1", "analyse")),
              ("Dask 2 workers vs 1 worker", ratio("dask:2", "dask:1"))]
    print()
    print(f"load average {_load()} after the last method")
    print(f"{'check':<40} {'measured':>10} {'target':>10}  result")
    for check, value in checks:
        target, kind = TARGETS[check]
        shown = "n/a" if value is None else f"{value:.2f}x"
        verdict = "-" if value is None else ("met" if (value >= target if kind == "min" else value <= target)
                                             else "NOT met")
        bound = (">= " if kind == "min" else "<= ") + format(target, "g") + "x"
        print(f"{check:<40} {shown:>10} {bound:>10}  {verdict}")
    if "dask:2" in results:
        peak = results["dask:2"]["peak_mib"]
        print(f"{'peak memory, Dask 2 workers (' + format(args.docs, ',') + ' docs)':<38} {peak:>8.0f} MiB "
              f"{'<= ' + str(PEAK_LIMIT_MIB) + ' MiB':>10}  {'met' if peak <= PEAK_LIMIT_MIB else 'NOT met'}")
    return 0


def _load() -> str:
    import os

    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
