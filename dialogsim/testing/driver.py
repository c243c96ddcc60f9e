"""The driver: the simulated customer pursues a goal with a bot, and the oracles judge it.

``converse(bot, scenario, goal, seed=...)`` seats the bot (through ``_BotSeat``, an
``Agent`` of ``dialogsim.conversation``) opposite the customer agent -- with every behaviour
the simulation has: changes of mind, denials, "don't care", anaphora, over- and
under-informing, language noise -- in the same ``Conversation`` loop and under the same hard
turn cap as the simulation, and returns a ``Report``: passed or not, the transcript and the
findings. The customer draws only from its own generator (``dialogue_rngs(seed, index)``), so
the same seed gives the same customer turns for the same bot replies.

Each reply is awaited at most ``timeout`` seconds on a worker thread; a bot that raises,
overruns or answers something the customer cannot understand ends the conversation with a
finding. ``check`` is ``converse`` for pytest: it raises ``BotCheckFailed`` (an
``AssertionError``) whose message is the readable transcript, so under ``@given`` hypothesis
shows the smallest failing conversation it found. There the customer may draw from
``rng=`` a ``dst.customer_rngs()`` value instead of the seed, so that its decisions while
it talks (wording, noise) shrink too.
"""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any, Iterable

import attrs
import numpy as np

from dialogsim.agents.customer import CustomerAgent
from dialogsim.catalogue import SYNONYM_RATE, Catalogue
from dialogsim.config import VariationConfig
from dialogsim.conversation import Conversation
from dialogsim.dialogue import Outcome, SystemTurn, Turn, UserTurn
from dialogsim.draws import dialogue_rngs
from dialogsim.goal import Goal
from dialogsim.graph import DependencyGraph
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.schema import Scenario
from dialogsim.testing.adapters import as_bot
from dialogsim.testing.oracles import Ending, Exchange, Finding, check_oracles, oracle_names
from dialogsim.testing.protocol import BotReplyError, BotTurn, to_reply
from dialogsim.testing.understanding import NotUnderstood, ReplyReader

__all__ = ["Report", "BotCheckFailed", "converse", "check"]


@attrs.frozen(kw_only=True)
class Report:
    """One conversation's verdict: ``findings`` of the oracles that ran (none: ``passed``),
    the ``exchanges`` (customer turn, bot reply, what the customer understood), the goal and
    the seed that reproduce it -- or, ``drawn``, the hypothesis choices the customer drew
    from (``rng=``)."""

    scenario: str
    goal: Goal
    seed: int
    index: int
    exchanges: tuple[Exchange, ...]
    findings: tuple[Finding, ...]
    outcome: Outcome
    drawn: bool = False

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def turns(self) -> int:
        """Turns of the conversation (customer and bot)."""
        return _turns(self.exchanges)

    @property
    def turns_to_failure(self) -> int:
        """Turns up to the exchange of the first finding: what a reader must follow to see
        the failure (all of them for a finding about the whole conversation; 0 if passed)."""
        at = [f.turn for f in self.findings if f.turn >= 0]
        return _turns(self.exchanges[:min(at) + 1]) if at else self.turns if self.findings else 0

    def render(self) -> str:
        """The transcript and findings, for a person."""
        source = "the customer's choices drawn by hypothesis" if self.drawn else f"seed {self.seed}, index {self.index}"
        lines = [f"{'passed' if self.passed else 'FAILED'}: {self.scenario}, goal {' > '.join(self.goal.apis)}, "
                 f"{source}, {self.turns} turns"]
        marks: dict[int, list[Finding]] = {}
        for finding in self.findings:
            marks.setdefault(finding.turn, []).append(finding)
        for i, exchange in enumerate(self.exchanges):
            acts = ", ".join(_act(a) for a in exchange.user.acts)
            lines.append(f"  {i:>2} customer: {exchange.user.text}    [{acts}]")
            if exchange.reply is not None:
                lines.append(f"     bot:      {exchange.reply.text}")
                for call in exchange.calls:
                    args = ", ".join(f"{k}={a.value!r}" for k, a in call.args.items())
                    lines.append(f"               -> {call.name}({args}) {call.status.value}")
            lines += [f"     !! {f.oracle}: {f.message}" for f in marks.get(i, ())]
        lines += [f"  !! {f.oracle}: {f.message}" for f in marks.get(-1, ())]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"scenario": self.scenario, "seed": self.seed, "index": self.index, "drawn": self.drawn,
                "passed": self.passed, "outcome": self.outcome.value,
                "goal": self.goal.to_json(), "findings": [f.to_json() for f in self.findings],
                "transcript": [{"customer": ex.user.text, "bot": None if ex.reply is None else ex.reply.text,
                                "api_calls": [c.to_json() for c in ex.calls]} for ex in self.exchanges]}


