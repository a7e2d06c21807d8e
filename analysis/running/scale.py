"""The per-document pipeline on a Dask cluster, for corpora too large for one process.

Sources: a seeds folder (manifest + files), a JSON Lines file (``*.jsonl``/``*.json``, one
object per line) or a Parquet file or folder. JSON Lines and Parquet rows need ``id`` and
``text``; the manifest columns (``title``, ``outlet``, ``date``, ``url``, ``voice``,
``licence``) are optional. Each row is parsed exactly like an article file
(``corpus.parse_article``) and goes through ``process_document``.

Memory stays bounded: JSON Lines are read in byte blocks (``BLOCKSIZE``) and Parquet by row
group, on the workers; each partition is folded into a ``Aggregate`` there, and only
those small aggregates travel back, at most ``IN_FLIGHT_PER_WORKER`` partitions per worker at
a time, merged as they arrive. The result equals the single-process ``aggregate.aggregate``
(same documents table, same corpus term counts; tested).

A ``LocalCluster`` of worker processes is started by default; pass ``address`` to use a
running scheduler (``tcp://host:8786``) instead.
"""
from __future__ import annotations

import json
import logging
import math
import re
import sys
from pathlib import Path

import pandas as pd

from analysis import config, corpus as corpusmod
from analysis.corpus.manifest import MANIFEST_COLUMNS, valid_id
from analysis.framing import packs
from analysis.running.aggregate import Aggregate
from analysis.running.stages import process_document
from analysis.running.workers import collector_paused
from analysis.problems import InputError, Problem

#: Bytes of JSON Lines per partition (16 MiB ≈ 5,000 articles of 500 words).
BLOCKSIZE = 16 * 2**20
#: Documents per partition when the source is a seeds folder.
SEEDS_PARTITION_DOCS = 500
#: Partitions submitted per worker before the first results are collected (bounds memory).
IN_FLIGHT_PER_WORKER = 2
#: Workers of the default LocalCluster (the machine's cores, at least 1).
DEFAULT_WORKERS = 2
#: Control bytes no article text holds (tab, line breaks and form feed are allowed).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Columns a JSON Lines or Parquet corpus must have.
REQUIRED = ("id", "text")


def json_lines(block: bytes) -> pd.DataFrame:
    """The rows of a block of whole JSON Lines (blank lines skipped), one column per key; a
    ValueError quoting the first line that is not one JSON object."""
    rows = []
    for line in block.splitlines():
        if not line.strip():
            continue
        try:
            row, why = json.loads(line), "not an object"
        except ValueError as exc:  # not JSON, or not UTF-8
            row, why = None, getattr(exc, "msg", str(exc))
        if not isinstance(row, dict):
            raise ValueError(f"a line that is not one JSON object ({why}): {line[:80].decode('utf-8', 'replace')!r}")
        rows.append(row)
    return pd.DataFrame(rows)


def read_partitions(source: str | Path, blocksize: int = BLOCKSIZE) -> list:
    """The corpus as delayed partitions, each a pandas DataFrame (columns ``id``, ``text`` and
    any manifest columns). JSON Lines are cut into blocks of about ``blocksize`` bytes at line
    ends, each read and parsed by the worker that analyses it."""
    from dask import delayed
    from dask.bytes import read_bytes

    path = Path(source)
    if not path.exists():
        raise InputError([Problem(str(path), 0, "no such file or folder", "check the path of the corpus")])
    if path.suffix in (".jsonl", ".json"):
        _, [blocks] = read_bytes(str(path), delimiter=b"\n", blocksize=blocksize, sample=False)
        return [delayed(json_lines)(block) for block in blocks]
    import dask.dataframe as dd  # only here: importing it takes a quarter of a second

    if path.is_dir() and (path / config.MANIFEST_NAME).exists():
        loaded = corpusmod.load_corpus(path)
        rows = [{"id": d.doc_id, "text": d.text, **{c: d.meta.get(c, "") for c in MANIFEST_COLUMNS
                                                   if c not in ("id",)}} for d in loaded]
        frame = pd.DataFrame(rows, columns=["id", "text"] + [c for c in MANIFEST_COLUMNS if c != "id"])
        parts = max(1, math.ceil(len(frame) / SEEDS_PARTITION_DOCS))
        return dd.from_pandas(frame, npartitions=parts, sort=False).to_delayed()
    if path.suffix == ".parquet" or path.is_dir():
        return dd.read_parquet(str(path)).to_delayed()
    raise InputError([Problem(str(path), 0, "not a seeds folder, JSON Lines file or Parquet file",
                              "give a folder with manifest.csv, a .jsonl file or a .parquet file/folder")])


