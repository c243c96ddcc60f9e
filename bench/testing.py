"""Benchmark: the bot-testing harness (dialogsim.testing) -- does it pass the good bot and
catch the broken ones?

    python bench/testing.py                    # 1,000 conversations per example scenario, 10 searches per broken bot
    python bench/testing.py -n 200 --searches 3
    python bench/testing.py -n 0 --customer drawn    # broken bots only, the customer drawn by hypothesis

1. ``ReferenceBot`` (the system agent behind the bot protocol) holds ``-n`` conversations
   on every example scenario (``run_many``: the goals a corpus of that seed has); the
   table shows the findings per oracle (all must be 0) and conversations per second.
2. Each deliberately broken bot of ``tests/test_testing_broken_bots.py`` is searched for
   ``--searches`` times with ``hypothesis.find`` over ``dst.goals`` (each search with its
   own hypothesis seed), the customer's own decisions (wording, noise) drawn from seed 0
   (``seed``) or by hypothesis too (``drawn``, ``dst.customer_rngs()``), so that they
   shrink: how many conversations it took until the first one that caught
   the bug, how many turns the shrunk failing conversation has, and after how many of
   them the failure shows (``Report.turns_to_failure``: the rest is the customer winding
   up). Turns count the customer's and the bot's.
Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import dialogsim
from dialogsim.testing import ORACLES, ReferenceBot, run_many

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_testing_broken_bots import BROKEN, catch  # noqa: E402

EXAMPLES = ("flights", "movies", "music", "restaurants", "weather")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="conversations per example scenario")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--searches", type=int, default=10, help="hypothesis searches per broken bot")
    parser.add_argument("--customer", choices=("seed", "drawn"), nargs="+", default=["seed", "drawn"],
                        help="where the customer's decisions come from in the broken-bot searches")
    args = parser.parse_args()
    if args.n > 0:
        reference_bot(args.n, args.seed)
    if args.searches > 0:
        broken_bots(args.searches, args.customer)


def reference_bot(n: int, seed: int) -> None:
    print(f"ReferenceBot, {n} conversations per scenario (seed {seed})")
    print(f"{'scenario':<12} {'passed':>7} {'findings':>9} {'conv/s':>8}  by oracle")
    for name in EXAMPLES:
        scenario = dialogsim.load_scenario(dialogsim.scenarios.path(name))
        start = time.perf_counter()
        summary = run_many(ReferenceBot(scenario), scenario, n, seed=seed)
        rate = n / (time.perf_counter() - start)
        found = {k: v for k, v in summary.failed.items() if v}
        print(f"{name:<12} {summary.passed:>7} {sum(found.values()):>9} {rate:>8.0f}  {found or '-'}", flush=True)


def broken_bots(searches: int, customers: list[str]) -> None:
    print(f"\nbroken bots, {searches} hypothesis searches each (oracles: {', '.join(ORACLES)})")
    print(f"{'bot':<26} {'scenario':<12} {'oracle':<20} {'customer':<9} {'conversations to catch':<26} "
          f"{'shrunk turns':<22} {'turns to the failure':<22}")
    for bot_class, name, oracle in BROKEN:
        for customer in customers:
            needed, turns, to_failure = [], [], []
            for k in range(searches):
                count, report = catch(bot_class, name, oracle, random=random.Random(k), drawn=customer == "drawn")
                needed.append(count)
                turns.append(report.turns)
                to_failure.append(report.turns_to_failure)
            print(f"{bot_class.__name__:<26} {name:<12} {oracle:<20} {customer:<9} "
                  f"{_spread(needed):<26} {_spread(turns):<22} {_spread(to_failure):<22}", flush=True)


def _spread(values: list) -> str:
    return f"median {statistics.median(values):g} ({min(values)}-{max(values)})"


if __name__ == "__main__":
    main()
