"""The system side as varied as the customer's (issue #9): acknowledgements only where a
turn opens, values and lists said in more than one form, never a wrong value."""

from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np
import pytest

from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import Response, SystemTurn
from dialogsim.generation import simulate
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.paraphrase import Realiser
from dialogsim.paraphrase.system_phrases import GENERIC_SHARE, all_texts, response_variants, said_texts
from dialogsim.paraphrase.system_values import entity_forms, system_forms
from dialogsim.scenarios import path
from dialogsim.spoken import clock_minutes, value_kind
from dialogsim.state import Context
from dialogsim.testing.understanding import ReplyReader
from dialogsim.wording import apologises, day_part, first_word, stutters

_NAMES = ("flights", "restaurants", "movies", "music", "weather")
_SCENARIOS = {name: load_scenario(path(name)) for name in _NAMES}
_REALISERS = {name: Realiser(s, Catalogue(s)) for name, s in _SCENARIOS.items()}
_ACK = re.compile(r"^(?:okay|ok|sure|alright|all right|got it|great|good|nice|perfect|thanks|thank you|right|"
                  r"no problem|sounds good|excellent|noted|understood)\b", re.IGNORECASE)
_reader = functools.cache(lambda name: ReplyReader(_SCENARIOS[name]))  # built once a module (seconds each)
FLIGHT_A = {"airline": "Delta", "departure_time": "9 am", "price": "$89"}
FLIGHT_B = {"airline": "United", "departure_time": "noon", "price": "$120"}


def _args(scenario, response):
    """Some value for each argument of ``response`` (a flight for a Flight)."""
    out = {}
    for arg, type_name in response.args.items():
        entity = scenario.types.get(type_name)
        out[arg] = ({f: f"x{f}" for f in entity.fields} if entity is not None and entity.is_entity else "v")
    return out


@pytest.mark.parametrize("name", _NAMES)
def test_only_a_response_that_opens_the_turn_acknowledges(name):
    scenario, realiser = _SCENARIOS[name], _REALISERS[name]
    acknowledged = 0
    for response in scenario.responses.values():
        args = _args(scenario, response)
        only = all(_ACK.match(t) for t in response_variants(scenario, response)[Context.PLAIN].own
                   + response_variants(scenario, response)[Context.PLAIN].extra)  # "Sure, {song} coming up."
        for seed in range(40):
            said = realiser.system_text(response.name, args, np.random.default_rng(seed), first=False)
            assert only or not _ACK.match(said), response.name
            acknowledged += bool(_ACK.match(realiser.system_text(response.name, args, np.random.default_rng(seed))))
    assert acknowledged  # an opening response does acknowledge, sometimes


def test_mid_turn_a_request_may_still_join():
    texts = {_REALISERS["flights"].system_text("request_destination", {}, np.random.default_rng(s), first=False)
             for s in range(300)}
    assert any(t.startswith(("And ", "So ", "Now, ", "Next, ")) for t in texts)


def test_an_entity_is_said_in_several_forms_its_own_the_most_often():
    realiser = _REALISERS["flights"]
    said = Counter(realiser.system_text("inform_SearchFlight", {"flights": (FLIGHT_A,)}, np.random.default_rng(s))
                   .split(": ")[-1].rstrip(".") for s in range(400))
    bodies = Counter(re.sub(r"^(?:.*?)(?:found|got|There's) ", "", t) for t in said.elements())
    assert {"Delta at 9 am for $89", "Delta for $89 at 9 am", "a 9 am Delta flight for $89",
            "a Delta flight at 9 am for $89", "an $89 Delta flight at 9 am",
            "Delta leaving at 9 am for $89", "Delta at 9 am costing $89"} <= set(bodies)  # a chunk in other words
    assert bodies.most_common(1)[0][0] == "Delta at 9 am for $89"
    booked = {realiser.system_text("confirm_BookFlight", {"flight": FLIGHT_A, "passengers": "2"},
                                   np.random.default_rng(s)) for s in range(200)}
    assert any("the 9 am Delta flight for $89" in t for t in booked)  # a known flight: "the"
    assert not any(re.search(r"\ban? (?:Delta|9 am|\$89)", t) for t in booked)


