"""Hostile input and hostile conditions, one test per attack class of issue #13.

What generate may replace (only a corpus it recognises, only its own files), concurrent and
killed writers, signals to the parent and to its workers, and the worker cap. Subprocess
tests run the real command with real signals, bounded in time; they need Linux (``/proc``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim import generation
from dialogsim.cli import main
from dialogsim.corpus import MANIFEST, STAGING_PREFIX, CorpusWriter, read_corpus
from dialogsim.errors import CorpusError, GenerationError, ScenarioError

ROOT = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def tree(directory: Path) -> dict[str, bytes | None]:
    """Every entry under ``directory`` (relative path -> bytes, None for a folder)."""
    return {str(p.relative_to(directory)): None if p.is_dir() else p.read_bytes()
            for p in sorted(directory.rglob("*"))}


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- 1, 2: generate replaces only a corpus it recognises, and only its own files ---------

def test_a_stray_manifest_does_not_make_a_folder_a_corpus(flights, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.js").write_text("code")
    (tmp_path / MANIFEST).write_text('{"manifest_version": 3}')
    before = tree(tmp_path)
    with pytest.raises(CorpusError, match="not a dialogsim corpus manifest"):
        dialogsim.generate(flights, 3, tmp_path)
    assert tree(tmp_path) == before


def test_regenerating_keeps_every_file_that_is_not_the_corpus(flights, tmp_path):
    out = tmp_path / "keep"
    dialogsim.generate(flights, 30, out, shard_size=10)
    (out / "README.md").write_text("notes")
    (out / "my_scenario.yaml").write_bytes(Path(flights.path).read_bytes())
    (out / "nested").mkdir()
    dialogsim.generate(flights, 4, out / "nested", shard_size=10)
    (out / "stray.jsonl").write_text("mine\n")  # not listed in the manifest: not ours
    others = {k: v for k, v in tree(out).items() if not k.startswith(("part-", MANIFEST))}

    dialogsim.generate(flights, 5, out, shard_size=10, seed=3)

    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith(("part-", MANIFEST))} == others
    assert sorted(k for k in after if k.startswith("part-")) == ["part-00000.jsonl"]  # the old 3 shards went
    assert len(list(read_corpus(out))) == 5


def test_a_foreign_file_in_a_new_shards_place_is_refused(flights, tmp_path):
    out = tmp_path / "c"
    dialogsim.generate(flights, 5, out, shard_size=10)
    (out / "part-00001.jsonl").write_text("someone else's\n")
    before = tree(out)
    with pytest.raises(CorpusError, match="part-00001.jsonl: is in the way"):
        dialogsim.generate(flights, 15, out, shard_size=10)
    assert tree(out) == before


def test_target_root_is_refused_in_one_line():
    result = run_cli("generate", "weather", "-n", "1", "-o", "/")
    assert result.exit_code == 2 and result.stderr.startswith("error: /: ") and "Traceback" not in result.output


# -- 3: concurrent writers, stale staging folders -----------------------------------------

def test_a_second_writer_is_kept_out_while_one_runs(flights, tmp_path):
    out = tmp_path / "c"
    dialogsim.generate(flights, 3, out)
    before = tree(out)
    with CorpusWriter(out) as first:
        first.write(0, '{"x": 1}\n')  # same process, same PID: the lock still tells them apart
        with pytest.raises(CorpusError, match="another dialogsim run is writing this corpus"):
            dialogsim.generate(flights, 3, out, seed=9)
    assert tree(out) == before


def test_a_dead_runs_staging_folder_is_removed_by_the_next_run(flights, tmp_path):
    out = tmp_path / "c"
    dialogsim.generate(flights, 3, out)
    stale = out / f"{STAGING_PREFIX}deadbeef"
    stale.mkdir()
    (stale / "part-00000.jsonl").write_text("half\n")
    dialogsim.generate(flights, 3, out, seed=2)
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "part-00000.jsonl"]


# -- 22: a commit that cannot finish puts everything back ---------------------------------

def test_a_failed_swap_restores_the_previous_corpus_and_leaves_nothing(flights, tmp_path, monkeypatch):
    out = tmp_path / "c"
    dialogsim.generate(flights, 25, out, shard_size=10)
    (out / "README.md").write_text("notes")
    before = tree(out)
    real_rename, calls = os.rename, []

    def rename(src, dst):
        calls.append(src)
        if len(calls) == 3:  # the old corpus is half moved aside
            raise PermissionError(13, "Permission denied")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError):
        dialogsim.generate(flights, 5, out, shard_size=10, seed=4)
    assert tree(out) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_corpus_folder_is_an_error_and_left_as_it_was(flights, tmp_path):
    out = tmp_path / "c"
    dialogsim.generate(flights, 3, out)
    before = tree(out)
    out.chmod(0o555)
    try:
        result = run_cli("generate", "flights", "-n", "3", "-o", out, "--seed", "5")
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    assert tree(out) == before and [p.name for p in tmp_path.iterdir()] == ["c"]


def test_a_folder_it_cannot_write_in_is_one_error_and_left_as_it_was(flights, tmp_path, monkeypatch):
    """What a read-only corpus folder does to a run, for test runs as root (which may write
    anywhere): the staging folder cannot be made."""
    out = tmp_path / "c"
    dialogsim.generate(flights, 3, out)
    before = tree(out)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith(STAGING_PREFIX):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = run_cli("generate", "flights", "-n", "3", "-o", out, "--seed", "5")
    assert result.exit_code == 2 and result.stderr == f"error: {out}: cannot write the corpus: Permission denied\n"
    assert tree(out) == before and [p.name for p in tmp_path.iterdir()] == ["c"]


# -- 8, 14: workers ------------------------------------------------------------------------

class _Dying:
    """Wraps the real simulator; its worker process is killed at dialogue ``at``."""

    def __init__(self, simulator, at):
        self.simulator, self.at = simulator, at

    def dialogue(self, seed, index):
        if index == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
        return self.simulator.dialogue(seed, index)


@linux_only
def test_a_killed_worker_is_a_one_line_error_and_keeps_the_corpus(flights, tmp_path, monkeypatch):
    out = tmp_path / "c"
    dialogsim.generate(flights, 3, out)
    before = tree(out)
    real = generation._make_simulator
    monkeypatch.setattr(generation, "cpu_count", lambda: 2)
    monkeypatch.setattr(generation, "_make_simulator", lambda *args: _Dying(real(*args), at=30))
    with pytest.raises(GenerationError, match="a worker process died"):
        dialogsim.generate(flights, 60, out, workers=2, seed=1)
    assert tree(out) == before


def test_workers_are_capped_at_the_cpus_and_the_dialogues(flights, tmp_path, monkeypatch):
    monkeypatch.setattr(generation, "cpu_count", lambda: 2)
    assert generation.worker_count(1000, 200) == 2
    assert generation.worker_count(1000, 1) == 1
    assert generation.worker_count(1, 0) == 1
    result = run_cli("generate", "flights", "-n", "1", "--workers", "1000", "-o", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert "note: --workers 1000 capped at 1 (one per dialogue)" in result.stderr


# -- 9, 10: signals to a real run -----------------------------------------------------------

def _group(pgid: int) -> list[int]:
    """Live processes of process group ``pgid`` (zombies excluded)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def running(tmp_path):
    """Start ``dialogsim generate flights`` with 2 workers over a previous corpus, in its own
    process group; yields (process, corpus dir, files before) once its workers run."""
    if not Path("/proc/self/stat").exists() or generation.cpu_count() < 2:
        pytest.skip("needs /proc and 2 CPUs")
    out = tmp_path / "c"
    dialogsim.generate(dialogsim.load_scenario(dialogsim.scenarios.path("flights")), 3, out)
    before = tree(out)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "dialogsim.cli", "generate", "flights", "-n", "200000", "--workers", "2",
         "-o", str(out), "--seed", "3", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        assert _wait(lambda: len(_group(process.pid)) >= 3, 60), "the workers never started"
        time.sleep(0.3)  # into the middle of a chunk
        yield process, out, before
    finally:
        for pid in _group(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.wait(10)


@pytest.mark.parametrize("signals", [[signal.SIGINT], [signal.SIGINT, signal.SIGINT, signal.SIGINT],
                                     [signal.SIGTERM]], ids=["ctrl-c", "ctrl-c-thrice", "sigterm"])
def test_signals_stop_every_worker_and_keep_the_corpus(running, signals):
    process, out, before = running
    for signum in signals:
        os.killpg(process.pid, signum) if signum == signal.SIGINT else process.send_signal(signum)
        time.sleep(0.05)
    _, stderr = process.communicate(timeout=20)
    assert _wait(lambda: not _group(process.pid), 5), "workers outlived the run"
    # "Aborted!" (1), "stopped by SIGTERM" (2), or a Ctrl-C that came after the clean-up (-2)
    assert process.returncode in (1, 2, -signal.SIGINT) and "Traceback" not in stderr, stderr
    if signals == [signal.SIGTERM]:
        assert process.returncode == 2 and stderr.strip().endswith("is left as it was"), stderr
    assert tree(out) == before


def test_workers_end_when_their_parent_is_killed(running, flights):
    process, out, before = running
    process.kill()
    process.wait(10)
    assert _wait(lambda: not _group(process.pid), 5), "orphaned workers kept running"
    assert {k: v for k, v in tree(out).items() if not k.startswith(STAGING_PREFIX)} == before
    dialogsim.generate(flights, 3, out, seed=8)  # the next run removes the dead run's staging folder
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "part-00000.jsonl"]
    assert json.loads((out / MANIFEST).read_text())["seed"] == 8


