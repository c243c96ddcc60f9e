"""Hypothesis strategies for dialogsim's values: ``from dialogsim.testing import strategies as dst``.

- ``scenarios()`` -- random valid ``Scenario`` values (``scenario_texts()``: their YAML):
  catalogue and entity types, APIs forming a random dependency DAG, optional arguments,
  confirmations, list outputs, responses, phrasings and a sample dialogue;
- ``goals(scenario)`` -- customer ``Goal`` values, drawn by the simulation's own goal
  sampler with hypothesis making each of its random decisions;
- ``dialogues(scenario, variation=...)`` -- complete annotated ``Dialogue`` values, the
  objects ``dialogsim.simulate`` yields;
- ``user_turns(scenario)`` -- one customer ``UserTurn`` with exact spans;
- ``customer_rngs()`` -- a random source for the simulated customer of ``converse`` /
  ``check`` (``rng=``) whose every draw is a hypothesis choice, so that the customer's own
  decisions in a conversation -- its wording, language noise -- shrink with the goal.

Every builder checks its arguments when called, not at the first draw, and every drawn
value shrinks toward the plain case: one type, one API, a goal with no change of mind,
denial or failure, text without noise -- and a customer who says all it wants at once, so
that a failing goal shrinks toward the shortest conversation. Importing this module (or ``dialogsim.testing``)
registers ``st.from_type(Scenario)`` and ``st.from_type(Goal)``. Only this module and its
implementations (``dialogsim.testing._internal``) import hypothesis (the ``testing`` extra).
"""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import strategies as st

from dialogsim.catalogue import Catalogue
from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.dialogue import Act, Dialogue, UserAct, UserTurn
from dialogsim.draws import dialogue_rngs
from dialogsim.goal import Goal, Moment
from dialogsim.goals.sampler import GoalSampler
from dialogsim.graph import DependencyGraph
from dialogsim.loader import load_scenario_text
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.schema import Scenario
from dialogsim.simulation import Simulator
from dialogsim.testing._internal.choices import ChoiceRng
from dialogsim.testing._internal.scenario_texts import scenario_texts as _scenario_texts

__all__ = ["scenario_texts", "scenarios", "goals", "dialogues", "user_turns", "customer_rngs"]

_SEEDS = st.integers(0, 2**32 - 1)


def _check_bound(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name} must be an int between {low} and {high}, got {value!r}")


def _check_scenario(scenario: object) -> None:
    if not isinstance(scenario, Scenario):
        raise TypeError(f"expected a dialogsim Scenario (dialogsim.load_scenario), got {type(scenario).__name__}")


def scenario_texts(*, max_types: int = 3, max_apis: int = 3) -> st.SearchStrategy[str]:
    """The YAML text of a random valid scenario with at most ``max_types`` catalogue types
    and ``max_apis`` APIs (each 1..9)."""
    _check_bound("max_types", max_types, 1, 9)
    _check_bound("max_apis", max_apis, 1, 9)
    return _scenario_texts(max_types, max_apis)


def scenarios(*, max_types: int = 3, max_apis: int = 3) -> st.SearchStrategy[Scenario]:
    """Random valid ``Scenario`` values: ``scenario_texts`` loaded."""
    return scenario_texts(max_types=max_types, max_apis=max_apis).map(load_scenario_text)


def goals(scenario: Scenario, *, config: SimulationConfig | None = None) -> st.SearchStrategy[Goal]:
    """Goals a customer of ``scenario`` may pursue, with the patterns ``config`` (default:
    the scenario's ``simulation:`` section) makes likely; they shrink toward one API and no
    pattern at all."""
    _check_scenario(scenario)
    if config is not None and not isinstance(config, SimulationConfig):
        raise TypeError(f"config must be a SimulationConfig, got {type(config).__name__}")
    sampler = GoalSampler(scenario, DependencyGraph(scenario), Catalogue(scenario), config)

    @st.composite
    def draw_goal(draw) -> Goal:
        return _sample(sampler, draw)

    return draw_goal()


def _sample(sampler: GoalSampler, draw) -> Goal:
    """A goal of the simulation's own sampler, hypothesis making each of its decisions.

    Every decision shrinks toward "no", which for the first request means one value, each
    missing one asked for in a turn of its own: the longest plain conversation. So how much
    the customer volunteers is drawn again, with the config's chances, shrinking toward
    over-informing (every value at once, two per answer) -- the shortest. A goal with a
    change of mind before the call keeps the sampler's choice: it needs a value left to ask.
    """
    rng = ChoiceRng(draw)
    goal = sampler.sample(rng)  # type: ignore[arg-type]
    if any(r.moment is Moment.BEFORE_CALL for r in goal.revisions):
        return goal
    config = sampler.config
    r = rng.random()  # shrinks toward just below 1
    over = r >= 1 - config.over_inform
    informs, per_turn, volunteer = sampler.informing(goal.apis, goal.values, rng, over=over,
                                                     under=not over and r < config.under_inform)
    behaviour = attrs.evolve(goal.behaviour, first_informs=informs, informs_per_turn=per_turn,
                             volunteer=volunteer)
    return attrs.evolve(goal, behaviour=behaviour)


