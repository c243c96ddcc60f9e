"""The scenario data model: what a skill developer declares, as frozen, validated values.

``Scenario`` holds ``SlotType`` (catalogue values, synonyms, a Faker provider, or entity
fields), ``Api`` (typed ``Argument`` list, ``Output``, confirmation flag, mock results,
``Constraint`` between its arguments),
``ResponseTemplate``, ``UtteranceSet`` and ``SampleDialogue``. Nothing here reads YAML:
``dialogsim.loader`` maps a file into these classes and reports errors with file and line;
the cross-reference checks (unknown types, arguments with no source, ...) live there too.

Every class keeps the source ``line`` it came from (excluded from equality) so that later
stages -- goal sampling, validation warnings -- can point the developer at the file.
"""

from __future__ import annotations

import enum
from typing import Any, Mapping

import attrs

from dialogsim._attrs import (
    FrozenDict,
    freeze,
    frozen_mapping,
    frozen_tuple,
    optional_str,
)
from dialogsim.booleans import BOOLEAN, BooleanWords
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.dialogue import Act, Span, UserAct

__all__ = [
    "SlotType",
    "Argument",
    "Output",
    "Constraint",
    "DIFFER",
    "RECORD",
    "Api",
    "ResponseAct",
    "ResponseTemplate",
    "UtteranceSet",
    "SampleTurn",
    "SampleDialogue",
    "Scenario",
    "entity_cycle",
]

_str = attrs.validators.instance_of(str)
_line = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class SlotType:
    """A type of slot value. A *catalogue* type has ``values`` (canonical forms, each with
    optional ``synonyms`` -- surface forms that mean it) and/or a ``faker`` provider that
    generates more; an *entity* type has ``fields`` (field name -> type name) and a ``say``
    template that speaks one entity ("{airline} at {departure_time}").

    ``contexts`` are words said around every value of a catalogue type, ``value_contexts``
    around one value ("the {} area", "{}, Oregon"): ``{}`` is where the value goes, and the
    span covers the value alone, so a tagger learns to leave "area" out.

    ``faker_share`` is the share of draws that come from the Faker pool (None: its share
    of all values, every value equally likely), so that a few hand-written values
    ("Philadelphia", said "Philly") are not drowned by hundreds of generated ones;
    ``weights`` weighs listed values against each other (default 1).

    ``spanless``: values of this type are labelled without a span (the INFORM act carries
    the value), as real annotations give some categorical slots; the built-in ``Boolean``
    (values "true" / "false") always is."""

    name: str = attrs.field(validator=_str)
    values: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    synonyms: Mapping[str, tuple[str, ...]] = attrs.field(factory=FrozenDict, converter=freeze)
    faker: str | None = attrs.field(default=None, validator=optional_str)
    faker_args: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze)
    fields: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    say: str | None = attrs.field(default=None, validator=optional_str)
    contexts: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    value_contexts: Mapping[str, tuple[str, ...]] = attrs.field(factory=FrozenDict, converter=freeze)
    faker_share: float | None = None
    weights: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    spanless: bool = False
    line: int | None = _line

    @property
    def is_boolean(self) -> bool:
        return self.name == BOOLEAN

    @property
    def is_entity(self) -> bool:
        return bool(self.fields)

    @property
    def is_catalogue(self) -> bool:
        """Values of this type can be sampled and spoken by a customer."""
        return bool(self.values) or self.faker is not None


