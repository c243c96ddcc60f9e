"""The trained dialogue manager: NER, then action prediction and argument filling until
``stop``, each proposal made valid by the consistency check.

``DialogueManager`` (from ``load(model_dir)``) runs one system turn with ``turn(session,
text, call)``: ``call(api, args) -> (ApiStatus, result)`` answers the API calls -- the mock
backend or the user's own handlers, supplied by the orchestration layer (``dialogsim.bot``),
never imported here. ``Session`` is one conversation's state. The lower-level steps
(``tag``, ``recognise``, ``begin``, ``propose``, ``fill``) are what evaluation drives with the corpus's
history in place of the manager's own.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping, Sequence

import attrs
import numpy as np
import torch

from dialogsim.dialogue import ActRef, ApiRef, ApiStatus, Arg, Span, SpanRef
from dialogsim.models.checkpoint import ENCODER_DIR, SCENARIO, WEIGHTS, read_config
from dialogsim.models.encoder import Encoded, Encoder, cache_root, resolve_device
from dialogsim.models.errors import ModelError
from dialogsim.models.features import SHAPE_SIZE, Features, Gazetteer, Vocab, decode_spans, token_features
from dialogsim.models.networks import AFFIRM_LABELS, Networks
from dialogsim.models.state import STOP, Candidate, DialogueState, Proposal, Said, check
from dialogsim.schema import Scenario

__all__ = ["MAX_ACTIONS", "Session", "TurnResult", "DialogueManager", "load", "to_arg"]

MAX_ACTIONS = 8  # actions in one system turn; a model stuck in a loop is stopped here
_TRIES = 6  # ranked actions tried before the turn gives up

Call = Callable[[str, Mapping[str, Arg]], "tuple[ApiStatus, Mapping[str, Any]]"]


class Session:
    """One conversation: the dialogue state and the turn-level LSTM's memory."""

    def __init__(self, scenario: Scenario) -> None:
        self.state = DialogueState(scenario)
        self.memory = None
        self.previous = None  # the last user turn's utterance encoding
        self.interventions = 0

    def fork(self) -> "Session":
        """An independent copy (evaluation predicts from the corpus's history, then drops it)."""
        other = Session.__new__(Session)
        other.state = self.state.copy()
        other.memory = self.memory
        other.previous = self.previous
        other.interventions = self.interventions
        return other


@attrs.frozen
class TurnResult:
    """What the manager did on one user turn: the spans it recognised, the values said
    without a span it recognised (``(act, slot, value)``: ``act`` as ``recognise`` gives
    it), the actions it took (``Proposal`` with candidate arguments), their API answers,
    and how many proposals the consistency check changed."""

    spans: tuple[Span, ...]
    actions: tuple[Proposal, ...]
    answers: tuple[Any, ...]  # (status, result) per action; None for a response
    interventions: int
    values: tuple[Said, ...] = ()


def to_arg(state: DialogueState, cand: Candidate) -> Arg:
    """A candidate as the corpus ``Arg`` (value and ``ref``) of the state's dialogue. A
    value said without a span points at its act with the act index the state holds for it
    (``DialogueState.user``): the corpus's own for a corpus turn, and for a turn the
    runtime recognised the value's place among the values recognised in that turn
    (``DialogueManager.recognise``), which is not the corpus's index (that counts every act
    of the turn, in the customer's order, which no text shows). Evaluation compares
    candidates by turn, slot and value (``models.state.said_key``), never by that index."""
    if cand.key[0] == "span":
        _, turn, start, end = cand.key
        spans = state.turns[turn][2]
        index = next(i for i, s in enumerate(spans) if (s.start, s.end) == (start, end))
        return Arg(value=cand.value, ref=SpanRef(turn, index))
    if cand.key[0] == "act":
        _, turn, slot, value = cand.key
        act = next(i for i, s, v in state.turns[turn][3] if (s, v) == (slot, value))
        return Arg(value=cand.value, ref=ActRef(turn, act))
    if cand.key[0] == "api":
        _, turn, action, item = cand.key
        return Arg(value=cand.value, ref=ApiRef(turn, action, item))
    return Arg(value=cand.value, ref=None)


