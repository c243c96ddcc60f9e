"""Hugging Face dataset folder: ``data/train.jsonl`` plus a dataset card ``README.md``.

One row per user turn -- ``dialogue_id``, ``turn``, ``text``, ``tokens``, ``tags`` (BIO),
``spans``, ``acts`` -- a flat, fixed schema that Arrow reads without guessing (whole
dialogues would not do: API arguments differ from API to API). The card's YAML header
points ``datasets.load_dataset(folder)`` at the file and states the licence; its text names
the scenario, its hash, the seed and how the corpus was made, from the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from dialogsim.interop.export import bio_tags, tokens

__all__ = ["write_hf"]

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _act(act: dict) -> str:
    target = act.get("api") or act.get("slot")
    if act.get("item") is not None:
        target = str(act["item"])
    if "value" in act:  # a value labelled without a span: "inform outdoor_seating=true"
        target = f"{target}={act['value']}"
    return f"{act['act']} {target}" if target else act["act"]


def write_hf(records: Iterable[dict], manifest, out: Path, *, license: str) -> int:
    data = out / "data"
    data.mkdir()
    count = rows = 0
    name = None
    with open(data / "train.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            count += 1
            name = name or record["scenario"]
            for t, turn in enumerate(record["turns"]):
                if turn["speaker"] != "user":
                    continue
                spans = turn.get("spans", [])
                offsets = tokens(turn["text"])
                row = {"dialogue_id": record["id"], "turn": t, "text": turn["text"],
                       "tokens": [turn["text"][s:e] for s, e in offsets], "tags": bio_tags(offsets, spans),
                       "spans": [{k: s[k] for k in ("start", "end", "slot", "type", "value")} for s in spans],
                       "acts": [_act(a) for a in turn["acts"]]}
                handle.write(_ENCODER.encode(row) + "\n")
                rows += 1
    (out / "README.md").write_text(_card(manifest, name, count, rows, license), encoding="utf-8")
    return count


def _card(manifest, name: str | None, dialogues: int, rows: int, license: str) -> str:
    scenario = manifest.scenario if manifest is not None else name or "unknown"
    made = (f"- scenario: `{manifest.scenario}` (sha256 of its file `{manifest.source_hash}`)\n"
            f"- seed: {manifest.seed}\n- dialogues: {manifest.n}\n"
            f"- generator: dialogsim {manifest.dialogsim_version}, corpus format {manifest.format}\n"
            if manifest is not None else
            f"- scenario: `{scenario}`\n- seed: unknown (the corpus has no manifest.json)\n"
            f"- dialogues: {dialogues}\n")
    return (f"---\nlicense: {license}\ntask_categories:\n- token-classification\nlanguage:\n- en\n"
            f"tags:\n- dialogue\n- synthetic\n- dialogsim\npretty_name: dialogsim {scenario}\n"
            f"configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.jsonl\n---\n\n"
            f"# dialogsim corpus: {scenario}\n\n"
            f"Simulated task-oriented dialogues written by dialogsim, exported one row per user turn "
            f"({rows} rows from {dialogues} dialogues).\n\n## How it was made\n\n{made}\n"
            f"## Licence\n\n{license}. If the scenario was imported from a dataset (for example SGD, CC BY-SA 4.0), "
            f"its licence applies to this data too.\n\n"
            f"## Fields\n\n- `dialogue_id`, `turn`: where the user turn is in its dialogue\n"
            f"- `text`, `tokens`, `tags`: the utterance, its tokens and their BIO tags (`B-slot`, `I-slot`, `O`)\n"
            f"- `spans`: character spans with slot, type and canonical value\n"
            f"- `acts`: the user acts (`invoke SearchFlight`, `inform origin`, ...); a value labelled "
            f"without a span rides on its act (`inform outdoor_seating=true`)\n")
