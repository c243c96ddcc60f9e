"""dialogsim.testing: the driver, the oracles, the adapters and the reference bot.

The reference bot (the system agent) must pass every oracle; a bot that says nothing the
customer understands, raises or hangs must end with that finding, never a crash."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import attrs
import numpy as np
import pytest

import dialogsim
from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import (
    Act,
    ActRef,
    ApiCall,
    Arg,
    Outcome,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.simulation import Simulator
from dialogsim.testing import (
    ORACLES,
    BotCheckFailed,
    BotError,
    BotReply,
    BotTurn,
    HttpBot,
    ReferenceBot,
    check,
    converse,
    import_bot,
    run_many,
)
from dialogsim.testing.oracles import Ending, Exchange, _Facts, check_oracles
from dialogsim.testing.understanding import ReplyReader

EXAMPLES = ("flights", "movies", "music", "restaurants", "weather")
SCENARIOS = {name: dialogsim.load_scenario(dialogsim.scenarios.path(name)) for name in EXAMPLES}
FLIGHTS = SCENARIOS["flights"]
# Yes/no slots (outdoor_seating, quiet) and a price range labelled without a span.
DINER = dialogsim.load_scenario(Path(__file__).parent / "fixtures" / "booleans.yaml")


def goal(scenario, index: int = 0):
    return Simulator(scenario).goals.sample(np.random.default_rng(index))


class TextWithCalls(ReferenceBot):
    """The reference bot answering in text, reporting its API calls beside it."""

    def respond(self, turn):
        reply = super().respond(turn)
        return {"text": reply.text, "api_calls": [
            {"name": c.name, "args": {k: a.value for k, a in c.args.items()}} for c in reply.reported_calls]}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_reference_bot_passes_every_oracle(name):
    summary = run_many(ReferenceBot(SCENARIOS[name]), SCENARIOS[name], 60, seed=3)
    assert summary.ok, summary.table() + "\n" + "\n".join(r.render() for r in summary.examples.values())


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_replies_are_understood_through_the_templates(name):
    scenario = SCENARIOS[name]
    summary = run_many(TextWithCalls(scenario), scenario, 30, seed=5)
    assert summary.ok, "\n".join(r.render() for r in summary.examples.values())


def test_the_reader_splits_a_reply_into_responses_and_reads_values_back():
    reader = ReplyReader(FLIGHTS)
    found = reader.responses("I found Delta at 9 am for $120.   Want me to book it?")
    assert [r.name for r in found] == ["inform_SearchFlight", "offer_BookFlight"]
    asked = reader.responses("To confirm: book Delta at 9 am for $120 for two of us?")
    assert [r.name for r in asked] == ["confirm_BookFlight"] and asked[0].args["passengers"].value == "2"
    assert reader.responses("What a lovely day") is None


def test_same_seed_same_customer_turns():
    bot, g = ReferenceBot(FLIGHTS), goal(FLIGHTS, 4)
    first = converse(bot, FLIGHTS, g, seed=9, index=2)
    again = converse(bot, FLIGHTS, g, seed=9, index=2)
    assert [e.user for e in first.exchanges] == [e.user for e in again.exchanges]
    other = [converse(bot, FLIGHTS, g, seed=9, index=i).exchanges[0].user.text for i in range(8)]
    assert len(set(other)) > 1  # and the index does change what the customer says


def test_a_reply_the_customer_cannot_understand_is_a_finding():
    report = converse(lambda turn: "Bananas are yellow", FLIGHTS, goal(FLIGHTS))
    assert not report.passed and [f.oracle for f in report.findings] == ["understood"]
    assert "Bananas are yellow" in report.findings[0].message and len(report.exchanges) == 1


def test_a_reply_that_is_not_a_reply_is_a_finding():
    report = converse(lambda turn: 42, FLIGHTS, goal(FLIGHTS))
    assert [f.oracle for f in report.findings] == ["understood"]


def test_a_bot_that_raises_is_a_finding_that_names_the_error():
    def bot(turn):
        raise KeyError("slot")

    report = converse(bot, FLIGHTS, goal(FLIGHTS))
    assert [f.oracle for f in report.findings] == ["bot_error"] and "KeyError" in report.findings[0].message


def test_a_bot_that_does_not_answer_in_time_is_a_finding():
    release = threading.Event()
    try:
        report = converse(lambda turn: release.wait(30) and "never", FLIGHTS, goal(FLIGHTS), timeout=0.2)
    finally:
        release.set()
    assert [f.oracle for f in report.findings] == ["timeout"]


def test_oracles_can_be_switched_off():
    text_only = lambda turn: ReferenceBot.respond(bot, turn).text  # noqa: E731
    bot = ReferenceBot(FLIGHTS)
    g = goal(FLIGHTS)
    assert {f.oracle for f in converse(text_only, FLIGHTS, g).findings} == {"goal"}
    assert converse(text_only, FLIGHTS, g, oracles=set(ORACLES) - {"goal"}).passed
    with pytest.raises(ValueError, match="unknown oracle 'gaol'"):
        converse(bot, FLIGHTS, g, oracles=["gaol"])


def test_check_raises_with_a_readable_transcript():
    bot = ReferenceBot(FLIGHTS)
    assert check(bot, FLIGHTS, goal(FLIGHTS)).passed
    with pytest.raises(BotCheckFailed) as caught:
        check(lambda turn: "Bananas are yellow", FLIGHTS, goal(FLIGHTS))
    text = str(caught.value)
    assert "customer:" in text and "bot:      Bananas are yellow" in text and "!! understood" in text
    assert isinstance(caught.value, AssertionError)


def test_the_bot_gets_the_text_and_the_acts():
    seen: list[BotTurn] = []

    def bot(turn):
        seen.append(turn)
        return ReferenceBot.respond(reference, turn)

    reference = ReferenceBot(FLIGHTS)
    converse(bot, FLIGHTS, goal(FLIGHTS))
    assert seen and all(isinstance(t, str) and isinstance(t.user_turn, UserTurn) for t in seen)
    assert seen[0] == seen[0].user_turn.text and any(a.act is Act.INVOKE for a in seen[0].acts)


def test_import_bot_names_what_is_wrong():
    assert isinstance(import_bot("dialogsim.testing:ReferenceBot", FLIGHTS), ReferenceBot)
    for spec, words in [("nosuchmodule:bot", "cannot import"), ("dialogsim.testing:nothing", "has no"),
                        ("dialogsim.testing", "module:name"), ("dialogsim.testing:ORACLES", "respond")]:
        with pytest.raises(BotError, match=words):
            import_bot(spec, FLIGHTS)


class _RasaChannel(BaseHTTPRequestHandler):
    """Rasa's REST channel in front of a reference bot: one per sender (a copy of ``bot``);
    the calls in Rasa's custom payload, or nowhere (then a hook reads them from a log)."""

    bots: dict = {}
    log: list = []
    custom = True

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if body["sender"] not in self.bots:  # a fresh conversation: a copy of one bot, reset
            self.bots[body["sender"]] = copy.copy(self.bot)
            self.bots[body["sender"]].reset()
        bot = self.bots[body["sender"]]
        turn = self.server.turns[body["message"]]  # the structured turn the reference bot reads
        reply = bot.respond(turn)
        messages = [{"recipient_id": body["sender"], "text": reply["text"]}]
        if self.custom:
            messages.append({"recipient_id": body["sender"], "custom": {"api_calls": reply["api_calls"]}})
        else:
            self.log.append(reply["api_calls"])
        data = json.dumps(messages).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _Recorder:
    """Lets the test's server look up the structured turn of a text it receives."""

    def __init__(self, bot, turns):
        self.bot, self.turns = bot, turns

    def reset(self):
        self.bot.reset()

    def respond(self, turn):
        self.turns[str(turn)] = turn
        return self.bot.respond(turn)


