"""Benchmark of the dialogue-manager models: quality on held-out values, training time,
runtime latency, peak memory. Prints figures; asserts nothing.

For each scenario: generate a training corpus (seed 1, ``--holdout-values 0.2 --split
train``) and a test corpus (seed 2, the same holdout, ``--split test``: values the models
never saw), train with the frozen, cached encoder (a fresh cache, so the encoding counts in
the training time), evaluate on the test corpus, then replay the test customers' turns
through ``Bot.respond`` with an empty cache to time whole runtime turns (encode + NER +
AP/AF until stop, mock backend).

The tagger's misses on the test corpus are classified (``span_errors``: a gold span
``missed`` entirely, found with the wrong ``boundary``, found with the ``wrong_slot``; a
``spurious`` span where there is none; with the words most often missed), and span F1 is
measured again with the catalogue matches blinded (``span_f1_outside_catalogue``): the
held-out values are listed in the scenario's catalogue, which the runtime reads, so this
second figure is the one for values no catalogue lists.

    nice -n 10 python bench/models.py --scenarios flights > bench-flights.txt 2>&1 &

Run one scenario per process for a per-scenario peak memory (ru_maxrss is per process).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

import dialogsim

SCENARIOS = ("flights", "restaurants", "music", "movies", "weather")


def span_errors(manager, dialogues) -> dict:
    """NER alone, each user turn tagged after the corpus's history: F1 and its errors."""
    from dialogsim.models.runtime import Session
    from dialogsim.models.state import arg_key, said

    kinds: collections.Counter = collections.Counter()
    missed_words: collections.Counter = collections.Counter()
    tp = predicted = gold_total = 0
    for dialogue in dialogues:
        session = Session(manager.scenario)
        turns = dialogue.turns
        for t, turn in enumerate(turns):
            if turn.speaker != "user":
                continue
            encoded = manager.encode([turn.text])[0]
            gold = {(s.start, s.end, s.slot) for s in turn.spans}
            found = {(s.start, s.end, s.slot) for s in manager.tag(session.state, turn.text, encoded)}
            tp, predicted, gold_total = tp + len(gold & found), predicted + len(found), gold_total + len(gold)
            for start, end, slot in gold - found:
                near = [f for f in found if f[0] < end and f[1] > start]
                kind = ("missed" if not near else "wrong_slot" if any(f[:2] == (start, end) for f in near)
                        else "boundary")
                kinds[f"{kind}:{slot}"] += 1
                missed_words[turn.text[start:end]] += 1
            for start, end, slot in found - gold:
                if not any(g[0] < end and g[1] > start for g in gold):
                    kinds[f"spurious:{slot}"] += 1
            session.state.user(turn.text, turn.spans, said(turn))
            reply = turns[t + 1] if t + 1 < len(turns) and turns[t + 1].speaker == "system" else None
            for action in reply.actions if reply is not None else ():
                session.state.record(action, {k: arg_key(a, turns) for k, a in action.args.items()})
            session.state.end_system()
    p, r = tp / max(predicted, 1), tp / max(gold_total, 1)
    return {"span_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "errors": dict(kinds.most_common()),
            "most_missed": dict(missed_words.most_common(8))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--train", type=int, default=5000, help="training dialogues")
    parser.add_argument("--test", type=int, default=1000, help="test dialogues")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--latency-dialogues", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-gazetteer", action="store_true", help="train the tagger without catalogue matches")
    parser.add_argument("--work", default=None, help="directory for corpora and models [default: a temporary one]")
    args = parser.parse_args()

    import torch

    from dialogsim.bot import Bot
    from dialogsim.models.metrics import evaluate
    from dialogsim.models.runtime import load
    from dialogsim.models.training import TrainConfig, train

    torch.set_num_threads(args.threads)
    work = Path(args.work or tempfile.mkdtemp(prefix="dialogsim-bench-models-"))
    print(f"load average at start: {os.getloadavg()}, cpus: {os.cpu_count()}, torch threads: {args.threads}", flush=True)
    for name in args.scenarios.split(","):
        scenario = dialogsim.load_scenario(dialogsim.scenarios.path(name))
        train_dir, test_dir = work / name / "train", work / name / "test"
        dialogsim.generate(scenario, args.train, train_dir, seed=1, holdout=args.holdout, split="train")
        dialogsim.generate(scenario, args.test, test_dir, seed=2, holdout=args.holdout, split="test")
        cache = work / name / "cache"
        started = time.perf_counter()
        report = train(scenario, str(train_dir), work / name / "model",
                       TrainConfig(epochs=args.epochs, device=args.device, gazetteer=not args.no_gazetteer),
                       cache_dir=cache,
                       on_epoch=lambda r: print(f"  {name} epoch {r.epoch}: loss {r.loss:.3f} "
                                                f"({r.seconds:.1f} s) {r.validation.to_json() if r.validation else ''}",
                                                flush=True))
        train_seconds = time.perf_counter() - started

        manager = load(report.model_dir, device=args.device, cache_dir=cache)
        test = list(dialogsim.read_corpus(test_dir))
        started = time.perf_counter()
        metrics = evaluate(manager, test).to_json()
        eval_seconds = time.perf_counter() - started
        errors = span_errors(manager, test)
        if manager.gazetteer is not None:
            manager.gazetteer = manager.gazetteer.blind()
            outside = span_errors(manager, test)
        else:
            outside = errors

        fresh = load(report.model_dir, device=args.device, cache_dir=work / name / "latency-cache")
        bot = Bot(fresh)
        latencies = []
        for dialogue in test[:args.latency_dialogues]:
            bot.reset()
            for turn in dialogue.turns:
                if turn.speaker == "user":
                    t0 = time.perf_counter()
                    bot.respond(turn.text)
                    latencies.append((time.perf_counter() - t0) * 1000)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures = {
            "scenario": name, "train_dialogues": report.dialogues, "test_dialogues": len(test),
            "span_f1": round(metrics["span_f1"], 4), "action_accuracy": round(metrics["action_accuracy"], 4),
            "argument_accuracy": round(metrics["argument_accuracy"], 4),
            "turn_exact_match": round(metrics["turn_exact_match"], 4),
            "action_sequence_exact_match": round(metrics["action_sequence_exact_match"], 4),
            "dialogue_success": round(metrics["dialogue_success"], 4), "interventions": metrics["interventions"],
            **{k: round(v, 4) for k, v in metrics.items() if k.startswith("categorical_accuracy")},
            "span_errors": errors["errors"], "most_missed": errors["most_missed"],
            "span_f1_outside_catalogue": outside["span_f1"], "span_errors_outside_catalogue": outside["errors"],
            "train_seconds": round(train_seconds, 1), "eval_seconds": round(eval_seconds, 1),
            "turn_latency_ms_p50": round(float(np.percentile(latencies, 50)), 2),
            "turn_latency_ms_p95": round(float(np.percentile(latencies, 95)), 2),
            "latency_turns": len(latencies), "peak_rss_mb": round(peak_mb), "load_average": os.getloadavg(),
        }
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
