"""Importing exports (tables, Nexis Uni DOCX, Factiva RTF/HTML, single articles) into a seeds
folder: records read right, every skip reported with its reason, nothing overwritten, re-import
adds nothing, and the folder loads without errors."""
import csv
import datetime as dt
import importlib.util
import json
from pathlib import Path

import docx
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import config
from analysis.corpus import load_corpus
from analysis.corpus.importing import LOG_NAME, import_sources
from analysis.input import dates, factiva, formats, nexis
from analysis.problems import InputError

BODY = ("The two governments said on Thursday that talks would resume next week in the capital. "
        "Both sides welcomed the step and promised to release detainees before the end of the year.")
OTHER = ("Officials from the region met on Monday to discuss the reopening of transport links. "
         "They agreed to set up a joint commission that will report its findings within three months.")


def _tree(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _load(folder: Path):
    corpus = load_corpus(folder)
    assert [p for p in corpus.problems if p.is_error] == []
    return corpus


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2023-12-07", "2023-12-07"), ("2023-12-07T10:00:00Z", "2023-12-07"), ("2023-12-07 23:30:00-05:00", "2023-12-07"),
    ("7 December 2023", "2023-12-07"), ("December 7, 2023", "2023-12-07"), ("Dec 7, 2023", "2023-12-07"),
    ("Thursday, December 7, 2023", "2023-12-07"), ("December 7, 2023 Thursday", "2023-12-07"),
    ("December 7, 2023 Thursday 10:00 PM GMT", "2023-12-07"), ("Thu, 07 Dec 2023 10:00:00 +0000", "2023-12-07"),
    ("7. Dezember 2023", "2023-12-07"), ("25/12/2023", "2023-12-25"), ("12/25/2023", "2023-12-25"),
    (dt.date(2023, 12, 7), "2023-12-07"), (dt.datetime(2023, 12, 7, 10), "2023-12-07")])
def test_date_forms(value, expected):
    assert dates.parse_date(value) == expected


def test_numeric_dates_follow_dayfirst_and_ambiguous_ones_are_none():
    assert dates.parse_date("07.12.2023", dayfirst=True) == "2023-12-07"
    assert dates.parse_date("07/12/2023", dayfirst=False) == "2023-07-12"
    assert dates.parse_date("07/12/2023") is None
    assert dates.classify("07/12/2023") == (None, dates.AMBIGUOUS)
    assert dates.parse_date("12/12/2023") == "2023-12-12"  # both readings agree
    assert dates.infer_dayfirst(["03/04/2023", "25/12/2023"]) is True
    assert dates.infer_dayfirst(["03/04/2023", "12/25/2023", "25/12/2023"]) is None


@pytest.mark.parametrize("value", ["next week", "2023-02-30", "31 Feb 2023", "Date and Time: December 7, 2023", "7/12"])
def test_unparseable_dates(value):
    assert dates.classify(value) == (None, dates.UNPARSEABLE)
    assert dates.classify("") == (None, dates.EMPTY)


# --- tables -----------------------------------------------------------------------------------

