"""The bot protocol: what a bot under test receives and what it may answer.

A bot is anything with ``respond(turn) -> reply`` and, optionally, ``reset()`` (called
before each conversation). ``BotTurn`` is the customer's text -- a ``str``, so a bot that
only reads text needs nothing from dialogsim -- carrying the structured ``acts`` and
``spans`` (and the whole ``UserTurn``) for bots that want them. A reply is the bot's text
(a plain ``str``), a ``BotReply`` (text, optionally the API calls it made and its
structured actions), a JSON-like mapping with the same keys, or the ``Reply`` of
``dialogsim.load_bot``; ``to_reply`` reads any of them. A reply that is none of these is a
``BotReplyError``, which the driver reports as a finding.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol, runtime_checkable

import attrs

from dialogsim._attrs import freeze, frozen_tuple
from dialogsim.dialogue import Action, ApiCall, Arg, Response, Span, UserAct, UserTurn
from dialogsim.errors import DialogsimError

__all__ = ["Bot", "BotTurn", "BotReply", "BotReplyError", "to_reply"]


class BotReplyError(DialogsimError, TypeError):
    """A bot answered something that is not a reply (``to_reply``)."""


class BotTurn(str):
    """The customer's turn as a bot receives it: its text, with ``acts``, ``spans`` and the
    annotated ``user_turn`` attached."""

    user_turn: UserTurn
    acts: tuple[UserAct, ...]
    spans: tuple[Span, ...]

    def __new__(cls, turn: UserTurn) -> "BotTurn":
        self = super().__new__(cls, turn.text)
        self.user_turn, self.acts, self.spans = turn, turn.acts, turn.spans
        return self


@attrs.frozen(kw_only=True)
class BotReply:
    """A bot's turn: ``text``; ``api_calls`` it made (``None``: it does not say);
    ``actions``: its structured ``ApiCall`` and ``Response`` actions in order (``None``:
    text only, which the customer then understands by the scenario's response templates)."""

    text: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    api_calls: tuple[ApiCall, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(frozen_tuple))
    actions: tuple[Action, ...] | None = attrs.field(default=None, converter=attrs.converters.optional(frozen_tuple))

    @property
    def reported_calls(self) -> tuple[ApiCall, ...]:
        """The API calls the bot says it made: in ``actions`` or else ``api_calls``."""
        if self.actions is not None:
            return tuple(a for a in self.actions if isinstance(a, ApiCall))
        return self.api_calls or ()


@runtime_checkable
class Bot(Protocol):
    """What the driver talks to (``reset()`` is optional and found by the adapters)."""

    def respond(self, turn: BotTurn) -> Any:
        """The bot's turn after the customer's ``turn``: a ``str``, ``BotReply`` or mapping."""


def _call(raw: Any) -> ApiCall:
    """An API call from JSON: ``{"name", "args": {arg: value}, "status"?, "result"?}``."""
    if isinstance(raw, ApiCall):
        return raw
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
        raise BotReplyError(f"an API call must be a mapping with a 'name', got {raw!r}")
    args = raw.get("args") or {}
    if not isinstance(args, Mapping):
        raise BotReplyError(f"API call {raw['name']!r}: 'args' must map argument names to values, got {args!r}")
    try:
        return ApiCall(name=raw["name"], args={k: v if isinstance(v, Arg) else Arg(value=v) for k, v in args.items()},
                       status=raw.get("status", "ok"), result=freeze(raw.get("result") or {}))
    except ValueError as error:
        raise BotReplyError(f"API call {raw['name']!r}: {error}") from None


def _action(raw: Any) -> Action:
    if isinstance(raw, (ApiCall, Response)):
        return raw
    if isinstance(raw, Mapping) and raw.get("kind") == "response" and isinstance(raw.get("name"), str):
        args = raw.get("args") or {}
        return Response(name=raw["name"], text=str(raw.get("text", "")),
                        args={k: v if isinstance(v, Arg) else Arg(value=v) for k, v in args.items()})
    if isinstance(raw, Mapping) and raw.get("kind", "api") == "api":
        return _call(raw)
    raise BotReplyError(f"an action must be an API call or a response ({{'kind': 'response', 'name': ...}}), "
                        f"got {raw!r}")


def to_reply(raw: Any) -> BotReply:
    """Read what a bot answered (module docstring) as a ``BotReply``."""
    if isinstance(raw, BotReply):
        return raw
    if isinstance(raw, str):
        return BotReply(text=raw)
    if isinstance(raw, Mapping):
        text = raw.get("text", "")
        if not isinstance(text, str):
            raise BotReplyError(f"a reply's 'text' must be a string, got {text!r}")
        calls = raw.get("api_calls")
        actions = raw.get("actions")
        return BotReply(text=text, api_calls=None if calls is None else [_call(c) for c in calls],
                        actions=None if actions is None else [_action(a) for a in actions])
    if hasattr(raw, "text") and hasattr(raw, "actions"):  # dialogsim.bot.Reply
        return BotReply(text=raw.text, actions=[_action(a) for a in raw.actions])
    raise BotReplyError(f"a reply must be a str, a BotReply or a mapping with 'text', got {type(raw).__name__}")
