"""Hand-checked numbers of the rate, tally, keyness and profile tables on tiny literal texts: every
expected value is worked out by hand (word counts, hits, G² and log ratio formulas)."""
import itertools
import math
from collections import Counter

import pandas as pd
import pytest

from analysis import corpus
from analysis.framing import actors, compare, markers, tallies
from analysis.measures import keyness, rates


def three_texts():
    """Each text has 20 words (headline + lead + body)."""
    return corpus.Corpus([
        # 4 + 7 + 9 words; wire names only (Lachin, Aghdam) and one "said"
        corpus.parse_article("Talks resume near Lachin\n\nThe ministers met in Aghdam on Monday.\n\n"
                             "Officials from both capitals said little about the talks.\n",
                             "zeta", {"outlet": "Wire", "date": "2023-10-01"}),
        # 4 + 5 + 11 words; liberated, Khankendi, illegal separatists in its own voice; a quoted Stepanakert
        corpus.parse_article("Azerbaijan liberated Khankendi today\n\nIllegal separatists left the city.\n\n"
                             "\"Stepanakert is ours,\" the minister said on Monday in the capital.\n",
                             "alpha", {"outlet": "Agency"}),
        # 3 + 10 + 7 words; a slogan and both names of the city in the author's voice
        corpus.parse_article("Rally in Baku\n\n"
                             "Karabakh is Azerbaijan. Khankendi was calm. Later Stepanakert was quiet.\n\n"
                             "Crowds gathered in the square before noon.\n",
                             "beta", {"outlet": "Daily"}),
    ])


def quiet_text():   # no marker at all
    return corpus.parse_article("Talks resume\n\nThe ministers met on Monday.\n", "quiet", {"outlet": "Post"})


def runs(values):
    return [v for v, _ in itertools.groupby(values)]


def fruit_texts():
    """9 words (apples, berries, cherries, dates twice each, "and" once) against 27 other words."""
    return corpus.Corpus([
        corpus.parse_article("Apples\n\nApples, berries, cherries and dates. Berries, cherries, dates.\n",
                             "k1", {"outlet": "Orchard"}),
        corpus.parse_article("Weather report\n\nRain fell across the hills on Tuesday while farmers waited.\n\n"
                             "Roads stayed open and schools reopened after a week of storms near the old coast.\n",
                             "k2", {"outlet": "Weather"}),
    ])


# 4·ln 4: a term seen twice in 9 words and never in the other 27 (E1 = 9·2/36 = 0.5, G² = 2·2·ln(2/0.5))
G2_TWICE = 4 * math.log(4)


def test_rate_is_per_1000_words_and_zero_without_words():
    assert rates.rate(2, 400) == 5.0                      # 2 hits in 400 words
    assert rates.rate(3, 0) == 0.0 and rates.rate(0, 0) == 0.0


def test_in_given_order_puts_unlisted_values_last():
    cat = rates.in_given_order(pd.Series(["b", "x", "a", "b"]), ["a", "b", "c"])
    assert list(cat.categories) == ["a", "b", "c", "x"] and cat.ordered
    assert list(pd.Series(cat).sort_values()) == ["a", "b", "b", "x"]


def test_word_counts_of_the_texts():
    seeds = three_texts()
    assert [d.n_words for d in seeds] == [20, 20, 20]
    words = tallies.section_words(seeds)
    whole = words[words["section_group"] == "all"].set_index("group")["n_words"].to_dict()
    assert whole == {"zeta": 20, "alpha": 20, "beta": 20}
    alpha = words[words["group"] == "alpha"].set_index("section_group")["n_words"].to_dict()
    assert alpha == {"headline+caption": 4, "lead": 5, "body": 11, "all": 20}


