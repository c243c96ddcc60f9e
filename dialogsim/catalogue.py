"""Slot values: what the customer can say for each type, and what the mock backend returns.

``Catalogue`` is built once per scenario (and per worker process). It turns each catalogue
type into a tuple of canonical values -- the declared ones plus a pool of Faker values
generated once, here, with a seed derived from the type name -- and keeps the synonym
tables both ways. Everything a dialogue needs afterwards (``sample``, ``surface``,
``entity``, ``result``) is an index into those tuples with the dialogue's own
``numpy.random.Generator``: no Faker call per dialogue, so generation stays fast and every
dialogue is reproducible from its seed.

The canonical values of a type live in one place, which is what makes the *holdout* split
cheap: ``holdout=0.2`` reserves a deterministic fifth of each type's values -- at least
three where a type has six or more, half of a smaller one -- chosen by a stable hash of the
value, not by position, for a test corpus; ``split="train"`` samples only the rest and
``split="test"`` only those, so a model is evaluated on values it never saw in training.
The APIs' declared results are split the same way, as whole records: a held-out record
(a song with its artist and album) is found only in the test split, and the values it
holds are held out with it, so no held-out title reaches training text (``split_sizes``
reports the counts). Records that fall into groups by what their API is asked (the
restaurants of a city) are held out a whole group at a time, so the test split keeps cities
and cuisines of its own.

The catalogue also keeps the scenario's constraints between arguments (``Constraint``):
``allowed`` and ``alternatives`` give the values a slot may take beside the goal's other
values -- never the origin as destination, only an artist who sings the song -- for the
goal sampler, a change of mind and a customer's recovery alike. One rule is built in, for
every scenario: a value that names a part of the day ("tonight", "tomorrow morning") and a
clock time the customer gives for the same API agree ("tonight at 7 pm", never "tonight at
1 pm"; ``_DAY_PARTS``), whichever of the two is drawn or changed first.
"""

from __future__ import annotations

import bisect
import datetime
import re
import zlib
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import attrs

from dialogsim import fakers
from dialogsim._attrs import FrozenDict, frozen_mapping
from dialogsim.draws import pick, sample
from dialogsim.errors import ScenarioError
from dialogsim.places import place_contexts
from dialogsim.schema import DIFFER, Api, Constraint, Scenario, entity_cycle
from dialogsim.spoken import clock_minutes, value_forms, value_kind
from dialogsim.wording import ordinal_suffix, placeholders

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Catalogue", "Surfaces", "SplitSizes", "speak_date", "check_holdout", "held_count", "SPLITS",
           "SYNONYM_RATE", "MIN_HELD", "MAX_MANY"]

# The parts of the day a value may name, as ranges of clock minutes a time said with it
# falls in ("this evening" at 5 pm or later); "night" is the evening, as in "tomorrow night".
# How often a well-known city with no contexts of its own is said with where it is ("Seattle,
# WA"): now and then, as people type it; a scenario's own contexts are said half the time.
WHERE_SHARE = 1 / 6
_DAY_PARTS = {"morning": (5 * 60, 12 * 60 - 1), "afternoon": (12 * 60 + 1, 17 * 60),
              "evening": (17 * 60, 24 * 60 - 1), "tonight": (17 * 60, 24 * 60 - 1), "night": (17 * 60, 24 * 60 - 1)}
_DAY_PART = re.compile(r"\b(" + "|".join(_DAY_PARTS) + r")\b", re.IGNORECASE)

SPLITS = ("train", "test")
SYNONYM_RATE = 1 / 3  # how often a value with synonyms or a spoken form is said through one
MIN_HELD = 3  # values (or records) held out at least, where a type has twice as many


