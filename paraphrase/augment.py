"""Span-preserving augmenters: noise and variation on user turns, slot values untouched.

An ``Augmenter`` maps ``(text, spans, rng)`` to a new ``(text, spans)``. The rule-based ones
edit a ``TokenView``: the text cut into whitespace-separated words, each span one opaque
token that no edit may touch, so a slot value cannot be corrupted and every span's offsets
are recomputed when the view is joined again. ``VariationPipeline`` (pipeline.py) runs the
augmenters a ``VariationConfig`` switches on, in the fixed order ``config.AUGMENTERS``, each
with its probability, over a ``UserTurn``.

Cheap rule-based augmenters (here): ``KeyboardTypos``, ``WordDrop``, ``WordSwap``,
``Fillers``, ``AsrStyle``, ``CarrierPhrases``. WordNet synonyms are in ``wordnet``; the
masked-LM and text-to-text ones in ``neural``, which imports torch only when one is built.

Why not nlpaug's augmenters: they draw from the global ``random`` module (a corpus could not
be reproduced from a per-dialogue Generator), know nothing of spans, import pandas (about a
second) and cost about 20 µs a call; these cost a few µs and take the dialogue's Generator.
"""

from __future__ import annotations

import re
from typing import ClassVar, Protocol, Sequence

import numpy as np

from dialogsim.corpus import _cuts_a_word as cuts_a_word  # the reader's own span check
from dialogsim.dialogue import Span
from dialogsim.draws import pick, sample
from dialogsim.errors import DialogsimError
from dialogsim.paraphrase.phrasebook import GREETING, repeats_family, stacks_fillers
from dialogsim.spoken import _STRIP, spoken_word

__all__ = [
    "Augmenter",
    "AugmenterUnavailable",
    "VariationError",
    "VariationWarning",
    "TokenView",
    "ViewAugmenter",
    "KeyboardTypos",
    "WordDrop",
    "WordSwap",
    "Fillers",
    "AsrStyle",
    "CarrierPhrases",
]


class VariationError(DialogsimError, ValueError):
    """A variation setting that cannot work: a model path that is not a model directory,
    or a model-based augmenter without torch and transformers installed."""


class AugmenterUnavailable(DialogsimError, RuntimeError):
    """An optional augmenter cannot run here (its data is missing); the pipeline skips it
    with this message as a ``VariationWarning``."""


class VariationWarning(UserWarning):
    """An augmenter the configuration asks for is skipped (the message says why and how to fix it)."""


class Augmenter(Protocol):
    """Rewrites one user turn's text; ``spans`` come back in the same order with the same
    slot, type and value, each ``text[start:end]`` still the span's original surface."""

    @property
    def name(self) -> str:
        """The augmenter's name in ``VariationConfig`` and in a turn's ``augmented``."""

    def __call__(self, text: str, spans: tuple[Span, ...], rng: np.random.Generator) -> tuple[str, tuple[Span, ...]]:
        ...


# --------------------------------------------------------------------------- token view

_WORD = re.compile(r"(\s*)(\S+)")
_PLAIN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a word of letters, maybe with an apostrophe
_SPACE = " "


def _split(text: str, pos: int, end: int, carry: str, tokens: list, gaps: list, slots: list) -> str:
    """Append the words of ``text[pos:end]``; return the whitespace left after the last one."""
    last = pos
    for m in _WORD.finditer(text, pos, end):
        gaps.append(carry + m.group(1))
        tokens.append(m.group(2))
        slots.append(-1)
        carry = ""
        last = m.end()
    return carry + text[last:end]


