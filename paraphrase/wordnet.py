"""WordNet synonyms for words outside the spans (``WordNetSynonyms``), when WordNet is there.

nltk and its WordNet data are optional: ``load_wordnet`` finds the data nltk downloads
(``nltk.download('wordnet')``) or, failing that, Debian's ``wordnet-base`` package, which
installs the WordNet 3.0 database in ``/usr/share/wordnet`` without the small ``lexnames``
table nltk's reader insists on (that table is fixed by WordNet 3.0; it is supplied here).
Without either, building ``WordNetSynonyms`` raises ``AugmenterUnavailable`` with one
message saying how to get the data, and the pipeline skips the augmenter.
"""

from __future__ import annotations

import io
import os
import warnings

import numpy as np

from dialogsim.draws import pick, sample
from dialogsim.paraphrase.augment import (
    PROTECTED,
    AugmenterUnavailable,
    TokenView,
    ViewAugmenter,
    _count,
    _match_case,
)

__all__ = ["WordNetSynonyms", "load_wordnet", "DEBIAN_WORDNET", "NO_NLTK", "NO_DATA"]

#: Where Debian's ``wordnet-base`` package installs the WordNet 3.0 database.
DEBIAN_WORDNET = "/usr/share/wordnet"

NO_NLTK = ("wordnet augmenter skipped: nltk is not installed; pip install nltk, then "
           "apt-get install wordnet-base or python -c \"import nltk; nltk.download('wordnet')\"")
NO_DATA = ("wordnet augmenter skipped: nltk WordNet data not found; apt-get install wordnet-base "
           "or python -c \"import nltk; nltk.download('wordnet')\"")

# The WordNet 3.0 lexicographer files (lexnames(5WN)), in file-number order.
_LEXNAMES = """adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute
noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group
noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession
noun.process noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body
verb.change verb.cognition verb.communication verb.competition verb.consumption verb.contact
verb.creation verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative
verb.weather adj.ppl""".split()
_LEX_POS = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}

_READERS: dict[str, object] = {}  # one loaded reader per process (loading takes about a second)


def _reopen_files_after_fork() -> None:
    """A forked worker shares its parent's open WordNet files, and with them one file
    offset: the reader seeks and reads, so parent and workers reading at once get each
    other's lines (a synset read as None). Each child opens its own files on first use."""
    for reader in _READERS.values():
        if hasattr(reader, "_data_file_map"):  # nltk's WordNetCorpusReader keeps them here
            vars(reader).update(_data_file_map={}, _key_count_file=None, _key_synset_file=None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reopen_files_after_fork)

#: Function words with no useful synonym (and WordNet senses that mislead: "can" the tin).
_STOPWORDS = frozenset("""
the a an and or but if then so to of in on at by for with from into onto about as is are was were be
been being am do does did have has had will would shall should can could may might must i me my mine
you your yours he him his she her hers we us our ours they their theirs what which who whom whose
when where why how all some more most much many few very just also too than there here up down out
off over under again once please thanks thank hi hello hey bye goodbye want wanna like need let
get got go going
""".split())


def _nltk_reader():
    """nltk's own WordNet corpus, or None when its data is not downloaded."""
    from nltk.corpus import wordnet

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wordnet.ensure_loaded()
    except (LookupError, OSError):
        return None
    return wordnet


def _debian_reader(root: str):
    """A reader over Debian's wordnet-base files, or None when they are not installed."""
    if not os.path.isfile(os.path.join(root, "data.noun")):
        return None
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    lexnames = "".join(f"{i:02d}\t{name}\t{_LEX_POS[name.split('.')[0]]}\n" for i, name in enumerate(_LEXNAMES))

    class DebianWordNetReader(WordNetCorpusReader):
        def open(self, fileid):
            if fileid == "lexnames":
                return io.StringIO(lexnames)
            return super().open(fileid)

        def map_wn(self, version="wordnet"):  # no multilingual (OMW) mapping needed
            return None

    if root not in nltk.data.path:
        nltk.data.path.append(root)  # newer nltk reads corpora only below its data paths
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        return DebianWordNetReader(root, None)


def load_wordnet(debian_dir: str | None = None):
    """The WordNet corpus reader (nltk's data first, then Debian's ``wordnet-base``);
    raises ``AugmenterUnavailable`` with ``NO_NLTK`` / ``NO_DATA`` when there is none."""
    root = DEBIAN_WORDNET if debian_dir is None else debian_dir
    if root in _READERS:
        return _READERS[root]
    try:
        import nltk  # noqa: F401
    except ImportError:
        raise AugmenterUnavailable(NO_NLTK) from None
    reader = _nltk_reader() or _debian_reader(root)
    if reader is None:
        raise AugmenterUnavailable(NO_DATA)
    _READERS[root] = reader
    return reader


# The word before a word tells its part of speech well enough to refuse a wrong sense:
# after a determiner a noun or an adjective ("a cheap flight"), after "to", a modal or a
# subject a verb ("can you book", "I want"), after an intensifier an adjective or adverb.
_BEFORE_NOUN = frozenset("a an the my your our their his her its this that these those some any every each "
                         "another".split())
