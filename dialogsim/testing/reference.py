"""``ReferenceBot``: dialogsim's own system agent behind the bot protocol.

It is the bot every oracle must pass (the proof that a finding is the bot's fault, not the
harness's), the model a user's bot can be compared with, and the base of the deliberately
broken bots in the tests. It reads the structured acts and spans of each ``BotTurn``,
steps ``SystemPolicy`` and answers with its text and structured actions; its mock backend
answers every call (no goal scripts failures here: the bot never sees the goal).
"""

from __future__ import annotations

import numpy as np

from dialogsim.agents.system import SystemPolicy
from dialogsim.backend import MockBackend
from dialogsim.catalogue import Catalogue
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.schema import Scenario
from dialogsim.state import SystemState
from dialogsim.testing.protocol import BotReply, BotTurn

__all__ = ["ReferenceBot"]


class ReferenceBot:
    """The system agent as a bot; ``seed`` fixes its wordings and mock results."""

    def __init__(self, scenario: Scenario, *, seed: int = 0) -> None:
        catalogue = Catalogue(scenario)
        self.scenario = scenario
        self.backend = MockBackend(scenario, catalogue)
        self.policy = SystemPolicy(scenario, DependencyGraph(scenario), self.backend, Realiser(scenario, catalogue))
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        self.state = SystemState()
        self.rng = np.random.default_rng(self.seed)
        self.backend.reset()  # what an earlier conversation found nothing for is no fact of this one

    def respond(self, turn: BotTurn) -> BotReply:
        if not isinstance(turn, BotTurn):
            raise TypeError(f"ReferenceBot reads the customer's acts: give it a BotTurn, got {type(turn).__name__}")
        self.state, system = self.policy.step(self.state, turn.user_turn, self.rng)
        return BotReply(text=system.text, actions=system.actions)
