"""Cache columns as bytes: every kind reads back as exactly the values written, and anything
else is refused."""
import math
import re

import pytest

from analysis.running import packing


def _round_trip(columns: dict[str, list], rows: int, shared: bool = False) -> tuple[dict[str, list], list]:
    described, blobs = packing.pack(columns, shared)
    data = memoryview(b"".join(blobs))
    found, end = packing.unpack(described, data, 0, rows)
    assert end == len(data)
    return found, described


def test_each_kind_reads_back_the_same_values_and_types():
    columns = {"id": ["a1", "a1", "a1"], "term": ["peace", "", "Qarabağ"], "n": [3, -2, 2 ** 62],
               "score": [0.1, -0.0, 1e-300], "flag": [True, False, True], "mixed": [1, 2.5, True],
               "missing": ["x", float("nan"), "y"], "nul": ["a\x00b", "c", "d"]}
    found, described = _round_trip(columns, 3)
    kinds = {name: kind for name, kind, _ in described}
    assert kinds == {"id": "repeat", "term": "text", "n": "int", "score": "float", "flag": "bool",
                     "mixed": "json", "missing": "json", "nul": "json"}
    for name, values in columns.items():
        assert [type(v) for v in found[name]] == [type(v) for v in values], name
    assert found["term"] == columns["term"] and found["n"] == columns["n"] and found["nul"] == columns["nul"]
    assert found["score"] == [0.1, -0.0, 1e-300] and math.copysign(1, found["score"][1]) == -1
    assert found["flag"] == [True, False, True] and found["mixed"] == [1, 2.5, True]
    assert found["missing"][0] == "x" and math.isnan(found["missing"][1])


def test_empty_and_one_row_columns():
    assert _round_trip({"a": [], "b": []}, 0)[0] == {"a": [], "b": []}
    assert _round_trip({"a": [""], "b": [0], "c": ["x"]}, 1)[0] == {"a": [""], "b": [0], "c": ["x"]}


def test_a_number_too_large_for_64_bits_is_stored_as_json():
    found, described = _round_trip({"n": [2 ** 64, 1]}, 2)
    assert found["n"] == [2 ** 64, 1] and described[0][1] == "json"


def test_texts_that_repeat_are_stored_once_when_asked():
    columns = {"term": ["peace", "", "Qarabağ", "peace", "peace", "", "peace", "peace"],
               "unique": [f"w{i}" for i in range(8)], "nul": ["a\x00b", "c", "c", "c", "c", "c", "c", "c"]}
    found, described = _round_trip(columns, 8, shared=True)
    assert {name: kind for name, kind, _ in described} == {"term": "shared", "unique": "text", "nul": "json"}
    assert found == columns
    assert len({id(v) for v in found["term"]}) == 3                  # one object per distinct text
    assert _round_trip(columns, 8)[1][0][1] == "text"                  # only when asked
    assert len(b"".join(packing.pack({"t": ["a long repeated phrase"] * 99 + ["x"]}, True)[1])) < 500


@pytest.mark.parametrize("described, data, rows, why", [
    ([["s", "shared", 11]], b"a\x00b" + bytes([0, 0, 0, 0, 2, 0, 0, 0]), 2, "a text that is not there"),
    ([["s", "shared", 8]], b"\x00" * 8, 2, "8 bytes for 2 shared texts"),
    ([["n", "int", 16]], b"\x00" * 8, 2, "past the end"),
    ([["n", "int", 8]], b"\x00" * 8, 2, "8 bytes for 2 numbers"),
    ([["t", "text", 3]], b"a\x00b", 3, "2 values for 3 rows"),
    ([["f", "bool", 2]], b"\x01\x02", 2, "neither 0 nor 1"),
    ([["x", "pickle", 1]], b"\x80", 1, "unknown kind"),
    ([["j", "json", 2]], b"{}", 1, "not a list"),
    ([["r", "repeat", 5]], b"", 2, "repeats no text"),
    ([["a", "text", 1], ["a", "text", 1]], b"xy", 1, "not [name, kind, size]"),
    ({"a": 1}, b"", 1, "not described"),
])
def test_anything_pack_did_not_write_is_refused(described, data, rows, why):
    with pytest.raises(ValueError, match=re.escape(why)):
        packing.unpack(described, memoryview(data), 0, rows)
