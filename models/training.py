"""Training the dialogue manager on a corpus: ``train(scenario, corpus, out_dir)``.

Each corpus dialogue is replayed once through a ``DialogueState`` into an ``Example``: per
user turn the NER context, BIO labels, turn features and affirm/deny label; per step of
each system turn (its implicit ``stop`` included) the step features and the action; per
argument the candidate features and the index of the corpus ``ref`` among them; per user
turn and slot labelled without a span, the value its INFORM act carries (if any), which
the value tracker learns beside the tagger (the ``ner`` component: both recognise). Epochs
then only shuffle and batch those arrays; a frozen encoder's states come from the
embedding cache, so no text is encoded twice. ``components`` picks which of NER, AP
and AF learn (``("ner",)`` trains a tagger alone, e.g. on a corpus converted from another
dataset); the others keep their initial weights and the model directory says so.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import attrs
import numpy as np

from dialogsim._attrs import frozen_tuple
from dialogsim.dialogue import Act, Dialogue, UserTurn
from dialogsim.models.checkpoint import ENCODER_DIR, WEIGHTS, check_target, write_model_dir
from dialogsim.models.encoder import Encoder, cache_root
from dialogsim.models.errors import ModelError
from dialogsim.models.features import SHAPE_SIZE, Features, Gazetteer, Vocab, bio_labels, token_features
from dialogsim.models.metrics import Metrics, evaluate
from dialogsim.models.networks import AFFIRM_LABELS, Networks
from dialogsim.models.runtime import DialogueManager
from dialogsim.models.state import STOP, DialogueState, arg_key, said
from dialogsim.schema import Scenario

__all__ = ["COMPONENTS", "TrainConfig", "EpochReport", "TrainReport", "train", "read_dialogues"]

COMPONENTS = ("ner", "ap", "af")
_MAX_VALIDATION = 200  # dialogues: enough for a figure, cheap enough for every epoch
# Training noise that makes the tagger generalise to values it never saw: the catalogue
# matches are hidden from a share of the utterances (values outside the catalogue have
# none), and so is capitalisation (customers type "play blinding lights"; "tapas" is a
# value in lower case). A share of the word pieces inside spans take the encoder state
# of another word of the batch, with their catalogue match kept: the tagger meets words it
# never saw in a value's place, as it will at runtime, and learns to find them from the
# catalogue, the context and the shape. Other word pieces are swapped too, more rarely,
# so that a swapped word is not in itself a sign of a value.
_GAZETTEER_DROP = 0.3
_CASE_DROP = 0.25
_VALUE_SWAP = 0.5
_WORD_SWAP = 0.1


@attrs.frozen(kw_only=True)
class TrainConfig:
    """Hyper-parameters. ``validation``: the fraction of the corpus held out for the
    per-epoch figures (at most 200 dialogues); ``components``: which models learn;
    ``gazetteer``: the tagger reads which words match the scenario's catalogue values."""

    epochs: int = attrs.field(default=8, validator=attrs.validators.ge(1))
    batch_size: int = attrs.field(default=16, validator=attrs.validators.ge(1))  # dialogues
    learning_rate: float = 2e-3
    encoder_learning_rate: float = 3e-5
    hidden: int = 128
    validation: float = attrs.field(default=0.05, validator=[attrs.validators.ge(0.0), attrs.validators.lt(1.0)])
    seed: int = 0
    device: str = "cpu"
    encoder: str | None = None  # None: the packaged all-MiniLM-L6-v2
    finetune: bool = False
    components: tuple[str, ...] = attrs.field(default=COMPONENTS, converter=frozen_tuple)
    gazetteer: bool = True

    @components.validator
    def _known(self, attribute, value):
        unknown = [c for c in value if c not in COMPONENTS]
        if unknown or not value:
            raise ValueError(f"components must be a non-empty subset of {COMPONENTS}, got {value!r}")


@attrs.frozen
class EpochReport:
    epoch: int
    loss: float  # mean training loss of the epoch
    validation: Metrics | None
    seconds: float


@attrs.frozen
class TrainReport:
    model_dir: Path
    epochs: tuple[EpochReport, ...]
    losses: tuple[float, ...]  # per batch, in order: what a test watches fall
    dialogues: int
    seconds: float
    manager: DialogueManager  # the trained manager, in memory, as loading the directory gives it


