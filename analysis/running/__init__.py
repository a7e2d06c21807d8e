"""Running: per-document stages, the batch run and its cache, Dask scale-out, the methods appendix and
notebook execution (layer 6)."""
