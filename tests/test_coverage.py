"""Coverage warnings: legal scenarios with gaps the developer should hear about."""

from __future__ import annotations

import attrs
import pytest

from dialogsim.coverage import ScenarioWarning, coverage_warnings
from dialogsim.loader import load_scenario_text

TEXT = """\
name: tea
types:
  Tea:
    values: [green, black]
  Size:
    values: [small, large]
  Sugar:
    values: ["0", "1", "2"]
apis:
  OrderTea:
    args:
      tea: Tea
      size: Size
      sugar: {type: Sugar, optional: true, default: "0"}
  CancelOrder:
    description: never shown in a sample
responses:
  request_sugar:
    text: How much sugar?
  thanks_for_waiting:
    act: other
    text: Thanks for waiting.
utterances:
  OrderTea:
    - a cup of {tea} tea
samples:
  - name: order
    turns:
      - user: "[green](tea) tea please"
        acts: [invoke OrderTea]
      - system: [request_size, OrderTea, inform_OrderTea]
"""


def line_of(needle: str) -> int:
    return next(i for i, line in enumerate(TEXT.splitlines(), 1) if needle in line)


def warnings_of(text: str) -> dict[str, ScenarioWarning]:
    return {w.field: w for w in coverage_warnings(load_scenario_text(text, "tea.yaml"))}


def test_the_reference_scenario_has_no_gaps(flights):
    assert coverage_warnings(flights) == []


def test_each_kind_of_gap_is_reported_once_at_its_line():
    got = warnings_of(TEXT)
    assert list(got) == ["apis.OrderTea.args.size", "apis.CancelOrder", "responses.request_sugar",
                         "responses.thanks_for_waiting"]
    size = got["apis.OrderTea.args.size"]
    assert (size.path, size.line) == ("tea.yaml", line_of("size: Size"))
    assert "no utterance or sample dialogue gives 'size'" in size.message and "{size}" in size.message
    cancel = got["apis.CancelOrder"]
    assert cancel.line == line_of("CancelOrder:") and "no sample dialogue uses CancelOrder" in cancel.message
    assert got["responses.request_sugar"].line == line_of("request_sugar:")
    assert "never used" in got["responses.thanks_for_waiting"].message


def test_an_argument_said_in_a_sample_or_a_phrasing_is_covered():
    in_sample = TEXT.replace('"[green](tea) tea please"', '"a [large](size) [green](tea) tea please"')
    in_phrasing = TEXT.replace("    - a cup of {tea} tea\n", "    - a cup of {tea} tea\n    - a {size} one\n")
    for text in (in_sample, in_phrasing):
        assert "apis.OrderTea.args.size" not in warnings_of(text)


def test_optional_arguments_and_responses_a_policy_or_sample_uses_are_fine():
    asked = TEXT.replace('default: "0"}', 'default: "0", ask: true}')
    assert "responses.request_sugar" not in warnings_of(asked)  # the system now asks for sugar
    said = TEXT.replace("inform_OrderTea]", "inform_OrderTea, thanks_for_waiting]")
    assert "responses.thanks_for_waiting" not in warnings_of(said)
    assert "apis.OrderTea.args.sugar" not in warnings_of(TEXT)  # optional: the default serves


def test_warnings_print_like_compiler_warnings():
    w = ScenarioWarning(path="tea.yaml", line=12, field="apis.OrderTea", message="no sample dialogue uses OrderTea")
    assert str(w) == "tea.yaml:12: warning: apis.OrderTea: no sample dialogue uses OrderTea"
    assert str(attrs.evolve(w, line=None, field="")) == "tea.yaml: warning: no sample dialogue uses OrderTea"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        w.line = 3
