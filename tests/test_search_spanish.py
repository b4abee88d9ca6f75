"""Search in Spanish: accents and ñ never stand between a reader and a post, on either engine,
and migration 0014 rebuilds the index that way, even where ``unaccent`` cannot be installed."""

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db
from forum.search.folding import TRANSLATE, UNACCENT, fold_kind
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_member, make_thread
from tests.test_search import found_ids, search

postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="about PostgreSQL's unaccent")


@pytest.fixture
def spanish(app):
    """Two threads in Spanish: one written with every accent, one typed without any."""
    with app.app_context():
        lucia = make_member("lucia_mar")
        accented = make_thread(
            lucia,
            title="Mi corazón late rápido por la mañana",
            body="Desde ayer siento el corazón acelerado y no sé qué hacer. ¿Alguien más?",
        )
        plain = make_thread(
            lucia,
            title="Escribo sin tildes",
            body="El corazon tambien duele cuando escribo desde el movil, cada manana.",
        )
        return {"accented": accented.first_post_id, "plain": plain.first_post_id}


def test_a_word_typed_without_accents_finds_it_written_with_them(spanish, lurker):
    assert found_ids(lurker, "rapido") == [spanish["accented"]]
    assert found_ids(lurker, "que hacer") == [spanish["accented"]]
    page = search(lurker, "rapido")
    assert "<mark>rápido</mark>" in page


def test_a_word_typed_with_accents_finds_it_written_without_them(spanish, lurker):
    assert found_ids(lurker, "móvil") == [spanish["plain"]]
    assert found_ids(lurker, "también") == [spanish["plain"]]
    assert "<mark>movil</mark>" in search(lurker, "móvil")


def test_corazon_and_corazón_find_the_same_posts_in_any_case(spanish, lurker):
    both = {spanish["accented"], spanish["plain"]}
    for typed in ("corazon", "corazón", "CORAZÓN", "Corazon"):
        assert set(found_ids(lurker, typed)) == both, typed
    page = search(lurker, "corazon")
    assert "<mark>corazón</mark>" in page and "<mark>corazon</mark>" in page


def test_n_with_tilde_is_found_from_a_keyboard_without_it(spanish, lurker):
    # "mañana" and "manana" are one word to search, as on every engine that folds accents.
    both = {spanish["accented"], spanish["plain"]}
    assert set(found_ids(lurker, "manana")) == both
    assert set(found_ids(lurker, "mañana")) == both


def test_migration_0014_rebuilds_the_index_with_accents_folded(app, spanish, lurker):
    with app.app_context():
        downgrade(revision="0012")
        if db.engine.dialect.name == "sqlite":
            # An index that lost its rows: only 0014's data step can bring them back.
            db.session.execute(text("DELETE FROM search_index"))
            db.session.commit()
        upgrade()
        if db.engine.dialect.name == "postgresql":
            assert fold_kind(db.session.connection()) == UNACCENT
        db.session.commit()
    assert set(found_ids(lurker, "corazon")) == {spanish["accented"], spanish["plain"]}
    assert found_ids(lurker, "rapido") == [spanish["accented"]]


# PostgreSQL without the unaccent extension


NO_EXTENSIONS_ROLE = "forum_no_extensions"


@pytest.fixture
def database_without_extensions(tmp_path):
    """A fresh database whose schema belongs to a role that may not create extensions (it
    has no CREATE right on the database); yields that role's URL."""
    name = f"forum_noext_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        role_exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": NO_EXTENSIONS_ROLE}
        ).scalar()
        if not role_exists:
            connection.execute(text(f"CREATE ROLE {NO_EXTENSIONS_ROLE} LOGIN"))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    superuser_url = make_url(POSTGRES_URL).set(database=name)
    owner = create_engine(superuser_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"ALTER SCHEMA public OWNER TO {NO_EXTENSIONS_ROLE}"))
    try:
        yield superuser_url.set(username=NO_EXTENSIONS_ROLE), owner
    finally:
        owner.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            # Roles belong to the whole server: leave none behind.
            connection.execute(text(f"DROP ROLE IF EXISTS {NO_EXTENSIONS_ROLE}"))
        admin.dispose()


@postgres_only
def test_without_unaccent_the_migration_falls_back_and_says_how_to_switch(
    tmp_path, database_without_extensions, capsys
):
    url, superuser = database_without_extensions
    app = create_app(base_config(tmp_path / "instance", url.render_as_string(False)))
    with app.app_context():
        upgrade()
        connection = db.session.connection()
        installed = connection.execute(
            text("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'")
        ).scalar()
        assert installed == 0
        assert fold_kind(connection) == TRANSLATE
        db.session.commit()
    # The migration's log (alembic's logging set-up writes it to standard error).
    warned = capsys.readouterr().err
    assert "unaccent is not available" in warned and "forum search rebuild" in warned

    from forum.boards.services import seed_default_boards

    with app.app_context():
        seed_default_boards()
        lucia = make_member("lucia_mar")
        accented = make_thread(
            lucia, title="Un corazón cansado", body="Hoy no pude dormir, otra vez, pingüino."
        ).first_post_id
    lurker = app.test_client()
    for typed in ("corazon", "CORAZÓN", "pinguino"):
        assert found_ids(lurker, typed) == [accented], typed

    # Once a superuser installs the extension, a rebuild switches to it.
    with superuser.connect() as connection:
        connection.execute(text("CREATE EXTENSION unaccent"))
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert fold_kind(db.session.connection()) == UNACCENT
        db.session.remove()
        db.engine.dispose()
    assert found_ids(lurker, "corazon") == [accented]
