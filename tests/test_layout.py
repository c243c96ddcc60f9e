"""Imports run one way (DESIGN.md): core at the bottom, stages on core, orchestration on top.

Every module of the installed ``dialogsim`` package -- including the stages that live in
top-level folders (``agents/`` installs as ``dialogsim.agents``) -- is parsed, not
imported, and each import it makes of another ``dialogsim`` module is checked:

- **core** (every module not listed below: schema, dialogue values, catalogue, configs,
  draws, conversation protocol, state, ...) imports only core;
- a **stage** (``STAGES``) imports core and itself, never another stage: stages talk
  through core contracts;
- **orchestration** (``ORCHESTRATION``) may import anything.

The package root ``dialogsim`` (its ``__version__``) may be imported from anywhere: it is
loaded before any of its submodules anyway and imports nothing at run time (its public
names load lazily).

Imports under ``if TYPE_CHECKING:`` count for the layers (a type is a dependency too).
Separately, the graph of the imports of core and stage modules that run -- at module level
or inside functions -- must have no cycle: an import moved into a function to dodge a
cycle fails here. (Orchestration modules may import each other inside functions: the CLI
loads a command's module only when that command runs, to start fast.)
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import networkx as nx
import pytest

STAGES = ("dialogsim.agents", "dialogsim.goals", "dialogsim.paraphrase", "dialogsim.models")
# dialogsim.testing drives the simulated customer (agents) and wraps the system agent as its
# ReferenceBot, as simulation does: it sits beside simulation, not among the stages.
ORCHESTRATION = ("dialogsim.simulation", "dialogsim.samples", "dialogsim.generation", "dialogsim.cli",
                 "dialogsim.__main__", "dialogsim.model_commands", "dialogsim.ray", "dialogsim.bot", "dialogsim.interop",
                 "dialogsim.testing")
_MAPPED = ("dialogsim.agents", "dialogsim.goals", "dialogsim.paraphrase", "dialogsim.models", "dialogsim.scenarios")
_TESTS = Path(__file__).parent


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer(module: str) -> str:
    """``"core"``, ``"orchestration"`` or the stage package ``module`` belongs to."""
    if module == "dialogsim" or any(_under(module, p) for p in ORCHESTRATION):
        return "orchestration"
    for stage in STAGES:
        if _under(module, stage):
            return stage
    return "core"


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (source file, is a package) for every module of dialogsim."""
    out: dict[str, tuple[Path, bool]] = {}

    def walk(package: str, folder: Path) -> None:
        out[package] = (folder / "__init__.py", True)
        for path in sorted(folder.iterdir()):
            if path.suffix == ".py" and path.name != "__init__.py":
                out[f"{package}.{path.stem}"] = (path, False)
            elif (path / "__init__.py").is_file() and f"{package}.{path.name}" not in _MAPPED:
                walk(f"{package}.{path.name}", path)

    for package in ("dialogsim", *_MAPPED):
        folder = _package_dir(package)
        if folder is not None:
            walk(package, folder)
    return out


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The dialogsim modules an import statement loads (``from a import b``: ``a.b`` when
    that is a module, else ``a``)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_package else module.split(".")[:-1]
            parts = parts[:len(parts) - node.level + 1]
            base = ".".join(parts + ([base] if base else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    out = []
    for name in names:
        while name and name not in MODULES:  # "import dialogsim.x.y" of a module that is not ours
            name = name.rpartition(".")[0]
        if name and _under(name, "dialogsim"):
            out.append(name)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """``(imported module, line, runs)``: ``runs`` is False under ``if TYPE_CHECKING:``."""
    path, is_package = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, runs: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                out.extend((target, child.lineno, runs) for target in _resolve(module, is_package, child))
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), False)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), runs)
            else:
                visit(child, runs)

    visit(tree, True)
    return out


def allowed(importer: str, imported: str) -> bool:
    """Whether ``importer`` may import ``imported`` (module docstring)."""
    src, dst = layer(importer), layer(imported)
    if src == "orchestration" or imported == "dialogsim":
        return True
    if src == "core":
        return dst == "core"
    return dst in ("core", src)


def test_every_module_is_found():
    for name in ("dialogsim.schema", "dialogsim.agents.system", "dialogsim.goals.sampler",
                 "dialogsim.paraphrase.realiser", "dialogsim.simulation"):
        assert name in MODULES


@pytest.mark.parametrize("rule", [
    ("dialogsim.schema", "dialogsim.dialogue", True),
    ("dialogsim.schema", "dialogsim.goals.sampler", False),
    ("dialogsim.goals.sampler", "dialogsim.agents.system", False),
    ("dialogsim.models.ap", "dialogsim.paraphrase.realiser", False),
    ("dialogsim.testing.strategies", "dialogsim.state", True),
    ("dialogsim.agents.system", "dialogsim.agents.customer", True),
    ("dialogsim.bot", "dialogsim.agents.system", True),
    ("dialogsim.interop.sgd", "dialogsim.generation", True),
    ("dialogsim.conversation", "dialogsim.simulation", False),
    ("dialogsim.models.training", "dialogsim", True),
], ids=lambda r: f"{r[0]}->{r[1]}")
def test_the_rules(rule):
    importer, imported, ok = rule
    assert allowed(importer, imported) is ok


def test_imports_run_one_way():
    wrong = [f"{MODULES[m][0]}:{line}: {m} ({layer(m)}) imports {target} ({layer(target)})"
             for m in MODULES for target, line, _ in _imports(m) if not allowed(m, target)]
    assert wrong == []


def test_no_import_cycle_even_through_function_level_imports():
    graph = nx.DiGraph()
    for m in MODULES:
        if layer(m) == "orchestration":
            continue
        graph.add_node(m)
        for target, _, runs in _imports(m):
            if runs and target != m and not _under(m, target):  # a package's own __init__ runs first anyway
                graph.add_edge(m, target)
    cycles = [" -> ".join(c) for c in nx.simple_cycles(graph)]
    assert cycles == []


def test_tests_import_the_package_by_its_installed_names():
    top_level = {"agents", "goals", "paraphrase", "models", "scenarios"}
    wrong = []
    for path in sorted(_TESTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            wrong += [f"{path.name}:{node.lineno}: {n}" for n in names if n.partition(".")[0] in top_level]
    assert wrong == []
