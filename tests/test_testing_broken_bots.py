"""The harness finds bugs: the reference bot with one deliberate bug each, caught by the
oracle that names the bug, with hypothesis shrinking the goal to a short conversation (a
customer who says everything at once, one API where one is enough).

``bench/testing.py`` imports ``BROKEN`` from here to measure how many conversations each
bot needed before it was caught and how short the shrunk conversation is."""

from __future__ import annotations

from random import Random

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import dialogsim
from dialogsim.dialogue import Act, ApiCall, SpanRef, UserAct
from dialogsim.state import Waiting
from dialogsim.testing import BotCheckFailed, BotTurn, ReferenceBot, check, converse
from dialogsim.testing import strategies as dst


class ForgetsCarryover(ReferenceBot):
    """Forgets what the customer said once an API has run, so it asks again."""

    def respond(self, turn):
        reply = super().respond(turn)
        if reply.reported_calls:
            self.state = attrs.evolve(self.state, known={})
        return reply


class IgnoresChangeOfMind(ReferenceBot):
    """Keeps the first value the customer gave for each slot."""

    def reset(self):
        super().reset()
        self.first = {}

    def respond(self, turn):
        spans = [attrs.evolve(s, value=self.first.setdefault(s.slot, s.value)) for s in turn.spans]
        return super().respond(BotTurn(attrs.evolve(turn.user_turn, spans=spans)))


class CallsAfterDenial(ReferenceBot):
    """Takes "no" to "shall I book it?" for a yes, and ignores the correction."""

    def respond(self, turn):
        user = turn.user_turn
        if self.state.waiting is Waiting.CONFIRM_API and user.has(Act.DENY):
            user = attrs.evolve(user, acts=[UserAct(act=Act.AFFIRM)], spans=())
        return super().respond(BotTurn(user))


class DropsOptionalArgument(ReferenceBot):
    """Leaves the optional arguments the customer gave out of its calls."""

    def respond(self, turn):
        reply = super().respond(turn)
        actions = []
        for action in reply.actions:
            if isinstance(action, ApiCall):
                spec = self.scenario.apis[action.name]
                action = attrs.evolve(action, args={k: a for k, a in action.args.items()
                                                    if not (spec.arg(k).optional and isinstance(a.ref, SpanRef))})
            actions.append(action)
        return attrs.evolve(reply, actions=actions)


class CrashesOnUnusualPhrasing(ReferenceBot):
    """Its language understanding raises on a turn with a typo, a filler or other noise."""

    def respond(self, turn):
        if turn.user_turn.augmented:
            raise ValueError(f"cannot parse {str(turn)!r}")
        return super().respond(turn)


class TextOnly(ReferenceBot):
    """Answers in text alone: no structured actions, no API calls reported."""

    def respond(self, turn):
        return super().respond(turn).text


# bot, the example scenario where its bug can show, the oracle that must catch it
BROKEN = [
    (ForgetsCarryover, "movies", "no_reask"),
    (IgnoresChangeOfMind, "flights", "goal"),
    (CallsAfterDenial, "flights", "denied_confirmation"),
    (DropsOptionalArgument, "restaurants", "goal"),
    (CrashesOnUnusualPhrasing, "flights", "bot_error"),
    (TextOnly, "weather", "goal"),
]
SCENARIOS = {name: dialogsim.load_scenario(dialogsim.scenarios.path(name)) for _, name, _ in BROKEN}
# A shrunk failing conversation: eight exchanges at most, the failure within the first six.
# Measured (bench/testing.py, hypothesis seed 0): 3 to 14 turns, the failure seen after 3 to 10.
FEW_TURNS, TURNS_TO_FAILURE = 16, 12


def catch(bot_class, scenario_name: str, oracle: str, random: Random | None = None, *, drawn: bool = False):
    """``(conversations until the first catch, shrunk report)`` for one broken bot; the
    search is reproducible for a given ``random`` (default: ``Random(0)``). ``drawn``: the
    customer's own decisions are hypothesis choices too (``dst.customer_rngs()``), so they
    shrink with the goal -- at about ten times the conversations; else the customer draws
    from seed 0."""
    scenario = SCENARIOS[scenario_name]
    bot = bot_class(scenario)
    tried, shrunk = [0, None], []

    def fails(example) -> bool:
        goal, rng = example
        tried[0] += 1
        report = converse(bot, scenario, goal, rng=rng)
        caught = any(f.oracle == oracle for f in report.findings)
        if caught:
            tried[1] = tried[1] or tried[0]
            shrunk[:] = [report]  # find replays the smallest example last
        return caught

    found = find(st.tuples(dst.goals(scenario), dst.customer_rngs() if drawn else st.none()), fails,
                 random=Random(0) if random is None else random,
                 settings=settings(max_examples=1000, database=None, deadline=None,
                                   suppress_health_check=list(HealthCheck)))
    assert shrunk[0].goal == found[0]
    return tried[1], shrunk[0]


@pytest.mark.parametrize("bot_class, scenario_name, oracle", BROKEN, ids=[b[0].__name__ for b in BROKEN])
def test_each_broken_bot_is_caught_and_shrunk(bot_class, scenario_name, oracle):
    needed, report = catch(bot_class, scenario_name, oracle)
    assert needed is not None and not report.passed
    assert oracle in {f.oracle for f in report.findings}, report.render()
    assert report.turns <= FEW_TURNS and report.turns_to_failure <= TURNS_TO_FAILURE, report.render()
    assert len(report.goal.apis) <= 2  # shrunk to a short goal


@pytest.mark.parametrize("bot_class, scenario_name, oracle", BROKEN[:3], ids=[b[0].__name__ for b in BROKEN[:3]])
def test_the_reference_bot_passes_the_goals_that_catch_a_broken_one(bot_class, scenario_name, oracle):
    _, report = catch(bot_class, scenario_name, oracle)
    scenario = SCENARIOS[scenario_name]
    assert converse(ReferenceBot(scenario), scenario, report.goal).passed


def test_check_under_given_shows_the_minimal_failing_conversation():
    scenario = SCENARIOS["movies"]
    bot = ForgetsCarryover(scenario)

    @settings(max_examples=300, database=None, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(dst.goals(scenario), dst.customer_rngs())
    def test_bot(goal, rng):
        check(bot, scenario, goal, rng=rng)

    with pytest.raises(BotCheckFailed) as caught:
        test_bot()
    text = str(caught.value)
    assert "FAILED: movies" in text and "!! no_reask: asked for city again" in text
    report = caught.value.report
    assert report.drawn and report.turns <= FEW_TURNS and report.turns_to_failure <= TURNS_TO_FAILURE
    assert not any(exchange.user.augmented for exchange in report.exchanges)  # the noise shrank away
