"""``import_sgd``: one SGD service (and, optionally, its dialogues) becomes a scenario file.

The mapping (names as in ``sgd_names``):

- each intent is an API; a transactional intent is confirmed before it is called;
- required slots are required arguments, optional slots optional ones with SGD's default
  (``dontcare`` stays ``dontcare``); an optional slot the dialogues' system asks for gets
  ``ask: true``; a required non-categorical slot that a searching intent's results hold
  (``cake_name``, ``restaurant_name``) comes ``from: [customer, FindCakes.cake_name]``: the
  customer names it, or picks it from that search's result;
- ``result_slots`` are the fields of the API's one output entity (one offered item, as SGD's
  system offers one result at a time, so ``many`` is false);
- each slot is a catalogue type: a categorical slot's ``possible_values``; a non-categorical
  slot's sample values plus every canonical value the given dialogues show for it (user and
  system actions, service calls, results); a spoken form that differs from its canonical
  value (``half past 11 in the morning`` for ``11:30``) is its synonym; a yes/no slot
  (categorical, ``True`` / ``False``) is of the built-in ``Boolean`` (its words from its
  name: ``has_live_music`` says "with live music", ``is_vegan`` "vegan" / "not vegan"), and a categorical slot the dialogues' users
  inform more often in other words than its value's ("yes", "somewhere cheap" for
  ``inexpensive``) than in them is ``span: false``, labelled without a span;
- the dialogues' user turns, delexicalised, become phrasings per act; their system turns
  become response texts per SGD system act (REQUEST, CONFIRM, OFFER and INFORM_COUNT,
  INFORM, OFFER_INTENT, NOTIFY_SUCCESS / NOTIFY_FAILURE, REQ_MORE, GOODBYE), harvested only
  from turns whose acts make exactly one response, with every value found in the text and
  no yes/no value said in words ("How about Juniper? It has outdoor seating." would say it
  of every restaurant; asking about the slot is kept);
- up to ``samples`` single-service dialogues whose every act maps become sample dialogues.

Whatever cannot be mapped (REQUEST_ALTS, a value not found in its utterance, a slot with
no values, a conflicting spoken form ...) is counted and reported in ``warnings``; the
result always loads with ``dialogsim.load_scenario``.
"""

from __future__ import annotations

import collections
import os
import re
from pathlib import Path
from typing import Iterable, Mapping

import attrs
import yaml

from dialogsim.booleans import BOOLEAN
from dialogsim.dialogue import Act
from dialogsim.interop.errors import InteropError
from dialogsim.interop.sgd_format import SgdService, iter_dialogues, load_service, service_frames
from dialogsim.interop.sgd_names import (
    DONTCARE,
    Located,
    api_name,
    boolean_value,
    is_boolean,
    locate_values,
    output_name,
    result_type,
    scenario_name,
    slot_name,
    type_name,
    user_act,
)
from dialogsim.loader import MAX_SAMPLES, load_scenario_text
from dialogsim.samples import sample_problems
from dialogsim.spoken import spoken_value
from dialogsim.wording import words

__all__ = ["ImportedScenario", "import_sgd", "DEFAULT_SAMPLES"]

DEFAULT_SAMPLES = 5
MAX_TEXTS = 8  # harvested variants per response or phrasing key: enough variety, a readable file
MAX_PHRASINGS = 20
MAX_CANDIDATES = 200  # sample candidates kept while reading: bounds memory on the train split
_FAKER_BY_SLOT = (  # a slot with no value anywhere still needs a catalogue: guessed from its name
    ("phone", "phone_number"), ("address", "street_address"), ("email", "email"), ("city", "city"),
    ("date", "date"), ("time", "time"), ("name", "name"), ("price", "pricetag"), ("rating", "pyfloat"),
)


