"""dialogsim: scenario files in, annotated dialogue corpora out.

The public API, in the order a user meets it::

    scenario = dialogsim.load_scenario("flights.yaml")
    for dialogue in dialogsim.simulate(scenario, 3, seed=1): print(dialogue.to_line())
    manifest = dialogsim.generate(scenario, 20_000, "corpus/", workers=2)
    dialogsim.corpus_stats("corpus/")
    for dialogue in dialogsim.read_corpus("corpus/"): ...

Names are imported on first use (PEP 562), so ``import dialogsim`` -- and with it
``dialogsim --help`` -- stays fast and never pulls in Faker, numpy, the simulation or torch.
(``generate`` lives in ``dialogsim.generation``: a submodule named ``generate`` would be
bound on the package when imported and shadow the function.)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialogsim._layout import CheckoutStages

__version__ = "0.1.0"

CheckoutStages.install(Path(__file__).resolve().parent)  # a checkout shadowing an installed copy

_LAZY = {
    "load_scenario": "dialogsim.loader",
    "simulate": "dialogsim.generation",
    "generate": "dialogsim.generation",
    "read_corpus": "dialogsim.corpus",
    "read_manifest": "dialogsim.corpus",
    "Manifest": "dialogsim.corpus",
    "corpus_stats": "dialogsim.stats",
    "Scenario": "dialogsim.schema",
    "Dialogue": "dialogsim.dialogue",
    "import_sgd": "dialogsim.interop.sgd_schema",
    "convert_sgd": "dialogsim.interop.sgd_dialogues",
    "export_corpus": "dialogsim.interop.export",
    "SimulationConfig": "dialogsim.config",
    "VariationConfig": "dialogsim.config",
    "load_bot": "dialogsim.bot",
    "DialogsimError": "dialogsim.errors",
    "ScenarioError": "dialogsim.errors",
    "CorpusError": "dialogsim.errors",
    "GenerationError": "dialogsim.errors",
}

__all__ = ["__version__", "errors", "scenarios", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from dialogsim import errors, scenarios
    from dialogsim.bot import load_bot
    from dialogsim.config import SimulationConfig, VariationConfig
    from dialogsim.corpus import Manifest, read_corpus, read_manifest
    from dialogsim.dialogue import Dialogue
    from dialogsim.errors import CorpusError, DialogsimError, GenerationError, ScenarioError
    from dialogsim.generation import generate, simulate
    from dialogsim.interop.export import export_corpus
    from dialogsim.interop.sgd_dialogues import convert_sgd
    from dialogsim.interop.sgd_schema import import_sgd
    from dialogsim.loader import load_scenario
    from dialogsim.schema import Scenario
    from dialogsim.stats import corpus_stats


# dialogsim.scenarios.path("flights"), dialogsim.ray.dialogues(...) without an import
# (dialogsim.ray imports Ray only when called)
_SUBMODULES = ("errors", "scenarios", "ray")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"dialogsim.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dialogsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
