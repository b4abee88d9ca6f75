"""The forum application factory: config -> extensions -> blueprints -> error pages -> CLI."""

from flask import Flask

from forum.paths import resource_dir


def create_app(config: dict | None = None) -> Flask:
    """Build the forum app. ``config`` overrides settings read from the environment."""
    from forum import cli, errors, i18n, pagecache, security, security_log, serve, web
    from forum.account.views import bp as account_bp
    from forum.admin import crisis_views, views  # noqa: F401 - both add routes to admin_bp
    from forum.admin.blueprint import bp as admin_bp
    from forum.auth.views import bp as auth_bp
    from forum.boards.views import bp as boards_bp
    from forum.care.views import bp as care_bp
    from forum.config import settings_from_environment
    from forum.csp import views as csp_views
    from forum.digest.views import bp as digest_bp
    from forum.extensions import init_extensions
    from forum.feeds.views import bp as feeds_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.notify.views import bp as notify_bp
    from forum.pages.views import bp as pages_bp
    from forum.profiles.views import bp as profiles_bp
    from forum.safety_plan.views import bp as safety_plan_bp
    from forum.search.views import bp as search_bp
    from forum.threads.history import bp as history_bp
    from forum.threads.views import bp as threads_bp

    settings = settings_from_environment(config)
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    init_extensions(app)
    i18n.init_app(app)
    web.init_app(app)
    serve.init_app(app)
    blueprints = (
        pages_bp,
        boards_bp,
        threads_bp,
        history_bp,
        auth_bp,
        profiles_bp,
        moderation_bp,
        admin_bp,
        care_bp,
        account_bp,
        notify_bp,
        search_bp,
        feeds_bp,
        digest_bp,
        safety_plan_bp,
        csp_views.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    errors.init_app(app)
    security.init_app(app)
    csp_views.init_app(app)
    security_log.init_app(app)
    pagecache.init_app(app)
    cli.init_app(app)
    return app