@attrs.frozen
class ImportedScenario:
    """The scenario YAML text, its name, and what could not be mapped (one line each)."""

    name: str
    text: str
    warnings: tuple[str, ...]

    def write(self, path: str | os.PathLike, *, force: bool = False) -> None:
        """Write the YAML to ``path`` (whole or not at all); an existing file is replaced
        only with ``force``."""
        path = Path(path)
        if path.exists() and (not force or not path.is_file()):
            raise InteropError(f"{path}: exists; refusing to overwrite it (use --force)" if path.is_file()
                               else f"{path}: exists and is not a file")
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            tmp.write_text(self.text, encoding="utf-8", newline="\n")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


class _Catalogue:
    """The values and spoken forms of one slot type, in first-seen order."""

    def __init__(self, fixed: Iterable[str] | None, samples: Iterable[str]) -> None:
        self.closed = fixed is not None
        self.values: dict[str, None] = dict.fromkeys(v for v in (fixed if fixed is not None else samples) if v.strip())
        self.synonyms: dict[str, str] = {}  # spoken form -> canonical
        self.conflicts = 0

    def add(self, canonical: str, surface: str | None = None) -> None:
        if not canonical.strip() or canonical == DONTCARE:
            return
        if canonical not in self.values:
            if self.closed:
                return
            self.values[canonical] = None
        if surface is None or surface == canonical or not surface.strip() or surface == DONTCARE:
            return
        if surface in self.values:
            if surface != canonical:
                self.conflicts += 1
            return
        first = self.synonyms.setdefault(surface, canonical)
        if first != canonical:
            self.conflicts += 1

    def knows(self, surface: str) -> bool:
        """The surface means a value: a value, a synonym or a value's spoken form (as the
        loader reads sample annotations), up to case."""
        folded = surface.casefold()
        spoken = (spoken_value(v) for v in self.values)
        return any(folded == v.casefold() for v in (*self.values, *self.synonyms, *filter(None, spoken)))

    def to_yaml(self) -> dict:
        out: dict = {"values": list(self.values)}
        synonyms: dict[str, list[str]] = {}
        for surface, canonical in self.synonyms.items():
            if surface not in self.values:  # a later canonical value may have taken the surface
                synonyms.setdefault(canonical, []).append(surface)
        if synonyms:
            out["synonyms"] = synonyms
        return out


