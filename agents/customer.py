"""The customer agent: pursues its ``Goal`` through the system's prompts.

The policy is a pure function of the goal, what the customer has said so far and the
system's last turn: ``_respond`` reads the prompt that ends the system turn (a request, a
confirmation, an offer, "anything else?") and answers it the way the goal's behaviour says
-- volunteering more values than asked, answering "don't care", picking a result by
anaphora, by ordinal or by what tells it apart ("the JetBlue one", "Juniper"), denying a
confirmation to correct a value, changing its mind after a result, recovering from an
empty result (by bending a secondary wish: another day, a nearby time; else by asking for
something else: "what about Italian instead?", never the same search again) or a failure,
or giving up. Like a person, it asks only about what it was not just told, and when a search
ran without a value it wanted ("any JetBlue ones?") it says so; its ``outcome`` is FAILED
when a value it wanted never reached the API's last call. The acts it chooses become text
through the realiser (and the variation pipeline), so every value it mentions is an exact
span.
"""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np

from dialogsim import booleans
from dialogsim.backend import echoes, spoken_fields
from dialogsim.dialogue import (
    Act,
    ApiCall,
    ApiStatus,
    Outcome,
    Response,
    SystemTurn,
    Turn,
    UserAct,
    UserTurn,
)
from dialogsim.goal import Goal, Moment, Revision
from dialogsim.graph import DependencyGraph
from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario

__all__ = ["CustomerAgent"]

_REPHRASINGS = 4  # tries to find a phrasing not yet said; some acts have only one or two
_BY_FIELD = 0.6  # how often a pick names what tells the item apart rather than its ordinal
# The arguments a customer bends first after "nothing found", when it set no optional one:
# the day or the time ("how about Monday?"), not what it is after (another city, cuisine).
_SECONDARY = re.compile(r"date|time|day", re.IGNORECASE)


