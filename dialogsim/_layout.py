"""The package layout: stages in top-level folders, installed as ``dialogsim.<stage>``.

``agents/``, ``goals/``, ``paraphrase/``, ``models/`` and ``scenarios/`` install as
``dialogsim.agents`` ... (setuptools ``package-dir``). Two ways to get that wrong, handled
here:

- Python started in the repository root can import ``agents`` as a top-level package,
  and then ``agents.system`` and ``dialogsim.agents.system`` are two modules with two
  ``SystemAgent`` classes. ``require_name`` makes a stage refuse any name but its own.
- With a regular (non-editable) install, Python started in the repository root finds the
  checkout's ``dialogsim/`` folder before the installed package, and that folder has no
  ``goals/`` inside: ``import dialogsim.goals`` failed. ``CheckoutStages`` finds the
  stages beside the folder instead, so the checkout's code loads, whole and consistent.
- A script started beside a clone named ``dialogsim`` (its folder comes first on
  ``sys.path``) imports that folder -- no ``__init__.py`` at its top -- as a namespace
  package ``dialogsim``. With the editable install the submodules still load, but the
  package's own ``__init__`` never runs: no ``__version__``, no public names, and errors
  far from the cause (``module 'dialogsim' has no attribute '__version__'``). Nothing can
  stop Python from choosing that folder, so ``require_package``, run when this module
  loads (every stage package and the CLI load it), says what happened and what to do.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path

__all__ = ["STAGE_FOLDERS", "require_name", "require_package", "CheckoutStages"]

STAGE_FOLDERS = {"dialogsim.agents": "agents", "dialogsim.goals": "goals", "dialogsim.paraphrase": "paraphrase",
                 "dialogsim.models": "models", "dialogsim.scenarios": "scenarios"}


def require_name(name: str, expected: str) -> None:
    """Raise ``ImportError`` unless a stage package is being imported as ``expected``."""
    if name != expected:
        raise ImportError(f"import {expected}, not {name}: the folder {name}/ installs as {expected}, and "
                          f"under a second name its classes would exist twice (e.g. two SystemAgent classes)")


def require_package() -> None:
    """Raise ``ImportError`` when ``dialogsim`` was imported as a namespace package: a
    folder named ``dialogsim`` without ``__init__.py`` (a clone) stood first on ``sys.path``."""
    package = sys.modules.get("dialogsim")
    if package is None or getattr(package, "__file__", None) is not None:
        return
    folders = ", ".join(getattr(package, "__path__", ()))
    raise ImportError(f"'dialogsim' was imported from {folders}, a folder without __init__.py, so Python took it "
                      "for a namespace package and the installed dialogsim never loaded: a clone named dialogsim "
                      "beside the script (or in the current folder, for python -c) shadows it. Move the script away "
                      "from the clone, rename the clone, or run python -P (Python 3.11+), which leaves the script's "
                      "folder off sys.path")


class CheckoutStages(importlib.abc.MetaPathFinder):
    """Finds ``dialogsim.<stage>`` in the stage folders beside a checkout's ``dialogsim/``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, fullname, path, target=None) -> importlib.machinery.ModuleSpec | None:
        folder = STAGE_FOLDERS.get(fullname)
        if folder is None:
            return None
        init = self.root / folder / "__init__.py"
        if not init.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, init, submodule_search_locations=[str(init.parent)])

    @classmethod
    def install(cls, package_dir: Path) -> None:
        """Add the finder (once, first) when ``package_dir`` is a checkout's ``dialogsim/``,
        so that its stages come from the same checkout whatever else is installed; an
        installed package needs none."""
        root = package_dir.parent
        if not (root / "pyproject.toml").is_file() or not (root / "agents").is_dir():
            return
        if not any(isinstance(f, cls) for f in sys.meta_path):
            sys.meta_path.insert(0, cls(root))


require_package()
