"""Rasa 3.x training data: ``domain.yml``, ``data/nlu.yml`` and ``data/stories.yml``.

- NLU: every distinct user text as an example of its intent, with entity annotations
  ``[Seattle](destination)``, or ``[NYC]{"entity": "destination", "value": "New York"}``
  where the words differ from the canonical value. The intent is named from the user
  acts: ``invoke_SearchFlight``, ``inform``, ``affirm``, ``request_price``, ...; several
  acts join with ``+`` (Rasa's multi-intent form: ``affirm+select``).
- Stories: one per distinct flow (the sequence of intents, entity names and actions), the
  first dialogue with that flow standing for it; API calls are custom actions
  ``action_<api>``, responses ``utter_<response>``. A value the customer gave without a
  span (``UserTurn.unspanned``: a boolean "somewhere with outdoor seating", a yes to "Do you
  want outdoor seating?") cannot be an NLU entity -- Rasa annotates an entity on the words
  that say it -- so it follows its user step as Rasa 3.x writes a slot set by the
  assistant's own logic: ``- slot_was_set: [{outdoor_seating: true}]``.
- Domain: the intents, entities, actions, for each response its first realised text, and
  a slot for each value given without a span (``bool`` for a boolean, else ``text``, with a
  ``custom`` mapping: no entity fills it), since a story may set only the domain's slots.

Examples are written to one temporary file per intent while the corpus streams past and
joined at the end; what is held in memory is one 8-byte hash per distinct text and flow
(duplicates are dropped, as Rasa warns about them), not the corpus.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any, Iterable

import yaml

from dialogsim.interop.export import unspanned

__all__ = ["write_rasa", "intent_name", "annotate"]


def intent_name(acts: list[dict]) -> str:
    names: list[str] = []
    for act in acts:
        kind = act["act"]
        if kind == "inform":
            continue
        if kind == "invoke":
            name = f"invoke_{act.get('api')}"
        elif kind in ("request", "dont_care") and act.get("slot"):
            name = f"{kind}_{act['slot']}"
        else:
            name = kind
        if name not in names:
            names.append(name)
    return "+".join(names) or "inform"


def _escape(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")  # brackets would read as annotations


def annotate(text: str, spans: list[dict]) -> str:
    """The text with Rasa entity annotations."""
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        if span["start"] < pos:
            continue  # overlapping spans cannot be annotated inline
        surface = text[span["start"]:span["end"]]
        out.append(_escape(text[pos:span["start"]]))
        if surface == span["value"]:
            out.append(f"[{_escape(surface)}]({span['slot']})")
        else:
            meta = json.dumps({"entity": span["slot"], "value": span["value"]}, ensure_ascii=False)
            out.append(f"[{_escape(surface)}]{meta}")
        pos = span["end"]
    out.append(_escape(text[pos:]))
    return " ".join("".join(out).split())


_BOOLEANS = {"true": True, "false": False}  # dialogsim.booleans' canonical values, as Rasa's bool slot holds them


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)


class _Rasa:
    """What the export gathers while the corpus streams past: one temporary file of
    examples per intent, the domain's names, and hashes of what was already written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.parts = out / ".intents"
        self.parts.mkdir()
        self.handles: dict = {}  # intent -> its temporary file (a few dozen intents at most)
        self.entities: dict[str, None] = {}
        self.slots: dict[str, bool] = {}  # slot given without a span -> every value was "true"/"false"
        self.actions: dict[str, None] = {}
        self.responses: dict[str, str] = {}
        self.seen_examples: set[int] = set()
        self.seen_flows: set[int] = set()

    def example(self, intent: str, example: str) -> None:
        key = _digest(f"{intent}\n{example}")
        if key in self.seen_examples or not example:
            return
        self.seen_examples.add(key)
        if intent not in self.handles:
            self.handles[intent] = open(self.parts / f"{len(self.handles)}.txt", "w", encoding="utf-8",
                                        newline="\n")
        self.handles[intent].write(f"- {example}\n")

    def story(self, record: dict) -> str | None:
        """The story of the dialogue as YAML, or None when its flow was written already."""
        steps, flow = [], []
        for turn in record["turns"]:
            if turn["speaker"] == "user":
                intent = intent_name(turn["acts"])
                spans = turn.get("spans", [])
                self.example(intent, annotate(turn["text"], spans))
                step: dict = {"intent": intent}
                if spans:
                    step["entities"] = [{s["slot"]: s["value"]} for s in spans]
                    self.entities.update(dict.fromkeys(s["slot"] for s in spans))
                steps.append(step)
                flow.append(intent + "(" + ",".join(s["slot"] for s in spans) + ")")
                values = unspanned(turn)
                if values:
                    for slot, value in values:
                        self.slots[slot] = self.slots.get(slot, True) and value in _BOOLEANS
                    steps.append({"slot_was_set": [{slot: _BOOLEANS.get(value, value)} for slot, value in values]})
                    # by slot, as entities are; a yes/no by its value too, which a bool slot feeds the policy
                    flow.append("slot_was_set(" + ",".join(slot + ("=" + value if value in _BOOLEANS else "")
                                                           for slot, value in values) + ")")
                continue
            for action in turn["actions"]:
                if action["kind"] == "api":
                    name = f"action_{action['name']}"
                    self.actions.setdefault(name)
                else:
                    name = f"utter_{action['name']}"
                    self.responses.setdefault(name, action.get("text") or action["name"])
                steps.append({"action": name})
                flow.append(name)
        key = _digest("\n".join(flow))
        if key in self.seen_flows:
            return None
        self.seen_flows.add(key)
        return _dump([{"story": record["id"], "steps": steps}])

    def finish(self) -> None:
        """Join the examples into ``data/nlu.yml`` and write ``domain.yml``."""
        with open(self.out / "data" / "nlu.yml", "w", encoding="utf-8", newline="\n") as nlu:
            nlu.write('version: "3.1"\nnlu:\n')
            for intent, handle in self.handles.items():
                handle.close()
                nlu.write(f"- intent: {intent}\n  examples: |\n")
                with open(handle.name, encoding="utf-8") as examples:
                    for line in examples:
                        nlu.write("    " + line)
        domain: dict[str, Any] = {"version": "3.1", "intents": list(self.handles), "entities": list(self.entities)}
        if self.slots:
            domain["slots"] = {slot: {"type": "bool" if boolean else "text", "influence_conversation": True,
                                      "mappings": [{"type": "custom"}]} for slot, boolean in self.slots.items()}
        domain.update({"responses": {name: [{"text": text}] for name, text in self.responses.items()},
                       "actions": list(self.actions)})
        (self.out / "domain.yml").write_text(_dump(domain), encoding="utf-8")

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        shutil.rmtree(self.parts, ignore_errors=True)


def write_rasa(records: Iterable[dict], out: Path) -> int:
    (out / "data").mkdir()
    rasa = _Rasa(out)
    count = 0
    try:
        with open(out / "data" / "stories.yml", "w", encoding="utf-8", newline="\n") as stories:
            stories.write('version: "3.1"\nstories:\n')
            for record in records:
                count += 1
                story = rasa.story(record)
                if story is not None:
                    stories.write(story)
        rasa.finish()
    finally:
        rasa.close()
    return count
