"""Random *valid* scenario files, drawn so that they shrink toward one type and one API.

A drawn scenario has 1..``max_types`` catalogue types ``T0..`` (slot ``s<i>`` always has
type ``T<i>``; some values have a synonym), and 1..``max_apis`` APIs ``Api0..`` whose
dependency graph is a random DAG: ``Api<j>`` may take the entity output ``E<k>`` of any
earlier API (``e<k>``), and every API but the last feeds at least one later API, so the
sample dialogue can walk them all in order. APIs get optional arguments (with a default,
sometimes asked for), confirmations, list outputs, invoke phrasings and, sometimes, their
own request and inform responses beside the generated defaults. Every drawn text loads.
"""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

__all__ = ["scenario_texts"]

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_VALUE = st.lists(_WORD, min_size=1, max_size=2).map(" ".join)  # "new york" as well as "boston"


@st.composite
def scenario_texts(draw, max_types: int, max_apis: int) -> str:
    """The YAML text of a valid scenario (module docstring); arguments checked by the caller."""
    n_types = draw(st.integers(1, max_types))
    types: dict = {}
    for i in range(n_types):
        values = draw(st.lists(_VALUE, min_size=1, max_size=4, unique_by=str.casefold))
        spec: dict = {"values": values}
        if draw(st.booleans()):  # a synonym no value of the type is spelt like
            spec["synonyms"] = {values[0]: [f"{values[0]} {i}x"]}
        types[f"T{i}"] = spec
    type_ids = st.integers(0, n_types - 1)

    n_apis = draw(st.integers(1, max_apis))
    # feeds[j]: the earlier APIs whose output Api<j> takes. Each API but the last feeds a
    # later one (the next, unless a later one already takes it): the sample walks them all.
    feeds: list[set[int]] = [set() for _ in range(n_apis)]
    for j in range(1, n_apis):
        feeds[j] = set(draw(st.lists(st.integers(0, j - 1), max_size=2, unique=True)))
    for k in range(n_apis - 1):
        if not any(k in feeds[j] for j in range(k + 1, n_apis)):
            feeds[k + 1].add(k)

    apis: dict = {}
    utterances: dict = {}
    responses: dict = {}
    for j in range(n_apis):
        required = draw(st.lists(type_ids, min_size=0 if feeds[j] else 1, max_size=n_types, unique=True))
        args: dict = {f"s{i}": f"T{i}" for i in required}
        others = [i for i in range(n_types) if i not in required]
        for i in draw(st.lists(st.sampled_from(others), max_size=1)) if others else ():
            args[f"s{i}"] = {"type": f"T{i}", "optional": True, "default": types[f"T{i}"]["values"][0],
                             "ask": draw(st.booleans())}
        for k in sorted(feeds[j]):
            args[f"e{k}"] = f"E{k}"
        api: dict = {"args": args}
        if any(j in feeds[m] for m in range(j + 1, n_apis)) or draw(st.booleans()):
            fields = draw(st.lists(type_ids, min_size=1, max_size=n_types, unique=True))
            types[f"E{j}"] = {"fields": {f"s{i}": f"T{i}" for i in sorted(fields)}}
            api["returns"] = {"name": f"out{j}", "type": f"E{j}", "many": draw(st.booleans())}
            if draw(st.booleans()):
                responses[f"inform_Api{j}"] = {"text": [f"api {j} gave {{out{j}}}", f"here is {{out{j}}}"]}
        if draw(st.booleans()):
            api["confirm"] = True
        apis[f"Api{j}"] = api
        utterances[f"Api{j}"] = [f"do api {j}"] + [f"do api {j} with {{s{i}}}" for i in required]
    used = sorted({int(a[1:]) for api in apis.values() for a in api["args"] if a.startswith("s")})
    for i in draw(st.lists(st.sampled_from(used), max_size=len(used), unique=True)):
        responses[f"request_s{i}"] = {"text": [f"which s{i} do you want?", f"what s{i}?"]}

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
    document: dict = {"name": name, "types": types, "apis": apis}
    if responses:
        document["responses"] = responses
    document |= {"utterances": utterances, "samples": [{"name": "walk the graph", "turns": turns}]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