# -- 4, 5: scenarios that validate must generate -----------------------------------------

_CYCLES = {
    "entity types": """
        types:
          City: {values: [Boston, Seattle]}
          X: {fields: {city: City}}
          Y: {fields: {city: City}}
        apis:
          A: {args: {city: City, y: Y}, returns: {name: x, type: X}}
          B: {args: {city: City, x: X}, returns: {name: y, type: Y}}
        """,
    "from": """
        types:
          City: {values: [Boston, Seattle]}
        apis:
          A: {args: {c: {type: City, from: B}}, returns: {name: a, type: City}}
          B: {args: {d: {type: City, from: A}}, returns: {name: b, type: City}}
          C: {args: {city: City}}
        """,
    "three APIs": """
        types:
          City: {values: [Boston, Seattle]}
          X: {fields: {city: City}}
          Y: {fields: {city: City}}
          Z: {fields: {city: City}}
        apis:
          A: {args: {z: Z}, returns: {name: x, type: X}}
          B: {args: {x: X}, returns: {name: y, type: Y}}
          C: {args: {y: Y}, returns: {name: z, type: Z}}
          D: {args: {city: City}}
        """,
}
_SAMPLE = """
        samples:
          - name: one
            turns:
              - user: something in [Boston](city)
                acts: [invoke {api}]
              - system: [{api}]
        """