class TokenView:
    """A turn as tokens: whitespace-separated words and spans, each span one token.

    ``tokens[i]`` is preceded by the whitespace ``gaps[i]``; ``slots[i]`` is the index of the
    span the token is (into the original ``spans``) or -1 for a word; ``tail`` is the
    whitespace after the last token. Joining the unedited view gives back the text exactly.
    Edits go through the methods, which refuse to touch a span token.
    """

    __slots__ = ("tokens", "gaps", "slots", "tail", "spans")

    def __init__(self, text: str, spans: Sequence[Span]) -> None:
        tokens: list[str] = []
        gaps: list[str] = []
        slots: list[int] = []
        order: Sequence[int] = range(len(spans))
        if any(spans[k].start > spans[k + 1].start for k in range(len(spans) - 1)):
            order = sorted(order, key=lambda k: spans[k].start)
        pos, carry = 0, ""
        for k in order:
            span = spans[k]
            if span.start < pos:
                raise ValueError(f"span {k} [{span.start}, {span.end}) overlaps the span before it")
            if span.end > len(text):
                raise ValueError(f"span {k} [{span.start}, {span.end}) ends past the text ({len(text)} characters)")
            gaps.append(_split(text, pos, span.start, carry, tokens, gaps, slots))
            tokens.append(text[span.start:span.end])
            slots.append(k)
            pos, carry = span.end, ""
        self.tail = _split(text, pos, len(text), carry, tokens, gaps, slots)
        self.tokens, self.gaps, self.slots, self.spans = tokens, gaps, slots, tuple(spans)

    def words(self) -> list[int]:
        """Indices of the word (non-span) tokens."""
        return [i for i, k in enumerate(self.slots) if k < 0]

    def plain_words(self) -> list[int]:
        """Indices of word tokens made of letters only (no digits, no punctuation)."""
        return [i for i, k in enumerate(self.slots) if k < 0 and _PLAIN.fullmatch(self.tokens[i])]

    def is_word(self, i: int) -> bool:
        return self.slots[i] < 0

    def _word(self, i: int) -> None:
        if self.slots[i] >= 0:
            raise ValueError(f"token {i} is span {self.slots[i]}: augmenters must not edit slot values")

    def replace(self, i: int, token: str) -> None:
        """Replace word ``i`` (an empty ``token`` removes it)."""
        self._word(i)
        if token:
            self.tokens[i] = token
        else:
            self.remove(i)

    def remove(self, i: int) -> None:
        """Remove word ``i``; its neighbours keep one separating gap (a space if they had none)."""
        self._word(i)
        before = self.gaps[i]
        del self.tokens[i], self.gaps[i], self.slots[i]
        if i == 0:
            if self.tokens:
                self.gaps[0] = before  # keep the leading whitespace, drop the separator
        elif i < len(self.tokens):
            self.gaps[i] = self.gaps[i] or before or _SPACE

    def insert(self, i: int, token: str, *, gap: str = _SPACE, next_gap: str | None = None) -> None:
        """Insert word ``token`` before token ``i`` (``len(tokens)``: at the end) after the
        whitespace ``gap`` (at the start: the text's leading whitespace); ``next_gap``
        overrides the gap before the token that follows (default: a space if it had none)."""
        if i == 0:
            gap = self.gaps[0] if self.tokens else ""
            if self.tokens:
                self.gaps[0] = _SPACE if next_gap is None else next_gap
        elif i < len(self.tokens):
            self.gaps[i] = (self.gaps[i] or _SPACE) if next_gap is None else next_gap
        self.tokens.insert(i, token)
        self.gaps.insert(i, gap)
        self.slots.insert(i, -1)

    def swap(self, i: int, j: int) -> None:
        """Exchange words ``i`` and ``j``; the whitespace stays where it was."""
        self._word(i)
        self._word(j)
        self.tokens[i], self.tokens[j] = self.tokens[j], self.tokens[i]

    def text(self, replace: dict[int, str] | None = None) -> str:
        """The joined text, with the tokens in ``replace`` swapped for other strings."""
        tokens = self.tokens
        if replace:
            tokens = [replace.get(i, t) for i, t in enumerate(tokens)]
        return "".join([g + t for g, t in zip(self.gaps, tokens)]) + self.tail

    def join(self) -> tuple[str, tuple[Span, ...]]:
        """The text and the spans (original order) with offsets recomputed from the tokens."""
        parts: list[str] = []
        new = list(self.spans)
        pos = 0
        for gap, token, k in zip(self.gaps, self.tokens, self.slots):
            pos += len(gap)
            if k >= 0:
                span = new[k]
                if span.start != pos:
                    new[k] = Span(start=pos, end=pos + len(token), slot=span.slot, type=span.type, value=span.value)
            pos += len(token)
            parts.append(gap)
            parts.append(token)
        parts.append(self.tail)
        return "".join(parts), tuple(new)


# A word said twice in a row ("for for", "actually, actually"); a restart marked with a
# hyphen ("I- I want") is a disfluency on purpose and does not count.
_DOUBLED = re.compile(r"\b(\w+)[\s,.;:!?]+\1\b", re.IGNORECASE)


_RUN_ON = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)  # twice with nothing but a space between


