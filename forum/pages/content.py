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
def guidelines_html(language: str = "en") -> str:
    """The guidelines in ``language`` (``guidelines.<language>.md``, else the English
    ``guidelines.md``), rendered once per process and language."""
    translated = resources.files("forum.data").joinpath(f"guidelines.{language}.md")
    name = translated.name if language != "en" and translated.is_file() else "guidelines.md"
    return render_page_markdown(_shipped(name))
