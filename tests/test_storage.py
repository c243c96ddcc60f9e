"""Corpora at fsspec URLs: written with the same bytes as on a local disk, read back by
``read_corpus``, ``read_manifest`` and ``stats``, replaced only when they are corpora, and
left as they were by an interrupted run. ``memory://`` stands in for an object store."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main
from dialogsim.errors import CorpusError

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def url():
    """A fresh memory:// folder, removed afterwards (the memory file system is per process)."""
    fs = fsspec.filesystem("memory")
    folder = f"/test-{uuid.uuid4().hex}"
    yield f"memory://{folder}/corpus"
    if fs.exists(folder):
        fs.rm(folder, recursive=True)


def _objects(url: str) -> dict[str, bytes]:
    fs, path = fsspec.core.url_to_fs(url)
    return {name.rsplit("/", 1)[-1]: fs.cat_file(name) for name in sorted(fs.find(path))}


def test_a_url_corpus_has_the_local_bytes_and_reads_back(flights, tmp_path, url):
    manifest = dialogsim.generate(flights, 250, url, seed=2, shard_size=100)
    dialogsim.generate(flights, 250, tmp_path / "local", seed=2, shard_size=100)
    assert _objects(url) == {p.name: p.read_bytes() for p in (tmp_path / "local").iterdir()}
    assert list(dialogsim.read_corpus(url)) == list(dialogsim.simulate(flights, 250, seed=2))
    assert dialogsim.read_manifest(url) == manifest
    result = CliRunner().invoke(main, ["stats", url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(manifest.stats))


def test_a_url_corpus_replaces_only_its_own_files(flights, url):
    dialogsim.generate(flights, 250, url, seed=2, shard_size=100)
    fs, path = fsspec.core.url_to_fs(url)
    fs.pipe_file(f"{path}/README.md", b"mine")
    dialogsim.generate(flights, 150, url, seed=3, shard_size=100)
    assert sorted(_objects(url)) == ["README.md", "manifest.json", "part-00000.jsonl", "part-00001.jsonl"]
    assert _objects(url)["README.md"] == b"mine"
    assert list(dialogsim.read_corpus(url)) == list(dialogsim.simulate(flights, 150, seed=3))


def test_a_url_folder_that_is_not_a_corpus_is_refused(flights, url):
    fs, path = fsspec.core.url_to_fs(url)
    fs.pipe_file(f"{path}/notes.txt", b"mine")
    with pytest.raises(CorpusError, match="not a dialogsim corpus"):
        dialogsim.generate(flights, 10, url)
    assert _objects(url) == {"notes.txt": b"mine"}


def test_an_interrupted_run_leaves_the_previous_url_corpus(flights, url):
    dialogsim.generate(flights, 250, url, seed=2, shard_size=100)
    before = _objects(url)

    def interrupt(count: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        dialogsim.generate(flights, 250, url, seed=5, shard_size=100, progress=interrupt)
    assert _objects(url) == before  # and no staging prefix left behind


def test_a_file_url_is_a_local_path(flights, tmp_path):
    dialogsim.generate(flights, 20, f"file://{tmp_path}/corpus")
    assert (tmp_path / "corpus" / "manifest.json").is_file()
    assert len(list(dialogsim.read_corpus(f"file://{tmp_path}/corpus"))) == 20


@pytest.mark.parametrize("where, message", [("nope://bucket/corpus", "nope"),
                                            ("memory://nothing-here/corpus", "no such corpus directory")])
def test_an_unreadable_url_is_one_line(where, message):
    result = CliRunner().invoke(main, ["stats", where])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert where.split("://")[1] in lines[0]  # names the URL


def test_a_local_path_never_needs_fsspec(flights, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "fsspec", None)
    dialogsim.generate(flights, 20, tmp_path / "corpus")
    assert len(list(dialogsim.read_corpus(Path(tmp_path / "corpus")))) == 20
    with pytest.raises(CorpusError, match="pip install fsspec"):
        dialogsim.read_manifest("s3://bucket/corpus")


def test_the_cli_writes_to_a_url(url):
    result = CliRunner().invoke(main, ["generate", "flights", "-n", "30", "-o", url, "--shard-size", "20"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote 30 dialogues to {url} (2 shards)")
    assert sorted(_objects(url)) == ["manifest.json", "part-00000.jsonl", "part-00001.jsonl"]


def test_export_reads_a_url_corpus(flights, tmp_path, url):
    dialogsim.generate(flights, 30, url, seed=2)
    dialogsim.generate(flights, 30, tmp_path / "local", seed=2)
    for source, out in ((url, tmp_path / "from-url"), (str(tmp_path / "local"), tmp_path / "from-path")):
        result = CliRunner().invoke(main, ["export", source, "--format", "conll", "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "from-url").iterdir()} == \
           {p.name: p.read_bytes() for p in (tmp_path / "from-path").iterdir()}
