"""The system ("Alexa") agent: a state-machine policy over the API dependency graph.

The decision is a pure function of a typed state: ``SystemPolicy.step(state, turn, rng)``
reads a ``dialogsim.state.SystemState`` and the customer's ``UserTurn`` and returns the
next state and the ``SystemTurn`` -- the list of actions up to the point where the system
waits for the customer, the sequence the action-prediction model learns (with the
implicit stop at its end). The only other input is the mock backend's answer to the API
calls it makes. ``SystemAgent`` puts the policy in the system's seat of a
``dialogsim.conversation.Conversation``.

Within a step, ``_Step`` holds a working copy of the state: it handles the customer's acts
(``_observe``), then ``_advance`` works on the active API -- request the first missing
required argument, confirm the arguments and the API where the scenario says so, call the
API, inform the result, offer the next API of the graph. Contextual carryover comes from
``known`` outliving the API that first needed it. The policy never reads the goal; only its
backend reads the scripted API outcomes.

What makes it sound less like a machine (issue #9): a pick answers the list the system
asked about, and a question about one of several results waits for a pick ("Which
flight?"); ``SimulationConfig.confirmation`` says how a ``confirm: true`` API is confirmed
(asked, echoed, or not), and by chance the system confirms a value it heard or echoes a
call's values (only where the result will not say them back); the goodbye fits how the
dialogue went. The response's ``Context`` tells the realiser which wording fits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dialogsim.backend import MockBackend, restated
from dialogsim.config import SimulationConfig, reworded
from dialogsim.dialogue import (
    Act,
    ActRef,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    Turn,
    UserTurn,
)
from dialogsim.goal import Goal
from dialogsim.graph import DependencyGraph
from dialogsim.responses import ResponseKey, responses_by_meaning
from dialogsim.schema import ResponseAct, Scenario
from dialogsim.state import Context, Found, SystemState, Waiting
from dialogsim.wording import ABOUT, day_part

__all__ = ["SystemPolicy", "SystemAgent"]

_NEED = object()  # _resolve's answer when the customer must be asked

class SystemPolicy:
    """The system's decision: ``step(state, turn, rng) -> (state, system turn)``.

    Built once per scenario (the graph's answers are precomputed); ``rng`` is the system's
    own generator, used for response wordings, the backend's values and the chance
    confirmations of ``config`` (default: the scenario's ``simulation:`` settings).
    """

    def __init__(self, scenario: Scenario, graph: DependencyGraph, backend: MockBackend, realiser, *,
                 config: SimulationConfig | None = None) -> None:
        self.scenario = scenario
        self.config = config if config is not None else scenario.simulation
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
        self._downstream = {name: graph.downstream(name) for name in scenario.apis}
        self._responses = responses_by_meaning(scenario)
        # APIs whose result says back a value the echo before their call says ("Playing Let
        # It Be by The Beatles"): no echo there (``_confirm``).
        self._restating = frozenset(
            name for name in scenario.apis
            if (ResponseAct.CONFIRM_API, name, None) in self._responses
            and (ResponseAct.INFORM, name, None) in self._responses
            and restated(scenario, name, self._responses[ResponseAct.INFORM, name, None])
            & set(self._responses[ResponseAct.CONFIRM_API, name, None].args))
        # api -> an argument its list result fills whose request asks "which one?": how the
        # system asks for a pick before answering a question about one item.
        self._pick_requests = {
            name: next((arg for (other, arg), feeders in self._feeders.items()
                        if name in feeders and (ResponseAct.REQUEST, None, arg) in self._responses), None)
            for name, api in scenario.apis.items() if api.returns is not None and api.returns.many}

    def step(self, state: SystemState, turn: UserTurn, rng: np.random.Generator) -> tuple[SystemState, SystemTurn]:
        """The system's answer to ``turn`` (turn number ``state.turns`` of the dialogue) and
        the state after it."""
        return _Step(self, state, rng).run(turn)


class SystemAgent:
    """``SystemPolicy`` in the system's seat: keeps the state between turns."""

    def __init__(self, scenario: Scenario, graph: DependencyGraph, backend: MockBackend, realiser, *,
                 config: SimulationConfig | None = None) -> None:
        self.policy = SystemPolicy(scenario, graph, backend, realiser, config=config)
        self.state = SystemState()
        self._heard: UserTurn | None = None

    @property
    def finished(self) -> bool:
        return self.state.finished

    def reset(self, goal: Goal, rng: np.random.Generator) -> None:
        self.rng = rng
        self.policy.backend.reset(goal)
        self.state = SystemState()
        self._heard = None

    def observe(self, turn: Turn) -> None:
        if not isinstance(turn, UserTurn):
            raise TypeError(f"the system hears user turns, got {type(turn).__name__}")
        self._heard = turn

    def act(self, turns_left: int) -> SystemTurn:
        if self._heard is None:
            raise RuntimeError("the system speaks second: observe a user turn first")
        self.state, turn = self.policy.step(self.state, self._heard, self.rng)
        return turn


class _Step:
    """One step of ``SystemPolicy``: a mutable working copy of the state."""

    def __init__(self, policy: SystemPolicy, state: SystemState, rng: np.random.Generator) -> None:
        self.scenario = policy.scenario
        self.backend = policy.backend
        self.realiser = policy.realiser
        self._customer_arg = policy._customer_arg
        self._order = policy._order
        self._feeders = policy._feeders
        self._offers = policy._offers
        self._downstream = policy._downstream
        self._responses = policy._responses
        self._pick_requests = policy._pick_requests
        self._restating = policy._restating
        self.config = policy.config
        self.explicit = policy.config.confirmation == "explicit"
        self.rng = rng
        self._user_index = state.turns
        self.turn_index = state.turns + 1  # this system turn's index
        self.known: dict[str, Arg] = dict(state.known)
        self.confirmed: dict[str, Any] = dict(state.confirmed)
        self.dont_care: set[str] = set(state.dont_care)
        self.asked: set[tuple[str, str]] = set(state.asked)
        self.results: dict[str, Found] = dict(state.results)
        self.recency: list[str] = list(state.recency)
        self.selection: dict[str, int] = dict(state.selection)
        self.picking: str | None = state.picking
        self.pending: tuple[str, str] | None = state.pending
        self.api_confirmed: set[str] = set(state.api_confirmed)
        self.checking: set[str] = set(state.checking)
        self.done: set[str] = set(state.done)
        self.called: set[str] = set(state.called)
        self.failed: set[str] = set(state.failed)
        self.active: str | None = state.active
        self.stack: list[str] = list(state.stack)
        self.waiting = state.waiting
        self.waiting_for: str | None = state.waiting_for
        self.finished = state.finished
        self.day_part = state.day_part

    def run(self, turn: UserTurn) -> tuple[SystemState, SystemTurn]:
        actions: list = []
        closing = self._observe(turn, actions)
        if closing:
            outcome = self._outcome()
            if outcome is Context.COMPLETED and turn.has(Act.THANK):  # "Thanks, bye!": "You're welcome. Bye!"
                outcome = Context.THANKED
            self._say(actions, ResponseAct.GOODBYE, {}, context=outcome,
                      about=self._items() if outcome in (Context.COMPLETED, Context.THANKED) else None)
            self.finished = True
        else:
            self._advance(actions)
            if not actions:
                self._prompt_more(actions)
        state = SystemState(
            turns=self.turn_index + 1, known=self.known, confirmed=self.confirmed, dont_care=self.dont_care,
            asked=self.asked, results=self.results, recency=self.recency, selection=self.selection,
            picking=self.picking, pending=self.pending,
            api_confirmed=self.api_confirmed, checking=self.checking, done=self.done, called=self.called,
            failed=self.failed, active=self.active, stack=self.stack,
            waiting=self.waiting, waiting_for=self.waiting_for, finished=self.finished, day_part=self.day_part)
        return state, SystemTurn(actions=actions)

    # -- reading the customer ---------------------------------------------------------
    def _observe(self, turn: UserTurn, actions: list) -> bool:
        """Update the state from the customer's acts; answer result questions; True when
        the customer ends the dialogue."""
        index = self._user_index
        before = self.active  # the API in hand when the customer spoke
        self.day_part = day_part(_unvalued(turn)) or self.day_part  # "good morning", "have a good night"
        changed: set[str] = set()
        # "the JetBlue one": a pick by a field's value says that value, but gives no argument.
        picked_by = ({a.slot for a in turn.acts if a.act is Act.SELECT}
                     - {a.slot for a in turn.acts if a.act is Act.INFORM})
        for i, span in enumerate(turn.spans):
            if span.slot in picked_by:
                continue
            old = self.known.get(span.slot)
            if old is None or old.value != span.value:
                changed.add(span.slot)
            self.known[span.slot] = Arg(value=span.value, ref=SpanRef(index, i))
            self.dont_care.discard(span.slot)
            if span.slot in changed:
                self._heard(span, turn.text)
        for i, act in enumerate(turn.acts):  # a value labelled without a span rides on its inform
            if act.act is Act.INFORM and act.value is not None and act.slot is not None:
                old = self.known.get(act.slot)
                if old is None or old.value != act.value:
                    changed.add(act.slot)
                self.known[act.slot] = Arg(value=act.value, ref=ActRef(index, i))
                self.dont_care.discard(act.slot)
        waiting, waiting_for = self.waiting, self.waiting_for
        self.waiting, self.waiting_for = Waiting.NOTHING, None
        picking, self.picking = self.picking, None
        pending, self.pending = self.pending, None
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
                self._select(act.item or 0, picking)
            elif kind is Act.AFFIRM:
                if waiting is Waiting.CONFIRM_API and waiting_for is not None:
                    self.api_confirmed.add(waiting_for)
                elif waiting is Waiting.CONFIRM_ARG and waiting_for in self.known:
                    self.confirmed[waiting_for] = self.known[waiting_for].value
                elif waiting is Waiting.OFFER and self.active is None:
                    self._activate(waiting_for)
            elif kind is Act.DENY:
                if waiting is Waiting.CONFIRM_API and not changed:
                    cancelled = True  # "no, don't book it"
                    self.active, self.stack = None, []
                elif waiting is Waiting.CONFIRM_ARG and waiting_for is not None and waiting_for not in changed:
                    self.known.pop(waiting_for, None)  # wrong value, none given instead: ask again
                elif waiting is Waiting.REQMORE and not turn.has(Act.INVOKE):
                    closing = True
            elif kind is Act.REQUEST:
                self._answer_request(act.slot, actions)
            elif kind is Act.GOODBYE:
                closing = True
        answered = None  # the question asked before "which one?", once the customer picked
        if pending is not None and pending[0] in self.results and pending[0] in self.selection:
            answered = pending
        if answered is not None:
            self._answer_request(answered[1], actions, api=answered[0])  # "which one?" answered: now the question
        for slot in changed:
            self._revised(slot)
        if changed:
            self._resume(before, self._drop_outdated())
        if self.pending is not None and self._ask_pick(actions, quiet=not (closing or cancelled)):
            return closing
        if cancelled and not closing:
            self._say(actions, ResponseAct.REQMORE, {})
            self.waiting = Waiting.REQMORE
        if actions and not closing and self.active is None and not cancelled:
            # A question about a result was answered; ask again what was pending (after a
            # pick, offer what the picked item is for: "Want me to book it?" now fits).
            if answered is not None:
                self._offer_next(answered[0], actions)
            else:
                self._repeat_prompt(waiting, waiting_for, actions)
        return closing

    def _heard(self, span: Span, text: str) -> None:
        """A new value: whether to confirm it before it is used. A voice assistant confirms
        a value it resolved from other words than the value's own ("Philly", "NYC",
        "half past seven"): what the customer said, not a draw, so a model can learn it
        (``SimulationConfig.confirm_value``; the models read the same test,
        ``dialogsim.config.reworded``)."""
        slot = span.slot
        self.checking.discard(slot)
        when = self.config.confirm_value
        if (ResponseAct.CONFIRM_ARGS, None, slot) in self._responses and \
                (when == "always" or (when == "reworded" and reworded(text[span.start:span.end], span.value))):
            self.checking.add(slot)

    def _outcome(self) -> Context:
        """How the dialogue went, as the system saw it: an API that found nothing or failed
        and never succeeded since; the customer leaving mid-task or before anything was
        done; or done."""
        if self.failed:
            return Context.FAILED
        if self.active is not None or not self.done:
            return Context.ABANDONED
        return Context.COMPLETED

    def _activate(self, api: str | None) -> None:
        if api is None or api not in self.scenario.apis:
            return
        if self.active != api:
            self.stack = []
        self.active = api
        self.done.discard(api)  # asked again ("play it again"): call it again
        self.api_confirmed.discard(api)

    def _select(self, item: int, picking: str | None) -> None:
        """A pick answers the list the system asked about ("which movie?" while a newer
        list of showtimes is on the table), else the newest list."""
        for api in ([picking] if picking in self.results else []) + list(reversed(self.recency)):
            value = self.results[api].value
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

    def _drop_outdated(self) -> list[str]:
        """Forget every result computed from a value the customer has since changed, by the
        call itself or upstream of it (``Found.basis``), and return their APIs, newest
        last. No argument is filled from one then: the API that gave it runs again -- after
        its own upstream APIs, whose results may be out of date too -- before the API that
        needs it is called (no showtimes in Boston for a movie found in Chicago)."""
        dropped = [api for api in self.recency if any(
            slot in self.known and self.known[slot].value != value for slot, value in self.results[api].basis)]
        for api in dropped:
            del self.results[api]
            self.recency.remove(api)
            self.selection.pop(api, None)
        return dropped

    def _resume(self, before: str | None, outdated: list[str]) -> None:
        """After a change of value, come back to the task in hand once the API now active
        has run again: the API worked on when the customer spoke, else the newest lookup
        done whose result the change made out of date and no API done since has taken
        (showtimes in the old city: the films are found in the new one, then its showtimes,
        not "Anything else?"). Only an API that rests on the active one's result; never a
        confirmed one (a second booking)."""
        task = before if before is not None else next(
            (api for api in reversed(outdated) if api in self.done and not self.scenario.apis[api].confirm
             and not self._downstream[api] & self.done), None)
        if (task is None or self.active is None or task == self.active or task in self.stack
                or task not in self._downstream[self.active]):
            return
        self.done.discard(task)
        self.stack.insert(0, task)  # after whatever the active API is already wanted for

    def _basis(self, args: dict[str, Arg]) -> set[tuple[str, Any]]:
        """The customer's values a call with ``args`` rests on: the ones it takes and those
        of the results it takes (a result's own basis holds its upstream ones)."""
        basis = {(name, arg.value) for name, arg in args.items() if isinstance(arg.ref, (SpanRef, ActRef))}
        for arg in args.values():
            if isinstance(arg.ref, ApiRef):
                basis.update(*(found.basis for found in self.results.values()
                               if (found.ref.turn, found.ref.action) == (arg.ref.turn, arg.ref.action)))
        return basis

    def _answer_request(self, field: str | None, actions: list, *, api: str | None = None,
                        every: bool = False) -> None:
        """Answer a question about a result field: about the item picked, or the only one.
        Asked about a list nobody picked from, the system asks which one first (``pending``
        keeps the question); ``every`` answers it for each item instead."""
        api = api if api is not None else self._field_source(field)
        if api is None or field is None:
            return
        returns = self.scenario.apis[api].returns
        assert returns is not None  # _field_source found a result with the field
        ref, value = self.results[api].ref, self.results[api].value
        if isinstance(value, tuple) and not every:
            if api not in self.selection and len(value) > 1:
                self.pending = (api, field)
                return
            item = self.selection.get(api, 0)
            value, ref = value[item], ApiRef(ref.turn, ref.action, item)
        self._say(actions, ResponseAct.INFORM, {returns.name: Arg(value=value, ref=ref)}, api=api, slot=field)

    def _field_source(self, field: str | None) -> str | None:
        """The API with the newest result that has ``field``."""
        for api in reversed(self.recency):
            returns = self.scenario.apis[api].returns
            if returns is not None and field in self.scenario.types[returns.type].fields:
                return api
        return None

    def _ask_pick(self, actions: list, *, quiet: bool) -> bool:
        """Ask which item of the list the pending question is about ("Which flight?"),
        with the request of an argument that list fills; True when asked. Where no such
        request exists, or the turn says or does more (another answer, an API to work on),
        answer the question for every item instead."""
        assert self.pending is not None
        api, field = self.pending
        ask = self._pick_requests.get(api)
        if ask is not None and quiet and not actions and self.active is None:
            self._say(actions, ResponseAct.REQUEST, {}, slot=ask)
            self.waiting, self.waiting_for, self.picking = Waiting.REQUEST, ask, api
            return True
        self.pending = None
        if api in self.results:
            self._answer_request(field, actions, api=api, every=True)
        return False

    def _repeat_prompt(self, waiting: Waiting, waiting_for: str | None, actions: list) -> None:
        if waiting is Waiting.OFFER:
            source = next((api for api in reversed(self.recency) if waiting_for in self._offers[api]), None)
            self._say(actions, ResponseAct.OFFER, {}, api=waiting_for, about=self._item(source, waiting_for, actions))
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
                    self._say(actions, ResponseAct.REQUEST, {}, slot=arg.name)
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
            ref, value = self.results[source].ref, self.results[source].value
            field = arg.field  # "book that one": the picked restaurant's name (only its source feeds it)
            if not isinstance(value, tuple):
                return Arg(value=_part(value, field), ref=ref)
            if len(value) == 1:
                return Arg(value=_part(value[0], field), ref=ApiRef(ref.turn, ref.action, 0))
            if source in self.selection:
                item = self.selection[source]
                return Arg(value=_part(value[item], field), ref=ApiRef(ref.turn, ref.action, item))
            self.picking = source  # several results: "which one?", answered from this list
            return _NEED
        if (api, arg.name) in self._customer_arg:
            if arg.required:
                return _NEED
            if arg.name not in self.dont_care and arg.ask and (api, arg.name) not in self.asked:
                self.asked.add((api, arg.name))
                return _NEED
            return Arg(value=arg.default, ref=None)
        if arg.optional:
            return Arg(value=arg.default, ref=None)
        upstream = [f for f in feeders if f not in self.stack and f != api]
        if not upstream:
            return _NEED  # only a cycle could feed it: ask the customer to pick something
        self.stack.append(api)  # api is the active one
        self.active = min(upstream, key=self._order.__getitem__)
        return None

    def _recent(self, api: str) -> int:
        try:
            return self.recency.index(api)
        except ValueError:
            return -1

    def _confirm(self, spec, args: dict[str, Arg], actions: list) -> bool:
        """Ask for a slot or API confirmation that is still due; True when asked. Under an
        implicit confirmation policy, or by chance (``echo``) for an API that needs none,
        echo the values instead and go on; under ``none``, only what ``checking`` drew.
        The chance echo is said only where the result will not say the same values back:
        before a search whose result is a list of names ("Looking for Thai food in
        Boston."), or an action whose report says nothing of them ("Adding it to Workout.
        Done."), never before "Playing Let It Be by The Beatles" (``_restating``: decided
        per API from the scenario's texts, so a model can learn it)."""
        for arg in spec.args:
            if ((arg.confirm and self.explicit) or arg.name in self.checking) and arg.name in self.known:
                value = self.known[arg.name].value
                if self.confirmed.get(arg.name) != value:
                    self._say(actions, ResponseAct.CONFIRM_ARGS, {arg.name: args[arg.name]}, slot=arg.name)
                    self.waiting, self.waiting_for = Waiting.CONFIRM_ARG, arg.name
                    return True
        key = (ResponseAct.CONFIRM_API, spec.name, None)
        if spec.confirm and self.explicit:
            if spec.name in self.api_confirmed:
                return False
            self._say(actions, ResponseAct.CONFIRM_API, self._echoed(key, args), api=spec.name)
            self.waiting, self.waiting_for = Waiting.CONFIRM_API, spec.name
            return True
        policy = self.config.confirmation
        if key in self._responses and any(isinstance(a.ref, (SpanRef, ActRef)) for a in args.values()) and (
                (spec.confirm and policy == "implicit") or (
                    not spec.confirm and policy != "none" and self.config.echo > 0
                    and spec.name not in self._restating and self.rng.random() < self.config.echo)):
            self._say(actions, ResponseAct.CONFIRM_API, self._echoed(key, args), api=spec.name,
                      context=Context.IMPLICIT)
        return False

    def _echoed(self, key: ResponseKey, args: dict[str, Arg]) -> dict[str, Arg]:
        return {k: args[k] for k in self._responses[key].args if k in args}

    def _call(self, spec, args: dict[str, Arg], actions: list) -> bool:
        """Call the API and report; True when the system can go on working."""
        status, result = self.backend.call(spec.name, args, self.rng, first=spec.name not in self.called)
        self.called.add(spec.name)
        ref = ApiRef(self.turn_index, len(actions))
        actions.append(ApiCall(name=spec.name, args=args, status=status, result=result))
        self.api_confirmed.discard(spec.name)  # a confirmation covers one call, whatever it gives
        if status is not ApiStatus.OK:
            self.failed.add(spec.name)
            act = ResponseAct.NO_RESULTS if status is ApiStatus.EMPTY else ResponseAct.FAILURE
            self._say(actions, act, {}, api=spec.name, about=self._asked_for(spec.name, args, actions))
            return False
        self.failed.discard(spec.name)
        response_args = {}
        if spec.returns is not None:
            value = result[spec.returns.name]
            self.results[spec.name] = Found(ref, value, self._basis(args))
            if spec.name in self.recency:
                self.recency.remove(spec.name)
            self.recency.append(spec.name)
            self.selection.pop(spec.name, None)
            response_args[spec.returns.name] = Arg(value=value, ref=ref)
        self._say(actions, ResponseAct.INFORM, response_args, api=spec.name,
                  about=self._asked_for(spec.name, args, actions))
        self.done.add(spec.name)
        self.active = self.stack.pop() if self.stack else None
        if self.active is None:
            self._offer_next(spec.name, actions)
        return True

    def _asked_for(self, api: str, args: dict[str, Arg], actions: list) -> dict[str, Any]:
        """The values of a call the customer gave, which its report may name ("I found three
        flights from Boston to Denver ..."; ``paraphrase.system_context``): not a default, nor
        one the customer left open, nor a result, nor one this turn's echo of the call said
        ("Looking for flights from Boston to Denver. I found ..." would say it twice); by
        name, after ``ABOUT``."""
        key = (ResponseAct.CONFIRM_API, api, None)
        echo = self._responses[key].name if key in self._responses else None
        echoed = {name for a in actions if type(a) is Response and a.name == echo for name in a.args}
        return {ABOUT + name: arg.value for name, arg in args.items()
                if isinstance(arg.ref, (SpanRef, ActRef)) and name not in self.dont_care and name not in echoed}

    def _offer_next(self, api: str, actions: list) -> None:
        """Offer the next API after ``api``'s result; after several items with none picked,
        in words for several ("book one?", not "book it?")."""
        found = self.results.get(api)
        several = (found is not None and isinstance(found.value, tuple) and len(found.value) > 1
                   and api not in self.selection)
        for nxt in self._offers[api]:
            if nxt not in self.done:
                self._say(actions, ResponseAct.OFFER, {}, api=nxt, context=Context.SEVERAL if several else Context.PLAIN,
                          about=self._item(api, nxt, actions))  # none after several: "book one?"
                self.waiting, self.waiting_for = Waiting.OFFER, nxt
                return
        self._prompt_more(actions)

    def _item(self, api: str | None, nxt: str | None, actions: list) -> dict[str, Any] | None:
        """What an offer of ``nxt`` after ``api``'s result is about, for wordings that name
        it ("It's by The Beatles. Want me to add Let It Be to a playlist?"): the item picked,
        or the only one, where ``nxt`` takes an item of that type; not where this turn
        announced it ("Playing Let It Be. Want me to add it ...", never "... add Let It Be
        ..."), and not a recorded argument (``dialogsim.wording.ABOUT``)."""
        if api is None or nxt is None:
            return None
        found, returns = self.results.get(api), self.scenario.apis[api].returns
        if (found is None or returns is None or any(type(a) is ApiCall and a.name == api for a in actions)
                or not any(a.type == returns.type for a in self.scenario.apis[nxt].args)):
            return None
        value = found.value
        if isinstance(value, tuple):
            if not value or (len(value) > 1 and api not in self.selection):
                return None  # several, none picked: "book one?", never the first named
            value = value[self.selection.get(api, 0)]
        return {ABOUT + returns.type: value}

    def _items(self) -> dict[str, Any]:
        """Every item the dialogue is about, by type, for a goodbye that names it ("Enjoy
        Dune!"): each result that is one item, or the item picked from a list."""
        out: dict[str, Any] = {}
        for api in self.recency:
            returns, value = self.scenario.apis[api].returns, self.results[api].value
            if isinstance(value, tuple):
                if api not in self.selection and len(value) != 1:
                    continue
                value = value[self.selection.get(api, 0)]
            if returns is not None:
                out[ABOUT + returns.type] = value
        return out

    def _prompt_more(self, actions: list) -> None:
        self._say(actions, ResponseAct.REQMORE, {})
        self.waiting, self.waiting_for = Waiting.REQMORE, None

    def _say(self, actions: list, act: ResponseAct, args: dict[str, Arg], *, api: str | None = None,
             slot: str | None = None, context: Context = Context.PLAIN, about: dict[str, Any] | None = None) -> None:
        """Say the scenario's response for this meaning (its name exists only in the corpus),
        worded for ``context``; acknowledging ("Okay, ") only where it opens the turn.
        ``about``: what the response is about, which its wording may name (``_item``); the
        response records ``args`` alone."""
        name = self._responses[act, api, slot].name
        before = " ".join(a.text for a in actions if type(a) is Response)
        said = {k: a.value for k, a in args.items()}
        if about:
            said.update(about)
        text = self.realiser.system_text(name, said, self.rng, context=context, first=not before, before=before,
                                         day_part=self.day_part)
        actions.append(Response(name=name, args=args, text=text))


def _unvalued(turn: UserTurn) -> str:
    """The turn's text without its values: "a table for tonight" wishes no good night."""
    text = turn.text
    for span in sorted(turn.spans, key=lambda s: s.start, reverse=True):
        text = text[:span.start] + "_" + text[span.end:]
    return text


def _part(item: Any, field: str | None) -> Any:
    """An item of a result, or its ``field`` where an argument takes that field alone."""
    return item if field is None else item[field]
