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
from collections import Counter
import pandas as pd

from analysis import config, problems as problemsmod
from analysis.corpus import Corpus, load_corpus
from analysis.framing import actors, compare, markers, packs, tallies
from analysis.measures import keyness, sentiment, terms
from analysis.presentation.section import Section


class Workbook:
    """A corpus and its shared tables. ``counts``: doc_id → {1: word Counter, 2: bigram Counter}
    (stop words left out), given by the batch run; computed per document otherwise."""

    def __init__(self, corpus: Corpus, out: str | os.PathLike | None = None, *, focus: str | None = None,
                 evidence: pd.DataFrame | None = None, sentences: pd.DataFrame | None = None,
                 counts: dict[str, dict[int, Counter]] | None = None):
        self.corpus = corpus
        self.out = config.figures_dir(out)
        self._focus = focus
        self._counts = counts
        if evidence is not None:
            self.evidence = evidence
        if sentences is not None:
            self.sentences = sentences

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
        section = build(self)
        section.write(self.out)
        return section

    def doc_counts(self, doc, ngram: int) -> Counter:
        if self._counts is not None:
            return self._counts[doc.doc_id][ngram]
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


def open_workbook(seeds: str | os.PathLike | None = None, figures: str | os.PathLike | None = None,
                  focus: str | None = None, story: str | list[str] | None = None) -> Workbook:
    """The notebooks' first step: point at the folders, choose the story, load the corpus, print
    its problems and which story packs apply."""
    config.use(seeds=seeds, figures=figures)
    chosen = packs.activate(config.seeds_dir(), config.stories(story))
    corpus = load_corpus()
    problemsmod.show(corpus.problems + chosen.fit([(doc.doc_id, doc.text) for doc in corpus]))
    print(chosen.describe())
    return Workbook(corpus, focus=focus)
