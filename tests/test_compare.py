"""The framing profile and the neutral rewrite."""
import re

import pytest

from analysis.framing import compare, markers
from analysis import corpus
from analysis.framing import actors
from analysis.measures import sentiment


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
