"""A stage package loads under its installed name only (dialogsim._layout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["agents", "goals", "paraphrase", "models", "scenarios"])
def test_a_stage_folder_refuses_its_top_level_name(folder):
    done = subprocess.run([sys.executable, "-c", f"import {folder}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert f"ImportError: import dialogsim.{folder}, not {folder}:" in done.stderr


def test_from_the_repository_root_the_installed_names_load():
    done = subprocess.run([sys.executable, "-c", "import dialogsim.agents.system, dialogsim.goals.sampler"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
