"""The committed notebooks keep the workbook's promises: thin, numbered, from one scripted run."""
import json
import re

import pytest

from analysis import config
from analysis.running import report

NOTEBOOKS = report.notebook_paths()


def test_the_seven_numbered_notebooks_exist():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_deterministic_and_scripted(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown"
    for heading in ("Question", "Method", "Thresholds"):
        assert f"**{heading}" in first, heading
    code = [c for c in cells if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    assert "parameters" in code[0].get("metadata", {}).get("tags", [])
    for cell in code:
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class)\s", source, re.M), source[:80]
        assert "sys.path" not in source and "../" not in source
        outputs = json.dumps(cell["outputs"])
        assert '"output_type": "error"' not in outputs and '"name": "stderr"' not in outputs
        assert not re.search(r" at 0x[0-9a-f]+", outputs), "an object repr with a memory address"
        assert str(config.ROOT) not in outputs and "/root/" not in outputs and "/tmp/" not in outputs