@attrs.frozen
class Example:
    """One training dialogue as the arrays the three models learn from."""

    texts: list[int]  # user turns' text ids
    labels: list[np.ndarray]
    tokens: list[np.ndarray]  # per user turn: token features
    contexts: np.ndarray
    turns: np.ndarray
    affirm: np.ndarray
    step_k: np.ndarray
    steps: np.ndarray
    step_y: np.ndarray
    values: np.ndarray  # per user turn, per spanless slot: the tracker's class (Features.value_labels)
    fill_k: list[int] = attrs.field(factory=list)
    fill_action: list[int] = attrs.field(factory=list)
    fill_arg: list[int] = attrs.field(factory=list)
    fill_cands: list[np.ndarray] = attrs.field(factory=list)
    fill_y: list[int] = attrs.field(factory=list)


def read_dialogues(scenario: Scenario, corpus) -> list[Dialogue]:
    """The corpus (a directory, or Dialogue values) as a list; ``ModelError`` when a
    dialogue belongs to another scenario."""
    if isinstance(corpus, (str, os.PathLike)):
        from dialogsim.corpus import read_corpus

        dialogues = list(read_corpus(corpus))
        where = str(corpus)
    else:
        dialogues = list(corpus)
        where = "corpus"
    for d in dialogues:
        if d.scenario != scenario.name:
            raise ModelError(f"{where}: dialogue {d.id!r} is of scenario {d.scenario!r}, "
                             f"but the model is for {scenario.name!r}")
    if not dialogues:
        raise ModelError(f"{where}: no dialogues to learn from")
    return dialogues


def _affirm_label(turn: UserTurn) -> int:
    if turn.has(Act.AFFIRM):
        return AFFIRM_LABELS.index("affirm")
    if turn.has(Act.DENY):
        return AFFIRM_LABELS.index("deny")
    return 0


def _example(dialogue: Dialogue, scenario: Scenario, features: Features, text_id: dict[str, int],
             offsets: dict[str, np.ndarray], gazetteer: Gazetteer | None) -> Example | None:
    state = DialogueState(scenario)
    texts: list[int] = []
    labels: list[np.ndarray] = []
    tokens: list[np.ndarray] = []
    contexts: list[np.ndarray] = []
    user_turns: list[np.ndarray] = []
    affirm: list[int] = []
    step_k: list[int] = []
    steps: list[np.ndarray] = []
    step_y: list[int] = []
    fill_k: list[int] = []
    fill_action: list[int] = []
    fill_arg: list[int] = []
    fill_cands: list[np.ndarray] = []
    fill_y: list[int] = []
    values: list[np.ndarray] = []
    turns = dialogue.turns
    for turn in turns:
        if isinstance(turn, UserTurn):
            contexts.append(features.context(state))
            given = said(turn)
            values.append(features.value_labels(given))
            state.user(turn.text, turn.spans, given)
            texts.append(text_id[turn.text])
            labels.append(bio_labels(offsets[turn.text], turn.spans, features.tag))
            tokens.append(token_features(turn.text, offsets[turn.text], gazetteer))
            user_turns.append(features.turn(state))
            affirm.append(_affirm_label(turn))
            continue
        if not texts:
            continue  # a system turn before the customer spoke: nothing to predict it from
        k = len(texts) - 1
        for action in (*turn.actions, None):
            step_k.append(k)
            steps.append(features.step(state))
            step_y.append(features.action[STOP if action is None else action.name])
            if action is None:
                break
            keys = {}
            for name, arg in action.args.items():
                keys[name] = arg_key(arg, turns)  # unresolved: in no pool, so no target
                pool = state.candidates(action.name, name)
                target = next((i for i, c in enumerate(pool) if c.key == keys[name]), None)
                if target is None or name not in features.arg:
                    continue
                fill_k.append(k)
                fill_action.append(features.action[action.name])
                fill_arg.append(features.arg[name])
                fill_cands.append(np.stack([features.candidate(state, c, name) for c in pool]))
                fill_y.append(target)
            state.record(action, keys)
        state.end_system()
    if not texts:
        return None
    return Example(texts=texts, labels=labels, tokens=tokens, contexts=np.stack(contexts), turns=np.stack(user_turns),
                   affirm=np.asarray(affirm, np.int64), step_k=np.asarray(step_k, np.int64),
                   steps=np.stack(steps) if steps else np.zeros((0, features.step_size), np.float32),
                   step_y=np.asarray(step_y, np.int64), values=np.stack(values), fill_k=fill_k, fill_action=fill_action, fill_arg=fill_arg,
                   fill_cands=fill_cands, fill_y=fill_y)


