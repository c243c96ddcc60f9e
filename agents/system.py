"""The system ("Alexa") agent: a state-machine policy over the API dependency graph.

``SystemAgent`` tracks what it knows -- argument values the customer gave (with the span
they came from) and API results (with the action that produced them) -- so it never asks
for a value it already has: contextual carryover comes from ``known`` outliving the API
that first needed it. Each turn it handles the customer's acts (``_observe``), then
``_advance`` works on the active API: request the first missing required argument, confirm
the arguments and the API where the scenario says so, call the API on the mock backend,
inform the result, and offer the next API of the graph. A turn is the list of actions up
to the point where the system waits for the customer -- the sequence the action-prediction
model learns, with the implicit stop at its end.

The agent never reads the goal; only its backend reads the scripted API outcomes.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from dialogsim.dialogue import (
    Act,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Response,
    SpanRef,
    SystemTurn,
    UserTurn,
)
from dialogsim.goal import Goal
from dialogsim.graph import DependencyGraph
from dialogsim.schema import Scenario

__all__ = ["SystemAgent", "Waiting"]


class Waiting(str, enum.Enum):
    """What the system's last turn asked the customer; how it reads the next answer."""

    NOTHING = "nothing"
    REQUEST = "request"  # an argument value (or a pick among results, for an entity argument)
    CONFIRM_ARG = "confirm_arg"
    CONFIRM_API = "confirm_api"
    OFFER = "offer"
    REQMORE = "reqmore"


_NEED = object()  # _resolve's answer when the customer must be asked


