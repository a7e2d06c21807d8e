"""`python -m analysis run` and `report` on other folders: files land in the output folder only;
`run` writes the notebooks' outputs byte for byte."""
import ast
import hashlib
import shutil

import nbformat
import pandas as pd
import pytest

from analysis import cli, config, corpus
from analysis.presentation import registry
from analysis.running import methods, pipeline, report


def _tree_digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(config.DEFAULT_SEEDS, folder)
    return folder


@pytest.mark.integration
def test_run_command_writes_everything_and_summarises(seeds, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["run", "--seeds", str(seeds), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "4 documents (4 computed, 0 from cache)" in printed and "figures written" in printed
    assert (out / "methods.md").is_file() and (out / "changes.md").is_file()
    assert (out / "01_words_by_section.svg").is_file()
    assert cli.main(["run", "--seeds", str(seeds), "--out", str(out), "--jobs", "2"]) == 0
    assert "(0 computed, 4 from cache)" in capsys.readouterr().out
    assert not list(seeds.rglob(".cache"))


@pytest.mark.integration
def test_run_command_reports_a_broken_article_and_goes_on(seeds, tmp_path, capsys):
    (seeds / "us-dos-2023-12-07-welcoming-release.txt").unlink()
    assert cli.main(["run", "--seeds", str(seeds), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "does not exist" in captured.err
    assert "3 documents" in captured.out


def test_run_refuses_zero_jobs(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--jobs", "0"])
    assert exc.value.code == 2


def test_report_in_place_only_on_the_shipped_folders(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMING_SEEDS", raising=False)
    monkeypatch.delenv("FRAMING_FIGURES", raising=False)
    assert not report.is_elsewhere()
    assert not report.is_elsewhere(config.DEFAULT_SEEDS, "figures")
    assert report.is_elsewhere(tmp_path)
    assert report.is_elsewhere(None, tmp_path)
    path = config.NOTEBOOKS / "01_corpus_overview.ipynb"
    assert report.executed_path(path, tmp_path) == tmp_path / "notebooks" / path.name
    assert report.html_path(path, tmp_path) == tmp_path / "html" / "01_corpus_overview.html"


@pytest.mark.integration
def test_report_on_copied_seeds_writes_to_out_and_leaves_notebooks_unchanged(seeds, tmp_path, capsys):
    out = tmp_path / "out"
    before = _tree_digest(config.NOTEBOOKS)
    figures_before = _tree_digest(config.DEFAULT_FIGURES)
    assert cli.main(["report", "--seeds", str(seeds), "--out", str(out), "--notebook", "01", "--html"]) == 0
    assert _tree_digest(config.NOTEBOOKS) == before
    assert _tree_digest(config.DEFAULT_FIGURES) == figures_before
    for name in ["01_documents.csv", "01_words_by_section.png", "01_words_by_section.csv"]:
        assert (out / name).is_file(), name
    executed = (out / "notebooks" / "01_corpus_overview.ipynb").read_text(encoding="utf-8")
    assert '"execution_count": 1' in executed
    assert (out / "methods.md").read_text(encoding="utf-8") == methods.markdown(corpus.load_corpus(seeds), seeds)
    html = (out / "html" / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert 'class="dataframe"' in html and "data:image/png;base64" in html
    assert "1 notebooks executed into" in capsys.readouterr().out


@pytest.mark.integration
def test_scale_command_writes_the_corpus_tables(tmp_path, capsys):
    from analysis import corpus
    from analysis.presentation import export
    from analysis.running import aggregate, pipeline

    assert cli.main(["scale", str(config.DEFAULT_SEEDS), "--out", str(tmp_path), "--workers", "1"]) == 0
    shipped = corpus.load_corpus()
    results, _ = pipeline.analyse(shipped)
    expected = aggregate.aggregate(shipped, results)
    assert (tmp_path / "document_summary.csv").read_bytes() == export.csv_bytes(expected.documents)
    assert (tmp_path / "terms_corpus.csv").read_bytes() == export.csv_bytes(expected.terms)
    assert "4 documents" in capsys.readouterr().out


def _shown_sections(path) -> list[str]:
    """The section functions a notebook shows, in order: ``wb.show(sections.NAME)`` calls."""
    names = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "show":
                    names.append(node.args[0].attr)
    return names


def test_every_notebook_shows_exactly_its_registered_sections_in_order():
    """The notebooks hold no outputs of their own: each shows its registry's sections, in order,
    so the batch run (which writes every registered section) writes what the notebooks write."""
    for path in report.notebook_paths():
        if path.stem not in registry.SECTIONS:
            continue
        assert _shown_sections(path) == [build.__name__ for build in registry.SECTIONS[path.stem]], path.name



@pytest.mark.integration
def test_run_writes_the_notebooks_files_byte_for_byte(tmp_path):
    """Every file the notebooks wrote to figures/ (tables, PNG, SVG, PDF, reading views) and
    methods.md, when present, are identical in a run's output folder."""
    summary = pipeline.run(config.DEFAULT_SEEDS, tmp_path / "out")
    committed = sorted(config.DEFAULT_FIGURES.glob("0[1-5]_*"))
    committed += [p for p in [config.DEFAULT_FIGURES / "methods.md"] if p.exists()]
    assert len(committed) > 50
    differing = [p.name for p in committed
                 if not (tmp_path / "out" / p.name).is_file() or (tmp_path / "out" / p.name).read_bytes() != p.read_bytes()]
    assert differing == [], "regenerate figures/ with `python -m analysis report` if the code changed"
    assert {p.name for p in summary.pages} == {f"04_reading_{d.doc_id}.html" for d in corpus.load_corpus()}


@pytest.mark.integration
def test_run_writes_to_output_by_default_never_to_figures(monkeypatch, tmp_path, capsys):
    default = tmp_path / "output"
    monkeypatch.setattr(pipeline, "DEFAULT_OUTPUT", default)
    figures = config.figures_dir()  # $FRAMING_FIGURES, a temporary folder during tests
    before = _tree_digest(figures) if figures.exists() else {}
    assert cli.main(["run", "--no-cache"]) == 0
    assert (default / "04_evidence.csv").is_file() and (default / "methods.md").is_file()
    assert (_tree_digest(figures) if figures.exists() else {}) == before
    assert "4 pages and 13 figures written" in capsys.readouterr().out


def test_run_output_folder_is_gitignored():
    assert pipeline.DEFAULT_OUTPUT == config.ROOT / "output"
    ignored = (config.ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "output/" in ignored


@pytest.mark.integration
def test_write_methods_is_deterministic_and_relative(tmp_path):
    first = report.write_methods(config.DEFAULT_SEEDS, tmp_path / "a").read_bytes()
    second = report.write_methods(None, tmp_path / "b").read_bytes()
    assert first == second
    assert str(config.ROOT).encode() not in first and str(tmp_path).encode() not in first
    assert b"Seeds folder: `seeds`" in first


@pytest.mark.integration
def test_notebooks_read_the_run_cache_and_recompute_a_bad_entry(seeds, tmp_path, monkeypatch, capsys):
    from analysis.framing import markers
    from analysis.running import notebook

    out = tmp_path / "out"
    monkeypatch.setenv("FRAMING_SEEDS", str(seeds))
    monkeypatch.setenv("FRAMING_FIGURES", str(out))
    assert report.prepare(seeds, out) == 4                 # every text analysed and stored
    assert report.prepare(seeds, out) == 0                 # and read back the second time
    entries, [batch] = sorted((out / ".cache").rglob("*.result")), sorted((out / ".cache").rglob("*.batch"))
    assert len(entries) == 4
    for entry in (entries[0], batch):
        entry.write_text("{not json", encoding="utf-8")
    wb = notebook.open_workbook(seeds, out)
    printed = capsys.readouterr().out
    assert "invalid cache entry" in printed and entries[0].name in printed and batch.name in printed
    computed = markers.evidence(wb.corpus)
    pd.testing.assert_frame_equal(wb.evidence.reset_index(drop=True), computed.reset_index(drop=True),
                                  check_dtype=False)
    assert report.prepare(seeds, out) == 0                 # the bad entry was replaced
    assert notebook.result_cache(seeds / "inner", seeds) is None     # never a cache inside the seeds folder


@pytest.mark.integration
def test_execute_all_runs_notebooks_at_once_and_reports_a_failing_one(seeds, tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    for name, code in [("01_fine.ipynb", "print('fine')"), ("02_broken.ipynb", "1 / 0")]:
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), folder / name)
    out = tmp_path / "out"
    seen = []
    results = report.execute_all(sorted(folder.glob("*.ipynb")), seeds, out, jobs=2, elsewhere=True,
                                 done=lambda path, written, error: seen.append(path.name))
    assert sorted(seen) == ["01_fine.ipynb", "02_broken.ipynb"]
    (fine, written, none), (broken, nothing, error) = results
    assert fine.name == "01_fine.ipynb" and none is None and written == out / "notebooks" / "01_fine.ipynb"
    assert "fine" in written.read_text(encoding="utf-8")
    assert broken.name == "02_broken.ipynb" and nothing is None and "ZeroDivisionError" in error
    assert not (out / "notebooks" / "02_broken.ipynb").exists()
    assert (out / "methods.md").is_file() and len(list((out / ".cache").rglob("*.result"))) == 4
