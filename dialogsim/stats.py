"""Corpus statistics: what a generated corpus actually shows, in bounded memory.

``CorpusStats`` is a mergeable accumulator: each worker process fills one per chunk of
dialogues, the parent merges them in any grouping and gets the same figures, which is
what lets ``generate`` write a manifest that is byte-identical for any worker count.
``DistinctCounter`` counts distinct strings with a KMV (k minimum values) sketch: exact
while fewer than ``k`` distinct values have been seen, an estimate above, and never more
than ``k`` hashes in memory. ``corpus_stats(path)`` computes the same figures from a corpus
directory on disk, streaming.

Every figure is derived from the corpus JSON of a dialogue (the format is the one source
of truth), so stats computed while generating equal stats read back from disk. Besides
outcomes, patterns, turns and API calls, the language figures say how varied the user
side is: distinct-1/2/3, unique utterances, delexicalised templates and the share of
turns each augmenter changed. Every figure must merge exactly, so no floating-point sums.

The statistics run inside generation, once per dialogue, so they are built to be cheap
(about 20 µs a flights dialogue, some 4% of simulating it): an utterance this accumulator
has already seen costs a dict look-up, and the n-grams of new ones are hashed in one
vectorised pass per batch, without building n-gram strings.
"""

from __future__ import annotations

import os
import zlib
from collections import Counter
from operator import itemgetter
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

__all__ = ["DistinctCounter", "CorpusStats", "NGRAMS", "stable_hash64", "corpus_stats"]

_SPACE = float(2**64)
_U64 = np.uint64


def _raw64(text: str) -> int:
    """CRC-32 and Adler-32 of the UTF-8 text side by side: 64 bits, about 0.15 µs.

    Both are fixed, portable checksums (``hash()`` is salted per process, so workers
    would disagree); a cryptographic digest costs three times as much. They are not
    uniform on their own -- ``_mix`` makes them so, vectorised, before they are compared.
    """
    data = text.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


_M1, _M2, _K = _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB), _U64(0x9E3779B97F4A7C15)
_S30, _S27, _S31 = _U64(30), _U64(27), _U64(31)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of uint64 that spreads every input bit over
    every output bit, so the KMV sketch sees uniformly distributed hashes."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _S30)) * _M1
        x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def stable_hash64(text: str) -> int:
    """The 64-bit hash ``DistinctCounter`` keeps for ``text``: the same in every process
    and on every platform."""
    return int(_mix(np.array([_raw64(text)], dtype=np.uint64))[0])


