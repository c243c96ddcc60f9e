"""A report names the values of the call it reports, where the customer gave them ("I found
three flights from Boston to Denver for Monday: ...", "Sorry, I couldn't find Shallow by Lady
Gaga."): drawn only where every value it names was given, read back by the reply reader,
and sound in every example scenario's corpus."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SCENARIOS

from dialogsim.catalogue import Catalogue
from dialogsim.corpus import read_corpus
from dialogsim.dialogue import Arg
from dialogsim.generation import generate
from dialogsim.invariants import DialogueChecker
from dialogsim.loader import load_scenario
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.system_context import contextual, placeholder_type
from dialogsim.paraphrase.system_phrases import said_texts
from dialogsim.schema import ResponseAct
from dialogsim.testing.understanding import ReplyReader
from dialogsim.wording import ABOUT

EXAMPLES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
# What a customer may have said for each example's calls, by argument: words no result
# holds, so a text names one only where it names the call's value.
GIVEN = {"origin": "Oxbury", "destination": "Denbury", "date": "next Quuxday", "city": "Chicabury",
         "cuisine": "Zorbish", "price_range": "cheapish", "genre": "zomedy", "song": "Shallowz",
         "artist": "Lady Zaga", "playlist": "Workoutz"}


@pytest.fixture(scope="module", params=EXAMPLES)
def world(request):
    scenario = load_scenario(SCENARIOS / f"{request.param}.yaml")
    catalogue = Catalogue(scenario)
    return scenario, catalogue, Realiser(scenario, catalogue), ReplyReader(scenario, catalogue)


def _reports(scenario):
    """The responses with texts that name their call's values."""
    return [r for r in scenario.responses.values() if contextual(scenario, r)]


def _args(scenario, catalogue, response, rng, about):
    api = scenario.apis[response.api]
    args = {ABOUT + k: v for k, v in about.items()}
    if response.args and api.returns is not None:
        result = catalogue.result(api, rng, count=int(rng.integers(1, 5)))
        args[api.returns.name] = Arg(value=result)
    return args


def test_every_example_has_reports_that_name_their_call(world):
    scenario, *_ = world
    assert _reports(scenario)


def test_a_placeholder_names_a_type_or_an_argument_of_the_api(flights):
    search = flights.responses["inform_SearchFlight"]
    assert placeholder_type(flights, search, "flights") == "Flight"
    assert placeholder_type(flights, search, "~Flight") == "Flight"
    assert placeholder_type(flights, search, "~origin") == "City"
    assert placeholder_type(flights, search, "~date") == "Date"
    assert placeholder_type(flights, search, "~nothing") is None


def test_the_realiser_names_the_values_given_and_needs_no_other(world):
    """With every value, some draws name them; with some left out, no draw fails for a
    missing one, and none names a value not given."""
    scenario, catalogue, realiser, _ = world
    rng = np.random.default_rng(0)
    for response in _reports(scenario):
        api = scenario.apis[response.api]
        given = {a.name: GIVEN[a.name] for a in scenario.customer_args(api.name) if a.name in GIVEN}
        named = 0
        for _ in range(300):
            text = realiser.system_text(response.name, _args(scenario, catalogue, response, rng, given), rng)
            named += any(v in text for v in given.values())
        assert 30 < named < 150, (response.name, named)  # about CONTEXT_SHARE: the scenario's own stay common
        for left_out in given:
            fewer = {k: v for k, v in given.items() if k != left_out}
            for _ in range(150):
                text = realiser.system_text(response.name, _args(scenario, catalogue, response, rng, fewer), rng)
                assert given[left_out] not in text, text
        for _ in range(100):  # none given: the scenario's and the phrasebook's words alone
            realiser.system_text(response.name, _args(scenario, catalogue, response, rng, {}), rng)


def test_nothing_found_names_every_value_given_or_none(world):
    """"No flights from Boston to Denver" after a search for Monday's claims more than the
    call found: nothing found names all that was asked, or none of it."""
    scenario, catalogue, realiser, _ = world
    rng = np.random.default_rng(2)
    for response in _reports(scenario):
        if response.act is not ResponseAct.NO_RESULTS:
            continue
        api = scenario.apis[response.api]
        given = {a.name: GIVEN[a.name] for a in scenario.customer_args(api.name) if a.name in GIVEN}
        for _ in range(200):
            text = realiser.system_text(response.name, _args(scenario, catalogue, response, rng, given), rng)
            named = [v in text for v in given.values()]
            assert all(named) or not any(named), text


