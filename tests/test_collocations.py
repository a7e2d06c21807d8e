"""Collocations with NLTK's finder: sentence limits, window, frequency filter, scores, groups."""
import math

import pytest

from analysis.measures import collocations
from analysis import corpus

ONE = "Peace deal news\n\nThe peace deal held. A peace deal failed. Deal makers met.\n"
TWO = "Border report\n\nBorder guards met. Border guards left. Border guards waited.\n"


def tiny():
    return corpus.Corpus([corpus.parse_article(ONE, "one", {"outlet": "Alpha"}),
                          corpus.parse_article(TWO, "two", {"outlet": "Beta"})])


def test_scores_match_hand_arithmetic():
    table = collocations.collocations(tiny(), by="outlet")
    assert list(table.columns) == collocations.COLLOCATION_COLUMNS
    row = table[(table.w1 == "peace") & (table.w2 == "deal")].iloc[0]
    # Alpha: sentences [peace deal news] [the peace deal held] [a peace deal failed] [deal makers met]
    # N = 14 words, f(peace) = 3, f(deal) = 4, f(peace deal) = 3.
    assert (row.n, row.n_w1, row.n_w2, row.n_words) == (3, 3, 4, 14)
    # PMI = log2(3 * 14 / (3 * 4)) = log2(3.5) = 1.807355
    assert row.pmi == pytest.approx(math.log2(3.5))
    # 2x2 table: [3, 0 | 1, 10]; expected 3*4/14, 3*10/14, 11*4/14, 11*10/14
    # G² = 2 (3 ln(3/0.857143) + 1 ln(1/3.142857) + 10 ln(10/7.857143)) = 10.049556
    expected = 2 * (3 * math.log(3 / (12 / 14)) + math.log(1 / (44 / 14)) + 10 * math.log(10 / (110 / 14)))
    assert row.log_likelihood == pytest.approx(expected)
    assert row.log_likelihood == pytest.approx(10.049556, abs=1e-5)


def test_pairs_never_cross_sentences_and_filters_apply():
    table = collocations.collocations(tiny(), by="doc_id", min_freq=1)
    pairs = set(zip(table.w1, table.w2))
    assert ("failed", "deal") not in pairs  # last word of one sentence, first of the next
    assert ("deal", "makers") in pairs
    assert not any(w in {"the", "a"} for w in table.w1) and not any(w in {"the", "a"} for w in table.w2)
    frequent = collocations.collocations(tiny(), by="doc_id", min_freq=2)
    assert (frequent.n >= 2).all() and len(frequent) < len(table)


def test_window_pairs_words_further_apart():
    adjacent = collocations.collocations(tiny(), by="doc_id", min_freq=1)
    wider = collocations.collocations(tiny(), by="doc_id", window=3, min_freq=1)
    assert ("peace", "held") not in set(zip(adjacent.w1, adjacent.w2))
    assert ("peace", "held") in set(zip(wider.w1, wider.w2))
    with pytest.raises(ValueError):
        collocations.collocations(tiny(), window=1)


def test_per_group_and_node():
    table = collocations.collocations(tiny(), by="outlet")
    assert list(table.group.unique()) == ["Alpha", "Beta"]
    beta = table[table.group == "Beta"]
    assert list(zip(beta.w1, beta.w2, beta.n)) == [("border", "guards", 3)]
    node = collocations.collocations(tiny(), by="outlet", node="Deal", min_freq=1)
    assert set(node.w1) | set(node.w2) >= {"deal"} and all("deal" in (a, b) for a, b in zip(node.w1, node.w2))


@pytest.mark.integration
def test_shipped_corpus_collocations():
    table = collocations.collocations(corpus.load_corpus(), by="outlet")
    assert ("peace", "agreement") in set(zip(table.w1, table.w2))
    assert (table.n >= collocations.MIN_FREQ).all()
    for _, part in table.groupby("group", sort=False):
        assert part.log_likelihood.is_monotonic_decreasing
