"""The protocol both simulated speakers follow, and the loop that makes them take turns.

After ParlAI's ``DialogPartnerWorld.parley``: one agent acts, the other observes, then the
reverse. ``Agent`` is a ``typing.Protocol`` -- ``reset(goal, rng)``, ``observe(turn)``,
``act() -> Turn``. ``Conversation`` alternates a customer and a system until the system's
``finished`` says it closed the dialogue, and returns the customer's typed ``outcome``
(instead of ParlAI's ``episode_done`` string flags). The scenario's turn budget makes the
customer say goodbye (``out_of_time``) instead of looping forever, so every dialogue ends in
a completed goal or an explicit failure.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from dialogsim.dialogue import Outcome, Turn
from dialogsim.goal import Goal

__all__ = ["Agent", "Conversation"]


@runtime_checkable
class Agent(Protocol):
    def reset(self, goal: Goal, rng: np.random.Generator) -> None:
        """Start a new dialogue."""

    def observe(self, turn: Turn) -> None:
        """Hear the other speaker's turn."""

    def act(self) -> Turn:
        """Take this agent's next turn."""


class Conversation:
    """A customer and a system taking turns, customer first."""

    def __init__(self, customer, system, *, max_turns: int) -> None:
        self.customer = customer
        self.system = system
        self.max_turns = max_turns

    def run(self, goal: Goal, rng: np.random.Generator) -> tuple[list[Turn], Outcome]:
        customer, system = self.customer, self.system
        customer.reset(goal, rng)
        system.reset(goal, rng)
        turns: list[Turn] = []
        while not system.finished:
            # This exchange leaves no room for another one within the budget: the customer
            # says goodbye now, so the dialogue ends with at most max_turns turns.
            customer.out_of_time = len(turns) + 4 > self.max_turns
            turn = customer.act()
            turns.append(turn)
            system.observe(turn)
            turn = system.act()
            turns.append(turn)
            customer.observe(turn)
        return turns, customer.outcome
