"""The errors of the models stage, and the one check that the ``models`` extra is installed.

``ModelError`` covers a model directory that cannot be used (incomplete, another format
version, trained for another scenario), an encoder that cannot be found and a device that
is not there; the CLI prints it as one ``error:`` line with exit status 2.
"""

from __future__ import annotations

from dialogsim.errors import DialogsimError

__all__ = ["ModelError", "INSTALL_HINT", "require_torch"]

INSTALL_HINT = "pip install torch==2.13.0 && pip install 'dialogsim[models]'"


class ModelError(DialogsimError, ValueError):
    """A model directory, encoder or device that cannot be used, said in one line."""


def require_torch() -> None:
    """Raise ``ModelError`` with the install command when the ``models`` extra is missing,
    so that a user without torch gets one actionable line instead of an ImportError."""
    try:
        import safetensors  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ModelError(f"the models need the 'models' extra ({exc.name} is not installed): {INSTALL_HINT}") from None
