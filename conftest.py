"""Test-wide settings: outputs of tests and of nbval's notebook runs go to a temporary folder,
never into the repository's figures/."""
import os
import tempfile


def pytest_configure(config):
    os.environ["FRAMING_FIGURES"] = tempfile.mkdtemp(prefix="framing-test-figures-")
    os.environ.setdefault("MPLBACKEND", "Agg")
