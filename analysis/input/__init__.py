"""Inputs: decoding and format detection of article files, and the validated-table reader
(layer 1 of input → corpus → measures → framing → presentation → running)."""
