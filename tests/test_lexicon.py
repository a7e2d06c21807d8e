"""The lexicon is validated on load: every problem named with file and line."""
import re

import pytest

from analysis.framing import lexicon, packs
from analysis.problems import InputError

KARABAKH = packs.load_pack("karabakh")
GENERAL = packs.load_pack("general")
SIDES = ("az", "am") + lexicon.SIDES

HEADER = "concept,term,variants,category,technique,side,strength,pair,neutral_alternative,status,sources,note\n"


def write(tmp_path, name, rows, version=True):
    path = tmp_path / name
    path.write_text(("# lexicon_version: 9.9.9\n" if version else "") + HEADER + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


def load(user=None, builtin=None):
    """The shipped story's lexicon (general + karabakh), or ``builtin`` alone, plus ``user``."""
    files = [builtin] if builtin else [GENERAL.markers_path, KARABAKH.markers_path]
    return lexicon.load_files(files, [user] if user else [], sides=SIDES,
                              names=None if builtin else ["general", "karabakh"])


def problems_of(**kwargs):
    with pytest.raises(InputError) as info:
        load(**kwargs)
    return info.value.problems


def test_builtin_lexicon_loads_with_version_and_coverage():
    lex = load()
    assert re.fullmatch(r"general-\d+\.\d+\.\d+\+karabakh-\d+\.\d+\.\d+", lex.version) and len(lex.sha256) == 64
    entries = lex.entries
    assert set(entries["category"]) >= {"toponym", "region", "entity", "actor_label", "event_label", "delegitimiser",
                                        "euphemism", "intensifier", "attribution_neutral", "attribution_doubt",
                                        "attribution_endorse", "hedge", "slogan"}
    assert set(entries["side"]) == set(SIDES)
    # every partisan toponym has a partner of the other side or a wire form in its pair
    for pair, part in entries[entries["category"] == "toponym"].groupby("pair"):
        if "am" in set(part["side"]):
            assert len(part) >= 2, pair
    assert all(entries["sources"].map(len) > 0)
    assert (entries[entries["status"] == "unverified"]["strength"] == "weak").all()


def test_unknown_category_side_and_broken_pattern_name_file_and_line(tmp_path):
    path = write(tmp_path, "bad.csv", [
        "ok_one,ok,alpha,intensifier,,none,weak,,,,https://example.org/src,",
        "bad_cat,x,beta,adjective,,none,weak,,,,https://example.org/src,",
        "bad_side,x,gamma,intensifier,,left,weak,,,,https://example.org/src,",
        "bad_pat,x,de*lta|,intensifier,,none,weak,,,,https://example.org/src,",
    ])
    problems = problems_of(user=None, builtin=path)
    lines = sorted(p.line for p in problems)
    assert lines == [4, 5, 6, 6]
    assert all(p.file == str(path) for p in problems)
    messages = " ".join(p.message for p in problems)
    assert "unknown category 'adjective'" in messages and "unknown side 'left'" in messages
    assert "broken variant pattern 'de*lta'" in messages and "empty variant" in messages


def test_duplicate_variant_is_an_error(tmp_path):
    path = write(tmp_path, "dup.csv", ["one,one,alpha|beta,intensifier,,none,weak,,,,https://example.org/src,",
                                       "two,two,gamma|Beta,intensifier,,none,weak,,,,https://example.org/src,"])
    problems = problems_of(user=None, builtin=path)
    assert len(problems) == 1 and problems[0].line == 4 and "'Beta'" in problems[0].message
    assert "line 3" in problems[0].message


def test_user_entries_merge_and_never_silently_shadow(tmp_path):
    user = write(tmp_path, "user.csv", ["hero_label,heroes,heroes of the nation,intensifier,,none,weak,,,,https://example.org/src,"], version=False)
    lex = load(user=user)
    assert "hero_label" in set(lex.entries["concept"])
    assert re.fullmatch(r"general-[\d.]+\+karabakh-[\d.]+\+user\.[0-9a-f]{8}", lex.version)
    clash = write(tmp_path, "clash.csv", ["my_city,city,khankendi,toponym,,none,weak,,,,https://example.org/src,"], version=False)
    problems = problems_of(user=clash)
    assert problems[0].line == 2 and "already listed for concept 'khankendi'" in problems[0].message
    replace = write(tmp_path, "replace.csv", ["khankendi,Khankendi,khankendi,toponym,,az,weak,stepanakert-khankendi,,,https://example.org/src,"],
                    version=False)
    lex = load(user=replace)
    assert lex.replaced == ["khankendi"] and lex.entry("khankendi")["strength"] == "weak"


def test_missing_version_and_bad_header(tmp_path):
    path = write(tmp_path, "nover.csv", ["a,a,alpha,intensifier,,none,weak,,,,https://example.org/src,"], version=False)
    assert "lexicon_version" in problems_of(user=None, builtin=path)[0].message
    bad = tmp_path / "hdr.csv"
    bad.write_text("# lexicon_version: 1\nconcept,term,variants,colour\n", encoding="utf-8")
    problem = problems_of(user=None, builtin=bad)[0]
    assert problem.line == 2 and "colour" in problem.message


def test_unverified_entries_must_be_weak_and_every_entry_needs_a_source(tmp_path):
    path = write(tmp_path, "rules.csv", [
        "guess,guess,guessword,toponym,,az,strong,,,unverified,https://example.org/src,",
        "nosource,nosource,nosourceword,toponym,,az,weak,,,verified,,",
    ])
    problems = problems_of(user=None, builtin=path)
    assert [(p.line, p.message) for p in problems] == [
        (3, "an unverified entry cannot be strong"), (4, "no source given")]
