"""Crisis phrases: find words of crisis in a post, ignoring case, punctuation and simple variants.

The phrases live in editable data files, one per language (``forum/data/crisis_phrases.<lang>.txt``;
``FORUM_CRISIS_FILE`` may replace them), and every language's phrases are looked for in every
text, whatever the reader's interface language: people write in the language they feel in.
Both the text and the phrases are normalised the same way, then matched as whole words, so
"Killing myself..." finds "kill myself" and "skill myself" finds nothing. Each language has its
own simple variants (English inflects the first word; Spanish files list their forms). A line
starting with "!" is an exception: a phrase found where an exception overlaps it does not
count ("quiero cortarme el pelo" is a haircut). The files are read and indexed once per process.
"""

import itertools
import os
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

# The language whose rules a phrase file without a language in its name is read with.
DEFAULT_LANGUAGE = "en"
# "crisis_phrases.es.txt", "/etc/forum/our-phrases.en.txt": the language is the last-but-one part.
LANGUAGE_IN_NAME = re.compile(r"\.([a-z]{2})\.txt\Z")
SHIPPED_NAME = re.compile(r"crisis_phrases\.([a-z]{2})\.txt\Z")
EXCEPTION_MARK = "!"

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
# Spanish: the spellings of quick messages ("kiero", "q"), with no conjugation (the file
# lists each form that matters).
SPANISH_VARIANTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "quiero": (("kiero",),),
    "que": (("q",), ("k",)),
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


def as_written(word: str) -> set[str]:
    """``word`` alone: for languages whose phrase files list every form."""
    return {word}


# Each language's respellings and how its first words vary; other languages: as written.
LANGUAGE_RULES = {
    "en": (WORD_VARIANTS, inflections),
    "es": (SPANISH_VARIANTS, as_written),
}


def phrase_variants(phrase: str, language: str = DEFAULT_LANGUAGE) -> set[tuple[str, ...]]:
    """Every word sequence that counts as ``phrase`` in ``language``: respellings, the first
    word inflected (English), and the words written together ("self harm" -> "selfharm")."""
    words = normalise_text(phrase).split()
    if not words:
        return set()
    respellings, inflect = LANGUAGE_RULES.get(language, ({}, as_written))
    options = [[(word,), *respellings.get(word, ())] for word in words]
    spelled = {tuple(itertools.chain(*choice)) for choice in itertools.product(*options)}
    variants = set()
    for sequence in spelled:
        for first in inflect(sequence[0]):
            inflected = (first, *sequence[1:])
            variants.add(inflected)
            if len(inflected) > 1:
                variants.add(("".join(inflected),))
    return variants


class PhraseIndex:
    """Phrases indexed by their first word, so matching costs one look-up per word of text.

    ``lists`` holds (language, phrases, exceptions) for each phrase file in force.
    """

    def __init__(self, lists: list[tuple[str, list[str], list[str]]]):
        self.phrases: list[str] = []
        self.by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.exceptions_by_first_word: dict[str, set[tuple[str, ...]]] = {}
        # A word sequence belongs to the first phrase that produces it, so "want to die" and
        # "wanna die" are not both reported for "wanted to die".
        taken: set[tuple[str, ...]] = set()
        for language, phrases, exceptions in lists:
            for phrase in phrases:
                if phrase in self.phrases:
                    continue
                self.phrases.append(phrase)
                for variant in sorted(phrase_variants(phrase, language) - taken):
                    taken.add(variant)
                    self.by_first_word.setdefault(variant[0], []).append((variant[1:], phrase))
            for exception in exceptions:
                for variant in phrase_variants(exception, language):
                    self.exceptions_by_first_word.setdefault(variant[0], set()).add(variant[1:])

    def matches(self, text: str) -> list[str]:
        """The phrases found in ``text``, in the order of the phrase files, each once; a
        phrase counts only where no exception overlaps it."""
        words = normalise_text(text).split()
        found: list[tuple[int, int, str]] = []
        # excepted[i]: how many of the words before i an exception covers (a prefix sum).
        covered = [0] * (len(words) + 1)
        for start, word in enumerate(words):
            for rest, phrase in self.by_first_word.get(word, ()):
                end = start + 1 + len(rest)
                if tuple(words[start + 1 : end]) == rest:
                    found.append((start, end, phrase))
            for rest in self.exceptions_by_first_word.get(word, ()):
                end = start + 1 + len(rest)
                if tuple(words[start + 1 : end]) == rest:
                    covered[start] += 1
                    covered[end] -= 1
        excepted = list(itertools.accumulate(covered))
        inside = [0, *itertools.accumulate(1 if count else 0 for count in excepted[:-1])]
        kept = {phrase for start, end, phrase in found if inside[end] == inside[start]}
        return [phrase for phrase in self.phrases if phrase in kept]


def read_phrase_file(text: str) -> tuple[list[str], list[str]]:
    """The phrases and the exceptions ("!" lines) of a phrase file: one a line, ``#``
    comments and blank lines skipped."""
    phrases: list[str] = []
    exceptions: list[str] = []
    for line in text.splitlines():
        phrase = " ".join(line.split())
        if not phrase or phrase.startswith("#"):
            continue
        if phrase.startswith(EXCEPTION_MARK):
            exceptions.append(phrase[1:].strip())
        elif phrase not in phrases:
            phrases.append(phrase)
    return phrases, exceptions


def read_phrases(text: str) -> list[str]:
    """The phrases of a phrase file (without its exceptions)."""
    return read_phrase_file(text)[0]


def shipped_phrase_files() -> dict[str, str]:
    """The shipped phrase files, language -> text, in language order ("en", "es"...)."""
    folder = resources.files("forum.data")
    files = {}
    for entry in folder.iterdir():
        shipped = SHIPPED_NAME.fullmatch(entry.name)
        if shipped:
            files[shipped.group(1)] = entry.read_text("utf-8")
    return dict(sorted(files.items()))


def phrase_files(setting: str | None) -> list[tuple[str, str]]:
    """(language, text) of every phrase file in force with ``FORUM_CRISIS_FILE`` = ``setting``.

    The setting names one file or several (separated by ``os.pathsep``, ":" on Linux). A file
    named for a language (``ours.es.txt``) replaces the shipped file of that language only; a
    file whose name says no language replaces every shipped file, and is read with the English
    rules (as before there were languages).
    """
    files = shipped_phrase_files()
    own = [path for path in (setting or "").split(os.pathsep) if path.strip()]
    if any(not LANGUAGE_IN_NAME.search(path) for path in own):
        files = {}
    lists = list(files.items())
    for path in own:
        named = LANGUAGE_IN_NAME.search(path)
        language = named.group(1) if named else DEFAULT_LANGUAGE
        lists = [(lang, text) for lang, text in lists if not (named and lang == language)]
        lists.append((language, Path(path).read_text(encoding="utf-8")))
    return lists


@lru_cache(maxsize=8)
def phrase_index(setting: str | None = None) -> PhraseIndex:
    """The index of the phrase files in force (the shipped ones when ``setting`` is None),
    built once."""
    return PhraseIndex(
        [(language, *read_phrase_file(text)) for language, text in phrase_files(setting)]
    )


def configured_phrase_file() -> str | None:
    """``FORUM_CRISIS_FILE`` of the running app, when there is one and it is set."""
    return current_app.config.get("FORUM_CRISIS_FILE") if has_app_context() else None


def crisis_matches(text: str) -> list[str]:
    """The crisis phrases found in ``text`` (as written in the phrase files); [] when none."""
    return phrase_index(configured_phrase_file()).matches(text or "")
