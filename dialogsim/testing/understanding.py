"""How the simulated customer understands a bot's reply.

A reply with structured ``actions`` is taken as it is, once its names are checked against
the scenario. A reply with only text is read against the scenario's response templates, in
every wording the system phrasebook gives them (``ReplyReader``): each text variant becomes a pattern whose ``{placeholders}`` capture
any words, and the reply is split into the sequence of responses that explains it with
the most template words -- "I found Delta at 9 am for $120. Want me to book it?" is
``inform_SearchFlight`` then ``offer_BookFlight``. The phrasebook's openers ("Let me
check. ") and closers ("Take your time.") are read apart, at a piece's start and end, and
a template's words in any of the system lexicon's other words ("Do you want" for "Would
you like"). A captured value of a catalogue type is read back to its canonical value
through the catalogue's synonyms ("NYC" -> New York).
The customer answers the last response, as it answers the simulated system.

The customer also needs to know which APIs ran: it moves on once a result is announced.
The calls the bot reports (``BotReply.reported_calls``) are used as they are, with the
status its words give ("nothing matched" after a reported call makes it empty); where a
text-only bot announces a result of a call it did not report, the customer hears an
unreported call (``ApiCall`` with no arguments). The oracles read only the reported calls.
A reply that cannot be understood raises ``NotUnderstood``: the driver's finding.
"""

from __future__ import annotations

import functools
import heapq
import operator
import re
from typing import Any

import attrs

from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import ApiCall, ApiStatus, Arg, Response, SystemTurn
from dialogsim.errors import DialogsimError
from dialogsim.paraphrase import system_lexicon as lexicon
from dialogsim.paraphrase.system_context import placeholder_type
from dialogsim.paraphrase.system_phrases import said_texts
from dialogsim.paraphrase.system_values import ARTICLE, LIST_JOINS, entity_forms
from dialogsim.paraphrase.templates import parse
from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario
from dialogsim.testing.protocol import BotReply
from dialogsim.wording import ABOUT

__all__ = ["NotUnderstood", "ReplyReader"]

_ARTICLE = r"(?:an?|the)"  # system_values.ARTICLE: said "a", "an" or "the"
_SENTENCE_END = re.compile(r"[.?!](?=\s|$)")
_CACHE = 4096  # distinct reply texts remembered per reader
_STATUS = {ResponseAct.NO_RESULTS: ApiStatus.EMPTY, ResponseAct.FAILURE: ApiStatus.FAILURE,
           ResponseAct.INFORM: ApiStatus.OK}


class NotUnderstood(DialogsimError, ValueError):
    """The customer could not make sense of a bot's reply."""


@attrs.frozen(slots=False)
class _Variant:
    """One text variant of a response, as a pattern over a stretch of reply text."""

    response: ResponseTemplate
    source: str  # the pattern, compiled when a reply first needs it (tens of thousands of variants)
    placeholders: tuple[tuple[str, str | None], ...]  # (argument, field or None), in order
    index: int  # its place among the reader's variants: the first of equal scores wins

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        return re.compile(self.source, re.IGNORECASE | re.DOTALL)


_index = operator.attrgetter("index")


def _explained(m: re.Match) -> int:
    """How much of a reply a variant's match explains: the characters its words matched,
    outside its values. Counted on the reply, not the template: a variant said in the
    lexicon's other words ("Shall I" for "Would you like me to") explains what was said."""
    return len(m.group(0)) - sum(m.end(g) - m.start(g) for g, said in m.groupdict().items() if said is not None)


_JOINS = "(?:" + "|".join(sorted({lexicon.spaced(j) for between, last, _ in LIST_JOINS
                                  for j in (between, last)},
                                 key=len, reverse=True)) + ")"


def _head(text: str, *, complete: bool) -> tuple[str, ...]:
    """The first two words of ``text`` (fewer where it has fewer whole ones), lower case,
    without the stop or comma after each; ``complete``: the text's last word is whole (not
    followed by a value that may run on from it)."""
    words = text.split()
    if not complete and not text[-1:].isspace():
        words = words[:-1]  # "Okay, {x}": "Okay," is whole; "${price}": "$" is not
    return tuple(w.rstrip(".?!,:;").lower() for w in words[:2])


