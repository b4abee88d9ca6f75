"""Crisis phrases: find words of crisis in a post, ignoring case, punctuation and simple variants.

The phrases live in an editable data file (``forum/data/crisis_phrases.txt``, or the file named
by ``FORUM_CRISIS_FILE``). Both the text and the phrases are normalised the same way, then
matched as whole words, so "Killing myself..." finds "kill myself" and "skill myself" finds
nothing. A file is read and indexed once per process.
"""

import itertools
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from flask import current_app, has_app_context

APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
# Combining accents (after NFKD), and invisible format characters (zero-width spaces, soft
# hyphens, direction marks) that would otherwise split a word in two.
ACCENTS_AND_INVISIBLES = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+"
)
NOT_A_WORD = re.compile(r"[\W_]+")
VOWELS = set("aeiou")
SIBILANT_ENDINGS = ("s", "sh", "ch", "x", "z")

# Spellings people use for the same words; each may replace the word anywhere in a phrase.
WORD_VARIANTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "suicidal": (("suicide",),),
    "suicide": (("suicidal",),),
    "myself": (("my", "self"),),
    "anymore": (("any", "more"),),
    "dont": (("do", "not"),),
    "cant": (("can", "not"), ("cannot",)),
    "wanna": (("want", "to"),),
}


def normalise_text(text: str) -> str:
    """Lowercase words separated by single spaces: no accents, apostrophes or punctuation."""
    if not text.isascii():
        text = ACCENTS_AND_INVISIBLES.sub("", unicodedata.normalize("NFKD", text))
    text = text.casefold().translate(APOSTROPHES)
    return NOT_A_WORD.sub(" ", text).strip()


def inflections(word: str) -> set[str]:
    """``word`` with the simple English endings -s, -ed and -ing ("kill" -> "killing")."""
    forms = {word, f"{word}s", f"{word}ed", f"{word}ing"}
    if word.endswith("e"):
        forms |= {f"{word}d", f"{word[:-1]}ing"}
    elif word.endswith(SIBILANT_ENDINGS):
        forms.add(f"{word}es")
    elif len(word) > 1 and word.endswith("y") and word[-2] not in VOWELS:
        forms |= {f"{word[:-1]}ies", f"{word[:-1]}ied"}
    elif (
        len(word) >= 3
        and word[-1] not in VOWELS | set("wxy")
        and word[-2] in VOWELS
        and word[-3] not in VOWELS
    ):
        # A short verb doubles its last letter: "cut" -> "cutting".
        forms |= {f"{word}{word[-1]}ed", f"{word}{word[-1]}ing"}
    return forms


def phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """Every word sequence that counts as ``phrase``: respellings, the first word inflected,
    and the words written together ("self harm" -> "selfharm")."""
    words = normalise_text(phrase).split()
    if not words:
        return set()
    options = [[(word,), *WORD_VARIANTS.get(word, ())] for word in words]
    spelled = {tuple(itertools.chain(*choice)) for choice in itertools.product(*options)}
    variants = set()
    for sequence in spelled:
        for first in inflections(sequence[0]):
            inflected = (first, *sequence[1:])
            variants.add(inflected)
            if len(inflected) > 1:
                variants.add(("".join(inflected),))
    return variants


class PhraseIndex:
    """Phrases indexed by their first word, so matching costs one look-up per word of text."""

    def __init__(self, phrases: list[str]):
        self.phrases = phrases
        self.by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # A word sequence belongs to the first phrase that produces it, so "want to die" and
        # "wanna die" are not both reported for "wanted to die".
        taken: set[tuple[str, ...]] = set()
        for phrase in phrases:
            for variant in sorted(phrase_variants(phrase) - taken):
                taken.add(variant)
                self.by_first_word.setdefault(variant[0], []).append((variant[1:], phrase))

    def matches(self, text: str) -> list[str]:
        """The phrases found in ``text``, in the order of the phrase file, each once."""
        words = normalise_text(text).split()
        found: set[str] = set()
        for start, word in enumerate(words):
            for rest, phrase in self.by_first_word.get(word, ()):
                if phrase in found:
                    continue
                following = start + 1
                if tuple(words[following : following + len(rest)]) == rest:
                    found.add(phrase)
        return [phrase for phrase in self.phrases if phrase in found]


def read_phrases(text: str) -> list[str]:
    """The phrases of a phrase file: one a line, ``#`` comments and blank lines skipped."""
    phrases = []
    for line in text.splitlines():
        phrase = " ".join(line.split())
        if phrase and not phrase.startswith("#") and phrase not in phrases:
            phrases.append(phrase)
    return phrases


@lru_cache(maxsize=8)
def phrase_index(path: str | None = None) -> PhraseIndex:
    """The index of the phrase file at ``path`` (the shipped file when None), built once."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("forum.data").joinpath("crisis_phrases.txt").read_text("utf-8")
    return PhraseIndex(read_phrases(text))


def configured_phrase_file() -> str | None:
    """``FORUM_CRISIS_FILE`` of the running app, when there is one and it is set."""
    return current_app.config.get("FORUM_CRISIS_FILE") if has_app_context() else None


def crisis_matches(text: str) -> list[str]:
    """The crisis phrases found in ``text`` (as written in the phrase file); [] when none."""
    return phrase_index(configured_phrase_file()).matches(text or "")
