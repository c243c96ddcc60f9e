"""User utterance templates: harvested from a scenario, parsed once, indexed by what they say.

A ``Template`` is a phrasing with ``{slot}`` placeholders (and ``{ordinal}`` for a
selection) together with its *signature*: the non-inform acts it expresses, in order, and
the set of slots it informs. ``TemplateIndex`` gathers them from three places --

- the scenario's ``utterances`` section (the developer's own voice),
- the user turns of the sample dialogues, delexicalised: each annotated span becomes
  ``{slot}`` and an ordinal word of a ``select`` becomes ``{ordinal}``, so that
  ``"yes, book the first one"`` (affirm, select 0) can later say "the third one" too,
- built-in defaults for acts the scenario leaves out, so that every act has a phrasing,
  and for picking a listed item by one of its fields ("the {airline} one", "the one at
  {departure_time}", "let's go with {name}": act ``(SELECT, field)``, the value a span) --

and, with the phrasebook on, generic mentions that name the entity without a value ("that
flight", "what's the price of the flight?", "not at this time"). It indexes them by the
tuple of non-inform acts. The realiser looks up a run of acts and
picks, among the entries, a template whose slot set fits the values it must say
("invoke SearchFlight informing {destination, date}" finds
``get me a flight to {destination} {date}``).
"""

from __future__ import annotations

import functools
import re
from typing import Iterable, Iterator, Mapping

import attrs

from dialogsim import booleans
from dialogsim.booleans import BOOLEAN
from dialogsim.dialogue import Act, UserAct
from dialogsim.errors import ScenarioError
from dialogsim.paraphrase.phrasebook import GREETING, phrasebook_phrasings
from dialogsim.schema import ResponseAct, SampleTurn, Scenario, SlotType
from dialogsim.wording import PLACEHOLDER, ordinal_suffix, words

__all__ = ["ActKey", "Template", "TemplateIndex", "GREETING", "ORDINALS", "ordinal", "act_key", "delexicalise",
           "default_template", "parse", "index_of"]

ActKey = tuple  # (Act, target | None): target is the API of INVOKE, the slot of DONT_CARE / REQUEST

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
ORDINAL = "ordinal"  # the placeholder a select template uses for the item it picks

_ORDINAL_WORD = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b", re.IGNORECASE)

# Acts with their own phrasings; everything else (INFORM) is carried by placeholders. A
# phrasing says its act and nothing more: a goodbye that thanks would carry an unannotated
# THANK (the customer adds THANK when it means it).
_SOCIAL_DEFAULTS: Mapping[Act, tuple[str, ...]] = {
    Act.AFFIRM: ("yes", "yeah", "sure", "yes please", "that's right", "correct"),
    Act.DENY: ("no", "nope", "no thanks", "not really"),
    Act.THANK: ("thanks", "thank you", "great, thanks"),
    Act.GOODBYE: ("bye", "goodbye", "that's all"),
    Act.DONT_CARE: ("I don't care", "any is fine", "doesn't matter", "no preference"),
}
# Yes and no answer two kinds of question: "that's right" confirms what the system said and
# cannot accept an offer; "no thanks" declines an offer and cannot correct a confirmation.
_CONFIRMING_ONLY = frozenset(("that's right", "correct"))
_DECLINING_ONLY = frozenset(("no thanks", "not really"))
_SELECT_ANAPHORA = ("that one", "it")  # item 0 only: "it" is the first (or only) result
_SELECT_ORDINAL = ("the {ordinal} one", "I'll take the {ordinal} one")
# A pick by what tells the item apart in its list ({v}: the field's value, {e}: what the
# list holds): its name ("Juniper", "let's go with Neon Tide"), or a field ("the JetBlue
# one", "the one at 7:30 am"), framed by what the field's name says it holds.
_PICK_BY_NAME = ("{v}", "{v} please", "let's go with {v}", "I'll take {v}", "{v} sounds good", "I'd like {v}",
                 "{v}, that one", "how about {v}")
_PICK_BY_FIELD = ("the {v} one", "the {v} {e}", "I'll take the {v} one", "let's go with the {v} one",
                  "the {v} one sounds good", "I'd like the {v} one", "the {v} one please")
