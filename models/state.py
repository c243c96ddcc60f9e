"""What the dialogue manager knows at each step, the argument candidates, and the
consistency check -- plain Python, no torch, so that training, evaluation and the runtime
read a dialogue the same way and the check can be property-tested on its own.

``DialogueState`` is fed turn by turn: ``user(text, spans, values)`` with the spans the NER
found and the values said without a span the value tracker recognised (or the corpus's,
when training: ``said(turn)``), then ``act(action)`` for each system action with its API
result, then ``end_system()``. From it come the argument ``Candidate`` list of every
argument (spans and spanless values said so far, every API result and each of its items,
the default) and
``check``: the rules that turn a proposed action into a valid one.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs

from dialogsim.config import reworded
from dialogsim.dialogue import Action, ActRef, ApiCall, ApiRef, ApiStatus, Span, SpanRef, UserTurn
from dialogsim.responses import responses_by_meaning
from dialogsim.schema import ResponseAct, Scenario

__all__ = ["STOP", "Candidate", "Proposal", "DialogueState", "Said", "said", "arg_key", "ref_key", "check"]

STOP = "stop"  # the action that ends a system turn (implicit in the corpus)
DEFAULT_KEY = ("default",)
# An argument whose source the corpus does not show (``Arg.unresolved``, from convert-sgd):
# no candidate has this key, so it is neither a training target nor scored.
UNRESOLVED_KEY = ("unresolved",)


@attrs.frozen
class Candidate:
    """A value an argument may take. ``key`` identifies it across runs and against the
    corpus ``ref``: ``("span", turn, start, end)``, ``("act", turn, slot, value)`` (a value
    said without a span: ``ActRef``), ``("api", turn, action, item)`` (item None for a
    whole result) or ``("default",)``."""

    key: tuple
    type: str
    value: Any
    slot: str | None = None  # a span's (or spanless value's) slot
    api: str | None = None  # the API whose result it is
    turn: int = -1
    item: int | None = None
    many: bool = False  # an item of (or the whole of) a list with several items


# A value said without a span: (act index, slot, value). The act index is the corpus's
# (``said``), or at runtime the value's place among the recognised values
# (``DialogueManager.recognise``); candidates are keyed without it (``said_key``).
Said = tuple[int, str, str]


def said(turn: UserTurn) -> tuple[Said, ...]:
    """The values ``turn`` gives without a span (``UserAct.value`` on an INFORM), with the
    index of the act that carries each."""
    return turn.unspanned()


def said_key(turn: int, slot: str, value: str) -> tuple:
    """The candidate key of a value said without a span: by slot and value, not by act
    index, so that the runtime, which recognises values and not acts, names it alike."""
    return ("act", turn, slot, value)


def arg_key(arg, turns: Sequence) -> tuple:
    """The candidate key of a corpus argument: its ``ref``'s, or ``UNRESOLVED_KEY``."""
    return UNRESOLVED_KEY if arg.unresolved else ref_key(arg.ref, turns)


def ref_key(ref, turns: Sequence) -> tuple:
    """The candidate key a corpus ``ref`` names in ``turns`` (the dialogue's turns)."""
    if ref is None:
        return DEFAULT_KEY
    if isinstance(ref, SpanRef):
        span = turns[ref.turn].spans[ref.span]
        return ("span", ref.turn, span.start, span.end)
    if isinstance(ref, ApiRef):
        return ("api", ref.turn, ref.action, ref.item)
    if isinstance(ref, ActRef):
        act = turns[ref.turn].acts[ref.act]
        return said_key(ref.turn, act.slot, act.value)
    raise TypeError(f"not a ref: {ref!r}")


@attrs.frozen
class Proposal:
    """An action the runtime settled on: name, arguments (name -> Candidate) and whether
    the consistency check changed what the models proposed."""

    name: str
    args: Mapping[str, Candidate] = attrs.field(factory=dict)
    intervened: bool = False


