"""Scenario files in, validated ``Scenario`` values out.

``load_scenario(path)`` and ``load_scenario_text(text)`` read the YAML contract of
docs/scenario-format.md into the frozen classes of ``dialogsim.schema``. This module is the
one place that knows the file format: it checks every name, type reference, argument
source, template placeholder and sample annotation, and raises ``ScenarioError`` for the
first problem with the file, line and field path (``flights.yaml:12:
apis.BookFlight.args.seats: unknown type 'Seat'``) -- a developer fixes a file, not a
traceback. It also adds the default responses the scenario leaves out
(``dialogsim.defaults``) and parses the ``[surface](slot)`` annotations of the samples into
exact spans.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import attrs

from dialogsim import fakers
from dialogsim._yaml import Node, compose, suggest
from dialogsim.booleans import BOOLEAN, FALSE, TRUE, BooleanWords
from dialogsim.catalogue import Surfaces
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.defaults import (
    ResponseName,
    default_args,
    default_responses,
    parse_response_name,
)
from dialogsim.dialogue import Act, Span, UserAct
from dialogsim.errors import ScenarioError
from dialogsim.graph import DependencyGraph
from dialogsim.schema import (
    DIFFER,
    RECORD,
    Api,
    Argument,
    Constraint,
    Output,
    ResponseAct,
    ResponseTemplate,
    SampleDialogue,
    SampleTurn,
    Scenario,
    SlotType,
    UtteranceSet,
    entity_cycle,
)
from dialogsim.wording import PLACEHOLDER

__all__ = ["load_scenario", "load_scenario_text", "MAX_SAMPLES"]

MAX_SAMPLES = 10

_SCENARIO_NAME = re.compile(r"[a-z][a-z0-9_-]*\Z")
_TYPE_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*\Z")  # types and APIs
_SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")  # slots, arguments, fields, outputs
_RESPONSE_NAME = re.compile(r"[a-z][A-Za-z0-9_]*\Z")  # inform_<Api> holds an API name
_ANNOTATION = re.compile(r"\[([^\[\]]*)\]\(([^()]*)\)")
_SELECT = re.compile(r"[0-9]+\Z")

_TOP_KEYS = ("name", "description", "types", "apis", "responses", "utterances", "samples", "simulation", "variation")
_TYPE_KEYS = ("values", "synonyms", "faker", "faker_args", "faker_share", "weights", "fields", "say", "span",
              "contexts")
_API_KEYS = ("description", "args", "returns", "confirm", "results", "constraints")
_CONSTRAINT_KINDS = (DIFFER, RECORD)
_ARG_KEYS = ("type", "optional", "default", "confirm", "ask", "from", "volunteer", "say")
_BOOLEAN_SAY = (TRUE, FALSE)
_RETURNS_KEYS = ("name", "type", "many")
_RESPONSE_KEYS = ("act", "args", "text")
_SAMPLE_KEYS = ("name", "turns")
_TURN_KEYS = ("user", "acts", "system")
_BARE_ACTS = ("affirm", "deny", "thank", "goodbye")
_SAMPLE_ACTS = ("invoke", "select", "request", "dont_care") + _BARE_ACTS
# utterance keys that are acts on their own (invoking is keyed by the API's name)
_UTTERANCE_ACTS = tuple(a.value for a in Act if a is not Act.INVOKE)
_CONFIRM_ARGS = ResponseName(ResponseAct.CONFIRM_ARGS)  # the one table name no policy says
_RESPONSE_NAMES = ("request_<arg>, confirm_<arg>, confirm_<Api>, inform_<Api>, inform_<Api>_<field>, "
                   "no_results_<Api>, failure_<Api>, offer_<Api>, reqmore, goodbye")


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate a scenario file; raise ``ScenarioError`` naming the first problem."""
    shown = os.fspath(path)
    shown = shown if isinstance(shown, str) else os.fsdecode(shown)
    try:
        data = Path(shown).read_bytes()
    except FileNotFoundError:
        raise ScenarioError(shown, None, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(shown, None, "", "is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(shown, None, "", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(shown, line, "", "not UTF-8 text") from None
    return _Builder(text, shown).build(hashlib.sha256(data).hexdigest())


def load_scenario_text(text: str, path: str = "<string>") -> Scenario:
    """Validate scenario YAML given as a string; ``path`` is only used in error messages.
    ``source_hash`` is the sha256 of the UTF-8 text, as for a file with that content."""
    # surrogatepass: a lone surrogate must reach the parser, which reports its line
    return _Builder(text, path).build(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def _check_unpadded(node: Node, text: str, what: str, *, at_key: bool = False) -> None:
    """Refuse a value or synonym with spaces around it: the customer says ``Padded``, so a
    span over `` Padded `` would mark spaces as part of the value."""
    if text != text.strip():
        raise node.error(f"{what} must not start or end with spaces: {text!r}", at_key=at_key)


def _check_name(node: Node, name: str, pattern: re.Pattern, what: str, *, at_key: bool = True) -> None:
    if not pattern.match(name):
        rule = pattern.pattern.removesuffix(r"\Z")
        raise node.error(f"{name!r} is not a valid {what} name (use {rule})", at_key=at_key)


class _Builder:
    """One load: reads the nodes section by section, keeps what later checks refer to."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.types: dict[str, SlotType] = {}
        self.apis: dict[str, Api] = {}
        self.slots: dict[str, tuple[str, Node]] = {}  # slot -> (type, where it was first declared)
        self._faker: Any = None  # a Faker, made when a scenario first names a provider
        self.field_nodes: dict[tuple[str, str], Node] = {}
        self._surface_index: dict[str, Surfaces] = {}

    # -- top level --------------------------------------------------------------------

    def build(self, source_hash: str) -> Scenario:
        root = compose(self.text, self.path)
        top = root.mapping("a mapping with the keys name, types, apis and samples",
                           required=("name", "types", "apis", "samples"), allowed=_TOP_KEYS)
        name = top["name"].text("the scenario's name")
        _check_name(top["name"], name, _SCENARIO_NAME, "scenario", at_key=False)
        description = self._description(top.get("description"))
        self._types(top["types"])
        self._apis(top["apis"])
        self._check_slots()
        self._index_slots()
        declared = self._responses(top.get("responses"))
        preliminary = Scenario(name=name, types=self.types, apis=self.apis, responses={})
        for api, (arg, why) in DependencyGraph(preliminary).blocked().items():
            blocked = self.apis[api].arg(arg)
            raise ScenarioError(self.path, blocked.line if blocked is not None else None, f"apis.{api}.args.{arg}",
                                f"{api} can never be called: {why}")
        responses = dict(declared)
        for rname, template in default_responses(preliminary).items():
            responses.setdefault(rname, template)
        utterances = self._utterances(top.get("utterances"))
        samples = self._samples(top["samples"], responses)
        simulation = self._config(top.get("simulation"), SimulationConfig)
        variation = self._config(top.get("variation"), VariationConfig)
        scenario = Scenario(name=name, description=description, types=self.types, apis=self.apis,
                            responses=responses, utterances=utterances, samples=samples,
                            simulation=simulation, variation=variation, path=self.path, source_hash=source_hash)
        if not any(w > 0 for w in DependencyGraph(scenario).path_weights(simulation).values()):
            at = top.get("simulation") or top["samples"]
            raise ScenarioError(self.path, at.key_line, "simulation",
                                "every API path has weight 0 (sample_path_weight, graph_path_weight, "
                                "path_weights): there is nothing to simulate")
        return scenario

    @staticmethod
    def _description(node: Node | None) -> str:
        return "" if node is None or node.is_null else node.text("a description")

    def _type_ref(self, node: Node, what: str = "a type name") -> str:
        name = node.text(what)
        if name == BOOLEAN:  # built in: joins the scenario's types where it is first named
            self.types.setdefault(BOOLEAN, SlotType(name=BOOLEAN, values=(TRUE, FALSE), spanless=True))
            return name
        if name not in self.type_names:
            raise node.error(f"unknown type {name!r}{suggest(name, self.type_names)}")
        return name

    # -- types ------------------------------------------------------------------------

    def _types(self, node: Node) -> None:
        entries = node.mapping("a mapping of type names to types")
        self.type_names = tuple(entries)
        for tname, tnode in entries.items():
            _check_name(tnode, tname, _TYPE_NAME, "type")
            if tname == BOOLEAN:
                raise tnode.error("Boolean is a built-in type (values true and false): use it without declaring it; "
                                  "an argument of it says its words with say:", at_key=True)
            self.types[tname] = self._type(tname, tnode)
        self._check_entity_cycles(entries)

    def _type(self, tname: str, node: Node) -> SlotType:
        body = node.mapping("a mapping with values, synonyms, faker or fields", allowed=_TYPE_KEYS)
        values: dict[str, None] = {}  # in file order; a dict, as catalogues run to thousands of values
        if "values" in body:
            for item in body["values"].sequence("a list of values"):
                value = item.text("a value")
                if not value.strip():
                    raise item.error("a value must not be empty")
                _check_unpadded(item, value, "a value")
                if value in values:
                    raise item.error(f"duplicate value {value!r}")
                values[value] = None
        synonyms: dict[str, tuple[str, ...]] = {}
        if "synonyms" in body:
            entries = body["synonyms"].mapping("a mapping of values to lists of synonyms")
            meaning: dict[str, str] = {}
            for canonical, snode in entries.items():
                surfaces = snode.texts("a synonym")
                _check_unpadded(snode, canonical, "a value", at_key=True)
                for item, surface in surfaces:
                    _check_unpadded(item, surface, "a synonym")
                    other = meaning.get(surface, surface if surface in values or surface in entries else canonical)
                    if other != canonical:
                        raise item.error(f"synonym {surface!r} already means {other!r}")
                    meaning[surface] = canonical
                synonyms[canonical] = tuple(surface for _, surface in surfaces)
                values.setdefault(canonical)  # docs: a synonym's canonical value joins the values
        faker = faker_args = None
        if "faker" in body:
            faker = body["faker"].text("a Faker provider name")
            faker_args = {}
            if "faker_args" in body:
                raw = body["faker_args"]
                raw.mapping("a mapping of keyword arguments")
                faker_args = raw.plain()
            self._check_faker(body["faker"], body.get("faker_args"), faker, faker_args)
        elif "faker_args" in body:
            raise body["faker_args"].error("faker_args needs a faker provider", at_key=True)
        contexts, value_contexts = self._contexts(body["contexts"], values) if "contexts" in body else ((), {})
        faker_share = self._faker_share(body, faker, values)
        weights = self._weights(body["weights"], values) if "weights" in body else {}
        fields: dict[str, str] = {}
        if "fields" in body:
            for fname, fnode in body["fields"].mapping("a mapping of field names to type names").items():
                _check_name(fnode, fname, _SLOT_NAME, "field")
                ftype = self._type_ref(fnode)
                if ftype == tname:
                    raise fnode.error(f"an entity type cannot contain itself ({tname!r})")
                fields[fname] = ftype
                self.field_nodes[tname, fname] = fnode
        say = None
        if "say" in body:
            if not fields:
                raise body["say"].error("say is for entity types (types with fields)", at_key=True)
            say = body["say"].text("a template")
            self._check_placeholders(body["say"], say, lambda p: p in fields, "field of " + tname, fields)
        if fields and (values or faker):
            raise node.error("a type has either values/faker (a catalogue) or fields (an entity), not both",
                             at_key=True)
        if not (fields or values or faker):
            raise node.error(f"type {tname!r} has no values, faker or fields", at_key=True)
        spanless = False
        if "span" in body:
            if fields:
                raise body["span"].error("span is for catalogue types; an entity is never said in one span",
                                         at_key=True)
            spanless = not body["span"].flag()
        if (fields or spanless) and "contexts" in body:
            raise body["contexts"].error("contexts are words around a value's span: for a catalogue type with spans",
                                         at_key=True)
        return SlotType(name=tname, values=tuple(values), synonyms=synonyms, faker=faker, faker_args=faker_args or {},
                        fields=fields, say=say, contexts=contexts, value_contexts=value_contexts,
                        faker_share=faker_share, weights=weights, spanless=spanless, line=node.key_line)

    @staticmethod
    def _contexts(node: Node, values: Mapping[str, None]) -> tuple[list[str], dict[str, list[str]]]:
        """``contexts:``: a list of forms for every value of the type, or a mapping of listed
        values to lists of forms. A form has one ``{}`` (the value) and words around it that
        do not run into the value ("the {} area", "{}, Oregon"; never "{}s")."""
        def forms(at: Node) -> list[str]:
            out = []
            for item, form in at.texts("a form such as 'the {} area'"):
                if form.count("{}") != 1 or form.replace("{}", "", 1).count("{") or "}" in form.replace("{}", "", 1):
                    raise item.error(f"{form!r}: a context has one {{}} where the value goes, and no other braces")
                before, _, after = form.partition("{}")
                if not (before + after).strip() or form != form.strip():
                    raise item.error(f"{form!r}: a context needs words around the {{}} and no spaces at its ends")
                if before[-1:].isalnum() or after[:1].isalnum():
                    raise item.error(f"{form!r}: the words run into the value; leave a space or a comma next to {{}}")
                out.append(form)
            return out

        if not node.is_mapping:
            return forms(node), {}
        each = {}
        for value, vnode in node.mapping("a list of forms, or a mapping of listed values to lists of forms").items():
            if value not in values:
                raise vnode.error(f"{value!r} is no listed value of this type{suggest(value, values)}", at_key=True)
            each[value] = forms(vnode)
        return [], each

    @staticmethod
    def _faker_share(body: Mapping[str, Node], faker: str | None, values: Mapping[str, None]) -> float | None:
        if "faker_share" not in body:
            return None
        node = body["faker_share"]
        if faker is None:
            raise node.error("faker_share needs a faker provider (it weighs the listed values against its pool)",
                             at_key=True)
        if not values:
            raise node.error("faker_share weighs the listed values against the Faker pool: list some values",
                             at_key=True)
        share = node.plain()
        if not _is_number(share) or not 0.0 <= share <= 1.0:
            raise node.error(f"faker_share must be a fraction between 0 and 1, got {share!r}")
        return float(share)

    @staticmethod
    def _weights(node: Node, values: Mapping[str, None]) -> dict[str, float]:
        weights = {}
        for value, wnode in node.mapping("a mapping of listed values to weights").items():
            if value not in values:
                raise wnode.error(f"{value!r} is no listed value of this type{suggest(value, values)}", at_key=True)
            weight = wnode.plain()
            if not _is_number(weight) or not 0.0 < weight < float("inf"):
                raise wnode.error(f"a weight is a number above 0, got {weight!r}")
            weights[value] = float(weight)
        return weights

    def _check_faker(self, node: Node, args_node: Node | None, provider: str, args: Any) -> None:
        """Draw some values with its arguments (``dialogsim.fakers.check``), so that a wrong
        name, argument or value is an error at its line, not at generation."""
        if self._faker is None:
            self._faker = fakers.new_faker(0)
        try:
            func = fakers.provider(self._faker, provider)
        except ValueError as error:
            raise node.error(str(error)) from None
        try:
            fakers.check(func, provider, args)
        except ValueError as error:
            raise (args_node if args_node is not None else node).error(str(error)) from None

    def _check_entity_cycles(self, entries: Mapping[str, Node]) -> None:
        cycle = entity_cycle(self.types)
        if cycle:
            raise entries[cycle[0]].error(f"entity types contain each other: {' > '.join(cycle)}", at_key=True)

    # -- apis -------------------------------------------------------------------------

    def _apis(self, node: Node) -> None:
        entries = node.mapping("a mapping of API names to APIs")
        if not entries:
            raise node.error("a scenario needs at least one API", at_key=True)
        arg_nodes: dict[str, dict[str, Node]] = {}
        for aname, anode in entries.items():
            _check_name(anode, aname, _TYPE_NAME, "API")
            self.apis[aname], arg_nodes[aname] = self._api(aname, anode)
        for aname, api in self.apis.items():  # sources need every API's output
            for arg in api.args:
                self._check_source(api, arg, arg_nodes[aname][arg.name])

    def _api(self, aname: str, node: Node) -> tuple[Api, dict[str, Node]]:
        body = {} if node.is_null else node.mapping("a mapping with args, returns, confirm, description or results",
                                                    allowed=_API_KEYS)
        args, arg_nodes = [], {}
        if "args" in body:
            for arg_name, arg_node in body["args"].mapping("a mapping of argument names to types").items():
                _check_name(arg_node, arg_name, _SLOT_NAME, "argument")
                args.append(self._argument(arg_name, arg_node))
                arg_nodes[arg_name] = arg_node
                self._slot(arg_name, args[-1].type, arg_node)
        returns = None
        if "returns" in body:
            rnode = body["returns"]
            rbody = rnode.mapping("a mapping {name, type, many}", required=("name", "type"), allowed=_RETURNS_KEYS)
            out_name = rbody["name"].text("an output name")
            _check_name(rbody["name"], out_name, _SLOT_NAME, "output", at_key=False)
            returns = Output(name=out_name, type=self._type_ref(rbody["type"]),
                             many=rbody["many"].flag() if "many" in rbody else False, line=rnode.key_line)
        results: list[Any] = []
        result_nodes: list[Node] = []
        if "results" in body:
            if returns is None:
                raise body["results"].error(f"results given but {aname} returns nothing", at_key=True)
            result_nodes = body["results"].sequence("a list of results")
            results = [self._result(item, returns.type) for item in result_nodes]
        constraints: list[Constraint] = []
        if "constraints" in body:
            for item in body["constraints"].sequence("a list of constraints"):
                constraints.append(self._constraint(item, aname, args, returns, result_nodes, results))
            in_record: dict[str, int | None] = {}
            for constraint in constraints:
                for arg_name in constraint.args if constraint.kind == RECORD else ():
                    if arg_name in in_record:
                        raise ScenarioError(self.path, constraint.line, f"apis.{aname}.constraints",
                                            f"argument {arg_name!r} is in two records (first on line "
                                            f"{in_record[arg_name]}); its value comes from one")
                    in_record[arg_name] = constraint.line
        return Api(name=aname, args=args, returns=returns,
                   confirm=body["confirm"].flag() if "confirm" in body else False, results=results,
                   constraints=constraints, description=self._description(body.get("description")),
                   line=node.key_line), arg_nodes

    def _constraint(self, node: Node, aname: str, args: list[Argument], returns: Output | None,
                    result_nodes: list[Node], results: list[Any]) -> Constraint:
        entries = node.mapping("a constraint: {differ: [arguments]} or {record: {argument: field}}",
                               allowed=_CONSTRAINT_KINDS)
        if len(entries) != 1:
            raise node.error("a constraint has exactly one of differ: or record:")
        kind, body = next(iter(entries.items()))
        by_name = {a.name: a for a in args}

        def said(at: Node, name: str, at_key: bool = False) -> Argument:
            arg = by_name.get(name)
            if arg is None:
                raise at.error(f"unknown argument {name!r} of {aname}{suggest(name, by_name)}", at_key=at_key)
            # A value the customer may say or take from a result (from: [customer, Api.field])
            # keeps the constraint when the customer draws it; taken from a result, it is what
            # the result gives (the backend still filters a record's API on it).
            if (arg.source is not None and not arg.customer) or not self.types[arg.type].is_catalogue:
                raise at.error(f"argument {name!r} comes from an API's result only; a constraint is about values "
                               "the customer says (from: [customer, Api.field] lets it say one)", at_key=at_key)
            return arg

        if kind == DIFFER:
            names: list[str] = []
            for item, name in body.texts("an argument name"):
                arg = said(item, name)
                if name in names:
                    raise item.error(f"argument {name!r} is named twice")
                first = by_name[names[0]] if names else arg
                if arg.type != first.type:
                    raise item.error(f"differ compares values of one type: {name!r} is {arg.type}, "
                                     f"{first.name!r} is {first.type}")
                names.append(name)
            if len(names) < 2:
                raise body.error("differ needs two or more arguments")
            slot_type = self.types[by_name[names[0]].type]
            if slot_type.faker is None and len(slot_type.values) < len(names):
                raise body.error(f"{slot_type.name} has {len(slot_type.values)} value(s), too few for "
                                 f"{len(names)} arguments that differ")
            return Constraint(kind=DIFFER, args=names, line=node.line)
        fields = self.types[returns.type].fields if returns is not None else {}
        if not fields:
            raise body.error(f"a record draws values from {aname}'s declared results, but {aname} "
                             f"returns no entity", at_key=True)
        if not results:
            raise body.error(f"a record draws values from {aname}'s declared results: add results:", at_key=True)
        pairs = body.mapping("a mapping of argument names to fields of the result")
        if not pairs:
            raise body.error("a record names at least one argument and its result field", at_key=True)
        chosen: dict[str, str] = {}
        assert returns is not None  # fields is empty without it
        for name, fnode in pairs.items():
            arg = said(fnode, name, at_key=True)
            field = fnode.text("a field name")
            if field not in fields:
                raise fnode.error(f"{returns.type} has no field {field!r}{suggest(field, fields)}")
            if fields[field] != arg.type:
                raise fnode.error(f"argument {name!r} is {arg.type} but field {field!r} is {fields[field]}")
            if field in chosen.values():
                raise fnode.error(f"field {field!r} is named twice")
            chosen[name] = field
            listed = self.types[arg.type].values
            for rnode, result in zip(result_nodes, results):
                if result[field] not in listed:
                    raise rnode.error(f"{field}: {result[field]!r} is no listed value of {arg.type}, so no customer "
                                      f"could ask for this record's {name}", field=f"{rnode.path}.{field}")
        return Constraint(kind=RECORD, args=tuple(chosen), fields=tuple(chosen.values()), line=node.line)

    def _argument(self, name: str, node: Node) -> Argument:
        if not node.is_mapping:
            return Argument(name=name, type=self._type_ref(node, "a type name or a mapping {type: ...}"),
                            line=node.key_line)
        spec = node.mapping(required=("type",), allowed=_ARG_KEYS)
        flags = {key: spec[key].flag() for key in ("optional", "confirm", "ask") if key in spec}
        optional = flags.get("optional", False)
        default = spec["default"].text("a default value") if "default" in spec else None
        if optional and default is None:
            raise node.error("an optional argument needs a default (the value used when the customer gives none)",
                             at_key=True)
        if not optional and default is not None:
            raise spec["default"].error("a default is only used by an optional argument; add optional: true",
                                        at_key=True)
        if flags.get("ask") and not optional:
            raise spec["ask"].error("ask: true is for optional arguments (the system always asks for a required one)",
                                    at_key=True)
        source, field, customer = self._from(spec["from"]) if "from" in spec else (None, None, False)
        volunteer = None
        if "volunteer" in spec:
            volunteer = spec["volunteer"].plain()
            if not _is_number(volunteer) or not 0.0 <= volunteer <= 1.0:
                raise spec["volunteer"].error(f"volunteer is a chance between 0 and 1, got {volunteer!r}")
            volunteer = float(volunteer)
        tname = self._type_ref(spec["type"])
        say = self._boolean_say(spec["say"], tname) if "say" in spec else None
        return Argument(name=name, type=tname, optional=optional, default=default,
                        confirm=flags.get("confirm", False), ask=flags.get("ask", False), source=source,
                        field=field, customer=customer, volunteer=volunteer, say=say, line=node.key_line)

    @staticmethod
    def _from(node: Node) -> tuple[str | None, str | None, bool]:
        """``from:``: ``Api`` (its output), ``Api.field`` (that field of its output's entity),
        ``customer``, or a list of ``customer`` and one of the others: where the value may
        come from. ``_check_source`` checks the names once every API is read."""
        source = field = None
        customer = False
        for item, text in node.texts("customer, an API name or Api.field"):
            if text == "customer":
                if customer:
                    raise item.error("customer is named twice")
                customer = True
                continue
            if source is not None:
                raise item.error(f"an argument comes from one API's result at most, got {source!r} and {text!r}")
            source, dot, rest = text.partition(".")
            if dot and not (rest and _SLOT_NAME.match(rest)):
                raise item.error(f"{text!r}: write Api.field, a field of that API's result")
            field = rest or None
        return source, field, customer

    @staticmethod
    def _boolean_say(node: Node, tname: str) -> BooleanWords:
        """An argument's ``say``: a feature phrase ("outdoor seating"), or the words of
        true and of false ({true: non-stop, false: with stops})."""
        if tname != BOOLEAN:
            raise node.error(f"say is for Boolean arguments (the words of true and false), this one is a {tname}",
                             at_key=True)
        if not node.is_mapping:
            feature = node.text("a phrase such as 'outdoor seating' or {true: words, false: words}")
            if not feature.strip() or feature != feature.strip():
                raise node.error(f"say needs words without spaces around them, got {feature!r}")
            return BooleanWords(feature=feature)
        entries = node.mapping("a mapping {true: words, false: words}", required=_BOOLEAN_SAY,
                               allowed=_BOOLEAN_SAY)
        said = {}
        for key in _BOOLEAN_SAY:
            text = entries[key].text(f"the words of {key}")
            if not text.strip() or text != text.strip():
                raise entries[key].error(f"say.{key} needs words without spaces around them, got {text!r}")
            said[key] = text
        if said[TRUE] == said[FALSE]:
            raise entries[FALSE].error(f"true and false are said alike ({said[FALSE]!r})")
        return BooleanWords(true=said[TRUE], false=said[FALSE])

    def _check_source(self, api: Api, arg: Argument, node: Node) -> None:
        sayable = (arg.source is None or arg.customer) and self.types[arg.type].is_catalogue
        if arg.volunteer is not None and not sayable:
            raise node.mapping()["volunteer"].error(f"volunteer is for values the customer says; {arg.name!r} "
                                                    "comes from an API's result", at_key=True)
        if arg.customer and not self.types[arg.type].is_catalogue:
            raise node.mapping()["from"].error(f"the customer cannot say a {arg.type} (an entity type: it "
                                               "comes from an API's result)")
        if arg.source is not None:
            from_node = node.mapping()["from"]
            at = next((item for item in from_node.items() if item.text() != "customer"), from_node)
            source = self.apis.get(arg.source)
            if source is None:
                raise at.error(f"unknown API {arg.source!r}{suggest(arg.source, self.apis)}")
            if source.name == api.name:
                raise at.error(f"{api.name} cannot feed its own argument")
            if source.returns is None:
                raise at.error(f"argument with no possible source: {source.name} returns nothing")
            if arg.field is not None:
                fields = self.types[source.returns.type].fields
                if arg.field not in fields:
                    raise at.error(f"{source.name} returns {source.returns.type}, which has no field {arg.field!r}"
                                   f"{suggest(arg.field, fields)}")
                if fields[arg.field] != arg.type:
                    raise at.error(f"{source.returns.type}.{arg.field} is {fields[arg.field]}, not {arg.type}")
            elif source.returns.type != arg.type:
                raise at.error(f"{source.name} returns {source.returns.type}, not {arg.type}")
            return
        if self.types[arg.type].is_catalogue:
            return
        if not any(other.returns is not None and other.returns.type == arg.type
                   for other in self.apis.values() if other.name != api.name):
            raise node.error(f"argument with no possible source: no other API returns {arg.type} "
                             f"and the customer cannot say one (it is an entity type)", at_key=True)

    def _result(self, node: Node, tname: str) -> Any:
        fields = self.types[tname].fields
        if not fields:
            return node.text(f"a {tname} value")
        entries = node.mapping(f"a mapping of the fields of {tname}", required=tuple(fields), allowed=tuple(fields))
        return {fname: self._result(entries[fname], ftype) for fname, ftype in fields.items()}

    def _slot(self, name: str, tname: str, node: Node) -> None:
        first = self.slots.setdefault(name, (tname, node))
        if first[0] != tname:
            raise node.error(f"slot {name!r} is {tname} here but {first[0]} at {first[1].path} "
                             f"(line {first[1].key_line}); a name means one type throughout a scenario",
                             at_key=True)

    def _check_slots(self) -> None:
        for tname, slot_type in self.types.items():
            for fname, ftype in slot_type.fields.items():
                self._slot(fname, ftype, self.field_nodes[tname, fname])

    def _index_slots(self) -> None:
        """What responses, utterances and samples may name: slots (with their types),
        arguments, the ones the customer can say (a catalogue type), and the fields of API
        outputs the customer can ask about."""
        args = [arg for api in self.apis.values() for arg in api.args]
        self.slot_types = {slot: tname for slot, (tname, _) in self.slots.items()}
        self.arg_names = list(dict.fromkeys(arg.name for arg in args))
        self.sayable = list(dict.fromkeys(arg.name for arg in args if self.types[arg.type].is_catalogue))
        self.result_fields = list(dict.fromkeys(field for api in self.apis.values() if api.returns is not None
                                                for field in self.types[api.returns.type].fields))

    # -- responses --------------------------------------------------------------------

    def _responses(self, node: Node | None) -> dict[str, ResponseTemplate]:
        if node is None or node.is_null:
            return {}
        out = {}
        for rname, rnode in node.mapping("a mapping of response names to responses").items():
            _check_name(rnode, rname, _RESPONSE_NAME, "response")
            out[rname] = self._response(rname, rnode)
        return out

    def _response(self, rname: str, node: Node) -> ResponseTemplate:
        body = node.mapping("a mapping {act, args, text}", required=("text",), allowed=_RESPONSE_KEYS)
        try:
            meaning = parse_response_name(rname, self.apis, self.types)
            reason = ""
        except ValueError as exc:
            meaning, reason = None, str(exc)
        act = None
        if "act" in body:
            word = body["act"].text("a response act")
            try:
                act = ResponseAct(word)
            except ValueError:
                choices = [a.value for a in ResponseAct]
                raise body["act"].error(f"unknown act {word!r}{suggest(word, choices)} "
                                        f"(expected one of: {', '.join(choices)})") from None
            if meaning is not None and meaning.act is not act:
                raise body["act"].error(f"the name {rname!r} says act {meaning.act.value!r}, not {act.value!r}")
        elif reason:
            raise node.error(f"response {rname!r}: {reason}; a response of your own needs an act: key "
                             f"(act: other)", at_key=True)
        elif meaning is None:
            raise node.error(f"response {rname!r} needs an act: its name is none of {_RESPONSE_NAMES}", at_key=True)
        given = None  # the arguments a policy says it with, where a policy says it by this name
        if meaning is not None and meaning != _CONFIRM_ARGS:
            given = default_args(meaning, self.apis, self.slot_types)
        if meaning is None:
            assert act is not None  # the branches above raise without one
            meaning = ResponseName(act)
        if "args" in body:
            args = {}
            for arg_name, anode in body["args"].mapping("a mapping of argument names to types").items():
                _check_name(anode, arg_name, _SLOT_NAME, "argument")
                args[arg_name] = self._type_ref(anode)
        else:
            args = default_args(meaning, self.apis, self.slot_types)
        texts = body["text"].texts("a response text")
        for item, text in texts:
            self._check_placeholders(item, text, lambda p: self._response_placeholder(p, args, given),
                                     "declared argument ({arg} or {arg.field})", args)
        return ResponseTemplate(name=rname, act=meaning.act, args=args, texts=[text for _, text in texts],
                                api=meaning.api, slot=meaning.slot, line=node.key_line)

    def _response_placeholder(self, placeholder: str, args: Mapping[str, str],
                              given: Mapping[str, str] | None) -> bool | str:
        arg, _, field = placeholder.partition(".")
        if arg not in args:
            return False
        if given is not None and given.get(arg) != args[arg]:  # generation could not fill it
            offered = ", ".join(f"{name} ({tname})" for name, tname in given.items())
            return (f"the system says this response with {offered}, not {arg} ({args[arg]})" if offered
                    else "the system says this response without arguments")
        if not field:
            return True
        fields = self.types[args[arg]].fields
        if field not in fields:
            return f"{args[arg]} has no field {field!r}" if fields else f"{args[arg]} has no fields"
        return True

    def _check_placeholders(self, node: Node, text: str, ok: Callable[[str], bool | str], what: str,
                            names: Iterable[str] = ()) -> None:
        stray = PLACEHOLDER.sub("", text)
        if "{" in stray or "}" in stray:
            raise node.error(f"unbalanced brace in {text!r}: placeholders are written {{name}}")
        for placeholder in PLACEHOLDER.findall(text):
            verdict = ok(placeholder)
            if isinstance(verdict, str):
                raise node.error(f"placeholder {{{placeholder}}}: {verdict}")
            if not verdict:
                raise node.error(f"placeholder {{{placeholder}}} names no {what}"
                                 f"{suggest(placeholder, names)}")

    # -- utterances -------------------------------------------------------------------

    def _utterances(self, node: Node | None) -> tuple[UtteranceSet, ...]:
        if node is None or node.is_null:
            return ()
        sayable = set(self.sayable)
        out = []
        for key, unode in node.mapping("a mapping of intents to lists of phrasings").items():
            act, target = self._utterance_key(key, unode)
            allowed = sayable | {"ordinal"} if act is Act.SELECT else sayable
            templates = unode.texts("a phrasing")
            for item, template in templates:
                self._check_placeholders(item, template, allowed.__contains__,
                                         "slot (an API argument of a catalogue type)", allowed)
                if act is Act.INFORM and not PLACEHOLDER.search(template):  # generate could not use it
                    raise item.error(f"{template!r}: an inform phrasing needs a {{slot}} (the value it gives)")
            out.append(UtteranceSet(act=act, target=target, templates=[t for _, t in templates],
                                    line=unode.key_line))
        return tuple(out)

    def _utterance_key(self, key: str, node: Node) -> tuple[Act, str | None]:
        if key in self.apis:
            return Act.INVOKE, key
        if key in _UTTERANCE_ACTS:
            return Act(key), None
        for prefix, act, names, what, rule in (
                ("dont_care_", Act.DONT_CARE, self.arg_names, "API argument", "dont_care_<slot> names an argument"),
                ("request_", Act.REQUEST, self.result_fields, "result field",
                 "request_<field> names a field of an API's output")):
            if key.startswith(prefix):
                target = key[len(prefix):]
                if target in names:
                    return act, target
                raise node.error(f"no {what} {target!r}{suggest(target, names)} ({rule})", at_key=True)
        if key == "invoke":
            raise node.error("invoking is keyed by the API's name (SearchFlight: [...])", at_key=True)
        raise node.error(f"unknown utterance key {key!r} (expected an API name, an act "
                         f"({', '.join(_UTTERANCE_ACTS)}), dont_care_<slot> or request_<field>)"
                         f"{suggest(key, list(self.apis) + list(_UTTERANCE_ACTS))}", at_key=True)

    # -- samples ----------------------------------------------------------------------

    def _samples(self, node: Node, responses: Mapping[str, ResponseTemplate]) -> tuple[SampleDialogue, ...]:
        items = node.sequence("a list of sample dialogues")
        if not items:
            raise node.error("a scenario needs at least one sample dialogue (2-10 recommended)", at_key=True)
        if len(items) > MAX_SAMPLES:
            raise items[MAX_SAMPLES].error(f"too many sample dialogues ({len(items)}); at most {MAX_SAMPLES}",
                                           field=node.path)
        samples: list[SampleDialogue] = []
        names: dict[str, int | None] = {}  # sample name -> its line
        for item in items:
            body = item.mapping("a mapping {name, turns}", required=("name", "turns"), allowed=_SAMPLE_KEYS)
            name = body["name"].text("a sample name")
            if name in names:
                raise body["name"].error(f"duplicate sample name {name!r} (first on line {names[name]})")
            names[name] = body["name"].line
            turn_nodes = body["turns"].sequence("a list of turns")
            if not turn_nodes:
                raise body["turns"].error("a sample needs at least one turn", at_key=True)
            turns = [self._turn(tnode, i, responses) for i, tnode in enumerate(turn_nodes)]
            self._check_constraints(turn_nodes, turns)
            samples.append(SampleDialogue(name=name, turns=turns, line=item.line))
        return tuple(samples)

    def _turn(self, node: Node, index: int, responses: Mapping[str, ResponseTemplate]) -> SampleTurn:
        body = node.mapping("a turn: {user: text, acts: [...]} or {system: [names]}", allowed=_TURN_KEYS)
        if ("user" in body) == ("system" in body):
            raise node.error("a turn has exactly one of user: or system:")
        speaker = "user" if "user" in body else "system"
        expected = "user" if index % 2 == 0 else "system"
        if speaker != expected:
            rule = "a sample starts with a user turn" if index == 0 else f"turns alternate, so this is a {expected} turn"
            raise body[speaker].error(f"{speaker} turn out of order: {rule}", at_key=True)
        if speaker == "system":
            if "acts" in body:
                raise body["acts"].error("acts belong to user turns; a system turn lists API and response names",
                                         at_key=True)
            snode = body["system"]
            actions = snode.texts("an API or response name")
            for item, action in actions:
                if action not in self.apis and action not in responses:
                    raise item.error(f"unknown action {action!r}: neither an API nor a response (declared or "
                                     f"generated){suggest(action, list(self.apis) + list(responses))}")
            return SampleTurn(speaker="system", actions=[a for _, a in actions],
                              calls=[a for _, a in actions if a in self.apis], line=snode.key_line)
        unode = body["user"]
        text, spans = self._annotated(unode)
        acts = []
        if "acts" in body:
            acts = [self._user_act(item, item.text("an act such as 'invoke SearchFlight'"))
                    for item in body["acts"].items()]
        acts.extend(UserAct(act=Act.INFORM, slot=span.slot) for span in spans)
        if not acts:
            raise unode.error("a user turn must express at least one act: annotate a value as [surface](slot) "
                              "or add acts: [...]", at_key=True)
        return SampleTurn(speaker="user", text=text, acts=acts, spans=spans, line=unode.key_line)

    def _check_constraints(self, nodes: list[Node], turns: list[SampleTurn]) -> None:
        """A sample is a dialogue the goal sampler generalises: the values it holds after
        each user turn must keep the scenario's constraints (no flight from Boston to
        Boston, no "Shallow by Taylor Swift")."""
        values: dict[str, str] = {}
        for node, turn in zip(nodes, turns):
            if not turn.spans:
                continue
            values.update((span.slot, span.value) for span in turn.spans)
            for api in self.apis.values():
                for constraint in api.constraints:
                    held = [(arg, values[arg]) for arg in constraint.args if arg in values]
                    if constraint.kind == DIFFER:
                        seen: dict[str, str] = {}
                        for arg, value in held:
                            if value in seen:
                                raise node.mapping()["user"].error(
                                    f"{seen[value]} and {arg} are both {value!r}, but {api.name}'s constraint "
                                    f"says they differ", at_key=True)
                            seen[value] = arg
                        continue
                    field_of = dict(zip(constraint.args, constraint.fields))
                    if len(held) >= 2 and not any(all(r[field_of[arg]] == value for arg, value in held)
                                                  for r in api.results):
                        said = ", ".join(f"{arg} {value!r}" for arg, value in held)
                        raise node.mapping()["user"].error(f"no result of {api.name} has {said}, as its record "
                                                           "constraint needs", at_key=True)

    def _annotated(self, node: Node) -> tuple[str, list[Span]]:
        raw = node.text("the user's words")
        if not raw.strip():
            raise node.error("a user turn needs words")
        sayable = self.sayable
        pieces: list[str] = []
        spans: list[Span] = []
        pos = length = 0
        for match in _ANNOTATION.finditer(raw):
            self._plain(node, raw[pos:match.start()])
            pieces.append(raw[pos:match.start()])
            length += match.start() - pos
            surface, slot = match.group(1), match.group(2)
            if not surface.strip():
                raise node.error(f"annotation {match.group(0)!r} has no words")
            if surface != surface.strip():
                raise node.error(f"annotation {match.group(0)!r}: the surface must not start or end with a space")
            if slot not in sayable:
                raise node.error(f"annotation {match.group(0)!r}: {slot!r} is not a slot the customer can say "
                                 f"(an API argument of a catalogue type){suggest(slot, sayable)}")
            tname = self.slots[slot][0]
            if tname == BOOLEAN:
                raise node.error(f"annotation {match.group(0)!r}: {slot!r} is a Boolean, said in words no span "
                                 "holds (\"with outdoor seating\", \"yes\"); leave it out of the samples")
            value = self._canonical(tname, surface)
            if value is None:
                raise node.error(f"annotation {match.group(0)!r}: {surface!r} is no value or synonym of {tname}")
            spans.append(Span(start=length, end=length + len(surface), slot=slot, type=tname, value=value))
            pieces.append(surface)
            length += len(surface)
            pos = match.end()
        self._plain(node, raw[pos:])
        pieces.append(raw[pos:])
        return "".join(pieces), spans

    @staticmethod
    def _plain(node: Node, segment: str) -> None:
        for bracket in "[]":
            at = segment.find(bracket)
            if at >= 0:
                near = segment[max(0, at - 10):at + 25]
                raise node.error(f"annotation syntax error near {near!r}: write [surface](slot)")

    def _canonical(self, tname: str, surface: str) -> str | None:
        """The canonical value a surface means: a value, a synonym or a value's spoken form
        (``Catalogue`` says values the same way), each up to case; a Faker type's values are
        open, so any surface is its own value."""
        index = self._surface_index.get(tname)
        if index is None:
            slot_type = self.types[tname]
            index = self._surface_index[tname] = Surfaces(slot_type.values, slot_type.synonyms)
        value = index.canonical(surface)
        if value is None and self.types[tname].faker is not None:
            return surface
        return value

    def _user_act(self, node: Node, raw: str) -> UserAct:
        word, _, rest = raw.strip().partition(" ")
        rest = rest.strip()
        if word in _BARE_ACTS:
            if rest:
                raise node.error(f"{word!r} takes nothing after it, got {raw!r}")
            return UserAct(act=Act(word))
        if word == "inform":
            raise node.error("inform comes from annotations: write the value as [surface](slot) in the text")
        if word not in _SAMPLE_ACTS:
            raise node.error(f"unknown act {word!r}{suggest(word, _SAMPLE_ACTS)} "
                             f"(expected one of: {', '.join(_SAMPLE_ACTS)})")
        if not rest:
            example = {"invoke": "invoke SearchFlight", "select": "select 0", "request": "request price",
                       "dont_care": "dont_care airline"}[word]
            raise node.error(f"{word!r} needs what it is about, as in {example!r}")
        if word == "invoke":
            if rest not in self.apis:
                raise node.error(f"invoke of unknown API {rest!r}{suggest(rest, self.apis)}")
            return UserAct(act=Act.INVOKE, api=rest)
        if word == "select":
            if not _SELECT.match(rest):
                raise node.error(f"select takes a 0-based item number, as in 'select 0', got {rest!r}")
            return UserAct(act=Act.SELECT, item=int(rest))
        if word == "request":
            if rest not in self.result_fields:
                raise node.error(f"request of {rest!r}, which is no field of an API's output"
                                 f"{suggest(rest, self.result_fields)}")
            return UserAct(act=Act.REQUEST, slot=rest)
        if rest not in self.arg_names:
            raise node.error(f"dont_care of {rest!r}, which is no API argument{suggest(rest, self.arg_names)}")
        return UserAct(act=Act.DONT_CARE, slot=rest)

    # -- simulation / variation -------------------------------------------------------

    def _config(self, node: Node | None, cls: type) -> Any:
        if node is None or node.is_null:
            return cls()
        names = tuple(a.name for a in attrs.fields(cls))
        flags = {a.name for a in attrs.fields(cls) if a.type in (bool, "bool")}  # attrs leaves these unchecked
        entries = node.mapping(f"a mapping of {cls.__name__} fields", allowed=names)
        values = {}
        for key, child in entries.items():
            if key == "path_weights":
                for path, wnode in child.mapping("a mapping of API paths ('A > B') to weights").items():
                    for api in (p.strip() for p in path.split(">")):
                        if api not in self.apis:
                            raise wnode.error(f"unknown API {api!r} in path {path!r}{suggest(api, self.apis)}",
                                              at_key=True)
            value = child.flag() if key in flags else child.plain()
            try:
                cls(**{key: value})  # one field at a time, so the error points at its line
            except (TypeError, ValueError) as exc:
                raise child.error(_config_message(key, exc)) from None
            values[key] = value
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise node.error(str(exc), at_key=True) from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _config_message(key: str, exc: Exception) -> str:
    message = str(exc)
    if isinstance(exc, TypeError) and len(exc.args) == 4:  # attrs instance_of: (msg, attribute, type, value)
        expected = exc.args[2]
        names = [t.__name__ for t in expected] if isinstance(expected, tuple) else [getattr(expected, "__name__", expected)]
        return f"must be {' or '.join(map(str, names))}, got {exc.args[3]!r}"
    return message.removeprefix(f"{key} ").removeprefix(f"'{key}' ") or f"invalid value for {key}"
