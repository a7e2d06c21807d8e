"""Columns of plain values as bytes, for cache entries: fast to read back, and data only.

A column is stored by the kind of its values, so reading it back gives exactly the values
written (same Python types, same text, bit-identical numbers):

* ``repeat``: one text on every row (an id, an outlet), kept in the column's description;
* ``text``: texts joined by NUL, UTF-8 (texts that hold NUL are stored as ``json``);
* ``shared`` (asked for with ``pack(…, shared=True)``): a column that repeats its texts, as its
  distinct texts joined by NUL, then each row's position among them (32-bit little-endian);
  the texts read back are one object per distinct text (``sys.intern``);
* ``int``: 64-bit little-endian integers; ``float``: 64-bit little-endian IEEE floats;
* ``bool``: one byte per row, 0 or 1;
* ``json``: anything else (mixed types, missing values) as a JSON array.

``pack`` returns each column's description ``[name, kind, value or byte length]`` and the
bytes; ``unpack`` reads them back from a buffer and raises ``ValueError`` for anything that is
not what ``pack`` wrote (lengths that do not add up, a wrong number of rows, a byte that is not
0 or 1, an unknown kind), never running anything read.
"""
from __future__ import annotations

import json
import sys
from array import array

import numpy as np

#: The one Python type of every value of a column of each kind (``json``: any).
KIND_TYPES = {"repeat": str, "text": str, "shared": str, "int": int, "float": float, "bool": bool}
#: Largest share of distinct texts for which ``pack(…, shared=True)`` stores a column as ``shared``.
SHARED_AT_MOST = 0.75
_LITTLE = sys.byteorder == "little"
_INT_RANGE = (-(2 ** 63), 2 ** 63 - 1)


def _numbers(code: str, values: list) -> bytes:
    packed = array(code, values)
    if not _LITTLE:  # pragma: no cover - big-endian machines
        packed.byteswap()
    return packed.tobytes()


def _kind(values: list, shared: bool = False) -> tuple[str, object]:
    """``(kind, description value or bytes)`` of one column."""
    types = set(map(type, values))
    if types == {str}:
        if len(values) > 1 and values.count(values[0]) == len(values):
            return "repeat", values[0]
        place = {text: number for number, text in enumerate(dict.fromkeys(values))} if shared else {}
        if shared and len(place) <= SHARED_AT_MOST * len(values):
            joined = "\x00".join(place)
            if joined.count("\x00") == len(place) - 1:
                return "shared", joined.encode("utf-8") + _numbers("I", [place[v] for v in values])
        joined = "\x00".join(values)
        if joined.count("\x00") == len(values) - 1:
            return "text", joined.encode("utf-8")
    elif types == {int} and _INT_RANGE[0] <= min(values) and max(values) <= _INT_RANGE[1]:
        return "int", _numbers("q", values)
    elif types == {float}:
        return "float", _numbers("d", values)
    elif types == {bool}:
        return "bool", bytes(values)
    return "json", json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(columns: dict[str, list], shared: bool = False) -> tuple[list[list], list[bytes]]:
    """Each column's description ``[name, kind, value or byte length]`` and its bytes (empty
    columns are ``json`` with no bytes read); ``shared``: texts that repeat are stored once
    (``shared`` columns). Raises TypeError for a value JSON cannot hold."""
    described, blobs = [], []
    for name, values in columns.items():
        if not values:
            described.append([name, "json", 0])
            continue
        kind, found = _kind(values, shared)
        if kind == "repeat":
            described.append([name, kind, found])
        else:
            described.append([name, kind, len(found)])
            blobs.append(found)
    return described, blobs


def _read_numbers(code: str, data: memoryview) -> list:
    values = array(code)
    values.frombytes(data)
    if not _LITTLE:  # pragma: no cover - big-endian machines
        values.byteswap()
    return values.tolist()


def _column(kind: str, data: memoryview, rows: int) -> list:
    if kind == "text":
        values = str(data, "utf-8").split("\x00")
    elif kind == "shared":
        if not 0 < 4 * rows < len(data):
            raise ValueError(f"{len(data)} bytes for {rows} shared texts")
        distinct = np.array(list(map(sys.intern, str(data[:-4 * rows], "utf-8").split("\x00"))), dtype=object)
        places = np.frombuffer(data[-4 * rows:], dtype="<u4")
        if int(places.max()) >= len(distinct):
            raise ValueError("a row refers to a text that is not there")
        values = distinct[places].tolist()
    elif kind in ("int", "float"):
        if len(data) != 8 * rows:
            raise ValueError(f"{len(data)} bytes for {rows} numbers")
        values = _read_numbers("q" if kind == "int" else "d", data)
    elif kind == "bool":
        flags = bytes(data)
        if flags.count(0) + flags.count(1) != len(flags):
            raise ValueError("a flag that is neither 0 nor 1")
        values = [b == 1 for b in flags]
    elif kind == "json":
        values = json.loads(bytes(data)) if len(data) else []
        if type(values) is not list:
            raise ValueError("a JSON column that is not a list")
    else:
        raise ValueError(f"unknown kind of column {kind!r}")
    if len(values) != rows:
        raise ValueError(f"{len(values)} values for {rows} rows")
    return values


def unpack(described, buffer: memoryview, offset: int, rows: int) -> tuple[dict[str, list], int]:
    """The columns ``pack`` described, read from ``buffer`` at ``offset``, each of ``rows`` values:
    ``({name: values}, offset after them)``. Raises ValueError for anything else."""
    if type(described) is not list or type(rows) is not int or rows < 0:
        raise ValueError("the columns are not described")
    columns = {}
    for item in described:
        if type(item) is not list or len(item) != 3 or type(item[0]) is not str or item[0] in columns:
            raise ValueError("a column description is not [name, kind, size]")
        name, kind, size = item
        if kind == "repeat":
            if type(size) is not str:
                raise ValueError(f"column {name} repeats no text")
            columns[name] = [sys.intern(size)] * rows
            continue
        if type(size) is not int or not 0 <= size <= len(buffer) - offset:
            raise ValueError(f"column {name} runs past the end of the entry")
        columns[name] = _column(kind, buffer[offset:offset + size], rows) if size or rows else []
        offset += size
    return columns, offset
