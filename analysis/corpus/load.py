"""Seeds folder → validated manifest → parsed documents (a ``Corpus`` with its problems)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from analysis import config
from analysis.corpus.manifest import MANIFEST_COLUMNS, read_manifest
from analysis.corpus.model import Corpus, Document
from analysis.corpus.parse import article_key, duplicate_problems, parse_bytes, read_bytes
from analysis.problems import InputError, Problem


def load_corpus(seeds: str | Path | None = None, strict: bool = False,
                read_all: Callable[[list], list] | None = None) -> Corpus:
    """Load every article listed in the seeds folder's manifest.

    A file that cannot be analysed is reported in ``Corpus.problems`` (file, line, what to do)
    and the others are still loaded; so are warnings about files analysed on an assumption
    (fallback encoding, HTML or Markdown, not English, duplicate text). With ``strict=True``
    any error (not a warning) raises InputError. ``read_all`` reads the articles, as
    ``read_articles`` does (e.g. on worker processes); default ``read_articles``.
    """
    folder = config.seeds_dir(seeds)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "the seeds folder does not exist",
                                  "create it and put the articles and manifest.csv in it")])
    manifest, problems = read_manifest(folder)
    calls = [(folder / row.file, row.id, {c: getattr(row, c) for c in MANIFEST_COLUMNS})
             for row in manifest.itertuples(index=False)]
    docs, sources = [], []
    for (path, _, _), (doc, found) in zip(calls, (read_all or read_articles)(calls)):
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
            sources.append(str(path))
    problems.extend(duplicate_problems(docs, sources))
    if strict and any(p.is_error for p in problems):
        raise InputError(problems)
    return Corpus(docs, problems, folder)


def read_files(calls: list[tuple[Path, str, dict]]) -> list[tuple[str, str, dict, bytes | list[Problem]]]:
    """``(source, doc_id, meta, bytes)`` of each ``(path, doc_id, meta)``: the file's bytes, or
    instead the problems of a file that cannot be read."""
    out = []
    for path, doc_id, meta in calls:
        try:
            data = read_bytes(Path(path))
        except InputError as exc:
            data = exc.problems
        out.append((str(path), doc_id or Path(path).stem, meta, data))
    return out


def parse_file(item: tuple[str, str, dict, bytes | list[Problem]], parsed=None,
               key: str | None = None) -> tuple[Document | None, list[Problem]]:
    """``(document, warnings)`` of one ``read_files`` item, or ``(None, problems)`` for a file that
    cannot be analysed. ``parsed``: see ``read_articles``; ``key``: the item's ``article_key``,
    when already known."""
    source, doc_id, meta, data = item
    if not isinstance(data, bytes):
        return None, data
    try:
        if parsed is None:
            return parse_bytes(data, source, doc_id, meta)
        key = key or article_key(data, source, doc_id, meta)
        found = parsed.get(key)
        if found is None:
            found = parse_bytes(data, source, doc_id, meta)
            parsed.put(key, *found)
        return found
    except InputError as exc:
        return None, exc.problems


def read_articles(calls: list[tuple[Path, str, dict]], parsed=None) -> list[tuple[Document | None, list[Problem]]]:
    """``load_article`` of each ``(path, doc_id, meta)``: ``(document, warnings)``, or
    ``(None, problems)`` for a file that cannot be analysed.

    ``parsed``, when given, keeps parsed articles: ``parsed.get(key)`` returns the ``(document,
    warnings)`` stored under ``article_key`` (or None) and ``parsed.put(key, document, warnings)``
    stores them; a stored article is not parsed again."""
    return [parse_file(item, parsed) for item in read_files(calls)]