def test_a_time_that_heads_an_entity_may_follow_its_place():
    scenario = _SCENARIOS["movies"]
    forms = entity_forms(scenario, "Showtime")
    assert forms[0] == "{time} at {theater}" and "{theater} at {time}" in forms
    assert not any("showtime" in f for f in forms)  # never "It's showing at a 7 pm showtime at ..."
    read = _reader("movies").responses("I found showings at Castro Street Cinema at 7 pm and Ballard Majestic at 9:30 pm.")
    assert read is not None and [r.name for r in read] == ["inform_GetShowtimes"]


def test_a_list_shares_one_form_and_is_joined_in_several_ways():
    realiser = _REALISERS["flights"]
    texts = {realiser.system_text("inform_SearchFlight", {"flights": (FLIGHT_A, FLIGHT_B)}, np.random.default_rng(s))
             for s in range(400)}
    assert any(t.endswith("Delta at 9 am for $89 and United at noon for $120.") for t in texts)
    assert any(t.endswith("Delta at 9 am for $89. You could also try United at noon for $120.") for t in texts)
    assert any(t.endswith("Delta, 9 am, $89 and United, noon, $120.") for t in texts)
    assert not any("Delta at 9 am for $89 and a" in t for t in texts)  # never two forms in one list
    for t in texts:
        assert "Delta" in t and "9 am" in t and "$89" in t and "United" in t and "noon" in t and "$120" in t


@pytest.mark.parametrize("name", _NAMES)
def test_the_reply_reader_reads_every_system_turn_back(name):
    scenario = _SCENARIOS[name]
    reader = _reader(name)
    for d in simulate(scenario, 25, seed=4):
        for turn in d.turns:
            if isinstance(turn, SystemTurn):
                reading = reader.responses(turn.text)
                assert reading is not None, turn.text
                acts = [scenario.responses[a.name].act for a in turn.actions if isinstance(a, Response)]
                assert [scenario.responses[r.name].act for r in reading] == acts, turn.text


def test_a_result_list_may_be_announced_with_its_count_singular_only_for_one():
    realiser = _REALISERS["flights"]
    for flights, count in (((FLIGHT_A,), "one"), ((FLIGHT_A, FLIGHT_B), "two")):
        texts = {realiser.system_text("inform_SearchFlight", {"flights": flights}, np.random.default_rng(s))
                 for s in range(300)}
        counted = {t for t in texts if re.search(r"\b(?:one|two|a couple|a few)\b", t)}
        assert counted and any(f"{count} flight" in t for t in counted)
        if len(flights) > 1:
            assert not any(re.search(r"\b(?:one|There's just|Only one)\b", t) for t in counted)
        else:
            assert not any(re.search(r"\b(?:two|a couple|a few|There are)\b", t) for t in counted)


def test_an_offer_of_the_scenarios_is_asked_in_other_words_and_placeholders_move_as_chunks():
    scenario = _SCENARIOS["music"]
    texts = response_variants(scenario, scenario.responses["offer_AddToPlaylist"])[Context.PLAIN].extra
    assert {"Shall I add it to a playlist now?", "If you'd like, I can add it to a playlist. Want me to?"} <= set(texts)
    assert all(t.endswith("?") and "go ahead and go ahead" not in t for t in texts)
    flights = _SCENARIOS["flights"]
    echoes = response_variants(flights, flights.responses["confirm_SearchFlight"])[Context.IMPLICIT]
    said = set(echoes.own + echoes.extra)
    assert "Looking for flights for {date} from {origin} to {destination}." in said
    assert "Looking for flights to {destination} from {origin} for {date}." in said
    assert not any("{origin} for {date} to" in t for t in said)  # "from A" and "to B" stay together


def test_a_route_and_a_trips_date_in_other_words_and_more_ways_to_ask_for_more():
    flights = _SCENARIOS["flights"]
    echoes = response_variants(flights, flights.responses["confirm_SearchFlight"])[Context.IMPLICIT]
    said = set(echoes.own + echoes.extra)
    assert {"Looking for flights out of {origin} into {destination} leaving {date}.",
            "Searching flights between {origin} and {destination}, {date}."} <= said
    more = response_variants(flights, flights.responses["reqmore"])[Context.PLAIN]
    assert len(more.own + more.extra) >= 100 and all(t.endswith("?") for t in more.extra)
    booked = response_variants(flights, flights.responses["confirm_BookFlight"])[Context.PLAIN].extra
    assert "Is it okay to book {flight} for {passengers} now?" in booked