def test_rates_by_text_section_and_side():
    seeds = three_texts()
    table = tallies.rates(markers.evidence(seeds), seeds)
    assert list(table.columns) == ["group", "section_group", "dimension", "value", "n", "n_words", "rate_per_1000"]
    assert runs(table["group"]) == ["zeta", "alpha", "beta"]                # one block per text, manifest order
    for group in ("zeta", "alpha", "beta"):
        assert runs(table.loc[table["group"] == group, "section_group"]) == ["all", "headline+caption", "lead", "body"]
    cell = table.set_index(["group", "section_group", "dimension", "value"])
    assert tuple(cell.loc[("alpha", "all", "side", "az")]) == (3, 20, 150.0)          # 3 in 20 words
    assert tuple(cell.loc[("alpha", "headline+caption", "side", "az")]) == (2, 4, 500.0)
    assert tuple(cell.loc[("alpha", "lead", "category", "delegitimiser")]) == (1, 5, 200.0)
    n, n_words, per_1000 = cell.loc[("alpha", "body", "voice", "attributed")]
    assert (n, n_words) == (2, 11) and per_1000 == pytest.approx(2000 / 11)
    assert tuple(cell.loc[("zeta", "all", "side", "wire")]) == (2, 20, 100.0)
    assert tuple(cell.loc[("zeta", "all", "side", "az")]) == (0, 20, 0.0)             # zero rows kept
    assert tuple(cell.loc[("beta", "all", "category", "slogan")]) == (1, 20, 50.0)
    by_outlet = tallies.rates(markers.evidence(seeds), seeds, by="outlet").set_index(["group", "section_group"])
    assert tuple(by_outlet.loc[("Agency", "all")].query("value == 'az'").iloc[0, -3:]) == (3, 20, 150.0)


def test_article_sides_counts_and_verdicts():
    seeds = three_texts()
    sides = tallies.article_sides(markers.evidence(seeds), seeds)
    assert list(sides.columns) == ["doc_id", "outlet", "az_strong", "az_weak", "am_strong", "am_weak",
                                   "az_score", "am_score", "framing"]
    assert sides["outlet"].tolist() == ["Wire", "Agency", "Daily"]
    rows = sides.set_index("doc_id")
    # alpha: 3 strong Azerbaijani hits in its own voice, no weak ones; the quoted Stepanakert does not count
    assert rows.loc["alpha", ["az_strong", "az_weak", "am_strong", "am_score", "az_score"]].tolist() == [3, 0, 0, 0, 3]
    assert rows.loc["beta", ["az_strong", "az_weak", "am_strong", "am_weak", "az_score", "am_score"]].tolist() == [
        2, 0, 1, 0, 2, 1]
    assert rows["framing"].tolist() == ["no partisan framing", "az", "mixed"]


def test_naming_scorecard_rows():
    seeds = three_texts()
    card = tallies.naming_scorecard(markers.evidence(seeds), seeds)
    assert list(card.columns) == ["group", "pair", "form", "forms_seen", "n_hits", "n_attributed"]
    absent = ("not named", "", 0, 0)
    assert [tuple(r) for r in card.itertuples(index=False)] == [
        ("Wire", "aghdam-akna", "neutral", "aghdam", 1, 0),
        ("Wire", "lachin-berdzor", "neutral", "lachin", 1, 0),
        ("Wire", "stepanakert-khankendi", *absent),
        ("Agency", "aghdam-akna", *absent),
        ("Agency", "lachin-berdzor", *absent),
        ("Agency", "stepanakert-khankendi", "Azerbaijani", "khankendi, stepanakert", 2, 1),
        ("Daily", "aghdam-akna", *absent),
        ("Daily", "lachin-berdzor", *absent),
        ("Daily", "stepanakert-khankendi", "mixed", "khankendi, stepanakert", 2, 0),
    ]


def test_side_counts_per_text():
    seeds = corpus.Corpus(list(three_texts()) + [quiet_text()])
    counts = tallies.side_counts(markers.evidence(seeds), seeds)
    assert counts.index.tolist() == ["zeta", "alpha", "beta", "quiet"]
    assert counts.loc["zeta"].to_dict() == {"wire": 2, "none": 1, "az": 0, "am": 0}
    assert counts.loc["alpha"].to_dict() == {"wire": 0, "none": 2, "az": 3, "am": 0}
    assert counts.loc["beta"].to_dict() == {"wire": 0, "none": 0, "az": 2, "am": 1}
    assert counts.loc["quiet"].to_dict() == {"wire": 0, "none": 0, "az": 0, "am": 0}    # no hits at all


