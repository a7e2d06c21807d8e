"""Test-wide settings: outputs of tests and of nbval's notebook runs go to a temporary folder,
never into the repository's figures/; Hypothesis keeps no example database in the working tree."""
import os
import tempfile

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="framing-hypothesis-"))

from hypothesis import settings  # noqa: E402  (after the storage folder is chosen)

settings.register_profile("workbook", database=None)
settings.load_profile("workbook")


def pytest_configure(config):
    os.environ["FRAMING_FIGURES"] = tempfile.mkdtemp(prefix="framing-test-figures-")
    os.environ.setdefault("MPLBACKEND", "Agg")
