"""Direction, sense and delegitimised names: minimal pairs on literal texts, other scripts, cost."""
import time

import pytest

from analysis import corpus, text as textmod
from analysis.framing import direction, markers, packs


def hits(body: str):
    doc = corpus.parse_article(f"Headline\n\n{body}\n", "t", {"outlet": "test"})
    return markers.match_document(doc)


def row(body: str, concept: str) -> dict:
    ev = hits(body)
    found = ev[ev["concept"] == concept]
    assert not found.empty, (body, list(ev["concept"]))
    return found.iloc[0].to_dict()


# --- direction ------------------------------------------------------------------------------

@pytest.mark.parametrize("body, concept, side, rule", [
    ("The districts were occupied by Armenia in 1993.", "armenian_occupation", "az", ""),
    ("The lands occupied by Armenian forces were returned.", "occupation", "az", "direction"),
    ("The Azerbaijani occupation of Artsakh continues.", "occupation", "am", "direction"),
    ("Azerbaijani troops occupied Armenian territory near Jermuk.", "occupation", "am", "direction"),
    ("Azerbaijani lands under occupation for 30 years were freed.", "occupation", "az", "direction"),
    ("The occupation ended.", "occupation", "both", ""),
    ("The occupied territories of Armenia must be freed.", "occupied_territories", "am", "direction"),
    ("Azerbaijan's occupied territories were freed in 2020.", "occupied_territories", "az", ""),
    ("Baku's aggression went on for days.", "aggression", "am", "direction"),
    ("The aggression of the Armenian armed forces was repelled.", "aggression", "az", "direction"),
    ("The aggression went on for days.", "aggression", "both", ""),
    ("Shusha was liberated by the Armenian forces in 1992.", "liberated", "am", "direction"),
    ("Shusha was liberated by the Azerbaijani army.", "liberated", "az", ""),
    ("Azerbaijan's liberated territories are being rebuilt.", "liberated_territories", "az", "direction"),
    ("The liberated territories of Artsakh were a buffer zone.", "liberated_territories", "am", "direction"),
    ("The ethnic cleansing of Azerbaijanis from Armenia was recalled.", "ethnic_cleansing", "az", "direction"),
    ("Yerevan condemned the ethnic cleansing of Nagorno-Karabakh.", "ethnic_cleansing", "am", ""),
])
def test_direction_minimal_pairs(body, concept, side, rule):
    hit = row(body, concept)
    assert (hit["side"], hit["rule"]) == (side, rule), body


def test_a_directed_hit_in_someone_else_s_words_is_attributed():
    hit = row("Armenia is occupying Azerbaijani territories, the ministry said.", "occupation")
    assert (hit["voice"], hit["side"], hit["rule"]) == ("attributed", "none", "attributed")


def test_resolve_api_on_the_matching_form():
    sides = packs.active().sides
    for text, word, expected in [("Lands occupied by Armenia.", "occupied", "az"),
                                 ("The Azerbaijani occupation of Lachin.", "occupation", "am"),
                                 ("Armenia accused Azerbaijan of occupation.", "occupation", None),
                                 ("The occupation ended.", "occupation", None),
                                 ("Liberated by the Azerbaijani army.", "liberated", "az")]:
        folded = textmod.matching_form(text)
        start = folded.index(word)
        assert direction.resolve(folded, start, start + len(word), "accuses" if "occup" in word else "claims",
                                 sides) == expected, text
    folded = textmod.matching_form("Aggression against Artsakh.")
    assert direction.resolve(folded, 0, 10, "accuses", sides, [(19, 26, "am")]) == "am"
    assert direction.resolve(folded, 0, 10, "unknown", sides) is None


def test_cues_beyond_the_window_or_the_sentence_are_not_read():
    far = "The occupation " + "went on and on " * 6 + "by Armenia."
    assert row(far, "occupation")["side"] == "both"
    assert row("Armenia left. The occupation ended.", "occupation")["side"] == "both"


# --- sense ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, side, rule", [
    ("Azerbaijan liberated Shusha in 2020.", "az", ""),
    ("The army liberated the occupied territories.", "az", ""),
    ("Azerbaijan liberated most of the area from Armenian occupation.", "az", ""),
    ("Allied troops liberated the hostages.", "none", "sense"),
    ("De Gaulle's forces liberated France in 1944.", "none", "sense"),
])
def test_liberated_is_partisan_only_in_the_territorial_sense(body, side, rule):
    hit = row(body, "liberated")
    assert (hit["lexicon_side"], hit["side"], hit["rule"]) == ("az", side, rule), body


def test_sense_is_data_driven():
    requires = ["lands", "territor*", "@toponym"]
    folded = textmod.matching_form("They liberated the territories.")
    assert direction.in_sense(folded, 5, 14, requires)
    folded = textmod.matching_form("They liberated the hostages.")
    assert not direction.in_sense(folded, 5, 14, requires)
    assert direction.in_sense(folded, 5, 14, requires, [(19, 27, "toponym")])
    assert direction.in_sense(folded, 5, 14, [])


