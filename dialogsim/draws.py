"""Cheap draws from a dialogue's ``numpy.random.Generator``: one option, or a few distinct ones.

Catalogues, the realiser and the augmenters draw several times per turn, mostly one option
among a handful. ``rng.random()`` costs a fraction of ``rng.integers`` or ``rng.choice`` for
a single draw, so these helpers build on it; having one home, the same seed draws the same
way in every stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, TypeVar

if TYPE_CHECKING:
    import numpy as np

__all__ = ["index", "pick", "sample"]

T = TypeVar("T")


def index(rng: "np.random.Generator", n: int) -> int:
    """A uniform index below ``n`` (``n`` > 0)."""
    return int(rng.random() * n)


def pick(rng: "np.random.Generator", options: Sequence[T]) -> T:
    """One of a non-empty sequence, uniformly."""
    return options[int(rng.random() * len(options))]


def sample(rng: "np.random.Generator", items: Sequence[T], k: int) -> list[T]:
    """``k`` distinct items (all of them when there are fewer) in random order: a partial
    Fisher-Yates shuffle, ``k`` draws whatever the number of items."""
    pool = list(items)
    k = min(k, len(pool))
    for j in range(k):
        m = j + int(rng.random() * (len(pool) - j))
        pool[j], pool[m] = pool[m], pool[j]
    return pool[:k]
