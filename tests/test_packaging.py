"""What an installed dialogsim looks like from outside: no torch in the core, a
non-editable install that carries every subpackage and the example scenarios, a CLI
module that starts without Faker."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = ("dialogsim.agents", "dialogsim.goals", "dialogsim.paraphrase", "dialogsim.models",
               "dialogsim.scenarios")


def run_python(code: str, cwd: Path, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object, returned here."""
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_core_never_imports_torch_or_transformers(tmp_path):
    found = run_python(
        "import json, sys\n"
        "import dialogsim\n"
        "bare = sorted(m for m in ('faker', 'numpy', 'yaml') if m in sys.modules)\n"
        "from dialogsim import scenarios\n"
        "s = dialogsim.load_scenario(scenarios.path('flights'))\n"
        "lines = [d.to_line() for d in dialogsim.simulate(s, 5, seed=1)]\n"
        "dialogsim.generate(s, 20, 'corpus', workers=2)\n"
        "stats = dialogsim.corpus_stats('corpus')\n"
        "read = sum(1 for _ in dialogsim.read_corpus('corpus'))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers'))\n"
        "print(json.dumps({'bare': bare, 'heavy': heavy, 'lines': len(lines), 'read': read}))\n",
        cwd=tmp_path)
    assert found == {"bare": [], "heavy": [], "lines": 5, "read": 20}


def test_cli_module_does_not_import_faker(tmp_path):
    found = run_python(
        "import json, sys\n"
        "import dialogsim.cli\n"
        "print(json.dumps(sorted(m for m in ('faker', 'numpy', 'networkx', 'torch') if m in sys.modules)))\n",
        cwd=tmp_path)
    assert found == []


def _source_copy(dest: Path) -> Path:
    """The project without build leftovers, so building it never writes into the checkout."""
    ignore = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                    ".pytest_cache", ".venv*", "corpus", "out", "tests")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def test_non_editable_install_carries_every_subpackage(tmp_path):
    target = tmp_path / "site"
    source = _source_copy(tmp_path / "src")
    # Offline with the setuptools at hand; where there is none (Python 3.12+ venvs), pip
    # fetches the build backend pyproject.toml names.
    offline = ["--no-build-isolation", "--no-index"] if importlib.util.find_spec("setuptools") else []
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *offline,
         "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"pip install failed:\n{done.stderr[-3000:]}")
    assert (target / "dialogsim" / "scenarios" / "flights.yaml").is_file()
    assert not (target / "agents").exists() and not (target / "models").exists()  # no generic top-level names
    env = {**os.environ, "PYTHONPATH": str(target)}
    found = run_python(
        "import importlib, json\n"
        f"names = {SUBPACKAGES!r}\n"
        "files = {n: importlib.import_module(n).__file__ for n in ('dialogsim',) + names}\n"
        "from dialogsim import scenarios\n"
        "import dialogsim\n"
        "s = dialogsim.load_scenario(scenarios.path('flights'))\n"
        "print(json.dumps({'files': files, 'names': scenarios.names(), 'scenario': s.name}))\n",
        cwd=tmp_path, env=env)
    for name, file in found["files"].items():
        # the editable install of the checkout must not be what answered
        assert Path(file).resolve().is_relative_to(target.resolve()), (name, file)
    assert "flights" in found["names"] and found["scenario"] == "flights"
    # Started in a checkout, Python finds its dialogsim/ folder before the installed copy:
    # the stages then come from the checkout too (dialogsim._layout), all of one copy.
    found = run_python(
        "import importlib, json\n"
        f"print(json.dumps({{n: importlib.import_module(n).__file__ for n in ('dialogsim',) + {SUBPACKAGES!r}}}))\n",
        cwd=source, env=env)
    for name, file in found.items():
        assert Path(file).resolve().is_relative_to(source.resolve()), (name, file)


def test_public_api_resolves():
    import dialogsim
    import dialogsim.generation  # noqa: F401 - the function must not be shadowed by a submodule

    for name in dialogsim.__all__:
        assert getattr(dialogsim, name) is not None, name
    assert callable(dialogsim.generate) and callable(dialogsim.simulate)
    assert set(dialogsim.__all__) <= set(dir(dialogsim))
    with pytest.raises(AttributeError):
        dialogsim.no_such_name


def test_a_clone_named_dialogsim_beside_a_script_is_one_clear_error(tmp_path):
    # The clone's folder has no __init__.py at its top: Python takes it for a namespace
    # package, and the editable install still loads the submodules -- which failed far from
    # the cause ("module 'dialogsim' has no attribute '__version__'").
    installed = run_python("import dialogsim, json; print(json.dumps(dialogsim.__file__))", cwd=tmp_path)
    if not Path(installed).resolve().is_relative_to(ROOT):
        pytest.skip("dialogsim is not installed from this checkout in editable mode")
    (tmp_path / "dialogsim").symlink_to(ROOT, target_is_directory=True)
    script = tmp_path / "script.py"
    script.write_text("import dialogsim.cli\nprint('loaded')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"ImportError: 'dialogsim' was imported from {tmp_path / 'dialogsim'}, a folder without "
                           "__init__.py"), done.stderr
    assert "rename the clone, or run python -P" in last
    if sys.version_info >= (3, 11):  # the way out the message gives works
        done = subprocess.run([sys.executable, "-P", str(script)], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert (done.returncode, done.stdout) == (0, "loaded\n"), done.stderr
