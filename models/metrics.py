"""How well a dialogue manager does on a corpus: ``evaluate(manager, dialogues) -> Metrics``.

Every user turn is predicted from the corpus's history (the turns before it as the corpus
has them), so one early mistake costs one turn, not the rest of the dialogue:

- spans: the NER's spans against the corpus's (start, end, slot): precision, recall, F1;
- categorical accuracy (scenarios with slots labelled without a span): per user turn and
  such slot, the value tracker's value against the value the corpus's INFORM act carries,
  over the turns where either says one ("not said" by both is not counted), per slot and
  over all;
- action accuracy and argument accuracy: step by step along the corpus's action sequence
  (its ``stop`` included), the action the manager would take and the candidate it fills
  each argument with, against the corpus's action and ``ref``;
- action-sequence exact match and turn exact match: the manager runs the turn on its own
  (its spans, its actions fed back, API answers taken from the corpus where its call is
  the corpus's) -- the action names right, and names and every argument right;
- dialogue success: every turn of the dialogue exactly right; interventions: proposals the
  consistency check changed in those runs.
"""

from __future__ import annotations

from typing import Callable, Iterable

import attrs

from dialogsim.dialogue import ApiCall, ApiStatus, Dialogue, SystemTurn, UserTurn
from dialogsim.models.runtime import DialogueManager, Session
from dialogsim.models.state import STOP, UNRESOLVED_KEY, arg_key, said

__all__ = ["Metrics", "evaluate"]


def _ratio(hit: int, total: int) -> float:
    return hit / total if total else 0.0


@attrs.frozen(kw_only=True)
class Metrics:
    span_tp: int = 0
    span_predicted: int = 0
    span_gold: int = 0
    actions_right: int = 0
    actions: int = 0
    args_right: int = 0
    args: int = 0
    sequences_right: int = 0
    turns_right: int = 0
    turns: int = 0
    dialogues_right: int = 0
    dialogues: int = 0
    interventions: int = 0
    # Per slot labelled without a span: (slot, turns right, turns either said a value).
    categorical: tuple[tuple[str, int, int], ...] = ()

    @property
    def span_precision(self) -> float:
        return _ratio(self.span_tp, self.span_predicted)

    @property
    def span_recall(self) -> float:
        return _ratio(self.span_tp, self.span_gold)

    @property
    def span_f1(self) -> float:
        p, r = self.span_precision, self.span_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def categorical_accuracy(self) -> float:
        return _ratio(sum(r for _, r, _ in self.categorical), sum(n for _, _, n in self.categorical))

    def to_json(self) -> dict:
        out = {
            "span_precision": self.span_precision, "span_recall": self.span_recall, "span_f1": self.span_f1,
            "action_accuracy": _ratio(self.actions_right, self.actions),
            "action_sequence_exact_match": _ratio(self.sequences_right, self.turns),
            "argument_accuracy": _ratio(self.args_right, self.args),
            "turn_exact_match": _ratio(self.turns_right, self.turns),
            "dialogue_success": _ratio(self.dialogues_right, self.dialogues),
            "interventions": self.interventions,
            "counts": {"dialogues": self.dialogues, "turns": self.turns, "actions": self.actions, "args": self.args,
                       "gold_spans": self.span_gold, "predicted_spans": self.span_predicted},
        }
        if self.categorical:
            out["categorical_accuracy"] = self.categorical_accuracy
            out.update((f"categorical_accuracy_{slot}", _ratio(r, n)) for slot, r, n in self.categorical)
        return out


def evaluate(manager: DialogueManager, dialogues: Iterable[Dialogue],
             progress: Callable[[int], None] | None = None) -> Metrics:
    """Score ``manager`` on ``dialogues`` (module docstring for what each figure means)."""
    dialogues = list(dialogues)
    manager.encoder.encode([t.text for d in dialogues for t in d.turns if isinstance(t, UserTurn)])
    counts = dict.fromkeys((f for f in attrs.fields_dict(Metrics) if f != "categorical"), 0)
    categorical = {slot: [0, 0] for slot, _ in manager.vocab.values}  # slot -> [right, scored]
    for dialogue in dialogues:
        all_right = _dialogue(manager, dialogue, counts, categorical)
        counts["dialogues"] += 1
        counts["dialogues_right"] += all_right
        if progress is not None:
            progress(1)
    return Metrics(**counts, categorical=tuple((slot, r, n) for slot, (r, n) in categorical.items()))