def test_a_date_said_alone_may_be_written_another_way_never_abbreviated():
    realiser = _REALISERS["flights"]
    said = {realiser.system_text("confirm_date", {"date": "December 3rd"}, np.random.default_rng(s))
            for s in range(300)}
    assert any("December 3rd" in t for t in said) and any("the 3rd of December" in t for t in said)
    assert not any(re.search(r"\bDec\b|12/3|third", t) for t in said)
    forms = system_forms(_SCENARIOS["flights"], "Date")
    assert not [f for fs in forms.values() for f in fs  # "for 19th of May", "May. 19", "May nineteenth"
                if re.match(r"\d+(?:st|nd|rd|th) of ", f) or "May." in f or "teenth" in f]
    reader = _reader("flights")  # the same value, read back
    assert all([r.args["date"].value for r in reader.responses(t)] == ["December 3rd"] for t in said)


def test_generic_acts_share_their_own_draw_and_offers_are_asked_in_more_words():
    music = _SCENARIOS["music"]
    more = response_variants(music, music.responses["reqmore"])[Context.PLAIN]
    assert more.own == ("Anything else?", "Can I play something else for you?") and more.own_share == GENERIC_SHARE
    said = Counter(_REALISERS["music"].system_text("reqmore", {}, np.random.default_rng(s)) for s in range(600))
    assert said["Anything else?"] < 600 * GENERIC_SHARE  # a third of OWN_SHARE, shared by the two
    assert said.most_common(3)[-1][1] < 15  # no phrasebook wording drawn with the scenario's own
    assert {"Should I put it on a playlist?", "Mind if I save it to a playlist?"} <= set(
        response_variants(music, music.responses["offer_AddToPlaylist"])[Context.PLAIN].extra)
    offers = set(response_variants(music, music.responses["offer_AddToPlaylist"])[Context.PLAIN].extra)
    assert {"Need me to add it to a playlist?", "Happy to add it to a playlist. Want me to?",
            "Want me to add it to one of your playlists?"} <= offers
    restaurants = _SCENARIOS["restaurants"]
    tables = response_variants(restaurants, restaurants.responses["offer_ReserveTable"])[Context.PLAIN].extra
    assert "Shall I book you a table, then?" in tables
    assert not [t for t in tables if re.match(r"(?:Would you like to|Do you want to|Want to|Shall we|Should we)\b.*"
                                              r"\bbook you\b", t)]  # never "Do you want to book you a table?"


_HOURS = load_scenario_text("""
name: hours
types:
  Day: {values: [tonight, tomorrow morning, Friday]}
  Slot: {values: [7 pm, 8:30 pm, 9 am]}
apis:
  Book: {args: {day: Day, at: Slot}}
utterances: {Book: ["book {day} at {at}"]}
samples:
  - name: book
    turns:
      - {user: "book [tonight](day) at [7 pm](at)", acts: [invoke Book]}
      - {system: [Book, inform_Book]}
""")


def test_one_test_says_what_holds_a_time_of_day():
    """``spoken.value_kind``: the catalogue's day-part rule, the system's requests and its
    value forms agree on what holds a time, by type, name or clock-time values alike."""
    assert value_kind("departure_time", "Time") == value_kind("time", "Hour") == "time"
    assert value_kind("at", "Slot", ("7 pm", "8:30 pm", "noon")) == "time"
    assert value_kind("runtime", "Runtime") is None and value_kind("at", "Slot", ("7 pm", "soon")) is None
    assert value_kind("date", "Day") == value_kind("return_date", "X") == value_kind("when", "TravelDate") == "date"
    assert value_kind("fare", "Amount") == value_kind("total", "Price") == "price"
    assert clock_minutes("7:30 pm") == 19 * 60 + 30 and clock_minutes("Noon") == 12 * 60
    assert clock_minutes("13 pm") is None and clock_minutes("Friday") is None
    # a slot "at" of clock times: asked as a time, written as one, kept to "tonight"
    asks = response_variants(_HOURS, _HOURS.responses["request_at"])[Context.PLAIN].extra
    assert "What time works for you?" in asks and "How many at?" not in asks
    assert "9:00 am" in system_forms(_HOURS, "Slot")["9 am"]
    assert Catalogue(_HOURS)._day_parts == {"day": ("at",), "at": ("day",)}


