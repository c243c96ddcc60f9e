"""The corpus on disk: JSONL shards plus ``manifest.json``, written atomically, read back
with every line checked.

``read_corpus(path)`` streams ``Dialogue`` values and turns any malformed line into one
``CorpusError`` naming the file, the line and the field (``part-00000.jsonl:17:
turns[3].spans[0]: end 52 is beyond the text (48 characters)``), because a corpus that
reaches model training with a broken span costs far more than a clear error now.
``read_manifest(path)`` reads the ``Manifest``: how the corpus was made (scenario hash,
seed, configs, generator version) and what it holds (shards with line counts and sha256,
statistics). ``CorpusWriter`` writes a corpus into a temporary sibling directory and only
swaps it into place once everything is on disk, so an interrupted run leaves the previous
corpus intact.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import shutil
import signal
import stat
import sys
import threading
import uuid
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import attrs
import numpy as np

from dialogsim._attrs import FrozenDict, freeze, frozen_tuple
from dialogsim.dialogue import FORMAT_VERSION, Act, ApiStatus, Dialogue, Outcome, dumps_line
from dialogsim.errors import CorpusError
from dialogsim.storage import UrlPath, location

__all__ = [
    "MANIFEST",
    "MAX_LINE_BYTES",
    "CorpusWarning",
    "ShardInfo",
    "Manifest",
    "shard_name",
    "dumps_line",
    "read_manifest",
    "iter_records",
    "read_corpus",
    "check_target",
    "owned_files",
    "escape_line_separators",
    "ShardFile",
    "CorpusWriter",
]

MANIFEST = "manifest.json"
MAX_LINE_BYTES = 8 << 20  # a dialogue line is a few KB; a longer one is corrupt, and reading it whole costs memory
MAX_MANIFEST_BYTES = 256 << 20  # some 2 million shards


class CorpusWarning(UserWarning):
    """What a reader could not check: a corpus read without its manifest."""


_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def escape_line_separators(text: str) -> str:
    """``text`` (JSON lines) with U+2028, U+2029 and U+0085 written as JSON escapes: valid
    raw in JSON strings, but ``str.splitlines()`` and many editors break lines at them,
    which would split one dialogue into several lines. Lines without them are unchanged."""
    if "\u2028" in text or "\u2029" in text or "\u0085" in text:  # rare: keep the common case fast
        return text.translate(_LINE_SEPARATORS)
    return text


def shard_name(index: int) -> str:
    """File name of shard ``index``: ``part-00000.jsonl``, ``part-00001.jsonl``, ..."""
    return f"part-{index:05d}.jsonl"


# -- manifest ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShardInfo:
    """One shard file: its name, how many dialogues (lines) it holds, and its sha256."""

    name: str
    lines: int
    sha256: str

    def to_json(self) -> dict:
        return {"name": self.name, "lines": self.lines, "sha256": self.sha256}


_WHOLE_CATALOGUE = {"holdout": 0.0, "split": "train"}


@attrs.frozen(kw_only=True)
class Manifest:
    """What ``manifest.json`` records: enough to regenerate the corpus bit for bit (scenario
    hash, seed, configs, values split, generator version) and to check it (shard line
    counts and hashes). It holds no timestamps or absolute paths, so equal corpora have
    equal manifests. ``values`` is the catalogue split (``holdout``, ``split``); manifests
    written before it existed read as the whole catalogue."""

    format: int
    dialogsim_version: str
    scenario: str
    source_hash: str
    seed: int
    n: int
    shard_size: int
    shards: tuple[ShardInfo, ...] = attrs.field(converter=frozen_tuple)
    simulation: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze)
    variation: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze)
    values: Mapping[str, Any] = attrs.field(factory=lambda: dict(_WHOLE_CATALOGUE), converter=freeze)
    stats: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze)

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "dialogsim_version": self.dialogsim_version,
            "scenario": {"name": self.scenario, "source_hash": self.source_hash},
            "seed": self.seed,
            "n": self.n,
            "shard_size": self.shard_size,
            "shards": [s.to_json() for s in self.shards],
            "simulation": self.simulation,
            "variation": self.variation,
            "values": self.values,
            "stats": self.stats,
        }

    def dumps(self) -> str:
        """The ``manifest.json`` text: sorted keys, indent 2, trailing newline."""
        return json.dumps(self.to_json(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, raw: Mapping, path: str = MANIFEST) -> "Manifest":
        """Build a manifest from its JSON, raising ``CorpusError`` naming the bad field."""
        if not isinstance(raw, Mapping):
            raise CorpusError(path, None, "", "manifest must be a JSON object")
        if raw.get("format") != FORMAT_VERSION:
            raise CorpusError(path, None, "format", f"unsupported corpus format {raw.get('format')!r} "
                                                    f"(this dialogsim reads {FORMAT_VERSION})")

        def get(obj: Mapping, key: str, kind: type | tuple, where: str) -> Any:
            if key not in obj:
                raise CorpusError(path, None, where, "missing field")
            value = obj[key]
            if not _is_a(value, kind):
                raise CorpusError(path, None, where, f"expected {_kind_name(kind)}, got {_json_type(value)}")
            return value

        scenario = get(raw, "scenario", dict, "scenario")
        shards = []
        names: set[str] = set()
        for i, shard in enumerate(get(raw, "shards", list, "shards")):
            where = f"shards[{i}]"
            if not isinstance(shard, dict):
                raise CorpusError(path, None, where, f"expected an object, got {_json_type(shard)}")
            name = get(shard, "name", str, f"{where}.name")
            if Path(name).name != name or not name.endswith(".jsonl"):
                raise CorpusError(path, None, f"{where}.name", f"{name!r} is not a shard file name")
            if name in names:  # it would be read twice
                raise CorpusError(path, None, f"{where}.name", f"{name!r} is listed twice")
            names.add(name)
            shards.append(ShardInfo(name=name, lines=get(shard, "lines", int, f"{where}.lines"),
                                    sha256=get(shard, "sha256", str, f"{where}.sha256")))
        n = get(raw, "n", int, "n")
        if sum(s.lines for s in shards) != n:
            raise CorpusError(path, None, "shards", f"the shards hold {sum(s.lines for s in shards)} lines "
                                                    f"but n is {n}")
        return cls(
            format=raw["format"],
            dialogsim_version=get(raw, "dialogsim_version", str, "dialogsim_version"),
            scenario=get(scenario, "name", str, "scenario.name"),
            source_hash=get(scenario, "source_hash", str, "scenario.source_hash"),
            seed=get(raw, "seed", int, "seed"),
            n=n,
            shard_size=get(raw, "shard_size", int, "shard_size"),
            shards=shards,
            simulation=get(raw, "simulation", dict, "simulation"),
            variation=get(raw, "variation", dict, "variation"),
            values=get(raw, "values", dict, "values") if "values" in raw else dict(_WHOLE_CATALOGUE),
            stats=get(raw, "stats", dict, "stats"),
        )


def read_manifest(path: str | os.PathLike | UrlPath) -> Manifest:
    """The manifest of the corpus directory ``path`` (or of the ``manifest.json`` file);
    a local path or an fsspec URL (``dialogsim.storage``)."""
    where = location(path)
    file = where / MANIFEST if where.is_dir() else where
    try:
        _check_regular(file)
        with file.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise CorpusError(file, None, "", f"larger than {MAX_MANIFEST_BYTES >> 20} MiB: not a corpus manifest")
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise CorpusError(file, None, "", "no manifest.json: not a dialogsim corpus directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(file, None, "", f"cannot read manifest: {exc}") from None
    return Manifest.from_json(_loads(text, str(file), None), str(file))


def _loads(text: str, where: str, line: int | None) -> Any:
    """``json.loads`` with its limits turned into one located ``CorpusError``: nesting
    deeper than the parser's recursion allows, integers longer than Python converts."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = "empty line" if not text.strip() else f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise CorpusError(where, line or exc.lineno, "", message) from None
    except RecursionError:
        raise CorpusError(where, line, "", "invalid JSON: nested too deeply") from None
    except ValueError:  # an integer past sys.get_int_max_str_digits()
        raise CorpusError(where, line, "", "invalid JSON: a number with more digits than a corpus holds "
                                           f"(over {sys.get_int_max_str_digits()})") from None


