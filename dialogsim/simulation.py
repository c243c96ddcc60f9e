"""One simulated dialogue from (scenario, seed, index): the pipeline wired together.

``Simulator`` builds everything that depends only on the scenario once -- the dependency
graph, the value catalogue, the realiser, the goal sampler, both agents -- and then
``dialogue(seed, index)`` runs one conversation with the dialogue's own generators
(``dialogsim.draws.dialogue_rngs``: one for the goal, one per seat). A dialogue therefore
never depends on which worker made it or on what was generated before it, and its id
(``dialogue_id``) names the scenario, seed, values split and index, so that dialogues of
different runs never share an id and corpora can be merged.
"""

from __future__ import annotations

from dialogsim.agents.customer import CustomerAgent
from dialogsim.agents.system import SystemAgent
from dialogsim.backend import MockBackend
from dialogsim.catalogue import SYNONYM_RATE, Catalogue
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.conversation import Conversation
from dialogsim.dialogue import Dialogue, Outcome
from dialogsim.draws import DialogueRngs, dialogue_rngs
from dialogsim.goal import Goal
from dialogsim.goals.sampler import GoalSampler
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.patterns import detect
from dialogsim.schema import Scenario

__all__ = ["Simulator", "dialogue_id"]


def dialogue_id(scenario: str, seed: int, split: str, index: int) -> str:
    """``flights-7-train-0000042``: unique across seeds and values splits of a scenario."""
    return f"{scenario}-{seed}-{split}-{index:07d}"


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
        self.split = split
        self.config = config or scenario.simulation
        self.variation = variation or scenario.variation
        self.graph = DependencyGraph(scenario)
        # Synonyms and spoken forms ("NYC", "two") are language variation: off with it.
        self.catalogue = Catalogue(scenario, holdout=holdout, split=split,
                                   synonym_rate=SYNONYM_RATE if self.variation.enabled else 0.0)
        self.realiser = Realiser(scenario, self.catalogue)
        self.goals = GoalSampler(scenario, self.graph, self.catalogue, self.config)
        self.pipeline = VariationPipeline(self.variation)
        self.customer = CustomerAgent(scenario, self.catalogue, self.realiser, self.pipeline, graph=self.graph)
        self.system = SystemAgent(scenario, self.graph, MockBackend(scenario, self.catalogue), self.realiser,
                                  config=self.config)
        self.conversation = Conversation(self.customer, self.system, max_turns=self.config.max_turns)

    def dialogue(self, seed: int, index: int) -> Dialogue:
        rngs = dialogue_rngs(seed, index)
        return self.play(self.goals.sample(rngs.goal), rngs,
                         id=dialogue_id(self.scenario.name, seed, self.split, index))

    def play(self, goal: Goal, rngs: DialogueRngs, *, id: str) -> Dialogue:
        """The dialogue about a given ``goal`` (the hypothesis strategies draw their own)."""
        turns, outcome = self.conversation.run(goal, customer_rng=rngs.customer, system_rng=rngs.system)
        return Dialogue(
            id=id,
            scenario=self.scenario.name,
            goal=goal,
            turns=turns,
            outcome=outcome,
            patterns=detect(turns, self.scenario, outcome is Outcome.COMPLETED),
        )
