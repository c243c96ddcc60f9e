"""The three networks of the dialogue manager, over encoder states and ``Features`` vectors.

- ``Tagger`` (NER): a BiLSTM over the word-piece states, each concatenated with its token
  features (shape, catalogue matches) and the dialogue context (previous system actions,
  held slots) -> BIO tag logits.
- ``ActionPredictor`` (AP): an LSTM over the user turns (utterance encoding + turn
  features) gives the dialogue state; a feed-forward head reads it with the step features
  (actions so far this turn) -> next action logits, ``stop`` included. A small head on the
  utterance also says affirm / deny / other, which the consistency check trusts for
  confirmations.
- ``ArgumentFiller`` (AF): a pointer: a query (dialogue state, utterance, action, argument)
  scores each candidate's feature vector; padding is masked out.
- ``ValueTracker``: for the slots labelled without a span (a boolean, a categorical slot),
  which value a user turn says, if any: each word piece read with the dialogue context
  (the system's last actions -- a "yes" after "Do you want outdoor seating?" -- and the
  slots held), max-pooled -> per slot, "not said" or a value. Only
  a scenario with such slots has one.

``Networks`` holds the three so that one ``state_dict`` -- one safetensors file -- saves them.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

__all__ = ["Tagger", "ActionPredictor", "ArgumentFiller", "ValueTracker", "Networks", "AFFIRM_LABELS"]

AFFIRM_LABELS = ("other", "affirm", "deny")


class Tagger(nn.Module):
    def __init__(self, dim: int, context: int, tags: int, hidden: int = 128, token: int = 4) -> None:
        super().__init__()
        self.token = token
        self.context = nn.Linear(context, 32)
        self.dropout = nn.Dropout(0.25)  # leans on context and shape, not on values seen in training
        self.lstm = nn.LSTM(dim + 32 + token, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, tags)

    def forward(self, states: torch.Tensor, mask: torch.Tensor, context: torch.Tensor,
                tokens: torch.Tensor) -> torch.Tensor:
        """Tag logits [batch, tokens, tags] for token ``states`` [batch, tokens, dim] and
        their ``tokens`` features [batch, tokens, token] (``features.token_features``)."""
        if states.shape[0] == 0:
            return states.new_zeros((0, states.shape[1], self.out.out_features))
        ctx = torch.relu(self.context(context)).unsqueeze(1).expand(-1, states.shape[1], -1)
        x = torch.cat([self.dropout(states), ctx, tokens], dim=-1)
        lengths = mask.sum(dim=1).clamp(min=1).cpu()
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=states.shape[1])
        return self.out(out)


class ActionPredictor(nn.Module):
    def __init__(self, dim: int, turn_size: int, step_size: int, actions: int, hidden: int = 128) -> None:
        super().__init__()
        self.hidden = hidden
        self.turn_in = nn.Linear(dim + turn_size, hidden)
        self.turns = nn.LSTM(hidden, hidden, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden + step_size, 256), nn.ReLU(), nn.Dropout(0.1), nn.Linear(256, actions))
        self.affirm = nn.Sequential(nn.Linear(dim, 64), nn.ReLU(), nn.Linear(64, len(AFFIRM_LABELS)))

    def encode(self, utterances: torch.Tensor, turns: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Dialogue states [batch, user turns, hidden]: after each user turn."""
        x = torch.relu(self.turn_in(torch.cat([utterances, turns], dim=-1)))
        packed = pack_padded_sequence(x, lengths.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.turns(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=utterances.shape[1])
        return out

    def step_turn(self, utterance: torch.Tensor, turn: torch.Tensor, memory=None):
        """One more user turn at runtime: ``(state [hidden], memory)``, the LSTM carried on."""
        x = torch.relu(self.turn_in(torch.cat([utterance, turn], dim=-1))).view(1, 1, -1)
        out, memory = self.turns(x, memory)
        return out.view(-1), memory

    def forward(self, states: torch.Tensor, steps: torch.Tensor) -> torch.Tensor:
        return self.head(torch.cat([states, steps], dim=-1))


class ArgumentFiller(nn.Module):
    def __init__(self, dim: int, hidden: int, actions: int, args: int, candidate: int, size: int = 128) -> None:
        super().__init__()
        self.action = nn.Embedding(actions, 32)
        self.arg = nn.Embedding(args, 32)
        self.query = nn.Linear(hidden + 2 * dim + 64, size)  # utterances: this turn's and the previous one's
        self.candidate = nn.Linear(candidate, size)
        self.score = nn.Sequential(nn.Tanh(), nn.Linear(size, size), nn.ReLU(), nn.Linear(size, 1))

    def forward(self, states, utterances, actions, args, candidates, mask) -> torch.Tensor:
        """Scores [rows, candidates]; padded candidates get a very low score."""
        q = self.query(torch.cat([states, utterances, self.action(actions), self.arg(args)], dim=-1))
        z = q.unsqueeze(1) + self.candidate(candidates)
        scores = self.score(z).squeeze(-1)
        return scores.masked_fill(~mask, -1e4)


class ValueTracker(nn.Module):
    def __init__(self, dim: int, context: int, outputs: int, hidden: int = 128) -> None:
        super().__init__()
        self.context = nn.Linear(context, 32)
        self.words = nn.Sequential(nn.Linear(dim + 32, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
        self.head = nn.Sequential(nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, outputs))

    def forward(self, pooled: torch.Tensor, states: torch.Tensor, mask: torch.Tensor,
                context: torch.Tensor) -> torch.Tensor:
        """Logits [batch, outputs] (``Features.value_slices`` cut them per slot). Each word
        piece is read with the context and the result max-pooled: a word that decides
        ("without", or "yes" right after the question) counts wherever it stands."""
        ctx = torch.relu(self.context(context)).unsqueeze(1).expand(-1, states.shape[1], -1)
        words = self.words(torch.cat([states, ctx], dim=-1)).masked_fill(~mask.unsqueeze(-1), -1e4).amax(dim=1)
        return self.head(words)


class Networks(nn.Module):
    def __init__(self, *, dim: int, context: int, tags: int, turn_size: int, step_size: int, actions: int,
                 args: int, candidate: int, hidden: int = 128, token: int = 4, values: int = 0) -> None:
        super().__init__()
        self.tagger = Tagger(dim, context, tags, hidden, token)
        self.predictor = ActionPredictor(dim, turn_size, step_size, actions, hidden)
        self.filler = ArgumentFiller(dim, hidden, actions, args, candidate)
        # ``values``: the tracker's outputs (``Vocab.value_outputs``); 0 (a scenario without
        # spanless slots, or a model from before them): no tracker, no weights for it.
        self.tracker = ValueTracker(dim, context, values, hidden) if values else None