@pytest.mark.parametrize("kind", list(_CYCLES))
def test_an_api_that_can_never_be_called_is_a_validation_error(load_text, kind):
    api = "A" if kind == "entity types" else ("C" if kind == "from" else "D")
    text = textwrap.dedent(_CYCLES[kind]) + textwrap.dedent(_SAMPLE).replace("{api}", api)
    text = "name: cyc\n" + text
    with pytest.raises(ScenarioError, match=r"scenario.yaml:\d+: apis\.A\.args\.\w+: A can never be called: "
                                            r"a dependency cycle \(A -> "):
        load_text(text)


@pytest.mark.parametrize("simulation, field", [
    ("{path_weights: {GetWeather: .nan}}", "simulation.path_weights"),
    ("{path_weights: {GetWeather: -1}}", "simulation.path_weights"),
    ("{sample_path_weight: .inf}", "simulation.sample_path_weight"),
    ("{sample_path_weight: 0, graph_path_weight: 0}", "simulation"),
    ("{path_weights: {GetWeather: 0}}", "simulation"),
])
def test_path_weights_that_make_no_distribution_are_refused_at_load(load_text, simulation, field):
    text = """
        name: pw
        types:
          City: {values: [Boston, Seattle]}
        apis:
          GetWeather: {args: {city: City}}
        samples:
          - name: one
            turns:
              - user: weather in [Boston](city)
                acts: [invoke GetWeather]
              - system: [GetWeather]
        simulation: SIM
        """.replace("SIM", simulation)
    with pytest.raises(ScenarioError, match=rf"scenario.yaml:\d+: {field}: .*(finite non-negative|weight 0)"):
        load_text(text)


# -- 6, 12, 15, 21: reading a corpus --------------------------------------------------------