class _Importer:
    def __init__(self, service: SgdService, samples: int) -> None:
        self.service = service
        self.max_samples = samples
        self.warnings: list[str] = []
        self.counts: collections.Counter = collections.Counter()  # what could not be mapped, by kind
        self.catalogues = {
            s.name: _Catalogue(s.possible_values if s.categorical else None, s.possible_values)
            for s in service.slots.values()}
        self.booleans = {s.name for s in service.slots.values() if is_boolean(s)}
        self.boolean_words = _boolean_words(service, self.booleans)
        # categorical slot -> how often a user informed it in its value's words / in others
        self.said_in: collections.Counter = collections.Counter()
        self.said_without: collections.Counter = collections.Counter()
        # the slots a customer can say: the intents' arguments
        self.args = {s for i in service.intents.values() for s in (*i.required, *i.optional)}
        self.fields = {s for i in service.intents.values() for s in i.results}
        self.asked_optional: set[str] = set()
        self.responses: dict[str, dict[str, None]] = {}
        self.phrasings: dict[str, dict[str, None]] = {}
        self.offered: collections.Counter = collections.Counter()
        self.candidates: list[dict] = []  # dialogues that map completely, in file order
        self.samples: list[dict] = []
        self.used_responses: set[str] = set()
        self.dialogues = 0

    # -- reading the dialogues ------------------------------------------------------

    def read(self, files: Iterable[str | os.PathLike]) -> None:
        name = self.service.name
        for _, dialogue in iter_dialogues(files):
            if name not in dialogue["services"]:
                continue
            self.dialogues += 1
            state = _State()
            sample_turns: list[dict] | None = [] if dialogue["services"] == [name] else None
            for turn in dialogue["turns"]:
                frames = service_frames(turn, name)
                if not frames:
                    sample_turns = None
                    continue
                for frame in frames:
                    self._values(frame)
                if len(frames) > 1:  # a system turn of several calls (a dialogsim export): no sample
                    sample_turns = None
                frame = frames[0]
                # a turn that also speaks to another service mixes its words into the text:
                # its phrasing is not harvested (nor is its dialogue a sample)
                alone = len(turn["frames"]) == 1
                if turn["speaker"] == "USER":
                    if frame.get("state"):
                        state.active = frame["state"].get("active_intent", state.active)
                    sample_turn = self._user(turn["utterance"], frame, alone)
                else:
                    sample_turn = self._system(turn["utterance"], frame, state, alone)
                if sample_turns is not None:
                    if sample_turn is None:
                        sample_turns = None
                    else:
                        sample_turns.append(sample_turn)
            if sample_turns and len(self.candidates) < MAX_CANDIDATES and self._sayable(sample_turns):
                self.candidates.append({"name": dialogue["dialogue_id"], "turns": sample_turns})

    def read_values(self, files: Iterable[str | os.PathLike], services: Iterable[str]) -> None:
        """Take only slot values from the frames of ``services`` in ``files``: catalogues
        from other dialogues (another service of the domain shares slot names)."""
        services = set(services)
        for _, dialogue in iter_dialogues(files):
            if services.isdisjoint(dialogue["services"]):
                continue
            for turn in dialogue["turns"]:
                for frame in turn["frames"]:
                    if frame["service"] in services:
                        self._values(frame)

    def _values(self, frame: Mapping) -> None:
        for action in frame["actions"]:
            slot = action.get("slot")
            if slot not in self.catalogues:
                continue
            values = action.get("values") or []
            for value, canonical in zip(values, action.get("canonical_values") or values):
                self.catalogues[slot].add(canonical, value)
        call = frame.get("service_call")
        if call:
            for slot, value in call["parameters"].items():
                if slot in self.catalogues:
                    self.catalogues[slot].add(value)
        for result in frame.get("service_results") or ():
            for slot, value in result.items():
                if slot in self.catalogues:
                    self.catalogues[slot].add(value)

    def _user(self, utterance: str, frame: Mapping, alone: bool) -> dict | None:
        """Harvest the turn's phrasing; return it as a sample turn, or None if it does not map."""
        located, missing = locate_values(utterance, frame)
        slots = self.service.slots
        categorical = {slot for slot, _ in missing if slot in slots and slots[slot].categorical}
        self.said_without.update(slot for slot, _ in missing if slot in categorical)
        if len(categorical) < len(missing):
            self.counts["user value not found in its utterance"] += sum(slot not in categorical for slot, _ in missing)
        self.said_in.update(loc.slot for loc in located if loc.slot in slots and slots[loc.slot].categorical)
        if any(loc.slot in self.booleans for loc in located):  # "true" in the words is no boolean's span
            located = [loc for loc in located if loc.slot not in self.booleans]
            missing = missing + [("", "")]
        acts: list[str] = []
        key = None
        keys = 0
        ok = not missing
        for action in frame["actions"]:
            act, slot = action["act"], action.get("slot") or ""
            values = action.get("values") or []
            if act == "INFORM":
                if slot not in self.args:
                    self.counts[f"user INFORM of {slot!r}, which is no intent's argument"] += 1
                    ok = False
                elif DONTCARE in values:
                    acts.append(f"dont_care {slot_name(slot)}")
                    key, keys = f"dont_care_{slot_name(slot)}", keys + 1
                continue
            mapped = user_act(act, values)
            if mapped is None:
                self.counts[f"user act {act} (no dialogsim act)"] += 1
                ok = False
                continue
            if mapped is Act.INVOKE:
                intent = values[0] if values else ""
                if intent not in self.service.intents:
                    self.counts["INFORM_INTENT of an unknown intent"] += 1
                    ok = False
                    continue
                text, key = f"invoke {api_name(intent)}", api_name(intent)
            elif mapped is Act.REQUEST:
                if slot not in self.fields:
                    self.counts[f"user REQUEST of {slot!r}, which is no intent's result"] += 1
                    ok = False
                    continue
                text, key = f"request {slot_name(slot)}", f"request_{slot_name(slot)}"
            elif mapped is Act.SELECT:  # a pick from a list (a dialogsim export): the API returns one entity
                self.counts["user SELECT of a list item (the imported API returns one entity)"] += 1
                ok = False
                continue
            else:
                text = key = mapped.value
            if text not in acts:
                acts.append(text)
                keys += 1
        if keys == 0 and located:
            key, keys = "inform", 1
        if alone and keys == 1 and key is not None and not missing and all(loc.slot in self.args for loc in located) and "{" not in utterance \
                and "}" not in utterance and not self._states_boolean(utterance, key, "user phrasing"):
            self._harvest(self.phrasings, key, _delex(utterance, located, lambda loc: slot_name(loc.slot)),
                          MAX_PHRASINGS)
        if not ok or not (acts or located) or any(c in utterance for c in "[]") or any(
                c in surface or surface != surface.strip()
                for surface in (utterance[loc.start:loc.end] for loc in located) for c in "()"):
            return None
        return {"user": _annotate(utterance, located), **({"acts": acts} if acts else {})}

    def _system(self, utterance: str, frame: Mapping, state: "_State", alone: bool) -> dict | None:
        names: list[str] = []
        call = frame.get("service_call")
        method = call["method"] if call else None
        if method is not None:
            if method not in self.service.intents:
                self.counts["service_call of an unknown intent"] += 1
                return None
            names.append(api_name(method))
            state.calls.append(method)
        acts = [a["act"] for a in frame["actions"]]
        ok = True
        harvest_as: str | None = None
        args: dict[str, str] = {}  # placeholder per located slot
        for action in frame["actions"]:
            act, slot = action["act"], action.get("slot") or ""
            name = None
            if act == "REQUEST":
                if slot not in self.args:
                    self.counts[f"system REQUEST of {slot!r}, which is no intent's argument"] += 1
                    ok = False
                    continue
                if len(action.get("values") or ()) == 1:  # "Did you mean March 7th?" (as convert_sgd reads it)
                    name = f"confirm_{slot_name(slot)}"
                    args[slot] = "{" + slot_name(slot) + "}"
                else:
                    if not any(slot in i.required for i in self.service.intents.values()):
                        self.asked_optional.add(slot)
                    name = f"request_{slot_name(slot)}"
            elif act == "CONFIRM":
                intent = state.active if state.active in self.service.intents else None
                if intent is None:
                    self.counts["CONFIRM with no active intent"] += 1
                    ok = False
                    continue
                spec = self.service.intents[intent]
                if slot not in spec.required and slot not in spec.optional:
                    self.counts[f"CONFIRM of {slot!r}, which is no argument of {intent}"] += 1
                    ok = False
                    continue
                name = f"confirm_{api_name(intent)}"
                args[slot] = "{" + slot_name(slot) + "}"
            elif act in ("OFFER", "INFORM_COUNT", "NOTIFY_SUCCESS", "INFORM"):
                intent = method or (state.calls[-1] if state.calls else None)
                if intent is None:
                    self.counts[f"system {act} before any service call"] += 1
                    ok = False
                    continue
                out = output_name(intent)
                if act == "OFFER":
                    self.offered[slot] += 1
                if act == "INFORM" and "NOTIFY_SUCCESS" not in acts and "OFFER" not in acts:
                    if slot not in self.service.intents[intent].results:
                        self.counts[f"system INFORM of {slot!r}, not a result of {intent}"] += 1
                        ok = False
                        continue
                    name = f"inform_{api_name(intent)}_{slot_name(slot)}"
                else:
                    name = f"inform_{api_name(intent)}"
                if slot and act != "INFORM_COUNT":
                    if slot not in self.service.intents[intent].results:
                        ok = False
                        continue
                    args[slot] = "{" + f"{out}.{slot_name(slot)}" + "}"
            elif act == "NOTIFY_FAILURE":
                intent = method or (state.calls[-1] if state.calls else None)
                if intent is None:
                    ok = False
                    continue
                name = f"failure_{api_name(intent)}"
            elif act == "OFFER_INTENT":
                intent = (action.get("values") or [""])[0]
                if intent not in self.service.intents:
                    self.counts["OFFER_INTENT of an unknown intent"] += 1
                    ok = False
                    continue
                name = f"offer_{api_name(intent)}"
            elif act == "REQ_MORE":
                name = "reqmore"
            elif act == "GOODBYE":
                name = "goodbye"
            if name is not None and name not in names:
                names.append(name)
        responses = [n for n in names if n[:1].islower()]
        if len(responses) == 1:
            harvest_as = responses[0]
        if harvest_as is not None and alone:
            text = self._system_text(utterance, frame, acts, args)
            if text is not None and not self._states_boolean(text, harvest_as, "system text"):
                self._harvest(self.responses, harvest_as, text, MAX_TEXTS)
        if not ok or not names:
            return None
        return {"system": names}

    def _system_text(self, utterance: str, frame: Mapping, acts: list[str], args: Mapping[str, str]) -> str | None:
        """The utterance with each value it says replaced by its placeholder, or None when
        a value cannot be found (the text would state a value the response does not carry)."""
        if "{" in utterance or "}" in utterance:
            return None
        if any(a["act"] == "REQUEST" and len(a.get("values") or ()) > 1 for a in frame["actions"]):
            return None  # "Indian or Chinese?": examples a request_<slot> response cannot carry
        text = utterance
        if "INFORM_COUNT" in acts:
            dropped = _drop_count(text, frame)
            if dropped is None:
                self.counts["INFORM_COUNT whose number was not found"] += 1
                return None
            text = dropped
            frame = {**frame, "slots": [], "actions": [a for a in frame["actions"] if a["act"] != "INFORM_COUNT"]}
        located, missing = locate_values(text, frame, ("INFORM", "CONFIRM", "OFFER", "REQUEST"))
        if missing:
            self.counts["system value not found in its utterance"] += len(missing)
            return None
        if any(loc.slot not in args for loc in located):
            return None
        return _delex(text, located, lambda loc: args[loc.slot][1:-1])

    def _states_boolean(self, text: str, key: str, what: str) -> bool:
        """Whether ``text`` says a yes/no slot in words that its response or phrasing ``key``
        does not carry: "How about Juniper? It has outdoor seating." states the value of that
        one dialogue, and would say it of every restaurant (no placeholder renders "It has" /
        "It doesn't have" in the middle of a text). Asking about the slot (``request_<slot>``)
        or not caring about it (``dont_care_<slot>``) is no statement of its value. Counted."""
        for slot, pattern in self.boolean_words.items():
            if key in (f"request_{slot_name(slot)}", f"dont_care_{slot_name(slot)}"):
                continue
            if pattern.search(text):
                self.counts[f"{what} that says a yes/no value ({slot}) in words (not harvested)"] += 1
                return True
        return False

    @staticmethod
    def _harvest(store: dict[str, dict[str, None]], key: str, text: str, limit: int) -> None:
        texts = store.setdefault(key, {})
        if len(texts) < limit:
            texts[text.strip()] = None

    # -- writing the scenario ---------------------------------------------------------

    def _choose_samples(self, refused: set[str]) -> list[dict]:
        """Up to ``max_samples`` candidates not ``refused``: first one per distinct API path
        (the goal sampler generalises the paths the samples show), then the rest in file order."""
        chosen: list[dict] = []
        paths: set[tuple[str, ...]] = set()
        candidates = [c for c in self.candidates if c["name"] not in refused]
        for candidate in candidates:
            path = tuple(dict.fromkeys(n for t in candidate["turns"] for n in t.get("system", ()) if n[:1].isupper()))
            if path not in paths and len(chosen) < self.max_samples:
                paths.add(path)
                chosen.append(candidate)
        for candidate in candidates:
            if len(chosen) >= self.max_samples:
                break
            if candidate not in chosen:
                chosen.append(candidate)
        return sorted(chosen, key=self.candidates.index)

    def build(self) -> ImportedScenario:
        """The scenario, with samples the system policy's replay (``dialogsim.samples``)
        accepts: an SGD dialogue can contradict the scenario it maps to (a song played that
        the customer never named, taken from the search's result), and ``generate`` refuses
        such a sample. A sample is cut before the first turn the replay refuses (what comes
        before is still a real dialogue: the search, say) or, with nothing left, gives way
        to the next candidate; either is counted in the warnings."""
        warnings, counts = list(self.warnings), self.counts.copy()
        fixes: collections.Counter = collections.Counter()  # what the replay made of samples, by why
        refused: set[str] = set()
        while True:
            self.warnings, self.counts = list(warnings), counts + fixes
            imported = self._build(refused)
            problems = self._problems(imported)
            if not problems:
                return imported
            for name, turn, why in problems:
                keep = turn - turn % 2  # up to the system turn before the refused pair
                candidate = next(c for c in self.candidates if c["name"] == name)
                if keep > 0:
                    candidate["turns"] = candidate["turns"][:keep]
                    fixes[f"sample cut before a turn the sample replay refuses: {why}"] += 1
                else:
                    refused.add(name)
                    fixes[f"sample dropped: {why}"] += 1

    def _problems(self, imported: ImportedScenario) -> list[tuple[str, int, str]]:
        """(sample name, turn, why) of the first error the replay finds in each sample."""
        if not self.samples:
            return []
        errors, _ = sample_problems(load_scenario_text(imported.text, f"{imported.name}.yaml"))
        out: dict[str, tuple[str, int, str]] = {}
        for error in errors:
            where = re.match(r"samples\[(\d+)\](?:\.turns\[(\d+)\])?", error.field)
            if where is not None:
                name = self.samples[int(where[1])]["name"]
                out.setdefault(name, (name, int(where[2] or 0), re.sub(r"^sample '[^']*': ", "", error.message)))
        return list(out.values())

    def _build(self, refused: set[str]) -> ImportedScenario:
        svc = self.service
        self.samples = self._choose_samples(refused)
        self.used_responses = {n for s in self.samples for t in s["turns"] for n in t.get("system", ())
                               if n[:1].islower()}
        types: dict[str, dict] = {}

        def tref(name: str) -> str:
            return BOOLEAN if name in self.booleans else type_name(name)

        for slot in svc.slots.values():
            if slot.name in self.booleans:
                continue
            cat = self.catalogues[slot.name]
            if cat.conflicts:
                self.counts[f"spoken forms of {slot.name!r} that mean two values (first kept)"] += cat.conflicts
            if cat.values:
                types[type_name(slot.name)] = cat.to_yaml()
                if slot.categorical and self.said_without[slot.name] > self.said_in[slot.name]:
                    types[type_name(slot.name)]["span"] = False
            else:
                provider = next((p for key, p in _FAKER_BY_SLOT if key in slot.name), None)
                if provider is None:
                    types[type_name(slot.name)] = {"faker": "bothify",
                                                   "faker_args": {"text": f"{words(slot.name)} ##"}}
                else:
                    types[type_name(slot.name)] = {"faker": provider}
                self.warnings.append(f"slot {slot.name!r} has no values in the schema or the dialogues: "
                                     f"its catalogue is Faker's {provider or 'bothify'!r}")
        apis: dict[str, dict] = {}
        for intent in svc.intents.values():
            args: dict[str, object] = {}
            for name in intent.required:
                args[slot_name(name)] = tref(name)
            for name, default in intent.optional.items():
                spec = {"type": tref(name), "optional": True,
                        "default": boolean_value(default) if name in self.booleans else default}
                if name in self.asked_optional:
                    spec["ask"] = True
                args[slot_name(name)] = spec
            for name in (*intent.required, *intent.optional):
                named = re.match(r"(has|is|serves|offers)_(.+)", name)
                if name in self.booleans and named:  # has_live_music: "with live music"; is_vegan: "vegan"
                    declared = args[slot_name(name)]
                    spec = dict(declared) if isinstance(declared, dict) else {"type": BOOLEAN}
                    said = words(named.group(2))
                    spec["say"] = {"true": said, "false": f"not {said}"} if named.group(1) == "is" else said
                    args[slot_name(name)] = spec
            api: dict[str, object] = {}
            if intent.description:
                api["description"] = intent.description
            for name in intent.required:  # "order the Lemon Drizzle", or "that one" after the search found it
                found_by = next((other for other in svc.intents.values() if other is not intent
                                 and not other.transactional and name in other.results), None)
                if found_by is not None and not svc.slots[name].categorical:
                    given = args[slot_name(name)]
                    spec = dict(given) if isinstance(given, dict) else {"type": given}
                    spec["from"] = ["customer", f"{api_name(found_by.name)}.{slot_name(name)}"]
                    args[slot_name(name)] = spec
            if args:
                api["args"] = args
            if intent.results:
                rtype = result_type(intent.name)
                while rtype in types:  # a slot named like the output ("find_cakes_result")
                    rtype += "_"
                types[rtype] = {"fields": {slot_name(s): tref(s) for s in intent.results},
                                "say": self._say(intent.results)}
                api["returns"] = {"name": output_name(intent.name), "type": rtype}
            if intent.transactional:
                api["confirm"] = True
            apis[api_name(intent.name)] = api
        responses = self._responses(apis)
        doc: dict[str, object] = {"name": scenario_name(svc.name)}
        doc["description"] = (svc.description or f"SGD service {svc.name}").strip()
        doc["types"] = types
        doc["apis"] = apis
        if responses:
            doc["responses"] = responses
        utterances = self._utterances()
        if utterances:
            doc["utterances"] = utterances
        doc["samples"] = self.samples or [self._fallback_sample()]
        if not self.samples:
            self.warnings.append("no dialogue maps completely onto the scenario: one sample was written "
                                 "from the schema alone")
        for kind, count in sorted(self.counts.items()):
            self.warnings.append(f"not mapped: {kind}: {count}")
        header = [f"# Imported from SGD service {svc.name} by dialogsim import-sgd "
                  f"({self.dialogues} dialogues read, {len(self.samples)} samples).",
                  "# SGD (Schema-Guided Dialogue, Google) is licensed CC BY-SA 4.0."]
        header += [f"# warning: {w}" for w in self.warnings]
        text = "\n".join(header) + "\n" + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
        return ImportedScenario(name=scenario_name(svc.name), text=text, warnings=tuple(self.warnings))

    def _sayable(self, turns: list[dict]) -> bool:
        """Every annotated surface of the sample means a value of its slot's catalogue (a
        categorical slot's spoken form whose canonical value is not a possible value does not)."""
        catalogues = {slot_name(slot): cat for slot, cat in self.catalogues.items()}
        for turn in turns:
            for surface, slot in _ANNOTATION.findall(turn.get("user", "")):
                cat = catalogues[slot]
                if not cat.knows(surface):
                    self.counts["sample dropped: a spoken value not in its slot's catalogue"] += 1
                    return False
        return True

    def _say(self, results: tuple[str, ...]) -> str:
        offered = [s for s, _ in self.offered.most_common() if s in results][:2]
        if not offered:
            named = [s for s in results if s.endswith("_name")]
            offered = named[:1] or list(results[:1])
        return ", ".join("{" + slot_name(s) + "}" for s in offered)

    def _responses(self, apis: Mapping[str, dict]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for name, texts in sorted(self.responses.items()):
            if texts:
                out[name] = {"text": list(texts)}
        # A sample may use a response the loader would not generate (an offer of an API no
        # other API feeds): give it a plain text.
        for name in sorted(self.used_responses - set(out)):
            if name.startswith("offer_"):
                out[name] = {"text": [f"Would you like to {words(name[len('offer_'):])}?"]}
        for name, spec in out.items():
            if name.startswith("inform_") and name[len("inform_"):] in apis:
                returns = apis[name[len("inform_"):]].get("returns")
                if returns:
                    spec["args"] = {returns["name"]: returns["type"]}
        return out

    def _utterances(self) -> dict[str, list[str]]:
        return {key: list(texts) for key, texts in sorted(self.phrasings.items()) if texts}

    def _fallback_sample(self) -> dict:
        intent = next(iter(self.service.intents.values()))
        return {"name": "from the schema",
                "turns": [{"user": f"I want to {words(intent.name)}", "acts": [f"invoke {api_name(intent.name)}"]},
                          {"system": ["reqmore"]}]}


@attrs.define
class _State:
    active: str | None = None
    calls: list[str] = attrs.Factory(list)


# Words of a yes/no slot's name that say nothing of its own: the verb of has_wifi, is_vegan,
# the frame of good_for_kids, pets_allowed, has_laundry_service.
_BOOLEAN_FRAME = frozenset(("has", "have", "is", "are", "serves", "offers", "good", "for", "allowed", "welcome",
                            "available", "service", "services"))


def _boolean_words(service: SgdService, booleans: set[str]) -> dict[str, re.Pattern]:
    """Yes/no slot -> a pattern of the words that say it ("kids" of good_for_kids, "live" or
    "music" of has_live_music, singular or plural, any case): its name's words less the
    frame's and less those another slot or an intent names ("ride" of shared_ride is every
    GetRide's word). A slot with no word of its own is left out."""
    others = {w for name in (*service.intents, *(s for s in service.slots if s not in booleans))
              for w in words(name).lower().split()}
    out: dict[str, re.Pattern] = {}
    for slot in sorted(booleans):
        own = [w for w in words(slot).lower().split() if w not in _BOOLEAN_FRAME and w not in others]
        stems = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in own]
        if stems:
            out[slot] = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in stems) + r")s?(?!\w)",
                                   re.IGNORECASE)
    return out


