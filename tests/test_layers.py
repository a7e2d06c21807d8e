"""The package's layers: lower layers never import higher ones, no import cycles (function-level
imports included), no module over 400 lines."""
import ast
from pathlib import Path

from analysis import config

#: Layer of each top-level name of the package, lowest first (data flows upwards).
LAYERS = {"config": 0, "problems": 0, "files": 0, "text": 0, "input": 1, "corpus": 2, "measures": 3,
          "framing": 4, "validation": 5, "presentation": 6, "running": 7, "cli": 8, "__main__": 8}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(config.PACKAGE.rglob("*.py")):
        parts = path.relative_to(config.PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t.split(".")[0] == "analysis" and t != name}
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else -1


def test_every_module_has_a_layer():
    for name in _modules():
        parts = name.split(".")
        assert len(parts) == 1 or parts[1] in LAYERS or parts[1] == "packs", name


def test_lower_layers_never_import_higher_ones():
    modules = _modules()
    wrong = [(name, target) for name, path in modules.items() for target in _imports(name, path, modules)
             if _layer(target) > _layer(name)]
    assert wrong == []


def test_no_import_cycles():
    modules = _modules()
    graph = {name: {t for t in _imports(name, path, modules) if t in modules} for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # a package's __init__ re-exporting its own modules is not a cycle of code
    cycles = [c for c in cycles if not all(m == c[0] or m.startswith(c[0] + ".") or c[0].startswith(m + ".")
                                           for m in c)]
    assert cycles == []


def test_the_layering_test_sees_a_violation(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from analysis.running import pipeline\n", encoding="utf-8")
    assert _imports("analysis.corpus.m", path, _modules()) == {"analysis.running.pipeline"}
    assert _layer("analysis.running.pipeline") > _layer("analysis.corpus.m")


def test_no_module_over_400_lines():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
