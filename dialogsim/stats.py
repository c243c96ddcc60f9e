"""Corpus statistics: what a generated corpus actually shows, in bounded memory.

``CorpusStats`` is a mergeable accumulator: each worker process fills one per chunk of
dialogues, the parent merges them in any grouping and gets the same figures, which is
what lets ``generate`` write a manifest that is byte-identical for any worker count.
``DistinctCounter`` counts distinct strings with a KMV (k minimum values) sketch: exact
while fewer than ``k`` distinct values have been seen, an estimate above, and never more
than ``k`` hashes in memory. ``corpus_stats(path)`` computes the same figures from a corpus
directory on disk, streaming.

Every figure is derived from the corpus JSON of a dialogue (the format is the one source
of truth), so stats computed while generating equal stats read back from disk. New
distinct-value metrics (distinct n-grams, delexicalised templates, ...) are one more entry
in ``DISTINCT``: a name and a function from a dialogue record to the strings it
contributes; per-turn shares (which augmenter touched a user turn) are one more keyed
``Counter`` like ``api_calls``. Every figure must merge exactly, so no floating-point sums.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

__all__ = ["DistinctCounter", "CorpusStats", "DISTINCT", "corpus_stats"]

_SPACE = float(2**64)


def _hash64(text: str) -> int:
    """A stable 64-bit hash (``hash()`` is salted per process, so workers would disagree)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class DistinctCounter:
    """Number of distinct strings seen, from the ``k`` smallest of their 64-bit hashes.

    The kept hashes are a function of the set of values only -- not of the order they came
    in or how they were split between accumulators -- so merged counters give the same
    figure as one counter over everything. Below ``k`` distinct values the count is exact
    (up to 64-bit hash collisions); above, the KMV estimate ``(k - 1) / h_k`` (``h_k`` the
    k-th smallest hash scaled to (0, 1]) has a relative standard error of about
    ``1 / sqrt(k - 2)``: 0.4% for the default k = 65536.
    """

    __slots__ = ("k", "_kept", "_pending", "_limit")

    _FLUSH = 8192  # pending hashes before they are folded into the sorted array

    def __init__(self, k: int = 65536) -> None:
        if k < 2:
            raise ValueError(f"k must be at least 2, got {k}")
        self.k = k
        self._kept = np.empty(0, dtype=np.uint64)  # sorted, unique, at most k
        self._pending: set[int] = set()
        self._limit = 2**64  # hashes >= this cannot be among the k smallest

    def add(self, text: str) -> None:
        h = _hash64(text)
        if h < self._limit:
            self._pending.add(h)
            if len(self._pending) >= self._FLUSH:
                self._flush()

    def update(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text)

    def _flush(self) -> None:
        if not self._pending:
            return
        fresh = np.fromiter(self._pending, dtype=np.uint64, count=len(self._pending))
        self._pending = set()
        self._fold(fresh)

    def _fold(self, hashes: np.ndarray) -> None:
        kept = np.union1d(self._kept, hashes)[: self.k]
        self._kept = kept
        if len(kept) == self.k:
            self._limit = int(kept[-1])

    def merge(self, other: "DistinctCounter") -> None:
        if other.k != self.k:
            raise ValueError(f"cannot merge distinct counters with k={self.k} and k={other.k}")
        other._flush()
        self._flush()
        self._fold(other._kept)

    @property
    def exact(self) -> bool:
        """True while the count is exact (fewer than k distinct values seen)."""
        self._flush()
        return len(self._kept) < self.k

    def count(self) -> int:
        """Distinct values seen: exact below k, the rounded KMV estimate above."""
        self._flush()
        if len(self._kept) < self.k:
            return len(self._kept)
        kth = (float(self._kept[-1]) + 1.0) / _SPACE
        return int(round((self.k - 1) / kth))

    def __getstate__(self):
        self._flush()
        return (self.k, self._kept)

    def __setstate__(self, state) -> None:
        self.k, self._kept = state
        self._pending = set()
        self._limit = int(self._kept[-1]) if len(self._kept) == self.k else 2**64


def _user_texts(record: Mapping) -> Iterator[str]:
    for turn in record["turns"]:
        if turn["speaker"] == "user":
            yield turn["text"]


