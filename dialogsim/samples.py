"""Sample dialogues replayed against the system policy: samples that teach nonsense.

The goal sampler generalises the sample dialogues, and the action-prediction model learns
the system policy from the corpus; a sample whose system turns the policy would never take
teaches both something else. ``check_samples(scenario)`` feeds each sample's user turns to
``SystemPolicy.step`` (``dialogsim.agents.system``) over a ``SystemState``, the way the
simulator does, and compares the actions the policy takes with the ones the sample lists.

What is an error (``ScenarioError``: ``dialogsim validate`` and ``generate`` stop, exit
status 2) and what a warning (``ScenarioWarning``: printed, the scenario is used):

- **error**, the sample contradicts the scenario itself, whatever policy runs it: an API
  called before one of its required arguments is known (the customer has not said it
  and no earlier call's result can fill it); under the ``explicit`` confirmation policy
  (``simulation: confirmation``), an API or argument declared ``confirm: true`` called
  without a confirmation the customer affirmed since the value was given (or since the
  API's last call); ``select N`` with no list of results said before it, or beyond the
  largest list the API can return.
- **warning**, the policy would take other actions at a turn (ask another argument first,
  offer where the sample asks "anything else?", say a scenario's own response): the
  sample may still be what the developer means, but the corpus will not contain it. Only
  the first such turn of a sample is reported -- after it, the policy's state and the
  sample's have parted, so later turns cannot be compared. The policy replays without
  its optional confirmations (``confirm_value``: a sample need not confirm "NYC";
  ``echo``), so a sample replays the same every time; a sample may still show an echo
  ("Searching Boston to Denver.") right before a call.

Each is located at the sample's turn (``flights.yaml:40: samples[0].turns[3].system: ...``).
The replay's backend answers a call with the empty result or failure the sample reports
after it, or else with the fewest items the sample allows (one more than its highest pick
from that list; two where the system asks which one): a list of one is the reading under
which a sample that asks "when does it leave?" is answered without "which one?".
"""

from __future__ import annotations

from typing import Any, Mapping

import attrs
import numpy as np

from dialogsim.agents.system import SystemPolicy
from dialogsim.backend import MockBackend
from dialogsim.catalogue import MAX_MANY, Catalogue
from dialogsim.coverage import ScenarioWarning
from dialogsim.dialogue import Act, ApiStatus, Arg, UserTurn
from dialogsim.errors import ScenarioError
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.schema import ResponseAct, SampleDialogue, SampleTurn, Scenario
from dialogsim.state import SystemState

__all__ = ["check_samples", "sample_problems"]

_REPORTED = {ResponseAct.NO_RESULTS: ApiStatus.EMPTY, ResponseAct.FAILURE: ApiStatus.FAILURE}


def check_samples(scenario: Scenario) -> list[ScenarioWarning]:
    """Replay every sample of ``scenario``: raise the first error (in file order) as a
    ``ScenarioError``, return the warnings (module docstring)."""
    errors, warnings = sample_problems(scenario)
    if errors:
        raise errors[0]
    return warnings


def sample_problems(scenario: Scenario) -> tuple[list[ScenarioError], list[ScenarioWarning]]:
    """Every error and warning of the samples of ``scenario``, each in file order."""
    replay = _Replay(scenario)
    errors: list[ScenarioError] = []
    warnings: list[ScenarioWarning] = []
    for number, sample in enumerate(scenario.samples):
        sample_errors, warning = replay.run(number, sample)
        errors.extend(sample_errors)
        if warning is not None:
            warnings.append(warning)
    return errors, warnings


