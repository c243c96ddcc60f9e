"""SGD export: ``schema.json`` (one service: the scenario) and ``dialogues_NNN.json``.

So that dialogue-state-tracking models built for SGD train on a dialogsim corpus unchanged.
The service is named after the scenario; each API is an intent (confirmed APIs are
transactional), its arguments required / optional slots with their defaults, the fields of
its output its result slots. User acts become SGD user actions (``invoke`` ->
INFORM_INTENT, ``inform`` -> INFORM with the span's words and canonical value, ``dont_care``
-> INFORM ``dontcare``, ``select`` -> SELECT, an ``affirm`` of the API the system offered ->
AFFIRM_INTENT, ...; a value labelled without a span -- a boolean, a ``span: false`` type --
-> INFORM of the act's value, with no span: a categorical value, a boolean as SGD's "True"
/ "False"), every span is given in ``slots``, and the frame's ``state`` accumulates
the values said and names the active intent (the one invoked or offered and taken up).
Responses become system actions by their act (request -> REQUEST, an API's confirmation ->
CONFIRM of its values, a value's confirmation "Did you say Seattle?" -> REQUEST of that one
value, as SGD's "Indian or Chinese?" offers values, a result -> OFFER or, for a transactional
API, NOTIFY_SUCCESS, one field -> INFORM, no results -> INFORM_COUNT 0, failure ->
NOTIFY_FAILURE, offer -> OFFER_INTENT, reqmore -> REQ_MORE, goodbye -> GOODBYE); an API call
is the frame's ``service_call`` with its ``service_results``. An SGD frame holds one call,
so a system turn that calls a second API (a chained API run on the first one's result)
gets a second frame of the service: each call opens a frame (unless the turn's frame is
still empty) and the responses that follow it go in that frame, so the order of the
turn's actions survives (``convert_sgd`` reads the frames in order). A ``select`` keeps
its item number in ``values`` (SGD's SELECT has none).

Files hold ``DIALOGUES_PER_FILE`` dialogues each and are written as the corpus streams.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, Iterable

from dialogsim.booleans import BOOLEAN
from dialogsim.interop.errors import ExportError
from dialogsim.interop.sgd_names import DONTCARE
from dialogsim.schema import ResponseAct, Scenario

__all__ = ["write_sgd", "DIALOGUES_PER_FILE", "schema_json"]

DIALOGUES_PER_FILE = 128
_CATEGORICAL_MAX = 50


def _value(value: Any, scenario: Scenario, type_name: str | None) -> str:
    """A slot value as SGD's string: an entity as its field values, a boolean "True" /
    "False" (SGD's boolean slots are categorical with those two values)."""
    if type_name == BOOLEAN and value in ("true", "false"):
        return value.capitalize()
    if isinstance(value, dict):
        return " ".join(_value(v, scenario, None) for v in value.values())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v, scenario, type_name) for v in value)
    return str(value)


def schema_json(scenario: Scenario) -> list[dict]:
    types = scenario.types
    slots = []
    for slot, tname in scenario.slots.items():
        t = types[tname]
        categorical = (bool(t.values) and t.faker is None and not t.synonyms and len(t.values) <= _CATEGORICAL_MAX
                       or t.spanless)  # a value with no span can only be one SGD lists
        slots.append({"name": slot, "description": slot.replace("_", " "), "is_categorical": categorical,
                      "possible_values": [_value(v, scenario, tname) for v in t.values] if categorical else []})
    intents: list[dict[str, Any]] = []
    for api in scenario.apis.values():
        results: list[str] = []
        if api.returns is not None:
            fields = types[api.returns.type].fields
            results = list(fields) if fields else [api.returns.name]
        intents.append({"name": api.name, "description": api.description, "is_transactional": api.confirm,
                        "required_slots": [a.name for a in api.required],
                        "optional_slots": {a.name: a.default for a in api.args if a.optional},
                        "result_slots": results})
    known = {s["name"] for s in slots}
    for intent in intents:  # an output with no fields is a slot of its own
        for name in intent["result_slots"]:
            if name not in known:
                known.add(name)
                slots.append({"name": name, "description": name.replace("_", " "), "is_categorical": False,
                              "possible_values": []})
    return [{"service_name": scenario.name, "description": scenario.description, "slots": slots,
             "intents": intents}]


