"""``convert_sgd``: SGD dialogues of one service become a dialogsim corpus.

So that ``stats``, ``evaluate`` and model training run on real dialogues exactly as on
simulated ones. Names follow ``sgd_names`` (the scenario ``import_sgd`` writes for the
same service). Per turn:

- user: the utterance; a span for every INFORM value found in it (``locate_values``: the
  frame's span, else the spoken value's words) with its canonical value; acts in the
  frame's order (INFORM_INTENT -> ``invoke``, INFORM ``dontcare`` -> ``dont_care``,
  AFFIRM(_INTENT) and SELECT of the offered item -> ``affirm`` (``sgd_names.user_act``),
  NEGATE(_INTENT) -> ``deny``, REQUEST, THANK_YOU, GOODBYE). An INFORM of a categorical
  slot whose value is not in the text ("yes" to "Do you want outdoor seating?", a boolean
  or a price range said in other words) is an ``inform`` carrying the value (``UserAct.value``,
  SGD's "True" / "False" as "true" / "false"). REQUEST_ALTS has no dialogsim act and another
  INFORM whose value is not in the text has no span: both are dropped and counted.
- system: the ``service_call`` as an API call whose ``result`` is the first service
  result (status ``ok``; with no result ``empty`` if the system says so with INFORM_COUNT
  0, ``ok`` for an intent with no result slots whose success the system notifies, else
  ``failure``), then the responses its actions make (REQUEST -> ``request_<slot>``, or
  ``confirm_<slot>`` with the slot's argument when it offers one value: "Did you say X?",
  CONFIRM -> ``confirm_<Api>``, OFFER / NOTIFY_SUCCESS -> ``inform_<Api>``, a lone INFORM ->
  ``inform_<Api>_<slot>``, INFORM_COUNT 0 -> ``no_results_<Api>``, NOTIFY_FAILURE ->
  ``failure_<Api>``, OFFER_INTENT -> ``offer_<Api>``, REQ_MORE, GOODBYE); the whole
  utterance is the text of the first response.

Every argument's ``ref`` is resolved, in this order, to the latest user span of that slot
with that value (or inform act carrying it: ``["act", turn, act]``), to ``null`` for an optional slot at its default, or to the latest
earlier API result holding that value in that slot (``["api", turn, action]``). An
argument none of these explains keeps ``"ref": null`` and is marked ``"unresolved": true``
(``Arg.unresolved``) -- never pointed at a span or result that did not give it.

Of a multi-service dialogue, the turns of the service are kept, alternating from a user
turn; the other turns are left out and counted.
"""

from __future__ import annotations

import collections
import hashlib
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

import attrs

import dialogsim
from dialogsim.dialogue import FORMAT_VERSION
from dialogsim.interop.sgd_format import SgdService, iter_dialogues, load_service, service_frames
from dialogsim.interop.sgd_names import (
    DONTCARE,
    api_name,
    boolean_value,
    is_boolean,
    locate_values,
    output_name,
    scenario_name,
    slot_name,
    type_name,
    user_act,
)

__all__ = ["Converted", "convert_sgd"]


@attrs.frozen
class Converted:
    """What ``convert_sgd`` wrote: the manifest and what it could not convert, by kind."""

    manifest: Any
    skipped: Mapping[str, int]


