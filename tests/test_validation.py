"""Validation: codebook, sampling, coding sheets, Krippendorff's alpha, adjudication, scoring."""
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.corpus import load_corpus
from analysis.framing import markers
from analysis.measures import sentiment
from analysis.problems import InputError
from analysis.validation import adjudicate as adjmod
from analysis.validation import agreement as agmod
from analysis.validation import codebook as cbmod
from analysis.validation import commands, sampling, scoring, sheets, units

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders x 12 units, * = missing.
KRIPPENDORFF = {"A": "1 2 3 3 2 1 4 1 2 * * *", "B": "1 2 3 3 2 2 4 1 2 5 * 3",
                "C": "* 3 3 3 2 3 4 2 2 5 1 *", "D": "1 2 3 3 2 4 4 1 2 5 1 *"}
ALPHA = """Azerbaijan liberated Khankendi

Azerbaijan liberated the city of Khankendi in September after illegal separatists gave up. The government called it a historic day.

"We liberated Khankendi," the minister said. Talks will resume next week.
"""
BETA = """Armenians leave Stepanakert

Thousands left Stepanakert (Khankendi) after the offensive. Officials said talks were planned.

Aid groups described an exodus. The border stayed open.
"""
EXAMPLE = config.ROOT / "examples" / "validation"


