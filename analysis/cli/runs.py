"""Commands that run everything: report (the notebooks), run (without Jupyter), scale (Dask)."""
from __future__ import annotations

import os
import sys
import time

from analysis import config
from analysis.cli.common import add_story, positive, refuse_table, report_problems
from analysis.presentation import export
from analysis.running import pipeline, report, scale


def cmd_report(args) -> int:
    """Execute every notebook headless, writing figures and tables."""
    refuse_table(args.seeds)
    paths = report.notebook_paths()
    if args.notebook:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.notebook)]
    started = time.perf_counter()
    elsewhere = report.is_elsewhere(args.seeds, args.out, args.story)
    failed = []

    def done(path, written, error) -> None:
        print(f"executed {path.name}" if error is None else f"failed {path.name}", flush=True)
        if error is not None:
            failed.append((path, error))
        elif args.html:
            report.export_html(written, report.html_path(path, args.out))

    report.execute_all(paths, args.seeds, args.out, args.story, args.jobs, elsewhere, done)
    for path, error in failed:
        print(f"error: {path.name}: a cell failed; nothing of that notebook was written\n{error}", file=sys.stderr)
    if failed:
        return 1
    where = config.figures_dir(args.out)
    print(f"{len(paths)} notebooks executed" + (f" into {where / 'notebooks'}" if elsewhere else " in place")
          + f"; outputs in {args.out or 'figures/'}" + (f"; HTML in {where / 'html'}" if args.html else "")
          + f"; {time.perf_counter() - started:.1f} s")
    if elsewhere:
        print(f"open them with: .venv/bin/jupyter lab {where / 'notebooks'}")
    return 0


def cmd_run(args) -> int:
    """Compute every table, figure and reading view the notebooks write, byte for byte the same,
    into the output folder (default ``output/``) without Jupyter."""
    refuse_table(args.seeds)
    summary = pipeline.run(args.seeds, args.out, jobs=args.jobs, use_cache=not args.no_cache,
                           stories=args.story, lexicons=args.lexicon)
    status = report_problems(summary.problems)
    print(summary)
    return status


def cmd_scale(args) -> int:
    """Run the per-document pipeline on Dask over a large corpus; write the corpus tables."""
    started = time.perf_counter()
    try:
        agg = scale.run(args.source, address=args.address, workers=args.workers)
    except ValueError as exc:  # dask's JSON and Parquet readers raise ValueError on a malformed file
        print(f"error: {args.source}: the corpus cannot be read ({str(exc).splitlines()[0][:200]}); "
              "check that every line is one JSON object (JSON Lines) or that the file is Parquet", file=sys.stderr)
        return 1
    status = report_problems(agg.problems)
    documents = agg.documents
    out = args.out or pipeline.DEFAULT_OUTPUT
    written = [export.table(documents, "document_summary", out), export.table(agg.terms, "terms_corpus", out)]
    hits = int(documents["markers_rows"].sum()) if "markers_rows" in documents else 0
    print(f"{len(documents)} documents, {agg.n_words:,} words, {hits} marker hits; "
          f"{', '.join(p.name for p in written)} written; {time.perf_counter() - started:.1f} s")
    return status


def add_commands(sub) -> None:
    p = sub.add_parser("report", help="execute the notebooks headless (in place unless --seeds/--out/--story name "
                                      "others); writes their figures and tables and methods.md")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--out", help="output folder for figures and tables (default: figures/)")
    p.add_argument("--notebook", action="append", help="only notebooks whose name starts with this (repeatable)")
    p.add_argument("--html", action="store_true", help="also export each executed notebook as HTML to <out>/html/")
    p.add_argument("--jobs", type=positive, default=min(2, os.cpu_count() or 1),
                   help="processes analysing the texts, and notebooks executed at once (default: 2, or 1 on one core)")
    add_story(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("run", help="compute every table, figure and reading view of the notebooks into an output "
                                   "folder, without Jupyter (figures/ is written by report only)")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    p.add_argument("--out", help="output folder (default: output/ at the project root)")
    p.add_argument("--jobs", type=positive, default=1, help="processes analysing documents in parallel (default 1)")
    p.add_argument("--no-cache", action="store_true", help="recompute every document (the cache is not read or written)")
    add_story(p, lexicon=True)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("scale", help="per-document pipeline on Dask over a seeds folder, JSON Lines or Parquet corpus")
    p.add_argument("source", help="seeds folder, .jsonl file (id, text, optional manifest columns) or .parquet")
    p.add_argument("--out", help="output folder (default: output/ at the project root)")
    p.add_argument("--workers", type=positive, default=2, help="worker processes of the local cluster (default 2)")
    p.add_argument("--address", help="scheduler address of a running Dask cluster (instead of a local one)")
    add_story(p)
    p.set_defaults(func=cmd_scale)
