"""A realistic export of news articles for import tests and benchmarks.

    .venv/bin/python benchmarks/make_corpus.py --docs 1000 --out corpus.csv [--seed 20231207] [--format csv]

Columns ``id,title,outlet,date,url,text``. Texts are built from the sentences of the shipped
articles (``seeds/*.txt``), each sentence with ``SWAP_SHARE`` of its words swapped for random
words of those articles, 1–3 sentences per paragraph, paragraphs separated by blank lines inside
the text cell, ``WORDS`` words per article; 10 outlets, dates over two years, and
``NEAR_DUPLICATE_SHARE`` of the articles republished by another outlet with ``EDITS`` words
changed (shingle Jaccard about 0.9, above ``near_duplicates.THRESHOLD``). The same seed gives
the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import config  # noqa: E402
from analysis.corpus.parse import parse_article  # noqa: E402

#: Share of each sentence's words swapped, as in the pipeline benchmark (``scale.SWAP_SHARE``).
SWAP_SHARE = 0.2
#: Words per article (inclusive range): a typical news story.
WORDS = (400, 600)
#: Share of articles that republish an earlier one, and words changed in the copy.
NEAR_DUPLICATE_SHARE = 0.02
EDITS = 5
OUTLETS = ("Caspian Herald", "Kura Valley Times", "South Caucasus Wire", "Ararat Daily", "Baku Morning Post",
           "Yerevan Evening News", "Tbilisi Observer", "Black Sea Review", "Eurasia Ledger", "Highland Gazette")
FIRST_DAY = dt.date(2022, 1, 1)
DAYS = 730
COLUMNS = ("id", "title", "outlet", "date", "url", "text")


def _sentences(seeds: Path) -> list[list[str]]:
    found = []
    for path in sorted(seeds.glob("*.txt")):
        doc = parse_article(path.read_text(encoding="utf-8"))
        found += [doc.text[s.start:s.end].split() for s in doc.sentences if s.section in ("lead", "body")]
    return [s for s in found if len(s) > 3]


def generate(n_docs: int, seed: int = config.RANDOM_SEED, seeds: Path = config.DEFAULT_SEEDS):
    """Yield ``n_docs`` rows ``{id, title, outlet, date, url, text}`` (deterministic for ``seed``)."""
    rng = random.Random(seed)
    sentences = _sentences(seeds)
    vocabulary = sorted({w for s in sentences for w in s})

    def perturbed() -> list[str]:
        return [rng.choice(vocabulary) if rng.random() < SWAP_SHARE else w for w in rng.choice(sentences)]

    made: list[dict] = []
    for number in range(n_docs):
        doc_id = f"art-{number:06d}"
        if made and rng.random() < NEAR_DUPLICATE_SHARE:
            original = rng.choice(made)
            words = original["text"].split(" ")
            for _ in range(EDITS):
                at = rng.randrange(len(words))
                words[at] = rng.choice(vocabulary) + ("\n\n" if "\n\n" in words[at] else "")
            outlet = rng.choice([o for o in OUTLETS if o != original["outlet"]])
            day = dt.date.fromisoformat(original["date"]) + dt.timedelta(days=rng.randint(0, 2))
            row = {"id": doc_id, "title": original["title"], "outlet": outlet, "date": day.isoformat(),
                   "text": " ".join(words)}
        else:
            target, paragraphs, count = rng.randint(*WORDS), [], 0
            while count < target:
                paragraph = [perturbed() for _ in range(rng.randint(1, 3))]
                count += sum(len(s) for s in paragraph)
                paragraphs.append(" ".join(" ".join(s) for s in paragraph))
            title = " ".join(perturbed()[:rng.randint(6, 12)])
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            row = {"id": doc_id, "title": title[:1].upper() + title[1:], "outlet": rng.choice(OUTLETS),
                   "date": day.isoformat(), "text": "\n\n".join(paragraphs)}
        slug = row["outlet"].lower().replace(" ", "-")
        row["url"] = f"https://example.org/{slug}/{row['date'].replace('-', '/')}/{doc_id}"
        made.append(row)
        yield {c: row[c] for c in COLUMNS}


def write(rows, out: Path, fmt: str) -> Path:
    """Write the rows as CSV (``\\n`` line endings, minimal quoting), JSON Lines or Parquet."""
    rows = list(rows)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({c: [r[c] for r in rows] for c in COLUMNS})
        pq.write_table(table, out, compression="zstd")
        return out
    buffer = io.StringIO(newline="")
    if fmt == "jsonl":
        for row in rows:
            buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out.write_bytes(buffer.getvalue().encode("utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument("--seed", type=int, default=config.RANDOM_SEED, help="random seed")
    parser.add_argument("--format", choices=("csv", "jsonl", "parquet"), default=None,
                        help="file format (default: from the --out name ending, else csv)")
    args = parser.parse_args(argv)
    fmt = args.format or {".jsonl": "jsonl", ".parquet": "parquet"}.get(args.out.suffix.lower(), "csv")
    write(generate(args.docs, args.seed), args.out, fmt)
    print(f"{args.docs} articles written to {args.out} ({fmt})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
