"""Bad input: every class of broken or unusual file gets a clear message naming it, the other
files are still analysed, nothing is silently changed."""
import csv
import io
import os
import shutil

import pytest

from analysis.corpus import parse
from analysis.cli import common
from analysis import cli, config, corpus, problems
from analysis.input import decode as inputs
from analysis.problems import InputError, Problem, exit_status

ARTICLE = "Talks resume\n\nThe two governments said on Thursday that talks would resume. Both sides welcomed the step.\n"
# A paraphrased German news sentence pair (not English: few English stop words).
GERMAN = ("Die Regierung hat am Donnerstag angekündigt, dass die Verhandlungen über den Austausch von "
          "Gefangenen in der nächsten Woche fortgesetzt werden sollen. Beide Seiten sprachen von einem "
          "wichtigen Schritt zur Normalisierung der Beziehungen zwischen den Nachbarstaaten.")
ARMENIAN = "Կառավարությունը հայտարարեց, որ բանակցությունները կվերսկսվեն հաջորդ շաբաթ։ " * 6


def _errors(exc_info) -> list[Problem]:
    return exc_info.value.problems


# --- encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8"),
    (ARTICLE.encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + ARTICLE.encode("utf-16-be"), "utf-16-be"),
    (ARTICLE.encode("utf-32"), "utf-32-le"),
])
def test_unicode_encodings_decode_to_the_same_text_without_warning(data, encoding):
    text, used, warnings = inputs.decode_bytes(data, "a.txt")
    assert (text, used, warnings) == (ARTICLE, encoding, [])


def test_cp1252_falls_back_with_a_warning_naming_file_and_line():
    data = "Title\n\nThe minister’s café visit – a first.\n".encode("cp1252")
    text, used, warnings = inputs.decode_bytes(data, "old.txt")
    assert text == "Title\n\nThe minister’s café visit – a first.\n"
    assert used == "cp1252"
    [w] = warnings
    assert (w.file, w.line, w.severity) == ("old.txt", 3, "warning")
    assert "Windows-1252" in w.message and "UTF-8" in w.hint


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    text, used, warnings = inputs.decode_bytes(b"Title\n\nA \x81 b \xe9.\n", "x.txt")
    assert used == "latin-1" and text == "Title\n\nA \x81 b é.\n"
    assert "Latin-1" in warnings[0].message


def test_broken_utf16_after_a_bom_is_an_error():
    with pytest.raises(InputError) as exc:
        inputs.decode_bytes(b"\xff\xfeA\x00\x00\xd8", "bad16.txt")  # lone high surrogate
    assert "UTF-16" in _errors(exc)[0].message


