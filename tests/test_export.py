"""Exports: formula cells neutralised everywhere, names cannot leave the output folder, writes
are atomic and a failure loses nothing."""
import ast
import csv
import io
import os

import pandas as pd
import pytest

from analysis.cli import common
from analysis import cli, config, files
from analysis.presentation import export, plots

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1", " =HYPERLINK(\"http://x\")", "\uff1dA1"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_cells_are_neutralised_without_losing_text(value):
    assert export.neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "", "a=b", "it's", 3, -2.5, None, True])
def test_other_cells_are_unchanged(value):
    assert export.neutralise_cell(value) == value


def test_every_text_column_header_and_named_index_is_neutralised():
    table = pd.DataFrame({
        "object": pd.array(FORMULAS, dtype=object),
        "string": pd.array(FORMULAS, dtype="string"),
        "category": pd.Categorical(FORMULAS),
        "=header": range(len(FORMULAS)),
        "number": [-1.5] * len(FORMULAS),
    }, index=pd.Index(FORMULAS, name="@outlet"))
    rows = _cells(export.csv_bytes(table))
    assert rows[0] == ["'@outlet", "object", "string", "category", "'=header", "number"]
    for row, value in zip(rows[1:], FORMULAS):
        assert row[:4] == ["'" + value] * 4
        assert row[5] == "-1.5"  # numbers are numbers, not text


@pytest.mark.parametrize("cell", ["line\rbreak", "line\r\nbreak", "line\nbreak", "a,\"b\""])
def test_text_with_line_breaks_round_trips(cell):
    table = pd.DataFrame({"text": [cell, "plain"], "n": [1, 2]})
    assert _cells(export.csv_bytes(table)) == [["text", "n"], [cell, "1"], ["plain", "2"]]


def test_unnamed_positional_index_is_not_written():
    table = pd.DataFrame({"a": [1, 2, 3]}).iloc[[2, 0]]
    assert export.csv_bytes(table) == b"a\n3\n1\n"


def test_cli_csv_output_is_neutralised(capsysbinary):
    common.write_csv(pd.DataFrame({"text": ["=cmd|' /C calc'!A0"]}))
    assert _cells(capsysbinary.readouterr().out) == [["text"], ["'=cmd|' /C calc'!A0"]]


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a/b", "a\\b", "..", ".", "", "a\x00b", "x\n", "a..b",
                                  ".hidden", "con", "NUL.csv", "x.", "é", "a b", None])
def test_unsafe_output_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError):
        export.output_path(name, "csv", tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["../x", "/etc/x", "a/b", "..", "a\x00b", "x\n", "Café Été: a title!", "CON",
                                  "", "\u202e\u0000", "a" * 500, "aa-2023-12-07"])
def test_safe_stem_makes_any_text_a_name_inside_the_folder(tmp_path, text):
    stem = export.safe_stem(text)
    path = export.output_path(stem, "html", tmp_path)
    assert path.parent == tmp_path and path.name == f"{stem}.html"


def test_safe_stem_keeps_plain_ids_and_separates_different_texts():
    assert export.safe_stem("aa-2023-12-07") == "aa-2023-12-07"
    assert export.safe_stem("a/b") != export.safe_stem("a:b")


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("keep", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "t.csv").symlink_to(outside)
    with pytest.raises(ValueError):
        export.table(pd.DataFrame({"a": [1]}), "t", folder)
    assert outside.read_text(encoding="utf-8") == "keep"


def _figure():
    fig, ax = plots.new_figure()
    ax.plot([0, 1], [0, 1])
    return fig


