"""dialogsim on a Ray cluster: corpus generation (``generate(..., engine="ray")``) and
simulated dialogues as a lazily computed ``ray.data.Dataset`` (``dialogues``).

Dialogue ``i`` is a pure function of (scenario, configs, values split, seed, i), so a
corpus splits into independent tasks of one shard each. Each task simulates its shard's
indices and writes the shard itself, with the same ``ShardFile`` and ``CorpusStats`` the
local engine uses, into the run's staging folder; the driver only collects each shard's
line count, sha256 and statistics sketch, and ``generate`` commits the manifest last. So
the corpus is byte-identical to ``engine="local"``, and a task that Ray retries after its
worker was lost rewrites the same shard with the same bytes.

Ray is an optional dependency (``pip install 'dialogsim[ray]'``): it is imported inside
the functions, so ``import dialogsim`` and the CLI stay light, and using the engine
without it raises ``RayNotInstalled``, one line that says how to install it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.corpus import CorpusWriter, ShardFile, ShardInfo
from dialogsim.errors import DialogsimError, GenerationError
from dialogsim.schema import Scenario
from dialogsim.stats import CorpusStats
from dialogsim.storage import UrlPath, location

if TYPE_CHECKING:  # pragma: no cover
    import ray.data

__all__ = ["dialogues", "write_shards", "require_ray", "RayNotInstalled", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'dialogsim[ray]'"
MAX_RETRIES = 3  # attempts Ray makes again at a shard whose worker or node was lost
_OBJECT_STORE_BYTES = 128 * 2**20  # a local instance's object store: results are small sketches
_CONNECT_TIMEOUT_S = 5.0  # for the reachability check of a cluster address
_STOP_WAIT_S = 30.0  # how long a failed or interrupted run waits for its shards in flight
_IN_FLIGHT_PER_CPU = 2  # shards submitted or unrecorded per cluster CPU: keeps CPUs busy, bounds the driver's memory
_TEST_HOOKS = "DIALOGSIM_RAY_TEST_HOOKS"  # a folder; the tests arm a lost worker there (see _lose_worker_if_armed)


class RayNotInstalled(DialogsimError, ImportError):
    """The Ray engine was asked for, but Ray is not installed."""

    def __init__(self) -> None:
        super().__init__(f"the ray engine needs Ray, which is not installed: {INSTALL_HINT}")


def _import_ray():
    try:
        import ray
    except ImportError:
        raise RayNotInstalled() from None
    return ray


def require_ray() -> None:
    """Raise ``RayNotInstalled`` now, before any work, when Ray is missing."""
    _import_ray()


def _check_reachable(address: str) -> None:
    """Fail in seconds, with one line, when a ``HOST:PORT`` (or ``ray://HOST:PORT``) address
    does not answer: Ray itself keeps retrying for minutes, logging as it goes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise GenerationError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _connected(address: str | None, num_cpus: int) -> Iterator[Any]:
    """Ray, connected. A session the caller already opened is used as it is, and left
    open (an ``address`` is then only checked to answer); otherwise this starts a local instance of ``num_cpus`` CPUs (no ``address``) or
    joins the cluster at ``address``, quietly, and disconnects afterwards."""
    ray = _import_ray()
    if address is not None:
        _check_reachable(address)
    if ray.is_initialized():
        yield ray
        return
    quiet = dict(include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    # ray.init installs its own SIGTERM handler; the caller's (the CLI stops cleanly on
    # SIGTERM, leaving the previous corpus) is put back.
    main = threading.current_thread() is threading.main_thread()
    sigterm = signal.getsignal(signal.SIGTERM) if main else None
    try:
        if address is None:
            ray.init(address="local", num_cpus=num_cpus, object_store_memory=_OBJECT_STORE_BYTES, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise GenerationError(f"cannot start or join {where}: {' '.join(str(exc).split())}") from None
    finally:
        if main and sigterm is not None:
            signal.signal(signal.SIGTERM, sigterm)
    try:
        yield ray
    finally:
        ray.shutdown()


# -- tasks (run on the cluster's workers) -------------------------------------------------

_cached: tuple[str, Any, tuple] | None = None  # (run token, simulator, warnings): one run's, per worker


def _simulator(token: str, spec_box: list) -> tuple[Any, tuple]:
    """This run's simulator, built once per worker process (tasks of a run share the
    token) from its spec -- (scenario, config, variation, values), or a reference to it in
    the object store, boxed in a list so that Ray passes the reference, not the value --
    and what building it warned."""
    global _cached
    if _cached is None or _cached[0] != token:
        import ray

        from dialogsim.generation import _make_simulator

        _cached = None  # a failed build must not leave the previous run's simulator behind
        spec = spec_box[0]
        scenario, config, variation, values = spec if isinstance(spec, tuple) else ray.get(spec)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            simulator = _make_simulator(scenario, config, variation, values)
        _cached = (token, simulator, tuple((w.category, str(w.message)) for w in caught))
    return _cached[1], _cached[2]


def _lose_worker_if_armed() -> None:
    """Test hook: when the folder in ``$DIALOGSIM_RAY_TEST_HOOKS`` holds a file
    ``lose-worker``, the first task to take it (unlink succeeds for one) kills its own worker
    process mid-shard, as a lost node would, so a test can check that the retry rewrites
    the shard. Costs one ``getenv`` when unset."""
    folder = os.environ.get(_TEST_HOOKS)
    if folder:
        try:
            os.unlink(Path(folder) / "lose-worker")
        except OSError:
            return
        os._exit(1)


def _shard_task(token: str, spec_box: list, seed: int, shard: int, start: int, stop: int,
                staging: str) -> tuple[ShardInfo, CorpusStats, tuple]:
    """Simulate dialogues start..stop-1 into shard ``shard`` of the staging folder;
    returns its ``ShardInfo``, its statistics and the simulator's build warnings."""
    from dialogsim.generation import CHUNK_SIZE, _run_chunk

    simulator, built = _simulator(token, spec_box)
    stats = CorpusStats()
    shard_file = ShardFile(staging, shard)
    try:
        for chunk in range(start, stop, CHUNK_SIZE):  # bounded memory, whatever the shard size
            _, text, chunk_stats = _run_chunk(simulator, seed, chunk, min(chunk + CHUNK_SIZE, stop))
            shard_file.write(text)
            stats.merge(chunk_stats)
            _lose_worker_if_armed()
        return shard_file.close(), stats, built
    except BaseException:
        shard_file.abort()
        raise


def _probe(staging: str, token: str) -> str | None:
    """On one node: None when the staging folder the driver made is there and writable;
    otherwise why not, in words."""
    host = socket.gethostname()
    try:
        folder = location(staging)
        if not (folder / token).is_file():
            return (f"node {host} does not see the staging folder {folder}: the output location must be "
                    "on storage every node shares")
        (folder / f"{token}.{host}").write_bytes(b"")
    except Exception as exc:  # OSError, a missing fsspec backend or credentials on that node, ...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split())
        return f"node {host} cannot write to {staging}: {reason}"
    return None


# -- driver -------------------------------------------------------------------------------


def _unwrap(ray, exc: BaseException) -> BaseException:
    """The error to raise for a failed task: the task's own ``DialogsimError`` or
    ``OSError`` (a bad scenario, a full disk) as it is, so it is reported like the local
    engine's; anything else Ray raised as a one-line ``GenerationError``."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, (DialogsimError, OSError)):
        return cause
    if isinstance(exc, ray.exceptions.RayTaskError):  # a bug in a task: keep its traceback
        return exc
    return GenerationError(f"a Ray task failed after {MAX_RETRIES} retries "
                           f"({' '.join(str(exc).split())[:300]}); the previous corpus is left as it was")


def _check_nodes(ray, staging: Path | UrlPath, token: str) -> None:
    """Before any work: every node that can run a shard task must see and write the
    staging folder (a local path that is not on shared storage fails here)."""
    (staging / token).write_bytes(b"")
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probe = ray.remote(_probe)
    nodes = [node for node in ray.nodes() if node.get("Alive") and node.get("Resources", {}).get("CPU", 0) > 0]
    answers = ray.get([probe.options(num_cpus=0, scheduling_strategy=NodeAffinitySchedulingStrategy(
        node["NodeID"], soft=False)).remote(str(staging), token) for node in nodes])
    problems = [answer for answer in answers if answer is not None]
    if problems:
        raise GenerationError(problems[0])


def write_shards(writer: CorpusWriter, scenario: Scenario, config: SimulationConfig, variation: VariationConfig,
                 values: Any, seed: int, n: int, shard_size: int, *, workers: int, address: str | None,
                 progress: Callable[[int], None] | None = None) -> CorpusStats:
    """Write the ``n`` dialogues' shards into ``writer``'s staging folder with one Ray task
    per shard, and record them in the writer in shard order; returns the corpus
    statistics. ``workers`` is the CPU count of the local instance started when there is
    no ``address`` (and no Ray session open already). A failed or interrupted run lets
    the shards in flight finish; the writer then drops the staging folder."""
    with _connected(address, workers) as ray:
        token = uuid.uuid4().hex
        staging = writer.tmp
        assert staging is not None, "write_shards needs an entered CorpusWriter"
        _check_nodes(ray, staging, token)
        task = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=False)(_shard_task)
        spec_box = [ray.put((scenario, config, variation, values))]  # boxed: tasks fetch it once per worker
        limit = max(1, _IN_FLIGHT_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))
        shards = iter(range(-(-n // shard_size)))
        pending: dict[Any, int] = {}
        done: dict[int, tuple[ShardInfo, CorpusStats]] = {}
        stats = CorpusStats()
        warned: set[tuple[type[Warning], str]] = set()
        following = 0  # the next shard to record: shards are recorded, and stats merged, in order
        try:
            while True:
                # Finished shards wait in `done` for the ones before them (a retried shard is
                # late): counting them too bounds what the driver holds, whatever the delay.
                while len(pending) + len(done) < limit:
                    shard = next(shards, None)
                    if shard is None:
                        break
                    start = shard * shard_size
                    ref = task.remote(token, spec_box, seed, shard, start, min(start + shard_size, n), str(staging))
                    pending[ref] = shard
                if not pending:
                    break
                ready, _ = ray.wait(list(pending), num_returns=1)
                shard = pending.pop(ready[0])
                try:
                    info, shard_stats, built = ray.get(ready[0])
                except ray.exceptions.RayError as exc:
                    raise _unwrap(ray, exc) from None
                for category, message in built:
                    if (category, message) not in warned:
                        warned.add((category, message))
                        warnings.warn(message, category, stacklevel=3)
                done[shard] = (info, shard_stats)
                while following in done:
                    info, shard_stats = done.pop(following)
                    writer.add_shard(info)
                    stats.merge(shard_stats)
                    if progress is not None:
                        progress(info.lines)
                    following += 1
        finally:
            if pending:  # an error or Ctrl-C: let the shards in flight finish (at most
                # _STOP_WAIT_S), so none writes after the staging folder is gone. Not
                # ray.cancel: in Ray 2.60 a cancelled task whose reply is already on its way
                # trips a check in the driver's task manager ("Tried to complete task that
                # was not pending") that aborts the driver, with or without force=True.
                with contextlib.suppress(Exception):
                    ray.wait(list(pending), num_returns=len(pending), timeout=_STOP_WAIT_S)
    return stats


# -- streaming ----------------------------------------------------------------------------


def _records_batch(batch: dict, *, token: str, spec_box: list, seed: int, start: int) -> dict:
    """A Ray Data batch of dialogue indices -> their corpus records."""
    import numpy as np

    simulator, _ = _simulator(token, spec_box)
    indices = [start + int(i) for i in batch["id"]]
    records = np.empty(len(indices), dtype=object)  # one Python object per row: no Arrow schema to unify
    records[:] = [simulator.dialogue(seed, index).to_json() for index in indices]
    return {"index": np.asarray(indices, dtype=np.int64),
            "id": np.asarray([record["id"] for record in records], dtype=object),
            "record": records}


def dialogues(scenario: Scenario, n: int, seed: int = 0, *, config: SimulationConfig | None = None,
              variation: VariationConfig | None = None, start: int = 0, holdout: float = 0.0,
              split: str = "train", batch_size: int = 250) -> "ray.data.Dataset":
    """Dialogues ``start`` .. ``start + n - 1`` of the run (scenario, seed) as a
    ``ray.data.Dataset``, simulated lazily by the cluster's workers as the dataset is
    consumed: a training job can stream them without a corpus on disk. Each row has the
    dialogue's ``index``, its ``id`` and ``record``, the corpus JSON (a dict) that
    ``generate`` writes as one line for that index. Arguments as for ``simulate``, which
    checks them here; ``batch_size`` dialogues are simulated per Ray Data batch. Row order
    follows the index when the dataset's ``DataContext`` preserves order."""
    _import_ray()
    import ray.data

    from dialogsim.generation import _check_count, _check_values, _resolve

    config, variation = _resolve(scenario, config, variation)
    _check_count("n", n, 0)
    _check_count("start", start, 0)
    _check_count("seed", seed, 0)
    _check_count("batch_size", batch_size, 1)
    values = _check_values(holdout, split)
    kwargs = dict(token=uuid.uuid4().hex, spec_box=[(scenario, config, variation, values)], seed=seed, start=start)
    return ray.data.range(n).map_batches(_records_batch, batch_size=batch_size,  # type: ignore[arg-type]
                                         fn_kwargs=kwargs)
