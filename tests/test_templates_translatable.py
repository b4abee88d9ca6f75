"""Every piece of interface text in templates/ goes through gettext, so a translator sees it.

Text between tags, text attributes (title, placeholder, aria-label, alt, data-label) and
sentences written as Jinja strings (labels passed to macros, ``'A' if x else 'B'``) must come
from ``_()``/``ngettext()`` or a ``{% trans %}`` block. This reads the template sources
(templates/**.html and the digest's .txt); it renders nothing.
"""

import re

import pytest
from jinja2 import Environment, nodes

from forum.paths import resource_dir

TEMPLATES = resource_dir("templates")
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
TEXT_ATTRIBUTES = r"(?:title|placeholder|aria-label|alt|data-label)"
WORD = re.compile(r"[A-Za-z]{2,}")
# A Jinja string that reads as words for people: a capitalised word ("Hide", "Log in"), or a
# few words ending a sentence. Formats ("%B %Y"), keys ('INT', 'held') and CSS classes pass.
SENTENCE = re.compile(r"^[A-Z][a-z]|^[a-z]+(?: [a-z]+)+[.!?]$")


def template_files():
    return sorted(
        path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"} and path.is_file()
    )


def blank(match) -> str:
    """What a skipped part leaves behind: its line breaks, so line numbers stay right."""
    return "\n" * match.group().count("\n")


def untranslated_text(source: str) -> list[str]:
    """Text and text attributes of a template that are written out, not wrapped."""
    source = re.sub(r"\{#.*?#\}", blank, source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", blank, source, flags=re.S)
    source = re.sub(r"\{%\s*block \w*class\s*%\}.*?\{%\s*endblock\s*%\}", " ", source)  # CSS
    source = re.sub(r"\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"<style\b.*?</style>", blank, source, flags=re.S)
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        attributes = re.findall(rf'{TEXT_ATTRIBUTES}="([^"]*)"', line)
        text = re.sub(r"<[^>]*>", " ", line)
        found += [
            f"line {number}: {bit.strip()}" for bit in [text, *attributes] if WORD.search(bit)
        ]
    return found


def untranslated_strings(source: str) -> list[str]:
    """Jinja string constants that read as words and are not an argument of a gettext call."""
    environment = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    found = []

    def walk(node, in_gettext=False):
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            in_gettext = in_gettext or node.node.name in GETTEXT_CALLS
        words = isinstance(node, nodes.Const) and isinstance(node.value, str)
        if words and not in_gettext and SENTENCE.search(node.value):
            found.append(f"line {node.lineno}: {node.value!r}")
        for child in node.iter_child_nodes():
            walk(child, in_gettext)

    walk(environment.parse(source))
    return found


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_every_template_wraps_its_interface_text_for_translation(path):
    source = path.read_text(encoding="utf-8")
    assert untranslated_text(source) == []
    assert untranslated_strings(source) == []


def test_the_check_finds_text_and_labels_left_in_english():
    source = (
        '<p>Welcome back</p><input placeholder="Search">'
        "{{ post_button(url, 'Mark all read') }}{{ 'Unpin' if pinned else 'Pin' }}"
        "<p>{{ _('Kept') }} {% trans %}Also <b>kept</b>{% endtrans %}</p>"
    )
    assert untranslated_text(source) == ["line 1: Welcome back", "line 1: Search"]
    assert untranslated_strings(source) == [
        "line 1: 'Mark all read'",
        "line 1: 'Unpin'",
        "line 1: 'Pin'",
    ]
