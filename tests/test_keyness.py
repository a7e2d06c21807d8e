"""Keyness: G² and log ratio checked against hand arithmetic, tables, matrix and the CLI."""
import math

import pytest

from analysis import cli, corpus
from analysis.measures import keyness
from analysis.presentation import plots

ALPHA = "Peace talks\n\nPeace, peace and peace. The peaceful talks resumed. Peace talks matter for peace.\n"
BETA = "Border news\n\nTroops moved to the border. The border stayed closed.\n"
GAMMA = "Peace at the border\n\nTalks on the border went on.\n"


def tiny():
    return corpus.Corpus([corpus.parse_article(ALPHA, "a", {"outlet": "Alpha"}),
                          corpus.parse_article(BETA, "b", {"outlet": "Beta"}),
                          corpus.parse_article(GAMMA, "g", {"outlet": "Gamma"})])


def test_g2_and_log_ratio_equal_sized_corpora():
    # a = 10 of n1 = 1000 words, b = 2 of n2 = 1000 words.
    # E1 = 1000 * 12 / 2000 = 6, E2 = 6.
    # G² = 2 * (10 ln(10/6) + 2 ln(2/6)) = 2 * (5.108256 - 2.197225) = 5.822063
    assert keyness.log_likelihood(10, 2, 1000, 1000) == pytest.approx(5.822063, abs=1e-6)
    # log ratio = log2((10/1000) / (2/1000)) = log2(5) = 2.321928
    assert keyness.log_ratio(10, 2, 1000, 1000) == pytest.approx(2.321928, abs=1e-6)
    # swapping target and reference keeps G² and flips the log ratio
    assert keyness.log_likelihood(2, 10, 1000, 1000) == pytest.approx(5.822063, abs=1e-6)
    assert keyness.log_ratio(2, 10, 1000, 1000) == pytest.approx(-2.321928, abs=1e-6)


def test_g2_and_log_ratio_with_a_zero_count():
    # a = 5 of n1 = 100, b = 0 of n2 = 200. E1 = 100 * 5 / 300 = 5/3, E2 = 10/3.
    # G² = 2 * (5 ln(5 / (5/3)) + 0) = 10 ln 3 = 10.986123 (0 ln 0 taken as 0).
    assert keyness.log_likelihood(5, 0, 100, 200) == pytest.approx(10 * math.log(3))
    # Hardie: the zero becomes 0.5 -> log2((5/100) / (0.5/200)) = log2(0.05 / 0.0025) = log2(20) = 4.321928
    assert keyness.log_ratio(5, 0, 100, 200) == pytest.approx(math.log2(20))
    # equal relative frequencies: no keyness at all
    assert keyness.log_likelihood(3, 6, 100, 200) == pytest.approx(0.0)
    assert keyness.log_ratio(3, 6, 100, 200) == pytest.approx(0.0)


def test_thresholds_are_the_chi_square_critical_values():
    assert keyness.G2_P05 == 3.84 and keyness.G2_P01 == 6.63 and keyness.THRESHOLD == keyness.G2_P05
    assert keyness.CRITICAL_VALUES[0.001] == 10.83


def test_each_group_against_the_rest():
    table = keyness.keyness(tiny(), by="outlet", min_freq=3)
    assert list(table.columns) == keyness.KEYNESS_COLUMNS
    assert list(table.group.unique()) == ["Alpha", "Beta", "Gamma"]
    alpha = table[table.group == "Alpha"].set_index("term")
    # Alpha: peace 6 of 2 + 4 + 4 + 5 = 15 words; rest (Beta 11 + Gamma 10 words): peace 1 of 21.
    row = alpha.loc["peace"]
    assert (row.n_group, row.n_reference, row.words_group, row.words_reference) == (6, 1, 15, 21)
    # E1 = 15 * 7 / 36 = 2.916667, E2 = 21 * 7 / 36 = 4.083333
    # G² = 2 * (6 ln(6 / 2.916667) + 1 ln(1 / 4.083333)) = 2 * (4.327906 - 1.406914) = 5.841984
    e1, e2 = 15 * 7 / 36, 21 * 7 / 36
    g2 = 2 * (6 * math.log(6 / e1) + 1 * math.log(1 / e2))
    assert g2 == pytest.approx(5.841984, abs=1e-5)
    assert row.g2 == pytest.approx(g2)
    assert row.signed_g2 == pytest.approx(g2) and bool(row.significant)
    assert row.log_ratio == pytest.approx(math.log2((6 / 15) / (1 / 21)))
    # "border" (Beta 3, Gamma 2, Alpha 0) is a negative keyword of Alpha: same G², negative sign
    assert alpha.loc["border", "signed_g2"] < 0
    assert alpha.loc["border", "signed_g2"] == pytest.approx(-alpha.loc["border", "g2"])
    # within a group rows run from most positive to most negative
    assert alpha.signed_g2.is_monotonic_decreasing