def _doubled(text: str) -> set[tuple[str, bool]]:
    """The words ``text`` says twice in a row, in lower case, each with whether only
    whitespace parts the two ("for for"; "not it, it's" is spoken, "not it it's" is not)."""
    return ({(m.group(1).lower(), False) for m in _DOUBLED.finditer(text)}
            | {(m.group(1).lower(), True) for m in _RUN_ON.finditer(text)})


_TRIES = 3  # edits an augmenter draws for a turn before it leaves the turn as it was


class ViewAugmenter:
    """Base of the augmenters that edit a ``TokenView``: ``edit`` returns whether it changed
    anything; a view left without a token is discarded (a turn never becomes empty), and so
    is an edit that leaves a doubled word the turn did not have (a swap or a drop can bring
    two equal words together, a filler can repeat its neighbour) or a filler next to another
    filler or a hedge ("so, um, erm, I want": ``stacks_fillers``), which is drawn again."""

    name: ClassVar[str]
    doubles: ClassVar[frozenset[str]] = frozenset()  # words an edit may bring together twice

    def __call__(self, text: str, spans: tuple[Span, ...], rng: np.random.Generator) -> tuple[str, tuple[Span, ...]]:
        for _ in range(_TRIES):  # a discarded edit is tried again: "ooh" -> "oh" next to "oh"
            view = TokenView(text, spans)
            if not self.edit(view, rng) or not view.tokens:
                return text, spans
            new_text, new_spans = view.join()
            if any(word not in self.doubles for word, _ in _doubled(new_text) - _doubled(text)):
                continue
            if stacks_fillers(new_text) and not stacks_fillers(text):
                continue  # "um, erm, I want", "er, probably 7": one filler where a person says one
            if any(cuts_a_word(new_text, s.start) or cuts_a_word(new_text, s.end) for s in new_spans):
                continue  # a value run into a word ("Los Angelesfind"): the reader rejects the line
            return new_text, new_spans
        return text, spans

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# --------------------------------------------------------------------------- shared edits


def _count(n: int, fraction: float) -> int:
    """How many of ``n`` candidates to edit: ``fraction`` of them, at least one."""
    return min(n, max(1, int(n * fraction + 0.5)))


def _match_case(word: str, like: str) -> str:
    """``word`` capitalised the way ``like`` is (all caps, capitalised or as is)."""
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_I_WORDS = frozenset({"I", "I'm", "I'd", "I'll", "I've", "I’m", "I’d", "I’ll", "I’ve"})


def _decapitalise(view: TokenView, i: int) -> None:
    """Lower-case a sentence-initial word that is no longer first ("Find" -> "could you find")."""
    if i < len(view.tokens) and view.is_word(i):
        token = view.tokens[i]
        if token not in _I_WORDS and token[:1].isupper() and token[1:].islower():
            view.replace(i, token[:1].lower() + token[1:])


#: Words whose loss or change would change what a turn means or which act it is (negation,
#: yes/no, question words and what they ask, ordinals and anaphora that select an item, the
#: prepositions that tell an origin from a destination, thanks and goodbyes): no augmenter
#: drops, swaps, substitutes or misspells them.
PROTECTED = frozenset("""
no not nope nah never nothing none nor yes yeah yep yup sure okay ok alright uh-huh mm-hmm absolutely definitely
certainly exactly don't dont doesn't didn't
isn't aren't wasn't won't can't cannot shouldn't wouldn't any anything whatever either neither
first second third fourth fifth sixth seventh eighth ninth tenth last next previous one two three it that this
these those them
other another cancel instead thanks thank bye goodbye all
how much many what when where which who whom whose why
to from for on at in before after until between without with
actually meant mean wrong right correct change make
""".split())


def _bare(token: str) -> str:
    """A token as ``PROTECTED`` lists it: lower case, without the punctuation around it."""
    return token.lower().strip(_STRIP)


def _unprotected(view: TokenView, indices: list[int]) -> list[int]:
    return [i for i in indices if _bare(view.tokens[i]) not in PROTECTED]


# --------------------------------------------------------------------------- keyboard typos

_NEIGHBOURS = {
    "q": "wa", "w": "qeas", "e": "wrsd", "r": "etdf", "t": "ryfg", "y": "tugh", "u": "yihj",
    "i": "uojk", "o": "ipkl", "p": "ol", "a": "qwsz", "s": "weadzx", "d": "erfsxc", "f": "rtdgcv",
    "g": "tyfhvb", "h": "yugjbn", "j": "uihknm", "k": "iojlm", "l": "opk", "z": "asx", "x": "sdzc",
    "c": "dfxv", "v": "fgcb", "b": "ghvn", "n": "hjbm", "m": "jkn",
}  # QWERTY keys that touch each key


