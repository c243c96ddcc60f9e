"""Model-based augmenters: masked-LM word substitution and text-to-text paraphrase.

``MaskedLMSubstitution`` (``mlm_model``: a fill-mask model directory) masks words outside
the spans one at a time and puts in a word the model predicts; the spans are never shown
to the model as something to fill, so they cannot change. ``TextToTextParaphrase``
(``paraphrase_model``: a seq2seq model directory, e.g. a T5 paraphraser) rewrites the whole
sentence with each span replaced by a placeholder the model must copy (``<extra_id_N>``
where the vocabulary has T5's sentinels, ``SLOTN`` otherwise); an output that loses,
repeats or reorders a placeholder is discarded, and in a kept one the placeholders become
the spans' surfaces again with their offsets recomputed.

Both need torch and transformers (``pip install 'dialogsim[models]'``); this module imports
them only when a model is first used, so building the pipeline stays cheap and the core
never imports torch. Models are read from local directories only: nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import os
import re
from typing import Any

import numpy as np

from dialogsim.dialogue import Span
from dialogsim.draws import pick, sample
from dialogsim.paraphrase.augment import (
    _PLAIN,
    PROTECTED,
    TokenView,
    VariationError,
    ViewAugmenter,
    _count,
    _match_case,
    _unprotected,
)

__all__ = ["MaskedLMSubstitution", "TextToTextParaphrase", "restore_placeholders"]

_WS = re.compile(r"\s+")


def _check_model(setting: str, path: str) -> str:
    """``path`` if it can be a model directory and torch + transformers are installed."""
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        raise VariationError(f"{setting} needs {' and '.join(missing)}: pip install 'dialogsim[models]'")
    if not os.path.isdir(path):
        raise VariationError(f"{setting} {path!r}: not a directory (a saved Hugging Face model is expected)")
    if not os.path.isfile(os.path.join(path, "config.json")):
        raise VariationError(f"{setting} {path!r}: no config.json there (a saved Hugging Face model is expected)")
    return path


def _device(setting: str, device: str) -> str:
    """The torch device to run on: "auto" is CUDA when present; CUDA asked for where there
    is none is an error, not a silent fall-back to the CPU."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise VariationError(f"{setting}: device {device!r} asked for, but CUDA is not available here")
    return device


def _load(setting: str, path: str, auto_model: str, device: str):
    """(tokenizer, model) from a local directory, in eval mode on ``device``."""
    import transformers
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # one load per process: no "Loading weights" bar
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = getattr(transformers, auto_model).from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise VariationError(f"{setting} {path!r}: cannot load the model: {error}") from None
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return tokenizer, model.to(_device(setting, device)).eval()


class MaskedLMSubstitution(ViewAugmenter):
    """Replaces about one word in seven (at least one) outside the spans by a word a
    masked language model predicts in its place, drawn from the model's ``top_k``
    whole-word predictions that differ from the original. ``PROTECTED`` words stay."""

    name = "mlm"
    fraction = 0.15

    def __init__(self, model_path: str, *, top_k: int = 10, device: str = "cpu") -> None:
        self.model_path = _check_model("mlm_model", model_path)
        self.top_k = top_k
        self.device = device
        self._tokenizer: Any = None  # loaded on first use (transformers is untyped here)
        self._model: Any = None

    def __reduce__(self):  # worker processes load their own copy of the model
        return (_rebuild_mlm, (self.model_path, self.top_k, self.device))

    def _ensure_loaded(self) -> None:
        if self._model is None:
            tokenizer, model = _load("mlm_model", self.model_path, "AutoModelForMaskedLM", self.device)
            if tokenizer.mask_token is None:
                raise VariationError(f"mlm_model {self.model_path!r}: the tokenizer has no mask token")
            self._tokenizer, self._model = tokenizer, model
            self._special = set(tokenizer.all_special_ids)

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        candidates = _unprotected(view, view.plain_words())
        if not candidates:
            return False
        chosen = sample(rng, candidates, _count(len(candidates), self.fraction))
        predictions = self._predict([view.text({i: self._mask_token()}) for i in chosen])
        changed = False
        for i, words in zip(chosen, predictions):
            original = view.tokens[i]
            options = [w for w in words if w.lower() != original.lower() and w.lower() not in PROTECTED]
            if options:
                view.replace(i, _match_case(pick(rng, options), original))
                changed = True
        return changed

    def _mask_token(self) -> str:
        self._ensure_loaded()
        return self._tokenizer.mask_token

    def _predict(self, texts: list[str]) -> list[list[str]]:
        """For each text (one mask in it), the model's top whole-word fillers, best first."""
        import torch

        tokenizer, model = self._tokenizer, self._model
        batch = tokenizer(texts, return_tensors="pt", padding=True, truncation=True).to(model.device)
        with torch.no_grad():
            logits = model(**batch).logits
        out: list[list[str]] = []
        for row in range(len(texts)):
            where = (batch["input_ids"][row] == tokenizer.mask_token_id).nonzero()
            if len(where) != 1:  # truncated away
                out.append([])
                continue
            top = logits[row, int(where[0])].topk(min(self.top_k * 3, logits.shape[-1])).indices.tolist()
            words = []
            for token_id in top:
                if token_id in self._special or tokenizer.convert_ids_to_tokens(token_id).startswith("##"):
                    continue
                word = tokenizer.decode([token_id]).strip()
                if _PLAIN.fullmatch(word) and word not in words:
                    words.append(word)
                if len(words) == self.top_k:
                    break
            out.append(words)
        return out


def _rebuild_mlm(model_path: str, top_k: int, device: str) -> MaskedLMSubstitution:
    return MaskedLMSubstitution(model_path, top_k=top_k, device=device)


