"""Lexical statistics: counts, type/token ratios, sentence length, syllables and Flesch scores."""
import math

import pytest

from analysis import corpus
from analysis.measures import lexstats

TEXT = "A headline here\n\nThe dog slept. The cat ran away quickly.\n"


def test_syllable_heuristic():
    assert lexstats.syllables("cat") == 1
    assert lexstats.syllables("table") == 2       # "-le" after a consonant keeps its syllable
    assert lexstats.syllables("make") == 1        # silent final e
    assert lexstats.syllables("quickly") == 2
    assert lexstats.syllables("decades-long") == 4  # parts counted separately (true count 3: approximate)
    assert lexstats.syllables("the") == 1 and lexstats.syllables("rhythm") >= 1


def test_document_statistics_by_hand():
    doc = corpus.parse_article(TEXT, "d", {"outlet": "X"})
    row = lexstats.lexical_stats(corpus.Corpus([doc])).iloc[0]
    # prose only (the headline is left out): "The dog slept." + "The cat ran away quickly."
    assert (row.n_sentences, row.n_words, row.n_types) == (2, 8, 7)
    assert row.ttr == pytest.approx(7 / 8)
    assert row.mean_sentence_words == pytest.approx(4.0)
    # syllables: the 1, dog 1, slept 1, the 1, cat 1, ran 1, away 2, quickly 2 = 10 -> 1.25 per word
    assert row.syllables_per_word == pytest.approx(1.25)
    assert row.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 4 - 84.6 * 1.25)
    assert row.flesch_kincaid_grade == pytest.approx(0.39 * 4 + 11.8 * 1.25 - 15.59)
    assert math.isnan(row.mattr)  # fewer words than the MATTR window
    with_headline = lexstats.lexical_stats(corpus.Corpus([doc]), sections=("headline", "lead", "body")).iloc[0]
    assert with_headline.n_words == 11 and with_headline.n_sentences == 3


def test_mattr_by_hand():
    # windows of 3 over a b a c: {a,b}=2, {b,a,c}=3 -> mean 2.5 / 3
    assert lexstats.mattr(["a", "b", "a", "c"], window=3) == pytest.approx(2.5 / 3)
    assert math.isnan(lexstats.mattr(["a"], window=3))


@pytest.mark.integration
def test_shipped_corpus_statistics():
    loaded = corpus.load_corpus()
    table = lexstats.lexical_stats(loaded)
    assert list(table.columns) == lexstats.LEXSTATS_COLUMNS
    assert list(table.doc_id) == list(loaded.documents.doc_id)
    assert (table.n_words <= loaded.documents.n_words.values).all()
    assert table.ttr.between(0, 1).all() and table.mattr.between(0, 1).all()
    assert (table.n_types <= table.n_words).all()
    # official statements and wire copy: long sentences, "difficult" on Flesch's scale
    assert (table.flesch_reading_ease < 50).all()
