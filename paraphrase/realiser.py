"""Realisation: the agents' acts and values become text, with the exact span of every value.

``Realiser.user_turn`` speaks a customer turn: it covers the acts with as few templates as
it can (an invoke phrasing that already holds the informed slots, a sample's "yes, book
the {ordinal} one"), says the values left over with inform phrasings, joins the pieces
("yes, " / " and " / ", ") and records ``Span(start, end, slot, type, value)`` for each
value while it writes, so the spans are exact by construction rather than searched for
afterwards; a pick by a field ("the JetBlue one") gets the span of the value it names, and
a changed value a correction cue that fits where it is said ("no, make it Tuesday", "okay,
make it Monday" after nothing was found). ``Realiser.system_text`` fills a system response template, speaking entities
through their type's ``say`` template and lists as "A, B and C".

Everything is parsed at construction; a turn is a few dict look-ups, random draws and a
string join (about 10 µs).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import attrs

from dialogsim import booleans, wording
from dialogsim.corpus import _cuts_a_word as cuts_a_word  # the reader's own span check
from dialogsim.dialogue import Act, Arg, Span, UserAct, UserTurn
from dialogsim.paraphrase.phrasebook import (
    BARE_REVISION_CUES,
    CUE_WORDS,
    GREETING,
    REVISION_CUES,
    YES_NO,
    repeats_family,
    stacks_declines,
)
from dialogsim.paraphrase.system_context import CONTEXT_SHARE, fitting, placeholder_type
from dialogsim.paraphrase.system_lexicon import vary_literals
from dialogsim.paraphrase.system_phrases import COUNT_SHARE, VALUED_SHARE, mid_turn, response_variants, with_opener
from dialogsim.paraphrase.system_values import ARTICLE, OWN_FORM_SHARE, article, entity_forms, join, system_forms
from dialogsim.paraphrase.templates import (
    ORDINAL,
    Template,
    TemplateIndex,
    act_key,
    default_template,
    index_of,
    ordinal,
    parse,
)
from dialogsim.schema import ResponseAct, Scenario
from dialogsim.state import Context
from dialogsim.wording import (
    apologises,
    first_word,
    last_first_word,
    last_sentence,
    sentences,
    spoken_list,
    stutters,
    words,
)

if TYPE_CHECKING:
    import numpy as np

    from dialogsim.catalogue import Catalogue

__all__ = ["Realiser"]

_INTERJECTIONS = frozenset((Act.AFFIRM, Act.DENY, Act.THANK))
# A greeting heading a phrasing that a correction cue goes before ("actually, hi, find me..."):
# only the opening turn greets (``Template.greets``), but a caller may revise there too.
_GREETED = re.compile(r"^(?:(?:" + GREETING.pattern + r"),?\s+)+(?=\S)", re.IGNORECASE)
_MARKERS = re.compile(r"^(?:(?:hmm|oh|well|um|uh|erm|er|ah|okay|alright|right|yeah|so(?: basically)?),?\s+)+",
                      re.IGNORECASE)
# Correction cues by where the changed value is said (``Realiser._cue``); each says that
# it corrects ("actually", "wait", "sorry", "meant", "make it"): a bare "no, Tuesday" could
# be a plain answer. The phrasebook's cues are the general ones.
_CORRECTIONS = REVISION_CUES + ("no wait, ", "oops, sorry, ", "hang on, actually, ", "no, sorry, ",
                                "wait, actually, ")
_CORRECTIONS_BARE = BARE_REVISION_CUES + ("no, make that ", "wait, make it ", "sorry, make that ", "oops, I meant ",
                                          "no wait, I meant ")
_DENIED = ("actually, ", "sorry, ", "wait, ", "I meant ", "sorry, I meant ", "it's actually ")  # "no, I meant for two"
_DENIED_BARE = ("make it ", "make that ", "I meant ", "sorry, I meant ", "wait, make it ", "it's actually ",
                "actually, make it ")
_RELAXED = ("actually, let's try ", "okay, actually, ", "hmm, actually, ", "in that case, actually, ",
            "alright, actually, ")  # after "nothing found": a nearby value
_RELAXED_BARE = ("actually, how about ", "okay, make it ", "then make it ", "hmm, make that ", "alright, make it ",
                 "actually, let's try ", "in that case, make it ")
_ASKED_AGAIN = ("actually, ", "wait, ", "sorry, ", "on second thought, ", "hmm, actually, ", "oh wait, ",
                "actually, sorry, ", "no wait, ")  # opens a turn that asks again with a changed value
# Greetings at the start only, every one of them ("hey, hi, ...", "good day, ...").
_BOOLEAN_CUES = ("actually, ", "sorry, actually, ", "wait, actually, ", "oh, actually, ")  # before a boolean's own words
_CUE_TOKENS = frozenset(("sorry", "wait", "actually", "hold", "hang", "oops", "meant", "make"))
_WORDS = re.compile(r"[a-z']+")
_REDRAWS = 8  # draws at most for a piece that fits the turn (``Realiser._choose``), a system text that fits its turn
# Pleased words: not after a failure or an empty result ("awesome, that's all"); a wish for
# the day stays ("have a great day").
_UPBEAT = re.compile(r"\b(?:awesome|great|perfect|wonderful|splendid|lovely|fab|fabulous|excellent|brilliant|fantastic"
                     r"|nice|amazing|cool|sweet|super|superb|terrific)\b(?! (?:day|one|evening|night|weekend|rest))"
                     r"|\bgot what I (?:need|needed|wanted)|\bsorted\b|\bshould do it\b|\bthat's plenty\b",
                     re.IGNORECASE)
# What a response text may hold before a placeholder that opens its sentence: nothing, a
# sentence, an opener ("Okay, "): a boolean there is said as a sentence of its own.
_OPENING = re.compile(r"(?:^|[.!?] |^[A-Z][a-z]*(?: [a-z]+)?, )\Z")
_STARTS = re.compile(r"(?:^|[.!?] )\Z")  # what a text holds before a value that opens a sentence
# What a pick ends with when it ends with what it picks: a phrase may follow ("the first one
# for two", "book it for two", "Juniper for two", "that restaurant for two": the entity's noun).
_PICKED = r"(?:\}}|\b(?:one|ones|it|them|there|option|choice{nouns}))\Z"
_COMMA_BEFORE = frozenset((Act.GOODBYE, Act.THANK, Act.AFFIRM, Act.DENY, Act.SELECT, Act.DONT_CARE, Act.REQUEST))


def _connector(previous: Template, template: Template, is_last: bool) -> str:
    """What goes between two pieces: "yes, to Boston", "to Boston on Monday",
    "Boston and Monday", "in Boston, let's do Thai", "what's the price? thanks"."""
    if previous.ends_sentence:
        return " "
    if previous.last_kind in _INTERJECTIONS:
        return ", "
    kind = template.kind
    if kind is Act.INFORM:
        if not template.leads_with_value:
            return " " if template.continues else ", "  # a phrase goes on, a clause starts anew
        return " and " if is_last and previous.last_kind is Act.INFORM else ", "
    if kind in _COMMA_BEFORE:
        return ", "
    return " and "


class Realiser:
    """Speaks user acts and system responses for one scenario.

    ``prefer_largest``: how often a template covering the most informed slots is chosen
    over one covering fewer (the rest then said by inform phrasings) -- mostly the
    developer's full phrasings, sometimes a composed one, for variety.
    ``composite_rate``: how often a multi-act phrasing from the samples ("thanks, bye")
    is used where one exists, rather than one phrasing per act.
    """

    def __init__(
        self,
        scenario: "Scenario",
        catalogue: "Catalogue",
        *,
        templates: TemplateIndex | None = None,
        prefer_largest: float = 0.75,
        composite_rate: float = 0.5,
    ) -> None:
        for name, p in (("prefer_largest", prefer_largest), ("composite_rate", composite_rate)):
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"{name} must be a probability between 0 and 1, got {p!r}")
        self.scenario = scenario
        self.catalogue = catalogue
        self.templates = templates if templates is not None else index_of(scenario)
        self.prefer_largest = prefer_largest
        self.composite_rate = composite_rate
        self._slot_types = dict(scenario.slots)
        self._cues = scenario.variation.phrasebook  # corrections are marked by the phrasebook's cues
        self._speakable = self.templates.speakable
        # Inform phrasings by where the value goes, best first: alone, answering a question
        # for it (everything, "{city}" too); alone otherwise or last in a turn (not bare:
        # after "no results", "in Boston" says what "Boston" leaves open, and among other
        # pieces "to NYC, Boston" is ambiguous where "to NYC from Boston" is not); followed
        # by more (neither bare nor closing: not "sushi, please in Boston"). A phrasing that
        # says "please" is left out where another piece said it. Each list ends with all of
        # them: every value has a phrasing.
        informs = self.templates.entries(())
        phrased = _keep(informs, lambda t: not t.bare)
        self._informs = informs
        self._answers = _with_unpolite(self.templates.entries((), whole=True))  # the turn is this phrasing
        self._lasts = _with_unpolite(phrased, informs)
        self._joins = _with_unpolite(_keep(phrased, lambda t: not t.closing), _keep(informs, lambda t: not t.closing),
                                     informs)
        self._confirmations = (ResponseAct.CONFIRM_ARGS, ResponseAct.CONFIRM_API)  # `in` by identity: no hashing
        self._request = ResponseAct.REQUEST
        # Asked "which one?", a pick names its ordinal: "that one" and "it" point at nothing
        # among several results.
        self._ordinal_selects = _keep(self.templates.single((Act.SELECT, None)), lambda t: t.select_item is None)
        # ... and said as the whole turn, any of the phrasebook's ways ("hmm, the second one, I think").
        self._ordinal_answers = _keep(self.templates.single((Act.SELECT, None), whole=True),
                                      lambda t: t.select_item is None)
        self._max_acts = self.templates.max_acts
        types = scenario.types
        # Entity types: (say literals, say names) or None, and the declared field types.
        self._say: dict[str | None, Any] = {n: (parse(t.say) if t.say is not None else None) for n, t in types.items() if t.is_entity}
        self._field_types: dict[str | None, dict[str, str]] = {n: dict(t.fields) for n, t in types.items() if t.is_entity}
        self._booleans = booleans.boolean_words(scenario)  # slot -> its words, never "true"
        nouns = sorted({words(n).split()[-1] for n, t in types.items() if t.is_entity})
        self._picked = re.compile(_PICKED.format(nouns="".join(f"|{re.escape(n)}" for n in nouns)), re.IGNORECASE)
        # Responses: their texts by context, composed with the system phrasebook
        # (paraphrase/system_phrases.py), each parsed once (``_response_text``) into literals
        # and (arg, field | None, placeholder).
        self._responses: dict[str, tuple] = {
            name: (response, response_variants(scenario, response, phrasebook=scenario.variation.phrasebook))
            for name, response in scenario.responses.items()}
        self._response_texts: dict[str, tuple] = {}
        self._lexicon = scenario.variation.phrasebook  # system turns in other words too (``system_lexicon``)
        self._mid_turn = {name: {context: mid_turn(v) for context, v in contexts.items()}
                          for name, (_, contexts) in self._responses.items()}
        # With the phrasebook, entities in more than one form ("a 9 am Delta flight for $89",
        # ``system_values``), each parsed once; the scenario's ``say`` first.
        self._forms: dict[str | None, tuple] = {
            n: tuple(parse(f) for f in entity_forms(scenario, n)) for n, t in types.items()
            if t.is_entity and t.say is not None and scenario.variation.phrasebook}
        # ... and dates and times written in more than one way ("9:00 am", "the 3rd of
        # December"), where said alone: the fields of a list of entities keep one format.
        self._written: dict[str | None, dict[str, tuple[str, ...]]] = {
            n: forms for n in types if scenario.variation.phrasebook and (forms := system_forms(scenario, n))}

    # -- user turns ---------------------------------------------------------------------

    def user_turn(self, acts: Sequence[UserAct], values: Mapping[str, str], rng: "np.random.Generator", *,
                  prompt: "ResponseAct | None" = None, revised: frozenset = frozenset()) -> UserTurn:
        """Say ``acts`` (in roughly that order) with the canonical ``values`` of the
        informed slots. Every INFORM gets exactly one span; ``acts`` are kept as given.
        ``prompt``: the act of the system response this turn answers, when known, so that
        the phrasings fit it ("that's right" answers a confirmation, not an offer; a bare
        "Boston" answers a question for a city). ``revised``: informed slots whose value
        replaces one the customer said before; with the phrasebook on, the turn marks the
        correction ("no, make that Boston", "actually, find me a flight to Denver")."""
        if not acts:
            raise ValueError("a user turn must express at least one act")
        others: list[tuple[int, UserAct]] = []
        slot_pos: dict[str, int] = {}
        for i, act in enumerate(acts):
            if act.act is Act.INFORM:
                slot = act.slot
                if slot not in self._speakable:
                    raise ValueError(f"INFORM of {slot!r}: not a slot of a catalogue type "
                                     f"in scenario {self.scenario.name!r}")
                if slot in slot_pos:
                    raise ValueError(f"slot {slot!r} is informed twice in one turn")
                slot_pos[slot] = i
            else:
                others.append((i, act))
        # A boolean is said in its own words ("somewhere with outdoor seating"; a yes or a no
        # when it answers the question for it, which the turn's first act then is), never
        # through a phrasing that would say "true".
        flags = [slot for slot in slot_pos if slot in self._booleans]
        answer = flags[0] if flags and prompt is self._request and slot_pos[flags[0]] == 0 else None
        remaining = set(slot_pos) if not flags else set(slot_pos).difference(flags)
        templates = self.templates
        confirming = None if prompt is None else prompt in self._confirmations
        glum = prompt is ResponseAct.FAILURE or prompt is ResponseAct.NO_RESULTS

        pieces: list[tuple[int, Template, int | None]] = []  # (position, template, select item)
        j, n = 0, len(others)
        while j < n:
            template, length = None, 1
            said = " ".join([piece[1].text for piece in pieces])
            for size in range(min(self._max_acts, n - j), 1, -1):  # a multi-act phrasing first
                run = others[j:j + size]
                key = tuple(act_key(a) for _, a in run)
                if templates.has_composite(key) and rng.random() < self.composite_rate:
                    whole = j == 0 and size == n and not slot_pos  # the phrasing would be the whole turn
                    template = self._choose(templates.entries(key, confirming, whole=whole), remaining,
                                            _select_item(run), rng, said=said, glum=glum,
                                            keep=self._takes_phrase if _before_value(acts, run[-1][0]) else None)
                    if template is not None:
                        length = size
                        break
            if template is None:
                act = others[j][1]
                item = (act.item or 0) if act.act is Act.SELECT else None
                key = act_key(act)
                keep = self._takes_phrase if _before_value(acts, others[j][0]) else None
                if item is not None and act.slot is not None:  # a pick by a field: "the JetBlue one"
                    if act.slot in slot_pos:
                        raise ValueError(f"slot {act.slot!r} is both informed and picked by in one turn")
                    template = self._choose(templates.single(key, confirming), {act.slot}, None, rng, said=said,
                                            glum=glum, keep=keep)
                    if template is None:
                        raise ValueError(f"no phrasing picks a result by {act.slot!r}")
                else:
                    if item is not None and prompt is self._request and self._ordinal_selects:
                        entries = self._ordinal_answers if n == 1 and not slot_pos else self._ordinal_selects
                    else:
                        entries = templates.single(key, confirming, whole=n == 1 and not slot_pos)
                    template = (self._choose(entries, remaining, item, rng, said=said, glum=glum, keep=keep)
                                or self._choose(entries, None, item, rng, said=said, glum=glum, keep=keep)  # all need values we lack
                                or default_template(key))
            pieces.append((others[j][0], template, _select_item(others[j:j + length])))
            remaining -= template.slots
            j += length

        # The values left, each with a phrasing that fits where it goes (see __init__).
        end = pieces[-1][0] if pieces else -1  # where the last piece so far goes
        polite = any([piece[1].polite for piece in pieces])
        while remaining:  # every speakable slot has a one-slot inform phrasing: this ends
            if len(remaining) > 1 or slot_pos[next(iter(remaining))] < end:
                choices = self._joins
            elif pieces or (prompt is not None and prompt is not self._request):
                choices = self._lasts
            else:
                choices = self._answers
            said = " ".join([piece[1].text for piece in pieces])
            for informs, unpolite in choices:
                template = self._choose(unpolite if polite else informs, remaining, None, rng, said=said, glum=glum)
                if template is not None:
                    break
            else:
                template = self._choose(self._informs, remaining, None, rng)
            assert template is not None, "every slot has an inform phrasing (TemplateIndex guarantees it)"
            polite = polite or template.polite
            position = min([slot_pos[s] for s in template.slots])
            pieces.append((position, template, None))
            if position > end:
                end = position
            remaining -= template.slots
        pieces.extend((slot_pos[slot], Template(text=f"{{{slot}}}", slots=frozenset((slot,))), None) for slot in flags)
        if len(pieces) > 1:
            pieces.sort(key=_position)
            if len(pieces) > 2 or not pieces[0][1].acts:
                _vary_order(pieces, rng)
        if revised and self._cues:
            self._cue(pieces, revised, prompt, rng)
        return self._render(pieces, acts, values, rng, answer=answer)

    def _takes_phrase(self, template: Template) -> bool:
        """Whether a value's phrasing can follow ``template``: a bare yes ("sure, to Focus"),
        a pick that ends with what it picks ("the first one for two"); not praise ("that
        works, to Focus", "the first one sounds good for two"), to which a phrase would attach."""
        if template.last_kind is Act.SELECT:
            return self._picked.search(template.text) is not None
        return template.last_kind is not Act.AFFIRM or template.text.lower() in YES_NO

    def _cue(self, pieces: list, revised: frozenset, prompt, rng) -> None:
        """Mark the change of a revised value with a cue that fits where it is said:
        after a "no" to a confirmation ("no, make it Tuesday"), after "nothing found" (a
        relaxed value: "okay, make it Monday"), at the head of a turn that asks again
        ("actually, find me a flight for Monday instead"), else before the value ("sorry,
        I meant Boston"). "make that" goes only before a bare value: "make that to Boston"
        is no correction anyone says. A phrasing that corrects of itself gets no second cue."""
        for n, (position, template, item) in enumerate(pieces):
            if not template.slots & revised:
                continue
            if CUE_WORDS.search(template.text):
                return  # "actually, make it {time}"
            bare = template.bare
            after = pieces[n - 1][1].last_kind if n else None
            at = n
            cues: tuple[str, ...]
            if after is Act.DENY:
                if not bare and len(template.slots) == 1 and rng.random() < 0.5:
                    # "no, make it Monday" rather than "no, I meant for Monday"
                    (slot,) = template.slots
                    template, bare = Template(text=f"{{{slot}}}", slots=template.slots), True
                    pieces[n] = (position, template, item)
                cues = _DENIED_BARE if bare else _DENIED
            elif prompt is ResponseAct.NO_RESULTS:
                cues = _RELAXED_BARE if bare else _RELAXED
            elif n and pieces[0][1].kind is Act.INVOKE:
                at, cues = 0, _ASKED_AGAIN
            else:
                cues = _CORRECTIONS + _CORRECTIONS_BARE if bare else _CORRECTIONS
            if at != n and template.literals[-1] == "" and rng.random() < 0.5:
                pieces[n] = (position, attrs.evolve(template, text=template.text + " instead"), item)
            position, template, item = pieces[at]
            if n:  # not "no, sorry, sorry, I meant five"
                before = set(_WORDS.findall(" ".join(piece[1].text.lower() for piece in pieces[:at + 1])))
                cues = tuple(c for c in cues if not before & _CUE_TOKENS & set(_WORDS.findall(c.lower()))) or cues
            if at:  # not "that's not it, it's actually 3", which reads "not it it's" unpunctuated
                last = _WORDS.findall(pieces[at - 1][1].text.lower())[-1:]
                cues = tuple(c for c in cues if _WORDS.findall(c.lower())[:1] != last) or cues
            if template.slots & self._booleans.keys():  # not "make it I don't need wifi"
                cues = _BOOLEAN_CUES
            if not (template.bare or template.continues):  # not "let's try let's do Greek", "I meant ideally ..."
                cues = tuple(c for c in cues if c.endswith(", ")) or cues
            # not "no wait, no, Road Trip"; and no "no" opening a turn, where it would answer the
            # system's question ("no wait, I wanna hear Halo" after "anything else?")
            cues = tuple(c for c in cues if not stacks_declines(c + template.text)
                         and not (at == 0 and _WORDS.findall(c)[:1] == ["no"])) or cues
            cue = cues[int(rng.random() * len(cues))]
            # One cue, not "actually, hmm, oh, ..."; and no greeting after it ("actually, hi,
            # find me a flight"): a correction is no opening.
            text = _MARKERS.sub("", _GREETED.sub("", template.text))
            if not text.startswith(("I ", "I'", "{")):
                text = text[:1].lower() + text[1:]
            pieces[at] = (position, attrs.evolve(template, text=cue + text), item)
            return

    def _choose(self, entries, remaining: set | None, item: int | None, rng, *, said: str = "",
                glum: bool = False, keep: Callable[[Template], bool] | None = None) -> Template | None:
        """A template whose slots all remain to be said (``remaining`` None: one with no
        slots) and that can mean ``item``; mostly among those covering the most slots. One
        that repeats a word family of ``said`` (the turn's pieces so far: "sounds good, the
        second one seems good") or declines again ("I'll pass, I'm all set") is drawn again, a
        few times at most; so is, when ``glum`` (the system just failed or found nothing), one
        that sounds pleased ("awesome, I've got what I need"). ``keep``: a preference, those
        templates it accepts where there are any."""
        # The fitting groups, not one list of them: a phrasebook group holds thousands.
        groups = []
        best = -1
        top = total = 0
        for slots, templates in entries:
            if remaining is None:
                if slots:
                    continue
            elif not slots <= remaining:
                continue
            if item is not None and any(t.select_item is not None and t.select_item != item for t in templates):
                templates = [t for t in templates if t.select_item is None or t.select_item == item]
                if not templates:
                    continue
            if keep is not None:
                templates = [t for t in templates if keep(t)]
                if not templates:
                    continue
            if best < 0:
                best = len(slots)
            if len(slots) == best:
                top += len(templates)
            total += len(templates)
            groups.append(templates)
        if not groups:
            return None if keep is None else self._choose(entries, remaining, item, rng, said=said, glum=glum)
        for _ in range(_REDRAWS):
            template = _drawn(groups, top if top == total or rng.random() < self.prefer_largest else total, rng)
            joined = f"{said} {template.text}"
            if not (said and (repeats_family(joined) or stacks_declines(joined))) and not (
                    glum and _UPBEAT.search(template.text)):
                break
        return template

    def _render(self, pieces, acts, values, rng, *, answer: str | None = None) -> UserTurn:
        out: list[str] = []
        spans: list[Span] = []
        offset = 0
        previous: Template | None = None
        last = len(pieces) - 1
        for n, (_, template, item) in enumerate(pieces):
            if previous is not None:
                glue = _connector(previous, template, n == last)
                out.append(glue)
                offset += len(glue)
            literals = template.literals
            out.append(literals[0])
            offset += len(literals[0])
            for name, literal in zip(template.names, literals[1:]):
                if name == ORDINAL:
                    said = ordinal(item or 0)
                else:
                    try:
                        value = values[name]
                    except KeyError:
                        raise ValueError(f"no value for informed slot {name!r}") from None
                    type_name = self._slot_types[name]
                    if name in self._booleans:  # the words that carry it: a span until the turn is final
                        phrases = (booleans.answers(value) if name == answer
                                   else booleans.customer_phrases(self._booleans[name], value))
                        said = phrases[int(rng.random() * len(phrases))]
                    else:
                        # A value said before the noun it picks by ("the $220 one") in a short form:
                        # not "the two hundred twenty dollars one".
                        short = template.kind is Act.SELECT and literal[:1] == " " and literal[1:2].isalpha()
                        said = self._surface(type_name, value, "".join(out[-3:]), literal, rng, short=short)
                    if not said:
                        raise ValueError(f"empty value for slot {name!r}")
                    before, after = self.catalogue.context(type_name, value, rng, said)  # "the {} area": outside the span
                    out.append(before)
                    offset += len(before)
                    literal = after + literal
                    spans.append(Span(start=offset, end=offset + len(said), slot=name, type=type_name, value=value))
                out.append(said)
                out.append(literal)
                offset += len(said) + len(literal)
            previous = template
        text = "".join(out)
        for span in spans:  # the reader rejects a value run into a word: never write one
            if cuts_a_word(text, span.start) or cuts_a_word(text, span.end):
                raise ValueError(f"{text!r}: the value of {span.slot!r} runs into a word "
                                 f"(a phrasing writes a letter or digit next to {{{span.slot}}})")
        return UserTurn(text=text, acts=tuple(acts), spans=tuple(spans))

    def _surface(self, type_name: str, value: str, before: str, after: str, rng, *, short: bool = False) -> str:
        """A surface form of ``value`` that does not repeat the word next to it: "just
        {passengers}" says "just one", never "just just me"; ``short``: of at most two
        words where the value has as few."""
        said = self.catalogue.surface(type_name, value, rng)
        if _runs_on(before, said, after) or (short and len(said.split()) > max(2, len(value.split()))):
            said = next((form for form in (self.catalogue.surface(type_name, value, rng) for _ in range(3))
                         if not _runs_on(before, form, after)
                         and not (short and len(form.split()) > max(2, len(value.split())))), value)
        return said

    # -- system responses -------------------------------------------------------------------

    def system_text(self, response_name: str, args: Mapping[str, Any], rng: "np.random.Generator", *,
                    context: str = Context.PLAIN, first: bool = True, before: str = "",
                    day_part: str | None = None) -> str:
        """One variant of response ``response_name`` for ``context`` (an echo instead of a
        question, the goodbye after a failure...: ``system_phrases``); ``first``: whether it
        opens the system's turn -- only then may it acknowledge ("Okay, ", "Got it. "), which
        after another response of the turn reads badly; it may end with one of the context's
        closers ("Take your time."), as it may open with an opener. Its placeholders are
        filled from ``args`` (plain values or ``Arg``): strings as they are, entities
        through their type's ``say``, lists as "A, B and C", ``{arg.field}`` as that field.
        ``args`` may also hold what the response is about (``system_phrases.ABOUT``: the
        flight picked, as ``~Flight``; the call's values, as ``~origin``), which some
        wordings name (``system_context``).
        ``before``: what the turn said before it, and ``day_part``: the part of the day the
        customer greeted or left in (``wording.day_part``). A wording that would open with
        the word the last sentence opened with ("Let me look for flights ... Let me run
        through what I found"), say sorry twice, or wish a good evening to a customer who
        said "good morning" is drawn again (``_REDRAWS`` times at most).
        A missing argument is a bug in the caller: ValueError naming the response and
        placeholder."""
        try:
            response, contexts = self._responses[response_name]
        except KeyError:
            raise ValueError(f"unknown response {response_name!r} in scenario {self.scenario.name!r}") from None
        if not first:
            contexts = self._mid_turn[response_name]
        variants = contexts.get(context) or contexts[Context.PLAIN]
        said = ""
        for _ in range(_REDRAWS):
            said = self._one_text(response, variants, args, rng, sorry=apologises(before))
            if not _clashes(said, before, day_part):
                break
        return said

    def _one_text(self, response, variants, args: Mapping[str, Any], rng, *, sorry: bool) -> str:
        """One draw of ``system_text``: a text, perhaps an opener before it and a closer
        after it; the closer only after a statement ("Want to try another city? Take your
        time." leaves the question behind), opening with another word than the sentence
        before it, and sorry only where nothing else in the turn is (``sorry``)."""
        counted, count = variants.counted, 0
        if counted is not None and counted[0] in args:  # "I found three flights: ..."
            listed = args[counted[0]].value if type(args[counted[0]]) is Arg else args[counted[0]]
            count = len(listed) if isinstance(listed, (tuple, list)) else 1
        naming = fitting(variants.contextual, args, count) if variants.contextual else ()
        if naming and rng.random() < CONTEXT_SHARE:  # "I found three flights from Boston to Denver: ..."
            texts = naming
        elif counted is not None and 0 < count <= len(counted[1]) and rng.random() < COUNT_SHARE:
            texts = counted[1][count - 1]
        elif variants.valued and variants.about in args and rng.random() < VALUED_SHARE:
            texts = variants.valued  # "Want me to add Let It Be to a playlist?"
        else:
            texts = (variants.extra if variants.extra and (not variants.own or rng.random() >= variants.own_share)
                     else variants.own)
        chosen = text = texts[int(rng.random() * len(texts))] if len(texts) > 1 else texts[0]
        if variants.openers and rng.random() < variants.opener_rate:
            opener = variants.openers[int(rng.random() * len(variants.openers))]
            # not "Glad you reached out. Glad we got that sorted.", nor "My apologies. Sorry, ..."
            if last_first_word(opener) != first_word(chosen) and not (apologises(opener) and apologises(chosen)):
                text = with_opener(opener, chosen)
        literals, placeholders = self._response_text(text)
        if self._lexicon:  # in other words, as people would say it ("Do you want" / "Would you like")
            literals = vary_literals(literals, rng, skip=len(text) - len(chosen))
        said = self._filled(response, literals, placeholders, args, rng)
        # a sentence after the text's final stop, which the reply reader reads apart ("... Take your time.")
        if variants.closers and said[-1:] in ".!" and rng.random() < variants.closer_rate:
            closer = variants.closers[int(rng.random() * len(variants.closers))]
            if first_word(closer) != last_first_word(said) and not (apologises(closer) and (sorry or apologises(said))):
                said += " " + closer
        return said

    def _filled(self, response, literals, placeholders, args: Mapping[str, Any], rng) -> str:
        """A chosen text's literals with its placeholders filled from ``args`` (``system_text``)."""
        if not placeholders:
            return literals[0]
        varied = rng if self._forms else None
        definite = response.act is not ResponseAct.INFORM  # "I found a Delta flight", "book the Delta flight"
        out = [literals[0]]
        for (arg, field, placeholder), literal in zip(placeholders, literals[1:]):
            try:
                value = args[arg]
            except KeyError:
                raise ValueError(f"response {response.name!r}: no value for placeholder {{{placeholder}}}") from None
            if type(value) is Arg:
                value = value.value
            type_name = placeholder_type(self.scenario, response, arg)
            opening = _OPENING.search(out[-1]) if len(out) == 1 else None
            if field is not None:
                out.append(self._field(value, type_name, field, response.name, placeholder, opening, rng=varied))
            elif arg in self._booleans and type_name == booleans.BOOLEAN:
                out.append(self._boolean(arg, value, opening))
            else:
                said = self._speak(value, type_name, rng=varied, definite=definite,
                                   sentence_end=literal[:1] == "." and literal[1:2] in ("", " ")
                                   and not out[-1].endswith(": "))
                if isinstance(value, (Mapping, tuple, list)) and said[:1].islower() and _STARTS.search(out[-1]):
                    said = said[0].upper() + said[1:]  # "A 9 am Delta flight ..." opening a sentence
                out.append(said)
            if literal[:1] == "." and out[-1].endswith((".", "?", "!")):  # "at 6 p.m.", "Where Do We Go?": no "."
                literal = literal[1:]
            out.append(literal)
        return "".join(out)

    def _response_text(self, text: str) -> tuple:
        """A response text parsed: literals and (arg, field | None, placeholder)."""
        parsed = self._response_texts.get(text)
        if parsed is None:
            literals, names = parse(text)
            placeholders = tuple((arg, field or None, placeholder) for placeholder in names
                                 for arg, _, field in [placeholder.partition(".")])
            parsed = self._response_texts[text] = (literals, placeholders)
        return parsed

    def _boolean(self, slot: str, value, opening: "re.Match | None" = None) -> str:
        """A boolean in words: "with outdoor seating", or opening a sentence "It has outdoor
        seating" ("Okay, it has ..." after an opener; ``dialogsim.booleans``); never "true"."""
        said = self._booleans[slot]
        if isinstance(value, (tuple, list)):
            return spoken_list([booleans.inline(said, v) for v in value])
        if opening is None:
            return booleans.inline(said, value)
        clause = booleans.clause(said, value)
        return clause[0].lower() + clause[1:] if opening.group().endswith(", ") else clause

    def _field(self, value, type_name, field, response_name, placeholder, opening=None, *, rng=None) -> str:
        if isinstance(value, Mapping):
            if field not in value:
                raise ValueError(f"response {response_name!r}: {{{placeholder}}}: the value has no field {field!r}")
            field_type = self._field_types.get(type_name, {}).get(field)
            if field_type == booleans.BOOLEAN and field in self._booleans:
                return self._boolean(field, value[field], opening)
            return self._speak(value[field], field_type)
        if isinstance(value, (tuple, list)):
            said = [self._field(v, type_name, field, response_name, placeholder) for v in value]
            return join(said, rng, sentence_end=False) if rng is not None else spoken_list(said)
        raise ValueError(f"response {response_name!r}: {{{placeholder}}} needs an entity, got {value!r}")

    def _speak(self, value, type_name: str | None, *, rng=None, definite: bool = True,
               sentence_end: bool = False, form: int | None = None, inside: bool = False) -> str:
        """A value as words: an entity through ``say`` (or its field values), a list as
        "A, B and C". Given ``rng``, entities and lists in one of their forms
        (``system_values``): ``definite``, "the Delta flight", else "a Delta flight";
        ``sentence_end``: the list ends a sentence ("A. You could also try B" may say it).
        The items of a list share one form (``form``: its index). A date or a time may be
        written another way, except ``inside`` an entity."""
        if isinstance(value, str):
            forms = self._written.get(type_name) if rng is not None and not inside else None
            if forms and value in forms and rng.random() >= OWN_FORM_SHARE:
                return forms[value][int(rng.random() * len(forms[value]))]
            return value
        if isinstance(value, Mapping):
            field_types = self._field_types.get(type_name, {})
            say = self._say.get(type_name)
            if say is None:
                order = field_types or value
                return " ".join(self._said_field(value, f, field_types.get(f)) for f in order if f in value)
            if rng is not None and type_name in self._forms:
                say = self._forms[type_name][self._form(type_name, rng, definite) if form is None else form]
            literals, names = say
            out = [literals[0]]
            for name, literal in zip(names, literals[1:]):
                if name == ARTICLE[1:-1]:
                    out.append(ARTICLE)
                elif name not in value:
                    raise ValueError(f"a {type_name} entity has no field {name!r}: {dict(value)!r}")
                else:
                    out.append(self._said_field(value, name, field_types.get(name), rng))
                out.append(literal)
            said = "".join(out)
            if ARTICLE in said:
                at = said.index(ARTICLE)
                said = said[:at] + article(said[at + len(ARTICLE):].lstrip(), definite) + said[at + len(ARTICLE):]
            return said
        if isinstance(value, (tuple, list)):
            if rng is None:
                return spoken_list([self._speak(v, type_name) for v in value])
            form = self._form(type_name, rng, definite) if type_name in self._forms and len(value) > 1 else None
            items = [self._speak(v, type_name, rng=rng, definite=definite, form=form) for v in value]
            commas = form is not None and ", " in "".join(self._forms[type_name][form][0])
            return join(items, rng, sentence_end=sentence_end, commas=commas)
        return str(value)

    def _form(self, type_name, rng, definite: bool = False) -> int:
        """Which form of an entity type to say: the scenario's own (0) ``OWN_FORM_SHARE`` of
        the time; a known item never in the comma form ("book Delta, 9 am, $89 for 2")."""
        forms = self._forms[type_name]
        k = 0 if len(forms) == 1 or rng.random() < OWN_FORM_SHARE else 1 + int(rng.random() * (len(forms) - 1))
        return 0 if definite and ", " in "".join(forms[k][0]) else k

    def _said_field(self, entity: Mapping, field: str, field_type: str | None, rng=None) -> str:
        if field_type == booleans.BOOLEAN and field in self._booleans:
            return self._boolean(field, entity[field])
        return self._speak(entity[field], field_type, rng=rng, inside=True)


def _clashes(said: str, before: str, day_part: str | None) -> bool:
    """Whether a system text reads badly where it is said: two sentences in a row opening
    with one word (in it, or its first after the turn's last), a sentence the turn says
    twice, saying sorry again, or naming another part of the day than the customer's."""
    if stutters(f"{last_sentence(before)} {said}") or (apologises(said) and apologises(before)):
        return True
    said_all = [" ".join(s.lower().strip(".!?").split()) for s in sentences(f"{before} {said}")]
    if len(set(said_all)) < len(said_all):  # "All sorted! Your code is LW8936. All sorted."
        return True
    named = wording.day_part(said)
    return day_part is not None and named is not None and named != day_part


def _drawn(groups: list, among: int, rng) -> Template:
    """One of the first ``among`` templates of ``groups``, uniformly."""
    k = int(rng.random() * among)
    for templates in groups:
        if k < len(templates):
            return templates[k]
        k -= len(templates)
    raise AssertionError("unreachable: k < total")


def _runs_on(before: str, said: str, after: str) -> bool:
    """Whether a value said between two literals repeats the word next to it ("just just
    me", "me me"): a value's surface form can start with a frame's own word."""
    first, last = _WORDS.findall(said.lower())[:1], _WORDS.findall(said.lower())[-1:]
    return bool(first) and (first == _WORDS.findall(before.lower())[-1:] or last == _WORDS.findall(after.lower())[:1])


def _keep(entries, keep) -> tuple:
    """``(slots, templates)`` entries with only the templates ``keep`` accepts."""
    return tuple((slots, kept) for slots, templates in entries if (kept := tuple(t for t in templates if keep(t))))


def _with_unpolite(*choices) -> tuple:
    """Each entries tuple paired with itself less the phrasings that say "please"."""
    return tuple((entries, _keep(entries, lambda t: not t.polite)) for entries in choices)


def _before_value(acts: Sequence[UserAct], k: int) -> bool:
    """Whether act ``k`` is said right before a value (the next act informs)."""
    return k + 1 < len(acts) and acts[k + 1].act is Act.INFORM


def _select_item(run) -> int | None:
    for _, act in run:
        if act.act is Act.SELECT:
            return act.item or 0
    return None


def _vary_order(pieces: list, rng) -> None:
    """Say a run of two or more value phrasings in another order half the time ("a flight
    for Monday from Boston to Denver" as well as "from Boston to Denver for Monday"): the
    acts keep their order, the spans follow the text. Only phrasings that can stand
    anywhere move (not "{cuisine}, please", which ends a turn, nor a bare value)."""
    start = 0
    while start < len(pieces):
        end = start
        while end < len(pieces) and _movable(pieces[end][1]):
            end += 1
        if end - start > 1 and rng.random() < 0.5:
            run = pieces[start:end]
            order = rng.permutation(len(run))
            pieces[start:end] = [run[k] for k in order]
        start = end + 1


def _movable(template: Template) -> bool:
    return not template.acts and not template.closing and not template.bare and template.continues


def _position(piece) -> int:
    return piece[0]
