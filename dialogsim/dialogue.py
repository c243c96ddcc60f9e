"""The annotated dialogue: the values the agents produce and the corpus stores.

``Dialogue`` holds ``UserTurn`` and ``SystemTurn`` values; a user turn has its text, its
``UserAct`` list and the exact character ``Span`` of every slot value it mentions; a system
turn has the ``ApiCall`` and ``Response`` actions it took (the stop that ends a system turn
is implicit: the models append it). Every argument an action carries is an ``Arg``: the
value plus a ``SpanRef``, ``ActRef`` or ``ApiRef`` naming where it came from -- the
argument-filling label. A value labelled without a span (a boolean, a categorical slot
real annotations give no span) rides on its INFORM act (``UserAct.value``) and an argument
that took it points at that act (``ActRef``). ``Dialogue.to_json()`` /
``Dialogue.from_json()`` are the corpus format (DESIGN.md), and round-trip exactly.
"""

from __future__ import annotations

import enum
import json
from typing import Any, Mapping, Union

import attrs

from dialogsim._attrs import (
    freeze,
    frozen_mapping,
    frozen_tuple,
    optional_int,
    optional_str,
)
from dialogsim.goal import ApiStatus, Goal

__all__ = [
    "FORMAT_VERSION",
    "Act",
    "ApiStatus",
    "Outcome",
    "Span",
    "UserAct",
    "SpanRef",
    "ActRef",
    "ApiRef",
    "Arg",
    "Value",
    "ApiCall",
    "Response",
    "Action",
    "UserTurn",
    "SystemTurn",
    "Turn",
    "Dialogue",
    "dumps_line",
]

FORMAT_VERSION = 1

# Built once: json.dumps with options builds an encoder per call, and this runs per dialogue.
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps_line(record: Mapping) -> str:
    """A dialogue record as its corpus line (no newline): compact JSON, keys in the record's
    order, UTF-8 text kept as is. ``Dialogue.to_line()`` for callers that hold the record."""
    return _LINE_ENCODER.encode(record)


class Act(str, enum.Enum):
    """User dialogue acts, after the Alexa Conversations act set."""

    INVOKE = "invoke"  # asks for an API: "find me a flight"
    INFORM = "inform"  # gives an argument value (its span holds the value)
    AFFIRM = "affirm"
    DENY = "deny"
    DONT_CARE = "dont_care"  # "any airline is fine": the optional argument takes its default
    SELECT = "select"  # picks an offered item: "that one", "the second one"
    REQUEST = "request"  # asks about a result field: "when does it leave?"
    THANK = "thank"
    GOODBYE = "goodbye"


class Outcome(str, enum.Enum):
    """How a dialogue ended; every dialogue ends in one of these."""

    COMPLETED = "completed"  # every API of the goal was called successfully
    FAILED = "failed"  # the system reported a failure or nothing was found and the customer gave up


@attrs.frozen(kw_only=True)
class Span:
    """The exact characters ``text[start:end]`` that express a slot value."""

    start: int = attrs.field(validator=attrs.validators.instance_of(int))
    end: int = attrs.field(validator=attrs.validators.instance_of(int))
    slot: str = attrs.field(validator=attrs.validators.instance_of(str))
    type: str = attrs.field(validator=attrs.validators.instance_of(str))
    value: str = attrs.field(validator=attrs.validators.instance_of(str))

    @end.validator
    def _check_end(self, attribute, end):
        if not 0 <= self.start < end:
            raise ValueError(f"span must satisfy 0 <= start < end, got [{self.start}, {end})")

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "slot": self.slot, "type": self.type, "value": self.value}


@attrs.frozen(kw_only=True)
class UserAct:
    """One user act. ``api`` goes with INVOKE, ``slot`` with INFORM / DONT_CARE / REQUEST,
    ``item`` (0-based) with SELECT. ``value`` goes only with an INFORM of a slot labelled
    without a span (a boolean "somewhere with outdoor seating", a yes to "Do you want
    outdoor seating?"): the act carries the canonical value no span of the text holds."""

    act: Act = attrs.field(converter=Act)
    api: str | None = attrs.field(default=None, validator=optional_str)
    slot: str | None = attrs.field(default=None, validator=optional_str)
    item: int | None = attrs.field(default=None, validator=optional_int)
    value: str | None = attrs.field(default=None, validator=optional_str)

    @value.validator
    def _check_value(self, attribute, value):
        if value is not None and (self.act is not Act.INFORM or self.slot is None):
            raise ValueError(f"only an INFORM of a slot carries a value, got {self.act.value} with value {value!r}")

    def to_json(self) -> dict:
        out: dict[str, Any] = {"act": self.act.value}
        if self.api is not None:
            out["api"] = self.api
        if self.slot is not None:
            out["slot"] = self.slot
        if self.item is not None:
            out["item"] = self.item
        if self.value is not None:
            out["value"] = self.value
        return out

    @classmethod
    def from_json(cls, raw: Mapping) -> "UserAct":
        return cls(act=raw["act"], api=raw.get("api"), slot=raw.get("slot"), item=raw.get("item"),
                   value=raw.get("value"))


