"""The actor dictionary: validation with file and line, whole-word matching with exact offsets."""
import pytest

from analysis.framing import actors, packs
from analysis import corpus
from analysis.problems import InputError

HEADER = "actor,group,variants,pattern,source,notes\n"


def _write(path, body):
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _problems(path, user=None):
    with pytest.raises(InputError) as info:
        actors.load(path, user=user)
    return [str(p) for p in info.value.problems]


def test_shipped_dictionary_loads_with_every_group():
    table = actors.load()
    assert set(table["group"]) == set(packs.active().groups)
    assert {"Azerbaijan", "Armenia", "European Union", "United States", "Russia"} <= set(table["actor"])


def test_unknown_group_is_reported_with_file_and_line(tmp_path):
    path = _write(tmp_path / "a.csv", "Azerbaijan,az,Azerbaijan,,,\nNATO,nato,NATO,,,\n")
    [problem] = _problems(path)[:1]
    assert "a.csv:3" in problem and "unknown group 'nato'" in problem


def test_duplicate_variant_names_both_lines(tmp_path):
    path = _write(tmp_path / "a.csv", "Armenia,am,Armenia|Yerevan,,,\nYerevan,am,yerevan,,,\n")
    problems = _problems(path)
    assert any("a.csv:3" in p and "duplicate variant 'yerevan'" in p and "a.csv:2" in p for p in problems)


def test_user_variant_duplicating_a_builtin_names_both_files(tmp_path):
    user = _write(tmp_path / "actors_user.csv", "Mirzoyan,am,Ararat Mirzoyan,,,\n")
    problems = _problems(None, user=user)
    assert len(problems) == 1
    builtin_line = next(i for i, line in enumerate(packs.active().actors_files[0].read_text(encoding="utf-8").splitlines(), 1)
                        if line.startswith("Ararat Mirzoyan,"))
    assert "actors_user.csv:2" in problems[0] and f"actors.csv:{builtin_line}" in problems[0]


def test_user_file_merges_in(tmp_path):
    user = _write(tmp_path / "actors_user.csv", "Ruben Vardanyan,am,Ruben Vardanyan|Vardanyan,,,\n"
                                                "Ilham Aliyev,az,Mr. Aliyev,,,\n")
    table = actors.load(user=user)
    assert {"Ruben Vardanyan", "Armenia"} <= set(table["actor"])
    assert "Mr. Aliyev" in set(table.loc[table["actor"] == "Ilham Aliyev", "variant"])


def test_empty_variant_bad_regex_and_two_groups_are_all_reported(tmp_path):
    path = _write(tmp_path / "a.csv", "Armenia,am,Armenia||Yerevan,,,\n"
                                      "Baku,az,,,,\n"
                                      "Azerbaijan,az,Azerbaijan,azerbaijan(i,,\n"
                                      "Armenia,mediator,Republic of Armenia,,,\n"
                                      "Anything,other,,a*,,\n")
    problems = _problems(path)
    assert any("a.csv:2" in p and "empty variant" in p for p in problems)
    assert any("a.csv:3" in p and "no variants and no pattern" in p for p in problems)
    assert any("a.csv:4" in p and "bad regular expression" in p for p in problems)
    assert any("a.csv:5" in p and "group 'am'" in p for p in problems)
    assert any("a.csv:6" in p and "matches empty text" in p for p in problems)


def test_missing_user_file_given_explicitly_is_an_error(tmp_path):
    with pytest.raises(InputError, match="the actor list is missing"):
        actors.load(user=tmp_path / "nope.csv")


def test_matching_is_whole_word_case_insensitive_longest_first_with_exact_offsets():
    text = "ARMENIA’s envoy met Ilham Aliyev; Karabakh Armenians and the U.S. waited. Armenians-only, Baku."
    found = actors.matcher().mentions(text)
    names = [(text[s:e], actor) for s, e, actor, _ in found]
    assert names == [("ARMENIA", "Armenia"), ("Ilham Aliyev", "Ilham Aliyev"),
                     ("Karabakh Armenians", "Karabakh Armenians"), ("U.S.", "United States"),
                     ("Armenians", "Armenians"), ("Baku", "Baku")]
    assert actors.matcher().mentions("Bakunin and Armenianness and us") == []


def test_pattern_column_matches_whole_words(tmp_path):
    path = _write(tmp_path / "a.csv", "Azerbaijan,az,,azerbaijan(?:is?)?,,\n")
    match = actors.matcher(actors.load(path))
    assert [a for _, _, a, _ in match.mentions("Azerbaijanis and Azerbaijan but not Azerbaijanism")] == ["Azerbaijan"] * 2


@pytest.mark.integration
def test_shipped_corpus_first_and_most():
    seeds = corpus.load_corpus()
    found = actors.mentions(seeds)
    for row in found.itertuples():
        assert seeds[row.doc_id].text[row.start:row.end] == row.text
    summary = actors.first_and_most(seeds, found).set_index("doc_id")
    # The joint statement's Azerbaijan-first wording, and the mediators' own statements.
    assert summary.loc["joint-2023-12-07", "first_actor"] == "Azerbaijan"
    assert summary.loc["eu-2023-09-19", "first_actor"] == "European Union"
    assert summary.loc["us-2023-12-07", "first_group"] == "mediator"
    assert (summary[[f"n_{g}" for g in packs.active().groups]].sum(axis=1) == summary["n_mentions"]).all()
