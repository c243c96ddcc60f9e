"""Benchmark: corpus generation speed and peak memory, per scenario and worker count.

    python bench/generate.py                 # every scenarios/*.yaml, 1 and 2 workers, n = 2,000 and 20,000
    python bench/generate.py -n 50000 --small 5000 --workers 1 2 4 --scenario flights
    python bench/generate.py --variant variation --scenario flights   # one variant only
    python bench/generate.py --engine local ray --scenario flights --variant variation \
        --workers 2 -n 200000 --small 200000                      # local processes next to local Ray

Each run is measured twice: with the scenario's own ``variation:`` pipeline (the default
augmenters) and with variation switched off, so the cost of the language variation shows.

Each measurement runs in a fresh interpreter, because peak RSS (``ru_maxrss``) is a
high-water mark for the life of a process: measuring two runs in one process would report
the larger for both. Memory is reported three ways: the parent's peak, the largest
worker's peak (``RUSAGE_CHILDREN``), and the peak of parent + workers summed, sampled from
/proc every 20 ms (Linux only; shared copy-on-write pages are counted once per process, so
it overstates). The small-n rows are there to show that memory does not grow with n.
With ``--engine ray`` the run starts a local Ray instance of ``workers`` CPUs; its worker
processes are not this process's children, so "worker MB" is the largest peak RSS
(``VmHWM``) among the Ray worker processes, read from /proc before Ray shuts down, and
"tree MB" is the driver plus its direct children, which are Ray's daemons (GCS, raylet,
...), not the workers. The Ray engine runs one task per shard: n / shard size (10,000)
tasks, so small n leaves CPUs idle.
Prints a table; asserts nothing about timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]

# Variants of each run: label -> keyword arguments for dialogsim.generate, built from the
# loaded scenario.
VARIANTS = {
    "variation": lambda scenario: {},  # the scenario's variation: section (default augmenters)
    "none": lambda scenario: {"variation": attrs.evolve(scenario.variation, enabled=False)},
}


def _maxrss_mb(who: int) -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss / scale


def _tree_rss_kb(pid: int) -> int:
    """RSS of ``pid`` plus its children, from /proc (0 where /proc is missing)."""
    total = 0
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                pids += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


class _Sampler(threading.Thread):
    """Samples the process tree's summed RSS until stopped; keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        pid = os.getpid()
        while not self.stop.wait(0.02):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(pid))


def _ray_workers_peak_mb() -> float:
    """The largest peak RSS (VmHWM) among this machine's Ray worker processes."""
    peak_kb = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if not handle.read().startswith(b"ray::"):
                    continue
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
        except OSError:
            pass
    return peak_kb / 1024


def child(scenario_path: str, workers: int, n: int, variant: str, engine: str) -> dict:
    """One measurement, in this (fresh) process."""
    import dialogsim

    scenario = dialogsim.load_scenario(scenario_path)
    kwargs = VARIANTS[variant](scenario)
    ray = None
    if engine == "ray":  # started here, as the engine would, so the workers can be read before shutdown
        import logging

        import ray

        from dialogsim.ray import _OBJECT_STORE_BYTES

        ray.init(address="local", num_cpus=workers, object_store_memory=_OBJECT_STORE_BYTES,
                 include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    sampler = _Sampler()
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="dialogsim-bench-") as tmp:
        started = time.perf_counter()
        manifest = dialogsim.generate(scenario, n, Path(tmp) / "corpus", seed=0, workers=workers, engine=engine,
                                      **kwargs)
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (Path(tmp) / "corpus").iterdir())
    sampler.stop.set()
    sampler.join()
    if ray is not None:
        worker_mb = _ray_workers_peak_mb()
        ray.shutdown()
    else:
        worker_mb = _maxrss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0
    return {
        "seconds": seconds,
        "rate": n / seconds,
        "parent_mb": _maxrss_mb(resource.RUSAGE_SELF),
        "worker_mb": worker_mb,
        "tree_mb": sampler.peak_kb / 1024,
        "corpus_mb": size / 2**20,
        "turns": manifest.stats["turns"]["mean"],
    }


def measure(scenario_path: Path, workers: int, n: int, variant: str, engine: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(scenario_path), str(workers), str(n), variant, engine],
        capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{scenario_path.name} {engine} workers={workers} n={n}: failed\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="dialogues per run (default 20,000)")
    parser.add_argument("--small", type=int, default=2_000, help="the smaller n, for memory (default 2,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scenario", nargs="+", help="scenario names or paths (default: every bundled example)")
    parser.add_argument("--variant", nargs="+", choices=list(VARIANTS), default=list(VARIANTS),
                        help="variants to measure (default: all)")
    parser.add_argument("--engine", nargs="+", choices=["local", "ray"], default=["local"],
                        help="engines to measure, side by side (default: local; ray needs dialogsim[ray])")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, workers, n, variant, engine = args.child
        print(json.dumps(child(path, int(workers), int(n), variant, engine)))
        return

    from dialogsim import scenarios

    names = args.scenario or scenarios.names()
    paths = [Path(s) if Path(s).is_file() else scenarios.path(s) for s in names]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}")
    header = (f"{'scenario':<14}{'variant':<10}{'engine':<7}{'workers':>7}{'n':>8}{'seconds':>9}{'dialogues/s':>13}"
              f"{'turns':>7}{'corpus MB':>10}{'parent MB':>10}{'worker MB':>10}{'tree MB':>9}")
    print(header)
    print("-" * len(header))
    for path in paths:
        for variant in args.variant:
            for workers in args.workers:
                for n in sorted({args.small, args.n}):
                    for engine in args.engine:
                        r = measure(path, workers, n, variant, engine)
                        worker = f"{r['worker_mb']:>10.0f}" if r["worker_mb"] else f"{'-':>10}"
                        print(f"{path.stem:<14}{variant:<10}{engine:<7}{workers:>7}{n:>8}{r['seconds']:>9.2f}"
                              f"{r['rate']:>13,.0f}{r['turns']:>7.1f}{r['corpus_mb']:>10.1f}{r['parent_mb']:>10.0f}"
                              f"{worker}{r['tree_mb']:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
