"""One simulated dialogue from (scenario, seed, index): the pipeline wired together.

``Simulator`` builds everything that depends only on the scenario once -- the dependency
graph, the value catalogue, the realiser, the goal sampler, both agents -- and then
``dialogue(seed, index)`` runs one conversation with its own ``numpy`` generator, derived
from ``(seed, index)`` through ``SeedSequence``. A dialogue therefore never depends on
which worker made it or on what was generated before it.
"""

from __future__ import annotations

import numpy as np

from dialogsim.agents.customer import CustomerAgent
from dialogsim.agents.system import SystemAgent
from dialogsim.backend import MockBackend
from dialogsim.catalogue import Catalogue
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.conversation import Conversation
from dialogsim.dialogue import Dialogue, Outcome
from dialogsim.goals.sampler import GoalSampler
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.patterns import detect
from dialogsim.schema import Scenario

__all__ = ["Simulator", "dialogue_rng"]


def dialogue_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of dialogue ``index`` of a corpus made with ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


class Simulator:
    """Simulates dialogues of one scenario.

    ``holdout`` reserves that fraction of each catalogue's values for a test corpus:
    ``split="train"`` draws only the other values, ``split="test"`` only the reserved
    ones, so a model can be measured on values it never saw in training.
    """

    def __init__(self, scenario: Scenario, config: SimulationConfig | None = None,
                 variation: VariationConfig | None = None, *, holdout: float = 0.0,
                 split: str = "train") -> None:
        self.scenario = scenario
        self.config = config or scenario.simulation
        self.variation = variation or scenario.variation
        self.graph = DependencyGraph(scenario)
        self.catalogue = Catalogue(scenario, holdout=holdout, split=split)
        self.realiser = Realiser(scenario, self.catalogue)
        self.goals = GoalSampler(scenario, self.graph, self.catalogue, self.config)
        self.pipeline = VariationPipeline(self.variation)
        self.customer = CustomerAgent(scenario, self.catalogue, self.realiser, self.pipeline, graph=self.graph)
        self.system = SystemAgent(scenario, self.graph, MockBackend(scenario, self.catalogue), self.realiser)
        self.conversation = Conversation(self.customer, self.system, max_turns=self.config.max_turns)

    def dialogue(self, seed: int, index: int) -> Dialogue:
        rng = dialogue_rng(seed, index)
        goal = self.goals.sample(rng)
        turns, outcome = self.conversation.run(goal, rng)
        return Dialogue(
            id=f"{self.scenario.name}-{index:07d}",
            scenario=self.scenario.name,
            goal=goal,
            turns=turns,
            outcome=outcome,
            patterns=detect(turns, self.scenario, outcome is Outcome.COMPLETED),
        )