class DialogueManager:
    def __init__(self, scenario: Scenario, vocab: Vocab, encoder: Encoder, networks: Networks,
                 config: Mapping[str, Any] | None = None) -> None:
        self.scenario = scenario
        self.vocab = vocab
        # Models trained before the reworded-slot feature read their vectors without it.
        self.features = Features(vocab)
        if networks.predictor.turn_in.in_features != encoder.dim + self.features.turn_size:
            self.features = Features(vocab, reworded=False)
        self.encoder = encoder
        self.networks = networks
        self.config = dict(config or {})
        self.device = encoder.device
        self._tags = vocab.tags
        # A model trained with catalogue matches reads them here too (older ones without).
        self.gazetteer = Gazetteer(scenario, vocab.slots) if networks.tagger.token > SHAPE_SIZE else None

    # -- pieces -----------------------------------------------------------------------
    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.asarray(array, np.float32)).to(self.device)

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        return self.encoder.encode(texts, persist=False)

    @torch.no_grad()
    def tag(self, state: DialogueState, text: str, encoded: Encoded) -> list[Span]:
        """The spans of ``text``, a user turn about to be added to ``state``."""
        states = encoded.states.float().unsqueeze(0).to(self.device)
        mask = torch.ones(states.shape[:2], dtype=torch.bool, device=self.device)
        context = self._tensor(self.features.context(state)).unsqueeze(0)
        tokens = self._tensor(token_features(text, encoded.offsets, self.gazetteer)).unsqueeze(0)
        ids = self.networks.tagger(states, mask, context, tokens)[0].argmax(-1).tolist()
        return decode_spans(text, encoded.offsets, [self._tags[i] for i in ids], self.scenario, self.gazetteer)

    @torch.no_grad()
    def recognise(self, state: DialogueState, encoded: Encoded) -> tuple[Said, ...]:
        """The values said without a span in a user turn about to be added to ``state``
        ("yes" to "Do you want outdoor seating?" is outdoor seating true), as
        ``(act, slot, value)``, at most one per slot, in the order of the tracker's slots
        (``Vocab.values``). ``act`` is the value's place among them (0, 1, ...), and so the
        act index of the ``ActRef`` an argument filled with it gets (``to_arg``): the
        runtime recognises values, not acts, so it cannot write the corpus's index of the
        INFORM (the customer's acts in its order: the invoke, other informs, a don't care).
        ``evaluate`` matches a value by turn, slot and value, so the index never counts."""
        tracker = self.networks.tracker
        if tracker is None:
            return ()
        states = encoded.states.float().unsqueeze(0).to(self.device)
        mask = torch.ones(states.shape[:2], dtype=torch.bool, device=self.device)
        context = self._tensor(self.features.context(state)).unsqueeze(0)
        logits = tracker(encoded.pooled().float().unsqueeze(0).to(self.device), states, mask, context)[0]
        out: list[Said] = []
        for slot, first, values in self.features.value_slices:
            choice = int(logits[first:first + 1 + len(values)].argmax())
            if choice:
                out.append((len(out), slot, values[choice - 1]))
        return tuple(out)

    @torch.no_grad()
    def begin(self, session: Session, text: str, spans: Sequence[Span], encoded: Encoded, values: Sequence[Said] = ()):
        """Add the user turn (its spans and its ``values`` said without a span) to the
        session; the dialogue state vector, the utterances (this turn's and the previous
        one's encodings, what argument filling reads) and whether the customer affirmed."""
        session.state.user(text, spans, values)
        utterance = encoded.pooled().to(self.device)
        turn = self._tensor(self.features.turn(session.state))
        hidden, session.memory = self.networks.predictor.step_turn(utterance, turn, session.memory)
        affirmed = AFFIRM_LABELS[int(self.networks.predictor.affirm(utterance).argmax())] == "affirm"
        previous = torch.zeros_like(utterance) if session.previous is None else session.previous
        session.previous = utterance
        return hidden, torch.cat([utterance, previous]), affirmed

    @torch.no_grad()
    def propose(self, state: DialogueState, hidden, utterance, affirmed: bool) -> tuple[Proposal, str]:
        """The next action, valid, and the name the action model ranked first. When the
        consistency check rejects the first choice outright, the next choices are tried in
        the model's order; a system turn never ends before it has said something."""
        logits = self.networks.predictor(hidden.unsqueeze(0), self._tensor(self.features.step(state)).unsqueeze(0))[0]
        ranked = [self.vocab.actions[i] for i in logits.argsort(descending=True).tolist()]
        if len(state.current) >= MAX_ACTIONS:
            return Proposal(name=STOP, intervened=ranked[0] != STOP), ranked[0]
        for rank, name in enumerate(ranked[:_TRIES]):
            if name == STOP:
                if state.current:
                    return Proposal(name=STOP, intervened=rank > 0), ranked[0]
                continue
            if any(a[0] == name for a in state.current):
                continue  # the same action twice in a turn: a loop
            proposal = check(state, name, self.fill(state, hidden, utterance, name), affirmed=affirmed)
            if proposal.name != STOP:
                return attrs.evolve(proposal, intervened=proposal.intervened or rank > 0), ranked[0]
        return Proposal(name=STOP, intervened=True), ranked[0]

    @torch.no_grad()
    def fill(self, state: DialogueState, hidden, utterance, name: str) -> dict[str, Candidate]:
        """The best type-compatible candidate of each argument of action ``name``."""
        names = [a for a in state.arg_names(name) if a in self.features.arg]
        pools = [state.candidates(name, a) for a in names]
        rows = [(a, pool) for a, pool in zip(names, pools) if pool]
        if not rows:
            return {}
        scores = self.score(state, hidden, utterance, name, rows)
        return {a: pool[int(s[:len(pool)].argmax())] for (a, pool), s in zip(rows, scores)}

    def score(self, state: DialogueState, hidden, utterance, name: str, rows):
        width = max(len(pool) for _, pool in rows)
        feats = np.zeros((len(rows), width, self.features.candidate_size), np.float32)
        mask = np.zeros((len(rows), width), bool)
        for r, (arg, pool) in enumerate(rows):
            for c, cand in enumerate(pool):
                feats[r, c] = self.features.candidate(state, cand, arg)
            mask[r, :len(pool)] = True
        n = len(rows)
        return self.networks.filler(
            hidden.unsqueeze(0).expand(n, -1), utterance.unsqueeze(0).expand(n, -1),
            torch.full((n,), self.features.action[name], dtype=torch.long, device=self.device),
            torch.tensor([self.features.arg[a] for a, _ in rows], dtype=torch.long, device=self.device),
            self._tensor(feats), torch.from_numpy(mask).to(self.device))

    # -- a whole turn -----------------------------------------------------------------
    def turn(self, session: Session, text: str, call: Call, *, spans: Sequence[Span] | None = None,
             values: Sequence[Said] | None = None) -> TurnResult:
        """Answer one user turn: recognise its spans and values said without a span (or
        take ``spans`` and ``values``), then act until ``stop``; API calls go to ``call``."""
        encoded = self.encode([text])[0]
        if spans is None:
            spans = self.tag(session.state, text, encoded)
        if values is None:
            values = self.recognise(session.state, encoded)
        hidden, utterance, affirmed = self.begin(session, text, spans, encoded, values)
        state = session.state
        taken: list[Proposal] = []
        answers: list = []
        changed = 0
        while True:
            proposal, _ = self.propose(state, hidden, utterance, affirmed)
            changed += proposal.intervened
            if proposal.name == STOP:
                break
            keys = {k: c.key for k, c in proposal.args.items()}
            if proposal.name in self.scenario.apis:
                status, result = call(proposal.name, {k: to_arg(state, c) for k, c in proposal.args.items()})
                state.act(proposal.name, keys, ApiStatus(status), result)
                answers.append((ApiStatus(status), result))
            else:
                state.act(proposal.name, keys)
                answers.append(None)
            taken.append(proposal)
        state.end_system()
        session.interventions += changed
        return TurnResult(spans=tuple(spans), actions=tuple(taken), answers=tuple(answers), interventions=changed,
                          values=tuple(values))