@attrs.frozen
class SpanRef:
    """The value came from span ``span`` of turn ``turn``. JSON: ``[turn, span]``."""

    turn: int
    span: int

    def to_json(self) -> list:
        return [self.turn, self.span]


@attrs.frozen
class ActRef:
    """The value came from act ``act`` of user turn ``turn``: an INFORM that carries a
    value labelled without a span (``UserAct.value``). JSON: ``["act", turn, act]``."""

    turn: int
    act: int

    def to_json(self) -> list:
        return ["act", self.turn, self.act]


@attrs.frozen
class ApiRef:
    """The value came from the result of action ``action`` of turn ``turn``; ``item`` picks
    one element of a list result. JSON: ``["api", turn, action]`` or ``[..., item]``."""

    turn: int
    action: int
    item: int | None = None

    def to_json(self) -> list:
        out: list = ["api", self.turn, self.action]
        if self.item is not None:
            out.append(self.item)
        return out


Ref = Union[SpanRef, ActRef, ApiRef]

Value = Union[str, Mapping[str, Any], tuple[Any, ...], None]
"""An argument's value: a catalogue value (str), an entity (field -> value), a list result
(a tuple of entities or values), or None for an optional argument's absent default."""


def ref_from_json(raw: Any) -> Ref | None:
    if raw is None:
        return None
    if isinstance(raw, list) and raw and raw[0] == "api" and len(raw) in (3, 4):
        return ApiRef(*raw[1:])
    if isinstance(raw, list) and raw and raw[0] == "act" and len(raw) == 3:
        return ActRef(*raw[1:])
    if isinstance(raw, list) and len(raw) == 2:
        return SpanRef(*raw)
    raise ValueError(f"ref must be [turn, span], ['act', turn, act] or ['api', turn, action(, item)], got {raw!r}")


@attrs.frozen(kw_only=True)
class Arg:
    """An argument value and where it came from. ``ref`` is None for a default value (an
    optional argument the customer did not give or did not care about) -- or, with
    ``unresolved``, for a value whose source the dialogue does not show (a converted real
    dialogue: SGD does not say where a call's argument came from). ``unresolved`` is
    written only when true, so corpora without such arguments keep their bytes, and
    consumers can tell "default" from "unknown" instead of scoring one as the other."""

    value: Value = attrs.field(converter=freeze)
    ref: SpanRef | ActRef | ApiRef | None = None
    unresolved: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))

    @unresolved.validator
    def _check_unresolved(self, attribute, unresolved):
        if unresolved and self.ref is not None:
            raise ValueError(f"an unresolved argument has no ref, got {self.ref!r}")

    def to_json(self) -> dict:
        out: dict[str, Any] = {"value": self.value, "ref": None if self.ref is None else self.ref.to_json()}
        if self.unresolved:
            out["unresolved"] = True
        return out

    @classmethod
    def from_json(cls, raw: Mapping) -> "Arg":
        return cls(value=freeze(raw["value"]), ref=ref_from_json(raw.get("ref")),
                   unresolved=raw.get("unresolved", False))


def _args_json(args: Mapping[str, Arg]) -> dict:
    return {name: arg.to_json() for name, arg in args.items()}


def _args_from_json(raw: Mapping) -> Mapping[str, Arg]:
    return frozen_mapping({name: Arg.from_json(a) for name, a in raw.items()})


@attrs.frozen(kw_only=True)
class ApiCall:
    """The system called API ``name`` with ``args``; ``result`` maps the API's output name to
    what the mock backend returned (empty unless ``status`` is OK)."""

    name: str
    args: Mapping[str, Arg] = attrs.field(factory=dict, converter=frozen_mapping)
    status: ApiStatus = attrs.field(default=ApiStatus.OK, converter=ApiStatus)
    result: Mapping[str, Any] = attrs.field(factory=dict, converter=freeze)

    kind = "api"

    def to_json(self) -> dict:
        return {"kind": "api", "name": self.name, "args": _args_json(self.args),
                "status": self.status.value, "result": self.result}


@attrs.frozen(kw_only=True)
class Response:
    """The system said response ``name`` (a scenario response template) with ``args``."""

    name: str
    args: Mapping[str, Arg] = attrs.field(factory=dict, converter=frozen_mapping)
    text: str = ""

    kind = "response"

    def to_json(self) -> dict:
        return {"kind": "response", "name": self.name, "args": _args_json(self.args), "text": self.text}


Action = Union[ApiCall, Response]


def action_from_json(raw: Mapping) -> Action:
    kind = raw.get("kind")
    if kind == "api":
        return ApiCall(name=raw["name"], args=_args_from_json(raw.get("args", {})),
                       status=raw.get("status", "ok"), result=freeze(raw.get("result") or {}))
    if kind == "response":
        return Response(name=raw["name"], args=_args_from_json(raw.get("args", {})), text=raw.get("text", ""))
    raise ValueError(f"action kind must be 'api' or 'response', got {kind!r}")