def _letters(token: str) -> list[int]:
    return [j for j, c in enumerate(token) if c.lower() in _NEIGHBOURS]


#: Misspellings people make of words a customer types to an assistant (after the lists of
#: common English misspellings): a word listed here is misspelt this way rather than slipped.
COMMON_MISSPELLINGS = {
    "tomorrow": ("tommorow", "tomorow", "tommorrow", "tmrw"), "tonight": ("tonite", "tonigth"),
    "please": ("pls", "plz", "pleas", "plase"), "restaurant": ("resturant", "restaraunt", "restuarant"),
    "reservation": ("reservaton", "resevation"), "available": ("availible", "avaliable"),
    "definitely": ("definately", "definitly"), "Wednesday": ("Wensday", "Wednsday"),
    "wednesday": ("wensday", "wednsday"), "Thursday": ("Thurday", "Thursay"), "thursday": ("thurday", "thursay"),
    "Saturday": ("Saterday", "Satruday"), "saturday": ("saterday", "satruday"), "February": ("Febuary",),
    "flight": ("flght", "fligth", "filght"), "flights": ("flghts", "fligths"), "ticket": ("tiket", "tickte"),
    "tickets": ("tikets", "tickts"), "because": ("becuase", "becasue"), "something": ("somthing", "someting"),
    "really": ("realy",), "weather": ("wether", "weahter"), "forecast": ("forcast",), "address": ("adress",),
    "schedule": ("schedual", "shedule"), "appointment": ("appointmant", "apointment"), "people": ("poeple", "ppl"),
    "want": ("wnat", "wan"), "would": ("woud", "wolud"), "could": ("coud", "culd"), "know": ("kno", "konw"),
    "their": ("thier",), "there": ("thre", "tehre"), "the": ("teh", "th"), "and": ("adn", "nad"),
    "just": ("jsut", "juts"), "like": ("liek", "lik"), "find": ("fnd", "fidn"), "book": ("bok", "boook"),
    "table": ("tabel", "tbale"), "movie": ("moive", "movei"), "song": ("sogn", "snog"), "play": ("paly", "pley"),
    "great": ("grate", "graet"), "need": ("ned", "nede"), "leaving": ("leavign", "leving"),
    "going": ("goign", "gonig"), "travel": ("travle", "trvel"), "music": ("musci", "muisc"),
}


class KeyboardTypos(ViewAugmenter):
    """Typing slips in about one word in ten (at least one), as people make them: a word of
    ``COMMON_MISSPELLINGS`` spelt the way people misspell it; any other, a neighbouring key
    hit instead (most often), two letters transposed, a letter left out or doubled. Words
    of ``PROTECTED`` keep their spelling ("not" must not become "nit"), and no slip makes
    one of them or a greeting ("you" -> "yo"); only ASCII letters of words with at least
    three are slipped, so short words and other scripts stay intact."""

    name = "typos"
    fraction = 0.1

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        candidates = _unprotected(view, [i for i in view.words() if len(_letters(view.tokens[i])) >= 3])
        if not candidates:
            return False
        slipped = False
        for i in sample(rng, candidates, _count(len(candidates), self.fraction)):
            token = view.tokens[i]
            word = token.strip(_STRIP)
            common = COMMON_MISSPELLINGS.get(word) if word else None
            if common is not None:
                at = token.index(word)
                view.replace(i, token[:at] + pick(rng, common) + token[at + len(word):])
            elif _meaningful(typo := self._typo(token, rng)):
                continue
            else:
                view.replace(i, typo)
            slipped = True
        return slipped

    @staticmethod
    def _typo(token: str, rng: np.random.Generator) -> str:
        letters = _letters(token)
        j = pick(rng, letters)
        c = token[j]
        u = rng.random()
        if 0.55 <= u < 0.75 and j + 1 in letters and token[j + 1].lower() != c.lower():
            return token[:j] + token[j + 1] + c + token[j + 2:]  # transposed
        if 0.75 <= u < 0.9:
            return token[:j] + token[j + 1:]  # left out
        if u >= 0.9:
            return token[:j] + c + token[j:]  # doubled
        near = pick(rng, _NEIGHBOURS[c.lower()])
        return token[:j] + (near.upper() if c.isupper() else near) + token[j + 1:]


