"""Accents folded the same way in the index and in every query, so "corazon" finds "corazón".

One index serves every post whatever its language, so folding is language-neutral and
nothing is stemmed (see the README's Search section).

- SQLite: FTS5's ``unicode61`` tokenizer with ``remove_diacritics 2``, set in the index
  table's definition (migrations 0005 and 0014); nothing to do at query time.
- PostgreSQL: the SQL function ``forum_fold(text)``, applied to titles and bodies before
  ``to_tsvector('simple', ...)`` and to the words searched before ``plainto_tsquery``. It
  calls the ``unaccent`` contrib extension when the database has it or the role may create
  it; otherwise it is a ``translate()`` over the accented Latin letters (every Spanish,
  Portuguese, French, German and Catalan one), and ``define_fold`` says so.

``define_fold`` is called by migration 0014 and by ``forum search rebuild``, so a forum that
fell back picks ``unaccent`` up once an administrator installs it and rebuilds.
"""

import logging
import unicodedata

from sqlalchemy import func, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

FOLD_FUNCTION = "forum_fold"
UNACCENT, TRANSLATE = "unaccent", "translate"
# Letters with no decomposition that unaccent also folds.
UNDECOMPOSED = {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ħ": "h", "Ħ": "H"}


def fold_sql(expression):
    """``forum_fold(expression)``: a column or value with its accents removed (PostgreSQL)."""
    return getattr(func, FOLD_FUNCTION)(expression)


def _latin_pairs() -> tuple[str, str]:
    """(accented letters, their base letters) for Latin-1 and Latin Extended-A."""
    accented, bases = [], []
    for code in range(0xC0, 0x180):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1]
        if char in UNDECOMPOSED:
            base = UNDECOMPOSED[char]
        if base != char and base.isascii() and base.isalpha():
            accented.append(char)
            bases.append(base)
    return "".join(accented), "".join(bases)


def _unaccent_schema(connection: Connection) -> str | None:
    """The schema the unaccent extension lives in, installing it when the role may."""
    find = text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    )
    schema = connection.execute(find).scalar()
    if schema is not None:
        return schema
    try:
        # A savepoint, so a refusal leaves the migration's transaction usable.
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except DBAPIError:
        return None
    return connection.execute(find).scalar()


def define_fold(connection: Connection) -> str:
    """(Re)define ``forum_fold`` on PostgreSQL; returns how it folds (``unaccent`` or
    ``translate``)."""
    schema = _unaccent_schema(connection)
    if schema is not None:
        quoted = connection.dialect.identifier_preparer.quote_identifier(schema)
        body = f"SELECT {quoted}.unaccent('{quoted}.unaccent'::regdictionary, $1)"
        kind = UNACCENT
    else:
        accented, bases = _latin_pairs()
        body = f"SELECT translate($1, '{accented}', '{bases}')"
        kind = TRANSLATE
        logging.getLogger(__name__).warning(FALLBACK_WARNING)
    connection.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text "
            f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$ {body} $fold$"
        )
    )
    return kind


def fold_kind(connection: Connection) -> str | None:
    """How ``forum_fold`` folds now (None when it is not defined)."""
    source = connection.execute(
        text("SELECT prosrc FROM pg_proc WHERE proname = :name"), {"name": FOLD_FUNCTION}
    ).scalar()
    if source is None:
        return None
    return UNACCENT if "unaccent" in source else TRANSLATE


FALLBACK_WARNING = (
    "The PostgreSQL extension unaccent is not available to this role, so search folds "
    "accents with translate() (accented Latin letters only). To use unaccent, have a "
    "superuser run CREATE EXTENSION unaccent; in this database, then run "
    "`forum search rebuild`."
)