@pytest.fixture(scope="module")
def lines(tmp_path_factory) -> list[str]:
    """The lines of a small generated flights corpus (with list results to pick from)."""
    out = tmp_path_factory.mktemp("lines") / "c"
    dialogsim.generate(dialogsim.load_scenario(dialogsim.scenarios.path("flights")), 40, out, seed=2)
    return (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def shard(tmp_path: Path, *texts: str) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text("".join(texts), encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ("[" * 200_000 + "\n", "nested too deeply"),
    ('{"format": 1, "id": ' + "7" * 5000 + "}\n", "a number with more digits"),
])
def test_hostile_json_is_one_located_error(tmp_path, text, message):
    with pytest.raises(CorpusError, match=rf"one.jsonl:1: invalid JSON: {message}"):
        list(read_corpus(shard(tmp_path, text)))
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / MANIFEST).write_text(text)
    with pytest.raises(CorpusError, match=rf"manifest.json: invalid JSON: {message}"):
        dialogsim.read_manifest(corpus)


def test_a_line_past_the_cap_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr("dialogsim.corpus.MAX_LINE_BYTES", 1 << 20)
    with pytest.raises(CorpusError, match="one.jsonl:1: longer than 1 MiB"):
        list(read_corpus(shard(tmp_path, "x" * (3 << 20))))


def test_a_manifest_with_many_shards_reads(tmp_path):
    n = 20_000  # reading it was quadratic in the shard count
    raw = {"format": 1, "dialogsim_version": "0", "scenario": {"name": "s", "source_hash": "h"}, "seed": 0,
           "n": n, "shard_size": 1, "simulation": {}, "variation": {}, "stats": {},
           "shards": [{"name": f"part-{i:05d}.jsonl", "lines": 1, "sha256": ""} for i in range(n)]}
    (tmp_path / MANIFEST).write_text(json.dumps(raw))
    assert len(dialogsim.read_manifest(tmp_path).shards) == n