def frame_documents(part: pd.DataFrame, source: str = "<rows>",
                    problems: list | None = None) -> list[corpusmod.Document]:
    """Parse each row (``id``, ``text`` + optional manifest columns) as an article.

    A row with no id, an id that is not a valid manifest id, an id seen before in the
    partition, no text, or text with NUL or other control bytes is left out, with a problem
    naming its row (appended to ``problems``)."""
    missing = [c for c in REQUIRED if c not in part.columns]
    if missing:
        raise InputError([Problem(source, 0, f"column(s) missing: {', '.join(missing)}",
                                  "each row needs an id and a text")])
    extra = [c for c in MANIFEST_COLUMNS if c in part.columns and c != "id"]
    docs, seen = [], set()
    for number, row in enumerate(part.itertuples(index=False), start=1):
        record = row._asdict()
        doc_id, text = record["id"], record["text"]
        where = f"{source} row {number}"
        reason = ("no id" if pd.isna(doc_id) or not str(doc_id).strip()
                  else f"id {str(doc_id)!r} is not a valid id" if not valid_id(str(doc_id))
                  else f"id {str(doc_id)!r} is repeated" if str(doc_id) in seen
                  else "no text" if pd.isna(text) or not str(text).strip()
                  else "the text holds NUL or other control bytes" if _CONTROL_RE.search(str(text)) else None)
        if reason:
            if problems is not None:
                problems.append(Problem(where, 0, f"left out: {reason}", "fix the row in the source file"))
            continue
        seen.add(str(doc_id))
        meta = {c: ("" if pd.isna(record[c]) else str(record[c])) for c in extra}
        docs.append(corpusmod.parse_article(str(text), str(doc_id), meta))
    return docs


def aggregate_partition(part: pd.DataFrame, index: int, stages: list[str] | None = None,
                        selection: tuple | None = None) -> Aggregate:
    """Run the pipeline on one partition; return its Aggregate (order keys ``(index, row)``).
    ``selection`` is ``packs.selection()`` of the caller: the story the workers use."""
    if selection is not None:
        packs.activate(*selection)
    agg = Aggregate(stages)
    with collector_paused():
        for row, doc in enumerate(frame_documents(part, f"partition {index}", agg.problems)):
            agg.add(process_document(doc, stages), (index, row))
    return agg.compact()


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="partitions", unit="part", file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)


def run_on(client, source: str | Path, blocksize: int = BLOCKSIZE,
           stages: list[str] | None = None) -> Aggregate:
    """Run the pipeline over ``source`` on an existing ``distributed.Client``."""
    from dask import delayed
    from distributed import as_completed

    partitions = read_partitions(source, blocksize)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = workers * IN_FLIGHT_PER_WORKER
    total = Aggregate(stages)
    pending = iter(enumerate(partitions))
    selection = packs.selection()
    futures = as_completed()

    def submit_next() -> bool:
        for index, part in pending:
            futures.add(client.compute(delayed(aggregate_partition)(part, index, stages, selection)))
            return True
        return False

    for _ in range(window):
        if not submit_next():
            break
    with _progress(len(partitions)) as bar:
        for future in futures:
            total.merge(future.result())
            future.release()
            bar.update(1)
            submit_next()
    return total


def run(source: str | Path, address: str | None = None, workers: int = DEFAULT_WORKERS,
        blocksize: int = BLOCKSIZE, stages: list[str] | None = None) -> Aggregate:
    """Run the pipeline over ``source`` on a new LocalCluster of ``workers`` processes (one
    thread each), or on the scheduler at ``address``."""
    from distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            return run_on(client, source, blocksize, stages)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        return run_on(client, source, blocksize, stages)


# ---------------------------------------------------------------------------------------------
# Generated corpora (tests and benchmarks)

#: Share of words replaced by a random corpus word in each generated sentence, so no two
#: generated sentences repeat and no cache of repeated sentences can flatter a benchmark.
SWAP_SHARE = 0.2
#: Sentences per generated article (inclusive range); the shipped articles have 4–21.
GENERATED_SENTENCES = (6, 30)


def generate_rows(base: corpusmod.Corpus, n_docs: int, seed: int = config.RANDOM_SEED):
    """Yield ``n_docs`` synthetic articles ``{id, text, title, outlet, date}`` built from the
    sentences of ``base``, each sentence perturbed (``SWAP_SHARE`` of its words swapped for
    random corpus words). Deterministic for a given ``seed``; streams (nothing is kept)."""
    import random

    rng = random.Random(seed)
    sentences = [s.split() for s in base.sentences["text"] if len(s.split()) > 3]
    vocabulary = sorted({w for s in sentences for w in s})
    outlets = sorted({d.outlet for d in base} or {"outlet"})

    def perturbed() -> str:
        words = list(rng.choice(sentences))
        for i in range(len(words)):
            if rng.random() < SWAP_SHARE:
                words[i] = rng.choice(vocabulary)
        return " ".join(words)

    for number in range(n_docs):
        body = [perturbed() for _ in range(rng.randint(*GENERATED_SENTENCES))]
        paragraphs, i = [], 0
        while i < len(body):
            step = rng.randint(1, 3)
            paragraphs.append(" ".join(body[i:i + step]))
            i += step
        title = " ".join(perturbed().split()[:10])
        yield {"id": f"gen-{number:06d}", "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n",
               "title": title, "outlet": rng.choice(outlets),
               "date": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}


def write_jsonl(rows, path: str | Path) -> Path:
    """Write rows (dicts) as JSON Lines, one at a time."""
    import json

    path = Path(path)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
