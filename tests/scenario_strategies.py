"""Hypothesis strategies for random *valid* scenarios, for property tests of any stage.

``scenario_texts()`` draws the YAML text of a small scenario: 1-3 catalogue types ``T0..``,
a chain of 1-3 APIs ``Api0 -> Api1 -> ...`` where each API takes the previous one's entity
output ``E<j>``, optional arguments with defaults, confirmations, list outputs, phrasings
and one annotated sample that walks the chain. ``scenarios()`` loads them. Every drawn text
loads (tests/test_loader.py asserts it); draws shrink toward one type and one API.
"""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

from dialogsim.loader import load_scenario_text
from dialogsim.schema import Scenario

__all__ = ["scenario_texts", "scenarios"]

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_VALUE = st.lists(_WORD, min_size=1, max_size=2).map(" ".join)  # "new york" as well as "boston"


@st.composite
def scenario_texts(draw, *, max_types: int = 3, max_apis: int = 3) -> str:
    """The YAML text of a valid scenario (slot ``s<i>`` always has type ``T<i>``)."""
    if not 1 <= max_types <= 9 or not 1 <= max_apis <= 9:
        raise ValueError("max_types and max_apis must be between 1 and 9")
    n_types = draw(st.integers(1, max_types))
    types: dict = {}
    for i in range(n_types):
        values = draw(st.lists(_VALUE, min_size=1, max_size=4, unique_by=str.casefold))
        types[f"T{i}"] = {"values": values}
    type_ids = st.integers(0, n_types - 1)

    n_apis = draw(st.integers(1, max_apis))
    apis: dict = {}
    utterances: dict = {}
    for j in range(n_apis):
        required = draw(st.lists(type_ids, min_size=1 if j == 0 else 0, max_size=n_types, unique=True))
        args: dict = {f"s{i}": f"T{i}" for i in required}
        others = [i for i in range(n_types) if i not in required]
        for i in draw(st.lists(st.sampled_from(others), max_size=1)) if others else ():
            args[f"s{i}"] = {"type": f"T{i}", "optional": True, "default": types[f"T{i}"]["values"][0],
                             "ask": draw(st.booleans())}
        if j > 0:
            args[f"e{j - 1}"] = f"E{j - 1}"
        api: dict = {"args": args}
        if j < n_apis - 1 or draw(st.booleans()):
            fields = draw(st.lists(type_ids, min_size=1, max_size=n_types, unique=True))
            types[f"E{j}"] = {"fields": {f"s{i}": f"T{i}" for i in sorted(fields)}}
            api["returns"] = {"name": f"out{j}", "type": f"E{j}", "many": draw(st.booleans())}
        if draw(st.booleans()):
            api["confirm"] = True
        apis[f"Api{j}"] = api
        utterances[f"Api{j}"] = ["do api {}".format(j)] + [f"do api {j} with {{s{i}}}" for i in required]

    turns: list = []
    for j in range(n_apis):
        catalogue = [name for name, spec in apis[f"Api{j}"]["args"].items()
                     if isinstance(spec, str) and spec.startswith("T")]
        said = draw(st.lists(st.sampled_from(catalogue), unique=True)) if catalogue else []
        annotations = " ".join(f"[{draw(st.sampled_from(types[apis[f'Api{j}']['args'][s]]['values']))}]({s})"
                               for s in said)
        turns.append({"user": f"please do api {j} {annotations}".strip(), "acts": [f"invoke Api{j}"]})
        turns.append({"system": [f"Api{j}", f"inform_Api{j}"]})
    turns += [{"user": "thanks, bye", "acts": ["thank", "goodbye"]}, {"system": ["goodbye"]}]

    name = draw(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True))
    document = {"name": name, "types": types, "apis": apis, "utterances": utterances,
                "samples": [{"name": "walk the chain", "turns": turns}]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def scenarios(*, max_types: int = 3, max_apis: int = 3) -> st.SearchStrategy[Scenario]:
    """Loaded ``Scenario`` values drawn from ``scenario_texts``."""
    return scenario_texts(max_types=max_types, max_apis=max_apis).map(load_scenario_text)
