"""From a scenario to dialogues: ``simulate`` yields them, ``generate`` writes a corpus.

Dialogue ``i`` of a run is a pure function of (scenario, configs, values split, seed, i),
so the work splits into chunks of indices that worker processes simulate independently;
the parent writes the chunks back in index order. The corpus -- shards, manifest,
statistics -- is therefore byte-identical for any number of workers, and the parent never
holds more than a few chunks at a time, however many dialogues are asked for.

``holdout`` / ``split`` make train and test corpora whose slot values do not overlap: the
same ``holdout`` with ``split="train"`` and ``split="test"`` (see ``Catalogue``).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from typing import Callable, Generator, Iterator

import attrs

import dialogsim
from dialogsim.catalogue import check_holdout
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.corpus import CorpusWriter, Manifest
from dialogsim.dialogue import FORMAT_VERSION, Dialogue, dumps_line
from dialogsim.errors import GenerationError
from dialogsim.samples import check_samples
from dialogsim.schema import Scenario
from dialogsim.stats import CorpusStats
from dialogsim.url_corpus import corpus_writer

__all__ = ["simulate", "generate", "worker_count"]

CHUNK_SIZE = 250  # dialogues a worker simulates per task: big enough to amortise the IPC
_IN_FLIGHT_PER_WORKER = 4  # chunks queued per worker: keeps workers busy, bounds memory
ENGINES = ("local", "ray")  # where generate simulates: worker processes here, or Ray tasks (dialogsim.ray)
_PARENT_POLL_S = 0.1  # how often a worker checks that its parent is alive


@attrs.frozen
class _Values:
    """Which catalogue values a run draws from: ``holdout`` reserved for test, ``split``."""

    holdout: float = 0.0
    split: str = "train"


def _make_simulator(scenario: Scenario, config: SimulationConfig, variation: VariationConfig, values: _Values):
    from dialogsim.simulation import Simulator

    return Simulator(scenario, config, variation, holdout=values.holdout, split=values.split)


def _resolve(scenario: Scenario, config: SimulationConfig | None,
             variation: VariationConfig | None) -> tuple[SimulationConfig, VariationConfig]:
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario (load one with dialogsim.load_scenario(path)), "
                        f"got {type(scenario).__name__}")
    return (scenario.simulation if config is None else config,
            scenario.variation if variation is None else variation)


def _check_count(name: str, value: int, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_values(holdout: float, split: str) -> _Values:
    return _Values(check_holdout(holdout, split), split)  # here too, before any worker starts


def simulate(scenario: Scenario, n: int, seed: int = 0, *, config: SimulationConfig | None = None,
             variation: VariationConfig | None = None, start: int = 0, holdout: float = 0.0,
             split: str = "train") -> Iterator[Dialogue]:
    """Dialogues ``start`` .. ``start + n - 1`` of the run (scenario, seed), in order; the
    same dialogues ``generate`` writes. ``config`` / ``variation`` default to the
    scenario's ``simulation:`` / ``variation:`` sections; ``holdout`` reserves that
    fraction of each catalogue's values for the ``split="test"`` corpus."""
    config, variation = _resolve(scenario, config, variation)
    _check_count("n", n, 0)
    _check_count("start", start, 0)
    _check_count("seed", seed, 0)
    values = _check_values(holdout, split)
    simulator = _make_simulator(scenario, config, variation, values)  # here, so bad arguments fail at the call
    return (simulator.dialogue(seed, index) for index in range(start, start + n))


# -- workers ----------------------------------------------------------------------------

_simulator = None  # one per worker process, built by _init_worker
_init_error: BaseException | None = None
_init_warnings: tuple[tuple[type[Warning], str], ...] = ()  # what building it warned, not yet sent


def _watch_parent(parent: int) -> None:
    """End this worker as soon as its parent is gone: a parent killed outright (SIGKILL,
    out of memory) cannot stop its workers, and orphans would simulate forever."""
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


def _init_worker(parent: int, scenario: Scenario, config: SimulationConfig, variation: VariationConfig,
                 values: _Values) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it (and stops the
    # workers); workers interrupted mid-chunk would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's handlers, if it set some
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent,), name="dialogsim-parent-watch", daemon=True).start()
    global _simulator, _init_error, _init_warnings
    # Warnings (an augmenter skipped, ...) go back to the parent with the first chunk, which
    # issues each once: printed here, every worker would repeat them.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _simulator = _make_simulator(scenario, config, variation, values)
        except Exception as exc:  # re-raised by the first task: a failing initializer only says "broken pool"
            _init_error = exc
    _init_warnings = tuple((w.category, str(w.message)) for w in caught)