def _variation(scenario: Scenario, variation: VariationConfig | bool | None) -> VariationConfig:
    if variation is None or variation is True:
        return scenario.variation
    if variation is False:
        return attrs.evolve(scenario.variation, enabled=False)
    if not isinstance(variation, VariationConfig):
        raise TypeError(f"variation must be a VariationConfig, True, False or None, got {type(variation).__name__}")
    return variation


def dialogues(scenario: Scenario, *, variation: VariationConfig | bool | None = None,
              config: SimulationConfig | None = None) -> st.SearchStrategy[Dialogue]:
    """Complete annotated dialogues of ``scenario``, as ``dialogsim.simulate`` makes them.

    ``variation``: the language variation (default: the scenario's; ``False``: none); a
    drawn dialogue is noisy or plain, and shrinks to plain. ``config``: the simulation
    settings (default: the scenario's).
    """
    _check_scenario(scenario)
    varied = _variation(scenario, variation)
    plain = attrs.evolve(varied, enabled=False)
    simulators = [Simulator(scenario, config, plain)]
    if varied.enabled:
        simulators.append(Simulator(scenario, config, varied))

    @st.composite
    def draw_dialogue(draw) -> Dialogue:
        simulator = simulators[draw(st.integers(0, len(simulators) - 1))]
        goal = _sample(simulator.goals, draw)
        seed = draw(_SEEDS)
        return simulator.play(goal, dialogue_rngs(seed, 0), id=f"{scenario.name}-drawn-{seed}")

    return draw_dialogue()


def user_turns(scenario: Scenario, *, variation: VariationConfig | bool | None = False) -> st.SearchStrategy[UserTurn]:
    """One customer turn of ``scenario``: an API asked for with some of its values, values
    alone, or a one-act answer (yes, no, thanks, bye), with exact spans. ``variation``:
    language variation as in ``dialogues`` (default: none)."""
    _check_scenario(scenario)
    config = _variation(scenario, variation)
    catalogue = Catalogue(scenario, synonym_rate=0.3 if config.enabled else 0.0)
    realiser = Realiser(scenario, catalogue)
    pipeline = VariationPipeline(config) if config.enabled else None
    sayable = {name: tuple(a.name for a in scenario.customer_args(name)) for name in scenario.apis}
    slot_types = scenario.slots
    simple = (Act.AFFIRM, Act.DENY, Act.THANK, Act.GOODBYE)

    @st.composite
    def draw_turn(draw) -> UserTurn:
        api = draw(st.sampled_from(list(scenario.apis)))
        kind = draw(st.integers(0, 2))  # shrinks toward asking for an API
        acts: list[UserAct] = []
        if kind == 0:
            acts.append(UserAct(act=Act.INVOKE, api=api))
        if kind < 2:
            slots = draw(st.lists(st.sampled_from(sayable[api]), unique=True, max_size=3)) if sayable[api] else []
            if kind == 1 and not slots:
                slots = list(sayable[api][:1])
            acts += [UserAct(act=Act.INFORM, slot=s) for s in slots]
        if not acts:
            acts.append(UserAct(act=draw(st.sampled_from(simple))))
        values = {a.slot: draw(st.sampled_from(catalogue.values(slot_types[a.slot])))
                  for a in acts if a.act is Act.INFORM and a.slot is not None}
        rng = ChoiceRng(draw)
        turn = realiser.user_turn(acts, values, rng)  # type: ignore[arg-type]
        if pipeline is not None and draw(st.booleans()):  # noise: on or off, seeded
            turn = pipeline.apply(turn, np.random.default_rng(draw(_SEEDS)))[0]
        return turn.spanless(scenario.spanless)  # as the customer agent says it: the corpus contract

    return draw_turn()


def customer_rngs() -> st.SearchStrategy[np.random.Generator]:
    """Random sources for the simulated customer: ``check(bot, scenario, goal, rng=rng)``
    under ``@given(dst.goals(scenario), dst.customer_rngs())``. Each of the customer's
    decisions becomes a hypothesis choice as it talks, shrinking toward no noise."""
    return st.randoms(use_true_random=False).map(ChoiceRng.from_random)  # type: ignore[arg-type]


st.register_type_strategy(Scenario, scenarios())
st.register_type_strategy(Goal, st.deferred(lambda: scenarios().flatmap(goals)))