def test_a_sort_the_items_say_is_not_said_before_them(flights):
    """Each flight says its airline ("Delta at 9 am for $89"): never "two Delta flights: Delta
    at 9 am ... and Delta at 2 pm ...", and so nothing found after a search for Delta's names
    none of the search (no text names every value)."""
    catalogue = Catalogue(flights)
    realiser = Realiser(flights, catalogue)
    rng = np.random.default_rng(3)
    given = {"~origin": "Oxbury", "~destination": "Denbury", "~date": "next Quuxday", "~airline": "Zairways"}
    for _ in range(200):
        found = catalogue.result(flights.apis["SearchFlight"], rng, count=2)
        assert "Zairways" not in realiser.system_text("inform_SearchFlight", {"flights": Arg(value=found), **given}, rng)
        assert "Oxbury" not in realiser.system_text("no_results_SearchFlight", given, rng)


def test_the_reader_reads_a_report_that_names_its_call(world):
    scenario, catalogue, realiser, reader = world
    rng = np.random.default_rng(1)
    for response in _reports(scenario):
        api = scenario.apis[response.api]
        given = {a.name: GIVEN[a.name] for a in scenario.customer_args(api.name) if a.name in GIVEN}
        texts = {realiser.system_text(response.name, _args(scenario, catalogue, response, rng, given), rng)
                 for _ in range(200)}
        named = [t for t in texts if any(v in t for v in given.values())]
        assert named, response.name
        twins = _twins(scenario, response)
        for text in named[:25]:
            read = reader.responses(text)
            assert read is not None and len(read) == 1 and read[0].name in twins, text


def _twins(scenario, response) -> set[str]:
    """The responses that share a wording with ``response`` but for their list's name
    ("Here's what I found in {~city}: {movies}." / "... {showtimes}."): a reader tells them
    apart by the list's words alone, where it can."""
    def shapes(r):
        texts, _, _ = said_texts(scenario, r)
        return {t.replace("{" + a + "}", "{x}") for t in texts for a in r.args} | set(texts)
    mine = shapes(response)
    return {r.name for r in scenario.responses.values() if r.act is response.act and shapes(r) & mine}


def test_said_texts_hold_the_reports_that_name_their_call(flights):
    texts, _, _ = said_texts(flights, flights.responses["no_results_SearchFlight"])
    assert "Sorry, I couldn't find any flights from {~origin} to {~destination} for {~date}." in texts
    texts, _, _ = said_texts(flights, flights.responses["inform_SearchFlight"])
    assert "I found three flights from {~origin} to {~destination} for {~date}: {flights}." in texts


def test_no_text_puts_a_preposition_a_value_cannot_take(world):
    """A date after "for" only ("for tonight", "for next Monday"; never "on tonight"), a
    sort or price before the noun only (never "for Italian")."""
    scenario, *_ = world
    for response in _reports(scenario):
        for _, _, texts in contextual(scenario, response):
            for text in texts:
                assert not any(f"{p} {{~date}}" in text for p in ("on", "at", "in")), text
                assert not any(f"{p} {{~{s}}}" in text for p in ("for", "in", "with")
                               for s in ("cuisine", "genre", "price_range", "airline")), text


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_corpus_is_sound_and_the_same_for_the_same_seed(tmp_path, name):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    generate(scenario, 150, tmp_path / "a", seed=3)
    generate(scenario, 150, tmp_path / "b", seed=3)
    a = sorted((tmp_path / "a").glob("*.jsonl"))
    assert [p.read_bytes() for p in a] == [(tmp_path / "b" / p.name).read_bytes() for p in a]
    checker = DialogueChecker(scenario)
    named = 0
    for dialogue in read_corpus(tmp_path / "a"):
        assert checker.check(dialogue) == [], dialogue.to_line()
    for path in a:
        for line in path.read_text().splitlines():
            for turn in json.loads(line)["turns"]:
                actions = turn.get("actions", [])
                for call, said in zip(actions, actions[1:]):
                    if call["kind"] == "api" and said["kind"] == "response":
                        given = [v["value"] for v in call["args"].values()
                                 if isinstance(v.get("ref"), list) and v["ref"] and v["ref"][0] != "api"
                                 and isinstance(v["value"], str)]
                        named += any(g in said["text"] for g in given)
    assert named > 0  # some report names what the customer asked for


def test_a_report_does_not_say_again_what_the_turns_echo_said(tmp_path, flights):
    """"Looking for flights from Boston to Denver for Monday. I found three flights from
    Boston to Denver for Monday: ..." says it twice: after an echo, the report names none of
    the values it echoed."""
    generate(flights, 300, tmp_path, seed=4)
    echoes = 0
    for dialogue in read_corpus(tmp_path):
        for turn in dialogue.turns:
            said = [a for a in getattr(turn, "actions", ()) if type(a).__name__ == "Response"]
            echo = next((a for a in said if a.name == "confirm_SearchFlight"), None)
            if echo is None:
                continue
            for report in said:
                if report.name in ("inform_SearchFlight", "no_results_SearchFlight"):
                    echoes += 1
                    assert not any(f" {arg.value}" in report.text for arg in echo.args.values()), (echo.text, report.text)
    assert echoes > 10

