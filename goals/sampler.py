"""Draw customer goals by generalising the sample dialogues over the dependency graph.

``GoalSampler`` weighs API paths -- the ones the sample dialogues show, and every other
path the dependency graph allows (``DependencyGraph.paths``) -- by ``SimulationConfig``'s
path weights, then fills in argument values from the catalogues, keeping the scenario's
constraints between arguments (``Catalogue.draw``: origin and destination differ, a song
comes with its artist from one declared result -- a change of mind keeps them too) and
decides, for an argument the customer may say or take from a result, by the path: named
("book a table at Juniper") when the path does not search first, picked from the result
otherwise. It also decides, with the config's probabilities, which conversational
patterns this customer will bring: values it volunteers or withholds, a change of mind and
when, a denied confirmation, results it asks about, optional arguments it does not care
about, scripted empty results and failures.
"""

from __future__ import annotations

import numpy as np

from dialogsim.config import SimulationConfig
from dialogsim.goal import ApiStatus, Behaviour, Goal, Moment, Revision
from dialogsim.graph import DependencyGraph
from dialogsim.schema import Scenario

__all__ = ["GoalSampler", "path_key"]


def path_key(path) -> str:
    """How a path is written in ``SimulationConfig.path_weights``: ``"A > B"``."""
    return " > ".join(path)


