"""The consistency check and the dialogue state of the models (``dialogsim.models.state``):
plain Python, no torch. The check is property-tested with random "model outputs" -- any
action with any arguments (missing, of another argument's type, the default) in states
taken from simulated dialogues -- and must always return something the runtime may do."""

from __future__ import annotations

import functools

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogsim
from dialogsim.dialogue import ApiCall, ApiStatus, Span, UserTurn
from dialogsim.models.state import DEFAULT_KEY, STOP, DialogueState, check, ref_key
from dialogsim.schema import ResponseAct

SCENARIOS = ("flights", "movies", "music")


@functools.lru_cache(maxsize=None)
def _scenario(name: str):
    return dialogsim.load_scenario(dialogsim.scenarios.path(name))


@functools.lru_cache(maxsize=None)
def _dialogues(name: str):
    return tuple(dialogsim.simulate(_scenario(name), 20, seed=3))


def _replay(scenario, dialogue, user_turns: int, actions: int) -> DialogueState:
    """The state after ``user_turns`` user turns of ``dialogue`` and ``actions`` actions of
    the system turn that answers the last of them."""
    state = DialogueState(scenario)
    seen = 0
    for turn in dialogue.turns:
        if isinstance(turn, UserTurn):
            if seen == user_turns:
                break
            state.user(turn.text, turn.spans)
            seen += 1
            continue
        last = seen == user_turns
        for action in turn.actions[:actions] if last else turn.actions:
            keys = {k: ref_key(a.ref, dialogue.turns) for k, a in action.args.items()}
            if isinstance(action, ApiCall):
                state.act(action.name, keys, action.status, action.result)
            else:
                state.act(action.name, keys)
        if last:
            break
        state.end_system()
    return state


@st.composite
def proposals(draw):
    name = draw(st.sampled_from(SCENARIOS))
    scenario = _scenario(name)
    dialogue = draw(st.sampled_from(_dialogues(name)))
    n_user = sum(isinstance(t, UserTurn) for t in dialogue.turns)
    state = _replay(scenario, dialogue, draw(st.integers(1, n_user)), draw(st.integers(0, 3)))
    action = draw(st.sampled_from((*scenario.apis, *scenario.responses, STOP, "NoSuchAction")))
    pool = [c for arg in state.arg_names(action) for c in state.candidates(action, arg)]
    anything = pool + [c for other in scenario.apis for arg in state.arg_names(other)
                       for c in state.candidates(other, arg)]
    args = {}
    for arg in (*state.arg_names(action), "stray"):
        choice = draw(st.sampled_from(("missing", "own", "any")))
        if choice == "own" and state.candidates(action, arg):
            args[arg] = draw(st.sampled_from(state.candidates(action, arg)))
        elif choice == "any" and anything:
            args[arg] = draw(st.sampled_from(anything))
    return state, action, args, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(proposals())
def test_check_only_lets_valid_actions_through(proposal):
    state, name, args, affirmed = proposal
    scenario = state.scenario
    result = check(state, name, args, affirmed=affirmed)
    assert result.name == STOP or result.name in scenario.apis or result.name in scenario.responses
    if not result.intervened:
        assert result.name == name
    api = scenario.apis.get(result.name)
    if api is not None:
        for spec in api.args:
            cand = result.args.get(spec.name)
            assert cand is not None, f"{result.name} called without {spec.name}"
            if cand.key == DEFAULT_KEY:
                assert spec.optional
            else:
                assert cand.type == spec.type
        if api.confirm:
            assert affirmed
            assert any(a[0] == f"confirm_{api.name}" for a in state.last_system())
            assert not any(spec.name in state.revised for spec in api.args)
    response = scenario.responses.get(result.name)
    if response is not None:
        assert set(result.args) == set(response.args)
        for arg, cand in result.args.items():
            assert cand.key == DEFAULT_KEY or cand.type == response.args[arg]
        if response.act.value == "request" and response.slot in state.held:
            assert any(a[0] == f"confirm_{response.slot}" for a in state.last_system())


def test_check_asks_for_a_missing_required_argument(flights):
    state = DialogueState(flights)
    state.user("find me a flight to Boston", [])
    result = check(state, "SearchFlight", {})
    assert (result.name, result.intervened) == ("request_origin", True)