def test_the_reader_indexes_each_variant_once_under_each_way_it_may_begin():
    """Each variant sits once under each head its opening may be said with (the system
    lexicon's other words: "Would you like", "Do you want"), or among those opening with a
    value; the lists a head is read with are merged when first needed, in the reader's order."""
    reader = _reader("music")
    shelves = [*reader._by_head.values(), reader._headless]
    assert all(len({v.index for v in vs}) == len(vs) for vs in shelves)
    assert {v.index for vs in shelves for v in vs} == set(range(len(reader._variants)))
    asked = [v for v in reader._by_head[("would", "you")] if v.response.name == "offer_AddToPlaylist"
             and v.source.startswith("(?:would\\s+you\\s+like\\s+me\\s+to|")]  # "Would you like me to save it ..."
    assert asked and all(v in reader._by_head[("do", "you")] for v in asked)
    tried = reader._tried(("sure", "what"))  # "Sure, what song?"
    assert [v.index for v in tried] == sorted(v.index for v in tried)
    assert {v.index for v in reader._by_head[("sure",)]} < {v.index for v in tried}  # "Sure, {song} coming up." too
    assert [r.name for r in reader.responses("Sure, Halo coming up.")] == ["confirm_PlayMusic"]


def test_the_reader_reads_openers_apart_from_the_texts():
    """An opener ("So, ", "Let me check. ") is read before any text of a response it may
    open, not stored before each one: the reader holds said_texts, not all_texts."""
    reader, music = _reader("music"), _SCENARIOS["music"]
    assert len(reader._variants) == sum(len(said_texts(music, r)[0]) for r in music.responses.values())
    assert len(reader._variants) < sum(len(all_texts(music, r)) for r in music.responses.values()) / 2
    read = reader.responses("By the way, want me to add it to a playlist?")
    assert [(r.name, r.text) for r in read] == [("offer_AddToPlaylist", "By the way, want me to add it to a playlist?")]
    assert reader.responses("Let me check. Want me to add it to a playlist?") is None  # not an offer's opener


def test_an_offer_may_name_the_item_it_is_about_without_recording_it():
    """"It's by Lady Gaga. Want me to add Shallow to a playlist?": an offer in a later turn
    than the result it follows may name the item (``dialogsim.wording.ABOUT``), never in the
    turn that announced it ("Playing Shallow. Want me to add Shallow ..."); its recorded
    arguments stay the response's own (none), and the reader reads it back the same."""
    music, titles = _SCENARIOS["music"], _SCENARIOS["music"].types["SongName"].values
    named = 0
    for d in simulate(music, 80, seed=2):
        for turn in d.turns:
            if not isinstance(turn, SystemTurn):
                continue
            for action in turn.actions:
                if isinstance(action, Response) and action.name == "offer_AddToPlaylist":
                    assert not action.args
                    if any(re.search(rf"\b{re.escape(t)}\b", action.text) for t in titles):
                        named += 1
                        assert not [a for a in turn.actions if not isinstance(a, Response)], turn.text
                        read = _reader("music").responses(turn.text)
                        assert [(r.name, dict(r.args)) for r in read][-1] == ("offer_AddToPlaylist", {}), turn.text
    assert named
    flights = _REALISERS["flights"]
    said = {flights.system_text("offer_BookFlight", {"~Flight": FLIGHT_A}, np.random.default_rng(s)) for s in range(200)}
    assert any("book the 9 am Delta flight for $89?" in t or "book Delta at 9 am for $89?" in t for t in said)
    assert not any(re.search(r"\ban? (?:Delta|9 am|\$89)", t) for t in said)  # a known flight: "the"
    assert all("Delta" not in t for s in range(50)  # not given: never named
               for t in [flights.system_text("offer_BookFlight", {}, np.random.default_rng(s))])