@pytest.mark.parametrize("custom", [True, False], ids=["field", "hook"])
def test_a_bot_behind_rasas_rest_channel(custom):
    handler = type("Handler", (_RasaChannel,), {"bots": {}, "log": [], "custom": custom, "bot": TextWithCalls(FLIGHTS)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.turns = {}
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/rest/webhook"
        hook = None if custom else (lambda messages: handler.log.pop())
        http = _Recorder(HttpBot(url, api_calls=hook, timeout=5), server.turns)
        for i in range(3):
            report = converse(http, FLIGHTS, goal(FLIGHTS, i), index=i)
            assert report.passed, report.render()
            assert any(e.calls for e in report.exchanges)
        assert len(handler.bots) == 3  # a fresh sender per conversation
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_an_unreachable_http_bot_is_a_finding():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RasaChannel)
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more
    report = converse(HttpBot(f"http://127.0.0.1:{port}/", timeout=2), FLIGHTS, goal(FLIGHTS))
    assert [f.oracle for f in report.findings] == ["bot_error"] and "BotError" in report.findings[0].message


def test_bad_arguments_fail_at_the_call():
    with pytest.raises(TypeError):
        converse(ReferenceBot(FLIGHTS), "flights", goal(FLIGHTS))
    with pytest.raises(ValueError, match="GetWeather"):
        converse(ReferenceBot(FLIGHTS), FLIGHTS, goal(SCENARIOS["weather"]))
    with pytest.raises(TypeError):
        converse(object(), FLIGHTS, goal(FLIGHTS))
    with pytest.raises(TypeError, match="variation"):
        converse(ReferenceBot(FLIGHTS), FLIGHTS, goal(FLIGHTS), variation="typos=0.2")
    with pytest.raises(BotError):
        HttpBot("localhost:5005")
    with pytest.raises(TypeError):
        BotReply(text=None)


# -- the oracles the six broken bots of test_testing_broken_bots.py do not name ------------

def _goal_with(scenario, api, where=lambda g: True):
    return next(g for g in (goal(scenario, i) for i in range(200)) if api in g.apis and not g.revisions and where(g))


class SkipsConfirmation(ReferenceBot):
    """Books without asking "shall I book it?"."""

    def respond(self, turn):
        confirmed = {name for name, api in self.scenario.apis.items() if api.confirm}
        self.state = attrs.evolve(self.state, api_confirmed=self.state.api_confirmed | confirmed)
        return super().respond(turn)


class MakesUpValues(ReferenceBot):
    """Searches from Paris (not a City of the scenario) to the city it likes best."""

    def respond(self, turn):
        reply = super().respond(turn)
        actions = [attrs.evolve(a, args={**a.args, "origin": Arg(value="Paris"), "destination": Arg(value="Seattle")})
                   if isinstance(a, ApiCall) and a.name == "SearchFlight" else a for a in reply.actions]
        return attrs.evolve(reply, actions=actions)


def test_a_call_without_the_customers_yes_breaks_confirmation():
    report = converse(SkipsConfirmation(FLIGHTS), FLIGHTS, _goal_with(FLIGHTS, "BookFlight"))
    assert {f.oracle for f in report.findings} == {"confirmation"}, report.render()
    assert "without the customer affirming confirm_BookFlight" in report.findings[0].message


def test_values_the_customer_never_gave_break_arguments():
    g = _goal_with(FLIGHTS, "SearchFlight", lambda g: g.values["destination"] != "Seattle")
    report = converse(MakesUpValues(FLIGHTS), FLIGHTS, g)
    messages = [f.message for f in report.findings if f.oracle == "arguments"]
    assert any("origin='Paris', not a City" in m for m in messages), report.render()
    assert any("destination='Seattle', but the customer asked for" in m for m in messages), report.render()


def test_a_bot_that_never_gets_on_runs_out_of_turns():
    report = converse(lambda turn: "Where are you flying from?", FLIGHTS, goal(FLIGHTS), max_turns=12)
    found = {f.oracle for f in report.findings}
    assert {"turn_budget", "no_reask"} <= found and report.turns <= 12, report.render()


def test_the_driver_works_without_hypothesis():
    """hypothesis is the 'testing' extra: without it, converse, run_many and test-bot still run."""
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "import dialogsim, dialogsim.testing as t\n"
            "s = dialogsim.load_scenario(dialogsim.scenarios.path('weather'))\n"
            "print(t.run_many(t.ReferenceBot(s), s, 5).passed, hasattr(t, 'strategies'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["5", "False"]


def test_a_pick_by_a_field_value_is_not_a_value_given():
    """"the Southwest one" picks a flight of the list: the customer's airline for the search
    stays what it said (a pick's span names the result field, here also an argument)."""
    asked = UserTurn(text="a flight with Delta", acts=[UserAct(act=Act.INVOKE, api="SearchFlight"),
                                                      UserAct(act=Act.INFORM, slot="airline")],
                     spans=[Span(start=14, end=19, slot="airline", type="Airline", value="Delta")])
    picked = UserTurn(text="the Southwest one", acts=[UserAct(act=Act.SELECT, slot="airline", item=1)],
                      spans=[Span(start=4, end=13, slot="airline", type="Airline", value="Southwest")])
    exchanges = tuple(Exchange(user=turn, reply=None, heard=None, seconds=0.0) for turn in (asked, picked))
    facts = _Facts(FLIGHTS, Catalogue(FLIGHTS), exchanges)
    assert facts.said[1]["airline"] == "Delta" and facts.ever[1]["airline"] == {"Delta"}


# -- values said without a span (a boolean, a span: false type) -----------------------------

class DeafToSpanless(ReferenceBot):
    """Hears no value said without a span: "with outdoor seating", a "no" to "Do you want
    outdoor seating?" and "somewhere moderate" pass it by."""

    def respond(self, turn):
        user = turn.user_turn
        return super().respond(BotTurn(attrs.evolve(user, acts=[a for a in user.acts if a.value is None])))


class FlipsBooleans(ReferenceBot):
    """Calls with the opposite of every yes/no the customer said."""

    def respond(self, turn):
        reply = super().respond(turn)
        flip = {"true": "false", "false": "true"}
        actions = [attrs.evolve(a, args={k: Arg(value=flip[v.value], ref=v.ref) if v.value in flip else v
                                         for k, v in a.args.items()})
                   if isinstance(a, ApiCall) else a for a in reply.actions]
        return attrs.evolve(reply, actions=actions)


def test_the_reference_bot_passes_every_oracle_with_values_said_without_a_span():
    """Its calls take the customer's booleans and price range by their acts' values: no
    "arguments" finding says the customer never gave them."""
    summary = run_many(ReferenceBot(DINER), DINER, 40, seed=3)
    assert summary.ok, summary.table() + "\n" + "\n".join(r.render() for r in summary.examples.values())


def test_the_transcript_shows_values_said_without_a_span():
    """The text of "er, no" cannot show the value: the transcript's acts do."""
    goals = Simulator(DINER).goals
    g = next(g for g in (goals.sample(np.random.default_rng(i)) for i in range(100)) if "outdoor_seating" in g.values)
    text = converse(ReferenceBot(DINER), DINER, g).render()
    assert re.search(r"\[.*inform outdoor_seating=(true|false)\b", text), text


@pytest.mark.parametrize("bot_class", [DeafToSpanless, FlipsBooleans])
def test_values_said_without_a_span_are_checked(bot_class):
    summary = run_many(bot_class(DINER), DINER, 40, seed=3)
    messages = [f.message for r in summary.examples.values() for f in r.findings if f.oracle in ("goal", "arguments")]
    wanted = re.compile(r"the customer's final (outdoor_seating|quiet|price_range) is|"
                        r"(outdoor_seating|quiet|price_range)=.*(but the customer asked for|never gave)")
    assert any(wanted.search(m) for m in messages), summary.table()


def test_the_oracles_hold_values_said_without_a_span():
    """"with outdoor seating", then a "no" to "Do you want outdoor seating?": a call with the
    first value is one with a value the customer took back."""
    asked = UserTurn(text="find a Thai place in Boston with outdoor seating",
                     acts=[UserAct(act=Act.INVOKE, api="FindRestaurants"), UserAct(act=Act.INFORM, slot="cuisine"),
                           UserAct(act=Act.INFORM, slot="city"),
                           UserAct(act=Act.INFORM, slot="outdoor_seating", value="true")],
                     spans=[Span(start=7, end=11, slot="cuisine", type="Cuisine", value="Thai"),
                            Span(start=21, end=27, slot="city", type="City", value="Boston")])
    no = UserTurn(text="no", acts=[UserAct(act=Act.INFORM, slot="outdoor_seating", value="false")])
    call = ApiCall(name="FindRestaurants", args={"cuisine": Arg(value="Thai", ref=SpanRef(0, 0)),
                                                 "city": Arg(value="Boston", ref=SpanRef(0, 1)),
                                                 "outdoor_seating": Arg(value="true", ref=ActRef(0, 3))})
    exchanges = (Exchange(user=asked, reply=None, heard=None, seconds=0.0),
                 Exchange(user=no, reply=BotReply(actions=[call]), heard=None, seconds=0.0))
    facts = _Facts(DINER, Catalogue(DINER), exchanges)
    assert facts.said[0] == {"cuisine": "Thai", "city": "Boston", "outdoor_seating": "true"}
    assert facts.said[1]["outdoor_seating"] == "false" and facts.ever[1]["outdoor_seating"] == {"true", "false"}
    ending = Ending(outcome=Outcome.COMPLETED, out_of_time=False, cut_off=False, stopped=False)
    found = check_oracles(DINER, Catalogue(DINER), goal(DINER), exchanges, ending, frozenset({"arguments"}))
    assert [f.message for f in found] == ["FindRestaurants was called with outdoor_seating='true', which the "
                                          "customer took back (it now wants 'false')"]


def test_a_value_said_again_without_a_span_lifts_its_denial():
    """"Outdoor seating, right?" "No." "Well, yes, with outdoor seating after all.": the
    call with it then acts on what the customer said last, not on its "no"."""
    def user(text, *acts):
        return UserTurn(text=text, acts=list(acts))

    seating = UserAct(act=Act.INFORM, slot="outdoor_seating", value="true")
    confirm = SystemTurn(actions=[Response(name="confirm_outdoor_seating",
                                           args={"outdoor_seating": Arg(value="true", ref=ActRef(0, 0))})])
    call = ApiCall(name="FindRestaurants", args={"outdoor_seating": Arg(value="true", ref=ActRef(4, 0))})
    exchanges = (Exchange(user=user("with outdoor seating", seating), reply=None, heard=confirm, seconds=0.0),
                 Exchange(user=user("no", UserAct(act=Act.DENY)), reply=None, heard=None, seconds=0.0),
                 Exchange(user=user("well, with outdoor seating after all", seating),
                          reply=BotReply(actions=[call]), heard=None, seconds=0.0))
    ending = Ending(outcome=Outcome.COMPLETED, out_of_time=False, cut_off=False, stopped=False)
    found = check_oracles(DINER, Catalogue(DINER), goal(DINER), exchanges, ending, frozenset({"denied_confirmation"}))
    assert found == []
    facts = _Facts(DINER, Catalogue(DINER), exchanges)
    assert "outdoor_seating" not in facts.said[1] and facts.said[2]["outdoor_seating"] == "true"
    # Without the third turn's value the call acts on the "no".
    again = exchanges[:2] + (attrs.evolve(exchanges[2], user=user("find one", UserAct(act=Act.THANK))),)
    found = check_oracles(DINER, Catalogue(DINER), goal(DINER), again, ending, frozenset({"denied_confirmation"}))
    assert [f.message for f in found] == ["called FindRestaurants with outdoor_seating='true', which the customer "
                                          "said was wrong"]
