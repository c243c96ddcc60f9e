"""Example scenarios shipped with dialogsim; ``dialogsim.scenarios.path(name)`` finds one."""

from __future__ import annotations

from pathlib import Path

from dialogsim._layout import require_name

require_name(__name__, "dialogsim.scenarios")

__all__ = ["path", "names"]

_HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    """The example scenarios, by name."""
    return sorted(p.stem for p in _HERE.glob("*.yaml"))


def path(name: str) -> Path:
    """The file of example scenario ``name`` (``flights``, ``movies``, ...)."""
    candidate = _HERE / f"{name}.yaml"
    if not candidate.is_file():
        raise FileNotFoundError(f"no example scenario {name!r}; there are: {', '.join(names())}")
    return candidate
