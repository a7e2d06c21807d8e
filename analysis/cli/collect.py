"""Commands that build a corpus or check a coding: import, sample, agreement, adjudicate, validate."""
from __future__ import annotations

from pathlib import Path

from analysis import config
from analysis.cli.common import positive, report_problems
from analysis.corpus import importing
from analysis.framing import suggest
from analysis.input import near_duplicates
from analysis.validation import commands as validation


def cmd_import(args) -> int:
    """Turn tables, Nexis/Factiva exports and folders of files into a seeds folder."""
    columns = {field: value for field in ("text", "title", "outlet", "date", "url", "id")
               if (value := getattr(args, f"{field}_col", None))}
    dayfirst = True if args.dayfirst else False if args.monthfirst else None
    report = importing.import_sources([Path(s) for s in args.sources], Path(args.into), columns=columns or None,
                                      dayfirst=dayfirst, drop_near_duplicates=args.drop_near_duplicates,
                                      threshold=args.threshold)
    status = report_problems(report.problems + report.skipped)
    for a, b, similarity in report.near_duplicates[:20]:
        print(f"near-duplicate: {a} ~ {b} (similarity {similarity:.2f})")
    if len(report.near_duplicates) > 20:
        print(f"… and {len(report.near_duplicates) - 20} more near-duplicate pairs")
    print(report)
    return status


def cmd_suggest(args) -> int:
    """Candidate markers and rival names for a review sheet, or accepted rows into a pack."""
    if args.accept or args.into:
        return suggest.accept_command(args.accept, args.into)
    return suggest.suggest_command(args.seeds, args.sides, args.out, args.story, args.top)


def cmd_sample(args) -> int:
    return validation.sample_command(args.seeds, args.unit, args.n, args.seed,
                                     args.stratify.split(",") if args.stratify else None, args.out, args.codebook)


def cmd_agreement(args) -> int:
    return validation.agreement_command(args.sheets, args.out, args.codebook, args.seed, args.seeds)


def cmd_adjudicate(args) -> int:
    return validation.adjudicate_command(args.sheets, args.out, args.codebook, args.seeds)


def cmd_validate(args) -> int:
    return validation.validate_command(args.gold, args.seeds, args.out, args.sheets, args.codebook, seed=args.seed)


def add_commands(sub) -> None:
    p = sub.add_parser("import", help="turn CSV/TSV/XLSX/JSON Lines/Parquet tables, Nexis Uni DOCX, Factiva RTF/HTML "
                                      "and folders of .txt/.html/.docx/.md files into a seeds folder")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders to import")
    p.add_argument("--into", required=True, help="seeds folder to write (created if missing; nothing is overwritten)")
    for field in ("text", "title", "outlet", "date", "url", "id"):
        p.add_argument(f"--{field}-col", metavar="NAME", help=f"column holding the {field} (default: detected by name)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", action="store_true", help="read 03/04/2023 as 3 April")
    order.add_argument("--monthfirst", action="store_true", help="read 03/04/2023 as 4 March")
    p.add_argument("--drop-near-duplicates", action="store_true",
                   help="skip the later text of each near-duplicate pair (default: keep both, report the pair)")
    p.add_argument("--threshold", type=float, default=near_duplicates.THRESHOLD,
                   help=f"near-duplicate Jaccard similarity of word 5-gram shingles, 0-1 (default {near_duplicates.THRESHOLD})")
    p.set_defaults(func=cmd_import)

    seeds_help = "seeds folder (default: seeds/ or $FRAMING_SEEDS)"
    p = sub.add_parser("suggest", help="candidate markers and rival names key to one side, as a review sheet; "
                                       "--accept a reviewed sheet --into a story pack")
    p.add_argument("--seeds", help=seeds_help)
    p.add_argument("--sides", help="OUTLET=SIDE,... (an outlet or doc id per side; *=SIDE for the rest; "
                                   "default: a side column in the manifest)")
    p.add_argument("--out", help="review sheet to write (CSV, XLSX beside it); never overwritten")
    p.add_argument("--top", type=positive, default=suggest.TOP, help=f"candidates per side (default {suggest.TOP})")
    p.add_argument("--story", action="append", metavar="NAME_OR_PATH",
                   help="story pack(s) whose entries are left out of the candidates (default: workbook.toml)")
    p.add_argument("--accept", metavar="SHEET", help="a reviewed sheet: append its accepted rows to --into")
    p.add_argument("--into", metavar="PACK_DIR", help="the story pack folder whose markers.csv grows")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("sample", help="a blind, seeded coding sheet of sentences, marker hits or articles")
    p.add_argument("--unit", required=True, help="sentence, hit or article (or several, comma-separated)")
    p.add_argument("--n", type=positive, required=True, help="units to draw of each kind")
    p.add_argument("--seed", type=int, default=config.RANDOM_SEED, help=f"random seed (default {config.RANDOM_SEED})")
    p.add_argument("--stratify", help="columns to stratify by, e.g. outlet,section")
    p.add_argument("--out", default="validation", help="folder for sheet.csv, sheet.xlsx and the codebook")
    p.add_argument("--codebook", help="your codebook (TOML or CSV) extending the story's variables")
    p.add_argument("--seeds", help=seeds_help)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("agreement", help="Krippendorff's alpha per variable between two or more coders' sheets")
    p.add_argument("sheets", nargs="+", help="filled coding sheets (one per coder) or one long table unit,coder,variable,value")
    p.add_argument("--out", help="folder for agreement.csv and disagreements.csv")
    p.add_argument("--codebook", help="the codebook the sheets were coded with (default: the story's)")
    p.add_argument("--seed", type=int, default=config.RANDOM_SEED, help="seed of the bootstrap interval")
    p.add_argument("--seeds", help=seeds_help)
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("adjudicate", help="merge coders' sheets into a majority gold standard, ties listed")
    p.add_argument("sheets", nargs="+", help="filled coding sheets")
    p.add_argument("--out", required=True, help="folder for gold.csv and ties.csv")
    p.add_argument("--codebook", help="the codebook the sheets were coded with (default: the story's)")
    p.add_argument("--seeds", help=seeds_help)
    p.set_defaults(func=cmd_adjudicate)

    p = sub.add_parser("validate", help="precision, recall and F1 of the workbook's coding against a gold standard")
    p.add_argument("gold", help="gold.csv from adjudicate (ties settled)")
    p.add_argument("--sheets", nargs="*", help="the coders' sheets, to report alpha in the methods paragraph")
    p.add_argument("--out", help="folder for the validation tables and methods paragraph")
    p.add_argument("--codebook", help="the codebook the sheets were coded with (default: the story's)")
    p.add_argument("--seed", type=int, default=config.RANDOM_SEED, help="seed of the bootstrap interval")
    p.add_argument("--seeds", help=seeds_help)
    p.set_defaults(func=cmd_validate)
