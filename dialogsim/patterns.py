"""Name the conversational patterns a dialogue shows, by reading its turns.

Patterns are derived from what happened, not from what the goal intended, so the
proportions the manifest and ``dialogsim stats`` report are the corpus's own. ``PATTERNS``
lists every name (stats report each, even at zero); ``detect`` returns those present.
"""

from __future__ import annotations

from dialogsim.dialogue import (
    Act,
    ActRef,
    ApiCall,
    ApiStatus,
    Response,
    SpanRef,
    UserTurn,
)
from dialogsim.schema import ResponseAct, Scenario

__all__ = ["PATTERNS", "detect"]

PATTERNS = (
    "happy_path",  # no change of mind, denial, empty result or failure
    "over_inform",  # a user turn gives two or more values
    "under_inform",  # an API asked for with none of its values
    "change_of_mind",  # a value the customer gave replaced by another
    "slot_confirmation",
    "api_confirmation_accepted",
    "api_confirmation_denied",
    "carryover",  # a value given for one API reused by another without asking
    "dont_care",
    "anaphora",  # a result picked by "it" / "that one" / an ordinal
    "offer_accepted",
    "offer_declined",
    "multi_api",  # two or more different APIs called
    "request_field",  # the customer asked about a result
    "empty_result",
    "api_failure",
    "recovery",  # an empty result or failure followed by a successful call of that API
    "gave_up",
    "goodbye",
)


def _said(turn: UserTurn) -> list[tuple[str, str]]:
    """The (slot, value) pairs the customer gave in ``turn``: its spans and the values its
    INFORM acts carry without a span (a boolean, a ``span: false`` type), which mean the same."""
    return [(s.slot, s.value) for s in turn.spans] + [(slot, value) for _, slot, value in turn.unspanned()]


def detect(turns, scenario: Scenario, completed: bool) -> tuple[str, ...]:
    found: set[str] = set()
    responses = scenario.responses
    said: dict[str, str] = {}
    prompt = None
    users_of: dict[SpanRef | ActRef, set[str]] = {}  # what the customer said -> the APIs that took it
    called: set[str] = set()
    failed: set[str] = set()
    for turn in turns:
        if isinstance(turn, UserTurn):
            informs = 0
            kinds = {a.act for a in turn.acts}
            given = _said(turn)
            for act in turn.acts:
                if act.act is Act.INFORM:
                    informs += 1
                elif act.act is Act.INVOKE:
                    spec = scenario.apis.get(act.api) if act.api is not None else None
                    if spec is not None and not any(slot in {a.name for a in spec.args} for slot, _ in given):
                        if any(a.required and a.name not in said for a in spec.args
                               if scenario.types[a.type].is_catalogue):
                            found.add("under_inform")
            for slot, value in given:
                if said.get(slot, value) != value:
                    found.add("change_of_mind")
                said[slot] = value
            if informs >= 2:
                found.add("over_inform")
            if Act.DONT_CARE in kinds:
                found.add("dont_care")
            if Act.SELECT in kinds:
                found.add("anaphora")
            if Act.REQUEST in kinds:
                found.add("request_field")
            if Act.GOODBYE in kinds:
                found.add("goodbye")
            if prompt is not None:
                answer = "accepted" if Act.AFFIRM in kinds else "denied" if Act.DENY in kinds else None
                if answer and prompt is ResponseAct.CONFIRM_API:
                    found.add(f"api_confirmation_{answer}")
                elif answer and prompt is ResponseAct.OFFER:
                    found.add("offer_accepted" if answer == "accepted" else "offer_declined")
        else:
            prompt = None
            for i, action in enumerate(turn.actions):
                if isinstance(action, ApiCall):
                    if action.status is ApiStatus.OK:
                        if action.name in failed:
                            found.add("recovery")
                        called.add(action.name)
                    else:
                        failed.add(action.name)
                        found.add("empty_result" if action.status is ApiStatus.EMPTY else "api_failure")
                    for arg in action.args.values():
                        if isinstance(arg.ref, (SpanRef, ActRef)):
                            users = users_of.setdefault(arg.ref, set())
                            users.add(action.name)
                            if len(users) > 1:
                                found.add("carryover")
                elif isinstance(action, Response):
                    prompt = responses[action.name].act
                    if prompt is ResponseAct.CONFIRM_ARGS:
                        found.add("slot_confirmation")
    if len(called) >= 2:
        found.add("multi_api")
    if not completed:
        found.add("gave_up")
    if not found & {"change_of_mind", "api_confirmation_denied", "empty_result", "api_failure", "gave_up"}:
        found.add("happy_path")
    return tuple(p for p in PATTERNS if p in found)
