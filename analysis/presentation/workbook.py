"""The workbook of one corpus: the shared tables every notebook section is built from.

A ``Workbook`` holds the corpus and builds, once and on first use, the tables several sections
share (marker evidence, sentence scores, actor mentions, keyness, rates, the framing profile).
The batch run hands it the per-document tables it already has (from its cache); a notebook
lets it compute them. Either way the section functions (``SECTIONS``) turn it into the same
tables and figures.
"""
from __future__ import annotations

import functools
import os
from typing import Callable
from collections import Counter
import pandas as pd

from analysis import config, problems as problemsmod
from analysis.corpus import Corpus, load_corpus
from analysis.framing import actors, compare, markers, packs, tallies
from analysis.measures import keyness, sentiment, terms
from analysis.presentation.section import Section, Text


#: Most rows (texts, or outlet groups) a chart draws: above it per-text charts become per-outlet,
#: and beyond this many outlets the smallest are pooled as "other outlets".
MAX_ROWS = 12
#: The pooled group's label, and the metadata key that holds each text's chart group.
OTHERS = "other outlets"
GROUP_KEY = "chart_group"


class Workbook:
    """A corpus and its shared tables. ``counts(doc_id, ngram)``: the word (1) or bigram (2) Counter
    (stop words left out), given by the batch run; computed per document otherwise."""

    def __init__(self, corpus: Corpus, out: str | os.PathLike | None = None, *, focus: str | None = None,
                 evidence: pd.DataFrame | None = None, sentences: pd.DataFrame | None = None,
                 counts: Callable[[str, int], Counter] | None = None):
        self.corpus = corpus
        self.out = config.figures_dir(out)
        self._focus = focus
        self._counts = counts
        if evidence is not None:
            self.evidence = evidence
        if sentences is not None:
            self.sentences = sentences
        self.groups  # noqa: B018  (stores each text's chart group in its metadata)

    @property
    def focus(self) -> str | None:
        """The document the notebooks read closely: the ``focus`` parameter, else the first text."""
        ids = [doc.doc_id for doc in self.corpus]
        for chosen in (self._focus, self.parameter("focus")):
            if chosen and chosen in ids:
                return chosen
        return ids[0] if ids else None

    @property
    def story(self) -> packs.Story:
        """The active story: the packs the seeds folder (or the ``story`` parameter) selects."""
        return packs.active()

    def parameter(self, name: str):
        """A notebook parameter of the story (concordance queries, dispersion terms …)."""
        return self.story.parameter(name)

    @property
    def side_labels(self) -> dict[str, str]:
        """Side id → label, e.g. ``ru`` → "Russian official"."""
        return {side.id: side.label for side in self.story.sides}

    @property
    def colours(self) -> dict[str, str]:
        """Side id → colour of the story's sides."""
        return {side.id: side.colour for side in self.story.sides}

    @property
    def form_colours(self) -> dict[str, str]:
        """Naming-scorecard form (e.g. "Azerbaijani") → its side's colour."""
        return {side.form: side.colour for side in self.story.sides}

    def show(self, build) -> Section:
        """Build one section (``build(self)``), write its files into ``out`` and return it for display."""
        section = self.build(build)
        section.write(self.out, self.source_note)
        return section

    def build(self, build) -> Section:
        """``build(self)``, or a sentence saying why there is nothing to show on an empty corpus."""
        if not len(self.corpus):
            return Section([Text("No text could be analysed: nothing to show here (see the problems listed above).")])
        return build(self)

    @property
    def per_text(self) -> bool:
        """True when charts draw one row per text (at most MAX_ROWS texts), else one per outlet group."""
        return len(self.corpus) <= MAX_ROWS

    @functools.cached_property
    def groups(self) -> dict[str, str]:
        """doc_id → the row a chart puts it in: itself (few texts), its outlet, or OTHERS for the
        smallest outlets beyond MAX_ROWS − 1. Also stored in each document's ``chart_group``."""
        if self.per_text:
            found = {doc.doc_id: doc.doc_id for doc in self.corpus}
        else:
            sizes = Counter(doc.outlet for doc in self.corpus)
            ranked = sorted(sizes, key=lambda o: (-sizes[o], o))
            kept = set(ranked if len(ranked) <= MAX_ROWS else ranked[:MAX_ROWS - 1])
            found = {doc.doc_id: doc.outlet if doc.outlet in kept else OTHERS for doc in self.corpus}
        for doc in self.corpus:
            doc.meta[GROUP_KEY] = found[doc.doc_id]
        return found

    @functools.cached_property
    def largest_outlets(self) -> list[str]:
        """Outlets by number of texts (most first, then by name), at most MAX_ROWS: those drawn
        where a chart has one panel or column per outlet."""
        sizes = Counter(doc.outlet for doc in self.corpus)
        return sorted(sizes, key=lambda o: (-sizes[o], o))[:MAX_ROWS]

    @property
    def row_label(self) -> str:
        """What a chart's rows are: "text" or "outlet"."""
        return "text" if self.per_text else "outlet"

    def regroup(self, table: pd.DataFrame, column: str = "doc_id") -> pd.DataFrame:
        """``table`` with ``column`` (doc ids) replaced by the chart groups (unchanged for few texts)."""
        if self.per_text:
            return table
        return table.assign(**{column: table[column].map(self.groups)})

    @functools.cached_property
    def source_note(self) -> str:
        """The note every figure carries: corpus, number of texts, date range, lexicon."""
        dates = sorted(d for d in (doc.meta.get("date", "") for doc in self.corpus) if d)
        span = f"{dates[0]} to {dates[-1]}" if dates else "no dates"
        name = self.corpus.seeds.name if self.corpus.seeds else "articles"
        return (f"Source: corpus '{name}', {len(self.corpus):,} texts, {span}; lexicon "
                f"{markers.current_lexicon().version}; {self.story.describe()}")

    def doc_counts(self, doc, ngram: int) -> Counter:
        if self._counts is not None:
            return self._counts(doc.doc_id, ngram)
        return terms.doc_counts(doc, ngram)

    def term_table(self, ngram: int = 1, by: str = "outlet", min_count: int = 1) -> pd.DataFrame:
        """``terms.term_table`` (same columns, order and values) from the per-document counts."""
        counts: dict[str, Counter] = {}
        totals: Counter = Counter()
        for doc in self.corpus:
            key = terms.group_of(doc, by)
            counts.setdefault(key, Counter()).update(self.doc_counts(doc, ngram))
            totals[key] += doc.n_words
        return terms.table_from_counts(counts, totals, min_count)

    @functools.cached_property
    def evidence(self) -> pd.DataFrame:
        return markers.evidence(self.corpus)

    @functools.cached_property
    def sentences(self) -> pd.DataFrame:
        return actors.sentence_table(self.corpus)

    @functools.cached_property
    def actor_mentions(self) -> pd.DataFrame:
        return actors.mentions(self.corpus)

    @functools.cached_property
    def explanations(self) -> pd.DataFrame:
        return sentiment.explanations(self.corpus)

    @functools.cached_property
    def keyness_outlet(self) -> pd.DataFrame:
        return keyness.keyness(self.corpus, by="outlet")

    @functools.cached_property
    def rates(self) -> pd.DataFrame:
        return tallies.rates(self.evidence, self.corpus)

    @functools.cached_property
    def sentiment_documents(self) -> pd.DataFrame:
        return sentiment.document_scores(self.sentences)

    @functools.cached_property
    def profile(self) -> pd.DataFrame:
        return compare.profile(self.corpus, self.evidence, self.sentences)
