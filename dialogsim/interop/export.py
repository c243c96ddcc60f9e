"""``export_corpus``: a corpus written out in another tool's format, streaming.

Formats: ``rasa`` (``export_rasa``), ``conll`` (``export_conll``), ``sgd``
(``export_sgd``, needs the scenario) and ``hf`` (``export_hf``). Each reads the corpus one
checked record at a time (``iter_records``) and writes as it goes, so memory does not grow
with the corpus. Files are written into a staging folder next to the output and moved
into place only when the export finished: a failed export leaves no half-written file. An
existing output folder that is not empty is refused unless ``force``; then only the files
this export writes are replaced, and nothing else in the folder is touched.

A value the customer gave without a span (``UserTurn.unspanned``: a boolean, a ``span:
false`` type) reaches every format: Rasa as a ``slot_was_set`` step and a domain slot, SGD
as an INFORM of the value with no span, Hugging Face on its act (``inform
outdoor_seating=true``); CoNLL's BIO tags cannot hold it, so a ``# values = {JSON}`` comment does.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import attrs

from dialogsim.interop.errors import ExportError

__all__ = ["FORMATS", "ExportError", "Exported", "export_corpus", "tokens", "bio_tags", "unspanned"]

FORMATS = ("rasa", "conll", "sgd", "hf")
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


@attrs.frozen
class Exported:
    """What an export wrote: the files (relative to the output folder) and how many dialogues."""

    out: str
    files: tuple[str, ...]
    dialogues: int


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: words (with inner apostrophes) and single punctuation marks."""
    return [m.span() for m in _TOKEN.finditer(text)]


def unspanned(turn: dict) -> list[tuple[str, str]]:
    """(slot, value) of each value a user turn's record gives without a span, in act order:
    ``UserTurn.unspanned`` for a corpus line, as the exporters read it."""
    return [(a["slot"], a["value"]) for a in turn["acts"] if a["act"] == "inform" and a.get("slot") and "value" in a]


def bio_tags(spans: list[tuple[int, int]], text_spans: list[dict]) -> list[str]:
    """The BIO tag of each token: ``B-slot`` on the first token that overlaps a span,
    ``I-slot`` on the next ones, ``O`` elsewhere."""
    tags: list[str] = []
    for start, end in spans:
        tag = "O"
        for span in text_spans:
            if start < span["end"] and span["start"] < end:
                inside = start > span["start"] and tags and tags[-1] != "O" and tags[-1][2:] == span["slot"]
                tag = ("I-" if inside else "B-") + span["slot"]
                break
        tags.append(tag)
    return tags


class _Staging:
    """A private folder next to ``out``; ``commit`` moves its files into ``out``."""

    def __init__(self, out: Path, force: bool) -> None:
        self.out = out.absolute()
        if self.out.exists() and not self.out.is_dir():
            raise ExportError(f"{out}: exists and is not a directory; refusing to overwrite it")
        if self.out.is_dir() and any(self.out.iterdir()) and not force:
            raise ExportError(f"{out}: the directory is not empty; refusing to overwrite it (use --force)")
        self.dir = self.out.parent / f".{self.out.name}.export-tmp-{os.getpid()}"

    def __enter__(self) -> "_Staging":
        self.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir()
        return self

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.dir)) for p in self.dir.rglob("*") if p.is_file())

    def commit(self) -> tuple[str, ...]:
        written = self.files()
        for name in written:
            target = self.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / name, target)
        return tuple(written)

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _records(corpus: str | os.PathLike) -> Iterator[dict]:
    from dialogsim.corpus import iter_records

    return iter_records(corpus)


def export_corpus(corpus: str | os.PathLike, fmt: str, out: str | os.PathLike, *, scenario=None,
                  force: bool = False, license: str = "unknown") -> Exported:
    """Write the corpus at ``corpus`` in format ``fmt`` (one of ``FORMATS``) into the folder
    ``out``. ``scenario`` (a ``Scenario``) is needed by ``sgd`` (the schema's slots and
    intents); ``license`` goes into the Hugging Face dataset card."""
    from dialogsim.corpus import MANIFEST, read_manifest
    from dialogsim.storage import location

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    if fmt == "sgd" and scenario is None:
        raise ExportError("the sgd export needs the corpus's scenario (--scenario) for the schema")
    source = location(corpus)  # a local path or an fsspec URL, as the reader takes it
    manifest = read_manifest(corpus) if source.name == MANIFEST or (source / MANIFEST).is_file() else None
    with _Staging(Path(out), force) as staging:
        records = _records(corpus)
        if fmt == "rasa":
            from dialogsim.interop.export_rasa import write_rasa

            count = write_rasa(records, staging.dir)
        elif fmt == "conll":
            from dialogsim.interop.export_conll import write_conll

            count = write_conll(records, staging.dir)
        elif fmt == "sgd":
            from dialogsim.interop.export_sgd import write_sgd

            count = write_sgd(records, scenario, staging.dir)
        else:
            from dialogsim.interop.export_hf import write_hf

            count = write_hf(records, manifest, staging.dir, license=license)
        files = staging.commit()
    return Exported(out=str(out), files=files, dialogues=count)