class GoalSampler:
    def __init__(self, scenario: Scenario, graph: DependencyGraph, catalogue,
                 config: SimulationConfig | None = None) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self.config = config = config or scenario.simulation
        weights = graph.path_weights(config)
        paths = [p for p, w in weights.items() if w > 0]
        if not paths:
            raise ValueError(f"{scenario.name}: every API path has weight 0; nothing to simulate")
        total = sum(weights[p] for p in paths)
        self.paths = paths
        self.cumulative = np.cumsum([weights[p] / total for p in paths])
        self._sayable = {name: scenario.customer_args(name) for name in scenario.apis}
        # Values a change of mind can revise: ones the customer is sure to say (required, or
        # optional but asked for) -- a value never said cannot be taken back -- of a type
        # with another value to change to (``_said`` also keeps the constraints).
        self._revisable = {
            name: tuple(a for a in sayable if (a.required or a.ask) and len(catalogue.values(a.type)) > 1)
            for name, sayable in self._sayable.items()
        }

    def sample(self, rng: np.random.Generator) -> Goal:
        cfg = self.config
        path = self.paths[min(int(np.searchsorted(self.cumulative, rng.random(), side="right")),
                              len(self.paths) - 1)]
        # Decline an offer: the goal stops before a later API of the path.
        for i in range(1, len(path)):
            if rng.random() >= cfg.accept_offer:
                path = path[:i]
                break
        values: dict[str, str] = {}
        dont_care: list[str] = []
        for n, api in enumerate(path):
            for arg in self._sayable[api]:
                if arg.name in values:
                    continue  # shared slot: the same value carries over
                if arg.source in path[:n]:
                    continue  # from a result or the customer: after that search, "book that one"
                if arg.required:
                    # Optional for an earlier API, required here: it needs a value after all.
                    if arg.name in dont_care:
                        dont_care.remove(arg.name)
                elif arg.name in dont_care:
                    continue
                elif rng.random() < cfg.dont_care:
                    dont_care.append(arg.name)
                    continue
                elif rng.random() >= cfg.optional_value:
                    continue
                values[arg.name] = self.catalogue.draw(arg.name, values, rng)
        requests = {}
        for api in path:
            returns = self.scenario.apis[api].returns
            if returns is not None and rng.random() < cfg.request_field:
                fields = tuple(self.scenario.types[returns.type].fields)
                if fields:
                    requests[api] = (fields[int(rng.integers(len(fields)))],)
        revisions: list[Revision] = []
        deny_confirm: list[str] = []
        if rng.random() < cfg.deny_confirmation:
            confirmable = [api for api in path if self.scenario.apis[api].confirm and self._own(path, api, values)]
            if confirmable:
                api = confirmable[int(rng.integers(len(confirmable)))]
                deny_confirm.append(api)
                revisions.append(self._revision(path, api, values, Moment.AT_CONFIRMATION, rng))
        if rng.random() < cfg.change_of_mind and not revisions:
            options = [(api, moment) for api in path for moment in self._moments(path, api, values)]
            if options:
                api, moment = options[int(rng.integers(len(options)))]
                revisions.append(self._revision(path, api, values, moment, rng))
                if moment is Moment.AT_CONFIRMATION and self.scenario.apis[api].confirm:
                    deny_confirm.append(api)
        outcomes: dict[str, ApiStatus] = {}
        for api in path:
            r = rng.random()
            if r < cfg.api_failure:
                outcomes[api] = ApiStatus.FAILURE
            elif r < cfg.api_failure + cfg.empty_result:
                outcomes[api] = ApiStatus.EMPTY
        over = rng.random() < cfg.over_inform
        under = rng.random() < cfg.under_inform
        first_informs, informs_per_turn, volunteer = self.informing(
            path, values, rng, over=over, under=under,
            revised_before_call=any(r.moment is Moment.BEFORE_CALL for r in revisions))
        behaviour = Behaviour(
            first_informs=first_informs,
            informs_per_turn=informs_per_turn,
            volunteer=volunteer,
            deny_confirm=deny_confirm,
            anaphora=bool(rng.random() < cfg.anaphora),
            select=int(rng.integers(3)),
            give_up=bool(rng.random() < cfg.give_up),
        )
        return Goal(apis=path, values=values, dont_care=dont_care, requests=requests,
                    revisions=revisions, outcomes=outcomes, behaviour=behaviour)

    def informing(self, path, values, rng, *, over: bool, under: bool,
                  revised_before_call: bool = False) -> tuple[int, int, tuple[str, ...]]:
        """How much the customer volunteers, ``(first_informs, informs_per_turn,
        volunteer)``, walking ``path`` and wanting ``values``: nothing at first when it
        under-informs (or has nothing to say), everything at once and two per answer when it
        over-informs, else one value. A value whose argument declares a ``volunteer:`` rate
        is decided apart, by that rate (a draw of ``rng`` each): in ``volunteer``, said
        unasked with the request for its API, else only when asked. The one rule for the
        sampler and for ``dialogsim.testing``'s goals."""
        rates: dict[str, float] = {}
        for api in path:
            for arg in self._sayable[api]:
                if arg.volunteer is not None and arg.name in values:
                    rates.setdefault(arg.name, arg.volunteer)
        volunteer = tuple(slot for slot, rate in rates.items() if rng.random() < rate)
        first = sum(1 for a in self._sayable[path[0]] if a.name in values and a.volunteer is None)
        if under or not first:
            first_informs = 0
        elif over:
            first_informs = first
        else:
            first_informs = 1
        if revised_before_call:
            # The revised value must be said, then changed while something is still asked.
            first_informs = max(1, min(first_informs, first - 1))
        return first_informs, 2 if over else 1, volunteer

    def _said(self, api: str, values) -> list:
        """The values of ``api`` a change of mind can revise (``_revisable``) in this goal:
        with another value that keeps the constraints (a song whose artist the customer
        names has none)."""
        return [a for a in self._revisable[api] if a.name in values and self.catalogue.alternatives(a.name, values)]

    def _own(self, path, api: str, values) -> list:
        """The revisable values of ``api`` that no earlier API of the path takes. Changing
        one of those at ``api``'s confirmation would leave the earlier API's result (the
        movie found in the old city) out of date, so only these change there."""
        earlier = {a.name for other in path[:path.index(api)] for a in self.scenario.apis[other].args}
        return [a for a in self._said(api, values) if a.name not in earlier]

    def _new(self, path, api: str, values) -> list:
        """The required values of ``api`` that no earlier API of the path takes: the ones
        still to be said -- and asked for -- when the customer turns to ``api``."""
        return [a for a in self._own(path, api, values) if a.required]

    def _moments(self, path, api: str, values) -> list[Moment]:
        said = self._said(api, values)
        if not said:
            return []
        # After the result: asking again with another value. Not for an API that must be
        # confirmed: that is a transaction, and asking again would make a second booking.
        moments = [] if self.scenario.apis[api].confirm else [Moment.AFTER_RESULT]
        # Before the call: the customer says the value, then changes it while the system
        # still asks for another one, so the API needs two values of its own.
        if len(self._new(path, api, values)) >= 2:
            moments.append(Moment.BEFORE_CALL)
        own = self._own(path, api, values)
        if own and (self.scenario.apis[api].confirm or any(a.confirm for a in own)):
            moments.append(Moment.AT_CONFIRMATION)
        return moments

    def _revision(self, path, api: str, values: dict, moment: Moment, rng) -> Revision:
        said = self._said(api, values)
        if moment is Moment.BEFORE_CALL:
            said = self._new(path, api, values)
        elif moment is Moment.AT_CONFIRMATION:
            said = self._own(path, api, values)
            if not self.scenario.apis[api].confirm:
                said = [a for a in said if a.confirm]
        arg = said[int(rng.integers(len(said)))]
        value = self.catalogue.choose(arg.type, self.catalogue.alternatives(arg.name, values), rng)
        return Revision(api=api, slot=arg.name, moment=moment, value=value)