def test_a_goodbye_after_a_dialogue_that_went_well_may_name_what_it_was_about():
    """"Enjoy the music!" -> "Enjoy Let It Be by The Beatles!", "Enjoy your meal!" -> "Enjoy
    your meal at Sakura!": only after a dialogue that went well, the goodbye's recorded
    arguments none, read back as the goodbye."""
    music = _SCENARIOS["music"]
    titles = "|".join(re.escape(t) for t in music.types["SongName"].values)
    named = 0
    for d in simulate(music, 150, seed=3):
        goodbye = d.turns[-1].actions[-1]
        if goodbye.name == "goodbye" and re.search(rf"Enjoy (?:the (?:song|track) )?(?:{titles})\b", goodbye.text):
            named += 1
            assert d.outcome.value == "completed" and not goodbye.args, goodbye.text
            assert [r.name for r in _reader("music").responses(d.turns[-1].text)] == ["goodbye"]
    assert named
    restaurants = _SCENARIOS["restaurants"]
    said = response_variants(restaurants, restaurants.responses["goodbye"])[Context.COMPLETED]
    assert "Enjoy your meal at {~Restaurant}!" in said.valued and said.about == "~Restaurant"
    assert not response_variants(restaurants, restaurants.responses["goodbye"])[Context.FAILED].valued


def test_a_value_that_ends_with_a_mark_gets_no_full_stop_after_it():
    """"That song is on When We All Fall Asleep, Where Do We Go?." read as a typo."""
    track = {"title": "Bad Guy", "artist": "Billie Eilish", "album": "When We All Fall Asleep, Where Do We Go?"}
    texts = {_REALISERS["music"].system_text("inform_PlayMusic_album", {"track": track}, np.random.default_rng(s))
             for s in range(40)}
    assert any(t.endswith("Where Do We Go?") for t in texts) and not [t for t in texts if "?." in t]


@pytest.mark.parametrize("name", ("flights", "music", "weather"))
def test_closers_are_said_after_a_text_and_read_apart_without_changing_the_response(name):
    """"I found ... Take your time.": a closer follows a result, an echo ("One moment.") or a
    nothing-found in some turns; the reader reads it as part of the response it closes, so
    the turn reads as the same responses; and no closer reads as a response of its own or
    asks (it would be another act)."""
    scenario, reader = _SCENARIOS[name], _reader(name)
    closers = {r.name: said_texts(scenario, r)[2] for r in scenario.responses.values()}
    assert any(closers.values())
    for said in {c for cs in closers.values() for c in cs}:
        assert not said.endswith("?") and reader.responses(said) is None, said
    closed = 0
    for d in simulate(scenario, 40, seed=3):
        for turn in d.turns:
            if not isinstance(turn, SystemTurn):
                continue
            said = [a for a in turn.actions if isinstance(a, Response)]
            if not any(a.text.endswith(tuple(" " + c for c in closers[a.name])) for a in said):
                continue
            closed += 1
            assert [r.name for r in reader.responses(turn.text)] == [a.name for a in said], turn.text
    assert closed >= 10


def test_a_closer_is_stripped_only_for_the_response_it_may_close():
    """"Take your time." closes a result list, never "anything else?": after that it explains
    nothing, and the reply is not read at all."""
    reader = _reader("flights")
    listed = "I found a Delta flight at 9 am for $89."
    read = reader.responses(listed + " Take your time. Anything else?")
    assert [r.name for r in read] == ["inform_SearchFlight", "reqmore"] and read[0].text.endswith("time.")
    assert reader.responses("Anything else? Take your time.") is None
    assert [r.name for r in reader.responses("Looking for flights from Boston to Denver for December 3rd. One moment. "
                                             "I found a Delta flight at 9 am for $89.")] == [
        "confirm_SearchFlight", "inform_SearchFlight"]


def test_an_opener_never_begins_with_the_word_its_text_begins_with():
    """"Glad you reached out. Glad we got that sorted." reads as a stutter: an opener that
    would go before a text opening with its own first word is left out."""
    music = _SCENARIOS["music"]
    realiser, rng = Realiser(music, Catalogue(music)), np.random.default_rng(3)
    said = [realiser.system_text("goodbye", {}, rng, context=context)
            for context in (Context.COMPLETED, Context.THANKED, Context.FAILED, Context.ABANDONED) for _ in range(300)]
    firsts = [[s.split()[0].strip(",.!").lower() for s in re.split(r"(?<=[.!?]) ", text)[:2]] for text in said]
    assert sum(len(f) == 2 for f in firsts) > 300  # a lead and a farewell, mostly
    assert not [text for text, f in zip(said, firsts) if len(f) == 2 and f[0] == f[1]]


