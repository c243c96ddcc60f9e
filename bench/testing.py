"""Benchmark: the bot-testing harness (dialogsim.testing) -- does it pass the good bot and
catch the broken ones?

    python bench/testing.py                    # 1,000 conversations per example scenario, 10 searches per broken bot
    python bench/testing.py -n 200 --searches 3

1. ``ReferenceBot`` (the system agent behind the bot protocol) holds ``-n`` conversations
   on every example scenario (``run_many``: the goals a corpus of that seed has); the
   table shows the findings per oracle (all must be 0) and conversations per second.
2. Each deliberately broken bot of ``tests/test_testing_broken_bots.py`` is searched for
   ``--searches`` times with ``hypothesis.find`` over ``dst.goals`` (each search with its
   own hypothesis seed): how many conversations it took until the first one that caught
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
    args = parser.parse_args()

    print(f"ReferenceBot, {args.n} conversations per scenario (seed {args.seed})")
    print(f"{'scenario':<12} {'passed':>7} {'findings':>9} {'conv/s':>8}  by oracle")
    for name in EXAMPLES:
        scenario = dialogsim.load_scenario(dialogsim.scenarios.path(name))
        start = time.perf_counter()
        summary = run_many(ReferenceBot(scenario), scenario, args.n, seed=args.seed)
        rate = args.n / (time.perf_counter() - start)
        found = {k: v for k, v in summary.failed.items() if v}
        print(f"{name:<12} {summary.passed:>7} {sum(found.values()):>9} {rate:>8.0f}  {found or '-'}")

    print(f"\nbroken bots, {args.searches} hypothesis searches each (oracles: {', '.join(ORACLES)})")
    print(f"{'bot':<26} {'scenario':<12} {'oracle':<20} {'conversations to catch':<26} {'shrunk turns':<22} "
          f"{'turns to the failure':<22}")
    for bot_class, name, oracle in BROKEN:
        needed, turns, to_failure = [], [], []
        for k in range(args.searches):
            count, report = catch(bot_class, name, oracle, random=random.Random(k))
            needed.append(count)
            turns.append(report.turns)
            to_failure.append(report.turns_to_failure)
        print(f"{bot_class.__name__:<26} {name:<12} {oracle:<20} "
              f"{_spread(needed):<26} {_spread(turns):<22} {_spread(to_failure):<22}")


def _spread(values: list) -> str:
    return f"median {statistics.median(values):g} ({min(values)}-{max(values)})"


if __name__ == "__main__":
    main()
