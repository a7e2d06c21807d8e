"""Seeds folder → validated manifest → parsed documents (a ``Corpus`` with its problems)."""
from __future__ import annotations

from pathlib import Path

from analysis import config
from analysis.corpus.manifest import MANIFEST_COLUMNS, read_manifest
from analysis.corpus.model import Corpus
from analysis.corpus.parse import duplicate_problems, load_article
from analysis.problems import InputError, Problem


def load_corpus(seeds: str | Path | None = None, strict: bool = False) -> Corpus:
    """Load every article listed in the seeds folder's manifest.

    A file that cannot be analysed is reported in ``Corpus.problems`` (file, line, what to do)
    and the others are still loaded; so are warnings about files analysed on an assumption
    (fallback encoding, HTML or Markdown, not English, duplicate text). With ``strict=True``
    any error (not a warning) raises InputError.
    """
    folder = config.seeds_dir(seeds)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 0, "the seeds folder does not exist",
                                  "create it and put the articles and manifest.csv in it")])
    manifest, problems = read_manifest(folder)
    docs, sources = [], []
    for row in manifest.itertuples(index=False):
        meta = {c: getattr(row, c) for c in MANIFEST_COLUMNS}
        try:
            doc, warnings = load_article(folder / row.file, row.id, meta)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        docs.append(doc)
        sources.append(str(folder / row.file))
        problems.extend(warnings)
    problems.extend(duplicate_problems(docs, sources))
    if strict and any(p.is_error for p in problems):
        raise InputError(problems)
    return Corpus(docs, problems, folder)


