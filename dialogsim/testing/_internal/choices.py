"""``ChoiceRng``: a stand-in for a numpy ``Generator`` whose draws are hypothesis choices.

The goal sampler, the realiser and the catalogues make every random decision through a
handful of ``Generator`` methods. Feeding them hypothesis choices instead of a seeded
stream lets a strategy reuse that code unchanged -- so a drawn goal is one the simulation
itself could sample -- while hypothesis records and shrinks each decision. Every draw
shrinks toward ``random()`` just below 1 and ``integers()`` at its low end: "no" to every
``rng.random() < p`` pattern, the first of every list. That is why drawn goals shrink
toward one API, no change of mind, no confirmation denied, no scripted failure.

``ChoiceRng.from_random`` answers the same methods from hypothesis's ``st.randoms()``,
whose draws may come after the value is drawn -- in the test body, as the simulated
customer talks -- and are not printed one by one in a failing example.
"""

from __future__ import annotations

import random as _random
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
        self._below: Callable[[int], int] = lambda n: draw(st.integers(0, n - 1))
        self._permutation: Callable[[int], list[int]] = lambda n: draw(st.permutations(range(n)))

    @classmethod
    def from_random(cls, source: _random.Random) -> "ChoiceRng":
        """Draws from ``source``, a ``random.Random`` of ``st.randoms()``."""
        rng = cls.__new__(cls)
        rng._below = source.randrange

        def permutation(n: int) -> list[int]:
            order = list(range(n))
            source.shuffle(order)
            return order

        rng._permutation = permutation
        return rng

    def __repr__(self) -> str:
        return "ChoiceRng(hypothesis choices)"

    def random(self, size=None):
        if size is not None:  # the variation pipeline's one draw per augmenter
            return np.array([self.random() for _ in range(int(size))])
        # Hypothesis draws mostly small integers; read bit-reversed, they spread over the
        # whole range (so every pattern keeps its chance), while 0 -- what a draw shrinks
        # to -- still reads as "just below 1".
        return 1.0 - (_reversed_bits(self._below(_STEPS)) + 1) / _STEPS

    def integers(self, low: int, high: int | None = None, size=None) -> int:
        if size is not None:
            raise TypeError("ChoiceRng.integers draws one integer at a time")
        if high is None:
            low, high = 0, low
        return int(low) + self._below(int(high) - int(low))

    def permutation(self, n: int) -> np.ndarray:
        return np.array(self._permutation(int(n)), dtype=np.int64)

    def choice(self, options, size=None, replace: bool = True):
        if size is not None:
            raise TypeError("ChoiceRng.choice draws one option at a time")
        if isinstance(options, (int, np.integer)):
            return self.integers(int(options))
        options = list(options)
        return options[self._below(len(options))]
