"""The WSGI entry point for any WSGI server: ``gunicorn forum.wsgi:app`` (or ``forum serve``)."""

from forum import create_app

app = create_app()