def _act(act: str, slot: str = "", values: list[str] | None = None, canonical: list[str] | None = None) -> dict:
    values = values or []
    return {"act": act, "slot": slot, "values": values,
            "canonical_values": canonical if canonical is not None else list(values)}


def _entities(value: Any) -> list[dict]:
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, dict)]
    return [value] if isinstance(value, dict) else []


class _Dialogue:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.service = scenario.name

    def convert(self, record: dict) -> dict:
        turns = []
        state: dict[str, list[str]] = {}
        active = "NONE"
        offered = None  # the API the last system turn offered: an affirm takes it up
        for turn in record["turns"]:
            if turn["speaker"] == "user":
                frame, active = self._user(turn, state, active, offered)
                turns.append({"speaker": "USER", "utterance": turn["text"], "frames": [frame]})
            else:
                offers = [self.scenario.responses[a["name"]].api for a in turn["actions"] if a["kind"] == "response"
                          and a["name"] in self.scenario.responses
                          and self.scenario.responses[a["name"]].act is ResponseAct.OFFER]
                offered = offers[-1] if offers else None
                turns.append({"speaker": "SYSTEM", "utterance": " ".join(
                    a.get("text", "") for a in turn["actions"] if a["kind"] == "response" and a.get("text")),
                    "frames": self._system(turn)})
        return {"dialogue_id": record["id"], "services": [self.service], "turns": turns}

    def _user(self, turn: dict, state: dict, active: str, offered: str | None) -> tuple[dict, str]:
        text, spans = turn["text"], list(turn.get("spans", []))
        by_slot: dict[str, list[dict]] = {}
        for span in spans:
            by_slot.setdefault(span["slot"], []).append(span)
        actions, requested = [], []
        for act in turn["acts"]:
            kind = act["act"]
            if kind == "invoke":
                actions.append(_act("INFORM_INTENT", "intent", [act["api"]]))
                active = act["api"]
            elif kind == "inform":
                queue = by_slot.get(act.get("slot"), [])
                if "value" in act:  # labelled without a span: a categorical value
                    said = _value(act["value"], self.scenario, self.scenario.slots.get(act["slot"]))
                    actions.append(_act("INFORM", act["slot"], [said]))
                    state[act["slot"]] = [said]
                elif queue:
                    span = queue.pop(0)
                    surface = text[span["start"]:span["end"]]
                    actions.append(_act("INFORM", span["slot"], [surface], [span["value"]]))
                    state[span["slot"]] = [surface]
            elif kind == "dont_care":
                actions.append(_act("INFORM", act.get("slot") or "", [DONTCARE]))
                if act.get("slot"):
                    state[act["slot"]] = [DONTCARE]
            elif kind == "select":
                actions.append(_act("SELECT", "", [str(act.get("item") or 0)]))
            elif kind == "request":
                actions.append(_act("REQUEST", act.get("slot") or ""))
                requested.append(act.get("slot") or "")
            elif kind == "affirm" and offered is not None:  # "yes" to "shall I book it?": the intent is on
                actions.append(_act("AFFIRM_INTENT"))
                active = offered
            else:
                actions.append(_act({"affirm": "AFFIRM", "deny": "NEGATE", "thank": "THANK_YOU",
                                     "goodbye": "GOODBYE"}[kind]))
        frame = {"service": self.service,
                 "slots": [{"slot": s["slot"], "start": s["start"], "exclusive_end": s["end"]} for s in spans],
                 "actions": actions,
                 "state": {"active_intent": active, "requested_slots": requested,
                           "slot_values": {k: list(v) for k, v in sorted(state.items())}}}
        return frame, active

    def _system(self, turn: dict) -> list[dict]:
        frame: dict = {"service": self.service, "slots": [], "actions": []}
        frames = [frame]
        actions = frame["actions"]
        responses = self.scenario.responses
        slots = self.scenario.slots
        for action in turn["actions"]:
            if action["kind"] == "api":
                if "service_call" in frame or actions:  # one call per SGD frame, after what came before
                    frame = {"service": self.service, "slots": [], "actions": []}
                    frames.append(frame)
                    actions = frame["actions"]
                frame["service_call"] = {"method": action["name"], "parameters": {
                    name: _value(arg["value"], self.scenario, slots.get(name)) for name, arg in action["args"].items()}}
                result = next(iter((action.get("result") or {}).values()), None)
                frame["service_results"] = [{k: _value(v, self.scenario, slots.get(k)) for k, v in e.items()}
                                            for e in _entities(result)]
                continue
            template = responses.get(action["name"])
            if template is None:
                continue
            args = action.get("args", {})
            kind = template.act
            if kind is ResponseAct.REQUEST:
                actions.append(_act("REQUEST", template.slot or ""))
            elif kind is ResponseAct.CONFIRM_ARGS:  # "Did you say Seattle?": SGD's REQUEST of one value
                for name, arg in args.items():
                    actions.append(_act("REQUEST", name, [_value(arg["value"], self.scenario, slots.get(name))]))
            elif kind is ResponseAct.CONFIRM_API:
                for name, arg in args.items():
                    actions.append(_act("CONFIRM", name, [_value(arg["value"], self.scenario, slots.get(name))]))
            elif kind is ResponseAct.INFORM:
                value = next(iter(args.values()))["value"] if args else None
                entity = (_entities(value) or [{}])[0]
                if template.slot is not None:
                    actions.append(_act("INFORM", template.slot, [_value(entity.get(template.slot, ""),
                                                                         self.scenario, slots.get(template.slot))]))
                elif not entity or (template.api is not None and self.scenario.apis[template.api].confirm):
                    actions.append(_act("NOTIFY_SUCCESS"))  # a transaction, or an API that returns nothing
                else:
                    for field, v in entity.items():
                        actions.append(_act("OFFER", field, [_value(v, self.scenario, slots.get(field))]))
            elif kind is ResponseAct.NO_RESULTS:
                actions.append(_act("INFORM_COUNT", "count", ["0"]))
            elif kind is ResponseAct.FAILURE:
                actions.append(_act("NOTIFY_FAILURE"))
            elif kind is ResponseAct.OFFER:
                actions.append(_act("OFFER_INTENT", "intent", [template.api or ""]))
            elif kind is ResponseAct.REQMORE:
                actions.append(_act("REQ_MORE"))
            elif kind is ResponseAct.GOODBYE:
                actions.append(_act("GOODBYE"))
        return frames


def write_sgd(records: Iterable[dict], scenario: Scenario, out: Path) -> int:
    (out / "schema.json").write_text(json.dumps(schema_json(scenario), indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    converter = _Dialogue(scenario)
    count = 0
    handle: IO[str] | None = None
    try:
        for record in records:
            if record["scenario"] != scenario.name:
                raise ExportError(f"dialogue {record['id']} is of scenario {record['scenario']!r}, "
                                  f"not {scenario.name!r} (--scenario)")
            if handle is None or count % DIALOGUES_PER_FILE == 0:
                if handle is not None:
                    handle.write("\n]\n")
                    handle.close()
                handle = open(out / f"dialogues_{count // DIALOGUES_PER_FILE + 1:03d}.json", "w",
                              encoding="utf-8", newline="\n")
                handle.write("[\n")
            else:
                handle.write(",\n")
            handle.write(json.dumps(converter.convert(record), ensure_ascii=False))
            count += 1
        if handle is not None:
            handle.write("\n]\n")
    finally:
        if handle is not None:
            handle.close()
    return count