def test_a_failing_render_leaves_previous_files_and_no_temporary_files(tmp_path):
    data = pd.DataFrame({"x": [0, 1], "y": [0, 1]})
    first = export.figure(_figure(), data, "f", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(before) == {"f.png", "f.svg", "f.pdf", "f.csv", export.DRAWN_NAME} and first.paths["csv"].exists()

    broken = _figure()

    def fail(*args, **kwargs):
        raise RuntimeError("renderer failed")

    broken.savefig = fail
    with pytest.raises(RuntimeError):
        export.figure(broken, pd.DataFrame({"x": [5], "y": [5]}), "f", tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_failing_write_removes_its_temporary_files_and_keeps_old_ones(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_bytes(b"old a")
    (tmp_path / "b.csv").write_bytes(b"old b")
    real = os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(OSError):
        export.write_all_atomic({tmp_path / "a.csv": b"new a", tmp_path / "b.csv": b"new b"})
    monkeypatch.setattr(os, "replace", real)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
    assert (tmp_path / "a.csv").read_bytes() == b"old a" and (tmp_path / "b.csv").read_bytes() == b"old b"
    assert len(calls) == 1


def test_exports_leave_unrelated_files_alone(tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("the user's file", encoding="utf-8")
    export.table(pd.DataFrame({"a": [1]}), "t", tmp_path)
    export.figure(_figure(), pd.DataFrame({"a": [1]}), "f", tmp_path)
    assert mine.read_text(encoding="utf-8") == "the user's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [export.DRAWN_NAME, "f.csv", "f.pdf", "f.png", "f.svg",
                                                          "notes.txt", "t.csv"]


def test_the_package_deletes_only_its_own_temporary_files():
    """The only file removals in the package are clean-ups of its own temporary files and of
    outputs it wrote itself (``running.guard``, which reads them from its own list)."""
    deleting = {"unlink", "remove", "rmtree", "rmdir", "removedirs"}
    found = []
    for path in sorted(config.PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in deleting:
                    found.append((path.name, ast.unparse(node)))
    allowed = {("files.py", "os.unlink(tmp)"), ("cache.py", "tmp.unlink(missing_ok=True)"), ("guard.py", "os.unlink(stale)"),
               ("guard.py", "os.unlink(leftover)")}
    assert found and set(found) <= allowed, found


def test_atomic_write_replaces_content_and_sets_readable_mode(tmp_path):
    path = tmp_path / "x.csv"
    export.write_bytes_atomic(path, b"one")
    export.write_bytes_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_untrusted_labels_are_cleaned_for_figures_pages_and_markdown():
    from analysis.presentation import labels

    assert labels.clean("Fox \u202eswen\u202c News") == "Fox swen News"
    assert labels.clean("x" * 100).endswith("…") and len(labels.clean("x" * 100)) == labels.MAX_LABEL
    cell = labels.markdown_cell("A | B\n# heading <img src=x onerror=alert(1)>")
    assert "|" not in cell.replace("\\|", "") and "\n" not in cell and "<img" not in cell and "\\#" in cell


def test_a_dollar_outlet_does_not_start_mathtext(tmp_path):
    from analysis.presentation import plots

    data = pd.DataFrame({"doc_id": ["Fox $\\badcommand{$ News"] * 2, "section": ["headline", "body"], "n_words": [3, 9]})
    written = export.figure(plots.words_by_section(data), data, "dollar", tmp_path, note="Source: $x$")
    assert written.paths["png"].stat().st_size > 0


def test_a_figure_whose_data_did_not_change_is_not_drawn_again(tmp_path, monkeypatch):
    calls = []
    real = export.figure_bytes
    monkeypatch.setattr(export, "figure_bytes", lambda fig, fmt: calls.append(fmt) or real(fig, fmt))
    data = pd.DataFrame({"a": [1, 2]})
    export.figure(_figure(), data, "f", tmp_path, note="n")
    export.figure(_figure(), data, "f", tmp_path, note="n")
    assert calls == list(export.FIGURE_FORMATS)
    export.figure(_figure(), data, "f", tmp_path, note="another note")
    export.figure(_figure(), pd.DataFrame({"a": [1, 3]}), "f", tmp_path, note="another note")
    assert len(calls) == 3 * len(export.FIGURE_FORMATS)
    assert (tmp_path / "f.csv").read_bytes() == export.csv_bytes(pd.DataFrame({"a": [1, 3]}))


@pytest.mark.parametrize("dtype", [object, "string[pyarrow]", "string[python]"])
def test_csv_bytes_neutralises_formulas_and_quotes_carriage_returns_in_every_text_dtype(dtype):
    from analysis import files

    table = pd.DataFrame({"a": pd.Series(["=1+1", "ok", " @x"], dtype=dtype), "b": pd.Series(["x", "y", "z"], dtype=dtype)})
    assert files.csv_bytes(table).decode("utf-8").splitlines() == ["a,b", "'=1+1,x", "ok,y", "' @x,z"]
    broken = pd.DataFrame({"a": pd.Series(["one\rtwo", "plain"], dtype=dtype), "n": [1, 2]})
    assert files.csv_bytes(broken).decode("utf-8") == '"a","n"\n"one\rtwo",1\n"plain",2\n'


def _draw_several(folder, prefix):
    import matplotlib.pyplot as plt

    for i in range(6):
        fig, ax = plt.subplots()
        ax.plot([0, i], [0, 1])
        export.figure(fig, pd.DataFrame({"x": [0, i]}), f"{prefix}{i}", folder)
        plt.close(fig)
    return prefix


def test_figures_drawn_side_by_side_keep_every_key(tmp_path):
    import json
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        assert sorted(pool.map(_draw_several, [tmp_path, tmp_path], ["a", "b"])) == ["a", "b"]
    drawn = json.loads((tmp_path / export.DRAWN_NAME).read_text(encoding="utf-8"))
    assert sorted(drawn) == [f"{p}{i}" for p in "ab" for i in range(6)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [export.DRAWN_NAME]


def _tricky(rows: int) -> pd.DataFrame:
    return pd.DataFrame({
        "text": [["=SUM(A1)", "plain, with comma", "a \"quote\"", None, "+1", "line\nbreak"][i % 6] for i in range(rows)],
        "score": [[0.1, float("nan"), -0.0, 1e-20, 2.5, 1 / 3][i % 6] for i in range(rows)],
        "n": list(range(rows)),
        "mixed": [[1, "x", 2.5, True, None, "-y"][i % 6] for i in range(rows)],
        "label": pd.array([["a", None, "@b", "c", "d", "e"][i % 6] for i in range(rows)], dtype="string"),
    })


@pytest.mark.parametrize("table", [
    _tricky(17), _tricky(0), _tricky(17).assign(text=["plain"] * 16 + ["carriage\rreturn"]),
    _tricky(17).set_index(["n", "score"]),
    _tricky(17).assign(when=pd.to_datetime(["2023-12-07"] * 16 + ["2023-12-07 10:30"], format="mixed")),
])
def test_a_table_written_in_pieces_gives_the_bytes_of_one_piece(monkeypatch, table):
    monkeypatch.setattr(files, "CSV_CHUNK_ROWS", 10**9)
    whole = files.csv_bytes(table)
    monkeypatch.setattr(files, "CSV_CHUNK_ROWS", 3)
    pieces = list(files.csv_chunks(table))
    assert b"".join(pieces) == whole
    assert len(pieces) == (1 if "when" in table or len(table) == 0 else 6)
    assert len(pd.read_csv(io.BytesIO(whole))) == len(table)
