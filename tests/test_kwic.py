"""KWIC concordances: matching on the folded form, exact offsets, context, sorting, spans, dispersion."""
import pandas as pd
import pytest

from analysis import cli, corpus
from analysis.presentation import export, plots
from analysis.measures import kwic

ONE = ("Ceasefire in Nagorno–Karabakh\n\n"
       "Officials said the “separatist” forces left. A peace deal followed.\n\n"
       "The PEACE\ndeal was signed and peaceful days began.\n")
TWO = "Short note\n\nNo deal yet. Peace deal talks go on.\n"


def tiny():
    return corpus.Corpus([corpus.parse_article(ONE, "one", {"outlet": "Alpha"}),
                          corpus.parse_article(TWO, "two", {"outlet": "Beta"})])


def test_word_search_is_case_insensitive_whole_word_and_offsets_exact():
    c = tiny()
    table = kwic.search(c, "peace")
    assert list(table.columns) == kwic.CONCORDANCE_COLUMNS
    assert list(table.doc_id) == ["one", "one", "two"]
    assert list(table.match) == ["peace", "PEACE", "Peace"]  # "peaceful" is not a whole-word hit
    for row in table.itertuples():
        assert c[row.doc_id].text[row.start:row.end] == row.match
    assert table.iloc[0].sentence == 2  # headline is sentence 0


def test_phrase_spans_line_breaks_and_folds_dashes_and_quotes():
    c = tiny()
    deal = kwic.search(c, "peace deal")
    assert list(deal.match) == ["peace deal", "PEACE deal", "Peace deal"]  # the line break shows as one space
    assert c["one"].text[deal.iloc[1].start:deal.iloc[1].end] == "PEACE\ndeal"
    dash = kwic.search(c, "nagorno-karabakh")
    assert c["one"].text[dash.iloc[0].start:dash.iloc[0].end] == "Nagorno–Karabakh"
    quoted = kwic.search(c, '"separatist"')
    assert quoted.iloc[0].match == "“separatist”"


def test_wildcard_and_context_width():
    table = kwic.search(tiny(), "peace*", width=2)
    assert "peaceful" in set(table.match)
    first = table.iloc[0]
    assert (first.left, first.right) == ("left. A", "deal followed")  # context runs from word to word
    assert kwic.search(tiny(), "peace", width=0).iloc[0].left == ""
    with pytest.raises(ValueError):
        kwic.search(tiny(), "  ")
    with pytest.raises(ValueError):
        kwic.search(tiny(), "peace", width=-1)


def test_context_stops_at_the_edges_of_the_text():
    row = kwic.search(tiny(), "ceasefire", width=3).iloc[0]
    assert row.left == "" and row.right == "in Nagorno–Karabakh"  # an en dash splits words: 3 words


def test_sort_by_right_and_left_words():
    table = kwic.search(tiny(), "deal", width=3)
    # rows: one "peace deal followed", one "PEACE deal was", two "No deal yet", two "Peace deal talks"
    assert list(kwic.sort(table, "R1").right.str.split().str[0].str.rstrip(".")) == ["followed", "talks", "was", "yet"]
    # L1: "no" first, then the three "peace" lines ordered by R1 (followed, talks, was)
    by_left = kwic.sort(table, ["L1", "R1"])
    assert list(by_left.start) == [table.start[2], table.start[0], table.start[3], table.start[1]]
    with pytest.raises(ValueError, match="unknown sort key"):
        kwic.sort(table, "X9")


def test_from_spans_keeps_extra_columns_and_sorts():
    c = tiny()
    start = c["one"].text.index("separatist")
    spans = pd.DataFrame({"doc_id": ["two", "one"], "start": [15, start], "end": [19, start + 10],
                          "concept": ["deal", "separatist"]})
    table = kwic.from_spans(c, spans, width=2)
    assert list(table.columns) == kwic.CONCORDANCE_COLUMNS + ["concept"]
    assert list(table.doc_id) == ["one", "two"]
    assert table.iloc[0].match == "separatist" and table.iloc[0].left == "said the “"
    with pytest.raises(ValueError, match="no document with id 'three'"):
        kwic.from_spans(c, pd.DataFrame({"doc_id": ["three"], "start": [0], "end": [1]}))
    with pytest.raises(ValueError, match="do not fit"):
        kwic.from_spans(c, pd.DataFrame({"doc_id": ["two"], "start": [5], "end": [5000]}))


def test_dispersion_positions_and_figure(tmp_path):
    c = tiny()
    table = kwic.dispersion(c, ["peace", "ceasefire"])
    assert list(table.columns) == kwic.DISPERSION_COLUMNS
    assert table.position.dropna().between(0, 1).all()
    ceasefire = table[table.term == "ceasefire"]
    assert ceasefire.iloc[0].position == 0.0  # first word of the headline
    assert ceasefire.iloc[1].doc_id == "two" and pd.isna(ceasefire.iloc[1].position)  # no hit: empty row
    written = export.figure(plots.dispersion_plot(table), table, "test_dispersion", out=tmp_path)
    assert sorted(written.paths) == ["csv", "pdf", "png", "svg"]
    assert (tmp_path / "test_dispersion.csv").read_text(encoding="utf-8").startswith("term,doc_id,outlet,start")


@pytest.mark.integration
def test_shipped_corpus_concordance():
    loaded = corpus.load_corpus()
    table = kwic.search(loaded, "peace")
    assert len(table) == 12
    assert set(table.outlet) == set(loaded.documents.outlet)
    for row in table.itertuples():
        assert loaded[row.doc_id].text[row.start:row.end].lower() == "peace"


def test_cli_kwic(tmp_path, capsys):
    path = tmp_path / "note.txt"
    path.write_text(TWO, encoding="utf-8")
    assert cli.main(["kwic", "deal", str(path), "--width", "1", "--sort", "R1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["doc_id,outlet,start,end,sentence,left,match,right",
                   "note,note,31,35,2,Peace,deal,talks", "note,note,15,19,1,No,deal,yet"]


def test_dispersion_from_spans_labels_and_validation():
    c = tiny()
    spans = pd.DataFrame({"doc_id": ["two", "one"], "start": [15, 0], "end": [19, 9], "concept": ["deal", "truce"]})
    table = kwic.dispersion_from_spans(c, spans)
    assert list(table.term.unique()) == ["deal", "truce"]  # labels sorted
    hits = table.dropna(subset=["position"])
    assert list(zip(hits.term, hits.doc_id, hits.start)) == [("deal", "two", 15), ("truce", "one", 0)]
    assert len(table) == 4  # each label: one hit row + one empty row for the other document
    with pytest.raises(ValueError, match="no column 'side'"):
        kwic.dispersion_from_spans(c, spans, label="side")


def test_empty_results_still_make_figures():
    empty = kwic.dispersion(tiny(), ["zebra"])
    assert empty.position.isna().all() and len(empty) == 2
    assert plots.dispersion_plot(empty).axes[0].get_title(loc="left") == "zebra (0 hits)"
    assert plots.keyness_heatmap(pd.DataFrame(columns=["term"])).axes[0].texts[0].get_text() == "no term passes the thresholds"
