"""Sim-to-real: does a simulated corpus substitute for real dialogues? (not part of CI)

    python bench/sgd.py --sgd-dir DIR [--domains Restaurants,Music] [-n 5000] [--epochs 4]

DIR is a clone of google-research-datasets/dstc8-schema-guided-dialogue; only its
``train`` and ``dev`` splits are read (the test split is kept for release evaluation and
must not tune anything). For each domain's dev-split service S:

1. scenario: ``import_sgd`` of S's dev schema, with the first ``--samples`` (at most 10)
   single-service dev dialogues of S as its sample dialogues (the skill developer's
   few examples; their phrasings are harvested too) and catalogue values from the
   domain's train-split dialogues (slots of the same name);
2. simulated: ``generate`` ``-n`` dialogues; NER (``dialogsim.models``, components
   ``ner``) trained on them alone;
3. real: the same NER trained on the domain's train-split dialogues (``convert_sgd`` of
   every train service of the domain; spans of slots S does not have are dropped, system
   actions S does not know are dropped);
4. both scored on the real user turns of the dev dialogues of S (all of them but the
   sample dialogues): span precision / recall / F1 (exact start, end and slot), the
   gold dialogue history given, as ``dialogsim.models.evaluate`` does.

Prints the table, the ratio sim/real, and the five most common error classes of the
simulated model with examples. Files go to ``--work`` (default: a temporary folder).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

DEV_SERVICES = {"Flights": "Flights_3", "Restaurants": "Restaurants_2", "Events": "Events_1",
                "Movies": "Movies_2", "Music": "Music_1", "Media": "Media_2"}


def _files(split: Path) -> list[Path]:
    return sorted(split.glob("dialogues_*.json"))


def _sample_pool(dev_files: list[Path], service: str, k: int, out: Path) -> list[str]:
    """The first k single-service dev dialogues of the service, written to ``out``."""
    from dialogsim.interop.sgd_format import iter_dialogues

    chosen = []
    for _, dialogue in iter_dialogues(dev_files):
        if dialogue["services"] == [service]:
            chosen.append(dialogue)
            if len(chosen) == k:
                break
    out.write_text(json.dumps(chosen))
    return [d["dialogue_id"] for d in chosen]


def _translate(dialogue, scenario):
    """A dialogue of a sibling service as one of ``scenario``: spans and acts of its slots,
    system actions it knows (without arguments: NER does not read them)."""
    import attrs

    from dialogsim.dialogue import Act, ApiCall, Response, SystemTurn, UserTurn

    slots = set(scenario.slots)
    known = set(scenario.apis) | set(scenario.responses)
    turns = []
    for turn in dialogue.turns:
        if isinstance(turn, UserTurn):
            spans = [s for s in turn.spans if s.slot in slots]
            acts = [a for a in turn.acts
                    if (a.act is not Act.INFORM or a.slot in slots) and (a.api is None or a.api in scenario.apis)
                    and (a.act not in (Act.REQUEST, Act.DONT_CARE) or a.slot is None or a.slot in slots)]
            turns.append(UserTurn(text=turn.text, acts=acts, spans=spans))
        else:
            actions = []
            for action in turn.actions:
                if action.name not in known:
                    continue
                if isinstance(action, ApiCall):
                    actions.append(ApiCall(name=action.name, status=action.status))
                else:
                    actions.append(Response(name=action.name, text=action.text))
            turns.append(SystemTurn(actions=actions))
    return attrs.evolve(dialogue, scenario=scenario.name, turns=turns)


def _span_scores(manager, dialogues, errors: collections.Counter | None = None, examples=None):
    """(tp, predicted, gold) over the user turns, tagging each with the gold history."""
    from dialogsim.dialogue import SystemTurn, UserTurn
    from dialogsim.models.runtime import Session
    from dialogsim.models.state import arg_key

    tp = predicted = gold = 0
    manager.encoder.encode([t.text for d in dialogues for t in d.turns if isinstance(t, UserTurn)])
    for dialogue in dialogues:
        session = Session(manager.scenario)
        turns = dialogue.turns
        for t, turn in enumerate(turns):
            if not isinstance(turn, UserTurn):
                continue
            encoded = manager.encode([turn.text])[0]
            spans = manager.tag(session.state, turn.text, encoded)
            g = {(s.start, s.end, s.slot) for s in turn.spans}
            p = {(s.start, s.end, s.slot) for s in spans}
            tp, predicted, gold = tp + len(g & p), predicted + len(p), gold + len(g)
            if errors is not None:
                for kind in _error_classes(g, p):
                    errors[kind] += 1
                    if len(examples.setdefault(kind, [])) < 2:
                        examples[kind].append((turn.text, sorted(g), sorted(p)))
            manager.begin(session, turn.text, turn.spans, encoded)
            reply = turns[t + 1] if t + 1 < len(turns) and isinstance(turns[t + 1], SystemTurn) else None
            for action in reply.actions if reply is not None else ():
                session.state.record(action, {k: arg_key(a, turns) for k, a in action.args.items()})
            session.state.end_system()
    return tp, predicted, gold


def _error_classes(gold: set, pred: set) -> list[str]:
    out = []
    for s, e, slot in gold - pred:
        near = [q for q in pred if q[0] < e and s < q[1]]
        if any(q[2] == slot for q in near):
            out.append(f"boundary: {slot}")
        elif near:
            out.append(f"wrong slot: {slot} tagged {near[0][2]}")
        else:
            out.append(f"missed: {slot}")
    for s, e, slot in pred - gold:
        if not any(g[0] < e and s < g[1] for g in gold):
            out.append(f"spurious: {slot}")
    return out


def _f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_domain(domain: str, sgd: Path, work: Path, args, errors, examples) -> dict:
    import dialogsim
    from dialogsim.corpus import read_corpus
    from dialogsim.interop.sgd_dialogues import convert_sgd
    from dialogsim.interop.sgd_format import load_schema
    from dialogsim.models import TrainConfig, train

    service = DEV_SERVICES[domain]
    dev_files, train_files = _files(sgd / "dev"), _files(sgd / "train")
    siblings = sorted(s for s in load_schema(sgd / "train" / "schema.json") if s.split("_")[0] == domain)
    folder = work / service
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    samples_file = folder / "dialogues_samples.json"
    sample_ids = set(_sample_pool(dev_files, service, args.samples, samples_file))
    imported = dialogsim.import_sgd(sgd / "dev" / "schema.json", service, [samples_file], samples=args.samples,
                                    value_dialogues=train_files, value_services=siblings)
    scenario_file = folder / f"{imported.name}.yaml"
    scenario_file.write_text(imported.text, encoding="utf-8")
    scenario = dialogsim.load_scenario(scenario_file)
    dialogsim.generate(scenario, args.n, folder / "sim", seed=args.seed, workers=args.workers)

    convert_sgd(sgd / "dev" / "schema.json", service, dev_files, folder / "dev")
    evaluation = [d for d in read_corpus(folder / "dev") if d.id not in sample_ids]
    real = []
    for sibling in siblings:
        convert_sgd(sgd / "train" / "schema.json", sibling, train_files, folder / f"train-{sibling}")
        real += [_translate(d, scenario) for d in read_corpus(folder / f"train-{sibling}")]

    config = TrainConfig(components=("ner",), epochs=args.epochs, validation=0.0, seed=args.seed)
    row = {"domain": domain, "service": service, "train_services": siblings, "samples": len(sample_ids),
           "sim_dialogues": args.n, "real_dialogues": len(real), "eval_dialogues": len(evaluation),
           "warnings": list(imported.warnings)}
    for name, corpus in (("sim", folder / "sim"), ("real", real)):
        model = train(scenario, corpus, folder / f"ner-{name}", config, cache_dir=work / "cache")
        tp, predicted, gold = _span_scores(model.manager, evaluation, errors if name == "sim" else None, examples)
        row[name] = dict(zip(("precision", "recall", "f1"), _f1(tp, predicted, gold)))
        row["eval_spans"] = gold
        print(f"  {domain}: NER on {name}: F1 {row[name]['f1']:.3f} ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr, flush=True)
    row["ratio"] = row["sim"]["f1"] / row["real"]["f1"] if row["real"]["f1"] else float("nan")
    row["seconds"] = round(time.perf_counter() - started)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sgd-dir", type=Path, required=True)
    parser.add_argument("--domains", default=",".join(DEV_SERVICES))
    parser.add_argument("-n", type=int, default=5000, help="simulated dialogues per domain")
    parser.add_argument("--samples", type=int, default=10, help="sample dialogues (at most 10)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args()
    if not 1 <= args.samples <= 10:
        parser.error("--samples must be in 1..10")
    sgd = args.sgd_dir
    for split in ("train", "dev"):
        if not (sgd / split / "schema.json").is_file():
            parser.error(f"{sgd / split}: no schema.json (give a clone of the SGD repository)")
    print(f"SGD at {sgd}: train {len(_files(sgd / 'train'))} dialogue files, dev {len(_files(sgd / 'dev'))} "
          "(the test split is not read)")
    work = args.work or Path(tempfile.mkdtemp(prefix="dialogsim-sgd-bench-"))
    errors: collections.Counter = collections.Counter()
    examples: dict = {}
    rows = []
    for domain in (d.strip() for d in args.domains.split(",") if d.strip()):
        rows.append(run_domain(domain, sgd, work, args, errors, examples))
        if args.json:  # after each domain, so a long run shows its figures as it goes
            args.json.write_text(json.dumps({"rows": rows, "errors": errors.most_common(20),
                                             "examples": examples}, indent=2))
    print(f"\nNER span F1 on the real dev user turns (n={args.n} simulated dialogues, {args.epochs} epochs)\n")
    print(f"{'domain':<12}{'service':<15}{'real train (services)':<34}{'eval dlg':>9}{'spans':>7}"
          f"{'F1 sim':>8}{'F1 real':>9}{'ratio':>7}")
    for r in rows:
        real = f"{r['real_dialogues']} ({', '.join(r['train_services'])})"
        print(f"{r['domain']:<12}{r['service']:<15}{real:<34}{r['eval_dialogues']:>9}{r['eval_spans']:>7}"
              f"{r['sim']['f1']:>8.3f}{r['real']['f1']:>9.3f}{r['ratio']:>7.2f}")
    print("\nMost common error classes of the NER trained on simulated dialogues:")
    for kind, count in errors.most_common(5):
        print(f"  {count:>5}  {kind}")
        for text, gold, pred in examples[kind][:1]:
            print(f"         {text!r}\n         gold {gold}\n         pred {pred}")
    print(f"\nfiles in {work}")


if __name__ == "__main__":
    main()
