"""The seats of a conversation, and the loop that makes their occupants take turns.

After ParlAI's ``DialogPartnerWorld.parley``: one agent acts, the other observes, then the
reverse. Everything the loop needs from an agent is declared here, so either seat can be
filled by anything that follows the protocol -- the simulated customer and system
(``dialogsim.agents``), a learned policy, or a user's bot behind an adapter:

- ``Agent``: ``reset(goal, rng)`` starts a dialogue with the agent's own generator;
  ``observe(turn)`` hears the other seat; ``act(turns_left) -> Turn`` speaks, told how many
  turns the budget still has (this one included) so that it can close in time;
  ``finished`` says it has ended the dialogue (said goodbye).
- ``Customer``: an ``Agent`` that also knows whether its goal was met (``outcome``): only
  the customer holds the goal.

``Conversation`` alternates them, customer first, until either has finished, and never
lets a dialogue run past ``max_turns`` turns: an agent that never says goodbye is cut off
there (the simulated customer says goodbye before, so its dialogues close properly).
Each agent draws from its own generator, so replacing one never changes the other's draws.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from dialogsim.dialogue import Outcome, Turn
from dialogsim.goal import Goal

__all__ = ["Agent", "Customer", "Conversation"]


@runtime_checkable
class Agent(Protocol):
    """One seat of a conversation."""

    @property
    def finished(self) -> bool:
        """True once this agent has ended the dialogue (said goodbye)."""

    def reset(self, goal: Goal, rng: np.random.Generator) -> None:
        """Start a new dialogue about ``goal``, drawing only from ``rng``. (A system agent
        must not read the goal's wishes; its mock backend reads the scripted outcomes.)"""

    def observe(self, turn: Turn) -> None:
        """Hear the other seat's turn."""

    def act(self, turns_left: int) -> Turn:
        """Take this agent's next turn; ``turns_left`` counts the turns the budget still
        has room for, this one included."""


@runtime_checkable
class Customer(Agent, Protocol):
    """The customer's seat: an agent that can tell whether its goal was met."""

    @property
    def outcome(self) -> Outcome:
        """How the dialogue went for the customer, so far."""


class Conversation:
    """A customer and a system taking turns, customer first, within ``max_turns`` turns."""

    def __init__(self, customer: Customer, system: Agent, *, max_turns: int) -> None:
        if max_turns < 2:
            raise ValueError(f"max_turns must leave room for one exchange (2 turns), got {max_turns}")
        self.customer = customer
        self.system = system
        self.max_turns = max_turns

    def run(self, goal: Goal, *, customer_rng: np.random.Generator,
            system_rng: np.random.Generator) -> tuple[list[Turn], Outcome]:
        """The turns of one dialogue about ``goal`` and the customer's outcome."""
        customer, system = self.customer, self.system
        customer.reset(goal, customer_rng)
        system.reset(goal, system_rng)
        turns: list[Turn] = []
        while len(turns) + 2 <= self.max_turns:
            turn = customer.act(self.max_turns - len(turns))
            turns.append(turn)
            system.observe(turn)
            turn = system.act(self.max_turns - len(turns))
            turns.append(turn)
            customer.observe(turn)
            if system.finished or customer.finished:
                break
        return turns, customer.outcome
