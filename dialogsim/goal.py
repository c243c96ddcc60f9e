"""What one simulated customer wants, and how it will behave while getting it.

A ``Goal`` is drawn by ``GoalSampler`` for each dialogue and drives the customer agent's
policy. It is stored in every corpus line, so a dialogue can be read against the goal that
produced it: ``apis`` (a path through the dependency graph), ``values`` (the canonical
argument values the customer holds), ``dont_care`` (optional arguments it leaves to the
default), ``requests`` (result fields it will ask about), ``revisions`` (values it will
change its mind to, and when), ``outcomes`` (scripted backend answers for the first call of
an API) and ``behaviour``.
"""

from __future__ import annotations

import enum
from typing import Mapping

import attrs

from dialogsim._attrs import FrozenDict, freeze, frozen_mapping, frozen_tuple

__all__ = ["ApiStatus", "Moment", "Revision", "Behaviour", "Goal"]


class ApiStatus(str, enum.Enum):
    """What the mock backend answered to an API call (a goal scripts the first answer)."""

    OK = "ok"
    EMPTY = "empty"  # the call worked but found nothing
    FAILURE = "failure"  # the call failed (service error)


def _statuses(value: Mapping) -> FrozenDict:
    return FrozenDict({api: ApiStatus(status) for api, status in value.items()})


class Moment(str, enum.Enum):
    """When a customer changes its mind about a value."""

    BEFORE_CALL = "before_call"  # unprompted, after giving the value, before the API is called
    AT_CONFIRMATION = "at_confirmation"  # denies the confirmation and gives the new value
    AFTER_RESULT = "after_result"  # hears the result, then asks again with a new value


@attrs.frozen(kw_only=True)
class Revision:
    """The customer will replace its value for ``slot`` (of API ``api``) by ``value``."""

    api: str
    slot: str
    value: str
    moment: Moment = attrs.field(converter=Moment)

    def to_json(self) -> dict:
        return {"api": self.api, "slot": self.slot, "value": self.value, "moment": self.moment.value}


@attrs.frozen(kw_only=True)
class Behaviour:
    """How the customer talks.

    ``first_informs``: values volunteered with the request for an API (0 under-informs,
    2+ over-informs); ``informs_per_turn``: values given when asked for one (2+ gives more
    than asked); ``deny_confirm``: APIs whose confirmation it denies once; ``anaphora``:
    refers to results by "it" / "that one" / an ordinal instead of letting the system ask;
    ``select``: which item of a list result it picks; ``give_up``: after an empty result or
    a failure it ends the dialogue instead of recovering; ``volunteer``: slots with a
    declared ``volunteer:`` rate that it says unasked, with the request for their API (the
    others of those slots it says only when asked).
    """

    first_informs: int = 1
    informs_per_turn: int = 1
    deny_confirm: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    anaphora: bool = False
    select: int = 0
    give_up: bool = False
    volunteer: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)

    def to_json(self) -> dict:
        out = {"first_informs": self.first_informs, "informs_per_turn": self.informs_per_turn,
               "deny_confirm": list(self.deny_confirm), "anaphora": self.anaphora,
               "select": self.select, "give_up": self.give_up}
        if self.volunteer:  # only scenarios that declare a rate: other corpora keep their bytes
            out["volunteer"] = list(self.volunteer)
        return out


@attrs.frozen(kw_only=True)
class Goal:
    apis: tuple[str, ...] = attrs.field(converter=frozen_tuple)
    values: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=frozen_mapping)
    dont_care: tuple[str, ...] = attrs.field(default=(), converter=frozen_tuple)
    requests: Mapping[str, tuple[str, ...]] = attrs.field(factory=FrozenDict, converter=freeze)
    revisions: tuple[Revision, ...] = attrs.field(default=(), converter=frozen_tuple)
    outcomes: Mapping[str, ApiStatus] = attrs.field(factory=FrozenDict, converter=_statuses)
    behaviour: Behaviour = attrs.field(factory=Behaviour)

    @apis.validator
    def _some_api(self, attribute, apis):
        if not apis:
            raise ValueError("a goal needs at least one API")

    def to_json(self) -> dict:
        return {
            "apis": list(self.apis),
            "values": self.values,
            "dont_care": list(self.dont_care),
            "requests": {api: list(fields) for api, fields in self.requests.items()},
            "revisions": [r.to_json() for r in self.revisions],
            "outcomes": {api: status.value for api, status in self.outcomes.items()},
            "behaviour": self.behaviour.to_json(),
        }

    @classmethod
    def from_json(cls, raw: Mapping) -> "Goal":
        behaviour = raw.get("behaviour") or {}
        return cls(
            apis=raw["apis"],
            values=raw.get("values", {}),
            dont_care=raw.get("dont_care", ()),
            requests=raw.get("requests", {}),
            revisions=[Revision(**r) for r in raw.get("revisions", ())],
            outcomes=raw.get("outcomes", {}),
            behaviour=Behaviour(**behaviour),
        )
