"""The conversation loop and the seats' contract: typed protocol, hard turn cap, one
generator per seat, and the system's decision as a function of its typed state."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

import dialogsim
from dialogsim.agents.customer import CustomerAgent
from dialogsim.agents.system import SystemAgent
from dialogsim.conversation import Agent, Conversation, Customer
from dialogsim.dialogue import Act, Outcome, Response, SystemTurn, UserAct, UserTurn
from dialogsim.draws import dialogue_rngs
from dialogsim.simulation import Simulator
from dialogsim.state import SystemState

_FLIGHTS = dialogsim.load_scenario(dialogsim.scenarios.path("flights"))


class Chatterbox:
    """A system that never closes the dialogue: it asks "anything else?" forever."""

    finished = False

    def reset(self, goal, rng) -> None:
        pass

    def observe(self, turn) -> None:
        pass

    def act(self, turns_left: int) -> SystemTurn:
        return SystemTurn(actions=[Response(name="reqmore", text="Anything else?")])


class Replay:
    """A system that replays recorded turns and draws nothing."""

    finished = False

    def __init__(self, turns) -> None:
        self.turns = list(turns)

    def reset(self, goal, rng) -> None:
        self.next = iter(self.turns)

    def observe(self, turn) -> None:
        pass

    def act(self, turns_left: int) -> SystemTurn:
        turn = next(self.next)
        self.finished = any(isinstance(a, Response) and a.name == "goodbye" for a in turn.actions)
        return turn


class Stubborn:
    """A customer that never says goodbye, whatever the budget."""

    finished = False
    outcome = Outcome.FAILED

    def reset(self, goal, rng) -> None:
        pass

    def observe(self, turn) -> None:
        pass

    def act(self, turns_left: int) -> UserTurn:
        return UserTurn(text="hm", acts=[UserAct(act=Act.THANK)])


def _simulator(**config) -> Simulator:
    return Simulator(_FLIGHTS, attrs.evolve(_FLIGHTS.simulation, **config))


def test_the_simulated_agents_fill_the_seats():
    sim = _simulator()
    assert isinstance(sim.customer, CustomerAgent) and isinstance(sim.customer, Customer)
    assert isinstance(sim.system, SystemAgent) and isinstance(sim.system, Agent)


@pytest.mark.parametrize("max_turns", [4, 7, 12])
def test_a_system_that_never_closes_is_cut_off_at_the_turn_cap(max_turns):
    sim = _simulator()
    rngs = dialogue_rngs(0, 0)
    conversation = Conversation(sim.customer, Chatterbox(), max_turns=max_turns)
    turns, _ = conversation.run(sim.goals.sample(rngs.goal), customer_rng=rngs.customer, system_rng=rngs.system)
    assert max_turns - 1 <= len(turns) <= max_turns
    assert turns[-2].has(Act.GOODBYE)  # the simulated customer still closed in time


def test_a_customer_that_never_says_goodbye_is_cut_off_at_the_turn_cap():
    sim = _simulator()
    rngs = dialogue_rngs(0, 0)
    turns, outcome = Conversation(Stubborn(), sim.system, max_turns=9).run(
        sim.goals.sample(rngs.goal), customer_rng=rngs.customer, system_rng=rngs.system)
    assert len(turns) == 8 and outcome is Outcome.FAILED


@pytest.mark.parametrize("index", range(6))
def test_replacing_the_system_leaves_the_customers_draws_alone(index):
    """A system that says the same things but draws nothing: the customer says the same."""
    sim = _simulator()
    dialogue = sim.dialogue(3, index)
    system_turns = [t for t in dialogue.turns if isinstance(t, SystemTurn)]
    rngs = dialogue_rngs(3, index)
    turns, outcome = Conversation(sim.customer, Replay(system_turns), max_turns=sim.config.max_turns).run(
        sim.goals.sample(rngs.goal), customer_rng=rngs.customer, system_rng=np.random.default_rng(99))
    assert tuple(turns) == dialogue.turns and outcome is dialogue.outcome


def _states(sim: Simulator, seed: int, index: int):
    """(state before, user turn, state after, system turn) for each exchange of a dialogue."""
    dialogue = sim.dialogue(seed, index)
    policy = sim.system.policy
    policy.backend.reset(dialogue.goal)
    state, rng = SystemState(), dialogue_rngs(seed, index).system
    for user, system in zip(dialogue.turns[::2], dialogue.turns[1::2]):
        after, turn = policy.step(state, user, rng)
        yield state, user, after, turn, system
        state = after


@pytest.mark.parametrize("index", range(8))
def test_the_policy_step_reproduces_the_agent_from_its_state(index):
    sim = _simulator(empty_result=0.3, api_failure=0.2, change_of_mind=0.5)
    for _, _, _, turn, system in _states(sim, 5, index):
        assert turn == system


def test_the_policy_step_is_a_function_of_state_and_turn():
    sim = _simulator()
    policy = sim.system.policy
    for before, user, _, _, _ in _states(sim, 1, 2):
        again_after, again = policy.step(before, user, np.random.default_rng(0))
        once_more_after, once_more = policy.step(before, user, np.random.default_rng(0))
        assert (again_after, again) == (once_more_after, once_more)  # nothing carried over
        assert again_after.turns == before.turns + 2


def test_the_final_state_is_finished_and_knows_what_was_said():
    sim = _simulator()
    *_, (_, _, last, _, _) = _states(sim, 0, 1)
    assert last.finished
    dialogue = sim.dialogue(0, 1)
    said = {span.slot for turn in dialogue.turns if isinstance(turn, UserTurn) for span in turn.spans}
    assert said <= set(last.known)
