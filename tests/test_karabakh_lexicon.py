"""The Karabakh pack's lexicon: it loads with its story, every pair is complete, every row sourced."""
import csv
import re

from analysis.framing import lexicon, packs

PACK = packs.load_pack("karabakh")
STORY = packs.select(stories=["karabakh"])
LEX = STORY.lexicon
ROWS = list(csv.DictReader(line for line in PACK.markers_path.read_text(encoding="utf-8").splitlines()
                           if not line.startswith("#")))
OWN = LEX.entries[LEX.entries["concept"].isin([r["concept"] for r in ROWS])]


def test_the_lexicon_loads_through_the_story_with_its_version():
    assert [p.name for p in STORY.packs] == ["general", "karabakh"]
    assert re.fullmatch(r"general-\d+\.\d+\.\d+\+karabakh-1\.3\.0", LEX.version)
    assert {s.id for s in PACK.sides} == {"az", "am"}
    assert len(OWN) == len(ROWS) and set(OWN["side"]) <= {"az", "am"} | set(lexicon.SIDES)


def test_every_pair_has_both_sides_or_a_wire_form():
    """A pair with a partisan name also holds the other side's name or the wire (or shared) form;
    a pair of one name is a name both sides share."""
    for pair, part in OWN[OWN["pair"] != ""].groupby("pair"):
        sides = set(part["side"])
        if sides & {"az", "am"}:
            assert {"az", "am"} <= sides or sides & {"wire", "none", "both"}, pair
            assert len(part) >= 2, pair
        else:
            assert sides <= {"wire", "none", "both"}, pair
        toponyms = part[part["category"] == "toponym"]
        assert (toponyms["neutral_alternative"] != "").all(), pair


def test_every_row_is_sourced_and_unverified_rows_are_weak():
    for entry in OWN.itertuples():
        assert entry.sources and all(re.match(r"https?://\S+$", s) for s in entry.sources), entry.concept
    assert (OWN[OWN["status"] == "unverified"]["strength"] == "weak").all()


def test_no_variant_repeats_one_of_the_general_pack():
    general = packs.load_pack("general")
    general_keys = {lexicon.patterns.variant_key(v) for r in csv.DictReader(
        line for line in general.markers_path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        for v in r["variants"].split("|")}
    own_keys = {lexicon.patterns.variant_key(v) for vs in OWN["variants"] for v in vs}
    assert not own_keys & general_keys


def test_directions_and_context_words_are_valid():
    directed = OWN[OWN["direction"] != ""]
    assert set(directed["direction"]) <= set(lexicon.DIRECTIONS)
    assert {"occupation", "aggression", "liberated"} <= set(directed["concept"])
    for entry in OWN[OWN["requires"].map(len) > 0].itertuples():
        for item in entry.requires:
            assert item[1:] in lexicon.CATEGORIES if item.startswith("@") else lexicon.patterns.variant_problem(item) is None


def test_a_bad_direction_or_context_word_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("# lexicon_version: 9.9.9\n" + ",".join(lexicon.COLUMNS) + "\n"
                    "ok,ok,alpha,intensifier,,none,weak,,,,https://example.org,,claims,lands|@toponym\n"
                    "bad_dir,x,beta,intensifier,,none,weak,,,,https://example.org,,sideways,\n"
                    "bad_req,x,gamma,intensifier,,none,weak,,,,https://example.org,,,@colour|a**\n", encoding="utf-8")
    try:
        lexicon.load_files([path])
    except lexicon.InputError as err:
        problems = err.problems
    else:
        raise AssertionError("the bad rows were accepted")
    assert sorted(p.line for p in problems) == [4, 5, 5]
    assert any("unknown direction 'sideways'" in p.message for p in problems)


def test_the_main_names_have_their_other_scripts():
    variants = {c: set(v) for c, v in zip(OWN["concept"], OWN["variants"])}
    assert {"ханкенди", "xankəndi*"} <= variants["khankendi"]
    assert {"степанакерт*", "ստեփանակերտ*"} <= variants["stepanakert"]
    assert {"арцах*", "արցախ*"} <= variants["artsakh"]
    assert "нагорный карабах" in variants["nagorno_karabakh"]