class _Dialogue:
    """Converts one SGD dialogue; ``counts`` gathers what did not map."""

    def __init__(self, service: SgdService, counts: collections.Counter) -> None:
        self.service = service
        self.counts = counts
        self.defaults = {s: self._canon(s, d) for i in service.intents.values() for s, d in i.optional.items()}

    def convert(self, raw: Mapping) -> dict | None:
        kept: list[tuple[Mapping, list[Mapping]]] = []  # the service's turns, alternating from a user turn
        for turn in raw["turns"]:
            frames = service_frames(turn, self.service.name)
            expected = "USER" if len(kept) % 2 == 0 else "SYSTEM"
            if frames and turn["speaker"] == expected:
                kept.append((turn, frames))
        if len(kept) % 2:
            kept.pop()  # a user turn the service never answered
        if len(kept) < len(raw["turns"]):
            self.counts["turns of other services (left out)"] += len(raw["turns"]) - len(kept)
        if not kept:
            return None
        self.turns: list[dict] = []
        self.calls: list[tuple[str, int, int, dict]] = []  # (intent, turn, action, result entity) of ok calls
        self.last_call: tuple[str, int, int] | None = None
        self.active: str | None = None
        apis: list[str] = []
        values: dict[str, str] = {}
        outcomes: dict[str, str] = {}
        for t, (turn, frames) in enumerate(kept):
            if turn["speaker"] == "USER":
                out = self._user(turn["utterance"], frames[0])
                for span in out["spans"]:
                    values[span["slot"]] = span["value"]
                for act in out["acts"]:
                    if "value" in act:
                        values[act["slot"]] = act["value"]
                for act in out["acts"]:
                    if act["act"] == "invoke" and act["api"] not in apis:
                        apis.append(act["api"])
            else:
                out = self._system(turn["utterance"], frames, t)
                for action in out["actions"]:
                    if action["kind"] == "api":
                        if action["name"] not in apis:
                            apis.append(action["name"])
                        outcomes[action["name"]] = action["status"]
            self.turns.append(out)
        if not apis:
            apis = [api_name(next(iter(self.service.intents)))]
        completed = all(outcomes.get(api) == "ok" for api in apis)
        goal = {"apis": apis, "values": values, "dont_care": [], "requests": {}, "revisions": [],
                "outcomes": {}, "behaviour": {"first_informs": 1, "informs_per_turn": 1, "deny_confirm": [],
                                              "anaphora": False, "select": 0, "give_up": False}}
        return {"id": raw["dialogue_id"], "scenario": scenario_name(self.service.name),
                "format": FORMAT_VERSION, "goal": goal,
                "outcome": "completed" if completed else "failed", "patterns": [], "turns": self.turns}

    # -- user ------------------------------------------------------------------------

    def _user(self, text: str, frame: Mapping) -> dict:
        located, missing = locate_values(text, frame)
        slots = self.service.slots
        unspanned = [(slot, value) for slot, value in missing if slot in slots and slots[slot].categorical]
        if len(unspanned) < len(missing):
            self.counts["user values not found in their utterance (no span)"] += len(missing) - len(unspanned)
        spans = [{"start": loc.start, "end": loc.end, "slot": slot_name(loc.slot), "type": type_name(loc.slot),
                  "value": loc.canonical} for loc in located]
        pending = collections.Counter(loc.slot for loc in located)
        acts: list[dict] = []
        for action in frame["actions"]:
            act, slot = action["act"], action.get("slot") or ""
            values = action.get("values") or []
            if act == "INFORM":
                if DONTCARE in values:
                    acts.append({"act": "dont_care", "slot": slot_name(slot)} if slot else {"act": "dont_care"})
                elif pending[slot] > 0:
                    pending[slot] -= 1
                    acts.append({"act": "inform", "slot": slot_name(slot)})
                else:
                    for pair in unspanned:  # a categorical value the words do not hold: on the act
                        if pair[0] == slot and pair[1] in values:
                            unspanned.remove(pair)
                            canonical = action.get("canonical_values") or values
                            value = canonical[values.index(pair[1])] if len(canonical) == len(values) else pair[1]
                            acts.append({"act": "inform", "slot": slot_name(slot),
                                         "value": self._canon(slot, value)})
                            break
                continue
            mapped = user_act(act, values)
            if mapped is None:
                self.counts[f"user act {act} (no dialogsim act)"] += 1
                continue
            if mapped.value == "invoke":
                intent = values[0] if values else ""
                if intent not in self.service.intents:
                    self.counts["INFORM_INTENT of an unknown intent"] += 1
                    continue
                self.active = intent
                acts.append({"act": "invoke", "api": api_name(intent)})
            elif mapped.value == "request":
                acts.append({"act": "request", "slot": slot_name(slot)})
            elif mapped.value == "select":
                acts.append({"act": "select", "item": int(values[0])})
            elif {"act": mapped.value} not in acts:  # AFFIRM and a SELECT of the offer: one affirm
                acts.append({"act": mapped.value})
        if frame.get("state") and frame["state"].get("active_intent") in self.service.intents:
            self.active = frame["state"]["active_intent"]
        return {"speaker": "user", "text": text, "acts": acts, "spans": spans}

    # -- system ----------------------------------------------------------------------

    def _canon(self, slot: str, value: str) -> str:
        """A value as the imported scenario holds it: a yes/no slot's "true" / "false"."""
        spec = self.service.slots.get(slot)
        return boolean_value(value) if spec is not None and is_boolean(spec) else value

    def _resolve(self, slot: str, value: str, t: int) -> dict:
        """The argument ``slot = value`` with the ref of where it came from."""
        value = self._canon(slot, value)
        for u in range(t - 1, -1, -1):
            turn = self.turns[u]
            if turn["speaker"] != "user":
                continue
            for i in range(len(turn["spans"]) - 1, -1, -1):
                span = turn["spans"][i]
                if span["slot"] == slot_name(slot) and span["value"] == value:
                    return {"value": value, "ref": [u, i]}
            for i in range(len(turn["acts"]) - 1, -1, -1):
                act = turn["acts"][i]
                if act.get("slot") == slot_name(slot) and act.get("value") == value:
                    return {"value": value, "ref": ["act", u, i]}
        if slot in self.defaults and value == self.defaults[slot]:
            return {"value": value, "ref": None}
        for intent, turn, action, entity in reversed(self.calls):
            if entity.get(slot_name(slot)) == value:
                return {"value": value, "ref": ["api", turn, action]}
        self.counts["arguments whose source is not in the dialogue (marked unresolved)"] += 1
        return {"value": value, "ref": None, "unresolved": True}

    def _entity(self, intent: str, row: Mapping[str, str]) -> dict:
        return {slot_name(s): self._canon(s, row[s]) for s in self.service.intents[intent].results if s in row}

    def _system(self, text: str, frames: list[Mapping], t: int) -> dict:
        """A system turn: each frame's call and then its responses (a dialogsim export
        gives a turn one frame per API call; SGD's own turns have one frame)."""
        actions: list[dict] = []
        for frame in frames:
            self._frame(frame, t, actions)
        for action in actions:
            if action["kind"] == "response":
                action["text"] = text
                break
        return {"speaker": "system", "actions": actions}

    def _frame(self, frame: Mapping, t: int, actions: list[dict]) -> None:
        first = len(actions)  # a frame's acts merge into responses of that frame only
        acts = [a["act"] for a in frame["actions"]]
        call = frame.get("service_call")
        this_call = None
        if call is not None and call["method"] in self.service.intents:
            intent = call["method"]
            spec = self.service.intents[intent]
            params = call["parameters"]
            args = {}
            for slot in (*spec.required, *spec.optional):
                if slot in params:
                    args[slot_name(slot)] = self._resolve(slot, params[slot], t)
                elif slot in spec.optional:
                    args[slot_name(slot)] = {"value": spec.optional[slot], "ref": None}
                else:
                    self.counts["service calls missing a required slot"] += 1
            results = frame.get("service_results") or []
            if results:
                status, result = "ok", {output_name(intent): self._entity(intent, results[0])}
            elif not spec.results and "NOTIFY_SUCCESS" in acts:
                status, result = "ok", {}  # an intent with nothing to return, done
            else:
                empty = any(a["act"] == "INFORM_COUNT" and (a.get("values") or [""])[0] == "0"
                            for a in frame["actions"])
                status, result = ("empty" if empty else "failure"), {}
            actions.append({"kind": "api", "name": api_name(intent), "args": args, "status": status,
                            "result": result})
            this_call = (intent, t, len(actions) - 1)
            self.last_call = this_call
            if result:
                self.calls.append((*this_call, result[output_name(intent)]))
        elif call is not None:
            self.counts["service calls of an unknown intent"] += 1

        def say(name: str, args: dict | None = None) -> None:
            if not any(a["kind"] == "response" and a["name"] == name for a in actions[first:]):
                actions.append({"kind": "response", "name": name, "args": args or {}, "text": ""})

        def result_arg(intent: str, turn: int, action: int) -> dict:
            for c_intent, c_turn, c_action, entity in self.calls:
                if (c_intent, c_turn, c_action) == (intent, turn, action):
                    return {output_name(intent): {"value": entity, "ref": ["api", turn, action]}}
            return {}

        informs_result = "OFFER" in acts or "NOTIFY_SUCCESS" in acts
        for action in frame["actions"]:
            act, slot = action["act"], action.get("slot") or ""
            values = action.get("values") or []
            canonical = action.get("canonical_values") or values
            if act == "REQUEST" and len(canonical) == 1:  # "Did you say Seattle?": one value to confirm
                say(f"confirm_{slot_name(slot)}", {slot_name(slot): self._resolve(slot, canonical[0], t)})
            elif act == "REQUEST":
                say(f"request_{slot_name(slot)}")
            elif act == "CONFIRM":
                intent = self.active if self.active in self.service.intents else None
                if intent is None:
                    self.counts["CONFIRM with no active intent"] += 1
                    continue
                name = f"confirm_{api_name(intent)}"
                existing = next((a for a in actions[first:] if a["kind"] == "response" and a["name"] == name),
                                None)
                if existing is None:
                    say(name, {})
                    existing = actions[-1]
                if canonical:
                    existing["args"][slot_name(slot)] = self._resolve(slot, canonical[0], t)
            elif act in ("OFFER", "NOTIFY_SUCCESS") or (act == "INFORM" and informs_result):
                source = this_call or self.last_call
                if source is None:
                    self.counts[f"system {act} before any service call"] += 1
                    continue
                say(f"inform_{api_name(source[0])}", result_arg(*source))
            elif act == "INFORM":
                found = next(((i, tt, aa) for i, tt, aa, e in reversed(self.calls)
                              if slot in self.service.intents[i].results), None)
                if found is None:
                    self.counts[f"system INFORM of {slot!r} with no result holding it"] += 1
                    continue
                say(f"inform_{api_name(found[0])}_{slot_name(slot)}", result_arg(*found))
            elif act == "INFORM_COUNT":
                source = this_call or self.last_call
                if values[:1] == ["0"] and source is not None:
                    say(f"no_results_{api_name(source[0])}")
            elif act == "NOTIFY_FAILURE":
                source = this_call or self.last_call
                if source is not None:
                    say(f"failure_{api_name(source[0])}")
            elif act == "OFFER_INTENT":
                if values and values[0] in self.service.intents:
                    say(f"offer_{api_name(values[0])}")
            elif act == "REQ_MORE":
                say("reqmore")
            elif act == "GOODBYE":
                say("goodbye")


