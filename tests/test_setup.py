"""Set-up: migrations match the models, init is repeatable, config, packaging, CLI."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from forum import create_app
from forum.extensions import db
from forum.models import Board, Member, Post, Thread
from forum.search.schema import include_name
from tests.conftest import POSTGRES_URL, base_config

ROOT = Path(__file__).resolve().parents[1]


def test_migrations_build_exactly_the_schema_the_models_declare(app):
    with app.app_context(), db.engine.connect() as connection:
        # The search index tables come from migration 0005 and are not models.
        opts = {"compare_type": True, "include_name": include_name}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, db.metadata) == []


@pytest.mark.skipif(bool(POSTGRES_URL), reason="uses its own SQLite file")
def test_upgrading_an_empty_database_creates_every_table(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}"))
    with app.app_context():
        upgrade()
        tables = set(db.inspect(db.engine).get_table_names())
    assert {
        "members",
        "boards",
        "threads",
        "posts",
        "post_revisions",
        "thread_aliases",
        "alembic_version",
    } <= tables


def test_init_twice_seeds_the_default_boards_once(runner, app):
    first = runner.invoke(args=["init"])
    second = runner.invoke(args=["init"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "0 default board(s) added" in second.output
    with app.app_context():
        assert db.session.execute(select(func.count(Board.id))).scalar() == 8


def test_seed_demo_makes_believable_threads_with_reply_trees(runner, app, client):
    app.config["FORUM_NEW_MEMBER_HOLD"] = 2  # the shipped setting: demo posts must not wait
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["seed-demo"])
    assert "0 thread(s) added" in again.output
    with app.app_context():
        assert db.session.execute(select(func.count(Thread.id))).scalar() >= 4
        deepest = db.session.execute(select(func.max(Post.depth))).scalar()
        anonymous = db.session.execute(select(func.count()).where(Post.is_anonymous)).scalar()
        assert deepest >= 2 and anonymous >= 2
        assert db.session.execute(select(func.count(Member.id))).scalar() >= 5
    assert "Mornings are the hardest part" in client.get("/b/depression").get_data(as_text=True)


@pytest.mark.skipif(bool(POSTGRES_URL), reason="checks the SQLite defaults")
def test_database_defaults_to_the_instance_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.delenv("FORUM_DATABASE_URL", raising=False)
    monkeypatch.delenv("FORUM_SECRET_KEY", raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FORUM_NAME", "Harbour")
    app = create_app()
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'forum.db'}"
    )
    assert app.config["FORUM_NAME"] == "Harbour"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("FORUM_SECRET_KEY", raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FORUM_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second and len(first) >= 64
    assert key_file.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("FORUM_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"


def test_no_secret_key_is_written_in_the_code():
    sources = "\n".join(path.read_text() for path in (ROOT / "forum").rglob("*.py"))
    assert 'SECRET_KEY": "' not in sources
    assert 'SECRET_KEY = "' not in sources


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite only")
def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_templates_and_static_are_found_by_absolute_path(app):
    assert Path(app.template_folder).is_absolute() and Path(app.static_folder).is_absolute()
    assert (Path(app.template_folder) / "base.html").is_file()
    assert (Path(app.static_folder) / "style.css").is_file()


def test_a_built_wheel_carries_templates_static_migrations_and_data(tmp_path):
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("forum-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "forum/templates/base.html",
        "forum/static/style.css",
        "forum/migrations/env.py",
        "forum/migrations/versions/0001_core_forum_schema.py",
        "forum/data/boards.json",
        "forum/data/guidelines.md",
        "forum/data/crisis_resources.json",
    ):
        assert expected in names, expected
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "forum = forum.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_forum_console_script_answers(tmp_path):
    script = Path(sys.executable).parent / "forum"
    result = subprocess.run(
        [str(script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"FORUM_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    for command in ("init", "users", "seed-demo", "run", "db"):
        assert command in result.stdout


def test_render_rebuild_renders_every_post_again_from_its_source(runner, app):
    from forum.render import RENDER_POLICY_VERSION
    from tests.factories import make_member, make_thread

    with app.app_context():
        thread = make_thread(make_member("writer_one"), body="Some **bold** words")
        post_id = thread.first_post_id
        post = db.session.get(Post, post_id)
        post.body_html, post.render_version = "<p>stale</p>", 0
        db.session.commit()
    result = runner.invoke(args=["render", "rebuild"])
    assert result.exit_code == 0 and "Rendered 1 post(s) again." in result.output
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert "<strong>bold</strong>" in post.body_html
        assert post.render_version == RENDER_POLICY_VERSION


FEATURES = (
    "account",
    "admin",
    "auth",
    "boards",
    "care",
    "crisis",
    "csp",
    "digest",
    "feeds",
    "moderation",
    "notify",
    "pages",
    "profiles",
    "safety_plan",
    "search",
    "threads",
)
# demo.py is the CLI's `forum seed-demo`: it writes through the features' services.
ENTRY_POINTS = (
    "forum/__init__.py",
    "forum/cli.py",
    "forum/wsgi.py",
    "forum/serve.py",
    "forum/demo.py",
)


def forum_imports(path):
    """(module imported, whether inside a function) for each forum import in ``path``."""
    import ast

    tree = ast.parse(path.read_text())
    found = []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            inside = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and (child.module or "").startswith("forum"):
                if child.module == "forum":  # "from forum import policy": the submodules
                    found.extend((f"forum.{a.name}", inside) for a in child.names)
                else:
                    found.append((child.module, inside))
            elif isinstance(child, ast.Import):
                found.extend((a.name, inside) for a in child.names if a.name.startswith("forum"))
            visit(child, inside)

    visit(tree, False)
    return found


def test_layers_point_one_way():
    """The shared layer and the models import no feature; only entry points import inside a
    function (an import hidden in a function to dodge a cycle means a rule is misplaced)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    wrong = []
    for path in sorted((root / "forum").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        parts = name.split("/")
        in_feature = len(parts) > 2 and parts[1] in FEATURES
        if name in ENTRY_POINTS:
            continue
        for module, nested in forum_imports(path):
            target = module.split(".")
            if not in_feature and len(target) > 1 and target[1] in FEATURES:
                wrong.append(f"{name} (shared layer or models) imports the feature {module}")
            if nested:
                wrong.append(f"{name} imports {module} inside a function")
            if module == "forum.create_app":
                wrong.append(f"{name} imports the package root")
    assert not wrong, "\n".join(wrong)