def test_check_confirms_before_a_confirmed_api_and_calls_it_once_affirmed(flights):
    state = DialogueState(flights)
    state.user("book a flight for 2", [Span(start=19, end=20, slot="passengers", type="Passengers", value="2")])
    flight = {"airline": "Delta", "departure_time": "9 am", "price": "$89"}
    state.act("SearchFlight", {}, ApiStatus.OK, {"flights": (flight,)})
    args = {a.name: state.candidates("BookFlight", a.name)[0] for a in flights.apis["BookFlight"].args}
    first = check(state, "BookFlight", args)
    assert (first.name, first.intervened) == ("confirm_BookFlight", True)
    assert set(first.args) == {"flight", "passengers"}
    state.act(first.name, {k: c.key for k, c in first.args.items()})
    state.end_system()
    state.user("yes", [])
    assert check(state, "BookFlight", args, affirmed=False).name == "confirm_BookFlight"
    called = check(state, "BookFlight", args, affirmed=True)
    assert (called.name, called.intervened) == ("BookFlight", False)


def test_check_fills_a_missing_argument_the_customer_gave_instead_of_asking_again(flights):
    state = DialogueState(flights)
    spans = [Span(start=0, end=6, slot="origin", type="City", value="Denver"),
             Span(start=10, end=16, slot="destination", type="City", value="Boston"),
             Span(start=17, end=23, slot="date", type="Date", value="Monday")]
    state.user("Denver to Boston Monday", spans)
    result = check(state, "SearchFlight", {})
    assert result.name == "SearchFlight" and result.intervened
    assert result.args["origin"].value == "Denver"
    assert check(state, "request_origin", {}).name == STOP


def test_candidates_are_type_compatible_and_end_with_the_default(flights):
    state = DialogueState(flights)
    dialogue = _dialogues("flights")[0]
    first = dialogue.turns[0]
    state.user(first.text, first.spans)
    for arg in flights.apis["SearchFlight"].args:
        pool = state.candidates("SearchFlight", arg.name)
        assert all(c.key == DEFAULT_KEY or (c.type == arg.type and c.slot == arg.name) for c in pool)
        assert (pool[-1].key == DEFAULT_KEY) == arg.optional


def test_decoding_joins_the_words_of_one_value_and_widens_word_pieces(flights):
    from dialogsim.models.features import decode_spans

    text = "fly from Salt Lake City to Bost"
    offsets = [(0, 0), (0, 3), (4, 8), (9, 13), (14, 18), (19, 23), (24, 26), (27, 30), (30, 31), (0, 0)]
    tags = ["O", "O", "O", "B-origin", "B-origin", "B-origin", "O", "B-destination", "O", "O"]
    spans = decode_spans(text, offsets, tags, flights)
    assert [(s.start, s.end, s.slot, s.value) for s in spans] == [
        (9, 23, "origin", "Salt Lake City"), (27, 31, "destination", "Bost")]
    # an unseen value the tagger splits between two slots of one type, or leaves a word of
    tags = ["O", "O", "O", "B-origin", "O", "B-destination", "O", "B-destination", "O", "O"]
    assert [(s.start, s.end, s.slot) for s in decode_spans(text, offsets, tags, flights)] == [
        (9, 23, "origin"), (27, 31, "destination")]
    # values of other types side by side stay apart
    two = decode_spans("to Boston tomorrow", [(0, 2), (3, 9), (10, 18)], ["O", "B-destination", "B-date"], flights)
    assert [(s.slot, s.value) for s in two] == [("destination", "Boston"), ("date", "tomorrow")]
    # a synonym said is its canonical value
    [nyc] = decode_spans("to NYC", [(0, 2), (3, 6)], ["O", "B-destination"], flights)
    assert nyc.value == "New York"


def test_token_shapes_mark_capitalised_words_digits_and_word_starts():
    from dialogsim.models.features import token_shapes

    shapes = token_shapes("to Salt lake 12th", [(0, 0), (0, 2), (3, 7), (8, 12), (13, 15), (15, 17)])
    assert shapes.tolist() == [[0, 0, 0, 0], [0, 0, 0, 1], [1, 0, 0, 1], [0, 0, 0, 1], [0, 0, 1, 1], [0, 0, 0, 0]]


def _words(text):
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]


def test_gazetteer_marks_catalogue_values_synonyms_and_spoken_forms_up_to_case():
    from dialogsim.models.features import Gazetteer, Vocab

    restaurants = dialogsim.load_scenario(dialogsim.scenarios.path("restaurants"))
    slots = Vocab.of(restaurants).slots
    gazetteer = Gazetteer(restaurants, slots)
    text = "tapas in san francisco at seven thirty for Tex-Mex fans"
    found = {(text[a:b], t) for a, b, t in gazetteer.matches(text)}
    assert {("tapas", "Cuisine"), ("san francisco", "City"), ("seven thirty", "Time"), ("Tex-Mex", "Cuisine")} <= found
    assert not any(t == "City" and text[a:b] == "san" for a, b, t in gazetteer.matches(text))
    features = gazetteer.features(text, _words(text))
    cuisine, city = slots.index("cuisine"), slots.index("city")
    assert features[:, cuisine].tolist()[:4] == [1, 0, 0, 0]  # tapas | in | san | francisco
    assert features[:, city].tolist()[:4] == [0, 0, 1, 1]
    assert features[:, -1].tolist()[:4] == [1, 0, 1, 0]  # where a match begins
    # what a span says is its value: synonyms and spoken forms included
    from dialogsim.models.features import canonical

    assert canonical(restaurants, "Time", "seven thirty") == "7:30 pm"
    assert canonical(restaurants, "Cuisine", "tapas", gazetteer) == "Spanish"
    assert canonical(restaurants, "City", "Gotham") == "Gotham"


