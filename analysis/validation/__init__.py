"""Validation of the workbook's coding against human coders (layer beside ``framing``).

Flow: a **codebook** (``codebook``) says what coders answer for each unit (a marker hit, a
sentence or an article); **sampling** draws a reproducible, optionally stratified sample and
writes a blind coding sheet; coders fill one sheet each (``sheets`` reads and checks them);
**agreement** gives Krippendorff's alpha per variable (NLTK's ``AnnotationTask``) with a
bootstrap interval; **adjudicate** turns the sheets into a gold standard by majority; **scoring**
compares the workbook's own coding with the gold standard (precision, recall, F1, confusion
matrices, the errors) and writes a methods paragraph. ``commands`` holds the command functions.

Imports only ``analysis.config, problems, files, text, input, corpus, measures, framing``.
"""