@attrs.frozen(kw_only=True)
class UserTurn:
    """What the customer said. ``augmented`` names the variation augmenters that changed
    the text (in the order they ran), so a corpus can be filtered or weighed by noise."""

    text: str
    acts: tuple[UserAct, ...] = attrs.field(converter=frozen_tuple)
    spans: tuple[Span, ...] = attrs.field(default=(), converter=frozen_tuple)
    augmented: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)

    speaker = "user"

    def span_for(self, slot: str) -> int | None:
        """Index of the first span of ``slot``, or None."""
        for i, span in enumerate(self.spans):
            if span.slot == slot:
                return i
        return None

    def has(self, act: Act) -> bool:
        return any(a.act is act for a in self.acts)

    def unspanned(self) -> tuple[tuple[int, str, str], ...]:
        """The values given without a span (a boolean "with outdoor seating", a yes to "Do you
        want outdoor seating?"), as (act index, slot, value): they mean what a span's value
        means, so every reader of the customer's values reads these too."""
        return tuple((i, a.slot, a.value) for i, a in enumerate(self.acts)
                     if a.act is Act.INFORM and a.slot is not None and a.value is not None)

    def spanless(self, slots: frozenset[str] | set[str]) -> "UserTurn":
        """The turn with the spans of ``slots`` (labelled without a span) moved onto their
        INFORM acts as values. The realiser writes a span for every value so that noise
        never touches the words that carry one; the corpus keeps none for these."""
        informed = {a.slot for a in self.acts if a.act is Act.INFORM}  # a pick by a field keeps its span
        moved = {span.slot: span.value for span in self.spans if span.slot in slots and span.slot in informed}
        if not moved:
            return self
        acts = tuple(attrs.evolve(a, value=moved[a.slot]) if a.act is Act.INFORM and a.slot in moved else a
                     for a in self.acts)
        return attrs.evolve(self, acts=acts, spans=tuple(s for s in self.spans if s.slot not in moved))

    def to_json(self) -> dict:
        out = {"speaker": "user", "text": self.text, "acts": [a.to_json() for a in self.acts],
               "spans": [s.to_json() for s in self.spans]}
        if self.augmented:
            out["augmented"] = list(self.augmented)
        return out


@attrs.frozen(kw_only=True)
class SystemTurn:
    actions: tuple[Action, ...] = attrs.field(converter=frozen_tuple)

    speaker = "system"

    @property
    def text(self) -> str:
        """What the system says: its responses' texts, in order."""
        return " ".join(a.text for a in self.actions if isinstance(a, Response) and a.text)

    def to_json(self) -> dict:
        return {"speaker": "system", "actions": [a.to_json() for a in self.actions]}


Turn = Union[UserTurn, SystemTurn]


def turn_from_json(raw: Mapping) -> Turn:
    speaker = raw.get("speaker")
    if speaker == "user":
        return UserTurn(text=raw["text"], acts=[UserAct.from_json(a) for a in raw.get("acts", [])],
                        spans=[Span(**s) for s in raw.get("spans", [])], augmented=raw.get("augmented", ()))
    if speaker == "system":
        return SystemTurn(actions=[action_from_json(a) for a in raw.get("actions", [])])
    raise ValueError(f"speaker must be 'user' or 'system', got {speaker!r}")


@attrs.frozen(kw_only=True)
class Dialogue:
    """One simulated dialogue: the goal it pursued, its turns, how it ended and which
    conversational patterns it shows (derived from the turns by ``patterns.detect``)."""

    id: str
    scenario: str
    goal: Goal
    turns: tuple[Turn, ...] = attrs.field(converter=frozen_tuple)
    outcome: Outcome = attrs.field(converter=Outcome)
    patterns: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "format": FORMAT_VERSION,
            "goal": self.goal.to_json(),
            "outcome": self.outcome.value,
            "patterns": list(self.patterns),
            "turns": [t.to_json() for t in self.turns],
        }

    def to_line(self) -> str:
        """The corpus line: compact JSON, keys in a fixed order, UTF-8 text kept as is."""
        return dumps_line(self.to_json())

    @classmethod
    def from_json(cls, raw: Mapping) -> "Dialogue":
        """Build a dialogue from its corpus JSON; raises ``KeyError``/``ValueError``/``TypeError``
        on a malformed record (``dialogsim.corpus`` turns those into ``CorpusError``)."""
        if raw.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported corpus format {raw.get('format')!r} (this dialogsim reads {FORMAT_VERSION})")
        return cls(
            id=raw["id"],
            scenario=raw["scenario"],
            goal=Goal.from_json(raw["goal"]),
            turns=[turn_from_json(t) for t in raw["turns"]],
            outcome=raw["outcome"],
            patterns=raw.get("patterns", ()),
        )