_PICK_BY_KIND = (
    (re.compile(r"time|hour"), ("the one at {v}", "the {v} one", "the {v} {e}", "I'll take the one at {v}",
                                "let's do the {v} one", "the one at {v} please")),
    (re.compile(r"address|street|location"), ("the one on {v}", "the one at {v}", "the {e} on {v}",
                                              "I'll take the one on {v}")),
    (re.compile(r"rating|stars"), ("the one rated {v}", "the {e} rated {v}", "I'll take the one rated {v}")),
)
_PICK_WORDS = 2  # a value said in "the {v} one" has at most this many words ("the 2 hours 16 minutes one")
# Generic mentions: the entity named by its kind, not by a value ("that flight", "what's the
# price of the flight?", "not at this time"), so that a tagger also learns what is no value.
_GENERIC_SELECT = ("that {e}", "that {e} please", "I'll take that {e}", "let's go with that {e}",
                   "that {e} sounds good", "the {e} you mentioned")
_GENERIC_REQUEST = ("what's the {w} of that {e}?", "what's the {w} for the {e}?", "do you know the {w} of the {e}?",
                    "and the {w} of that {e}?")
_GENERIC_DENY = ("not at this time", "not at the moment", "no, not at this time", "not for now")  # declines an offer


def ordinal(item: int) -> str:
    """The spoken ordinal of a 0-based item: 0 -> "first", 11 -> "12th"."""
    if item < len(ORDINALS):
        return ORDINALS[item]
    return f"{item + 1}{ordinal_suffix(item + 1)}"


def act_key(act: UserAct) -> ActKey:
    """The index key of one non-inform act."""
    return (act.act, act.api or act.slot)