@linux_only
def test_a_fifo_shard_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "part-00000.jsonl")
    for target in (tmp_path, tmp_path / "part-00000.jsonl"):  # in a corpus folder, or named alone
        result = subprocess.run([sys.executable, "-m", "dialogsim.cli", "stats", str(target)], capture_output=True,
                                text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert result.returncode == 2 and "is not a regular file" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("error: "), result.stderr


def _edit(line: str, change) -> str:
    record = json.loads(line)
    change(record)
    return json.dumps(record) + "\n"


def _first_span(record) -> dict:
    return next(t["spans"][0] for t in record["turns"] if t.get("spans"))


def _shrink_span(record) -> None:
    span = _first_span(record)
    span["end"] = span["start"] + 1  # "S" of "Seattle"


def _bad_item(record) -> None:
    for turn in record["turns"]:
        for action in turn.get("actions", ()):
            for arg in action.get("args", {}).values():
                if isinstance(arg.get("ref"), list) and len(arg["ref"]) == 4:
                    arg["ref"][3] = 99
                    return
    raise AssertionError("no item reference in this dialogue")


def test_every_record_is_checked(tmp_path, lines):
    with_item = next(line for line in lines if re.search(r'"ref": ?\["api", ?\d+, ?\d+, ?\d+\]', line))
    cases = [
        (_edit(lines[0], _shrink_span), r"turns\[\d+\]\.spans\[0\]: .* part of a word"),
        (_edit(lines[0], lambda r: r.update(turns=[])), "turns: a dialogue needs at least one turn"),
        (_edit(with_item, _bad_item), r"turns\[\d+\]\.actions\[\d+\]\.args\.\w+\.ref: points at item 99 of .* which holds a list of \d+"),
    ]
    for text, message in cases:
        with pytest.raises(CorpusError, match=rf"one.jsonl:1: {message}"):
            list(read_corpus(shard(tmp_path, text)))
    with pytest.raises(CorpusError, match=r"one.jsonl:3: id: the same id as the dialogue at .*one.jsonl:1"):
        list(read_corpus(shard(tmp_path, lines[0], lines[1], lines[0])))


def test_a_corpus_without_its_manifest_says_so(flights, tmp_path):
    out = tmp_path / "c"
    dialogsim.generate(flights, 30, out, shard_size=10)
    shard_file = out / "part-00001.jsonl"
    shard_file.write_bytes(b"".join(shard_file.read_bytes().splitlines(keepends=True)[:-1]))  # a line lost
    with pytest.raises(CorpusError, match="part-00001.jsonl: has 9 lines but manifest.json lists 10"):
        list(read_corpus(shard_file))  # a shard read alone is still checked against its manifest
    (out / MANIFEST).unlink()
    with pytest.warns(dialogsim.corpus.CorpusWarning, match="no manifest.json"):
        assert len(list(read_corpus(out))) == 29
    result = run_cli("stats", out)
    assert result.exit_code == 0 and result.stderr.startswith("warning: ") and "no manifest.json" in result.stderr


def test_line_separators_are_escaped_on_write(tmp_path, lines):
    record = json.loads(lines[0])
    record["turns"][0]["text"] += " \u2028\u2029\u0085"
    with CorpusWriter(tmp_path / "c") as writer:
        writer.write(0, json.dumps(record, ensure_ascii=False) + "\n")
        writer.commit("{}")
    data = (tmp_path / "c" / "part-00000.jsonl").read_text(encoding="utf-8")
    assert len(data.splitlines()) == 1 and json.loads(data) == record


# -- 11, 13, 19: what a YAML file may make the loader do ------------------------------------

def _weather_with(extra: str) -> str:
    text = Path(dialogsim.scenarios.path("weather")).read_text(encoding="utf-8")
    return text + "\n" + textwrap.dedent(extra)


def test_merge_keys_that_expand_exponentially_are_refused(load_text):
    levels = "x-t0: &t0 {k: v}\n" + "".join(
        f"x-t{i}: &t{i} {{<<: [{', '.join([f'*t{i - 1}'] * 10)}]}}\n" for i in range(1, 9))
    with pytest.raises(ScenarioError, match="aliases and merge keys expand to .* nodes more than the file writes"):
        load_text(_weather_with(levels))


def test_aliases_inside_faker_args_are_refused_when_they_explode(load_text):
    text = "types:\n  Code:\n    faker: random_element\n    faker_args:\n      elements: &e0 [a, b, c, d, e, f, g]\n"
    text += "".join(f"      x{i}: &e{i} [{', '.join([f'*e{i - 1}'] * 10)}]\n" for i in range(1, 8))
    with pytest.raises(ScenarioError, match="aliases and merge keys expand"):
        load_text("name: codes\n" + text + "apis: {}\nsamples: []\n")


@pytest.mark.parametrize("tagged", ["!!python/object/apply:os.system [echo hi]", "!secret weather", "!!binary aGk="])
def test_tags_are_refused_not_silently_read(load_text, tagged):
    text = Path(dialogsim.scenarios.path("weather")).read_text(encoding="utf-8")
    text = text.replace("name: weather", f"name: {tagged}", 1)
    with pytest.raises(ScenarioError, match=r"scenario.yaml:\d+: unsupported YAML tag '!"):
        load_text(text)


# -- 16, 17: accepted by validate, failing or wrong in generate -----------------------------

@pytest.mark.parametrize("old, new, message", [
    ("values: [Seattle,", 'values: [" Seattle ",', r"types\.City\.values\[0\]: a value must not start or end"),
    ("New York: [NYC,", 'New York: ["NYC ",', r"types\.City\.synonyms\.New York\[0\]: a synonym must not start"),
    ("New York: [NYC,", '" New York": [NYC,', r"types\.City\.synonyms\. New York: a value must not start"),
])
def test_padded_values_and_synonyms_are_refused(load_text, old, new, message):
    text = Path(dialogsim.scenarios.path("weather")).read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ScenarioError, match=rf"scenario.yaml:\d+: {message}"):
        load_text(text.replace(old, new, 1))


def test_an_inform_phrasing_without_a_slot_is_refused_at_validate(load_text):
    text = Path(dialogsim.scenarios.path("weather")).read_text(encoding="utf-8")
    text = text.replace("\n  inform:\n", '\n  inform:\n    - that one please\n', 1)
    with pytest.raises(ScenarioError, match=r"utterances\.inform\[0\]: 'that one please': an inform phrasing needs"):
        load_text(text)


# -- 13, 17, 18, 20: Faker providers ---------------------------------------------------------