def test_tables_keep_their_columns_without_hits_or_texts():
    quiet, none = corpus.Corpus([quiet_text()]), corpus.Corpus([])
    table = tallies.rates(markers.evidence(quiet), quiet)
    assert table.empty and list(table.columns)[-3:] == ["n", "n_words", "rate_per_1000"]
    assert list(tallies.section_words(none).columns) == ["group", "section_group", "n_words"]
    assert list(tallies.article_sides(markers.evidence(none), none).columns)[:3] == ["doc_id", "outlet", "az_strong"]
    assert list(compare.profile(none, markers.evidence(none), actors.sentence_table(none)).columns)[:3] == [
        "doc_id", "outlet", "date"]
    rewrite = compare.neutral_rewrite(quiet, markers.evidence(quiet), "quiet")
    assert rewrite.empty and list(rewrite.columns) == ["sentence", "section", "original", "suggestion"]


def test_profile_numbers():
    seeds = three_texts()
    ev = markers.evidence(seeds)
    sentences = pd.DataFrame({   # beta has no sentence rows: its means and shares are 0.0
        "doc_id": ["zeta", "zeta", "alpha", "alpha", "alpha", "alpha"],
        "voice": ["authorial", "attributed", "authorial", "authorial", "authorial", "attributed"],
        "textblob_polarity": [0.5, -0.1, 0.1, 0.3, -0.2, 0.4],
        "vader_compound": [0.4, 0.2, 0.0, 0.0, 0.0, 1.0],
    })
    table = compare.profile(seeds, ev, sentences)
    assert list(table.columns)[:9] == ["doc_id", "outlet", "date", "n_words", "framing", "az_score", "am_score",
                                       "loaded_per_1000", "partisan_authorial_per_1000"]
    rows = table.set_index("doc_id")
    assert rows["outlet"].tolist() == ["Wire", "Agency", "Daily"]
    assert rows["date"].tolist() == ["2023-10-01", "", ""]
    assert rows["framing"].tolist() == ["no partisan framing", "az", "mixed"]
    # loaded: wire names and "said" are not; alpha 4 (incl. the quoted Stepanakert), beta 3, in 20 words
    assert rows["loaded_per_1000"].tolist() == [0.0, 200.0, 150.0]
    assert rows["partisan_authorial_per_1000"].tolist() == [0.0, 150.0, 150.0]
    assert rows["share_hits_attributed"].tolist() == [0.0, 0.25, 0.0]          # alpha: 1 of 4 loaded hits
    assert rows["share_sentences_attributed"].tolist() == [0.5, 0.25, 0.0]
    assert rows["textblob_polarity_mean"].tolist() == pytest.approx([0.2, 0.15, 0.0])
    assert rows["vader_compound_mean"].tolist() == pytest.approx([0.3, 0.25, 0.0])
    assert rows["names"].tolist() == ["aghdam-akna: neutral; lachin-berdzor: neutral",
                                      "stepanakert-khankendi: Azerbaijani", "stepanakert-khankendi: mixed"]
    long = compare.profile_long(table)
    assert list(long.columns) == ["doc_id", "indicator", "value"]
    assert long["doc_id"].tolist()[:4] == ["zeta", "alpha", "beta", "zeta"]
    assert long["indicator"].tolist()[:4] == ["loaded_per_1000"] * 3 + ["partisan_authorial_per_1000"]
    assert long["value"].tolist()[:3] == [0.0, 200.0, 150.0]


def test_profile_keywords_are_the_first_three_significant_terms():
    seeds = fruit_texts()
    table = compare.profile(seeds, markers.evidence(seeds), actors.sentence_table(seeds)).set_index("doc_id")
    # four terms with G² = 4·ln 4 ≈ 5.55 each (≥ 3.84), ties in alphabetical order;
    # k2 has none (a term seen c times there: 2·c·ln(36/27) < 3.84)
    assert table.loc["k1", "keywords"] == "apples, berries, cherries"
    assert table.loc["k2", "keywords"] == ""
    # terms seen once are keywords too: 2·ln(31/4) ≈ 4.10 for each word of a 4-word text beside 27 words
    short = corpus.Corpus([corpus.parse_article("Figs\n\nLemons and limes.\n", "s1", {"outlet": "Market"}),
                           seeds["k2"]])
    assert compare.profile(short, markers.evidence(short), actors.sentence_table(short))["keywords"].tolist() == [
        "figs, lemons, limes", ""]