# A phrase that opens with one of these goes on the sentence before it ("a flight to
# Boston", "a table somewhere in Austin"); any other opening starts a new clause, after a
# comma ("find me a restaurant, let's do Thai", "play Halo, the one by Beyoncé").
_CONTINUING = frozenset("""
to from for in on at by with near around about after before between into via leaving going somewhere
""".split())
# What after a phrasing's last value ends the utterance ("{genre}, please", "{date} works",
# "{price} is fine"): another value after it would read "sushi, please in Boston".
_CLOSING = re.compile(r"\s*(?:,|(?:is|are|works?|sounds?|please|thanks)\b)")
_PLEASE = re.compile(r"\bplease\b", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Template:
    """One phrasing and what it expresses.

    ``acts``: the non-inform acts it says, in order; ``slots``: the slots it informs (each
    placeholder once); ``select_item``: for a select phrasing without ``{ordinal}`` ("that
    one", "book it"), the only item it can mean; ``confirming``: True for a phrasing that
    only answers a confirmation ("that's right"), False for one that only answers an offer
    or another question ("no thanks"), None for one that answers either. ``literals`` and
    ``names`` are the parsed text, ``literals[0] names[0] literals[1] ... literals[-1]``, so
    rendering never parses.
    """

    text: str
    acts: tuple[ActKey, ...] = ()
    slots: frozenset = frozenset()
    select_item: int | None = None
    confirming: bool | None = None
    source: str = "default"  # "utterances", "sample", "default" or "phrasebook"
    # A phrasing that is a whole turn by itself ("hmm, I'd say {origin}", "okay, thanks a lot,
    # bye"): never joined with other pieces, where its opener or hedge would pile up.
    whole: bool = False
    # Derived once, read per turn: the parsed text and what joining it to others needs.
    literals: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    names: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    kind: Act = attrs.field(init=False, eq=False, repr=False)  # first act (INFORM for pure informs)
    last_kind: Act = attrs.field(init=False, eq=False, repr=False)
    leads_with_value: bool = attrs.field(init=False, eq=False, repr=False)  # "{n} people", not "for {n}"
    continues: bool = attrs.field(init=False, eq=False, repr=False)  # "to {city}", not "let's do {cuisine}"
    bare: bool = attrs.field(init=False, eq=False, repr=False)  # nothing but a value: "{city}"
    closing: bool = attrs.field(init=False, eq=False, repr=False)  # ends the utterance: "{genre}, please"
    polite: bool = attrs.field(init=False, eq=False, repr=False)  # says "please": once a turn is enough
    ends_sentence: bool = attrs.field(init=False, eq=False, repr=False)  # "what's the price?"
    greets: bool = attrs.field(init=False, eq=False, repr=False)  # "hi, find me a flight": opens a dialogue only

    def __attrs_post_init__(self) -> None:
        literals, names = parse(self.text)
        opening = literals[0].split(None, 1)
        derived = {
            "literals": literals,
            "names": names,
            "kind": self.acts[0][0] if self.acts else Act.INFORM,
            "last_kind": self.acts[-1][0] if self.acts else Act.INFORM,
            "leads_with_value": not literals[0],
            "continues": bool(opening) and opening[0].lower() in _CONTINUING,
            "bare": len(names) == 1 and not literals[0] and not literals[1],
            "closing": bool(names) and _CLOSING.match(literals[-1]) is not None,
            "polite": _PLEASE.search(self.text) is not None,
            "ends_sentence": literals[-1][-1:] in (".", "?", "!") if literals[-1] else False,
            "greets": GREETING.match(self.text) is not None,
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def _from_phrasebook(fields: dict) -> Template:
    """A phrasebook phrasing's template (``phrasebook_phrasings`` makes the generic ones once)."""
    return Template(**fields, source="phrasebook")


def parse(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a template into its literal pieces and placeholder names (outer whitespace
    trimmed, so joining templates controls the spacing)."""
    pieces = PLACEHOLDER.split(text.strip())
    return tuple(pieces[0::2]), tuple(pieces[1::2])


def _signature_error(scenario: "Scenario", line, field: str, text: str, message: str) -> ScenarioError:
    return ScenarioError(scenario.path, line, field, f"{text!r}: {message}")


class TemplateIndex:
    """Every user phrasing of a scenario, indexed by the acts it expresses.

    ``entries(acts)`` answers, for an exact tuple of non-inform act keys (``()`` for pure
    informs), a tuple of ``(slots, templates)`` pairs, largest slot set first. ``single``
    adds the fall-backs that make every single act speakable (a ``dont_care`` of a slot falls
    back to the generic phrasings; an act nobody declared gets a generated default).
    """

    def __init__(self, scenario: "Scenario") -> None:
        self.scenario = scenario
        catalogue = {n for n, t in scenario.types.items() if t.is_catalogue and not t.is_entity}
        #: the slots a customer can say: those of a catalogue type
        self.speakable = frozenset(s for s, t in scenario.slots.items() if t in catalogue)
        declared = list(self._from_utterances())
        harvested = list(self._from_samples())
        defaults = list(self._defaults(declared, harvested))
        own = declared + harvested + defaults
        #: field -> the most words a value may have to be said in its pick phrasings (None: any)
        self._pick_words: dict[str, int | None] = {}
        own += self._picks()
        if scenario.variation.phrasebook:
            own += phrasebook_phrasings(scenario, own, _from_phrasebook)
            own += self._generic()
        said = booleans.boolean_words(scenario)
        if said:  # a yes/no field is asked about as one: "does it have outdoor seating?"
            own = [t for t in own if not (len(t.acts) == 1 and t.acts[0][0] is Act.REQUEST and t.acts[0][1] in said
                                          and not booleans.asks_yes_no(t.text, said[t.acts[0][1]]))]
        self._build(own)

    def can_pick(self, field: str, value: str) -> bool:
        """Whether an item can be picked by saying ``value``, its ``field``: the field has
        pick phrasings and the value fits them ("the $120 one", not "the 2 hours 16 minutes
        one")."""
        if field not in self._pick_words:
            return False
        limit = self._pick_words[field]
        return limit is None or len(value.split()) <= limit

    # -- sources ------------------------------------------------------------------------

    def _from_utterances(self) -> Iterator[Template]:
        for uset in self.scenario.utterances:
            if uset.act is Act.INVOKE:
                field = f"utterances.{uset.target}"
            else:
                field = f"utterances.{uset.act.value}" + ("" if uset.target is None else f"_{uset.target}")
            for text in uset.templates:
                _, names = parse(text)
                slots = self._check_names(names, uset.act is Act.SELECT, uset.line, field, text)
                if uset.act is Act.INFORM:
                    acts: tuple = ()
                    if not slots:
                        raise _signature_error(self.scenario, uset.line, field, text,
                                               "an inform phrasing needs a {slot}")
                else:
                    acts = ((uset.act, uset.target if uset.act is not Act.SELECT else None),)
                item = 0 if uset.act is Act.SELECT and ORDINAL not in names else None
                yield Template(text=text, acts=acts, slots=slots, select_item=item, source="utterances")

    def _check_names(self, names, select: bool, line, field: str, text: str) -> frozenset:
        seen: set[str] = set()
        for name in names:
            if name not in self.speakable and not (select and name == ORDINAL):
                raise _signature_error(self.scenario, line, field, text,
                                       f"{{{name}}} is not a slot the customer can say")
            if name in seen:  # one INFORM act must get exactly one span
                raise _signature_error(self.scenario, line, field, text, f"{{{name}}} appears twice")
            seen.add(name)
        seen.discard(ORDINAL)
        return frozenset(seen)

    def _from_samples(self) -> Iterator[Template]:
        confirmations = (ResponseAct.CONFIRM_ARGS, ResponseAct.CONFIRM_API)
        apis, responses = self.scenario.apis, self.scenario.responses
        for sample in self.scenario.samples:
            used: set[str] = set()  # APIs this sample has asked for or called so far
            asked = None  # the response that ended the system turn before
            for turn in sample.turns:
                if turn.speaker == "system":
                    used.update(name for name in turn.actions if name in apis)
                    last = responses.get(turn.actions[-1]) if turn.actions else None
                    asked = None if last is None else last.act
                    continue
                invoked = {a.api for a in turn.acts if a.act is Act.INVOKE and a.api is not None}
                # Asking again for an API ("play it again", "and tomorrow?") leans on the
                # turns before it: such a phrasing would not stand alone elsewhere.
                if not invoked & used:
                    # A yes or no fits the kind of question it answered in the sample.
                    yes_no = asked is not None and any(a.act in (Act.AFFIRM, Act.DENY) for a in turn.acts)
                    template = delexicalise(turn, confirming=asked in confirmations if yes_no else None)
                    if template is not None:
                        yield template
                used |= invoked

    def _defaults(self, declared: list[Template], harvested: list[Template]) -> Iterator[Template]:
        """Phrasings for what the scenario leaves out. The social acts and inform get
        defaults unless the ``utterances`` section phrases them; invoke and request
        defaults ("search flight") sound robotic, so the samples' phrasings suppress
        them too. Only phrasings that need no value count: they are what makes a bare
        act speakable."""
        plain = {t.acts[0] for t in declared if len(t.acts) == 1 and not t.slots}
        plain_any = plain | {t.acts[0] for t in harvested if len(t.acts) == 1 and not t.slots}
        for act, texts in _SOCIAL_DEFAULTS.items():
            if (act, None) not in plain:
                for text in texts:
                    confirming = True if text in _CONFIRMING_ONLY else False if text in _DECLINING_ONLY else None
                    yield Template(text=text, acts=((act, None),), confirming=confirming)
        ordinal_select = any(t.acts == ((Act.SELECT, None),) and t.select_item is None for t in declared)
        if not ordinal_select:
            yield from (Template(text=t, acts=((Act.SELECT, None),)) for t in _SELECT_ORDINAL)
        if (Act.SELECT, None) not in plain:
            yield from (Template(text=t, acts=((Act.SELECT, None),), select_item=0) for t in _SELECT_ANAPHORA)
        said = booleans.boolean_words(self.scenario)
        single_informs = {next(iter(t.slots)) for t in declared if not t.acts and len(t.slots) == 1}
        for slot in sorted(self.speakable - single_informs):
            yield Template(text=f"{{{slot}}}", slots=frozenset((slot,)))
        for api in self.scenario.apis.values():
            if (Act.INVOKE, api.name) not in plain_any:
                yield default_template((Act.INVOKE, api.name))
            for field in self._result_fields(api):
                if (Act.REQUEST, field) not in plain_any and field in said:
                    yield from (Template(text=t, acts=((Act.REQUEST, field),)) for t in booleans.asked(said[field]))
                elif (Act.REQUEST, field) not in plain_any:
                    yield default_template((Act.REQUEST, field))

    def _listed(self) -> Iterator[tuple[str, "SlotType"]]:
        """``(type name, entity type)`` of each entity an API returns a list of, once."""
        seen: set[str] = set()
        for api in self.scenario.apis.values():
            returns = api.returns
            if returns is not None and returns.many and returns.type not in seen:
                seen.add(returns.type)
                entity = self.scenario.types[returns.type]
                if entity.is_entity:
                    yield returns.type, entity

    def _picks(self) -> list[Template]:
        """Phrasings that pick a listed item by one of its fields (``_PICK_BY_*``), each
        act ``(SELECT, field)`` with the field's value as its span."""
        out = []
        for type_name, entity in self._listed():
            noun = words(type_name)
            name = None
            if entity.say is not None:
                literals, names = parse(entity.say)
                if len(names) == 1 and not "".join(literals):  # say: "{title}"
                    name = names[0]
            for field, field_type in entity.fields.items():
                if field not in self.speakable or field in self._pick_words or field_type == BOOLEAN:
                    continue  # not "the with outdoor seating one"
                frames: tuple[str, ...]
                if field == name:
                    frames, limit = _PICK_BY_NAME, None
                else:
                    kind = words(field)
                    frames = next((f for pattern, f in _PICK_BY_KIND if pattern.search(kind)), _PICK_BY_FIELD)
                    limit = _PICK_WORDS if any("{v} one" in f or "{v} {e}" in f for f in frames) else None
                self._pick_words[field] = limit
                for frame in frames:
                    text = frame.replace("{e}", noun).replace("{v}", f"{{{field}}}")
                    out.append(Template(text=text, acts=((Act.SELECT, field),), slots=frozenset((field,))))
        return out

    def _generic(self) -> list[Template]:
        """Generic mentions (``_GENERIC_*``): "that flight" picks the first of the one kind
        of list a scenario has, "what's the price of the flight?" asks about a field, "not
        at this time" declines an offer."""
        out = []
        listed = list(self._listed())
        if len(listed) == 1:  # "that movie" must not pick a showtime
            noun = words(listed[0][0])
            out += [Template(text=f.replace("{e}", noun), acts=((Act.SELECT, None),), select_item=0,
                             source="phrasebook") for f in _GENERIC_SELECT]
        for api in self.scenario.apis.values():
            if api.returns is None or not self.scenario.types[api.returns.type].is_entity:
                continue
            noun = words(api.returns.type)
            for field in self.scenario.types[api.returns.type].fields:
                out += [Template(text=f.replace("{w}", words(field)).replace("{e}", noun),
                                 acts=((Act.REQUEST, field),), source="phrasebook") for f in _GENERIC_REQUEST]
        out += [Template(text=text, acts=((Act.DENY, None),), confirming=False, source="phrasebook")
                for text in _GENERIC_DENY]
        return out

    def _result_fields(self, api) -> tuple[str, ...]:
        if api.returns is None:
            return ()
        output = self.scenario.types.get(api.returns.type)
        return tuple(output.fields) if output is not None and output.is_entity else (api.returns.name,)

    def _build(self, templates: Iterable[Template]) -> None:
        grouped: dict[tuple, dict[frozenset, list[Template]]] = {}
        seen: set[tuple] = set()
        for t in templates:
            identity = (t.acts, t.slots, t.select_item, t.confirming, t.text)
            if identity in seen:
                continue
            seen.add(identity)
            grouped.setdefault(t.acts, {}).setdefault(t.slots, []).append(t)
        self._entries: dict[tuple, tuple[tuple[frozenset, tuple[Template, ...]], ...]] = {
            acts: tuple(sorted(((s, tuple(ts)) for s, ts in by_slots.items()),
                               key=lambda e: (-len(e[0]), sorted(e[0]))))
            for acts, by_slots in grouped.items()
        }
        # The same entries for a turn that answers a confirmation (True) or another question
        # (False): the phrasings that fit it, or all of them when none does.
        self._answering: dict[bool | None, dict] = {context: {acts: _fitting(entries, context) or entries
                                     for acts, entries in self._entries.items()}
                           for context in (True, False)}
        self._answering[None] = self._entries
        # The same without the whole-turn phrasings: what a piece of a longer turn picks from.
        self._parts: dict[bool | None, dict] = {context: {acts: _parts(entries) or entries
                                                          for acts, entries in answering.items()}
                                                for context, answering in self._answering.items()}
        self._generated: dict[ActKey, tuple] = {}  # single() fall-backs, made once
        self.max_acts = max((len(k) for k in self._entries), default=1)
        self._composites = frozenset(k for k in self._entries if len(k) > 1)

    # -- lookup ---------------------------------------------------------------------------

    def entries(self, acts: tuple, confirming: bool | None = None, *,
                whole: bool = False) -> tuple[tuple[frozenset, tuple[Template, ...]], ...]:
        """``(slots, templates)`` for exactly these non-inform acts, largest slot set first;
        ``confirming`` (True: the turn answers a confirmation, False: another question, None:
        unknown) keeps the yes and no phrasings that fit; ``whole`` (the phrasing is the whole
        turn) adds the whole-turn phrasings."""
        return (self._answering if whole else self._parts)[confirming].get(acts, ())

    def has_composite(self, acts: tuple) -> bool:
        return acts in self._composites

    def single(self, key: ActKey, confirming: bool | None = None, *,
               whole: bool = False) -> tuple[tuple[frozenset, tuple[Template, ...]], ...]:
        """Entries for one act (as ``entries``), never empty: a ``dont_care`` of a slot
        without its own phrasings uses the generic ones; an act with none gets a generated
        default."""
        view = self._answering if whole else self._parts
        entries = view[confirming].get((key,))
        if entries:
            return entries
        act, target = key
        if act is Act.DONT_CARE and target is not None:
            entries = view[None].get(((act, None),))
            if entries:
                return entries
        entries = self._generated.get(key)
        if entries is None:
            entries = self._generated[key] = ((frozenset(), (default_template(key),)),)
        return entries

    def __iter__(self) -> Iterator[Template]:
        for entries in self._entries.values():
            for _, templates in entries:
                yield from templates

    def __len__(self) -> int:
        return sum(len(ts) for entries in self._entries.values() for _, ts in entries)


@functools.lru_cache(maxsize=32)
def index_of(scenario: "Scenario") -> TemplateIndex:
    """The ``TemplateIndex`` of ``scenario``, built once per process and scenario: with the
    phrasebook it holds some ten thousand phrasings, a noticeable part of a second to build,
    and every realiser of a scenario (the customer's, a reference bot's) reads the same one."""
    return TemplateIndex(scenario)


def _fitting(entries, confirming: bool) -> tuple:
    """``entries`` without the phrasings that answer the other kind of question, nor the
    greetings: a turn that answers a question is not the first ("hi, book it")."""
    out = []
    for slots, templates in entries:
        kept = tuple(t for t in templates if (t.confirming is None or t.confirming is confirming) and not t.greets)
        if kept:
            out.append((slots, kept))
    return tuple(out)


def _parts(entries) -> tuple:
    """``entries`` without the whole-turn phrasings."""
    out = []
    for slots, templates in entries:
        kept = tuple(t for t in templates if not t.whole)
        if kept:
            out.append((slots, kept))
    return tuple(out)


def default_template(key: ActKey) -> Template:
    """A generated phrasing for one act the scenario never phrased."""
    act, target = key
    if act is Act.INVOKE:
        return Template(text=words(target), acts=(key,))
    if act is Act.REQUEST:
        return Template(text=f"what's the {words(target)}?", acts=(key,))
    if act is Act.SELECT:
        return Template(text=_SELECT_ORDINAL[0], acts=(key,))
    return Template(text=_SOCIAL_DEFAULTS[act][0], acts=(key,))


def delexicalise(turn: "SampleTurn", *, confirming: bool | None = None) -> Template | None:
    """A sample user turn as a template: spans become ``{slot}``, the ordinal word of its
    ``select`` becomes ``{ordinal}``; ``confirming`` as ``Template``'s. None for a turn that
    cannot be one (overlapping spans, a slot said twice, braces in the text, more than one
    select)."""
    text = turn.text
    if "{" in text or "}" in text:
        return None
    acts = tuple(act_key(a) for a in turn.acts if a.act is not Act.INFORM)
    selects = [a.item for a in turn.acts if a.act is Act.SELECT]
    cuts = sorted((s.start, s.end, s.slot) for s in turn.spans)
    slots = [slot for _, _, slot in cuts]
    if len(set(slots)) != len(slots) or len(selects) > 1:
        return None
    select_item = None
    if selects:
        item = selects[0] or 0
        select_item = item
        for match in _ORDINAL_WORD.finditer(text):
            if match.group(1).lower() == ordinal(item) and not any(
                    s < match.end() and match.start() < e for s, e, _ in cuts):
                cuts = sorted(cuts + [(match.start(), match.end(), ORDINAL)])
                select_item = None
                break
    pieces, pos = [], 0
    for start, end, name in cuts:
        if start < pos:
            return None  # overlapping annotations
        pieces.append(text[pos:start])
        pieces.append(f"{{{name}}}")
        pos = end
    pieces.append(text[pos:])
    if not acts and not slots:
        return None
    return Template(text="".join(pieces), acts=acts, slots=frozenset(slots), select_item=select_item,
                    confirming=confirming, source="sample")