DISTINCT: dict[str, Callable[[Mapping], Iterable[str]]] = {
    "user_utterances": _user_texts,
}
"""Distinct-value metrics: name -> the strings one dialogue record contributes. Each gets a
``DistinctCounter``; ``to_json`` reports its count under ``distinct``."""


class CorpusStats:
    """Figures over a set of dialogues; ``add`` one at a time, ``merge`` partial results.

    ``patterns`` names every pattern to report, at 0 when no dialogue shows it (default:
    ``dialogsim.patterns.PATTERNS``); a pattern a dialogue shows that is not listed is
    reported too.
    """

    def __init__(self, patterns: Sequence[str] | None = None, *, k: int = 65536) -> None:
        if patterns is None:
            from dialogsim.patterns import PATTERNS

            patterns = PATTERNS
        self.pattern_names: tuple[str, ...] = tuple(patterns)
        self.dialogues = 0
        self.outcomes: Counter[str] = Counter()
        self.patterns: Counter[str] = Counter()
        self.turns: Counter[int] = Counter()  # turns per dialogue -> dialogues
        self.user_turns = 0
        self.api_calls: Counter[tuple[str, str]] = Counter()  # (api, status) -> calls
        self.distinct = {name: DistinctCounter(k) for name in DISTINCT}

    def add(self, dialogue: Any) -> None:
        """Count one dialogue: a ``Dialogue`` or its corpus JSON record."""
        record = dialogue if isinstance(dialogue, Mapping) else dialogue.to_json()
        self.dialogues += 1
        self.outcomes[record["outcome"]] += 1
        self.patterns.update(set(record.get("patterns", ())))
        turns = record["turns"]
        self.turns[len(turns)] += 1
        for turn in turns:
            if turn["speaker"] == "user":
                self.user_turns += 1
            else:
                for action in turn["actions"]:
                    if action["kind"] == "api":
                        self.api_calls[action["name"], action.get("status", "ok")] += 1
        for name, extract in DISTINCT.items():
            self.distinct[name].update(extract(record))

    def merge(self, other: "CorpusStats") -> "CorpusStats":
        """Fold ``other`` into this accumulator (and return it)."""
        self.dialogues += other.dialogues
        self.outcomes.update(other.outcomes)
        self.patterns.update(other.patterns)
        self.turns.update(other.turns)
        self.user_turns += other.user_turns
        self.api_calls.update(other.api_calls)
        for name, counter in other.distinct.items():
            self.distinct[name].merge(counter)
        return self

    def to_json(self) -> dict:
        """The figures as plain JSON data; a function of the counts only, so it is the same
        however the dialogues were split between accumulators."""
        n = self.dialogues

        def share(count: int, total: int) -> float:
            return round(count / total, 6) if total else 0.0

        names = list(self.pattern_names) + sorted(set(self.patterns) - set(self.pattern_names))
        total_turns = sum(t * c for t, c in self.turns.items())
        apis: dict[str, dict[str, int]] = {}
        for (api, status), count in sorted(self.api_calls.items()):
            entry = apis.setdefault(api, {"calls": 0})
            entry["calls"] += count
            entry[status] = count
        distinct = {}
        for name, counter in self.distinct.items():
            distinct[name] = {"count": counter.count(), "exact": counter.exact}
        utterances = distinct["user_utterances"]["count"]
        return {
            "dialogues": n,
            "outcomes": dict(sorted(self.outcomes.items())),
            "patterns": {name: {"count": self.patterns[name], "share": share(self.patterns[name], n)}
                         for name in names},
            "turns": {
                "total": total_turns,
                "mean": round(total_turns / n, 4) if n else 0.0,
                "min": min(self.turns) if self.turns else 0,
                "max": max(self.turns) if self.turns else 0,
                "histogram": {str(t): c for t, c in sorted(self.turns.items())},  # turns -> dialogues
            },
            "user_turns": self.user_turns,
            "api_calls": apis,
            "distinct": distinct,
            "unique_user_utterance_share": min(1.0, share(utterances, self.user_turns)),  # capped: estimates
        }


def corpus_stats(path: str | os.PathLike) -> dict:
    """Statistics of the corpus at ``path`` (a corpus directory or one ``.jsonl`` shard),
    read streaming and checked line by line; the same figures ``generate`` stores in the
    manifest."""
    from dialogsim.corpus import iter_records

    stats = CorpusStats()
    for record in iter_records(path):
        stats.add(record)
    return stats.to_json()