def test_neutral_rewrite_skips_markers_without_alternative():
    seeds = three_texts()
    ev = markers.evidence(seeds)
    rewrite = compare.neutral_rewrite(seeds, ev, "beta")
    assert list(rewrite.columns) == ["sentence", "section", "original", "suggestion"]
    # the slogan (sentence 1) has no neutral alternative; the two names (sentences 2 and 3) do
    assert rewrite["sentence"].tolist() == [2, 3] and rewrite["section"].tolist() == ["lead", "lead"]
    assert rewrite["original"].tolist() == ["Khankendi was calm.", "Later Stepanakert was quiet."]
    assert compare.neutral_rewrite(seeds, ev.iloc[::-1], "beta")["sentence"].tolist() == [2, 3]   # reading order


def test_profile_summary_text():
    table = pd.DataFrame({"doc_id": ["a"], "framing": ["az"], "loaded_per_1000": [12.34567],
                          "partisan_authorial_per_1000": [5.0], "vader_compound_mean": [-0.25], "n_words": [20]})
    header, row = compare.profile_summary(table).splitlines()
    assert header.split() == list(table.columns[:5])                       # n_words is left out
    assert row.split() == ["a", "az", "12.346", "5.000", "-0.250"]


def test_log_likelihood_and_log_ratio_with_small_and_zero_counts():
    # a = 1 in 100 words, b = 0 in 100: E1 = 0.5, G² = 2·1·ln(1/0.5) = 2 ln 2
    g2 = keyness.log_likelihood(1, 0, 100, 100)
    assert type(g2) is float and g2 == pytest.approx(2 * math.log(2))
    assert keyness.log_likelihood(0, 1, 100, 100) == pytest.approx(2 * math.log(2))      # E2 = 0.5
    assert keyness.log_likelihood(0, 2, 100, 100) == pytest.approx(4 * math.log(2))      # E2 = 1
    # log ratio: 0 → 0.5, log2((0.5/100)/(2/100)) = −2; log2((1/100)/(1/200)) = 1
    lr = keyness.log_ratio(0, 2, 100, 100)
    assert type(lr) is float and lr == pytest.approx(-2.0)
    assert keyness.log_ratio(2, 0, 100, 100) == pytest.approx(2.0)
    assert keyness.log_ratio(1, 1, 100, 200) == pytest.approx(1.0)


def test_compare_values_and_order():
    table = keyness.compare(Counter({"war": 2, "peace": 2}), Counter({"talks": 4}), 400, 200, min_freq=1)
    assert table["group"].tolist() == ["target"] * 3
    assert table["term"].tolist() == ["peace", "war", "talks"]            # equal signed G²: alphabetical
    assert table["rate_group"].tolist() == [5.0, 5.0, 0.0]                 # 2 in 400 words
    assert table["rate_reference"].tolist() == [0.0, 0.0, 20.0]            # 4 in 200 words
    # peace: E1 = 400·2/600 = 4/3, G² = 4·ln 1.5; talks: E2 = 4/3, G² = 8·ln 3
    assert table["g2"].tolist() == pytest.approx([4 * math.log(1.5), 4 * math.log(1.5), 8 * math.log(3)])
    assert table["signed_g2"].tolist() == pytest.approx([4 * math.log(1.5), 4 * math.log(1.5), -8 * math.log(3)])
    assert table["log_ratio"].tolist() == pytest.approx([1.0, 1.0, -4.0])
    assert table["significant"].tolist() == [False, False, True]
    # equal rates: G² is exactly 0, significant at threshold 0 (G² ≥ threshold)
    level = keyness.compare(Counter(x=1), Counter(x=1), 100, 100, min_freq=1, threshold=0.0)
    assert level["g2"].tolist() == [0.0] and level["significant"].tolist() == [True]


