"""Arguments filled with a value said without a span (``ActRef``) at runtime and in
``evaluate``: the runtime recognises values, not the customer's acts, so its act index is
the value's place among the values it recognised (``DialogueManager.recognise``), not the
corpus's index of the INFORM; ``evaluate`` matches such an argument by turn, slot and
value. A scripted manager (no training) on tests/fixtures/booleans.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")

import dialogsim  # noqa: E402
from dialogsim.dialogue import (  # noqa: E402
    Act,
    ActRef,
    ApiCall,
    ApiRef,
    Arg,
    Dialogue,
    Outcome,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.goal import Goal  # noqa: E402
from dialogsim.invariants import check_dialogue  # noqa: E402
from dialogsim.models.features import Vocab  # noqa: E402
from dialogsim.models.metrics import evaluate  # noqa: E402
from dialogsim.models.runtime import DialogueManager, to_arg  # noqa: E402
from dialogsim.models.state import DEFAULT_KEY, DialogueState, Proposal, said_key  # noqa: E402

DINER = dialogsim.load_scenario(Path(__file__).parent / "fixtures" / "booleans.yaml")
TEXT = "find a Thai place in Boston with outdoor seating"
SPANS = (Span(start=7, end=11, slot="cuisine", type="Cuisine", value="Thai"),
         Span(start=21, end=27, slot="city", type="City", value="Boston"))
JUNIPER = {"name": "Juniper", "outdoor_seating": "true", "quiet": "true", "live_music": "false"}


class _Scripted(DialogueManager):
    """A manager whose 'models' are scripts: it tags the two spans, recognises outdoor
    seating true (the first and only value it recognises: act index 0), searches and
    informs (then says goodbye to a bye), each argument filled with the latest value said of
    its slot, else its default."""

    ACTIONS = {TEXT: ["FindRestaurants", "inform_FindRestaurants", "stop"], "bye": ["goodbye", "stop"]}

    def __init__(self, scenario):
        self.scenario = scenario
        self.vocab = Vocab.of(scenario)
        self.encoder = self

    def encode(self, texts, persist=True):
        return list(texts)  # the 'encoding' is the text: what the scripts read

    def tag(self, state, text, encoded):
        return list(SPANS) if text == TEXT else []

    def recognise(self, state, encoded):
        return ((0, "outdoor_seating", "true"),) if encoded == TEXT else ()

    def begin(self, session, text, spans, encoded, values=()):
        session.state.user(text, spans, values)
        return None, text, False

    def propose(self, state, hidden, utterance, affirmed):
        name = self.ACTIONS[utterance][len(state.current)]
        return Proposal(name=name, args=self.fill(state, hidden, utterance, name) if name != "stop" else {}), name

    def fill(self, state, hidden, utterance, name):
        out = {}
        for arg in state.arg_names(name):
            pool = [c for c in state.candidates(name, arg) if c.item is None]
            said = [c for c in pool if c.slot == arg]
            if said or pool:
                out[arg] = (said or pool)[-1]
        return out


def _corpus_dialogue() -> Dialogue:
    """The customer's acts in its order: the invoke, then outdoor seating (act 1, no span),
    then the two spans' informs; the search takes outdoor seating by ``["act", 0, 1]``."""
    user = UserTurn(text=TEXT, acts=[UserAct(act=Act.INVOKE, api="FindRestaurants"),
                                     UserAct(act=Act.INFORM, slot="outdoor_seating", value="true"),
                                     UserAct(act=Act.INFORM, slot="cuisine"), UserAct(act=Act.INFORM, slot="city")],
                    spans=SPANS)
    args = {"city": Arg(value="Boston", ref=SpanRef(0, 1)), "cuisine": Arg(value="Thai", ref=SpanRef(0, 0)),
            "outdoor_seating": Arg(value="true", ref=ActRef(0, 1)),
            "quiet": Arg(value="any", ref=None), "price_range": Arg(value="any price", ref=None)}
    system = SystemTurn(actions=[
        ApiCall(name="FindRestaurants", args=args, result={"restaurants": (JUNIPER,)}),
        Response(name="inform_FindRestaurants", args={"restaurants": Arg(value=(JUNIPER,), ref=ApiRef(1, 0))},
                 text="I've got Juniper.")])
    bye = [UserTurn(text="bye", acts=[UserAct(act=Act.GOODBYE)]),
           SystemTurn(actions=[Response(name="goodbye", text="Goodbye!")])]
    goal = Goal(apis=("FindRestaurants",), values={"city": "Boston", "cuisine": "Thai", "outdoor_seating": "true"})
    return Dialogue(id="diner-0", scenario="diner", goal=goal, turns=[user, system, *bye], outcome=Outcome.COMPLETED)


def test_the_hand_made_dialogue_is_a_valid_corpus_dialogue():
    assert check_dialogue(_corpus_dialogue(), DINER) == []


def test_evaluate_matches_an_act_ref_by_slot_and_value_not_by_act_index():
    """The corpus's ActRef says act 1, the runtime's recognised value is act 0: the same
    value of the same turn, scored right, and the turn is exactly right."""
    metrics = evaluate(_Scripted(DINER), [_corpus_dialogue()])
    assert (metrics.args_right, metrics.args) == (6, 6)  # five of the search, one of inform
    assert (metrics.turns_right, metrics.turns, metrics.dialogues_right) == (2, 2, 1)
    assert dict((slot, (right, n)) for slot, right, n in metrics.categorical)["outdoor_seating"] == (1, 1)


def test_at_runtime_an_act_ref_counts_the_recognised_values():
    from dialogsim.bot import Bot

    reply = Bot(_Scripted(DINER)).respond(TEXT)
    call = reply.api_calls[0]
    assert call.args["outdoor_seating"] == Arg(value="true", ref=ActRef(0, 0))  # the first value recognised
    assert call.args["city"] == Arg(value="Boston", ref=SpanRef(0, 1))


def test_to_arg_points_at_the_act_that_carries_the_value():
    """"with outdoor seating, no, without": two values of one slot in a turn; the argument
    that took the second points at the second act, not at the first of its slot."""
    state = DialogueState(DINER)
    state.user("with outdoor seating, no, without", (), ((1, "outdoor_seating", "true"), (3, "outdoor_seating", "false")))
    held = state.held["outdoor_seating"]
    assert held.key == said_key(0, "outdoor_seating", "false")
    assert to_arg(state, held) == Arg(value="false", ref=ActRef(0, 3))
    first = next(c for c in state.candidates("FindRestaurants", "outdoor_seating") if c.value == "true")
    assert to_arg(state, first) == Arg(value="true", ref=ActRef(0, 1))
    default = next(c for c in state.candidates("FindRestaurants", "outdoor_seating") if c.key == DEFAULT_KEY)
    assert to_arg(state, default).ref is None
