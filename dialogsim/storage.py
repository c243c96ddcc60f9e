"""Where a corpus lives: a local path, or an fsspec URL (``s3://``, ``gs://``,
``memory://``, ...) where fsspec and the URL's backend are installed.

``location(x)`` gives a ``pathlib.Path`` for a local path or a ``file://`` URL, and a
``UrlPath`` for any other URL: the few ``Path`` operations the corpus reader and writer use,
done through fsspec. So one reader serves both, and fsspec is imported only when a URL is
given -- the core install does not need it (the ``ray`` extra brings it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from dialogsim.errors import CorpusError

__all__ = ["location", "is_url", "UrlPath"]


def is_url(where: str | os.PathLike) -> bool:
    """True for ``scheme://...`` strings; a ``Path`` is never a URL."""
    return isinstance(where, str) and "://" in where


def location(where: str | os.PathLike | "UrlPath") -> Path | "UrlPath":
    """``where`` as a ``Path`` (local paths and ``file://`` URLs) or a ``UrlPath``."""
    if isinstance(where, UrlPath):
        return where
    if not isinstance(where, str) or not is_url(where):
        return Path(where)
    if where.startswith("file://"):
        return Path(where[len("file://"):])
    try:
        import fsspec
    except ImportError:
        raise CorpusError(where, None, "", "a URL needs fsspec: pip install fsspec "
                                           "(and the backend of the URL, e.g. s3fs or gcsfs)") from None
    try:
        fs, path = fsspec.core.url_to_fs(where)
    except ImportError as exc:  # fsspec names the package that provides the protocol
        raise CorpusError(where, None, "", f"no fsspec backend for this URL: {exc}") from None
    except ValueError as exc:  # an unknown protocol
        raise CorpusError(where, None, "", str(exc)) from None
    return UrlPath(fs, path.rstrip("/"))


class UrlPath:
    """A file or folder on an fsspec file system, with the ``Path`` methods the corpus code
    uses. Object stores have no real folders: a folder exists once something is under it."""

    def __init__(self, fs: Any, path: str) -> None:
        self.fs = fs
        self.path = path

    def __truediv__(self, name: str) -> "UrlPath":
        return UrlPath(self.fs, f"{self.path}/{name}")

    def __str__(self) -> str:
        return self.fs.unstrip_protocol(self.path)

    def __repr__(self) -> str:
        return f"UrlPath({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UrlPath) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: "UrlPath") -> bool:
        return self.path < other.path

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> "UrlPath":
        return UrlPath(self.fs, self.path.rsplit("/", 1)[0])

    def exists(self) -> bool:
        return self.fs.exists(self.path)

    def is_file(self) -> bool:
        return self.fs.isfile(self.path)

    def is_dir(self) -> bool:
        return self.fs.isdir(self.path)

    def is_symlink(self) -> bool:
        return False

    def iterdir(self) -> list["UrlPath"]:
        return sorted(UrlPath(self.fs, p.rstrip("/")) for p in self.fs.ls(self.path, detail=False))

    def glob(self, pattern: str) -> list["UrlPath"]:
        return sorted(UrlPath(self.fs, p) for p in self.fs.glob(f"{self.path}/{pattern}"))

    def open(self, mode: str = "rb") -> IO:
        return self.fs.open(self.path, mode)

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.fs.cat_file(self.path).decode(encoding)

    def write_bytes(self, data: bytes) -> None:
        self.fs.pipe_file(self.path, data)

    def mkdir(self, parents: bool = False, exist_ok: bool = False) -> None:
        self.fs.makedirs(self.path, exist_ok=True)

    def rename(self, target: "UrlPath") -> None:
        self.fs.mv(self.path, target.path)

    def unlink(self) -> None:
        self.fs.rm_file(self.path)

    def rmtree(self) -> None:
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)
