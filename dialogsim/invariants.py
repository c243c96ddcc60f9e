"""The invariants every simulated dialogue must satisfy, checked from its turns alone.

``check_dialogue(dialogue, scenario)`` returns a list of one-line violations (empty when
the dialogue is sound); ``DialogueChecker`` does the same with the per-scenario tables
built once, for checking many dialogues. The property tests, the hypothesis strategies
for test engineers and the corpus checker all use it, so that "a valid dialogue" means one
thing everywhere. The checks, in the order a reader meets them in a dialogue:

- shape: turns alternate user / system starting with the user, within the scenario's turn
  budget; every system turn ends with a response (the prompt the customer answers).
- spans: ``0 <= start < end <= len(text)``, sorted, non-overlapping; the span's type is
  its slot's type, its value canonical, its surface the value or one of its synonyms.
- user acts: each INFORM has exactly one span of its slot and each span one INFORM, or
  one SELECT by that field; an INFORM of a slot labelled without a span (a boolean, a
  ``span: false`` type) has no span and carries its canonical value instead ("the JetBlue one": the span says the picked item's value of
  the field, and no other item of the list has it);
  INVOKE names an API, REQUEST a result field, DONT_CARE an optional argument, SELECT an
  item of the list the system asked to pick from ("which flight?": the latest list of
  flights), else of the last list result.
- actions: every API call has its required arguments with values of the right type, and
  every argument (of a call or a response) that has a ``ref`` points at where the value
  came from: the customer's latest span (or spanless inform act) of that slot, or the latest successful result of
  an API (the item the customer picked, for a list), found with the values this call
  uses, as were the results that result was found from; an argument without a ``ref``
  is an optional argument's default. Results have the output's shape. Under the explicit
  confirmation policy (``SimulationConfig.confirmation``), an API or argument that needs
  a confirmation is called only after the customer affirmed it, and one confirmation
  covers one call.
- policy: the system never asks for a value it already holds (a catalogue slot the
  customer said and did not take back; a pick among results when no new list arrived
  since the last pick).
- ending: the last turn is the system's ``goodbye``, after the customer's goodbye (or a
  "no" to "anything else?"); COMPLETED needs every API of the goal called successfully,
  its last call with each value the goal sets as the customer last said it (a goal value
  never conveyed fails the dialogue); FAILED needs the customer's goodbye and either an
  API of the goal that never succeeded after an empty result or a failure, a goal value
  never conveyed, or the turn budget spent (``max_turns - 1`` turns
  or more: the customer says goodbye when no further exchange fits).

Values and their surfaces come from a ``Catalogue`` of the scenario: the simulator's when
given, else a default one (the one a ``Simulator`` builds), so Faker-backed values are
checked against the pool they were drawn from, whatever the holdout split.
"""

from __future__ import annotations

from typing import Any, Mapping

