"""The system side as varied as the customer's (issue #9): acknowledgements only where a
turn opens, values and lists said in more than one form, never a wrong value."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dialogsim.catalogue import Catalogue
from dialogsim.loader import load_scenario
from dialogsim.paraphrase import Realiser
from dialogsim.scenarios import path

_NAMES = ("flights", "restaurants", "movies", "music", "weather")
_SCENARIOS = {name: load_scenario(path(name)) for name in _NAMES}
_REALISERS = {name: Realiser(s, Catalogue(s)) for name, s in _SCENARIOS.items()}
_ACK = re.compile(r"^(?:okay|ok|sure|alright|all right|got it|great|good|nice|perfect|thanks|thank you|right|"
                  r"no problem|sounds good|excellent|noted|understood)\b", re.IGNORECASE)
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
        for seed in range(40):
            assert not _ACK.match(realiser.system_text(response.name, args, np.random.default_rng(seed),
                                                       first=False)), response.name
            acknowledged += bool(_ACK.match(realiser.system_text(response.name, args, np.random.default_rng(seed))))
    assert acknowledged  # an opening response does acknowledge, sometimes


def test_mid_turn_a_request_may_still_join():
    texts = {_REALISERS["flights"].system_text("request_destination", {}, np.random.default_rng(s), first=False)
             for s in range(300)}
    assert any(t.startswith(("And ", "So ", "Now, ", "Next, ")) for t in texts)
