"""Adapters: whatever a user's bot is, the driver talks to it through ``respond`` / ``reset``.

- ``as_bot(obj)``: a Python object with ``respond(turn)`` (and maybe ``reset()``), or a
  plain callable ``f(turn) -> reply`` -- such as ``dialogsim.load_bot(model_dir)``, whose
  ``respond(text)`` reads the ``BotTurn`` as the ``str`` it is;
- ``import_bot("module:name", scenario)``: the same, named the way the CLI's ``--python``
  names it; a class is instantiated, with the scenario when its constructor takes an
  argument (``dialogsim.testing:ReferenceBot``);
- ``HttpBot(url)``: a bot behind Rasa's REST channel (``POST {"sender", "message"}`` answered
  by a list of ``{"text": ...}`` messages), with only the standard library. The API calls
  it made come from a JSON field of its messages (``"api_calls"`` by default, at the top of
  a message or inside Rasa's ``"custom"`` payload) or from a hook ``api_calls(messages)``
  that returns them (for a bot that logs its calls elsewhere). Each conversation gets a
  fresh ``sender`` id, so the bot's tracker starts anew.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import json
import urllib.error
import urllib.request
import uuid
from typing import Any, Callable, Sequence

from dialogsim.errors import DialogsimError
from dialogsim.testing.protocol import BotReply, BotReplyError, BotTurn, to_reply

__all__ = ["BotError", "as_bot", "import_bot", "HttpBot"]


class BotError(DialogsimError, ValueError):
    """A bot cannot be found or reached (an import path that names nothing, a bad URL)."""


class _Callable:
    """A plain function as a bot."""

    def __init__(self, respond: Callable[[BotTurn], Any]) -> None:
        self.respond = respond


def as_bot(obj: Any) -> Any:
    """``obj`` as something with ``respond`` (module docstring); TypeError otherwise."""
    if callable(getattr(obj, "respond", None)):
        return obj
    if callable(obj) and not isinstance(obj, type):
        return _Callable(obj)
    raise TypeError(f"a bot needs a respond(turn) method or must be a callable, got {type(obj).__name__}")


def import_bot(spec: str, scenario: Any = None) -> Any:
    """The bot named ``module:name`` (``name`` may be dotted; module docstring)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise BotError(f"--python takes module:name (e.g. my_bot:bot), got {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise BotError(f"cannot import {module_name!r}: {error}") from None
    obj: Any = module
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise BotError(f"module {module_name!r} has no {attribute!r}")
        obj = getattr(obj, part)
    if isinstance(obj, type):
        takes = [p for p in inspect.signature(obj).parameters.values()
                 if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        obj = obj(scenario) if takes else obj()
    try:
        return as_bot(obj)
    except TypeError as error:
        raise BotError(f"{spec}: {error}") from None


class HttpBot:
    """A bot behind Rasa's REST channel at ``url`` (module docstring).

    ``field``: the key of a message that lists API calls (``{"name", "args", "status"?,
    "result"?}``); ``api_calls``: a hook given the list of messages that returns the calls
    instead; ``timeout``: seconds to wait for an answer.
    """

    def __init__(self, url: str, *, field: str = "api_calls",
                 api_calls: Callable[[Sequence[Any]], Sequence[Any] | None] | None = None,
                 timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise BotError(f"--http takes an http:// or https:// URL, got {url!r}")
        self.url = url
        self.field = field
        self.hook = api_calls
        self.timeout = timeout
        # Sender ids unique to this adapter: two test runs against one server never share a tracker.
        self._prefix, self._ids = f"dialogsim-{uuid.uuid4().hex[:12]}", itertools.count()
        self.reset()

    def reset(self) -> None:
        self.sender = f"{self._prefix}-{next(self._ids)}"

    def respond(self, turn: BotTurn) -> BotReply:
        body = json.dumps({"sender": self.sender, "message": str(turn)}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                messages = json.loads(answer.read().decode("utf-8"))
        except urllib.error.URLError as error:
            raise BotError(f"{self.url}: {getattr(error, 'reason', error)}") from None
        except TimeoutError:
            raise BotError(f"{self.url}: no answer within {self.timeout:g} s") from None
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise BotReplyError(f"{self.url} answered {messages!r}, not a list of messages")
        text = " ".join(m["text"] for m in messages if isinstance(m.get("text"), str))
        if self.hook is not None:
            calls = self.hook(messages)
        else:
            found = [m.get(self.field, (m.get("custom") or {}).get(self.field)) for m in messages]
            calls = None if all(f is None for f in found) else [c for f in found if f for c in f]
        return to_reply({"text": text, "api_calls": None if calls is None else list(calls)})
