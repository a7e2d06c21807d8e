"""Growth of each stage's time with the input's length, on hostile shapes of input.

Run on demand (never part of the tests):

    .venv/bin/python benchmarks/bench_growth.py            # 10k, 100k and 1M characters
    .venv/bin/python benchmarks/bench_growth.py --sizes 10000 100000 --only markers

Each shape repeats a short string up to the size (in characters) and times one stage on it,
once per size, with the input built and parsed before the clock starts. The last columns are
the growth factors from one size to the next: about 10 for 10× the characters means linear
time; 100 would mean quadratic.
"""
from __future__ import annotations

import argparse
import math
import time
from typing import Callable

from analysis import text as textmod
from analysis.corpus import Corpus, parse_article
from analysis.corpus import voice
from analysis.framing import devices, markers
from analysis.input import decode
from analysis.measures import kwic

#: Default sizes, in characters.
SIZES = (10_000, 100_000, 1_000_000)
#: Longest run allowed, in seconds, as projected from the growth between the two previous sizes.
LIMIT_SECONDS = 300.0


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _article(body: str) -> str:
    return "Headline\n\n" + body


def _voice_sentence(unit: str) -> Callable[[int], Callable[[], object]]:
    def setup(size: int):
        body = _repeat(unit, size)
        return lambda: voice.sentence_regions(body, 0, len(body))   # one sentence, no cap
    return setup


def _voice_doc(unit: str):
    def setup(size: int):
        doc = parse_article(_article(_repeat(unit, size)))

        def run():
            doc.__dict__.pop("_voice_map", None)
            vmap = voice.voice_map(doc)
            for s in doc.sentences:
                vmap.voice(s.start, s.end)
                voice.sentence_voice(doc, s)
        return run
    return setup


def _sentences(unit: str):
    def setup(size: int):
        text = _article(_repeat(unit, size))
        return lambda: parse_article(text)
    return setup


def _html(unit: str):
    def setup(size: int):
        page = "<p>x</p>" + _repeat(unit, size)
        return lambda: decode.html_to_text(page)
    return setup


def _kwic(unit: str, query: str):
    def setup(size: int):
        doc = parse_article(_article(_repeat(unit, size)))
        return lambda: kwic.find(doc, query)
    return setup


def _markers(text_of: Callable[[int], str]):
    def setup(size: int):
        doc = parse_article(text_of(size))
        return lambda: (doc.__dict__.pop("_voice_map", None), markers.match_document(doc))
    return setup


def _matcher(text_of: Callable[[int], str]):
    def setup(size: int):
        text = text_of(size)
        m = markers.matcher()
        return lambda: m.find(text)
    return setup


def _hit_voices(unit: str):
    """The voice look-ups of ``markers.match_document``: lexicon hits, then each hit's voice."""
    def setup(size: int):
        doc = parse_article(_article(_repeat(unit, size)))
        m = markers.matcher()

        def run():
            doc.__dict__.pop("_voice_map", None)
            vmap = voice.voice_map(doc)
            return [vmap.voice(start, end) for start, end, _ in m.find(doc.text)]
        return run
    return setup


def _devices(unit: str):
    def setup(size: int):
        corpus = Corpus([parse_article(_article(_repeat(unit, size)))])
        return lambda: (corpus.docs[0].__dict__.pop("_voice_map", None), devices.devices(corpus))
    return setup


