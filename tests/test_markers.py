"""Framing markers on tiny literal texts, the research's minimal pairs, and the first article."""
import html
import re

import pytest

from analysis import corpus
from analysis.framing import lexicon, markers, tallies
from analysis.presentation import reading

LEX = markers.current_lexicon()


def hits(body: str, headline: str = "Headline") -> "pd.DataFrame":  # noqa: F821
    doc = corpus.parse_article(f"{headline}\n\n{body}\n", "t", {"outlet": "test"})
    return markers.match_document(doc, LEX), doc


def test_agency_sentence_gets_az_hits_and_wire_sentence_none():
    # Minimal pair of the research notes (paraphrased): agency wording vs wire wording.
    agency, _ = hits("Baku took the region after a lightning operation against illegal separatists. "
                     "Azerbaijan liberated most of the area from Armenian occupation in 2020.")
    wire, _ = hits("Baku took the region after a lightning offensive against Armenian separatists. "
                   "Azerbaijan regained control of most of the area in 2020.")
    az = agency[agency["side"] == "az"]
    assert set(az["concept"]) >= {"illegal_separatists", "liberated", "armenian_occupation", "lightning_operation"}
    assert (az["strength"] == "strong").sum() >= 3
    assert wire[wire["side"].isin(["az", "am"])].empty
    assert set(wire["side"]) <= {"wire", "none", "both"}
    assert "regained_control" in set(wire["concept"])


def test_offsets_slice_the_original_text_exactly():
    ev, doc = hits("The so‑called “anti‑terrorist measures” hit Xankəndi’s outskirts.")
    assert not ev.empty
    for row in ev.itertuples():
        assert doc.text[row.start:row.end] == row.text


def test_never_inside_another_word():
    ev, _ = hits("Their preoccupation with unoccupied land was liberating for nobody, said a preoccupied man.")
    assert "occupation" not in set(ev["concept"])
    ev2, _ = hits("The occupation ended.")
    assert list(ev2["concept"]) == ["occupation"]


def test_case_insensitive_multiword_and_hyphen_variants():
    for spelling in ("ANTI-TERRORIST MEASURES", "anti terrorist measures", "Anti–terrorist measures"):
        ev, _ = hits(f"Officials announced {spelling} yesterday.")
        assert "anti_terror_measures" in set(ev["concept"]), spelling


def test_longest_variant_wins_at_a_position():
    ev, _ = hits("The illegal separatists left.")
    assert list(ev["concept"]) == ["illegal_separatists"]


@pytest.mark.parametrize("quote", ['"{}"', "“{}”", "'{}'", "‘{}’"])
def test_quoted_hits_are_attributed_with_straight_and_curly_quotes(quote):
    ev, _ = hits("Officials spoke of " + quote.format("liberated lands") + " at the ceremony.")
    row = ev[ev["concept"] == "liberated"].iloc[0]
    assert row["voice"] == "attributed"
    assert row["side"] == "none" and row["rule"] == "attributed" and row["lexicon_side"] == "az"


def test_authorial_vs_attributed_frames():
    authorial, _ = hits("Azerbaijan liberated the town in 2020.")
    assert authorial.iloc[0]["voice"] == "authorial" and authorial.iloc[0]["side"] == "az"
    for sentence in ("Azerbaijan liberated the town in 2020, the ministry said.",
                     "According to the ministry, Azerbaijan liberated the town.",
                     "The ministry said Azerbaijan had liberated the town.",
                     "Baku launched what it called anti-terrorist measures."):
        ev, _ = hits(sentence)
        partisan = ev[ev["lexicon_side"] == "az"].iloc[0]
        assert partisan["voice"] == "attributed", sentence
        assert partisan["side"] == "none", sentence


@pytest.mark.parametrize("sentence", [
    "The city, known as Stepanakert to Armenians and Khankendi to Azerbaijanis, was quiet.",
    "Residents left Stepanakert (Khankendi) on Monday.",
    "Troops entered Khankendi, which Armenians call Stepanakert.",
    "Troops entered the city which Armenians call Stepanakert.",
])
def test_dual_naming_neutralises_both_names(sentence):
    ev, _ = hits(sentence)
    names = ev[ev["category"] == "toponym"]
    assert not names.empty
    assert (names["side"] == "none").all()
    assert (names["rule"] == "dual_naming").all()


def test_single_name_keeps_its_side():
    ev, _ = hits("Residents left Stepanakert on Monday.")
    assert ev.iloc[0]["side"] == "am" and ev.iloc[0]["rule"] == ""