def _run_chunk(simulator, seed: int, start: int, stop: int) -> tuple[int, str, CorpusStats]:
    """Simulate dialogues start..stop-1: their corpus lines as one text, and their stats."""
    stats = CorpusStats()
    lines = []
    for index in range(start, stop):
        record = simulator.dialogue(seed, index).to_json()
        lines.append(dumps_line(record))
        stats.add(record)
    lines.append("")
    return stop - start, "\n".join(lines), stats


def _worker_chunk(task: tuple[int, int, int]) -> tuple[tuple[tuple[type[Warning], str], ...], int, str, CorpusStats]:
    global _init_warnings
    if _init_error is not None:
        raise _init_error
    sent, _init_warnings = _init_warnings, ()
    return (sent, *_run_chunk(_simulator, *task))


def _tasks(seed: int, n: int, shard_size: int, chunk_size: int) -> Iterator[tuple[int, tuple[int, int, int]]]:
    """(shard, (seed, start, stop)) chunks in index order; no chunk straddles two shards."""
    for shard_start in range(0, n, shard_size):
        shard_stop = min(shard_start + shard_size, n)
        for start in range(shard_start, shard_stop, chunk_size):
            yield shard_start // shard_size, (seed, start, min(start + chunk_size, shard_stop))


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")  # no re-import, no pickling of the scenario
    return multiprocessing.get_context("spawn")