def test_compare_needs_words_on_both_sides():
    assert len(keyness.compare(Counter(x=1), Counter(x=2), 1, 1, min_freq=1)) == 1
    for empty in (keyness.compare(Counter(x=3), Counter(), 10, 0), keyness.compare(Counter(), Counter(x=3), 0, 10)):
        assert empty.empty and list(empty.columns) == keyness.KEYNESS_COLUMNS


def test_keyness_against_the_rest():
    seeds = fruit_texts()
    assert [d.n_words for d in seeds] == [9, 27]
    table = keyness.keyness(seeds, min_freq=1)
    assert list(dict.fromkeys(table["group"])) == ["Orchard", "Weather"]
    assert table.index.tolist() == list(range(len(table)))
    assert not {"and", "the", "of"} & set(table["term"])
    apples = table[(table["group"] == "Orchard") & (table["term"] == "apples")].iloc[0]
    assert (apples["n_group"], apples["n_reference"], apples["words_group"], apples["words_reference"]) == (2, 0, 9, 27)
    assert apples["rate_group"] == pytest.approx(2000 / 9)
    assert apples["g2"] == pytest.approx(G2_TWICE) and bool(apples["significant"])
    assert apples["log_ratio"] == pytest.approx(math.log2(12))            # (2/9)/(0.5/27) = 12
    assert not keyness.keyness(seeds, min_freq=1, threshold=6.0)["significant"].astype(bool).any()   # max 4·ln 4
    assert {"cherri", "appl"} <= set(keyness.keyness(seeds, min_freq=1, stem="porter")["term"])
    single = keyness.keyness(corpus.Corpus([seeds["k1"]]), min_freq=1)
    assert single.empty and list(single.columns) == keyness.KEYNESS_COLUMNS


def test_pairwise_passes_its_options():
    seeds = fruit_texts()
    table = keyness.pairwise(seeds, min_freq=1)
    assert set(table["group"]) == {"Orchard"} and set(table["reference"]) == {"Weather"}
    assert "apples" in set(table["term"]) and not {"and", "the"} & set(table["term"])
    assert table.loc[table["term"] == "apples", "g2"].tolist() == pytest.approx([G2_TWICE])
    assert not keyness.pairwise(seeds, min_freq=1, threshold=6.0)["significant"].astype(bool).any()   # max 4·ln 4
    only = keyness.pairwise(seeds, min_freq=1, only_significant=True)
    assert sorted(only["term"]) == ["apples", "berries", "cherries", "dates"]
    assert "cherri" in set(keyness.pairwise(seeds, min_freq=1, stem="porter")["term"])


def keyness_table(rows):
    return pd.DataFrame([{"group": g, "term": t, "signed_g2": s, "g2": abs(s)} for g, t, s in rows])


def test_matrix_choice_order_and_fill():
    table = keyness_table([("Wire", "alpha", 9.0), ("Wire", "beta", 5.0), ("Wire", "gamma", -7.0),
                           ("Wire", "omega", -6.0), ("Agency", "gamma", 7.0), ("Agency", "delta", 0.7)])
    out = keyness.matrix(table, top=2, threshold=5.0)
    assert list(out.columns) == ["term", "Wire", "Agency"]
    assert out["term"].tolist() == ["alpha", "beta", "gamma"]            # beta: G² = threshold is kept
    assert out["Wire"].tolist() == [9.0, 5.0, -7.0]
    assert out["Agency"].tolist() == [0.0, 0.0, 7.0]
    assert keyness.matrix(table, top=1, threshold=5.0)["term"].tolist() == ["alpha", "gamma"]
    assert keyness.matrix(table, top=2, threshold=0.5)["term"].tolist() == ["alpha", "beta", "gamma", "delta"]
    zero = keyness_table([("Wire", "alpha", 9.0), ("Wire", "level", 0.0)])   # equal rates: not a keyword
    assert keyness.matrix(zero, threshold=0.0)["term"].tolist() == ["alpha"]
    nine = keyness_table([("Wire", f"t{i}", 20.0 - i) for i in range(9)])
    assert keyness.matrix(nine)["term"].tolist() == [f"t{i}" for i in range(8)]
