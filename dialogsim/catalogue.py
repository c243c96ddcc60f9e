"""Slot values: what the customer can say for each type, and what the mock backend returns.

``Catalogue`` is built once per scenario (and per worker process). It turns each catalogue
type into a tuple of canonical values -- the declared ones plus a pool of Faker values
generated once, here, with a seed derived from the type name -- and keeps the synonym
tables both ways. Everything a dialogue needs afterwards (``sample``, ``surface``,
``entity``, ``result``) is an index into those tuples with the dialogue's own
``numpy.random.Generator``: no Faker call per dialogue, so generation stays fast and every
dialogue is reproducible from its seed.

The canonical values of a type live in one place, which is what makes the *holdout* split
cheap: ``holdout=0.2`` reserves a deterministic fifth of each type's values (chosen by a
stable hash of the value, not by position) for a test corpus; ``split="train"`` samples
only the rest and ``split="test"`` only those, so a model is evaluated on values it never
saw in training.
"""

from __future__ import annotations

import datetime
import zlib
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from dialogsim import fakers
from dialogsim._attrs import FrozenDict
from dialogsim.draws import pick, sample
from dialogsim.errors import ScenarioError
from dialogsim.schema import Api, Scenario, entity_cycle
from dialogsim.spoken import spoken_value
from dialogsim.wording import ordinal_suffix

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Catalogue", "Surfaces", "speak_date", "check_holdout", "SPLITS", "SYNONYM_RATE"]

SPLITS = ("train", "test")
SYNONYM_RATE = 1 / 3  # how often a value with synonyms or a spoken form is said through one


def check_holdout(holdout: float, split: str, *, holdout_name: str = "holdout", split_name: str = "split",
                  given: object = None) -> float:
    """``holdout`` as a float, after checking it and ``split`` together: a test split with
    nothing held out would silently draw the training values. The one home of this rule:
    the CLI words the errors with its flags (``holdout_name``, ``split_name``) and the text
    the user typed (``given``)."""
    shown = holdout if given is None else given
    if not isinstance(holdout, (int, float)) or isinstance(holdout, bool) or not 0.0 <= holdout < 1.0:
        raise ValueError(f"{holdout_name} must be a fraction in [0, 1), got {shown!r}")
    if split not in SPLITS:
        raise ValueError(f"{split_name} must be train or test, got {split!r}")
    if split == "test" and holdout == 0:
        raise ValueError(f"{split_name} test needs {holdout_name} > 0 (the fraction held out for the test corpus: "
                         "with nothing held out, the test split has no values)")
    return float(holdout)

_MAX_MANY = 3  # a ``many: true`` result holds 1..3 items (scenario-format.md)


def speak_date(value: datetime.date) -> str:
    """A date as a customer says it: ``March 3rd`` (no year: nobody says it when booking)."""
    return f"{value.strftime('%B')} {value.day}{ordinal_suffix(value.day)}"


def _spoken(value: Any) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return speak_date(value)
    return str(value).strip()