def test_a_response_reads_on_from_what_its_turn_said():
    """"Let me look for flights to Boston. Let me run through what I found", "Sorry, that's
    booked up. Sorry for the trouble.", "Want to try another city? Take your time.": a
    wording that opens with the word the turn's last sentence opened with, says sorry again
    or leaves a question behind is drawn again, or said without its closer."""
    flights, weather = _REALISERS["flights"], _REALISERS["weather"]
    listed = {flights.system_text("inform_SearchFlight", {"flights": (FLIGHT_A, FLIGHT_B)}, np.random.default_rng(s),
                                  first=False, before="Let me look for flights to Boston.") for s in range(300)}
    assert len(listed) > 100 and not [t for t in listed if first_word(t) == "let"]
    for s in range(300):
        said = weather.system_text("no_results_GetWeather", {}, np.random.default_rng(s))
        assert "? " not in said, said  # "... another city? A small change might turn something up."
        assert not (apologises(said) and apologises(said[said.find(". ") + 1:]) and said.count(". ")), said
        again = weather.system_text("failure_GetWeather", {}, np.random.default_rng(s), first=False,
                                    before="Sorry, I couldn't find the weather for that place.")
        assert not apologises(again) or again == weather.system_text(
            "failure_GetWeather", {}, np.random.default_rng(s), first=False,
            before="Sorry, I couldn't find the weather for that place.")  # the same draw: determinism


@pytest.mark.parametrize("part, other", [("morning", r"evening|night|afternoon"), ("evening", r"morning|afternoon"),
                                         ("afternoon", r"morning|evening|night")])
def test_the_goodbye_wishes_the_part_of_the_day_the_customer_named(part, other):
    realiser = _REALISERS["restaurants"]
    said = {realiser.system_text("goodbye", {}, np.random.default_rng(s), context=Context.COMPLETED, day_part=part)
            for s in range(600)}
    assert not [t for t in said if re.search(rf"\b(?:{other})\b", t, re.IGNORECASE)]
    assert part == "morning" or [t for t in said if part in t.lower()]  # its own part may still be wished
    assert day_part("oh hi, good morning, a table please") == "morning" and day_part("thanks, goodnight") == "evening"
    assert day_part("evening flights to Boston") is None and day_part("I'd like to fly in the morning") is None


@pytest.mark.parametrize("name", _NAMES)
def test_simulated_turns_do_not_stutter_or_apologise_twice(name):
    """Read in 10,000 dialogues: "That's booked. That's $37.50", "Hope that helps. Hope the
    day treats you well!", "Sorry, I couldn't get that booking. Apologies for that." (164
    apologies twice and 500 stutters before the turn was read as a whole)."""
    clashing = []
    for d in simulate(_SCENARIOS[name], 150, seed=6):
        for turn in d.turns:
            if isinstance(turn, SystemTurn):
                said = [a.text for a in turn.actions if isinstance(a, Response)]
                if stutters(turn.text) or sum(map(apologises, said)) > 1 or sum(map(apologises, turn.text.split(". "))) > 1:
                    clashing.append(turn.text)
    assert len(clashing) <= 2, clashing  # eight draws may all clash, a few times in a thousand turns


def test_one_result_is_never_announced_as_several():
    """"The options I found are 6:15 pm at Coolidge Corner Cinema.", "I found these for you:
    Yuzu." were said of a list of one: frames that say more than one go with a count of two or more."""
    realiser = _REALISERS["flights"]
    one = {realiser.system_text("inform_SearchFlight", {"flights": (FLIGHT_A,)}, np.random.default_rng(s))
           for s in range(600)}
    assert not [t for t in one if re.search(r"\bthese\b|\bI found are\b|results I got", t, re.IGNORECASE)]
    two = {realiser.system_text("inform_SearchFlight", {"flights": (FLIGHT_A, FLIGHT_B)}, np.random.default_rng(s))
           for s in range(600)}
    assert [t for t in two if re.search(r"\bthese\b", t, re.IGNORECASE)]