def test_weak_entries_never_decide_an_article_side():
    doc = corpus.parse_article("Headline\n\nThe reintegration talks and the lightning operation went on.\n", "w")
    c = corpus.Corpus([doc])
    ev = markers.evidence(c, LEX)
    assert set(ev[ev["side"] == "az"]["strength"]) == {"weak"}
    assert tallies.article_sides(ev, c).iloc[0]["framing"] == "no partisan framing"


def test_headline_and_caption_are_analysed():
    doc = corpus.parse_article("Artsakh mourns\nA view of Stepanakert.\n\nBody text.\n", "h")
    ev = markers.match_document(doc, LEX)
    assert list(ev["section"]) == ["headline", "caption"]


@pytest.mark.integration
def test_first_article_khankendi_caption_and_quoted_historic_chance():
    seeds = corpus.load_corpus()
    ev = markers.evidence(seeds, LEX)
    first = ev[ev["doc_id"] == "aa-2023-12-07"]
    khankendi = first[first["concept"] == "khankendi"].iloc[0]
    assert (khankendi["section"], khankendi["voice"], khankendi["side"]) == ("caption", "authorial", "az")
    chance = first[first["text"].str.lower() == "historic chance"].iloc[0]
    assert chance["voice"] == "attributed"
    sides = tallies.article_sides(ev, seeds).set_index("doc_id")["framing"]
    assert sides["aa-2023-12-07"] == "az"
    assert set(sides.drop("aa-2023-12-07")) == {"no partisan framing"}
    for row in ev.itertuples():
        assert seeds[row.doc_id].text[row.start:row.end] == row.text


@pytest.mark.integration
def test_rates_and_scorecard_on_the_shipped_corpus():
    seeds = corpus.load_corpus()
    ev = markers.evidence(seeds, LEX)
    rates = tallies.rates(ev, seeds, by="outlet")
    whole = rates[(rates["section_group"] == "all") & (rates["dimension"] == "side")]
    for group, part in whole.groupby("group"):
        n = len(ev[(ev["outlet"] == group)])
        assert part["n"].sum() == n
        assert part["rate_per_1000"].round(6).tolist() == (part["n"] / part["n_words"] * 1000).round(6).tolist()
    card = tallies.naming_scorecard(ev, seeds)
    aa = card[card["group"] == "Anadolu Agency"].set_index("pair")["form"]
    assert aa["stepanakert-khankendi"] == "Azerbaijani"


def test_reading_view_escapes_markup_and_round_trips():
    text = 'Headline <b>x</b>\n\nA <script>alert(1)</script> "liberated" & <img src=x onerror=alert(2)> Khankendi.\n'
    doc = corpus.parse_article(text, "r")
    ev = markers.match_document(doc, LEX)
    body = reading.fragment(doc, ev)
    assert "<script>" not in body and "<img" not in body and "&lt;script&gt;" in body
    assert body.count("<mark") == len(ev) >= 2
    stripped = re.sub(r"<[^>]+>", "", body)
    assert html.unescape(stripped) == text
    page = reading.view(doc, ev).page()
    assert "default-src 'none'" in page


@pytest.mark.parametrize("sentence", ["Azerbaijani forces retook Shusha (Shushi) in 2020.",
                                      "Convoys left Lachin (Berdzor) at dawn.",
                                      "Residents of Stepanakert/Khankendi waited."])
def test_dual_naming_with_a_wire_or_slash_partner(sentence):
    ev, _ = hits(sentence)
    partisan = ev[ev["lexicon_side"].isin(["az", "am"])]
    assert not partisan.empty and (partisan["rule"] == "dual_naming").all()


@pytest.mark.parametrize("sentence, side", [
    ("Azerbaijan took Khankendi, a heavy blow to Armenians.", "az"),
    ("Troops patrol Khankendi in Azerbaijani-controlled territory.", "az"),
    ("Stepanakert in Armenian hands was shelled.", "am"),
    ("Khankendi, known as the region's main city, was quiet.", "az"),
    ("Stepanakert was calm. Azerbaijan calls the city Khankendi.", "am"),
])
def test_names_that_are_not_glossed_keep_their_side(sentence, side):
    ev, _ = hits(sentence)
    assert ev[ev["category"] == "toponym"].iloc[0]["side"] == side


