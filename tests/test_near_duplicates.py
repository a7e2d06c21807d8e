"""Near-duplicate detection: exact Jaccard similarities, the same pairs as brute force, and
sub-quadratic candidate generation that scales to thousands of texts."""
import random
import time

import numpy as np
import pytest

from analysis.input import near_duplicates as nd

WORDS = [f"w{i}" for i in range(400)]


def _texts(n: int, copies: int, seed: int = 7, length: int = 120) -> dict:
    rng = random.Random(seed)
    texts = {f"t{i}": " ".join(rng.choice(WORDS) for _ in range(length)) for i in range(n)}
    for k in range(copies):
        words = texts[f"t{k}"].split()
        for _ in range(rng.randint(0, 12)):  # similarities from 1.0 down to well below the threshold
            words[rng.randrange(len(words))] = "edited"
        texts[f"copy{k}"] = " ".join(words)
    return texts


def _exact(a: str, b: str) -> float:
    def grams(text):
        w = text.lower().split()
        return {tuple(w[i:i + nd.SHINGLE_WORDS]) for i in range(len(w) - nd.SHINGLE_WORDS + 1)}
    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def test_similarity_is_the_exact_jaccard_of_word_5grams():
    texts = _texts(3, 3)
    for key in ("copy0", "copy1", "copy2"):
        a, b = texts[key.replace("copy", "t")], texts[key]
        assert nd.jaccard(nd.shingles(a), nd.shingles(b)) == pytest.approx(_exact(a, b))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_same_pairs_as_brute_force(seed, threshold):
    texts = _texts(60, 30, seed)
    found = nd.near_duplicate_pairs(texts, threshold)
    assert found == nd.brute_force_pairs(texts, threshold)
    assert found and all(s >= threshold for _, _, s in found)
    for a, b, s in found:
        assert s == round(_exact(texts[a], texts[b]), 4)


def test_pairs_order_ids_and_edge_cases():
    text = "one two three four five six seven eight nine ten"
    texts = {"b": text, "a": text + " eleven", "empty": "", "punct": "... !!", "short": "one two"}
    pairs = nd.near_duplicate_pairs(texts)
    assert pairs == [("b", "a", round(6 / 7, 4))]  # the earlier text first
    assert nd.near_duplicate_pairs({"x": "one two", "y": "One, two!"}) == [("x", "y", 1.0)]
    assert nd.near_duplicate_pairs({}) == [] and nd.near_duplicate_pairs({"x": text}) == []
    with pytest.raises(ValueError):
        nd.near_duplicate_pairs(texts, 0)


def test_band_width_keeps_misses_below_the_bound():
    for threshold in (0.5, 0.8, 0.95):
        r = nd.band_rows(threshold)
        assert nd.PERMUTATIONS % r == 0
        assert (1 - threshold ** r) ** (nd.PERMUTATIONS // r) < nd.MAX_MISS
    assert nd.band_rows(0.8) == 4


def test_signatures_are_seeded():
    sets = [nd.shingles(t) for t in _texts(5, 0).values()]
    assert np.array_equal(nd.signatures(sets), nd.signatures(sets))
    assert not np.array_equal(nd.signatures(sets, seed=1), nd.signatures(sets, seed=2))


def test_thousands_of_texts_are_fast():
    rng = random.Random(11)
    vocabulary = [f"v{i}" for i in range(5000)]
    texts = {i: " ".join(rng.choice(vocabulary) for _ in range(300)) for i in range(3000)}
    for i in range(0, 3000, 100):
        words = texts[i].split()
        words[rng.randrange(300)] = "changed"
        texts[f"copy{i}"] = " ".join(words)
    start = time.perf_counter()
    pairs = nd.near_duplicate_pairs(texts)
    assert time.perf_counter() - start < 20  # about 1 s on the project machine
    assert sorted(b for _, b, _ in pairs) == sorted(f"copy{i}" for i in range(0, 3000, 100))