def entity_cycle(types: Mapping[str, SlotType]) -> list[str] | None:
    """Entity types that contain each other, as a path that returns to its start
    (``["Offer", "Receipt", "Offer"]``), or None. An entity must be finite to be spoken or
    generated; the loader reports a cycle at its line, the catalogue refuses one."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for field_type in types[name].fields.values():
            if field_type not in types:
                continue
            if state.get(field_type) == 1:
                return path[path.index(field_type):] + [field_type]
            if field_type not in state:
                found = visit(field_type, path + [field_type])
                if found:
                    return found
        state[name] = 2
        return None

    for name in types:
        if name not in state:
            cycle = visit(name, [name])
            if cycle:
                return cycle
    return None


@attrs.frozen(kw_only=True)
class Argument:
    """An API argument. ``source`` names the API whose output must fill it (``from:``),
    ``field`` a field of that output's entity (``from: FindRestaurants.restaurant_name``:
    the picked item's name); without a source, the output of any API of the same type may,
    and a catalogue type may also come from the customer. ``customer`` (``from: [customer,
    ...]``): the customer may say it too, or only the customer, without a source ("book a
    table at Juniper" with no search, or "book that one" after one). ``confirm`` asks the system to confirm the value (slot
    confirmation) before the call; ``ask`` makes the system ask for an optional argument
    once (the customer may answer "don't care", and the ``default`` is used).
    ``volunteer``: the chance that a customer who wants a value says it unasked, with the
    request for the API (None: how much it volunteers decides, ``GoalSampler.informing``).
    ``say``: the words of a ``Boolean`` argument (``dialogsim.booleans``)."""

    name: str = attrs.field(validator=_str)
    type: str = attrs.field(validator=_str)
    optional: bool = False
    default: str | None = attrs.field(default=None, validator=optional_str)
    confirm: bool = False
    ask: bool = False
    source: str | None = attrs.field(default=None, validator=optional_str)
    field: str | None = attrs.field(default=None, validator=optional_str)
    customer: bool = False
    volunteer: float | None = None
    say: BooleanWords | None = None
    line: int | None = _line

    @property
    def required(self) -> bool:
        return not self.optional


@attrs.frozen(kw_only=True)
class Output:
    """What an API returns: one named value of one type; ``many`` makes it a list
    (search results the customer picks from: "the second one")."""

    name: str = attrs.field(validator=_str)
    type: str = attrs.field(validator=_str)
    many: bool = False
    line: int | None = _line


DIFFER = "differ"
RECORD = "record"


@attrs.frozen(kw_only=True)
class Constraint:
    """A rule between arguments of one API that the goal sampler keeps. ``differ``: the
    ``args`` never hold the same value (origin and destination). ``record``: the
    customer's values for ``args`` are the ``fields`` (in the same order) of one of the
    API's declared ``results``, a song with the artist who sings it. An argument the
    customer may say or take from a result (``from: [customer, Api.field]``) keeps them
    where the customer draws its value; taken from a result, it is what the result gives."""

    kind: str = attrs.field(validator=attrs.validators.in_((DIFFER, RECORD)))
    args: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    fields: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    line: int | None = _line

    @fields.validator
    def _one_field_each(self, attribute, fields):
        if self.kind == RECORD and len(fields) != len(self.args):
            raise ValueError("a record constraint names one result field per argument")


@attrs.frozen(kw_only=True)
class Api:
    """An API the skill calls. ``confirm``: the system asks before calling it. ``results``:
    mock results (entity field mappings or scalar values) the backend draws from before it
    falls back to generating values from the output type's catalogues. ``constraints``:
    rules between its arguments (``Constraint``)."""

    name: str = attrs.field(validator=_str)
    args: tuple[Argument, ...] = attrs.field(default=(), converter=frozen_tuple)
    returns: Output | None = None
    confirm: bool = False
    results: tuple[Any, ...] = attrs.field(default=(), converter=freeze)
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=frozen_tuple)
    description: str = ""
    line: int | None = _line

    def arg(self, name: str) -> Argument | None:
        for a in self.args:
            if a.name == name:
                return a
        return None

    @property
    def required(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.args if a.required)


class ResponseAct(str, enum.Enum):
    """What a system response does; default response names say it (DESIGN.md)."""

    REQUEST = "request"  # request_<arg>
    CONFIRM_ARGS = "confirm_args"  # confirm_args / confirm_<arg>
    CONFIRM_API = "confirm_api"  # confirm_<Api>
    INFORM = "inform"  # inform_<Api>, inform_<Api>_<field>
    NO_RESULTS = "no_results"  # no_results_<Api>
    FAILURE = "failure"  # failure_<Api>
    OFFER = "offer"  # offer_<Api>
    REQMORE = "reqmore"
    GOODBYE = "goodbye"
    OTHER = "other"  # a scenario's own response the policies never choose by themselves


@attrs.frozen(kw_only=True)
class ResponseTemplate:
    """A named system response: its act, its typed arguments (name -> type) and one or
    more text variants with ``{arg}`` or ``{arg.field}`` placeholders."""

    name: str = attrs.field(validator=_str)
    act: ResponseAct = attrs.field(converter=ResponseAct)
    args: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    texts: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    api: str | None = attrs.field(default=None, validator=optional_str)  # the API it is about
    slot: str | None = attrs.field(default=None, validator=optional_str)  # request_<arg>, inform_<Api>_<field>
    generated: bool = attrs.field(default=False, eq=False)  # a default the scenario left out
    line: int | None = _line

    @texts.validator
    def _nonempty(self, attribute, texts):
        if not texts:
            raise ValueError(f"response {self.name!r} needs at least one text")


@attrs.frozen(kw_only=True)
class UtteranceSet:
    """User phrasings of one intent: ``act`` with ``target`` (the API for INVOKE, the slot or
    field for INFORM / DONT_CARE / REQUEST). Templates hold ``{slot}`` placeholders."""

    act: Act = attrs.field(converter=Act)
    target: str | None = attrs.field(default=None, validator=optional_str)
    templates: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    line: int | None = _line


@attrs.frozen(kw_only=True)
class SampleTurn:
    """One turn of a sample dialogue. A user turn has its annotation stripped into ``text``,
    ``spans`` and ``acts``; a system turn lists its ``actions`` (API and response names) and,
    of those, the ``calls`` of declared APIs (the loader tells them apart by the scenario's
    declarations)."""

    speaker: str = attrs.field(validator=attrs.validators.in_(("user", "system")))
    text: str = ""
    acts: tuple[UserAct, ...] = attrs.field(default=(), converter=frozen_tuple)
    spans: tuple[Span, ...] = attrs.field(default=(), converter=frozen_tuple)
    actions: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    calls: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    line: int | None = _line


@attrs.frozen(kw_only=True)
class SampleDialogue:
    name: str = attrs.field(validator=_str)
    turns: tuple[SampleTurn, ...] = attrs.field(converter=frozen_tuple)
    line: int | None = _line

    @property
    def api_path(self) -> tuple[str, ...]:
        """The APIs this sample calls, in order, without repeats."""
        return tuple(dict.fromkeys(name for turn in self.turns for name in turn.calls))


@attrs.frozen(kw_only=True)
class Scenario:
    """A whole skill. Build it with ``dialogsim.load_scenario(path)``; ``source_hash``
    identifies the file content in corpus manifests."""

    name: str = attrs.field(validator=_str)
    description: str = ""
    types: Mapping[str, SlotType] = attrs.field(converter=frozen_mapping)
    apis: Mapping[str, Api] = attrs.field(converter=frozen_mapping)
    responses: Mapping[str, ResponseTemplate] = attrs.field(converter=frozen_mapping)
    utterances: tuple[UtteranceSet, ...] = attrs.field(default=(), converter=frozen_tuple)
    samples: tuple[SampleDialogue, ...] = attrs.field(default=(), converter=frozen_tuple)
    simulation: SimulationConfig = attrs.field(factory=SimulationConfig)
    variation: VariationConfig = attrs.field(factory=VariationConfig)
    path: str = attrs.field(default="<scenario>", eq=False)
    source_hash: str = attrs.field(default="", eq=False)

    @property
    def slots(self) -> Mapping[str, str]:
        """Slot name -> type name, over every API argument and entity field. A slot name
        means one type throughout a scenario (the loader checks it), which is what lets a
        value the customer gave for one API carry over to the next."""
        slots: dict[str, str] = {}
        for api in self.apis.values():
            for arg in api.args:
                slots.setdefault(arg.name, arg.type)
        for slot_type in self.types.values():
            for field, type_name in slot_type.fields.items():
                slots.setdefault(field, type_name)
        return frozen_mapping(slots)

    @property
    def spanless(self) -> frozenset[str]:
        """The slots labelled without a span: those of a ``spanless`` type (``Boolean``)."""
        types = self.types
        return frozenset(slot for slot, type_name in self.slots.items()
                         if type_name in types and types[type_name].spanless)

    def customer_args(self, api: str) -> tuple[Argument, ...]:
        """The arguments of ``api`` a customer can say: catalogue types not tied to another
        API's output by ``from:`` alone (``from: [customer, Api.field]`` keeps both). The
        others come from API results."""
        types = self.types
        return tuple(a for a in self.apis[api].args
                     if (a.source is None or a.customer) and types[a.type].is_catalogue)

    def utterances_for(self, act: Act, target: str | None = None) -> tuple[UtteranceSet, ...]:
        return tuple(u for u in self.utterances if u.act is act and u.target == target)