def _dialogue(manager: DialogueManager, dialogue: Dialogue, counts: dict, categorical: dict) -> bool:
    turns = dialogue.turns
    session = Session(manager.scenario)
    all_right = True
    for t, turn in enumerate(turns):
        if not isinstance(turn, UserTurn):
            continue
        encoded = manager.encode([turn.text])[0]
        spans = manager.tag(session.state, turn.text, encoded)
        gold_spans = {(s.start, s.end, s.slot) for s in turn.spans}
        counts["span_tp"] += len(gold_spans & {(s.start, s.end, s.slot) for s in spans})
        counts["span_predicted"] += len(spans)
        counts["span_gold"] += len(gold_spans)
        values = manager.recognise(session.state, encoded)
        given = said(turn)
        found, gold_values = {s: v for _, s, v in values}, {s: v for _, s, v in given}
        for slot, tally in categorical.items():
            if slot in found or slot in gold_values:
                tally[0] += found.get(slot) == gold_values.get(slot)
                tally[1] += 1
        after = turns[t + 1] if t + 1 < len(turns) else None
        reply = after if isinstance(after, SystemTurn) else SystemTurn(actions=())
        gold = [(a.name, {k: arg_key(arg, turns) for k, arg in a.args.items()}) for a in reply.actions]
        _teacher_forced(manager, session.fork(), turn.text, spans, values, encoded, reply, turns, counts)

        free = session.fork()

        def oracle(name, args):
            position = len(free.state.current)  # the call about to be recorded
            action = reply.actions[position] if position < len(reply.actions) else None
            if isinstance(action, ApiCall) and action.name == name:
                return action.status, action.result
            return ApiStatus.FAILURE, {}  # not the corpus's call: the turn is wrong already

        result = manager.turn(free, turn.text, oracle, spans=spans, values=values)
        predicted = [(p.name, {k: c.key for k, c in p.args.items()}) for p in result.actions]
        predicted = _unscored(predicted, gold)
        counts["interventions"] += result.interventions
        counts["turns"] += 1
        counts["sequences_right"] += [n for n, _ in predicted] == [n for n, _ in gold]
        right = predicted == gold
        counts["turns_right"] += right
        all_right &= right
        # On with the corpus's history.
        manager.begin(session, turn.text, turn.spans, encoded, given)
        for action, (_, keys) in zip(reply.actions, gold):  # unresolved args recorded as such
            session.state.record(action, keys)
        session.state.end_system()
    return all_right


def _teacher_forced(manager, session: Session, text, spans, values, encoded, reply: SystemTurn, turns,
                    counts: dict) -> None:
    hidden, utterance, affirmed = manager.begin(session, text, spans, encoded, values)
    state = session.state
    for action in (*reply.actions, None):
        proposal, _ = manager.propose(state, hidden, utterance, affirmed)
        name = STOP if action is None else action.name
        counts["actions"] += 1
        counts["actions_right"] += proposal.name == name
        if action is None:
            break
        filled = manager.fill(state, hidden, utterance, action.name) if action.args else {}
        keys = {}
        for arg_name, arg in action.args.items():
            keys[arg_name] = arg_key(arg, turns)
            if arg.unresolved:  # the corpus does not say where it came from: not scored
                continue
            counts["args"] += 1
            counts["args_right"] += arg_name in filled and filled[arg_name].key == keys[arg_name]
        state.record(action, keys)


def _unscored(predicted: list, gold: list) -> list:
    """``predicted`` with the gold's unresolved arguments in step: an argument whose
    source the corpus does not show is right whatever the models filled."""
    out = []
    for i, (name, args) in enumerate(predicted):
        if i < len(gold) and gold[i][0] == name:
            args = dict(args)
            for k, key in gold[i][1].items():
                if key == UNRESOLVED_KEY:
                    args[k] = key
        out.append((name, args))
    return out
