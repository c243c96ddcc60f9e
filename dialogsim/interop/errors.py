"""``InteropError``: an import or export that cannot be done as asked -- an output that
would overwrite what the user did not hand over, a missing scenario, a file that cannot be
written. (A malformed SGD file is an ``SgdError``, which also says where in the file.)"""

from __future__ import annotations

from dialogsim.errors import DialogsimError

__all__ = ["InteropError", "ExportError"]


class InteropError(DialogsimError, ValueError):
    """One line for the user; the CLI prints it as ``error: ...`` and exits with status 2."""


class ExportError(InteropError):
    """An export that cannot be written (refused overwrite, missing scenario)."""
