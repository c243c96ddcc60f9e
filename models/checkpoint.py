"""The model directory: what a trained dialogue manager is on disk, and its checks.

A model directory holds ``config.json`` (format version, hyper-parameters, encoder name and
identity, the components trained, the label vocabularies), ``scenario.yaml`` (the source
text of the scenario it was trained for; ``config.json`` has its hash), ``weights.safetensors``
and, for a fine-tuned encoder, ``encoder/`` (its weights and tokenizer, safetensors too).
Nothing is pickled and nothing is loaded with ``torch.load``. ``write_model_dir`` replaces
a directory only when it is a model directory already, and only once the new one is
complete; anything else there is the user's and is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable, Mapping

from dialogsim.models.errors import ModelError

__all__ = ["FORMAT", "CONFIG", "WEIGHTS", "SCENARIO", "ENCODER_DIR", "read_config", "check_target", "write_model_dir",
           "scenario_text_hash"]

FORMAT = 1
CONFIG = "config.json"
WEIGHTS = "weights.safetensors"
SCENARIO = "scenario.yaml"
ENCODER_DIR = "encoder"
KIND = "dialogsim-model"


def scenario_text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_model_dir(path: Path) -> bool:
    try:
        return json.loads((path / CONFIG).read_text(encoding="utf-8")).get("kind") == KIND
    except (OSError, ValueError, AttributeError):
        return False


def read_config(model_dir: str | os.PathLike) -> dict[str, Any]:
    """The checked config of a model directory; ``ModelError`` naming what is wrong."""
    path = Path(model_dir)
    if not path.is_dir():
        raise ModelError(f"{path}: no such model directory")
    config_path = path / CONFIG
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{config_path}: missing: not a dialogsim model directory (train one with 'dialogsim train')") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{config_path}: unreadable: {exc}") from None
    if not isinstance(config, dict) or config.get("kind") != KIND:
        raise ModelError(f"{config_path}: not a dialogsim model config")
    if config.get("format") != FORMAT:
        raise ModelError(f"{config_path}: format: model format {config.get('format')!r}, this dialogsim reads {FORMAT}; "
                         f"retrain the model")
    for key in ("vocab", "encoder", "sizes", "scenario"):
        if not isinstance(config.get(key), dict):
            raise ModelError(f"{config_path}: {key}: missing or not an object")
    needed = [WEIGHTS, SCENARIO] + ([f"{ENCODER_DIR}/config.json"] if config["encoder"].get("finetuned") else [])
    for name in needed:
        if not (path / name).is_file():
            raise ModelError(f"{path / name}: missing: the model directory is incomplete")
    text = (path / SCENARIO).read_text(encoding="utf-8")
    if scenario_text_hash(text) != config["scenario"].get("hash"):
        raise ModelError(f"{path / SCENARIO}: does not match the hash in {CONFIG}: the model directory was altered")
    return config


def check_target(out_dir: str | os.PathLike) -> Path:
    """``out_dir`` may be written: absent, empty, or a model directory (replaced). A
    non-empty directory of anything else is the user's: refused before any training."""
    path = Path(out_dir)
    if path.exists() and not path.is_dir():
        raise ModelError(f"{path}: exists and is not a directory")
    if path.is_dir() and any(path.iterdir()) and not is_model_dir(path):
        raise ModelError(f"{path}: not empty and not a dialogsim model directory; refusing to overwrite it")
    return path


def write_model_dir(out_dir: str | os.PathLike, config: Mapping[str, Any], scenario_text: str,
                    write_weights: Callable[[Path], None]) -> Path:
    """Write a complete model directory next to ``out_dir`` and then swap it in, so an
    interrupted save leaves the previous model (or nothing) -- never half of one."""
    path = check_target(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        full = dict(config, kind=KIND, format=FORMAT)
        full["scenario"] = dict(full.get("scenario", {}), hash=scenario_text_hash(scenario_text))
        (tmp / SCENARIO).write_text(scenario_text, encoding="utf-8")
        write_weights(tmp)
        (tmp / CONFIG).write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path
