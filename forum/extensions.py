"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from forum.database import configure_sqlite, engine_options
from forum.paths import resource_dir
from forum.ratelimit_storage import SQLiteStorage  # noqa: F401 - the forum-sqlite:// scheme

# Named constraints let Alembic alter and drop them on every backend (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared on the views (forum.ratelimits); counts are in Redis when FORUM_REDIS_URL
# is set, so every worker and server shares them, else in a SQLite file that every worker of
# this machine shares (forum.ratelimit_storage, registered with limits by importing it).
limiter = Limiter(key_func=get_remote_address)


def init_extensions(app) -> None:
    """Bind the extensions to ``app``; SQLite engines get WAL, timeouts and BEGIN IMMEDIATE."""

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    busy_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(url, busy_ms))
    db.init_app(app)
    if url.startswith("sqlite"):
        with app.app_context():
            configure_sqlite(db.engine, busy_ms)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    # The message is flashed (kept in the session): a plain string in the reader's language.
    login_manager.localize_callback = str
