"""``ChoiceRng``: a stand-in for a numpy ``Generator`` whose draws are hypothesis choices.

The goal sampler, the realiser and the catalogues make every random decision through a
handful of ``Generator`` methods. Feeding them hypothesis choices instead of a seeded
stream lets a strategy reuse that code unchanged -- so a drawn goal is one the simulation
itself could sample -- while hypothesis records and shrinks each decision. Every draw
shrinks toward ``random()`` just below 1 and ``integers()`` at its low end: "no" to every
``rng.random() < p`` pattern, the first of every list. That is why drawn goals shrink
toward one API, no change of mind, no confirmation denied, no scripted failure.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

__all__ = ["ChoiceRng"]

_BITS = 24
_STEPS = 1 << _BITS  # resolution of random()


def _reversed_bits(k: int) -> int:
    return int(format(k, f"0{_BITS}b")[::-1], 2)


class ChoiceRng:
    """The ``Generator`` methods dialogsim's samplers call, each answered by ``draw``."""

    def __init__(self, draw: Callable[[st.SearchStrategy], Any]) -> None:
        self._draw = draw

    def random(self, size=None) -> float:
        if size is not None:
            raise TypeError("ChoiceRng.random draws one float at a time")
        # Hypothesis draws mostly small integers; read bit-reversed, they spread over the
        # whole range (so every pattern keeps its chance), while 0 -- what a draw shrinks
        # to -- still reads as "just below 1".
        k = self._draw(st.integers(0, _STEPS - 1))
        return 1.0 - (_reversed_bits(k) + 1) / _STEPS

    def integers(self, low: int, high: int | None = None, size=None) -> int:
        if size is not None:
            raise TypeError("ChoiceRng.integers draws one integer at a time")
        if high is None:
            low, high = 0, low
        return self._draw(st.integers(int(low), int(high) - 1))

    def permutation(self, n: int) -> np.ndarray:
        return np.array(self._draw(st.permutations(range(int(n)))), dtype=np.int64)

    def choice(self, options, size=None, replace: bool = True):
        if size is not None:
            raise TypeError("ChoiceRng.choice draws one option at a time")
        if isinstance(options, (int, np.integer)):
            return self.integers(int(options))
        return self._draw(st.sampled_from(list(options)))
