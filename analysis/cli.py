"""Command line: ``python -m analysis COMMAND …`` (the same code the notebooks call).

Exit status: 0 all inputs analysed; 1 some input could not be analysed (each named on
stderr with the reason, the others still analysed); 2 wrong usage.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import config, corpus as corpusmod
from analysis.corpus import parse
from analysis.presentation import export
from analysis.problems import InputError, Problem


def read_inputs(paths: list[str]) -> tuple[corpusmod.Corpus, list[Problem]]:
    """Parse article files given on the command line (``-`` = one article from stdin).

    A folder with a manifest is read as a seeds folder. Files that cannot be analysed are
    returned as problems; the rest are parsed.
    """
    docs, problems, sources = [], [], []
    for raw in paths:
        try:
            if raw == "-":
                doc, found = parse.parse_bytes(sys.stdin.buffer.read(), "<stdin>", "stdin", {"file": "<stdin>"})
                docs.append(doc)
                sources.append("<stdin>")
                problems.extend(found)
                continue
            path = Path(raw)
            if path.is_dir():
                loaded = corpusmod.load_corpus(path.resolve())
                docs.extend(loaded.docs)
                sources.extend(str(loaded.seeds / d.meta.get("file", "")) for d in loaded.docs)
                problems.extend(loaded.problems)
            elif not path.exists():
                problems.append(Problem(raw, 0, "no such file", "check the path"))
            else:
                doc, found = corpusmod.load_article(path, path.stem, {"file": path.name, "outlet": path.stem})
                docs.append(doc)
                sources.append(raw)
                problems.extend(found)
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(raw, 0, f"cannot be read ({exc.strerror or exc})", "check the path and permissions"))
    problems.extend(p for p in parse.duplicate_problems(docs, sources) if p not in problems)
    return corpusmod.Corpus(docs, problems), problems


def report_problems(problems: list[Problem]) -> int:
    """Print problems to stderr; return the exit status they imply (warnings alone: 0)."""
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    return 1 if any(p.is_error for p in problems) else 0


def write_csv(table) -> None:
    sys.stdout.buffer.write(export.csv_bytes(table))
    sys.stdout.flush()


def cmd_check(args) -> int:
    """Validate a seeds folder (manifest and article files), the marker lexicon and the actor list."""
    loaded = corpusmod.load_corpus(args.seeds)
    problems = list(loaded.problems)
    from analysis.framing import actors, lexicon

    for load in (lexicon.load, actors.load):
        try:
            load()
        except InputError as exc:
            problems.extend(exc.problems)
    status = report_problems(problems)
    print(f"{len(loaded)} documents readable, {len(problems)} problem(s)")
    return status


def cmd_report(args) -> int:
    """Execute every notebook headless, in place, writing figures and tables."""
    from analysis.running import report

    paths = report.notebook_paths()
    if args.notebook:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.notebook)]
    started = time.perf_counter()
    elsewhere = report.is_elsewhere(args.seeds, args.out)
    for path in paths:
        print(f"executing {path.name}", flush=True)
        written = report.execute(path, seeds=args.seeds, figures=args.out,
                                 output=report.executed_path(path, args.out) if elsewhere else None)
        if args.html:
            report.export_html(written, report.html_path(path, args.out))
    where = config.figures_dir(args.out)
    print(f"{len(paths)} notebooks executed" + (f" into {where / 'notebooks'}" if elsewhere else " in place")
          + f"; outputs in {args.out or 'figures/'}" + (f"; HTML in {where / 'html'}" if args.html else "")
          + f"; {time.perf_counter() - started:.1f} s")
    return 0


def cmd_run(args) -> int:
    """Compute every table, figure and reading view the notebooks write, byte for byte the same,
    into the output folder (default ``output/``) without Jupyter."""
    from analysis.running import pipeline

    summary = pipeline.run(args.seeds, args.out, jobs=args.jobs, use_cache=not args.no_cache)
    status = report_problems(summary.problems)
    print(summary)
    return status


def _text_corpus(args) -> tuple[corpusmod.Corpus, list[Problem]]:
    """The files named on the command line, or the seeds folder when none is named."""
    if args.paths:
        return read_inputs(args.paths)
    loaded = corpusmod.load_corpus(args.seeds)
    return loaded, list(loaded.problems)


def _usage_error(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 2


def cmd_terms(args) -> int:
    """Term counts and rates per 1,000 words per group (terms.term_table) as CSV."""
    from analysis.measures import terms

    loaded, problems = _text_corpus(args)
    try:
        terms.check_by(loaded, args.by)
        table = terms.term_table(loaded, ngram=args.ngram, by=args.by, stop=not args.keep_stopwords,
                                 min_count=args.min_count, stem=args.stem)
    except ValueError as exc:
        return _usage_error(exc)
    write_csv(terms.top_terms(table, args.top) if args.top else table)
    return report_problems(problems)


def cmd_keyness(args) -> int:
    """Keyness (G², log ratio) of each group against the rest, or pairwise, as CSV."""
    from analysis.measures import keyness

    loaded, problems = _text_corpus(args)
    compute = keyness.pairwise if args.pairwise else keyness.keyness
    try:
        table = compute(loaded, by=args.by, ngram=args.ngram, stem=args.stem, min_freq=args.min_freq,
                        threshold=args.threshold, only_significant=not args.all)
    except ValueError as exc:
        return _usage_error(exc)
    write_csv(table)
    return report_problems(problems)


def cmd_kwic(args) -> int:
    """Concordance (keyword in context) of a word or phrase as CSV."""
    from analysis.measures import kwic

    loaded, problems = _text_corpus(args)
    try:
        table = kwic.search(loaded, args.query, width=args.width)
        if args.sort:
            table = kwic.sort(table, args.sort)
    except ValueError as exc:
        return _usage_error(exc)
    write_csv(table)
    return report_problems(problems)


def cmd_scale(args) -> int:
    """Run the per-document pipeline on Dask over a large corpus; write the corpus tables."""
    from analysis.running import scale

    started = time.perf_counter()
    agg = scale.run(args.source, address=args.address, workers=args.workers)
    documents = agg.documents
    from analysis.running.pipeline import DEFAULT_OUTPUT

    out = args.out or DEFAULT_OUTPUT
    written = [export.table(documents, "document_summary", out), export.table(agg.terms, "terms_corpus", out)]
    hits = int(documents["markers_rows"].sum()) if "markers_rows" in documents else 0
    print(f"{len(documents)} documents, {agg.n_words:,} words, {hits} marker hits; "
          f"{', '.join(p.name for p in written)} written; {time.perf_counter() - started:.1f} s")
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


#: Columns of ``python -m analysis sentiment`` (one row per sentence).
SENTIMENT_CLI_COLUMNS = ["doc_id", "sentence", "start", "end", "text", "textblob_polarity", "textblob_subjectivity",
                         "vader_compound", "vader_pos", "vader_neu", "vader_neg", "voice", "actors"]


def cmd_sentiment(args) -> int:
    """Per-sentence TextBlob and VADER scores, voice and actors named, as CSV on stdout."""
    from analysis.framing import actors

    loaded, problems = read_inputs(args.paths)
    table = actors.sentence_table(loaded)
    write_csv(table[SENTIMENT_CLI_COLUMNS])
    return report_problems(problems)


def cmd_markers(args) -> int:
    """The framing-marker evidence table of article files, as CSV on stdout."""
    from analysis.framing import lexicon, markers

    loaded, problems = read_inputs(args.paths)
    lex = lexicon.load(user=args.lexicon) if args.lexicon else lexicon.load()
    write_csv(markers.evidence(loaded, lex))
    return report_problems(problems)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate seeds, manifest and lexicons; list every problem")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("report", help="execute the notebooks headless (in place unless --seeds/--out name other folders); "
                                      "writes their figures and tables and methods.md")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--out", help="output folder for figures and tables (default: figures/)")
    p.add_argument("--notebook", action="append", help="only notebooks whose name starts with this (repeatable)")
    p.add_argument("--html", action="store_true", help="also export each executed notebook as HTML to <out>/html/")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("run", help="compute every table, figure and reading view of the notebooks into an output "
                                   "folder, without Jupyter (figures/ is written by report only)")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--out", help="output folder (default: output/ at the project root)")
    p.add_argument("--jobs", type=_positive, default=1, help="processes analysing documents in parallel (default 1)")
    p.add_argument("--no-cache", action="store_true", help="recompute every document (the cache is not read or written)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("scale", help="per-document pipeline on Dask over a seeds folder, JSON Lines or Parquet corpus")
    p.add_argument("source", help="seeds folder, .jsonl file (id, text, optional manifest columns) or .parquet")
    p.add_argument("--out", help="output folder (default: output/ at the project root)")
    p.add_argument("--workers", type=_positive, default=2, help="worker processes of the local cluster (default 2)")
    p.add_argument("--address", help="scheduler address of a running Dask cluster (instead of a local one)")
    p.set_defaults(func=cmd_scale)

    p = sub.add_parser("sentiment", help="per-sentence sentiment (TextBlob, VADER), voice and actors as CSV")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file, seeds folder, or - for stdin")
    p.set_defaults(func=cmd_sentiment)

    from analysis.measures import keyness as keyness_defaults, kwic as kwic_defaults

    p = sub.add_parser("terms", help="term counts and rates per 1,000 words per document or manifest column (CSV)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders ('-' = stdin; none = --seeds)")
    p.add_argument("--seeds", help="seeds folder when no PATH is given (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1 = words (default), 2 = bigrams")
    p.add_argument("--by", default="doc_id", help="group by doc_id (default) or a manifest column such as outlet")
    p.add_argument("--stem", choices=("snowball", "porter"), help="count word stems (default: words as written)")
    p.add_argument("--min-count", type=_positive, default=1, help="leave out terms seen fewer times in a group")
    p.add_argument("--top", type=_positive, help="only the N most frequent terms of each group")
    p.add_argument("--keep-stopwords", action="store_true", help="count stop words too")
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("keyness", help="keywords of each group against the rest (log-likelihood G2, log ratio; CSV)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders (none = --seeds)")
    p.add_argument("--seeds", help="seeds folder when no PATH is given (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--by", default="outlet", help="manifest column whose groups are compared (default outlet)")
    p.add_argument("--min-freq", type=_positive, default=keyness_defaults.MIN_FREQ,
                   help=f"test only terms seen at least N times in both sides together (default {keyness_defaults.MIN_FREQ})")
    p.add_argument("--threshold", type=float, default=keyness_defaults.THRESHOLD,
                   help=f"G2 needed to call a term key (default {keyness_defaults.THRESHOLD}, p < 0.05)")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1 = words (default), 2 = bigrams")
    p.add_argument("--stem", choices=("snowball", "porter"), help="compare word stems")
    p.add_argument("--pairwise", action="store_true", help="compare every pair of groups instead of each group with the rest")
    p.add_argument("--all", action="store_true", help="list every tested term, not only the significant ones")
    p.set_defaults(func=cmd_keyness)

    p = sub.add_parser("kwic", help="keyword-in-context concordance of a word or phrase (CSV)")
    p.add_argument("query", help="word or phrase, case-insensitive; '*' = any letters (peace*)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders (none = --seeds)")
    p.add_argument("--seeds", help="seeds folder when no PATH is given (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--width", type=int, default=kwic_defaults.WIDTH,
                   help=f"words of context on each side (default {kwic_defaults.WIDTH})")
    p.add_argument("--sort", help="AntConc-style sort keys, e.g. R1,R2 or L1 (default: text order)")
    p.set_defaults(func=cmd_kwic)

    p = sub.add_parser("markers", help="framing-marker evidence table (one row per hit) as CSV")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or seeds folders; '-' reads one article from stdin")
    p.add_argument("--lexicon", help="a user lexicon file merged into the built-in one (default: analysis/data/markers_user.csv)")
    p.set_defaults(func=cmd_markers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Folders named on the command line are relative to the working directory (the notebooks'
    # own parameters are relative to the project root, see config).
    for attr in ("seeds", "out"):
        value = getattr(args, attr, None)
        if value and not Path(value).expanduser().is_absolute():
            setattr(args, attr, str(Path.cwd() / value))
    try:
        return args.func(args)
    except InputError as exc:
        return report_problems(exc.problems)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