def _turns(exchanges) -> int:
    return sum(1 + (exchange.reply is not None) for exchange in exchanges)


def _act(act) -> str:
    """An act as the transcript shows it; a value said without a span goes with its slot
    ("inform outdoor_seating=false" for an "er, no"), since the text cannot show it."""
    target = act.api or act.slot or ("" if act.item is None else str(act.item))
    if act.value is not None:
        target = f"{target}={act.value}"
    return f"{act.act.value} {target}".strip()


class BotCheckFailed(AssertionError):
    """A conversation with the bot broke an oracle; the message is the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.render())
        self.report = report


class _Answer:
    """What a call on the worker thread gave: a value or an exception."""

    value: Any = None
    error: BaseException | None = None


def _answer(bot: Any, turn: BotTurn, timeout: float) -> _Answer | None:
    """``bot.respond(turn)`` on a daemon thread, awaited ``timeout`` seconds; None if it
    overran (the thread is left behind: a hung bot cannot be stopped from outside)."""
    out = _Answer()

    def run() -> None:
        try:
            out.value = bot.respond(turn)
        except BaseException as error:  # noqa: BLE001 -- anything the bot raises is a finding
            out.error = error

    worker = threading.Thread(target=run, name="dialogsim-bot", daemon=True)
    worker.start()
    worker.join(timeout)
    return None if worker.is_alive() else out


class _BotSeat:
    """A bot in the system's seat of a ``Conversation``: it records every exchange and
    stops the conversation at the first failure (module docstring)."""

    def __init__(self, bot: Any, reader: ReplyReader, timeout: float) -> None:
        self.bot, self.reader, self.timeout = bot, reader, timeout

    def reset(self, goal: Goal, rng: np.random.Generator) -> None:  # the bot never sees the goal
        reset = getattr(self.bot, "reset", None)
        if callable(reset):
            reset()
        self.exchanges: list[Exchange] = []
        self.findings: list[Finding] = []
        self.heard: UserTurn | None = None
        self.finished = False
        self.stopped = False

    def observe(self, turn: Turn) -> None:
        assert isinstance(turn, UserTurn)
        self.heard = turn

    def act(self, turns_left: int) -> SystemTurn:
        assert self.heard is not None
        index = len(self.exchanges)
        start = time.perf_counter()
        answer = _answer(self.bot, BotTurn(self.heard), self.timeout)
        seconds = time.perf_counter() - start
        reply = heard = None
        if answer is None:
            self._stop("timeout", index, f"no answer within {self.timeout:g} s")
        elif answer.error is not None:
            error = answer.error
            where = traceback.extract_tb(error.__traceback__)[-1:]
            at = f" at {where[0].filename}:{where[0].lineno}" if where else ""
            self._stop("bot_error", index, f"{type(error).__name__}: {error}{at}")
        else:
            try:
                reply = to_reply(answer.value)
                heard = self.reader.read(reply)
            except (BotReplyError, NotUnderstood) as error:
                self._stop("understood", index, str(error))
        self.exchanges.append(Exchange(user=self.heard, reply=reply, heard=heard, seconds=seconds))
        if heard is None:
            return SystemTurn(actions=())
        self.finished = heard.actions[-1].name == "goodbye"
        return heard

    def _stop(self, oracle: str, index: int, message: str) -> None:
        self.findings.append(Finding(oracle=oracle, turn=index, message=message))
        self.finished = self.stopped = True


class _Harness:
    """What one scenario's conversations share: the customer agent and the reply reader."""

    def __init__(self, scenario: Scenario, variation: VariationConfig) -> None:
        self.scenario, self.variation = scenario, variation
        self.catalogue = Catalogue(scenario, synonym_rate=SYNONYM_RATE if variation.enabled else 0.0)
        pipeline = VariationPipeline(variation) if variation.enabled else None
        self.customer = CustomerAgent(scenario, self.catalogue, Realiser(scenario, self.catalogue), pipeline,
                                      graph=DependencyGraph(scenario))
        self.reader = ReplyReader(scenario, self.catalogue)