def test_decoding_grows_part_of_a_catalogue_value_to_all_of_it():
    """The tagger that found "Locked Out" and "Heaven" (or "Taylor" of "Taylor Swift")
    meant the listed value; without a gazetteer the pieces are joined over a small word."""
    from dialogsim.models.features import Gazetteer, Vocab, decode_spans

    music = _scenario("music")
    gazetteer = Gazetteer(music, Vocab.of(music).slots)
    text = "hear Locked Out of Heaven by Taylor Swift"
    tags = ["O", "B-song", "I-song", "O", "B-song", "O", "B-artist", "O"]
    spans = decode_spans(text, _words(text), tags, music, gazetteer)
    assert [(text[s.start:s.end], s.slot, s.value) for s in spans] == [
        ("Locked Out of Heaven", "song", "Locked Out of Heaven"), ("Taylor Swift", "artist", "Taylor Swift")]
    plain = decode_spans(text, _words(text), tags, music)
    assert [(text[s.start:s.end], s.slot) for s in plain] == [("Locked Out of Heaven", "song"), ("Taylor", "artist")]
    # stray words beside a listed value, and a comma at the end, are not part of it
    stray = "hear Shallow, if possible"
    spans = decode_spans(stray, [(0, 4), (5, 12), (12, 13), (14, 16), (17, 25)], ["B-song", "I-song", "I-song", "O", "O"],
                         music, gazetteer)
    assert [(stray[s.start:s.end], s.value) for s in spans] == [("Shallow", "Shallow")]
    # never over a span of another slot: "Swift" tagged a song keeps "Taylor" an artist alone
    tags = ["O", "B-song", "I-song", "O", "B-song", "O", "B-artist", "B-song"]
    spans = decode_spans(text, _words(text), tags, music, gazetteer)
    assert [(text[s.start:s.end], s.slot) for s in spans][1:] == [("Taylor", "artist"), ("Swift", "song")]


def test_decoding_grows_a_relabelled_or_wavering_span_to_its_catalogue_value():
    """A span whose slot ``Gazetteer.relabel`` changed is not "another slot" in its own way
    ("Chill" tagged a song is the playlist, and grows to "Chill Vibes"), nor is a run that
    goes on with an I- tag of another slot ("Dancing" B-song, "Queen" I-artist)."""
    from dialogsim.models.features import Gazetteer, Vocab, decode_spans

    music = _scenario("music")
    gazetteer = Gazetteer(music, Vocab.of(music).slots)
    text = "yes, add it to Chill Vibes"
    offsets = [(0, 3), (3, 4), (5, 8), (9, 11), (12, 14), (15, 20), (21, 25), (25, 26)]
    for vibes in ("I-playlist", "O"):
        tags = ["O", "O", "O", "O", "O", "B-song", vibes, "O"]
        spans = decode_spans(text, offsets, tags, music, gazetteer)
        assert [(text[s.start:s.end], s.slot, s.value) for s in spans] == [("Chill Vibes", "playlist", "Chill Vibes")]
    text = "I wanna play Dancing Queen"
    spans = decode_spans(text, _words(text), ["O", "O", "O", "B-song", "I-artist"], music, gazetteer)
    assert [(text[s.start:s.end], s.slot) for s in spans] == [("Dancing Queen", "song")]
    # a span the tagger began is still never swallowed: "Queen" B-artist stays the artist
    spans = decode_spans(text, _words(text), ["O", "O", "O", "B-song", "B-artist"], music, gazetteer)
    assert [(text[s.start:s.end], s.slot) for s in spans] == [("Dancing", "song"), ("Queen", "artist")]


def test_small_words_join_pieces_of_one_slot_only(flights):
    from dialogsim.models.features import decode_spans

    text = "from Boston to Denver"
    spans = decode_spans(text, _words(text), ["O", "B-origin", "O", "B-destination"], flights)
    assert [(text[s.start:s.end], s.slot) for s in spans] == [("Boston", "origin"), ("Denver", "destination")]


def _renamed(scenario, renames):
    """``scenario`` with some responses under names of the author's own (same meanings)."""
    responses = {renames.get(n, n): attrs.evolve(r, name=renames.get(n, n)) for n, r in scenario.responses.items()}
    return attrs.evolve(scenario, responses=responses)


