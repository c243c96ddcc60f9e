"""Coverage warnings: a scenario that loads but will give a thin or lopsided corpus.

``coverage_warnings(scenario)`` lists ``ScenarioWarning`` values for gaps that are legal but
almost always unintended, as the Alexa Conversations build warns about them: a required
argument the customer never says in any phrasing or sample (it can then only be given as a
bare value when the system asks), an API no sample dialogue uses (the goal sampler reaches
it only through the dependency graph), a declared response no policy or sample will
ever say, and a Faker provider whose values depend on the day they are drawn.
"""

from __future__ import annotations

import attrs

from dialogsim import fakers
from dialogsim.defaults import default_responses
from dialogsim.errors import locate
from dialogsim.schema import Scenario
from dialogsim.wording import placeholders

__all__ = ["ScenarioWarning", "coverage_warnings"]


@attrs.frozen(kw_only=True)
class ScenarioWarning:
    """A located warning; prints like a compiler's: ``flights.yaml:12: warning: FIELD: message``."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:  # "warning" where an error has its field, as compilers print it
        return locate(self.path, self.line, "warning", f"{self.field}: {self.message}" if self.field else self.message)


def coverage_warnings(scenario: Scenario) -> list[ScenarioWarning]:
    """Every coverage gap of ``scenario``, in file order within each kind."""
    out: list[ScenarioWarning] = []

    def warn(line: int | None, field: str, message: str) -> None:
        out.append(ScenarioWarning(path=scenario.path, line=line, field=field, message=message))

    said = {name.partition(".")[0] for u in scenario.utterances for t in u.templates for name in placeholders(t)}
    said.update(span.slot for sample in scenario.samples for turn in sample.turns for span in turn.spans)
    warned: set[str] = set()
    for api in scenario.apis.values():
        customer_args = scenario.customer_args(api.name)
        for arg in api.required:
            if arg in customer_args and arg.name not in said and arg.name not in warned:
                warned.add(arg.name)
                warn(arg.line, f"apis.{api.name}.args.{arg.name}",
                     f"no utterance or sample dialogue gives {arg.name!r}: the customer can only say it as a "
                     f"bare value when asked (add a phrasing with {{{arg.name}}})")

    used: set[str] = set()
    for sample in scenario.samples:
        for turn in sample.turns:
            used.update(turn.actions)
            used.update(act.api for act in turn.acts if act.api is not None)
    for api in scenario.apis.values():
        if api.name not in used:
            warn(api.line, f"apis.{api.name}",
                 f"no sample dialogue uses {api.name}: goals reach it only through the dependency graph")

    for slot_type in scenario.types.values():  # reproducibility: the same seed, another corpus tomorrow
        if slot_type.faker is not None and fakers.depends_on_today(slot_type.faker, slot_type.faker_args):
            warn(slot_type.line, f"types.{slot_type.name}.faker",
                 f"Faker provider {slot_type.faker!r} draws relative to today, so the same seed gives another "
                 "corpus on another day; for one that can be rebuilt, use fixed dates "
                 "(date_between_dates with date_start and date_end)")

    needed = default_responses(scenario)
    for response in scenario.responses.values():
        if not response.generated and response.name not in needed and response.name not in used:
            warn(response.line, f"responses.{response.name}",
                 f"response {response.name!r} is never used: no policy needs it and no sample dialogue says it")
    return out
