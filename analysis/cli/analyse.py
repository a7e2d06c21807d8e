"""Commands that analyse articles and print CSV: check, markers, sentiment, terms, keyness, kwic."""
from __future__ import annotations

from analysis import corpus as corpusmod
from analysis.cli.common import (add_story, positive, read_inputs, refuse_table, report_problems, text_corpus,
                                 usage_error, write_csv)
from analysis.framing import actors, markers, packs
from analysis.measures import keyness, kwic, terms
from analysis.problems import InputError

#: Columns of ``python -m analysis sentiment`` (one row per sentence).
SENTIMENT_CLI_COLUMNS = ["doc_id", "sentence", "start", "end", "text", "textblob_polarity", "textblob_subjectivity",
                         "vader_compound", "vader_pos", "vader_neu", "vader_neg", "voice", "actors"]


def cmd_check(args) -> int:
    """Validate a seeds folder (manifest, articles, workbook.toml), the story packs' lexicons and
    actor lists, and whether the packs fit the corpus."""
    refuse_table(args.seeds)
    loaded = corpusmod.load_corpus(args.seeds)
    problems = list(loaded.problems)
    try:
        story = packs.active()
        story.lexicon
        actors.load()
        problems += story.fit([(d.meta.get("file", d.doc_id), d.text) for d in loaded])
    except InputError as exc:
        problems.extend(exc.problems)
    status = report_problems(problems)
    print(f"{len(loaded)} documents readable, {len(problems)} problem(s); {packs.active().describe()}")
    return status


def cmd_markers(args) -> int:
    """The framing-marker evidence table of article files, as CSV on stdout."""
    loaded, problems = read_inputs(args.paths)
    write_csv(markers.evidence(loaded))
    return report_problems(problems)


def cmd_sentiment(args) -> int:
    """Per-sentence TextBlob and VADER scores, voice and actors named, as CSV on stdout."""
    loaded, problems = read_inputs(args.paths)
    write_csv(actors.sentence_table(loaded)[SENTIMENT_CLI_COLUMNS])
    return report_problems(problems)


def cmd_terms(args) -> int:
    """Term counts and rates per 1,000 words per group (terms.term_table) as CSV."""
    loaded, problems = text_corpus(args)
    try:
        terms.check_by(loaded, args.by)
        table = terms.term_table(loaded, ngram=args.ngram, by=args.by, stop=not args.keep_stopwords,
                                 min_count=args.min_count, stem=args.stem)
    except ValueError as exc:
        return usage_error(exc)
    write_csv(terms.top_terms(table, args.top) if args.top else table)
    return report_problems(problems)


def cmd_keyness(args) -> int:
    """Keyness (G², log ratio) of each group against the rest, or pairwise, as CSV."""
    loaded, problems = text_corpus(args)
    compute = keyness.pairwise if args.pairwise else keyness.keyness
    try:
        table = compute(loaded, by=args.by, ngram=args.ngram, stem=args.stem, min_freq=args.min_freq,
                        threshold=args.threshold, only_significant=not args.all)
    except ValueError as exc:
        return usage_error(exc)
    write_csv(table)
    return report_problems(problems)


def cmd_kwic(args) -> int:
    """Concordance (keyword in context) of a word or phrase as CSV."""
    loaded, problems = text_corpus(args)
    try:
        table = kwic.search(loaded, args.query, width=args.width)
        if args.sort:
            table = kwic.sort(table, args.sort)
    except ValueError as exc:
        return usage_error(exc)
    write_csv(table)
    return report_problems(problems)


def add_commands(sub) -> None:
    p = sub.add_parser("check", help="validate seeds, manifest, workbook.toml, story packs; list every problem")
    p.add_argument("--seeds", help="seeds folder (default: seeds/ or $FRAMING_SEEDS)")
    add_story(p, lexicon=True)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("sentiment", help="per-sentence sentiment (TextBlob, VADER), voice and actors as CSV")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file, seeds folder, or - for stdin")
    add_story(p)
    p.set_defaults(func=cmd_sentiment)

    seeds_help = "seeds folder when no PATH is given (default: seeds/ or $FRAMING_SEEDS)"
    p = sub.add_parser("terms", help="term counts and rates per 1,000 words per document or manifest column (CSV)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders ('-' = stdin; none = --seeds)")
    p.add_argument("--seeds", help=seeds_help)
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1 = words (default), 2 = bigrams")
    p.add_argument("--by", default="doc_id", help="group by doc_id (default) or a manifest column such as outlet")
    p.add_argument("--stem", choices=("snowball", "porter"), help="count word stems (default: words as written)")
    p.add_argument("--min-count", type=positive, default=1, help="leave out terms seen fewer times in a group")
    p.add_argument("--top", type=positive, help="only the N most frequent terms of each group")
    p.add_argument("--keep-stopwords", action="store_true", help="count stop words too")
    add_story(p)
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("keyness", help="keywords of each group against the rest (log-likelihood G2, log ratio; CSV)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders (none = --seeds)")
    p.add_argument("--seeds", help=seeds_help)
    p.add_argument("--by", default="outlet", help="manifest column whose groups are compared (default outlet)")
    p.add_argument("--min-freq", type=positive, default=keyness.MIN_FREQ,
                   help=f"test only terms seen at least N times in both sides together (default {keyness.MIN_FREQ})")
    p.add_argument("--threshold", type=float, default=keyness.THRESHOLD,
                   help=f"G2 needed to call a term key (default {keyness.THRESHOLD}, p < 0.05)")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1 = words (default), 2 = bigrams")
    p.add_argument("--stem", choices=("snowball", "porter"), help="compare word stems")
    p.add_argument("--pairwise", action="store_true", help="compare every pair of groups instead of each group with the rest")
    p.add_argument("--all", action="store_true", help="list every tested term, not only the significant ones")
    add_story(p)
    p.set_defaults(func=cmd_keyness)

    p = sub.add_parser("kwic", help="keyword-in-context concordance of a word or phrase (CSV)")
    p.add_argument("query", help="word or phrase, case-insensitive; '*' = any letters (peace*)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or seeds folders (none: the --seeds folder)")
    p.add_argument("--seeds", help=seeds_help)
    p.add_argument("--width", type=int, default=kwic.WIDTH, help=f"words of context on each side (default {kwic.WIDTH})")
    p.add_argument("--sort", help="AntConc-style sort keys, e.g. R1,R2 or L1 (default: text order)")
    add_story(p)
    p.set_defaults(func=cmd_kwic)

    p = sub.add_parser("markers", help="framing-marker evidence table (one row per hit) as CSV")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or seeds folders; '-' reads one article from stdin")
    add_story(p, lexicon=True)
    p.set_defaults(func=cmd_markers)
