"""How many of a story pack's own markers do candidate markers find when the pack is hidden?

Run on demand (never part of the tests):

    .venv/bin/python benchmarks/bench_suggest.py            # a few seconds

For each shipped corpus the story pack is hidden (only the ``general`` pack's lexicon is
excluded from the candidates) and one side's texts are compared with the rest:

* **Karabakh** (``seeds/``): the first article (``aa-2023-12-07``, Anadolu Agency) is ``az``,
  the other three texts ``other``. The reference markers are the karabakh pack's hits in that
  article that count for ``az`` in the author's own voice (``markers.evidence``: side az, voice
  authorial), found in a normal run with the pack.
* **Russia–Ukraine** (``examples/ukraine/``): the Ukrainian ministry's two statements are ``ua``,
  the three US State Department texts ``other``; the reference markers are the ukraine pack's
  authorial ``ua`` hits in the ministry's texts.

A candidate *recovers* a hit when its ``patterns.variant_key`` equals the key of the hit's
matched text, or one contains the other (also reported: equal keys only). Reported: the share of hits (and of distinct matched
terms) recovered by the top 30 eligible candidates of the side (what the review sheet lists),
by every candidate of the side (eligible or not), and the same at ``min_freq=1``. Rival names:
the pairs found, and whether any is a pair of the hidden pack (two concepts sharing its
``pair`` field), beside how many of the pack's pairs have both members in the corpus at all.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import config  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.framing import markers, packs, patterns, suggest  # noqa: E402

TOP = 30
CASES = [
    {"name": "Karabakh", "seeds": config.DEFAULT_SEEDS, "pack": "karabakh", "side": "az",
     "sides": {"aa-2023-12-07": "az"}, "docs": ["aa-2023-12-07"]},
    {"name": "Russia-Ukraine", "seeds": ROOT / "examples" / "ukraine", "pack": "ukraine", "side": "ua",
     "sides": {"Ministry of Foreign Affairs of Ukraine": "ua", "US State Department": "other"},
     "docs": ["ua-mfa-2022-02-24", "ua-mfa-2022-09-28"]},
]


def recovered(hit: str, keys: list[str], exact: bool = False) -> bool:
    key = patterns.variant_key(hit)
    return any(k == key or not exact and (k in key or key in k) for k in keys)


def share(hits: list[str], keys: list[str], exact: bool = False) -> str:
    found = sum(recovered(h, keys, exact) for h in hits)
    return f"{found}/{len(hits)} ({100 * found / len(hits):.0f} %)" if hits else "0/0"


def run(case: dict) -> None:
    packs.reset()
    markers.reset()
    story = packs.activate(case["seeds"])
    corpus = load_corpus(case["seeds"])
    evidence = markers.evidence(corpus)
    ref = evidence[(evidence["side"] == case["side"]) & (evidence["voice"] == "authorial")
                   & evidence["doc_id"].isin(case["docs"])]
    hits = list(ref["text"])
    terms = sorted(set(ref["text"].map(patterns.variant_key)))
    hidden = packs.select(case["seeds"], stories=[packs.GENERAL]).lexicon
    started = time.perf_counter()
    analysis = suggest.rivals.analyse(corpus, case["sides"])
    table = suggest.candidates(corpus, None, hidden, analysis=analysis)
    pairs = suggest.rival_names(corpus, None, hidden, analysis=analysis)
    elapsed = time.perf_counter() - started
    loose = suggest.candidates(corpus, None, hidden, min_freq=1, analysis=analysis)
    side = table[table["proposed_side"] == case["side"]]
    top = list(side[side["eligible"]]["candidate"].head(TOP))
    loose_side = loose[loose["proposed_side"] == case["side"]]
    key = lambda items: [patterns.variant_key(c) for c in items]  # noqa: E731
    print(f"\n## {case['name']}: {', '.join(f'{s} {n} text(s)' for s, n in analysis.n_texts.items())}; "
          f"{story.describe()} hidden, lexicon {hidden.version} excluded; {elapsed:.2f} s")
    print(f"reference: {len(hits)} authorial {case['side']} hits, {len(terms)} distinct: {'; '.join(sorted(set(hits)))}")
    for label, items in [(f"top {TOP} eligible candidates (min_freq={suggest.MIN_FREQ})", top),
                         (f"all {len(side)} candidates of the side (min_freq={suggest.MIN_FREQ})", list(side["candidate"])),
                         (f"top {TOP} eligible candidates (min_freq=1)",
                          list(loose_side[loose_side["eligible"]]["candidate"].head(TOP))),
                         (f"all {len(loose_side)} candidates of the side (min_freq=1)", list(loose_side["candidate"]))]:
        found = sorted({h for h in hits if recovered(h, key(items))})
        print(f"- {label}: hits {share(hits, key(items))}, distinct terms {share(terms, key(items))}, "
              f"distinct terms with an equal key {share(terms, key(items), exact=True)}"
              + (f" — {'; '.join(found)}" if found else ""))
    print(f"- top 10 candidates: {', '.join(top[:10])}")
    lex = story.lexicon
    pair_of = {row["concept"]: row["pair"] for row in lex.entries.to_dict("records") if row["pair"]}
    present = evidence[evidence["concept"].isin(pair_of)].groupby(evidence["concept"].map(pair_of))["concept"].nunique()
    matcher = patterns.PhraseMatcher(lex.variants())
    found = [(t, r) for t, r in zip(pairs["term"], pairs["rival"])
             if (a := matcher.label_of(t)) and (b := matcher.label_of(r)) and a != b and pair_of.get(a) == pair_of.get(b)
             and pair_of.get(a)]
    print(f"- rival names: {len(pairs)} pairs; top 5: "
          + (", ".join(f"{t}/{r} ({o:.2f})" for t, r, o in zip(pairs["term"], pairs["rival"], pairs["overlap"])) if len(pairs) <= 5
             else ", ".join(f"{t}/{r} ({o:.2f})" for t, r, o in zip(pairs["term"].head(5), pairs["rival"].head(5),
                                                                  pairs["overlap"].head(5)))))
    print(f"- pack pairs (e.g. Khankendi/Stepanakert) with both names in the corpus: {int((present >= 2).sum())} of "
          f"{len(set(pair_of.values()))}; recovered as rival names: {len(found)}"
          + (f" ({', '.join(f'{t}/{r}' for t, r in found)})" if found else ""))


if __name__ == "__main__":
    for case in CASES:
        run(case)