def convert_sgd(schema: str | os.PathLike, service: str, dialogues: Iterable[str | os.PathLike],
                out_dir: str | os.PathLike, *, shard_size: int = 10_000) -> Converted:
    """Write the dialogues of SGD service ``service`` in the ``dialogues`` files as a
    corpus at ``out_dir`` (written atomically, with a manifest whose ``source_hash`` is the
    schema file's sha256). Raises ``SgdError`` for malformed SGD input."""
    from dialogsim.corpus import CorpusWriter, Manifest
    from dialogsim.dialogue import dumps_line
    from dialogsim.stats import CorpusStats

    if not isinstance(shard_size, int) or shard_size < 1:
        raise ValueError(f"shard_size must be an integer >= 1, got {shard_size!r}")
    spec = load_service(schema, service)
    counts: collections.Counter = collections.Counter()
    converter = _Dialogue(spec, counts)
    stats = CorpusStats()
    n = 0
    with CorpusWriter(out_dir) as writer:
        for _, raw in iter_dialogues(dialogues):
            if service not in raw["services"]:
                continue
            record = converter.convert(raw)
            if record is None:
                continue
            writer.write(n // shard_size, dumps_line(record) + "\n")
            stats.add(record)
            n += 1
        manifest = Manifest(format=FORMAT_VERSION, dialogsim_version=dialogsim.__version__,
                            scenario=scenario_name(service),
                            source_hash=hashlib.sha256(Path(schema).read_bytes()).hexdigest(), seed=0, n=n,
                            shard_size=shard_size, shards=writer.close_shards(), stats=stats.to_json())
        writer.commit(manifest.dumps())
    return Converted(manifest=manifest, skipped=dict(sorted(counts.items())))
