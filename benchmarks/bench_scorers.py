"""Throughput of the fast sentiment scorers beside the libraries they reproduce.

Run on demand (never part of the tests):

    .venv/bin/python benchmarks/bench_scorers.py            # about 1 minute on 2 cores

The sentences are the generated set of ``tests/test_scorers.py`` (fixed seed): shipped sentences
with words swapped, and random mixes of lexicon words, boosters, negations, idioms, emoticons,
emoji and punctuation. Each scorer runs over all of them three times in this process, library
and fast alternating; the median time is reported. The fast TextBlob scorer's cache of
tokenised white-space pieces is emptied before each of its runs, so every run starts cold.
Words are counted once with ``analysis.text.count_words``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_scorers import GENERATED_SEED, generated_sentences  # noqa: E402
from textblob.en import sentiment as pattern_sentiment  # noqa: E402
from vaderSentiment import vaderSentiment as vader  # noqa: E402

from analysis.measures import scorers  # noqa: E402
from analysis.text import count_words  # noqa: E402


def library_textblob(text):
    score = pattern_sentiment(text)
    return score[0], score[1], score.assessments


def timed(function, texts, before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="number of generated sentences")
    parser.add_argument("--runs", type=int, default=3, help="runs per scorer (the median is reported)")
    args = parser.parse_args(argv)

    texts = generated_sentences(args.size, GENERATED_SEED)
    words = sum(count_words(t) for t in texts)
    analyzer = vader.SentimentIntensityAnalyzer()
    scorers.fast_analyzer()
    models = {
        "textblob": (library_textblob, scorers.textblob_sentiment, scorers._PIECES.clear),
        "vader": (analyzer.polarity_scores, scorers.vader_polarity_scores, None),
    }
    print(f"{len(texts):,} sentences, {words:,} words (seed {GENERATED_SEED}), median of {args.runs} runs\n")
    print(f"{'model':<10}{'scorer':<9}{'seconds':>9}{'sentences/s':>14}{'words/s':>13}")
    ratios = {}
    for model, (library, fast, reset) in models.items():
        times = {"library": [], "fast": []}
        for _ in range(args.runs):
            times["library"].append(timed(library, texts))
            times["fast"].append(timed(fast, texts, reset))
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, seconds in medians.items():
            print(f"{model:<10}{name:<9}{seconds:>9.2f}{len(texts) / seconds:>14,.0f}{words / seconds:>13,.0f}")
        ratios[model] = medians["library"] / medians["fast"]
    print()
    for model, ratio in ratios.items():
        print(f"{model}: fast is {ratio:.2f}x the library")


if __name__ == "__main__":
    main()