class CustomerAgent:
    """The simulated customer, in the customer's seat of a ``Conversation``."""

    def __init__(self, scenario: Scenario, catalogue, realiser, pipeline=None, *,
                 graph: DependencyGraph | None = None) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self.realiser = realiser
        self.pipeline = pipeline
        self._sayable = {name: scenario.customer_args(name) for name in scenario.apis}
        # Per API: the APIs whose results fill one of its arguments the customer cannot say
        # (in scenario order): where "book it" / "the second one" picks from.
        graph = graph if graph is not None else DependencyGraph(scenario)
        order = list(scenario.apis)
        # An argument it may say or take from a result (``from: [customer, Api.field]``) is
        # fed too: without a value of its own, "book that one".
        self._fed_by = {
            name: tuple(sorted({source for arg in api.args if arg not in self._sayable[name] or arg.customer
                                for source in graph.feeders(name, arg.name)}, key=order.index))
            for name, api in scenario.apis.items()
        }
        # slot -> the API whose result a field of feeds it: the list "which restaurant?" asks about
        self._field_source = {arg.name: arg.source for api in scenario.apis.values() for arg in api.args
                              if arg.field is not None}
        # Per response: the result fields its texts can say ("{flights}" says what the
        # entity's ``say`` names, "{track.album}" the album).
        self._speaks = {name: spoken_fields(scenario, response) for name, response in scenario.responses.items()}
        self._arguments = frozenset(arg.name for api in scenario.apis.values() for arg in api.args)
        self._spanless = scenario.spanless  # values its inform acts carry, not spans
        self._booleans = booleans.boolean_words(scenario)  # "It has outdoor seating" says a yes/no field
        self.finished = False
        self.outcome = Outcome.FAILED

    # -- protocol -------------------------------------------------------------------
    def reset(self, goal: Goal, rng: np.random.Generator) -> None:
        self.goal = goal
        self.rng = rng
        self.values = dict(goal.values)  # what it wants now (revisions applied)
        self.said: dict[str, str] = {}  # slot -> value last said
        self.revisions: list[Revision] = list(goal.revisions)
        self.requests = {api: list(fields) for api, fields in goal.requests.items()}
        self.denied: set[str] = set()
        self.done: set[str] = set()
        self.list_sizes: dict[str, int] = {}
        self.last_list = 0  # the size of the latest list result heard: what a pick picks from
        self.lists: dict[str, tuple] = {}  # API -> its latest list result
        self.newest: str | None = None  # the API of the latest list result heard
        self.heard: dict[str, tuple[dict, Mapping]] = {}  # API -> (what was said before its latest call, its args)
        self.conveyed: set[str] = set()  # APIs it has added unsaid values for, after their result
        self.pointing: dict[str, str] = {}  # field -> the value it picks an item by, this turn
        self.questioned = False  # its last turn asked about a result
        self.recovered: set[str] = set()
        self.last: SystemTurn | None = None
        self.outcome = Outcome.FAILED
        self.finished = False
        self.out_of_time = False
        self.texts: set[str] = set()  # what it said so far
        self.told = ""  # what the system said so far: a pick names only what it heard ("the one rated PG")

    def observe(self, turn: Turn) -> None:
        if not isinstance(turn, SystemTurn):
            raise TypeError(f"the customer hears system turns, got {type(turn).__name__}")
        self.last = turn
        self.told += " " + turn.text

    def act(self, turns_left: int) -> UserTurn:
        # No room for another exchange after this one: say goodbye now, so that the
        # dialogue closes within the budget.
        self.out_of_time = turns_left < 4
        self.pointing = {}
        if self.last is None:
            prompt, acts = None, self._first()
        else:
            # The system's turn ends with the response the customer answers.
            prompt = self.scenario.responses[self.last.actions[-1].name]
            acts = self._respond(self.last, prompt)
        if any(a.act is Act.GOODBYE for a in acts):
            self.finished = True
            self.outcome = Outcome.COMPLETED if self._next() is None and not any(
                self._unconveyed(api) for api in self.goal.apis) else Outcome.FAILED
        values = {a.slot: self.values[a.slot] for a in acts if a.act is Act.INFORM and a.slot is not None}
        revised = frozenset(slot for slot, value in values.items() if self.said.get(slot, value) != value)
        if values:
            self.said.update(values)
        values.update(self.pointing)  # said, but not a value of its goal: "the JetBlue one"
        self.questioned = any(a.act is Act.REQUEST for a in acts)
        answering = None if prompt is None else prompt.act
        for _ in range(_REPHRASINGS):  # no turn said word for word twice in a dialogue
            turn = self.realiser.user_turn(acts, values, self.rng, prompt=answering, revised=revised)
            if turn.text not in self.texts:
                break
        if self.pipeline is not None:
            turn = self.pipeline.apply(turn, self.rng)[0]
        turn = turn.spanless(self._spanless)
        self.texts.add(turn.text)
        return turn

    # -- policy ----------------------------------------------------------------------
    def _next(self) -> str | None:
        """The first API of the goal not done yet."""
        for api in self.goal.apis:
            if api not in self.done:
                return api
        return None

    def _first(self) -> list[UserAct]:
        return self._invoke(self.goal.apis[0], self.goal.behaviour.first_informs)

    def _invoke(self, api: str, informs: int, acts: list[UserAct] | None = None) -> list[UserAct]:
        acts = [] if acts is None else acts
        acts.append(UserAct(act=Act.INVOKE, api=api))
        self._pick(api, acts)
        return self._volunteer(api, informs, acts)

    def _pick(self, api: str, acts: list[UserAct]) -> None:
        """Refer to the result that feeds ``api``: "book it", "the second one"."""
        if not self.goal.behaviour.anaphora:
            return
        for source in self._fed_by[api]:
            if source in self.list_sizes:
                acts.append(self._select(source))
                return

    def _select(self, source: str, asked: str | None = None) -> UserAct:
        """Pick from ``source``'s list, an item the latest list has too: the system reads
        "the third one" against the latest list (an API run again may have found fewer),
        or, answering "which one?" (``asked``: the API whose list the system asks about),
        against that list. Often by what tells the item apart ("the JetBlue one")."""
        target = asked or self.newest
        size = len(self.lists[asked]) if asked is not None else self.last_list
        item = max(0, min(self.goal.behaviour.select, self.list_sizes[source] - 1, size - 1))
        if target == source:
            return self._point(self.lists[source], item)
        return UserAct(act=Act.SELECT, item=item)

    def _point(self, items: tuple, item: int) -> UserAct:
        """Select ``item`` of ``items`` by a field whose value no other item has ("the 7:30
        one", "Juniper"), some of the time; by ordinal otherwise. Only a value the system
        said: of a list of titles, "the one rated PG" names what nobody told it. A field
        its goal holds a value for is left alone: its value is the goal's, not the pick's.
        So is one that is also an API's argument ("the JetBlue one") when answering "which
        one?" after a question: the system, working on no API then, would take it for a new
        value and search again."""
        picked = items[item]
        if len(items) > 1 and isinstance(picked, Mapping) and self.rng.random() < _BY_FIELD:
            fields = [field for field, value in picked.items()
                      if field not in self.values and isinstance(value, str)
                      and not (self.questioned and field in self._arguments)
                      and self.realiser.templates.can_pick(field, value)
                      and sum(other.get(field) == value for other in items) == 1
                      and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", self.told)]
            if fields:
                field = fields[int(self.rng.random() * len(fields))]
                self.pointing[field] = picked[field]
                return UserAct(act=Act.SELECT, item=item, slot=field)
        return UserAct(act=Act.SELECT, item=item)

    def _volunteer(self, api: str, count: int, acts: list[UserAct]) -> list[UserAct]:
        """Add up to ``count`` values for ``api`` it has not said yet (random order), and
        those the goal volunteers by their declared rate; an over-informing customer also
        says what it does not care about."""
        due = self._due_before_call(api)
        named = {a.slot for a in acts}
        unsaid = [a for a in self._sayable[api]
                  if a.name in self.values and self.said.get(a.name) != self.values[a.name] and a.name not in named]
        # A value with a declared ``volunteer`` rate: said now when the goal drew it (or a
        # change of mind needs it said), else only when asked; ``count`` is about the others.
        forced = [a.name for a in unsaid if a.volunteer is not None
                  and (a.name in self.goal.behaviour.volunteer or a.name == due)]
        if count <= 0 and due is None and not forced:
            return acts
        pending = [a.name for a in unsaid if a.volunteer is None]
        chosen = [pending[i] for i in self.rng.permutation(len(pending))[:count]] + forced
        if due is not None and (due in chosen or due in pending):
            pending += [slot for slot in chosen if slot not in pending]
            chosen = self._before_call_informs(api, due, pending, chosen, max(count, len(chosen), 1))
        for slot in chosen:
            acts.append(UserAct(act=Act.INFORM, slot=slot))
        if count > 1:
            for arg in self._sayable[api]:
                if arg.name in self.goal.dont_care and arg.name not in named and arg.name not in self.said:
                    acts.append(UserAct(act=Act.DONT_CARE, slot=arg.name))
                    self.said[arg.name] = ""
        return acts

    def _due_before_call(self, api: str) -> str | None:
        """The slot of ``api`` the customer will change its mind about before the call."""
        for revision in self.revisions:
            if revision.moment is Moment.BEFORE_CALL and revision.api == api:
                return revision.slot
        return None

    def _before_call_informs(self, api: str, due: str, pending: list[str], chosen: list[str],
                             count: int) -> list[str]:
        """The values to volunteer when a change of mind about ``due`` is coming: ``due``
        first (a value must be said to be changed), and never every required value, so
        that the system still asks for one -- the moment the customer changes its mind."""
        required = {a.name for a in self._sayable[api] if a.required}
        room = sum(1 for slot in pending if slot in required) - 1  # required values it may say
        out: list[str] = []
        for slot in [due] + [s for s in chosen + pending if s != due]:
            if len(out) == count or slot in out:
                continue
            if slot in required:
                if room == 0:
                    continue
                room -= 1
            out.append(slot)
        return out

    def _take(self, moment: Moment, *, api: str | None = None, slot: str | None = None) -> Revision | None:
        """Pop the revision due now, applying it to what the customer wants. A value is
        only revised once it has been said: changing the mind needs a mind to change; one
        that already holds the new value (a recovery chose it) has nothing left to change;
        one that no longer fits what it wants is dropped, never said as another value: the
        goal records the value (recoveries keep it fitting: ``_alternatives``)."""
        for revision in list(self.revisions):
            if revision.moment is moment and (api is None or revision.api == api) and (
                    slot is None or revision.slot == slot) and self.said.get(revision.slot):
                self.revisions.remove(revision)
                if self.values[revision.slot] == revision.value or not self._fits(revision, {}):
                    continue
                self.values[revision.slot] = revision.value
                return revision
        return None

    def _respond(self, turn: SystemTurn, prompt: ResponseTemplate) -> list[UserAct]:
        informed: list[str] = []
        failed: tuple[str, ApiStatus] | None = None
        for action in turn.actions:
            if isinstance(action, ApiCall):
                if action.status is ApiStatus.OK:
                    self.done.add(action.name)
                    informed.append(action.name)
                    self.heard[action.name] = (dict(self.said), action.args)
                    value = next(iter(action.result.values()), None)
                    if isinstance(value, tuple):
                        self.list_sizes[action.name] = self.last_list = len(value)
                        self.lists.pop(action.name, None)  # newest last
                        self.lists[action.name] = value
                        self.newest = action.name
                else:
                    failed = (action.name, action.status)
        behaviour = self.goal.behaviour
        if prompt.act is ResponseAct.GOODBYE or self.out_of_time:
            return [UserAct(act=Act.GOODBYE)]
        if failed is not None:
            return self._recover(*failed)
        for api in informed:
            revision = self._take(Moment.AFTER_RESULT, api=api)
            if revision is not None:
                # Asks again with the new value ("find a flight for Monday"), from the first
                # API that takes it: showtimes in another city need movies found there.
                self.done.discard(api)
                again = next(a for a in self.goal.apis if self.scenario.apis[a].arg(revision.slot) is not None)
                return [UserAct(act=Act.INVOKE, api=again), UserAct(act=Act.INFORM, slot=revision.slot)]
            missing = self._unconveyed(api)
            if missing and api not in self.conveyed and not self.scenario.apis[api].confirm:
                # Found without a value it wants ("any JetBlue ones?"): asks again with it. A
                # confirmed API is not done twice; its confirmation is where to add it.
                self.conveyed.add(api)
                self.done.discard(api)
                return [UserAct(act=Act.INVOKE, api=api)] + [UserAct(act=Act.INFORM, slot=slot) for slot in missing]
            if self.requests.get(api):
                field = self._unheard(api, self.requests[api].pop(0), turn)
                if field is not None:
                    return [UserAct(act=Act.REQUEST, slot=field)]
        act, target = prompt.act, prompt.slot or prompt.api
        if act is ResponseAct.REQUEST:
            return self._answer(target)
        if act is ResponseAct.CONFIRM_ARGS:
            revision = self._take(Moment.AT_CONFIRMATION, slot=target)
            if revision is not None:
                return [UserAct(act=Act.DENY), UserAct(act=Act.INFORM, slot=revision.slot)]
            return [UserAct(act=Act.AFFIRM)]
        if act is ResponseAct.CONFIRM_API:
            unsaid = [a.name for a in self._sayable.get(target or "", ()) if self._wanted(a.name)
                      and self.said.get(a.name) != self.values[a.name]]
            if unsaid:  # "Book it for two?" -- "in business, please"
                return [UserAct(act=Act.INFORM, slot=slot) for slot in unsaid]
            if target in behaviour.deny_confirm and target not in self.denied:
                self.denied.add(target)
                revision = self._take(Moment.AT_CONFIRMATION, api=target)
                if revision is not None:
                    return [UserAct(act=Act.DENY), UserAct(act=Act.INFORM, slot=revision.slot)]
            return [UserAct(act=Act.AFFIRM)]
        if act is ResponseAct.OFFER:
            nxt = self._next()
            if nxt is not None and nxt == target:
                acts = [UserAct(act=Act.AFFIRM)]
                self._pick(nxt, acts)
                return self._volunteer(nxt, behaviour.first_informs, acts)
            acts = [UserAct(act=Act.DENY)]
            if nxt is not None:
                return self._invoke(nxt, behaviour.first_informs, acts)
            if self.rng.random() < 0.5:
                acts.append(UserAct(act=Act.GOODBYE))
            return acts
        return self._more()

    def _more(self) -> list[UserAct]:
        """Answer "anything else?": the next API of the goal, or goodbye."""
        nxt = self._next()
        if nxt is not None:
            return self._invoke(nxt, self.goal.behaviour.first_informs)
        if self.rng.random() < 0.5:
            return [UserAct(act=Act.THANK), UserAct(act=Act.GOODBYE)]
        return [UserAct(act=Act.GOODBYE)]

    def _answer(self, slot: str | None) -> list[UserAct]:
        """Answer a request for ``slot``: a value (and more, when over-informing), "don't
        care", or a pick among results; a value asked again after a denial is said again."""
        api = self._current()
        sayable = any(a.name == slot for a in self._sayable[api])
        if not sayable or (slot not in self.values and self._field_source.get(slot or "") in self.list_sizes):
            # A pick among results; also for a value it may name or pick, and has no name for.
            asked = self._listing(slot)
            for source in self._fed_by[api]:
                if source in self.list_sizes:
                    return [self._select(source, asked)]
            if asked is not None:
                return [self._select(asked, asked)]
            return [UserAct(act=Act.SELECT, item=0)]
        if slot in self.goal.dont_care or slot not in self.values:
            return [UserAct(act=Act.DONT_CARE, slot=slot)]
        acts = [UserAct(act=Act.INFORM, slot=slot)]
        for revision in self.revisions:
            if revision.moment is Moment.BEFORE_CALL and revision.api == api and revision.slot != slot:
                if self._take(Moment.BEFORE_CALL, api=api, slot=revision.slot) is not None:
                    acts.append(UserAct(act=Act.INFORM, slot=revision.slot))
                break
        return self._volunteer(api, self.goal.behaviour.informs_per_turn - 1, acts)

    def _current(self) -> str:
        """The API the system is working on: the next one of the goal (the last one once
        all are done: it is asked again)."""
        return self._next() or self.goal.apis[-1]

    def _recover(self, api: str, status: ApiStatus) -> list[UserAct]:
        """After a failure: try again ("try again" reads naturally: a service may fail once).
        After an empty result: change a value, since the same call finds nothing again
        (the backend's world is consistent), or give up."""
        if self.goal.behaviour.give_up or api in self.recovered:
            return [UserAct(act=Act.GOODBYE)]
        self.recovered.add(api)
        if status is not ApiStatus.EMPTY:
            return [UserAct(act=Act.INVOKE, api=api)]
        # Relax a secondary constraint -- an optional value it set, else the day or the time
        # -- to a nearby value ("how about Monday?"); with none, change what it asked for
        # ("what about Italian instead?"), as the scenario's "want to try another cuisine?"
        # invites. Only this API's values, of a type that has another one: a value an API
        # already done used too (the city movies were found in) must stay, or its result no
        # longer fits; and a changed value keeps the scenario's constraints (no other artist
        # for the song it named). Nothing left to change: it gives up.
        shared = {a.name for other in self.done if other != api for a in self.scenario.apis[other].args}
        said = [a for a in self._sayable[api] if self.said.get(a.name) and a.name not in shared
                and self._options(a)]
        secondary = ([a for a in said if a.optional]
                     or [a for a in said if _SECONDARY.search(a.name) or _SECONDARY.search(a.type)])
        if not said:
            together = self._change_together(api, shared)
            return [UserAct(act=Act.INFORM, slot=slot) for slot in together] or [UserAct(act=Act.GOODBYE)]
        arg = (secondary or said)[int(self.rng.random() * len(secondary or said))]
        if secondary:
            self.values[arg.name] = self._nearby(arg.name, arg.type)
        else:
            self.values[arg.name] = self.catalogue.choose(arg.type, self._options(arg), self.rng)
        return [UserAct(act=Act.INFORM, slot=arg.name)]

    def _options(self, arg) -> tuple[str, ...]:
        """The values a recovery may change ``arg`` to; of a count fewer where there are: when
        a booking is not available, "could you do it for two?", not "actually, for five" (a
        party of one may still try two: picking another item is not modelled)."""
        options = self._alternatives(arg.name)
        if self._counts(arg.type):
            return tuple(o for o in options if int(o) < int(self.values[arg.name])) or options
        return options

    def _alternatives(self, slot: str) -> tuple[str, ...]:
        """The values ``slot`` may change to after nothing was found that keep every change
        of mind still to come possible: moving the search to Chicago would strand a switch
        to Vietnamese drawn to fit Austin, which the goal records."""
        return tuple(value for value in self.catalogue.alternatives(slot, self.values)
                     if self._keeps_plans({slot: value}))

    def _keeps_plans(self, changes: Mapping[str, str]) -> bool:
        """Whether the revisions still to come fit the values with ``changes`` made."""
        return all(self._fits(revision, changes) for revision in self.revisions if revision.slot not in changes)

    def _fits(self, revision: Revision, changes: Mapping[str, str]) -> bool:
        """Whether ``revision``'s value fits what the customer wants (with ``changes``)."""
        others = {k: v for k, v in {**self.values, **changes}.items() if k != revision.slot}
        allowed = self.catalogue.allowed(revision.slot, others)
        return allowed is None or revision.value in allowed

    def _counts(self, type_name: str) -> bool:
        """Whether a type's values are numbers: a party's or an order's size."""
        values = self.scenario.types[type_name].values
        return bool(values) and all(v.isdigit() for v in values)

    def _change_together(self, api: str, shared: set[str]) -> list[str]:
        """Values a constraint ties (a song and its artist) that cannot change one at a
        time change together ("what about Halo by Beyoncé, then?"): another value for one
        it said, and for the others it wants what that needs (said too: the artist it had
        kept to itself changes with the song). The slots changed, in the API's order; none
        when no set of values fits."""
        held = [a for a in self._sayable[api] if self._wanted(a.name) and a.name not in shared
                and not self._counts(a.type)]
        free = {k: v for k, v in self.values.items() if k not in {a.name for a in held}}
        for arg in held:
            if not self.said.get(arg.name):
                continue  # it changes what it asked for
            options = self.catalogue.alternatives(arg.name, {**free, arg.name: self.values[arg.name]})
            if not options:
                continue
            new = {arg.name: self.catalogue.choose(arg.type, options, self.rng)}
            for other in held:
                allowed = None if other is arg else self.catalogue.allowed(other.name, {**free, **new})
                if allowed is not None and self.values[other.name] not in allowed:
                    if not allowed:
                        break
                    new[other.name] = self.catalogue.choose(other.type, allowed, self.rng)
            else:
                if not self._keeps_plans(new):
                    continue
                self.values.update(new)
                return [a.name for a in held if a.name in new]
        return []

    def _nearby(self, slot: str, type_name: str) -> str:
        """The value ``slot`` may change to (``_alternatives``) nearest its value
        in its type's catalogue, which lists days, times and prices in order ("tomorrow" ->
        "today" or "next Friday"); any of them where the value is not listed."""
        options = self._alternatives(slot)
        order = {value: i for i, value in enumerate(self.catalogue.values(type_name))}
        here = order.get(self.values[slot])
        if here is not None:
            distance = {value: abs(order[value] - here) for value in options if value in order}
            if distance:
                nearest = min(distance.values())
                options = tuple(value for value, d in distance.items() if d == nearest)
        return options[int(self.rng.random() * len(options))]

    # -- what it knows ---------------------------------------------------------------
    def _wanted(self, slot: str) -> bool:
        """Its goal sets a value for ``slot`` (one it cares about)."""
        return slot in self.values and slot not in self.goal.dont_care

    def _unconveyed(self, api: str) -> list[str]:
        """The values it wants that ``api``'s latest successful call went without: not said
        before the call, or called with another value. Empty for an API not called."""
        if api not in self.heard:
            return []
        said, args = self.heard[api]
        out = []
        for arg in self._sayable[api]:
            slot = arg.name
            if self._wanted(slot):
                want = self.values[slot]
                given = args.get(slot)
                if said.get(slot) != want or (given is not None and given.value != want):
                    out.append(slot)
        return out

    def _unheard(self, api: str, field: str, turn: SystemTurn) -> str | None:
        """``field`` of ``api``'s result, or another field of it, that ``turn`` did not just
        say (for every item, of a list): nobody asks the price they were just told. None
        when it said them all."""
        call = next((a for a in turn.actions if isinstance(a, ApiCall) and a.name == api), None)
        result = next(iter(call.result.values()), None) if call is not None else None
        items = result if isinstance(result, tuple) else (result,)
        if not items or not all(isinstance(item, Mapping) for item in items):
            return field
        said = [a for a in turn.actions if isinstance(a, Response)]
        text = " ".join(a.text for a in said)
        spoken = set().union(*(self._speaks.get(a.name, ()) for a in said))
        fields = list(items[0])
        # What it asked for it knows: nobody asks the cuisine of the Thai places it found.
        known = {f for f, arg in echoes(self.scenario, api) if arg.name in self.values
                 and all(str(item.get(f)) == self.values[arg.name] for item in items)}
        told = known | {f for f in fields if f in spoken and all(self._told(f, item.get(f), text) for item in items)}
        if field not in told:
            return field
        left = [f for f in fields if f not in told]
        return left[int(self.rng.random() * len(left))] if left else None

    def _told(self, field: str, value, text: str) -> bool:
        """``text`` says ``value`` of ``field``: the value, or a yes/no field's words."""
        said = self._booleans.get(field)
        if said is None:
            return str(value) in text
        return (said.feature or said.of(str(value))) in text

    def _listing(self, slot: str | None) -> str | None:
        """The API whose list a request for ``slot`` asks to pick from ("which flight?"):
        the newest list of the slot's type, or of the API a field of which fills it
        ("which restaurant?")."""
        type_name = self.scenario.slots.get(slot or "")
        for api in reversed(list(self.lists)):
            returns = self.scenario.apis[api].returns
            if returns is not None and (returns.type == type_name or self._field_source.get(slot or "") == api):
                return api
        return None