class DistinctCounter:
    """Number of distinct strings seen, from the ``k`` smallest of their 64-bit hashes.

    The kept hashes are a function of the set of values only -- not of the order they came
    in or how they were split between accumulators -- so merged counters give the same
    figure as one counter over everything. Below ``k`` distinct values the count is exact
    (up to 64-bit hash collisions); above, the KMV estimate ``(k - 1) / h_k`` (``h_k`` the
    k-th smallest hash scaled to (0, 1]) has a relative standard error of about
    ``1 / sqrt(k - 2)``: 0.4% for the default k = 65536.
    """

    __slots__ = ("k", "_kept", "_pending", "_queued", "_queued_size", "_limit")

    _FLUSH = 8192  # pending strings before they are hashed into the queue

    def __init__(self, k: int = 65536) -> None:
        if k < 2:
            raise ValueError(f"k must be at least 2, got {k}")
        self.k = k
        self._kept = np.empty(0, dtype=np.uint64)  # sorted, unique, at most k
        self._pending: set[int] = set()  # raw hashes of added strings
        self._queued: list[np.ndarray] = []  # hashes waiting to be folded into _kept
        self._queued_size = 0
        self._limit = 2**64  # hashes >= this cannot be among the k smallest

    def add(self, text: str) -> None:
        pending = self._pending
        pending.add(_raw64(text))
        if len(pending) >= self._FLUSH:
            self._hash_pending()

    def update(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text)

    def add_hashes(self, hashes: np.ndarray) -> None:
        """Add values by their 64-bit hashes (as ``stable_hash64`` gives, or as uniform):
        the vectorised path for many values at once."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        if self._limit < 2**64:
            hashes = hashes[hashes < _U64(self._limit)]
        if len(hashes):
            # Folding sorts k values, so it waits until about k more have queued up:
            # merging many small counters then costs O(log k) per value, not O(k).
            self._queued.append(hashes)
            self._queued_size += len(hashes)
            if self._queued_size >= self.k:
                self._fold()

    def _hash_pending(self) -> None:
        if self._pending:
            raw = np.fromiter(self._pending, dtype=np.uint64, count=len(self._pending))
            self._pending = set()
            self.add_hashes(_mix(raw))

    def _fold(self) -> None:
        if self._queued:
            kept = np.unique(np.concatenate([self._kept, *self._queued]))[: self.k]
            self._queued, self._queued_size = [], 0
            self._kept = kept
            if len(kept) == self.k:
                self._limit = int(kept[-1])

    def _flush(self) -> None:
        self._hash_pending()
        self._fold()

    def merge(self, other: "DistinctCounter") -> None:
        if other.k != self.k:
            raise ValueError(f"cannot merge distinct counters with k={self.k} and k={other.k}")
        other._flush()
        self.add_hashes(other._kept)

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
        self._queued, self._queued_size = [], 0
        self._limit = int(self._kept[-1]) if len(self._kept) == self.k else 2**64


NGRAMS = (1, 2, 3)
"""The n of the distinct-n figures (consecutive, from 1)."""

_CACHE_LIMIT = 50_000  # entries a cache holds before it starts afresh (some 10 MB)
_FLUSH_TOKENS = 1 << 16  # tokens of new utterances hashed per vectorised pass


class _TokenHashes(dict):
    """Raw hash of each token seen in this process: the vocabulary of a corpus is small
    and every utterance repeats it, so a token is hashed once rather than per utterance.
    A pure cache (the hash is a function of the token), so sharing it is safe."""

    def __missing__(self, token: str) -> int:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self[token] = _raw64(token)
        return value


_token_hashes = _TokenHashes()
_start = itemgetter("start")


def _template(text: str, spans: Sequence[Mapping]) -> str:
    """``text`` with each span replaced by ``{slot}``: the phrasing, without its values."""
    if len(spans) == 1:  # the common case, without the general case's list and sort
        span = spans[0]
        return f"{text[:span['start']]}{{{span['slot']}}}{text[span['end']:]}"
    parts = []
    pos = 0
    for span in sorted(spans, key=_start):
        parts.append(text[pos:span["start"]])
        parts.append("{" + span["slot"] + "}")
        pos = span["end"]
    parts.append(text[pos:])
    return "".join(parts)


class CorpusStats:
    """Figures over a set of dialogues; ``add`` one at a time, ``merge`` partial results.

    ``patterns`` names every pattern to report, at 0 when no dialogue shows it (default:
    ``dialogsim.patterns.PATTERNS``); a pattern a dialogue shows that is not listed is
    reported too. ``augmenters`` likewise names the augmenters whose share of user turns
    is reported (default: ``dialogsim.config.AUGMENTERS``).

    Language figures, over user turns: distinct-n (distinct n-grams / n-grams, on
    lower-cased whitespace tokens), distinct delexicalised templates (the text with each
    span replaced by ``{slot}``) and the share of turns each augmenter changed. The set of
    n-grams of a corpus is the set of n-grams of its distinct utterances, so an utterance
    this accumulator has seen before only adds to the n-gram totals (``tokens - n + 1``);
    the memory of seen utterances is a bounded cache, dropped on pickling, never part of
    the result.
    """

    def __init__(self, patterns: Sequence[str] | None = None, augmenters: Sequence[str] | None = None,
                 *, k: int = 65536) -> None:
        if patterns is None:
            from dialogsim.patterns import PATTERNS

            patterns = PATTERNS
        if augmenters is None:
            from dialogsim.config import AUGMENTERS

            augmenters = AUGMENTERS
        self.pattern_names: tuple[str, ...] = tuple(patterns)
        self.augmenter_names: tuple[str, ...] = tuple(augmenters)
        self.dialogues = 0
        self.outcomes: Counter[str] = Counter()
        self.patterns: Counter[str] = Counter()
        self.turns: Counter[int] = Counter()  # turns per dialogue -> dialogues
        self.user_turns = 0
        self.api_calls: Counter[tuple[str, str]] = Counter()  # (api, status) -> calls
        self.lengths: Counter[int] = Counter()  # tokens per user turn -> user turns
        self.augmented: Counter[str] = Counter()  # augmenter -> user turns it changed
        self.distinct = {name: DistinctCounter(k) for name in
                         ("user_utterances", "templates", *(f"user_{n}grams" for n in NGRAMS))}
        self._clear_cache()
        # new values, hashed in one pass by _flush: raw hashes of utterances and templates,
        # of the tokens of the utterances, and the utterances' lengths in tokens
        self._utterances: list[int] = []
        self._new_templates: list[int] = []
        self._tokens: list[int] = []
        self._lengths: list[int] = []

    def _clear_cache(self) -> None:
        self._texts: dict[str, int] = {}  # utterance counted here -> its number of tokens
        self._templates: set[str] = set()  # templates counted here

    def __getstate__(self) -> dict:
        self._flush()
        state = self.__dict__.copy()
        del state["_texts"], state["_templates"]  # a cache: not worth the IPC
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._clear_cache()

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
                self._add_user_turn(turn)
            else:
                for action in turn["actions"]:
                    if action["kind"] == "api":
                        self.api_calls[action["name"], action.get("status", "ok")] += 1

    def _add_user_turn(self, turn: Mapping) -> None:
        # The hottest code of the statistics (every user turn of every dialogue): plain
        # dict operations, and hashing deferred to _flush.
        self.user_turns += 1
        augmented = turn.get("augmented")
        if augmented:
            counts = self.augmented
            for name in augmented:
                counts[name] = counts.get(name, 0) + 1
        text = turn["text"]
        spans = turn.get("spans")
        count = self._texts.get(text)
        if count is None:
            if len(self._texts) >= _CACHE_LIMIT:
                self._clear_cache()
            tokens = text.lower().split()
            self._texts[text] = count = len(tokens)
            self._utterances.append(_raw64(text))
            self._tokens.extend(map(_token_hashes.__getitem__, tokens))
            self._lengths.append(count)
            if len(self._tokens) >= _FLUSH_TOKENS:
                self._flush()
        # The same words may carry other slots ("Boston" as origin, then as destination),
        # so a seen text does not imply a seen template.
        template = _template(text, spans) if spans else text
        if template not in self._templates:
            if len(self._templates) >= _CACHE_LIMIT:
                self._clear_cache()
            self._templates.add(template)
            self._new_templates.append(_raw64(template))
            if len(self._new_templates) >= _FLUSH_TOKENS:
                self._flush()
        lengths = self.lengths
        lengths[count] = lengths.get(count, 0) + 1

    def _flush(self) -> None:
        """Hash what was added since the last flush in one vectorised pass. An n-gram's
        hash chains its tokens' hashes (``g * K + h``), so no n-gram string is ever built."""
        if not self._lengths and not self._new_templates:
            return
        distinct = self.distinct
        distinct["user_utterances"].add_hashes(_mix(np.array(self._utterances, dtype=np.uint64)))
        distinct["templates"].add_hashes(_mix(np.array(self._new_templates, dtype=np.uint64)))
        tokens = _mix(np.array(self._tokens, dtype=np.uint64))
        utterance = np.repeat(np.arange(len(self._lengths)), self._lengths)
        self._utterances, self._new_templates, self._tokens, self._lengths = [], [], [], []
        distinct["user_1grams"].add_hashes(tokens)
        chain = tokens
        with np.errstate(over="ignore"):
            for n in NGRAMS[1:]:
                chain = chain[:-1] * _K + tokens[n - 1:]  # tokens i .. i+n-1
                within = utterance[: len(chain)] == utterance[n - 1:]
                distinct[f"user_{n}grams"].add_hashes(_mix(chain[within]))

    def merge(self, other: "CorpusStats") -> "CorpusStats":
        """Fold ``other`` into this accumulator (and return it)."""
        other._flush()
        self.dialogues += other.dialogues
        self.outcomes.update(other.outcomes)
        self.patterns.update(other.patterns)
        self.turns.update(other.turns)
        self.user_turns += other.user_turns
        self.api_calls.update(other.api_calls)
        self.lengths.update(other.lengths)
        self.augmented.update(other.augmented)
        for name, counter in other.distinct.items():
            self.distinct[name].merge(counter)
        return self

    def to_json(self) -> dict:
        """The figures as plain JSON data; a function of the counts only, so it is the same
        however the dialogues were split between accumulators."""
        self._flush()
        n = self.dialogues

        def share(count: int, total: int) -> float:
            return min(1.0, round(count / total, 6)) if total else 0.0  # capped: counts may be estimates

        names = list(self.pattern_names) + sorted(set(self.patterns) - set(self.pattern_names))
        augmenters = list(self.augmenter_names) + sorted(set(self.augmented) - set(self.augmenter_names))
        total_turns = sum(t * c for t, c in self.turns.items())
        apis: dict[str, dict[str, int]] = {}
        for (api, status), count in sorted(self.api_calls.items()):
            entry = apis.setdefault(api, {"calls": 0})
            entry["calls"] += count
            entry[status] = count
        distinct = {}
        for name, counter in self.distinct.items():
            distinct[name] = {"count": counter.count(), "exact": counter.exact}
        totals = {n_: sum(c * (length - n_ + 1) for length, c in self.lengths.items() if length >= n_)
                  for n_ in NGRAMS}
        language: dict[str, Any] = {}
        for n_, total in totals.items():
            distinct[f"user_{n_}grams"]["total"] = total
            language[f"distinct_{n_}"] = share(distinct[f"user_{n_}grams"]["count"], total)
        language["templates"] = distinct["templates"]["count"]
        language["augmented"] = {name: {"turns": self.augmented[name], "share": share(self.augmented[name],
                                                                                       self.user_turns)}
                                 for name in augmenters}
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
            "unique_user_utterance_share": share(distinct["user_utterances"]["count"], self.user_turns),
            "language": language,
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
