"""Benchmark: corpus generation speed and peak memory, per scenario and worker count.

    python bench/generate.py                 # every scenarios/*.yaml, 1 and 2 workers, n = 2,000 and 20,000
    python bench/generate.py -n 50000 --small 5000 --workers 1 2 4 --scenario flights
    python bench/generate.py --variant variation --scenario flights   # one variant only

Each run is measured twice: with the scenario's own ``variation:`` pipeline (the default
augmenters) and with variation switched off, so the cost of the language variation shows.

Each measurement runs in a fresh interpreter, because peak RSS (``ru_maxrss``) is a
high-water mark for the life of a process: measuring two runs in one process would report
the larger for both. Memory is reported three ways: the parent's peak, the largest
worker's peak (``RUSAGE_CHILDREN``), and the peak of parent + workers summed, sampled from
/proc every 20 ms (Linux only; shared copy-on-write pages are counted once per process, so
it overstates). The small-n rows are there to show that memory does not grow with n.
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


def child(scenario_path: str, workers: int, n: int, variant: str) -> dict:
    """One measurement, in this (fresh) process."""
    import dialogsim

    scenario = dialogsim.load_scenario(scenario_path)
    kwargs = VARIANTS[variant](scenario)
    sampler = _Sampler()
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="dialogsim-bench-") as tmp:
        started = time.perf_counter()
        manifest = dialogsim.generate(scenario, n, Path(tmp) / "corpus", seed=0, workers=workers, **kwargs)
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (Path(tmp) / "corpus").iterdir())
    sampler.stop.set()
    sampler.join()
    return {
        "seconds": seconds,
        "rate": n / seconds,
        "parent_mb": _maxrss_mb(resource.RUSAGE_SELF),
        "worker_mb": _maxrss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0,
        "tree_mb": sampler.peak_kb / 1024,
        "corpus_mb": size / 2**20,
        "turns": manifest.stats["turns"]["mean"],
    }


def measure(scenario_path: Path, workers: int, n: int, variant: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(scenario_path), str(workers), str(n), variant],
        capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{scenario_path.name} workers={workers} n={n}: failed\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="dialogues per run (default 20,000)")
    parser.add_argument("--small", type=int, default=2_000, help="the smaller n, for memory (default 2,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scenario", nargs="+", help="scenario names or paths (default: every bundled example)")
    parser.add_argument("--variant", nargs="+", choices=list(VARIANTS), default=list(VARIANTS),
                        help="variants to measure (default: all)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, workers, n, variant = args.child
        print(json.dumps(child(path, int(workers), int(n), variant)))
        return

    from dialogsim import scenarios

    names = args.scenario or scenarios.names()
    paths = [Path(s) if Path(s).is_file() else scenarios.path(s) for s in names]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}")
    header = (f"{'scenario':<14}{'variant':<10}{'workers':>7}{'n':>8}{'seconds':>9}{'dialogues/s':>13}"
              f"{'turns':>7}{'corpus MB':>10}{'parent MB':>10}{'worker MB':>10}{'tree MB':>9}")
    print(header)
    print("-" * len(header))
    for path in paths:
        for variant in args.variant:
            for workers in args.workers:
                for n in sorted({args.small, args.n}):
                    r = measure(path, workers, n, variant)
                    worker = f"{r['worker_mb']:>10.0f}" if workers > 1 else f"{'-':>10}"
                    print(f"{path.stem:<14}{variant:<10}{workers:>7}{n:>8}{r['seconds']:>9.2f}{r['rate']:>13,.0f}"
                          f"{r['turns']:>7.1f}{r['corpus_mb']:>10.1f}{r['parent_mb']:>10.0f}{worker}"
                          f"{r['tree_mb']:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
