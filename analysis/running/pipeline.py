"""Documents → per-document result tables → corpus tables and figures, without Jupyter.

The unit of work is one parsed document: ``process_document(doc)`` runs every registered
stage on it and returns a ``DocResult`` holding one small table per stage. Per-document results
depend only on the document's text (and the lexicon and code version), so they are cached by
content hash (``analysis.cache``), computed in parallel (``run(jobs=N)``) or on a Dask cluster
(``analysis.scale``), and always combined the same way (``Aggregate``).

Stages (``STAGES``): name → ``Stage(compute, summary)``. ``compute(doc)`` returns a DataFrame
whose first column is ``doc_id``; ``summary(table, n_words)`` returns the per-document numbers
compared between runs (default: rows and rows per 1,000 words). Adding a stage is one line in
``STAGES``; its table is then cached, aggregated and written as ``<name>.csv`` by ``run``.

Outputs (``OUTPUTS``): name → function of a ``RunData`` (corpus, results and shared tables)
returning a table, a ``(Figure, table)`` pair written with ``export.figure``, or reading-view
pages. Every table, figure and page the notebooks write is registered under the notebook's
name and built by the same calls, so ``run`` writes the same files, byte for byte, as
``report`` — into ``output/`` by default (``DEFAULT_OUTPUT``), never into ``figures/`` unless
asked to; ``report`` alone writes the committed ``figures/``.
"""
from __future__ import annotations

import functools
import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from analysis.framing import actors, compare, devices, lexicon as lexmod, markers
from analysis.measures import collocations, keyness, kwic, lexstats, sentiment, structure, terms
from analysis import config, corpus as corpusmod, files, text as textmod
from analysis.presentation import export, plots, reading
from analysis.corpus import Corpus, Document

#: Default output folder of ``run`` (gitignored): the committed ``figures/`` are written by
#: ``report`` only, so a run never leaves untracked files there.
DEFAULT_OUTPUT = config.ROOT / "output"
#: Columns of the per-document term-count tables (stages ``terms`` and ``bigrams``).
COUNT_COLUMNS = ["doc_id", "term", "n"]
#: Columns of ``Aggregate.documents`` before the stage summaries (which follow, in stage order).
SUMMARY_COLUMNS = ["doc_id", "outlet", "sha256", "n_paragraphs", "n_sentences", "n_words"]
#: Columns of ``Aggregate.terms`` (corpus-wide unigram counts; stop words left out).
CORPUS_TERM_COLUMNS = ["term", "n", "n_docs", "rate_per_1000"]