def _triples():
    return [(c, str(u + 1), v) for c, row in KRIPPENDORFF.items() for u, v in enumerate(row.split()) if v != "*"]


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "manifest.csv").write_text("id,file,title,outlet,date\nalpha,alpha.txt,Alpha,Outlet A,2023-12-07\n"
                                         "beta,beta.txt,Beta,Outlet B,2023-12-08\n", encoding="utf-8")
    (folder / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (folder / "beta.txt").write_text(BETA, encoding="utf-8")
    (folder / "workbook.toml").write_text('stories = ["karabakh"]\n', encoding="utf-8")
    return folder


@pytest.fixture
def book(seeds) -> cbmod.Codebook:
    return cbmod.default(units.story_sides(load_corpus(seeds)))


def _line_of(path: Path, uid: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(uid + ","))


def _fill(sheet: pd.DataFrame, path: Path, coder: str, values: dict) -> Path:
    """Write a copy of ``sheet`` filled with ``values[(unit_id, variable)]``."""
    out = sheet.copy()
    out.attrs = sheet.attrs
    out["coder"] = coder
    for (uid, variable), value in values.items():
        out.loc[out["unit_id"] == uid, variable] = value
    path.write_bytes(sampling.csv_sheet_bytes(out))
    return path


def _workbook_values(corpus) -> dict:
    """The workbook's own coding as sheet values: what a perfect coder would write."""
    coded = pd.concat([scoring.workbook_coding(corpus, u) for u in ("hit", "sentence")])
    coded = coded[coded["system"].isin(["workbook", "vader"])]
    return {(r.unit_id, r.variable): r.value for r in coded.itertuples(index=False)}


# --- Krippendorff's alpha ---------------------------------------------------------------------

@pytest.mark.parametrize("level,expected", [("nominal", 0.743), ("interval", 0.849), ("ordinal", 0.815),
                                            ("ratio", 0.797)])
def test_krippendorffs_worked_example(level, expected):
    assert round(agmod.alpha(_triples(), level), 3) == expected


def test_krippendorff_example_through_a_long_table(tmp_path):
    book = cbmod.Codebook([cbmod.Variable("v", "value?", ("1", "2", "3", "4", "5"), "interval", "article")])
    path = tmp_path / "long.csv"
    path.write_text("unit,coder,variable,value\n" + "".join(f"u{u},{c},v,{v}\n" for c, u, v in _triples()), encoding="utf-8")
    ratings = sheets.read_sheets([path], book)
    result = agmod.agreement(ratings, book, seed=1, draws=200)
    row = result.table.iloc[0]
    assert round(row["alpha"], 3) == 0.849
    assert (row["n_units"], row["n_single"], row["n_coders"]) == (11, 1, 4)  # unit 12: one value only
    assert row["alpha_low"] <= row["alpha"] <= row["alpha_high"] and row["draws"] > 0
    assert row["flag"] == "reliable" and not row["below_0_800"]
    assert set(result.disagreements["unit_id"]) == {"u2", "u6", "u8"}


def test_alpha_undefined_without_variation_or_pairs():
    assert math.isnan(agmod.alpha([("a", "1", "x"), ("b", "1", "x"), ("a", "2", "x"), ("b", "2", "x")]))
    assert math.isnan(agmod.alpha([("a", "1", "x"), ("b", "2", "y")]))
    assert agmod.flag(0.79) == "tentative" and agmod.flag(0.5) == "unreliable" and agmod.flag(0.8) == "reliable"


def test_bootstrap_is_reproducible_from_the_seed():
    assert agmod.bootstrap(_triples(), "nominal", draws=100, seed=3) == agmod.bootstrap(_triples(), "nominal", draws=100, seed=3)


# --- codebook -----------------------------------------------------------------------------------

def test_story_codebook_and_generic_frames(book):
    story = cbmod.for_story([("x", "X official"), ("y", "Y official")], ["toponym", "hedge"])
    assert story.get("hit", "side").values == ("x", "y", "wire", "both", "none")
    assert story.get("sentence", "tone").level == "ordinal"
    assert story.get("article", "framing").values == ("x", "y", "mixed", "none")
    frames = cbmod.generic_frames()
    assert len(frames) == 20 and {v.unit for v in frames} == {"article"}
    assert [len([v for v in frames if v.group == g]) for g in
            ("responsibility", "human_interest", "conflict", "morality", "economic")] == [5, 5, 4, 3, 3]
    assert "Journal of Communication, 50(2), 93–109" in frames.citation


def test_codebook_problems_name_file_and_line(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("variable,question,values,level,unit\nstance,Stance?,pro|anti,nominal,article\n"
                    "depth,How deep?,1|2|3,scale,article\nempty,Empty?,,nominal,sentence\n"
                    "stance,Again?,yes|no,nominal,article\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        cbmod.load(path)
    text = str(err.value)
    assert "mine.csv:3: unknown level 'scale'" in text
    assert "mine.csv:4: variable 'empty' has no values" in text
    assert "mine.csv:5: variable 'stance' of unit article is defined twice (first at line 2)" in text


def test_toml_codebook_problems_name_the_table_line(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title = "t"\n\n[[variables]]\nvariable = "a"\nquestion = "A?"\nvalues = ["y", "n"]\n'
                    'level = "nominal"\nunit = "article"\n\n[[variables]]\nvariable = "b"\nquestion = "B?"\n'
                    'values = []\nlevel = "nominal"\nunit = "article"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        cbmod.load(path)
    assert "mine.toml:10: variable 'b' has no values" in str(err.value)


# --- sampling and sheets ----------------------------------------------------------------------

def test_sheet_is_blind_and_reproducible(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    one = sampling.sample(corpus, "hit", 6, seed=7, codebook=book)
    two = sampling.sample(corpus, "hit", 6, seed=7, codebook=book)
    assert one.equals(two) and list(one["unit_id"]) != list(sampling.sample(corpus, "hit", 6, seed=8, codebook=book)["unit_id"])
    assert list(one.columns) == sampling.FIXED + ["side", "category", "voice", "notes"]
    coding = set(markers.EVIDENCE_COLUMNS + sentiment.SENTENCE_COLUMNS) - {"doc_id", "text"}
    assert not coding & (set(one.columns) - {"side", "category", "voice"})
    assert (one[["coder", "side", "category", "voice"]] == "").all().all()
    assert all("[[" in t and "]]" in t for t in one["text"])
    a = sampling.sheet_files(one, tmp_path / "a.csv", book)
    b = sampling.sheet_files(two, tmp_path / "a.csv", book)
    assert a == b  # CSV, XLSX and codebook bytes
    sampling.write_sheet(one, tmp_path / "a.csv", book)
    with pytest.raises(FileExistsError):
        sampling.write_sheet(one, tmp_path / "a.csv", book)


def test_stratified_sample_keeps_every_stratum(seeds, book):
    corpus = load_corpus(seeds)
    drawn = sampling.sample(corpus, "sentence", 3, seed=1, stratify="outlet,section", codebook=book)
    assert len(drawn) == 3 and drawn.attrs["designs"][0]["stratify"] == "outlet+section"
    by_doc = sampling.sample(corpus, "sentence", 2, seed=1, stratify="doc_id", codebook=book)
    assert set(by_doc["doc_id"]) == {"alpha", "beta"}
    assert sampling.allocate([26, 1, 0, 3], 24) == [21, 1, 0, 2]
    assert sampling.allocate([5, 5], 20) == [5, 5] and sum(sampling.allocate([9, 1, 1], 2)) == 2
    with pytest.raises(ValueError):
        sampling.strata_columns("side")


def test_round_trip_sample_agreement_adjudicate_validate(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    hits = sampling.sample(corpus, "hit", 100, seed=5, codebook=book)
    sents = sampling.sample(corpus, "sentence", 100, seed=5, codebook=book)
    sheet = sampling.combine([hits, sents], book)
    truth = _workbook_values(corpus)
    a = _fill(sheet, tmp_path / "a.csv", "ann", truth)
    changed = dict(truth)
    changed[("alpha:4", "has_marker")] = "yes"  # a marker the lexicon does not list, seen by one coder
    changed[("alpha:1", "tone")] = "neutral"
    b = _fill(sheet, tmp_path / "b.csv", "ben", changed)
    ratings = sheets.read_sheets([a, b], book, corpus)
    assert ratings.coders == ["ann", "ben"] and len(ratings.designs) == 2
    result = agmod.agreement(ratings, book, seed=1, draws=100)
    table = result.table.set_index(["unit", "variable"])
    assert table.loc[("hit", "side"), "alpha"] == 1.0 and table.loc[("sentence", "has_marker"), "alpha"] < 1
    assert set(result.disagreements["unit_id"]) == {"alpha:4", "alpha:1"}
    gold, ties = adjmod.adjudicate(ratings)
    assert len(ties) == 2
    gold.loc[(gold["unit_id"] == "alpha:4") & (gold["variable"] == "has_marker"), "adjudicated"] = "yes"
    path = tmp_path / "gold.csv"
    path.write_bytes(adjmod.gold_bytes(gold, ratings.designs, ratings.coders))
    read = adjmod.read_gold(path, book, corpus)
    assert read.coders == ["ann", "ben"] and read.unresolved == 1
    found = scoring.validate(read, corpus, codebook=book, agreement=result)
    marker = found.scores.query("variable == 'has_marker' and value == 'yes'").iloc[0]
    assert marker["recall"] < 1 and marker["precision"] == 1
    assert found.errors.query("variable == 'has_marker'")["unit_id"].tolist() == ["alpha:4"]
    side = found.summary.query("unit == 'hit' and variable == 'side'").iloc[0]
    assert side["accuracy"] == 1.0 and side["n_units"] == len(hits)
    assert found.confusion[("hit", "voice", "workbook")].to_numpy().trace() == len(hits)
    paragraph = found.methods_paragraph()
    for needle in ("2 coders (ann and ben)", "seed 5", "lexicon version", "α = ", "recall"):
        assert needle in paragraph
    settled, _ = adjmod.adjudicate(ratings, read)
    carried = settled[(settled["unit_id"] == "alpha:4") & (settled["variable"] == "has_marker")]
    assert carried["adjudicated"].tolist() == ["yes"]


# --- bad input: FILE:LINE, all together, nothing scored ----------------------------------------

def test_bad_sheets_are_reported_with_file_and_line(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    sheet = sampling.sample(corpus, "hit", 100, seed=5, codebook=book)
    uid, other = sheet["unit_id"].iloc[0], sheet["unit_id"].iloc[1]
    path = _fill(sheet, tmp_path / "bad.csv", "ann", {(uid, "side"): "maybe"})
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[_line_of(path, other) - 1]
    path.write_text(text + first + "\n" + first.replace(other, "alpha:1-2", 1) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        sheets.read_sheets([path], book, corpus)
    message, n = str(err.value), len(text.splitlines())
    assert f"bad.csv:{_line_of(path, uid)}: value 'maybe' of side (hit) is not in the codebook" in message
    assert f"bad.csv:{n + 1}: unit '{other}' appears again (first at line {_line_of(path, other)})" in message
    # a span that is no longer a hit is kept (the lexicon may have changed), but a text that
    # does not match the sheet's hash is an error
    assert f"bad.csv:{n + 2}: the text of unit 'alpha:1-2' has changed since the sheet was made" in message


def test_changed_text_is_reported(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    sheet = sampling.sample(corpus, "sentence", 100, seed=5, codebook=book)
    path = _fill(sheet, tmp_path / "s.csv", "ann", {("alpha:4", "tone"): "neutral"})
    (seeds / "alpha.txt").write_text(ALPHA.replace("next week", "next month"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        sheets.read_sheets([path], book, load_corpus(seeds))
    assert f"s.csv:{_line_of(path, 'alpha:4')}: the text of unit 'alpha:4' has changed" in str(err.value)


def test_long_table_duplicates_and_two_coders_in_one_sheet(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    long = tmp_path / "long.csv"
    long.write_text("unit,coder,variable,value\nalpha:4,ann,tone,neutral\nalpha:4,ann,tone,positive\n"
                    "alpha:4,ann,colour,red\n", encoding="utf-8")
    sheet = sampling.sample(corpus, "sentence", 2, seed=5, codebook=book)
    two = _fill(sheet, tmp_path / "two.csv", "ann", {})
    lines = two.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(",ann,", ",ben,")
    two.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        sheets.read_sheets([long, two], book, corpus)
    message = str(err.value)
    assert "long.csv:3: unit 'alpha:4', coder 'ann', variable 'tone' repeated (first at line 2)" in message
    assert "long.csv:4: 'colour' is not a variable of a sentence unit" in message
    assert f"two.csv:{len(lines)}: a sheet holds one coder: this row names 'ben'" in message
    assert "two.csv: coder 'ann' also coded" in message


def test_gold_with_a_value_outside_the_codebook(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    path = tmp_path / "gold.csv"
    path.write_text("unit_id,unit,variable,value,adjudicated\nalpha:4,sentence,tone,,glum\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        adjmod.read_gold(path, book, corpus)
    assert "gold.csv:2: value 'glum' of tone (sentence) is not in the codebook" in str(err.value)


# --- commands and the worked example ------------------------------------------------------------

def test_commands_refuse_to_overwrite_a_coders_file(seeds, tmp_path, capsys):
    out = tmp_path / "out"
    assert commands.sample_command(seeds, "hit,sentence", 4, 1, None, out, xlsx=False) == 0
    assert commands.sample_command(seeds, "hit,sentence", 4, 1, None, out, xlsx=False) == 0  # its own file
    with (out / "sheet.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert commands.sample_command(seeds, "hit,sentence", 4, 1, None, out, xlsx=False) == 2
    assert "refused" in capsys.readouterr().err
    assert commands.agreement_command([tmp_path / "missing.csv"], seeds=seeds) == 1


def test_worked_example_is_consistent():
    corpus = load_corpus()
    book = cbmod.default(units.story_sides(corpus))
    ratings = sheets.read_sheets([EXAMPLE / "coder_a.csv", EXAMPLE / "coder_b.csv"], book, corpus)
    hits = sampling.sample(corpus, "hit", 24, config.RANDOM_SEED, "outlet", book)
    sents = sampling.sample(corpus, "sentence", 24, config.RANDOM_SEED, "outlet", book)
    drawn = set(hits["unit_id"]) | set(sents["unit_id"])
    assert not [p for p in ratings.problems if p.is_error]
    gold = adjmod.read_gold(EXAMPLE / "gold.csv", book, corpus)
    assert gold.unresolved == 0
    if {d["lexicon"] for d in ratings.designs} == {units.lexicon(corpus).version}:
        assert set(ratings.units["unit_id"]) == drawn  # the seeded sample is the one the sheets hold
    else:  # drawn with another lexicon version: every unit that is no longer a hit is said so
        stale = set(ratings.units["unit_id"]) - drawn
        assert all(any(uid in p.message and "no longer a marker hit" in p.message for p in ratings.problems)
                   for uid in stale)


def test_a_filled_xlsx_sheet_is_read_with_its_row_numbers(seeds, book, tmp_path):
    from openpyxl import load_workbook

    corpus = load_corpus(seeds)
    sheet = sampling.sample(corpus, "sentence", 3, seed=2, codebook=book)
    sheet.loc[0, "context"] = "=HYPERLINK(1)"  # formula-like text must stay text
    path = tmp_path / "ann.csv"
    sampling.write_sheet(sheet, path, book)
    wb = load_workbook(path.with_suffix(".xlsx"))
    ws = wb["coding"]
    assert ws.cell(2, 4).value == "'=HYPERLINK(1)" and ws.cell(2, 4).data_type == "s"
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("tone") + 1, "positive")
    ws.cell(3, header.index("tone") + 1, "sunny")
    wb.save(path.with_suffix(".xlsx"))
    with pytest.raises(InputError) as err:
        sheets.read_sheets([path.with_suffix(".xlsx")], book, corpus)
    assert "ann.xlsx:3: value 'sunny' of tone (sentence) is not in the codebook" in str(err.value)
    ws.cell(3, header.index("tone") + 1, "Neutral")
    wb.save(path.with_suffix(".xlsx"))
    ratings = sheets.read_sheets([path.with_suffix(".xlsx")], book, corpus)
    assert ratings.coders == ["ann"] and sorted(ratings.table["value"]) == ["neutral", "positive"]
    assert ratings.designs == sheet.attrs["designs"]


def test_ratings_from_a_data_frame():
    book = cbmod.Codebook([cbmod.Variable("v", "value?", ("1", "2", "3", "4", "5"), "nominal", "article")])
    frame = pd.DataFrame([{"unit_id": f"u{u}", "unit": "article", "coder": c, "variable": "v", "value": v}
                          for c, u, v in _triples()])
    assert round(agmod.agreement(sheets.from_frame(frame, book), book, draws=10).table["alpha"].iloc[0], 3) == 0.743
    with pytest.raises(InputError) as err:
        sheets.from_frame(pd.concat([frame, frame.iloc[:1]], ignore_index=True), book)
    assert "repeated (first at row 1)" in str(err.value)


def test_article_framing_is_validated(seeds, book, tmp_path):
    corpus = load_corpus(seeds)
    coded = scoring.workbook_coding(corpus, "article").set_index("unit_id")["value"]
    assert coded["alpha"] == "az"  # "liberated", "illegal separatists" in its own voice
    sheet = sampling.sample(corpus, "article", 2, seed=1, codebook=book)
    assert "framing" in sheet.columns and "conflict_disagreement" in sheet.columns
    a = _fill(sheet, tmp_path / "a.csv", "ann", {("alpha", "framing"): "az", ("beta", "framing"): "none"})
    b = _fill(sheet, tmp_path / "b.csv", "ben", {("alpha", "framing"): "az", ("beta", "framing"): "none"})
    gold, _ = adjmod.adjudicate(sheets.read_sheets([a, b], book, corpus))
    found = scoring.validate(gold, corpus, "article", codebook=book)
    row = found.summary.iloc[0]
    assert (row["variable"], row["n_units"]) == ("framing", 2)
    assert row["accuracy"] == (1.0 if coded["beta"] == "none" else 0.5)


@pytest.mark.parametrize("unit", ["hit", "sentence", "article"])
def test_a_population_without_texts_gets_the_texts_of_the_full_table(unit):
    shipped = load_corpus()
    full = units.table(shipped, unit)
    bare = units.table(shipped, unit, texts=False)
    assert bare["text"].isna().all() and len(bare) == len(full) > 0
    pd.testing.assert_frame_equal(units.with_texts(shipped, bare), full)
    picked = bare.iloc[[len(bare) - 1, 0]]
    pd.testing.assert_frame_equal(units.with_texts(shipped, picked), full.iloc[[len(full) - 1, 0]])
