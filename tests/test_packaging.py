"""environment.yml and pyproject.toml must list the same packages at the same versions."""
import re
import tomllib

from analysis import config

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"vadersentiment": "vadersentiment", "dask[dataframe]": "dask"}


def _pyproject_pins() -> dict[str, str]:
    meta = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = meta["dependencies"] + [d for group in meta["optional-dependencies"].values() for d in group]
    pins = {}
    for spec in specs:
        name, version = spec.split("==")
        name = name.strip().lower()
        pins[CONDA_NAMES.get(name, name)] = version.strip()
    return pins


def _environment_pins() -> tuple[dict[str, str], list[str]]:
    pins, pip = {}, []
    in_pip = False
    for line in (config.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s+- pip:\s*$", line):
            in_pip = True
            continue
        m = re.match(r"^\s+- ([A-Za-z0-9_.\-]+)=([^=\s]+)\s*$", line)
        if in_pip:
            item = re.match(r"^\s+- (.+)$", line)
            if item:
                pip.append(item.group(1).strip())
        elif m and m.group(1) != "python":
            pins[m.group(1).lower()] = m.group(2)
    return pins, pip


def test_every_pyproject_pin_is_exact():
    meta = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for spec in meta["dependencies"]:
        assert "==" in spec, f"{spec} is not pinned"


def test_environment_yml_matches_pyproject():
    env, _ = _environment_pins()
    assert env == _pyproject_pins()


def test_environment_yml_installs_the_package_editable():
    _, pip = _environment_pins()
    assert pip == ["-e ."]