from dialogsim.catalogue import Catalogue
from dialogsim.config import SimulationConfig
from dialogsim.dialogue import (
    Act,
    ActRef,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Dialogue,
    Outcome,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario

__all__ = ["check_dialogue", "DialogueChecker"]

_NEEDS_SLOT = frozenset((Act.INFORM, Act.REQUEST))
_SAYS_VALUE = frozenset((Act.INFORM, Act.SELECT))  # a select with a slot picks by a value it says
_SAID = (SpanRef, ActRef)  # the customer said the value: in a span, or on a spanless inform


def check_dialogue(dialogue: Dialogue, scenario: Scenario, *, catalogue: Catalogue | None = None,
                   config: SimulationConfig | None = None) -> list[str]:
    """Every invariant ``dialogue`` breaks, one readable line each; empty when it is sound.

    ``catalogue``: the value catalogue the dialogue was made with (default: the one a
    ``Simulator`` builds for ``scenario``); ``config``: the simulation settings it was made
    with (default: the scenario's ``simulation:`` section), whose turn budget it must keep.
    The per-scenario tables are built once and reused while the same scenario (and
    catalogue) is passed again.
    """
    return _checker(scenario, catalogue).check(dialogue, config=config)


_last: "DialogueChecker | None" = None  # one entry: callers check many dialogues of one scenario


def _checker(scenario: Scenario, catalogue: Catalogue | None) -> "DialogueChecker":
    global _last
    if _last is None or _last.scenario is not scenario or _last.given is not catalogue:
        _last = DialogueChecker(scenario, catalogue=catalogue)
    return _last


class DialogueChecker:
    """``check_dialogue`` for one scenario, with its tables (value sets, response acts,
    argument types) built at construction."""

    def __init__(self, scenario: Scenario, *, catalogue: Catalogue | None = None) -> None:
        self.scenario = scenario
        self.given = catalogue
        types = scenario.types
        self._slots = dict(scenario.slots)
        self._spanless = scenario.spanless
        if catalogue is None:
            catalogue = Catalogue(scenario)
        self.catalogue = catalogue
        # Catalogue type -> its canonical values, and canonical value -> the surfaces that
        # say it (itself, its synonyms, its spoken form), for the values that have others.
        self._values: dict[str, frozenset[str]] = {}
        self._surfaces: dict[str, dict[str, frozenset[str]]] = {}
        for name, slot_type in types.items():
            if slot_type.is_entity or not slot_type.is_catalogue:
                continue
            values = catalogue.all_values(name)
            self._values[name] = frozenset(values)
            self._surfaces[name] = {value: frozenset((value, *others)) for value in values
                                    if (others := catalogue.synonyms(name, value))}
        self._fields = {name: dict(t.fields) for name, t in types.items() if t.is_entity}
        self._optional = {arg.name for api in scenario.apis.values() for arg in api.args if arg.optional}
        self._defaults = {(arg.name, arg.default) for api in scenario.apis.values() for arg in api.args if arg.optional}
        self._required = {arg.name for api in scenario.apis.values() for arg in api.args if arg.required}
        self._result_fields = {field for api in scenario.apis.values() if api.returns is not None
                               for field in self._fields.get(api.returns.type, ())}
        self._output_type = {name: api.returns.type for name, api in scenario.apis.items() if api.returns is not None}
        self._customer_args = {name: {a.name for a in scenario.customer_args(name)} for name in scenario.apis}
        self._required_of = {name: {a.name for a in api.args if a.required} for name, api in scenario.apis.items()}
        self._goodbye = {name for name, r in scenario.responses.items() if r.act is ResponseAct.GOODBYE}
        self._api_slots = {name: {a.name for a in api.args} for name, api in scenario.apis.items()}
        self._field_of = {a.name: a.field for api in scenario.apis.values() for a in api.args if a.field is not None}

    # -- entry point ------------------------------------------------------------------

    def check(self, dialogue: Dialogue, *, config: SimulationConfig | None = None) -> list[str]:
        """Every violation of ``dialogue``, in the order of the turns, against the turn
        budget of ``config`` (default: the scenario's)."""
        config = config or self.scenario.simulation
        return _Replay(self, dialogue, config.max_turns, explicit=config.confirmation == "explicit").run()

    # -- values -----------------------------------------------------------------------

    def value_problem(self, value: Any, type_name: str, *, many: bool = False) -> str | None:
        """Why ``value`` is not a value of ``type_name`` (a tuple of them when ``many``),
        or None."""
        if many:
            if not isinstance(value, tuple) or not value:
                return f"expected a non-empty list of {type_name}, got {value!r}"
            for item in value:
                problem = self.value_problem(item, type_name)
                if problem is not None:
                    return problem
            return None
        if type_name in self._fields:
            fields = self._fields[type_name]
            if not isinstance(value, Mapping):
                return f"expected a {type_name} entity, got {value!r}"
            if set(value) != set(fields):
                return f"a {type_name} entity has fields {sorted(fields)}, got {sorted(value)}"
            for field, field_type in fields.items():
                problem = self.value_problem(value[field], field_type)
                if problem is not None:
                    return f"field {field!r}: {problem}"
            return None
        if type_name not in self._values:
            return f"unknown type {type_name!r}"
        if not isinstance(value, str) or not value:
            return f"expected a non-empty {type_name} string, got {value!r}"
        if value not in self._values[type_name]:
            return f"{value!r} is not a canonical {type_name} value"
        return None

    def surfaces(self, type_name: str, value: str) -> frozenset[str]:
        return self._surfaces.get(type_name, {}).get(value) or frozenset((value,))


class _Replay:
    """One pass over a dialogue, keeping what the system could know at each point."""

    def __init__(self, checker: DialogueChecker, dialogue: Dialogue, max_turns: int, *, explicit: bool = True) -> None:
        self.c = checker
        self.max_turns = max_turns
        self.explicit = explicit  # confirmations are asked for and waited on
        self.scenario = checker.scenario
        self.dialogue = dialogue
        # Any: run() checks that user and system turns alternate; after that the replay
        # indexes them by parity, which a type checker cannot follow.
        self.turns: tuple[Any, ...] = dialogue.turns
        self.out: list[str] = []
        # slot -> (turn, where, value): the customer's latest value of each slot; where is
        # the span index, or ("act", index) for a value carried by a spanless inform.
        self.latest_span: dict[str, tuple[int, Any, str]] = {}
        self.known: set[str] = set()  # catalogue slots the system holds from the customer
        self.dont_care: set[str] = set()
        self.fresh_lists: set[str] = set()  # output types with a new multi-item list since the last pick
        self.latest_ok: dict[str, tuple[int, int]] = {}  # api -> its latest successful call with a result
        self.last_list: tuple[int, int] | None = None  # the latest successful call with a list result
        self.latest_list: dict[str, tuple[int, int]] = {}  # output type -> its latest list result
        self.selection: dict[tuple[int, int], int] = {}  # list call -> item the customer picked
        self.api_confirmed: set[str] = set()
        self.slot_confirmed: dict[str, str] = {}
        self.prompt: ResponseTemplate | None = None  # the response template that ended the last system turn
        self.ok_apis: set[str] = set()
        self.ok_calls: dict[str, ApiCall] = {}  # api -> its latest successful call
        self.failed_apis: set[str] = set()

    def fail(self, where: str, message: str) -> None:
        self.out.append(f"{self.dialogue.id}: {where}: {message}")

    def run(self) -> list[str]:
        d, sc = self.dialogue, self.scenario
        max_turns = self.max_turns
        for api in d.goal.apis:
            if api not in sc.apis:
                self.fail("goal", f"unknown API {api!r}")
        if not self.turns:
            self.fail("turns", "a dialogue has at least one exchange")
            return self.out
        if len(self.turns) > max_turns:
            self.fail("turns", f"{len(self.turns)} turns, over the budget of {max_turns}")
        for t, turn in enumerate(self.turns):
            expected = UserTurn if t % 2 == 0 else SystemTurn
            if not isinstance(turn, expected):
                got = getattr(turn, "speaker", type(turn).__name__)
                self.fail(f"turn {t}", f"expected a {expected.speaker} turn, got a {got} turn")
                return self.out  # the replay below assumes alternation
            if isinstance(turn, UserTurn):
                self.user_turn(t, turn)
            else:
                self.system_turn(t, turn)
        self.ending()
        return self.out

    # -- user turns -------------------------------------------------------------------

    def user_turn(self, t: int, turn: UserTurn) -> None:
        c, sc = self.c, self.scenario
        where = f"turn {t} (user)"
        text = turn.text
        if not text.strip():
            self.fail(where, "empty text")
        if not turn.acts:
            self.fail(where, "no acts")
        previous_end = 0
        for i, span in enumerate(turn.spans):
            at = f"{where} span {i} [{span.start}, {span.end}) {span.slot}"
            if not 0 <= span.start < span.end <= len(text):
                self.fail(at, f"offsets outside the text ({len(text)} characters)")
                continue
            if span.start < previous_end:
                self.fail(at, "spans must be sorted and must not overlap")
            previous_end = span.end
            slot_type = c._slots.get(span.slot)
            if slot_type is None:
                self.fail(at, "unknown slot")
                continue
            if span.type != slot_type:
                self.fail(at, f"type {span.type!r}, the slot's type is {slot_type!r}")
            problem = c.value_problem(span.value, slot_type)
            if problem is not None:
                self.fail(at, problem)
            elif text[span.start:span.end] not in c.surfaces(slot_type, span.value):
                self.fail(at, f"text {text[span.start:span.end]!r} does not say {span.value!r}")

        informs: dict[str, int] = {}  # slot -> the acts that say a value of it: informs and picks by it
        for i, act in enumerate(turn.acts):
            kind = act.act
            if kind is Act.INFORM and act.slot is not None and act.slot in c._spanless:
                if act.value is None:
                    self.fail(where, f"inform of {act.slot!r}, labelled without a span, carries no value")
                else:
                    problem = c.value_problem(act.value, c._slots[act.slot])
                    if problem is not None:
                        self.fail(f"{where} act {i} {act.slot}", problem)
                continue
            if act.value is not None:
                self.fail(where, f"act {i} carries a value, but {act.slot!r} is labelled with a span")
            if kind in _NEEDS_SLOT and act.slot is None:
                self.fail(where, f"{kind.value} without a slot")
            if kind in _SAYS_VALUE and act.slot is not None:
                informs[act.slot] = informs.get(act.slot, 0) + 1
            if kind is Act.INVOKE and act.api not in sc.apis:
                self.fail(where, f"invoke of unknown API {act.api!r}")
            elif kind is Act.REQUEST and act.slot is not None and act.slot not in c._result_fields:
                self.fail(where, f"request of {act.slot!r}, not a field of any API result")
            elif kind is Act.DONT_CARE and act.slot is not None and act.slot not in c._optional:
                self.fail(where, f"dont_care of {act.slot!r}, not an optional argument")
            elif kind is Act.SELECT:
                self.check_select(where, act, turn)
        spans: dict[str, int] = {}
        for span in turn.spans:
            spans[span.slot] = spans.get(span.slot, 0) + 1
        for slot in sorted(set(informs) | set(spans)):
            if informs.get(slot, 0) != 1 or spans.get(slot, 0) != 1:
                self.fail(where, f"slot {slot!r}: {informs.get(slot, 0)} inform act(s) and "
                                 f"{spans.get(slot, 0)} span(s); each inform (or pick by a field) has exactly one span")
        self.observe(t, turn)

    def check_select(self, where: str, act: UserAct, turn: UserTurn) -> None:
        item = act.item
        if item is None or item < 0:
            self.fail(where, f"select needs an item >= 0, got {item!r}")
            return
        picked = self.picked_list()
        if picked is None:
            self.fail(where, "select with no list result to pick from")
            return
        items = self.result_value(*picked)
        if item >= len(items):
            self.fail(where, f"select of item {item}, the list it picks from has {len(items)} item(s)")
        elif act.slot is not None:
            self.check_pick_by(where, act.slot, items, item, turn)

    def check_pick_by(self, where: str, field: str, items: tuple, item: int, turn: UserTurn) -> None:
        """A pick by a field ("the JetBlue one"): its span says the picked item's value of
        that field, and no other item of the list has that value."""
        chosen = items[item]
        if not isinstance(chosen, Mapping) or field not in chosen:
            self.fail(where, f"select by {field!r}: the listed items have no such field")
            return
        said = [span for span in turn.spans if span.slot == field]
        if said and said[0].value != chosen[field]:
            self.fail(where, f"select of item {item} by {field!r} says {said[0].value!r}, "
                             f"the item's {field} is {chosen[field]!r}")
        alike = [i for i, other in enumerate(items) if i != item and isinstance(other, Mapping)
                 and other.get(field) == chosen[field]]
        if alike:
            self.fail(where, f"select of item {item} by {field!r} {chosen[field]!r}: item(s) {alike} "
                             f"have it too; it does not tell the item apart")

    def picked_list(self) -> tuple[int, int] | None:
        """The list a select picks from: the one the prompt asked to pick from, else the
        last one."""
        prompt = self.prompt
        if prompt is not None and prompt.act is ResponseAct.REQUEST and prompt.slot is not None:
            asked = self.latest_list.get(self.c._slots.get(prompt.slot, ""))
            if asked is not None:
                return asked
        return self.last_list

    def heard(self, t: int, where: Any, slot: str, value: str, changed: set[str]) -> None:
        """The customer said ``value`` for ``slot`` (in span ``where``, or on act
        ``("act", i)``)."""
        old = self.latest_span.get(slot)
        if old is None or old[2] != value or slot not in self.known:
            changed.add(slot)
        self.latest_span[slot] = (t, where, value)
        self.known.add(slot)
        self.dont_care.discard(slot)

    def observe(self, t: int, turn: UserTurn) -> None:
        """Update what the system holds after this customer turn (mirrors the contract,
        not the agent's code: values said, taken back, not cared about, picked)."""
        prompt = self.prompt
        changed: set[str] = set()
        for i, span in enumerate(turn.spans):
            self.heard(t, i, span.slot, span.value, changed)
        for i, act in enumerate(turn.acts):
            if act.act is Act.INFORM and act.slot is not None and act.value is not None:
                self.heard(t, ("act", i), act.slot, act.value, changed)
        kinds = {a.act for a in turn.acts}
        for act in turn.acts:
            if act.act is Act.DONT_CARE:
                slot = act.slot
                if slot is None and prompt is not None and prompt.act is ResponseAct.REQUEST:
                    slot = prompt.slot
                if slot is not None:
                    self.dont_care.add(slot)
            elif act.act is Act.SELECT and (picked := self.picked_list()) is not None and act.item is not None:
                size = len(self.result_value(*picked))
                self.selection[picked] = min(max(act.item, 0), size - 1)
                self.fresh_lists.discard(self.c._output_type[self.action_at(ApiRef(*picked)).name])
            elif act.act is Act.INVOKE:
                self.api_confirmed.discard(act.api)
        if prompt is not None:
            if prompt.act is ResponseAct.CONFIRM_API and Act.AFFIRM in kinds and prompt.api is not None:
                self.api_confirmed.add(prompt.api)
            elif prompt.act is ResponseAct.CONFIRM_ARGS and prompt.slot is not None:
                slot = prompt.slot
                if Act.AFFIRM in kinds and slot in self.latest_span and slot not in changed:
                    self.slot_confirmed[slot] = self.latest_span[slot][2]
                elif Act.DENY in kinds and slot not in changed:
                    self.known.discard(slot)  # "no" without a new value: asked again
        for slot in changed:
            self.slot_confirmed.pop(slot, None)
            for api, slots in self.c._api_slots.items():
                if slot in slots:
                    self.api_confirmed.discard(api)

    # -- system turns -----------------------------------------------------------------

    def system_turn(self, t: int, turn: SystemTurn) -> None:
        where = f"turn {t} (system)"
        if not turn.actions:
            self.fail(where, "no actions")
        elif not isinstance(turn.actions[-1], Response):
            self.fail(where, "must end with a response (the customer answers a prompt)")
        self.prompt = None
        for a, action in enumerate(turn.actions):
            at = f"{where} action {a}"
            if isinstance(action, ApiCall):
                self.api_call(t, a, at, action)
            elif isinstance(action, Response):
                self.response(t, a, at, action)
            else:
                self.fail(at, f"unknown action {action!r}")
        for a, action in enumerate(turn.actions):
            if isinstance(action, Response) and action.name in self.c._goodbye and (
                    t != len(self.turns) - 1 or a != len(turn.actions) - 1):
                self.fail(f"{where} action {a}", "goodbye before the end of the dialogue")

    def api_call(self, t: int, a: int, at: str, call: ApiCall) -> None:
        spec = self.scenario.apis.get(call.name)
        at = f"{at} {call.name}"
        if spec is None:
            self.fail(at, "unknown API")
            return
        for name in call.args:
            if spec.arg(name) is None:
                self.fail(at, f"argument {name!r} is not an argument of the API")
        for arg in spec.args:
            given = call.args.get(arg.name)
            if given is None:
                if arg.required:
                    self.fail(at, f"required argument {arg.name!r} missing")
                continue
            arg_at = f"{at} argument {arg.name!r}"
            if given.ref is None:
                if arg.required:
                    self.fail(arg_at, "a required argument needs a ref (where its value came from)")
                elif given.value != arg.default:
                    self.fail(arg_at, f"no ref, so it must be the default {arg.default!r}, got {given.value!r}")
                continue
            problem = self.c.value_problem(given.value, arg.type)
            if problem is not None:
                self.fail(arg_at, problem)
            self.check_ref(t, a, arg_at, arg.name, arg.type, given, call=True)
            if (self.explicit and arg.confirm and isinstance(given.ref, _SAID)
                    and self.slot_confirmed.get(arg.name) != given.value):
                self.fail(arg_at, f"called with {given.value!r} before the customer confirmed it")
        self.check_upstream(at, call)
        if self.explicit and spec.confirm and call.name not in self.api_confirmed:
            self.fail(at, "called before the customer affirmed its confirmation")
        self.api_confirmed.discard(call.name)
        # The result.
        if call.status is not ApiStatus.OK:
            self.failed_apis.add(call.name)
            if call.result:
                self.fail(at, f"a {call.status.value} call has no result, got {dict(call.result)!r}")
            return
        self.ok_apis.add(call.name)
        self.ok_calls[call.name] = call
        if spec.returns is None:
            if call.result:
                self.fail(at, f"the API returns nothing, got {dict(call.result)!r}")
            return
        if set(call.result) != {spec.returns.name}:
            self.fail(at, f"result must be {{{spec.returns.name!r}: ...}}, got keys {sorted(call.result)}")
            return
        value = call.result[spec.returns.name]
        problem = self.c.value_problem(value, spec.returns.type, many=spec.returns.many)
        if problem is not None:
            self.fail(f"{at} result", problem)
            return
        self.latest_ok[call.name] = (t, a)
        if spec.returns.many:
            self.last_list = self.latest_list[spec.returns.type] = (t, a)
            if len(value) > 1:
                self.fresh_lists.add(spec.returns.type)

    def check_upstream(self, at: str, call: ApiCall) -> None:
        """A result used as an argument was found with the values this call uses, and so
        were the results it was found from, all the way up: no showtimes in Boston for a
        movie found in Chicago, nor for a cinema found from that movie."""
        for name, given in call.args.items():
            reported: set[str] = set()
            for found_by, slot, used in self.upstream_values(given.ref):
                mine = call.args.get(slot)
                if (mine is not None and isinstance(mine.ref, _SAID) and mine.value != used
                        and slot not in reported):
                    reported.add(slot)
                    self.fail(f"{at} argument {name!r}", f"found by {found_by} with {slot}={used!r}, "
                                                         f"but this call has {slot}={mine.value!r}")

    def upstream_values(self, ref: Any) -> list[tuple[str, str, Any]]:
        """The customer's values behind the result ``ref`` names, nearest call first:
        ``(found_by, slot, value)`` for each argument the customer gave to that call and,
        through the results it took, to the calls upstream of it ("FindCinema from
        FindMovies"). A ref that names no call has none (``check_ref`` reports it)."""
        out: list[tuple[str, str, Any]] = []
        queue: list[tuple[Any, str]] = [(ref, "")]
        seen: set[tuple[int, int]] = set()
        while queue:
            ref, downstream = queue.pop(0)
            source = self.action_at(ref) if isinstance(ref, ApiRef) else None
            if not isinstance(source, ApiCall) or (ref.turn, ref.action) in seen:
                continue
            seen.add((ref.turn, ref.action))
            found_by = f"{downstream} from {source.name}" if downstream else source.name
            for slot, used in source.args.items():
                if isinstance(used.ref, _SAID):
                    out.append((found_by, slot, used.value))
                elif isinstance(used.ref, ApiRef):
                    queue.append((used.ref, found_by))
        return out

    def response(self, t: int, a: int, at: str, response: Response) -> None:
        template = self.scenario.responses.get(response.name)
        at = f"{at} {response.name}"
        if template is None:
            self.fail(at, "unknown response")
            return
        if not response.text.strip():
            self.fail(at, "empty text")
        for name, given in response.args.items():
            arg_at = f"{at} argument {name!r}"
            type_name = template.args.get(name)
            if type_name is None:
                self.fail(arg_at, "not an argument of the response")
                continue
            if given.ref is None:  # an optional argument's default, as the API call used it
                if (name, given.value) not in self.c._defaults:
                    self.fail(arg_at, f"no ref, and {given.value!r} is no optional argument's default")
                continue
            many = isinstance(given.ref, ApiRef) and given.ref.item is None and isinstance(given.value, tuple)
            problem = self.c.value_problem(given.value, type_name, many=many)
            if problem is not None:
                self.fail(arg_at, problem)
            self.check_ref(t, a, arg_at, name, type_name, given, call=False)
        if template.act is ResponseAct.REQUEST and template.slot is not None:
            self.check_request(at, template.slot)
        self.prompt = template

    def check_request(self, at: str, slot: str) -> None:
        slot_type = self.c._slots.get(slot)
        if slot_type in self.c._fields:  # a pick among results
            if slot_type not in self.fresh_lists:
                self.fail(at, f"asks to pick a {slot_type} with no new list of them since the last pick")
        elif slot in self.known:
            self.fail(at, f"asks for {slot!r}, which the customer already gave "
                          f"({self.latest_span[slot][2]!r}, turn {self.latest_span[slot][0]})")
        elif slot in self.dont_care and slot not in self.c._required:  # a required value is asked again
            self.fail(at, f"asks for {slot!r}, which the customer said it does not care about")

    # -- refs -------------------------------------------------------------------------

    def action_at(self, ref: ApiRef) -> Any:
        """The system action ``ref`` names, or None when there is none."""
        if 0 <= ref.turn < len(self.turns) and isinstance(self.turns[ref.turn], SystemTurn):
            actions = self.turns[ref.turn].actions
            if 0 <= ref.action < len(actions):
                return actions[ref.action]
        return None

    def result_value(self, t: int, a: int) -> Any:
        call = self.turns[t].actions[a]
        return next(iter(call.result.values()), None)

    def said_at(self, t: int, at: str, ref: SpanRef | ActRef) -> Span | UserAct | None:
        """The span or act ``ref`` points at, or None (and a failure) when it is no span or
        act of a user turn before turn ``t``."""
        turn = self.turns[ref.turn] if 0 <= ref.turn < min(t, len(self.turns)) else None
        if not isinstance(turn, UserTurn):
            self.fail(at, f"ref {ref.to_json()} is not an earlier user turn")
            return None
        items, index, kind = ((turn.spans, ref.span, "span(s)") if isinstance(ref, SpanRef)
                              else (turn.acts, ref.act, "act(s)"))
        if not 0 <= index < len(items):
            self.fail(at, f"ref {ref.to_json()}: turn {ref.turn} has {len(items)} {kind}")
            return None
        return items[index]

    def check_ref(self, t: int, a: int, at: str, name: str, type_name: str, given: Arg, *, call: bool) -> None:
        ref = given.ref
        if isinstance(ref, SpanRef):
            span = self.said_at(t, at, ref)
            if not isinstance(span, Span):
                return
            if span.value != given.value:
                self.fail(at, f"ref {ref.to_json()} is the span {span.value!r}, the value is {given.value!r}")
            if span.type != type_name:
                self.fail(at, f"ref {ref.to_json()} is a {span.type} span, the argument is a {type_name}")
            if call and span.slot != name:
                self.fail(at, f"ref {ref.to_json()} is a span of {span.slot!r}")
            latest = self.latest_span.get(span.slot)
            if call and span.slot == name and latest is not None and latest[:2] != (ref.turn, ref.span):
                self.fail(at, f"ref {ref.to_json()} is not the customer's latest {name!r} "
                              f"(turn {latest[0]} span {latest[1]}: {latest[2]!r})")
            return
        if isinstance(ref, ActRef):
            self.check_act_ref(t, at, name, type_name, given, call=call)
            return
        if not isinstance(ref, ApiRef):
            self.fail(at, f"bad ref {ref!r}")
            return
        earlier = 0 <= ref.turn < t or (ref.turn == t and 0 <= ref.action < a)
        if not earlier or not isinstance(self.turns[ref.turn], SystemTurn):
            self.fail(at, f"ref {ref.to_json()} is not an earlier system action")
            return
        source = self.action_at(ref)
        if not isinstance(source, ApiCall):
            self.fail(at, f"ref {ref.to_json()} is not an API call")
            return
        if source.status is not ApiStatus.OK or not source.result:
            self.fail(at, f"ref {ref.to_json()}: the {source.name} call has no result")
            return
        returns = self.c._output_type.get(source.name)
        field = self.c._field_of.get(name) if returns != type_name else None  # "book that one": the item's name
        if returns != type_name and field is None:
            self.fail(at, f"ref {ref.to_json()}: {source.name} returns a {returns}, the argument is a {type_name}")
        value = self.result_value(ref.turn, ref.action)
        if ref.item is not None:
            if not isinstance(value, tuple) or not 0 <= ref.item < len(value):
                self.fail(at, f"ref {ref.to_json()}: no item {ref.item} in the result")
                return
            value = value[ref.item]
            picked = self.selection.get((ref.turn, ref.action))
            if picked is not None and ref.item != picked:
                self.fail(at, f"ref {ref.to_json()}: the customer picked item {picked}")
            elif picked is None and call and len(self.result_value(ref.turn, ref.action)) > 1:
                self.fail(at, f"ref {ref.to_json()}: picked among several results without asking")
        elif isinstance(value, tuple) and call:
            self.fail(at, f"ref {ref.to_json()}: an argument takes one item of a list result")
        if field is not None and isinstance(value, Mapping):
            value = value.get(field)
        if value != given.value:
            self.fail(at, f"ref {ref.to_json()} is {value!r}, the value is {given.value!r}")
        if self.latest_ok.get(source.name) != (ref.turn, ref.action):
            self.fail(at, f"ref {ref.to_json()} is not the latest result of {source.name}")

    def check_act_ref(self, t: int, at: str, name: str, type_name: str, given: Arg, *, call: bool) -> None:
        """A value labelled without a span: the act it points at is an earlier inform of a
        spanless slot that carries it (the value was conveyed), the customer's latest."""
        ref = given.ref
        assert isinstance(ref, ActRef)
        act = self.said_at(t, at, ref)
        if not isinstance(act, UserAct):
            return
        if act.act is not Act.INFORM or act.value is None or act.slot not in self.c._spanless:
            self.fail(at, f"ref {ref.to_json()} is no inform of a slot labelled without a span")
            return
        if act.value != given.value:
            self.fail(at, f"ref {ref.to_json()} informs {act.value!r}, the value is {given.value!r}")
        if self.c._slots.get(act.slot) != type_name:
            self.fail(at, f"ref {ref.to_json()} informs a {self.c._slots.get(act.slot)}, the argument is a {type_name}")
        if call and act.slot != name:
            self.fail(at, f"ref {ref.to_json()} informs {act.slot!r}")
        latest = self.latest_span.get(name)
        if call and act.slot == name and latest is not None and latest[:2] != (ref.turn, ("act", ref.act)):
            self.fail(at, f"ref {ref.to_json()} is not the customer's latest {name!r} (turn {latest[0]}: {latest[2]!r})")

    # -- the end ----------------------------------------------------------------------

    def ending(self) -> None:
        d, sc = self.dialogue, self.scenario
        max_turns = self.max_turns
        turns = self.turns
        if len(turns) % 2:
            self.fail("end", "the dialogue ends with a user turn; the system must close it")
            return
        last = turns[-1]
        final = last.actions[-1] if last.actions else None
        if not isinstance(final, Response) or final.name not in self.c._goodbye:
            self.fail("end", "the last system action must be the goodbye response")
        user = turns[-2]
        before = turns[-3].actions[-1] if len(turns) >= 3 and turns[-3].actions else None
        asked_more = (isinstance(before, Response) and before.name in sc.responses
                      and sc.responses[before.name].act is ResponseAct.REQMORE)
        if not (user.has(Act.GOODBYE) or (asked_more and user.has(Act.DENY) and not user.has(Act.INVOKE))):
            self.fail("end", "the customer's last turn must end the dialogue (goodbye, or no to 'anything else?')")
        if d.outcome is Outcome.FAILED and not user.has(Act.GOODBYE):
            self.fail("end", "a FAILED dialogue ends with the customer's goodbye")
        missing = [api for api in d.goal.apis if api not in self.ok_apis]
        unconveyed = self.unconveyed()
        budget = len(turns) >= max_turns - 1
        if d.outcome is Outcome.COMPLETED:
            if missing:
                self.fail("end", f"COMPLETED, but {', '.join(missing)} never succeeded")
            if unconveyed:
                self.fail("end", f"COMPLETED, but {'; '.join(unconveyed)}")
        elif not budget and not (missing and self.failed_apis) and not unconveyed:
            self.fail("end", "FAILED needs an API of the goal that never succeeded after an empty result "
                             "or a failure, a goal value the last call of its API went without, "
                             f"or the turn budget spent ({len(turns)} of {max_turns} turns)")

    def unconveyed(self) -> list[str]:
        """The goal's values that the latest successful call of their API went without:
        an argument the customer gives, that the goal sets (and the customer did not
        declare it does not mind after all), not filled from the customer's latest span."""
        goal = self.dialogue.goal
        out = []
        for api in goal.apis:
            call = self.ok_calls.get(api)
            if call is None:
                continue
            for slot in goal.values:
                if slot in goal.dont_care or slot in self.dont_care or slot not in self.c._customer_args.get(api, ()):
                    continue
                given = call.args.get(slot)
                if given is None and slot in self.c._required_of[api]:
                    continue  # reported as a missing argument
                latest = self.latest_span.get(slot)
                if given is None or not isinstance(given.ref, _SAID) or latest is None or given.value != latest[2]:
                    out.append(f"{api} went without the customer's {slot} (a goal value never conveyed)")
        return out