class DialogueState:
    """The dialogue so far as the models see it. Turn indices are the corpus's (user and
    system turns alternate, the customer speaks first)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.turns: list = []  # ("user", text, spans, said) / ("system", [(name, keys, status)])
        self.spans: list[Candidate] = []  # every span and spanless value said, in order
        self.held: dict[str, Candidate] = {}  # slot -> its latest span
        self.results: list[Candidate] = []  # whole results, in order
        self.items: list[Candidate] = []  # list items
        self.current: list[tuple[str, dict, ApiStatus | None]] = []  # this system turn's actions
        self.revised: set[str] = set()  # slots the latest user turn changed
        # Of those, the ones said in other words than the value ("NYC"): what the system
        # confirms (``SimulationConfig.confirm_value``), by the same test, on the corpus's
        # spans when training and on the recognised spans (canonical values) at runtime.
        self.reworded: set[str] = set()
        self.defaults = _defaults(scenario)
        self.meanings = {key: r.name for key, r in responses_by_meaning(scenario).items()}

    def copy(self) -> "DialogueState":
        """An independent copy that shares the scenario (a deep copy would copy it too)."""
        other = DialogueState.__new__(DialogueState)
        other.scenario, other.defaults, other.meanings = self.scenario, self.defaults, self.meanings
        other.turns, other.spans, other.results, other.items = (list(self.turns), list(self.spans),
                                                                list(self.results), list(self.items))
        other.held, other.revised, other.reworded = dict(self.held), set(self.revised), set(self.reworded)
        other.current = [(name, dict(keys), status) for name, keys, status in self.current]
        return other

    # -- feeding ----------------------------------------------------------------------
    @property
    def index(self) -> int:
        return len(self.turns)

    def user(self, text: str, spans: Sequence[Span], values: Sequence[Said] = ()) -> None:
        """Add a user turn: its ``spans`` and its ``values`` said without a span (``said``)."""
        turn = self.index
        self.revised, self.reworded = set(), set()
        for span in spans:
            old = self.held.get(span.slot)
            if old is None or old.value != span.value:
                self.revised.add(span.slot)
                if reworded(text[span.start:span.end], span.value):
                    self.reworded.add(span.slot)
            cand = Candidate(key=("span", turn, span.start, span.end), type=span.type, value=span.value,
                             slot=span.slot, turn=turn)
            self.spans.append(cand)
            self.held[span.slot] = cand
        for _, slot, value in values:
            old = self.held.get(slot)
            if old is None or old.value != value:
                self.revised.add(slot)
            cand = Candidate(key=said_key(turn, slot, value), type=self.scenario.slots.get(slot, ""), value=value,
                             slot=slot, turn=turn)
            self.spans.append(cand)
            self.held[slot] = cand
        self.turns.append(("user", text, tuple(spans), tuple(values)))
        self.current = []

    def act(self, name: str, args: Mapping[str, tuple] | None = None, status: ApiStatus | None = None,
            result: Mapping[str, Any] | None = None) -> None:
        """Record system action ``name`` (args as candidate keys); an API call's ``status``
        and ``result`` make its output a candidate of later arguments."""
        turn, position = self.index, len(self.current)
        self.current.append((name, dict(args or {}), status))
        api = self.scenario.apis.get(name)
        if api is None or status is not ApiStatus.OK or api.returns is None or not result:
            return
        value = result.get(api.returns.name)
        if value is None:
            return
        many = isinstance(value, (tuple, list))
        several = many and len(value) > 1
        self.results.append(Candidate(key=("api", turn, position, None), type=api.returns.type, value=value,
                                      api=name, turn=turn, many=several))
        if many:
            for i, item in enumerate(value):
                self.items.append(Candidate(key=("api", turn, position, i), type=api.returns.type, value=item,
                                            api=name, turn=turn, item=i, many=several))

    def record(self, action: Action, keys: Mapping[str, tuple]) -> None:
        """Record a corpus action (its arguments as candidate keys): an ``ApiCall`` with the
        status and result the corpus holds, a ``Response`` as it stands."""
        if isinstance(action, ApiCall):
            self.act(action.name, keys, action.status, action.result)
        else:
            self.act(action.name, keys)

    def end_system(self) -> None:
        self.turns.append(("system", tuple(self.current)))
        self.current = []

    # -- reading ----------------------------------------------------------------------
    def last_system(self) -> tuple:
        """The previous system turn's actions (``(name, keys, status)``), or ``()``."""
        for turn in reversed(self.turns):
            if turn[0] == "system":
                return turn[1]
        return ()

    def response(self, act: ResponseAct, *, api: str | None = None, slot: str | None = None) -> str | None:
        """The name of the scenario's response that means ``(act, api, slot)``, or None
        (``dialogsim.responses``: names are the author's, meanings are typed)."""
        return self.meanings.get((act, api, slot))

    def said(self, name: str | None, actions) -> bool:
        """Whether response ``name`` (None: no such response) is among ``actions``."""
        return name is not None and any(a[0] == name for a in actions)

    def arg_type(self, action: str, arg: str) -> str | None:
        api = self.scenario.apis.get(action)
        if api is not None:
            spec = api.arg(arg)
            return None if spec is None else spec.type
        response = self.scenario.responses.get(action)
        return None if response is None else response.args.get(arg)

    def arg_names(self, action: str) -> tuple[str, ...]:
        api = self.scenario.apis.get(action)
        if api is not None:
            return tuple(a.name for a in api.args)
        response = self.scenario.responses.get(action)
        return () if response is None else tuple(response.args)

    def candidates(self, action: str, arg: str) -> list[Candidate]:
        """The candidates of ``arg`` of ``action``: spans of that slot, API results and their
        items of its type, and the default last where the argument has one."""
        wanted = self.arg_type(action, arg)
        # A slot name means one type throughout a scenario, and a value the customer said
        # (in a span or not) fills the argument of that name only ("to Boston" is never
        # the origin).
        out = [c for c in self.spans if c.slot == arg and c.type == wanted]
        out += [c for c in self.results if c.type == wanted]
        out += [c for c in self.items if c.type == wanted]
        default = self._default(action, arg)
        if default is not None:
            out.append(Candidate(key=DEFAULT_KEY, type=wanted or "", value=default))
        return out

    def _default(self, action: str, arg: str) -> str | None:
        api = self.scenario.apis.get(action)
        if api is not None:
            spec = api.arg(arg)
            return spec.default if spec is not None and spec.optional else None
        return self.defaults.get(arg)