def _meaningful(token: str) -> bool:
    """Whether a slip made a word that carries an act ("you" -> "yo", a greeting; "nit" is
    no word, but "now" -> "no" would be): such a slip is not made."""
    bare = _bare(token)
    return bare in PROTECTED or GREETING.fullmatch(bare) is not None


# --------------------------------------------------------------------------- word drop / swap


#: The words hurried typing leaves out without changing what a turn asks ("find me flight",
#: "want a table"): articles, the subject, softeners. A content word gone ("how is it" for
#: "how much is it") changes the meaning while the labels stay.
DROPPABLE = frozenset("""
a an the i me my please just really so well also very um uh some kind of
""".split())


class WordDrop(ViewAugmenter):
    """Leaves out about one word in ten (at least one) among the ``DROPPABLE`` ones, as
    hurried typing does; never a slot value, never another word, never the turn's only
    token. A comma left at the end goes too ("Seattle, please" -> "Seattle")."""

    name = "word_drop"
    fraction = 0.1

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        if len(view.tokens) < 2:
            return False
        candidates = [i for i in view.plain_words() if view.tokens[i].lower() in DROPPABLE]
        if not candidates:
            return False
        chosen = sample(rng, candidates, min(_count(len(candidates), self.fraction), len(view.tokens) - 1))
        for i in sorted(chosen, reverse=True):
            view.remove(i)
        last = len(view.tokens) - 1
        if view.is_word(last) and view.tokens[last].endswith(","):
            stripped = view.tokens[last].rstrip(",")
            if stripped or last:  # an emptied token goes, unless it is all there is
                view.replace(last, stripped)
        return True


class WordSwap(ViewAugmenter):
    """Swaps two neighbouring words ("me find a flight"); spans never move, ``PROTECTED``
    words never move, and a sentence-initial capital stays at the start. Off by default:
    people seldom type words out of order, and "want I Thai" reads as a machine's."""

    name = "word_swap"

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        tokens, slots = view.tokens, view.slots
        pairs = [i for i in range(len(tokens) - 1)
                 if slots[i] < 0 and slots[i + 1] < 0 and tokens[i] != tokens[i + 1]
                 and _PLAIN.fullmatch(tokens[i]) and _PLAIN.fullmatch(tokens[i + 1])
                 and _bare(tokens[i]) not in PROTECTED and _bare(tokens[i + 1]) not in PROTECTED]
        if not pairs:
            return False
        i = pick(rng, pairs)
        first, second = tokens[i], tokens[i + 1]
        if i == 0 and first not in _I_WORDS and first[:1].isupper() and first[1:].islower() and second.islower():
            first, second = first.lower(), second[:1].upper() + second[1:]
        view.replace(i, second)
        view.replace(i + 1, first)
        return True


# --------------------------------------------------------------------------- fillers


_FILLERS = ("um", "uh", "er", "hmm", "like", "you know", "well", "so")
# Discourse markers open a clause ("yes, well, for two"): never inside a phrase, where "the
# third well one" is no disfluency anyone makes, nor before a clause's last word ("Indian,
# well, please"). Hesitations also go before a phrase ("a flight uh to Boston"), never inside
# one ("Sunday like works"). Never "actually" or "I mean": they mark a correction ("Thai,
# actually, in Boston" reads as a change of mind the labels do not carry; the phrasebook says
# them where one is made).
_OPENERS = frozenset(("like", "you know", "well", "so"))
_PHRASE_STARTS = frozenset("to from for on at in with leaving going around about".split())
# Markers already there: a filler next to one stacks up ("actually, sorry, well, ...").
_MARKERS = frozenset("um umm uh er erm eh hmm hm mm well so actually oh ah ooh wait sorry okay ok alright like mean "
                     "honestly mm-hmm uh-huh".split())


def _boundaries(view: TokenView, *, phrases: bool) -> list[int]:
    """Where a clause starts (the first token, a token after a comma) and, with ``phrases``,
    where a prepositional phrase starts ("a flight | to Boston"); not next to a marker
    already there."""
    tokens, gaps = view.tokens, view.gaps
    out = [0]
    for k in range(1, len(tokens)):
        if tokens[k - 1].endswith(","):
            out.append(k)
        elif phrases and gaps[k] and view.is_word(k) and _bare(tokens[k]) in _PHRASE_STARTS:
            out.append(k)
    return [k for k in out if not any(0 <= j < len(tokens) and view.is_word(j) and _bare(tokens[j]) in _MARKERS
                                      for j in (k - 1, k))]


