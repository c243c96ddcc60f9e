"""The Ray engine: same bytes as the local engine, retries that rewrite a lost shard, a
previous corpus that survives an interrupted run, a clear error without Ray, and the
streaming ``dialogues`` dataset. Runs on a local 2-CPU Ray instance (skipped without Ray)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main

SHARD = 150  # small shards: several tasks per run, with runs of a few hundred dialogues


def _files(corpus: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}


@pytest.fixture(scope="module")
def local_corpus(flights, tmp_path_factory) -> Path:
    """The local engine's corpus of 500 flights dialogues, seed 3: the bytes to match."""
    out = tmp_path_factory.mktemp("local") / "corpus"
    dialogsim.generate(flights, 500, out, seed=3, shard_size=SHARD)
    return out


def test_without_ray_the_engine_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    result = CliRunner().invoke(main, ["generate", "flights", "-n", "5", "-o", str(tmp_path / "c"),
                                       "--engine", "ray"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "pip install 'dialogsim[ray]'" in lines[0]
    assert not (tmp_path / "c").exists()


def test_an_address_needs_the_ray_engine(flights, tmp_path):
    with pytest.raises(ValueError, match="engine='ray'"):
        dialogsim.generate(flights, 5, tmp_path / "c", address="127.0.0.1:6379")
    result = CliRunner().invoke(main, ["generate", "flights", "-n", "5", "-o", str(tmp_path / "c"),
                                       "--address", "127.0.0.1:6379"])
    assert result.exit_code == 2 and "--engine ray" in result.stderr
    assert not (tmp_path / "c").exists()


# -- with Ray ------------------------------------------------------------------------------


def test_cli_starts_a_quiet_local_instance_and_stops_it(local_corpus, tmp_path):
    """Runs before the shared session below exists, so the engine starts (and stops) its own."""
    ray = pytest.importorskip("ray")
    assert not ray.is_initialized()
    out = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["generate", "flights", "-n", "500", "-o", str(out), "--seed", "3",
                                       "--shard-size", str(SHARD), "--engine", "ray", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote 500 dialogues to ")
    assert result.stderr == ""
    assert not ray.is_initialized()
    assert _files(out) == _files(local_corpus)


@pytest.fixture(scope="module")
def ray_session(tmp_path_factory):
    """One local 2-CPU instance for the tests below; its workers see the test-hook folder."""
    ray = pytest.importorskip("ray")
    hooks = tmp_path_factory.mktemp("hooks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIALOGSIM_RAY_TEST_HOOKS", str(hooks))  # workers inherit the driver's environment
        ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 2**20,
                 logging_level=logging.ERROR, log_to_driver=False)
    try:
        yield hooks
    finally:
        ray.shutdown()


@pytest.mark.parametrize("workers", [1, 2])
def test_same_bytes_as_the_local_engine(ray_session, flights, local_corpus, tmp_path, workers):
    manifest = dialogsim.generate(flights, 500, tmp_path / "corpus", seed=3, shard_size=SHARD,
                                  engine="ray", workers=workers)
    assert _files(tmp_path / "corpus") == _files(local_corpus)
    assert [s.name for s in manifest.shards] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl",
                                                 "part-00003.jsonl"]
    assert list(dialogsim.read_corpus(tmp_path / "corpus")) == list(dialogsim.simulate(flights, 500, seed=3))


def test_a_lost_worker_is_retried_and_rewrites_its_shard(ray_session, flights, local_corpus, tmp_path):
    armed = ray_session / "lose-worker"
    armed.write_bytes(b"")  # the first task to take it kills its own worker mid-shard
    dialogsim.generate(flights, 500, tmp_path / "corpus", seed=3, shard_size=SHARD, engine="ray")
    assert not armed.exists()  # a worker did die
    assert _files(tmp_path / "corpus") == _files(local_corpus)  # no partial file, no staging folder left


def test_an_interrupted_run_leaves_the_previous_corpus(ray_session, flights, local_corpus, tmp_path):
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 500, out, seed=3, shard_size=SHARD)
    before = _files(out)

    def interrupt(count: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        dialogsim.generate(flights, 500, out, seed=4, shard_size=SHARD, engine="ray", progress=interrupt)
    assert _files(out) == before


def test_progress_counts_every_dialogue(ray_session, flights, tmp_path):
    counts: list[int] = []
    dialogsim.generate(flights, 320, tmp_path / "corpus", shard_size=SHARD, engine="ray", progress=counts.append)
    assert counts == [SHARD, SHARD, 20]


def test_a_node_that_cannot_see_the_output_is_named(ray_session, tmp_path):
    import ray

    from dialogsim.ray import _probe

    seen = tmp_path / "staging"
    seen.mkdir()
    (seen / "token").write_bytes(b"")
    probe = ray.remote(_probe)
    assert ray.get(probe.remote(str(seen), "token")) is None
    problem = ray.get(probe.remote(str(tmp_path / "elsewhere"), "token"))
    assert "does not see the staging folder" in problem and "every node shares" in problem


def test_dialogues_streams_the_corpus_records(ray_session, flights):
    from dialogsim.ray import dialogues

    dataset = dialogues(flights, 40, seed=3, start=460, batch_size=16)
    rows = sorted(dataset.take_all(), key=lambda row: row["index"])
    want = [d.to_json() for d in dialogsim.simulate(flights, 40, seed=3, start=460)]
    assert [row["index"] for row in rows] == list(range(460, 500))
    assert [row["record"] for row in rows] == want
    assert [row["id"] for row in rows] == [record["id"] for record in want]


def test_dialogues_checks_its_arguments_at_the_call(ray_session, flights):
    from dialogsim.ray import dialogues

    with pytest.raises(ValueError, match="n must be"):
        dialogues(flights, -1)


def test_an_unreachable_cluster_is_one_line_before_any_work(tmp_path):
    pytest.importorskip("ray")
    result = CliRunner().invoke(main, ["generate", "flights", "-n", "5", "-o", str(tmp_path / "c"),
                                       "--engine", "ray", "--address", "127.0.0.1:1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot reach the Ray cluster at 127.0.0.1:1")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c").exists()


def test_a_location_the_cluster_cannot_see_fails_before_any_work(ray_session, flights):
    """memory:// is private to each process: the workers cannot see the driver's folder."""
    fsspec = pytest.importorskip("fsspec")
    url = "memory://ray-test/corpus"
    with pytest.raises(dialogsim.errors.GenerationError, match="does not see the staging folder"):
        dialogsim.generate(flights, 300, url, shard_size=SHARD, engine="ray")
    assert not fsspec.filesystem("memory").exists("/ray-test/corpus/manifest.json")
    assert fsspec.filesystem("memory").find("/ray-test") == []  # the staging prefix is gone too


def test_a_file_url_is_written_like_a_local_path(ray_session, flights, local_corpus, tmp_path):
    dialogsim.generate(flights, 500, f"file://{tmp_path}/corpus", seed=3, shard_size=SHARD, engine="ray")
    assert _files(tmp_path / "corpus") == _files(local_corpus)


def test_task_errors_surface_as_the_local_engine_would_raise_them(ray_session, flights, tmp_path):
    """A task's own OSError or DialogsimError is raised as it is; a worker lost for good
    becomes one GenerationError line."""
    import ray

    from dialogsim.generation import _Values
    from dialogsim.ray import _shard_task, _unwrap

    task = ray.remote(max_retries=0)(_shard_task)
    box = [ray.put((flights, flights.simulation, flights.variation, _Values()))]
    with pytest.raises(ray.exceptions.RayTaskError) as caught:
        ray.get(task.remote("token", box, 0, 0, 0, 5, str(tmp_path / "missing")))
    assert isinstance(_unwrap(ray, caught.value), FileNotFoundError)
    lost = _unwrap(ray, ray.exceptions.WorkerCrashedError())
    assert isinstance(lost, dialogsim.errors.GenerationError) and "\n" not in str(lost)
    assert "previous corpus is left as it was" in str(lost)


def test_sigterm_stops_a_ray_run_and_keeps_the_previous_corpus(ray_session, flights, tmp_path):
    """Ray's wait turns a signal handler's exception into a plain KeyboardInterrupt; the
    CLI still reports the SIGTERM, and the previous corpus stays. The CLI runs in a process
    of its own (joining this session's cluster), so the signal can never reach pytest."""
    import os
    import signal
    import subprocess
    import time

    ray = pytest.importorskip("ray")
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 300, out, shard_size=SHARD)
    before = _files(out)
    command = [sys.executable, "-m", "dialogsim.cli", "generate", "flights", "-n", "6000", "-o", str(out),
               "--seed", "9", "--shard-size", str(SHARD), "--engine", "ray",
               "--address", ray.get_runtime_context().gcs_address]
    env = {k: v for k, v in os.environ.items() if k != "DIALOGSIM_RAY_TEST_HOOKS"}
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while not any(out.glob(".dialogsim-tmp-*/.part-*")):  # the driver is waiting on Ray now
            assert run.poll() is None, run.communicate()
            assert time.monotonic() < deadline, "no shard was started within a minute"
            time.sleep(0.01)
        run.send_signal(signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 2, stderr
    assert stderr.strip() == f"error: stopped by SIGTERM; {out} is left as it was"
    assert _files(out) == before


def test_same_bytes_with_a_held_out_split_and_no_variation(ray_session, flights, tmp_path):
    options = dict(seed=5, shard_size=SHARD, holdout=0.3, split="test",
                   variation=flights.variation.with_overrides(["enabled=false"]))
    dialogsim.generate(flights, 200, tmp_path / "local", **options)
    dialogsim.generate(flights, 200, tmp_path / "ray", engine="ray", **options)
    assert _files(tmp_path / "ray") == _files(tmp_path / "local")


def test_build_warnings_are_the_local_engines_issued_once(ray_session, flights, tmp_path):
    """What building the simulator warns (an augmenter skipped where its data is missing)
    reaches the caller once, as with local worker processes, however many tasks met it."""
    import warnings

    from dialogsim.paraphrase.augment import VariationWarning

    variation = flights.variation.with_overrides(["wordnet=0.2"])

    def issued(engine: str) -> list[tuple[type, str]]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dialogsim.generate(flights, 300, tmp_path / engine, shard_size=SHARD, variation=variation,
                               engine=engine, workers=2)
        return [(w.category, str(w.message)) for w in caught if issubclass(w.category, VariationWarning)]

    assert issued("ray") == issued("local")
    assert _files(tmp_path / "ray") == _files(tmp_path / "local")