# --- delegitimised names --------------------------------------------------------------------

def test_so_called_name_in_scare_quotes_counts_for_the_delegitimising_side():
    hit = row("The so-called 'Nagorno-Karabakh Republic' collapsed.", "artsakh_republic")
    assert (hit["lexicon_side"], hit["side"], hit["rule"], hit["voice"]) == ("am", "az", "delegitimised", "authorial")
    plain = row("The Nagorno-Karabakh Republic collapsed.", "artsakh_republic")
    assert (plain["side"], plain["rule"]) == ("am", "")


def test_scare_quotes_alone_and_the_other_side_s_name():
    hit = row('Leaders of the "Nagorno-Karabakh Republic" resigned.', "artsakh_republic")
    assert (hit["side"], hit["rule"]) == ("az", "delegitimised")
    hit = row("The so-called Western Azerbaijan Community met.", "western_azerbaijan_community")
    assert (hit["side"], hit["rule"]) == ("am", "delegitimised")


def test_a_quoted_mention_or_someone_else_s_so_called_is_not_the_author_s():
    mention = row('Troops entered the city which Azerbaijanis call "Khankendi".', "khankendi")
    assert (mention["side"], mention["rule"]) == ("none", "attributed")
    quoted = row('"The so-called Artsakh republic is finished," Aliyev said.', "artsakh_republic")
    assert (quoted["side"], quoted["rule"]) == ("none", "attributed")


def test_wire_qualifiers_are_not_delegitimisers():
    hit = row("Leaders of the self-proclaimed Nagorno-Karabakh Republic resigned.", "artsakh_republic")
    assert hit["side"] == "none" and hit["rule"] != "delegitimised"


def test_a_so_called_label_in_quotes_is_only_attributed():
    # "so-called" distances a label it quotes; it does not adopt the other side's framing, and
    # only names (places, regions, entities) are turned around.
    hit = row('The so-called "Armenian occupation" never existed.', "armenian_occupation")
    assert (hit["side"], hit["rule"], hit["voice"]) == ("none", "attributed", "attributed")


def test_illegal_before_another_noun_does_not_delegitimise_the_place():
    ev = hits("Armenia condemned the illegal blockade of Stepanakert.")
    assert ev.set_index("concept").loc["stepanakert", "side"] == "am"


# --- other scripts --------------------------------------------------------------------------

@pytest.mark.parametrize("body, concept, side", [
    ("Жители покинули Степанакерт и Арцах.", "stepanakert", "am"),
    ("Флаг подняли в Ханкенди.", "khankendi", "az"),
    ("Азербайджан освободил Шушу от армянской оккупации.", "armenian_occupation", "az"),
    ("Азербайджан освободил Шушу от армянской оккупации.", "liberated_other_scripts", "az"),
    ("Ստեփանակերտը Արցախի մայրաքաղաքն է։", "artsakh", "am"),
    ("Ստեփանակերտը Արցախի մայրաքաղաքն է։", "stepanakert", "am"),
    ("Xankəndidə bayraq qaldırıldı.", "khankendi", "az"),
    ("Qarabağda sülh var.", "garabagh", "az"),
])
def test_cyrillic_armenian_and_azerbaijani_sentences_get_their_side(body, concept, side):
    hit = row(body, concept)
    assert hit["side"] == side
    doc = corpus.parse_article(f"Headline\n\n{body}\n", "t")
    assert doc.text[hit["start"]:hit["end"]] == hit["text"]


def test_russian_liberation_of_prisoners_is_not_territorial():
    assert row("Освобождение пленных состоялось в Баку.", "liberated_other_scripts")["rule"] == "sense"


def test_non_latin_letters_lower_case_one_to_one_and_are_valid_variants():
    from analysis.framing import patterns
    for word in ("СТЕПАНАКЕРТ", "ՍՏԵՓԱՆԱԿԵՐՏ", "XANKƏNDİ", "ŞUŞA", "GÖYÇƏ"):
        folded = textmod.matching_form(word)
        assert len(folded) == len(word) and folded == folded.lower()
        assert patterns.variant_problem(folded) is None


# --- cost -----------------------------------------------------------------------------------

def test_the_rules_stay_linear_on_a_long_document():
    sentence = ('The so-called "Artsakh" was occupied by Armenian forces, and Azerbaijan liberated Shusha '
                'from Armenia. ')

    def seconds(n):
        doc = corpus.parse_article("Headline\n\n" + sentence * n + "\n", "p")
        began = time.perf_counter()
        ev = markers.match_document(doc)
        assert len(ev) == 5 * n
        return time.perf_counter() - began

    small, large = seconds(500), seconds(4000)
    assert large < 30 and large < 8 * 4 * max(small, 0.05)