class SystemAgent:
    def __init__(self, scenario: Scenario, graph: DependencyGraph, backend, realiser) -> None:
        self.scenario = scenario
        self.graph = graph
        self.backend = backend
        self.realiser = realiser
        # (api, argument) pairs whose value the customer gives; the others come from results.
        self._customer_arg = {(api, arg.name) for api in scenario.apis for arg in scenario.customer_args(api)}
        self._order = {name: i for i, name in enumerate(scenario.apis)}
        # The graph's answers, asked on every turn: (api, argument) -> the APIs whose output
        # can fill it; api -> the APIs that take its output, in scenario order (what to offer).
        self._feeders = {(name, arg.name): graph.feeders(name, arg.name)
                         for name, api in scenario.apis.items() for arg in api.args}
        self._offers = {name: tuple(sorted(graph.successors(name), key=self._order.__getitem__))
                        for name in scenario.apis}

    # -- protocol -------------------------------------------------------------------
    def reset(self, goal: Goal, rng: np.random.Generator) -> None:
        self.rng = rng
        self.backend.reset(goal)
        self.turn_index = 0
        self.finished = False
        self.known: dict[str, Arg] = {}  # slot -> value given by the customer
        self.confirmed: dict[str, Any] = {}  # slot -> the value the customer confirmed
        self.dont_care: set[str] = set()
        self.asked: set[tuple[str, str]] = set()  # optional arguments asked once
        self.results: dict[str, tuple[ApiRef, Any]] = {}  # api -> latest successful result
        self.recency: list[str] = []  # APIs with results, most recent last
        self.selection: dict[str, int] = {}  # api -> item the customer picked from its list result
        self.api_confirmed: set[str] = set()
        self.done: set[str] = set()
        self.active: str | None = None
        self.stack: list[str] = []  # APIs waiting for an upstream API to run first
        self.waiting = Waiting.NOTHING
        self.waiting_for: str | None = None
        self._turn: UserTurn | None = None

    def observe(self, turn: UserTurn) -> None:
        self._turn = turn
        self._user_index = self.turn_index
        self.turn_index += 1

    def act(self) -> SystemTurn:
        actions: list = []
        closing = self._observe(self._turn, actions)
        if closing:
            self._say(actions, "goodbye", {})
            self.finished = True
        else:
            self._advance(actions)
            if not actions:
                self._prompt_more(actions)
        self.turn_index += 1
        return SystemTurn(actions=actions)

    # -- reading the customer ---------------------------------------------------------
    def _observe(self, turn: UserTurn, actions: list) -> bool:
        """Update the state from the customer's acts; answer result questions; True when
        the customer ends the dialogue."""
        index = self._user_index
        changed: set[str] = set()
        for i, span in enumerate(turn.spans):
            old = self.known.get(span.slot)
            if old is None or old.value != span.value:
                changed.add(span.slot)
            self.known[span.slot] = Arg(value=span.value, ref=SpanRef(index, i))
            self.dont_care.discard(span.slot)
        waiting, waiting_for = self.waiting, self.waiting_for
        self.waiting, self.waiting_for = Waiting.NOTHING, None
        closing = cancelled = False
        for act in turn.acts:
            kind = act.act
            if kind is Act.INVOKE:
                self._activate(act.api)
            elif kind is Act.DONT_CARE:
                slot = act.slot or (waiting_for if waiting is Waiting.REQUEST else None)
                if slot is not None:
                    self.dont_care.add(slot)
            elif kind is Act.SELECT:
                self._select(act.item or 0)
            elif kind is Act.AFFIRM:
                if waiting is Waiting.CONFIRM_API:
                    self.api_confirmed.add(waiting_for)
                elif waiting is Waiting.CONFIRM_ARG and waiting_for in self.known:
                    self.confirmed[waiting_for] = self.known[waiting_for].value
                elif waiting is Waiting.OFFER and self.active is None:
                    self._activate(waiting_for)
            elif kind is Act.DENY:
                if waiting is Waiting.CONFIRM_API and not changed:
                    cancelled = True  # "no, don't book it"
                    self.active, self.stack = None, []
                elif waiting is Waiting.CONFIRM_ARG and waiting_for not in changed:
                    self.known.pop(waiting_for, None)  # wrong value, none given instead: ask again
                elif waiting is Waiting.REQMORE and not turn.has(Act.INVOKE):
                    closing = True
            elif kind is Act.REQUEST:
                self._answer_request(act.slot, actions)
            elif kind is Act.GOODBYE:
                closing = True
        for slot in changed:
            self._revised(slot)
        if cancelled and not closing:
            self._say(actions, "reqmore", {})
            self.waiting = Waiting.REQMORE
        if actions and not closing and self.active is None and not cancelled:
            # A question about a result was answered; ask again what was pending.
            self._repeat_prompt(waiting, waiting_for, actions)
        return closing

    def _activate(self, api: str | None) -> None:
        if api is None or api not in self.scenario.apis:
            return
        if self.active != api:
            self.stack = []
        self.active = api
        self.done.discard(api)  # asked again ("play it again"): call it again
        self.api_confirmed.discard(api)

    def _select(self, item: int) -> None:
        for api in reversed(self.recency):
            value = self.results[api][1]
            if isinstance(value, tuple):
                self.selection[api] = min(max(item, 0), len(value) - 1)
                return

    def _revised(self, slot: str) -> None:
        """A value changed: drop confirmations that covered it and redo the API it fed."""
        self.confirmed.pop(slot, None)
        for name, api in self.scenario.apis.items():
            if api.arg(slot) is None:
                continue
            self.api_confirmed.discard(name)
            if name in self.done and self.active is None:
                self.done.discard(name)
                self.active = name

    def _answer_request(self, field: str | None, actions: list) -> None:
        for api in reversed(self.recency):
            spec = self.scenario.apis[api]
            out_type = self.scenario.types[spec.returns.type]
            if field in out_type.fields:
                ref, value = self.results[api]
                item = self.selection.get(api, 0) if isinstance(value, tuple) else None
                if item is not None:
                    value, ref = value[item], ApiRef(ref.turn, ref.action, item)
                self._say(actions, f"inform_{api}_{field}", {spec.returns.name: Arg(value=value, ref=ref)})
                return

    def _repeat_prompt(self, waiting: Waiting, waiting_for: str | None, actions: list) -> None:
        if waiting is Waiting.OFFER:
            self._say(actions, f"offer_{waiting_for}", {})
            self.waiting, self.waiting_for = waiting, waiting_for
        else:
            self._prompt_more(actions)

    # -- acting ----------------------------------------------------------------------
    def _advance(self, actions: list) -> None:
        """Work on the active API until the customer must answer or nothing is left."""
        while self.active is not None:
            spec = self.scenario.apis[self.active]
            args: dict[str, Arg] = {}
            for arg in spec.args:
                value = self._resolve(spec.name, arg)
                if value is _NEED:
                    self._say(actions, f"request_{arg.name}", {})
                    self.waiting, self.waiting_for = Waiting.REQUEST, arg.name
                    return
                if value is None:  # an upstream API must run first
                    break
                args[arg.name] = value
            else:
                if self._confirm(spec, args, actions):
                    return
                if not self._call(spec, args, actions):
                    return
                continue
            # switched to an upstream API; loop again with it active

    def _resolve(self, api: str, arg):
        """The argument's value, ``_NEED`` to ask the customer, or None after switching to
        an upstream API that must produce it."""
        if arg.name in self.known and (api, arg.name) in self._customer_arg:
            return self.known[arg.name]
        feeders = self._feeders[api, arg.name]
        for source in sorted(feeders, key=self._recent, reverse=True) if len(feeders) > 1 else feeders:
            if source not in self.results:
                continue
            ref, value = self.results[source]
            if not isinstance(value, tuple):
                return Arg(value=value, ref=ref)
            if len(value) == 1:
                return Arg(value=value[0], ref=ApiRef(ref.turn, ref.action, 0))
            if source in self.selection:
                item = self.selection[source]
                return Arg(value=value[item], ref=ApiRef(ref.turn, ref.action, item))
            return _NEED  # several results: "which one?"
        if (api, arg.name) in self._customer_arg:
            if arg.required:
                return _NEED
            if arg.name not in self.dont_care and arg.ask and (api, arg.name) not in self.asked:
                self.asked.add((api, arg.name))
                return _NEED
            return Arg(value=arg.default, ref=None)
        if arg.optional:
            return Arg(value=arg.default, ref=None)
        feeders = [f for f in feeders if f not in self.stack and f != api]
        if not feeders:
            return _NEED  # only a cycle could feed it: ask the customer to pick something
        self.stack.append(self.active)
        self.active = min(feeders, key=self._order.__getitem__)
        return None

    def _recent(self, api: str) -> int:
        try:
            return self.recency.index(api)
        except ValueError:
            return -1

    def _confirm(self, spec, args: dict[str, Arg], actions: list) -> bool:
        """Ask for a slot or API confirmation that is still due; True when asked."""
        for arg in spec.args:
            if arg.confirm and arg.name in self.known:
                value = self.known[arg.name].value
                if self.confirmed.get(arg.name) != value:
                    self._say(actions, f"confirm_{arg.name}", {arg.name: args[arg.name]})
                    self.waiting, self.waiting_for = Waiting.CONFIRM_ARG, arg.name
                    return True
        if spec.confirm and spec.name not in self.api_confirmed:
            template = self.scenario.responses[f"confirm_{spec.name}"]
            self._say(actions, template.name, {k: args[k] for k in template.args if k in args})
            self.waiting, self.waiting_for = Waiting.CONFIRM_API, spec.name
            return True
        return False

    def _call(self, spec, args: dict[str, Arg], actions: list) -> bool:
        """Call the API and report; True when the system can go on working."""
        status, result = self.backend.call(spec.name, args, self.rng)
        ref = ApiRef(self.turn_index, len(actions))
        actions.append(ApiCall(name=spec.name, args=args, status=status, result=result))
        self.api_confirmed.discard(spec.name)  # a confirmation covers one call, whatever it gives
        if status is ApiStatus.EMPTY:
            self._say(actions, f"no_results_{spec.name}", {})
            return False
        if status is ApiStatus.FAILURE:
            self._say(actions, f"failure_{spec.name}", {})
            return False
        response_args = {}
        if spec.returns is not None:
            value = result[spec.returns.name]
            self.results[spec.name] = (ref, value)
            if spec.name in self.recency:
                self.recency.remove(spec.name)
            self.recency.append(spec.name)
            self.selection.pop(spec.name, None)
            response_args[spec.returns.name] = Arg(value=value, ref=ref)
        self._say(actions, f"inform_{spec.name}", response_args)
        self.done.add(spec.name)
        self.active = self.stack.pop() if self.stack else None
        if self.active is None:
            self._offer_next(spec.name, actions)
        return True

    def _offer_next(self, api: str, actions: list) -> None:
        for nxt in self._offers[api]:
            if nxt not in self.done:
                self._say(actions, f"offer_{nxt}", {})
                self.waiting, self.waiting_for = Waiting.OFFER, nxt
                return
        self._prompt_more(actions)

    def _prompt_more(self, actions: list) -> None:
        self._say(actions, "reqmore", {})
        self.waiting, self.waiting_for = Waiting.REQMORE, None

    def _say(self, actions: list, name: str, args: dict[str, Arg]) -> None:
        text = self.realiser.system_text(name, {k: a.value for k, a in args.items()}, self.rng)
        actions.append(Response(name=name, args=args, text=text))