def test_check_finds_responses_by_meaning_whatever_they_are_named(flights):
    """Issue #11: the check built ``request_<arg>`` / ``confirm_<...>`` names with f-strings,
    so a scenario naming its responses otherwise got ``stop`` instead of a question."""
    scenario = _renamed(flights, {"request_origin": "ask_where_from", "confirm_BookFlight": "double_check_booking",
                                  "confirm_origin": "check_origin"})
    state = DialogueState(scenario)
    state.user("find me a flight to Boston", [])
    assert check(state, "SearchFlight", {}).name == "ask_where_from"

    state = DialogueState(scenario)
    state.user("book a flight for 2", [Span(start=19, end=20, slot="passengers", type="Passengers", value="2")])
    flight = {"airline": "Delta", "departure_time": "9 am", "price": "$89"}
    state.act("SearchFlight", {}, ApiStatus.OK, {"flights": (flight,)})
    args = {a.name: state.candidates("BookFlight", a.name)[0] for a in scenario.apis["BookFlight"].args}
    first = check(state, "BookFlight", args)
    assert first.name == "double_check_booking"
    state.act(first.name, {k: c.key for k, c in first.args.items()})
    state.end_system()
    state.user("yes", [])
    assert check(state, "BookFlight", args, affirmed=True).name == "BookFlight"

    # A held value is asked again only right after its confirmation (here renamed) was said.
    state = DialogueState(scenario)
    state.user("from Denver", [Span(start=5, end=11, slot="origin", type="City", value="Denver")])
    assert check(state, "ask_where_from", {}).name == STOP
    state.act("check_origin", {"origin": state.held["origin"].key})
    state.end_system()
    state.user("no", [])
    assert check(state, "ask_where_from", {}).name == "ask_where_from"


def test_the_state_marks_the_values_said_in_other_words_which_the_system_confirms():
    """``DialogueState.reworded`` (a feature of the action model) is the system's reason to
    ask "Did you say New York?" (``confirm_value: reworded``): every value confirmation in
    simulated dialogues is of a value the state marked when it was said, and the state marks
    a value only when its text is not the value up to case."""
    scenario = _scenario("flights")
    confirms = {r.name: r.slot for r in scenario.responses.values() if r.act is ResponseAct.CONFIRM_ARGS}
    marked_total = confirmed_total = plain_total = 0
    for dialogue in dialogsim.simulate(scenario, 80, seed=11):
        state = DialogueState(scenario)
        marked: dict[str, str] = {}  # slot -> the value marked reworded, until confirmed or revised
        for turn in dialogue.turns:
            if isinstance(turn, UserTurn):
                state.user(turn.text, turn.spans)
                for span in turn.spans:
                    said = turn.text[span.start:span.end]
                    assert (span.slot in state.reworded) == (span.slot in state.revised and
                                                             said.casefold() != span.value.casefold())
                    if span.slot in state.reworded:
                        marked[span.slot] = span.value
                    elif span.slot in state.revised:
                        marked.pop(span.slot, None)
                        plain_total += 1
                marked_total += len(state.reworded)
                continue
            for action in turn.actions:
                slot = confirms.get(action.name)
                if slot is not None:
                    assert marked.get(slot) == state.held[slot].value, (action.name, dialogue.to_line())
                    confirmed_total += 1
            state.end_system()
    assert confirmed_total > 10 and marked_total >= confirmed_total and plain_total > 3 * confirmed_total


def test_a_recognised_synonym_is_marked_as_said_in_other_words(flights):
    from dialogsim.models.features import Features, Vocab, decode_spans

    text = "from NYC to Boston"
    offsets = [(0, 0), (0, 4), (5, 8), (9, 11), (12, 18), (0, 0)]
    spans = decode_spans(text, offsets, ["O", "O", "B-origin", "O", "B-destination", "O"], flights)
    assert [(s.slot, s.value) for s in spans] == [("origin", "New York"), ("destination", "Boston")]
    state = DialogueState(flights)
    state.user(text, spans)
    assert state.reworded == {"origin"} and state.revised == {"origin", "destination"}
    features = Features(Vocab.of(flights))
    reworded = features.turn(state)[-len(features.vocab.slots):]
    assert reworded[features.slot["origin"]] == 1.0 and reworded.sum() == 1.0
    assert features.step(state)[-len(features.vocab.slots):].tolist() == reworded.tolist()
    # the same value said again as it is: nothing new, nothing to confirm
    state.user("New York", [Span(start=0, end=8, slot="origin", type="City", value="New York")])
    assert not state.reworded and not features.turn(state)[-len(features.vocab.slots):].any()
    old = Features(Vocab.of(flights), reworded=False)
    assert old.turn_size == features.turn_size - len(features.vocab.slots)