def _check_regular(file: Path | UrlPath) -> None:
    """Refuse a local FIFO, device or folder before opening it: opening a FIFO blocks until
    someone writes to it, and reading a device may never end."""
    if not isinstance(file, Path):  # an object store holds objects, no FIFOs
        return
    try:
        mode = os.stat(file).st_mode
    except FileNotFoundError:
        raise  # the caller says what is missing
    except OSError:
        return  # open() says why it cannot be read
    if not stat.S_ISREG(mode):
        raise CorpusError(file, None, "", "is not a regular file (a FIFO, device or folder); refusing to read it")


# -- reading ----------------------------------------------------------------------------


class _Invalid(Exception):
    """A record does not match the corpus format: ``field`` path and message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _kind_name(kind: type | tuple) -> str:
    names = {str: "a string", int: "an integer", list: "an array", dict: "an object", bool: "a boolean"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _is_a(value: Any, kind: type | tuple) -> bool:
    """``isinstance`` for decoded JSON, where ``true`` is no integer."""
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _field(obj: dict, key: str, kind: type, where: str, optional: bool = False) -> Any:
    """``obj[key]``, checked to be of JSON type ``kind``. An ``optional`` field may be left
    out (None), but not be ``null``: the writer never writes null, and the readers
    (``Dialogue.from_json``, the statistics) take a field that is there to be of its type."""
    if key not in obj:
        if optional:
            return None
        raise _Invalid(where, f"missing field {key!r}")
    value = obj[key]
    if not _is_a(value, kind):
        raise _Invalid(f"{where}.{key}" if where else key, f"expected {_kind_name(kind)}, got {_json_type(value)}")
    return value


_ACTS = frozenset(a.value for a in Act)
_OUTCOMES = frozenset(o.value for o in Outcome)
_STATUSES = frozenset(s.value for s in ApiStatus)


def check_record(raw: Any) -> None:
    """Check one decoded corpus line against the corpus format; raises ``_Invalid(field,
    message)``. Catches what ``Dialogue.from_json`` would not: wrong JSON types, span
    offsets outside the text, references to turns, spans or API calls that do not exist."""
    if not isinstance(raw, dict):
        raise _Invalid("", f"a dialogue must be a JSON object, got {_json_type(raw)}")
    if "format" not in raw:
        raise _Invalid("", "missing field 'format'")
    if raw["format"] != FORMAT_VERSION:
        raise _Invalid("format", f"unsupported corpus format {raw['format']!r} (this dialogsim reads {FORMAT_VERSION})")
    _field(raw, "id", str, "")
    _field(raw, "scenario", str, "")
    outcome = _field(raw, "outcome", str, "")
    if outcome not in _OUTCOMES:
        raise _Invalid("outcome", f"must be one of {', '.join(sorted(_OUTCOMES))}, got {outcome!r}")
    patterns = _field(raw, "patterns", list, "", optional=True) or []
    for i, name in enumerate(patterns):
        if not isinstance(name, str):
            raise _Invalid(f"patterns[{i}]", f"expected a string, got {_json_type(name)}")
    goal = _field(raw, "goal", dict, "")
    apis = _field(goal, "apis", list, "goal")
    if not apis or not all(isinstance(a, str) for a in apis):
        raise _Invalid("goal.apis", "must be a non-empty array of API names")
    for key, kind in (("values", dict), ("dont_care", list), ("requests", dict), ("revisions", list),
                      ("outcomes", dict), ("behaviour", dict)):
        _field(goal, key, kind, "goal", optional=True)
    turns = _field(raw, "turns", list, "")
    if not turns:
        raise _Invalid("turns", "a dialogue needs at least one turn")
    for t, turn in enumerate(turns):
        where = f"turns[{t}]"
        if not isinstance(turn, dict):
            raise _Invalid(where, f"expected an object, got {_json_type(turn)}")
        speaker = turn.get("speaker")
        if speaker == "user":
            _check_user_turn(turn, where)
        elif speaker == "system":
            _check_system_turn(turn, t, turns, where)
        else:
            raise _Invalid(f"{where}.speaker", f"must be 'user' or 'system', got {speaker!r}")


def _check_user_turn(turn: dict, where: str) -> None:
    text = _field(turn, "text", str, where)
    for i, act in enumerate(_field(turn, "acts", list, where)):
        at = f"{where}.acts[{i}]"
        if not isinstance(act, dict):
            raise _Invalid(at, f"expected an object, got {_json_type(act)}")
        name = _field(act, "act", str, at)
        if name not in _ACTS:
            raise _Invalid(f"{at}.act", f"unknown act {name!r}")
        _field(act, "api", str, at, optional=True)
        _field(act, "slot", str, at, optional=True)
        _field(act, "item", int, at, optional=True)
        if _field(act, "value", str, at, optional=True) is not None and (name != Act.INFORM.value or "slot" not in act):
            raise _Invalid(f"{at}.value", f"only an inform of a slot carries a value, got {name!r}")
    for i, span in enumerate(_field(turn, "spans", list, where, optional=True) or ()):
        at = f"{where}.spans[{i}]"
        if not isinstance(span, dict):
            raise _Invalid(at, f"expected an object, got {_json_type(span)}")
        start = _field(span, "start", int, at)
        end = _field(span, "end", int, at)
        for key in ("slot", "type", "value"):
            _field(span, key, str, at)
        if not 0 <= start < end:
            raise _Invalid(at, f"offsets must satisfy 0 <= start < end, got [{start}, {end})")
        if end > len(text):
            raise _Invalid(at, f"end {end} is beyond the text ({len(text)} characters)")
        if _cuts_a_word(text, start) or _cuts_a_word(text, end):
            raise _Invalid(at, f"[{start}, {end}) covers {text[start:end]!r}, part of a word of {text!r}")
    for i, name in enumerate(_field(turn, "augmented", list, where, optional=True) or ()):
        if not isinstance(name, str):
            raise _Invalid(f"{where}.augmented[{i}]", f"expected an augmenter name, got {_json_type(name)}")


def _check_system_turn(turn: dict, t: int, turns: list, where: str) -> None:
    actions = _field(turn, "actions", list, where)
    for a, action in enumerate(actions):
        at = f"{where}.actions[{a}]"
        if not isinstance(action, dict):
            raise _Invalid(at, f"expected an object, got {_json_type(action)}")
        kind = action.get("kind")
        if kind not in ("api", "response"):
            raise _Invalid(f"{at}.kind", f"must be 'api' or 'response', got {kind!r}")
        _field(action, "name", str, at)
        args = _field(action, "args", dict, at, optional=True) or {}
        for name, arg in args.items():
            arg_at = f"{at}.args.{name}"
            if not isinstance(arg, dict):
                raise _Invalid(arg_at, f"expected an object, got {_json_type(arg)}")
            if "value" not in arg:
                raise _Invalid(arg_at, "missing field 'value'")
            ref = arg.get("ref")
            if ref is not None:
                _check_ref(ref, t, a, turns, f"{arg_at}.ref", arg["value"])
            if _field(arg, "unresolved", bool, arg_at, optional=True) and ref is not None:
                raise _Invalid(f"{arg_at}.unresolved", "an unresolved argument must have \"ref\": null")
        if kind == "api":
            status = _field(action, "status", str, at, optional=True)
            if status is not None and status not in _STATUSES:
                raise _Invalid(f"{at}.status", f"must be one of {', '.join(sorted(_STATUSES))}, got {status!r}")
            _field(action, "result", dict, at, optional=True)
        else:
            _field(action, "text", str, at, optional=True)


def _cuts_a_word(text: str, offset: int) -> bool:
    """True when ``offset`` falls between two letters or digits: a span that starts or ends
    there marks part of a word ("S" of "Seattle"), never a value the customer said."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def _is_index(value: Any) -> bool:
    return _is_a(value, int) and value >= 0