def load(model_dir: str | os.PathLike, *, device: str = "cpu", cache_dir=None) -> DialogueManager:
    """A trained dialogue manager from its model directory (checked: ``ModelError`` for an
    incomplete one, another format version or an altered scenario)."""
    from pathlib import Path

    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from dialogsim.errors import ScenarioError
    from dialogsim.loader import load_scenario

    path = Path(model_dir)
    config = read_config(path)
    try:
        scenario = load_scenario(path / SCENARIO)
    except ScenarioError as exc:
        raise ModelError(f"{path / SCENARIO}: the stored scenario does not load: {exc}") from None
    resolve_device(device)
    enc = config["encoder"]
    source = path / ENCODER_DIR if enc.get("finetuned") else enc.get("name")
    encoder = Encoder(source, device=device, cache_dir=None if enc.get("finetuned") else (cache_dir or cache_root()))
    if not enc.get("finetuned") and encoder.identity != enc.get("identity"):
        raise ModelError(f"{path / 'config.json'}: encoder: {enc.get('name')!r} is not the encoder this model was "
                         f"trained with (weights differ)")
    vocab = Vocab.from_json(config["vocab"])
    networks = Networks(**config["sizes"])
    try:
        weights = load_file(str(path / WEIGHTS))
        networks.load_state_dict(weights, strict=True)
    except (SafetensorError, OSError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise ModelError(f"{path / WEIGHTS}: unreadable or does not fit the config: {first}") from None
    networks.to(encoder.device).eval()
    return DialogueManager(scenario, vocab, encoder, networks, config)