#: (stage, shape shown in the table, set-up: size -> the timed call)
CASES = [
    ("voice: sentence_regions, one sentence", '"the said " ×n', _voice_sentence("the said ")),
    ("voice: sentence_regions, one sentence", '"x said, which said y; " ×n', _voice_sentence("x said, which said y; ")),
    ("voice: VoiceMap + span/sentence voice", '"the said " ×n', _voice_doc("the said ")),
    ("voice: VoiceMap + span/sentence voice", '"\\"Khankendi \\" " ×n', _voice_doc('"Khankendi " ')),
    ("sentences: parse_article", '"word " ×n (one line)', _sentences("word ")),
    ("sentences: parse_article", '"a. " ×n', _sentences("a. ")),
    ("html: html_to_text", '"<p>x</p>" + "<a" ×n', _html("<a")),
    ("html: html_to_text", '"<p>x</p>" + "<![CDATA[ >" ×n', _html("<![CDATA[ >")),
    ("kwic: find a*a*a*a*b", '1,000-letter words', _kwic("a" * 1000 + " ", "a*a*a*a*b")),
    ("kwic: find * * b", '"a" + spaces', _kwic("a" + " " * 999, "* * b")),
    ("markers: match_document", '"\\"Khankendi \\" " ×n', _markers(lambda n: _article(_repeat('"Khankendi " ', n)))),
    ("markers: match_document", '"Khankendi " ×n', _markers(lambda n: _article(_repeat("Khankendi ", n)))),
    ("markers: hits + their voice look-ups", '"\\"Khankendi \\" " ×n', _hit_voices('"Khankendi " ')),
    ("markers: Matcher.find", '"a" + " " ×n', _matcher(lambda n: "a" + " " * n)),
    ("markers: match_document", '"a" + " " ×n', _markers(lambda n: "a" + " " * n)),
    ("devices: devices", '"was killed " ×n', _devices("was killed ")),
    ("devices: devices", '"\\"Khankendi \\" " ×n', _devices('"Khankendi " ')),
]


def _projected(seconds: list[float], sizes: tuple[int, ...], size: int) -> float:
    """Seconds the next size would take if the growth seen so far went on (0 before two sizes)."""
    done = [(n, t) for n, t in zip(sizes, seconds) if t == t]   # t == t: measured (not nan)
    if len(done) < 2 or done[-2][1] <= 0 or done[-1][1] <= 0:
        return 0.0
    (n0, t0), (n1, t1) = done[-2:]
    exponent = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
    return t1 * (size / n1) ** exponent


def measure(sizes: tuple[int, ...], only: str = "", limit: float = LIMIT_SECONDS) -> list[tuple[str, str, list[float]]]:
    """Seconds of each case at each size (one run each, set-up excluded, after one untimed run at
    the smallest size so that lexicons and compiled patterns are loaded). A size that would take
    more than ``limit`` seconds at the growth seen so far is not run (shown as "-")."""
    rows = []
    for stage, shape, setup in CASES:
        if only not in stage:
            continue
        setup(sizes[0])()
        seconds: list[float] = []
        for size in sizes:
            if _projected(seconds, sizes, size) > limit:
                seconds.append(float("nan"))   # not run: would take longer than ``limit``
                continue
            run = setup(size)
            start = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - start)
        rows.append((stage, shape, seconds))
        print(_line(stage, shape, seconds), flush=True)
    return rows


def _line(stage: str, shape: str, seconds: list[float]) -> str:
    growth = [f"{b / a:6.1f}×" if a > 0 and b == b else "     -" for a, b in zip(seconds, seconds[1:])]
    times = [f"{s:8.3f}" if s == s else "       -" for s in seconds]
    return f"| {stage:<40} | {shape:<26} | " + " | ".join(times) + " | " + " | ".join(growth) + " |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="sizes in characters")
    parser.add_argument("--only", default="", help="run only the stages whose name contains this")
    parser.add_argument("--limit", type=float, default=LIMIT_SECONDS, help="longest projected run, seconds")
    args = parser.parse_args(argv)
    sizes = tuple(args.sizes)
    print(f"sentence cap {textmod.MAX_SENTENCE_CHARS:,} characters; seconds at {', '.join(f'{s:,}' for s in sizes)} "
          "characters, then the growth from each size to the next")
    print(f"| {'stage':<40} | {'shape':<26} | " + " | ".join(f"{s:>8,}" for s in sizes) + " | "
          + " | ".join("growth" for _ in sizes[1:]) + " |")
    measure(sizes, args.only, args.limit)


if __name__ == "__main__":
    main()