def _check_ref(ref: Any, t: int, a: int, turns: list, at: str, value: Any) -> None:
    """A reference must point at something said or returned before this action; one to a
    user act (a value labelled without a span) at an inform that carries ``value``."""
    if isinstance(ref, list) and ref and ref[0] == "act":
        if len(ref) != 3 or not all(_is_index(x) for x in ref[1:]):
            raise _Invalid(at, f"expected ['act', turn, act] with indices >= 0, got {ref!r}")
        turn, index = ref[1], ref[2]
        if turn >= t:
            raise _Invalid(at, f"points at turns[{turn}], which does not come before it")
        target = turns[turn]
        acts = target.get("acts") if isinstance(target, dict) and target.get("speaker") == "user" else None
        if not isinstance(acts, list) or index >= len(acts) or not isinstance(acts[index], dict):
            raise _Invalid(at, f"points at turns[{turn}].acts[{index}], which does not exist")
        act = acts[index]
        if act.get("act") != Act.INFORM.value or "value" not in act:
            raise _Invalid(at, f"points at turns[{turn}].acts[{index}], which is no inform carrying a value "
                               "(only a value labelled without a span is taken from an act)")
        if act["value"] != value:
            raise _Invalid(at, f"points at turns[{turn}].acts[{index}], which informs {act['value']!r}, "
                               f"not {value!r}")
        return
    if isinstance(ref, list) and len(ref) in (3, 4) and ref[0] == "api":
        if not all(_is_index(x) for x in ref[1:]):
            raise _Invalid(at, f"expected ['api', turn, action(, item)] with indices >= 0, got {ref!r}")
        turn, action = ref[1], ref[2]
        if turn > t or (turn == t and action >= a):
            raise _Invalid(at, f"points at turns[{turn}].actions[{action}], which does not come before it")
        target = turns[turn]
        actions = target.get("actions") if isinstance(target, dict) and target.get("speaker") == "system" else None
        if not isinstance(actions, list) or action >= len(actions) or not isinstance(actions[action], dict) \
                or actions[action].get("kind") != "api":
            raise _Invalid(at, f"points at turns[{turn}].actions[{action}], which is not an API call")
        if len(ref) == 4:
            result = actions[action].get("result")
            lists = result.values() if isinstance(result, Mapping) else ()
            items = [v for v in lists if isinstance(v, (list, tuple))]
            if len(items) != 1 or ref[3] >= len(items[0]):
                size = f"a list of {len(items[0])}" if len(items) == 1 else "no list"
                raise _Invalid(at, f"points at item {ref[3]} of turns[{turn}].actions[{action}]'s result, "
                                   f"which holds {size}")
        return
    if isinstance(ref, list) and len(ref) == 2:
        if not all(_is_index(x) for x in ref):
            raise _Invalid(at, f"expected [turn, span] with indices >= 0, got {ref!r}")
        turn, span = ref
        if turn >= t:
            raise _Invalid(at, f"points at turns[{turn}], which does not come before it")
        target = turns[turn]
        spans = target.get("spans") if isinstance(target, dict) and target.get("speaker") == "user" else None
        if not isinstance(spans, list) or span >= len(spans):
            raise _Invalid(at, f"points at turns[{turn}].spans[{span}], which does not exist")
        return
    raise _Invalid(at, f"must be [turn, span], ['act', turn, act] or ['api', turn, action(, item)], got {ref!r}")