def held_count(holdout: float, n: int) -> int:
    """How many of ``n`` values (or records) a holdout reserves for the test split: the
    fraction, but at least ``MIN_HELD`` -- a test split of one airline tests nothing --
    and at most half of a small catalogue, always leaving training one; none of one."""
    if not holdout or n < 2:
        return 0
    return min(n - 1, max(round(holdout * n), min(MIN_HELD, n // 2), 1))


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

MAX_MANY = 3  # a ``many: true`` result holds 1..3 items (scenario-format.md)


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
        for value, forms in value_forms(values).items():  # spoken and written forms: "7:30am", "Dec 3"
            for form in forms:
                exact.setdefault(form, value)
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
    a type with fewer than two values is never split. A type's ``faker_share`` and
    ``weights`` make ``sample`` draw some values more often than others.
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
        self._wheres: dict[str, dict[str, tuple[str, ...]]] = {}  # type -> known place -> "{}, WA" forms
        self._canonical: dict[str, Surfaces] = {}  # type -> what its surface forms mean
        pools: dict[str, list[str]] = {}
        for name, slot_type in types.items():
            if slot_type.is_entity or not slot_type.is_catalogue:
                continue
            values = list(dict.fromkeys(slot_type.values))
            for canonical in slot_type.synonyms:
                if canonical not in values:  # scenario-format: a synonym's key is a value too
                    values.append(canonical)
            pools[name] = []
            if slot_type.faker is not None and faker_pool:
                pools[name] = self._generate(fake, slot_type, faker_pool, set(values))
                values.extend(pools[name])
            if not values:
                raise ScenarioError(scenario.path, slot_type.line, f"types.{name}", "a catalogue type with no values")
            self._all[name] = all_values = tuple(values)
            surfaces_of = {k: tuple(v) for k, v in slot_type.synonyms.items() if v}
            for value, forms in value_forms(all_values).items():  # "2" is also "two", "7:30 am" "7:30am"
                said = surfaces_of.get(value, ())
                surfaces_of[value] = said + tuple(f for f in forms if f not in said)
            self._synonyms[name] = surfaces_of
            self._wheres[name] = place_contexts(all_values)
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

        # The split: declared results as whole records, then each type's values.
        self._records: dict[str, tuple] = {}  # API -> this split's declared results
        self._record_sizes: dict[str, tuple[int, int]] = {}  # API -> (train, test) records
        held_by_record, kept_by_record = self._split_records()
        self._held: dict[str, frozenset[str]] = {}  # type -> the values reserved for test
        self._shared: dict[str, frozenset[str]] = {}  # type -> values of kept and held-out records
        for name, all_values in self._all.items():
            in_held, in_kept = held_by_record.get(name, set()), kept_by_record.get(name, set())
            self._held[name] = held = self._split(name, all_values, in_held, in_kept)
            self._shared[name] = shared = frozenset(in_held & in_kept) if held else frozenset()
            if not held:
                chosen = all_values
            elif self.split == "test":
                chosen = tuple(v for v in all_values if v in held or v in shared)
            else:
                chosen = tuple(v for v in all_values if v not in held)
            self._values[name] = chosen
            self._index[name] = {v: i for i, v in enumerate(chosen)}
        self._weights = {name: self._weigh(types[name], chosen, set(pools[name]))
                         for name, chosen in self._values.items()
                         if types[name].faker_share is not None or types[name].weights}
        self._keys = {name: self._key_fields(name) for name in self._fields}
        # slot -> the constraints about it, with the API whose results a record draws from
        self._rules: dict[str, list[tuple[Constraint, str]]] = {}
        for api in scenario.apis.values():
            for constraint in api.constraints:
                for arg in constraint.args:
                    self._rules.setdefault(arg, []).append((constraint, api.name))
        self._day_parts = self._day_part_pairs()

    # -- construction helpers ---------------------------------------------------------

    def _day_part_pairs(self) -> dict[str, tuple[str, ...]]:
        """slot -> the slots it must agree with by the part of the day: per API, each
        customer argument whose type has a value naming a part of the day, with each whose
        holds a time of day in clock times ("7:30 pm", "noon"; ``spoken.value_kind``), both ways."""
        def clock_type(arg) -> bool:
            values = self._all.get(arg.type, ())
            return value_kind(arg.name, arg.type, values) == "time" and any(clock_minutes(v) is not None for v in values)

        def day_type(type_name: str) -> bool:
            return any(_day_part(v) is not None for v in self._all.get(type_name, ()))

        pairs: dict[str, list[str]] = {}
        for api in self.scenario.apis:
            said = [a for a in self.scenario.customer_args(api) if a.type in self._all]
            for day in (a for a in said if day_type(a.type)):
                for clock in (a for a in said if clock_type(a) and a.name != day.name):
                    for one, other in ((day.name, clock.name), (clock.name, day.name)):
                        if other not in pairs.setdefault(one, []):
                            pairs[one].append(other)
        return {slot: tuple(others) for slot, others in pairs.items()}

    def _agrees(self, slot: str, value: str, other: str, values: Mapping[str, str]) -> bool:
        """``value`` of ``slot`` fits the part of the day or the time ``other`` holds in
        ``values``; with no value there, a part of the day fits when some time of
        ``other``'s type falls in it (no "tomorrow morning" where every time is pm)."""
        given = values.get(other)
        if given is not None:
            time, part = clock_minutes(value), _day_part(given)
            if time is None:
                time, part = clock_minutes(given), _day_part(value)
            return part is None or time is None or part[0] <= time <= part[1]
        part = _day_part(value)
        if part is None:
            return True
        times = (clock_minutes(v) for v in self._catalogue(self.scenario.slots[other]))
        return any(t is not None and part[0] <= t <= part[1] for t in times)

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

    def _split_records(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Hold out whole declared results per API (by the groups they fall into, else
        ``held_count`` of them by a stable hash of the record); fill ``_records`` with this
        split's. Returns, per type, the values
        found in held-out records and in kept ones."""
        held_values: dict[str, set[str]] = {}
        kept_values: dict[str, set[str]] = {}
        for api in self.scenario.apis.values():
            results = api.results
            if api.returns is None or not results:
                continue
            held = self._held_groups(api)
            if held is None:
                ranked = sorted(range(len(results)), key=lambda i: (_stable_hash(api.name, repr(results[i])), i))
                held = set(ranked[:held_count(self.holdout, len(results))])
            count = len(held)
            self._record_sizes[api.name] = (len(results) - count, count)
            test = self.split == "test"
            self._records[api.name] = tuple(r for i, r in enumerate(results) if (i in held) == test) \
                if count else results
            if not count:
                continue
            for i, result in enumerate(results):
                target = held_values if i in held else kept_values
                for type_name, value in self._leaves(api.returns.type, result):
                    target.setdefault(type_name, set()).add(value)
        return held_values, kept_values

    def _held_groups(self, api: Api) -> set[int] | None:
        """The records of ``api`` to hold out when they fall into groups by what the API is
        asked (restaurants by city and cuisine): every record with a held-out value of such
        a field, so that the test split keeps whole cities and cuisines the models never
        saw. A grouping field is one of the API's argument types that several records
        share, with at least ``2 * MIN_HELD`` values; its values are held out by the same
        stable hash in every API, so a city held out of the restaurants is held out of the
        theaters too. None when no field groups the records (a song list), or when the
        groups would leave either split empty: then records are held out one by one."""
        assert api.returns is not None
        results = api.results
        asked = {arg.type for arg in api.args}
        fields = self.scenario.types[api.returns.type].fields
        held: set[int] = set()
        for field, type_name in fields.items():
            values = [str(r[field]) for r in results if field in r]
            distinct = sorted(set(values))
            if type_name not in asked or len(distinct) < 2 * MIN_HELD or len(distinct) == len(values):
                continue
            ranked = sorted(distinct, key=lambda v: (_stable_hash(type_name, v), v))
            out = set(ranked[:held_count(self.holdout, len(distinct))])
            held.update(i for i, r in enumerate(results) if str(r.get(field)) in out)
        return held if held and len(held) < len(results) else None

    def _leaves(self, type_name: str, value: Any):
        """``(type, value)`` of every catalogue value inside a declared result."""
        fields = self.scenario.types[type_name].fields
        if not fields:
            yield type_name, str(value)
            return
        for field, field_type in fields.items():
            if field in value:
                yield from self._leaves(field_type, value[field])

    def _split(self, type_name: str, values: tuple[str, ...], in_held: set[str],
               in_kept: set[str]) -> frozenset[str]:
        """The values of a type reserved for test: those only held-out records hold, and
        ``held_count`` of the values no record holds (a value that kept and held-out records
        share, "cheap", stays in both). Empty when either split would have no values."""
        if not self.holdout or len(values) < 2 or self.scenario.types[type_name].is_boolean:
            return frozenset()  # a test split of only "true" would be no test of booleans
        free = [v for v in values if v not in in_held and v not in in_kept]
        ranked = sorted(free, key=lambda v: (_stable_hash(type_name, v), v))
        held = set(ranked[:held_count(self.holdout, len(free))])
        held.update(v for v in values if v in in_held and v not in in_kept)
        if not held or len(held) == len(values):
            return frozenset()
        return frozenset(held)

    def _weigh(self, slot_type, chosen: tuple[str, ...], pool: set[str]):
        """Cumulative weights over ``chosen`` (this split's values), for ``sample``: listed
        values by ``weights``, the Faker pool sharing ``faker_share`` of the draws."""
        listed = [slot_type.weights.get(v, 1.0) if v not in pool else 0.0 for v in chosen]
        in_pool = sum(v in pool for v in chosen)
        listed_total = sum(listed)
        share = slot_type.faker_share
        if share is None or not in_pool or not listed_total:
            each = 1.0
        elif share >= 1.0:
            listed, listed_total, each = [0.0] * len(chosen), 0.0, 1.0
        else:
            each = share / (1.0 - share) * listed_total / in_pool
        weights = [each if v in pool else w for v, w in zip(chosen, listed)]
        return _cumulative(weights)

    def _key_fields(self, type_name: str) -> tuple[str, ...]:
        """The fields that tell two entities apart in speech: those its ``say`` names, or all."""
        say = self.scenario.types[type_name].say
        named = [f for f in placeholders(say) if f in self.scenario.types[type_name].fields] if say else []
        return tuple(dict.fromkeys(named)) or tuple(self.scenario.types[type_name].fields)

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
        """A canonical value: uniformly, or by the type's ``faker_share`` and ``weights``."""
        values = self._catalogue(type_name)
        cumulative = self._weights.get(type_name)
        if cumulative is None:
            return pick(rng, values)
        return values[_draw(cumulative, rng)]

    def choose(self, type_name: str, options: Sequence[str], rng: "np.random.Generator") -> str:
        """One of ``options`` (values of the type), weighted as ``sample`` weighs them."""
        cumulative = self._weights.get(type_name)
        if cumulative is None:
            return pick(rng, options)
        index = self._index[type_name]
        weights = [_weight(cumulative, index[v]) if v in index else 1.0 for v in options]
        return options[_draw(_cumulative(weights), rng)]

    def allowed(self, slot: str, values: Mapping[str, str]) -> tuple[str, ...] | None:
        """The values ``slot`` may take beside the goal's other ``values`` under the
        scenario's constraints: none another argument of a ``differ`` holds, only the ones
        of this split's records that agree with the values a ``record`` holds already, none
        that names another part of the day than a time it goes with (module docstring).
        None when no constraint is about ``slot``."""
        rules = self._rules.get(slot, ())
        timed = self._day_parts.get(slot, ())
        if not rules and not timed:
            return None
        options: Sequence[str] = self._catalogue(self.scenario.slots[slot])
        for other in timed:  # the built-in rule: "tonight" at an evening time
            options = [v for v in options if self._agrees(slot, v, other, values)]
        for constraint, api in rules:
            others = [(arg, values[arg]) for arg in constraint.args if arg != slot and arg in values]
            if constraint.kind == DIFFER:
                taken = {value for _, value in others}
                options = [v for v in options if v not in taken]
                continue
            field_of = dict(zip(constraint.args, constraint.fields))
            agree = {str(r[field_of[slot]]) for r in self._records.get(api, ())
                     if all(r[field_of[arg]] == value for arg, value in others)}
            options = [v for v in options if v in agree]
        return tuple(options)

    def draw(self, slot: str, values: Mapping[str, str], rng: "np.random.Generator") -> str:
        """A value for ``slot`` that keeps the constraints with the goal's other ``values``
        (``allowed``); any value of its type when they cannot all hold."""
        options = self.allowed(slot, values)
        type_name = self.scenario.slots[slot]
        if not options:
            return self.sample(type_name, rng)
        return self.choose(type_name, options, rng)

    def alternatives(self, slot: str, values: Mapping[str, str]) -> tuple[str, ...]:
        """The values ``slot`` could change to, keeping the constraints with the other
        ``values``: what a change of mind, or a retry after an empty result, may pick.
        Empty when there is none (a song whose artist is set has no other)."""
        others = {k: v for k, v in values.items() if k != slot}
        options = self.allowed(slot, others)
        type_name = self.scenario.slots[slot]
        if options is None:
            options = self._catalogue(type_name)
        current = values.get(slot)
        current = self.canonical(type_name, current) or current if current is not None else None
        return tuple(v for v in options if v != current)

    def records(self, api: str) -> tuple:
        """This split's declared results of ``api`` (every one when nothing is held out)."""
        return self._records.get(api, ())

    def split_sizes(self) -> "SplitSizes":
        """How many values of each catalogue type, and declared results of each API, each
        split holds (values that kept and held-out records share count in both)."""
        types = {}
        for name, all_values in self._all.items():
            held, shared = self._held[name], self._shared[name]
            types[name] = (len(all_values) - len(held), len(held) + len(shared) if held else len(all_values))
        return SplitSizes(holdout=self.holdout, types=types,
                          results={api: sizes for api, sizes in self._record_sizes.items()})

    def sample_other(self, type_name: str, rng: "np.random.Generator", avoid: str) -> str:
        """A canonical value other than ``avoid`` (a change of mind must change something);
        ``avoid`` itself when it is the type's only value."""
        values = self._catalogue(type_name)
        n = len(values)
        if n == 1:
            return values[0]
        if type_name in self._weights:
            avoided = self.canonical(type_name, avoid) or avoid
            return self.choose(type_name, [v for v in values if v != avoided] or values, rng)
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

    def context(self, type_name: str, value: str, rng: "np.random.Generator", said: str | None = None) -> tuple[str, str]:
        """The words the customer says before and after ``value`` ("the ", " area"), or
        nothing: each of the type's ``contexts`` for it (``value_contexts``, else the type's
        own), and the bare value, equally often. A well-known city without contexts of its
        own is now and then said with where it is (``WHERE_SHARE``: "Seattle, WA",
        "Lisbon, Portugal"; ``dialogsim.places``), only where ``said`` is its own name: not
        "NYC, NY". Draws from ``rng`` only where there are some, so a scenario without
        contexts or known places says its values as before."""
        slot_type = self.scenario.types.get(type_name)
        if slot_type is None:
            return "", ""
        forms = slot_type.value_contexts.get(value) or slot_type.contexts
        if not forms:
            wheres = self._wheres.get(type_name, {}).get(value)
            if not wheres or said is None or said.casefold() != value.casefold() or rng.random() >= WHERE_SHARE:
                return "", ""
            before, _, after = wheres[int(rng.random() * len(wheres))].partition("{}")
            return before, after
        i = int(rng.random() * (len(forms) + 1))
        if i == len(forms):
            return "", ""
        before, _, after = forms[i].partition("{}")
        return before, after

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
            field: self.entity(field_type, rng) if is_entity else self.sample(field_type, rng)
            for field, field_type, is_entity in fields
        })

    def _one(self, type_name: str, rng: "np.random.Generator") -> Any:
        if type_name in self._fields:
            return self.entity(type_name, rng)
        return pick(rng, self._catalogue(type_name))

    def result(self, api: "Api", rng: "np.random.Generator", *, count: int | None = None,
               results: Sequence | None = None, fixed: Mapping[str, Any] | None = None) -> Any:
        """What the mock backend returns for ``api``: one of its declared ``results`` (this
        split's; or of ``results``, a selection of them), or a value generated from the
        output type, whose ``fixed`` fields take the given values (what the call asked
        for); for ``many: true`` a tuple of ``count`` (by default 1..3) items that all
        sound different (``say``'s fields differ) -- fewer if the catalogue cannot supply
        that many. None for an API that returns nothing."""
        output = api.returns
        if output is None:
            return None
        if results is None:
            results = self._records.get(api.name, api.results) if self.scenario.apis.get(api.name) is api \
                else api.results
        if not output.many:
            return pick(rng, results) if results else self._fixed(self._one(output.type, rng), fixed)
        if count is None:
            count = 1 + int(rng.random() * MAX_MANY)
        elif count < 1:
            raise ValueError(f"count must be at least 1, got {count!r}")
        key = self._keys.get(output.type)
        if results:  # declared records, shuffled whole where some may sound alike
            candidates: Iterable = sample(rng, results, len(results)) if key else sample(rng, results, count)
        else:  # drawn one at a time: duplicates are retried, a tiny catalogue gives up
            candidates = (self._fixed(self._one(output.type, rng), fixed) for _ in range(count * 10))
        items: list = []
        seen: set = set()
        for item in candidates:
            said = tuple(str(item.get(f)) for f in key) if key else item
            if said not in seen:
                seen.add(said)
                items.append(item)
                if len(items) == count:
                    break
        return tuple(items)

    @staticmethod
    def _fixed(item: Any, fixed: Mapping[str, Any] | None) -> Any:
        if not fixed or not isinstance(item, Mapping):
            return item
        return FrozenDict({**item, **fixed})

    def __repr__(self) -> str:
        split = f", holdout={self.holdout}, split={self.split!r}" if self.holdout else ""
        return f"Catalogue({self.scenario.name!r}, {len(self._values)} catalogue types{split})"


@attrs.frozen(kw_only=True)
class SplitSizes:
    """What a holdout split holds: per catalogue type and per API with declared results,
    ``(train, test)`` counts. ``str`` gives one line a CLI can print."""

    holdout: float
    types: Mapping[str, tuple[int, int]] = attrs.field(converter=frozen_mapping)
    results: Mapping[str, tuple[int, int]] = attrs.field(converter=frozen_mapping)

    def __str__(self) -> str:
        parts = [f"{name} {train}/{test}" for name, (train, test) in self.types.items()]
        parts += [f"{api} results {train}/{test}" for api, (train, test) in self.results.items()]
        return "values train/test: " + ", ".join(parts)


def _day_part(value: str) -> tuple[int, int] | None:
    """The clock minutes of the part of the day ``value`` names ("tomorrow night": the
    evening), or None."""
    match = _DAY_PART.search(value)
    return _DAY_PARTS[match.group(1).lower()] if match else None


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    if not total:  # nothing weighs anything: every option alike
        return tuple(float(i + 1) for i in range(len(weights)))
    return tuple(out)


def _weight(cumulative: Sequence[float], i: int) -> float:
    return cumulative[i] - (cumulative[i - 1] if i else 0.0)


def _draw(cumulative: Sequence[float], rng: "np.random.Generator") -> int:
    """An index with probability proportional to its weight: one ``rng.random()``."""
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)
