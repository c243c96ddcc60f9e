"""The system's dialogue state: everything the system policy's next decision reads.

``SystemState`` is a frozen value, so a policy is a function you can call and test
directly -- ``SystemPolicy.step(state, user_turn, rng) -> (state, system_turn)`` in
``dialogsim.agents.system`` -- and a core contract, so the stages that replace or drive
that policy (a learned policy in ``dialogsim.models``, the ``ReferenceBot`` of
``dialogsim.testing``) read the same state without importing the agents:

- ``known``: argument values the customer gave, each an ``Arg`` whose ``SpanRef`` points
  at the span it came from (contextual carryover: a known value is never asked again);
- ``results``: the latest successful result of each API (``Found``: value + ``ApiRef`` +
  the customer's values it rests on), dropped once one of those values is revised;
  ``recency`` the APIs with results, most recent last, and ``selection`` the item the
  customer picked from a list result; ``picking``: the API whose list the last turn asked
  the customer to pick from (a pick answers that list, not the newest one), and
  ``pending``: the result field the customer asked about before picking, answered once
  it has;
- ``confirmed`` / ``api_confirmed``: slot values and APIs the customer confirmed;
  ``dont_care``: optional arguments left to their default; ``asked``: optional
  ``(api, argument)`` pairs asked once;
- ``checking``: values the system will confirm before using them ("Did you say
  Seattle?"), drawn as they are heard;
- ``active`` (the API being worked on), ``stack`` (APIs waiting for an upstream one),
  ``done`` (APIs called successfully), ``called`` (APIs called at all: the backend's
  scripted empty result or failure applies to the first call only), ``failed`` (APIs whose
  last call found nothing or failed: the goodbye is sorry);
- ``waiting`` / ``waiting_for``: what the last system turn asked, which is how the next
  user turn is read; ``turns``: turns so far; ``finished``: the system said goodbye;
  ``day_part``: the part of the day the customer greeted or took leave in ("good
  morning"), so that the goodbye does not wish a good evening.
"""

from __future__ import annotations

import enum
from typing import Any, Mapping

import attrs

from dialogsim._attrs import FrozenDict, frozen_mapping, frozen_tuple
from dialogsim.dialogue import ApiRef, Arg

__all__ = ["Waiting", "Context", "Found", "SystemState"]


class Waiting(str, enum.Enum):
    """What the system's last turn asked the customer; how it reads the next answer."""

    NOTHING = "nothing"
    REQUEST = "request"  # an argument value (or a pick among results, for an entity argument)
    CONFIRM_ARG = "confirm_arg"
    CONFIRM_API = "confirm_api"
    OFFER = "offer"
    REQMORE = "reqmore"


class Context(str, enum.Enum):
    """How the policy needs a response said, beyond its name: the realiser picks the
    wording (``dialogsim.paraphrase.system_phrases``)."""

    PLAIN = ""
    IMPLICIT = "implicit"  # a confirmation that echoes the values and goes on, not a question
    SEVERAL = "several"  # an offer after a list with nothing picked: not "book it"
    COMPLETED = "completed"  # the goodbye, by how the dialogue went
    THANKED = "thanked"  # ... completed, and the customer's closing thanked: "You're welcome." fits
    FAILED = "failed"
    ABANDONED = "abandoned"


def _frozenset(value) -> frozenset:
    return value if type(value) is frozenset else frozenset(value)


@attrs.frozen
class Found:
    """A successful API result: its value (an entity, a scalar or a tuple of items), the
    action that produced it and its ``basis``: the customer's values it was computed from,
    ``(slot, value)`` pairs -- those the call took and, through the results it took, those
    its upstream calls took. Once the customer changes one of them, the result is out of
    date: the policy forgets it, so that the API runs again before its output is used."""

    ref: ApiRef
    value: Any
    basis: frozenset[tuple[str, Any]] = attrs.field(default=frozenset(), converter=_frozenset)


@attrs.frozen(kw_only=True)
class SystemState:
    """What the system knows between turns (module docstring); ``SystemState()`` is the
    state before the first turn."""

    turns: int = 0
    known: Mapping[str, Arg] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    confirmed: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    dont_care: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    asked: frozenset[tuple[str, str]] = attrs.field(default=frozenset(), converter=_frozenset)
    results: Mapping[str, Found] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    recency: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    selection: Mapping[str, int] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    picking: str | None = None
    pending: tuple[str, str] | None = None  # (api, field)
    api_confirmed: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    checking: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    done: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    called: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    failed: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset)
    active: str | None = None
    stack: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    waiting: Waiting = attrs.field(default=Waiting.NOTHING, converter=Waiting)
    waiting_for: str | None = None
    finished: bool = False
    day_part: str | None = None  # the part of the day the customer greeted or left in (``wording.day_part``)
