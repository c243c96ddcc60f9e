"""Which response says a meaning: ``(act, api, slot)`` -> the scenario's ``ResponseTemplate``.

A response's name is its author's to choose; what a policy, the models' consistency check
or a test harness wants is a meaning ("ask for the playlist", "confirm BookTable"), which
the loader gave every template as ``act``, ``api`` and ``slot``. Looking responses up by
that meaning, never by a name built with an f-string (``f"request_{slot}"``), keeps them
right for a scenario whose responses are named otherwise.
"""

from __future__ import annotations

from typing import Optional

from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario

__all__ = ["ResponseKey", "responses_by_meaning"]

ResponseKey = tuple[ResponseAct, Optional[str], Optional[str]]


def responses_by_meaning(scenario: Scenario) -> dict[ResponseKey, ResponseTemplate]:
    """The response said for each meaning ``(act, api, slot)``. Where several share one
    (a scenario's own responses carry no API or slot), the one named after its act
    (``reqmore``, ``goodbye``) wins, else the first declared."""
    out: dict[ResponseKey, ResponseTemplate] = {}
    for template in scenario.responses.values():
        key = (template.act, template.api, template.slot)
        if key not in out or template.name == template.act.value:
            out[key] = template
    return out
