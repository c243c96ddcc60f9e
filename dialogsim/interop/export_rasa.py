"""Rasa 3.x training data: ``domain.yml``, ``data/nlu.yml`` and ``data/stories.yml``.

- NLU: every distinct user text as an example of its intent, with entity annotations
  ``[Seattle](destination)``, or ``[NYC]{"entity": "destination", "value": "New York"}``
  where the words differ from the canonical value. The intent is named from the user
  acts: ``invoke_SearchFlight``, ``inform``, ``affirm``, ``request_price``, ...; several
  acts join with ``+`` (Rasa's multi-intent form: ``affirm+select``).
- Stories: one per distinct flow (the sequence of intents, entity names and actions), the
  first dialogue with that flow standing for it; API calls are custom actions
  ``action_<api>``, responses ``utter_<response>``.
- Domain: the intents, entities, actions and, for each response, its first realised text.

Examples are written to one temporary file per intent while the corpus streams past and
joined at the end; what is held in memory is one 8-byte hash per distinct text and flow
(duplicates are dropped, as Rasa warns about them), not the corpus.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

import yaml

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


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)


def write_rasa(records: Iterable[dict], out: Path) -> int:
    data = out / "data"
    data.mkdir()
    parts = out / ".intents"
    parts.mkdir()
    handles: dict = {}  # intent -> its temporary file of examples (a few dozen intents at most)
    entities: dict[str, None] = {}
    actions: dict[str, None] = {}
    responses: dict[str, str] = {}
    seen_examples: set[int] = set()
    seen_flows: set[int] = set()
    count = 0
    with open(data / "stories.yml", "w", encoding="utf-8", newline="\n") as stories:
        stories.write('version: "3.1"\nstories:\n')
        for record in records:
            count += 1
            steps, flow = [], []
            for turn in record["turns"]:
                if turn["speaker"] == "user":
                    intent = intent_name(turn["acts"])
                    spans = turn.get("spans", [])
                    example = annotate(turn["text"], spans)
                    key = _digest(f"{intent}\n{example}")
                    if key not in seen_examples and example:
                        seen_examples.add(key)
                        if intent not in handles:
                            handles[intent] = open(parts / f"{len(handles)}.txt", "w", encoding="utf-8",
                                                   newline="\n")
                        handles[intent].write(f"- {example}\n")
                    step: dict = {"intent": intent}
                    if spans:
                        step["entities"] = [{s["slot"]: s["value"]} for s in spans]
                        entities.update(dict.fromkeys(s["slot"] for s in spans))
                    steps.append(step)
                    flow.append(intent + "(" + ",".join(s["slot"] for s in spans) + ")")
                else:
                    for action in turn["actions"]:
                        if action["kind"] == "api":
                            name = f"action_{action['name']}"
                            actions.setdefault(name)
                        else:
                            name = f"utter_{action['name']}"
                            responses.setdefault(name, action.get("text") or action["name"])
                        steps.append({"action": name})
                        flow.append(name)
            key = _digest("\n".join(flow))
            if key not in seen_flows:
                seen_flows.add(key)
                stories.write(_dump([{"story": record["id"], "steps": steps}]))
    with open(data / "nlu.yml", "w", encoding="utf-8", newline="\n") as nlu:
        nlu.write('version: "3.1"\nnlu:\n')
        for intent, handle in handles.items():
            handle.close()
            nlu.write(f"- intent: {intent}\n  examples: |\n")
            with open(handle.name, encoding="utf-8") as examples:
                for line in examples:
                    nlu.write("    " + line)
            Path(handle.name).unlink()
    parts.rmdir()
    domain = {"version": "3.1", "intents": list(handles), "entities": list(entities),
              "responses": {name: [{"text": text}] for name, text in responses.items()},
              "actions": list(actions)}
    (out / "domain.yml").write_text(_dump(domain), encoding="utf-8")
    return count
