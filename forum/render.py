"""Markdown to sanitized HTML for posts and the guidelines page.

Rendering happens once, at write time: a post's source is turned into HTML when it is
saved, and the HTML is stored next to ``RENDER_POLICY_VERSION`` so that stored posts can
be re-rendered if the policy below ever changes. Pages then show the stored HTML without
running Markdown or the sanitizer on every request.

The pipeline is Python-Markdown first, then bleach. The order matters: a link such as
``[x](javascript:alert(1))`` only becomes an ``<a href>`` inside Markdown, so sanitizing
the source before Markdown would miss it. Raw HTML in a post is never passed through;
Python-Markdown's raw HTML handling is switched off, so ``<b>`` shows up as the text
``<b>``.

This is the only module that imports ``markdown`` or ``bleach``. bleach is deprecated
upstream; keeping every call to it here means it can be swapped for nh3 (or anything
else) by changing this one file.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as etree
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

RENDER_POLICY_VERSION: int = 1

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "del",
        "blockquote",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "a",
        "hr",
        "h3",
        "h4",
        "h5",
    }
)
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

_HEADING_MAP = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h5", "h5": "h5", "h6": "h5"}
_STRIKE_RE = r"(~~)(?=\S)(.+?)(?<=\S)~~"


class _DemoteHeadings(Treeprocessor):
    """Demote headings so a post never outranks the page: h1->h3, h2->h4, others->h5."""

    def run(self, root: etree.Element) -> None:
        """Rename every heading element in place."""
        for el in root.iter():
            if el.tag in _HEADING_MAP:
                el.tag = _HEADING_MAP[el.tag]


class _ImagesToLinks(Treeprocessor):
    """Turn every ``<img>`` into a plain link, so no image is loaded from another site.

    An image that is already inside a link (``[![alt](img)](url)``) becomes its alt text
    instead, since links cannot nest.
    """

    def run(self, root: etree.Element) -> None:
        """Rewrite the images below ``root``."""
        self._rewrite(root, in_link=False)

    def _rewrite(self, parent: etree.Element, in_link: bool) -> None:
        """Recursively replace ``<img>`` children of ``parent``."""
        for child in list(parent):
            if child.tag != "img":
                self._rewrite(child, in_link or child.tag == "a")
                continue
            label = child.get("alt") or child.get("src", "")
            if in_link:
                _replace_with_text(parent, child, label)
            else:
                href = child.get("src", "")
                child.tag = "a"
                child.attrib.clear()
                child.set("href", href)
                child.text = label


def _replace_with_text(parent: etree.Element, child: etree.Element, text: str) -> None:
    """Remove ``child`` from ``parent``, leaving ``text`` (and the child's tail) in its place."""
    text += child.tail or ""
    index = list(parent).index(child)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class _LinksToText(Treeprocessor):
    """Show every link as plain text ("text (address)"), for authors whose links are not
    shown as links yet (new members)."""

    def run(self, root: etree.Element) -> None:
        """Replace the links below ``root``."""
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "a":
                    text = "".join(child.itertext())
                    href = child.get("href", "")
                    label = text if not href or text == href else f"{text} ({href})"
                    _replace_with_text(parent, child, label)


class _ForumExtension(Extension):
    """Forum Markdown dialect: no raw HTML, ``~~strike~~``, demoted headings, no images."""

    def __init__(self, links: bool = True) -> None:
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register and deregister the processors that make up the dialect."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(SimpleTagInlineProcessor(_STRIKE_RE, "del"), "strike", 65)
        # Both run after the "inline" treeprocessor (20), which creates the img elements.
        md.treeprocessors.register(_ImagesToLinks(md), "forum_images", 16)
        md.treeprocessors.register(_DemoteHeadings(md), "forum_headings", 15)
        if not self.links:
            md.treeprocessors.register(_LinksToText(md), "forum_links_to_text", 14)


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    """Linkify callback: give every link, old or new, exactly ``LINK_REL``."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _new_markdown(links: bool) -> markdown.Markdown:
    """A fresh Markdown instance (instances keep state between calls, so one per call)."""
    return markdown.Markdown(
        extensions=["fenced_code", "nl2br", _ForumExtension(links=links)], output_format="html"
    )


# bleach documents Cleaner as not thread-safe (the parser keeps state), so calls are
# serialized with a lock. Rendering happens only on writes, so contention is negligible.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"})],
)
# For authors whose links are shown as text: no <a> allowed, and no linkifying.
_plain_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS - {"a"},
    attributes={},
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
)
_cleaner_lock = threading.Lock()


def _normalize(source: str | None) -> str:
    """Treat None as empty text and drop NUL characters."""
    if source is None:
        return ""
    return str(source).replace("\x00", "")


def render_markdown(source: str | None, *, links: bool = True) -> str:
    """Render post Markdown to sanitized HTML (Markdown first, then bleach).

    With ``links=False`` every link, and every bare address, stays plain text.
    """
    html = _new_markdown(links).convert(_normalize(source))
    with _cleaner_lock:
        return (_cleaner if links else _plain_cleaner).clean(html)