@pytest.mark.parametrize("sentence", [
    "In 2020, Azerbaijan liberated the region it said was occupied.",
    "Azerbaijan's army liberated the region and Aliyev praised it.",
    "The said agreement came after Azerbaijan liberated the region.",
    "The deal, welcomed by the EU, followed as Azerbaijan liberated the region.",
    "Aliyev said the talks were constructive, and Azerbaijan liberated the region.",
    "Baku, which had denied it, liberated the region.",
])
def test_authorial_words_next_to_speech_verbs_stay_authorial(sentence):
    ev, _ = hits(sentence)
    row = ev[ev["concept"] == "liberated"].iloc[0]
    assert (row["voice"], row["side"]) == ("authorial", "az"), sentence


def test_quotes_across_paragraphs_and_matches_within_paragraphs():
    ev, doc = hits("“Azerbaijan liberated Shusha,\n\nand Garabagh,” he said. Artsakh fell.")
    voices = dict(zip(ev["text"], ev["voice"]))
    assert voices["liberated"] == voices["Garabagh"] == "attributed"
    assert voices["Artsakh"] == "authorial"
    ev2, _ = hits("Separatists laid down arms.", headline="Baku vows to crush illegal")
    assert "illegal_separatists" not in set(ev2["concept"])


@pytest.mark.parametrize("spelling", ["XANKƏNDİ", "Xankəndi", "LAÇIN", "Laçın", "ՍՏԵՓԱՆԱԿԵՐՏ"])
def test_azerbaijani_and_armenian_spellings_in_any_case(spelling):
    ev, doc = hits(f"{spelling} was quiet.")
    assert len(ev) == 1 and doc.text[ev.iloc[0]["start"]:ev.iloc[0]["end"]] == spelling


def test_article_side_verdicts_am_mixed_and_attributed():
    def framing(body):
        doc = corpus.parse_article(f"H\n\n{body}\n", "x")
        c = corpus.Corpus([doc])
        return tallies.article_sides(markers.evidence(c, LEX), c).iloc[0]
    assert framing("Artsakh mourned the indigenous people who fled.")["framing"] == "am"
    assert framing("Artsakh fell and Azerbaijan liberated the region.")["framing"] == "mixed"
    quoted = framing('Officials spoke of "illegal separatists" in Artsakh.')
    assert quoted["framing"] == "am" and quoted["az_strong"] == 0
    weak_with_strong = framing("Illegal separatists agreed to reintegrate.")
    assert (weak_with_strong["az_strong"], weak_with_strong["az_weak"], weak_with_strong["az_score"]) == (1, 1, 2)


def test_scorecard_forms_follow_voice_and_the_given_lexicon():
    docs = [corpus.parse_article("H\n\nTroops entered Khankendi.\n", "a", {"outlet": "A"}),
            corpus.parse_article("H\n\nTroops entered Stepanakert (Khankendi).\n", "b", {"outlet": "B"}),
            corpus.parse_article('H\n\nOfficials said "Khankendi is calm".\n', "c", {"outlet": "C"}),
            corpus.parse_article("H\n\nNothing about places.\n", "d", {"outlet": "D"})]
    c = corpus.Corpus(docs)
    card = tallies.naming_scorecard(markers.evidence(c, LEX), c).set_index("group")["form"]
    assert card.to_dict() == {"A": "Azerbaijani", "B": "dual", "C": "quoted only", "D": "not named"}


def test_rates_count_every_hit_once_with_zero_rows():
    doc = corpus.parse_article("Artsakh news\n\nAzerbaijan liberated Shusha.\n\nNothing else here.\n", "r")
    c = corpus.Corpus([doc])
    ev = markers.evidence(c, LEX)
    table = tallies.rates(ev, c)
    for dimension in ("category", "side", "voice"):
        whole = table[(table["section_group"] == "all") & (table["dimension"] == dimension)]
        assert whole["n"].sum() == len(ev)
        parts = table[(table["section_group"] != "all") & (table["dimension"] == dimension)]
        assert parts["n"].sum() == len(ev)
    headline = table[(table["section_group"] == "headline+caption") & (table["dimension"] == "side")].set_index("value")
    assert headline.loc["am", "n"] == 1 and headline.loc["az", "n"] == 0
    assert headline.loc["am", "rate_per_1000"] == pytest.approx(1 / 2 * 1000)


def test_a_longer_literal_variant_beats_a_star_variant_of_the_same_word():
    from analysis.framing import patterns

    match = patterns.PhraseMatcher([("artsakh*", "glob"), ("artsakhi republic", "literal")])
    assert match.find("the artsakhi republic and artsakhian forces") == [(4, 21, "literal"), (26, 36, "glob")]