_last: _Harness | None = None  # one entry: a test or a run talks about one scenario at a time


def _harness(scenario: Scenario, variation: VariationConfig) -> _Harness:
    global _last
    if _last is None or _last.scenario is not scenario or _last.variation != variation:
        _last = _Harness(scenario, variation)
    return _last


def converse(bot: Any, scenario: Scenario, goal: Goal, *, seed: int = 0, index: int = 0, oracles: Iterable[str] | None = None,
             timeout: float = 10.0, variation: VariationConfig | bool | None = None,
             max_turns: int | None = None, rng: Any = None) -> Report:
    """One conversation of the simulated customer pursuing ``goal`` with ``bot`` (module
    docstring); the customer draws from ``dialogue_rngs(seed, index)``, or from ``rng`` (a
    numpy ``Generator`` or a ``dst.customer_rngs()`` draw). ``oracles``: the names of those
    to run (default: all, ``ORACLES``); ``variation``: the customer's language variation
    (default: the scenario's; False: none); ``max_turns``: the turn budget (default: the
    scenario's)."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"expected a dialogsim Scenario, got {type(scenario).__name__}")
    if not isinstance(goal, Goal):
        raise TypeError(f"expected a dialogsim Goal, got {type(goal).__name__}")
    unknown = [api for api in goal.apis if api not in scenario.apis]
    if unknown:
        raise ValueError(f"the goal names API {unknown[0]!r}, which scenario {scenario.name!r} does not have")
    if not timeout > 0:
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    if rng is not None and not callable(getattr(rng, "random", None)):
        raise TypeError(f"rng must be a numpy Generator or a dst.customer_rngs() draw, got {type(rng).__name__}")
    names = oracle_names(oracles)
    if variation is None or variation is True:
        variation = scenario.variation
    elif variation is False:
        variation = attrs.evolve(scenario.variation, enabled=False)
    elif not isinstance(variation, VariationConfig):
        raise TypeError(f"variation must be a VariationConfig, True, False or None, got {type(variation).__name__}")
    budget = scenario.simulation.max_turns if max_turns is None else max_turns
    harness = _harness(scenario, variation)
    seat = _BotSeat(as_bot(bot), harness.reader, timeout)
    rngs = dialogue_rngs(seed, index)
    turns, outcome = Conversation(harness.customer, seat, max_turns=budget).run(
        goal, customer_rng=rngs.customer if rng is None else rng, system_rng=rngs.system)
    exchanges = tuple(seat.exchanges)
    customer = harness.customer
    ending = Ending(outcome=outcome, out_of_time=customer.out_of_time, stopped=seat.stopped,
                    cut_off=not (customer.finished or seat.finished))
    findings = [f for f in seat.findings if f.oracle in names]
    findings += check_oracles(scenario, harness.catalogue, goal, exchanges, ending, names)
    return Report(scenario=scenario.name, goal=goal, seed=seed, index=index, exchanges=exchanges, findings=tuple(findings),
                  outcome=outcome, drawn=rng is not None)


def check(bot: Any, scenario: Scenario, goal: Goal, **options: Any) -> Report:
    """``converse`` for a test: the report when every oracle passed, else ``BotCheckFailed``
    with the transcript."""
    report = converse(bot, scenario, goal, **options)
    if not report.passed:
        raise BotCheckFailed(report)
    return report