def _count_table(doc: Document, ngram: int) -> pd.DataFrame:
    items = sorted(terms.doc_counts(doc, ngram).items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame({"doc_id": [doc.doc_id] * len(items), "term": [t for t, _ in items],
                         "n": [n for _, n in items]}, columns=COUNT_COLUMNS)


def unigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free word counts of ``doc`` (n descending, then term)."""
    return _count_table(doc, 1)


def bigram_table(doc: Document) -> pd.DataFrame:
    """``doc_id, term, n``: stop-word-free bigram counts of ``doc`` (n descending, then term)."""
    return _count_table(doc, 2)


@functools.cache
def current_lexicon() -> lexmod.Lexicon:
    """The marker lexicon (built-in plus user file), loaded once per process (``run`` reloads it)."""
    return lexmod.load()


def sentiment_table(doc: Document) -> pd.DataFrame:
    """``sentiment.SENTENCE_COLUMNS``: TextBlob and VADER scores of every sentence of ``doc``."""
    return pd.DataFrame(sentiment.document_sentences(doc), columns=sentiment.SENTENCE_COLUMNS)


def sentiment_summary(table: pd.DataFrame, n_words: int) -> dict:
    """Mean sentence scores of a document (0.0 when it has no sentence)."""
    return {f"{c}_mean": float(table[c].mean()) if len(table) else 0.0
            for c in ("textblob_polarity", "vader_compound")}


def marker_table(doc: Document) -> pd.DataFrame:
    """``markers.EVIDENCE_COLUMNS``: every lexicon hit in ``doc``, in text order."""
    return markers.match_document(doc, current_lexicon())


def rate(n: float, n_words: int) -> float:
    """``n`` per ``config.RATE_PER`` words (0.0 for an empty document)."""
    return n / n_words * config.RATE_PER if n_words else 0.0


def rows_summary(name: str) -> Callable[[pd.DataFrame, int], dict]:
    """Default stage summary: ``<name>_rows`` and ``<name>_per_1000`` (rows per 1,000 words)."""
    def summary(table: pd.DataFrame, n_words: int) -> dict:
        return {f"{name}_rows": len(table), f"{name}_per_1000": rate(len(table), n_words)}
    return summary


@dataclass(frozen=True)
class Stage:
    """One per-document computation: ``compute(doc) -> DataFrame`` (first column ``doc_id``)."""

    compute: Callable[[Document], pd.DataFrame]
    summary: Callable[[pd.DataFrame, int], dict] | None = None


#: The stage registry, in the order stages run and their summaries appear. One line per stage.
STAGES: dict[str, Stage] = {
    "terms": Stage(unigram_table),
    "bigrams": Stage(bigram_table),
    "sentiment": Stage(sentiment_table, sentiment_summary),
    "markers": Stage(marker_table),
}


def stage_summary(name: str, table: pd.DataFrame, n_words: int) -> dict:
    """The per-document numbers of stage ``name`` (its own summary or rows per 1,000 words)."""
    stage = STAGES[name]
    return (stage.summary or rows_summary(name))(table, n_words)


@dataclass
class DocResult:
    """Everything computed for one document. ``tables``: stage name → DataFrame."""

    doc_id: str
    outlet: str
    sha256: str
    n_paragraphs: int
    n_sentences: int
    n_words: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def relabel(self, doc: Document) -> "DocResult":
        """The same result for ``doc`` (same text, possibly another id or outlet)."""
        if doc.doc_id == self.doc_id and doc.outlet == self.outlet:
            return self
        tables = {}
        for name, table in self.tables.items():
            table = table.copy()
            if "doc_id" in table.columns:
                table["doc_id"] = doc.doc_id
            if "outlet" in table.columns:
                table["outlet"] = doc.outlet
            tables[name] = table
        return DocResult(doc.doc_id, doc.outlet, self.sha256, self.n_paragraphs, self.n_sentences,
                         self.n_words, tables)


def text_sha256(text: str) -> str:
    """sha256 of the document's UTF-8 text: the cache key and the manifest's ``sha256``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def process_document(doc: Document, stages: Iterable[str] | None = None) -> DocResult:
    """Run ``stages`` (default: every stage in ``STAGES``) on one parsed document."""
    names = list(STAGES) if stages is None else list(stages)
    return DocResult(doc.doc_id, doc.outlet, text_sha256(doc.text), len(doc.paragraphs),
                     len(doc.sentences), terms.doc_word_count(doc),
                     {name: STAGES[name].compute(doc) for name in names})


class Aggregate:
    """Corpus tables folded one document at a time (bounded memory: no per-document tables kept).

    ``documents``: one row per document (``SUMMARY_COLUMNS`` then each stage's summary),
    in the order given by ``add``'s ``order`` key. ``terms``: corpus-wide word counts.
    Document rows are kept as compact column-wise chunks (``COMPACT_EVERY`` rows each), about
    a tenth of the memory of one dict per document.
    """

    #: Rows gathered as dicts before they are packed into a DataFrame chunk.
    COMPACT_EVERY = 2000

    def __init__(self, stages: Iterable[str] | None = None):
        self.stages = list(STAGES) if stages is None else list(stages)
        self.rows: list[tuple[tuple, dict]] = []
        self.chunks: list[pd.DataFrame] = []
        self.term_counts: Counter = Counter()
        self.term_docs: Counter = Counter()
        self.n_words = 0

    def add(self, result: DocResult, order: tuple = ()) -> None:
        row = {"doc_id": result.doc_id, "outlet": result.outlet, "sha256": result.sha256,
               "n_paragraphs": result.n_paragraphs, "n_sentences": result.n_sentences,
               "n_words": result.n_words}
        for name in self.stages:
            row.update(stage_summary(name, result.tables[name], result.n_words))
        if "terms" in result.tables:
            table = result.tables["terms"]
            self.term_counts.update(dict(zip(table["term"].tolist(), table["n"].tolist())))
            self.term_docs.update(table["term"].tolist())
        self.n_words += result.n_words
        self.rows.append((order, row))
        if len(self.rows) >= self.COMPACT_EVERY:
            self.compact()

    def compact(self) -> "Aggregate":
        """Pack the pending rows into one DataFrame chunk (with ``_o0``, ``_o1`` … order columns)."""
        if self.rows:
            chunk = pd.DataFrame([row for _, row in self.rows])
            width = max(len(order) for order, _ in self.rows)
            for k in range(width):
                chunk[f"_o{k}"] = [order[k] if k < len(order) else -1 for order, _ in self.rows]
            self.chunks.append(chunk)
            self.rows = []
        return self

    def merge(self, other: "Aggregate") -> None:
        self.compact()
        self.chunks.extend(other.compact().chunks)
        self.term_counts.update(other.term_counts)
        self.term_docs.update(other.term_docs)
        self.n_words += other.n_words

    @property
    def documents(self) -> pd.DataFrame:
        self.compact()
        if not self.chunks:
            return pd.DataFrame(columns=SUMMARY_COLUMNS)
        table = pd.concat(self.chunks, ignore_index=True)
        keys = sorted(c for c in table.columns if c.startswith("_o"))
        if keys:
            table = table.sort_values(keys, kind="mergesort").drop(columns=keys)
        columns = list(SUMMARY_COLUMNS) + [c for c in table.columns if c not in SUMMARY_COLUMNS]
        return table[columns].reset_index(drop=True)

    @property
    def terms(self) -> pd.DataFrame:
        items = sorted(self.term_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return pd.DataFrame({"term": [t for t, _ in items], "n": [n for _, n in items],
                             "n_docs": [self.term_docs[t] for t, _ in items],
                             "rate_per_1000": [rate(n, self.n_words) for _, n in items]},
                            columns=CORPUS_TERM_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Outputs written by ``run`` (tables and figures from the per-document results)


def term_table(corpus: Corpus, results: dict[str, DocResult], stage: str = "terms",
               by: str = "doc_id", min_count: int = 1) -> pd.DataFrame:
    """``terms.term_table`` (same columns, order and values) built from cached stage tables.

    ``stage`` is ``terms`` (words) or ``bigrams``; ``min_count`` leaves out terms seen fewer
    times in a group, as ``terms.term_table(min_count=…)`` does.
    """
    counts: dict[str, Counter] = {}
    totals: Counter = Counter()
    for doc in corpus:
        result = results[doc.doc_id]
        key = terms.group_of(doc, by)
        table = result.tables[stage]
        counts.setdefault(key, Counter()).update(dict(zip(table["term"].tolist(), table["n"].tolist())))
        totals[key] += result.n_words
    rows = [{"group": g, "term": t, "n": n, "n_words": totals[g], "rate_per_1000": rate(n, totals[g])}
            for g, counter in counts.items() for t, n in counter.items() if n >= min_count]
    table = pd.DataFrame(rows, columns=terms.TERM_COLUMNS)
    table["_order"] = table["group"].map({g: i for i, g in enumerate(counts)})
    table = table.sort_values(["_order", "n", "term"], ascending=[True, False, True], kind="mergesort")
    return table.drop(columns="_order").reset_index(drop=True)


def stage_table(corpus: Corpus, results: dict[str, DocResult], stage: str) -> pd.DataFrame:
    """All documents' tables of one stage, in manifest order."""
    tables = [results[doc.doc_id].tables[stage] for doc in corpus]
    tables = [t for t in tables if len(t)]
    if not tables:
        return next(iter(results.values())).tables[stage].iloc[0:0] if results else pd.DataFrame()
    return pd.concat(tables, ignore_index=True)


#: Terms whose dispersion notebook 02 plots (``kwic.dispersion``).
DISPERSION_TERMS = ["peace", "republic", "escalation", "karabakh"]
#: Lexicon concept whose concordance notebook 02 lists (``kwic.from_spans``).
KWIC_CONCEPT = "khankendi"
#: Columns of the sentence table plotted in the model-agreement figure (notebook 03).
AGREEMENT_COLUMNS = ["doc_id", "sentence", "textblob_polarity", "vader_compound", "disagree"]


class RunData:
    """What ``OUTPUTS`` are built from: the corpus, its per-document results and the tables
    several outputs share, each made once, on first use, by the package function and with the
    parameters the notebooks use (``evidence`` and ``sentences`` are the cached stage tables,
    equal to ``markers.evidence(corpus)`` and ``sentiment.sentence_table(corpus)``)."""

    def __init__(self, corpus: Corpus, results: dict[str, DocResult]):
        self.corpus = corpus
        self.results = results

    @functools.cached_property
    def evidence(self) -> pd.DataFrame:
        return stage_table(self.corpus, self.results, "markers")

    @functools.cached_property
    def sentences(self) -> pd.DataFrame:
        return stage_table(self.corpus, self.results, "sentiment")

    @functools.cached_property
    def actor_mentions(self) -> pd.DataFrame:
        return actors.mentions(self.corpus, actors.load())

    @functools.cached_property
    def keyness_outlet(self) -> pd.DataFrame:
        return keyness.keyness(self.corpus, by="outlet")

    @functools.cached_property
    def rates(self) -> pd.DataFrame:
        return markers.rates(self.evidence, self.corpus)

    @functools.cached_property
    def sentiment_documents(self) -> pd.DataFrame:
        return sentiment.document_scores(self.sentences)

    @functools.cached_property
    def profile(self) -> pd.DataFrame:
        return compare.profile(self.corpus, self.evidence, self.sentences)


def side_rates_by_section(rate_table: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``markers.rates`` plotted in notebook 04: side rates per section group (not
    ``all``) with at least one hit."""
    return rate_table[(rate_table["dimension"] == "side") & (rate_table["section_group"] != "all")
                      & (rate_table["n"] > 0)]


def concept_concordance(corpus: Corpus, ev: pd.DataFrame, concept: str = KWIC_CONCEPT) -> pd.DataFrame:
    """``kwic.from_spans`` of the evidence rows of one lexicon concept."""
    return kwic.from_spans(corpus, ev[ev["concept"] == concept])


def reading_views(corpus: Corpus, ev: pd.DataFrame) -> dict[str, reading.ReadingView]:
    """``04_reading_<doc_id>`` → the highlighted reading view of each document."""
    return {f"04_reading_{doc.doc_id}": reading.view(doc, ev) for doc in corpus}


def plotted(data: pd.DataFrame, plot: Callable, *args, **kwargs) -> tuple:
    """``(plot(data, *args, **kwargs), data)``: a figure and exactly the table it plots."""
    return plot(data, *args, **kwargs), data


def _keyness_note() -> str:
    return (f"terms seen ≥ {keyness.MIN_FREQ} times; shown if G² ≥ {keyness.THRESHOLD} "
            "(p < 0.05) for some outlet")


#: Outputs of ``run``: name → function(RunData) → a table, a ``(Figure, table)`` pair (written
#: with ``export.figure``) or a dict of page name → object with ``write(name, out)``. The
#: ``01_``…``05_`` entries are the notebooks' outputs, built by the same calls.
OUTPUTS: dict[str, Callable[[RunData], object]] = {
    # notebook 01
    "01_documents": lambda d: d.corpus.documents,
    "01_words_by_section": lambda d: plotted(structure.words_by_section(d.corpus), plots.words_by_section),
    # notebook 02
    "02_top_terms": lambda d: plotted(terms.top_terms(term_table(d.corpus, d.results, "terms", "outlet"), 8),
                                      plots.top_terms_by_group,
                                      title="Most frequent words per outlet (stop words left out)"),
    "02_bigrams": lambda d: terms.top_terms(term_table(d.corpus, d.results, "bigrams", "outlet", min_count=2), 6),
    "02_keyness_outlet": lambda d: d.keyness_outlet,
    "02_keyness_heatmap": lambda d: plotted(keyness.matrix(d.keyness_outlet, top=8), plots.keyness_heatmap,
                                            title="Keywords per outlet against the rest (signed G²)",
                                            note=_keyness_note()),
    "02_keyness_pairwise": lambda d: keyness.pairwise(d.corpus, by="outlet", only_significant=True),
    "02_keyness_date": lambda d: keyness.keyness(d.corpus, by="date", only_significant=True),
    "02_kwic_separatist": lambda d: kwic.search(d.corpus, "separatist*"),
    "02_kwic_peace": lambda d: kwic.sort(kwic.search(d.corpus, "peace"), ["R1", "R2"]),
    "02_collocations": lambda d: collocations.collocations(d.corpus, by="outlet"),
    "02_dispersion": lambda d: plotted(kwic.dispersion(d.corpus, DISPERSION_TERMS), plots.dispersion_plot,
                                       title="Where the terms occur in each text"),
    "02_lexical_stats": lambda d: lexstats.lexical_stats(d.corpus),
    "02_kwic_khankendi": lambda d: concept_concordance(d.corpus, d.evidence),
    # notebook 03
    "03_sentences": lambda d: d.sentences,
    "03_explanations": lambda d: sentiment.explanations(d.corpus),
    "03_paragraphs": lambda d: sentiment.paragraph_scores(d.sentences),
    "03_documents": lambda d: d.sentiment_documents,
    "03_sentiment_shares": lambda d: plotted(d.sentiment_documents, plots.sentiment_shares),
    "03_model_agreement": lambda d: plotted(d.sentences[AGREEMENT_COLUMNS], plots.sentiment_agreement,
                                            sentiment.DISAGREE_TEXTBLOB, sentiment.DISAGREE_VADER),
    "03_disagreements": lambda d: sentiment.disagreements(d.sentences),
    "03_actor_mentions": lambda d: d.actor_mentions,
    "03_actors_first_most": lambda d: actors.first_and_most(d.corpus, d.actor_mentions),
    "03_actor_sentiment": lambda d: plotted(sentiment.actor_sentiment(d.sentences, by="doc_id"), plots.actor_sentiment),
    "03_actor_sentiment_outlet": lambda d: sentiment.actor_sentiment(d.sentences, by="outlet"),
    "03_voice_sentiment": lambda d: plotted(sentiment.voice_sentiment(d.sentences, by="doc_id"), plots.voice_sentiment),
    "03_sentiment_arc": lambda d: plotted(sentiment.arc(d.sentences), plots.sentiment_arc),
    # notebook 04
    "04_evidence": lambda d: d.evidence,
    "04_article_sides": lambda d: markers.article_sides(d.evidence, d.corpus),
    "04_rates": lambda d: d.rates,
    "04_side_rates_by_section": lambda d: plotted(side_rates_by_section(d.rates), plots.side_rates_by_section),
    "04_fingerprint": lambda d: plotted(markers.fingerprint(d.rates), plots.framing_fingerprint),
    "04_naming_scorecard": lambda d: plotted(markers.naming_scorecard(d.evidence, d.corpus), plots.naming_scorecard),
    "04_devices": lambda d: devices.devices(d.corpus),
    "04_reading": lambda d: reading_views(d.corpus, d.evidence),
    # notebook 05
    "05_profile": lambda d: d.profile,
    "05_framing_profile": lambda d: plotted(compare.profile_long(d.profile), plots.framing_profile, compare.INDICATORS),
    "05_neutral_rewrite": lambda d: compare.neutral_rewrite(d.corpus, d.evidence, d.corpus.docs[0].doc_id),
    # corpus tables of ``run`` only
    "terms_by_doc": lambda d: term_table(d.corpus, d.results, "terms", "doc_id"),
    "terms_by_outlet": lambda d: term_table(d.corpus, d.results, "terms", "outlet"),
    "bigrams_by_doc": lambda d: term_table(d.corpus, d.results, "bigrams", "doc_id"),
}


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
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)


def _process_batch(docs: list[Document]) -> list[DocResult]:
    return [process_document(doc) for doc in docs]


def compute_results(docs: list[Document], jobs: int = 1) -> list[DocResult]:
    """``process_document`` for each of ``docs`` (in order), on ``jobs`` processes."""
    if jobs <= 1 or len(docs) < 2:
        return [process_document(doc) for doc in _progress(docs, len(docs), "analysing")]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(64, len(docs) // (jobs * 4) or 1))
    batches = [docs[i:i + size] for i in range(0, len(docs), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        out = []
        for batch in _progress(pool.map(_process_batch, batches), len(batches), "analysing"):
            out.extend(batch)
    return out


def analyse(corpus: Corpus, cache=None, jobs: int = 1) -> tuple[dict[str, DocResult], int]:
    """Per-document results of every document (cached ones read, others computed and stored).

    Returns ``({doc_id: DocResult}, number read from the cache)``.
    """
    results: dict[str, DocResult] = {}
    missing = []
    for doc in corpus:
        hit = cache.get(text_sha256(doc.text)) if cache is not None else None
        if hit is not None:
            results[doc.doc_id] = hit.relabel(doc)
        else:
            missing.append(doc)
    for doc, result in zip(missing, compute_results(missing, jobs)):
        results[doc.doc_id] = result
        if cache is not None:
            cache.put(result.sha256, result)
    return results, len(corpus) - len(missing)


def aggregate(corpus: Corpus, results: dict[str, DocResult]) -> Aggregate:
    """Fold the results in manifest order."""
    agg = Aggregate()
    for position, doc in enumerate(corpus):
        agg.add(results[doc.doc_id], (position,))
    return agg


def write_outputs(corpus: Corpus, results: dict[str, DocResult],
                  out: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Write every ``OUTPUTS`` entry and each stage's table; return (tables, figures, pages)
    written (figures as their PNG paths)."""
    tables, figures, pages = [], [], []
    data = RunData(corpus, results)
    for name, build in _progress(OUTPUTS.items(), len(OUTPUTS), "writing"):
        made = build(data)
        if isinstance(made, tuple):
            fig, table = made
            figures.append(export.figure(fig, table, name, out).paths["png"])
        elif isinstance(made, dict):
            pages += [page.write(page_name, out) for page_name, page in made.items()]
        else:
            tables.append(export.table(made, name, out))
    for name in STAGES:
        if name not in ("terms", "bigrams"):
            tables.append(export.table(stage_table(corpus, results, name), name, out))
    agg = aggregate(corpus, results)
    tables.append(export.table(agg.documents, "document_summary", out))
    tables.append(export.table(agg.terms, "terms_corpus", out))
    return tables, figures, pages


def run(seeds: str | Path | None = None, out: str | Path | None = None, jobs: int = 1,
        use_cache: bool = True, cache_dir: str | Path | None = None) -> RunSummary:
    """Compute every table, figure and reading view for ``seeds`` into ``out``, plus
    ``methods.md`` and ``changes.md``. Documents whose text, lexicon and code are unchanged
    come from the cache.

    ``seeds``: default ``seeds/`` (or ``$FRAMING_SEEDS``). ``out``: default ``output/`` at the
    project root (``DEFAULT_OUTPUT``); relative paths are taken from the project root.
    """
    from analysis.running import cache as cachemod, methods

    started = time.perf_counter()
    current_lexicon.cache_clear()
    seeds_path, out_path = config.seeds_dir(seeds), config.figures_dir(out or DEFAULT_OUTPUT)
    loaded = corpusmod.load_corpus(seeds_path)
    store = cachemod.ResultCache(cachemod.cache_dir(out_path, seeds_path, cache_dir),
                                 cachemod.fingerprint()) if use_cache else None
    results, cached = analyse(loaded, store, jobs)
    tables, figures, pages = write_outputs(loaded, results, out_path)
    agg = aggregate(loaded, results)
    documents = agg.documents
    state_dir = cachemod.cache_dir(out_path, seeds_path, cache_dir)
    previous = cachemod.load_state(state_dir)
    tables.append(files.write_bytes_atomic(out_path / "changes.md",
                                            cachemod.changes_markdown(previous, documents).encode("utf-8")))
    cachemod.save_state(state_dir, documents)
    tables.append(files.write_bytes_atomic(out_path / "methods.md",
                                            methods.markdown(loaded, seeds_path).encode("utf-8")))
    hits = int(documents["markers_rows"].sum()) if "markers_rows" in documents else 0
    words = int(documents["n_words"].sum()) if len(documents) else 0
    return RunSummary(len(loaded), cached, len(loaded) - cached, words, hits, tables, figures,
                      list(loaded.problems), time.perf_counter() - started, pages)
