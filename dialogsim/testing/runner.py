"""Many conversations with one bot: what ``dialogsim test-bot`` runs.

``run_many(bot, scenario, n, seed=...)`` has the simulated customer hold ``n``
conversations with the bot, conversation ``i`` pursuing the goal the simulation's own goal
sampler draws for dialogue ``(seed, i)`` -- the goal a corpus made with that seed has at
index ``i`` -- so any failure is reproduced by ``converse(bot, scenario, goal, seed=seed,
index=i)``. The ``RunSummary`` counts failing conversations by oracle and keeps the
shortest failing conversation of each, the easiest to read.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import attrs

from dialogsim.catalogue import Catalogue
from dialogsim.draws import dialogue_rngs
from dialogsim.goals.sampler import GoalSampler
from dialogsim.graph import DependencyGraph
from dialogsim.schema import Scenario
from dialogsim.testing.driver import Report, converse
from dialogsim.testing.oracles import ORACLES, oracle_names

__all__ = ["RunSummary", "run_many"]


@attrs.frozen(kw_only=True)
class RunSummary:
    """``n`` conversations: how many ``passed``, failing conversations per oracle
    (``failed``), and the shortest failing conversation of each oracle (``examples``)."""

    scenario: str
    n: int
    seed: int
    passed: int
    failed: Mapping[str, int]
    examples: Mapping[str, Report]

    @property
    def ok(self) -> bool:
        return self.passed == self.n

    def table(self) -> str:
        """The summary as a table, one row per oracle that ran."""
        lines = [f"{self.scenario}: {self.n} conversations (seed {self.seed}): {self.passed} passed, "
                 f"{self.n - self.passed} failed", "",
                 f"{'oracle':<20} {'failed':>7}  shortest failing conversation"]
        for name, count in self.failed.items():
            example = self.examples.get(name)
            where = "" if example is None else f"index {example.index} ({example.turns} turns)"
            lines.append(f"{name:<20} {count:>7}  {where}".rstrip())
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"scenario": self.scenario, "n": self.n, "seed": self.seed, "passed": self.passed,
                "failed": dict(self.failed), "examples": {k: r.to_json() for k, r in self.examples.items()}}


def run_many(bot: Any, scenario: Scenario, n: int, *, seed: int = 0, oracles: Iterable[str] | None = None,
             progress: Callable[[Report], None] | None = None, **options: Any) -> RunSummary:
    """``n`` conversations (module docstring); ``progress`` is called with each report;
    ``options`` go to ``converse`` (``timeout``, ``variation``, ``max_turns``)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive number of conversations, got {n!r}")
    names = oracle_names(oracles)
    sampler = GoalSampler(scenario, DependencyGraph(scenario), Catalogue(scenario))
    failed = {name: 0 for name in ORACLES if name in names}
    examples: dict[str, Report] = {}
    passed = 0
    for index in range(n):
        goal = sampler.sample(dialogue_rngs(seed, index).goal)
        report = converse(bot, scenario, goal, seed=seed, index=index, oracles=names, **options)
        passed += report.passed
        for name in {f.oracle for f in report.findings}:
            failed[name] += 1
            if name not in examples or report.turns < examples[name].turns:
                examples[name] = report
        if progress is not None:
            progress(report)
    return RunSummary(scenario=scenario.name, n=n, seed=seed, passed=passed, failed=failed, examples=examples)