def test_min_freq_and_only_significant():
    table = keyness.keyness(tiny(), by="outlet", min_freq=3)
    assert "troops" not in set(table.term)  # seen once in the whole corpus
    assert "troops" in set(keyness.keyness(tiny(), by="outlet", min_freq=1).term)
    significant = keyness.keyness(tiny(), by="outlet", min_freq=1, only_significant=True)
    assert significant.significant.all() and (significant.g2 >= keyness.THRESHOLD).all()
    assert len(significant) < len(keyness.keyness(tiny(), by="outlet", min_freq=1))


def test_pairwise_compares_each_pair_once():
    table = keyness.pairwise(tiny(), by="outlet", min_freq=2)
    assert sorted(set(zip(table.group, table.reference))) == [("Alpha", "Beta"), ("Alpha", "Gamma"), ("Beta", "Gamma")]
    row = table[(table.group == "Alpha") & (table.reference == "Beta")].set_index("term").loc["peace"]
    assert row.g2 == pytest.approx(keyness.log_likelihood(6, 0, 15, 11))


def test_matrix_and_heatmap():
    table = keyness.keyness(tiny(), by="outlet", min_freq=3)
    wide = keyness.matrix(table, top=5, threshold=0.0)
    assert list(wide.columns) == ["term", "Alpha", "Beta", "Gamma"]
    assert wide.iloc[0].term == "peace" and wide.iloc[0].Alpha > 0 > wide.iloc[0].Beta
    assert "border" in set(wide.term)
    fig = plots.keyness_heatmap(wide, note="min. frequency 3; G² ≥ 3.84")
    assert len(fig.axes[0].texts) == len(wide) * 3


def test_unknown_group_column():
    with pytest.raises(ValueError, match="cannot group by"):
        keyness.keyness(tiny(), by="colour")


@pytest.mark.integration
def test_shipped_corpus_keywords():
    table = keyness.keyness(corpus.load_corpus(), by="outlet", only_significant=True)
    joint = table[table.group == "Joint statement AZ-AM"].set_index("term")
    assert joint.loc["republic", "g2"] > keyness.G2_P0001  # 13 of the corpus's 15 "republic"s
    assert table[table.group == "Anadolu Agency"].iloc[0].term == "said"


def _seeds(folder):
    for name, body in [("a.txt", ALPHA), ("b.txt", BETA), ("g.txt", GAMMA)]:
        (folder / name).write_text(body, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "id,file,title,outlet,date\n"
        "a,a.txt,Peace talks,Alpha,2023-01-01\n"
        "b,b.txt,Border news,Beta,2023-01-02\n"
        "g,g.txt,Peace at the border,Gamma,2023-01-03\n", encoding="utf-8")
    return folder


def test_cli_keyness(tmp_path, capsys):
    seeds = _seeds(tmp_path)
    assert cli.main(["keyness", "--seeds", str(seeds), "--by", "outlet", "--min-freq", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(keyness.KEYNESS_COLUMNS)
    assert lines[1].startswith("Alpha,(rest),peace,6,1,15,21,")
    assert all(line.endswith("True") for line in lines[1:])
    assert cli.main(["keyness", "--seeds", str(seeds), "--pairwise", "--all", "--min-freq", "1"]) == 0
    assert "Beta,Gamma," in capsys.readouterr().out
    assert cli.main(["keyness", "--seeds", str(seeds), "--by", "colour"]) == 2