_FAKER_SCENARIO = """
    name: fk
    types:
      City: {values: [Boston, Seattle]}
      Code: {faker: FAKER, faker_args: ARGS}
    apis:
      GetWeather:
        args: {city: City, code: {type: Code, optional: true, default: x}}
    samples:
      - name: one
        turns:
          - user: weather in [Boston](city)
            acts: [invoke GetWeather]
          - system: [GetWeather]
    """


def _faker_scenario(provider: str, args: str) -> str:
    return _FAKER_SCENARIO.replace("FAKER", provider).replace("ARGS", args)


@pytest.mark.parametrize("provider, args, message", [
    ("pystr", "{min_chars: 20000000, max_chars: 20000001}", "min_chars: at most 1000"),
    ("pylist", "{nb_elements: 10000000}", "nb_elements: at most 1000"),
    ("binary", "{length: 10}", "returned bytes b'"),
    ("pydict", "{nb_elements: 2}", "returned dict {"),
    ("random_element", "{elements: [null]}", "returned NoneType None"),
    ("random_element", "{elements: ['']}", "gave only empty values"),
    ("address", "{}", "returned text with a line break"),
    ("pystr", "{min_chars: 500, max_chars: 600}", "a value has at most 200"),
])
def test_faker_arguments_and_values_are_checked_at_validate(load_text, provider, args, message):
    with pytest.raises(ScenarioError, match=rf"scenario.yaml:5: types\.Code\.faker_args: .*{re.escape(message)}"):
        load_text(_faker_scenario(provider, args))


def test_a_faker_value_that_goes_bad_in_generate_is_one_located_error(load_text, tmp_path, monkeypatch):
    scenario = load_text(_faker_scenario("bothify", "{text: '??##'}"))
    real = dialogsim.fakers.call
    monkeypatch.setattr(dialogsim.fakers, "call", lambda func, name, args: real(lambda **kw: b"PK\x03", name, args))
    with pytest.raises(ScenarioError, match=r"scenario.yaml:5: types\.Code\.faker_args: .* returned bytes"):
        dialogsim.generate(scenario, 3, tmp_path / "c")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("provider, args, warned", [
    ("date_this_year", "{}", True),
    ("iso8601", "{}", True),
    ("date_between", "{start_date: -30d}", True),
    ("date_between_dates", "{date_start: 2024-01-01, date_end: 2024-12-31}", False),
    ("bothify", "{text: '??##'}", False),
])
def test_time_dependent_faker_providers_are_warned_about(load_text, provider, args, warned):
    from dialogsim.coverage import coverage_warnings

    found = [w for w in coverage_warnings(load_text(_faker_scenario(provider, args))) if w.field == "types.Code.faker"]
    assert bool(found) is warned
    if warned:
        assert "draws relative to today" in found[0].message and provider in found[0].message


_KILLED_IN_COMMIT = """
import os, sys
import dialogsim

real, calls = os.rename, []

def rename(src, dst):
    calls.append(src)
    if len(calls) == int(sys.argv[2]):
        os._exit(9)  # as SIGKILL would: no clean-up runs
    real(src, dst)

os.rename = rename
scenario = dialogsim.load_scenario(dialogsim.scenarios.path("flights"))
dialogsim.generate(scenario, 15, sys.argv[1], shard_size=10, seed=4)
"""


@pytest.mark.parametrize("renames", [2, 5, 7], ids=["moving-old-out", "moving-new-in", "before-the-manifest"])
def test_a_run_killed_in_the_middle_of_its_swap_is_rolled_back_by_the_next(flights, tmp_path, renames):
    """The swap renames the old manifest and 3 shards aside, then 2 new shards and the new
    manifest in; the run dies before rename number ``renames``."""
    out = tmp_path / "c"
    dialogsim.generate(flights, 25, out, shard_size=10)
    (out / "README.md").write_text("notes")
    before = tree(out)
    result = subprocess.run([sys.executable, "-c", _KILLED_IN_COMMIT, str(out), str(renames)], timeout=120,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 9 and not (out / MANIFEST).exists()  # died with half of each corpus in place
    with pytest.raises(CorpusError, match="a dialogsim run was killed while it replaced this corpus"):
        list(read_corpus(out))
    with CorpusWriter(out):  # a later run, which then fails before its commit
        pass
    assert tree(out) == before
    assert len(list(read_corpus(out))) == 25
