"""Writing a corpus to an fsspec URL (``s3://``, ``gs://``, ``memory://``, ...):
``UrlCorpusWriter``, and ``corpus_writer``, which picks it or the local ``CorpusWriter``.

Object stores have neither renames nor locks, so the local writer's guarantees narrow:
shards are staged under a run's own ``.dialogsim-tmp-<random>/`` prefix and only the commit
touches the corpus -- it deletes the old ``manifest.json`` first, copies the new shards in
and writes the new manifest last, so no reader takes a mix of two corpora for one. A run
that fails or is interrupted before the commit leaves the previous corpus as it was; one
killed during the copy leaves a folder without a manifest (which the next run replaces).
Two runs writing one URL at once are not kept apart, and a killed run's staging prefix
stays until removed by hand (no lock tells a dead run from a live one).
"""

from __future__ import annotations

import contextlib
import os
import uuid

from dialogsim.corpus import MANIFEST, STAGING_PREFIX, CorpusWriter, owned_files, shard_name
from dialogsim.errors import CorpusError
from dialogsim.storage import UrlPath, location

__all__ = ["UrlCorpusWriter", "corpus_writer"]


def corpus_writer(out_dir: str | os.PathLike, *, shards: int | None = None) -> CorpusWriter:
    """The writer for ``out_dir``: ``UrlCorpusWriter`` for a URL other than ``file://``,
    else the local, atomic ``CorpusWriter``."""
    target = location(out_dir)
    if isinstance(target, UrlPath):
        return UrlCorpusWriter(target, shards=shards)
    return CorpusWriter(target, shards=shards)


class UrlCorpusWriter(CorpusWriter):
    """``CorpusWriter`` for a folder on an fsspec file system (see the module docstring)."""

    target: UrlPath  # type: ignore[assignment]  # where the local writer has a Path
    tmp: UrlPath | None  # type: ignore[assignment]

    def __init__(self, target: UrlPath, *, shards: int | None = None) -> None:  # no check_target: it is local
        self.target = target
        self.shards = []
        self.tmp = None
        self._expected = shards
        self._created = []
        self._lock = None
        self._file = None
        self._shard = None
        self._committed = False

    def __enter__(self) -> "UrlCorpusWriter":
        where = str(self.target)
        if self.target.is_file():
            raise CorpusError(where, None, "", "exists and is not a directory; refusing to overwrite it")
        if self.target.exists() and owned_files(self.target) is None and any(
                not p.name.startswith(STAGING_PREFIX) for p in self.target.iterdir()):
            raise CorpusError(where, None, "", "refusing to overwrite: the directory is not empty and has no "
                                               "manifest.json, so it is not a dialogsim corpus")
        if self._expected is not None:
            self._check_clashes([shard_name(i) for i in range(self._expected)])
        self.tmp = self.target / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        self.tmp.mkdir()
        return self

    def commit(self, manifest: str) -> None:
        """Write ``manifest.json`` and put the new corpus in place of the previous one."""
        self._close_shard()
        assert self.tmp is not None, "commit needs an entered writer"
        (self.tmp / MANIFEST).write_bytes(manifest.encode("utf-8"))
        new = [shard.name for shard in self.shards]
        owned = self._check_clashes(new)
        if (self.target / MANIFEST).exists():
            (self.target / MANIFEST).unlink()
        for name in [*new, MANIFEST]:
            (self.tmp / name).rename(self.target / name)
        self._committed = True
        for name in sorted(owned - {MANIFEST} - set(new)):  # the previous corpus's extra shards
            with contextlib.suppress(FileNotFoundError):
                (self.target / name).unlink()

    def _clean_up(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.rmtree()
