"""The NER, action-prediction and argument-filling models (``dialogsim.models``).

They train on the corpus ``dialogsim generate`` writes and need the ``models`` extra
(torch, transformers, the encoder package). Nothing in the core imports this package,
so generating corpora never imports torch; this module itself is light, and torch is
imported by the entry points below on first use.

- ``train(scenario, corpus, out_dir, TrainConfig(...))`` -> ``TrainReport``; pick the
  components with ``TrainConfig(components=("ner",))`` to train the tagger alone.
- ``load(model_dir)`` -> ``DialogueManager`` (``dialogsim.load_bot`` wraps it in a bot).
- ``evaluate(manager, dialogues)`` -> ``Metrics``.

Modules: ``encoder`` (transformer + embedding cache), ``state`` (dialogue state,
candidates, consistency check), ``features`` (vocabularies, feature vectors, BIO),
``networks`` (the three torch modules), ``training``, ``runtime``, ``metrics``,
``checkpoint`` (the model directory), ``errors``.
"""

from __future__ import annotations

import importlib
from typing import Any

from dialogsim._layout import require_name

require_name(__name__, "dialogsim.models")

__all__ = ["train", "TrainConfig", "TrainReport", "load", "DialogueManager", "evaluate", "Metrics", "ModelError"]

_LAZY = {
    "train": "training", "TrainConfig": "training", "TrainReport": "training",
    "load": "runtime", "DialogueManager": "runtime",
    "evaluate": "metrics", "Metrics": "metrics",
    "ModelError": "errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dialogsim.models' has no attribute {name!r}")
    if module != "errors":
        from dialogsim.models.errors import require_torch

        require_torch()
    return getattr(importlib.import_module(f"dialogsim.models.{module}"), name)
