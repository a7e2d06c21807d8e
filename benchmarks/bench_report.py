"""Cost of the whole workbook at corpus sizes: ``report`` (every notebook) and ``run`` (no Jupyter).

    .venv/bin/python benchmarks/bench_report.py [--sizes 100,1000,10000] [--only report,run,rerun] [--keep DIR]

For each size a CSV export is generated (``benchmarks/make_corpus.py``: perturbed sentences of the
shipped texts, 10 outlets, two years of dates, 2% near-duplicates) and imported with
``python -m analysis import``; the seeds folder selects the karabakh story pack. Then, each in a
fresh process: ``report`` into a new folder, ``run`` cold into a new folder, and ``rerun``: one
article added to the imported folder and ``run`` again into the cold run's folder (so only the new
article is computed and only figures whose data changed are drawn again). Printed per step:
articles, wall seconds, peak resident memory of the step's processes (MiB, the largest process:
``ru_maxrss`` of the waited-for children, Jupyter kernels included) and for ``rerun`` its share of
the cold run. Targets: report on 1,000 within 180 s; run on 10,000 within 900 s and 2,048 MiB;
rerun at most 15% of the cold run.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


#: A wrapper process per step, so each step's peak memory is its own (``ru_maxrss`` only grows).
_WRAP = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
         "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _timed(args: list[str]) -> tuple[float, float]:
    """Run ``python -m analysis ARGS`` in a child; return (seconds, peak MiB of its largest process)."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", _WRAP, PYTHON, "-m", "analysis", *args], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - started, int(done.stdout.split()[-1]) / 1024


def _corpus(n: int, work: Path) -> Path:
    csv = work / f"corpus_{n}.csv"
    subprocess.run([PYTHON, str(ROOT / "benchmarks" / "make_corpus.py"), "--docs", str(n), "--out", str(csv)],
                   check=True, stdout=subprocess.DEVNULL)
    seeds = work / f"seeds_{n}"
    subprocess.run([PYTHON, "-m", "analysis", "import", str(csv), "--into", str(seeds)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (seeds / "workbook.toml").write_text('stories = ["karabakh"]\n', encoding="utf-8")
    return seeds


def _add_one(seeds: Path, work: Path) -> None:
    extra = work / "one_more.csv"
    extra.write_text("id,title,outlet,date,text\nextra-1,One more article,Late Outlet,2024-01-05,"
                     "\"Talks on the border resumed on Monday.\n\nBoth delegations said progress was made.\"\n",
                     encoding="utf-8")
    subprocess.run([PYTHON, "-m", "analysis", "import", str(extra), "--into", str(seeds)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--only", default="report,run,rerun", help="steps to time, comma-separated")
    parser.add_argument("--keep", help="folder to keep the generated corpora and outputs in")
    args = parser.parse_args(argv)
    steps = set(args.only.split(","))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="framing-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'step':<8} {'articles':>9} {'seconds':>9} {'peak MiB':>9}  note", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        seeds = _corpus(n, work)
        if "report" in steps:
            seconds, peak = _timed(["report", "--seeds", str(seeds), "--out", str(work / f"report_{n}")])
            notebooks = sum(p.stat().st_size for p in (work / f"report_{n}" / "notebooks").glob("*.ipynb"))
            print(f"{'report':<8} {n:>9,} {seconds:>9.1f} {peak:>9.0f}  executed notebooks {notebooks / 2**20:.1f} MB",
                  flush=True)
        if "run" in steps or "rerun" in steps:
            cold, peak = _timed(["run", "--seeds", str(seeds), "--out", str(work / f"run_{n}")])
            print(f"{'run':<8} {n:>9,} {cold:>9.1f} {peak:>9.0f}  cold", flush=True)
            if "rerun" in steps:
                _add_one(seeds, work)
                warm, peak = _timed(["run", "--seeds", str(seeds), "--out", str(work / f"run_{n}")])
                print(f"{'rerun':<8} {n + 1:>9,} {warm:>9.1f} {peak:>9.0f}  one article added: "
                      f"{warm / cold:.0%} of the cold run", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