def _corpus_files(path: Path | UrlPath) -> list[tuple[Path | UrlPath, ShardInfo | None]]:
    """The shard files of a corpus, in order, each with what the manifest says about it."""
    if path.name == MANIFEST and path.is_file():  # stands for its corpus, as for read_manifest
        path = path.parent
    if path.is_file():
        listed = {}  # a shard of a corpus is checked against the corpus's manifest
        if (path.parent / MANIFEST).is_file():
            listed = {shard.name: shard for shard in read_manifest(path.parent).shards}
        return [(path, listed.get(path.name))]
    if not path.is_dir():
        if path.exists():
            _check_regular(path)  # a FIFO or a device: say what it is
        raise CorpusError(path, None, "", "no such corpus directory or file")
    if (path / MANIFEST).exists():
        return [(path / shard.name, shard) for shard in read_manifest(path).shards]
    if isinstance(path, Path) and _interrupted(path):
        raise CorpusError(path, None, "", "a dialogsim run was killed while it replaced this corpus; the next "
                                          "generate into it first puts the previous corpus back")
    files = sorted(path.glob("*.jsonl")) if isinstance(path, Path) else path.glob("*.jsonl")  # a UrlPath's are sorted
    if not files:
        raise CorpusError(path, None, "", "no manifest.json and no *.jsonl shards: not a corpus directory")
    warnings.warn(f"{path}: no manifest.json: reading its *.jsonl files without line counts or checksums, "
                  "so a truncated or missing shard goes unnoticed", CorpusWarning, stacklevel=4)
    return [(f, None) for f in files]


