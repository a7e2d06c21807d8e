"""Presentation: figures, tables and reading views, and one output function per notebook section
(layer 5)."""