class ReplyReader:
    """Reads text replies of one scenario's bot back into its responses (module docstring)."""

    def __init__(self, scenario: Scenario, catalogue: Catalogue | None = None) -> None:
        self.scenario = scenario
        self.catalogue = catalogue if catalogue is not None else Catalogue(scenario)
        self._variants: list[_Variant] = []
        # The variants a stretch of reply may be, by its first word: those whose text opens
        # with that word, and those that open with a value (any word), in the reader's order.
        by_head: dict[tuple[str, ...], list[_Variant]] = {}
        headless: list[_Variant] = []
        self._shaped = frozenset(n for n, t in scenario.types.items() if t.is_entity and t.say is not None)
        openings: set[str] = set()
        # A variant may follow an opener of its response ("So, ", "Let me check. ") and be
        # followed by a closer ("Take your time."): read apart, not as every opener and closer
        # around every text (ten times the variants).
        opened: dict[str, set[str]] = {}
        closed: dict[str, set[str]] = {}
        for response in scenario.responses.values():
            texts, openers, closers = said_texts(scenario, response)  # the system phrasebook's wordings too
            for opener in openers:
                opened.setdefault(" ".join(opener.split()).lower(), set()).add(response.name)
            for closer in closers:
                closed.setdefault(" ".join(closer.split()).lower(), set()).add(response.name)
            for text in texts:
                literals, names = parse(text.strip())
                body = []
                for k, literal in enumerate(literals):  # in any words the system's lexicon may say it with
                    if k == len(literals) - 1 and literal[-1:] in ".?!":
                        body.append(lexicon.pattern(literal[:-1]) + r"[.?!]?")  # the final stop may be missing
                    elif literal:
                        body.append(lexicon.pattern(literal))
                    if k < len(names):
                        arg, _, field = names[k].partition(".")
                        body.append(f"(?P<p{k}>{self._pattern(self._type(response, arg, field or None))})")
                placeholders = tuple((n.partition(".")[0], n.partition(".")[2] or None) for n in names)
                variant = _Variant(response, "".join(body), placeholders, len(self._variants))
                self._variants.append(variant)
                for opening in lexicon.openings(literals[0]):
                    head = _head(opening, complete=len(literals) == 1)
                    shelf = by_head.setdefault(head, []) if head else headless
                    if not shelf or shelf[-1] is not variant:
                        shelf.append(variant)
                    if opening.strip():
                        openings.add(" ".join(opening.split()[:2]))  # its first two words: where it may start
        # Where a response may begin inside a reply: after a sentence, or where some variant's
        # opening words stand (a variant that does not end a sentence is followed by another).
        self._openings = re.compile(r"(?<!\S)(?:" + "|".join(sorted(map(lexicon.spaced, openings), key=len, reverse=True)) + ")",
                                    re.IGNORECASE) if openings else None
        # by their first word (openers) and last word (closers): a piece is checked against few
        self._openers: dict[str, list[tuple[str, frozenset]]] = {}
        for o, by in sorted(opened.items(), key=lambda p: -len(p[0])):
            self._openers.setdefault(o.split(" ", 1)[0], []).append((o, frozenset(by)))
        self._closers: dict[str, list[tuple[str, frozenset]]] = {}
        for c, by in sorted(closed.items(), key=lambda p: -len(p[0])):
            self._closers.setdefault(c.rsplit(" ", 1)[-1], []).append((c, frozenset(by)))
        self._parsed: dict[str, tuple[Response, ...] | None] = {}
        self._by_head, self._headless = by_head, headless
        self._candidates: dict[tuple[str, ...], list[_Variant]] = {}  # ``_tried``'s merged lists, by head

    def _pattern(self, type_name: str | None, depth: int = 0) -> str:
        """What a value of the type looks like: any words for a catalogue value; for an
        entity, its ``say`` template (or its fields joined by spaces) around such words, and
        a list of them as "A, B and C" -- so the words of a response's own template are not
        swallowed by a placeholder."""
        entity = self.scenario.types.get(type_name or "")
        if entity is None or not entity.is_entity or depth > 3:
            return ".+?"
        if entity.say is not None:
            forms = []
            for form in entity_forms(self.scenario, type_name or ""):  # the system's other forms too
                literals, names = parse(form)
                parts = [lexicon.spaced(literals[0]) if literals[0] else ""]
                for name, literal in zip(names, literals[1:]):
                    parts.append(_ARTICLE if name == ARTICLE[1:-1] else self._pattern(entity.fields.get(name), depth + 1))
                    parts.append(lexicon.spaced(literal) if literal else "")
                forms.append("".join(parts))
            one = "|".join(forms)
        else:
            one = r"\s+".join(self._pattern(t, depth + 1) for t in entity.fields.values())
        # A list in any of the system's joins ("A, B and C", "A; B; and C", "A. You could also try B").
        return f"(?:{one})(?:{_JOINS}(?:{one}))*" if depth == 0 else one

    # -- text -----------------------------------------------------------------------------
    def responses(self, text: str) -> tuple[Response, ...] | None:
        """The responses that explain ``text`` best, or None when none does."""
        text = " ".join(text.split())
        if text in self._parsed:
            return self._parsed[text]
        if len(self._parsed) >= _CACHE:
            self._parsed.clear()
        found = self._parse(text) if text else None
        self._parsed[text] = found
        return found

    def _parse(self, text: str) -> tuple[Response, ...] | None:
        cuts = {0, len(text)} | {m.end() + 1 for m in _SENTENCE_END.finditer(text) if m.end() < len(text)}
        if self._openings is not None:
            cuts |= {m.start() for m in self._openings.finditer(text)}
        points = sorted(cuts)
        # best[i]: (words explained, -pieces, pieces) for text[points[i]:], by dynamic programming
        best: dict[int, tuple[int, int, list]] = {len(points) - 1: (0, 0, [])}
        for i in range(len(points) - 2, -1, -1):
            for j in range(i + 1, len(points)):
                if j not in best:
                    continue
                piece = text[points[i]:points[j]].strip()
                # opened / closed: the opener's and closer's characters, as a match explains them
                for opened, names, body in self._opened(piece):
                    for closed, closing, said in self._closed(body):
                        for variant in self._tried(_head(said, complete=True)):
                            name = variant.response.name
                            if (names is not None and name not in names) or (closing is not None and name not in closing):
                                continue
                            m = variant.pattern.fullmatch(said)
                            if m is None:
                                continue
                            weight, count, rest = best[j]
                            score = (weight + opened + closed + _explained(m) + self._recognised(variant, m), count - 1,
                                     [(variant, m, piece)] + rest)
                            if i not in best or score[:2] > best[i][:2]:
                                best[i] = score
        if 0 not in best:
            return None
        return tuple(self._response(variant, m, piece) for variant, m, piece in best[0][2])

    def _opened(self, piece: str) -> list[tuple[int, frozenset | None, str]]:
        """``piece`` as it is, and after each opener it opens with: (the opener's characters,
        as a match explains them, the responses it may open or None for any, the rest)."""
        out: list[tuple[int, frozenset | None, str]] = [(0, None, piece)]
        low = piece.lower()
        for opener, names in self._openers.get(low.split(" ", 1)[0], ()):
            if low.startswith(opener) and len(piece) > len(opener) and piece[len(opener)] == " ":
                out.append((len(opener) + 1, names, piece[len(opener) + 1:]))
        return out

    def _closed(self, piece: str) -> list[tuple[int, frozenset | None, str]]:
        """``piece`` as it is, and before each closer it ends with ("... Take your time."), as
        ``_opened``: (the closer's characters, the responses it may close, the rest)."""
        out: list[tuple[int, frozenset | None, str]] = [(0, None, piece)]
        low = piece.lower()
        for closer, names in self._closers.get(low.rsplit(" ", 1)[-1], ()):
            at = len(piece) - len(closer)
            if at > 1 and low.endswith(closer) and piece[at - 1] == " ":
                out.append((len(closer) + 1, names, piece[:at - 1]))
        return out

    def _tried(self, head: tuple[str, ...]) -> list[_Variant]:
        """The variants a stretch of reply opening with ``head`` may be, in the reader's
        order: those indexed by its two words (with those by its first word alone: "Okay,"
        and "Okay, where") or else its first word, and those that open with a value;
        merged when a head is first read."""
        key = head if head in self._by_head else head[:1] if head[:1] in self._by_head else ()
        found = self._candidates.get(key)
        if found is None:
            lists = [self._by_head.get(key, []), self._headless]
            if len(key) == 2:
                lists.append(self._by_head.get(key[:1], []))
            found = self._candidates[key] = list(heapq.merge(*lists, key=_index))
        return found

    def _recognised(self, variant: _Variant, m: re.Match) -> int:
        """Characters of captured values that are values of the placeholder's type: what
        tells "It's {flights.departure_time}." from "It's {flights.airline}." apart."""
        total = 0
        for k, (arg, field) in enumerate(variant.placeholders):
            type_name = self._type(variant.response, arg, field)
            surface = m.group(f"p{k}")
            if type_name and self.catalogue.canonical(type_name, surface) is not None:
                total += len(surface)
            elif type_name in self._shaped:
                total += 1  # an entity said in its shape: "Okay, playing {track}", not "Okay, playing {song}"
        return total

    def _type(self, response: ResponseTemplate, arg: str, field: str | None) -> str | None:
        """The type of placeholder ``{arg}`` / ``{arg.field}`` of ``response``."""
        type_name = placeholder_type(self.scenario, response, arg)  # "{~Flight}": a Flight; "{~origin}": a City
        if field is None or type_name is None:
            return type_name
        entity = self.scenario.types.get(type_name)
        return entity.fields.get(field) if entity is not None else None

    def _response(self, variant: _Variant, m: re.Match, text: str) -> Response:
        response = variant.response
        args: dict[str, Any] = {}
        for k, (arg, field) in enumerate(variant.placeholders):
            if arg[:1] == ABOUT:  # what the response is about: said, not one of its arguments
                continue
            value = self._canonical(self._type(response, arg, field), m.group(f"p{k}"))
            if field is None:
                args.setdefault(arg, value)
            elif isinstance(entry := args.setdefault(arg, {}), dict):
                entry[field] = value
        return Response(name=response.name, text=text, args={k: Arg(value=v) for k, v in args.items()})

    def _canonical(self, type_name: str | None, surface: str) -> str:
        canonical = self.catalogue.canonical(type_name, surface) if type_name else None
        return canonical if canonical is not None else surface

    # -- replies --------------------------------------------------------------------------
    def read(self, reply: BotReply) -> SystemTurn:
        """The system turn the customer hears in ``reply`` (module docstring)."""
        if reply.actions is not None:
            actions = list(reply.actions)
            for action in actions:
                known = self.scenario.apis if isinstance(action, ApiCall) else self.scenario.responses
                if action.name not in known:
                    kind = "API" if isinstance(action, ApiCall) else "response"
                    raise NotUnderstood(f"the reply names an unknown {kind} {action.name!r}")
        else:
            responses = self.responses(reply.text)
            if responses is None:
                raise NotUnderstood(f"no response template of {self.scenario.name!r} explains {reply.text!r}")
            actions = self._with_calls(list(reply.api_calls or ()), responses)
        if not actions or not isinstance(actions[-1], Response):
            raise NotUnderstood("the reply does not end with a response the customer can answer")
        return SystemTurn(actions=actions)

    def _with_calls(self, calls: list[ApiCall], responses: tuple[Response, ...]) -> list:
        """The reported calls, each with the status the words give, then the responses;
        an unreported call before each result announced of an API not called here."""
        actions: list = []
        for response in responses:
            template = self.scenario.responses[response.name]
            status = _STATUS.get(template.act)
            api = template.api
            if status is not None and api is not None and template.slot is None:
                mine = [k for k, c in enumerate(calls) if c.name == api]
                if mine:
                    k = mine[-1]
                    if calls[k].status is ApiStatus.OK and status is not ApiStatus.OK:
                        calls[k] = attrs.evolve(calls[k], status=status, result={})
                else:
                    actions.append(ApiCall(name=api, status=status))
            actions.append(response)
        return calls + actions
