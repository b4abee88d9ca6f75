"""Shipped texts: the community guidelines and the crisis resources, read once."""

import json
from functools import cache
from importlib import resources
from pathlib import Path

from forum.render import render_markdown


def _shipped(name: str) -> str:
    return resources.files("forum.data").joinpath(name).read_text(encoding="utf-8")


@cache
def guidelines_html() -> str:
    """The guidelines rendered once per process (the text ships in ``forum/data``)."""
    return render_markdown(_shipped("guidelines.md"))


@cache
def crisis_resources(path: str | None = None) -> dict:
    """The crisis page's data: ``path`` when an operator set one, else the shipped file."""
    text = Path(path).read_text(encoding="utf-8") if path else _shipped("crisis_resources.json")
    return json.loads(text)
