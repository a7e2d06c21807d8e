"""The framing profile and the neutral rewrite."""
import re

import pytest

from analysis.framing import compare, markers
from analysis import corpus
from analysis.framing import actors
from analysis.measures import keyness, sentiment
from analysis.presentation import prose


def small_corpus():
    docs = [
        corpus.parse_article("Agency view\n\nAzerbaijan liberated Khankendi from illegal separatists. Talks went well.\n",
                             "agency", {"outlet": "Agency"}),
        corpus.parse_article("Wire view\n\nAzerbaijan retook Stepanakert, known as Khankendi to Azerbaijanis. Talks went well.\n",
                             "wire", {"outlet": "Wire"}),
    ]
    return corpus.Corpus(docs)


def test_neutral_rewrite_changes_only_the_markers():
    seeds = small_corpus()
    ev = markers.evidence(seeds)
    rewrite = compare.neutral_rewrite(seeds, ev, "agency")
    assert len(rewrite) == 1
    row = rewrite.iloc[0]
    assert "[liberated → " in row["suggestion"] and "[illegal separatists → ethnic Armenian forces]" in row["suggestion"]
    # removing the inserted suggestions gives the original sentence back
    restored = re.sub(r"\[([^\]]+?) → [^\]]+\]", r"\1", row["suggestion"])
    assert restored == row["original"]
    assert compare.neutral_rewrite(seeds, ev, "wire").empty


def test_profile_counts_partisan_authorial_markers_per_1000_words():
    seeds = small_corpus()
    ev = markers.evidence(seeds)
    profile = compare.profile(seeds, ev, actors.sentence_table(seeds)).set_index("doc_id")
    agency, wire = profile.loc["agency"], profile.loc["wire"]
    assert agency["framing"] == "az" and wire["framing"] == "no partisan framing"
    n_partisan = len(ev[(ev["doc_id"] == "agency") & ev["side"].isin(["az", "am"]) & (ev["voice"] == "authorial")])
    assert agency["partisan_authorial_per_1000"] == pytest.approx(n_partisan / agency["n_words"] * 1000)
    assert wire["partisan_authorial_per_1000"] == 0
    assert "stepanakert-khankendi: dual" in wire["names"]
    long = compare.profile_long(profile.reset_index())
    assert len(long) == 2 * len(compare.INDICATORS)


def many_texts(n=15):
    """``n`` texts: every third one has Armenian-side markers, t13 shares the focus text's "Khankendi"."""
    docs = [corpus.parse_article("Agency view\n\nAzerbaijan liberated Khankendi from illegal separatists.\n",
                                 "t00", {"outlet": "Agency"})]
    for i in range(1, n):
        body = ("Stepanakert was quiet and the separatists left." if i % 3 == 0
                else "Khankendi was quiet." if i == 13 else f"Farmers met on day {i} to talk about rain.")
        docs.append(corpus.parse_article(f"Report {i}\n\n{body}\n", f"t{i:02d}", {"outlet": f"Outlet {i % 4}"}))
    return corpus.Corpus(docs)


def test_positive_keywords_are_the_first_positive_significant_rows_of_keyness():
    seeds = many_texts()
    table = keyness.keyness(seeds, by="doc_id", min_freq=1, threshold=1.0)
    found = keyness.positive_keywords(seeds, by="doc_id", top=3, min_freq=1, threshold=1.0)
    assert list(found) == [d.doc_id for d in seeds]
    for doc_id, words in found.items():
        rows = table[(table["group"] == doc_id) & (table["signed_g2"] > 0) & table["significant"].astype(bool)]
        assert words == rows["term"].head(3).tolist()
    assert found["t00"] and all(len(w) <= 3 for w in found.values())


def test_framing_summary_compares_a_bounded_number_of_texts():
    seeds = many_texts(15)
    ev = markers.evidence(seeds)
    text = prose.framing_summary(ev, seeds, "t00")
    compared = re.findall(r"^(t\d\d) \(", text, flags=re.M)[1:]          # the first line is the focus text
    assert len(compared) == prose.COMPARED_TEXTS
    assert f"The {prose.COMPARED_TEXTS} of 14 other texts with most concepts in common with t00" in text
    assert {"t03", "t06", "t09", "t12", "t13"} <= set(compared)    # texts with markers come first
    assert compared == sorted(compared)                            # in manifest order
    few = prose.framing_summary(markers.evidence(corpus.Corpus(list(seeds)[:5])), corpus.Corpus(list(seeds)[:5]), "t00")
    assert re.findall(r"^(t\d\d) \(", few, flags=re.M)[1:] == ["t01", "t02", "t03", "t04"] and "most concepts" not in few
