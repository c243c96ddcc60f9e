"""A customer played by the test, talking to a real ``SystemAgent``: the user acts of each
turn are given by the test (``talk.say("select 1")``, ``talk.say(origin="Boston")``),
realised by the real ``Realiser``, and the system's calls go to a scripted backend (three
items for every list). Shared by tests/test_agents.py and tests/test_system_policy.py."""

from __future__ import annotations

import attrs
import numpy as np

from dialogsim.agents.system import SystemAgent
from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import Act, ApiStatus, SpanRef, SystemTurn, UserAct
from dialogsim.goal import Goal
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.realiser import Realiser


class ScriptedBackend:
    """Answers each call OK with a generated result (three items for a list), unless the
    test scripted a status for that API's next call."""

    def __init__(self, scenario, catalogue, script: dict[str, list[ApiStatus]] | None = None) -> None:
        self.scenario, self.catalogue = scenario, catalogue
        self.script = {api: list(statuses) for api, statuses in (script or {}).items()}
        self.calls: list[tuple[str, dict]] = []

    def reset(self, goal) -> None:
        self.calls = []

    def call(self, api, args, rng, *, first=True):
        self.calls.append((api, dict(args)))
        queued = self.script.get(api)
        status = queued.pop(0) if queued else ApiStatus.OK
        spec = self.scenario.apis[api]
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        return status, {spec.returns.name: self.catalogue.result(spec, rng, count=3)}


def user_acts(*specs: str) -> list[UserAct]:
    """``"invoke SearchFlight"``, ``"select 1"``, ``"dont_care cabin"``, ``"affirm"`` ..."""
    out = []
    for spec in specs:
        act, _, target = spec.partition(" ")
        if act == "invoke":
            out.append(UserAct(act=Act.INVOKE, api=target))
        elif act == "select":
            out.append(UserAct(act=Act.SELECT, item=int(target)))
        else:
            out.append(UserAct(act=Act(act), slot=target or None))
    return out


ROOM = 40  # turns left in the budget: plenty
_BUILT: dict[int, tuple] = {}  # id(scenario) -> (scenario, catalogue, realiser)


class Talk:
    """A customer played by the test, talking to a real ``SystemAgent``."""

    def __init__(self, scenario, script=None, seed: int = 0, **config) -> None:
        self.scenario = scenario
        if id(scenario) not in _BUILT:  # a realiser takes a second to build: once per scenario
            catalogue = Catalogue(scenario)
            _BUILT[id(scenario)] = (scenario, catalogue, Realiser(scenario, catalogue))
        _, self.catalogue, self.realiser = _BUILT[id(scenario)]
        # No chance confirmations unless a test asks: each test scripts one exact exchange.
        config = attrs.evolve(scenario.simulation, **{"echo": 0.0, "confirm_value": "never", **config})
        self.backend = ScriptedBackend(scenario, self.catalogue, script)
        self.system = SystemAgent(scenario, DependencyGraph(scenario), self.backend, self.realiser, config=config)
        self.rng = np.random.default_rng(seed)
        self.system.reset(Goal(apis=[next(iter(scenario.apis))]), self.rng)
        self.turns: list = []

    def say(self, *specs: str, **values: str) -> SystemTurn:
        acts = user_acts(*specs) + [UserAct(act=Act.INFORM, slot=slot) for slot in values]
        turn = self.realiser.user_turn(acts, values, self.rng)
        self.turns.append(turn)
        self.system.observe(turn)
        reply = self.system.act(ROOM)
        self.turns.append(reply)
        return reply

    @property
    def last_user(self) -> int:
        return len(self.turns) - 2

    def span(self, slot: str, turn: int | None = None) -> SpanRef:
        """The ref of ``slot``'s span in user turn ``turn`` (default: the latest)."""
        t = self.last_user if turn is None else turn
        index = self.turns[t].span_for(slot)
        assert index is not None, (slot, self.turns[t])
        return SpanRef(t, index)


def names(turn: SystemTurn) -> list[str]:
    return [a.name for a in turn.actions]
