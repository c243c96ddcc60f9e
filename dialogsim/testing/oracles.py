"""The oracles: named checks of a conversation between the simulated customer and a bot.

Each oracle reads the transcript -- what the customer said (its acts and the values of its
spans, or on its INFORM acts for a value said without a span: a boolean, a ``span: false``
type), what the customer understood of each reply, and the API calls the bot reported --
and returns ``Finding`` values. Every one can be switched off by name (``converse(...,
oracles=...)``). ``ORACLES`` maps each name to its one-line description:

- ``goal``: each API of the customer's goal was called, the last time with the values the
  customer finally wanted (after its changes of mind), optional ones included;
- ``arguments``: no call lacks a required argument, has a value of the wrong type, or a
  value the customer never gave or took back;
- ``no_reask``: the bot never asked for a value the customer had already given (or said it
  did not care about), unless the customer took it back;
- ``denied_confirmation``: nothing the customer said no to was acted on: no call of an API
  whose confirmation it denied, none with a value it denied, until it agreed again;
- ``confirmation``: an API (or argument) the scenario says to confirm was called only
  after the customer affirmed it, one confirmation per call;
- ``turn_budget``: the goal was met within the scenario's turn budget;
- ``bot_error``, ``timeout``, ``understood``: the bot raised no exception, answered within
  the timeout, and every reply was understood (its text matches the scenario's response
  templates, or its structured actions name the scenario's APIs and responses). These three
  are found while the conversation runs, which each of them ends.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import attrs

from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import Act, ApiCall, ApiStatus, Outcome, Response, SystemTurn, UserTurn
from dialogsim.goal import Goal
from dialogsim.schema import ResponseAct, Scenario
from dialogsim.testing.protocol import BotReply

__all__ = ["ORACLES", "Finding", "Exchange", "Ending", "check_oracles", "oracle_names"]

ORACLES: Mapping[str, str] = {
    "goal": "each goal API was called with the customer's final values",
    "arguments": "no call with a missing argument, a wrong type, or a value the customer never gave or took back",
    "no_reask": "nothing the customer already said was asked again",
    "denied_confirmation": "nothing the customer said no to was acted on",
    "confirmation": "a confirmed API or argument was called only after the customer affirmed it",
    "turn_budget": "the goal was met within the turn budget",
    "bot_error": "the bot raised no exception",
    "timeout": "the bot answered within the timeout",
    "understood": "every reply was understood",
}


@attrs.frozen(kw_only=True)
class Finding:
    """What oracle ``oracle`` found wrong at exchange ``turn`` (0-based; -1: the whole
    conversation)."""

    oracle: str
    turn: int
    message: str

    def to_json(self) -> dict:
        return {"oracle": self.oracle, "turn": self.turn, "message": self.message}


@attrs.frozen(kw_only=True)
class Exchange:
    """One customer turn and the bot's answer: ``reply`` as the bot gave it (None when it
    raised or timed out), ``heard`` what the customer understood (None: nothing)."""

    user: UserTurn
    reply: BotReply | None
    heard: SystemTurn | None
    seconds: float

    @property
    def calls(self) -> tuple[ApiCall, ...]:
        return () if self.reply is None else self.reply.reported_calls

    @property
    def responses(self) -> tuple[Response, ...]:
        return () if self.heard is None else tuple(a for a in self.heard.actions if isinstance(a, Response))


@attrs.frozen(kw_only=True)
class Ending:
    """How the conversation ended: the customer's outcome, whether it left for lack of
    turns, whether the turn cap cut it, whether a bot failure stopped it."""

    outcome: Outcome
    out_of_time: bool
    cut_off: bool
    stopped: bool


def oracle_names(names: Iterable[str] | None) -> frozenset[str]:
    """The oracles to run: all for None; a ValueError names an unknown one."""
    if names is None:
        return frozenset(ORACLES)
    chosen = frozenset([names] if isinstance(names, str) else names)
    unknown = sorted(chosen - set(ORACLES))
    if unknown:
        raise ValueError(f"unknown oracle {unknown[0]!r}; the oracles are {', '.join(ORACLES)}")
    return chosen


def _spanless(user: UserTurn) -> list[tuple[str, str]]:
    """The (slot, value) pairs ``user`` gave without a span ("with outdoor seating", a yes to
    "Do you want outdoor seating?"): on its INFORM acts, given just as a span's value is."""
    return [(slot, value) for _, slot, value in user.unspanned()]