def _scenario_text(scenario: Scenario) -> str:
    try:
        return Path(scenario.path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise ModelError(f"{scenario.path}: the scenario's file cannot be read; training stores its text in the "
                         f"model directory, so load the scenario from a file") from None


class _Batcher:
    """Turns a batch of examples into tensors and the summed loss of the chosen components."""

    def __init__(self, networks: Networks, encoder: Encoder, texts: Sequence[str], components, device,
                 rng: np.random.Generator, features: Features) -> None:
        import torch

        self.torch = torch
        self.features = features
        self.rng = rng
        self.networks = networks
        self.encoder = encoder
        self.texts = texts
        self.components = set(components)
        self.device = device
        self.frozen = not encoder.trainable
        if self.frozen:
            self.encoded = encoder.encode(texts)
            self.pooled = torch.stack([e.pooled() for e in self.encoded]).to(device)

    def embed(self, ids: list[int]):
        torch = self.torch
        if not self.frozen:
            states, mask, _ = self.encoder.forward([self.texts[i] for i in ids])
            mask = mask.to(self.device).bool()
            pooled = (states * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            return pooled, states, mask
        width = max(len(self.encoded[i].offsets) for i in ids)
        states = torch.zeros((len(ids), width, self.encoder.dim))
        mask = torch.zeros((len(ids), width), dtype=torch.bool)
        for row, i in enumerate(ids):
            n = len(self.encoded[i].offsets)
            states[row, :n] = self.encoded[i].states.float()
            mask[row, :n] = True
        return self.pooled[ids], states.to(self.device), mask.to(self.device)

    def _swap(self, states, labels: np.ndarray):
        """``states`` with some word pieces' states swapped for others' (``_VALUE_SWAP``)."""
        real = np.argwhere(labels != -100)
        rate = np.where(labels > 0, _VALUE_SWAP, _WORD_SWAP)  # tag 0 is O
        swap = np.argwhere((labels != -100) & (self.rng.random(labels.shape) < rate))
        if not len(swap) or not len(real):
            return states
        source = real[self.rng.integers(len(real), size=len(swap))]
        out = states.clone()
        out[swap[:, 0], swap[:, 1]] = states[source[:, 0], source[:, 1]]
        return out

    def loss(self, batch: list[Example]):
        torch, device = self.torch, self.device
        f = torch.nn.functional
        ids = sorted({i for ex in batch for i in ex.texts})
        where = {i: r for r, i in enumerate(ids)}
        pooled, states, mask = self.embed(ids)
        total = torch.zeros((), device=device)
        rows = [where[i] for ex in batch for i in ex.texts]
        if "ner" in self.components:
            width = states.shape[1]
            labels = np.full((len(rows), width), -100, np.int64)
            tokens = np.zeros((len(rows), width, batch[0].tokens[0].shape[1]), np.float32)
            for r, (lab, tok) in enumerate((lab, tok) for ex in batch for lab, tok in zip(ex.labels, ex.tokens)):
                labels[r, :len(lab)] = lab
                tokens[r, :len(tok)] = tok
            tokens[self.rng.random(len(rows)) < _GAZETTEER_DROP, :, SHAPE_SIZE:] = 0.0
            tokens[self.rng.random(len(rows)) < _CASE_DROP, :, :2] = 0.0  # token_shapes: capitalised, capitals
            tagger_states = self._swap(states[rows], labels)
            context = torch.from_numpy(np.concatenate([ex.contexts for ex in batch])).to(device)
            logits = self.networks.tagger(tagger_states, mask[rows], context, torch.from_numpy(tokens).to(device))
            total = total + f.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                            torch.from_numpy(labels).to(device).view(-1), ignore_index=-100)
            tracker = self.networks.tracker
            if tracker is not None:
                values = torch.from_numpy(np.concatenate([ex.values for ex in batch])).to(device)
                scores = tracker(pooled[rows], states[rows], mask[rows], context)
                for j, (_, first, options) in enumerate(self.features.value_slices):
                    if bool((values[:, j] != -100).any()):
                        total = total + f.cross_entropy(scores[:, first:first + 1 + len(options)], values[:, j],
                                                        ignore_index=-100)
        if not self.components & {"ap", "af"}:
            return total
        predictor = self.networks.predictor
        k_max = max(len(ex.texts) for ex in batch)
        utt = torch.zeros((len(batch), k_max, pooled.shape[1]), device=device)
        turn_feats = np.zeros((len(batch), k_max, batch[0].turns.shape[1]), np.float32)
        for b, ex in enumerate(batch):
            utt[b, :len(ex.texts)] = pooled[[where[i] for i in ex.texts]]
            turn_feats[b, :len(ex.texts)] = ex.turns
        lengths = torch.tensor([len(ex.texts) for ex in batch])
        hidden = predictor.encode(utt, torch.from_numpy(turn_feats).to(device), lengths)
        flat_hidden = hidden.reshape(-1, hidden.shape[-1])
        previous = torch.cat([torch.zeros_like(utt[:, :1]), utt[:, :-1]], dim=1)  # the user turn before
        flat_utt = torch.cat([utt, previous], dim=-1).reshape(-1, 2 * utt.shape[-1])
        if "ap" in self.components:
            index = torch.from_numpy(np.concatenate([b * k_max + ex.step_k for b, ex in enumerate(batch)])).to(device)
            steps = torch.from_numpy(np.concatenate([ex.steps for ex in batch])).to(device)
            target = torch.from_numpy(np.concatenate([ex.step_y for ex in batch])).to(device)
            if len(target):
                total = total + f.cross_entropy(predictor(flat_hidden[index], steps), target)
            affirm = torch.from_numpy(np.concatenate([ex.affirm for ex in batch])).to(device)
            total = total + f.cross_entropy(predictor.affirm(pooled[rows]), affirm)
        if "af" in self.components:
            fills = [(b, ex, j) for b, ex in enumerate(batch) for j in range(len(ex.fill_y))]
            if fills:
                width = max(ex.fill_cands[j].shape[0] for _, ex, j in fills)
                cands = np.zeros((len(fills), width, self.networks.filler.candidate.in_features), np.float32)
                cmask = np.zeros((len(fills), width), bool)
                for r, (_, ex, j) in enumerate(fills):
                    n = ex.fill_cands[j].shape[0]
                    cands[r, :n] = ex.fill_cands[j]
                    cmask[r, :n] = True
                index = torch.tensor([b * k_max + ex.fill_k[j] for b, ex, j in fills], device=device)
                scores = self.networks.filler(
                    flat_hidden[index], flat_utt[index],
                    torch.tensor([ex.fill_action[j] for _, ex, j in fills], device=device),
                    torch.tensor([ex.fill_arg[j] for _, ex, j in fills], device=device),
                    torch.from_numpy(cands).to(device), torch.from_numpy(cmask).to(device))
                target = torch.tensor([ex.fill_y[j] for _, ex, j in fills], device=device)
                total = total + f.cross_entropy(scores, target)
        return total


def train(scenario: Scenario, corpus: str | os.PathLike | Iterable[Dialogue], out_dir: str | os.PathLike,
          config: TrainConfig = TrainConfig(), *, cache_dir: str | os.PathLike | None = None,
          on_batch: Callable[[int, int], None] | None = None,
          on_epoch: Callable[[EpochReport], None] | None = None) -> TrainReport:
    """Train NER, AP and AF (``config.components``) on ``corpus`` and write the model
    directory ``out_dir``. ``cache_dir`` (default ``$DIALOGSIM_CACHE`` or
    ``~/.cache/dialogsim``) keeps the frozen encoder's encodings between runs.
    ``on_batch(done, total)`` and ``on_epoch(report)`` let a caller show progress."""
    from dialogsim.models.errors import require_torch

    require_torch()
    import torch
    from safetensors.torch import save_file

    check_target(out_dir)  # before any work: never train for an hour and then refuse
    text = _scenario_text(scenario)
    dialogues = read_dialogues(scenario, corpus)
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    order = rng.permutation(len(dialogues))
    n_val = min(int(len(dialogues) * config.validation), _MAX_VALIDATION)
    validation = [dialogues[i] for i in order[:n_val]]
    training = [dialogues[i] for i in order[n_val:]]

    cache = None if config.finetune else Path(cache_dir) if cache_dir is not None else cache_root()
    encoder = Encoder(config.encoder, device=config.device, cache_dir=cache, trainable=config.finetune)
    vocab = Vocab.of(scenario)
    features = Features(vocab)
    texts = list(dict.fromkeys(t.text for d in training for t in d.turns if isinstance(t, UserTurn)))
    text_id = {t: i for i, t in enumerate(texts)}
    offsets = dict(zip(texts, encoder.offsets(texts)))
    gazetteer = Gazetteer(scenario, vocab.slots) if config.gazetteer else None
    examples = [ex for d in training
                if (ex := _example(d, scenario, features, text_id, offsets, gazetteer)) is not None]
    if not examples:
        raise ModelError("corpus: no dialogue with a user turn to learn from")
    sizes = dict(dim=encoder.dim, context=features.context_size, tags=len(vocab.tags), turn_size=features.turn_size,
                 step_size=features.step_size, actions=len(vocab.actions), args=max(len(vocab.args), 1),
                 candidate=features.candidate_size, hidden=config.hidden,
                 token=SHAPE_SIZE + (gazetteer.size if gazetteer is not None else 0), values=vocab.value_outputs)
    networks = Networks(**sizes).to(encoder.device)
    groups: list[dict[str, Any]] = [{"params": list(networks.parameters()), "lr": config.learning_rate}]
    if config.finetune:
        groups.append({"params": list(encoder.model.parameters()), "lr": config.encoder_learning_rate})
    optimizer = torch.optim.Adam(groups)
    batcher = _Batcher(networks, encoder, texts, config.components, encoder.device, rng, features)
    n_batches = -(-len(examples) // config.batch_size)
    total_batches = n_batches * config.epochs
    manager = DialogueManager(scenario, vocab, encoder, networks)
    losses: list[float] = []
    reports: list[EpochReport] = []
    done = 0
    for epoch in range(1, config.epochs + 1):
        epoch_start = time.perf_counter()
        networks.train()
        encoder.model.train(config.finetune)
        shuffled = rng.permutation(len(examples))
        epoch_losses = []
        for start in range(0, len(examples), config.batch_size):
            batch = [examples[i] for i in shuffled[start:start + config.batch_size]]
            optimizer.zero_grad()
            loss = batcher.loss(batch)
            if loss.requires_grad:
                loss.backward()
                torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 5.0)
                optimizer.step()
            losses.append(loss.item())
            epoch_losses.append(losses[-1])
            done += 1
            if on_batch is not None:
                on_batch(done, total_batches)
        networks.eval()
        encoder.model.eval()
        metrics = None
        if validation:
            if config.finetune:
                encoder.cache.entries.clear()  # the encoder changed: its old outputs are stale
            metrics = evaluate(manager, validation)
        report = EpochReport(epoch=epoch, loss=float(np.mean(epoch_losses)), validation=metrics,
                             seconds=time.perf_counter() - epoch_start)
        reports.append(report)
        if on_epoch is not None:
            on_epoch(report)

    def write_weights(directory: Path) -> None:
        save_file({k: v.detach().cpu().contiguous() for k, v in networks.state_dict().items()},
                  str(directory / WEIGHTS))
        if config.finetune:
            encoder.model.save_pretrained(directory / ENCODER_DIR, safe_serialization=True)
            encoder.tokenizer.save_pretrained(directory / ENCODER_DIR)

    import dialogsim

    model_config = {
        "dialogsim": dialogsim.__version__,
        "components": list(config.components),
        "encoder": {"name": encoder.name, "identity": encoder.identity, "finetuned": config.finetune,
                    "dim": encoder.dim},
        "vocab": vocab.to_json(),
        "sizes": sizes,
        "scenario": {"name": scenario.name, "source_hash": scenario.source_hash},
        "training": {"epochs": config.epochs, "batch_size": config.batch_size, "learning_rate": config.learning_rate,
                     "seed": config.seed, "dialogues": len(training), "validation_dialogues": len(validation),
                     "gazetteer": config.gazetteer},
    }
    path = write_model_dir(out_dir, model_config, text, write_weights)
    return TrainReport(model_dir=path, epochs=tuple(reports), losses=tuple(losses), dialogues=len(training),
                       seconds=time.perf_counter() - started, manager=manager)