_BEFORE_VERB = frozenset("to can could would will should please i we you they let's don't do".split())
_BEFORE_ADJ = frozenset("very so too really quite pretty more most less".split())
_NOMINAL, _VERBAL, _ADJECTIVAL = frozenset("nas"), frozenset("v"), frozenset("asr")


def _context_pos(view: TokenView, i: int) -> frozenset[str] | None:
    """The WordNet parts of speech word ``i`` may take here, or None when the word before
    says nothing (WordNet's ``n``, ``v``, ``a``, ``s``, ``r``)."""
    if i == 0:
        return _VERBAL  # a turn opens with an imperative: "book it", "find me a flight"
    before = view.tokens[i - 1].lower() if view.is_word(i - 1) else ""
    if before in _BEFORE_NOUN:
        return _NOMINAL
    if before in _BEFORE_VERB:
        return _VERBAL
    if before in _BEFORE_ADJ:
        return _ADJECTIVAL
    return None


class WordNetSynonyms(ViewAugmenter):
    """Replaces about one word in ten (at least one) outside the spans by a WordNet synonym
    ("cheap" -> "inexpensive", "buy" -> "purchase"), restricted by sense and part of speech:
    only a word with one dominant sense in WordNet's sense-tagged counts (at least half of
    its uses: "find" has none, its senses run from "discover" to "bump") lends that sense's
    synonyms, and only where the word before allows the sense's part of speech ("can you
    book": a verb, so not "volume"); where nothing before tells, only a word used in that
    part of speech nearly always (``dominant_pos``). Synonyms must occur in the counts
    themselves, which keeps out archaic and rare ones ("shew"). Only words in their base
    form are replaced (WordNet lemmas are uninflected), never a ``PROTECTED`` or function
    word; capitalisation follows the original word. Off by default (``VariationConfig``):
    without a tagger a sense is still a guess. Lookups are cached per word.
    """

    name = "wordnet"
    fraction = 0.1
    dominant_sense = 0.5  # share of a word's tagged uses its top sense must have
    dominant_pos = 0.9  # share its top sense's part of speech must have, where the context says nothing

    def __init__(self, debian_dir: str | None = None) -> None:
        self._debian_dir = debian_dir
        self._wordnet = load_wordnet(debian_dir)
        self._cache: dict[str, tuple[str, float, tuple[str, ...]] | None] = {}

    def __reduce__(self):  # worker processes load their own reader
        return (type(self), (self._debian_dir,))

    def synonyms(self, word: str, pos: frozenset[str] | None = None) -> tuple[str, ...]:
        """Synonyms of ``word`` (lower case) in its dominant sense, when that sense's part of
        speech is one of ``pos`` (None: the word is used in that part of speech nearly
        always); () if it has none, no dominant sense, or is inflected."""
        sense = self._sense(word)
        if sense is None:
            return ()
        sense_pos, pos_share, found = sense
        if (pos_share < self.dominant_pos) if pos is None else (sense_pos not in pos):
            return ()
        return found

    def _sense(self, word: str) -> tuple[str, float, tuple[str, ...]] | None:
        """The part of speech of ``word``'s dominant sense, the share of its tagged uses in
        that part of speech, and the sense's synonyms; None without a dominant sense."""
        if word in self._cache:
            return self._cache[word]
        result = None
        wordnet = self._wordnet
        if wordnet.morphy(word) == word:
            counted = []
            for synset in wordnet.synsets(word):
                count = next((lemma.count() for lemma in synset.lemmas() if lemma.name().lower() == word), 0)
                counted.append((count, synset))
            total = sum(count for count, _ in counted)
            if total:
                count, top = max(counted, key=lambda c: c[0])  # the first of equals: WordNet's order
                pos = "a" if top.pos() == "s" else top.pos()
                same = sum(c for c, s in counted if ("a" if s.pos() == "s" else s.pos()) == pos)
                found: list[str] = []
                for lemma in top.lemmas():
                    name = lemma.name().replace("_", " ")
                    if (lemma.count() > 0 and name.lower() != word and name not in found
                            and name.lower() not in _STOPWORDS and name.replace(" ", "").isalpha()):
                        found.append(name)
                if count >= self.dominant_sense * total and found:
                    result = (top.pos(), same / total, tuple(found))
        self._cache[word] = result
        return result

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        candidates = [i for i in view.plain_words()
                      if len(view.tokens[i]) > 2 and view.tokens[i].lower() not in PROTECTED
                      and view.tokens[i].lower() not in _STOPWORDS]
        wanted = _count(len(candidates), self.fraction) if candidates else 0
        changed = 0
        for i in sample(rng, candidates, len(candidates)):
            if changed == wanted:
                break
            token = view.tokens[i]
            options = self.synonyms(token.lower(), _context_pos(view, i))
            if options:
                view.replace(i, _match_case(pick(rng, options), token))
                changed += 1
        return changed > 0
