"""Measures of text: terms, keyness, concordances, collocations, lexical statistics and
sentence sentiment (layer 3)."""