class Fillers(ViewAugmenter):
    """A disfluency at a phrase boundary: a hesitation ("um", "uh", "er", "hmm") where a
    clause or a phrase starts ("a flight uh to Boston"), a discourse marker ("well",
    "like", ...) only where a clause of more than one word starts; or a restart, marked as
    one with a hyphen ("I- I want"), so that a repeated word is never an unmarked "for for".
    At the start the filler takes a comma, "um, find me", and so does a marker inside: "yes
    please, well, for two"."""

    name = "fillers"
    repeat = 0.2  # chance of a marked restart instead of a filler

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        if not view.tokens:
            return False
        if rng.random() < self.repeat:
            # Not the last word: a restart stumbles into what comes next ("I- I want"), not
            # on a closing word ("Mexican, please- please", "fab- fab").
            starts = [i for i in _boundaries(view, phrases=False) if view.is_word(i)
                      and _PLAIN.fullmatch(view.tokens[i]) and i < len(view.tokens) - 1]
            if starts:
                i = pick(rng, starts)
                view.insert(i, view.tokens[i] + "-")
                _decapitalise(view, i + 1)
                return True
        filler = pick(rng, _FILLERS)
        opener = filler in _OPENERS
        # Nothing before a greeting: "actually, good evening, find me a flight" corrects
        # before the conversation has begun.
        boundaries = [k for k in _boundaries(view, phrases=not opener) if not _greets(view, k)
                      and not (opener and k > 0 and k >= len(view.tokens) - 1)]
        if not boundaries:
            return False
        i = pick(rng, boundaries)
        if i == 0:
            capital = view.tokens[0][:1].isupper()
            _decapitalise(view, 0)
            filler = (filler[:1].upper() + filler[1:] if capital else filler) + ","
        elif opener or view.tokens[i - 1].endswith(","):
            filler += ","
        view.insert(i, filler)
        return True


def _greets(view: TokenView, i: int) -> bool:
    """Whether a greeting starts at token ``i`` ("hi", "good evening", "oh hi there")."""
    return view.is_word(i) and GREETING.match(" ".join(view.tokens[i:i + 3])) is not None


# --------------------------------------------------------------------------- ASR style

class AsrStyle(ViewAugmenter):
    """What a speech recogniser would have written: words outside the spans in lower case,
    without punctuation, with digits, amounts and times spelled out ("$220" -> "two
    hundred twenty dollars"), single spaces. Spans stay verbatim (their own case, digits
    and punctuation are the slot's surface form)."""

    name = "asr"
    # A number spoken digit by digit ("zero zero seven"); no other word: with the commas gone,
    # "no, that's not it, it's actually 3" would read "not it it's".
    doubles = frozenset("zero oh one two three four five six seven eight nine hundred thousand".split())

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        for i in range(len(view.tokens) - 1, -1, -1):
            if view.is_word(i):
                token = view.tokens[i]
                restart = token.endswith("-") and _PLAIN.fullmatch(token[:-1]) is not None  # "I- I", kept marked
                view.replace(i, spoken_word(token[:-1]) + "-" if restart else spoken_word(token))
        if not view.tokens:
            return False
        # A word glued to a span by punctuation ("{city}.Find") keeps a space once the
        # punctuation is gone: "Los Angeles find", never "Los Angelesfind".
        view.gaps[:] = [_SPACE if gap or (i and view.tokens[i - 1][-1:].isalnum() and token[:1].isalnum()) else ""
                        for i, (gap, token) in enumerate(zip(view.gaps, view.tokens))]
        view.gaps[0] = ""
        view.tail = ""
        return True


# --------------------------------------------------------------------------- carrier phrases

_REQUEST_PREFIXES = ("could you", "could you please", "can you", "can you please", "would you",
                     "please", "I'd like to", "I want to", "I need to", "I wanna", "would you please", "can you just",
                     "could you maybe", "would you be able to", "I'd like you to", "I need you to")
_POLITE_PREFIXES = tuple(p for p in _REQUEST_PREFIXES if "please" not in p)  # the turn already says it
_NEUTRAL_PREFIXES = ("okay,", "okay so", "so", "alright,", "hmm okay", "oh,", "um,", "well,", "uh,", "ah,", "er,",
                     "right,", "okay, um,", "hmm,")