def restore_placeholders(output: str, placeholder: re.Pattern, text: str,
                         spans: tuple[Span, ...], order: list[int]) -> tuple[str, tuple[Span, ...]] | None:
    """Put the spans back into a model ``output`` written with placeholders.

    ``placeholder`` matches one placeholder, its group 1 the number; ``order`` lists the
    span indices in text order (placeholder n stands for span ``order[n]``). Returns the
    new text and spans (original order), or None when the output does not have every
    placeholder exactly once and in order, or has no words of its own.
    """
    numbers = [int(m.group(1)) for m in placeholder.finditer(output)]
    if numbers != list(range(len(order))):
        return None
    pieces = [_WS.sub(" ", piece) for piece in placeholder.split(output)[:: placeholder.groups + 1]]
    pieces[0] = pieces[0].lstrip()
    pieces[-1] = pieces[-1].rstrip()
    if not any(piece.strip() for piece in pieces):
        return None
    parts: list[str] = [pieces[0]]
    pos = len(pieces[0])
    new = list(spans)
    for n, k in enumerate(order):
        span = spans[k]
        surface = text[span.start:span.end]
        if parts[-1] and parts[-1][-1].isalnum():  # "to<extra_id_0>": keep words apart
            parts.append(" ")
            pos += 1
        elif n > 0 and not pieces[n] and text[spans[order[n - 1]].end:span.start]:
            parts.append(" ")  # two placeholders side by side that the input kept apart
            pos += 1
        new[k] = Span(start=pos, end=pos + len(surface), slot=span.slot, type=span.type, value=span.value)
        parts.append(surface)
        pos += len(surface)
        after = pieces[n + 1]
        if after[:1].isalnum():
            after = " " + after
        parts.append(after)
        pos += len(after)
    return "".join(parts), tuple(new)


class TextToTextParaphrase:
    """Rewrites a turn with a text-to-text model, slot values held by placeholders.

    The model sees ``prefix`` + the text with span n replaced by placeholder n and returns
    ``candidates`` beam-search rewrites (deterministic); outputs that do not keep every
    placeholder once and in order, or that change nothing, are discarded, and one of the
    rest is drawn with the dialogue's ``rng``. No valid output leaves the turn unchanged.
    """

    name = "paraphrase"

    def __init__(self, model_path: str, *, prefix: str = "paraphrase: ", candidates: int = 4,
                 max_new_tokens: int = 64, device: str = "cpu") -> None:
        self.model_path = _check_model("paraphrase_model", model_path)
        self.prefix = prefix
        self.candidates = candidates
        self.max_new_tokens = max_new_tokens
        self.device = device
        self._tokenizer: Any = None  # loaded on first use
        self._model: Any = None

    def __reduce__(self):  # worker processes load their own copy of the model
        return (_rebuild_paraphrase, (self.model_path, self.prefix, self.candidates, self.max_new_tokens, self.device))

    def _ensure_loaded(self) -> None:
        if self._model is None:
            tokenizer, model = _load("paraphrase_model", self.model_path, "AutoModelForSeq2SeqLM", self.device)
            if tokenizer.convert_tokens_to_ids("<extra_id_0>") not in (None, tokenizer.unk_token_id):
                self._form, self._pattern = "<extra_id_{}>", re.compile(r"<extra_id_(\d+)>")
            else:
                self._form, self._pattern = "SLOT{}", re.compile(r"SLOT(\d+)\b")
            placeholders = {tokenizer.convert_tokens_to_ids(self._form.format(n)) for n in range(100)}
            self._drop = set(tokenizer.all_special_ids) - placeholders  # pad, eos, bos
            self._tokenizer, self._model = tokenizer, model

    def placeholder(self, n: int) -> str:
        """The placeholder that stands for the n-th span (in text order)."""
        self._ensure_loaded()
        return self._form.format(n)

    def __call__(self, text: str, spans: tuple[Span, ...], rng: np.random.Generator) -> tuple[str, tuple[Span, ...]]:
        if not text.strip():
            return text, spans
        view = TokenView(text, spans)  # checks the spans
        order = [k for k in view.slots if k >= 0]
        numbering = {k: n for n, k in enumerate(order)}
        prompt = view.text({i: self.placeholder(numbering[k]) for i, k in enumerate(view.slots) if k >= 0})
        kept = []
        for output in self.generate(self.prefix + prompt):
            restored = restore_placeholders(output, self._pattern, text, spans, order)
            if restored is not None and restored[0] != text and restored not in kept:
                kept.append(restored)
        return pick(rng, kept) if kept else (text, spans)

    def generate(self, prompt: str) -> list[str]:
        """The model's rewrites of ``prompt``, placeholders kept as text; rewrites with an
        unknown token are left out (the text they stand for is lost)."""
        import torch

        self._ensure_loaded()
        tokenizer, model = self._tokenizer, self._model
        inputs = tokenizer([prompt], return_tensors="pt", truncation=True).to(model.device)
        with torch.no_grad():
            outputs = model.generate(**inputs, num_beams=self.candidates, num_return_sequences=self.candidates,
                                     do_sample=False, max_new_tokens=self.max_new_tokens)
        texts = []
        unknown = tokenizer.unk_token_id
        for ids in outputs.tolist():
            if unknown is not None and unknown in ids:
                continue
            ids = [i for i in ids if i not in self._drop]
            texts.append(tokenizer.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=True).strip())
        return texts


def _rebuild_paraphrase(model_path, prefix, candidates, max_new_tokens, device) -> TextToTextParaphrase:
    return TextToTextParaphrase(model_path, prefix=prefix, candidates=candidates,
                                max_new_tokens=max_new_tokens, device=device)