class Surfaces:
    """What the surface forms of one type mean: each value itself, its synonyms and its
    spoken form ("seven thirty am" for ``7:30 am``), matched exactly first, then up to case.
    The one index for both readers of surfaces: the loader (sample annotations) and the
    catalogue (values a customer said)."""

    def __init__(self, values: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> None:
        exact = {value: value for value in values}
        for canonical, surfaces in synonyms.items():
            for surface in surfaces:
                exact.setdefault(surface, canonical)
        for value in values:
            spoken = spoken_value(value)
            if spoken is not None:
                exact.setdefault(spoken, value)
        folded: dict[str, str] = {}
        for surface, canonical in exact.items():
            folded.setdefault(surface.casefold(), canonical)
        self._exact, self._folded = exact, folded

    def canonical(self, surface: str) -> str | None:
        """The canonical value ``surface`` means, or None."""
        return self._exact.get(surface) or self._folded.get(surface.casefold())


def _stable_hash(*parts: str) -> int:
    """A hash that is the same in every process (``hash(str)`` is salted per process)."""
    return zlib.crc32("\0".join(parts).encode("utf-8"))


class Catalogue:
    """The values of every type of one scenario, ready to sample.

    ``faker_pool`` values are generated once per Faker-backed type (fewer when the provider
    cannot produce that many distinct ones). ``synonym_rate`` is the chance that
    ``surface`` says a value through one of its synonyms when it has some. ``holdout`` and
    ``split`` reserve a fraction of each type's values for a test corpus (module docstring);
    a type with fewer than two values is never split.
    """

    def __init__(
        self,
        scenario: "Scenario",
        *,
        faker_pool: int = 200,
        seed: int = 0,
        synonym_rate: float = SYNONYM_RATE,
        holdout: float = 0.0,
        split: str = "train",
    ) -> None:
        if not isinstance(faker_pool, int) or faker_pool < 0:
            raise ValueError(f"faker_pool must be a non-negative int, got {faker_pool!r}")
        if not 0.0 <= synonym_rate <= 1.0:
            raise ValueError(f"synonym_rate must be a probability between 0 and 1, got {synonym_rate!r}")
        self.scenario = scenario
        self.seed = seed
        self.synonym_rate = synonym_rate
        self.holdout = check_holdout(holdout, split)
        self.split = split

        types = scenario.types
        fake = None
        if any(t.faker is not None for t in types.values()):
            fake = fakers.new_faker(seed)

        self._all: dict[str, tuple[str, ...]] = {}  # type -> every canonical value
        self._values: dict[str, tuple[str, ...]] = {}  # type -> the values of this split
        self._index: dict[str, dict[str, int]] = {}  # type -> value -> position in _values
        self._synonyms: dict[str, dict[str, tuple[str, ...]]] = {}  # type -> canonical -> surfaces
        self._canonical: dict[str, Surfaces] = {}  # type -> what its surface forms mean
        for name, slot_type in types.items():
            if slot_type.is_entity or not slot_type.is_catalogue:
                continue
            values = list(dict.fromkeys(slot_type.values))
            for canonical in slot_type.synonyms:
                if canonical not in values:  # scenario-format: a synonym's key is a value too
                    values.append(canonical)
            if slot_type.faker is not None and faker_pool:
                values.extend(self._generate(fake, slot_type, faker_pool, set(values)))
            if not values:
                raise ScenarioError(scenario.path, slot_type.line, f"types.{name}", "a catalogue type with no values")
            self._all[name] = all_values = tuple(values)
            self._values[name] = chosen = self._split(name, all_values)
            self._index[name] = {v: i for i, v in enumerate(chosen)}
            surfaces_of = {k: tuple(v) for k, v in slot_type.synonyms.items() if v}
            for value in all_values:  # "2" is also said "two", "7:30 am" "seven thirty am"
                spoken = spoken_value(value)
                if spoken is not None and spoken not in surfaces_of.get(value, ()):
                    surfaces_of[value] = surfaces_of.get(value, ()) + (spoken,)
            self._synonyms[name] = surfaces_of
            self._canonical[name] = Surfaces(all_values, slot_type.synonyms)

        # Entity types: (field, field type, is entity) in declared order, checked for cycles
        # once here so that ``entity`` can recurse without a depth guard.
        self._fields: dict[str, tuple[tuple[str, str, bool], ...]] = {}
        for name, slot_type in types.items():
            if not slot_type.is_entity:
                continue
            fields = []
            for field, type_name in slot_type.fields.items():
                if type_name not in types:
                    raise ScenarioError(scenario.path, slot_type.line, f"types.{name}.fields.{field}",
                                        f"unknown type {type_name!r}")
                fields.append((field, type_name, types[type_name].is_entity))
            self._fields[name] = tuple(fields)
        cycle = entity_cycle(types)
        if cycle:
            raise ScenarioError(scenario.path, types[cycle[0]].line, f"types.{cycle[0]}.fields",
                                f"entity types contain each other: {' > '.join(cycle)}")

    # -- construction helpers ---------------------------------------------------------

    def _generate(self, fake, slot_type, pool: int, taken: set[str]) -> list[str]:
        """``pool`` distinct Faker values, the same for the same (seed, type name)."""
        try:
            provider = fakers.provider(fake, slot_type.faker)
        except ValueError as error:
            raise ScenarioError(self.scenario.path, slot_type.line, f"types.{slot_type.name}.faker",
                                str(error)) from None
        fake.seed_instance(self.seed + _stable_hash(slot_type.name))
        args = dict(slot_type.faker_args)
        out: list[str] = []
        seen = set(taken)
        # A provider with few distinct outputs (day_of_week) must not loop forever.
        for _ in range(pool * 20):
            try:
                value = _spoken(fakers.call(provider, slot_type.faker, args))
            except ValueError as error:
                raise ScenarioError(self.scenario.path, slot_type.line, f"types.{slot_type.name}.faker_args",
                                    str(error)) from None
            if value and value not in seen:
                seen.add(value)
                out.append(value)
                if len(out) == pool:
                    break
        return out

    def _split(self, type_name: str, values: tuple[str, ...]) -> tuple[str, ...]:
        if not self.holdout or len(values) < 2:
            return values
        count = min(len(values) - 1, max(1, round(self.holdout * len(values))))
        ranked = sorted(values, key=lambda v: (_stable_hash(type_name, v), v))
        held = set(ranked[:count])
        keep = (lambda v: v in held) if self.split == "test" else (lambda v: v not in held)
        return tuple(v for v in values if keep(v))

    def _catalogue(self, type_name: str) -> tuple[str, ...]:
        try:
            return self._values[type_name]
        except KeyError:
            raise KeyError(f"{type_name!r} is not a catalogue type of scenario {self.scenario.name!r}") from None

    # -- the per-dialogue API -----------------------------------------------------------

    def values(self, type_name: str) -> tuple[str, ...]:
        """The canonical values ``sample`` draws from (this split's, when split)."""
        return self._catalogue(type_name)

    def all_values(self, type_name: str) -> tuple[str, ...]:
        """Every canonical value of the type, whatever the split."""
        self._catalogue(type_name)
        return self._all[type_name]

    def synonyms(self, type_name: str, value: str) -> tuple[str, ...]:
        """The surface forms that mean ``value`` besides itself."""
        self._catalogue(type_name)
        return self._synonyms[type_name].get(value, ())

    def sample(self, type_name: str, rng: "np.random.Generator") -> str:
        """A canonical value, uniformly."""
        return pick(rng, self._catalogue(type_name))

    def sample_other(self, type_name: str, rng: "np.random.Generator", avoid: str) -> str:
        """A canonical value other than ``avoid`` (a change of mind must change something);
        ``avoid`` itself when it is the type's only value."""
        values = self._catalogue(type_name)
        n = len(values)
        if n == 1:
            return values[0]
        index = self._index[type_name]
        pos = index.get(avoid)
        if pos is None:
            pos = index.get(self.canonical(type_name, avoid) or "")
        if pos is None:
            return values[int(rng.random() * n)]
        j = int(rng.random() * (n - 1))
        return values[j + 1 if j >= pos else j]

    def surface(self, type_name: str, value: str, rng: "np.random.Generator") -> str:
        """How the customer says ``value``: itself, or (``synonym_rate`` of the time when it
        has synonyms) one of them. A value outside the catalogue is said as is."""
        synonyms = self._synonyms[type_name].get(value) if type_name in self._synonyms else None
        if synonyms and rng.random() < self.synonym_rate:
            return pick(rng, synonyms)
        return value

    def canonical(self, type_name: str, surface: str) -> str | None:
        """The canonical value a surface form means (exactly, else up to case), or None."""
        surfaces = self._canonical.get(type_name)
        return None if surfaces is None else surfaces.canonical(surface)

    def entity(self, type_name: str, rng: "np.random.Generator") -> FrozenDict:
        """A random entity: each field a canonical value of its type (entities recursively)."""
        try:
            fields = self._fields[type_name]
        except KeyError:
            raise KeyError(f"{type_name!r} is not an entity type of scenario {self.scenario.name!r}") from None
        return FrozenDict({
            field: self.entity(field_type, rng) if is_entity else pick(rng, self._values[field_type])
            for field, field_type, is_entity in fields
        })

    def _one(self, type_name: str, rng: "np.random.Generator") -> Any:
        if type_name in self._fields:
            return self.entity(type_name, rng)
        return pick(rng, self._catalogue(type_name))

    def result(self, api: "Api", rng: "np.random.Generator", *, count: int | None = None,
               results: Sequence | None = None) -> Any:
        """What the mock backend returns for ``api``: one of its declared ``results`` (or of
        ``results``, a selection of them), or a value generated from the output type; for
        ``many: true`` a tuple of ``count`` (by default 1..3) distinct items -- fewer if the
        catalogue cannot supply that many. None for an API that returns nothing."""
        output = api.returns
        if output is None:
            return None
        if results is None:
            results = api.results
        if not output.many:
            return pick(rng, results) if results else self._one(output.type, rng)
        if count is None:
            count = 1 + int(rng.random() * _MAX_MANY)
        elif count < 1:
            raise ValueError(f"count must be at least 1, got {count!r}")
        if results:
            return tuple(sample(rng, results, count))
        items: list = []
        for _ in range(count * 10):  # duplicates are retried, a tiny catalogue gives up
            item = self._one(output.type, rng)
            if item not in items:
                items.append(item)
                if len(items) == count:
                    break
        return tuple(items)

    def __repr__(self) -> str:
        split = f", holdout={self.holdout}, split={self.split!r}" if self.holdout else ""
        return f"Catalogue({self.scenario.name!r}, {len(self._values)} catalogue types{split})"