def _names(actions: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(actions) + "]" if actions else "nothing"


class _SampleBackend(MockBackend):
    """Answers the replay's calls: the status a sample's turn reports for the API, else a
    result of the size the sample implies (``_Facts.sizes``)."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue) -> None:
        super().__init__(scenario, catalogue)
        self.reported: dict[str, ApiStatus] = {}  # the sample turn being replayed: api -> status
        self.sizes: dict[str, int] = {}  # the sample being replayed: api -> items in its list result

    def call(self, api: str, args: Mapping[str, Arg], rng: np.random.Generator, *,
             first: bool = True) -> tuple[ApiStatus, Mapping[str, Any]]:
        status = self.reported.get(api, ApiStatus.OK)
        spec = self.scenario.apis[api]
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        count = self.sizes.get(api, 1) if spec.returns.many else None
        return status, {spec.returns.name: self.catalogue.result(spec, rng, count=count)}


def _list_size(scenario: Scenario, api: str) -> int:
    """The most items a list result of ``api`` holds: the backend's limit, or fewer
    declared results."""
    spec = scenario.apis[api]
    return min(MAX_MANY, len(spec.results)) if spec.results else MAX_MANY


def _reported(scenario: Scenario, turn: SampleTurn) -> dict[str, ApiStatus]:
    """API -> the empty result or failure that a sample's system turn reports for it."""
    out: dict[str, ApiStatus] = {}
    for name in turn.actions:
        response = scenario.responses.get(name)
        if response is not None and response.api is not None and response.act in _REPORTED:
            out[response.api] = _REPORTED[response.act]
    return out


def _without_echoes(scenario: Scenario, actions: tuple[str, ...]) -> list[str]:
    """``actions`` without the echoes the policy says by chance: the confirmation of an API
    that needs none, right before its call."""
    out: list[str] = []
    for name, after in zip(actions, actions[1:] + ("",)):
        response = scenario.responses.get(name)
        if response is None or response.act is not ResponseAct.CONFIRM_API or response.api != after or \
                scenario.apis[after].confirm:
            out.append(name)
    return out


class _Replay:
    """The system policy and what it needs, built once per scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.graph = DependencyGraph(scenario)
        catalogue = Catalogue(scenario)
        self.backend = _SampleBackend(scenario, catalogue)
        config = attrs.evolve(scenario.simulation, confirm_value="never", echo=0.0)  # module docstring
        self.policy = SystemPolicy(scenario, self.graph, self.backend, Realiser(scenario, catalogue), config=config)

    def run(self, number: int, sample: SampleDialogue) -> tuple[list[ScenarioError], ScenarioWarning | None]:
        """The errors of one sample and the first turn where the policy parts from it."""
        path, where = self.scenario.path, f"samples[{number}].turns"
        facts = _Facts(self.scenario, self.graph)
        errors: list[ScenarioError] = []
        turns = sample.turns
        pairs = [(j, turns[j], turns[j + 1]) for j in range(0, len(turns) - 1, 2)]
        for j, user, system in pairs:
            errors.extend(ScenarioError(path, user.line, f"{where}[{j}]", f"sample {sample.name!r}: {m}")
                          for m in facts.hear(user))
            errors.extend(ScenarioError(path, system.line, f"{where}[{j + 1}].system", f"sample {sample.name!r}: {m}")
                          for m in facts.answer(system))
        self.backend.sizes = facts.sizes
        state = SystemState()
        rng = np.random.default_rng(0)  # wordings and generated values only; the actions do not depend on them
        for j, user, system in pairs:
            self.backend.reported = _reported(self.scenario, system)
            state, said = self.policy.step(state, UserTurn(text=user.text, acts=user.acts, spans=user.spans), rng)
            policy = [action.name for action in said.actions]
            if policy not in (list(system.actions), _without_echoes(self.scenario, system.actions)):
                return errors, ScenarioWarning(
                    path=path, line=system.line, field=f"{where}[{j + 1}].system",
                    message=f"sample {sample.name!r} says {_names(system.actions)}, where the system policy says "
                            f"{_names(policy)}: the corpus will not contain this sample's turn")
        return errors, None


class _Facts:
    """What a sample has established so far, read from its own turns: the values the
    customer gave, the results said, the confirmations affirmed."""

    def __init__(self, scenario: Scenario, graph: DependencyGraph) -> None:
        self.scenario = scenario
        self.graph = graph
        self.said: dict[str, str] = {}  # slot -> value the customer gave
        self.results: list[str] = []  # APIs with a result, oldest first
        self.asked: set[str] = set()  # APIs and slots whose confirmation the last system turn asked
        self.confirmed: dict[str, str | None] = {}  # API or slot -> the slot value confirmed (None: an API)
        self.explicit = scenario.simulation.confirmation == "explicit"  # else no confirmation is waited for
        # api -> the items its list results hold in the replay: the fewest the sample allows
        # (one more than the highest pick from it; two where the system asks "which one?").
        self.sizes: dict[str, int] = {}

    def hear(self, turn: SampleTurn) -> list[str]:
        """Take a user turn; the problems in it."""
        problems: list[str] = []
        acts = {act.act for act in turn.acts}
        if Act.AFFIRM in acts and Act.DENY not in acts:
            for target in self.asked:
                self.confirmed[target] = self.said.get(target) if target not in self.scenario.apis else None
        self.asked = set()
        for span in turn.spans:  # after the yes: "yes, but three nights" confirms the old value
            if self.said.get(span.slot) != span.value:
                self.said[span.slot] = span.value
                self._revised(span.slot)
        for act in turn.acts:
            if act.act is Act.SELECT and act.item is not None:
                problems.extend(self._select(act.item))
        return problems

    def _revised(self, slot: str) -> None:
        self.confirmed.pop(slot, None)
        for name, api in self.scenario.apis.items():
            if api.arg(slot) is not None:
                self.confirmed.pop(name, None)

    def _select(self, item: int) -> list[str]:
        lists = [api for api in self.results if self._returns_list(api)]
        if not lists:
            return [f"select {item}, but no list of results has been said before this turn"]
        api = lists[-1]
        size = _list_size(self.scenario, api)
        if item >= size:
            return [f"select {item} of the results of {api}, which hold at most {size} item{'s' if size > 1 else ''} "
                    f"(select counts from 0)"]
        self.sizes[api] = max(self.sizes.get(api, 1), item + 1)
        return []

    def _returns_list(self, api: str) -> bool:
        returns = self.scenario.apis[api].returns
        return returns is not None and returns.many

    def answer(self, turn: SampleTurn) -> list[str]:
        """Take a system turn; the problems in it."""
        problems: list[str] = []
        responses = self.scenario.responses
        for k, name in enumerate(turn.actions):
            if name in self.scenario.apis:
                problems.extend(self._call(name))
                failed = any(responses[after].act in _REPORTED and responses[after].api == name
                             for after in turn.actions[k + 1:] if after in responses)
                if not failed:
                    if name in self.results:
                        self.results.remove(name)
                    self.results.append(name)
                continue
            response = responses[name]
            if response.act is ResponseAct.REQUEST and response.slot is not None:
                self._which_one(response.slot)
            if response.act is ResponseAct.CONFIRM_API and response.api is not None:
                self.asked.add(response.api)
            elif response.act is ResponseAct.CONFIRM_ARGS:
                self.asked.update([response.slot] if response.slot else response.args)
        return problems

    def _which_one(self, slot: str) -> None:
        """The system asks for ``slot``: where a list result said before can fill it, the
        sample has the system ask which item, so that list holds several."""
        for api in self.scenario.apis.values():
            if api.arg(slot) is not None:
                for source in self.graph.feeders(api.name, slot):
                    if source in self.results and self._returns_list(source) and _list_size(self.scenario, source) > 1:
                        self.sizes[source] = max(self.sizes.get(source, 1), 2)

    def _call(self, name: str) -> list[str]:
        spec = self.scenario.apis[name]
        problems: list[str] = []
        customer = {arg.name for arg in self.scenario.customer_args(name)}
        for arg in spec.required:
            given = arg.name in customer and arg.name in self.said
            fed = any(source in self.results for source in self.graph.feeders(name, arg.name))
            if given or fed:
                continue
            if arg.name in customer:
                problems.append(f"calls {name} before its required argument {arg.name!r} is known: the customer "
                                f"has not said it, and the system policy asks for it first")
            else:
                feeders = sorted(self.graph.feeders(name, arg.name))
                first = f"the system policy first calls {' or '.join(feeders)}" if feeders else "no API gives it"
                problems.append(f"calls {name} before its required argument {arg.name!r} is known: no earlier "
                                f"call's result gives it ({first})")
        for arg in spec.args:
            if self.explicit and arg.confirm and arg.name in self.said and self.confirmed.get(arg.name) != self.said[arg.name]:
                problems.append(f"calls {name} before the customer confirmed {arg.name!r} ({arg.name} is "
                                f"confirm: true); the system policy confirms it first")
        if self.explicit and spec.confirm and name not in self.confirmed:
            asks = [r.name for r in self.scenario.responses.values()
                    if r.act is ResponseAct.CONFIRM_API and r.api == name][:1] or ["its confirmation"]
            problems.append(f"calls {name} without the confirmation it requires (confirm: true): the system "
                            f"policy says {asks[0]} first and calls it once the customer affirms")
        self.confirmed.pop(name, None)  # a confirmation covers one call
        return problems