@pytest.mark.parametrize("data, says", [
    (b"Some text\nand a NUL \x00 byte", "NUL"),
    ("Title".encode("utf-16-le"), "NUL"),  # UTF-16 without a byte-order mark
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_binary_files_are_clear_errors(data, says):
    with pytest.raises(InputError) as exc:
        inputs.prepare(data, "blob.txt")
    [problem] = _errors(exc)
    assert problem.file == "blob.txt" and problem.is_error
    assert says in problem.message and "plain text" in problem.hint


@pytest.mark.parametrize("data, says", [(b"", "empty"), (b" \n\t\r\n\r\n  ", "white space"),
                                        (b"\xef\xbb\xbf", "white space"),
                                        (b"<html><body><script>x()</script></body></html>", "no visible text")])
def test_files_without_text_are_errors(data, says):
    with pytest.raises(InputError) as exc:
        inputs.prepare(data, "e.txt")
    assert says in _errors(exc)[0].message


def test_header_without_body_is_an_error(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("title: Something\noutlet: Somewhere\n\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        corpus.read_article(path)
    assert "no article text" in _errors(exc)[0].message


# --- line endings -----------------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_offsets_and_structure(tmp_path, newline):
    body = ARTICLE.replace("\n", newline)
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode("utf-8"))
    doc = corpus.read_article(path)
    assert doc.text == body
    assert [p.section for p in doc.paragraphs] == ["headline", "lead"]
    assert [doc.slice(s.start, s.end) for s in doc.sentences] == [
        "Talks resume", "The two governments said on Thursday that talks would resume.", "Both sides welcomed the step."]


# --- large files ------------------------------------------------------------------------------

def test_a_20_mb_file_decodes_and_splits_into_paragraphs(tmp_path):
    paragraph = "The delegations met again and agreed on a further exchange of detainees. " * 6
    path = tmp_path / "big.txt"
    path.write_bytes(("Headline\n\n" + (paragraph.strip() + "\r\n\r\n") * 46_000).encode("utf-8"))
    assert path.stat().st_size > 20_000_000
    text, warnings = inputs.prepare(path.read_bytes(), str(path))
    assert warnings == []
    blocks = parse._blocks(text, parse._lines(text))
    assert len(blocks) == 46_001
    start, end, _ = blocks[-1]
    assert text[start:end] == paragraph.strip()


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(inputs, "MAX_ARTICLE_BYTES", 10)
    with pytest.raises(InputError) as exc:
        corpus.read_article(path)
    assert "too large" in _errors(exc)[0].message
    if os.path.exists("/dev/zero"):  # an endless device is read only up to the limit
        with pytest.raises(InputError) as exc:
            corpus.read_article("/dev/zero")
        assert "too large" in _errors(exc)[0].message


# --- HTML -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Site name</title><style>p { color: red }</style>
<script>document.title = "pwned"; var s = "<p>not text</p>";</script></head>
<body><nav>Home</nav>
<h1>Talks &amp; prisoners</h1>
<p>The two   governments
said talks would resume.</p><p>Both sides<br>welcomed the step.</p>
<noscript>Enable scripts</noscript></body></html>"""


def test_html_is_detected_and_its_visible_text_extracted():
    text, warnings = inputs.prepare(PAGE.encode("utf-8"), "page.html")
    assert text == ("Home\n\nTalks & prisoners\n\nThe two governments said talks would resume.\n\n"
                    "Both sides\nwelcomed the step.")
    [w] = warnings
    assert "HTML" in w.message and "offsets refer to the extracted text" in w.message


def test_html_offsets_refer_to_the_extracted_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc, warnings = corpus.load_article(path)
    assert "<" not in doc.text and "pwned" not in doc.text and "Site name" not in doc.text
    for sentence in doc.sentences:
        assert doc.text[sentence.start:sentence.end].strip() == doc.text[sentence.start:sentence.end]
    assert [doc.slice(p.start, p.end) for p in doc.paragraphs][-1] == "Both sides\nwelcomed the step."


def test_markup_inside_a_plain_article_is_kept_as_text():
    plain = "Scripts in comments\n\nThe site showed <script>alert(1)</script> to readers, the report said.\n"
    text, warnings = inputs.prepare(plain.encode("utf-8"), "a.txt")
    assert text == plain and warnings == []


# --- Markdown ---------------------------------------------------------------------------------

def test_markdown_is_read_unchanged_with_a_warning():
    md = "# Talks resume\n\n## Background\n\nThe talks, [reported here](https://example.org/a), **resume** today.\n"
    text, warnings = inputs.prepare(md.encode("utf-8"), "a.md")
    assert text == md
    [w] = warnings
    assert "Markdown" in w.message and "2 '#' heading line(s)" in w.message and "1 link(s)" in w.message
    assert "link addresses are counted" in w.hint
    doc = corpus.parse_article(text)
    assert doc.slice(doc.paragraphs[0].start, doc.paragraphs[0].end) == "# Talks resume"


def test_a_hashtag_is_not_markdown():
    text, warnings = inputs.prepare(b"Title\n\nPeople posted #peace and #talks all day.\n", "a.txt")
    assert warnings == []


# --- language ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sample", [GERMAN, ARMENIAN])
def test_non_english_text_gets_a_warning(sample):
    [w] = inputs.language_problems(sample, "de.txt")
    assert w.severity == "warning" and w.file == "de.txt"
    assert "English-only" in w.message


def test_english_and_short_texts_pass_the_language_check():
    assert inputs.language_problems(ARTICLE * 3, "en.txt") == []
    assert inputs.language_problems("Kurz und gut, danke.", "short.txt") == []


@pytest.mark.integration
def test_the_shipped_articles_raise_no_problem_or_warning():
    assert corpus.load_corpus().problems == []


# --- duplicates -------------------------------------------------------------------------------

def test_duplicates_are_found_after_normalising_white_space_and_unicode():
    first = "Cafe\u0301 talks\n\nThey met.\n"
    same = "Caf\u00e9 talks\r\n\r\nThey   met.\r\n"
    [w] = inputs.duplicate_problems([("a.txt", first), ("b.txt", "Other text."), ("c.txt", same)])
    assert w.file == "c.txt" and "same text as a.txt" in w.message and w.severity == "warning"


# --- seeds folders and the manifest -----------------------------------------------------------

def _seeds(tmp_path, rows: list[list[str]], files: dict[str, bytes], header=("id", "file", "title", "outlet", "date")):
    folder = tmp_path / "seeds"
    folder.mkdir()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (folder / config.MANIFEST_NAME).write_text(buffer.getvalue(), encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    folder = _seeds(tmp_path, [
        ["good", "good.txt", "Good", "Outlet A", "2023-12-07"],
        ["bin", "bin.txt", "Binary", "Outlet B", "2023-12-07"],
        ["empty", "empty.txt", "Empty", "Outlet B", "2023-12-07"],
        ["old", "old.txt", "Old", "Outlet C", "2023-12-07"],
        ["copy", "copy.txt", "Copy", "Outlet D", "2023-12-07"],
    ], {"good.txt": ARTICLE.encode(), "bin.txt": b"\x00\x01\x02", "empty.txt": b"",
        "old.txt": "Title\n\nCafé talks résumé went on and on.\n".encode("cp1252"),
        "copy.txt": ARTICLE.replace("\n", "\r\n").encode("utf-16")})
    loaded = corpus.load_corpus(folder)
    assert [d.doc_id for d in loaded] == ["good", "old", "copy"]
    found = {(p.file.split("/")[-1], p.severity): p.message for p in loaded.problems}
    assert set(found) == {("bin.txt", "error"), ("empty.txt", "error"), ("old.txt", "warning"), ("copy.txt", "warning")}
    assert "good.txt" in found[("copy.txt", "warning")]
    assert exit_status(loaded.problems) == 1
    with pytest.raises(InputError):
        corpus.load_corpus(folder, strict=True)


def test_warnings_alone_do_not_fail_strict_loading(tmp_path):
    folder = _seeds(tmp_path, [["old", "old.txt", "Old", "Outlet", "2023-12-07"]],
                    {"old.txt": "Title\n\nCafé talks went on.\n".encode("cp1252")})
    loaded = corpus.load_corpus(folder, strict=True)
    assert len(loaded) == 1 and [p.severity for p in loaded.problems] == ["warning"]
    assert exit_status(loaded.problems) == 0


def test_manifest_problems_are_all_listed_with_lines(tmp_path):
    folder = _seeds(tmp_path, [
        ["a", "a.txt", "A", "Outlet", "2023-12-07"],
        ["a", "b.txt", "B", "Outlet", "2023-12-08"],              # duplicate id
        ["c", "c.txt", "C", "Outlet", "07/12/2023"],              # bad date
        ["d", "missing.txt", "D", "Outlet", "2023-12-07"],        # file missing
        ["e", "a.txt", "E", "Outlet", "2023-12-07"],              # file listed twice
        ["f", "../etc/passwd", "F", "Outlet", "2023-12-07"],      # not a plain name
        ["g", "sub", "G", "Outlet", "2023-12-07"],                # a folder
        ["h", "h.txt", "Armenia, Azerbaijan", "Outlet", "2023-12-07", "extra"],  # unquoted comma
        ["i", "i.txt", "I", ""],                                  # short row
        ["bad id!", "j.txt", "J", "Outlet", "2023-12-07"],        # id characters
    ], {n: ARTICLE.encode() for n in ("a.txt", "b.txt", "c.txt", "h.txt", "i.txt", "j.txt", "orphan.txt")})
    (folder / "sub").mkdir()
    manifest, problems = corpus.read_manifest(folder)
    assert list(manifest["id"]) == ["a"]
    lines = sorted((p.line, p.message) for p in problems if p.line)
    assert lines == [(3, "duplicate id 'a' (first on line 2)"), (4, "bad date '07/12/2023'"),
                     (5, "file 'missing.txt' does not exist in the seeds folder"),
                     (6, "file 'a.txt' is listed twice (first on line 2)"),
                     (7, "file '../etc/passwd' is not a plain file name"), (8, "'sub' is a folder, not a file"),
                     (9, "the row has 6 fields but the header has 5"), (10, "the row has 4 fields but the header has 5"),
                     (11, "id 'bad id!' has characters other than letters, digits, '.', '_' and '-', or two dots, or ends with a dot")]
    # files named only in rows with problems, even rows too broken to read, are not orphans
    orphans = [p for p in problems if p.line == 0]
    assert [(p.file.split("/")[-1], p.message) for p in orphans] == [("orphan.txt", "the file has no row in the manifest")]
    assert all(p.is_error for p in problems)


@pytest.mark.parametrize("header, says", [
    (("id", "file", "title"), "required column(s) missing: outlet, date"),
    (("id", "file", "title", "outlet", "date", "colour"), "unknown column(s): colour"),
    (("id", "file", "title", "outlet", "date", "date"), "column(s) named twice: date"),
])
def test_manifest_header_problems(tmp_path, header, says):
    folder = _seeds(tmp_path, [], {}, header=header)
    _, problems = corpus.read_manifest(folder)
    assert [(p.line, p.message) for p in problems] == [(1, says)]


@pytest.mark.parametrize("data, says", [
    (b"", "the manifest is empty"),
    (b"\n\n", "the manifest is empty"),
    (b"id,file,title,outlet,date\n\x00", "NUL"),
    (b"id,file,title,outlet,date\na,a.txt,\"unterminated,x,2023-01-01\n", "the CSV cannot be read from this line"),
    (b'id,file,title,outlet,date\na,a.txt,"A"B,x,2023-01-01\n', "the CSV cannot be read from this line"),
])
def test_unreadable_manifests_are_reported(tmp_path, data, says):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / config.MANIFEST_NAME).write_bytes(data)
    _, problems = corpus.read_manifest(folder)
    assert problems and says in problems[0].message


def test_manifest_in_cp1252_with_a_bom_or_crlf_is_read(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_bytes(ARTICLE.encode())
    (folder / config.MANIFEST_NAME).write_bytes(
        "id,file,title,outlet,date\r\na,a.txt,Café,Outlet,2023-12-07\r\n".encode("cp1252"))
    manifest, problems = corpus.read_manifest(folder)
    assert list(manifest["title"]) == ["Café"]
    assert [(p.severity, p.line) for p in problems] == [("warning", 2)]


def test_missing_manifest(tmp_path):
    _, problems = corpus.read_manifest(tmp_path)
    assert problems[0].message == "the manifest is missing"


# --- unreadable paths -------------------------------------------------------------------------

def test_unreadable_paths_become_problems(tmp_path, monkeypatch):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError) as exc:
        corpus.read_article(tmp_path / "folder.txt")
    assert "is a folder" in _errors(exc)[0].message
    with pytest.raises(InputError) as exc:
        corpus.read_article(tmp_path / "nope.txt")
    assert "does not exist" in _errors(exc)[0].message
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(locked), "open", refuse)
    with pytest.raises(InputError) as exc:
        corpus.read_article(locked)
    assert "permission denied" in _errors(exc)[0].message


def test_an_unexpected_parse_failure_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parse, "parse_article", explode)
    with pytest.raises(InputError) as exc:
        corpus.read_article(path)
    assert "RecursionError" in _errors(exc)[0].message


def test_the_notebook_loader_shows_errors_and_warnings(capsys):
    problems.show([Problem("a.txt", 2, "bad"), Problem("b.txt", 0, "odd", severity="warning")])
    assert capsys.readouterr().out == "PROBLEM a.txt:2: bad\nWARNING b.txt: odd\n"
    problems.show([])
    assert capsys.readouterr().out == "All inputs valid: no problems found.\n"


# --- the command line -------------------------------------------------------------------------

def test_cli_reports_each_bad_file_and_analyses_the_rest(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "same.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff")
    (tmp_path / "de.txt").write_text("Titel\n\n" + GERMAN, encoding="utf-8")
    (tmp_path / "dir").mkdir()
    docs, problems = common.read_inputs(["good.txt", "bin.txt", "missing.txt", "same.txt", "de.txt", "dir"])
    assert [d.doc_id for d in docs] == ["good", "same", "de"]
    assert common.report_problems(problems) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: bin.txt:1: the file contains NUL bytes")
    assert err[1].startswith("error: missing.txt: no such file")
    assert err[2].startswith("warning: de.txt: the text does not look English")
    assert err[3].startswith("error: dir/manifest.csv: the manifest is missing")
    assert err[4].startswith("warning: same.txt: same text as good.txt")
    assert len(err) == 5


def test_cli_stdin_gets_the_same_checks(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Titel\n\n".encode("cp1252") + GERMAN.encode("cp1252"))))
    docs, problems = common.read_inputs(["-"])
    assert [d.doc_id for d in docs] == ["stdin"]
    assert [(p.file, p.severity) for p in problems] == [("<stdin>", "warning"), ("<stdin>", "warning")]
    assert common.report_problems(problems) == 0


def test_cli_check_exits_1_and_names_the_file(tmp_path, capsys):
    folder = _seeds(tmp_path, [["good", "good.txt", "Good", "Outlet", "2023-12-07"],
                               ["bin", "bin.txt", "Bin", "Outlet", "2023-12-07"]],
                    {"good.txt": ARTICLE.encode(), "bin.txt": b"%PDF-1.4"})
    assert cli.main(["check", "--seeds", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "bin.txt: this is a PDF document" in captured.err
    assert "1 documents readable" in captured.out


def test_shipped_seeds_copy_with_a_broken_file_still_loads_the_rest(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(config.DEFAULT_SEEDS, folder)
    manifest, _ = corpus.read_manifest(folder)
    victim = manifest["file"].iloc[0]
    (folder / victim).write_bytes(b"\x00" * 10)
    loaded = corpus.load_corpus(folder)
    assert len(loaded) == len(manifest) - 1
    assert [p.file.split("/")[-1] for p in loaded.problems] == [victim]


@pytest.mark.parametrize("bad_id", ["joint..2023", "joint."])
def test_ids_that_cannot_name_a_file_are_refused_by_check(tmp_path, bad_id):
    folder = _seeds(tmp_path, [[bad_id, "a.txt", "A", "Outlet", "2023-12-07"]], {"a.txt": ARTICLE.encode()})
    manifest, problems = corpus.read_manifest(folder)
    assert manifest.empty and [p.line for p in problems if p.line] == [2] and "two dots" in problems[0].message


def test_a_link_out_of_the_seeds_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = _seeds(tmp_path, [["leak", "leak.txt", "A", "Outlet", "2023-12-07"]], {})
    (folder / "leak.txt").symlink_to(secret)
    loaded = corpus.load_corpus(folder)
    assert len(loaded) == 0 and any("outside the seeds folder" in p.message for p in loaded.problems)
