"""Shipped texts: the community guidelines, read once (the crisis file: forum.crisis)."""

from functools import cache
from importlib import resources

from forum.crisis.resources import crisis_file
from forum.render import render_page_markdown

# The crisis data file (intro and resources) is read by forum.crisis.resources; this older
# name stays for callers that clear its cache.
crisis_resources = crisis_file


def _shipped(name: str) -> str:
    return resources.files("forum.data").joinpath(name).read_text(encoding="utf-8")


@cache
def guidelines_html() -> str:
    """The guidelines rendered once per process (the text ships in ``forum/data``)."""
    return render_page_markdown(_shipped("guidelines.md"))
