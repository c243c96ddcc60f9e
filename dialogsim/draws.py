"""Randomness: each dialogue's generators, and cheap draws from them.

``dialogue_rngs(seed, index)`` gives dialogue ``index`` of a run three independent
generators, derived through ``SeedSequence`` spawn keys: one for its goal, one for each
seat of the conversation. A dialogue therefore never depends on which worker made it or
what came before, and replacing one agent (a learned policy, a user's bot) never changes
what the other one draws.

The draw helpers (``index``, ``pick``, ``sample``) take one option, or a few distinct ones.

Catalogues, the realiser and the augmenters draw several times per turn, mostly one option
among a handful. ``rng.random()`` costs a fraction of ``rng.integers`` or ``rng.choice`` for
a single draw, so these helpers build on it; having one home, the same seed draws the same
way in every stage.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence, TypeVar

import numpy as np

__all__ = ["DialogueRngs", "dialogue_rngs", "index", "pick", "sample"]

T = TypeVar("T")


class DialogueRngs(NamedTuple):
    """The generators of one dialogue: the goal sampler's and one per seat."""

    goal: np.random.Generator
    customer: np.random.Generator
    system: np.random.Generator


def dialogue_rngs(seed: int, index: int) -> DialogueRngs:
    """The generators of dialogue ``index`` of a run made with ``seed``."""
    return DialogueRngs(*(np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index, k))))
                          for k in range(3)))


def index(rng: np.random.Generator, n: int) -> int:
    """A uniform index below ``n`` (``n`` > 0)."""
    return int(rng.random() * n)


def pick(rng: np.random.Generator, options: Sequence[T]) -> T:
    """One of a non-empty sequence, uniformly."""
    return options[int(rng.random() * len(options))]


def sample(rng: np.random.Generator, items: Sequence[T], k: int) -> list[T]:
    """``k`` distinct items (all of them when there are fewer) in random order: a partial
    Fisher-Yates shuffle, ``k`` draws whatever the number of items."""
    pool = list(items)
    k = min(k, len(pool))
    for j in range(k):
        m = j + int(rng.random() * (len(pool) - j))
        pool[j], pool[m] = pool[m], pool[j]
    return pool[:k]
