"""Test-wide settings: outputs of tests and of nbval's notebook runs go to a temporary folder,
never into the repository's figures/; Hypothesis keeps no example database in the working tree."""
import os
import tempfile

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="framing-hypothesis-"))

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402  (after the storage folder is chosen)

settings.register_profile("workbook", database=None)
settings.load_profile("workbook")


@pytest.fixture(autouse=True)
def _fresh_story():
    """Each test starts on the shipped story: a test that chose another seeds folder or story
    pack does not leak it into the next."""
    saved = {key: os.environ.get(key) for key in ("FRAMING_SEEDS", "FRAMING_STORY")}
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    from analysis.framing import markers

    markers.reset()


def pytest_configure(config):
    os.environ["FRAMING_FIGURES"] = tempfile.mkdtemp(prefix="framing-test-figures-")
    os.environ.setdefault("MPLBACKEND", "Agg")
