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

import re
import threading
import xml.etree.ElementTree as etree
from functools import partial
from html.parser import HTMLParser

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

# 2: a mention stays a link for authors whose other links are shown as text (it was escaped).
RENDER_POLICY_VERSION: int = 2

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

    mapping = _HEADING_MAP

    def run(self, root: etree.Element) -> None:
        """Rename every heading element in place."""
        for el in root.iter():
            if el.tag in self.mapping:
                el.tag = self.mapping[el.tag]


class _PageHeadings(_DemoteHeadings):
    """A shipped page's headings sit under the page's own h1: # and ## are h2, ### is h3."""

    mapping = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


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


class _MentionLinks(Treeprocessor):
    """Link ``@handle`` to the member's profile, for the handles given (existing members)."""

    PATTERN = re.compile(r"(?<![\w@/])@([A-Za-z0-9_-]{3,24})\b")
    SKIP = {"a", "code", "pre"}

    def __init__(self, md, handles: set[str]) -> None:
        super().__init__(md)
        self.handles = handles

    def run(self, root: etree.Element) -> None:
        self._visit(root)

    def _visit(self, element: etree.Element) -> None:
        if element.tag in self.SKIP:
            return
        originals = list(element)
        for child in originals:
            self._visit(child)
        element.text = self._link(element, element.text, 0)
        for child in originals:
            child.tail = self._link(element, child.tail, list(element).index(child) + 1)

    def _link(self, parent: etree.Element, text: str | None, position: int) -> str | None:
        """Split ``text`` around known mentions, inserting links from ``position`` in
        ``parent``; returns the text that stays before the first link."""
        if not text or "@" not in text:
            return text
        pieces = self.PATTERN.split(text)
        head, last_link, buffer = None, None, pieces[0]
        for index in range(1, len(pieces), 2):
            handle, after = pieces[index], pieces[index + 1]
            if handle.lower() not in self.handles:
                buffer += f"@{handle}{after}"
                continue
            if last_link is None:
                head = buffer
            else:
                last_link.tail = buffer
            last_link = etree.Element("a", {"href": f"/u/{handle}"})
            last_link.text = f"@{handle}"
            parent.insert(position, last_link)
            position += 1
            buffer = after
        if last_link is None:
            return text
        last_link.tail = buffer
        return head


class _ForumExtension(Extension):
    """Forum Markdown dialect: no raw HTML, ``~~strike~~``, demoted headings, no images."""

    def __init__(self, links: bool = True, mentions: frozenset = frozenset()) -> None:
        super().__init__()
        self.links = links
        self.mentions = mentions

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
        if self.mentions:
            md.treeprocessors.register(_MentionLinks(md, self.mentions), "forum_mentions", 13)


class _PageExtension(Extension):
    """Shipped pages (the guidelines): no raw HTML, no images, headings under the page's h1."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register and deregister the processors that make up the dialect."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ImagesToLinks(md), "forum_images", 16)
        md.treeprocessors.register(_PageHeadings(md), "forum_headings", 15)


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    """Linkify callback: give every link, old or new, exactly ``LINK_REL``."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _new_markdown(links: bool, mentions: frozenset) -> markdown.Markdown:
    """A fresh Markdown instance (instances keep state between calls, so one per call)."""
    extension = _ForumExtension(links=links, mentions=mentions)
    return markdown.Markdown(extensions=["fenced_code", "nl2br", extension], output_format="html")


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
MENTION_HREF = re.compile(r"/u/[A-Za-z0-9_-]{3,24}")


def _mention_link_only(tag: str, name: str, value: str) -> bool:
    """Attribute filter for authors whose links are text: a link may only be a mention."""
    return tag == "a" and name == "href" and MENTION_HREF.fullmatch(value) is not None


# For authors whose links are shown as text: no linkifying, and the only <a> left is a
# mention of a member (made after every other link became text, see _ForumExtension).
_plain_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": _mention_link_only},
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
)
# Shipped pages (the guidelines) may also have h2 headings.
_page_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS | {"h2"},
    attributes=ALLOWED_ATTRIBUTES,
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


def render_markdown(
    source: str | None, *, links: bool = True, mentions: frozenset | set = frozenset()
) -> str:
    """Render post Markdown to sanitized HTML (Markdown first, then bleach).

    With ``links=False`` every link, and every bare address, stays plain text. ``mentions``
    holds the lower-cased handles of members who exist: their ``@handle`` becomes a link to
    their profile.
    """
    html = _new_markdown(links, frozenset(mentions)).convert(_normalize(source))
    with _cleaner_lock:
        return (_cleaner if links else _plain_cleaner).clean(html)


def render_page_markdown(source: str | None) -> str:
    """Render a page the forum ships (the guidelines) to sanitized HTML. Unlike a post, its
    lines flow into paragraphs (no forced line breaks: the file is wrapped for editing) and
    its headings rank just under the page's title."""
    page = markdown.Markdown(extensions=["fenced_code", _PageExtension()], output_format="html")
    html = page.convert(_normalize(source))
    with _cleaner_lock:
        return _page_cleaner.clean(html)


# Where the text of one block ends and the next begins: a space, so words never run together.
BLOCK_TAGS = frozenset({"p", "br", "li", "ul", "ol", "blockquote", "pre", "h3", "h4", "h5", "hr"})


class _TextOfHtml(HTMLParser):
    """Collects the text of sanitized post HTML, with a space where a block ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str | None) -> str:
    """The words a reader sees in rendered post HTML, on one line, without tags or entities
    (for search snippets and digest excerpts)."""
    collector = _TextOfHtml()
    collector.feed(html or "")
    collector.close()
    return " ".join("".join(collector.parts).split())
