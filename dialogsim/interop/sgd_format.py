"""Reading Google's Schema-Guided Dialogue (SGD) files, checked as they are read.

``load_service(schema_json, name)`` returns one ``SgdService`` (its slots and intents);
``iter_dialogues(files)`` streams the dialogue objects of SGD ``dialogues_NNN.json`` files.
Both check the shape they rely on and raise ``SgdError`` naming the file, the path inside
the JSON and what is wrong (``dialogues_001.json: [4].turns[2].frames[0].slots[1]: end 90 is
beyond the utterance (41 characters)``): a malformed file must stop an import with one line
a person can act on, not a ``KeyError`` deep inside the mapping.

The SGD format itself is described in the dataset's README (``schema.json`` services with
``slots`` and ``intents``; dialogues of ``USER`` / ``SYSTEM`` turns with one frame per
service holding ``actions``, ``slots`` spans, ``service_call`` and ``service_results``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import attrs

from dialogsim._attrs import FrozenDict, freeze, frozen_tuple
from dialogsim.errors import LocatedError

__all__ = ["SgdError", "SgdSlot", "SgdIntent", "SgdService", "load_schema", "load_service",
           "iter_dialogues", "service_frames", "USER_ACTS", "SYSTEM_ACTS"]

USER_ACTS = frozenset({"INFORM_INTENT", "NEGATE_INTENT", "AFFIRM_INTENT", "INFORM", "REQUEST", "AFFIRM",
                       "NEGATE", "SELECT", "REQUEST_ALTS", "THANK_YOU", "GOODBYE"})
SYSTEM_ACTS = frozenset({"INFORM", "REQUEST", "CONFIRM", "OFFER", "NOTIFY_SUCCESS", "NOTIFY_FAILURE",
                         "INFORM_COUNT", "OFFER_INTENT", "REQ_MORE", "GOODBYE"})


class SgdError(LocatedError):
    """An SGD schema or dialogue file that does not have the shape of the SGD format."""


@attrs.frozen(kw_only=True)
class SgdSlot:
    name: str
    categorical: bool
    possible_values: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    description: str = ""


@attrs.frozen(kw_only=True)
class SgdIntent:
    """An SGD intent: ``optional`` maps each optional slot to its default value."""

    name: str
    transactional: bool
    required: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    optional: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=freeze)
    results: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    description: str = ""


@attrs.frozen(kw_only=True)
class SgdService:
    name: str
    slots: Mapping[str, SgdSlot] = attrs.field(converter=freeze)
    intents: Mapping[str, SgdIntent] = attrs.field(converter=freeze)
    description: str = ""


class _Bad(Exception):
    def __init__(self, at: str, message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _get(obj: dict, key: str, kind: type, at: str, *, optional: bool = False) -> Any:
    where = f"{at}.{key}" if at else key
    if key not in obj:
        if optional:
            return None
        raise _Bad(at, f"missing field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Bad(where, f"expected {_kind(kind())}, got {_kind(value)}")
    return value


def _strings(obj: dict, key: str, at: str, *, optional: bool = False) -> list[str]:
    items = _get(obj, key, list, at, optional=optional) or []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise _Bad(f"{at}.{key}[{i}]", f"expected a string, got {_kind(item)}")
    return items


def _read_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SgdError(path, None, "", "no such file") from None
    except IsADirectoryError:
        raise SgdError(path, None, "", "is a directory, not an SGD JSON file") from None
    except OSError as exc:
        raise SgdError(path, None, "", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SgdError(path, None, "", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SgdError(path, exc.lineno, "", f"invalid JSON: {exc.msg} (column {exc.colno})") from None


def _service(raw: Any, at: str) -> SgdService:
    if not isinstance(raw, dict):
        raise _Bad(at, f"expected a service object, got {_kind(raw)}")
    name = _get(raw, "service_name", str, at)
    slots: dict[str, SgdSlot] = {}
    for i, slot in enumerate(_get(raw, "slots", list, at)):
        where = f"{at}.slots[{i}]"
        if not isinstance(slot, dict):
            raise _Bad(where, f"expected a slot object, got {_kind(slot)}")
        sname = _get(slot, "name", str, where)
        if sname in slots:
            raise _Bad(f"{where}.name", f"duplicate slot {sname!r}")
        slots[sname] = SgdSlot(name=sname, categorical=_get(slot, "is_categorical", bool, where),
                               possible_values=_strings(slot, "possible_values", where, optional=True),
                               description=_get(slot, "description", str, where, optional=True) or "")
    intents: dict[str, SgdIntent] = {}
    for i, intent in enumerate(_get(raw, "intents", list, at)):
        where = f"{at}.intents[{i}]"
        if not isinstance(intent, dict):
            raise _Bad(where, f"expected an intent object, got {_kind(intent)}")
        iname = _get(intent, "name", str, where)
        if iname in intents:
            raise _Bad(f"{where}.name", f"duplicate intent {iname!r}")
        optional = _get(intent, "optional_slots", dict, where, optional=True) or {}
        for key, default in optional.items():
            if not isinstance(default, str):
                raise _Bad(f"{where}.optional_slots.{key}", f"expected a default value string, got {_kind(default)}")
        required = _strings(intent, "required_slots", where, optional=True)
        results = _strings(intent, "result_slots", where, optional=True)
        for key, names in (("required_slots", required), ("optional_slots", list(optional)),
                           ("result_slots", results)):
            for j, sname in enumerate(names):
                if sname not in slots:
                    field = f"{where}.{key}[{j}]" if key != "optional_slots" else f"{where}.{key}.{sname}"
                    raise _Bad(field, f"unknown slot {sname!r} (not in the service's slots)")
        intents[iname] = SgdIntent(name=iname, transactional=_get(intent, "is_transactional", bool, where),
                                   required=required, optional=optional, results=results,
                                   description=_get(intent, "description", str, where, optional=True) or "")
    if not intents:
        raise _Bad(f"{at}.intents", "a service needs at least one intent")
    return SgdService(name=name, slots=slots, intents=intents,
                      description=_get(raw, "description", str, at, optional=True) or "")


def load_schema(path: str | os.PathLike) -> dict[str, SgdService]:
    """Every service of an SGD ``schema.json``, by name, checked."""
    path = Path(path)
    raw = _read_json(path)
    if not isinstance(raw, list):
        raise SgdError(path, None, "", f"expected an array of services, got {_kind(raw)}")
    services: dict[str, SgdService] = {}
    for i, item in enumerate(raw):
        try:
            service = _service(item, f"[{i}]")
        except _Bad as exc:
            raise SgdError(path, None, exc.at, exc.message) from None
        services[service.name] = service
    return services


def load_service(path: str | os.PathLike, name: str) -> SgdService:
    """The service ``name`` of an SGD schema file."""
    services = load_schema(path)
    if name not in services:
        raise SgdError(path, None, "", f"no service {name!r} (services: {', '.join(sorted(services))})")
    return services[name]


def _check_frame(frame: Any, utterance: str, speaker: str, at: str) -> None:
    if not isinstance(frame, dict):
        raise _Bad(at, f"expected a frame object, got {_kind(frame)}")
    _get(frame, "service", str, at)
    for i, span in enumerate(_get(frame, "slots", list, at, optional=True) or ()):
        where = f"{at}.slots[{i}]"
        if not isinstance(span, dict):
            raise _Bad(where, f"expected a slot span object, got {_kind(span)}")
        _get(span, "slot", str, where)
        start = _get(span, "start", int, where)
        end = _get(span, "exclusive_end", int, where)
        if not 0 <= start < end:
            raise _Bad(where, f"offsets must satisfy 0 <= start < exclusive_end, got [{start}, {end})")
        if end > len(utterance):
            raise _Bad(where, f"end {end} is beyond the utterance ({len(utterance)} characters)")
    acts = USER_ACTS if speaker == "USER" else SYSTEM_ACTS
    for i, action in enumerate(_get(frame, "actions", list, at)):
        where = f"{at}.actions[{i}]"
        if not isinstance(action, dict):
            raise _Bad(where, f"expected an action object, got {_kind(action)}")
        act = _get(action, "act", str, where)
        if act not in acts:
            raise _Bad(f"{where}.act", f"unknown {speaker} act {act!r}")
        _get(action, "slot", str, where, optional=True)
        values = _strings(action, "values", where, optional=True)
        canonical = _strings(action, "canonical_values", where, optional=True)
        if "canonical_values" in action and len(canonical) != len(values):
            raise _Bad(where, f"{len(values)} values but {len(canonical)} canonical_values")
    if speaker == "SYSTEM":
        call = _get(frame, "service_call", dict, at, optional=True)
        if call is not None:
            _get(call, "method", str, f"{at}.service_call")
            params = _get(call, "parameters", dict, f"{at}.service_call")
            for key, value in params.items():
                if not isinstance(value, str):
                    raise _Bad(f"{at}.service_call.parameters.{key}", f"expected a string, got {_kind(value)}")
        for i, result in enumerate(_get(frame, "service_results", list, at, optional=True) or ()):
            if not isinstance(result, dict) or not all(isinstance(v, str) for v in result.values()):
                raise _Bad(f"{at}.service_results[{i}]", "expected an object of slot names to strings")


def _check_dialogue(raw: Any, at: str) -> None:
    if not isinstance(raw, dict):
        raise _Bad(at, f"expected a dialogue object, got {_kind(raw)}")
    _get(raw, "dialogue_id", str, at)
    _strings(raw, "services", at)
    for t, turn in enumerate(_get(raw, "turns", list, at)):
        where = f"{at}.turns[{t}]"
        if not isinstance(turn, dict):
            raise _Bad(where, f"expected a turn object, got {_kind(turn)}")
        speaker = _get(turn, "speaker", str, where)
        if speaker not in ("USER", "SYSTEM"):
            raise _Bad(f"{where}.speaker", f"must be USER or SYSTEM, got {speaker!r}")
        expected = "USER" if t % 2 == 0 else "SYSTEM"
        if speaker != expected:
            raise _Bad(f"{where}.speaker", f"turns alternate starting with USER, so this one is {expected}")
        utterance = _get(turn, "utterance", str, where)
        for f, frame in enumerate(_get(turn, "frames", list, where)):
            _check_frame(frame, utterance, speaker, f"{where}.frames[{f}]")


def iter_dialogues(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, dict]]:
    """(file, dialogue) for every dialogue of the SGD dialogue files, in order, each checked.
    One file is held in memory at a time."""
    for path in map(Path, paths):
        raw = _read_json(path)
        if not isinstance(raw, list):
            raise SgdError(path, None, "", f"expected an array of dialogues, got {_kind(raw)}")
        for i, dialogue in enumerate(raw):
            try:
                _check_dialogue(dialogue, f"[{i}]")
            except _Bad as exc:
                raise SgdError(path, None, exc.at, exc.message) from None
            yield str(path), dialogue


def service_frames(turn: Mapping, service: str) -> list[Mapping]:
    """Every frame of ``service`` in an SGD turn, in order: SGD itself gives a service one
    frame per turn, dialogsim's export one per API call of a system turn."""
    return [frame for frame in turn["frames"] if frame["service"] == service]
