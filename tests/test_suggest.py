"""Candidate markers: keyed phrases, rival names, the review sheet and accepting it into a pack."""
import csv
import io

import pytest

from analysis import cli, config, corpus
from analysis.framing import lexicon, packs, rivalnames, rivals, suggest
from analysis.presentation import nb07_suggest, workbook
from analysis.problems import InputError

RU = ["Talks in Kiev\n\nOfficials in Kiev said the talks would resume. The mayor of Kiev spoke to reporters. "
      "Troops left Kiev on Monday. The special operation continues, officials said.",
      "Kiev responds\n\nThe government in Kiev said it was ready. Residents of Kiev waited. The special operation continues."]
UA = ["Talks in Kyiv\n\nOfficials in Kyiv said the talks would resume. The mayor of Kyiv spoke to reporters. "
      "Troops left Kyiv on Monday. The full-scale invasion continues, officials said.",
      "Kyiv responds\n\nThe government in Kyiv said it was ready. Residents of Kyiv waited. The full-scale invasion continues."]
SIDES = {"Moscow Daily": "ru", "Kyiv Post": "ua"}
HEADER = "concept,term,variants,category,technique,side,strength,pair,neutral_alternative,status,sources,note"
STORY = '''name = "mini"
title = "A small test story"

[[sides]]
id = "ru"
label = "Russian official"
colour = "#b2182b"

[[sides]]
id = "ua"
label = "Ukrainian official"
colour = "#2166ac"
'''


def tiny(extra_ru: str = "") -> corpus.Corpus:
    docs = [corpus.parse_article(t, f"ru{i}", {"outlet": "Moscow Daily"}) for i, t in enumerate(RU)]
    docs += [corpus.parse_article(t, f"ua{i}", {"outlet": "Kyiv Post"}) for i, t in enumerate(UA)]
    if extra_ru:
        docs.append(corpus.parse_article(extra_ru, "ru9", {"outlet": "Moscow Daily"}))
    return corpus.Corpus(docs)