def _records(path: str | os.PathLike) -> Iterator[tuple[str, int, dict]]:
    """(file, line number, checked record) for every line of the corpus at ``path``."""
    ids = _IdIndex()
    for file, shard in _corpus_files(location(path)):
        where = str(file)
        digest = hashlib.sha256()
        lines = 0
        try:
            _check_regular(file)
            handle = file.open("rb")
        except FileNotFoundError:
            raise CorpusError(where, None, "", "shard listed in manifest.json is missing") from None
        except OSError as exc:
            raise CorpusError(where, None, "", f"cannot read: {exc.strerror}") from None
        with handle:
            while data := handle.readline(MAX_LINE_BYTES + 1):
                lines += 1
                if len(data) > MAX_LINE_BYTES:
                    raise CorpusError(where, lines, "", f"longer than {MAX_LINE_BYTES >> 20} MiB: not a corpus line")
                digest.update(data)
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise CorpusError(where, lines, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
                raw = _loads(text, where, lines)
                try:
                    check_record(raw)
                except _Invalid as exc:
                    raise CorpusError(where, lines, exc.field, exc.message) from None
                except RecursionError:
                    raise CorpusError(where, lines, "", "nested too deeply") from None
                ids.add(raw["id"], where, lines)
                yield where, lines, raw
        if shard is not None:
            if lines != shard.lines:
                raise CorpusError(where, None, "", f"has {lines} lines but manifest.json lists {shard.lines} "
                                                   "(truncated or edited after it was written)")
            if digest.hexdigest() != shard.sha256:
                raise CorpusError(where, None, "", "sha256 does not match manifest.json "
                                                   "(edited after it was written)")
    ids.check()


class _IdIndex:
    """Dialogue ids seen so far, as 8-byte hashes with their file and line (16 bytes a
    dialogue, where a set of the ids would take some 100): duplicates are found once the
    whole corpus is read, and reported with both places."""

    def __init__(self) -> None:
        self.hashes = array.array("Q")
        self.places = array.array("Q")
        self.files: list[str] = []

    def add(self, id_: str, where: str, line: int) -> None:
        if not self.files or self.files[-1] != where:
            self.files.append(where)
        self.hashes.append(int.from_bytes(hashlib.blake2b(id_.encode("utf-8", "surrogatepass"),
                                                          digest_size=8).digest(), "little"))
        self.places.append((len(self.files) - 1) << 40 | line)

    def check(self) -> None:
        if len(self.hashes) < 2:
            return
        hashes = np.frombuffer(self.hashes, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        same = np.flatnonzero(hashes[order][1:] == hashes[order][:-1])
        if same.size:
            (file, line), (again, at) = (self._place(int(order[i])) for i in (same[0], same[0] + 1))
            raise CorpusError(again, at, "id", f"the same id as the dialogue at {file}:{line}")

    def _place(self, index: int) -> tuple[str, int]:
        place = self.places[index]
        return self.files[place >> 40], place & ((1 << 40) - 1)


def iter_records(path: str | os.PathLike) -> Iterator[dict]:
    """Every dialogue of the corpus at ``path`` as its checked JSON record, streaming.
    Cheaper than ``read_corpus`` when the figures, not the values, are wanted."""
    for _, _, raw in _records(path):
        yield raw


def read_corpus(path: str | os.PathLike) -> Iterator[Dialogue]:
    """Every dialogue of the corpus at ``path`` -- a corpus directory or its manifest.json
    (shards in manifest order, each checked against its line count and sha256), a
    directory of ``*.jsonl`` files, or one ``.jsonl`` file -- streaming. A malformed line raises ``CorpusError``
    naming the file, the line and the field."""
    for where, line, raw in _records(path):
        try:
            yield Dialogue.from_json(raw)
        except RecursionError:
            raise CorpusError(where, line, "", "nested too deeply") from None
        except KeyError as exc:
            raise CorpusError(where, line, "", f"missing field {exc.args[0]!r}") from None
        except (ValueError, TypeError) as exc:
            raise CorpusError(where, line, "", str(exc)) from None


# -- writing ----------------------------------------------------------------------------

STAGING_PREFIX = ".dialogsim-tmp-"  # a run's private folder inside the corpus directory


def owned_files(out_dir: str | os.PathLike | UrlPath) -> frozenset[str] | None:
    """The names of the files dialogsim wrote in the corpus directory ``out_dir``: its
    ``manifest.json`` and the shards that manifest lists; None without a manifest.

    A corpus is recognised by its manifest's content, not by the file's name: a
    ``manifest.json`` that does not read as a dialogsim manifest (another tool's, a stray
    copy, a corrupted one) raises ``CorpusError``, so nothing in that folder is replaced."""
    out = location(out_dir)
    if not (out / MANIFEST).exists() and not (out / MANIFEST).is_symlink():
        return None
    try:
        manifest = read_manifest(out / MANIFEST)
    except CorpusError as exc:
        raise CorpusError(out_dir, None, "", f"holds a manifest.json that is not a dialogsim corpus manifest "
                                             f"({exc.field + ': ' if exc.field else ''}{exc.message}); "
                                             "refusing to replace anything in it") from None
    return frozenset([MANIFEST, *(shard.name for shard in manifest.shards)])


def _leftovers(out: Path) -> list[Path]:
    """Entries of ``out`` other than runs' staging folders."""
    return [p for p in out.iterdir() if not p.name.startswith(STAGING_PREFIX)]


def _interrupted(out: Path) -> list[Path]:
    """Staging folders of runs killed in the middle of their ``commit`` (SIGKILL, power
    loss): the corpus folder has no manifest, and the folder's ``old/`` holds it."""
    if (out / MANIFEST).exists() or (out / MANIFEST).is_symlink():
        return []
    return [p for p in out.glob(STAGING_PREFIX + "*") if (p / "old" / MANIFEST).is_file()]


def _roll_back(out: Path, staging: Path) -> None:
    """Undo the half-done swap of a dead run: take out the new shards it had moved in (the
    ones its staging manifest lists that are no longer in its staging folder), and move
    the previous corpus back from ``old/``."""
    try:
        new = read_manifest(staging / MANIFEST).shards
    except CorpusError:  # it had not written its manifest: it had moved nothing in
        new = ()
    for shard in new:
        if not (staging / shard.name).exists() and (out / shard.name).is_file():
            os.unlink(out / shard.name)
    for entry in (staging / "old").iterdir():
        os.rename(entry, out / entry.name)


def check_target(out_dir: str | os.PathLike) -> Path:
    """The absolute corpus directory to write. Refuses a file, a symbolic link, a folder
    holding a ``manifest.json`` dialogsim did not write, and a non-empty folder without a
    manifest: ``generate`` only ever replaces files of a corpus it recognises."""
    out = Path(out_dir).absolute()
    if out.is_symlink():
        raise CorpusError(out_dir, None, "", "is a symbolic link; refusing to replace it (give the real directory)")
    if out.exists():
        if not out.is_dir():
            raise CorpusError(out_dir, None, "", "exists and is not a directory; refusing to overwrite it")
        try:
            if owned_files(out) is None and _leftovers(out) and not _interrupted(out):
                raise CorpusError(out_dir, None, "", "refusing to overwrite: the directory is not empty and has no "
                                                     "manifest.json, so it is not a dialogsim corpus")
        except PermissionError as exc:
            raise CorpusError(out_dir, None, "", f"cannot read the directory: {exc.strerror}") from None
        return out
    above = next((p for p in out.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise CorpusError(out_dir, None, "", f"cannot create it: {above} is not a directory")
    return out


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # directories cannot be opened on some platforms (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock(directory: Path) -> int | None:
    """An exclusive ``flock`` on ``directory``, held until the descriptor returned is closed.

    Every writer holds it from start to end, so a writer that holds it knows that any
    staging folder it finds belongs to a dead run, and two writers (even two containers
    whose processes share a PID) can never mix their shards. The kernel drops the lock
    when its holder dies, however it dies. None where the platform or file system has no
    ``flock``: then stale folders are left alone."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise CorpusError(directory, None, "", "another dialogsim run is writing this corpus; "
                                               "try again when it has finished") from None
    except OSError:  # no flock on this file system
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back while the corpus files are swapped, then act
    on them: a Ctrl-C in the middle of the renames must not leave half of each corpus.
    Signal handlers can only be set from the main thread; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, Any]] = []
    names = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.getsignal(signum) for signum in names}
    for signum in names:
        signal.signal(signum, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum, frame in caught[:1]:  # the first one decides, as it would have
            handler = previous[signum]
            if callable(handler):
                handler(signum, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


class ShardFile:
    """One shard file being written, the one way every engine writes one: lines escaped
    (``escape_line_separators``), hashed and counted as they go. The bytes go to a private
    ``.partial`` file that ``close`` fsyncs and renames to the shard's name, so two attempts
    at the same shard (a task Ray retried after its worker was lost) never mix their bytes:
    the last rename wins, and both wrote the same content."""

    def __init__(self, directory: str | os.PathLike | UrlPath, shard: int) -> None:
        self.path = location(directory) / shard_name(shard)
        self._partial = None  # an object store's object appears whole when its upload completes
        if isinstance(self.path, Path):
            self._partial = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.partial")
        self._file = (self._partial or self.path).open("wb")
        self._digest = hashlib.sha256()
        self._lines = 0

    def write(self, text: str) -> None:
        """Append ``text``: whole lines, each ending in a newline."""
        data = escape_line_separators(text).encode("utf-8")
        self._file.write(data)
        self._digest.update(data)
        self._lines += text.count("\n")

    def close(self) -> ShardInfo:
        """Finish the shard and put it in place under its name; returns what the manifest says of it."""
        if self._partial is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
        self._file.close()
        if self._partial is not None:
            os.replace(self._partial, self._partial.with_name(self.path.name))
        return ShardInfo(name=self.path.name, lines=self._lines, sha256=self._digest.hexdigest())

    def abort(self) -> None:
        """Give up the shard: close and delete the partial file."""
        self._file.close()
        with contextlib.suppress(OSError):
            (self._partial or self.path).unlink()


class CorpusWriter:
    """Writes a corpus directory, replacing only what a previous run of dialogsim wrote.

    Shards and the manifest go to a staging folder ``.dialogsim-tmp-<random>`` inside the
    corpus directory, unique per run. ``commit`` fsyncs them and, with signals held back,
    moves the previous corpus's manifest and shards aside, the new shards in and the new
    manifest last; then deletes the staging folder with the old files. Nothing else in
    the directory is touched -- a README, a scenario file, nested folders stay. Leaving
    the ``with`` block without ``commit`` (an exception, Ctrl-C) deletes the staging folder
    (and the directory itself if this run created it) and leaves the previous corpus as it
    was; a run killed outright leaves its staging folder, which the next run removes --
    after putting the previous corpus back, if the run died in the middle of the swap.
    A lock on the directory keeps a second writer out while one runs. Use::

        with CorpusWriter(out_dir) as writer:
            writer.write(0, "line\\nline\\n")
            writer.commit(manifest_text)
    """

    def __init__(self, out_dir: str | os.PathLike, *, shards: int | None = None) -> None:
        self.target = check_target(out_dir)
        self.shards: list[ShardInfo] = []
        self.tmp: Path | None = None
        self._expected = shards  # shard count, when known: name clashes are refused up front
        self._created: list[Path] = []
        self._lock: int | None = None
        self._file: ShardFile | None = None
        self._shard: int | None = None
        self._committed = False

    def __enter__(self) -> "CorpusWriter":
        try:
            for directory in reversed([self.target, *self.target.parents]):
                if not directory.exists():
                    directory.mkdir()
                    self._created.append(directory)
            self._lock = _lock(self.target)
            if self._lock is not None:  # only dead runs' staging folders are left now
                for stale in _interrupted(self.target):
                    _roll_back(self.target, stale)
            check_target(self.target)  # again, now that no other writer can change it
            if self._lock is not None:
                for stale in self.target.glob(STAGING_PREFIX + "*"):
                    if stale.is_dir() and not stale.is_symlink():
                        shutil.rmtree(stale, ignore_errors=True)
            if self._expected is not None:
                self._check_clashes([shard_name(i) for i in range(self._expected)])
            self.tmp = self.target / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
            self.tmp.mkdir()
        except BaseException:
            self._clean_up()
            raise
        return self

    def _check_clashes(self, names: Iterable[str]) -> frozenset[str]:
        """The files of the previous corpus; refuses when a new shard would overwrite a file
        that is not one of them."""
        owned = owned_files(self.target) or frozenset()
        for name in names:
            path = self.target / name
            if name not in owned and (path.exists() or path.is_symlink()):
                raise CorpusError(path, None, "", "is in the way and is not part of the corpus; "
                                                  "refusing to overwrite it")
        return owned

    def write(self, shard: int, text: str) -> None:
        """Append ``text`` (whole lines, each ending in a newline) to shard ``shard``;
        shards must come in increasing order."""
        file = self._file
        if shard != self._shard:
            if self._shard is not None and shard < self._shard:
                raise ValueError(f"shard {shard} written after shard {self._shard}")
            self._close_shard()
            self._shard = shard
            file = self._file = ShardFile(self._staging, shard)
        elif file is None:
            raise ValueError(f"shard {shard} written after it was closed")
        file.write(text)

    @property
    def _staging(self) -> Path:
        """The run's staging folder, which exists inside the ``with`` block only."""
        if self.tmp is None:
            raise RuntimeError("a CorpusWriter writes inside its with block")
        return self.tmp

    def _close_shard(self) -> None:
        if self._file is None:
            return
        self.shards.append(self._file.close())
        self._file = None

    def add_shard(self, shard: ShardInfo) -> None:
        """Record a shard that another process wrote into ``self.tmp`` with ``ShardFile``
        (the Ray engine's tasks); shards must come in order."""
        self.shards.append(shard)

    def close_shards(self) -> tuple[ShardInfo, ...]:
        """Finish the last shard; returns every shard written, for the manifest."""
        self._close_shard()
        return tuple(self.shards)

    def commit(self, manifest: str) -> None:
        """Write ``manifest.json`` and swap the finished corpus into place."""
        self._close_shard()
        tmp = self._staging
        with open(tmp / MANIFEST, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(manifest)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(tmp)
        new = [shard.name for shard in self.shards]
        with _signals_deferred():
            owned = self._check_clashes(new)
            old = tmp / "old"
            old.mkdir()
            moved: list[str] = []
            placed: list[str] = []
            try:
                # The old manifest goes first and the new one comes last: in between, the
                # directory has no manifest, so no reader takes a mix of two corpora for one.
                for name in [MANIFEST, *sorted(owned - {MANIFEST})]:
                    if (self.target / name).exists() or (self.target / name).is_symlink():
                        os.rename(self.target / name, old / name)
                        moved.append(name)
                for name in [*new, MANIFEST]:
                    os.rename(tmp / name, self.target / name)
                    placed.append(name)
            except BaseException:
                for name in placed:
                    os.rename(self.target / name, tmp / name)
                for name in moved:
                    os.rename(old / name, self.target / name)
                raise
            self._committed = True
        _fsync_dir(self.target)

    def _clean_up(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        if not self._committed:
            for directory in reversed(self._created):  # only the folders this run made, if empty
                try:
                    directory.rmdir()
                except OSError:
                    break

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._file is not None:
            self._file.abort()
            self._file = None
        self._clean_up()
