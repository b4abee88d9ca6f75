"""A bare Flask hello-world: the ceiling that bench/run compares the forum's pages with."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """One short constant answer: no template, no database."""
    return "Hello, world!"
