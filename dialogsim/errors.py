"""The one root of dialogsim's errors, and the errors that point at a place in a file.

``ScenarioError`` and ``CorpusError`` carry ``(path, line, field, message)`` so that the
CLI can print one line a person can act on -- ``flights.yaml:12: apis.BookFlight.args.seats:
unknown type 'Seat'`` -- and exit with status 2, instead of a traceback.
"""

from __future__ import annotations

__all__ = ["DialogsimError", "LocatedError", "ScenarioError", "CorpusError", "GenerationError", "locate"]


def locate(path: str, line: int | None, field: str, message: str) -> str:
    """``path:line: field: message``, leaving out a line or field that is not known: the
    one-line form of every located error and warning."""
    where = path if line is None else f"{path}:{line}"
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


class DialogsimError(Exception):
    """Root of every error dialogsim raises on purpose (bad input, not bugs)."""


class LocatedError(DialogsimError, ValueError):
    """An error in an input file: where it is and which field is wrong."""

    def __init__(self, path: object, line: int | None, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return locate(self.path, self.line, self.field, self.message)

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (self.path, self.line, self.field, self.message))


class ScenarioError(LocatedError):
    """A scenario file that cannot be loaded: malformed YAML, unknown type, missing source..."""


class CorpusError(LocatedError):
    """A corpus directory or line that does not match the corpus format."""


class GenerationError(DialogsimError, RuntimeError):
    """A run that could not finish for a reason outside its input: a worker process died
    (killed, out of memory). The previous corpus is left as it was."""