def _results(scenario: Scenario, config: SimulationConfig, variation: VariationConfig, values: _Values,
             seed: int, n: int, shard_size: int,
             workers: int) -> Generator[tuple[int, int, str, CorpusStats], None, None]:
    """(shard, dialogues, lines text, stats) per chunk, in index order.

    Workers run in a ``ProcessPoolExecutor`` rather than a ``multiprocessing.Pool``: a
    worker that dies (out of memory, killed) breaks the executor with an error where a
    Pool would wait forever for its lost chunk. At most ``_IN_FLIGHT_PER_WORKER`` chunks
    per worker are submitted ahead of the one being written, so memory does not grow with n.
    """
    # Smaller chunks for small runs, so every worker gets some; chunking never shows in
    # the output (lines are concatenated in order, stats merge exactly).
    chunk_size = max(1, min(CHUNK_SIZE, -(-n // (workers * _IN_FLIGHT_PER_WORKER))))
    tasks = _tasks(seed, n, shard_size, chunk_size)
    if workers == 1:
        simulator = _make_simulator(scenario, config, variation, values)
        for shard, task in tasks:
            yield (shard, *_run_chunk(simulator, *task))
        return
    executor = concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=_pool_context(), initializer=_init_worker,
        initargs=(os.getpid(), scenario, config, variation, values))
    warned: set[tuple[type[Warning], str]] = set()

    def done(shard: int, future: concurrent.futures.Future) -> tuple[int, int, str, CorpusStats]:
        try:
            sent, *result = future.result()
        except concurrent.futures.process.BrokenProcessPool:
            raise GenerationError("a worker process died before it finished (killed, or out of memory?); "
                                  "the previous corpus is left as it was") from None
        for category, message in sent:
            if (category, message) not in warned:
                warned.add((category, message))
                warnings.warn(message, category, stacklevel=5)  # at the caller of generate
        return (shard, *result)

    finished = False
    try:
        pending: collections.deque = collections.deque()
        limit = workers * _IN_FLIGHT_PER_WORKER
        for shard, task in tasks:
            pending.append((shard, executor.submit(_worker_chunk, task)))
            if len(pending) >= limit:
                yield done(*pending.popleft())
        while pending:
            yield done(*pending.popleft())
        finished = True
    finally:
        if not finished:  # an error, Ctrl-C, SIGTERM: stop now, not after the running chunks
            _kill_workers(executor)
        executor.shutdown(wait=True, cancel_futures=True)


def _kill_workers(executor: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill the executor's worker processes. Their chunks are no longer wanted, and waiting
    for them is what made a second Ctrl-C hang: the executor has no public way to do
    this before Python 3.14 (``kill_workers``), so it reads the process table it keeps."""
    kill = getattr(executor, "kill_workers", None)
    if kill is not None:
        kill()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):  # already gone
            process.kill()


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask, which containers narrow)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(workers: int, n: int) -> int:
    """The worker processes a run of ``n`` dialogues starts when ``workers`` are asked
    for: no more than the CPUs (more only add memory and start-up time; the output is
    the same) and no more than the dialogues (every worker needs a chunk)."""
    return max(1, min(workers, cpu_count(), n))


def _write_local(writer: CorpusWriter, scenario: Scenario, config: SimulationConfig, variation: VariationConfig,
                 values: _Values, seed: int, n: int, shard_size: int, workers: int,
                 progress: Callable[[int], None] | None) -> CorpusStats:
    """The local engine: chunks simulated by worker processes, written here in order."""
    stats = CorpusStats()
    results = _results(scenario, config, variation, values, seed, n, shard_size, workers)
    with contextlib.closing(results):
        for shard, count, text, chunk_stats in results:
            writer.write(shard, text)
            stats.merge(chunk_stats)
            if progress is not None:
                progress(count)
    return stats


def generate(scenario: Scenario, n: int, out_dir: str | os.PathLike, *, seed: int = 0, workers: int = 1,
             shard_size: int = 10_000, config: SimulationConfig | None = None,
             variation: VariationConfig | None = None, holdout: float = 0.0, split: str = "train",
             progress: Callable[[int], None] | None = None, engine: str = "local",
             address: str | None = None) -> Manifest:
    """Simulate ``n`` dialogues and write them to the corpus directory ``out_dir``: a local
    path, or an fsspec URL (``s3://...``; see ``dialogsim.url_corpus`` for what an object
    store does not guarantee).

    Dialogue ``i`` goes to shard ``part-{i // shard_size:05d}.jsonl``; the corpus and its
    ``manifest.json`` are byte-identical for any ``workers``. The write is atomic: on any
    error or interruption the previous corpus at ``out_dir`` is left as it was. Only a
    corpus dialogsim wrote is replaced, and only its manifest and shards; a non-empty
    directory that is not one is refused (``CorpusError``; see ``CorpusWriter``). A worker
    process that dies raises ``GenerationError``; ``workers`` is capped by ``worker_count``.
    ``holdout`` / ``split`` choose the catalogue values drawn from (see ``simulate``). A
    sample dialogue that contradicts the scenario (``dialogsim.samples``) raises
    ``ScenarioError`` before anything is written. ``progress`` is called with the number of dialogues finished since its last call.
    Warnings from building the simulator (an augmenter skipped) are issued once, in this
    process, whatever the number of workers. Returns the manifest written.

    ``engine="ray"`` runs one Ray task per shard (``dialogsim.ray``; the ``ray`` extra): on
    the cluster at ``address``, or, without one, on a local instance of ``workers`` CPUs.
    Its corpus is byte-identical to the local engine's.
    """
    config, variation = _resolve(scenario, config, variation)
    _check_count("n", n, 0)
    _check_count("seed", seed, 0)
    _check_count("workers", workers, 1)
    _check_count("shard_size", shard_size, 1)
    values = _check_values(holdout, split)
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if address is not None and engine != "ray":
        raise ValueError("address is the Ray cluster to join: it needs engine='ray'")
    check_samples(scenario)  # a sample that contradicts the scenario: a ScenarioError before any work
    workers = worker_count(workers, n)
    if engine == "ray":
        from dialogsim.ray import require_ray, write_shards

        require_ray()  # before the writer touches out_dir
    with corpus_writer(out_dir, shards=-(-n // shard_size)) as writer:
        if engine == "ray":
            stats = write_shards(writer, scenario, config, variation, values, seed, n, shard_size,
                                 workers=workers, address=address, progress=progress)
        else:
            stats = _write_local(writer, scenario, config, variation, values, seed, n, shard_size, workers, progress)
        manifest = Manifest(
            format=FORMAT_VERSION,
            dialogsim_version=dialogsim.__version__,
            scenario=scenario.name,
            source_hash=scenario.source_hash,
            seed=seed,
            n=n,
            shard_size=shard_size,
            shards=writer.close_shards(),
            simulation=attrs.asdict(config),
            variation=attrs.asdict(variation),
            values=attrs.asdict(values),
            stats=stats.to_json(),
        )
        writer.commit(manifest.dumps())
    return manifest
