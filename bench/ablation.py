"""Does the simulation help? The seed's headline experiment, on our models. Prints figures;
asserts nothing.

(a) *samples only*: the simulator restricted to the API paths of the scenario's sample
    dialogues with every behavioural pattern off (no over/under-informing, revisions,
    denials, "don't care", anaphora, result questions, empty results or failures, offers
    always accepted) -- the samples' happy flows, with slot values and phrasings resampled
    from the catalogues and templates, and no new dialogue flows;
(b) *simulated*: the full simulation with the scenario's own settings;
both of the same size, the same training settings, evaluated on the same held-out
simulated test set (another seed, held-out values). The figure is turn-level
action-signature accuracy -- the turn's actions and all their arguments right (turn exact
match) -- and the relative gain of (b) over (a).

    nice -n 10 python bench/ablation.py --scenario flights > ablation-flights.txt 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import attrs

import dialogsim
from dialogsim.config import SimulationConfig

_PATTERNS_OFF = dict(over_inform=0.0, under_inform=0.0, change_of_mind=0.0, deny_confirmation=0.0, dont_care=0.0,
                     anaphora=0.0, request_field=0.0, empty_result=0.0, api_failure=0.0, give_up=0.0,
                     accept_offer=1.0, graph_path_weight=0.0)


def samples_only(config: SimulationConfig) -> SimulationConfig:
    """The scenario's simulation settings with only the samples' happy flows left."""
    return attrs.evolve(config, **_PATTERNS_OFF)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="flights")
    parser.add_argument("--size", type=int, default=2000, help="training dialogues of each arm")
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()

    import torch

    from dialogsim.models.metrics import evaluate
    from dialogsim.models.training import TrainConfig, train

    torch.set_num_threads(args.threads)
    work = Path(args.work or tempfile.mkdtemp(prefix="dialogsim-bench-ablation-"))
    scenario = dialogsim.load_scenario(dialogsim.scenarios.path(args.scenario))
    print(f"load average at start: {os.getloadavg()}, torch threads: {args.threads}", flush=True)
    test_dir = work / "test"
    dialogsim.generate(scenario, args.test, test_dir, seed=2, holdout=args.holdout, split="test")
    test = list(dialogsim.read_corpus(test_dir))
    results = {}
    for arm, config in (("samples_only", samples_only(scenario.simulation)), ("simulated", scenario.simulation)):
        corpus = work / arm
        dialogsim.generate(scenario, args.size, corpus, seed=1, holdout=args.holdout, split="train", config=config)
        started = time.perf_counter()
        report = train(scenario, str(corpus), work / f"{arm}-model", TrainConfig(epochs=args.epochs),
                       cache_dir=work / "cache")
        metrics = evaluate(report.manager, test).to_json()
        results[arm] = {"turn_exact_match": round(metrics["turn_exact_match"], 4),
                        "action_accuracy": round(metrics["action_accuracy"], 4),
                        "argument_accuracy": round(metrics["argument_accuracy"], 4),
                        "span_f1": round(metrics["span_f1"], 4),
                        "train_seconds": round(time.perf_counter() - started, 1)}
        print(json.dumps({"arm": arm, **results[arm]}), flush=True)
    a, b = results["samples_only"]["turn_exact_match"], results["simulated"]["turn_exact_match"]
    gain = (b - a) / a if a else float("inf")
    print(json.dumps({"scenario": args.scenario, "size": args.size, "test": len(test),
                      "action_signature_accuracy": {"samples_only": a, "simulated": b},
                      "relative_gain": round(gain, 4), "load_average": os.getloadavg()}), flush=True)


if __name__ == "__main__":
    main()
