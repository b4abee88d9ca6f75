"""Keep the search index in step with the posts, in the same transaction as every change.

Two session hooks do it, so no posting, moderation or account service has to remember search:

- ``after_flush``: posts that are new, edited, deleted or moved between states, and threads
  whose title or visibility (held, private) changed, are re-indexed from what the database
  now holds;
- ``do_orm_execute``: bulk UPDATE and DELETE statements on posts or threads (account deletion
  uses them) re-index the rows they touch.

Re-indexing deletes a post's row and writes it again only while the post is public (see
``is_public``). Searches check the same condition on the posts themselves, so even a stale
row could never show a post that is no longer public.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import (
    and_,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.engine import Connection

from forum.extensions import db
from forum.models import Post, Thread
from forum.models.posts import PUBLISHED
from forum.search.folding import define_fold, fold_sql
from forum.search.schema import postgres_index, sqlite_index
from forum.threads.tree import OPENING_PATH

# What a post's index row depends on; the author and anonymity are read at search time.
POST_FIELDS = frozenset({"state", "deleted_at", "body_source", "thread_id", "path"})
THREAD_VISIBILITY = frozenset({"held", "is_private"})
THREAD_FIELDS = THREAD_VISIBILITY | {"title"}
BULK_WATCHED = {Post.__tablename__: Post, Thread.__tablename__: Thread}
# Ids per statement, well under every database's limit on bound parameters.
CHUNK = 500
# PostgreSQL: the 'simple' configuration (no stemming, no stop words) splits words the way
# SQLite's unicode61 tokenizer and forum.search.terms do, so highlighting matches the hits;
# forum_fold takes the accents off first (forum.search.folding), as remove_diacritics does.
PG_CONFIG = literal_column("'simple'::regconfig")


def is_public():
    """SQL condition on posts joined to their threads: the post may be found by anyone."""
    return and_(
        Post.state == PUBLISHED,
        Post.deleted_at.is_(None),
        Thread.is_private.is_(False),
        Thread.held.is_(False),
    )


def _documents(dialect: str, scope):
    """INSERT ... SELECT of the index rows of the public posts matching ``scope``."""
    title = case((Post.path == OPENING_PATH, Thread.title), else_=literal(""))
    public = and_(is_public(), scope)
    if dialect == "postgresql":
        weighted_title = func.setweight(
            func.to_tsvector(PG_CONFIG, fold_sql(title)), literal_column("'A'")
        )
        weighted_body = func.setweight(
            func.to_tsvector(PG_CONFIG, fold_sql(Post.body_source)), literal_column("'B'")
        )
        document = weighted_title.op("||")(weighted_body)
        rows = select(Post.id, document).join(Thread, Thread.id == Post.thread_id).where(public)
        return insert(postgres_index).from_select(["post_id", "document"], rows)
    rows = select(Post.id, title, Post.body_source).join(Thread, Thread.id == Post.thread_id)
    return insert(sqlite_index).from_select(["rowid", "title", "body"], rows.where(public))


def _index_key(dialect: str):
    """The index table and its post-id column."""
    if dialect == "postgresql":
        return postgres_index, postgres_index.c.post_id
    return sqlite_index, sqlite_index.c.rowid


def _replace(connection: Connection, keys, scope) -> None:
    dialect = connection.dialect.name
    index, key = _index_key(dialect)
    connection.execute(delete(index).where(key.in_(keys)))
    connection.execute(_documents(dialect, scope))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(sorted(ids))
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def reindex_posts(connection: Connection, post_ids: Iterable[int]) -> None:
    """Write the index rows of these posts again (and drop those no longer public)."""
    for chunk in _chunks(post_ids):
        _replace(connection, chunk, Post.id.in_(chunk))


def reindex_threads(connection: Connection, thread_ids: Iterable[int], opening_only: bool) -> None:
    """Re-index the posts of these threads: all of them, or only the opening posts (whose row
    carries the title)."""
    for chunk in _chunks(thread_ids):
        scope = Post.thread_id.in_(chunk)
        if opening_only:
            scope = and_(scope, Post.path == OPENING_PATH)
        _replace(connection, select(Post.id).where(scope), scope)


def rebuild_index(connection: Connection | None = None) -> int:
    """Empty the index and index every public post again; returns how many are indexed.

    On PostgreSQL it first defines the accent folding again, so ``unaccent`` is picked up
    once an administrator has installed it."""
    connection = connection or db.session.connection()
    dialect = connection.dialect.name
    index, _ = _index_key(dialect)
    if dialect == "postgresql":
        define_fold(connection)
    connection.execute(delete(index))
    connection.execute(_documents(dialect, true()))
    return connection.execute(select(func.count()).select_from(index)).scalar_one()


def clear_index(connection: Connection | None = None) -> None:
    """Empty the index (``rebuild_index`` fills it again)."""
    connection = connection or db.session.connection()
    connection.execute(delete(_index_key(connection.dialect.name)[0]))


def _changed(instance, fields: Iterable[str]) -> bool:
    attributes = inspect(instance).attrs
    return any(attributes[name].history.has_changes() for name in fields)


def _id_of(instance) -> int:
    # Rows already in the database carry their key; new ones got their id from this flush.
    identity = inspect(instance).identity
    return identity[0] if identity else instance.id


@event.listens_for(db.session, "after_flush")
def _index_flushed_changes(session, flush_context) -> None:
    posts, threads_opening, threads_all = set(), set(), set()
    for instance in session.new:
        if isinstance(instance, Post):
            posts.add(_id_of(instance))
    for instance in session.dirty:
        if isinstance(instance, Post) and _changed(instance, POST_FIELDS):
            posts.add(_id_of(instance))
        elif isinstance(instance, Thread) and _changed(instance, THREAD_VISIBILITY):
            threads_all.add(_id_of(instance))
        elif isinstance(instance, Thread) and _changed(instance, ("title",)):
            threads_opening.add(_id_of(instance))
    for instance in session.deleted:
        if isinstance(instance, Post):
            posts.add(_id_of(instance))
    if posts or threads_opening or threads_all:
        connection = session.connection()
        reindex_posts(connection, posts)
        reindex_threads(connection, threads_opening, opening_only=True)
        reindex_threads(connection, threads_all, opening_only=False)


def _fields_set(statement) -> set[str] | None:
    """Names of the columns an UPDATE sets (None when they cannot be told: assume all)."""
    values = getattr(statement, "_values", None)
    if not values:
        return None
    return {getattr(column, "key", str(column)) for column in values}


def _rows_touched(connection: Connection, state, entity) -> set[int]:
    """Ids of the rows a bulk statement is about to change, read before it runs."""
    statement, parameters = state.statement, state.parameters
    if statement.whereclause is None and isinstance(parameters, list) and parameters:
        # ORM bulk UPDATE by primary key: one parameter set per row.
        return {row["id"] for row in parameters if "id" in row}
    touched = select(entity.id)
    if statement.whereclause is not None:
        touched = touched.where(statement.whereclause)
    return set(connection.execute(touched).scalars())


@event.listens_for(db.session, "do_orm_execute")
def _index_bulk_changes(state):
    if not (state.is_update or state.is_delete):
        return None
    statement = state.statement
    # By table name, so Core statements on the tables count as much as ORM ones.
    entity = BULK_WATCHED.get(getattr(statement.table, "name", None))
    if entity is None:
        return None
    watched = POST_FIELDS if entity is Post else THREAD_FIELDS
    fields = _fields_set(statement) if state.is_update else None
    if fields is not None and not fields & watched:
        return None
    connection = state.session.connection()
    ids = _rows_touched(connection, state, entity)
    result = state.invoke_statement()
    if entity is Post:
        reindex_posts(connection, ids)
    else:
        title_only = fields is not None and not fields & THREAD_VISIBILITY
        reindex_threads(connection, ids, opening_only=title_only)
    return result