def lexicon_file(tmp_path, rows, name="markers.csv"):
    path = tmp_path / name
    path.write_text("# lexicon_version: 1.0.0\n" + HEADER + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def pack(tmp_path, rows=("kyiv,Kyiv,kyiv,toponym,,wire,weak,kyiv-kiev,,verified,https://example.org/ap,",)):
    folder = tmp_path / "mini"
    folder.mkdir()
    (folder / "story.toml").write_text(STORY, encoding="utf-8")
    lexicon_file(folder, rows)
    return folder


def fill(sheet_path, decisions: dict, out_path):
    """A reviewed copy of a sheet: ``decisions`` maps (candidate, kind) to column values."""
    text = sheet_path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    rows = list(csv.reader(io.StringIO(rest)))
    header = rows[0]
    for row in rows[1:]:
        for column, value in decisions.get((row[0], row[2]), {}).items():
            row[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    out_path.write_text(first + "\n" + buffer.getvalue(), encoding="utf-8")
    return out_path


def test_kiev_and_kyiv_in_the_same_contexts_are_rival_names():
    pairs = suggest.rival_names(tiny(), SIDES)
    kiev = pairs[(pairs["term"] == "Kiev") & (pairs["rival"] == "Kyiv")]
    assert len(kiev) == 1
    row = kiev.iloc[0]
    assert (row["side"], row["rival_side"]) == ("ru", "ua")
    assert row["overlap"] > 0.9 and row["preference"] == pytest.approx(1.0)
    assert (row["n_ru"], row["n_ua"], row["rival_n_ru"], row["rival_n_ua"]) == (7, 0, 0, 7)
    # the pair is not repeated by its longer forms ("Kiev said"/"Kyiv said")
    assert not ((pairs["term"] == "Kiev said") & (pairs["rival"] == "Kyiv said")).any()


def test_context_vectors_and_pairs_by_hand():
    sentences = [["the", "city", "of", "kiev", "said"], ["the", "city", "of", "kyiv", "said"]]
    vectors, words = rivalnames.context_vectors(sentences, {("kiev",), ("kyiv",)}, window=1)
    assert vectors[("kiev",)] == {"L1:of": 1.0, "R1:said": 1.0} and words["R1:said"] == "said"
    found = rivalnames.pairs(vectors, words, {("kiev",): "ru", ("kyiv",): "ua"},
                         {("kiev",): {"ru": 1, "ua": 0}, ("kyiv",): {"ru": 0, "ua": 1}}, ["ru", "ua"], frozenset({"of"}))
    assert found[["overlap", "preference", "shared"]].values.tolist() == [[pytest.approx(1.0), 1.0, 2]]


def test_a_keyed_term_is_found_and_an_existing_variant_is_excluded(tmp_path):
    plain = suggest.candidates(tiny(), SIDES)
    assert {"Kiev", "special operation continues"} <= set(plain[plain["proposed_side"] == "ru"]["candidate"])
    kiev = plain[plain["candidate"] == "Kiev"].iloc[0]
    assert (kiev["n_ru"], kiev["n_ua"], kiev["texts_ru"], bool(kiev["eligible"])) == (7, 0, 2, True)
    assert kiev["g2"] == pytest.approx(2 * 7 * __import__("math").log(2))  # a = 7, b = 0, equal sides
    assert not plain["key"].str.split(" ").map(lambda w: w[0] in {"the", "of"} or w[-1] in {"the", "of"}).any()
    lex = lexicon.load_files([lexicon_file(tmp_path, [
        "special_op,special operation continues,special operation continues,euphemism,,ru,weak,,,verified,x,",
        "invasion,full-scale invasion,full-scale invasion*,event_label,,wire,weak,,,verified,x,"])],
        sides=("ru", "ua") + lexicon.SIDES)
    held = suggest.candidates(tiny(), SIDES, exclude=lex)
    assert "Kiev" in set(held["candidate"])
    assert not held["key"].isin(["special operation continues", "special operation", "operation continues",
                                 "full scale invasion", "invasion", "full scale invasions"]).any()
    # a phrase that only contains an existing variant is still a candidate
    assert "full scale invasion continues" in set(held["key"])


def test_one_article_cannot_dominate_its_side():
    extra = "Grain deal\n\nThe grain corridor opened. The grain corridor closed. The grain corridor reopened."
    table = suggest.candidates(tiny(extra), SIDES)
    corridor = table[table["key"] == "grain corridor"].iloc[0]
    assert corridor["dispersion"] == pytest.approx(1 / 3) and not corridor["eligible"]
    ru = table[table["proposed_side"] == "ru"]
    assert ru["eligible"].tolist() == sorted(ru["eligible"].tolist(), reverse=True)  # eligible ones first
    sheet = suggest.review_sheet(tiny(extra), SIDES)
    assert "grain corridor" not in set(sheet["candidate"])


def test_sides_by_outlet_or_doc_id_and_usage_errors():
    docs = tiny()
    assert rivals.assign_sides(docs, {"ru0": "ru"}) == {"ru0": "ru", "ru1": "other", "ua0": "other", "ua1": "other"}
    assert rivals.assign_sides(docs, suggest.parse_sides("moscow daily=ru, ua1=-"))["ru1"] == "ru"
    assert "ua1" not in rivals.assign_sides(docs, suggest.parse_sides("Moscow Daily=ru,ua1=-"))
    for spec, message in [("Moscow Daily", "not OUTLET=SIDE"), ("Moscow Daily=RU!", "short lower-case code")]:
        with pytest.raises(ValueError, match=message):
            suggest.parse_sides(spec)
    with pytest.raises(ValueError, match="neither an outlet nor a document id"):
        rivals.assign_sides(docs, {"Pravda": "ru"})
    with pytest.raises(ValueError, match="at least two sides"):
        rivals.assign_sides(docs, {"*": "ru"})
    with pytest.raises(ValueError, match="no sides given"):
        rivals.assign_sides(docs, None)
    docs.docs[0].meta["side"] = "ru"
    assert rivals.assign_sides(docs, None)["ru0"] == "ru"


def test_sheet_columns_and_bytes_are_deterministic(tmp_path):
    first = suggest.write_sheet(suggest.review_sheet(tiny(), SIDES), tmp_path / "a.csv")
    second = suggest.write_sheet(suggest.review_sheet(tiny(), SIDES), tmp_path / "b.csv")
    assert [p.suffix for p in first] == [".csv", ".xlsx"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    text = first[0].read_text(encoding="utf-8")
    assert text.startswith("# suggest: sides=ru:2 texts/47 words ua:2 texts/47 words; min_freq=2")
    header = text.splitlines()[1].split(",")
    assert header == ["candidate", "proposed_side", "kind", "rival", "rival_side", "n_ru", "n_ua", "rival_n_ru",
                      "rival_n_ua", "g2", "log_ratio", "dispersion", "overlap", "preference", "examples_ru",
                      "examples_ua", "decision", "category", "neutral_alternative", "note"]
    sheet = suggest.review_sheet(tiny(), SIDES)
    kiev = sheet[(sheet["candidate"] == "Kiev") & (sheet["kind"] == "term")].iloc[0]
    assert kiev["examples_ru"].count(" | ") == 2 and "[Kiev]" in kiev["examples_ru"] and kiev["examples_ua"] == ""
    rival = sheet[sheet["kind"] == "rival_name"].set_index("candidate").loc["Kiev"]
    assert rival["rival"] == "Kyiv" and "[Kyiv]" in rival["examples_ua"]


def test_write_sheet_never_overwrites(tmp_path):
    sheet = suggest.review_sheet(tiny(), SIDES)
    (tmp_path / "s.xlsx").write_bytes(b"a reviewer's work")
    with pytest.raises(FileExistsError, match="never overwritten"):
        suggest.write_sheet(sheet, tmp_path / "s.csv")
    assert not (tmp_path / "s.csv").exists() and (tmp_path / "s.xlsx").read_bytes() == b"a reviewer's work"
    with pytest.raises(ValueError, match="path of the CSV"):
        suggest.write_sheet(sheet, tmp_path / "t.xlsx")


def test_accept_appends_valid_rows_once(tmp_path):
    folder = pack(tmp_path)
    sheet = suggest.write_sheet(suggest.review_sheet(tiny(), SIDES), tmp_path / "sheet.csv")[0]
    reviewed = fill(sheet, {("Kiev", "rival_name"): {"decision": "accept", "category": "toponym",
                                                      "neutral_alternative": "Kyiv"},
                            ("special operation continues", "term"): {"decision": "accept", "category": "euphemism"},
                            ("Kiev said", "term"): {"decision": "neutral", "category": "toponym"},
                            ("Kyiv said", "term"): {"decision": "reject"}}, tmp_path / "reviewed.csv")
    report = []
    added = suggest.accept(reviewed, folder, report)
    assert added == ["kiev_said", "special_operation_continues", "kiev"]  # sheet order
    assert [str(p) for p in report] == [f"{reviewed.name}:{_line(reviewed, 'Kiev', 'rival_name')}: 'Kyiv' is already in "
                                        "the lexicon as concept 'kyiv': skipped (what to do: edit that entry by hand to change it)"]
    lex = lexicon.load_files([packs.load_pack("general").markers_path, folder / "markers.csv"],
                             sides=("ru", "ua") + lexicon.SIDES)
    kiev = lex.entry("kiev")
    assert (kiev["side"], kiev["strength"], kiev["status"], kiev["pair"], kiev["sources"], kiev["category"]) == (
        "ru", "weak", "unverified", "kyiv-kiev", ["corpus:reviewed.csv"], "toponym")
    assert kiev["neutral_alternative"] == "Kyiv" and lex.entry("kiev_said")["side"] == "none"
    assert cli.main(["check", "--seeds", str(config.DEFAULT_SEEDS), "--story", str(folder)]) == 0
    before = (folder / "markers.csv").read_bytes()
    again = []
    assert suggest.accept(reviewed, folder, again) == [] and len(again) == 4
    assert (folder / "markers.csv").read_bytes() == before


def _line(path, candidate, kind):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{candidate},") and f",{kind}," in line:
            return number
    raise AssertionError(candidate)


def test_accept_refuses_bad_rows_with_file_and_line(tmp_path, capsys):
    folder = pack(tmp_path)
    before = (folder / "markers.csv").read_bytes()
    sheet = suggest.write_sheet(suggest.review_sheet(tiny(), SIDES), tmp_path / "sheet.csv")[0]
    reviewed = fill(sheet, {("Kiev", "term"): {"decision": "yes"},
                            ("Kiev said", "term"): {"decision": "accept"},
                            ("Kyiv", "term"): {"decision": "accept", "category": "place"},
                            ("special operation continues", "term"): {"decision": "accept", "category": "euphemism",
                                                                      "proposed_side": "other"}}, tmp_path / "bad.csv")
    with pytest.raises(InputError) as caught:
        suggest.accept(reviewed, folder)
    found = [str(p) for p in caught.value.problems]
    where = lambda candidate: f"bad.csv:{_line(reviewed, candidate, 'term')}: "  # noqa: E731
    assert any(p.startswith(where("Kiev") + "unknown decision 'yes'") for p in found)
    assert any(p.startswith(where("Kiev said") + "row marked accept but without a category") for p in found)
    assert any(p.startswith(where("Kyiv") + "unknown category 'place'") for p in found)
    assert any(p.startswith(where("special operation continues") + "side 'other' of 'special operation continues' "
                            "is not a side of pack 'mini'") for p in found)
    assert len(found) == 4 and (folder / "markers.csv").read_bytes() == before
    assert suggest.accept_command(str(reviewed), str(folder)) == 1
    assert "unknown decision 'yes'" in capsys.readouterr().err
    assert suggest.accept_command(str(reviewed), None) == 2


def test_suggest_command_statuses(tmp_path, capsys):
    out = tmp_path / "shipped.csv"
    assert suggest.suggest_command(config.DEFAULT_SEEDS, "aa-2023-12-07=az", out, stories=["general"], top=5) == 0
    printed = capsys.readouterr().out
    assert "az (1 text), other (3 texts)" in printed and "excluding lexicon general-" in printed
    assert out.is_file() and out.with_suffix(".xlsx").is_file()
    assert suggest.suggest_command(config.DEFAULT_SEEDS, "aa-2023-12-07=az", out, stories=["general"]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert suggest.suggest_command(config.DEFAULT_SEEDS, "Pravda=ru", tmp_path / "x.csv") == 2
    assert suggest.suggest_command(config.DEFAULT_SEEDS, "bad spec", tmp_path / "x.csv") == 2
    assert suggest.suggest_command(tmp_path / "missing", "a=b", tmp_path / "x.csv") == 1
    assert not (tmp_path / "x.csv").exists()


def test_notebook_sections_on_the_shipped_corpus(tmp_path):
    wb = workbook.Workbook(corpus.load_corpus(), tmp_path)
    texts = [item.text for build in nb07_suggest.SECTIONS for item in build(wb).items if hasattr(item, "text")]
    assert texts[0].startswith("Sides compared: az: 1 text, 538 words; other: 3 texts, 483 words.")
    assert "by the story's suggest_sides parameter" in texts[0]
    tables = {item.name: item.data for build in nb07_suggest.SECTIONS for item in build(wb).items if hasattr(item, "name")}
    assert set(tables) == {"07_candidates", "07_rival_names"}
    held = suggest.rivals.lexicon_filter(wb.story.lexicon)
    assert not any(held(tuple(k.split(" "))) for k in tables["07_candidates"]["key"])