def test_csv_with_semicolons_and_quoted_newlines(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('Headline;Body;Media_Name;Publish_Date;Link\n'
                    f'"Talks resume; at last";"{BODY}\n\n{OTHER}";Wire A;2023-12-07;https://a.example/1\n'
                    f'Second;"One line.\nAnother line.";Wire B;7 December 2023;\n', encoding="utf-8")
    records, problems = formats.read_records(path)
    assert problems == []
    assert [r["record"] for r in records] == [2, 5]  # the line where each record starts
    assert records[0]["title"] == "Talks resume; at last" and records[0]["outlet"] == "Wire A"
    assert records[0]["text"] == f"{BODY}\n\n{OTHER}" and records[0]["url"] == "https://a.example/1"
    assert formats.split_paragraphs(records[1]["text"]) == ["One line.", "Another line."]
    assert formats.table_rows(path) == 2


def test_tsv_and_column_override(tmp_path):
    path = tmp_path / "export.tsv"
    path.write_text(f"story\twhen\tpaper\n{BODY}\t2023-12-07\tWire A\n", encoding="utf-8")
    records, problems = formats.read_records(path)
    assert len(problems) == 1 and "no article text column found (columns: story, when, paper)" in problems[0].message
    assert "--text-col NAME" in problems[0].hint
    records, problems = formats.read_records(path, {"text": "Story", "date": "when", "outlet": "paper"})
    assert problems == [] and records[0]["text"] == BODY and records[0]["date"] == "2023-12-07"
    media_cloud = tmp_path / "mc.csv"  # Media Cloud's columns: links and metadata, no text
    media_cloud.write_text("id,indexed_date,language,media_name,media_url,publish_date,title,url\n"
                           "1,2023-12-07,en,Wire,https://w.example,2023-12-07,T,https://w.example/1\n", encoding="utf-8")
    problem, = formats.read_records(media_cloud)[1]
    assert problem.line == 1 and "links, not article text" in problem.hint


def test_jsonl_with_a_malformed_line(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps({"title": "A", "text": BODY, "date": "2023-12-07", "source": "Wire A"}), "{not json",
             "[1, 2]", json.dumps({"title": "B", "content": OTHER, "text": None, "date": "2023-12-08"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, problems = formats.read_records(path)
    assert [(p.line, "JSON" in p.message) for p in problems] == [(2, True), (3, True)]
    assert [r["record"] for r in records] == [1, 4] and records[0]["outlet"] == "Wire A"
    assert formats.table_rows(path) == 4


def test_parquet_in_batches(tmp_path, monkeypatch):
    path, n = tmp_path / "export.parquet", 25
    pq.write_table(pa.table({"doc_id": [f"d{i}" for i in range(n)], "full_text": [f"{BODY} {i}" for i in range(n)],
                             "pub_date": [dt.datetime(2023, 12, 7)] * n, "outlet": ["Wire"] * n}), path)
    monkeypatch.setattr(formats, "PARQUET_BATCH_ROWS", 4)
    records, problems = formats.read_records(path)
    assert problems == [] and len(records) == n and records[-1]["record"] == n and records[3]["id"] == "d3"
    assert dates.parse_date(records[0]["date"]) == "2023-12-07"
    assert formats.table_rows(path) == n


def test_xlsx_first_sheet(tmp_path):
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    for row in (["ID", "Title", "Text", "Date", "Newspaper"], [101, "Talks resume", BODY, dt.datetime(2023, 12, 7),
                "Wire A"], [None] * 5, [102, "Links reopen", OTHER, "8 December 2023", "Wire B"]):
        book.active.append(row)
    book.save(path)
    records, problems = formats.read_records(path)
    assert problems == [] and [(r["id"], r["record"]) for r in records] == [("101", 2), ("102", 4)]
    assert formats.table_rows(path) == 2


def test_table_rows_by_content_and_not_a_table(tmp_path):
    (tmp_path / "table.txt").write_text(f"title,text\nA,\"{BODY}\"\n", encoding="utf-8")
    (tmp_path / "article.txt").write_text(f"Talks resume\n\n{BODY}\n", encoding="utf-8")
    assert [formats.table_rows(tmp_path / name) for name in ("table.txt", "article.txt", "missing.csv")] == [1, None, None]


# --- Nexis Uni DOCX ---------------------------------------------------------------------------

def _nexis_docx(path: Path) -> Path:
    document = docx.Document()
    for line in ("User Name: Jane Researcher", "Date and Time: Thursday, December 7, 2023 10:00:00 AM EST",
                 "Job Number: 212345678", "Documents (3)", "Client/Matter: -None-",
                 "Search Terms: Armenia AND Azerbaijan", "Search Type: Terms and Connectors", "Narrowed by"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ("Content Type", "Narrowed by", "News", "Timeline: Dec 01, 2023 to Dec 07, 2023")):
        cell.text = text
    for n, title in enumerate(("Prisoners to be released", "Border talks resume", "Transport links reopen"), 1):
        document.add_paragraph(f"{n}. {title}")
    document.add_page_break()
    articles = [
        ("Prisoners to be released", "The Guardian (London)", "December 7, 2023 Thursday 10:00 PM GMT",
         ["Copyright 2023 Guardian News", "Section:\u00a0WORLD NEWS; Version:2", "Length:\u00a0645 words",
          "Byline:\u00a0Jane Doe", "Dateline: BAKU"], [BODY, OTHER], ["Classification", "Language: ENGLISH",
                                                                     "Load-Date: December 8, 2023"]),
        ("Border talks resume", "Agence France Presse -- English", "December 8, 2023 Friday Edition 1",
         ["Length:\u00a0300 words", "Mood Indicator: calm"], [OTHER], ["Load-Date: December 9, 2023"]),
        ("Transport links reopen", "Reuters", "December 9, 2023", ["Length:\u00a0120 words"],
         [f"{BODY} Links."], ["Graphic", "PHOTO: a border post", "Classification", "Subject: TRANSPORT (90%)"]),
    ]
    for title, outlet, date, meta, body, after in articles:
        for line in [title, outlet, date, *meta, "Body", *body, *after, "End of Document"]:
            document.add_paragraph(line)
        document.add_page_break()
    document.save(str(path))
    return path


def test_nexis_docx_three_articles_cover_skipped(tmp_path):
    path = _nexis_docx(tmp_path / "nexis.docx")
    assert nexis.is_nexis(nexis.paragraphs(path))
    records, problems = nexis.read_nexis(path)
    assert problems == [] and [r["record"] for r in records] == [1, 2, 3]
    first, second, third = records
    assert (first["title"], first["outlet"], first["date"]) == ("Prisoners to be released", "The Guardian (London)",
                                                                "December 7, 2023 Thursday 10:00 PM GMT")
    assert first["byline"] == "Jane Doe" and first["text"] == f"{BODY}\n\n{OTHER}"
    assert first["extra"]["length"] == "645 words" and first["extra"]["dateline"] == "BAKU"
    assert first["extra"]["load-date"] == "December 8, 2023" and first["extra"]["copyright"].startswith("Copyright")
    assert second["extra"]["mood_indicator"] == "calm" and second["extra"]["edition"] == "Edition 1"
    assert dates.parse_date(second["date"]) == "2023-12-08"
    assert third["text"] == f"{BODY} Links." and "border post" in third["extra"]["graphic"]


def test_nexis_import_and_single_docx(tmp_path):
    into = tmp_path / "seeds"
    plain = docx.Document()
    for line in ("title: Talks resume", "outlet: Wire A", "date: 2023-12-07", "", BODY):
        plain.add_paragraph(line)
    plain.save(str(tmp_path / "plain.docx"))
    report = import_sources([_nexis_docx(tmp_path / "nexis.docx"), tmp_path / "plain.docx"], into)
    assert len(report.imported) == 4 and report.skipped == []
    corpus = _load(into)
    assert list(corpus.documents["date"]) == ["2023-12-07", "2023-12-08", "2023-12-09", "2023-12-07"]
    assert list(corpus.documents["outlet"])[-1] == "Wire A"


# --- Factiva ----------------------------------------------------------------------------------

FACTIVA_RTF = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0"
               r"\pard HD\par Prisoners to be released\par BY\par By Jane Doe\par WC\par 412 words\par "
               r"PD\par 7 December 2023\par SN\par Reuters News\par SC\par LBA\par LA\par English\par "
               r"LP\par " + BODY + r"\par TD\par " + OTHER + r"\par\par Caf\'e9 owners agreed.\par "
               r"AN\par Document LBA0000020231207ejc7000xy\par\page"
               r"\trowd\cellx1000\cellx9000 HD\cell Border talks resume\cell\row"
               r"\trowd\cellx1000\cellx9000 PD\cell 8 December 2023\cell\row"
               r"\trowd\cellx1000\cellx9000 SN\cell Agence France Presse\cell\row"
               r"\trowd\cellx1000\cellx9000 TD\cell " + BODY + r" Again.\cell\row"
               r"\page\pard Search Summary\par Text\par Armenia AND Azerbaijan\par}")

FACTIVA_HTML = f"""<!DOCTYPE html><html><head><title>Factiva</title></head><body>
<div class="article"><table>
<tr><td><b>HD</b></td><td>Prisoners to be released</td></tr>
<tr><td><b>BY</b></td><td>By Jane Doe</td></tr>
<tr><td><b>PD</b></td><td>7 December 2023</td></tr>
<tr><td><b>SN</b></td><td>Agence France Presse</td></tr>
<tr><td><b>LP</b></td><td><p>{BODY}</p></td></tr>
<tr><td><b>TD</b></td><td><p>The <b>joint</b> commission will meet.</p><p>Trade &amp; transit were discussed.</p></td></tr>
<tr><td><b>AN</b></td><td>Document AFPR000020231207ejc7001ab</td></tr>
</table></div>
<div class="article">
<div><b>HD</b>&nbsp;Border talks resume</div><div><b>PD</b> 8 December 2023</div>
<div><b>SN</b> Reuters</div><div><b>TD</b></div><p>{OTHER}</p>
</div></body></html>"""


def test_factiva_rtf_two_articles(tmp_path):
    path = tmp_path / "factiva.rtf"
    path.write_bytes(FACTIVA_RTF.encode("ascii"))
    records, problems = factiva.read_factiva_rtf(path)
    assert problems == [] and len(records) == 2
    first, second = records
    assert (first["title"], first["outlet"], first["date"], first["byline"]) == (
        "Prisoners to be released", "Reuters News", "7 December 2023", "By Jane Doe")
    assert first["text"] == f"{BODY}\n\n{OTHER}\n\nCafé owners agreed."
    assert first["id"] == "LBA0000020231207ejc7000xy" and first["extra"]["wc"] == "412 words"
    assert (second["title"], second["outlet"], second["text"]) == ("Border talks resume", "Agence France Presse",
                                                                   f"{BODY} Again.")


def test_factiva_html_two_articles(tmp_path):
    path = tmp_path / "factiva.html"
    path.write_text(FACTIVA_HTML, encoding="utf-8")
    records, problems = factiva.read_factiva_html(path, FACTIVA_HTML)
    assert problems == [] and len(records) == 2
    first, second = records
    assert first["text"] == f"{BODY}\n\nThe joint commission will meet.\n\nTrade & transit were discussed."
    assert (first["outlet"], first["id"]) == ("Agence France Presse", "AFPR000020231207ejc7001ab")
    assert (second["title"], second["date"], second["outlet"], second["text"]) == (
        "Border talks resume", "8 December 2023", "Reuters", OTHER)


def test_factiva_and_plain_files_import_into_a_loadable_folder(tmp_path):
    (tmp_path / "in").mkdir()  # a folder: read in sorted order, hidden files left out
    (tmp_path / "in" / "factiva.rtf").write_bytes(FACTIVA_RTF.encode("ascii"))
    (tmp_path / "in" / "factiva.htm").write_text(FACTIVA_HTML, encoding="utf-8")
    (tmp_path / "in" / "note.md").write_text("title: A note\noutlet: Blog\ndate: 2023-12-10\n\n"
                                             "# A note\n\nIt says [little](https://x.example).\n", encoding="utf-8")
    (tmp_path / "in" / ".hidden.txt").write_text("ignored", encoding="utf-8")
    report = import_sources([tmp_path / "in"], tmp_path / "seeds")
    assert report.imported == ["AFPR000020231207ejc7001ab", "factiva-2", "LBA0000020231207ejc7000xy",
                               "factiva-2-2", "note-1"], report
    _load(tmp_path / "seeds")


# --- importing into a seeds folder -------------------------------------------------------------

def _csv(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "title", "outlet", "date", "url", "text"])
        writer.writerows(rows)
    return path


def test_import_writes_articles_manifest_and_log(tmp_path):
    source = _csv(tmp_path / "corpus.csv", [
        ("a1", "Talks resume", "Wire A", "2023-12-07", "https://a.example/1", f"{BODY}\n\n{OTHER}"),
        ("", "No id here", "Wire B", "December 8, 2023", "", f"Talks resume\n{BODY}"),
    ])
    into = tmp_path / "seeds"
    report = import_sources([source], into)
    assert report.imported == ["a1", "corpus-5"] and report.problems == [] and report.skipped == []
    assert (into / "a1.txt").read_text(encoding="utf-8") == f"Talks resume\n\n{BODY}\n\n{OTHER}\n"
    assert (into / "corpus-5.txt").read_text(encoding="utf-8") == f"No id here\n\nTalks resume\n\n{BODY}\n"
    manifest = (into / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert manifest[0] == "id,file,title,outlet,date,url,voice,licence,side"
    assert manifest[1].startswith("a1,a1.txt,Talks resume,Wire A,2023-12-07,https://a.example/1,,")
    assert "imported from corpus.csv, record 2: check the rights before sharing" in manifest[1]
    log = (into / LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert log[0] == "id,source,record,sha256,status,reason" and len(log) == 3 and ",imported," in log[1]
    corpus = _load(into)
    assert list(corpus.documents["doc_id"]) == ["a1", "corpus-5"]
    assert str(report) == "2 records read from corpus.csv: 2 imported, 0 skipped."


def test_reimport_adds_nothing_and_nothing_is_overwritten(tmp_path):
    source = _csv(tmp_path / "corpus.csv", [("a1", "Talks resume", "Wire A", "2023-12-07", "", BODY)])
    (into := tmp_path / "seeds").mkdir()
    (into / "a1.txt").write_text("Someone else's article\n\nIt has no manifest row yet.\n", encoding="utf-8")
    (into / "manifest.csv").write_text("id,file,title,outlet,date,url,voice,licence\r\n"
                                       "A1-2,x.txt,X,Y,2023-01-01,,,\r\n", encoding="utf-8")
    (into / "x.txt").write_text(f"X\n\n{OTHER}\n", encoding="utf-8")
    before = _tree(into)
    report = import_sources([source], into)
    assert report.imported == ["a1-3"]  # a1.txt exists, id A1-2 is taken (case-insensitively)
    after = _tree(into)
    assert after["a1.txt"] == before["a1.txt"] and after["x.txt"] == before["x.txt"]
    assert after["manifest.csv"].startswith(before["manifest.csv"])
    assert after["manifest.csv"].endswith(b"\r\n")  # the manifest's own line endings
    report = import_sources([source], into)
    assert report.imported == [] and report.skip_reasons == {"duplicate": 1}
    assert "duplicate of a1-3" in report.skipped[0].message
    assert _tree(into) == after


def test_every_skip_has_its_reason_and_line(tmp_path):
    source = _csv(tmp_path / "corpus.csv", [
        ("e", "Empty", "Wire", "2023-12-07", "", "  \n  "),
        ("d", "Undated", "Wire", "", "", BODY),
        ("u", "Bad date", "Wire", "next week", "", BODY + " One."),
        ("m", "Ambiguous", "Wire", "03/04/2023", "", BODY + " Two."),
        ("ok", "Fine", "", "2023-12-07", "", BODY),
        ("copy", "Fine", "", "2023-12-07", "", BODY),
    ])
    (tmp_path / "broken.jsonl").write_text('{"text": "x"\n', encoding="utf-8")
    into = tmp_path / "seeds"
    report = import_sources([source, tmp_path / "broken.jsonl"], into)
    assert report.imported == ["ok"]
    assert [(p.line, p.message) for p in report.skipped] == [
        (2, "the record has no article text"), (4, "the record has no date"),
        (5, "unparseable date 'next week'"), (6, "ambiguous date '03/04/2023': give --dayfirst or --monthfirst"),
        (8, "duplicate of ok (same text after normalising white space and Unicode)")]
    assert {p.line for p in report.problems if p.is_error} == {1}  # the broken JSON line
    assert any("have no outlet" in p.message for p in report.problems)
    assert str(report).startswith("6 records read from 2 files: 1 imported, 5 skipped (1 ambiguous date, "
                                  "1 duplicate, 1 empty text, 1 no date, 1 unparseable date)")
    assert list(_load(into).documents["outlet"]) == ["unknown"]
    report = import_sources([source], tmp_path / "seeds2", dayfirst=True)
    assert "m" in report.imported


def test_a_record_without_title_gets_a_title_header(tmp_path):
    source = _csv(tmp_path / "corpus.csv", [("n", "", "Wire", "2023-12-07", "", f"{BODY}\n\n{OTHER}")])
    import_sources([source], tmp_path / "seeds")
    assert (tmp_path / "seeds" / "n.txt").read_text(encoding="utf-8").startswith(
        "title: The two governments said on Thursday that talks would resume next week …\n\nThe two")
    corpus = _load(tmp_path / "seeds")
    assert list(corpus.paragraphs["section"]) == ["lead", "body"]


def test_dates_inferred_from_the_files_unambiguous_ones(tmp_path):
    source = _csv(tmp_path / "corpus.csv", [("a", "A", "W", "03/04/2023", "", BODY), ("b", "B", "W", "25/12/2023", "", OTHER)])
    report = import_sources([source], tmp_path / "seeds")
    assert report.imported == ["a", "b"] and any("read day first" in p.message for p in report.problems)
    assert list(_load(tmp_path / "seeds").documents["date"]) == ["2023-04-03", "2023-12-25"]


def test_near_duplicates_reported_and_optionally_dropped(tmp_path):
    copy = BODY.replace("Thursday", "Friday") + " " + OTHER
    source = _csv(tmp_path / "corpus.csv", [("a", "A", "W1", "2023-12-07", "", BODY + " " + OTHER),
                                            ("b", "B", "W2", "2023-12-07", "", copy),
                                            ("c", "C", "W3", "2023-12-08", "", "Something else entirely, in few words.")])
    report = import_sources([source], tmp_path / "kept")
    assert report.imported == ["a", "b", "c"]
    (a, b, similarity), = report.near_duplicates
    assert (a, b) == ("a", "b") and 0.8 <= similarity < 1
    assert str(report).endswith("1 near-duplicate pair (kept).")
    report = import_sources([source], tmp_path / "dropped", drop_near_duplicates=True)
    assert report.imported == ["a", "c"] and report.skip_reasons == {"near-duplicate": 1}
    assert report.skipped[0].message.startswith("near-duplicate of a at similarity 0.")
    # a later import is compared with what the folder already holds
    later = _csv(tmp_path / "later.csv", [("z", "Z", "W4", "2023-12-09", "", copy + " Updated.")])
    report = import_sources([later], tmp_path / "dropped")
    assert [(x, y) for x, y, _ in report.near_duplicates] == [("a", "z")]


def test_bad_seeds_folder_raises(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError):
        import_sources([], tmp_path / "file")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "manifest.csv").write_text("name,path\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="required column"):
        import_sources([], tmp_path / "seeds")


def test_generated_corpus_imports(tmp_path):
    spec = importlib.util.spec_from_file_location("make_corpus", config.ROOT / "benchmarks" / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    path = make_corpus.write(make_corpus.generate(1000), tmp_path / "corpus.csv", "csv")
    assert make_corpus.write(make_corpus.generate(1000), tmp_path / "again.csv", "csv").read_bytes() == path.read_bytes()
    assert formats.table_rows(path) == 1000
    report = import_sources([path], tmp_path / "seeds")  # about 1.5 s on the project machine
    assert len(report.imported) == 1000 and report.problems == [], report
    assert 10 <= len(report.near_duplicates) <= 40  # about 2% republished copies
    assert len(_load(tmp_path / "seeds").documents) == 1000