def _delex(text: str, located: list[Located], placeholder) -> str:
    out, pos = [], 0
    for loc in located:
        out += [text[pos:loc.start], "{" + placeholder(loc) + "}"]
        pos = loc.end
    out.append(text[pos:])
    return "".join(out)


def _annotate(text: str, located: list[Located]) -> str:
    out, pos = [], 0
    for loc in located:
        out += [text[pos:loc.start], f"[{text[loc.start:loc.end]}]({slot_name(loc.slot)})"]
        pos = loc.end
    out.append(text[pos:])
    return "".join(out)


_ANNOTATION = re.compile(r"\[([^\[\]]*)\]\(([^()]*)\)")
_SENTENCE = re.compile(r"[^.!?]*[.!?]*\s*")


def _drop_count(text: str, frame: Mapping) -> str | None:
    """The text without the sentence that says how many results there are ("I found 10
    restaurants."): dialogsim's responses carry no count."""
    counts = [v for a in frame["actions"] if a["act"] == "INFORM_COUNT" for v in a.get("values") or ()]
    sentences = [s for s in _SENTENCE.findall(text) if s]
    kept = [s for s in sentences if not any(re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", s) for c in counts)]
    if len(kept) == len(sentences) or not "".join(kept).strip():
        return None
    return "".join(kept).strip()


def import_sgd(schema: str | os.PathLike, service: str, dialogues: Iterable[str | os.PathLike] = (), *,
               samples: int = DEFAULT_SAMPLES, value_dialogues: Iterable[str | os.PathLike] = (),
               value_services: Iterable[str] = ()) -> ImportedScenario:
    """Map SGD service ``service`` of ``schema`` (a ``schema.json``) onto a scenario, with
    catalogues, phrasings, response texts and up to ``samples`` sample dialogues drawn from
    the ``dialogues`` files. ``value_dialogues`` add catalogue values only, from the frames
    of ``value_services`` (other services of the domain: their slots of the same name).
    Raises ``SgdError`` for a malformed SGD file."""
    if not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(f"samples must be an integer in 1..{MAX_SAMPLES}, got {samples!r}")
    importer = _Importer(load_service(schema, service), samples)
    importer.read(dialogues)
    importer.read_values(value_dialogues, value_services)
    return importer.build()
