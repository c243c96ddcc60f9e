"""Shared fixtures: the example scenarios, and writing a scenario text to a file to load it."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from dialogsim.loader import load_scenario
from dialogsim.schema import Scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FLIGHTS = SCENARIOS / "flights.yaml"


@pytest.fixture(scope="session")
def flights() -> Scenario:
    """The reference scenario, loaded once per test session."""
    return load_scenario(FLIGHTS)


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """``write_scenario(text, name="scenario.yaml") -> Path``: the dedented text as a file."""
    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture
def load_text(write_scenario) -> Callable[..., Scenario]:
    """``load_text(text) -> Scenario``: write the dedented text to a file and load it."""
    def load(text: str, name: str = "scenario.yaml") -> Scenario:
        return load_scenario(write_scenario(text, name))
    return load
