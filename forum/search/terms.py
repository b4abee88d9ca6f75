"""Turn what someone typed into search terms that can never be read as query syntax.

Only runs of letters and digits survive: quotes, operators (``AND``, ``NEAR(``, ``*``, ``-``,
``^``, ``:``), brackets, NUL and emoji are separators. Each FTS5 term is then quoted as a
string, and PostgreSQL receives the words through ``plainto_tsquery``, so a query is always
a plain "all of these words" search.
"""

import re
import unicodedata

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Letters and digits in any script; "_" is a separator, as in FTS5's and PostgreSQL's parsers.
WORD = re.compile(r"[^\W_]+")


def clean_query(raw: str | None) -> str:
    """The query as it is shown back to the reader: printable and at most 200 characters."""
    text = unicodedata.normalize("NFC", (raw or "")[: MAX_QUERY_CHARS * 4])
    printable = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(printable.split())[:MAX_QUERY_CHARS]


def fold(word: str) -> str:
    """A word compared without case or accents ("Café" and "cafe" are the same)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def search_terms(query: str) -> list[str]:
    """The distinct words of ``query`` in lower case, at most ``MAX_TERMS`` of them."""
    terms: list[str] = []
    seen: set[str] = set()
    for word in WORD.findall(clean_query(query)):
        key = fold(word)
        if key and key not in seen:
            seen.add(key)
            terms.append(word.lower())
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term: each one quoted as a string."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)