def _given(user: UserTurn) -> list[tuple[str, str]]:
    """The (slot, value) pairs the customer gave in ``user``: its spans, less those that pick
    a result by a field's value ("the Southwest one": a pick, not a value given), and the
    values said without a span."""
    picks = {a.slot for a in user.acts if a.act is Act.SELECT} - {a.slot for a in user.acts if a.act is Act.INFORM}
    return [(s.slot, s.value) for s in user.spans if s.slot not in picks] + _spanless(user)


class _Facts:
    """What the customer had said by each exchange, read once for all oracles."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue, exchanges: tuple[Exchange, ...]) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self.prompt: list[Response | None] = []  # what each customer turn answers
        self.said: list[dict[str, str]] = []  # slot -> latest value, after each customer turn
        self.ever: list[dict[str, set[str]]] = []  # slot -> every value said so far
        self.dont_care: list[set[str]] = []
        self.results: list[set[str]] = []  # result values reported before each exchange's calls
        said: dict[str, str] = {}
        ever: dict[str, set[str]] = {}
        dont_care: set[str] = set()
        seen: set[str] = set()
        prompt: Response | None = None
        for exchange in exchanges:
            user = exchange.user
            for name, value in _given(user):
                said[name] = value
                ever.setdefault(name, set()).add(value)
                dont_care.discard(name)
            for act in user.acts:
                if act.act is Act.DONT_CARE:
                    slot = act.slot or (self.template(prompt).slot if prompt is not None else None)
                    if slot is not None:
                        dont_care.add(slot)
            if prompt is not None and user.has(Act.DENY):
                template = self.template(prompt)
                if template.act is ResponseAct.CONFIRM_ARGS and template.slot and user.span_for(template.slot) is None \
                        and all(slot != template.slot for slot, _ in _spanless(user)):
                    said.pop(template.slot, None)  # "no" to a value, with no other: taken back
            self.prompt.append(prompt)
            self.said.append(dict(said))
            self.ever.append({k: set(v) for k, v in ever.items()})
            self.dont_care.append(set(dont_care))
            self.results.append(set(seen))
            for call in exchange.calls:
                seen |= set(_strings(call.result))
            responses = exchange.responses
            prompt = responses[-1] if responses else None

    def template(self, response: Response):
        return self.scenario.responses[response.name]

    def canonical(self, type_name: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = self.catalogue.canonical(type_name, value)
        return value if found is None else found


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _strings(v)


def _goal(facts: _Facts, goal: Goal, exchanges, ending: Ending) -> list[Finding]:
    if ending.stopped or ending.out_of_time or ending.cut_off or not exchanges:
        return []  # a bot failure or the budget says what went wrong
    scenario = facts.scenario
    out: list[Finding] = []
    final, dont_care = facts.said[-1], facts.dont_care[-1]
    reported_any = any(ex.calls for ex in exchanges)
    for api in goal.apis:
        calls = [(i, c) for i, ex in enumerate(exchanges) for c in ex.calls if c.name == api]
        if not calls:
            if ending.outcome is Outcome.FAILED and any(c.status is not ApiStatus.OK for ex in exchanges
                                                         for c in ex.calls):
                break  # the bot's backend failed and the customer gave up: not the bot's policy
            why = "" if reported_any else " (the bot reported no API calls at all)"
            out.append(Finding(oracle="goal", turn=-1, message=f"{api} of the goal was never called{why}"))
            continue
        i, last = calls[-1]
        if last.status is not ApiStatus.OK:
            continue
        for arg in scenario.customer_args(api):
            if arg.name in dont_care or arg.name not in final:
                continue
            got = last.args.get(arg.name)
            value = None if got is None else facts.canonical(arg.type, got.value)
            if value != final[arg.name]:
                shown = "without it" if got is None else f"with {arg.name}={value!r}"
                out.append(Finding(oracle="goal", turn=i, message=(
                    f"{api} was last called {shown}, but the customer's final {arg.name} is {final[arg.name]!r}")))
    return out


def _arguments(facts: _Facts, goal: Goal, exchanges, ending: Ending) -> list[Finding]:
    scenario = facts.scenario
    out: list[Finding] = []
    for i, exchange in enumerate(exchanges):
        said, ever, dont_care = facts.said[i], facts.ever[i], facts.dont_care[i]
        for call in exchange.calls:
            spec = scenario.apis.get(call.name)
            if spec is None:
                out.append(Finding(oracle="arguments", turn=i, message=f"called an unknown API {call.name!r}"))
                continue
            sayable = {a.name for a in scenario.customer_args(call.name)}
            for required in spec.required:
                if required.name not in call.args:
                    out.append(Finding(oracle="arguments", turn=i,
                                       message=f"{call.name} was called without its required {required.name}"))
            for name, given in call.args.items():
                arg = spec.arg(name)
                if arg is None:
                    out.append(Finding(oracle="arguments", turn=i,
                                       message=f"{call.name} was called with an unknown argument {name!r}"))
                    continue
                slot_type = scenario.types[arg.type]
                value = given.value
                if slot_type.is_entity:
                    if not isinstance(value, Mapping) or not set(slot_type.fields) <= set(value):
                        out.append(Finding(oracle="arguments", turn=i, message=(
                            f"{call.name} was called with {name}={value!r}, not a {arg.type}")))
                    continue
                value = facts.canonical(arg.type, value)
                if not isinstance(value, str) or (slot_type.faker is None and value != arg.default
                                                  and value not in facts.catalogue.all_values(arg.type)):
                    out.append(Finding(oracle="arguments", turn=i, message=(
                        f"{call.name} was called with {name}={value!r}, not a {arg.type}")))
                    continue
                if name not in sayable or value == said.get(name) or value in facts.results[i]:
                    continue
                if arg.optional and value == arg.default and (name not in said or name in dont_care):
                    continue
                if value in ever.get(name, ()):
                    why = f"which the customer took back (it now wants {said[name]!r})" if name in said else (
                        "which the customer took back")
                elif name in said:
                    why = f"but the customer asked for {said[name]!r}"
                else:
                    why = "which the customer never gave"
                out.append(Finding(oracle="arguments", turn=i, message=f"{call.name} was called with "
                                                                       f"{name}={value!r}, {why}"))
    return out


def _no_reask(facts: _Facts, goal: Goal, exchanges, ending: Ending) -> list[Finding]:
    out: list[Finding] = []
    slots = facts.scenario.slots
    for i, exchange in enumerate(exchanges):
        for response in exchange.responses:
            template = facts.template(response)
            slot = template.slot
            if template.act is not ResponseAct.REQUEST or slot is None:
                continue
            if slot not in slots or facts.scenario.types[slots[slot]].is_entity:
                continue  # a pick among results, asked again when new ones came
            if slot in facts.said[i]:
                out.append(Finding(oracle="no_reask", turn=i, message=(
                    f"asked for {slot} again ({response.name}); the customer had said {facts.said[i][slot]!r}")))
            elif slot in facts.dont_care[i]:
                out.append(Finding(oracle="no_reask", turn=i, message=(
                    f"asked for {slot} again ({response.name}); the customer had said it did not care")))
    return out


def _confirmations(facts: _Facts, goal: Goal, exchanges, ending: Ending, *, which: str) -> list[Finding]:
    """``denied_confirmation`` and ``confirmation``: one pass over the prompts, two oracles."""
    scenario = facts.scenario
    out: list[Finding] = []
    denied_api: dict[str, int] = {}  # API -> exchange where its confirmation was denied
    affirmed_api: set[str] = set()
    denied_values: dict[str, set] = {}
    affirmed_values: dict[str, Any] = {}
    for i, exchange in enumerate(exchanges):
        user, prompt = exchange.user, facts.prompt[i]
        template = None if prompt is None else facts.template(prompt)
        if template is not None and template.act is ResponseAct.CONFIRM_API and template.api:
            if user.has(Act.DENY):
                denied_api[template.api] = i
                affirmed_api.discard(template.api)
            elif user.has(Act.AFFIRM):
                affirmed_api.add(template.api)
                denied_api.pop(template.api, None)
        if template is not None and template.act is ResponseAct.CONFIRM_ARGS and template.slot:
            slot = template.slot
            shown = prompt.args.get(slot) if prompt is not None else None
            before = facts.said[i - 1].get(slot) if i else None
            value = facts.canonical(scenario.slots.get(slot, ""), shown.value) if shown is not None else before
            if user.has(Act.DENY):
                denied_values.setdefault(slot, set()).add(value)
            elif user.has(Act.AFFIRM):
                affirmed_values[slot] = value
        for slot, value in [(s.slot, s.value) for s in user.spans] + _spanless(user):
            denied_values.get(slot, set()).discard(value)
        for call in exchange.calls:
            spec = scenario.apis.get(call.name)
            if spec is None:
                continue
            if which == "denied_confirmation":
                if call.name in denied_api:
                    out.append(Finding(oracle=which, turn=i, message=(
                        f"called {call.name} after the customer said no to confirming it (turn {denied_api[call.name]})")))
                for name, given in call.args.items():
                    value = facts.canonical(scenario.slots.get(name, ""), given.value)
                    if isinstance(value, str) and value in denied_values.get(name, ()):
                        out.append(Finding(oracle=which, turn=i, message=(
                            f"called {call.name} with {name}={value!r}, which the customer said was wrong")))
            else:
                if spec.confirm and call.name not in affirmed_api:
                    out.append(Finding(oracle=which, turn=i, message=(
                        f"called {call.name} without the customer affirming confirm_{call.name} first")))
                for arg in spec.args:
                    given = call.args.get(arg.name)
                    if arg.confirm and given is not None and \
                            affirmed_values.get(arg.name) != facts.canonical(arg.type, given.value):
                        out.append(Finding(oracle=which, turn=i, message=(
                            f"called {call.name} with {arg.name}={given.value!r}, which the customer never "
                            f"affirmed (confirm_{arg.name})")))
            affirmed_api.discard(call.name)  # one confirmation covers one call
    return out


def _turn_budget(facts: _Facts, goal: Goal, exchanges, ending: Ending) -> list[Finding]:
    if ending.stopped:
        return []
    if ending.cut_off:
        return [Finding(oracle="turn_budget", turn=-1, message="the conversation ran into the turn cap")]
    if ending.out_of_time and ending.outcome is Outcome.FAILED:
        return [Finding(oracle="turn_budget", turn=-1,
                        message="the customer ran out of turns before its goal was met")]
    return []


_CHECKS: Mapping[str, Callable[..., list[Finding]]] = {
    "goal": _goal,
    "arguments": _arguments,
    "no_reask": _no_reask,
    "denied_confirmation": lambda *a: _confirmations(*a, which="denied_confirmation"),
    "confirmation": lambda *a: _confirmations(*a, which="confirmation"),
    "turn_budget": _turn_budget,
}


def check_oracles(scenario: Scenario, catalogue: Catalogue, goal: Goal, exchanges: tuple[Exchange, ...],
                  ending: Ending, names: frozenset[str]) -> list[Finding]:
    """The findings of the transcript oracles in ``names`` (the running ones are the
    driver's)."""
    facts = _Facts(scenario, catalogue, exchanges)
    out: list[Finding] = []
    for name, check in _CHECKS.items():
        if name in names:
            out += check(facts, goal, exchanges, ending)
    return out