def _defaults(scenario: Scenario) -> dict[str, str]:
    """Argument name -> default value of any optional API argument of that name: what a
    response that repeats an argument says when the customer gave none."""
    out: dict[str, str] = {}
    for api in scenario.apis.values():
        for arg in api.args:
            if arg.optional and arg.default is not None:
                out.setdefault(arg.name, arg.default)
    return out


def check(state: DialogueState, name: str, args: Mapping[str, Candidate], *, affirmed: bool = True) -> Proposal:
    """Make a proposed action valid: the rules the runtime never breaks.

    - an API call has every required argument, each of the argument's type: a missing one
      the customer gave takes that value, an optional one its default; else the system asks
      for the first missing one
      (the request of that argument), or stops when it cannot ask;
    - an argument marked ``confirm`` is confirmed (its confirmation said since the value
      was given) and a ``confirm: true`` API is called only right after the API's
      confirmation was said, the customer ``affirmed`` (the affirmation head's
      reading of the answer) and revised none of its arguments; else it confirms first;
    - a request never asks for a value the state holds, unless the system just asked to
      confirm it (a denied value is asked again); such a request becomes ``stop``, and a
      revised value is simply the new held one;
    - a response has a value for each of its arguments, of the argument's type; else ``stop``.
    An unknown action becomes ``stop``. ``Proposal.intervened`` says whether anything changed.
    """
    scenario = state.scenario
    api = scenario.apis.get(name)
    if api is not None:
        args = dict(args)
        repaired = False
        for spec in api.args:
            cand = args.get(spec.name)
            if cand is None or (cand.key != DEFAULT_KEY and cand.type != spec.type) or \
                    (cand.key == DEFAULT_KEY and not spec.optional):
                held = state.held.get(spec.name)
                if held is not None and held.type == spec.type:
                    args[spec.name] = held  # the value the customer gave, not a re-ask
                elif spec.optional:
                    args[spec.name] = Candidate(key=DEFAULT_KEY, type=spec.type, value=spec.default)
                else:
                    return _ask(state, spec.name)
                repaired = True
        for spec in api.args:
            cand = args[spec.name]
            if spec.confirm and cand.key[0] in ("span", "act") and not _confirmed_since(state, spec.name, cand.turn):
                return _respond(state, state.response(ResponseAct.CONFIRM_ARGS, slot=spec.name), args)
        if api.confirm:
            asked = state.response(ResponseAct.CONFIRM_API, api=name)
            if not affirmed or not state.said(asked, state.last_system()) or \
                    any(spec.name in state.revised for spec in api.args):
                return _respond(state, asked, args)
        return Proposal(name=name, args=args, intervened=repaired)
    response = scenario.responses.get(name)
    if response is None:
        return Proposal(name=STOP, intervened=name != STOP)
    slot = response.slot if response.act is ResponseAct.REQUEST else None
    if slot is not None and slot in state.held and \
            not state.said(state.response(ResponseAct.CONFIRM_ARGS, slot=slot), state.last_system()):
        return Proposal(name=STOP, intervened=True)
    fixed = {k: v for k, v in args.items() if k in response.args and (v.key == DEFAULT_KEY or v.type == response.args[k])}
    if len(fixed) != len(response.args):
        return Proposal(name=STOP, intervened=True)  # nothing to say it with (inform before the call)
    return Proposal(name=name, args=fixed, intervened=len(fixed) != len(args))


def _confirmed_since(state: DialogueState, slot: str, turn: int) -> bool:
    asked = state.response(ResponseAct.CONFIRM_ARGS, slot=slot)
    for index, entry in enumerate(state.turns):
        if index > turn and entry[0] == "system" and state.said(asked, entry[1]):
            return True
    return state.said(asked, state.current)


def _ask(state: DialogueState, slot: str) -> Proposal:
    name = state.response(ResponseAct.REQUEST, slot=slot)
    return Proposal(name=STOP if name is None else name, intervened=True)


def _respond(state: DialogueState, name: str | None, args: Mapping[str, Candidate]) -> Proposal:
    response = None if name is None else state.scenario.responses.get(name)
    if name is None or response is None or any(k not in args for k in response.args):
        return Proposal(name=STOP, intervened=True)
    return Proposal(name=name, args={k: v for k, v in args.items() if k in response.args}, intervened=True)