# What ends a turn, by what the turn is: "if you can" follows a request ("book it if you
# can"), "please" a request or a value ("for two please") -- not "nope please" or "correct
# if you can". Never "thanks": it would say a THANK the turn's acts do not carry.
_REQUEST_SUFFIXES = ("please", "if you can", "if possible", "when you can", "if you could")
_VALUE_SUFFIXES = ("please", "if possible")
_POLITE = frozenset({"please", "thanks", "thank", "cheers", "bye", "goodbye"})
_VERBS = frozenset("""
find book get search show check cancel reserve order buy tell give make play set call send look add
remove change schedule pay rent start stop update create delete list transfer move open turn put
take bring help let rebook reschedule confirm
""".split())
_END_PUNCT = re.compile(r"[.!?…]+$")
# A turn that says "if" or ends on a hedge takes no "please" / "if possible" after it.
_HEDGED = re.compile(r"\bif\b|\b(?:I think|I guess|I believe|I suppose|I reckon|ideally|preferably|probably|maybe"
                     r"|hopefully|for sure)\W*$", re.IGNORECASE)
# What a neutral prefix must not go before: a greeting (``_greets``), or a yes or no ("okay, no, hold on").
_YES_NO = frozenset("yes yeah yep yup no nope nah".split())


class CarrierPhrases(ViewAugmenter):
    """Wraps the request in a carrier phrase: "could you" / "I'd like to" before a turn
    that starts with a verb ("could you find me a flight"), "okay," / "um," before others,
    or "please" / "if you can" at the end, as fits the turn (before final punctuation, "book
    it please."), none in a turn that says "if" or ends on a hedge ("Reno if that's fine",
    "Rome, ideally", not "... please"). Nothing goes before a greeting, and no prefix repeats
    a word family of the turn ("okay, for two, if that's okay")."""

    name = "carrier"

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        tokens = view.tokens
        if not tokens:
            return False
        verb_first = view.is_word(0) and tokens[0].lower().strip(_STRIP) in _VERBS
        polite = any(view.is_word(i) and tokens[i].lower().strip(_STRIP) in _POLITE for i in range(len(tokens)))
        # A turn that opens with a marker, a greeting or a yes or no takes no marker before it.
        opened = _greets(view, 0) or view.is_word(0) and (_bare(tokens[0]) in _MARKERS or _bare(tokens[0]) in _YES_NO)
        u = rng.random()
        hedged = _HEDGED.search(view.text()) is not None  # ends as it is: not "Reno if that's fine please"
        if verb_first and (polite or u < 0.6):
            prefixes = _POLITE_PREFIXES if polite else _REQUEST_PREFIXES
            if len(tokens) > 1 and _bare(tokens[1]) in ("me", "us"):  # "could you find me", not "I'd like to find me"
                prefixes = tuple(p for p in prefixes if not p.startswith("I"))
            self._prefix(view, pick(rng, prefixes))
        elif not hedged and (verb_first or (not polite and (u >= 0.3 or opened)
                                            and any(k >= 0 for k in view.slots))):
            self._suffix(view, pick(rng, _REQUEST_SUFFIXES if verb_first else _VALUE_SUFFIXES))
        elif not opened and (neutral := [p for p in _NEUTRAL_PREFIXES if not repeats_family(f"{p} {view.text()}")]):
            self._prefix(view, pick(rng, neutral))  # not "okay, the 21st, if that's okay"
        else:
            return False
        return True

    @staticmethod
    def _prefix(view: TokenView, phrase: str) -> None:
        if view.tokens[0][:1].isupper():
            phrase = phrase[:1].upper() + phrase[1:]
        _decapitalise(view, 0)
        view.insert(0, phrase)

    @staticmethod
    def _suffix(view: TokenView, phrase: str) -> None:
        last = len(view.tokens) - 1
        token = view.tokens[last]
        m = _END_PUNCT.search(token) if view.is_word(last) else None
        if m is None:
            view.insert(last + 1, phrase)
        elif m.start() == 0:  # a punctuation token: the phrase goes before it, glued as it was
            view.insert(last, phrase, next_gap=view.gaps[last])
        else:  # "it." -> "it please."
            view.replace(last, token[:m.start()])
            view.insert(last + 1, phrase)
            view.insert(last + 2, m.group(), gap="")
